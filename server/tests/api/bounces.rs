//! The bounce mailbox: real delivery reports (RFC 3464), complaints (ARF, RFC 5965) and
//! unsubscribe mail appended to a real Dovecot, read by Soundings over IMAP.
use crate::helpers::{with_each_backend, Backend, TestApp};
use crate::imap_server::ImapServer;
use crate::mail_sink::{MailSink, ReceivedMail};
use std::collections::BTreeMap;

/// The app's settings for a bounce mailbox at `imap`, read every second.
fn bounce_settings(imap: &ImapServer) -> Vec<(&'static str, String)> {
    vec![
        ("BOUNCE_ADDRESS", "bounces@example.org".into()),
        ("BOUNCE_IMAP_URL", imap.url()),
        ("BOUNCE_POLL_SECONDS", "1".into()),
    ]
}

async fn app_with_mailbox(backend: Backend, sink: &MailSink, imap: &ImapServer) -> TestApp {
    TestApp::spawn_configured(backend, Some(sink.smtp_url()), &bounce_settings(imap)).await
}

/// Sends invitations to `emails` and returns each recipient's outbox message id, read
/// from the per-message return path the message was sent with.
async fn invite(app: &TestApp, sink: &MailSink, emails: &[&str]) -> BTreeMap<String, String> {
    app.set_up_admin().await;
    let survey_id = app.create_survey("New storage options").await;
    app.open_survey(&survey_id).await;
    app.add_recipients(&survey_id, &emails.join("\n")).await;
    let (status, body) = app
        .call("send_invitations", &[("survey_id", &survey_id)])
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let mails = sink.wait_for(emails.len()).await;
    mails
        .iter()
        .map(|mail| (mail.rcpt_to[0].clone(), message_id_of(mail)))
        .collect()
}

/// `bounces+<id>@example.org` → `<id>`, checking the return path's form on the way.
fn message_id_of(mail: &ReceivedMail) -> String {
    let id = mail
        .mail_from
        .strip_prefix("bounces+")
        .and_then(|rest| rest.strip_suffix("@example.org"))
        .unwrap_or_else(|| panic!("a per-message return path: {}", mail.mail_from))
        .to_string();
    let header = mail.header("Message-ID").unwrap();
    assert_eq!(
        header,
        format!("<{id}@example.org>"),
        "the return path names the message"
    );
    let unsubscribe = mail.header("List-Unsubscribe").unwrap();
    assert!(
        unsubscribe.contains(&format!(
            "<mailto:bounces+{id}@example.org?subject=unsubscribe>"
        )),
        "the mailto unsubscribe reaches the bounce mailbox: {unsubscribe}"
    );
    id
}

/// A delivery status notification as Postfix writes one, to the message's return path.
fn dsn(id: &str, recipient: &str, action: &str, status: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n\
         To: bounces+{id}@example.org\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Message-ID: <dsn-{id}-{status}@mx.example.net>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"DSN\"\r\n\
         \r\n\
         --DSN\r\n\
         Content-Type: text/plain; charset=us-ascii\r\n\
         \r\n\
         I'm sorry to have to inform you that your message could not be delivered.\r\n\
         --DSN\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx.example.net\r\n\
         Arrival-Date: Mon, 7 Dec 2026 09:00:00 +0000\r\n\
         \r\n\
         Final-Recipient: rfc822; {recipient}\r\n\
         Original-Recipient: rfc822;{recipient}\r\n\
         Action: {action}\r\n\
         Status: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected\r\n\
         \r\n\
         --DSN\r\n\
         Content-Type: text/rfc822-headers\r\n\
         \r\n\
         From: \"Product team\" <product@example.org>\r\n\
         Message-ID: <{id}@example.org>\r\n\
         Subject: New storage options: how is it working for you?\r\n\
         \r\n\
         --DSN--\r\n"
    )
}

/// An ARF complaint as a feedback loop sends one: to the registered address (no tag), with
/// the original message attached and the recipient redacted.
fn complaint(id: &str) -> String {
    format!(
        "From: feedback@fbl.example.net\r\n\
         To: bounces@example.org\r\n\
         Subject: Complaint about a message from example.org\r\n\
         Message-ID: <arf-{id}@fbl.example.net>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=feedback-report; boundary=\"ARF\"\r\n\
         \r\n\
         --ARF\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         This is an email abuse report.\r\n\
         --ARF\r\n\
         Content-Type: message/feedback-report\r\n\
         \r\n\
         Feedback-Type: abuse\r\n\
         User-Agent: FBL/1.0\r\n\
         Version: 1\r\n\
         Original-Rcpt-To: redacted@example.com\r\n\
         \r\n\
         --ARF\r\n\
         Content-Type: message/rfc822\r\n\
         \r\n\
         From: \"Product team\" <product@example.org>\r\n\
         To: someone@example.com\r\n\
         Message-ID: <{id}@example.org>\r\n\
         Subject: New storage options: how is it working for you?\r\n\
         \r\n\
         Hello, ...\r\n\
         --ARF--\r\n"
    )
}

