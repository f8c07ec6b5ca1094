//! DKIM signatures (RFC 6376) on every message Soundings sends, with an RSA key
//! (rsa-sha256) or an Ed25519 key (ed25519-sha256, RFC 8463), relaxed/relaxed.
//!
//! Written here over `ring` rather than taken from lettre's `dkim` feature or `mail-auth`:
//! both sign RSA with the `rsa` crate, whose private-key operations leak timing
//! (RUSTSEC-2023-0071, no fixed version), and `mail-auth`'s other backend brings a C
//! crypto library and a DNS resolver. `ring` is already here for TLS and its RSA is
//! constant-time. What is ours is the canonicalisation, and a test checks it against an
//! independent verifier (Python's dkimpy) on real invitations.
use anyhow::{bail, Context};
use app::distribution::delivery::model::DnsRecord;
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::PrivateKeyDer;

/// The headers every signature covers when the message has them. A name listed once more
/// than it occurs signs its absence too ("oversigning"), so nobody on the way can add a
/// second From, Subject or unsubscribe header that a mail client might show instead.
const SIGNED: &[&str] = &[
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Reply-To",
    "List-Id",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];
const OVERSIGNED: &[&str] = &[
    "From",
    "Subject",
    "Reply-To",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// A private key that signs, and so also its public half for DNS.
enum Key {
    Rsa(ring::rsa::KeyPair),
    Ed25519(Ed25519KeyPair),
}

/// Signs messages for one domain and selector.
pub struct Signer {
    domain: String,
    selector: String,
    key: Key,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({}._domainkey.{})", self.selector, self.domain)
    }
}

impl Signer {
    /// A signer from a PEM private key: PKCS#8 (RSA or Ed25519, as `openssl genpkey`
    /// writes) or PKCS#1 (`BEGIN RSA PRIVATE KEY`). RSA keys must have 2048 bits or more.
    pub fn from_pem(pem: &[u8], domain: &str, selector: &str) -> anyhow::Result<Self> {
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        let selector = selector.trim().to_ascii_lowercase();
        if domain.is_empty() || !domain.split('.').all(is_dns_label) {
            bail!("the DKIM domain {domain:?} is not a domain name");
        }
        if !selector.split('.').all(is_dns_label) {
            bail!("the DKIM selector {selector:?} must be letters, digits and hyphens");
        }
        let der = PrivateKeyDer::from_pem_slice(pem)
            .context("the DKIM key is not a PEM private key (BEGIN PRIVATE KEY)")?;
        let key = match &der {
            PrivateKeyDer::Pkcs1(pkcs1) => Key::Rsa(
                ring::rsa::KeyPair::from_der(pkcs1.secret_pkcs1_der())
                    .map_err(|e| anyhow::anyhow!("the DKIM RSA key cannot sign: {e}"))?,
            ),
            PrivateKeyDer::Pkcs8(pkcs8) => {
                let bytes = pkcs8.secret_pkcs8_der();
                match ring::rsa::KeyPair::from_pkcs8(bytes) {
                    Ok(rsa) => Key::Rsa(rsa),
                    Err(rsa_error) => match Ed25519KeyPair::from_pkcs8_maybe_unchecked(bytes) {
                        Ok(ed) => Key::Ed25519(ed),
                        Err(_) => bail!(
                            "the DKIM key is neither an RSA key of 2048 bits or more nor an \
                             Ed25519 key ({rsa_error})"
                        ),
                    },
                }
            }
            _ => bail!("the DKIM key must be RSA or Ed25519 (an EC key cannot sign DKIM)"),
        };
        if let Key::Rsa(rsa) = &key {
            if rsa.public().modulus_len() * 8 < 2048 {
                bail!("the DKIM RSA key must have at least 2048 bits");
            }
        }
        Ok(Self {
            domain,
            selector,
            key,
        })
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// `rsa-sha256` or `ed25519-sha256`.
    pub fn algorithm(&self) -> &'static str {
        match self.key {
            Key::Rsa(_) => "rsa-sha256",
            Key::Ed25519(_) => "ed25519-sha256",
        }
    }

