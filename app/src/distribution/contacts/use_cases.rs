//! The contact list's use cases, written once for the import page, the contacts page, the
//! JSON API and the command line: plan an import (every row checked against the list as it
//! is, nothing written), apply a plan all or nothing, and erase a person.
use crate::audit::record::record;
use crate::audit::{Action, Actor};
use crate::db::Db;
use crate::distribution::contacts::db as audience_db;
use crate::distribution::contacts::import::{self, ImportPlan};
use crate::email::EmailAddress;
use crate::error::{AppError, AppResult};

/// What an applied import did, row by row counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Checks a CSV file (email, name, community, role, tags) against the contacts and
/// communities as they are now. Read before any write lock: on a small SQLite pool a read
/// beside a write transaction could wait out the pool's timeout while the outbox holds
/// the other connection. Each front door shows a refused plan in its own form.
#[tracing::instrument(name = "plan_import", skip_all)]
pub async fn plan_import(db: &Db, csv: &[u8]) -> AppResult<ImportPlan> {
    let existing = audience_db::fetch_existing(db).await?;
    Ok(import::plan_import(csv, &existing))
}

/// Applies a plan in one transaction, and forgets the previewed upload it came from when
/// given. A plan with any refused row writes nothing. The plan's upserts stay right if a
/// contact changed since it was made; only its counts may call an update a creation.
#[tracing::instrument(name = "apply_import", skip_all)]
pub async fn apply_import(
    db: &Db,
    plan: &ImportPlan,
    pending_import: Option<&str>,
    by: &Actor,
    now: i64,
) -> AppResult<Imported> {
    if !plan.can_apply() {
        return Err(AppError::Conflict(
            "Some rows can't be imported, so nothing was written.".into(),
        ));
    }
    let mut tx = db.begin_write().await?;
    let (created, updated) = audience_db::apply_plan(&mut tx, plan, now).await?;
    if let Some(import_id) = pending_import {
        audience_db::delete_pending_import(&mut *tx, import_id).await?;
    }
    let (_, _, unchanged, _) = plan.counts();
    let detail = format!("{created} created, {updated} updated, {unchanged} unchanged");
    record(&mut *tx, by, Action::ContactsImported, None, &detail, now).await?;
    tx.commit().await?;
    tracing::info!(by = %by, created, updated, unchanged, "contacts imported");
    Ok(Imported {
        created,
        updated,
        unchanged,
    })
}

/// Erases a person for good (GDPR): see `audience_db::erase_contact`. `NotFound` when no
/// contact has the address.
#[tracing::instrument(name = "erase_contact", skip_all)]
pub async fn erase_contact(db: &Db, email: &EmailAddress, by: &Actor, now: i64) -> AppResult<()> {
    let mut tx = db.begin_write().await?;
    if audience_db::erase_contact(&mut tx, email.as_str())
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    // The entry names nobody, not even by the contact's id: an erased person leaves no
    // key behind that a backup or an export could be matched on.
    record(&mut *tx, by, Action::ContactErased, None, "", now).await?;
    tx.commit().await?;
    tracing::info!(by = %by, "contact erased");
    Ok(())
}

/// Marks a contact's address deliverable again (the team fixed the mailbox, or the bounce
/// was the receiving server's mistake): later selections include it. `NotFound` when no
/// contact with the address is marked undeliverable.
#[tracing::instrument(name = "mark_deliverable", skip_all)]
pub async fn mark_deliverable(db: &Db, email: &EmailAddress, by: &Actor) -> AppResult<()> {
    if !audience_db::clear_undeliverable(db, email.as_str()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(by = %by, "contact marked deliverable again");
    Ok(())
}
