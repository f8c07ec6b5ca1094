//! The Send step's "In your product" section: turn the channel on, copy the snippet and
//! the signing secret, list the origins that may show the panel, and see what it did.
use super::api::SetInProduct;
use super::model::{snippets, InProduct, DEFAULT_SNOOZE_DAYS};
use crate::surveys::model::SurveyStatus;
use crate::ui::{count, FormAction, FormMessage, ServerForm, TextArea, TextField};
use leptos::prelude::*;

/// Loaded with the survey page (`SurveyDetail::in_product`); each change reloads that page's
/// data, as the public link's buttons do.
#[component]
pub fn InProductPanel(
    survey_id: String,
    channel: InProduct,
    status: SurveyStatus,
    can_edit: bool,
    action: FormAction<SetInProduct>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card" aria-labelledby="in-product-title">
            <h2 id="in-product-title">"In your product"</h2>
            <FormMessage error fields=&["origins", "snooze_days"]/>
            <ChannelBody survey_id channel status can_edit action/>
        </section>
    }
}

#[component]
fn ChannelBody(
    survey_id: String,
    channel: InProduct,
    status: SurveyStatus,
    can_edit: bool,
    action: FormAction<SetInProduct>,
) -> impl IntoView {
    let can_turn_on = can_edit && status != SurveyStatus::Closed;
    let button = {
        let survey_id = survey_id.clone();
        move |change: &'static str, label: &'static str, class: &'static str| {
            view! {
                <ServerForm action attr:class="inline-form">
                    <input type="hidden" name="survey_id" value=survey_id.clone()/>
                    <input type="hidden" name="switch" value=change/>
                    <button type="submit" class=class>{label}</button>
                </ServerForm>
            }
        }
    };
    let Some(key) = channel.key.clone() else {
        return view! {
            <p>"Off. Show this survey in a small panel inside your own product, to the person signed in there: no email needed, and one response per person whichever way they answer."</p>
            <p class="hint">"Your server signs each user's address, so nobody can open someone else's survey. People who unsubscribed or were asked by another survey within the quiet period are never shown it."</p>
            {can_turn_on.then(|| button("on", "Show it in your product", "button"))}
        }
        .into_any();
    };
    let renew = button.clone();
    let code = snippets(&channel.base_url, &key);
    let counts = channel.counts;
    let rate = counts
        .rate()
        .map(|r| format!("{r:.0}%"))
        .unwrap_or_else(|| "—".to_string());
    let origins_text = channel.origins.join("\n");
    let hidden_or = move |n: i64| {
        if counts.hidden {
            "–".to_string()
        } else {
            n.to_string()
        }
    };
    let save_error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <dl class="stats" data-testid="in-product-counts">
            <div class="stat"><dt>"Shown"</dt><dd data-testid="panel-shown">{counts.shown}</dd></div>
            <div class="stat"><dt>"Closed it"</dt><dd data-testid="panel-dismissed">{hidden_or(counts.dismissed)}</dd></div>
            <div class="stat"><dt>"Answered in the panel"</dt><dd data-testid="panel-completed">{hidden_or(counts.completed)}</dd></div>
            <div class="stat"><dt>"Panel response rate"</dt><dd data-testid="panel-rate">{rate}</dd></div>
        </dl>
        {counts.hidden.then(|| view! {
            <p class="hint">"This survey is anonymous: who closed the panel and who answered in it stay hidden until enough people were shown it that the counts tell nobody's answer apart."</p>
        })}
        <p class="hint">"Panel response rate: responses completed in the panel ÷ people the panel was shown to. The survey's response rate counts both channels: a person is reached when their email was delivered or the panel was shown to them."</p>
        {channel.origins.is_empty().then(|| view! {
            <div class="notice" role="status">
                <p><strong>"No origin listed yet."</strong>" Browsers show the panel only on the origins listed below; add your product's, such as https://app.example.com."</p>
            </div>
        })}
        <h3>"Put it in your product"</h3>
        <p class="hint">"Add this where your signed-in pages end, with the user's address and its signature filled in by your server:"</p>
        <pre class="snippet" data-testid="in-product-snippet"><code>{code.script}</code></pre>
        {channel.secret.clone().map(|secret| view! {
            <p>"Signing secret: " <code class="secret" data-testid="in-product-secret">{secret.clone()}</code></p>
            <p class="hint">"The signature is HMAC-SHA256 of the address, keyed with this secret, in hex. In Python: "
                <code>"hmac.new(SECRET.encode(), email.encode(), 'sha256').hexdigest()"</code>
                "; in Node: "<code>"crypto.createHmac('sha256', SECRET).update(email).digest('hex')"</code>
                ". Keep the secret on your server: anyone who has it can answer as any of your users."</p>
        })}
        <details class="more">
            <summary>"Without our script: a frame or a link"</summary>
            <p class="hint">"For pages that allow no third-party script, the same panel in a frame (it can't remove itself when closed):"</p>
            <pre class="snippet"><code>{code.iframe}</code></pre>
            <p class="hint">"Or a plain link to the person's own survey page:"</p>
            <pre class="snippet"><code>{code.link}</code></pre>
        </details>
        {can_edit.then(|| view! {
            <ServerForm action attr:class="stack">
                <input type="hidden" name="survey_id" value=survey_id.clone()/>
                <TextArea label="Origins that may show the panel" name="origins" rows=3
                    hint="One a line: scheme, host and port, such as https://app.example.com. Every other site is refused."
                    value=origins_text error=save_error/>
                <TextField label="Days a closed panel stays away" name="snooze_days" kind="number"
                    value=channel.snooze_days.to_string() error=save_error
                    hint=format!("Between 1 and 365; {DEFAULT_SNOOZE_DAYS} to start with.")/>
                <p><button type="submit" class="button">"Save"</button></p>
                {move || matches!(action.value().get(), Some(Ok(_))).then(|| view! {
                    <div class="notice notice-success" role="status">"Saved."</div>
                })}
            </ServerForm>
            <div class="page-actions">
                {can_turn_on.then(|| renew("renew", "Make a new key and secret", "button small"))}
                {button("off", "Turn off", "button small danger")}
            </div>
            <p class="hint">{format!(
                "A new key and secret stop the current snippet and signatures at once. {} so far.",
                count(counts.shown, "person was shown the panel", "people were shown the panel")
            )}</p>
        })}
    }
    .into_any()
}
