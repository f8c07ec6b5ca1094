//! Distribution: who a survey goes to, their personal links, the invitation email and
//! its outbox, unsubscribing, and the development mailbox.
pub mod api;
pub mod audience_api;
mod audience_forms;
mod contacts_page;
mod mail_placeholders;
mod mailbox_page;
pub mod model;
mod pages;
pub mod progress;

#[cfg(feature = "ssr")]
pub mod audience_db;
#[cfg(feature = "ssr")]
pub mod choose_db;
#[cfg(feature = "ssr")]
pub mod choose_page;
#[cfg(feature = "ssr")]
pub mod contacts;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod import_page;
#[cfg(feature = "ssr")]
mod links_page;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod mailbox_db;
#[cfg(feature = "ssr")]
pub mod outbox;
#[cfg(feature = "ssr")]
pub mod release_flow;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod send_db;
#[cfg(feature = "ssr")]
pub mod sending;
pub mod test_mail;
pub mod tiers;
#[cfg(feature = "ssr")]
pub mod tokens;
#[cfg(feature = "ssr")]
pub mod unsubscribe;
pub mod wording;
mod wording_page;

pub use contacts_page::ContactsPage;
pub use mailbox_page::{MailPage, MailboxPage};
pub use model::{parse_recipient_list, MAX_RECIPIENTS_PER_BATCH};
pub use pages::{FunnelStats, RecipientsPanel, RemindersPanel, SendPanel};
pub use wording_page::EmailWordingPanel;
