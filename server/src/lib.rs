//! The Soundings server: configuration, database, HTTP stack and command line.
pub mod backup;
pub mod claims;
pub mod cli;
pub mod database;
pub mod fn_errors;
pub mod html_repair;
pub mod mailer;
pub mod outbox;
pub mod redirects;
pub mod routes;
pub mod secret;
pub mod security;
pub mod settings;
pub mod startup;
pub mod tasks;
pub mod telemetry;
pub mod webhooks;