/// What a mail client sends for the List-Unsubscribe `mailto:`.
fn unsubscribe_mail(from: &str, to: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: unsubscribe\r\nMessage-ID: <u-{from}-{to}@client.example>\r\n\r\nunsubscribe\r\n"
    )
}

async fn column(app: &TestApp, sql: &str, email: &str) -> Option<i64> {
    sqlx::query_scalar::<_, Option<i64>>(sql)
        .bind(email)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn reports_are_acted_on_within_one_poll_and_the_unreadable_is_kept(backend: Backend) {
    let (sink, imap) = (MailSink::start(), ImapServer::start());
    let app = app_with_mailbox(backend, &sink, &imap).await;
    let ids = invite(
        &app,
        &sink,
        &[
            "gone@example.com",
            "complainer@example.com",
            "leaver@example.com",
            "slow@example.com",
        ],
    )
    .await;

    imap.append(&dsn(
        &ids["gone@example.com"],
        "gone@example.com",
        "failed",
        "5.1.1",
    ))
    .await;
    imap.append(&complaint(&ids["complainer@example.com"]))
        .await;
    imap.append(&unsubscribe_mail(
        "Leaver <leaver@example.com>",
        &format!("bounces+{}@example.org", ids["leaver@example.com"]),
    ))
    .await;
    imap.append(&dsn(
        &ids["slow@example.com"],
        "slow@example.com",
        "delayed",
        "4.2.2",
    ))
    .await;
    imap.append("From: someone@example.net\r\nTo: bounces@example.org\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n")
        .await;
    app.wait_for_count("SELECT COUNT(*) FROM mail_intake WHERE status = 'done'", 5)
        .await;

    let bounced = "SELECT i.bounced_at FROM invitations i JOIN contacts c ON c.contact_id = i.contact_id WHERE c.email = $1";
    let undeliverable = "SELECT undeliverable_at FROM contacts WHERE email = $1";
    let unsubscribed = "SELECT unsubscribed_at FROM contacts WHERE email = $1";
    assert!(column(&app, bounced, "gone@example.com").await.is_some());
    assert!(column(&app, undeliverable, "gone@example.com")
        .await
        .is_some());
    assert!(column(&app, unsubscribed, "complainer@example.com")
        .await
        .is_some());
    assert!(column(&app, unsubscribed, "leaver@example.com")
        .await
        .is_some());
    for email in [
        "slow@example.com",
        "complainer@example.com",
        "leaver@example.com",
    ] {
        assert!(column(&app, bounced, email).await.is_none(), "{email}");
        assert!(
            column(&app, undeliverable, email).await.is_none(),
            "{email}"
        );
    }
    assert!(column(&app, unsubscribed, "slow@example.com")
        .await
        .is_none());
    assert!(column(&app, unsubscribed, "gone@example.com")
        .await
        .is_none());

    let (status, body) = app.call("get_mail_setup", &[]).await;
    assert!(status.is_success(), "{status}: {body}");
    let setup: serde_json::Value = serde_json::from_str(&body).unwrap();
    let counts: BTreeMap<String, i64> = setup["intake"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_i64().unwrap(),
            )
        })
        .collect();
    for (outcome, n) in [
        ("Bounced", 1),
        ("Delayed", 1),
        ("Complained", 1),
        ("Unsubscribed", 1),
        ("Unmatched", 0),
        ("Unreadable", 1),
    ] {
        assert_eq!(counts[outcome], n, "{outcome} in {counts:?}");
    }
    assert!(setup["intake"]["last_poll"]["error"].is_null(), "{setup}");
    // Nothing is lost: the inbox is empty, the unreadable one waits for a person.
    assert_eq!(imap.count("INBOX").await, 0);
    assert_eq!(imap.count("Soundings-processed").await, 4);
    assert_eq!(
        imap.subjects("Soundings-unreadable").await,
        ["Out of office"]
    );
    let page = app.get("/mail-delivery").await.text().await.unwrap();
    assert!(
        page.contains("bounces+&lt;message id&gt;@example.org")
            || page.contains("bounces+<message id>@example.org"),
        "{page}"
    );
    assert!(page.contains("Unreadable (kept for you)"), "{page}");
}

