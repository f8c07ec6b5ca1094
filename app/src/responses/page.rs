//! The respondent's HTML: one short form, each scale a fieldset with a legend, each problem
//! next to its question and linked from a summary at the top.
use super::answers::{
    field_name, is_visible, other_field_name, Answers, Problem, OTHER, SHOWN_FIELD,
};
use crate::languages::content::{Fallback, PageLanguage, SurveyTexts};
use crate::languages::words::Words;
use crate::server::html::document_in;
use crate::surveys::question::{Question, QuestionKind, Scale};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The small script that saves answers as the person goes (served from `public/`).
pub const AUTOSAVE_SCRIPT: &str = "/respond.js";

/// The tick box "tell me what you do with this", and the hidden field that says the form
/// showed it (so an unticked box can be told from a form without one).
pub const LOOP_FIELD: &str = "tell_me";
const LOOP_SHOWN_FIELD: &str = "tell_me_shown";

/// What a submitted form says about the tick box: `None` when the form did not show it.
pub fn wants_loop(fields: &[(String, String)]) -> Option<bool> {
    fields
        .iter()
        .any(|(name, _)| name == LOOP_SHOWN_FIELD)
        .then(|| {
            fields
                .iter()
                .any(|(name, value)| name == LOOP_FIELD && value == "1")
        })
}

/// What the top of the form tells the person.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    None,
    /// Their answers are saved (shows the survey's thank-you message).
    Saved,
    /// Their answers revealed a follow-up question they have not seen yet.
    FollowUp,
    /// This client sent the public form too often; nothing was stored.
    Throttled,
    /// They followed a one-click answer in the email: selected, not yet stored.
    Preselected,
    /// The database could not take the answers (full disk, restart); nothing was stored.
    NotSaved,
}

/// What the team sees of a person's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeenAs {
    /// With the person's name; changeable through the link until the survey closes.
    Named,
    /// How many answered, never who nor which answers are whose.
    Anonymous,
    /// Neither who answered nor that any one person did (the public link).
    Unknown,
}

/// Everything the survey form shows.
pub struct FormPage<'a> {
    /// Where the form posts: the personal link, or the builder's preview.
    pub action: String,
    /// In the survey's panel inside the team's product: where its close button posts. The
    /// page is then compact: the first question comes first, with no eyebrow or intro.
    pub dismiss: Option<String>,
    /// The survey's texts in the page's language, with those still in the default
    /// language marked (their own `lang` and `dir` on a translated page).
    pub texts: &'a SurveyTexts,
    /// The form's values as submitted, or as stored answers would have submitted them.
    pub values: &'a [(String, String)],
    /// The valid answers among them, which decide which follow-ups are shown.
    pub answers: &'a Answers,
    pub errors: &'a BTreeMap<String, Problem>,
    pub notice: Notice,
    pub answered_before: bool,
    /// What the team will see of these answers, which the page says in one sentence.
    pub seen_as: SeenAs,
    /// Where the autosave script posts, for identified surveys; `None` loads no script.
    pub autosave: Option<String>,
    /// The tick box "tell me what you do with this" and whether it is ticked; `None` (the
    /// public link, the preview) shows none.
    pub loop_choice: Option<bool>,
    /// The page's language (its own words and `<html lang>`) and the switcher's links.
    pub language: &'a PageLanguage,
}

