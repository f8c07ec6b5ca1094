//! The survey builder: settings, question cards and the live preview.
use super::builder_api::{
    AddQuestion, MoveQuestion, RemoveQuestion, UpdateQuestion, UpdateSurveySettings,
};
use super::model::{Anonymity, SurveyDetail};
use super::question::{Question, QuestionKind, MAX_QUESTIONS, WARN_ABOVE_QUESTIONS};
use crate::error::AppError;
use crate::ui::{FormAction, FormMessage, ServerForm, TextArea, TextField};
use leptos::prelude::*;

/// The builder's actions, shared by its cards so one resource reload follows any of them.
#[derive(Clone, Copy)]
pub struct BuilderActions {
    pub settings: FormAction<UpdateSurveySettings>,
    pub add: FormAction<AddQuestion>,
    pub update: FormAction<UpdateQuestion>,
    pub moves: FormAction<MoveQuestion>,
    pub remove: FormAction<RemoveQuestion>,
}

impl BuilderActions {
    pub fn new() -> Self {
        Self {
            settings: FormAction::new(),
            add: FormAction::new(),
            update: FormAction::new(),
            moves: FormAction::new(),
            remove: FormAction::new(),
        }
    }

    /// Changes whenever any builder action completes.
    pub fn version(&self) -> usize {
        self.settings.version().get()
            + self.add.version().get()
            + self.update.version().get()
            + self.moves.version().get()
            + self.remove.version().get()
    }
}

impl Default for BuilderActions {
    fn default() -> Self {
        Self::new()
    }
}

fn error_of<T, A>(action: FormAction<A>) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    A: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Settings, questions and preview of one survey.
#[component]
pub fn Builder(detail: SurveyDetail, actions: BuilderActions) -> impl IntoView {
    let survey_id = detail.summary.survey_id.clone();
    let count = detail.questions.len();
    let locked = detail.responses > 0;
    let full = count >= MAX_QUESTIONS;
    let preview = format!("/surveys/{survey_id}/preview");
    let list_error = Signal::derive(move || {
        error_of(actions.moves)
            .get()
            .or_else(|| error_of(actions.remove).get())
            .or_else(|| error_of(actions.add).get())
    });
    // Keyed by position and content: a moved or edited question gets fresh inputs instead
    // of inheriting what the browser kept in the inputs at its old place.
    let cards: Vec<(usize, Question)> = detail.questions.iter().cloned().enumerate().collect();
    let all = detail.questions.clone();
    let card_survey_id = survey_id.clone();
    view! {
        <div class="builder">
            <div class="builder-main">
                <SettingsForm detail=detail.clone() action=actions.settings locked/>
                <crate::languages::card::LanguagesCard survey_id=survey_id.clone() languages=detail.languages.clone()/>
                <section aria-labelledby="questions-title">
                    <h2 id="questions-title" class="section-title">{format!("Questions ({count})")}</h2>
                    {locked.then(|| view! {
                        <div class="notice" role="note">
                            {format!("This survey has {}. You can reword questions and options; adding options, changing types or removing questions would change what people answered.", crate::ui::count(detail.responses, "response", "responses"))}
                        </div>
                    })}
                    {(count > WARN_ABOVE_QUESTIONS).then(|| view! {
                        <div class="notice notice-warning" role="note">
                            {format!("{count} questions. Surveys of {WARN_ABOVE_QUESTIONS} or fewer get noticeably more complete answers; {MAX_QUESTIONS} is the limit.")}
                        </div>
                    })}
                    <FormMessage error=list_error fields=&["kind"]/>
                    <ol class="question-cards">
                        <For
                            each=move || cards.clone()
                            key=|(i, q)| (*i, crate::ui::wire::encode(q))
                            children=move |(i, q)| {
                                let earlier = all[..i].to_vec();
                                view! { <QuestionCard survey_id=card_survey_id.clone() question=q number=i + 1 total=count earlier actions locked/> }
                            }
                        />
                    </ol>
                    <AddQuestionForm survey_id=survey_id.clone() action=actions.add full=full/>
                </section>
            </div>
            <aside class="builder-preview" aria-labelledby="preview-title">
                <h2 id="preview-title" class="section-title">"Preview"</h2>
                <p class="hint">"Exactly what a respondent sees. Try it: answers here are checked but not stored."</p>
                <iframe src=preview title="Preview of the respondent's page" class="preview-frame"></iframe>
            </aside>
        </div>
    }
}

