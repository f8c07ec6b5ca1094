//! `MailSink`: a real SMTP server for the tests, with the messages it received and faults to inject.
//!
//! It runs `server/tests/smtp_sink.py` (Python's aiosmtpd, installed by `bin/setup`) as a child
//! process on a free port, in a temporary folder where each accepted message lands as a file.
//! Tests point the app at [`MailSink::smtp_url`], then read what arrived with
//! [`MailSink::wait_for`] and check it through [`ReceivedMail`].
use mailparse::{DispositionType, MailHeaderMap, ParsedMail};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

/// Where the server script is when this file is compiled into the server's test binary.
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");

/// The script's exit code when the port is taken (EX_TEMPFAIL): worth retrying.
const PORT_TAKEN: i32 = 75;

/// How long a starting server may take to print its port: a busy 2-core machine is slow.
const START_TIMEOUT: Duration = Duration::from_secs(20);

/// A running test SMTP server, its port and the folder holding what it received.
///
/// Dropping it kills the server and deletes the folder.
pub struct MailSink {
    child: Option<Child>,
    port: u16,
    rules: Mutex<Rules>,
    dir: tempfile::TempDir,
}

/// The faults the server injects, mirrored in its `rules.json`.
#[derive(Default)]
struct Rules {
    rcpt: BTreeMap<String, String>,
    data: Option<String>,
    delay_ms: u64,
    xoauth2: Option<serde_json::Value>,
}

impl MailSink {
    /// Starts a server on a free port with an empty mailbox and no faults.
    ///
    /// Panics, saying to run `bin/setup`, when python3 or aiosmtpd is missing.
    pub fn start() -> MailSink {
        let dir = tempfile::tempdir().expect("a temporary folder for the mail sink");
        let (child, port) = match spawn(dir.path(), 0) {
            Ok(started) => started,
            Err(why) => panic!("the test SMTP server did not start: {why}"),
        };
        MailSink {
            child: Some(child),
            port,
            rules: Mutex::new(Rules::default()),
            dir,
        }
    }

