//! Distribution: who a survey goes to and their personal links. Email sending, contacts
//! and communities arrive with the Distribution issue.
mod model;
mod pages;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod handlers;
#[cfg(feature = "ssr")]
mod links_page;

pub use model::{parse_recipient_list, MAX_RECIPIENTS_PER_BATCH};
pub use pages::RecipientsPanel;