#[component]
fn SettingsForm(
    detail: SurveyDetail,
    action: FormAction<UpdateSurveySettings>,
    locked: bool,
) -> impl IntoView {
    let error = error_of(action);
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let release = detail.release.clone();
    let schedule = detail.schedule.clone();
    let zone_hint = format!("In the team's time zone, {}.", schedule.time_zone);
    let anonymous = detail.anonymity == Anonymity::Anonymous;
    view! {
            <details class="card settings" open=detail.summary.status == super::model::SurveyStatus::Draft>
                <summary><h2 class="section-title">"Survey settings"</h2></summary>
                <ServerForm action attr:class="stack">
                    <input type="hidden" name="survey_id" value=detail.summary.survey_id.clone()/>
                    {move || saved().then(|| view! { <div class="notice notice-success" role="status">"Settings saved."</div> })}
                    <FormMessage error fields=&["title", "intro", "thank_you", "closes_at", "opens_at", "send_at", "release_name", "released_on", "anonymity"]/>
                    <TextField label="Title" name="title" value=detail.summary.title.clone() required=true error/>
                    <div class="field-row">
                        <TextField label="Feature release" name="release_name" error
                            value=release.as_ref().map(|r| r.name.clone()).unwrap_or_default()
                            hint="Surveys about the same release are compared together."/>
                        <TextField label="Released on" name="released_on" kind="date" error
                            value=release.as_ref().and_then(|r| r.released_on.clone()).unwrap_or_default()/>
                    </div>
                    <TextArea label="Introduction" name="intro" value=detail.intro.clone() error
                        hint="One or two sentences above the questions: what changed, and why their answer matters."/>
                    <TextArea label="Thank-you message" name="thank_you" value=detail.thank_you.clone() rows=2 error/>
                    <fieldset class="field">
                        <legend>"Anonymity"</legend>
                        <label class="inline-choice">
                            <input type="radio" name="anonymity" value="identified" checked=!anonymous disabled=locked && anonymous/>
                            " Identified: answers are linked to the person, who can come back and change them"
                        </label>
                        <label class="inline-choice">
                            <input type="radio" name="anonymity" value="anonymous" checked=anonymous disabled=locked && !anonymous/>
                            " Anonymous: the team sees how many answered and what was said, never who answered or which answers are whose"
                        </label>
                    </fieldset>
                    <fieldset class="field">
                        <legend>"Schedule"</legend>
                        <p class="hint">{zone_hint}" Each is optional; leave it empty to do it by hand."</p>
                        <div class="schedule-row">
                            <TextField label="Open at" name="opens_at" kind="datetime-local" value=schedule.opens_at.input error
                                hint="A draft opens by itself then."/>
                            <TextField label="Send at" name="send_at" kind="datetime-local" value=schedule.send_at.input error
                                hint="The people chosen by then are sent their invitation (a draft opens first)."/>
                            <TextField label="Close at" name="closes_at" kind="datetime-local" value=schedule.closes_at.input error
                                hint="It stops taking answers, withdraws mail still waiting and enters the baseline."/>
                        </div>
    </fieldset>
                    <button type="submit" class="button primary">"Save settings"</button>
                </ServerForm>
            </details>
        }
}

