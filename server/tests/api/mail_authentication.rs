//! DKIM: every invitation is signed for the sender's domain, an independent verifier
//! (Python's dkimpy, given the public key the delivery page shows instead of DNS) accepts
//! the signature, and a relay that rewrites or adds a header the signature covers breaks it.
use crate::helpers::{with_each_backend, Backend, TestApp};
use crate::mail_sink::{MailSink, ReceivedMail};
use crate::postfix_relay::PostfixRelay;
use std::path::Path;
use std::process::Command;

/// Where the verifier script is when this file is compiled into the server's test binary.
const VERIFIER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dkim_verify.py");

/// What dkimpy said about one message.
#[derive(Debug, serde::Deserialize)]
struct Verdict {
    verified: bool,
    signed_headers: Vec<String>,
    domain: String,
    algorithm: String,
}

/// A new RSA-2048 key in PEM (PKCS#8), made by openssl as the README tells teams to.
fn rsa_key(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("dkim.pem");
    let status = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&path)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl made a key");
    path
}

/// A new Ed25519 key in PEM (PKCS#8).
fn ed25519_key(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("dkim-ed25519.pem");
    let status = Command::new("openssl")
        .args(["genpkey", "-algorithm", "ED25519", "-out"])
        .arg(&path)
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl made a key");
    path
}

/// An app that signs with `key` as selector `s2026`, sending to `sink`.
async fn signing_app(backend: Backend, sink: &MailSink, key: &Path) -> TestApp {
    TestApp::spawn_configured(
        backend,
        Some(sink.smtp_url()),
        &[
            ("DKIM_PRIVATE_KEY_FILE", key.display().to_string()),
            ("DKIM_SELECTOR", "s2026".into()),
        ],
    )
    .await
}

/// Sends one invitation to ada@example.org and returns it as received.
async fn one_invitation(app: &TestApp, sink: &MailSink) -> ReceivedMail {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, "ada@example.org").await;
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    sink.wait_for(1).await.remove(0)
}

/// The DKIM record the delivery page shows, as (name, value).
async fn published_record(app: &TestApp) -> (String, String) {
    let (status, body) = app.call("get_mail_setup", &[]).await;
    assert!(status.is_success(), "{status}: {body}");
    let setup: serde_json::Value = serde_json::from_str(&body).unwrap();
    let record = setup["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["purpose"] == "DKIM")
        .expect("the page shows a DKIM record")
        .clone();
    (
        record["name"].as_str().unwrap().to_string(),
        record["value"].as_str().unwrap().to_string(),
    )
}

/// dkimpy's verdict on `raw`, with the public key given as `record`.
fn verify(raw: &str, record: &(String, String)) -> Verdict {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("message.eml");
    std::fs::write(&file, raw).unwrap();
    let output = Command::new("python3")
        .arg(VERIFIER)
        .arg(&file)
        .arg(&record.0)
        .arg(&record.1)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "the verifier ran (bin/setup --test installs dkimpy): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the verifier printed JSON")
}

async fn an_invitation_signed_with_rsa_passes_an_independent_verifier(backend: Backend) {
    let keys = tempfile::tempdir().unwrap();
    let sink = MailSink::start();
    let app = signing_app(backend, &sink, &rsa_key(keys.path())).await;
    let mail = one_invitation(&app, &sink).await;
    let record = published_record(&app).await;
    assert_eq!(record.0, "s2026._domainkey.example.org");
    assert!(record.1.starts_with("v=DKIM1; k=rsa; p="), "{}", record.1);

    let verdict = verify(&mail.raw, &record);

    assert!(verdict.verified, "{verdict:?}\n{}", mail.raw);
    assert_eq!(verdict.domain, "example.org", "aligned with From for DMARC");
    assert_eq!(verdict.algorithm, "rsa-sha256");
    for header in [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "content-type",
        "list-unsubscribe",
        "list-unsubscribe-post",
    ] {
        assert!(
            verdict.signed_headers.iter().any(|h| h == header),
            "{header} is signed: {:?}",
            verdict.signed_headers
        );
    }
}

async fn an_invitation_signed_with_ed25519_passes_an_independent_verifier(backend: Backend) {
    let keys = tempfile::tempdir().unwrap();
    let sink = MailSink::start();
    let app = signing_app(backend, &sink, &ed25519_key(keys.path())).await;
    let mail = one_invitation(&app, &sink).await;
    let record = published_record(&app).await;
    assert!(
        record.1.starts_with("v=DKIM1; k=ed25519; p="),
        "{}",
        record.1
    );

    let verdict = verify(&mail.raw, &record);

    assert!(verdict.verified, "{verdict:?}\n{}", mail.raw);
    assert_eq!(verdict.algorithm, "ed25519-sha256");
}

