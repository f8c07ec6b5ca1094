//! The respondent pages' own words (buttons, notices, errors, the privacy line, scale
//! labels) in the page's language, from the Fluent files in `app/locales/`.
use super::model::Language;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent wraps each placeable in Unicode isolation marks by default: numbers need
        // none (the page's `dir` lays them out), and texts get them in `with_texts`.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The words of one page: in its language when Soundings ships that language's words,
/// else in English.
#[derive(Clone)]
pub struct Words {
    id: LanguageIdentifier,
}

impl Words {
    pub fn new(language: Language) -> Self {
        let code = if language.has_ui_words() {
            language.code()
        } else {
            "en"
        };
        Self {
            id: code.parse().unwrap_or_default(),
        }
    }

    /// The message `key`; a key no file has comes back as itself, which a test catches.
    pub fn get(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// The message `key`, if the language (or English) has it.
    pub fn find(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.id, key)
    }

    /// The message `key` with texts put in, each isolated (U+2068 … U+2069) so that an
    /// address or a feature's name keeps its own direction inside an Arabic sentence.
    pub fn with_texts(&self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let isolated = format!("\u{2068}{value}\u{2069}");
                (Cow::Borrowed(*name), FluentValue::from(isolated))
            })
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }

    /// The message `key` with numbers put in (plural forms chosen by them).
    pub fn with(&self, key: &str, args: &[(&'static str, i64)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(*value)))
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::languages::model::UI_LANGUAGES;
    use std::collections::BTreeSet;

    /// Every message of every file of one language, as `file: key`.
    fn keys(code: &str) -> BTreeSet<String> {
        let mut keys = BTreeSet::new();
        for file in ["respondent.ftl", "email.ftl"] {
            let path = format!("{}/locales/{code}/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            keys.extend(
                text.lines()
                    .filter(|l| !l.starts_with([' ', '#']) && l.contains(" ="))
                    .map(|l| format!("{file}: {}", l.split(" =").next().unwrap())),
            );
        }
        keys
    }

    #[test]
    fn every_shipped_language_has_every_message_english_has_and_no_other() {
        let english = keys("en");
        assert!(english.len() > 60);
        for code in UI_LANGUAGES {
            assert_eq!(keys(code), english, "{code}");
        }
    }

    #[test]
    fn words_are_in_the_pages_language_with_numbers_and_plurals_put_in() {
        let german = Words::new(Language::parse("de").unwrap());
        assert_eq!(german.get("send"), "Antworten senden");
        let args = [("low", 1), ("high", 5)];
        assert_eq!(
            german.with("problem-choose-from-scale", &args),
            "Wählen Sie eine Antwort von 1 bis 5."
        );
        assert!(german
            .with("closed-text", &[("days", 1)])
            .starts_with("Wir zeigen diese Umfrage hier einen Tag"));
        assert!(german
            .with("closed-text", &[("days", 14)])
            .contains("14 Tage"));
        let arabic = Words::new(Language::parse("ar").unwrap());
        assert!(arabic
            .with("closed-text", &[("days", 5)])
            .contains("5 أيام"));
        assert!(arabic
            .with("closed-text", &[("days", 14)])
            .contains("14 يومًا"));
        assert!(arabic
            .with("closed-text", &[("days", 100)])
            .contains("100 يوم."));
        let too_long = arabic.with("problem-too-long", &[("max", 200), ("chars", 201)]);
        assert!(too_long.contains("200 حرف "), "{too_long}");
    }

    #[test]
    fn a_language_without_shipped_words_reads_english() {
        let italian = Words::new(Language::parse("it").unwrap());
        assert_eq!(italian.get("send"), "Send my answers");
        assert_eq!(italian.find("no-such-message"), None);
    }
}
