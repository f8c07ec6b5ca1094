//! How deliveries are signed. A receiver recomputes HMAC-SHA256 with the endpoint's secret
//! over `{timestamp}.{body}` and compares it with `v1` in the `Soundings-Signature` header;
//! the timestamp inside the signed text lets it refuse replays of old deliveries.
use crate::server::token::{hex, SecretToken};
use crate::server::Config;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header that carries `t={unix seconds},v1={hex HMAC}`.
pub const SIGNATURE_HEADER: &str = "Soundings-Signature";
/// What a signing secret starts with, so people and secret scanners recognise one.
pub const SECRET_PREFIX: &str = "whsec_";

/// The endpoint's signing secret, derived from the server key, its id and its nonce.
pub fn secret(config: &Config, webhook_id: &str, nonce: &str) -> String {
    let derived = SecretToken::derive(
        &config.secret,
        "webhook-signing",
        &format!("{webhook_id}:{nonce}"),
        32,
    );
    format!("{SECRET_PREFIX}{}", derived.expose())
}

/// The header value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={timestamp},v1={}", hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_an_independent_hmac_sha256() {
        // Computed with Python's hmac module:
        // hmac.new(b"whsec_test", b"1700000000.{}", "sha256").hexdigest()
        assert_eq!(
            signature("whsec_test", 1_700_000_000, "{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
    }

    #[test]
    fn another_body_or_time_changes_the_signature() {
        let base = signature("whsec_a", 1, "{\"a\":1}");
        assert_ne!(base, signature("whsec_a", 2, "{\"a\":1}"));
        assert_ne!(base, signature("whsec_a", 1, "{\"a\":2}"));
        assert_ne!(base, signature("whsec_b", 1, "{\"a\":1}"));
    }
}
