//! Translation round trip through gettext PO files: `export` lists every translatable unit
//! of a course with a stable id (`msgctxt`), its location (`#:`) and what it is (`#.`);
//! `apply` writes a translated PO file back into the course's sources, replacing exactly
//! the text it came from, so that structure, links and quiz syntax stay unchanged.
//!
//! PO rather than XLIFF: Poedit, Weblate, Crowdin, Lokalize, OmegaT, memoQ and Trados all
//! open PO files, they diff well in git, and msgmerge-style updates keep earlier work.

mod units;

use crate::diagnostics::{Diagnostic, Position};
use crate::markdown::parser;
use crate::model::Course;
use polib::catalog::Catalog;
use polib::message::Message;
use polib::metadata::CatalogMetadata;
use pulldown_cmark::{Event, Tag};
use std::collections::HashMap;
use units::{Form, Unit, course_units, toml_value};

/// Largest PO file read: a translation of the largest course is a few MiB.
const MAX_PO_BYTES: u64 = 64 << 20;
/// Longest PO line: the parser reads lines through a 64 KiB buffer and would cut a longer one.
const MAX_PO_LINE: usize = 65_000;

/// Reads a PO file. Each line is checked to be a comment, a keyword with one quoted string,
/// or a quoted continuation before the parser sees it: polib panics on an unterminated string
/// and cuts a line longer than its buffer, and a translator's file must get a line number and
/// what to do instead.
pub fn read_po(path: &std::path::Path) -> anyhow::Result<Catalog> {
    use anyhow::Context as _;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            MAX_PO_BYTES + 1,
        ),
        &mut bytes,
    )
    .with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() as u64 > MAX_PO_BYTES {
        anyhow::bail!(
            "{}: larger than {} MiB; is this a PO file?",
            path.display(),
            MAX_PO_BYTES >> 20
        );
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        let line = 1 + err.as_bytes()[..err.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        anyhow::anyhow!("{}:{line}: the file is not UTF-8; save it with `Content-Type: text/plain; charset=UTF-8`", path.display())
    })?;
    for (n, line) in text.lines().enumerate() {
        if let Err(problem) = check_po_line(line) {
            anyhow::bail!("{}:{}: {problem}", path.display(), n + 1);
        }
    }
    polib::po_file::parse_from_reader(text.as_bytes())
        .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))
}

/// One line of a PO file, as the gettext tools write them.
fn check_po_line(line: &str) -> Result<(), String> {
    let line = line.trim_end_matches('\r').trim_start();
    if line.len() > MAX_PO_LINE {
        return Err(format!(
            "the line is {} bytes long, more than {MAX_PO_LINE}; split the text into several quoted lines, as `msgcat` does",
            line.len()
        ));
    }
    if line.is_empty() || line.starts_with('#') {
        return Ok(());
    }
    let quoted = match line.split_once(' ') {
        _ if line.starts_with('"') => line,
        Some((keyword, rest)) if is_po_keyword(keyword) => rest.trim_start(),
        _ => return Err("expected `msgctxt`, `msgid`, `msgid_plural`, `msgstr` or `msgstr[n]` and a quoted text, a quoted continuation, or a `#` comment".to_string()),
    };
    let Some(opened) = quoted.strip_prefix('"') else {
        return Err("expected a quoted text, such as `msgstr \"Текст\"`".to_string());
    };
    // A complete string: closed by a quote that no backslash escapes.
    let inner = opened.strip_suffix('"');
    let closed =
        inner.is_some_and(|inner| inner.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 0);
    if !closed {
        return Err("the quoted text is not closed; end it with `\"` on the same line".to_string());
    }
    Ok(())
}

