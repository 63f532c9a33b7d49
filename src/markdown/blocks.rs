//! The block syntax CommonMark lacks, read before the Markdown parser: pandoc fenced divs
//! (`::: solution`, nested, with any number of colons), MkDocs admonitions (`!!! tip "Title"`,
//! `??? hint`), kramdown's attribute lines (`{: .solution}`) and lines that merely start with a
//! colon (which the definition-list extension would take for definitions).
//!
//! The parser gets a prepared text: each callout's first and last lines become HTML comments
//! that the Markdown stage turns into the callout, an instructor note is blank lines, and
//! nothing else moves. `Prepared::original` maps any offset back to the author's file.

use super::attributes::{self, Attributes};
use super::callout::Kind;
use std::borrow::Cow;
use std::ops::Range;

/// A page body ready for the parser.
pub struct Prepared<'a> {
    pub text: Cow<'a, str>,
    /// Where each stretch of the prepared text comes from, in order.
    segments: Vec<Segment>,
    /// The callouts opened by fences and admonitions, by marker number.
    pub callouts: Vec<Opening>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    prepared: usize,
    original: usize,
    /// Written by this pass: every byte of it stands for `original`.
    inserted: bool,
}

/// A callout's opening line.
#[derive(Debug, Clone)]
pub struct Opening {
    pub kind: Kind,
    /// The kind as written (`challenge`, `Danger`): an unknown one is its label.
    pub word: String,
    pub title: Option<String>,
    /// The title's bytes in the original text, for translation.
    pub title_range: Option<Range<usize>>,
    pub attributes: Attributes,
    /// Written to be collapsible (`??? note`), whatever its kind.
    pub collapsible: bool,
    /// Collapsible but shown open (`???+`).
    pub open: bool,
    /// Where the opening line starts in the original text.
    pub offset: usize,
}

/// Something the author should fix, at an offset in the original text.
#[derive(Debug, Clone)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub help: String,
    /// An error rather than a warning.
    pub error: bool,
}

/// The deepest callouts may nest. Lessons nest two or three; each level is an element the
/// page's HTML nests, and thousands of levels make sanitising it take time in their square.
const MOST_NESTED_CALLOUTS: usize = 32;

pub fn open_marker(n: usize) -> String {
    format!("<!--coursepack-callout-{n}-->")
}

pub fn close_marker(n: usize) -> String {
    format!("<!--coursepack-callout-end-{n}-->")
}

/// What a marker comment in the prepared text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Open(usize),
    Close(usize),
}

impl Prepared<'_> {
    /// The offset in the author's file of an offset in the prepared text.
    pub fn original(&self, prepared: usize) -> usize {
        let at = self.segments.partition_point(|s| s.prepared <= prepared);
        match at.checked_sub(1).map(|i| self.segments[i]) {
            None => prepared,
            Some(segment) if segment.inserted => segment.original,
            Some(segment) => segment.original + (prepared - segment.prepared),
        }
    }

    /// The bytes in the author's file of a range in the prepared text.
    pub fn original_range(&self, prepared: Range<usize>) -> Range<usize> {
        let start = self.original(prepared.start);
        if prepared.is_empty() {
            return start..start;
        }
        // The last byte's place, so that a range ending where bytes were taken out does not
        // take them in.
        start..self.original(prepared.end - 1) + 1
    }

    /// The marker an HTML event starting at `offset` is, if this pass wrote it (an author's
    /// own comment of the same text is left alone).
    pub fn marker(&self, html: &str, offset: usize) -> Option<Marker> {
        let inserted = {
            let at = self.segments.partition_point(|s| s.prepared <= offset);
            at > 0 && self.segments[at - 1].inserted
        };
        if !inserted {
            return None;
        }
        let inner = html
            .trim()
            .strip_prefix("<!--coursepack-callout-")?
            .strip_suffix("-->")?;
        match inner.strip_prefix("end-") {
            Some(n) => n.parse().ok().map(Marker::Close),
            None => inner.parse().ok().map(Marker::Open),
        }
    }
}