/// The attack: someone who knows a message's return path (it is in the headers of every
/// copy, forwarded ones too) mails "unsubscribe" from their own address, or the person's
/// address is forged on a mail without the message's return path. Neither unsubscribes.
async fn a_forged_or_forwarded_unsubscribe_mail_unsubscribes_no_one(backend: Backend) {
    let (sink, imap) = (MailSink::start(), ImapServer::start());
    let app = app_with_mailbox(backend, &sink, &imap).await;
    let ids = invite(&app, &sink, &["ada@example.com"]).await;
    let ada = &ids["ada@example.com"];

    imap.append(&unsubscribe_mail(
        "mallory@evil.example",
        &format!("bounces+{ada}@example.org"),
    ))
    .await;
    imap.append(&unsubscribe_mail(
        "Ada <ada@example.com>",
        "bounces@example.org",
    ))
    .await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM mail_intake WHERE outcome = 'unmatched'",
        2,
    )
    .await;
    let unsubscribed = "SELECT unsubscribed_at FROM contacts WHERE email = $1";
    assert!(column(&app, unsubscribed, "ada@example.com")
        .await
        .is_none());

    // Ada herself, through the message's own address, is heard.
    imap.append(&unsubscribe_mail(
        "Ada <ADA@example.com>",
        &format!("bounces+{ada}@example.org"),
    ))
    .await;
    app.wait_for_count(
        "SELECT COUNT(*) FROM mail_intake WHERE outcome = 'unsubscribed'",
        1,
    )
    .await;
    assert!(column(&app, unsubscribed, "ada@example.com")
        .await
        .is_some());
}

async fn two_instances_reading_one_mailbox_take_in_each_message_once(backend: Backend) {
    let (sink, imap) = (MailSink::start(), ImapServer::start());
    let settings = bounce_settings(&imap);
    let first = app_with_mailbox(backend, &sink, &imap).await;
    let second = first
        .spawn_sharing_configured(Some(sink.smtp_url()), &settings)
        .await;
    // Both have polled the empty mailbox and wait a second: what arrives now, both see.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    const N: i64 = 120;
    for n in 0..N {
        imap.append(&format!(
            "From: someone@example.net\r\nTo: bounces@example.org\r\nSubject: Note {n}\r\n\r\nNothing to see.\r\n"
        ))
        .await;
    }
    first
        .wait_for_count("SELECT COUNT(*) FROM mail_intake WHERE status = 'done'", N)
        .await;
    assert_eq!(
        first
            .count("SELECT COUNT(*) FROM mail_intake WHERE attempts <> 1")
            .await,
        0,
        "no message was claimed twice"
    );
    for _ in 0..100 {
        if imap.count("INBOX").await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(imap.count("INBOX").await, 0);
    assert_eq!(
        imap.count("Soundings-unreadable").await,
        N as u32,
        "each kept once"
    );
    drop(second);
}

async fn a_mailbox_that_cannot_be_read_shows_as_failing_on_the_delivery_page(backend: Backend) {
    let sink = MailSink::start();
    let closed = crate::helpers::free_port();
    let app = TestApp::spawn_configured(
        backend,
        Some(sink.smtp_url()),
        &[
            ("BOUNCE_ADDRESS", "bounces@example.org".into()),
            (
                "BOUNCE_IMAP_URL",
                format!("imap://bounces:secret@127.0.0.1:{closed}/INBOX"),
            ),
            ("BOUNCE_POLL_SECONDS", "1".into()),
        ],
    )
    .await;
    app.set_up_admin().await;
    for _ in 0..100 {
        let (_, body) = app.call("get_mail_setup", &[]).await;
        let setup: serde_json::Value = serde_json::from_str(&body).unwrap();
        if let Some(error) = setup["intake"]["last_poll"]["error"].as_str() {
            assert!(error.contains("could not connect"), "{error}");
            assert!(!error.contains("secret"), "no password in {error}");
            let page = app.get("/mail-delivery").await.text().await.unwrap();
            assert!(page.contains("failed: could not connect"), "{page}");
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the failed poll never showed");
}

with_each_backend!(
    a_mailbox_that_cannot_be_read_shows_as_failing_on_the_delivery_page,
    reports_are_acted_on_within_one_poll_and_the_unreadable_is_kept,
    a_forged_or_forwarded_unsubscribe_mail_unsubscribes_no_one,
    two_instances_reading_one_mailbox_take_in_each_message_once,
);
