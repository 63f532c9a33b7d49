//! Translation round trip through gettext PO files: `export` lists every translatable unit
//! of a course with a stable id (`msgctxt`), its location (`#:`) and what it is (`#.`);
//! `apply` writes a translated PO file back into the course's sources, replacing exactly
//! the text it came from, so that structure, links and quiz syntax stay unchanged.
//!
//! PO rather than XLIFF: Poedit, Weblate, Crowdin, Lokalize, OmegaT, memoQ and Trados all
//! open PO files, they diff well in git, and msgmerge-style updates keep earlier work.

mod units;

use crate::config::toml_string;
use crate::diagnostics::{Diagnostic, Position};
use crate::markdown::parser;
use crate::model::Course;
use polib::catalog::Catalog;
use polib::message::Message;
use polib::metadata::CatalogMetadata;
use pulldown_cmark::Event;
use std::collections::HashMap;
use units::{Form, Unit, course_units, toml_value};

/// Largest PO file read: a translation of the largest course is a few MiB.
const MAX_PO_BYTES: u64 = 64 << 20;
/// Longest PO line: the parser reads lines through a 64 KiB buffer and would cut a longer one.
const MAX_PO_LINE: usize = 65_000;

/// A PO file as read: its catalogue, and where each message's translation starts, so that
/// a problem with a translation is shown at its line.
pub struct PoFile {
    pub catalog: Catalog,
    /// The file, as an absolute path (diagnostics are shown relative to the course folder).
    pub path: std::path::PathBuf,
    /// The line of each `msgstr` by the message's `msgctxt`.
    msgstr_lines: HashMap<String, usize>,
}

/// Reads a PO file. Each line is checked to be a comment, a keyword with one quoted string,
/// or a quoted continuation, and is given to the parser in the one shape it reads right:
/// polib panics on an unterminated string, a lone `#` or a continuation with nothing before
/// it, misreads indented lines and cuts a line longer than its buffer, and a translator's
/// file must get a line number and what to do instead.
pub fn read_po(path: &std::path::Path) -> anyhow::Result<PoFile> {
    use anyhow::Context as _;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(crate::fs::open(path)?, MAX_PO_BYTES + 1),
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
    let mut msgstr_lines = HashMap::new();
    let mut context = None;
    let mut parsed = String::with_capacity(text.len());
    let mut after_string = false;
    for (n, line) in text.lines().enumerate() {
        let line = match po_line(line, after_string) {
            Ok(line) => line,
            Err(problem) => anyhow::bail!("{}:{}: {problem}", path.display(), n + 1),
        };
        after_string = line.starts_with("msg") || line.starts_with('"');
        if line != "#" {
            parsed.push_str(&line);
            parsed.push('\n');
        }
        // Unit ids are one quoted line without escapes, as `export` writes them.
        if let Some(quoted) = line.strip_prefix("msgctxt \"") {
            context = Some(quoted.trim_end().trim_end_matches('"').to_string());
        } else if line.starts_with("msgstr")
            && let Some(context) = context.take()
        {
            msgstr_lines.insert(context, n + 1);
        }
    }
    let catalog = polib::po_file::parse_from_reader(parsed.as_bytes())
        .map_err(|err| anyhow::anyhow!("{}: {err}", path.display()))?;
    Ok(PoFile {
        catalog,
        path: std::path::absolute(path)?,
        msgstr_lines,
    })
}