/// Prepares a page body for the parser. Most pages have none of this syntax and are
/// borrowed as they are.
pub fn prepare(text: &str) -> Prepared<'_> {
    let mut pass = Pass::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        pass.line(start, line);
        start += line.len();
    }
    pass.finish(text)
}

#[derive(Default)]
struct Pass {
    edits: Vec<(Range<usize>, String)>,
    frames: Vec<Frame>,
    /// Where the open admonitions are in `frames`, innermost last: a line is checked against
    /// them alone, so that thousands of nested fenced divs cost no more per line than one.
    admonitions: Vec<usize>,
    /// How many of the open frames are callouts (the others are left out or flattened).
    callouts_open: usize,
    /// An open code fence: its character, length, and the frame depth it opened at.
    code: Option<(u8, usize, usize)>,
    callouts: Vec<Opening>,
    problems: Vec<Problem>,
}

struct Frame {
    role: Role,
    /// For an admonition, the indentation of its content.
    content_indent: Option<usize>,
    offset: usize,
}

/// What an open fence or admonition makes of its lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A callout: the marker number.
    Callout(usize),
    /// An instructor note: its lines are left out.
    LeftOut,
    /// Nested deeper than callouts may: its lines are shown as the callout around them.
    Flattened,
}

impl Pass {
    fn left_out(&self) -> bool {
        self.frames.last().is_some_and(|f| f.role == Role::LeftOut)
    }

    /// The indentation admonitions take off their content lines.
    fn strip(&self) -> usize {
        self.admonitions
            .last()
            .and_then(|&at| self.frames[at].content_indent)
            .unwrap_or(0)
    }

    fn line(&mut self, start: usize, line: &str) {
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        let indent = columns(content);
        if !blank {
            // Admonitions nest deeper to the right: the innermost needs the most indentation.
            while self.strip() > indent {
                self.close_frame(start, false);
            }
        }
        let strip = self.strip();
        let cut = if strip > 0 {
            bytes_for_columns(content, strip)
        } else {
            0
        };
        let body = &content[cut..];
        let body_start = start + cut;
        let line_end = start + content.len();
        if self.left_out() {
            // Fences inside an instructor note are followed too, so that its end is found.
            if self.code_line(body) || !self.fence_line(start, body, body_start) {
                self.edits.push((start..start + line.len(), String::new()));
            }
            return;
        }
        if cut > 0 {
            self.edits.push((start..body_start, String::new()));
        }
        if self.code_line(body) {
            return;
        }
        if self.fence_line(start, body, body_start) {
            return;
        }
        let trimmed = body.trim_start();
        if columns(body) <= 3 {
            if let Some(prefix) = kramdown_line_prefix(trimmed) {
                // An attribute line right under a block would continue its paragraph: a line
                // of its own quote markers ends that paragraph first.
                self.edits
                    .push((body_start..body_start, format!("{prefix}\n")));
                return;
            }
            if let Some(after) = trimmed.strip_prefix(':')
                && !after.starts_with([' ', '\t'])
            {
                // Only `: ` starts a definition; `:smile:` or `::` is text.
                let colon = line_end - trimmed.len();
                self.edits.push((colon..colon, "\\".to_string()));
            }
        }
        self.math_delimiters(body, body_start);
    }

    /// LaTeX's `\(…\)` and `\[…\]` (MkDocs' arithmatex, pandoc) become the `$…$` and `$$…$$`
    /// the parser reads as math; code spans are left alone.
    fn math_delimiters(&mut self, body: &str, body_start: usize) {
        if !body.contains('\\') {
            return;
        }
        let bytes = body.as_bytes();
        let mut i = 0;
        while i + 1 < bytes.len() {
            match bytes[i] {
                b'`' => {
                    // Skip the code span this run of backticks opens, if it closes.
                    let run = fence_run(&body[i..], b'`');
                    let closing = "`".repeat(run);
                    i += run;
                    if let Some(end) = body[i..].find(&closing) {
                        i += end + run;
                    }
                    continue;
                }
                b'\\' => {
                    let at = body_start + i;
                    match bytes[i + 1] {
                        b'(' => {
                            let spaces = body[i + 2..].len() - body[i + 2..].trim_start().len();
                            self.edits.push((at..at + 2 + spaces, "$".into()));
                            i += 2 + spaces;
                        }
                        b')' => {
                            let before = &body[..i];
                            let spaces = before.len() - before.trim_end().len();
                            self.edits.push((at - spaces..at + 2, "$".into()));
                            i += 2;
                        }
                        b'[' | b']' => {
                            self.edits.push((at..at + 2, "$$".into()));
                            i += 2;
                        }
                        // An escaped character: never the start of a delimiter.
                        _ => i += 2,
                    }
                    continue;
                }
                _ => i += 1,
            }
        }
    }

