//! Settings files read so that every problem is reported in one run. Serde stops at the first
//! bad key; here the entry it stopped at is set aside and the file read again, until nothing
//! is left to complain about. Each problem says what to write instead: the closest key or
//! value for a misspelling, the quoted form for text written bare.

use crate::diagnostics::{Diagnostic, LineIndex, Position, closest};
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

/// How a key the file's format does not have is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKeys {
    /// A setting misspelt changes what the course does: `course.toml`, `module.toml`.
    Error,
    /// Pages brought from other tools carry their keys (`layout`, `teaching`): said, not fatal.
    Warning,
}

/// What a settings file gave: the value read without the entries that had problems (so
/// that it can still be checked), and the problems.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub problems: Vec<Diagnostic>,
}

impl<T> Parsed<T> {
    pub fn has_errors(&self) -> bool {
        self.problems
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error)
    }
}

/// A file cannot hold more problems than this: the loop ends even on input built to make it
/// go round.
const MOST_PROBLEMS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Toml,
    Yaml,
}

/// Reads TOML that starts at line `first_line + 1` of the file `path`.
pub fn toml<T: DeserializeOwned>(
    text: &str,
    path: &str,
    first_line: usize,
    unknown: UnknownKeys,
) -> Parsed<T> {
    let lines = LineIndex::new(text, first_line);
    let report = |problems: &mut Vec<Diagnostic>, message: &str, at: Option<usize>| {
        let position = at.map(|at| lines.position(at));
        // One problem a line: a value set aside for its syntax is not wrong twice.
        let line = position.map(|p| p.line);
        if line.is_some()
            && problems
                .iter()
                .any(|d: &Diagnostic| d.position.map(|p| p.line) == line)
        {
            return;
        }
        let line = at.map_or("", |at| line_at(text, at));
        problems.push(diagnose(
            path,
            position,
            message,
            line,
            Syntax::Toml,
            unknown,
        ));
    };
    // Syntax first: each bad line is reported and blanked, and the rest read again, so that
    // one bare word does not hide the lines after it.
    let mut readable = text.to_string();
    let mut problems = Vec::new();
    let mut blanked_keys = Vec::new();
    let mut table = loop {
        let (table, errors) = DeTable::parse_recoverable(&readable);
        if errors.is_empty() || problems.len() >= MOST_PROBLEMS {
            break table.into_inner().clone();
        }
        let mut blanked = false;
        let mut header = false;
        for error in &errors {
            let at = error.span().map(|s| s.start);
            report(&mut problems, error.message(), at);
            if let Some(at) = at {
                let line = line_at(text, at);
                // Without its `[table]` line, the keys under it would each seem misplaced.
                header |= line.trim_start().starts_with('[');
                blanked_keys.push(key_and_value(line, Syntax::Toml).0.to_string());
                blanked |= set_aside_value(&mut readable, at);
            }
        }
        if !blanked || header {
            return Parsed {
                value: None,
                problems,
            };
        }
    };
    let value = loop {
        let read = T::deserialize(toml::de::Deserializer::from(toml::Spanned::new(
            0..readable.len(),
            table.clone(),
        )));
        match read {
            Ok(value) => break Some(value),
            Err(error) => {
                let message = error.message();
                if let Some(rest) = message.strip_prefix("missing field ") {
                    // A key on a line blanked for its syntax was reported as written.
                    let key = rest.trim_matches('`');
                    if !blanked_keys.iter().any(|blanked| blanked == key) {
                        report(&mut problems, message, error.span().map(|s| s.start));
                    }
                    break None;
                }
                report(&mut problems, message, error.span().map(|s| s.start));
                let set_aside = error
                    .span()
                    .is_some_and(|span| remove_entry(&mut table, span.start));
                if !set_aside || problems.len() >= MOST_PROBLEMS {
                    break None;
                }
            }
        }
    };
    Parsed { value, problems }
}