/// One line of a PO file, as the gettext tools write them, without indentation and with one
/// space after its keyword. `after_string` says whether the line before was a keyword or a
/// continuation, which a continuation must follow.
fn po_line(line: &str, after_string: bool) -> Result<String, String> {
    let line = line.trim_end_matches('\r').trim_start();
    if line.len() > MAX_PO_LINE {
        return Err(format!(
            "the line is {} bytes long, more than {MAX_PO_LINE}; split the text into several quoted lines, as `msgcat` does",
            line.len()
        ));
    }
    if line.is_empty() || line.starts_with('#') {
        return Ok(line.to_string());
    }
    let (keyword, quoted) = match line.split_once(' ') {
        _ if line.starts_with('"') && !after_string => {
            return Err("a quoted continuation must follow a `msgid`, `msgstr` or `msgctxt` line or another quoted line".to_string());
        }
        _ if line.starts_with('"') => (None, line),
        Some((keyword, rest)) if is_po_keyword(keyword) => (Some(keyword), rest.trim_start()),
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
    Ok(match keyword {
        Some(keyword) => format!("{keyword} {quoted}"),
        None => quoted.to_string(),
    })
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
pub fn apply(course: &Course, po: &PoFile) -> Result<Translated, String> {
    let catalog = &po.catalog;
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
                    Err(problem) => result.diagnostics.push(po.at_translation(unit, problem)),
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

impl PoFile {
    /// `problem` with a translation, moved from the source text to the translation's line
    /// in the PO file, where the translator fixes it.
    fn at_translation(&self, unit: &Unit, mut problem: Diagnostic) -> Diagnostic {
        if let Some(&line) = self.msgstr_lines.get(&unit.id) {
            problem.message = format!("{} (source: {}:{})", problem.message, unit.file, unit.line);
            problem.path = self.path.display().to_string();
            problem.position = Some(Position { line, column: 1 });
        }
        problem
    }
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
/// the text's structure: a translation brings words, never new headings, lists, quiz
/// blocks, HTML or links.
fn encode(unit: &Unit, translation: &str) -> Result<String, Diagnostic> {
    let translation = translation.trim();
    if matches!(
        unit.form,
        Form::Block { .. } | Form::Line { .. } | Form::Cell
    ) && let Some(change) = structure_change(&unit.text, translation)
    {
        return Err(Diagnostic::error(
            &unit.file,
            Some(Position {
                line: unit.line,
                column: 1,
            }),
            format!("the translation of `{}` {change}", unit.id),
        )
        .with_help(
            "translate only the words: keep the source's Markdown, HTML and every `](target)` as they are",
        ));
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

/// How `translation` differs in structure from `source`, if it does: its blocks (headings,
/// lists, code and quiz blocks, quotes, tables) in order, and its raw HTML, links, images and
/// footnote references in any order (a translation may move them within a sentence).
/// Emphasis is the translator's to place.
fn structure_change(source: &str, translation: &str) -> Option<String> {
    let (source_blocks, source_inline) = structure(source);
    let (blocks, inline) = structure(translation);
    let added = |marks: &[String], source: &[String]| {
        marks.iter().find(|mark| !source.contains(mark)).cloned()
    };
    if let Some(mark) = added(&inline, &source_inline).or_else(|| added(&blocks, &source_blocks)) {
        return Some(format!("adds {mark}"));
    }
    if let Some(mark) = added(&source_inline, &inline) {
        return Some(format!("drops {mark}"));
    }
    (blocks != source_blocks).then(|| {
        format!(
            "changes its blocks from {} to {}",
            source_blocks.join(", "),
            blocks.join(", ")
        )
    })
}

/// The block marks (in order) and the inline marks (sorted) of a Markdown text.
fn structure(text: &str) -> (Vec<String>, Vec<String>) {
    use pulldown_cmark::Tag as T;
    let (mut blocks, mut inline) = (Vec::new(), Vec::new());
    for event in parser(text) {
        match event {
            Event::Start(tag) => match tag {
                T::Paragraph => blocks.push("a paragraph".to_string()),
                T::Heading { .. } => blocks.push("a heading".to_string()),
                T::BlockQuote(_) => blocks.push("a quote".to_string()),
                T::CodeBlock(_) => blocks.push("a code or quiz block".to_string()),
                T::List(_) | T::Item => blocks.push("a list".to_string()),
                T::Table(_) => blocks.push("a table".to_string()),
                T::DefinitionList | T::DefinitionListTitle | T::DefinitionListDefinition => {
                    blocks.push("a definition list".to_string())
                }
                T::FootnoteDefinition(_) => blocks.push("a footnote".to_string()),
                T::HtmlBlock => blocks.push("an HTML block".to_string()),
                T::Link { dest_url, .. } => inline.push(format!("the link `{dest_url}`")),
                T::Image { dest_url, .. } => inline.push(format!("the image `{dest_url}`")),
                _ => {}
            },
            Event::Html(html) | Event::InlineHtml(html) => {
                inline.push(format!("the HTML `{}`", html.trim()))
            }
            Event::FootnoteReference(label) => inline.push(format!("the footnote `[^{label}]`")),
            Event::Rule => blocks.push("a rule".to_string()),
            Event::TaskListMarker(_) => blocks.push("a task box".to_string()),
            _ => {}
        }
    }
    inline.sort();
    (blocks, inline)
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
        assert_eq!(
            error.message,
            "the translation of `p:1` adds the link `02-carte.md#top`"
        );
    }

    #[test]
    fn a_translation_that_adds_structure_is_refused() {
        let paragraph = || Form::Block {
            prefix: String::new(),
        };
        let source = unit("Declare *all* gifts, see [the code](code.md).", paragraph());
        for (translation, change) in [
            ("Déclarez\n\n# Titre", "adds a heading"),
            ("Déclarez\n\n- un\n- deux", "adds a list"),
            (
                "Déclarez\n\n```quiz\n? Q\n- [x] a\n```",
                "adds a code or quiz block",
            ),
            (
                "Déclarez <img src=x onerror=alert(1)> [le code](code.md)",
                "adds the HTML `<img src=x onerror=alert(1)>`",
            ),
            (
                "Déclarez [ici](https://evil.example) [le code](code.md)",
                "adds the link `https://evil.example`",
            ),
            ("Déclarez tous les cadeaux.", "drops the link `code.md`"),
        ] {
            let error = encode(&source, translation).unwrap_err();
            assert_eq!(error.message, format!("the translation of `p:1` {change}"));
        }
        // Words, emphasis and the place of a link within the sentence are the translator's.
        assert!(
            encode(
                &source,
                "Voir [le code](code.md) : déclarez **tous** les cadeaux."
            )
            .is_ok()
        );
        let heading = unit("Risk map", Form::Line { anchor: None });
        assert!(encode(&heading, "Carte <b>des</b> risques").is_err());
    }
}
