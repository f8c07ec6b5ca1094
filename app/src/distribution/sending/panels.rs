use crate::distribution::model::Funnel;
use crate::distribution::sending::api::{
    RemindNow, SendInvitations, SetReminderSchedule, SetSendingWindow,
};
use crate::surveys::model::SurveyStatus;
use crate::ui::{FormAction, FormMessage, ServerForm};
use leptos::prelude::*;

/// The Send step's way to add recipients: the contact chooser and a paste box (a plain
/// form post: its answer page shows the new links once). The list itself is on Watch.
#[component]
pub fn AddRecipientsPanel(survey_id: String, status: SurveyStatus) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="add-recipients-title">
            <h2 id="add-recipients-title">"Recipients"</h2>
            {(status == SurveyStatus::Draft).then(|| view! {
                <p class="hint">"Links work once the survey is open. You can add recipients now."</p>
            })}
            <p><a class="button" href=format!("/surveys/{survey_id}/choose") rel="external">"Choose from your contacts"</a></p>
            <form method="post" action=format!("/surveys/{survey_id}/recipients") class="stack">
                <div class="field">
                    <label for="emails">"Or paste addresses"</label>
                    <p class="hint" id="emails-hint">"One email address per line, or separated by commas."</p>
                    <textarea id="emails" name="emails" rows="4" aria-describedby="emails-hint"
                        placeholder="ada@example.org"></textarea>
                </div>
                <label class="inline-choice">
                    <input type="checkbox" name="include_recently_surveyed" value="on"/>
                    " Include people sent a survey recently (the quiet period)"
                </label>
                <button type="submit" class="button">"Add recipients and show their links"</button>
            </form>
        </section>
    }
}

#[component]
pub fn FunnelStats(funnel: RwSignal<Funnel>) -> impl IntoView {
    type Count = fn(&Funnel) -> i64;
    let items: [(&str, &str, Count, &str); 8] = [
        (
            "Invited",
            "People given a personal link to this survey.",
            |f| f.invited,
            "invited-count",
        ),
        (
            "Sent",
            "Invitation emails the mail server accepted.",
            |f| f.sent,
            "sent-count",
        ),
        (
            "Shown in product",
            "People the survey's panel was shown to inside your product (the in-product channel).",
            |f| f.shown,
            "shown-count",
        ),
        (
            "Failed or bounced",
            "Invitations the mail server refused for good, or that still failed after every retry.",
            |f| f.failed + f.bounced,
            "undeliverable-count",
        ),
        (
            "Opened",
            "People who followed their link at least once (mail scanners can follow links too).",
            |f| f.opened,
            "opened-count",
        ),
        (
            "Started",
            "People who saved at least one answer.",
            |f| f.started,
            "started-count",
        ),
        (
            "Completed",
            "People who submitted an answer to every required question.",
            |f| f.completed,
            "completed-count",
        ),
        (
            "Unsubscribed",
            "People who asked for no more surveys through this survey's email.",
            |f| f.unsubscribed,
            "unsubscribed-count",
        ),
    ];
    view! {
        <dl class="stats">
            {items.into_iter().map(|(label, definition, count, testid)| {
                // A survey that was never shown in a product has no such step.
                let channel_unused = move || testid == "shown-count" && count(&funnel.get()) == 0;
                view! {
                    <div class="stat" hidden=channel_unused>
                        <dt><abbr title=definition tabindex="0">{label}</abbr></dt>
                        <dd data-testid=testid>{move || crate::ui::format_count(count(&funnel.get()))}</dd>
                    </div>
                }
            }).collect_view()}
        </dl>
    }
}

