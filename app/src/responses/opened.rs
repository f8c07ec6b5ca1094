//! First visits through personal links, written in batches off the request path.
//!
//! When a survey goes out, many people open their link within minutes, and each first
//! visit used to write `opened_at` before its page was sent. On SQLite those writes queue
//! for the one write lock, polling it under the busy timeout: in the benchmark's first
//! visits (50 connections) the page's p99 was 1.1 to 1.8 s against 8 to 10 ms for repeat
//! visits. Now the page only hands the mark to this writer, which stores whatever has
//! arrived in one transaction.
use super::db;
use crate::db::Db;
use tokio::sync::{mpsc, oneshot};

/// Marks that may wait; beyond this, pages wait for room (none is dropped).
const BACKLOG: usize = 100_000;
/// The most marks one transaction writes.
const BATCH: usize = 2_000;
/// The most links one `UPDATE` names: SQLite finds each `$n` by a search through the
/// statement's parameters, so very long lists cost the square of their length.
const PER_STATEMENT: usize = 100;

/// What the writer is handed: a first visit, or a request to confirm that every mark
/// handed over before it is written.
enum Mark {
    Opened(String, i64),
    Flush(oneshot::Sender<()>),
}

/// Where pages leave their first-visit marks; cheap to clone.
#[derive(Clone)]
pub struct OpenedMarks {
    sender: mpsc::Sender<Mark>,
}

impl OpenedMarks {
    /// Starts the writer on the current Tokio runtime. It stops when every sender is gone.
    pub fn start(db: Db) -> Self {
        let (sender, receiver) = mpsc::channel(BACKLOG);
        tokio::spawn(write_marks(db, receiver));
        Self { sender }
    }

    /// Notes that `invitation_id` was opened at `at` (seconds), to be written shortly.
    /// Waits only when the backlog is full, so that no visit goes unrecorded.
    pub async fn note(&self, invitation_id: &str, at: i64) {
        let mark = Mark::Opened(invitation_id.to_string(), at);
        if self.sender.send(mark).await.is_err() {
            tracing::warn!("the opened-link writer has stopped; a visit was not recorded");
        }
    }

    /// Returns once every mark noted before the call is written (or failed to be), so a
    /// server that stops keeps the visits it has shown pages for.
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.sender.send(Mark::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn write_marks(db: Db, mut receiver: mpsc::Receiver<Mark>) {
    let mut received = Vec::with_capacity(BATCH);
    let mut opened = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut received, BATCH).await > 0 {
        let mut flushes = Vec::new();
        for mark in received.drain(..) {
            match mark {
                Mark::Opened(invitation_id, at) => opened.push((invitation_id, at)),
                Mark::Flush(done) => flushes.push(done),
            }
        }
        if !opened.is_empty() {
            if let Err(error) = write_batch(&db, &mut opened).await {
                tracing::warn!(%error, marks = opened.len(), "could not record opened links");
            }
            opened.clear();
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// Writes the marks in one transaction, one `UPDATE` per second of visits and up to
/// `PER_STATEMENT` links.
async fn write_batch(db: &Db, batch: &mut [(String, i64)]) -> sqlx::Result<()> {
    batch.sort_by_key(|(_, at)| *at);
    let mut tx = db.begin_write().await?;
    for same_second in batch.chunk_by(|a, b| a.1 == b.1) {
        for chunk in same_second.chunks(PER_STATEMENT) {
            let ids: Vec<&str> = chunk.iter().map(|(id, _)| id.as_str()).collect();
            db::update_invitations_opened(&mut *tx, &ids, chunk[0].1).await?;
        }
    }
    tx.commit().await
}
