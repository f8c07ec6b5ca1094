//! Responses: the respondent's page at `/s/{token}`. It is plain server-rendered HTML with
//! no script, so it works in any browser, loads fast on a phone and never carries the
//! team's WASM bundle.
pub mod answers;

#[cfg(feature = "ssr")]
pub(crate) mod access;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub(crate) mod embed;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod guessing;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
mod link;
#[cfg(feature = "ssr")]
pub mod opened;
#[cfg(feature = "ssr")]
pub(crate) mod page;
#[cfg(feature = "ssr")]
pub mod public;
#[cfg(feature = "ssr")]
pub mod recording;
#[cfg(feature = "ssr")]
pub(crate) mod reply;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
mod stored;

pub use answers::{parse_answers, AnswerValue, Answers, Submission};
