//! Which language a person's page is in: the one they picked on the page, else their
//! contact's preferred language, else the first their browser asks for, else the survey's
//! default; each only if the survey offers it.
use super::model::{Language, SurveyLanguages};

/// The language of a person's page, given what they picked, their contact's preference
/// and their browser's `Accept-Language`.
pub fn choose(
    offered: &SurveyLanguages,
    picked: Option<&str>,
    preferred: Option<Language>,
    accept_language: Option<&str>,
) -> Language {
    let offered_one = |language: Language| offered.offers(language).then_some(language);
    picked
        .and_then(|code| Language::parse(code).ok())
        .and_then(offered_one)
        .or_else(|| preferred.and_then(offered_one))
        .or_else(|| {
            browser_languages(accept_language.unwrap_or_default())
                .into_iter()
                .find_map(offered_one)
        })
        .unwrap_or_else(|| offered.default_language())
}

/// The language of a page that is about no survey in particular (an unknown link): the
/// first the browser asks for whose words Soundings ships, else English.
pub fn words_language(accept_language: Option<&str>) -> Language {
    browser_languages(accept_language.unwrap_or_default())
        .into_iter()
        .find(|language| language.has_ui_words())
        .unwrap_or(Language::ENGLISH)
}

/// The language of a page's own words for someone whose language is known (a panel's,
/// a contact's) when Soundings ships its words, else their browser's.
pub fn words_language_for(known: Option<Language>, accept_language: Option<&str>) -> Language {
    known
        .filter(|language| language.has_ui_words())
        .unwrap_or_else(|| words_language(accept_language))
}

/// The `Accept-Language` header of a request, if it is readable text.
pub fn accept_language(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
}

/// The languages an `Accept-Language` header asks for, most wanted first: by their
/// weights (`q`), in the header's order where weights tie. `q=0` means "not this one";
/// tags Soundings does not know, and malformed entries, are skipped.
pub fn browser_languages(header: &str) -> Vec<Language> {
    let mut weighted: Vec<(u16, Language)> = header
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let tag = parts.next()?.trim();
            let mut weight = 1000;
            for parameter in parts {
                let (name, value) = parameter.trim().split_once('=')?;
                if name.trim() == "q" {
                    let q: f32 = value.trim().parse().ok()?;
                    if !(0.0..=1.0).contains(&q) {
                        return None;
                    }
                    weight = (q * 1000.0).round() as u16;
                }
            }
            (weight > 0 && tag != "*")
                .then(|| Language::parse(tag).ok())
                .flatten()
                .map(|language| (weight, language))
        })
        .collect();
    // A stable sort keeps the header's order among equal weights.
    weighted.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
    let mut languages: Vec<Language> = Vec::new();
    for (_, language) in weighted {
        if !languages.contains(&language) {
            languages.push(language);
        }
    }
    languages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Language {
        Language::parse(code).unwrap()
    }

    fn offered() -> SurveyLanguages {
        SurveyLanguages::parse("en", &["de".into(), "ar".into()]).unwrap()
    }

    #[test]
    fn a_language_picked_on_the_page_wins_over_everything_else() {
        let chosen = choose(&offered(), Some("ar"), Some(lang("de")), Some("de"));
        assert_eq!(chosen.code(), "ar");
    }

    #[test]
    fn the_contacts_preferred_language_wins_over_the_browsers() {
        let chosen = choose(&offered(), None, Some(lang("de")), Some("ar, en"));
        assert_eq!(chosen.code(), "de");
    }

    #[test]
    fn the_browser_decides_when_the_contact_has_no_language_the_survey_offers() {
        let chosen = choose(
            &offered(),
            Some("xx"),
            Some(lang("fr")),
            Some("fr-CH, ar;q=0.9"),
        );
        assert_eq!(chosen.code(), "ar");
    }

    #[test]
    fn the_default_is_left_when_nothing_else_matches() {
        assert_eq!(choose(&offered(), None, None, Some("ja, fr")).code(), "en");
        assert_eq!(choose(&offered(), None, None, None).code(), "en");
    }

    #[test]
    fn browser_languages_follow_their_weights_then_their_order() {
        let codes =
            |h: &str| -> Vec<&str> { browser_languages(h).into_iter().map(|l| l.code()).collect() };
        assert_eq!(
            codes("fr;q=0.2, de-AT, de;q=0.9, ar;q=0.9"),
            ["de", "ar", "fr"]
        );
        assert_eq!(codes("en;q=0, es"), ["es"]);
        assert_eq!(codes("*, xx-YY, es;q=abc, ;;, fr;q=2"), Vec::<&str>::new());
        assert_eq!(codes(""), Vec::<&str>::new());
    }
}