impl FormPage<'_> {
    pub fn render(&self) -> String {
        let words = Words::new(self.language.language);
        let action = self.action.clone();
        let button = words.get(if self.answered_before {
            "update"
        } else {
            "send"
        });
        let (texts, fallback) = (self.texts, &self.texts.fallback);
        let questions = texts
            .questions
            .iter()
            .filter(|q| is_visible(q, self.answers))
            .map(|q| {
                let error = self.errors.get(&q.question_id).map(|p| problem(p, &words));
                question(q, self.values, error, &words, fallback)
            })
            .collect_view();
        let embedded = self.dismiss.is_some();
        let body = view! {
            <main class="respondent" class:embedded=embedded>
                <article class="survey-card">
                    {self.dismiss.clone().map(|action| close_button(action, &words))}
                    {language_switch(self.language, &words)}
                    {(!embedded).then(|| view! { <p class="eyebrow">{words.get("eyebrow")}</p> })}
                    <h1 lang=fallback.lang("title") dir=fallback.dir("title")>{texts.title.clone()}</h1>
                    {(!texts.intro.is_empty() && !embedded).then(|| view! {
                        <p class="intro" lang=fallback.lang("intro") dir=fallback.dir("intro")>{texts.intro.clone()}</p>
                    })}
                    {notice(self.notice, &texts.thank_you, &words, fallback)}
                    {(!self.errors.is_empty()).then(|| error_summary(&texts.questions, self.errors, &words, fallback))}
                    <form method="post" action=action class="stack survey-form" novalidate data-autosave=self.autosave.clone()>
                        {questions}
                        {self.loop_choice.map(|ticked| loop_box(ticked, self.seen_as, &words))}
                        <button type="submit" class="button primary large">{button}</button>
                        <p id="autosave-status" class="hint" role="status" aria-live="polite"
                            data-saving=words.get("autosave-saving") data-saved=words.get("autosave-saved")
                            data-failed=words.get("autosave-failed")></p>
                    </form>
                    <p class="fineprint">{fineprint(self.seen_as, &words)}</p>
                </article>
            </main>
        };
        // The panel needs the script to tell the product's page its height and when it
        // closed; without script it is still a working form in a frame.
        let script = (self.autosave.is_some() || embedded).then_some(AUTOSAVE_SCRIPT);
        let title = format!("{} · Soundings", texts.title);
        document_in(self.language.language, title, body, script)
    }
}