    /// The port the server listens on, on 127.0.0.1; it stays the same across restarts.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A URL for `AsyncSmtpTransport::from_url`: plain SMTP, no TLS, no authentication.
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, oldest first, including those from before a restart.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let mut numbered: Vec<(u64, PathBuf)> = std::fs::read_dir(self.dir.path())
            .expect("the mail sink's folder is readable")
            .filter_map(|entry| {
                let path = entry.ok()?.path();
                let number = path
                    .file_name()?
                    .to_str()?
                    .strip_suffix(".eml")?
                    .parse()
                    .ok()?;
                Some((number, path))
            })
            .collect();
        numbered.sort();
        numbered
            .into_iter()
            .map(|(_, eml)| ReceivedMail::read(&eml))
            .collect()
    }

    /// Waits until at least `count` messages have arrived and returns them all.
    ///
    /// Panics after 15 seconds, saying how many did arrive.
    pub async fn wait_for(&self, count: usize) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if Instant::now() > deadline {
                panic!(
                    "waited 15 s for {count} message(s), {} arrived",
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Makes the server answer `reply` (e.g. `"550 5.1.1 No such user"`) to `RCPT TO` for
    /// `address`, whatever its case, until the rules are cleared.
    /// Requires AUTH XOAUTH2 as `user` with one of `tokens` before any message.
    pub fn require_xoauth2(&self, user: &str, tokens: &[&str]) {
        self.change_rules(|rules| {
            rules.xoauth2 = Some(serde_json::json!({"user": user, "tokens": tokens}));
        });
    }

    pub fn set_rcpt_reply(&self, address: &str, reply: &str) {
        self.change_rules(|rules| {
            rules.rcpt.insert(address.to_lowercase(), reply.to_string());
        });
    }

    /// Makes the server answer `reply` (e.g. `"421 4.3.0 closing"`) to every message once its
    /// content is sent, so that none is stored; `None` accepts messages again.
    pub fn set_data_reply(&self, reply: Option<&str>) {
        self.change_rules(|rules| rules.data = reply.map(str::to_string));
    }

    /// Makes the server wait `ms` milliseconds before answering each message's content; a
    /// message whose sender disconnects meanwhile is not stored. 0 removes the delay.
    pub fn set_data_delay_ms(&self, ms: u64) {
        self.change_rules(|rules| rules.delay_ms = ms);
    }

    /// Removes every injected fault: the server accepts everything again, at once.
    pub fn clear_rules(&self) {
        self.change_rules(|rules| *rules = Rules::default());
    }

    /// Kills the server (SIGKILL) and waits for it to exit, which frees its port.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // It may have died already; either way it is gone once wait returns.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again, on the same port and folder, keeping messages and rules.
    ///
    /// Retries for 5 seconds while the port is still taken.
    pub fn restart(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match spawn(self.dir.path(), self.port) {
                Ok((child, _)) => {
                    self.child = Some(child);
                    return;
                }
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(why) => panic!("the test SMTP server did not restart: {why}"),
            }
        }
    }

    /// Applies `change` and rewrites `rules.json` in one rename, so the server never reads half.
    fn change_rules(&self, change: impl FnOnce(&mut Rules)) {
        let mut rules = self.rules.lock().unwrap();
        change(&mut rules);
        let json = serde_json::json!({
            "rcpt": rules.rcpt,
            "data": rules.data,
            "xoauth2": rules.xoauth2,
            "delay_ms": rules.delay_ms,
        });
        let temporary = self.dir.path().join(".rules.json.tmp");
        std::fs::write(&temporary, json.to_string()).expect("rules.json.tmp is writable");
        std::fs::rename(&temporary, self.dir.path().join("rules.json"))
            .expect("rules.json is replaceable");
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The script's path: `SMTP_SINK_SCRIPT` when set (for a crate other than `server` that
/// includes this file), otherwise `server/tests/smtp_sink.py`.
fn script() -> PathBuf {
    std::env::var_os("SMTP_SINK_SCRIPT")
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from(SCRIPT), PathBuf::from)
}

/// Runs the script on `port` (0: any) and returns it with its port once it listens.
///
/// An `Err` means the port was taken (worth retrying); any other failure panics.
fn spawn(dir: &Path, port: u16) -> Result<(Child, u16), String> {
    let script = script();
    let mut child = Command::new("python3")
        .arg(&script)
        .arg("--dir")
        .arg(dir)
        .arg("--port")
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run python3 for the test SMTP server ({e}): run bin/setup")
        });
    // The first line is read on a thread so that a silent child cannot hang the test.
    let mut stdout = BufReader::new(child.stdout.take().expect("a piped stdout"));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = stdout.read_line(&mut line);
        let _ = sender.send(line);
    });
    let mut stderr = child.stderr.take().expect("a piped stderr");
    let line = receiver.recv_timeout(START_TIMEOUT).unwrap_or_else(|_| {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "{} printed nothing within {START_TIMEOUT:?}",
            script.display()
        )
    });
    if let Some(listening) = line.trim().strip_prefix("LISTENING ") {
        let port = listening.parse().expect("LISTENING is followed by a port");
        // Its later complaints (a handler error, say) show in the test's output.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("smtp_sink.py: {line}");
            }
        });
        return Ok((child, port));
    }
    let status = child.wait().expect("the exit status of smtp_sink.py");
    let mut complaint = String::new();
    let _ = stderr.read_to_string(&mut complaint);
    match status.code() {
        Some(PORT_TAKEN) => Err(complaint),
        Some(3) => {
            panic!("aiosmtpd is missing for the test SMTP server: run bin/setup\n{complaint}")
        }
        _ => panic!(
            "{} exited ({status}) before listening:\n{complaint}",
            script.display()
        ),
    }
}

/// One message as the server received it: its envelope and its raw bytes.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The accepted `RCPT TO` addresses, in the order sent.
    pub rcpt_to: Vec<String>,
    /// The `MAIL FROM` address (empty for a null sender).
    pub mail_from: String,
    /// The access token the client logged in with (AUTH XOAUTH2), if it did.
    pub auth_token: Option<String>,
    /// The message exactly as sent after `DATA`, CRLF line endings included (read as UTF-8,
    /// with any invalid byte replaced).
    pub raw: String,
}

impl ReceivedMail {
    /// Reads `<seq>.eml` and the `<seq>.json` envelope written before it.
    fn read(eml: &Path) -> ReceivedMail {
        let raw = std::fs::read(eml).expect("a received message is readable");
        let envelope: serde_json::Value = serde_json::from_slice(
            &std::fs::read(eml.with_extension("json")).expect("its envelope is readable"),
        )
        .expect("its envelope is JSON");
        ReceivedMail {
            rcpt_to: envelope["rcpt_tos"]
                .as_array()
                .expect("rcpt_tos is a list")
                .iter()
                .map(|address| address.as_str().unwrap_or_default().to_string())
                .collect(),
            mail_from: envelope["mail_from"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            auth_token: envelope["auth"]["token"].as_str().map(str::to_string),
            raw: String::from_utf8_lossy(&raw).into_owned(),
        }
    }

    /// The first top-level header called `name` (any case), unfolded and RFC 2047-decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.parsed().headers.get_first_value(name)
    }

