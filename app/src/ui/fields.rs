use crate::error::AppError;
use leptos::prelude::*;

/// A labelled input whose hint and error are tied to it for screen readers.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    /// The error of the last submission; this field shows its own message from it.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let message = Memo::new(move |_| error.get().and_then(|e| e.message_for(name)));
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message.get().map(|_| "true")
                aria-describedby=described_by
            />
            {move || {
                message
                    .get()
                    .map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
            }}
        </div>
    }
}

/// The message of a failed submission that belongs to no single field.
#[component]
pub fn FormMessage(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// Fields that show their own messages; errors naming only these are not repeated here.
    fields: &'static [&'static str],
) -> impl IntoView {
    let general = move || {
        error.get().and_then(|e| match &e {
            AppError::Validation(list)
                if list.iter().all(|f| fields.contains(&f.field.as_str())) =>
            {
                None
            }
            _ => Some(e.to_string()),
        })
    };
    view! {
        {move || general().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
    }
}
