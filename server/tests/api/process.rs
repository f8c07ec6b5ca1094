//! `Process`: the real `soundings` binary on a free port, for tests that kill it, signal
//! it or start several at once.
use crate::helpers::TEST_SECRET;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A `soundings serve` process, killed when dropped so a failing test leaves none behind.
pub struct Process {
    child: Child,
    pub address: String,
}

impl Process {
    /// Starts the binary and waits until `/healthz` answers 200.
    pub async fn start(database_url: &str, smtp_url: &str, site: &Path) -> Self {
        let process = Self::spawn(database_url, smtp_url, site, &[]);
        process.wait_until_healthy().await;
        process
    }

    /// Starts the binary with extra settings and returns at once. An empty `smtp_url` leaves
    /// mail in the development mailbox.
    pub fn spawn(database_url: &str, smtp_url: &str, site: &Path, extra: &[(&str, &str)]) -> Self {
        Self::spawn_logging_to(database_url, smtp_url, site, extra, Stdio::inherit())
    }

    /// Starts the binary with its log (standard error) going to `log`.
    pub fn spawn_logging_to(
        database_url: &str,
        smtp_url: &str,
        site: &Path,
        extra: &[(&str, &str)],
        log: Stdio,
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_soundings"));
        command.env_clear();
        if !smtp_url.is_empty() {
            command.env("SMTP_URL", smtp_url);
        }
        let child = command
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SOUNDINGS_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("SECRET_KEY", TEST_SECRET)
            .env("MAIL_FROM", "Product team <product@example.org>")
            // Mail goes at once whatever the day and hour the suite runs.
            .env("DEFAULT_SENDING_WINDOW", "any time")
            .env("LEPTOS_SITE_ROOT", site)
            .env("RUST_LOG", "warn")
            .envs(extra.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the soundings binary starts");
        Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
        }
    }

    pub async fn wait_until_healthy(&self) {
        for _ in 0..300 {
            if let Ok(response) = reqwest::get(format!("{}/healthz", self.address)).await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("soundings did not become healthy within 15 s");
    }

    /// SIGKILL: no shutdown code runs, claims stay taken, connections drop mid-request.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL delivered");
        self.child.wait().expect("the process is reaped");
    }

    /// SIGTERM: what a service manager or a container runtime sends to stop it.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "SIGTERM delivered");
    }

    /// Waits for the process to exit by itself; panics after `limit`.
    pub async fn wait_for_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("the process can be polled") {
                return status;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("soundings did not exit within {limit:?}");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
