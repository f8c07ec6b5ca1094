//! The survey page's email panels: the invitation's and the reminder's wording, with a
//! preview rendered for a sample person.
use super::mail_placeholders;
use super::model::{EmailKind, EmailWording};
use super::wording::UpdateEmailWording;
use crate::error::AppError;
use crate::ui::{FormMessage, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn EmailWordingPanel(
    survey_id: String,
    wording: EmailWording,
    can_edit: bool,
    action: ServerAction<UpdateEmailWording>,
) -> impl IntoView {
    let title = match wording.kind {
        EmailKind::Invitation => "Invitation email",
        EmailKind::Reminder => "Reminder email",
    };
    let heading_id = format!("{}-email-title", wording.kind.as_str());
    view! {
        <details class="card settings">
            <summary><h2 class="section-title" id=heading_id>{title}</h2></summary>
            <WordingView survey_id wording can_edit action/>
        </details>
    }
}

#[component]
fn WordingView(
    survey_id: String,
    wording: EmailWording,
    can_edit: bool,
    action: ServerAction<UpdateEmailWording>,
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
    view! {
        <div class="wording">
            {can_edit.then(|| view! {
                <ActionForm action attr:class="stack">
                    <input type="hidden" name="survey_id" value=survey_id.clone()/>
                    <input type="hidden" name="kind" value=kind/>
                    {move || saved().then(|| view! { <div class="notice notice-success" role="status">"Saved."</div> })}
                    <FormMessage error fields=&["email_subject", "email_body"]/>
                    <TextField label="Subject" name="subject" id=subject_id error_key="email_subject" value=wording.subject.clone() error/>
                    <TextArea label="Message" name="body" id=body_id error_key="email_body" value=wording.body.clone() rows=9 error
                        hint=mail_placeholders::HINT/>
                    <button type="submit" class="button">"Save wording"</button>
                </ActionForm>
            })}
            <div class="wording-preview">
                <h3>"Preview for a sample person"</h3>
                <p><strong>"Subject: "</strong><span data-testid=format!("{kind}-preview-subject")>{wording.preview_subject.clone()}</span></p>
                <pre class="mail-text" data-testid=format!("{kind}-preview-text")>{wording.preview_text.clone()}</pre>
                <p><a href=frame rel="external" target="_blank">"See the HTML version as a mail client shows it"</a></p>
            </div>
        </div>
    }
}
