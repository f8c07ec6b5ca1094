//! The HTTP surface: each feature's routes merged with the Leptos pages and server
//! functions, the static files, and the layers every request goes through.
use crate::settings::Hidden;
use crate::site::{self, Site};
use crate::{security, telemetry};
use app::app::{shell, App};
use app::server::AppState;
use app::{distribution, responses, surveys};
use axum::extract::{DefaultBodyLimit, OriginalUri, Request, State};
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Router};
use http::{header, HeaderValue, StatusCode, Uri};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Forms and server-function calls are small; anything bigger is refused before parsing.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

pub fn router(state: AppState, site: &Site, metrics_token: Option<Hidden>) -> Router {
    let options = state.leptos_options.clone();
    let routes = generate_route_list(App);
    let pages = leptos_axum::file_and_error_handler::<AppState, _>(shell);
    let embedded = *site == Site::Embedded;
    Router::new()
        .route("/healthz", get(healthz))
        .merge(crate::prometheus::routes(metrics_token))
        .merge(app::api::routes::routes())
        .merge(respondent(&state))
        .merge(distribution::sending::routes::routes())
        .merge(distribution::mailbox::routes::routes())
        .merge(distribution::contacts::routes::team_routes())
        .merge(app::community_health::routes::routes())
        .merge(surveys::routes::routes())
        .merge(app::auth::account_page::routes())
        .merge(app::auth::links_page::routes())
        .merge(app::audit::page::routes())
        .merge(app::auth::sso_page::routes())
        // Built CSS, JS and WASM: pages link them under a path naming their content, cached
        // for a year; the plain `/pkg` address stays for anything linking it directly.
        .nest_service("/assets/{version}/pkg", versioned_assets(site))
        .nest_service("/pkg", assets(site, "no-cache"))
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        // Files at the site's top (the favicon, the respondent page's script), else the
        // not-found page.
        .fallback(move |uri: Uri, state: State<AppState>, request: Request| {
            let pages = pages.clone();
            async move {
                if embedded {
                    if let Some(file) = site::embedded_file(uri.path(), &request, "no-cache") {
                        return file;
                    }
                }
                pages(uri, state, request).await
            }
        })
        .layer(middleware::from_fn(crate::html_repair::repair_leptos_html))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        // Server functions read their bodies themselves, past axum's extractor limit.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        .merge(uploads())
        .merge(translations())
        .merge(api())
        .layer(middleware::from_fn(crate::fn_errors::with_error_status))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::redirects::keep_redirects_on_site,
        ))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(security::security_headers))
        .layer(middleware::from_fn(crate::prometheus::track_requests))
        // gzip or brotli as the browser asks: the respondent page drops to a quarter of
        // its size, the team's WASM bundle to about a third.
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Request ids (kept from a proxy's `x-request-id` or made here) on every log line
        // and every response.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The pages people reach from their email, behind the link-guessing throttle.
fn respondent(state: &AppState) -> Router<AppState> {
    responses::routes::respondent_routes()
        .merge(distribution::contacts::routes::respondent_routes())
        .merge(distribution::in_product::routes::respondent_routes())
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            responses::guessing::throttle,
        ))
}

/// The JSON API, outside the pages' body limit layer, whose refusal is plain text: its
/// JSON extractor enforces the same limit and answers 413 in the API's own error format.
fn api() -> Router<AppState> {
    Router::new()
        .nest("/api/v1", app::api::v1::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
}

/// The one route that takes files, with a body limit of its own.
fn uploads() -> Router<AppState> {
    let limit = distribution::contacts::import_page::MAX_IMPORT_BYTES + 64 * 1024;
    distribution::contacts::routes::upload_routes()
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
}

/// The translation pages, whose forms can be longer than the others (see their module).
fn translations() -> Router<AppState> {
    let limit = app::languages::pages::MAX_TRANSLATION_FORM_BYTES;
    app::languages::pages::routes()
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
}

fn request_span(request: &Request) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        path = %telemetry::redacted_path(request.uri().path()),
    )
}

/// 200 when the database answers, 503 when it does not: for load balancers and monitors.
async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query("SELECT 1").execute(&state.db).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The site's `pkg/` files, with their precompressed copies and `cache_control`.
fn assets(site: &Site, cache_control: &'static str) -> Router {
    let pkg_dir = match site {
        Site::Embedded => {
            return Router::new().fallback(move |uri: Uri, request: Request| async move {
                let path = format!("pkg/{}", uri.path().trim_start_matches('/'));
                site::embedded_file(&path, &request, cache_control)
                    .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
            })
        }
        Site::Folder(folder) => folder.join("pkg"),
    };
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new().fallback_service(files)
}

/// `pkg/` under the current build's version; any other version is gone (404), so a page
/// cached from an older build never gets a year-long copy of newer files under old names.
fn versioned_assets(site: &Site) -> Router {
    let current = site.version();
    assets(site, "public, max-age=31536000, immutable").layer(middleware::from_fn(
        move |OriginalUri(uri): OriginalUri, request: Request, next: Next| async move {
            let version = uri.path().trim_start_matches("/assets/").split('/').next();
            if version == Some(current) {
                next.run(request).await
            } else {
                StatusCode::NOT_FOUND.into_response()
            }
        },
    ))
}
