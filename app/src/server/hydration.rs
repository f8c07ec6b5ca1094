//! The script that brings a team page to life: Leptos' `HydrationScripts` starts the
//! bundle's download from `<head>` (with preload hints), so on a slow phone the page's
//! first paint waited for the whole WASM bundle about one load in three (Lighthouse's largest
//! contentful paint at 5 s instead of 1 s). This one starts it after the first paint.
use super::assets::built;
use leptos::prelude::*;

const SCRIPT: &str = include_str!("hydrate_after_paint.js");

/// The loader, for the team pages' `<head>`; it carries the page's CSP nonce.
#[component]
pub fn HydrateAfterFirstPaint() -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let (js, wasm) = (built("soundings.js"), built("soundings.wasm"));
    let call = format!("{SCRIPT}(\"{js}\", \"{wasm}\");");
    view! { <script type="module" nonce=nonce>{call}</script> }
}
