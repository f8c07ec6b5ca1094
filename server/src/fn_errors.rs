//! Server-function errors get the HTTP status of the `AppError` they carry.
//!
//! A server function's own errors already set it (the request guard does), but one that
//! fails before its body runs, such as a missing or malformed argument, is answered by
//! `server_fn` with a bare 500. This layer reads the error (a few bytes) and gives
//! it its real status, so a client's mistake is a 400, not a server fault. The error is
//! encoded as every server-function answer is (`app::ui::wire`).
use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;

/// The header `server_fn` marks its error responses with.
const ERROR_HEADER: &str = "serverfnerror";
/// Serialised `AppError`s are tiny; anything longer is not one.
const MAX_ERROR_BYTES: usize = 4096;

pub async fn with_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Some(error) = app::ui::wire::decode::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use tower::ServiceExt;

    async fn status_of(body: Vec<u8>) -> StatusCode {
        let app = Router::new()
            .route(
                "/fn/x",
                post(move || {
                    let body = body.clone();
                    async move {
                        Response::builder()
                            .status(500)
                            .header(ERROR_HEADER, "/fn/x")
                            .body(Body::from(body))
                            .unwrap()
                    }
                }),
            )
            .layer(axum::middleware::from_fn(with_error_status));
        let request = Request::post("/fn/x").body(Body::empty()).unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn an_argument_error_is_a_400_and_an_internal_one_stays_500() {
        use app::ui::wire::encode;
        assert_eq!(
            status_of(encode(&AppError::BadRequest)).await,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            status_of(encode(&AppError::Internal)).await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            status_of(b"\xff\xff not an error".to_vec()).await,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
