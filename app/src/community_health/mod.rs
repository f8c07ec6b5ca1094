//! Community health: engagement as a measured KPI with its interval, the communities at
//! risk of not renewing with the reason in words, and one community over time.
mod api;
mod digest_card;
pub mod model;
mod pages;
pub mod report_view;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod digest;
#[cfg(feature = "ssr")]
mod digest_db;
#[cfg(feature = "ssr")]
mod digest_stop;
#[cfg(feature = "ssr")]
pub mod health;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod routes;

#[cfg(feature = "ssr")]
pub use api::scope;
pub use pages::{CommunitiesPage, CommunityPage};
pub use report_view::QuarterlyReportPage;