    /// Follows code fences, so that nothing inside one is read as a fence of ours.
    fn code_line(&mut self, body: &str) -> bool {
        let trimmed = body.trim_start();
        if let Some((char, length, _)) = self.code {
            if columns(body) <= 3 && fence_run(trimmed, char) >= length && {
                let rest = &trimmed[fence_run(trimmed, char)..];
                rest.trim().is_empty()
            } {
                self.code = None;
            }
            return true;
        }
        if columns(body) > 3 {
            return false;
        }
        for char in [b'`', b'~'] {
            let run = fence_run(trimmed, char);
            if run >= 3 && !(char == b'`' && trimmed[run..].contains('`')) {
                self.code = Some((char, run, self.frames.len()));
                return true;
            }
        }
        false
    }

    /// Opens or closes a fenced div or an admonition on this line.
    fn fence_line(&mut self, start: usize, body: &str, body_start: usize) -> bool {
        let line_end = body_start + body.len();
        if columns(body) > 3 {
            return false;
        }
        let trimmed = body.trim_start();
        let colons = fence_run(trimmed, b':');
        if colons >= 3 {
            let rest = trimmed[colons..].trim();
            if rest.trim_matches(':').is_empty() {
                if self.frames.len() > self.admonitions.len() {
                    // Closes the innermost fenced div (and admonitions opened inside it).
                    while self
                        .frames
                        .last()
                        .is_some_and(|f| f.content_indent.is_some())
                    {
                        self.close_frame(start, false);
                    }
                    self.close_frame_at(start, line_end, false);
                } else {
                    self.problems.push(Problem {
                        offset: body_start,
                        message: format!("`{}` closes no fenced div", trimmed.trim()),
                        help: "remove it, or open the div above with a kind: `::: note`".into(),
                        error: false,
                    });
                    self.edits.push((body_start..line_end, String::new()));
                }
                return true;
            }
            let rest_start = line_end - trimmed[colons..].trim_start().len();
            let opening = div_opening(rest, rest_start, body_start);
            self.open_frame(opening, None, start, body_start..line_end);
            return true;
        }
        let (marker, open) = if let Some(after) = trimmed.strip_prefix("???+") {
            (after, true)
        } else if let Some(after) = trimmed.strip_prefix("???") {
            (after, false)
        } else if let Some(after) = trimmed.strip_prefix("!!!") {
            (after, false)
        } else {
            return false;
        };
        if !marker.starts_with([' ', '\t']) || marker.trim().is_empty() {
            return false;
        }
        let rest_start = line_end - marker.trim_start().len();
        let mut opening = admonition_opening(marker.trim(), rest_start, body_start);
        opening.collapsible = !trimmed.starts_with("!!!");
        opening.open = open;
        let content_indent = columns(body) + self.strip() + 4;
        self.open_frame(opening, Some(content_indent), start, body_start..line_end);
        true
    }