    /// The TXT record to publish: RSA as a SubjectPublicKeyInfo, Ed25519 as its 32 bytes.
    pub fn dns_record(&self) -> DnsRecord {
        let (kind, public) = match &self.key {
            Key::Rsa(rsa) => ("rsa", rsa_subject_public_key_info(rsa.public().as_ref())),
            Key::Ed25519(ed) => ("ed25519", ed.public_key().as_ref().to_vec()),
        };
        DnsRecord {
            purpose: "DKIM".into(),
            name: format!("{}._domainkey.{}", self.selector, self.domain),
            value: format!("v=DKIM1; k={kind}; p={}", base64(&public)),
            note: "Publishes the public half of DKIM_PRIVATE_KEY_FILE. Ed25519 alone is not \
                   checked by every provider: RSA-2048 is the safe choice."
                .into(),
        }
    }

    /// The message with a DKIM-Signature header in front. `message` is the whole message
    /// as it will be sent (CRLF line ends); `unix_time` goes in the `t=` tag.
    pub fn sign(&self, message: &[u8], unix_time: i64) -> anyhow::Result<Vec<u8>> {
        let (head, body) = split_message(message)?;
        let headers = parse_headers(head)?;
        let body_hash = sha256(&relaxed_body(body));
        let mut names: Vec<&str> = SIGNED
            .iter()
            .copied()
            .filter(|name| headers.iter().any(|h| h.name.eq_ignore_ascii_case(name)))
            .collect();
        names.extend(OVERSIGNED);
        // Each listed name signs the last instance not yet signed, counting from the bottom.
        let mut data = Vec::new();
        let mut used = vec![false; headers.len()];
        for name in &names {
            let found = headers
                .iter()
                .enumerate()
                .rev()
                .find(|(i, h)| !used[*i] && h.name.eq_ignore_ascii_case(name));
            if let Some((i, header)) = found {
                used[i] = true;
                data.extend_from_slice(relaxed_header(header.raw).as_bytes());
                data.extend_from_slice(b"\r\n");
            }
        }
        let h = names
            .iter()
            .map(|n| n.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(":");
        let unsigned = format!(
            "DKIM-Signature: v=1; a={}; c=relaxed/relaxed; d={}; s={};\r\n\tt={unix_time}; h={h};\r\n\tbh={};\r\n\tb=",
            self.algorithm(),
            self.domain,
            self.selector,
            base64(&body_hash),
        );
        data.extend_from_slice(relaxed_header(&unsigned).as_bytes());
        let signature = match &self.key {
            Key::Rsa(rsa) => {
                let mut signature = vec![0; rsa.public().modulus_len()];
                rsa.sign(
                    &ring::signature::RSA_PKCS1_SHA256,
                    &ring::rand::SystemRandom::new(),
                    &data,
                    &mut signature,
                )
                .map_err(|_| anyhow::anyhow!("the DKIM RSA key could not sign"))?;
                signature
            }
            // RFC 8463: Ed25519 signs the SHA-256 hash of the data, not the data itself.
            Key::Ed25519(ed) => ed.sign(&sha256(&data)).as_ref().to_vec(),
        };
        let mut signed = Vec::with_capacity(message.len() + unsigned.len() + 400);
        signed.extend_from_slice(unsigned.as_bytes());
        signed.extend_from_slice(base64(&signature).as_bytes());
        signed.extend_from_slice(b"\r\n");
        signed.extend_from_slice(message);
        Ok(signed)
    }
}

fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, bytes)
        .as_ref()
        .to_vec()
}

/// An RSAPublicKey (PKCS#1, what ring gives) wrapped as a SubjectPublicKeyInfo, the form
/// RFC 6376 asks DNS to carry.
fn rsa_subject_public_key_info(pkcs1: &[u8]) -> Vec<u8> {
    // AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
    const ALGORITHM: &[u8] = &[
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
    ];
    let mut bits = vec![0x00];
    bits.extend_from_slice(pkcs1);
    let bit_string = der(0x03, &bits);
    let mut inner = ALGORITHM.to_vec();
    inner.extend_from_slice(&bit_string);
    der(0x30, &inner)
}

/// One DER element: tag, definite length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend_from_slice(&bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The header block (without the blank line) and the body.
fn split_message(message: &[u8]) -> anyhow::Result<(&str, &[u8])> {
    let at = message
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("the message has no blank line after its headers")?;
    let head = std::str::from_utf8(&message[..at]).context("the message's headers are not text")?;
    Ok((head, &message[at + 4..]))
}

