//! Surveys: what the product team builds and sends after a release.
pub mod api;
pub mod model;
mod pages;
pub mod question;

#[cfg(feature = "ssr")]
pub mod db;

pub use pages::{SurveyPage, SurveysPage};
