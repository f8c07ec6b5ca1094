//! `soundings backup PATH`: a consistent copy of a live SQLite database.
//!
//! `VACUUM INTO` reads inside one transaction, so the copy is the database as it stood at
//! one instant, written while the server keeps answering (WAL lets writers go on). The copy
//! is then opened and checked before the command says it succeeded.
use crate::database::connect;
use anyhow::{bail, Context};
use sqlx::{AnyConnection, Connection, Row};
use std::path::Path;

/// Writes the copy and returns a one-line report for the terminal.
pub async fn backup(database_url: &str, target: &Path) -> anyhow::Result<String> {
    if app::db::Backend::of_url(database_url) != app::db::Backend::Sqlite {
        bail!(
            "soundings backup copies SQLite databases; for PostgreSQL use \
             pg_dump --format=custom --file=soundings.dump \"$DATABASE_URL\" (see docs/operator-guide.md)"
        );
    }
    if target.exists() {
        bail!(
            "{} already exists; choose a new file name",
            target.display()
        );
    }
    let path = target
        .to_str()
        .context("the backup path must be valid UTF-8")?;
    let db = connect(database_url, 1).await?;
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(&db)
        .await
        .with_context(|| format!("could not write the backup to {path}"))?;
    db.close().await;
    // Opened read-only and without the server's pragmas, which would turn the copy to WAL.
    let mut copy = AnyConnection::connect(&format!("sqlite://{path}?mode=ro")).await?;
    let check: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&mut copy)
        .await?
        .try_get(0)?;
    let responses: i64 = sqlx::query("SELECT COUNT(*) FROM responses")
        .fetch_one(&mut copy)
        .await?
        .try_get(0)?;
    copy.close().await?;
    if check != "ok" {
        bail!("the backup at {path} failed its integrity check: {check}");
    }
    let bytes = std::fs::metadata(target)?.len();
    Ok(format!(
        "Backed up to {path}: {bytes} bytes, {responses} responses, integrity ok."
    ))
}
