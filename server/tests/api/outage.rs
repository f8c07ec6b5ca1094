//! PostgreSQL going away under load, through a TCP proxy the test can cut: while the
//! database is unreachable the app answers 503, and it recovers by itself once it is back,
//! with every acknowledged answer kept.
use crate::faults::assert_each_kept_once;
use crate::helpers::{path_of, TestApp};
use crate::process::Process;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

/// Forwards connections to PostgreSQL until cut; while cut it drops every connection,
/// open or new, as a database restart does.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    generation: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Proxy {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let (generation, _) = tokio::sync::watch::channel(0);
        let generation = Arc::new(generation);
        let (accepting, cuts) = (up.clone(), generation.clone());
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if accepting.load(Ordering::SeqCst) {
                    tokio::spawn(forward(client, cuts.subscribe()));
                }
            }
        });
        Self {
            port,
            up,
            generation,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

async fn forward(mut client: TcpStream, mut cut: tokio::sync::watch::Receiver<u64>) {
    let Ok(mut server) = TcpStream::connect("127.0.0.1:5432").await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = cut.changed() => {}
    }
}

#[derive(Default)]
struct Tally {
    acknowledged: Vec<String>,
    unavailable: usize,
    other_errors: Vec<u16>,
}

/// PostgreSQL only: the path holds `postgres::`, which `bin/test` skips without a server.
mod postgres {
    use super::*;

    #[tokio::test]
    async fn postgres_down_under_load_gives_503_then_recovers_without_a_restart_and_loses_nothing()
    {
        let app = TestApp::spawn(crate::helpers::Backend::Postgres).await;
        app.set_up_admin().await;
        let survey_id = app.create_survey("Outage").await;
        app.open_survey(&survey_id).await;
        let emails: Vec<String> = (0..600).map(|i| format!("o{i}@example.org")).collect();
        let links: Vec<String> = app
            .add_recipients(&survey_id, &emails.join("\n"))
            .await
            .iter()
            .map(|(_, link)| path_of(link))
            .collect();
        let question_id: String = sqlx::query_scalar("SELECT question_id FROM questions")
            .fetch_one(&app.db)
            .await
            .unwrap();
        app.crash();
        let proxy = Proxy::start().await;
        let through_proxy = app
            .database_url
            .replace(":5432/", &format!(":{}/", proxy.port));
        let site = tempfile::tempdir().unwrap();
        let server = Process::start(&through_proxy, "", site.path()).await;
        let tally = Arc::new(Mutex::new(Tally::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let load = tokio::spawn(answer_slowly(
            server.address.clone(),
            format!("q_{question_id}"),
            links,
            tally.clone(),
            stop.clone(),
        ));
        tokio::time::sleep(Duration::from_millis(700)).await;
        proxy.cut();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let health = reqwest::get(format!("{}/healthz", server.address))
            .await
            .unwrap();
        assert_eq!(health.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
        tokio::time::sleep(Duration::from_secs(6)).await;
        proxy.restore();
        let back = Instant::now();
        while reqwest::get(format!("{}/healthz", server.address))
            .await
            .unwrap()
            .status()
            != 200
        {
            assert!(
                back.elapsed() < Duration::from_secs(15),
                "recovered by itself"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop.store(true, Ordering::SeqCst);
        load.await.unwrap();
        let tally = std::mem::take(&mut *tally.lock().unwrap());
        assert!(tally.unavailable > 0, "answers during the outage got 503");
        assert!(
            tally.other_errors.is_empty(),
            "only 503s: {:?}",
            tally.other_errors
        );
        eprintln!(
            "outage: {} acknowledged, {} answered 503 during it",
            tally.acknowledged.len(),
            tally.unavailable
        );
        let db = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
        assert_each_kept_once(&db, &tally.acknowledged).await;
        assert!(
            tally.acknowledged.len() > 10,
            "answers before and after the outage"
        );
    }
}

/// One client answering through link after link, 20 ms apart, until told to stop.
async fn answer_slowly(
    address: String,
    field: String,
    links: Vec<String>,
    tally: Arc<Mutex<Tally>>,
    stop: Arc<AtomicBool>,
) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    for link in links {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let reply = client
            .post(format!("{address}{link}"))
            .form(&[(field.as_str(), "4")])
            .send()
            .await
            .map(|r| r.status().as_u16());
        {
            let mut tally = tally.lock().unwrap();
            match reply {
                Ok(303) => tally.acknowledged.push(link),
                Ok(503) => tally.unavailable += 1,
                Ok(other) => tally.other_errors.push(other),
                Err(_) => tally.other_errors.push(0),
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