/// Reads YAML front matter that starts at line `first_line + 1` of the page `path`.
pub fn yaml<T: DeserializeOwned>(
    text: &str,
    path: &str,
    first_line: usize,
    unknown: UnknownKeys,
) -> Parsed<T> {
    if text.trim().is_empty() {
        return toml("", path, first_line, unknown);
    }
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut problems = Vec::new();
    let value = loop {
        let current = lines.join("\n");
        match serde_saphyr::from_str::<T>(&current) {
            Ok(value) => break Some(value),
            Err(error) => {
                use serde_saphyr::MessageFormatter;
                let message =
                    serde_saphyr::DefaultMessageFormatter.format_message(error.without_snippet());
                let message = message.trim();
                let message = message
                    .strip_prefix("error: ")
                    .map(|m| m.split_once(": ").map_or(m, |(_, rest)| rest))
                    .unwrap_or(message);
                let at = error.location().map(|at| at.line() as usize);
                let position = error.location().map(|at| Position {
                    line: first_line + at.line() as usize,
                    column: at.column() as usize,
                });
                let line = at
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|n| lines.get(n))
                    .map_or("", String::as_str);
                problems.push(diagnose(
                    path,
                    position,
                    message,
                    line,
                    Syntax::Yaml,
                    unknown,
                ));
                let set_aside = at.is_some_and(|line| blank_entry(&mut lines, line));
                if !set_aside
                    || message.starts_with("missing field")
                    || problems.len() >= MOST_PROBLEMS
                {
                    break None;
                }
            }
        }
    };
    Parsed { value, problems }
}

/// Removes the entry of `table` (or of a table inside it) whose key or value holds `at`.
/// Tables are searched whatever their own span: a `[table]` header spans only itself.
fn remove_entry(table: &mut DeTable, at: usize) -> bool {
    let hit = table.iter().find(|(key, value)| {
        key.span().contains(&at)
            || (!matches!(value.get_ref(), DeValue::Table(_)) && value.span().contains(&at))
    });
    if let Some((key, _)) = hit {
        let key = key.clone();
        return table.remove(&key).is_some();
    }
    table.iter_mut().any(|(_, value)| match value.get_mut() {
        DeValue::Table(inner) => remove_entry(inner, at),
        _ => false,
    })
}

/// Blanks YAML line `line` (1-based) and the lines that belong to its entry: those indented
/// deeper, and a list written flush under its key.
fn blank_entry(lines: &mut [String], line: usize) -> bool {
    let Some(index) = line.checked_sub(1).filter(|&i| i < lines.len()) else {
        return false;
    };
    if lines[index].trim().is_empty() {
        return false;
    }
    let indent = indentation(&lines[index]);
    let opens_block = lines[index].trim_end().ends_with(':');
    lines[index].clear();
    for next in lines[index + 1..].iter_mut() {
        let deeper = indentation(next) > indent;
        let flush_item =
            opens_block && indentation(next) == indent && next.trim_start().starts_with('-');
        if next.trim().is_empty() || deeper || flush_item {
            next.clear();
        } else {
            break;
        }
    }
    true
}

/// Makes the line holding byte `at` readable without moving any offset: a bare word
/// (`version = 0.1.0`) becomes a string of its length, so the key is still there and nothing
/// else is said about it; any other line becomes spaces.
fn set_aside_value(text: &mut String, at: usize) -> bool {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    let line = &text[start..end];
    if line.trim().is_empty() {
        return false;
    }
    let (key, raw) = key_and_value(line, Syntax::Toml);
    let replacement = if !key.is_empty() && raw.len() >= 2 && looks_like_bare_text(raw) {
        let value_start = start + line.rfind(raw).unwrap_or(0);
        let mut fixed = text[start..value_start].to_string();
        fixed.push('"');
        fixed.push_str(&"x".repeat(raw.len() - 2));
        fixed.push('"');
        fixed.push_str(&" ".repeat(end - value_start - raw.len()));
        fixed
    } else {
        " ".repeat(end - start)
    };
    text.replace_range(start..end, &replacement);
    true
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    &text[start..end]
}