/// The survey's other languages, each named in itself, linked to the same page in it.
fn language_switch(page: &PageLanguage, words: &Words) -> Option<impl IntoView> {
    (!page.switch.is_empty()).then(|| {
        let links = page
            .switch
            .iter()
            .map(|(language, href)| {
                let current = *language == page.language;
                view! {
                    <li>
                        <a href=href.clone() lang=language.code() hreflang=language.code()
                            aria-current=current.then_some("true")>{language.native_name()}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav class="language-switch" aria-label=words.get("language")>
                <ul>{links}</ul>
            </nav>
        }
    })
}

/// A problem with an answer, in the page's language.
fn problem(problem: &Problem, words: &Words) -> String {
    match *problem {
        Problem::ChooseFromScale { low, high } => {
            words.with("problem-choose-from-scale", &[("low", low), ("high", high)])
        }
        Problem::NotOnScale { low, high } => {
            words.with("problem-not-on-scale", &[("low", low), ("high", high)])
        }
        Problem::ChooseAnOption => words.get("problem-choose-option"),
        Problem::NotAnOption => words.get("problem-not-an-option"),
        Problem::WriteOther => words.get("problem-write-other"),
        Problem::WriteAnAnswer => words.get("problem-write-answer"),
        Problem::TooLong { max, chars } => {
            let (max, chars) = (max as i64, chars as i64);
            words.with("problem-too-long", &[("max", max), ("chars", chars)])
        }
    }
}

/// "Tell me what you do with this": one email once the survey has closed. In an
/// anonymous survey the address is kept with the invitation, apart from the answers.
fn loop_box(ticked: bool, seen_as: SeenAs, words: &Words) -> impl IntoView {
    let hint = words.get(match seen_as {
        SeenAs::Anonymous => "loop-hint-anonymous",
        _ => "loop-hint",
    });
    view! {
        <div class="field loop-choice">
            <input type="hidden" name=LOOP_SHOWN_FIELD value="1"/>
            <label class="choice" for="tell_me">
                <input type="checkbox" id="tell_me" name=LOOP_FIELD value="1" checked=ticked aria-describedby="tell_me-hint"/>
                <span>{words.get("loop-label")}</span>
            </label>
            <p class="hint" id="tell_me-hint">{hint}</p>
        </div>
    }
}

/// The panel's close button: a form of its own (forms may not nest), first in the card so
/// it is the first stop for the keyboard. Escape presses it too (`respond.js`).
fn close_button(action: String, words: &Words) -> impl IntoView {
    view! {
        <form method="post" action=action class="panel-close" data-panel-close="">
            <button type="submit" class="button small quiet" aria-label=words.get("close-panel")>
                <span aria-hidden="true">"✕"</span>
            </button>
        </form>
    }
}

/// What the panel shows once closed, for the moment before the product's page removes it,
/// or for good in a frame put there without the script.
pub fn panel_closed(days: i64, language: crate::languages::model::Language) -> String {
    let words = Words::new(language);
    let body = view! {
        <main class="respondent embedded" data-panel-closed="">
            <article class="survey-card">
                <h1>{words.get("closed-heading")}</h1>
                <p role="status">{words.with("closed-text", &[("days", days)])}</p>
            </article>
        </main>
    };
    let title = format!("{} · Soundings", words.get("closed-heading"));
    document_in(language, title, body, Some(AUTOSAVE_SCRIPT))
}

fn fineprint(seen_as: SeenAs, words: &Words) -> String {
    words.get(match seen_as {
        SeenAs::Named => "seen-named",
        SeenAs::Anonymous => "seen-anonymous",
        SeenAs::Unknown => "seen-unknown",
    })
}

fn notice(kind: Notice, thank_you: &str, words: &Words, fallback: &Fallback) -> impl IntoView {
    // The team's own thank-you may still be in the default language.
    let (thanks, lang, dir) = if thank_you.is_empty() {
        (words.get("saved-default"), None, None)
    } else {
        (
            thank_you.to_string(),
            fallback.lang("thank_you"),
            fallback.dir("thank_you"),
        )
    };
    let (lang, dir) = if kind == Notice::Saved {
        (lang, dir)
    } else {
        (None, None)
    };
    // (class, role, strong, rest): the rest follows the strong part after a space.
    let (class, role, strong, rest) = match kind {
        Notice::None => return None,
        Notice::Saved => ("notice notice-success", "status", thanks, "saved-change"),
        Notice::FollowUp => (
            "notice",
            "status",
            words.get("follow-up-strong"),
            "follow-up-text",
        ),
        Notice::Preselected => (
            "notice",
            "status",
            words.get("preselected-strong"),
            "preselected-text",
        ),
        Notice::Throttled => (
            "notice notice-error",
            "alert",
            words.get("throttled-strong"),
            "throttled-text",
        ),
        Notice::NotSaved => (
            "notice notice-error",
            "alert",
            words.get("not-saved-strong"),
            "not-saved-text",
        ),
    };
    let rest = format!(" {}", words.get(rest));
    Some(view! {
        <div class=class role=role>
            <p><strong lang=lang dir=dir>{strong}</strong>{rest}</p>
        </div>
    })
}

fn error_summary(
    questions: &[Question],
    errors: &BTreeMap<String, Problem>,
    words: &Words,
    fallback: &Fallback,
) -> impl IntoView {
    let items = questions
        .iter()
        .filter_map(|q| {
            errors.get(&q.question_id).map(|p| {
                let href = format!("#{}", field_name(&q.question_id));
                let key = format!("q.{}.prompt", q.question_id);
                let (lang, dir) = (fallback.lang(&key), fallback.dir(&key));
                view! { <li><a href=href>{problem(p, words)}</a>" ("<span lang=lang dir=dir>{q.prompt.clone()}</span>")"</li> }
            })
        })
        .collect_view();
    view! {
        <div class="notice notice-error" role="alert" tabindex="-1">
            <p><strong>{words.get("check-answers")}</strong></p>
            <ul>{items}</ul>
        </div>
    }
}

fn submitted<'a>(
    values: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    values
        .iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn question(
    q: &Question,
    values: &[(String, String)],
    error: Option<String>,
    words: &Words,
    fallback: &Fallback,
) -> AnyView {
    let prompt_key = format!("q.{}.prompt", q.question_id);
    let prompt = view! {
        <span lang=fallback.lang(&prompt_key) dir=fallback.dir(&prompt_key)>{q.prompt.clone()}</span>
    };
    let ids = Ids::new(q, error.is_some());
    let shown = view! { <input type="hidden" name=SHOWN_FIELD value=q.question_id.clone()/> };
    let control = match q.kind {
        kind if kind.scale().is_some() => scale(
            q,
            kind.scale().unwrap_or(Scale {
                low: 0,
                high: 0,
                labels: &[],
            }),
            values,
            &ids,
            words,
        )
        .into_any(),
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            choices(q, values, &ids, words, fallback).into_any()
        }
        _ => {
            let text = text(q, values, &ids, error, words, fallback, prompt);
            return view! { {shown} {text} }.into_any();
        }
    };
    view! {
        {shown}
        <fieldset class="question" class:has-error=ids.has_error aria-describedby=ids.described_by()>
            <legend>{prompt}{optional_mark(q, words)}</legend>
            {help(q, &ids, fallback)}
            {error.map(|m| view! { <p class="field-error" id=ids.error.clone()>{m}</p> })}
            {control}
        </fieldset>
    }
    .into_any()
}

/// The ids that tie a question's help and error to its controls.
struct Ids {
    name: String,
    help: Option<String>,
    error: String,
    has_error: bool,
}

impl Ids {
    fn new(q: &Question, has_error: bool) -> Self {
        let name = field_name(&q.question_id);
        Self {
            help: (!q.help.is_empty()).then(|| format!("{name}-help")),
            error: format!("{name}-error"),
            name,
            has_error,
        }
    }

    fn described_by(&self) -> Option<String> {
        let ids: Vec<&str> = self
            .help
            .iter()
            .map(String::as_str)
            .chain(self.has_error.then_some(self.error.as_str()))
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

fn optional_mark(q: &Question, words: &Words) -> Option<impl IntoView> {
    (!q.required)
        .then(|| view! { <span class="optional">{format!(" {}", words.get("optional"))}</span> })
}

fn help(q: &Question, ids: &Ids, fallback: &Fallback) -> Option<impl IntoView> {
    let key = format!("q.{}.help", q.question_id);
    let (lang, dir) = (fallback.lang(&key), fallback.dir(&key));
    ids.help
        .clone()
        .map(|id| view! { <p class="hint" id=id lang=lang dir=dir>{q.help.clone()}</p> })
}

fn scale(
    q: &Question,
    scale: Scale,
    values: &[(String, String)],
    ids: &Ids,
    words: &Words,
) -> impl IntoView {
    // The scale's words in the page's language (English where a language lacks one).
    let label_of = |value: i64, english: &'static str| {
        words
            .find(&format!("scale-{}-{value}", q.kind.as_str()))
            .unwrap_or_else(|| english.to_string())
    };
    let chosen: Option<i64> = submitted(values, &ids.name)
        .last()
        .and_then(|v| v.parse().ok());
    let every_point_labelled = scale.labels.len() as i64 == scale.high - scale.low + 1;
    let points = scale
        .points()
        .enumerate()
        .map(|(i, (value, label))| {
            // The first radio carries the id the error summary links to.
            let id = if i == 0 {
                ids.name.clone()
            } else {
                format!("{}-{value}", ids.name)
            };
            let label_for = id.clone();
            view! {
                <label class="scale-option" for=label_for>
                    <input type="radio" id=id name=ids.name.clone() value=value.to_string()
                        checked=chosen == Some(value) required=q.required/>
                    <span class="scale-value">{value.to_string()}</span>
                    {label.map(|l| view! { <span class="scale-label">{label_of(value, l)}</span> })}
                </label>
            }
        })
        .collect_view();
    let class = if every_point_labelled {
        "scale scale-labelled"
    } else {
        "scale scale-numeric"
    };
    view! {
        <div class=class data-points=(scale.high - scale.low + 1).to_string()>{points}</div>
        {(!every_point_labelled).then(|| view! {
            <p class="scale-ends" aria-hidden="true">
                {scale.labels.iter().map(|(v, l)| view! { <span>{format!("{v} = {}", label_of(*v, l))}</span> }).collect_view()}
            </p>
        })}
    }
}

fn choices(
    q: &Question,
    values: &[(String, String)],
    ids: &Ids,
    words: &Words,
    fallback: &Fallback,
) -> impl IntoView {
    let multiple = q.kind == QuestionKind::MultipleChoice;
    let kind = if multiple { "checkbox" } else { "radio" };
    let picked: Vec<&str> = submitted(values, &ids.name).collect();
    let options = q
        .options
        .iter()
        .enumerate()
        .map(|(i, option)| {
            let id = if i == 0 {
                ids.name.clone()
            } else {
                format!("{}-{i}", ids.name)
            };
            let label_for = id.clone();
            let value = i.to_string();
            let checked = picked.contains(&value.as_str());
            let key = format!("q.{}.option.{i}", q.question_id);
            let (lang, dir) = (fallback.lang(&key), fallback.dir(&key));
            view! {
                <label class="choice" for=label_for>
                    <input type=kind id=id name=ids.name.clone() value=value checked=checked/>
                    <span lang=lang dir=dir>{option.clone()}</span>
                </label>
            }
        })
        .collect_view();
    let other = q.allow_other.then(|| {
        let id = format!("{}-other", ids.name);
        let text_name = other_field_name(&q.question_id);
        let text_value = submitted(values, &text_name).last().unwrap_or_default().to_string();
        let label_for = id.clone();
        view! {
            <div class="choice choice-other">
                <input type=kind id=id name=ids.name.clone() value=OTHER checked=picked.contains(&OTHER)/>
                <label for=label_for>{words.get("other")}</label>
                <input type="text" name=text_name value=text_value maxlength="200" aria-label=words.get("other-specify")/>
            </div>
        }
    });
    view! { <div class="choices">{options}{other}</div> }
}

fn text(
    q: &Question,
    values: &[(String, String)],
    ids: &Ids,
    error: Option<String>,
    words: &Words,
    fallback: &Fallback,
    prompt: impl IntoView + 'static,
) -> impl IntoView {
    let value = submitted(values, &ids.name)
        .last()
        .unwrap_or_default()
        .to_string();
    let max = q.kind.max_text().unwrap_or_default().to_string();
    let control = if q.kind == QuestionKind::LongText {
        view! {
            <textarea id=ids.name.clone() name=ids.name.clone() rows="5" maxlength=max
                aria-invalid=ids.has_error.then_some("true") aria-describedby=ids.described_by()>{crate::ui::textarea_text(&value)}</textarea>
        }
        .into_any()
    } else {
        view! {
            <input type="text" id=ids.name.clone() name=ids.name.clone() value=value maxlength=max
                aria-invalid=ids.has_error.then_some("true") aria-describedby=ids.described_by()/>
        }
        .into_any()
    };
    view! {
        <div class="question field" class:has-error=ids.has_error>
            <label class="question-label" for=ids.name.clone()>{prompt}{optional_mark(q, words)}</label>
            {help(q, ids, fallback)}
            {error.map(|m| view! { <p class="field-error" id=ids.error.clone()>{m}</p> })}
            {control}
        </div>
    }
}

/// A page about a link from an email (unsubscribing, stopping the digest): a heading, where
/// things stand (announced to screen readers), and what can be done about it.
pub fn link_status(
    language: crate::languages::model::Language,
    title: &str,
    text: String,
    action: impl IntoView + 'static,
) -> String {
    let body = view! {
        <main class="respondent">
            <article class="survey-card">
                <p class="eyebrow">"Soundings"</p>
                <h1>{title.to_string()}</h1>
                <p role="status">{text}</p>
                {action}
            </article>
        </main>
    };
    document_in(language, format!("{title} · Soundings"), body, None)
}

/// A page with just a heading and a sentence: unknown links, closed surveys, failures.
pub fn message(title: &str, text: &str) -> String {
    message_in(crate::languages::model::Language::ENGLISH, title, text)
}

/// Like `message`, with the page's own words and `<html lang>` in `language`.
pub fn message_in(language: crate::languages::model::Language, title: &str, text: &str) -> String {
    let words = Words::new(language);
    let body = view! {
        <main class="respondent">
            <article class="survey-card">
                <p class="eyebrow">{words.get("eyebrow")}</p>
                <h1>{title.to_string()}</h1>
                <p>{text.to_string()}</p>
            </article>
        </main>
    };
    document_in(language, format!("{title} · Soundings"), body, None)
}
