//! Soundings: the Leptos application shared by the server (SSR) and the browser (hydration).
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod audit;
pub mod auth;
pub mod community_health;
pub mod distribution;
pub mod email;
pub mod error;
pub mod languages;
pub mod monitoring;
pub mod responses;
pub mod surveys;
pub mod ui;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod ids;
#[cfg(feature = "ssr")]
pub mod local_time;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WASM bundle: attaches interactivity to the server-rendered team pages.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function that redirects (sign-in, sign-out, create) loads the next page in
    // full, so the page's data and the session cookie always agree.
    let _ = leptos::server_fn::redirect::set_redirect_hook(|path: &str| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(path);
        }
    });
    leptos::mount::hydrate_body(app::App);
}
