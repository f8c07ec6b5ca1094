//! The harness's ceiling: the smallest axum server on the same runtime, answering "hello".
//! Every machine-dependent figure in BENCHMARKS.md is also given as a ratio to its rate.
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let addr = std::env::var("BENCH_ADDR").unwrap_or_else(|_| "127.0.0.1:3900".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    // Every path answers, so the scenarios' own request scripts can drive it unchanged.
    let app = axum::Router::new()
        .route("/", get(|| async { "hello" }))
        .fallback(|| async { "hello" });
    axum::serve(listener, app).await?;
    Ok(())
}