    fn open_frame(
        &mut self,
        opening: Opening,
        content_indent: Option<usize>,
        start: usize,
        line: Range<usize>,
    ) {
        let left_out = self.left_out() || opening.kind.left_out();
        if opening.kind == Kind::Other {
            self.problems.push(Problem {
                offset: opening.offset,
                message: format!(
                    "unknown callout kind `{}`: shown as a plain callout",
                    opening.word
                ),
                help: unknown_kind_help(&opening.word),
                error: false,
            });
        }
        let role = if left_out {
            self.edits.push((start..line.end, String::new()));
            Role::LeftOut
        } else if self.callouts_open >= MOST_NESTED_CALLOUTS {
            if !self
                .problems
                .iter()
                .any(|p| p.message.starts_with("fenced div nested"))
            {
                self.problems.push(Problem {
                    offset: start,
                    message: format!("fenced div nested deeper than {MOST_NESTED_CALLOUTS}"),
                    help: "close some of the callouts around it: its lines are shown as part of the one around it".into(),
                    error: true,
                });
            }
            self.edits.push((start..line.end, String::new()));
            Role::Flattened
        } else {
            let n = self.callouts.len();
            self.edits.push((line, open_marker(n)));
            self.callouts.push(opening);
            self.callouts_open += 1;
            Role::Callout(n)
        };
        if content_indent.is_some() {
            self.admonitions.push(self.frames.len());
        }
        self.frames.push(Frame {
            role,
            content_indent,
            offset: start,
        });
    }

    /// Closes the innermost frame before the line at `start` (an admonition ends where its
    /// indentation does).
    fn close_frame(&mut self, start: usize, unclosed: bool) {
        self.close_frame_at(start, start, unclosed)
    }

    /// Closes the innermost frame, replacing `start..end` (its closing fence, or nothing).
    fn close_frame_at(&mut self, start: usize, end: usize, unclosed: bool) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        if frame.content_indent.is_some() {
            self.admonitions.pop();
        }
        if matches!(frame.role, Role::Callout(_)) {
            self.callouts_open -= 1;
        }
        if self
            .code
            .is_some_and(|(_, _, depth)| depth > self.frames.len())
        {
            self.code = None;
        }
        if unclosed && frame.content_indent.is_none() {
            self.problems.push(Problem {
                offset: frame.offset,
                message: "fenced div is never closed".into(),
                help: "end it with a line of colons (`:::`) after its last line".into(),
                error: false,
            });
        }
        let newline = if start == end { "\n" } else { "" };
        // A left-out note's lines are blank, so the text around it does not run together.
        let replacement = match frame.role {
            Role::Callout(n) => format!("{}{newline}", close_marker(n)),
            Role::LeftOut | Role::Flattened => newline.to_string(),
        };
        self.edits.push((start..end, replacement));
    }

    fn finish(mut self, text: &str) -> Prepared<'_> {
        if !self.frames.is_empty() && !text.ends_with('\n') && !text.is_empty() {
            self.edits.push((text.len()..text.len(), "\n".into()));
        }
        while !self.frames.is_empty() {
            self.close_frame(text.len(), true);
        }
        let Pass {
            edits,
            callouts,
            problems,
            ..
        } = self;
        if edits.is_empty() {
            return Prepared {
                text: Cow::Borrowed(text),
                segments: Vec::new(),
                callouts,
                problems,
            };
        }
        let mut prepared = String::with_capacity(text.len() + edits.len() * 32);
        let mut segments = Vec::with_capacity(edits.len() * 2 + 1);
        let mut copied = 0;
        for (range, replacement) in edits {
            if range.start > copied {
                segments.push(Segment {
                    prepared: prepared.len(),
                    original: copied,
                    inserted: false,
                });
                prepared.push_str(&text[copied..range.start]);
            }
            if !replacement.is_empty() {
                segments.push(Segment {
                    prepared: prepared.len(),
                    original: range.start,
                    inserted: true,
                });
                prepared.push_str(&replacement);
            }
            copied = copied.max(range.end);
        }
        segments.push(Segment {
            prepared: prepared.len(),
            original: copied,
            inserted: false,
        });
        prepared.push_str(&text[copied..]);
        Prepared {
            text: Cow::Owned(prepared),
            segments,
            callouts,
            problems,
        }
    }
}

