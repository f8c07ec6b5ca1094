//! Command-line tasks that use the app's own code paths (not the HTTP API): create, open
//! and send a survey, import contacts, export responses. Mail they queue goes out through
//! the running server's outbox worker.
use crate::database::connect_and_migrate;
use crate::settings::Settings;
use anyhow::{bail, Context};
use app::audit::Actor;
use app::db::{now, Db};
use app::distribution::contacts::import;
use app::distribution::contacts::use_cases::{apply_import, plan_import};
use app::distribution::sending::release_flow::{start_release_survey, Idempotency};
use app::distribution::sending::use_cases::{send_to_selection, Recipients, SendOut};
use app::error::AppError;
use app::server::Config;
use app::surveys::lifecycle::{self, NewFromTemplate};
use app::ui::{count, format_count};
use clap::{Args, Subcommand};

/// Which contacts a send chooses, as the survey page's chooser does.
#[derive(Debug, Args)]
pub struct Selection {
    /// A tier's name; repeat for several (all tiers when absent).
    #[arg(long = "tier")]
    tiers: Vec<String>,
    #[arg(long)]
    community: Option<String>,
    #[arg(long)]
    tag: Option<String>,
}

impl Selection {
    fn recipients(self, include_recently_surveyed: bool, ignore_window: bool) -> Recipients {
        Recipients {
            tiers: self.tiers,
            community: self.community,
            tag: self.tag,
            include_recently_surveyed,
            ignore_window,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum SurveyCommand {
    /// Create a draft survey from a template; prints its id.
    Create {
        #[arg(long)]
        title: Option<String>,
        /// feature_satisfaction, relationship_nps, effort or blank
        #[arg(long, default_value = "feature_satisfaction")]
        from_template: String,
        /// The release it asks about (created if new); also the default title.
        #[arg(long)]
        release: Option<String>,
        /// The day the release shipped, YYYY-MM-DD.
        #[arg(long)]
        released_on: Option<String>,
    },
    /// The release flow in one step: create from a template, open and send, all or
    /// nothing; prints the survey's id. With --idempotency-key, running it again with the
    /// same key and arguments prints the first run's survey and does nothing more.
    Release {
        /// The release it asks about (created if new); also the default title.
        #[arg(long)]
        release: String,
        /// The day the release shipped, YYYY-MM-DD.
        #[arg(long)]
        released_on: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// feature_satisfaction, relationship_nps, effort or blank
        #[arg(long, default_value = "feature_satisfaction")]
        from_template: String,
        #[command(flatten)]
        selection: Selection,
        /// Any unique string, e.g. the pipeline run's id.
        #[arg(long)]
        idempotency_key: Option<String>,
    },
    /// Open a draft survey, so its links work.
    Open { survey_id: String },
    /// Close an open survey: no more answers, waiting mail withdrawn.
    Close { survey_id: String },
    /// Reopen a closed survey, optionally until a new closing time.
    Reopen {
        survey_id: String,
        /// RFC 3339 (2026-12-10T16:00:00Z) or a local time in TEAM_TIME_ZONE
        /// (2026-12-10T17:00).
        #[arg(long)]
        closes_at: Option<String>,
    },
    /// Invite contacts by tier, community and tag and queue their emails.
    Send {
        survey_id: String,
        #[command(flatten)]
        selection: Selection,
        /// Also invite contacts surveyed within the quiet period.
        #[arg(long)]
        include_recently_surveyed: bool,
        /// Send now, ignoring the survey's sending window.
        #[arg(long)]
        ignore_window: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Import contacts from a CSV file (email, name, community, role, tags): every row is
    /// checked first, and nothing is written unless all pass.
    Import { file: std::path::PathBuf },
    /// Print everything stored about one person as JSON (a GDPR access request).
    Access { email: String },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write a survey's responses to standard output.
    Responses {
        survey_id: String,
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

/// The database and the configuration with the server's secret key, as the server has them.
async fn open(settings: &Settings) -> anyhow::Result<(Db, Config)> {
    let db = connect_and_migrate(&settings.database_url, 2).await?;
    let mut config = settings.app.clone();
    config.secret = crate::secret::load_or_create(&settings.secret)?;
    crate::secret::check_fingerprint(&db, &config.secret).await?;
    Ok((db, config))
}

fn explain(error: AppError) -> anyhow::Error {
    match error {
        AppError::Validation(fields) => anyhow::anyhow!(
            "{}",
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

fn survey_id(text: &str) -> anyhow::Result<app::ids::SurveyId> {
    app::ids::SurveyId::parse(text).map_err(|_| anyhow::anyhow!("“{text}” is not a survey id"))
}

pub async fn survey(settings: &Settings, command: SurveyCommand) -> anyhow::Result<String> {
    let (db, config) = open(settings).await?;
    let out = match command {
        SurveyCommand::Create {
            title,
            from_template,
            release,
            released_on,
        } => {
            let title = title
                .or_else(|| release.clone())
                .context("give --title or --release")?;
            let new = NewFromTemplate::parse(&title, &from_template, release.as_deref())
                .and_then(|new| new.released_on(released_on.as_deref()))
                .map_err(explain)?;
            lifecycle::create_from_template(&db, &new, None, &Actor::CommandLine, now())
                .await
                .map_err(explain)?
                .into()
        }
        SurveyCommand::Open { survey_id: id } => {
            let id = survey_id(&id)?;
            lifecycle::open(&db, &id, &Actor::CommandLine, now())
                .await
                .map_err(explain)?;
            format!("Survey {id} is open.")
        }
        SurveyCommand::Close { survey_id: id } => {
            let id = survey_id(&id)?;
            let withdrawn = lifecycle::close(&db, &id, &Actor::CommandLine, now())
                .await
                .map_err(explain)?;
            format!(
                "Survey {id} is closed; {} withdrawn.",
                count(withdrawn as i64, "waiting message", "waiting messages")
            )
        }
        SurveyCommand::Reopen {
            survey_id: id,
            closes_at,
        } => {
            let id = survey_id(&id)?;
            let closes_at = closes_at
                .map(|text| config.time_zone.parse_api(&text))
                .transpose()
                .map_err(|message| anyhow::anyhow!("--closes-at: {message}"))?;
            lifecycle::reopen(&db, &id, closes_at, &Actor::CommandLine, now())
                .await
                .map_err(explain)?;
            match closes_at {
                Some(at) => format!(
                    "Survey {id} is open again until {}.",
                    config.time_zone.describe(at)
                ),
                None => format!("Survey {id} is open again until closed by hand."),
            }
        }
        SurveyCommand::Send {
            survey_id: id,
            selection,
            include_recently_surveyed,
            ignore_window,
        } => {
            let id = survey_id(&id)?;
            let recipients = selection.recipients(include_recently_surveyed, ignore_window);
            let sent =
                send_to_selection(&db, &config, &id, &recipients, &Actor::CommandLine, now())
                    .await
                    .map_err(explain)?;
            describe_send(&sent)
        }
        SurveyCommand::Release {
            release,
            released_on,
            title,
            from_template,
            selection,
            idempotency_key,
        } => {
            let title = title.unwrap_or_else(|| release.clone());
            // The arguments that make the request, so a key reused for another one is refused.
            let fingerprint =
                format!("cli:{release}|{released_on:?}|{title}|{from_template}|{selection:?}");
            let new = NewFromTemplate::parse(&title, &from_template, Some(&release))
                .and_then(|new| new.released_on(released_on.as_deref()))
                .map_err(explain)?;
            let recipients = selection.recipients(false, false);
            let idempotency = idempotency_key.as_deref().map(|key| Idempotency {
                caller: "cli",
                key,
                fingerprint,
            });
            let started = start_release_survey(
                &db,
                &config,
                &new,
                &recipients,
                idempotency.as_ref(),
                None,
                &Actor::CommandLine,
                now(),
            )
            .await
            .map_err(explain)?;
            let again = if started.replayed {
                " (this key ran before: nothing was done again)"
            } else {
                ""
            };
            format!(
                "Survey {} is open{again}. {}",
                started.survey_id,
                describe_send(&started.sent)
            )
        }
    };
    db.close().await;
    Ok(out)
}

fn describe_send(sent: &SendOut) -> String {
    let left = &sent.left_out;
    format!(
        "{} invited, {} queued; the running server sends them. \
         Left out: {} already invited, {} unsubscribed, {} undeliverable, {} in the \
         quiet period, {} at the 30-day cap.",
        format_count(sent.invited),
        count(sent.queued as i64, "invitation email", "invitation emails"),
        left.already_invited,
        left.unsubscribed,
        left.undeliverable,
        left.quiet,
        left.capped
    )
}

pub async fn contacts(settings: &Settings, command: ContactsCommand) -> anyhow::Result<String> {
    let file = match command {
        ContactsCommand::Import { file } => file,
        ContactsCommand::Access { email } => {
            let email = app::email::EmailAddress::parse(&email).map_err(anyhow::Error::msg)?;
            let (db, _) = open(settings).await?;
            let report = app::distribution::contacts::access::access_report(&db, &email)
                .await
                .map_err(explain)?;
            db.close().await;
            return Ok(serde_json::to_string_pretty(&report)?);
        }
    };
    let bytes =
        std::fs::read(&file).with_context(|| format!("could not read {}", file.display()))?;
    let (db, _) = open(settings).await?;
    let plan = plan_import(&db, &bytes).await.map_err(explain)?;
    if !plan.can_apply() {
        let mut problems: Vec<String> = plan.file_errors.clone();
        problems.extend(plan.rows.iter().filter_map(|row| match &row.outcome {
            import::Outcome::Rejected(why) => {
                Some(format!("line {} ({}): {why}", row.line, row.email))
            }
            _ => None,
        }));
        bail!("nothing was imported:\n  {}", problems.join("\n  "));
    }
    let imported = apply_import(&db, &plan, None, &Actor::CommandLine, now())
        .await
        .map_err(explain)?;
    db.close().await;
    Ok(format!(
        "Imported: {} created, {} updated, {} unchanged.",
        imported.created, imported.updated, imported.unchanged
    ))
}

pub async fn export(settings: &Settings, command: ExportCommand) -> anyhow::Result<Vec<u8>> {
    let ExportCommand::Responses {
        survey_id: id,
        format,
    } = command;
    let id = survey_id(&id)?;
    let (db, _) = open(settings).await?;
    if app::surveys::db::fetch_survey_status(&db, &id)
        .await?
        .is_none()
    {
        bail!("there is no survey {id}");
    }
    let bytes = match format.as_str() {
        "csv" => app::responses::export::to_csv(&db, &id).await?,
        "json" => app::responses::export::to_json(&db, &id).await?,
        other => bail!("“{other}” is not a format; choose csv or json"),
    };
    db.close().await;
    Ok(bytes)
}
