//! The placeholders an email's wording may use, as the editor explains them (shared by
//! the browser and the server; the renderer lives in `mail`).

/// The hint under the message field.
pub const HINT: &str = "Placeholders: {{ name }}, {{ community }}, {{ feature }}, {{ survey_title }}, \
     {{ survey_link }} (a paragraph holding only the link becomes a button), {{ unsubscribe_link }}. \
     The first question's scale is added as one-click answers when it is a rating.";