/// A parse failure as authors read it, with what to write instead.
fn diagnose(
    path: &str,
    position: Option<Position>,
    message: &str,
    line: &str,
    syntax: Syntax,
    unknown: UnknownKeys,
) -> Diagnostic {
    let message = message.trim();
    let (key, raw) = key_and_value(line, syntax);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, known) = name_and_choices(rest);
        let suggestion = closest(&name, known.iter().map(String::as_str));
        let (message, help) = match (suggestion, unknown) {
            (Some(known), _) => (
                format!("unknown key `{name}`"),
                format!("did you mean `{known}`?"),
            ),
            (None, UnknownKeys::Error) => (
                format!("unknown key `{name}`"),
                format!("the keys here are {}", known.join(", ")),
            ),
            (None, UnknownKeys::Warning) => (
                format!("unknown key `{name}` is ignored"),
                format!(
                    "coursepack does not use it; remove it, or keep it for the tool it was written for (the keys coursepack reads here are {})",
                    known.join(", ")
                ),
            ),
        };
        let diagnostic = match unknown {
            UnknownKeys::Error => Diagnostic::error(path, position, message),
            UnknownKeys::Warning => Diagnostic::warning(path, position, message),
        };
        return diagnostic.with_help(help);
    }
    let (message, help) = if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, known) = name_and_choices(rest);
        let help = match closest(&name, known.iter().map(String::as_str)) {
            Some(value) => format!("did you mean `{value}`?"),
            None => format!("write one of {}", known.join(", ")),
        };
        (format!("unknown value `{name}`"), help)
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        (
            format!("missing key {rest}"),
            "add the key; \"Source format\" in README.md shows a complete example".to_string(),
        )
    } else {
        // `…, expected u32` (serde), `invalid u32` (YAML), `invalid float` (a bare word).
        let expected = match message.rsplit_once("expected ") {
            Some((_, expected)) if expected != "nothing" => expected,
            _ => message
                .strip_prefix("invalid ")
                .filter(|rest| !rest.contains(' '))
                .unwrap_or(""),
        };
        let expected = if expected == "float" && looks_like_bare_text(raw) {
            ""
        } else {
            expected
        };
        let message = if expected.is_empty() && syntax == Syntax::Toml && !key.is_empty() {
            format!("`{raw}` is not a TOML value")
        } else {
            message.to_string()
        };
        (message, type_help(key, raw, expected, syntax))
    };
    Diagnostic::error(path, position, message).with_help(help)
}

/// What to write for a value of the wrong type (or not a value at all).
fn type_help(key: &str, raw: &str, expected: &str, syntax: Syntax) -> String {
    let write = |value: String| match syntax {
        Syntax::Toml => format!("{key} = {value}"),
        Syntax::Yaml => format!("{key}: {value}"),
    };
    let bare = raw.trim_matches(|c| c == '"' || c == '\'');
    let is_number = |s: &str| s.parse::<f64>().is_ok();
    if key.is_empty() {
        return "fix the syntax at this position".to_string();
    }
    if expected.contains("string") || (expected.is_empty() && looks_like_bare_text(raw)) {
        format!("{key} is text: write {}", write(format!("\"{bare}\"")))
    } else if expected.contains("bool") {
        format!("{key} is true or false: write {}", write("true".into()))
    } else if [
        "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f32", "f64", "number",
    ]
    .iter()
    .any(|t| expected.contains(t))
    {
        let example = if is_number(bare) { bare } else { "30" };
        format!("{key} is a number: write {}", write(example.to_string()))
    } else if expected.contains("sequence") {
        format!("{key} is a list: write {}", write(format!("[\"{bare}\"]")))
    } else {
        "fix the value at this position".to_string()
    }
}

/// Bare words where a value goes (`version = 0.1.0`, `title = Risk`): meant as text.
fn looks_like_bare_text(raw: &str) -> bool {
    !raw.is_empty()
        && !raw.starts_with(['"', '\'', '[', '{'])
        && !matches!(raw, "true" | "false")
        && raw.parse::<f64>().is_err()
}