    /// Every top-level header called `name` (any case), in order, decoded like [`Self::header`].
    pub fn headers(&self, name: &str) -> Vec<String> {
        self.parsed().headers.get_all_values(name)
    }

    /// The names of all top-level headers in order, as written: to check none was injected.
    pub fn header_names(&self) -> Vec<String> {
        self.parsed().headers.iter().map(|h| h.get_key()).collect()
    }

    /// The first text/plain part that is not an attachment, decoded, with `\n` line endings.
    ///
    /// Panics if there is none.
    pub fn text_body(&self) -> String {
        self.body_of("text/plain")
    }

    /// The first text/html part that is not an attachment, decoded, with `\n` line endings.
    ///
    /// Panics if there is none.
    pub fn html_body(&self) -> String {
        self.body_of("text/html")
    }

    /// The MIME tree flattened depth first, e.g.
    /// `["multipart/alternative", "text/plain", "text/html"]`.
    pub fn content_types(&self) -> Vec<String> {
        self.parsed()
            .parts()
            .map(|part| part.ctype.mimetype.clone())
            .collect()
    }

    /// Every http(s) URL in the text body, in order, without trailing punctuation.
    pub fn links(&self) -> Vec<String> {
        let body = self.text_body();
        let mut links = Vec::new();
        let mut rest = body.as_str();
        while let Some(start) = rest
            .find("http://")
            .into_iter()
            .chain(rest.find("https://"))
            .min()
        {
            let candidate = &rest[start..];
            let end = candidate
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\''))
                .unwrap_or(candidate.len());
            let link = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']']);
            links.push(link.to_string());
            rest = &candidate[end..];
        }
        links
    }

    fn parsed(&self) -> ParsedMail<'_> {
        mailparse::parse_mail(self.raw.as_bytes())
            .unwrap_or_else(|e| panic!("a received message does not parse ({e}):\n{}", self.raw))
    }

    fn body_of(&self, mimetype: &str) -> String {
        let mail = self.parsed();
        let part = mail
            .parts()
            .find(|part| {
                part.ctype.mimetype == mimetype
                    && part.get_content_disposition().disposition != DispositionType::Attachment
            })
            .unwrap_or_else(|| {
                panic!(
                    "no {mimetype} part in a message of {:?}",
                    self.content_types()
                )
            });
        let body = part
            .get_body()
            .unwrap_or_else(|e| panic!("the {mimetype} part does not decode: {e}"));
        body.replace("\r\n", "\n")
    }
}

mod tests {
    //! The sink against lettre, configured as the app configures it.
    use super::MailSink;
    use lettre::message::MultiPart;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    use std::time::Duration;

    type Transport = AsyncSmtpTransport<Tokio1Executor>;

    /// As long as a real personal token, so quoted-printable must wrap the link's line.
    const TOKEN: &str = "q8Zr3Xw0bN1cVd7Hj5KpLm2Ts9Ue4Fy6Ga0Ri8Oo1Wh";

    fn transport(sink: &MailSink) -> Transport {
        Transport::from_url(&sink.smtp_url()).unwrap().build()
    }

    fn invitation(to: &str) -> Message {
        Message::builder()
            .from("Soundings <noreply@soundings.test>".parse().unwrap())
            .to(to.parse().unwrap())
            .subject("Café survey")
            .multipart(MultiPart::alternative_plain_html(
                format!("Hello Zoë,\nAnswer at https://soundings.test/r/{TOKEN}.\n"),
                format!(
                    "<p>Hello Zoë, <a href=\"https://soundings.test/r/{TOKEN}\">answer</a></p>"
                ),
            ))
            .unwrap()
    }

    #[tokio::test]
    async fn a_multipart_message_is_received_with_its_headers_and_both_bodies() {
        let sink = MailSink::start();
        let lettre = Transport::builder_dangerous("127.0.0.1")
            .port(sink.port())
            .build();

        lettre
            .send(invitation("Zoë Example <zoe@example.org>"))
            .await
            .unwrap();

        let mail = sink.wait_for(1).await.remove(0);
        assert_eq!(mail.mail_from, "noreply@soundings.test");
        assert_eq!(mail.rcpt_to, ["zoe@example.org"]);
        assert_eq!(mail.header("subject").as_deref(), Some("Café survey"));
        assert_eq!(mail.headers("To"), ["Zoë Example <zoe@example.org>"]);
        assert!(mail.header("X-Mailer").is_none());
        let names = mail.header_names();
        for name in [
            "From",
            "To",
            "Subject",
            "MIME-Version",
            "Date",
            "Content-Type",
        ] {
            assert_eq!(
                names.iter().filter(|n| *n == name).count(),
                1,
                "{name} in {names:?}"
            );
        }
        assert_eq!(
            mail.content_types(),
            ["multipart/alternative", "text/plain", "text/html"]
        );
        assert_eq!(
            mail.text_body(),
            format!("Hello Zoë,\nAnswer at https://soundings.test/r/{TOKEN}.\n")
        );
        assert!(mail.html_body().contains("<p>Hello Zoë, <a href="));
        assert_eq!(mail.links(), [format!("https://soundings.test/r/{TOKEN}")]);
        assert!(mail.raw.contains("\r\n"), "the raw message keeps CRLF");
    }

