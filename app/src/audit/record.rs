//! Writing to the audit log. A change and its entry share the change's transaction where
//! there is one, so a change that rolls back leaves no entry and one that commits leaves
//! exactly one.
use super::db;
use super::model::{Action, Actor, Subject};
use crate::db::new_id;
use sqlx::{Any, Executor};

/// Removes the entries older than `retention_days` before `now`; returns how many.
pub async fn prune(db: &crate::db::Db, retention_days: i64, now: i64) -> sqlx::Result<u64> {
    db::delete_entries_before(db, now - retention_days * 86_400).await
}

/// Records that `actor` did `action` to `subject` at `now`; `detail` says what else
/// matters (counts, a role, the settings touched), never personal data.
pub async fn record(
    db: impl Executor<'_, Database = Any>,
    actor: &Actor,
    action: Action,
    subject: Option<Subject>,
    detail: &str,
    now: i64,
) -> sqlx::Result<()> {
    db::insert_entry(db, &new_id(), now, actor, action, subject.as_ref(), detail).await
}