/// The attack: something between Soundings and the recipient (a compromised relay, a
/// link-rewriting gateway) swaps the one-click unsubscribe link for its own, or puts a
/// second one above ours, or edits the body's survey link. Each must fail verification.
async fn a_relay_that_rewrites_the_unsubscribe_header_or_the_body_breaks_the_signature(
    backend: Backend,
) {
    let keys = tempfile::tempdir().unwrap();
    let sink = MailSink::start();
    let app = signing_app(backend, &sink, &rsa_key(keys.path())).await;
    let mail = one_invitation(&app, &sink).await;
    let record = published_record(&app).await;
    assert!(
        verify(&mail.raw, &record).verified,
        "the untouched message passes"
    );

    let rewritten = mail.raw.replacen(
        "List-Unsubscribe: <http",
        "List-Unsubscribe: <https://evil.example/u?x=",
        1,
    );
    assert_ne!(rewritten, mail.raw, "the message has the header to rewrite");
    assert!(
        !verify(&rewritten, &record).verified,
        "a rewritten link fails"
    );

    let added = mail.raw.replacen(
        "\r\nFrom:",
        "\r\nList-Unsubscribe: <https://evil.example/u>\r\nFrom:",
        1,
    );
    assert_ne!(added, mail.raw);
    assert!(!verify(&added, &record).verified, "an added header fails");

    let body_at = mail.raw.find("\r\n\r\n").unwrap();
    let (head, body) = mail.raw.split_at(body_at);
    let edited = format!("{head}{}", body.replacen("/s/", "/s/x", 1));
    assert_ne!(edited, mail.raw, "the body has a survey link to edit");
    assert!(!verify(&edited, &record).verified, "an edited body fails");
}

async fn an_invitation_relayed_through_postfix_still_passes_the_verifier(backend: Backend) {
    let keys = tempfile::tempdir().unwrap();
    let sink = MailSink::start();
    let relay = PostfixRelay::start(sink.port());
    let app = TestApp::spawn_configured(
        backend,
        Some(relay.smtp_url()),
        &[
            (
                "DKIM_PRIVATE_KEY_FILE",
                rsa_key(keys.path()).display().to_string(),
            ),
            ("DKIM_SELECTOR", "s2026".into()),
        ],
    )
    .await;
    let mail = one_invitation(&app, &sink).await;
    let received = mail.headers("Received");
    assert!(
        received.iter().any(|r| r.contains("relay.soundings.test")),
        "the message came through Postfix: {received:?}\n{}",
        relay.log()
    );
    let verdict = verify(&mail.raw, &published_record(&app).await);
    assert!(verdict.verified, "{verdict:?}\n{}", mail.raw);
    assert!(verdict
        .signed_headers
        .iter()
        .any(|h| h == "list-unsubscribe"));
}

async fn the_command_line_prints_the_records_the_page_shows(backend: Backend) {
    let keys = tempfile::tempdir().unwrap();
    let key = rsa_key(keys.path());
    let sink = MailSink::start();
    let app = signing_app(backend, &sink, &key).await;
    app.set_up_admin().await;
    let (name, value) = published_record(&app).await;
    let run = |with_key: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_soundings"));
        command
            .args(["mail", "dkim-record"])
            .env("DATABASE_URL", &app.database_url)
            .env("SECRET_KEY", crate::helpers::TEST_SECRET)
            .env("MAIL_FROM", "Product team <product@example.org>")
            .env("DKIM_SELECTOR", "s2026")
            .env_remove("DKIM_PRIVATE_KEY_FILE");
        if with_key {
            command.env("DKIM_PRIVATE_KEY_FILE", &key);
        }
        command.output().expect("the binary runs")
    };
    let printed = run(true);
    assert!(printed.status.success(), "{printed:?}");
    let text = String::from_utf8(printed.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("{name}. IN TXT")))
        .unwrap_or_else(|| panic!("the DKIM record in {text}"));
    // The zone line splits the value into strings of at most 255 bytes; joined, it is the
    // value the page shows.
    let joined: String = line.split('"').skip(1).step_by(2).collect();
    assert_eq!(joined, value);
    assert!(text.contains("_dmarc.example.org. IN TXT"), "{text}");
    assert!(text.contains("; SPF: "), "{text}");

    let refused = run(false);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("DKIM_PRIVATE_KEY_FILE is not set") && why.contains("openssl genpkey"),
        "{why}"
    );
}

async fn without_a_key_nothing_is_signed_and_the_page_says_how_to_start(backend: Backend) {
    let sink = MailSink::start();
    let app = TestApp::spawn_with(backend, Some(sink.smtp_url())).await;
    let mail = one_invitation(&app, &sink).await;
    assert!(mail.header("DKIM-Signature").is_none());
    let (status, body) = app.call("get_mail_setup", &[]).await;
    assert!(status.is_success(), "{status}: {body}");
    let setup: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(setup["dkim_algorithm"].is_null());
    let purposes: Vec<&str> = setup["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["purpose"].as_str().unwrap())
        .collect();
    assert_eq!(purposes, ["SPF", "DMARC"]);
    let page = app.get("/mail-delivery").await.text().await.unwrap();
    assert!(page.contains("Messages are not DKIM-signed"), "{page}");
    assert!(page.contains("_dmarc.example.org"), "{page}");
}

async fn a_viewer_cannot_read_the_mail_setup(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.set_up_admin().await;
    app.add_member("viewer@example.org", "viewer").await;
    app.sign_in("viewer@example.org", crate::helpers::PASSWORD)
        .await;
    let (status, _) = app.call("get_mail_setup", &[]).await;
    assert_eq!(status, reqwest::StatusCode::FORBIDDEN);
}

with_each_backend!(
    an_invitation_signed_with_rsa_passes_an_independent_verifier,
    an_invitation_signed_with_ed25519_passes_an_independent_verifier,
    a_relay_that_rewrites_the_unsubscribe_header_or_the_body_breaks_the_signature,
    an_invitation_relayed_through_postfix_still_passes_the_verifier,
    the_command_line_prints_the_records_the_page_shows,
    without_a_key_nothing_is_signed_and_the_page_says_how_to_start,
    a_viewer_cannot_read_the_mail_setup,
);
