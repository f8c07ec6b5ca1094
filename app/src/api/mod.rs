//! The public JSON API: tokens that admins create for scripts and release pipelines, and
//! the versioned endpoints under `/api/v1` with their OpenAPI document.
pub mod model;
pub mod tokens;
mod tokens_page;

#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod tokens_db;
#[cfg(feature = "ssr")]
pub mod tokens_new;
#[cfg(feature = "ssr")]
pub mod v1;

pub use tokens_page::ApiTokensPage;
