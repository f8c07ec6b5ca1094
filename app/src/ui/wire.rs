//! How data crosses from the server to the team's pages: postcard, a compact binary
//! serde format, for server functions' answers and errors and for the resources the
//! server renders into the page (there base64, since they travel inside the HTML).
//!
//! Why not Leptos' JSON default: a JSON decoder is generated for every type the pages
//! receive, beside serde_json itself; postcard's decoders are a fraction of that. On the
//! release bundle (wasm-opt -Oz, brotli 11) the switch took the WASM from 485,445 B to
//! 412,226 B (BENCHMARKS.md, stop 30). Arguments still arrive as form fields (`PostUrl`),
//! so every form posts without script.
//!
//! A server function opts in with `output = crate::ui::wire::Postcard` and a resource is
//! made with [`resource`]. Other clients read answers with [`decode`].
use leptos::prelude::*;
use leptos::server_fn::{
    self as server_fn, Bytes, ContentType, Decodes, Encodes, Format, FormatType,
};
use serde::{de::DeserializeOwned, Serialize};

/// The answer encoding of every server function.
pub type Postcard = server_fn::codec::Post<PostcardEncoding>;

/// postcard as `server_fn` encodes bodies. (`server_fn`'s own postcard feature would bring
/// postcard's default features, and with them `heapless` and the unmaintained
/// `atomic-polyfill`.)
pub struct PostcardEncoding;

impl ContentType for PostcardEncoding {
    const CONTENT_TYPE: &'static str = "application/x-postcard";
}

impl FormatType for PostcardEncoding {
    const FORMAT_TYPE: Format = Format::Binary;
}

impl<T: Serialize> Encodes<T> for PostcardEncoding {
    type Error = postcard::Error;

    fn encode(value: &T) -> Result<Bytes, Self::Error> {
        postcard::to_allocvec(value).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for PostcardEncoding {
    type Error = postcard::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        postcard::from_bytes(&bytes)
    }
}

/// Resources' encoding inside the server-rendered page.
pub type Wire = codee::string::Base64<codee::binary::PostcardCodec>;

/// The answer of a server function (or one of its errors) from its body.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    postcard::from_bytes(body).ok()
}

/// A value's encoding: what a server function's answer carries, and a key for values
/// whose types have no `Eq` or `Hash`.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

/// `Resource::new` with this module's encoding.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Wire>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}
