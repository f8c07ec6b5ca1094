//! Closing the loop: once a survey has closed, an editor writes what the team heard and
//! what it is doing, and sends it to the people who ticked "tell me what you do with
//! this" (and, if the editor chooses, to those who did not answer), through the outbox
//! with its windows and unsubscribe rules. The next survey's results compare the response
//! rate of people who received such a message with that of people who did not.
pub mod api;
pub mod model;
pub mod panel;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod use_cases;
