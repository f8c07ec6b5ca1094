//! The pages the recipient form answers with.
use crate::error::AppError;
use crate::server::html::team_document;
use leptos::prelude::*;

/// What adding a list did: new recipients with their links, and those already invited.
pub struct Added {
    pub survey_id: String,
    pub links: Vec<(String, String)>,
    pub already_invited: Vec<String>,
    /// Addresses the contact rules left out, each with the reason in words.
    pub left_out: Vec<(String, String)>,
}

/// The frame of the recipient pages, leading back to the survey.
fn frame(title: &'static str, survey_id: &str, body: impl IntoView + 'static) -> String {
    let back = (
        format!("/surveys/{survey_id}/send"),
        "Back to the survey".to_string(),
    );
    team_document(title.to_string(), back, title, body)
}

pub fn added(added: Added) -> String {
    let count = added.links.len();
    let survey_id = added.survey_id.clone();
    let body = view! {
        {(count > 0).then(|| view! {
            <div class="notice notice-warning" role="status">
                <p>
                    <strong>{format!("{} created.", crate::ui::count(count as i64, "personal link", "personal links"))}</strong>
                    " Send the invitation emails from the survey page, or copy a link here to pass it on yourself."
                </p>
            </div>
            <div class="table-wrap">
                <table class="table">
                    <caption class="visually-hidden">"New personal links"</caption>
                    <thead><tr><th scope="col">"Recipient"</th><th scope="col">"Personal link"</th></tr></thead>
                    <tbody>
                        {added.links.into_iter().map(|(email, link)| view! {
                            <tr>
                                <td>{email}</td>
                                <td><a class="personal-link" href=link.clone()>{link.clone()}</a></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {(!added.already_invited.is_empty()).then(|| view! {
            <div class="notice">
                <p>"Already invited, so their existing links stay valid and no new ones were made:"</p>
                <ul>{added.already_invited.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            </div>
        })}
        {(!added.left_out.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="status">
                <p><strong>{format!("{} address(es) left out", added.left_out.len())}</strong>
                    " by the same rules as choosing from the contacts:"</p>
                <ul data-testid="left-out">{added.left_out.into_iter().map(|(e, why)| view! { <li>{e}": "{why}</li> }).collect_view()}</ul>
            </div>
        })}
    };
    frame("Personal links", &survey_id, body)
}

/// The form again, with the pasted text kept and what went wrong above it.
pub fn refused(survey_id: &str, error: &AppError, text: &str) -> String {
    let messages = crate::server::edge::messages(error);
    let action = format!("/surveys/{survey_id}/recipients");
    let body = view! {
        <div class="notice notice-error" role="alert" id="emails-error">
            <p>"Nothing was added. Fix these and send the list again:"</p>
            <ul>{messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
        </div>
        <form method="post" action=action class="stack">
            <div class="field">
                <label for="emails">"Recipients"</label>
                <textarea id="emails" name="emails" rows="8" aria-invalid="true"
                    aria-describedby="emails-error">{crate::ui::textarea_text(text)}</textarea>
            </div>
            <label class="inline-choice">
                <input type="checkbox" name="include_recently_surveyed" value="on"/>
                " Include people sent a survey recently (the quiet period)"
            </label>
            <button type="submit" class="button primary">"Add recipients"</button>
        </form>
    };
    frame("Add recipients", survey_id, body)
}
