//! The database handle every feature's `db.rs` uses: its pools, which backend it is
//! (decided once, at connect), write transactions and row locks. A leaf: it imports
//! nothing from the application, so no feature reaches its SQL helpers through the state.
use futures_core::future::BoxFuture;
use futures_core::stream::BoxStream;
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyPool, Describe, Either, Execute, Executor, Transaction};
use std::sync::Arc;

/// Which database server the pools talk to. One SQL dialect serves both; this decides
/// only the few things that differ (write locks, row locks, batch sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend a `DATABASE_URL` names: `sqlite:` URLs are SQLite, anything else is
    /// PostgreSQL (the only other driver installed).
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("sqlite:") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }
}

/// The database: a pool for writes (and reads that must see them), and, on SQLite, a
/// second read-only pool for the reads that must not wait behind writers (see `reads`).
/// `&Db` is a sqlx executor that runs on the write pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    reads: Option<Arc<Db>>,
}

impl Db {
    /// A handle over one pool, used for reads and writes alike.
    pub fn new(pool: AnyPool, backend: Backend) -> Self {
        Self {
            pool,
            backend,
            reads: None,
        }
    }

    /// This handle, with `reads` as the pool for the reads that must not wait behind
    /// writers. Its connections refuse writes.
    pub fn with_read_pool(mut self, reads: AnyPool) -> Self {
        self.reads = Some(Arc::new(Self::new(reads, self.backend)));
        self
    }

    /// For a personal link, an API token, a survey's results: reads that must not queue
    /// behind writers. SQLite in WAL mode lets readers work beside its one writer, but
    /// only on connections of their own; PostgreSQL's connections do not wait on one
    /// another, so there this is the same handle.
    pub fn reads(&self) -> &Db {
        self.reads.as_deref().unwrap_or(self)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend == Backend::Sqlite
    }

    /// The write pool, for what needs the pool itself (migrations, closing).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction that may only read.
    pub async fn begin(&self) -> sqlx::Result<Transaction<'static, Any>> {
        self.pool.begin().await
    }

    /// Starts a transaction that will write after reading. SQLite's default (deferred)
    /// transaction fails at once with "database is locked" when another connection
    /// commits between its first read and its first write; `BEGIN IMMEDIATE` takes the
    /// write lock up front, waiting its turn under the busy timeout instead.
    pub async fn begin_write(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A row-locking clause (" FOR UPDATE", " FOR SHARE ...") for a SELECT inside
    /// `begin_write`: PostgreSQL needs it to hold the rows it read until the commit, while
    /// SQLite's write lock already holds the whole database (and has no such syntax).
    pub fn row_lock(&self, clause: &'static str) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => clause,
        }
    }

    /// Closes both pools, waiting for connections in use to be given back.
    pub async fn close(&self) {
        if let Some(reads) = &self.reads {
            reads.pool.close().await;
        }
        self.pool.close().await;
    }
}

/// Runs statements on the write pool, as `&AnyPool` does, so SQL helpers take `&Db`.
impl<'c> Executor<'c> for &'c Db {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, sqlx::Result<Either<AnyQueryResult, AnyRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        (&self.pool).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(self, query: E) -> BoxFuture<'e, sqlx::Result<Option<AnyRow>>>
    where
        'c: 'e,
        E: 'q + Execute<'q, Any>,
    {
        (&self.pool).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [AnyTypeInfo],
    ) -> BoxFuture<'e, sqlx::Result<AnyStatement<'q>>>
    where
        'c: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(self, sql: &'q str) -> BoxFuture<'e, sqlx::Result<Describe<Any>>>
    where
        'c: 'e,
    {
        (&self.pool).describe(sql)
    }
}

/// Seconds since the Unix epoch: every timestamp in the database is stored this way, so
/// both backends compare and sort them the same.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// A fresh random identifier for a new row.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

#[cfg(test)]
mod tests {
    use super::Backend;

    #[test]
    fn a_sqlite_url_names_sqlite_and_anything_else_postgres() {
        assert_eq!(
            Backend::of_url("sqlite://data/soundings.db"),
            Backend::Sqlite
        );
        assert_eq!(Backend::of_url("sqlite::memory:"), Backend::Sqlite);
        assert_eq!(
            Backend::of_url("postgres://postgres@127.0.0.1:5432/soundings"),
            Backend::Postgres
        );
    }
}
