//! `/api/v1`: the public JSON API. Each route is registered together with its OpenAPI
//! description (utoipa-axum), so `/api/v1/openapi.json` always matches what is served;
//! `/api/v1/docs` renders the same document for people.
mod auth;
mod closing_message;
mod contacts;
mod definitions;
mod directory;
mod docs;
pub mod error;
mod extract;
mod flows;
mod health;
mod in_product;
mod languages;
mod page;
mod responses;
mod results;
mod sending_settings;
pub mod sends;
mod surveys;

use crate::server::AppState;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Json;
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::{router::OpenApiRouter, routes};

pub use error::ApiError;

#[derive(OpenApi)]
#[openapi(
    info(title = "Soundings API", version = "1", description = "Create, send and read feature-release surveys. Authenticate every request with an API token from the API tokens page, sent as the header Authorization: Bearer snd_..."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API's routes and its OpenAPI document, built together.
fn api() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(surveys::list, surveys::create))
        .routes(routes!(definitions::create))
        .routes(routes!(surveys::read, definitions::replace))
        .routes(routes!(surveys::open))
        .routes(routes!(surveys::close))
        .routes(routes!(surveys::reopen))
        .routes(routes!(surveys::duplicate))
        .routes(routes!(sends::send))
        .routes(routes!(sends::remind))
        .routes(routes!(sending_settings::read, sending_settings::update))
        .routes(routes!(in_product::read, in_product::update))
        .routes(routes!(languages::read, languages::update))
        .routes(routes!(
            languages::read_translation,
            languages::update_translation
        ))
        .routes(routes!(closing_message::read, closing_message::update))
        .routes(routes!(results::summary))
        .routes(routes!(results::baseline))
        .routes(routes!(flows::release_survey))
        .routes(routes!(directory::communities, directory::save_communities))
        .routes(routes!(health::engagement))
        .routes(routes!(health::at_risk))
        .routes(routes!(health::community))
        .routes(routes!(health::care))
        .routes(routes!(directory::tiers, directory::save_tiers))
        .routes(routes!(contacts::contacts, contacts::upsert))
        .routes(routes!(contacts::erase))
        .routes(routes!(contacts::mark_deliverable))
        .routes(routes!(contacts::access))
        .routes(routes!(responses::list))
        .split_for_parts()
}

/// Mounted at `/api/v1`.
pub fn router() -> axum::Router<AppState> {
    let (routes, document) = api();
    let json = Arc::new(serde_json::to_value(&document).unwrap_or_default());
    let page = Arc::new(docs::render(&document));
    routes
        .route(
            "/openapi.json",
            get(move || async move { Json((*json).clone()) }),
        )
        .route(
            "/docs",
            get(move || async move { axum::response::Html((*page).clone()) }),
        )
        .fallback(|| async {
            ApiError::new(
                http::StatusCode::NOT_FOUND,
                "not_found",
                "There is no such API endpoint.",
            )
            .into_response()
        })
}

/// The OpenAPI document, for tests and tools.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().1
}
