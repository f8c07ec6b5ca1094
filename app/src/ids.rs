//! Typed ids, parsed once where a request, a form or a command line hands one over, so the
//! code behind the edge never asks again whether a string is an id (or which kind).
use crate::error::AppError;
use std::fmt;
use std::ops::Deref;

/// A survey's id: a UUID in its lowercase hyphenated form, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SurveyId(String);

impl SurveyId {
    /// Any text that is not a UUID names no survey: `NotFound`, as a survey that does not
    /// exist, so a malformed address and an unknown one look the same.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        uuid::Uuid::parse_str(text)
            .map(|id| Self(id.to_string()))
            .map_err(|_| AppError::NotFound)
    }

    /// A fresh id for a new survey.
    pub fn generate() -> Self {
        Self(crate::db::new_id())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SQL helpers take `&str`; a `&SurveyId` is one.
impl Deref for SurveyId {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SurveyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<SurveyId> for String {
    fn from(id: SurveyId) -> Self {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::SurveyId;
    use crate::error::AppError;

    #[test]
    fn a_survey_id_is_kept_in_the_form_it_is_stored_in() {
        let id = SurveyId::parse("6F9619FF-8B86-D011-B42D-00C04FC964FF").unwrap();
        assert_eq!(&*id, "6f9619ff-8b86-d011-b42d-00c04fc964ff");
    }

    #[test]
    fn text_that_is_not_a_uuid_names_no_survey() {
        for text in [
            "",
            "42",
            "../etc/passwd",
            "6f9619ff-8b86-d011-b42d-00c04fc964f",
        ] {
            assert!(
                matches!(SurveyId::parse(text), Err(AppError::NotFound)),
                "{text}"
            );
        }
    }
}