/// The key and the value as written on a line `key = value` or `key: value`.
fn key_and_value(line: &str, syntax: Syntax) -> (&str, &str) {
    let separator = match syntax {
        Syntax::Toml => '=',
        Syntax::Yaml => ':',
    };
    match line.split_once(separator) {
        Some((key, value)) => {
            let key = key.trim().trim_start_matches("- ");
            let is_key = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if is_key {
                (key, value.trim())
            } else {
                ("", "")
            }
        }
        None => ("", ""),
    }
}

/// `` `name`, expected one of `a`, `b` `` (or without backticks): the name and the choices.
fn name_and_choices(text: &str) -> (String, Vec<String>) {
    let clean = |s: &str| s.trim().trim_matches('`').trim_matches('"').to_string();
    let (name, rest) = text.split_once(", ").unwrap_or((text, ""));
    let choices = rest
        .strip_prefix("expected one of ")
        .or_else(|| rest.strip_prefix("expected "))
        .map(|list| {
            list.split(", ")
                .flat_map(|part| part.split(" or "))
                .map(clean)
                .filter(|choice| !choice.is_empty())
                .collect()
        })
        .unwrap_or_default();
    (clean(name), choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Settings {
        title: String,
        version: Option<String>,
        minutes: Option<u32>,
        #[serde(default)]
        standards: Vec<Kind>,
        #[serde(default)]
        inner: Inner,
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        flag: Option<bool>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Scorm12,
        Web,
    }

    fn report(parsed: &Parsed<Settings>) -> Vec<String> {
        let mut lines: Vec<String> = parsed
            .problems
            .iter()
            .map(|d| {
                format!(
                    "{}: {} / {}",
                    d.position.map_or(0, |p| p.line),
                    d.message,
                    d.help.as_deref().unwrap_or("")
                )
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn every_toml_problem_is_reported_with_what_to_write() {
        let text = "title = \"T\"\nversion = 0.1.0\nminutes = \"30\"\ntitel = 1\nstandards = [\"scorm\"]\n[inner]\nflag = 1\n";
        let parsed: Parsed<Settings> = toml(text, "course.toml", 0, UnknownKeys::Error);
        assert_eq!(
            report(&parsed),
            [
                "2: `0.1.0` is not a TOML value / version is text: write version = \"0.1.0\"",
                "3: invalid type: string \"30\", expected u32 / minutes is a number: write minutes = 30",
                "4: unknown key `titel` / did you mean `title`?",
                "5: unknown value `scorm` / did you mean `scorm12`?",
                "7: invalid type: integer `1`, expected a boolean / flag is true or false: write flag = true",
            ]
        );
        // What was read without the bad entries is still there to be checked.
        let value = parsed.value.unwrap();
        assert_eq!(value.title, "T");
        assert!(value.version.is_some(), "a bare word stands in as text");
        assert!(value.minutes.is_none() && value.standards.is_empty());
        assert!(value.inner.flag.is_none());
    }

    #[test]
    fn unknown_yaml_keys_are_warnings_and_the_rest_is_read() {
        let text = "title: A\nteaching: 10\nobjectives:\n- one\n- two\nminutes: soon\n";
        let parsed: Parsed<Settings> = yaml(text, "p.md", 1, UnknownKeys::Warning);
        assert_eq!(
            report(&parsed),
            [
                "3: unknown key `teaching` is ignored / coursepack does not use it; remove it, or keep it for the tool it was written for (the keys coursepack reads here are title, version, minutes, standards, inner)",
                "4: unknown key `objectives` is ignored / coursepack does not use it; remove it, or keep it for the tool it was written for (the keys coursepack reads here are title, version, minutes, standards, inner)",
                "7: invalid u32 / minutes is a number: write minutes: 30",
            ]
        );
        assert!(parsed.has_errors());
    }

    #[test]
    fn a_missing_key_ends_the_reading() {
        let parsed: Parsed<Settings> = toml("version = \"1\"\n", "c.toml", 0, UnknownKeys::Error);
        assert_eq!(
            report(&parsed),
            [
                "1: missing key `title` / add the key; \"Source format\" in README.md shows a complete example"
            ]
        );
        assert!(parsed.value.is_none());
    }
}
