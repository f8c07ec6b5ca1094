//! `PostfixRelay`: a real Postfix (Debian's package, installed by `bin/setup --test`) as
//! the relay between Soundings and the test SMTP server, the way a team usually sends.
//! Each relay is its own Postfix instance: its own configuration, queue and log in a
//! temporary folder, listening on a free port, relaying everything to one next hop.
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct PostfixRelay {
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for PostfixRelay {
    fn drop(&mut self) {
        let _ = Command::new("postfix")
            .arg("-c")
            .arg(self.dir.path().join("conf"))
            .arg("stop")
            .status();
    }
}

fn main_cf(dir: &Path, next_hop: u16) -> String {
    let d = dir.display();
    format!(
        "compatibility_level = 3.6\n\
         queue_directory = {d}/queue\n\
         data_directory = {d}/data\n\
         mail_owner = postfix\n\
         setgid_group = postdrop\n\
         inet_interfaces = 127.0.0.1\n\
         inet_protocols = ipv4\n\
         myhostname = relay.soundings.test\n\
         mydestination =\n\
         relayhost = [127.0.0.1]:{next_hop}\n\
         mynetworks = 127.0.0.0/8\n\
         smtpd_relay_restrictions = permit_mynetworks, reject\n\
         maillog_file = {d}/maillog\n\
         maillog_file_prefixes = {d}\n\
         smtp_tls_security_level = none\n\
         smtpd_tls_security_level = none\n\
         alias_maps =\n\
         alias_database =\n\
         local_recipient_maps =\n\
         # Relay at once, and keep no message waiting between attempts in the tests.\n\
         queue_run_delay = 1s\n\
         minimal_backoff_time = 1s\n\
         maximal_backoff_time = 2s\n"
    )
}

impl PostfixRelay {
    /// Starts a relay that forwards everything to 127.0.0.1:`next_hop`. Panics, saying to
    /// run `bin/setup --test`, without Postfix.
    pub fn start(next_hop: u16) -> PostfixRelay {
        let port = crate::helpers::free_port();
        let dir = tempfile::tempdir().expect("a temporary folder");
        use std::os::unix::fs::PermissionsExt;
        // Postfix's own processes run as the postfix user and must reach the queue.
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let conf = dir.path().join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(dir.path().join("queue")).unwrap();
        let master = std::fs::read_to_string("/etc/postfix/master.cf")
            .expect("Postfix is installed (bin/setup --test installs it)");
        // The smtpd listener on our port instead of port 25, outside any chroot.
        let master: String = master
            .lines()
            .map(|line| {
                if line.starts_with("smtp      inet") {
                    format!("127.0.0.1:{port} inet n - n - - smtpd")
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(conf.join("master.cf"), master + "\n").unwrap();
        std::fs::write(conf.join("main.cf"), main_cf(dir.path(), next_hop)).unwrap();
        let status = Command::new("chown")
            .arg("postfix")
            .arg(dir.path().join("data"))
            .status()
            .expect("chown runs");
        assert!(status.success());
        let status = Command::new("postfix")
            .arg("-c")
            .arg(&conf)
            .arg("start")
            .status()
            .expect("Postfix runs (bin/setup --test installs it)");
        assert!(
            status.success(),
            "Postfix started ({})",
            std::fs::read_to_string(dir.path().join("maillog")).unwrap_or_default()
        );
        let relay = PostfixRelay { port, dir };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return relay;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("Postfix did not listen on {port}: {}", relay.log());
    }

    /// SMTP_URL for the app.
    pub fn smtp_url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// What Postfix logged, for a failing test to show.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("maillog")).unwrap_or_default()
    }
}
