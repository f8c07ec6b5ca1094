//! `ImapServer`: a real Dovecot (Debian's dovecot-imapd, installed by `bin/setup --test`)
//! for the bounce mailbox tests, started in the foreground with a configuration of its own
//! in a temporary folder, on a free port, with one user and Maildir storage.
use futures::TryStreamExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "bounces";
pub const PASSWORD: &str = "bounce-mailbox-pass";

pub struct ImapServer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn config(dir: &Path, port: u16) -> String {
    let d = dir.display();
    // Mail is stored as `nobody`: Dovecot refuses to store mail as root.
    format!(
        "base_dir = {d}/run\n\
         state_dir = {d}/state\n\
         instance_name = soundings-test-{port}\n\
         log_path = {d}/dovecot.log\n\
         protocols = imap\n\
         listen = 127.0.0.1\n\
         ssl = no\n\
         disable_plaintext_auth = no\n\
         auth_mechanisms = plain login\n\
         first_valid_uid = 1\n\
         passdb {{\n  driver = passwd-file\n  args = {d}/passwd\n}}\n\
         userdb {{\n  driver = static\n  args = uid=nobody gid=nogroup home={d}/home/%u\n}}\n\
         mail_location = maildir:~/Maildir\n\
         service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n  chroot =\n}}\n\
         service anvil {{\n  chroot =\n}}\n"
    )
}

impl ImapServer {
    /// Starts Dovecot on a free port. Panics, saying to run `bin/setup --test`, without it.
    pub fn start() -> ImapServer {
        for _ in 0..5 {
            let port = crate::helpers::free_port();
            let dir = tempfile::tempdir().expect("a temporary folder");
            for sub in ["run", "state", "home"] {
                std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            }
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(
                dir.path().join("home"),
                std::fs::Permissions::from_mode(0o1777),
            )
            .unwrap();
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
            std::fs::write(
                dir.path().join("passwd"),
                format!("{USER}:{{PLAIN}}{PASSWORD}\n"),
            )
            .unwrap();
            let conf = dir.path().join("dovecot.conf");
            std::fs::write(&conf, config(dir.path(), port)).unwrap();
            let child = Command::new("dovecot")
                .arg("-F")
                .arg("-c")
                .arg(&conf)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("Dovecot runs (bin/setup --test installs dovecot-imapd)");
            let mut server = ImapServer {
                child,
                port,
                _dir: dir,
            };
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(20) {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return server;
                }
                if let Ok(Some(_)) = server.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = server.child.kill();
        }
        panic!("Dovecot did not start (bin/setup --test installs dovecot-imapd)");
    }

    /// BOUNCE_IMAP_URL for the app: plain IMAP on this machine.
    pub fn url(&self) -> String {
        format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX", self.port)
    }

    async fn session(&self) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        client.login(USER, PASSWORD).await.map_err(|e| e.0).unwrap()
    }

    /// Delivers a raw message into the inbox, as the mail server would.
    pub async fn append(&self, raw: &str) {
        let mut session = self.session().await;
        session
            .append(
                "INBOX",
                None,
                None,
                raw.replace("\r\n", "\n").replace('\n', "\r\n"),
            )
            .await
            .unwrap();
        session.logout().await.ok();
    }

    /// How many messages `folder` holds (0 when it does not exist).
    pub async fn count(&self, folder: &str) -> u32 {
        let mut session = self.session().await;
        let count = match session.examine(folder).await {
            Ok(mailbox) => mailbox.exists,
            Err(_) => 0,
        };
        session.logout().await.ok();
        count
    }

    /// The Subject of every message in `folder`.
    pub async fn subjects(&self, folder: &str) -> Vec<String> {
        let mut session = self.session().await;
        if session.examine(folder).await.is_err() {
            return Vec::new();
        }
        let fetched: Vec<_> = session
            .fetch("1:*", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap_or_default();
        let subjects = fetched
            .iter()
            .filter_map(|f| f.header())
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches("Subject:")
                    .trim()
                    .to_string()
            })
            .collect();
        session.logout().await.ok();
        subjects
    }
}