    #[tokio::test]
    async fn a_451_rcpt_reply_is_a_transient_error_and_a_550_a_permanent_one() {
        let sink = MailSink::start();
        sink.set_rcpt_reply("Later@Example.org", "451 4.3.0 Try again later");
        sink.set_rcpt_reply("gone@example.org", "550 5.1.1 No such user");

        let later = transport(&sink).send(invitation("later@example.org")).await;
        let gone = transport(&sink).send(invitation("gone@example.org")).await;

        let later = later.unwrap_err();
        assert!(later.is_transient(), "{later}");
        let gone = gone.unwrap_err();
        assert!(gone.is_permanent(), "{gone}");
        assert!(gone.to_string().contains("No such user"), "{gone}");
        assert!(sink.messages().is_empty());

        sink.clear_rules();
        transport(&sink)
            .send(invitation("later@example.org"))
            .await
            .unwrap();
        assert_eq!(sink.messages()[0].rcpt_to, ["later@example.org"]);
    }

    #[tokio::test]
    async fn a_data_reply_refuses_every_message_until_it_is_removed() {
        let sink = MailSink::start();

        sink.set_data_reply(Some("421 4.3.0 closing"));
        let closing = transport(&sink).send(invitation("zoe@example.org")).await;
        sink.set_data_reply(Some("554 5.6.0 Rejected"));
        let rejected = transport(&sink).send(invitation("zoe@example.org")).await;
        sink.set_data_reply(None);
        transport(&sink)
            .send(invitation("zoe@example.org"))
            .await
            .unwrap();

        assert!(closing.unwrap_err().is_transient());
        assert!(rejected.unwrap_err().is_permanent());
        assert_eq!(sink.wait_for(1).await.len(), 1);
    }

    #[tokio::test]
    async fn a_message_is_stored_only_when_the_delayed_data_reply_is_sent() {
        let sink = MailSink::start();
        sink.set_data_delay_ms(1000);
        let lettre = transport(&sink);

        let sending = tokio::spawn(async move { lettre.send(invitation("zoe@example.org")).await });
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(sink.messages().is_empty(), "stored before the reply");

        sending.await.unwrap().unwrap();
        assert_eq!(sink.messages().len(), 1);
    }

    #[tokio::test]
    async fn a_server_killed_during_the_delay_stores_nothing_and_the_sender_gets_an_error() {
        let mut sink = MailSink::start();
        sink.set_data_delay_ms(5000);
        let lettre = transport(&sink);

        let sending = tokio::spawn(async move { lettre.send(invitation("zoe@example.org")).await });
        tokio::time::sleep(Duration::from_millis(400)).await;
        sink.stop();

        let error = sending.await.unwrap().unwrap_err();
        assert!(!error.is_transient() && !error.is_permanent(), "{error}");
        sink.restart();
        assert!(sink.messages().is_empty());
    }

    #[tokio::test]
    async fn a_stopped_sink_refuses_connections_and_a_restarted_one_keeps_its_port_and_mail() {
        let mut sink = MailSink::start();
        let port = sink.port();
        transport(&sink)
            .send(invitation("first@example.org"))
            .await
            .unwrap();

        sink.stop();
        let refused = transport(&sink)
            .send(invitation("second@example.org"))
            .await;
        sink.restart();
        transport(&sink)
            .send(invitation("second@example.org"))
            .await
            .unwrap();

        let refused = refused.unwrap_err();
        assert!(
            refused.to_string().starts_with("Connection error"),
            "{refused}"
        );
        assert_eq!(sink.port(), port);
        let received: Vec<_> = sink
            .wait_for(2)
            .await
            .into_iter()
            .map(|m| m.rcpt_to)
            .collect();
        assert_eq!(received, [["first@example.org"], ["second@example.org"]]);
    }
}
