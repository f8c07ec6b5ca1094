//! `POST /api-tokens/new`: creates a token from a plain form and answers with a page that
//! shows its secret, the one time it is ever shown. A plain page (not a server function
//! returning to the list) so the secret reaches the admin with or without JavaScript.
use super::tokens::issue;
use crate::auth::model::Role;
use crate::error::AppError;
use crate::server::{guard, html::team_document, AppState};
use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use leptos::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    expires_in_days: String,
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<NewTokenForm>,
) -> Response {
    let result = async {
        let user = guard::require_role_in(&state, &headers, Role::Admin).await?;
        let created = issue(
            &state.db,
            &form.name,
            &form.role,
            &form.expires_in_days,
            &user.actor(),
            state.clock.now(),
        )
        .await?;
        tracing::info!(by = user.user_id, role = form.role, "API token created");
        Ok::<_, AppError>(created)
    }
    .await;
    let back = (
        "/api-tokens".to_string(),
        "Back to the API tokens".to_string(),
    );
    let (status, page) = match result {
        Ok(created) => (
            StatusCode::OK,
            team_document(
                "New API token".into(),
                back,
                "Your new API token",
                view! {
                    <div class="notice notice-warning" role="status">
                        <p><strong>{format!("“{}” is ready. Copy it now:", created.name)}</strong>" it is shown this once and stored only as a hash."</p>
                    </div>
                    <p><code class="secret" data-testid="new-token">{created.secret}</code></p>
                    <p class="hint">"Send it with every call as the header Authorization: Bearer <token>. The API reference is at "<a href="/api/v1/docs">"/api/v1/docs"</a>"."</p>
                },
            ),
        ),
        Err(AppError::Unauthorized) => return Redirect::to("/sign-in").into_response(),
        Err(error) => {
            let page = team_document(
                "New API token".into(),
                back,
                "The token was not created",
                crate::server::edge::alert(&error),
            );
            (error.status_code(), page)
        }
    };
    let mut response = (status, Html(page)).into_response();
    // The secret must not linger in any cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
