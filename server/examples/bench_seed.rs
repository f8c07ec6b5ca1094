//! Seeds a database for `bench/run`: a monitored survey with INVITED invitations of which
//! ANSWERED have completed a CSAT answer, and an answering survey with FRESH unanswered
//! invitations whose personal-link tokens go to TOKENS_FILE (one per line). Prints the
//! ids the harness needs as `key=value` lines. Uses the app's own token derivation, so the
//! running server accepts the links; rows go in by batched INSERTs, as a seed must be quick.
//!
//! With SEND, it also adds SEND contacts in one community (the first DRAIN of them tagged
//! `drain`) and four open surveys without invitations, for queueing a send (scenario 4)
//! and draining the outbox pooled, unpooled and 32 connections wide (scenario 5), plus an
//! editor API token to start them.
//!
//! Usage: DATABASE_URL=... SECRET_KEY=... cargo run --release --example bench_seed -- \
//!        INVITED ANSWERED FRESH TOKENS_FILE [SEND DRAIN]
use anyhow::Context;
use app::audit::Actor;
use app::db::{new_id, now, Db};
use app::distribution::sending::tokens::{survey_token, unsubscribe_token};
use app::server::Config;
use server::database::connect_and_migrate;
use server::settings::Settings;
use std::io::Write;

