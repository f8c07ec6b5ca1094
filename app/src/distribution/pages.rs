use crate::surveys::model::{Recipient, SurveyStatus};
use crate::ui::format_date;
use leptos::prelude::*;

/// The survey page's recipient section: who is invited, who has answered, and a form to
/// add more (a plain form post: its answer page shows the new links once).
#[component]
pub fn RecipientsPanel(
    survey_id: String,
    status: SurveyStatus,
    recipients: Vec<Recipient>,
    can_edit: bool,
) -> impl IntoView {
    let accepts_more = can_edit && status != SurveyStatus::Closed;
    view! {
        <section class="card" aria-labelledby="recipients-title">
            <h2 id="recipients-title">"Recipients"</h2>
            {(status == SurveyStatus::Draft).then(|| view! {
                <p class="hint">"Links work once the survey is open. You can add recipients now."</p>
            })}
            {accepts_more.then(|| view! {
                <form method="post" action=format!("/surveys/{survey_id}/recipients") class="stack">
                    <div class="field">
                        <label for="emails">"Add recipients"</label>
                        <p class="hint" id="emails-hint">"One email address per line, or separated by commas."</p>
                        <textarea id="emails" name="emails" rows="4" aria-describedby="emails-hint"
                            placeholder="ada@example.org"></textarea>
                    </div>
                    <button type="submit" class="button">"Add recipients and show their links"</button>
                </form>
            })}
            {if recipients.is_empty() {
                view! { <p class="empty-inline">"No one is invited yet."</p> }.into_any()
            } else {
                view! { <RecipientTable recipients/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RecipientTable(recipients: Vec<Recipient>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">"Recipients"</caption>
                <thead><tr><th scope="col">"Email"</th><th scope="col">"Invited"</th><th scope="col">"Answered"</th></tr></thead>
                <tbody>
                    {recipients.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.email}</td>
                            <td>{format_date(r.invited_at)}</td>
                            <td>{match r.completed_at {
                                Some(at) => view! { <span class="badge badge-open">{format!("Completed {}", format_date(at))}</span> }.into_any(),
                                None => view! { <span class="muted">"Not yet"</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
