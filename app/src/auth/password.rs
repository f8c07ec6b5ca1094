//! Argon2id password hashing, run off the async threads because it is slow on purpose.
use crate::server::Config;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

fn hasher(config: &Config) -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(config.argon2_memory_kib, config.argon2_iterations, 1, None)
        .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a new password into a PHC string (algorithm, parameters and salt included).
pub async fn hash(config: &Config, password: String) -> anyhow::Result<String> {
    let argon2 = hasher(config)?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Checks a password against a stored hash. With no stored hash (unknown account) it still
/// does the same work against a throw-away hash, so timing does not reveal who has an account.
pub async fn verify(config: &Config, password: String, stored: Option<String>) -> bool {
    // An invited member with no password yet has an empty hash: it verifies nothing, after
    // the same work as an unknown account.
    let stored = stored.filter(|s| !s.is_empty());
    let account_exists = stored.is_some();
    let stored = match stored {
        Some(stored) => stored,
        None => match hash(config, "a throw-away password".into()).await {
            Ok(dummy) => dummy,
            Err(_) => return false,
        },
    };
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false);
    matches && account_exists
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Config {
        Config {
            argon2_memory_kib: 1024,
            argon2_iterations: 1,
            ..Config::default()
        }
    }

    #[tokio::test]
    async fn a_hash_is_argon2id_and_verifies_only_its_own_password() {
        let config = cheap();
        let stored = hash(&config, "correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify(
                &config,
                "correct horse battery".into(),
                Some(stored.clone())
            )
            .await
        );
        assert!(!verify(&config, "wrong horse battery".into(), Some(stored)).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify(&cheap(), "a throw-away password".into(), None).await);
    }

    #[tokio::test]
    async fn an_account_without_a_password_verifies_nothing_not_even_an_empty_one() {
        assert!(!verify(&cheap(), String::new(), Some(String::new())).await);
        assert!(!verify(&cheap(), "anything at all".into(), Some(String::new())).await);
    }
}
