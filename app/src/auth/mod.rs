//! Team accounts: first-run setup, sign-in, sessions, roles and the team page.
pub mod api;
pub mod model;
pub mod pages;
pub mod team_api;
mod team_page;

#[cfg(feature = "ssr")]
pub mod account;
#[cfg(feature = "ssr")]
pub mod account_page;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
mod links_db;
#[cfg(feature = "ssr")]
pub mod links_page;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod sso;
#[cfg(feature = "ssr")]
mod sso_db;
#[cfg(feature = "ssr")]
pub mod sso_page;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use team_page::TeamPage;
