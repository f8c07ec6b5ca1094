//! Distribution: who a survey goes to and how it reaches them. Three sub-features:
//! `contacts` (communities, tiers, contacts, the CSV import, unsubscribing, erasure),
//! `sending` (choosing and pasting recipients, personal links, the wording of both emails,
//! the outbox, reminders, test mail, the release flow) and `mailbox` (the development
//! mailbox), `delivery` (the DNS records mailbox providers check), `in_product` (the survey's panel inside the team's own product), `close_the_loop` (what the team heard, sent after a survey closes), `intake` (bounces, complaints and
//! unsubscribe mail from the bounce mailbox), and `recipients` (a survey's recipients table). `model` holds the types their
//! pages share with the browser.
pub mod close_the_loop;
pub mod contacts;
pub mod delivery;
pub mod in_product;
pub mod intake;
pub mod mailbox;
pub mod model;
pub mod recipients;
pub mod sending;

pub use contacts::page::ContactsPage;
pub use delivery::page::MailDeliveryPage;
pub use mailbox::page::{MailPage, MailboxPage};
pub use model::{parse_recipient_list, MAX_RECIPIENTS_PER_BATCH};
pub use sending::panels::{
    AddRecipientsPanel, FunnelStats, RemindersPanel, SendPanel, SendingWindowPanel,
};
pub use sending::wording_page::EmailWordingPanel;
