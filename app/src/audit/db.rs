//! SQL of the audit log.
use super::model::{Action, Actor, Entry, Subject};
use crate::db::Db;
use sqlx::{Any, Executor};

/// Writes one entry. The actor's label (a member's address, a token's name) is read in the
/// same statement, as it is now, so the entry still says who it was after they are gone.
pub async fn insert_entry(
    db: impl Executor<'_, Database = Any>,
    entry_id: &str,
    at: i64,
    actor: &Actor,
    action: Action,
    subject: Option<&Subject>,
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (entry_id, at, actor_kind, actor_id, actor_label, action, \
           subject_kind, subject_id, detail) \
         VALUES ($1, $2, $3, $4, COALESCE( \
           (SELECT email FROM users WHERE user_id = $4 AND $3 = 'member'), \
           (SELECT name FROM api_tokens WHERE token_id = $4 AND $3 = 'token'), $5), \
           $6, $7, $8, $9)",
    )
    .bind(entry_id)
    .bind(at)
    .bind(actor.kind())
    .bind(actor.id())
    .bind(actor.fallback_label())
    .bind(action.code())
    .bind(subject.map(|s| s.kind))
    .bind(subject.map(|s| s.id.as_str()))
    .bind(detail)
    .execute(db)
    .await
    .map(|_| ())
}

/// Which entries to read: any of these left empty matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub action: Option<Action>,
    /// `kind:id` or `kind` of the actor, as the filter's options name them.
    pub actor: Option<(String, Option<String>)>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// Entries strictly older than this (at, entry id): the next page.
    pub before: Option<(i64, String)>,
}

const COLUMNS: &str = "a.entry_id, a.at, a.actor_kind, a.actor_id, a.actor_label, a.action, \
     a.subject_kind, a.subject_id, COALESCE(s.title, u.email, t.name, w.name), a.detail";

/// What an entry is about, by its current name: a survey's title, a member's address, a
/// token's or webhook's name (none once it is gone: the entry keeps its id).
const SUBJECTS: &str =
    "LEFT JOIN surveys s ON a.subject_kind = 'survey' AND s.survey_id = a.subject_id \
     LEFT JOIN users u ON a.subject_kind = 'member' AND u.user_id = a.subject_id \
     LEFT JOIN api_tokens t ON a.subject_kind = 'token' AND t.token_id = a.subject_id \
     LEFT JOIN webhooks w ON a.subject_kind = 'webhook' AND w.webhook_id = a.subject_id";

type Row = (
    String,
    i64,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// The newest `limit` entries the filter matches, newest first.
pub async fn fetch_entries(db: &Db, filter: &Filter, limit: i64) -> sqlx::Result<Vec<Entry>> {
    let (actor_kind, actor_id) = match &filter.actor {
        Some((kind, id)) => (Some(kind.as_str()), id.as_deref()),
        None => (None, None),
    };
    let (before_at, before_id) = match &filter.before {
        Some((at, id)) => (Some(*at), Some(id.as_str())),
        None => (None, None),
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_log a {SUBJECTS} \
         WHERE ($1 IS NULL OR a.action = $1) \
           AND ($2 IS NULL OR a.actor_kind = $2) AND ($3 IS NULL OR a.actor_id = $3) \
           AND ($4 IS NULL OR a.at >= $4) AND ($5 IS NULL OR a.at < $5) \
           AND ($6 IS NULL OR a.at < $6 OR (a.at = $6 AND a.entry_id < $7)) \
         ORDER BY a.at DESC, a.entry_id DESC LIMIT $8"
    ))
    .bind(filter.action.map(Action::code))
    .bind(actor_kind)
    .bind(actor_id)
    .bind(filter.from)
    .bind(filter.until)
    .bind(before_at)
    .bind(before_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(entry).collect())
}

fn entry(row: Row) -> Entry {
    let (
        entry_id,
        at,
        actor_kind,
        actor_id,
        actor_label,
        action,
        subject_kind,
        subject_id,
        subject_label,
        detail,
    ) = row;
    Entry {
        entry_id,
        at,
        actor_kind,
        actor_id,
        actor_label,
        action,
        subject_kind,
        subject_id,
        subject_label,
        detail,
    }
}

/// Everyone who appears in the log: kind, id and their latest label, for the filter.
pub async fn fetch_actors(db: &Db) -> sqlx::Result<Vec<(String, Option<String>, String)>> {
    sqlx::query_as(
        "SELECT actor_kind, actor_id, MAX(actor_label) FROM audit_log \
         GROUP BY actor_kind, actor_id ORDER BY MAX(actor_label)",
    )
    .fetch_all(db)
    .await
}

/// Forgets entries older than `before`.
pub async fn delete_entries_before(db: &Db, before: i64) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(before)
        .execute(db)
        .await
        .map(|r| r.rows_affected())
}
