//! The survey page's email panels: the invitation's and the reminder's wording, with a
//! preview rendered for a sample person.
use crate::distribution::model::{EmailKind, EmailWording};
use crate::distribution::sending::mail_placeholders;
use crate::distribution::sending::test_mail::SendTestEmail;
use crate::distribution::sending::wording::UpdateEmailWording;
use crate::error::AppError;
use crate::ui::{FormAction, FormMessage, ServerForm, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn EmailWordingPanel(
    survey_id: String,
    wording: EmailWording,
    can_edit: bool,
    action: FormAction<UpdateEmailWording>,
) -> impl IntoView {
    let title = match wording.kind {
        EmailKind::Invitation => "Invitation email",
        EmailKind::Reminder => "Reminder email",
    };
    let heading_id = format!("{}-email-title", wording.kind.as_str());
    let kind = wording.kind.as_str();
    let test_sent = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("test_sent")
        .is_some_and(|sent| sent == kind);
    view! {
        <details class="card settings" open=test_sent>
            <summary><h2 class="section-title" id=heading_id>{title}</h2></summary>
            <WordingView survey_id wording can_edit action test_sent/>
        </details>
    }
}

#[component]
fn WordingView(
    survey_id: String,
    wording: EmailWording,
    can_edit: bool,
    action: FormAction<UpdateEmailWording>,
    test_sent: bool,
) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let kind = wording.kind.as_str();
    let frame = format!(
        "/surveys/{survey_id}/email-preview/{kind}?v={}",
        wording.preview_subject.len() + wording.preview_text.len()
    );
    let (subject_id, body_id) = (format!("{kind}-subject"), format!("{kind}-body"));
    let test_survey_id = survey_id.clone();
    view! {
        <div class="wording">
            {can_edit.then(|| view! {
                <ServerForm action attr:class="stack">
                    <input type="hidden" name="survey_id" value=survey_id.clone()/>
                    <input type="hidden" name="kind" value=kind/>
                    {move || saved().then(|| view! { <div class="notice notice-success" role="status">"Saved."</div> })}
                    <FormMessage error fields=&["email_subject", "email_body", "sender_name"]/>
                    {(wording.kind == EmailKind::Invitation).then(|| view! {
                        <TextField label="Sender name" name="sender_name" id="sender-name".to_string() error_key="sender_name"
                            value=wording.sender_name.clone() error
                            hint=format!("Who the invitation and the reminders are from, as recipients see it, e.g. “Maya from the Product team”: a person's name raises replies. Empty: {}.", wording.default_sender)/>
                    })}
                    <TextField label="Subject" name="subject" id=subject_id error_key="email_subject" value=wording.subject.clone() error/>
                    <TextArea label="Message" name="body" id=body_id error_key="email_body" value=wording.body.clone() rows=9 error
                        hint=mail_placeholders::HINT/>
                    <button type="submit" class="button">"Save wording"</button>
                </ServerForm>
            })}
            <div class="wording-preview">
                <h3>"Preview for a sample person"</h3>
                <p><strong>"Subject: "</strong><span data-testid=format!("{kind}-preview-subject")>{wording.preview_subject.clone()}</span></p>
                <pre class="mail-text" data-testid=format!("{kind}-preview-text")>{wording.preview_text.clone()}</pre>
                <p><a href=frame rel="external" target="_blank">"See the HTML version as a mail client shows it"</a></p>
                {can_edit.then(|| view! { <SendTest survey_id=test_survey_id.clone() kind test_sent/> })}
            </div>
        </div>
    }
}

/// The "send a test to me" button, and where the last test went (after the page load
/// that follows sending one).
#[component]
fn SendTest(survey_id: String, kind: &'static str, test_sent: bool) -> impl IntoView {
    let action = FormAction::<SendTestEmail>::new();
    let error: Signal<Option<AppError>> =
        Signal::derive(move || action.value().get().and_then(Result::err));
    let me = crate::ui::use_current_user().email;
    view! {
        <ServerForm action attr:class="send-test">
            <input type="hidden" name="survey_id" value=survey_id/>
            <input type="hidden" name="kind" value=kind/>
            {test_sent.then(|| view! {
                <p class="notice notice-success" role="status">
                    "A test is on its way to " {me} ". Its links open the preview, so trying them answers nothing."
                </p>
            })}
            <FormMessage error fields=&[]/>
            <button type="submit" class="button" disabled=move || action.pending().get()>
                "Send a test to me"
            </button>
        </ServerForm>
    }
}
