//! Monitoring: the funnel and response rate of a survey, its scores with their precision
//! and an "is this actionable?" verdict, breakdowns by community and tier, and the
//! satisfaction baseline across releases.
mod activity_view;
pub mod api;
pub mod baseline;
pub mod baseline_model;
mod baseline_plot;
pub mod comments;
mod comments_view;
pub mod dashboard;
mod fairness_view;
mod live;
pub mod model;
mod pages;
pub mod stats;

#[cfg(feature = "ssr")]
mod activity;
#[cfg(feature = "ssr")]
pub mod baseline_db;
#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
mod disclosure;
#[cfg(feature = "ssr")]
pub mod engagement;
#[cfg(feature = "ssr")]
mod fairness;
#[cfg(feature = "ssr")]
pub mod summary;

pub use dashboard::OverviewPage;
pub use pages::ResultsPage;
