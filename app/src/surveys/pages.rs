//! The survey list and a survey's own page.
use super::api::{get_survey, list_surveys, CloseSurvey, CreateSurvey, OpenSurvey, ReopenSurvey};
use super::builder::{Builder, BuilderActions};
use super::builder_api::DuplicateSurvey;
use super::model::{Step, SurveyDetail, SurveyStatus, SurveySummary};
use super::public_link::{PublicLinkPanel, SetPublicLink};
use super::templates::Template;
use crate::auth::model::Role;
use crate::distribution::close_the_loop::{api::SetClosingMessage, panel::ClosingMessagePanel};
use crate::distribution::in_product::{api::SetInProduct, panel::InProductPanel};
use crate::distribution::recipients::table::{
    recipients_resource, RecipientsResource, RecipientsTable,
};
use crate::distribution::sending::api::{RemindNow, SendInvitations, SetReminderSchedule};
use crate::distribution::sending::wording::UpdateEmailWording;
use crate::distribution::{
    AddRecipientsPanel, EmailWordingPanel, FunnelStats, RemindersPanel, SendPanel,
    SendingWindowPanel,
};
use crate::error::AppError;
use crate::ui::{
    format_count, use_current_user, use_team_zone, EmptyState, ErrorPanel, FormAction, FormMessage,
    Guarded, PageHeader, ServerForm, TextField,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SurveysPage() -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <SurveysView/>
        </Guarded>
    }
}