#[component]
fn QuestionCard(
    survey_id: String,
    question: Question,
    number: usize,
    total: usize,
    earlier: Vec<Question>,
    actions: BuilderActions,
    locked: bool,
) -> impl IntoView {
    let qid = question.question_id.clone();
    let key = |field: &str| format!("{field}:{qid}");
    let id = |field: &str| format!("{field}-{qid}");
    let (prompt_id, help_id, options_id) = (id("prompt"), id("help"), id("options"));
    let (prompt_key, help_key, options_key, show_if_key) =
        (key("prompt"), key("help"), key("options"), key("show_if"));
    let card_id = format!("question-{qid}");
    let error = error_of(actions.update);
    let scored_earlier: Vec<Question> = earlier
        .into_iter()
        .filter(|q| q.kind.scale().is_some())
        .collect();
    let options = question.kind.has_options().then(|| {
        let (text, other) = (question.options.join("\n"), question.allow_other);
        view! {
            <TextArea label="Options, one per line" name="options" id=options_id error_key=options_key value=text rows=4 error/>
            <label class="inline-choice"><input type="checkbox" name="allow_other" value="on" checked=other/>" Offer “Other: ___”"</label>
        }
    });
    let remove = (!locked).then(|| {
        let (survey_id, qid) = (survey_id.clone(), qid.clone());
        view! {
            <ServerForm action=actions.remove attr:class="inline-form">
                <input type="hidden" name="survey_id" value=survey_id/>
                <input type="hidden" name="question_id" value=qid/>
                <button type="submit" class="button small danger">"Remove"<span class="visually-hidden">{format!(" question {number}")}</span></button>
            </ServerForm>
        }
    });
    let (form_survey_id, form_qid) = (survey_id.clone(), qid.clone());
    view! {
        <li class="card question-card" id=card_id>
            <header class="question-card-head">
                <span class="question-number">{number}</span>
                <span class="badge">{question.kind.label()}</span>
                {question.show_if.is_some().then(|| view! { <span class="badge badge-draft">"Follow-up"</span> })}
            </header>
            <ServerForm action=actions.update attr:class="stack">
                <input type="hidden" name="survey_id" value=form_survey_id/>
                <input type="hidden" name="question_id" value=form_qid/>
                <TextField label="Question" name="prompt" id=prompt_id error_key=prompt_key value=question.prompt.clone() error/>
                <TextField label="Help text (optional)" name="help" id=help_id error_key=help_key value=question.help.clone() error/>
                {options}
                <label class="inline-choice"><input type="checkbox" name="required" value="on" checked=question.required/>" Required"</label>
                <FollowUpFields question=question.clone() scored_earlier error_key=show_if_key error/>
                <button type="submit" class="button">"Save question"</button>
            </ServerForm>
            <div class="question-card-actions">
                <MoveButton survey_id=survey_id.clone() question_id=qid.clone() direction="up" disabled=number == 1 action=actions.moves/>
                <MoveButton survey_id=survey_id.clone() question_id=qid.clone() direction="down" disabled=number == total action=actions.moves/>
                {remove}
            </div>
        </li>
    }
}

#[component]
fn FollowUpFields(
    question: Question,
    scored_earlier: Vec<Question>,
    error_key: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    if scored_earlier.is_empty() {
        return ().into_any();
    }
    let rule = question.show_if.clone();
    let select_id = format!("show-if-{}", question.question_id);
    let message = Memo::new(move |_| error.get().and_then(|e| e.message_for(&error_key)));
    view! {
        <fieldset class="field follow-up">
            <legend>"When to ask"</legend>
            <label for=select_id.clone() class="visually-hidden">"Ask only after"</label>
            <select id=select_id name="show_if_question_id">
                <option value="" selected=rule.is_none()>"Always"</option>
                {scored_earlier.iter().map(|q| {
                    let selected = rule.as_ref().is_some_and(|r| r.question_id == q.question_id);
                    view! { <option value=q.question_id.clone() selected=selected>{format!("Only when “{}” is between", q.prompt)}</option> }
                }).collect_view()}
            </select>
            <span class="range">
                <label>"from "<input type="number" name="show_if_min" class="narrow" value=rule.as_ref().map(|r| r.min.to_string())/></label>
                <label>" to "<input type="number" name="show_if_max" class="narrow" value=rule.as_ref().map(|r| r.max.to_string())/></label>
            </span>
            {move || message.get().map(|m| view! { <p class="field-error">{m}</p> })}
        </fieldset>
    }
    .into_any()
}

#[component]
fn MoveButton(
    survey_id: String,
    question_id: String,
    direction: &'static str,
    disabled: bool,
    action: FormAction<MoveQuestion>,
) -> impl IntoView {
    let label = if direction == "up" {
        "Move up"
    } else {
        "Move down"
    };
    view! {
        <ServerForm action attr:class="inline-form">
            <input type="hidden" name="survey_id" value=survey_id/>
            <input type="hidden" name="question_id" value=question_id/>
            <input type="hidden" name="direction" value=direction/>
            <button type="submit" class="button small" disabled=disabled>{label}</button>
        </ServerForm>
    }
}

#[component]
fn AddQuestionForm(
    survey_id: String,
    action: FormAction<AddQuestion>,
    full: bool,
) -> impl IntoView {
    view! {
        <ServerForm action attr:class="card add-question">
            <input type="hidden" name="survey_id" value=survey_id/>
            <label for="new-question-kind" class="add-question-label">"Add a question"</label>
            <div class="inline-form">
                <select id="new-question-kind" name="kind" disabled=full>
                    {QuestionKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
                <button type="submit" class="button" disabled=full>"Add question"</button>
            </div>
        </ServerForm>
    }
}
