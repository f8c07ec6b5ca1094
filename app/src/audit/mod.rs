//! The audit log: every change a team member, an API token, the schedule or the command
//! line makes to surveys, contacts, the team, tokens, webhooks and settings, with who,
//! when and what (ids and counts; never answers, addresses of contacts or links). Admins
//! read, filter and export it at `/audit`; entries older than `AUDIT_RETENTION_DAYS` go.
pub mod model;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod page;
#[cfg(feature = "ssr")]
pub mod record;

pub use model::{Action, Actor};
