//! The weekly digest's switch at the foot of the communities page: each team member turns
//! their own on or off. A plain form, the same with and without JavaScript.
use super::api::{get_weekly_digest, SetWeeklyDigest};
use super::model::DigestSetting;
use crate::ui::{use_team_zone, ErrorPanel, FormMessage, Loading};
use leptos::prelude::*;

#[component]
pub fn DigestCard() -> impl IntoView {
    let choose = ServerAction::<SetWeeklyDigest>::new();
    let setting = Resource::new(move || choose.version().get(), |_| get_weekly_digest());
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
fn DigestSwitch(setting: DigestSetting, choose: ServerAction<SetWeeklyDigest>) -> impl IntoView {
    let zone = use_team_zone();
    let next = format!("{} ({})", zone.time(setting.next_at), setting.zone);
    let error = Signal::derive(move || choose.value().get().and_then(Result::err));
    let (text, button, value, class) = if setting.on {
        (
            format!("On: every Monday at 08:00 in the team's time zone, {} gets the communities at risk (yours first), those new on the list and those off it, and engagement. Next one: {next}.", setting.email),
            "Stop my weekly digest",
            "false",
            "button secondary",
        )
    } else {
        (
            format!("Off. Turn it on to get, every Monday at 08:00 in the team's time zone, an email at {} with the communities at risk (yours first), those new on the list and those off it, and engagement. The first would come {next}.", setting.email),
            "Email me every Monday",
            "true",
            "button",
        )
    };
    view! {
        <p role="status">{text}</p>
        <ActionForm action=choose>
            <input type="hidden" name="on" value=value/>
            <button type="submit" class=class>{button}</button>
        </ActionForm>
        <FormMessage error fields=&[]/>
    }
}
