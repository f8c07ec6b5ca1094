//! The server's secret key: given in `SECRET_KEY`, or kept in a file that the first start
//! creates. Personal links are derived from it, so it must stay the same across restarts
//! and be shared by every instance that serves the same database.
use crate::settings::SecretSource;
use anyhow::{bail, Context};
use app::server::token::ServerSecret;
use std::io::Write;
use std::path::Path;

pub fn load_or_create(source: &SecretSource) -> anyhow::Result<ServerSecret> {
    match source {
        SecretSource::Given(key) => {
            ServerSecret::new(key.0.as_bytes()).context("SECRET_KEY must be at least 32 characters")
        }
        SecretSource::File(path) if path.exists() => read(path),
        SecretSource::File(path) => create(path),
    }
}

fn read(path: &Path) -> anyhow::Result<ServerSecret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read the secret key file {}", path.display()))?;
    match ServerSecret::new(text.trim().as_bytes()) {
        Some(secret) => Ok(secret),
        None => bail!(
            "the secret key file {} holds fewer than 32 characters",
            path.display()
        ),
    }
}

/// Writes a new random key, readable by this user only. `create_new` makes two instances
/// starting at once agree: the second finds the file and reads it.
fn create(path: &Path) -> anyhow::Result<ServerSecret> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create the folder {}", parent.display()))?;
    }
    let mut random = [0u8; 32];
    getrandom::fill(&mut random)
        .map_err(|e| anyhow::anyhow!("the OS random generator failed: {e}"))?;
    let key: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes())
                .and_then(|_| file.sync_all())
                .with_context(|| format!("could not write {}", path.display()))?;
            tracing::info!(path = %path.display(), "created a new secret key; back it up with the database");
            ServerSecret::new(key.as_bytes()).context("a new key is 64 characters")
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => read(path),
        Err(error) => Err(error).with_context(|| format!("could not create {}", path.display())),
    }
}

/// Records the key's fingerprint on the first start; refuses a key that differs from the
/// one this database was first used with.
pub async fn check_fingerprint(db: &app::db::Db, secret: &ServerSecret) -> anyhow::Result<()> {
    let fingerprint = app::server::token::SecretToken::derive(secret, "key-fingerprint", "", 32)
        .hash()
        .as_str()
        .to_string();
    // Read first: a restart on an existing database then needs no write lock, which a
    // busy or just-crashed database may not grant within the busy timeout.
    let recorded = match fetch_fingerprint(db).await? {
        Some(recorded) => recorded,
        None => {
            sqlx::query(
                "INSERT INTO server_key (singleton, fingerprint, created_at) VALUES (1, $1, $2) \
                 ON CONFLICT (singleton) DO NOTHING",
            )
            .bind(&fingerprint)
            .bind(app::db::now())
            .execute(db)
            .await
            .context("could not record the secret key's fingerprint")?;
            fetch_fingerprint(db)
                .await?
                .context("the secret key's fingerprint was not recorded")?
        }
    };
    if recorded != fingerprint {
        bail!(
            "this secret key is not the one the database was first used with, so links \
             already sent would stop working. Give every instance the same SECRET_KEY, or \
             restore the original key file (SECRET_KEY_FILE, by default data/secret.key)"
        );
    }
    Ok(())
}

async fn fetch_fingerprint(db: &app::db::Db) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("SELECT fingerprint FROM server_key")
        .fetch_optional(db)
        .await
        .context("could not read the secret key's fingerprint")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_start_creates_a_key_file_and_later_starts_read_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/secret.key");
        let source = SecretSource::File(path.clone());
        load_or_create(&source).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.len(), 64);
        load_or_create(&source).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_short_key_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        std::fs::write(&path, "short").unwrap();
        let error = load_or_create(&SecretSource::File(path)).unwrap_err();
        assert!(error.to_string().contains("fewer than 32"));
    }
}
