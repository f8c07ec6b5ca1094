//! Connecting to SQLite or PostgreSQL and bringing the schema up to date.
use anyhow::Context;
use app::db::{Backend, Db};
use futures::future::BoxFuture;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::AnyPool;
use sqlx::Executor;
use std::str::FromStr;
use std::time::Duration;

/// The files in `migrations/` as (file name, SQL), compiled into the binary by `build.rs`.
static MIGRATIONS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The migrations this binary carries, read as sqlx reads a folder of them: the version
/// before the first `_`, the rest of the name (underscores as spaces) as the description,
/// `.up.sql`/`.down.sql` for reversible ones, the SQL's checksum, and `-- no-transaction`.
/// A database migrated by an earlier build (through sqlx's `migrate!`) keeps validating,
/// which `the_carried_migrations_are_what_sqlx_reads_from_the_folder` holds us to.
#[derive(Debug)]
struct Carried;

impl MigrationSource<'static> for Carried {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async { carried_migrations() })
    }
}

fn carried_migrations() -> Result<Vec<Migration>, BoxDynError> {
    let mut migrations = MIGRATIONS
        .iter()
        .map(|&(file_name, sql)| {
            let (version, rest) = file_name
                .split_once('_')
                .ok_or_else(|| format!("migration {file_name:?} has no `_` after its version"))?;
            let version: i64 = version
                .parse()
                .map_err(|_| format!("migration {file_name:?} does not start with a number"))?;
            let kind = MigrationType::from_filename(rest);
            let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
            let no_tx = sql.starts_with("-- no-transaction");
            Ok(Migration::new(
                version,
                description.into(),
                kind,
                sql.into(),
                no_tx,
            ))
        })
        .collect::<Result<Vec<_>, BoxDynError>>()?;
    migrations.sort_by_key(|migration| migration.version);
    Ok(migrations)
}

/// sqlx's migrator over the carried migrations.
async fn migrator() -> anyhow::Result<Migrator> {
    Migrator::new(Carried)
        .await
        .context("the migrations this binary carries could not be read")
}

/// Connects to the database named by `url`, creating a SQLite file (and its folder) if
/// needed, then runs pending migrations. sqlx's migrator takes a lock first, so several
/// instances starting at once against one PostgreSQL apply each migration once.
pub async fn connect_and_migrate(url: &str, max_connections: u32) -> anyhow::Result<Db> {
    let db = connect(url, max_connections).await?;
    migrator()
        .await?
        .run(db.pool())
        .await
        .context("could not run the database migrations")?;
    Ok(db)
}

/// Connects without touching the schema (the backup reads the database as it is).
pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
    let pool = open(url, max_connections, Access::ReadWrite).await?;
    Ok(Db::new(pool, Backend::of_url(url)))
}

/// `writes` with a pool for the reads that must not queue behind writers: a personal
/// link, an API token, a survey's results. SQLite in WAL mode lets readers work beside its
/// one writer, but only on connections of their own; with one shared pool the summary's
/// reads waited for a connection behind every pending answer (benchmark scenario 8). Its
/// connections refuse writes, so a write sent here by mistake fails loudly instead of
/// taking the lock. PostgreSQL's connections do not wait on one another: it shares
/// `writes`, and so does an in-memory SQLite database, which a second pool would not see.
pub async fn with_read_pool(url: &str, writes: Db, max_connections: u32) -> anyhow::Result<Db> {
    let own_file = writes.is_sqlite() && !url.contains(":memory:") && !url.contains("mode=memory");
    if !own_file {
        return Ok(writes);
    }
    let reads = open(url, max_connections, Access::ReadOnly).await?;
    Ok(writes.with_read_pool(reads))
}

#[derive(Clone, Copy, PartialEq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

async fn open(url: &str, max_connections: u32, access: Access) -> anyhow::Result<AnyPool> {
    sqlx::any::install_default_drivers();
    let url = prepare_url(url)?;
    let sqlite = Backend::of_url(&url) == Backend::Sqlite;
    let options =
        AnyConnectOptions::from_str(&url).context("DATABASE_URL is not a valid database URL")?;
    AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    // WAL lets readers work while one writer commits; NORMAL sync in WAL mode
                    // never corrupts the file and loses at most the last commits on power loss.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                    )
                    .await?;
                    if access == Access::ReadOnly {
                        conn.execute("PRAGMA query_only = ON;").await?;
                    }
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .context("could not connect to the database")
}

/// SQLite URLs get `mode=rwc` (create the file) and their folder is created.
fn prepare_url(url: &str) -> anyhow::Result<String> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(url.to_string());
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create the folder {}", parent.display()))?;
        }
    }
    Ok(if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What sqlx's own folder reader makes of `migrations/` (what `migrate!` compiled in
    /// before): the carried migrations must match it field for field, or a database an
    /// earlier build migrated would fail its checksums, or a migration would be skipped.
    #[tokio::test]
    async fn the_carried_migrations_are_what_sqlx_reads_from_the_folder() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
        let read = Migrator::new(folder).await.unwrap();
        let carried = migrator().await.unwrap();
        let fields = |migrator: &Migrator| {
            migrator
                .iter()
                .map(|m| {
                    let kind = m.migration_type.label();
                    (
                        m.version,
                        m.description.to_string(),
                        kind,
                        m.sql.to_string(),
                        m.checksum.to_vec(),
                        m.no_tx,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert!(read.iter().count() >= 29, "the folder holds the migrations");
        assert_eq!(fields(&carried), fields(&read));
        assert_eq!(carried.locking, read.locking);
        assert_eq!(carried.ignore_missing, read.ignore_missing);
    }

    #[test]
    fn a_sqlite_url_is_made_to_create_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/nested/soundings.db", dir.path().display());
        assert_eq!(prepare_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.path().join("nested").is_dir());
    }

    #[tokio::test]
    async fn reads_on_their_own_pool_see_committed_writes_and_refuse_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/soundings.db", dir.path().display());
        let db = with_read_pool(&url, connect_and_migrate(&url, 2).await.unwrap(), 2)
            .await
            .unwrap();
        let (writes, reads) = (&db, db.reads());
        run(writes, "CREATE TABLE notes (body TEXT)").await.unwrap();
        run(writes, "INSERT INTO notes VALUES ('kept')")
            .await
            .unwrap();
        let kept = count(reads, "SELECT COUNT(*) FROM notes WHERE body = 'kept'").await;
        assert_eq!(kept, 1);
        let refused = run(reads, "INSERT INTO notes VALUES ('lost')").await;
        assert!(refused.is_err(), "a read connection took a write");
    }

    #[tokio::test]
    async fn an_in_memory_database_is_read_through_its_one_pool() {
        let url = "sqlite::memory:";
        let db = with_read_pool(url, connect(url, 1).await.unwrap(), 1)
            .await
            .unwrap();
        let (writes, reads) = (&db, db.reads());
        run(writes, "CREATE TABLE notes (body TEXT)").await.unwrap();
        assert_eq!(count(reads, "SELECT COUNT(*) FROM notes").await, 0);
    }

    async fn run(db: &Db, sql: &str) -> sqlx::Result<()> {
        sqlx::query(sql).execute(db).await.map(|_| ())
    }

    async fn count(db: &Db, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
    }

    #[test]
    fn a_postgres_url_is_left_as_it_is() {
        let url = "postgres://postgres@127.0.0.1:5432/soundings";
        assert_eq!(prepare_url(url).unwrap(), url);
    }
}
