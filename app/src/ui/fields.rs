use crate::error::AppError;
use leptos::prelude::*;

/// The ids and messages that tie a field's hint and error to its control.
struct FieldIds {
    id: String,
    hint: String,
    error: String,
}

impl FieldIds {
    fn new(id: Option<String>, name: &str) -> Self {
        let id = id.unwrap_or_else(|| format!("field-{name}"));
        Self {
            hint: format!("{id}-hint"),
            error: format!("{id}-error"),
            id,
        }
    }
}

/// The message for this field from the last submission's error. `key` is the field's
/// name, or `name:question_id` where several forms on one page share field names.
fn field_message(error: Signal<Option<AppError>>, key: String) -> Memo<Option<String>> {
    Memo::new(move |_| error.get().and_then(|e| e.message_for(&key)))
}

fn described_by(
    has_hint: bool,
    ids: &FieldIds,
    message: Memo<Option<String>>,
) -> impl Fn() -> Option<String> {
    let (hint, error) = (ids.hint.clone(), ids.error.clone());
    move || {
        let mut list = Vec::new();
        if has_hint {
            list.push(hint.clone());
        }
        if message.get().is_some() {
            list.push(error.clone());
        }
        (!list.is_empty()).then(|| list.join(" "))
    }
}

/// A labelled input whose hint and error are tied to it for screen readers.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] required: bool,
    /// The element id, when the same field appears in several forms on a page.
    #[prop(optional, into)]
    id: Option<String>,
    /// Where this field's message is found in the error (default: its name).
    #[prop(optional, into)]
    error_key: Option<String>,
    /// The error of the last submission; this field shows its own message from it.
    #[prop(into)]
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let ids = FieldIds::new(id, name);
    let message = field_message(error, error_key.unwrap_or_else(|| name.to_string()));
    let described = described_by(hint.is_some(), &ids, message);
    let error_id = ids.error.clone();
    view! {
        <div class="field">
            <label for=ids.id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=ids.hint.clone()>{h}</p> })}
            <input id=ids.id.clone() name=name type=kind value=value autocomplete=autocomplete required=required
                aria-invalid=move || message.get().map(|_| "true") aria-describedby=described/>
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
        </div>
    }
}

/// A labelled multi-line text field, with the same hint and error wiring as `TextField`.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(default = 3)] rows: u32,
    #[prop(optional, into)] id: Option<String>,
    #[prop(optional, into)] error_key: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let ids = FieldIds::new(id, name);
    let message = field_message(error, error_key.unwrap_or_else(|| name.to_string()));
    let described = described_by(hint.is_some(), &ids, message);
    let error_id = ids.error.clone();
    view! {
        <div class="field">
            <label for=ids.id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=ids.hint.clone()>{h}</p> })}
            <textarea id=ids.id.clone() name=name rows=rows.to_string()
                aria-invalid=move || message.get().map(|_| "true") aria-describedby=described>{value.as_deref().map(super::textarea_text)}</textarea>
            {move || message.get().map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })}
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
                if list.iter().all(|f| {
                    fields
                        .iter()
                        .any(|name| f.field.split(':').next() == Some(*name))
                }) =>
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
