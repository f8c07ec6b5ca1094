//! The respondent's HTML: one short form, every scale a fieldset with a legend, each
//! problem next to its question and linked from a summary at the top.
use super::answers::{field_name, Answers};
use crate::server::html::document;
use crate::surveys::model::Question;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Everything the survey form shows.
pub struct FormPage<'a> {
    pub token: &'a str,
    pub title: &'a str,
    pub questions: &'a [Question],
    pub values: &'a Answers,
    pub errors: &'a BTreeMap<String, String>,
    pub saved: bool,
    pub answered_before: bool,
}

impl FormPage<'_> {
    pub fn render(&self) -> String {
        let action = format!("/s/{}", self.token);
        let button = if self.answered_before {
            "Update my answers"
        } else {
            "Send my answers"
        };
        let questions = self
            .questions
            .iter()
            .map(|q| {
                question(
                    q,
                    self.values.get(&q.question_id).copied(),
                    self.errors.get(&q.question_id).cloned(),
                )
            })
            .collect_view();
        let body = view! {
            <main class="respondent">
                <article class="survey-card">
                    <p class="eyebrow">"Soundings survey"</p>
                    <h1>{self.title.to_string()}</h1>
                    {self.saved.then(saved_notice)}
                    {(!self.errors.is_empty()).then(|| error_summary(self.questions, self.errors))}
                    <form method="post" action=action class="stack" novalidate>
                        {questions}
                        <button type="submit" class="button primary large">{button}</button>
                    </form>
                    <p class="fineprint">"Your answers go only to the team that invited you. You can change them with this link until the survey closes."</p>
                </article>
            </main>
        };
        document(format!("{} · Soundings", self.title), body)
    }
}

fn saved_notice() -> impl IntoView {
    view! {
        <div class="notice notice-success" role="status">
            <p><strong>"Thank you! Your answers are saved."</strong>" You can change them below until the survey closes."</p>
        </div>
    }
}

fn error_summary(questions: &[Question], errors: &BTreeMap<String, String>) -> impl IntoView {
    let items = questions
        .iter()
        .filter_map(|q| {
            errors.get(&q.question_id).map(|message| {
                let href = format!("#{}", field_name(&q.question_id));
                view! { <li><a href=href>{message.clone()}</a>" ("{q.prompt.clone()}")"</li> }
            })
        })
        .collect_view();
    view! {
        <div class="notice notice-error" role="alert" tabindex="-1">
            <p><strong>"Please check your answers"</strong></p>
            <ul>{items}</ul>
        </div>
    }
}

fn question(q: &Question, value: Option<i64>, error: Option<String>) -> impl IntoView {
    let name = field_name(&q.question_id);
    let error_id = format!("{name}-error");
    let described = error.as_ref().map(|_| error_id.clone());
    let has_error = error.is_some();
    let options = q
        .kind
        .scale()
        .iter()
        .enumerate()
        .map(|(i, (score, label))| {
            // The first radio carries the id the error summary links to.
            let id = if i == 0 {
                name.clone()
            } else {
                format!("{name}-{score}")
            };
            let label_for = id.clone();
            view! {
                <label class="scale-option" for=label_for>
                    <input type="radio" id=id name=name.clone() value=score.to_string()
                        checked=value == Some(*score) required=q.required/>
                    <span class="scale-value">{score.to_string()}</span>
                    <span class="scale-label">{label.to_string()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="question" class:has-error=has_error aria-describedby=described>
            <legend>{q.prompt.clone()}{(!q.required).then(|| view! { <span class="optional">" (optional)"</span> })}</legend>
            {error.map(|m| view! { <p class="field-error" id=error_id>{m}</p> })}
            <div class="scale">{options}</div>
        </fieldset>
    }
}

/// A page with just a heading and a sentence: unknown links, closed surveys, failures.
pub fn message(title: &str, text: &str) -> String {
    let body = view! {
        <main class="respondent">
            <article class="survey-card">
                <p class="eyebrow">"Soundings survey"</p>
                <h1>{title.to_string()}</h1>
                <p>{text.to_string()}</p>
            </article>
        </main>
    };
    document(format!("{title} · Soundings"), body)
}
