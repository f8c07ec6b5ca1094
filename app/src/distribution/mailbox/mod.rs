//! The development mailbox: where mail lands when no SMTP server is set, readable by
//! editors and admins.
pub mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod html;
#[cfg(feature = "ssr")]
pub mod routes;