fn is_po_keyword(word: &str) -> bool {
    matches!(word, "msgctxt" | "msgid" | "msgid_plural" | "msgstr")
        || word
            .strip_prefix("msgstr[")
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The PO catalogue of `course` for `language`. Translations already in `previous` (an
/// earlier export of the same course) are kept for the units that still exist.
pub fn export(
    course: &Course,
    language: &str,
    previous: Option<&Catalog>,
) -> anyhow::Result<Catalog> {
    // Fuzzy translations are kept too: they are the translator's work in progress.
    let done = previous
        .map(|catalog| translations(catalog, true))
        .unwrap_or_default();
    let mut metadata = CatalogMetadata::new();
    metadata.project_id_version = format!("{} {}", course.config.id(), course.config.version());
    metadata.language = language.to_string();
    // Placeholders as xgettext writes them (the export stays byte-identical); PO editors
    // fill them in.
    metadata.po_revision_date = "YEAR-MO-DA HO:MI+ZONE".to_string();
    metadata.last_translator = "FULL NAME <EMAIL@ADDRESS>".to_string();
    metadata.language_team = format!("{language} <LL@li.org>");
    metadata.mime_version = "1.0".to_string();
    metadata.content_type = "text/plain; charset=UTF-8".to_string();
    metadata.content_transfer_encoding = "8bit".to_string();
    let mut catalog = Catalog::new(metadata);
    for file in course_units(course)? {
        for unit in file.units {
            let translation = done.get(unit.id.as_str()).copied().unwrap_or_default();
            catalog.append_or_update(
                Message::build_singular()
                    .with_msgctxt(unit.id.clone())
                    .with_msgid(unit.text.clone())
                    .with_msgstr(translation.to_string())
                    .with_source(format!("{}:{}", unit.file, unit.line))
                    .with_extracted_comments(unit.note.clone())
                    .done(),
            );
        }
    }
    Ok(catalog)
}

/// A course's sources with a translation applied.
pub struct Translated {
    pub language: String,
    /// Course-relative path and new text of every file that changed.
    pub files: Vec<(String, String)>,
    pub units: usize,
    /// Units left in the source language (warnings) and translations that would break the
    /// page (errors).
    pub diagnostics: Vec<Diagnostic>,
}

impl Translated {
    pub fn untranslated(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Warning)
            .count()
    }
}

/// Applies `catalog` to the sources of `course`. The course id gets the language as a suffix
/// (`risk-management-uk`): a translation is its own package, while page and question
/// identifiers stay those of the original.
pub fn apply(course: &Course, catalog: &Catalog) -> Result<Translated, String> {
    let language = catalog.metadata.language.trim().to_string();
    if language.is_empty() {
        return Err("the PO file names no language: set `Language: uk` in its header".to_string());
    }
    // The language names the translated course's folder and goes into its course.toml.
    if !crate::config::is_language_tag(&language) {
        return Err(format!(
            "the PO header's `Language: {}` is not a BCP 47 language tag; set it to a tag such as `uk`, `fr` or `pt-BR`",
            language.escape_debug()
        ));
    }
    let translations = translations(catalog, false);
    let files = course_units(course).map_err(|err| format!("cannot read the course: {err}"))?;
    let mut result = Translated {
        language: language.clone(),
        files: Vec::new(),
        units: 0,
        diagnostics: Vec::new(),
    };
    for file in files {
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for unit in &file.units {
            result.units += 1;
            match translations
                .get(unit.id.as_str())
                .filter(|t| !t.trim().is_empty())
            {
                Some(translation) => match encode(unit, translation) {
                    Ok(text) => edits.push((unit.range.clone(), text)),
                    Err(problem) => result.diagnostics.push(problem),
                },
                None => {
                    result.diagnostics.push(untranslated(unit));
                    if unit.id.starts_with("strings:") {
                        // A player text left in the source language would hide the built-in
                        // catalogue of the new language: drop the line.
                        let line_start = file.text[..unit.range.start]
                            .rfind('\n')
                            .map_or(0, |n| n + 1);
                        let line_end = file.text[unit.range.end..]
                            .find('\n')
                            .map_or(file.text.len(), |n| unit.range.end + n + 1);
                        edits.push((line_start..line_end, String::new()));
                    }
                }
            }
        }
        if file.path == crate::config::COURSE_FILE {
            let whole = 0..file.text.len();
            if let Some(range) = toml_value(&file.text, whole.clone(), Some("course"), "id") {
                let id = format!("{}-{}", course.config.id(), language.to_ascii_lowercase());
                edits.push((range, toml_string(&id)));
            }
            if let Some(range) = toml_value(&file.text, whole, Some("course"), "language") {
                edits.push((range, toml_string(&language)));
            }
        }
        if !edits.is_empty() {
            edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
            let mut text = file.text.clone();
            for (range, replacement) in edits {
                text.replace_range(range, &replacement);
            }
            result.files.push((file.path, text));
        }
    }
    Ok(result)
}

/// The translated messages of a PO catalogue by unit id; fuzzy ones only with `fuzzy`.
fn translations(catalog: &Catalog, fuzzy: bool) -> HashMap<&str, &str> {
    catalog
        .messages()
        .filter(|m| m.is_translated() && (fuzzy || !m.is_fuzzy()))
        .filter_map(|m| Some((m.msgctxt()?, m.msgstr().ok()?)))
        .collect()
}

fn untranslated(unit: &Unit) -> Diagnostic {
    let preview: String = unit.text.chars().take(60).collect();
    let more = if unit.text.chars().count() > 60 {
        "…"
    } else {
        ""
    };
    Diagnostic::warning(
        &unit.file,
        Some(Position {
            line: unit.line,
            column: 1,
        }),
        format!("untranslated {}: \"{preview}{more}\"", unit.note),
    )
}

/// The translation as it is written into the source file, or an error when it would change
/// the page's links.
fn encode(unit: &Unit, translation: &str) -> Result<String, Diagnostic> {
    let translation = translation.trim();
    if matches!(
        unit.form,
        Form::Block { .. } | Form::Line { .. } | Form::Cell
    ) {
        let (want, got) = (link_targets(&unit.text), link_targets(translation));
        if want != got {
            return Err(Diagnostic::error(
                &unit.file,
                Some(Position {
                    line: unit.line,
                    column: 1,
                }),
                format!(
                    "the translation of `{}` changes its links: {want:?} became {got:?}",
                    unit.id
                ),
            )
            .with_help(
                "keep every `](target)` of the source text as it is; translate only the words",
            ));
        }
    }
    let one_line = || {
        translation
            .split('\n')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
    };
    Ok(match &unit.form {
        Form::Toml => toml_string(&one_line()),
        Form::Yaml => serde_json::to_string(&one_line()).expect("strings serialise"),
        // Line ends keep their trailing spaces: two of them are a hard line break.
        Form::Block { prefix } => translation
            .split('\n')
            .map(str::trim_start)
            .collect::<Vec<_>>()
            .join(&format!("\n{prefix}")),
        Form::Line {
            anchor: Some(anchor),
        } => format!("{} {{#{anchor}}}", one_line()),
        Form::Line { anchor: None } => one_line(),
        Form::Cell => escape_pipes(&one_line()),
        Form::NewTomlKey(key) => format!("\n{key} = {}\n", toml_string(&one_line())),
    })
}

fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// `|` ends a table cell unless escaped.
fn escape_pipes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        if c == '|' && previous != '\\' {
            out.push('\\');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// The link and image targets of a Markdown text, sorted.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets: Vec<String> = parser(text)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect();
    targets.sort();
    targets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(text: &str, form: Form) -> Unit {
        Unit {
            id: "p:1".into(),
            file: "01-a/01-b.md".into(),
            line: 3,
            range: 0..text.len(),
            text: text.into(),
            note: "text".into(),
            form,
        }
    }

    #[test]
    fn translations_are_written_back_in_their_syntax() {
        let block = unit(
            "A [link](b.md)\nover two lines",
            Form::Block {
                prefix: "> ".into(),
            },
        );
        assert_eq!(
            encode(&block, "Un [lien](b.md)\nsur deux lignes").unwrap(),
            "Un [lien](b.md)\n> sur deux lignes"
        );
        assert_eq!(
            encode(&block, "Un [lien](b.md)  \n  à la ligne").unwrap(),
            "Un [lien](b.md)  \n> à la ligne",
            "a hard line break survives"
        );
        let heading = unit(
            "Risk map",
            Form::Line {
                anchor: Some("risk-map".into()),
            },
        );
        assert_eq!(
            encode(&heading, "Карта ризиків").unwrap(),
            "Карта ризиків {#risk-map}"
        );
        assert_eq!(encode(&unit("a", Form::Cell), "x | y").unwrap(), "x \\| y");
        let toml = encode(&unit("T", Form::Toml), "Заголовок \"1\"").unwrap();
        let parsed: toml::Table = toml::from_str(&format!("v = {toml}")).unwrap();
        assert_eq!(parsed["v"].as_str(), Some("Заголовок \"1\""));
        assert_eq!(
            encode(&unit("T", Form::Yaml), "Título: uno").unwrap(),
            "\"Título: uno\""
        );
    }

    #[test]
    fn a_translation_that_changes_links_is_refused() {
        let block = unit(
            "See [the map](02-map.md#top).",
            Form::Block {
                prefix: String::new(),
            },
        );
        let error = encode(&block, "Voir [la carte](02-carte.md#top).").unwrap_err();
        assert!(
            error.message.contains("changes its links"),
            "{}",
            error.message
        );
    }
}
