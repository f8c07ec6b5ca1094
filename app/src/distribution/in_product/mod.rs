//! The in-product channel: a survey shown in a small panel inside the team's own product,
//! to its signed-in user, verified by a signature the team's server makes. It joins the
//! same invitation ledger as email, so one person has one response whichever way they
//! answer, and the panel counts in the response rate as its own channel.
//! `model` (settings, counts, origins), `signature` (the identity check), `db`,
//! `use_cases`, `routes` (`/w/...` and the close button), `api` and `panel` (the Send
//! step's section).
pub mod api;
pub mod model;
pub mod panel;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod signature;
#[cfg(feature = "ssr")]
pub mod use_cases;
