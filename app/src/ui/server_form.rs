//! Forms that call a server function. Without script a form posts its fields to the
//! function's address and the server answers with the page again; with the bundle loaded,
//! the same fields go to the same address by `fetch` and the answer updates the page.
//!
//! Why not Leptos' `ActionForm` and `ServerAction`: they read the form into the function's
//! argument type and write it out again (serde_qs both ways), and they carry a client for
//! the function; all of that is compiled once per server function, 59 of them. Here
//! the form's fields are posted as they are (what the server reads without script
//! anyway), the request and its reply are handled by one function for all forms, and only
//! decoding the answer depends on its type. On the release bundle this took the WASM from
//! 412,226 B to 364,995 B with brotli (BENCHMARKS.md, stop 30).
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

/// A server function a form can call: it fails with an `AppError` and its answer can be
/// read in the page.
pub trait FormFn:
    ServerFn<Error = AppError, Output: DeserializeOwned + Send + Sync + 'static> + 'static
{
}

impl<S> FormFn for S where
    S: ServerFn<Error = AppError, Output: DeserializeOwned + Send + Sync + 'static> + 'static
{
}

/// What a form's server function answered last, and whether it is being called now: the
/// part of Leptos' `ServerAction` the pages use.
pub struct FormAction<S: ServerFn> {
    value: RwSignal<Option<Result<S::Output, AppError>>>,
    version: RwSignal<usize>,
    // Calls on their way: a form can be sent again before the first answer arrives.
    in_flight: RwSignal<usize>,
}

impl<S: ServerFn> Clone for FormAction<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: ServerFn> Copy for FormAction<S> {}

impl<S: FormFn> FormAction<S> {
    /// A form action for `S`. After a form posted without script failed, the server
    /// renders the page again with the error in the address; it is this action's answer
    /// when it names `S`, as with `ServerAction`.
    pub fn new() -> Self {
        let failed = use_context::<ServerActionError>()
            .filter(|error| error.path() == S::PATH)
            .map(|error| Err(ServerFnUrlError::<AppError>::decode_err(error.err())));
        FormAction {
            value: RwSignal::new(failed),
            version: RwSignal::new(0),
            in_flight: RwSignal::new(0),
        }
    }
}

impl<S: ServerFn> FormAction<S> {
    /// The last answer, `None` before the first.
    pub fn value(&self) -> RwSignal<Option<Result<S::Output, AppError>>> {
        self.value
    }

    /// How many answers have arrived: resources that depend on the form read it.
    pub fn version(&self) -> RwSignal<usize> {
        self.version
    }

    /// Whether a call is on its way.
    pub fn pending(&self) -> Signal<bool> {
        let in_flight = self.in_flight;
        Signal::derive(move || in_flight.get() > 0)
    }
}

impl<S: FormFn> Default for FormAction<S> {
    fn default() -> Self {
        Self::new()
    }
}

/// A `<form>` that posts to `action`'s server function.
#[component]
pub fn ServerForm<S: FormFn>(action: FormAction<S>, children: Children) -> impl IntoView {
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if event.default_prevented() {
            return;
        }
        event.prevent_default();
        #[cfg(not(feature = "hydrate"))]
        let _ = action;
        #[cfg(feature = "hydrate")]
        {
            let Some(fields) = fields_of(&event) else {
                action.value.set(Some(Err(AppError::BadRequest)));
                return;
            };
            action.in_flight.update(|calls| *calls += 1);
            leptos::task::spawn_local(async move {
                let answer = browser::post(S::url(), fields).await;
                action
                    .value
                    .set(Some(answer.and_then(|reply| reply.decode())));
                action.version.update(|version| *version += 1);
                action.in_flight.update(|calls| *calls -= 1);
            });
        }
    };
    view! {
        <form action=S::url() method="post" on:submit=on_submit>
            {children()}
        </form>
    }
}

/// The submitted form's fields, URL-encoded as the browser posts them without script:
/// the button that submitted it counts only when it has a name. (Leptos'
/// `form_data_from_event` adds an unnamed button as an empty `=` pair.)
#[cfg(feature = "hydrate")]
fn fields_of(event: &leptos::ev::SubmitEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    let form: web_sys::HtmlFormElement = event.target()?.dyn_into().ok()?;
    let fields = web_sys::FormData::new_with_form(&form).ok()?;
    let submitter = event.submitter();
    let named = submitter
        .as_ref()
        .and_then(|element| element.dyn_ref::<web_sys::HtmlButtonElement>())
        .map(|button| (button.name(), button.value()))
        .or_else(|| {
            let input = submitter.as_ref()?.dyn_ref::<web_sys::HtmlInputElement>()?;
            Some((input.name(), input.value()))
        })
        .filter(|(name, _)| !name.is_empty());
    if let Some((name, value)) = named {
        fields.append_with_str(&name, &value).ok()?;
    }
    let fields = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&fields).ok()?;
    Some(fields.to_string().into())
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::ui::wire::PostcardEncoding;
    use leptos::server_fn::client::{browser::BrowserClient, Client};
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
    use leptos::server_fn::redirect::call_redirect_hook;
    use leptos::server_fn::request::{browser::BrowserRequest, ClientReq};
    use leptos::server_fn::response::{browser::BrowserResponse, ClientRes};
    use leptos::server_fn::{Bytes, ContentType};

    /// A server function's reply, before its body is decoded.
    pub struct Reply {
        status: u16,
        body: Bytes,
    }

    /// Posts `fields` to the server function at `url`, as `server_fn`'s own client does,
    /// following the redirect a function may answer with.
    pub async fn post(url: &str, fields: String) -> Result<Reply, AppError> {
        let request = <BrowserRequest as ClientReq<AppError>>::try_new_post(
            url,
            "application/x-www-form-urlencoded",
            PostcardEncoding::CONTENT_TYPE,
            fields,
        )?;
        let response = <BrowserClient as Client<AppError>>::send(request).await?;
        let status = <BrowserResponse as ClientRes<AppError>>::status(&response);
        let location = <BrowserResponse as ClientRes<AppError>>::location(&response);
        let redirect = <BrowserResponse as ClientRes<AppError>>::has_redirect(&response);
        let body = <BrowserResponse as ClientRes<AppError>>::try_into_bytes(response).await?;
        if status < 400 && ((300..=399).contains(&status) || redirect) {
            call_redirect_hook(&location);
        }
        Ok(Reply { status, body })
    }

    impl Reply {
        /// The answer, or the error the function failed with.
        pub fn decode<T: DeserializeOwned>(self) -> Result<T, AppError> {
            if (400..=599).contains(&self.status) {
                return Err(AppError::de(self.body));
            }
            crate::ui::wire::decode(&self.body).ok_or_else(|| {
                AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(
                    "an answer this page cannot read".into(),
                ))
            })
        }
    }
}
