//! What the mail outbox and the webhook worker share: handling a batch of claimed rows
//! with bounded concurrency, and setting aside those not started once a stop is asked for,
//! so they can be given back instead of waiting for their lease to run out.
use futures::StreamExt;
use std::future::Future;
use std::sync::Mutex;
use tokio::sync::watch;

/// Runs `handle` on each claim, at most `concurrency` at once; returns the claims left
/// unstarted because `stop` turned true.
pub async fn handle_all<C, F, Fut>(
    claims: Vec<C>,
    concurrency: usize,
    stop: &watch::Receiver<bool>,
    handle: F,
) -> Vec<C>
where
    F: Fn(C) -> Fut,
    Fut: Future<Output = ()>,
{
    let skipped = Mutex::new(Vec::new());
    futures::stream::iter(claims)
        .for_each_concurrent(concurrency.max(1), |claim| {
            let skipped = &skipped;
            let handle = &handle;
            async move {
                if *stop.borrow() {
                    if let Ok(mut list) = skipped.lock() {
                        list.push(claim);
                    }
                    return;
                }
                handle(claim).await;
            }
        })
        .await;
    skipped.into_inner().unwrap_or_default()
}