/// `::: kind Title`, `:::kind[Title]`, `::: {.kind #id}`, `::: kind {#id}` after the colons.
fn div_opening(rest: &str, rest_start: usize, line_start: usize) -> Opening {
    let rest = rest.trim_end_matches(':').trim_end();
    if rest.starts_with('{') {
        let attributes = attributes::parse_line(rest).unwrap_or_default();
        let word = attributes
            .classes
            .iter()
            .find(|class| Kind::named(class).is_some())
            .or(attributes.classes.first())
            .cloned()
            .unwrap_or_else(|| "div".to_string());
        let title = attributes.get("title").map(str::to_string);
        let mut attributes = attributes;
        attributes
            .classes
            .retain(|class| Kind::named(class).is_none());
        return Opening {
            kind: Kind::named(&word).unwrap_or(Kind::Other),
            word,
            title,
            title_range: None,
            attributes,
            collapsible: false,
            open: false,
            offset: line_start,
        };
    }
    let word_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let word = rest[..word_end].to_string();
    let mut after = &rest[word_end..];
    let mut attributes = Attributes::default();
    if let Some(braces) = after.find('{')
        && let Some(parsed) = attributes::parse_line(&after[braces..])
    {
        attributes = parsed;
        after = &after[..braces];
    }
    let (title, title_range) = title_of(after, rest_start + word_end);
    Opening {
        kind: Kind::named(&word).unwrap_or(Kind::Other),
        word,
        title,
        title_range,
        attributes,
        collapsible: false,
        open: false,
        offset: line_start,
    }
}

/// `note "Title"` or `note inline end` after `!!!` or `???`: extra words are MkDocs layout
/// hints and are dropped; `""` asks for no title.
fn admonition_opening(rest: &str, rest_start: usize, line_start: usize) -> Opening {
    let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let word = rest[..word_end].to_string();
    let after = &rest[word_end..];
    let (title, title_range) = match after.find('"') {
        Some(quote) => title_of(&after[quote..], rest_start + word_end + quote),
        None => (None, None),
    };
    Opening {
        kind: Kind::named(&word).unwrap_or(Kind::Other),
        word,
        title,
        title_range,
        attributes: Attributes::default(),
        collapsible: false,
        open: false,
        offset: line_start,
    }
}

/// A title as written after the kind, without its quotes or brackets.
fn title_of(text: &str, start: usize) -> (Option<String>, Option<Range<usize>>) {
    let leading = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| {
            trimmed
                .strip_prefix('\'')
                .and_then(|t| t.strip_suffix('\''))
        })
        .or_else(|| trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')))
        .unwrap_or(trimmed);
    if inner.trim().is_empty() {
        return (None, None);
    }
    let inner_start = start + leading + (trimmed.len() - inner.len()) / 2;
    (
        Some(inner.to_string()),
        Some(inner_start..inner_start + inner.len()),
    )
}

fn unknown_kind_help(word: &str) -> String {
    const KINDS: &str = "note, tip, important, warning, caution, example, objectives, questions, keypoints, prerequisites, challenge, solution, hint, details, instructor";
    let suggestion = crate::diagnostics::closest(word, KINDS.split(", "))
        .map(|kind| format!("did you mean `{kind}`? "))
        .unwrap_or_default();
    format!("{suggestion}the kinds are {KINDS}")
}

/// The quote markers in front of a kramdown attribute line (`> > {: .solution}`), if the
/// line is one.
fn kramdown_line_prefix(line: &str) -> Option<String> {
    let mut prefix = String::new();
    let mut rest = line;
    while let Some(after) = rest.trim_start().strip_prefix('>') {
        prefix.push('>');
        rest = after;
    }
    let attributes = attributes::parse_line(rest)?;
    attributes.kramdown.then_some(prefix)
}

/// How many times `char` repeats at the start of `text`.
fn fence_run(text: &str, char: u8) -> usize {
    text.bytes().take_while(|&b| b == char).count()
}

