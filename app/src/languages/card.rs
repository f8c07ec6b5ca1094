//! The Build step's languages card: which languages the survey offers and what each
//! translation lacks, with the way to the languages page (a plain page outside the
//! bundle, see `pages`).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One language as the card lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageStatus {
    pub code: String,
    /// In English, with its own name: `German (Deutsch)`.
    pub name: String,
    /// Texts its translation lacks; None for the default language.
    pub missing: Option<u32>,
}

#[component]
pub fn LanguagesCard(survey_id: String, languages: Vec<LanguageStatus>) -> impl IntoView {
    let href = format!("/surveys/{survey_id}/languages");
    let several = languages.len() > 1;
    let items = languages
        .into_iter()
        .map(|l| {
            let state = match l.missing {
                None => "the survey's own language".to_string(),
                Some(0) => "translated".to_string(),
                Some(1) => "1 text missing".to_string(),
                Some(n) => format!("{n} texts missing"),
            };
            let warn = l.missing.is_some_and(|n| n > 0);
            view! {
                <li>
                    <strong>{l.name}</strong>": "
                    <span class:badge=warn class:badge-draft=warn>{state}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="languages-title">
            <h2 id="languages-title" class="section-title">"Languages"</h2>
            <ul class="language-list">{items}</ul>
            <a class="button" href=href>{if several { "Edit languages and translations" } else { "Offer other languages" }}</a>
        </section>
    }
}
