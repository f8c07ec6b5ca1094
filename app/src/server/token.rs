//! Secret tokens for personal links and sessions: random from the operating system,
//! URL-safe, and stored only as their SHA-256 hash, so a copy of the database opens nothing.
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// Bytes of randomness in a respondent link token (144 bits).
pub const LINK_TOKEN_BYTES: usize = 18;
/// Bytes of randomness in a session cookie (256 bits).
pub const SESSION_TOKEN_BYTES: usize = 32;

/// A secret as it travels in a link or cookie. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

/// The SHA-256 of a token in lower-case hex: the only form that reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHash(String);

impl SecretToken {
    /// A new token of `bytes` random bytes from the operating system's generator.
    pub fn generate(bytes: usize) -> anyhow::Result<Self> {
        let mut buf = vec![0u8; bytes];
        getrandom::fill(&mut buf)
            .map_err(|e| anyhow::anyhow!("the OS random generator failed: {e}"))?;
        Ok(Self(URL_SAFE_NO_PAD.encode(buf)))
    }

    /// Accepts only what `generate` could have produced, so junk never reaches a query.
    pub fn parse(text: &str, bytes: usize) -> Option<Self> {
        let decoded = URL_SAFE_NO_PAD.decode(text).ok()?;
        (decoded.len() == bytes).then(|| Self(text.to_string()))
    }

    /// The token for `purpose` and `id` under `secret`: always the same for the same
    /// three, unguessable without the secret. Lets a reminder carry the person's link
    /// again although the database holds only its hash.
    pub fn derive(secret: &ServerSecret, purpose: &str, id: &str, bytes: usize) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(id.as_bytes());
        let digest = mac.finalize().into_bytes();
        Self(URL_SAFE_NO_PAD.encode(&digest[..bytes.min(digest.len())]))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(***)")
    }
}

/// The server's secret key, from which personal-link and unsubscribe tokens are derived.
/// It lives outside the database (an environment variable or a key file), so a copy of
/// the database still opens nothing. `Debug` never prints it.
#[derive(Clone)]
pub struct ServerSecret(Arc<[u8]>);

impl ServerSecret {
    /// At least 32 bytes; shorter keys are refused.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        (bytes.len() >= 32).then(|| Self(bytes.into()))
    }

    /// A fresh random key (a new installation, or tests).
    pub fn generate() -> anyhow::Result<Self> {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf)
            .map_err(|e| anyhow::anyhow!("the OS random generator failed: {e}"))?;
        Ok(Self(buf.as_slice().into()))
    }
}

impl fmt::Debug for ServerSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ServerSecret(***)")
    }
}

impl TokenHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SHA-256 of arbitrary text in hex, for keys that should not be stored as they are.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Lowercase hexadecimal, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_token_carries_144_bits_in_24_url_safe_characters() {
        let token = SecretToken::generate(LINK_TOKEN_BYTES).unwrap();
        assert_eq!(token.expose().len(), 24);
        assert!(token
            .expose()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    }

    #[test]
    fn two_tokens_differ_and_hash_to_64_hex_digits() {
        let a = SecretToken::generate(LINK_TOKEN_BYTES).unwrap();
        let b = SecretToken::generate(LINK_TOKEN_BYTES).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.hash().as_str().len(), 64);
        assert_ne!(a.hash(), b.hash());
        assert_ne!(a.hash().as_str(), a.expose());
    }

    #[test]
    fn parsing_refuses_text_that_no_generated_token_could_be() {
        let token = SecretToken::generate(LINK_TOKEN_BYTES).unwrap();
        assert!(SecretToken::parse(token.expose(), LINK_TOKEN_BYTES).is_some());
        assert!(SecretToken::parse("short", LINK_TOKEN_BYTES).is_none());
        assert!(SecretToken::parse("not a token at all!!!!!!", LINK_TOKEN_BYTES).is_none());
        assert!(SecretToken::parse(token.expose(), SESSION_TOKEN_BYTES).is_none());
    }

    #[test]
    fn a_derived_token_is_stable_per_secret_purpose_and_id() {
        let secret = ServerSecret::new(&[7u8; 32]).unwrap();
        let other = ServerSecret::new(&[8u8; 32]).unwrap();
        let a = SecretToken::derive(&secret, "link", "id-1", LINK_TOKEN_BYTES);
        assert_eq!(
            a,
            SecretToken::derive(&secret, "link", "id-1", LINK_TOKEN_BYTES)
        );
        assert_ne!(
            a,
            SecretToken::derive(&secret, "unsubscribe", "id-1", LINK_TOKEN_BYTES)
        );
        assert_ne!(
            a,
            SecretToken::derive(&secret, "link", "id-2", LINK_TOKEN_BYTES)
        );
        assert_ne!(
            a,
            SecretToken::derive(&other, "link", "id-1", LINK_TOKEN_BYTES)
        );
        assert!(SecretToken::parse(a.expose(), LINK_TOKEN_BYTES).is_some());
        assert!(
            ServerSecret::new(&[1u8; 31]).is_none(),
            "short keys are refused"
        );
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let token = SecretToken::generate(LINK_TOKEN_BYTES).unwrap();
        assert_eq!(format!("{token:?}"), "SecretToken(***)");
    }
}