/// Sending the survey's invitations: how many are waiting, the button that queues them,
/// and the progress of a send while it runs.
#[component]
pub fn SendPanel(
    survey_id: String,
    status: SurveyStatus,
    funnel: RwSignal<Funnel>,
    can_edit: bool,
    action: FormAction<SendInvitations>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let queued = move || action.value().get().and_then(Result::ok);
    let unsent = move || funnel.with(|f| f.unsent);
    view! {
        <section class="card" aria-labelledby="send-title">
            <h2 id="send-title">"Invitations"</h2>
            <FormMessage error fields=&[]/>
            {move || queued().map(|n| view! {
                <div class="notice notice-success" role="status">{format!("{} queued. They go out in the background; the counts follow as they do.", crate::ui::count(n as i64, "invitation", "invitations"))}</div>
            })}
            <p>{move || send_state(status, &funnel.get())}</p>
            <SendProgress funnel/>
            {move || {
                let id = survey_id.clone();
                (can_edit && status == SurveyStatus::Open && unsent() > 0).then(move || view! {
                    <ServerForm action attr:class="inline-form">
                        <input type="hidden" name="survey_id" value=id/>
                        <button type="submit" class="button primary">{format!("Send invitations to {}", crate::ui::count(unsent(), "person", "people"))}</button>
                        <label class="inline-choice">
                            <input type="checkbox" name="ignore_window" value="on"/>
                            " Send now, ignore the sending window"
                        </label>
                    </ServerForm>
                })
            }}
        </section>
    }
}

fn send_state(status: SurveyStatus, funnel: &Funnel) -> String {
    match (status, funnel.unsent) {
        (SurveyStatus::Draft, _) => {
            "Open the survey to send its invitations: links work only once it is open.".to_string()
        }
        (SurveyStatus::Closed, _) => "This survey is closed.".to_string(),
        (SurveyStatus::Open, 0) if funnel.invited == 0 => {
            "Add recipients below, then send them their invitations.".to_string()
        }
        (SurveyStatus::Open, 0) if super::progress::waiting(funnel) > 0 => format!(
            "{} waiting to leave: mail goes out within the sending window (When mail may leave, below), and a window saved there applies to it too.",
            crate::ui::count(super::progress::waiting(funnel), "invitation is", "invitations are")
        ),
        (SurveyStatus::Open, 0) => "Everyone invited has been sent their invitation.".to_string(),
        (SurveyStatus::Open, n) => {
            format!(
                "{} not been sent their invitation yet.",
                if n == 1 {
                    "1 recipient has".to_string()
                } else {
                    format!("{} recipients have", crate::ui::format_count(n))
                }
            )
        }
    }
}

/// A bar and a sentence while messages are on their way, announced politely to screen
/// readers as the counts change.
#[component]
fn SendProgress(funnel: RwSignal<Funnel>) -> impl IntoView {
    view! {
        <div aria-live="polite">
            {move || {
                let f = funnel.get();
                let waiting = crate::distribution::sending::progress::waiting(&f);
                let done = f.sent + f.failed + f.bounced;
                (waiting > 0).then(|| view! {
                    <div class="send-progress" data-testid="send-progress">
                        <progress max=f.queued value=done>{format!("{done} of {}", f.queued)}</progress>
                        <p class="hint" data-testid="waiting-count">
                            {format!("Sending: {} sent, {} failed or bounced, {waiting} waiting.", f.sent, f.failed + f.bounced)}
                        </p>
                    </div>
                })
            }}
        </div>
    }
}

