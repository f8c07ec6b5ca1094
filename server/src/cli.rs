//! The `soundings` command line: serve (the default) and account management.
use crate::database::connect_and_migrate;
use crate::settings::Settings;
use anyhow::{bail, Context};
use app::auth::{api::parse_new_account, db, model::Role, password};
use app::db::{new_id, now};
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Parser)]
#[command(
    name = "soundings",
    version,
    about = "Customer-satisfaction surveys for product teams"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (what `soundings` does with no command).
    Serve,
    /// Manage team accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenCommand,
    },
    /// Create, open and send surveys.
    Survey {
        #[command(subcommand)]
        action: crate::tasks::SurveyCommand,
    },
    /// Import contacts.
    Contacts {
        #[command(subcommand)]
        action: crate::tasks::ContactsCommand,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        action: crate::tasks::ExportCommand,
    },
    /// Mail delivery set-up.
    Mail {
        #[command(subcommand)]
        action: MailCommand,
    },
    /// Copy the live SQLite database to a new file, consistently, while it serves.
    Backup {
        /// Where to write the copy (a new file).
        path: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Print the DNS TXT records to publish for DKIM_PRIVATE_KEY_FILE's key, with the SPF
    /// and DMARC records the sending domain should have, in zone-file form.
    DkimRecord,
}

/// The zone-file lines `soundings mail dkim-record` prints: each record after a comment
/// saying what it is for.
pub fn dkim_records(settings: &Settings) -> anyhow::Result<String> {
    let envelope = crate::mailer::Envelope::from_settings(&settings.mail)?;
    if envelope.dkim.is_none() {
        bail!(
            "DKIM_PRIVATE_KEY_FILE is not set. Create a key with \
             `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out dkim.pem`, \
             set DKIM_PRIVATE_KEY_FILE=dkim.pem and run this again"
        );
    }
    let mut out = String::new();
    for record in envelope.setup(&settings.mail).records {
        out.push_str(&format!("; {}: {}\n", record.purpose, record.note));
        out.push_str(&record.zone_line());
        out.push('\n');
    }
    Ok(out)
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it (it is shown this once; only its hash is kept).
    Create {
        #[arg(long)]
        name: String,
        /// admin, editor or viewer
        #[arg(long, default_value = "editor")]
        role: String,
        /// Days until it stops working; none when absent.
        #[arg(long)]
        expires_in_days: Option<i64>,
    },
}

/// Creates an API token and returns its secret.
pub async fn create_token(
    settings: &Settings,
    name: &str,
    role: &str,
    expires_in_days: Option<i64>,
) -> anyhow::Result<String> {
    let pool = connect_and_migrate(&settings.database_url, 1).await?;
    let days = expires_in_days.map(|d| d.to_string()).unwrap_or_default();
    let created = app::api::tokens::issue(
        &pool,
        name,
        role,
        &days,
        &app::audit::Actor::CommandLine,
        app::db::now(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    pool.close().await;
    Ok(created.secret)
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a team account. The password is read from SOUNDINGS_PASSWORD or, if that is
    /// unset, from the first line of standard input; never from the command line, where
    /// other users of the machine could see it.
    Create {
        #[arg(long)]
        email: String,
        /// admin, editor or viewer
        #[arg(long, default_value = "editor")]
        role: String,
    },
}

/// Creates an account and returns its id.
pub async fn create_user(
    settings: &Settings,
    email: &str,
    role: &str,
    password: String,
) -> anyhow::Result<String> {
    let role: Role = role.parse().map_err(anyhow::Error::msg)?;
    let (email, password) = parse_new_account(email, password.clone(), &password)
        .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
    let pool = connect_and_migrate(&settings.database_url, 1).await?;
    if db::fetch_user_by_email(&pool, email.as_str())
        .await?
        .is_some()
    {
        bail!("{email} already has an account");
    }
    let hash = password::hash(&settings.app, password.expose().to_string()).await?;
    let user_id = new_id();
    db::insert_user(&pool, &user_id, email.as_str(), &hash, role, now())
        .await
        .context("could not save the account")?;
    pool.close().await;
    Ok(user_id)
}

fn describe(error: &app::error::AppError) -> String {
    match error {
        app::error::AppError::Validation(list) => list
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The password from `SOUNDINGS_PASSWORD`, or else the first line of standard input.
pub fn read_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("SOUNDINGS_PASSWORD") {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Password (at least 12 characters; it will be visible as you type), then Enter:");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("could not read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