#[component]
fn SurveysView() -> impl IntoView {
    let surveys = crate::ui::wire::resource(|| (), |_| list_surveys());
    let can_edit = use_current_user().role.includes(Role::Editor);
    view! {
        <PageHeader title="Surveys".into() lead="Feature-release surveys and how many of the people invited have answered."/>
        <Suspense fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                match surveys.await {
                    Ok(list) if list.is_empty() => view! {
                        <EmptyState title="No surveys yet">
                            <p>"A survey asks the people who use a new feature how it went. Create the first one below."</p>
                        </EmptyState>
                    }.into_any(),
                    Ok(list) => view! { <SurveyTable surveys=list/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
        {can_edit.then(|| view! { <NewSurveyForm/> })}
    }
}

#[component]
fn SurveyTable(surveys: Vec<SurveySummary>) -> impl IntoView {
    let zone = use_team_zone();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Surveys"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Survey"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Invited"</th>
                        <th scope="col" class="num">"Completed"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {surveys.into_iter().map(|s| view! {
                        <tr>
                            <td><a href=format!("/surveys/{}", s.survey_id)>{s.title}</a></td>
                            <td><StatusBadge status=s.status/></td>
                            <td class="num">{format_count(s.invited)}</td>
                            <td class="num">{format_count(s.completed)}</td>
                            <td>{zone.date(s.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn StatusBadge(status: SurveyStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.as_str())>{status.label()}</span> }
}

#[component]
fn NewSurveyForm() -> impl IntoView {
    let action = FormAction::<CreateSurvey>::new();
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="new-survey-title">
            <h2 id="new-survey-title">"New survey"</h2>
            <ServerForm action attr:class="stack">
                <FormMessage error fields=&["title"]/>
                <TextField label="Title" name="title" required=true error
                    hint="Name the feature, so recipients know what it is about: “New storage options”."/>
                <fieldset class="field templates">
                    <legend>"Start from"</legend>
                    {Template::ALL.into_iter().map(|t| view! {
                        <label class="template-option">
                            <input type="radio" name="template" value=t.as_str() checked=t == Template::FeatureSatisfaction/>
                            <span><strong>{t.label()}</strong><span class="hint">{t.description()}</span></span>
                        </label>
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating…" } else { "Create survey" }}
                </button>
            </ServerForm>
        </section>
    }
}

/// `/surveys/{id}` (the step the survey is in: a draft on Build, else Send or Watch) and
/// `/surveys/{id}/build`, `/send` and `/watch`, each step at its own address.
#[component]
pub fn SurveyPage(#[prop(optional)] step: Option<Step>) -> impl IntoView {
    view! {
        <Guarded role=Role::Viewer>
            <SurveyView step/>
        </Guarded>
    }
}

#[component]
fn SurveyView(step: Option<Step>) -> impl IntoView {
    let params = use_params_map();
    let open = FormAction::<OpenSurvey>::new();
    let close = FormAction::<CloseSurvey>::new();
    let reopen = FormAction::<ReopenSurvey>::new();
    let duplicate = FormAction::<DuplicateSurvey>::new();
    let public_link = FormAction::<SetPublicLink>::new();
    let in_product = FormAction::<SetInProduct>::new();
    let closing = FormAction::<SetClosingMessage>::new();
    let send = FormAction::<SendInvitations>::new();
    let remind = FormAction::<RemindNow>::new();
    let schedule = FormAction::<SetReminderSchedule>::new();
    let wording = FormAction::<UpdateEmailWording>::new();
    let builder = BuilderActions::new();
    let survey = crate::ui::wire::resource(
        move || {
            (
                params.get().get("id").unwrap_or_default(),
                open.version().get(),
                close.version().get() + reopen.version().get(),
                public_link.version().get() + in_product.version().get() + closing.version().get(),
                send.version().get(),
                remind.version().get() + schedule.version().get() + wording.version().get(),
                builder.version(),
            )
        },
        |(id, ..)| get_survey(id),
    );
    // Only a page that may open on Watch lists recipients; the list keeps its own
    // resource, so paging and searching it reload nothing else.
    let recipients = (step.is_none() || step == Some(Step::Watch)).then(|| {
        let id = Signal::derive(move || params.get().get("id").unwrap_or_default());
        let refresh = Signal::derive(move || send.version().get() + remind.version().get());
        recipients_resource(id, refresh)
    });
    let status_error = Signal::derive(move || {
        open.value()
            .get()
            .and_then(Result::err)
            .or_else(|| close.value().get().and_then(Result::err))
            .or_else(|| reopen.value().get().and_then(Result::err))
            .or_else(|| duplicate.value().get().and_then(Result::err))
    });
    view! {
        <Transition fallback=crate::ui::Loading>
            {move || Suspend::new(async move {
                match survey.await {
                    Ok(detail) => view! { <SurveyDetailView detail step recipients open close reopen duplicate public_link in_product closing send remind schedule wording builder status_error/> }.into_any(),
                    Err(AppError::NotFound) => view! { <crate::app::NotFoundPage/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SurveyDetailView(
    detail: SurveyDetail,
    step: Option<Step>,
    recipients: Option<RecipientsResource>,
    open: FormAction<OpenSurvey>,
    close: FormAction<CloseSurvey>,
    reopen: FormAction<ReopenSurvey>,
    duplicate: FormAction<DuplicateSurvey>,
    public_link: FormAction<SetPublicLink>,
    in_product: FormAction<SetInProduct>,
    closing: FormAction<SetClosingMessage>,
    send: FormAction<SendInvitations>,
    remind: FormAction<RemindNow>,
    schedule: FormAction<SetReminderSchedule>,
    wording: FormAction<UpdateEmailWording>,
    builder: BuilderActions,
    status_error: Signal<Option<AppError>>,
) -> impl IntoView {
    let can_edit = use_current_user().role.includes(Role::Editor);
    let summary = detail.summary.clone();
    let zone = use_team_zone();
    let id = summary.survey_id.clone();
    let actions_id = id.clone();
    let lead = match &detail.release {
        Some(release) => format!(
            "About {} · created {}",
            release.name,
            zone.date(summary.created_at)
        ),
        None => format!("Created {}", zone.date(summary.created_at)),
    };
    let link = detail.public_link.clone();
    let channel = detail.in_product.clone();
    let closing_message = detail.closing.clone();
    let funnel = detail.funnel.clone();
    let live = crate::distribution::sending::progress::live_funnel(
        id.clone(),
        funnel.clone(),
        summary.status == SurveyStatus::Open,
    );
    let emails = detail.emails.clone();
    let timetable = detail.schedule.clone();
    let status = summary.status;
    let step = step.unwrap_or(Step::current(status, detail.funnel.invited));
    let body = match step {
        Step::Build => if can_edit {
            view! { <Builder detail actions=builder/> }.into_any()
        } else {
            view! { <ReadOnlyQuestions detail/> }.into_any()
        },
        Step::Send => view! {
            <SendPanel survey_id=id.clone() status funnel=live can_edit action=send/>
            {(can_edit && status != SurveyStatus::Closed).then(|| view! {
                <AddRecipientsPanel survey_id=id.clone() status/>
            })}
            {emails.into_iter().map(|email| view! {
                <EmailWordingPanel survey_id=id.clone() wording=email can_edit action=wording/>
            }).collect_view()}
            <RemindersPanel survey_id=id.clone() status funnel can_edit remind schedule/>
            <SendingWindowPanel survey_id=id.clone() window=timetable.window.clone()
                default_window=timetable.default_window.clone() can_edit/>
            <InProductPanel survey_id=id.clone() channel status can_edit action=in_product/>
            <PublicLinkPanel survey_id=id.clone() status link can_edit action=public_link/>
        }.into_any(),
        Step::Watch => view! {
            <FunnelStats funnel=live/>
            <p class="actions-row"><a class="button primary" href=format!("/surveys/{id}/results")>"See the results"</a></p>
            <ClosingMessagePanel survey_id=id.clone() closing=closing_message can_edit action=closing/>
            {recipients.map(|recipients| view! { <RecipientsTable survey_id=id.clone() recipients/> })}
        }.into_any(),
    };
    view! {
        <p class="breadcrumb"><a href="/surveys">"Surveys"</a></p>
        <PageHeader title=summary.title.clone() lead=lead>
            <StatusBadge status=summary.status/>
            {can_edit.then(|| view! { <StatusActions survey_id=actions_id.clone() status=summary.status open close duplicate/> })}
        </PageHeader>
        <FormMessage error=status_error fields=&["closes_at"]/>
        <ScheduleLine schedule=timetable.clone() status/>
        {(can_edit && status == SurveyStatus::Closed).then(|| view! {
            <ReopenForm survey_id=id.clone() action=reopen time_zone=timetable.time_zone.clone()/>
        })}
        <StepLinks survey_id=id.clone() current=step/>
        {body}
    }
}

/// Build, Send and Watch as links, the current one marked: each step has its address.
#[component]
fn StepLinks(survey_id: String, current: Step) -> impl IntoView {
    view! {
        <nav class="steps" aria-label="Survey steps">
            <ol>
                {Step::ALL.into_iter().enumerate().map(|(i, step)| {
                    let here = (step == current).then_some("page");
                    view! {
                        <li><a href=format!("/surveys/{survey_id}/{}", step.as_str()) aria-current=here>
                            <span class="step-number" aria-hidden="true">{i + 1}</span>{step.label()}
                        </a></li>
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// What the schedule will do (or did), in words.
#[component]
fn ScheduleLine(schedule: super::model::Schedule, status: SurveyStatus) -> impl IntoView {
    let mut parts = Vec::new();
    if status == SurveyStatus::Draft {
        if let Some(at) = schedule.opens_at.text {
            parts.push(format!("Opens by itself {at}"));
        }
    }
    if status != SurveyStatus::Closed {
        if let Some(at) = schedule.send_at.text {
            parts.push(format!("Sends to the people chosen {at}"));
        }
        if let Some(at) = schedule.closes_at.text {
            parts.push(format!("Closes by itself {at}"));
        }
    }
    (!parts.is_empty()).then(|| view! { <p class="schedule-line">{parts.join(" · ")}"."</p> })
}

/// Reopening a closed survey, with an optional new closing time.
#[component]
fn ReopenForm(
    survey_id: String,
    action: FormAction<ReopenSurvey>,
    time_zone: String,
) -> impl IntoView {
    let hint = format!("Optional, in {time_zone}. Its links work again until then.");
    view! {
        <ServerForm action attr:class="card reopen-form">
            <input type="hidden" name="survey_id" value=survey_id/>
            <div class="field">
                <label for="reopen-closes-at">"Reopen until"</label>
                <input id="reopen-closes-at" type="datetime-local" name="closes_at" aria-describedby="reopen-hint"/>
                <p class="hint" id="reopen-hint">{hint}</p>
            </div>
            <button type="submit" class="button">"Reopen survey"</button>
        </ServerForm>
    }
}

#[component]
fn ReadOnlyQuestions(detail: SurveyDetail) -> impl IntoView {
    let preview = format!("/surveys/{}/preview", detail.summary.survey_id);
    view! {
        <section class="card" aria-labelledby="questions-title">
            <h2 id="questions-title">"Questions"</h2>
            <ol class="question-list">
                {detail.questions.into_iter().map(|q| view! {
                    <li><p class="question-prompt">{q.prompt}</p><p class="hint">{q.kind.label()}</p></li>
                }).collect_view()}
            </ol>
            <iframe src=preview title="Preview of the respondent's page" class="preview-frame"></iframe>
        </section>
    }
}

#[component]
fn StatusActions(
    survey_id: String,
    status: SurveyStatus,
    open: FormAction<OpenSurvey>,
    close: FormAction<CloseSurvey>,
    duplicate: FormAction<DuplicateSurvey>,
) -> impl IntoView {
    let status_id = survey_id.clone();
    let change = match status {
        SurveyStatus::Draft => view! {
            <ServerForm action=open attr:class="inline-form">
                <input type="hidden" name="survey_id" value=status_id/>
                <button type="submit" class="button primary">"Open survey"</button>
            </ServerForm>
        }
        .into_any(),
        SurveyStatus::Open => view! {
            <ServerForm action=close attr:class="inline-form">
                <input type="hidden" name="survey_id" value=status_id/>
                <button type="submit" class="button">"Close survey"</button>
            </ServerForm>
        }
        .into_any(),
        SurveyStatus::Closed => ().into_any(),
    };
    view! {
        {change}
        <ServerForm action=duplicate attr:class="inline-form">
            <input type="hidden" name="survey_id" value=survey_id/>
            <button type="submit" class="button">"Duplicate"</button>
        </ServerForm>
    }
}
