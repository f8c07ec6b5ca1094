//! Webhooks and their deliveries as the admin pages show them.
use serde::{Deserialize, Serialize};

/// The events an endpoint can subscribe to, with what each means.
pub const EVENTS: [(&str, &str); 4] = [
    (
        "response.completed",
        "Someone completes a survey (anonymous surveys: no answers, no response id).",
    ),
    (
        "survey.closed",
        "A survey is closed, with its final counts.",
    ),
    (
        "send.finished",
        "Every invitation of a send has been sent, bounced or failed.",
    ),
    (
        "contact.unsubscribed",
        "A contact unsubscribes through their link.",
    ),
];

/// The test event the page's "Send a test delivery" queues.
pub const PING: &str = "ping";

/// Whether `name` is one of the events above.
pub fn is_event(name: &str) -> bool {
    EVENTS.iter().any(|(event, _)| *event == name)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub webhook_id: String,
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub allow_private: bool,
    pub active: bool,
    pub created_at: i64,
    /// Deliveries still waiting to go (queued or being sent).
    pub pending: i64,
    /// Deliveries that gave up after their last attempt.
    pub failed: i64,
}

/// One attempt history line of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub delivery_id: String,
    pub event: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub finished_at: Option<i64>,
}

/// A webhook with its signing secret and latest deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDetail {
    pub webhook: Webhook,
    pub secret: String,
    pub deliveries: Vec<Delivery>,
}
