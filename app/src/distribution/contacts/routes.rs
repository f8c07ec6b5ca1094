//! The routes of the contact list outside the Leptos router. The server adds the layers
//! each group needs (the link-guessing throttle, the upload's body limit).
use crate::server::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Reached from an email, so behind the respondent pages' link-guessing throttle.
pub fn respondent_routes() -> Router<AppState> {
    Router::new().route(
        "/u/{token}",
        get(super::unsubscribe::show).post(super::unsubscribe::submit),
    )
}

/// Team pages' downloads: a person's access request.
pub fn team_routes() -> Router<AppState> {
    Router::new().route("/contacts/access.json", get(access_json))
}

#[derive(serde::Deserialize)]
struct AccessQuery {
    email: String,
}

/// `GET /contacts/access.json?email=...`: everything stored about one person, as a file
/// to hand them. Editors and admins: it holds the person's answers.
async fn access_json(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: http::HeaderMap,
    query: Result<axum::extract::Query<AccessQuery>, axum::extract::rejection::QueryRejection>,
) -> axum::response::Response {
    let result: crate::error::AppResult<Vec<u8>> = async {
        let user = crate::server::guard::require_role_in(
            &state,
            &headers,
            crate::auth::model::Role::Editor,
        )
        .await?;
        let axum::extract::Query(query) = query.map_err(|_| crate::error::AppError::BadRequest)?;
        let email = crate::email::EmailAddress::parse(&query.email)
            .map_err(|message| crate::error::AppError::field("email", message))?;
        let report = super::access::access_report(&state.db, &email).await?;
        let action = crate::audit::Action::ContactsExported;
        let detail = "one person's access request";
        let now = state.clock.now();
        crate::audit::record::record(&state.db, &user.actor(), action, None, detail, now).await?;
        tracing::info!("access report downloaded");
        serde_json::to_vec_pretty(&report).map_err(|_| crate::error::AppError::Internal)
    }
    .await;
    crate::server::edge::attachment(result, "application/json", "access-request.json")
}

/// The CSV import, the one place that takes files.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/contacts/import",
            get(super::import_page::show).post(super::import_page::preview),
        )
        .route(
            "/contacts/import/{id}/apply",
            post(super::import_page::apply),
        )
}
