//! Keeps the results page current while it is open and JavaScript runs: the figures are
//! fetched again every few seconds, but not while the tab is hidden or someone is typing
//! in one of its forms (a refresh would reset what they typed). Without JavaScript a
//! reload does the same.
#[cfg(feature = "hydrate")]
use std::time::Duration;

/// How often an open results page asks for fresh figures.
#[cfg(feature = "hydrate")]
const EVERY: Duration = Duration::from_secs(5);

#[cfg(feature = "hydrate")]
pub fn refresh_while_open(refetch: impl Fn() + 'static) {
    use leptos::prelude::{on_cleanup, set_interval_with_handle};
    let tick = move || {
        if visible() && !typing() {
            refetch();
        }
    };
    if let Ok(handle) = set_interval_with_handle(tick, EVERY) {
        on_cleanup(move || handle.clear());
    }
}

#[cfg(not(feature = "hydrate"))]
pub fn refresh_while_open(_refetch: impl Fn() + 'static) {}

#[cfg(feature = "hydrate")]
fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

#[cfg(feature = "hydrate")]
fn visible() -> bool {
    document().is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

#[cfg(feature = "hydrate")]
fn typing() -> bool {
    document()
        .and_then(|d| d.active_element())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}
