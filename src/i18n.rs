//! What the course player says around the course text (Next, Menu, Check answer, ...), in the
//! course's language: a catalogue per language embedded in the binary, English as the
//! reference and the fallback, and course.toml's `[strings]` over both.

use crate::config::{COURSE_FILE, CourseConfig, primary_subtag};
use crate::diagnostics::{Diagnostic, LineIndex};
use std::collections::BTreeMap;

/// The built-in catalogues: language subtag and TOML text. English comes first and defines
/// the keys; every other catalogue is checked against it by a test.
const CATALOGUES: [(&str, &str); 7] = [
    ("en", include_str!("i18n/en.toml")),
    ("ar", include_str!("i18n/ar.toml")),
    ("es", include_str!("i18n/es.toml")),
    ("fr", include_str!("i18n/fr.toml")),
    ("pt", include_str!("i18n/pt.toml")),
    ("ru", include_str!("i18n/ru.toml")),
    ("uk", include_str!("i18n/uk.toml")),
];

/// Every UI string of one course, by key.
pub type UiStrings = BTreeMap<String, String>;

/// One language's strings, by key.
type Catalogue = BTreeMap<String, String>;

/// The UI strings for the course's language and `[strings]` overrides, with a warning for
/// each string that had to fall back to English.
pub fn ui_strings(config: &CourseConfig, text: &str) -> (UiStrings, Vec<Diagnostic>) {
    let english = catalogue("en").expect("the English catalogue is embedded");
    let language = config.language();
    let own = catalogue_for(language);
    let mut strings = UiStrings::new();
    let mut untranslated = Vec::new();
    for (key, english_text) in english {
        let value = match (config.strings.get(key), own.and_then(|c| c.get(key))) {
            (Some(custom), _) => custom.get_ref(),
            (None, Some(translated)) => translated,
            (None, None) => {
                untranslated.push(key.clone());
                english_text
            }
        };
        strings.insert(key.clone(), value.clone());
    }
    let mut warnings = Vec::new();
    if !untranslated.is_empty() && !is_english(language) {
        let at = LineIndex::new(text, 0).position(config.course.language.span().start);
        let shown: Vec<_> = untranslated.iter().take(8).map(String::as_str).collect();
        let more = untranslated.len() - shown.len();
        warnings.push(
            Diagnostic::warning(
                COURSE_FILE,
                Some(at),
                format!(
                    "no built-in translation of the player for `{language}`: {} strings will show in English",
                    untranslated.len()
                ),
            )
            .with_help(format!(
                "translate them under [strings] in course.toml: {}{}",
                shown.join(", "),
                if more > 0 { format!(" and {more} more (README, \"Languages and translation\", links the full list)") } else { String::new() }
            )),
        );
    }
    (strings, warnings)
}

/// Errors for `[strings]` keys the player does not have and placeholders it cannot fill.
pub fn check_overrides(config: &CourseConfig, text: &str) -> Vec<Diagnostic> {
    let english = catalogue("en").expect("the English catalogue is embedded");
    let index = LineIndex::new(text, 0);
    let mut problems = Vec::new();
    for (key, value) in &config.strings {
        let at = Some(index.position(value.span().start));
        let Some(reference) = english.get(key) else {
            let closest = crate::diagnostics::closest(key, english.keys().map(String::as_str));
            let help = match closest {
                Some(known) => format!("did you mean `{known}`?"),
                None => {
                    let known: Vec<_> = english.keys().map(String::as_str).collect();
                    format!("the keys are: {}", known.join(", "))
                }
            };
            problems.push(
                Diagnostic::error(COURSE_FILE, at, format!("[strings] has no key `{key}`"))
                    .with_help(help),
            );
            continue;
        };
        let allowed = placeholders(reference);
        for name in placeholders(value.get_ref()) {
            if !allowed.contains(&name) {
                problems.push(
                    Diagnostic::error(
                        COURSE_FILE,
                        at,
                        format!(
                            "[strings] `{key}` uses `{{{name}}}`, which the player does not fill in"
                        ),
                    )
                    .with_help(format!(
                        "this string can use: {}",
                        if allowed.is_empty() {
                            "no placeholders".to_string()
                        } else {
                            allowed
                                .iter()
                                .map(|p| format!("{{{p}}}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }
                    )),
                );
            }
        }
    }
    problems
}

fn is_english(language: &str) -> bool {
    primary_subtag(language) == "en"
}

/// The catalogue of a language tag (`pt-BR` uses `pt`), if one is built in.
fn catalogue_for(language: &str) -> Option<&'static Catalogue> {
    catalogue(&primary_subtag(language))
}

/// A built-in catalogue, parsed once per process (the preview loads the course on every save).
fn catalogue(subtag: &str) -> Option<&'static Catalogue> {
    static PARSED: std::sync::LazyLock<Vec<(&str, Catalogue)>> = std::sync::LazyLock::new(|| {
        CATALOGUES
            .iter()
            .map(|(tag, text)| {
                let parsed =
                    toml::from_str(text).expect("built-in catalogues are valid TOML (tested)");
                (*tag, parsed)
            })
            .collect()
    });
    PARSED
        .iter()
        .find(|(tag, _)| *tag == subtag)
        .map(|(_, catalogue)| catalogue)
}

/// `{name}` placeholders of a string, in order.
fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                found.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_has_every_english_key_and_the_same_placeholders() {
        let english = catalogue("en").unwrap();
        for (tag, _) in CATALOGUES {
            let other = catalogue(tag).unwrap();
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty(), "`{tag}` lacks {missing:?}");
            assert!(extra.is_empty(), "`{tag}` has unknown keys {extra:?}");
            for (key, text) in english {
                let mut want = placeholders(text);
                let mut got = placeholders(&other[key]);
                want.sort();
                got.sort();
                assert_eq!(want, got, "`{tag}` `{key}`");
                assert!(!other[key].trim().is_empty(), "`{tag}` `{key}` is empty");
            }
        }
    }

    #[test]
    fn region_subtags_use_the_language_catalogue() {
        assert_eq!(catalogue_for("pt-BR").unwrap()["next"], "Próxima");
        assert_eq!(catalogue_for("AR").unwrap()["next"], "التالي");
        assert!(catalogue_for("de").is_none());
    }

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(placeholders("{n} of {total}"), ["n", "total"]);
        assert!(placeholders("no braces {").is_empty());
    }
}