/// A header as it stands in the message: its name and all its lines (CRLFs included).
struct Header<'a> {
    name: &'a str,
    raw: &'a str,
}

fn parse_headers(head: &str) -> anyhow::Result<Vec<Header<'_>>> {
    let mut headers: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for line in head.split("\r\n") {
        let continues = line.starts_with([' ', '\t']);
        match headers.last_mut() {
            Some((_, end)) if continues => *end = offset + line.len(),
            _ if continues => bail!("the message starts with a folded line"),
            _ => headers.push((offset, offset + line.len())),
        }
        offset += line.len() + 2;
    }
    headers
        .into_iter()
        .map(|(start, end)| {
            let raw = &head[start..end];
            let name = raw
                .split_once(':')
                .map(|(name, _)| name)
                .with_context(|| format!("a header line has no colon: {raw:?}"))?;
            Ok(Header { name, raw })
        })
        .collect()
}

/// RFC 6376 3.4.2: the name in lower case, lines unfolded, runs of white space made one
/// space, none around the colon or at the end. Without the final CRLF.
fn relaxed_header(raw: &str) -> String {
    let (name, value) = raw.split_once(':').unwrap_or((raw, ""));
    let unfolded = value.replace("\r\n", "");
    let value = unfolded
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    format!("{}:{value}", name.trim_end().to_ascii_lowercase())
}

/// RFC 6376 3.4.4: runs of white space within a line made one space, none at a line's end,
/// no empty lines at the end of the body, and a non-empty body ending in one CRLF.
fn relaxed_body(body: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = body
        .split(|b| *b == b'\n')
        .map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let mut out = Vec::with_capacity(line.len());
            let mut in_space = false;
            for &b in line {
                if b == b' ' || b == b'\t' {
                    in_space = true;
                } else {
                    if in_space {
                        out.push(b' ');
                        in_space = false;
                    }
                    out.push(b);
                }
            }
            out
        })
        .collect();
    while lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    let mut out = Vec::with_capacity(body.len());
    for line in lines {
        out.extend_from_slice(&line);
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_headers_lower_the_name_and_unfold_and_squeeze_white_space() {
        assert_eq!(
            relaxed_header("Subject :  A\r\n\t  long   subject \t"),
            "subject:A long subject"
        );
    }

    #[test]
    fn a_relaxed_body_loses_trailing_white_space_and_empty_lines() {
        assert_eq!(
            relaxed_body(b"Hello  \t world \r\n\r\nbye\r\n\r\n\r\n"),
            b"Hello world\r\n\r\nbye\r\n".to_vec()
        );
        assert_eq!(relaxed_body(b"\r\n\r\n"), Vec::<u8>::new());
        assert_eq!(relaxed_body(b"no line end"), b"no line end\r\n".to_vec());
    }

    #[test]
    fn a_key_that_is_not_pem_is_refused_with_a_message_saying_what_is_expected() {
        let error = Signer::from_pem(b"not a key", "example.org", "s").unwrap_err();
        assert!(error.to_string().contains("PEM private key"), "{error}");
    }

    #[test]
    fn an_ed25519_key_signs_and_publishes_its_32_byte_public_key() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            base64(pkcs8.as_ref())
        );
        let signer = Signer::from_pem(pem.as_bytes(), "Example.org.", "mail").unwrap();
        let record = signer.dns_record();
        assert_eq!(record.name, "mail._domainkey.example.org");
        let p = record.value.split("p=").nth(1).unwrap();
        let public = base64::engine::general_purpose::STANDARD.decode(p).unwrap();
        assert_eq!(public.len(), 32);
        let signed = signer
            .sign(b"From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n", 1)
            .unwrap();
        let text = String::from_utf8(signed).unwrap();
        assert!(text.starts_with("DKIM-Signature: v=1; a=ed25519-sha256;"));
        assert!(text.contains(
            "h=from:subject:from:subject:reply-to:list-unsubscribe:list-unsubscribe-post;"
        ));
        assert!(text.ends_with("\r\nFrom: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n"));
    }
}
