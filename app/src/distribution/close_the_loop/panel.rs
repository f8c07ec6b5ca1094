//! The Watch step's "What we heard" section: write what the team heard and is doing, and,
//! once the survey has closed, send it to the people who asked.
use super::api::SetClosingMessage;
use super::model::{ClosingMessage, DEFAULT_SUBJECT};
use crate::ui::{count, use_team_zone, FormAction, FormMessage, ServerForm, TextArea, TextField};
use leptos::prelude::*;

#[component]
pub fn ClosingMessagePanel(
    survey_id: String,
    closing: ClosingMessage,
    can_edit: bool,
    action: FormAction<SetClosingMessage>,
) -> impl IntoView {
    let zone = use_team_zone();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let asked = count(closing.asked, "person", "people");
    let lead = match (closing.sent_at, closing.closed) {
        (Some(at), _) => format!(
            "Sent {} to {}. It goes once.",
            zone.date(at),
            count(closing.sent_to, "person", "people")
        ),
        (None, true) => format!(
            "{asked} asked to hear what you do with their answers. Tell them what you heard and what you are doing about it."
        ),
        (None, false) => format!(
            "{asked} asked so far to hear what you do with their answers. You can write the message now; it can be sent once the survey has closed."
        ),
    };
    let can_send = can_edit && closing.closed && closing.sent_at.is_none();
    let recipients = closing.asked;
    let sent = closing
        .sent_at
        .map(|_| (closing.subject.clone(), closing.body.clone()));
    let others = closing.non_respondents;
    view! {
        <section class="card" aria-labelledby="closing-title">
            <h2 id="closing-title">"What we heard"</h2>
            <p data-testid="closing-lead">{lead}</p>
            {move || match action.value().get() {
                Some(Ok(queued)) if queued > 0 => Some(view! {
                    <div class="notice notice-success" role="status">{format!("On its way to {}.", count(queued as i64, "person", "people"))}</div>
                }.into_any()),
                Some(Ok(_)) => Some(view! { <div class="notice notice-success" role="status">"Saved."</div> }.into_any()),
                _ => None,
            }}
            <FormMessage error fields=&["loop_subject", "loop_body", "non_respondents"]/>
            {(can_edit && closing.sent_at.is_none()).then(|| view! {
                <ServerForm action attr:class="stack">
                    <input type="hidden" name="survey_id" value=survey_id.clone()/>
                    <TextField label="Subject" name="loop_subject" value=closing.subject.clone() error
                        hint=format!("Empty: “{DEFAULT_SUBJECT}”. Placeholders: {{{{ name }}}}, {{{{ feature }}}}, {{{{ survey_title }}}}, {{{{ community }}}}.")/>
                    <TextArea label="What we heard and what we are doing" name="loop_body" rows=8
                        value=closing.body.clone() error
                        hint="A few plain sentences: what people told you, what you decided, and when they will see it. Every message carries an unsubscribe link."/>
                    {(!closing.anonymous && closing.closed).then(|| view! {
                        <label class="choice" for="non_respondents">
                            <input type="checkbox" id="non_respondents" name="non_respondents" value="1"/>
                            <span>{format!("Also send it to the {} who did not answer", count(others, "person", "people"))}</span>
                        </label>
                    })}
                    {closing.anonymous.then(|| view! {
                        <p class="hint">"This survey is anonymous: the message goes only to the people who asked for it. Their addresses were kept apart from their answers."</p>
                    })}
                    <div class="page-actions">
                        <button type="submit" class="button">"Save"</button>
                        {can_send.then(|| view! {
                            <button type="submit" name="send" value="1" class="button primary">
                                {format!("Send to the {} who asked", count(recipients, "person", "people"))}
                            </button>
                        })}
                    </div>
                </ServerForm>
            })}
            {sent.map(|(subject, body)| view! {
                <blockquote class="sent-message">
                    <p><strong>{subject}</strong></p>
                    <p class="prewrap">{body}</p>
                </blockquote>
            })}
        </section>
    }
}
