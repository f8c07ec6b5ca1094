//! Monitoring: the funnel and response rate of a survey, its scores with their precision
//! and an "is this actionable?" verdict, breakdowns by community and tier, and the
//! satisfaction baseline across releases.
mod activity_view;
pub mod api;
pub mod comments;
mod comments_view;
pub mod model;
mod pages;
pub mod stats;

#[cfg(feature = "ssr")]
mod activity;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod summary;

pub use pages::ResultsPage;