/// The reminders: their schedule, and a button that reminds everyone who has not
/// answered now, saying how many that is.
#[component]
pub fn RemindersPanel(
    survey_id: String,
    status: SurveyStatus,
    funnel: Funnel,
    can_edit: bool,
    remind: FormAction<RemindNow>,
    schedule: FormAction<SetReminderSchedule>,
) -> impl IntoView {
    let error = Signal::derive(move || {
        remind
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| schedule.value().get().and_then(Result::err))
    });
    let reminded = move || remind.value().get().and_then(Result::ok);
    let days = funnel.reminder_days.clone();
    let plan = match days.as_slice() {
        [] => "No automatic reminders.".to_string(),
        [one] => format!("One automatic reminder, {one} days after the invitation, to people who have not answered."),
        many => format!(
            "Automatic reminders {} days after the invitation, to people who have not answered.",
            many.iter().map(i64::to_string).collect::<Vec<_>>().join(" and ")
        ),
    };
    let text = crate::distribution::model::schedule_text(&days);
    let open = status == SurveyStatus::Open;
    let remindable = funnel.remindable;
    let (remind_id, schedule_id) = (survey_id.clone(), survey_id);
    view! {
        <section class="card" aria-labelledby="reminders-title">
            <h2 id="reminders-title">"Reminders"</h2>
            <FormMessage error fields=&["days"]/>
            {move || reminded().map(|n| view! {
                <div class="notice notice-success" role="status">{format!("{} queued.", crate::ui::count(n as i64, "reminder", "reminders"))}</div>
            })}
            <p data-testid="reminder-plan">{plan}</p>
            <p class="hint">"Reminders raise response rates more than anything else; each one carries the person's own link and the one-click first question."</p>
            {(can_edit && open).then(|| view! {
                <ServerForm action=remind attr:class="inline-form">
                    <input type="hidden" name="survey_id" value=remind_id/>
                    <button type="submit" class="button" disabled=remindable == 0>{format!("Remind {} now", crate::ui::count(remindable, "non-responder", "non-responders"))}</button>
                    <label class="inline-choice">
                        <input type="checkbox" name="ignore_window" value="on"/>
                        " Ignore the sending window"
                    </label>
                </ServerForm>
            })}
            {can_edit.then(|| view! {
                <ServerForm action=schedule attr:class="inline-form reminder-schedule">
                    <input type="hidden" name="survey_id" value=schedule_id/>
                    <label for="reminder-days">"Days after the invitation"</label>
                    <input id="reminder-days" name="days" value=text class="narrow-wide" placeholder="3, 7"/>
                    <button type="submit" class="button small">"Save schedule"</button>
                </ServerForm>
            })}
        </section>
    }
}

/// When invitations and reminders may leave: the survey's own window, or the team's
/// default. Saving changes nothing else on the page, so nothing else reloads.
#[component]
pub fn SendingWindowPanel(
    survey_id: String,
    /// The survey's own window as typed ("" when it follows the default).
    window: String,
    /// The team's default, in words.
    default_window: String,
    can_edit: bool,
) -> impl IntoView {
    let action = FormAction::<SetSendingWindow>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let in_words = {
        let default_window = default_window.clone();
        move |window: &str| match window {
            "" => format!("The team's default: {default_window}."),
            window => format!("This survey's own: {window}."),
        }
    };
    let first = in_words(&window);
    let current = move || {
        action
            .value()
            .get()
            .and_then(Result::ok)
            .map(|saved| in_words(&saved))
            .unwrap_or_else(|| first.clone())
    };
    view! {
        <section class="card" aria-labelledby="window-title">
            <h2 id="window-title">"When mail may leave"</h2>
            <p data-testid="sending-window">{current}</p>
            <p class="hint" id="sending-window-hint">
                "Invitations and reminders leave only within this window, in each recipient's community's time zone; mail due outside it waits in the outbox. Write days and hours (Mon-Fri 08:30-12:00) or “any time”; leave it empty for the team's default."
            </p>
            {can_edit.then(|| view! {
                <ServerForm action attr:class="inline-form">
                    <input type="hidden" name="survey_id" value=survey_id/>
                    <label for="sending_window" class="visually-hidden">"Sending window"</label>
                    <input id="sending_window" name="sending_window" type="text" value=window
                        class="window-input" placeholder=default_window aria-describedby="sending-window-hint"/>
                    <button type="submit" class="button small">"Save window"</button>
                </ServerForm>
            })}
            <FormMessage error fields=&["sending_window"]/>
            {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! {
                <div class="notice notice-success" role="status">"Window saved."</div>
            })}
        </section>
    }
}
