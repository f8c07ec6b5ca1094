//! The weekly digest's switch at the foot of the communities page: each team member turns
//! their own on or off. A plain form, the same with and without JavaScript.
use super::api::{get_weekly_digest, SetWeeklyDigest};
use super::model::DigestSetting;
use crate::ui::{use_team_zone, ErrorPanel, FormAction, FormMessage, Loading, ServerForm};
use leptos::prelude::*;

#[component]
pub fn DigestCard() -> impl IntoView {
    let choose = FormAction::<SetWeeklyDigest>::new();
    let setting =
        crate::ui::wire::resource(move || choose.version().get(), |_| get_weekly_digest());
    view! {
        <section class="card" aria-labelledby="digest-title" data-testid="digest">
            <h2 class="section-title" id="digest-title">"Weekly digest"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match setting.await {
                        Ok(setting) => view! { <DigestSwitch setting choose/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DigestSwitch(setting: DigestSetting, choose: FormAction<SetWeeklyDigest>) -> impl IntoView {
    let zone = use_team_zone();
    // `2026-12-07 08:00 CET (Europe/Berlin)`; the zone's name is left out when the
    // abbreviation already says it (UTC).
    let time = zone.time(setting.next_at);
    let next = if time.ends_with(&format!(" {}", setting.zone)) {
        time
    } else {
        format!("{time} ({})", setting.zone)
    };
    let error = Signal::derive(move || choose.value().get().and_then(Result::err));
    let (state, text, button, value, class) = if setting.on {
        (
            "On:",
            format!(" it goes to {}. Next one: {next}.", setting.email),
            "Stop my weekly digest",
            "false",
            "button secondary",
        )
    } else {
        (
            "Off.",
            format!(" Turn it on to get it at {}, from {next}.", setting.email),
            "Email me every Monday",
            "true",
            "button",
        )
    };
    view! {
        <p role="status"><strong>{state}</strong>{text}</p>
        <p class="hint">"Every Monday at 08:00 in the team's time zone, one email: the communities at risk with their reasons (the ones you look after first), which are new on the list and how many left it since the last digest, and engagement. Only you can turn yours on or off; each digest has a link that stops it."</p>
        <ServerForm action=choose>
            <input type="hidden" name="on" value=value/>
            <button type="submit" class=class>{button}</button>
        </ServerForm>
        <FormMessage error fields=&[]/>
    }
}
