//! Surveys: what the product team builds and sends after a release.
pub mod api;
mod builder;
pub mod builder_api;
pub mod definition;
pub mod model;
mod pages;
pub mod public_link;
pub mod question;
pub mod templates;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod defined;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod schedule;

pub use pages::{SurveyPage, SurveysPage};