/// Rows per INSERT: under SQLite's 32,766 bound parameters with room to spare.
const BATCH: usize = 2000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (invited, answered, fresh, tokens_file, send, drain) = match args.as_slice() {
        [i, a, f, t] => (i, a, f, t, "0", "0"),
        [i, a, f, t, s, d] => (i, a, f, t, s.as_str(), d.as_str()),
        _ => anyhow::bail!("usage: bench_seed INVITED ANSWERED FRESH TOKENS_FILE [SEND DRAIN]"),
    };
    let (invited, answered, fresh): (usize, usize, usize) =
        (invited.parse()?, answered.parse()?, fresh.parse()?);
    let settings = Settings::from_env()?;
    let mut config = settings.app.clone();
    config.secret = server::secret::load_or_create(&settings.secret)?;
    let db = connect_and_migrate(&settings.database_url, 4).await?;

    let monitored = open_survey(&db, "Monitored release").await?;
    let question = first_question(&db, &monitored).await?;
    let ids = invite(&db, &config, &monitored, invited, "m").await?;
    answer(&db, &monitored, &question, &ids[..answered.min(ids.len())]).await?;

    let answering = open_survey(&db, "Answering release").await?;
    let answering_question = first_question(&db, &answering).await?;
    let fresh_ids = invite(&db, &config, &answering, fresh, "a").await?;
    let mut file = std::io::BufWriter::new(std::fs::File::create(tokens_file)?);
    for id in &fresh_ids {
        writeln!(file, "{}", survey_token(&config, id).expose())?;
    }
    file.flush()?;

    let token = app::api::tokens::issue(&db, "bench", "viewer", "", &Actor::CommandLine, now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let (send, drain): (usize, usize) = (send.parse()?, drain.parse()?);
    if send > 0 {
        audience(&db, send, drain).await?;
        for (key, title) in [
            ("send_survey", "Send release"),
            ("drain_pooled_survey", "Drain pooled"),
            ("drain_unpooled_survey", "Drain unpooled"),
            ("drain_wide_survey", "Drain 32 connections"),
        ] {
            println!("{key}={}", open_survey(&db, title).await?);
        }
        let editor = app::api::tokens::issue(
            &db,
            "bench editor",
            "editor",
            "",
            &Actor::CommandLine,
            now(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("editor_token={}", editor.secret);
    }
    println!("monitored_survey={monitored}");
    println!("answering_survey={answering}");
    println!("answering_question={answering_question}");
    println!("api_token={}", token.secret);
    Ok(())
}

async fn open_survey(db: &Db, title: &str) -> anyhow::Result<String> {
    use app::surveys::lifecycle::{self, NewFromTemplate};
    let new =
        NewFromTemplate::parse(title, "blank", Some(title)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let id = lifecycle::create_from_template(db, &new, None, &Actor::CommandLine, now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    lifecycle::open(db, &id, &Actor::CommandLine, now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(id.into())
}

async fn first_question(db: &Db, survey_id: &str) -> anyhow::Result<String> {
    sqlx::query_scalar("SELECT question_id FROM questions WHERE survey_id = $1 ORDER BY position")
        .bind(survey_id)
        .fetch_one(db)
        .await
        .context("the survey has a question")
}

/// `count` contacts, each with a sent invitation to the survey; returns the invitation ids.
async fn invite(
    db: &Db,
    config: &Config,
    survey_id: &str,
    count: usize,
    prefix: &str,
) -> anyhow::Result<Vec<String>> {
    let ids: Vec<String> = (0..count).map(|_| new_id()).collect();
    let at = now();
    for (chunk_no, chunk) in ids.chunks(BATCH).enumerate() {
        let mut tx = db.begin().await?;
        let contacts: Vec<String> = (0..chunk.len())
            .map(|i| {
                format!("('{prefix}-{chunk_no}-{i}', '{prefix}{chunk_no}x{i}@bench.example', {at})")
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO contacts (contact_id, email, created_at) VALUES {}",
            contacts.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        let rows: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let token = survey_token(config, id).hash();
                let unsubscribe = unsubscribe_token(config, id).hash();
                format!(
                    "('{id}', '{survey_id}', '{prefix}-{chunk_no}-{i}', '{}', '{}', {at}, {at}, {at})",
                    token.as_str(),
                    unsubscribe.as_str()
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO invitations (invitation_id, survey_id, contact_id, token_hash, \
             unsubscribe_hash, created_at, queued_at, sent_at) VALUES {}",
            rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(ids)
}

/// A completed response with a CSAT score (1 to 5, spread evenly) for each invitation.
async fn answer(db: &Db, survey_id: &str, question_id: &str, ids: &[String]) -> anyhow::Result<()> {
    let at = now();
    for chunk in ids.chunks(BATCH) {
        let mut tx = db.begin().await?;
        let responses: Vec<String> = chunk
            .iter()
            .map(|id| format!("('r-{id}', '{survey_id}', '{id}', {at}, {at}, 1)"))
            .collect();
        sqlx::query(&format!(
            "INSERT INTO responses (response_id, survey_id, invitation_id, submitted_at, updated_at, completed) VALUES {}",
            responses.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        let answers: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| format!("('r-{id}', '{question_id}', {})", 1 + i % 5))
            .collect();
        sqlx::query(&format!(
            "INSERT INTO answers (response_id, question_id, score) VALUES {}",
            answers.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        let list: Vec<String> = chunk.iter().map(|id| format!("'{id}'")).collect();
        sqlx::query(&format!(
            "UPDATE invitations SET started_at = {at}, completed_at = {at} WHERE invitation_id IN ({})",
            list.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// `count` contacts in one Enterprise community, the first `tagged` of them tagged `drain`.
async fn audience(db: &Db, count: usize, tagged: usize) -> anyhow::Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO communities (community_id, name, name_key, tier_id, created_at) \
         VALUES ('bench-community', 'Bench', 'bench', 'tier-enterprise', $1)",
    )
    .bind(at)
    .execute(db)
    .await?;
    let ids: Vec<usize> = (0..count).collect();
    for chunk in ids.chunks(BATCH) {
        let mut tx = db.begin().await?;
        let rows: Vec<String> = chunk
            .iter()
            .map(|i| format!("('s-{i}', 's{i}@send.example', {at}, 'bench-community')"))
            .collect();
        sqlx::query(&format!(
            "INSERT INTO contacts (contact_id, email, created_at, community_id) VALUES {}",
            rows.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        let tags: Vec<String> = chunk
            .iter()
            .filter(|&&i| i < tagged)
            .map(|i| format!("('s-{i}', 'drain')"))
            .collect();
        if !tags.is_empty() {
            sqlx::query(&format!(
                "INSERT INTO contact_tags (contact_id, tag) VALUES {}",
                tags.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
