//! Author-facing problems: everything wrong with a course is collected, sorted and
//! reported together, each with `file:line:column`, so a designer fixes a course in one pass.

use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the course folder, `/`-separated.
    pub path: String,
    pub position: Option<Position>,
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            position,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        path: impl Into<String>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, position, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn sort_key(&self) -> (&str, Option<Position>, Severity, &str) {
        (&self.path, self.position, self.severity, &self.message)
    }
}

/// The candidate closest to what was written, if one is close enough to be a likely typo:
/// the "did you mean" of a help line.
pub fn closest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let written = written.to_lowercase();
    candidates
        .into_iter()
        .map(|known| (strsim::jaro_winkler(&written, &known.to_lowercase()), known))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(similarity, _)| *similarity > 0.8)
        .map(|(_, known)| known)
}

/// The path closest to a missing one: a file of a similar name in the same folder (the
/// numbering aside), or one of the very name in another folder.
pub fn closest_path<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let split = |path: &'a str| path.rsplit_once('/').unwrap_or(("", path));
    let (wanted_folder, wanted_name) = wanted.rsplit_once('/').unwrap_or(("", wanted));
    let unnumbered = |name: &str| {
        name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
            .to_lowercase()
    };
    let wanted_words = unnumbered(wanted_name);
    let mut moved = None;
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let (folder, name) = split(candidate);
        if folder == wanted_folder {
            let similarity = strsim::jaro_winkler(&wanted_words, &unnumbered(name));
            if similarity > 0.85 && best.is_none_or(|(b, _)| similarity > b) {
                best = Some((similarity, candidate));
            }
        } else if name == wanted_name && moved.is_none() {
            moved = Some(candidate);
        }
    }
    best.map(|(_, candidate)| candidate).or(moved)
}

/// `text` as it may go to a terminal: control characters (but line breaks and tabs) and the
/// bidirectional overrides, which could move the cursor, retitle the window or reorder what
/// a reader sees, written as `\u{1b}` escapes. Titles, names and messages come from input
/// anyone may have written.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            safe.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    std::borrow::Cow::Owned(safe)
}

impl Diagnostic {
    /// The diagnostic with its path shown under `course_dir`, as the author's editor and
    /// terminal see it (`courses/x/01-a/02-b.md:3:5: error: ...`).
    pub fn display_in(&self, course_dir: &Path) -> String {
        let path = course_dir.join(&self.path);
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut text = match self.position {
            Some(Position { line, column }) => format!("{}:{line}:{column}: ", path.display()),
            None => format!("{}: ", path.display()),
        };
        text.push_str(&format!("{severity}: {}", self.message));
        if let Some(help) = &self.help {
            text.push_str(&format!("\n  help: {help}"));
        }
        printable(&text).into_owned()
    }

    /// The diagnostic for `--json` output, its path shown under `course_dir`.
    pub fn json_in(&self, course_dir: &Path) -> serde_json::Value {
        serde_json::json!({
            "file": course_dir.join(&self.path).display().to_string(),
            "line": self.position.map(|p| p.line),
            "column": self.position.map(|p| p.column),
            "severity": self.severity,
            "message": self.message,
            "help": self.help,
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_in(Path::new("")))
    }
}

/// The problems found in one course.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The problems in a stable order: by file, then position.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }
}

/// Maps byte offsets in a text to line and column, for parsers that report offsets. The lines
/// are found on the first position asked for: most pages have nothing to report.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// Lines that come before `text` in its file (front matter, for a page body).
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, first_line: usize) -> Self {
        LineIndex {
            text,
            line_starts: std::cell::OnceCell::new(),
            first_line,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_number(offset);
        let start = self.line_starts()[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Position {
            line: self.first_line + line + 1,
            column,
        }
    }

    /// The line of `offset` alone: the column counts characters from the line's start, which
    /// for every element of a manifest written on one line is quadratic.
    pub fn line(&self, offset: usize) -> usize {
        self.first_line + self.line_number(offset.min(self.text.len())) + 1
    }

    /// The 0-based line of `offset` within `text`.
    fn line_number(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let index = LineIndex::new("ab\nçé x\n", 0);
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(3), Position { line: 2, column: 1 });
        // "çé " is 5 bytes but 3 characters.
        assert_eq!(index.position(8), Position { line: 2, column: 4 });
        let shifted = LineIndex::new("x\ny", 4);
        assert_eq!(shifted.position(2), Position { line: 6, column: 1 });
    }

    #[test]
    fn display_names_file_line_column_and_help() {
        let d = Diagnostic::error(
            "a/b.md",
            Some(Position { line: 3, column: 7 }),
            "broken link",
        )
        .with_help("fix it");
        assert_eq!(
            d.to_string(),
            "a/b.md:3:7: error: broken link\n  help: fix it"
        );
        let w = Diagnostic::warning("01-x", None, "empty module");
        assert_eq!(w.to_string(), "01-x: warning: empty module");
    }
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(
            printable("Title\u{1b}]0;owned\u{7}\nnext\tline"),
            "Title\\u{1b}]0;owned\\u{7}\nnext\tline"
        );
        assert_eq!(printable("abc\u{202e}fed\u{9b}"), "abc\\u{202e}fed\\u{9b}");
        assert!(matches!(
            printable("Риск: ok"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
