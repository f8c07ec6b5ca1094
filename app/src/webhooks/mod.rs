//! Webhooks: admins register HTTPS endpoints for events; each event is written in the
//! transaction of the change it reports and delivered by a worker with retries, signed
//! with HMAC-SHA256, never to a private address unless an admin allowed it.
pub mod api;
pub mod model;
mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod emit;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod target;

pub use pages::{WebhookPage, WebhooksPage};
