//! Sending a survey: recipients chosen from the contacts or pasted, personal links, the
//! wording of the invitation and reminder, the outbox the worker drains, reminders, test
//! mail and the release flow. `use_cases` holds the actions every front door calls.
pub mod api;
pub mod mail_placeholders;
pub mod panels;
pub mod progress;
pub mod test_mail;
pub mod wording;
pub mod wording_page;

#[cfg(feature = "ssr")]
pub mod choose_db;
#[cfg(feature = "ssr")]
pub mod choose_page;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod links_page;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod paste_page;
#[cfg(feature = "ssr")]
pub mod release_flow;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod send_db;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod use_cases;
#[cfg(feature = "ssr")]
pub mod window;
