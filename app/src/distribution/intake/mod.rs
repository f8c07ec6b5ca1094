//! Intake: what comes back to the bounce mailbox. Delivery status notifications mark
//! invitations bounced and suppress dead addresses, complaints and unsubscribe mail
//! unsubscribe their contact, and whatever cannot be read is kept and counted. The IMAP
//! poller (server/src/intake.rs) is the front door; the use case is `use_cases::take_in`.
pub mod model;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod report;
#[cfg(feature = "ssr")]
pub mod use_cases;