/// The indentation of a line in columns (a tab to the next multiple of four).
fn columns(line: &str) -> usize {
    let mut width = 0;
    for b in line.bytes() {
        match b {
            b' ' => width += 1,
            b'\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// The bytes of leading white space that make up `wanted` columns (or all there is).
fn bytes_for_columns(line: &str, wanted: usize) -> usize {
    let mut width = 0;
    for (i, b) in line.bytes().enumerate() {
        if width >= wanted {
            return i;
        }
        match b {
            b' ' => width += 1,
            b'\t' => width += 4 - width % 4,
            _ => return i,
        }
    }
    line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_without_the_syntax_are_borrowed() {
        let text = "# Title\n\nA: b\n\n- list\n";
        assert!(matches!(prepare(text).text, Cow::Borrowed(_)));
    }

    #[test]
    fn fenced_divs_become_markers_and_offsets_map_back() {
        let text = "Intro\n::::: challenge \"Find it\"\nDo it.\n\n::: solution\nDone.\n:::\n:::::\nAfter\n";
        let prepared = prepare(text);
        assert_eq!(
            prepared.text,
            "Intro\n<!--coursepack-callout-0-->\nDo it.\n\n<!--coursepack-callout-1-->\nDone.\n<!--coursepack-callout-end-1-->\n<!--coursepack-callout-end-0-->\nAfter\n"
        );
        assert_eq!(prepared.callouts[0].kind, Kind::Challenge);
        assert_eq!(prepared.callouts[0].title.as_deref(), Some("Find it"));
        let range = prepared.callouts[0].title_range.clone().unwrap();
        assert_eq!(&text[range], "Find it");
        let done = prepared.text.find("Done").unwrap();
        assert_eq!(prepared.original(done), text.find("Done").unwrap());
        let after = prepared.text.find("After").unwrap();
        assert_eq!(prepared.original(after), text.find("After").unwrap());
        assert!(prepared.problems.is_empty());
    }

    #[test]
    fn instructor_notes_are_left_out_with_what_they_hold() {
        let text =
            "A\n::: instructor\nSecret.\n::: solution\nAlso secret.\n:::\n```\n:::\n```\n:::\nB\n";
        let prepared = prepare(text);
        // Each fence of the note leaves a blank line: the text around it stays apart.
        assert_eq!(prepared.text, "A\n\n\n\n\nB\n");
        assert!(prepared.callouts.is_empty());
        assert_eq!(
            prepared.original(prepared.text.find('B').unwrap()),
            text.find('B').unwrap()
        );
    }

    #[test]
    fn code_fences_hide_colons() {
        let text = "```\n::: note\n```\n";
        assert!(matches!(prepare(text).text, Cow::Borrowed(_)));
    }

    #[test]
    fn admonitions_are_dedented_and_closed_where_their_indentation_ends() {
        let text = "!!! warning \"Mind the gap\"\n    First.\n\n        code\n\nAfter.\n";
        let prepared = prepare(text);
        assert_eq!(
            prepared.text,
            "<!--coursepack-callout-0-->\nFirst.\n\n    code\n\n<!--coursepack-callout-end-0-->\nAfter.\n"
        );
        assert_eq!(prepared.callouts[0].title.as_deref(), Some("Mind the gap"));
        let first = prepared.text.find("First").unwrap();
        assert_eq!(prepared.original(first), text.find("First").unwrap());
    }

    #[test]
    fn colon_lines_are_not_definitions_and_attribute_lines_stand_alone() {
        let prepared = prepare("Term\n:smile:\n> > answer\n> {: .solution}\n{: .challenge}\n");
        assert_eq!(
            prepared.text,
            "Term\n\\:smile:\n> > answer\n>\n> {: .solution}\n\n{: .challenge}\n"
        );
    }

    #[test]
    fn latex_delimiters_become_dollars_outside_code() {
        let prepared = prepare("Area \\( \\pi r^2 \\) and `\\(code\\)`.\n\\[\nx = 1\n\\]\n");
        assert_eq!(
            prepared.text,
            "Area $\\pi r^2$ and `\\(code\\)`.\n$$\nx = 1\n$$\n"
        );
    }

    #[test]
    fn unknown_kinds_unclosed_and_stray_fences_are_reported() {
        let prepared = prepare(":::\n::: tab\ntext\n");
        let messages: Vec<&str> = prepared
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "`:::` closes no fenced div",
                "unknown callout kind `tab`: shown as a plain callout",
                "fenced div is never closed"
            ]
        );
        assert!(prepared.text.ends_with("<!--coursepack-callout-end-0-->\n"));
    }
}
