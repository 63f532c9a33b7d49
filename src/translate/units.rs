//! Finding a course's translatable units: every piece of text a learner reads, with the exact
//! byte range it came from, so that a translation replaces that range and nothing else:
//! Markdown structure, link targets, quiz syntax and settings stay as the designer wrote them.

use crate::markdown::{assign_heading_ids, parser, prepare};
use crate::model::Course;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// One piece of text to translate.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable identity (the PO `msgctxt`): the page, module or course it belongs to and a
    /// hash of the text, or the setting's name. Survives renumbering and unrelated edits.
    pub id: String,
    /// Course-relative path of the file holding it.
    pub file: String,
    /// 1-based line in that file.
    pub line: usize,
    /// Bytes of the file that a translation replaces.
    pub range: Range<usize>,
    /// The text as the translator sees it.
    pub text: String,
    /// What it is, for the translator (`heading`, `quiz option (correct)`, ...).
    pub note: String,
    pub form: Form,
}

/// How a translation is written back into its file.
#[derive(Debug, Clone, PartialEq)]
pub enum Form {
    /// A TOML string literal.
    Toml,
    /// A YAML scalar, written double-quoted.
    Yaml,
    /// Markdown text that may run over several lines: continuation lines get `prefix`
    /// (the indentation of a list item, the `> ` of a quote).
    Block { prefix: String },
    /// Markdown text on one line. A heading keeps its anchor so that links to it still work.
    Line { anchor: Option<String> },
    /// One table cell: one line, `|` escaped.
    Cell,
    /// A setting the file does not have yet (a module title taken from its folder name):
    /// a new `key = "value"` line at the end.
    NewTomlKey(&'static str),
}

/// A source file and its units.
pub struct SourceFile {
    pub path: String,
    pub text: String,
    pub units: Vec<Unit>,
}

/// Every translatable unit of a loaded course, file by file in course order.
pub fn course_units(course: &Course) -> anyhow::Result<Vec<SourceFile>> {
    // The files were read when the course loaded: a problem now is a file changed since.
    let read = |path: &str| -> anyhow::Result<String> {
        crate::load::read_text(&course.root, path)?
            .map_err(|problem| anyhow::anyhow!("{path}: {}", problem.message))
    };
    let mut files = Vec::new();

    let path = crate::config::COURSE_FILE.to_string();
    let text = read(&path)?;
    let mut units = Vec::new();
    let mut keyed = Keyed::new(&path, &text, &mut units);
    keyed.toml_key(Some("course"), "title", "course title", "course:title");
    keyed.toml_key(
        Some("course"),
        "description",
        "course description",
        "course:description",
    );
    for key in course.config.strings.keys() {
        keyed.toml_key(
            Some("strings"),
            key,
            "player text (see the English catalogue)",
            &format!("strings:{key}"),
        );
    }
    files.push(SourceFile { path, text, units });

    for module in &course.modules {
        let Some(folder) = module
            .pages
            .first()
            .and_then(|p| p.source.rsplit_once('/'))
            .map(|(f, _)| f)
        else {
            continue;
        };
        let path = format!("{folder}/{}", crate::config::MODULE_FILE);
        let text = match course.root.join(&path).is_file() {
            true => read(&path)?,
            false => String::new(),
        };
        let mut units = Vec::new();
        let mut keyed = Keyed::new(&path, &text, &mut units);
        let id = format!("module:{}", module.slug);
        keyed.toml_key(None, "title", "module title", &format!("{id}:title"));
        if keyed.units.is_empty() {
            // The title comes from the folder name: the translation adds it to module.toml.
            keyed.push(
                &format!("{id}:title"),
                text.len()..text.len(),
                module.title.clone(),
                "module title",
                Form::NewTomlKey("title"),
            );
        }
        keyed.toml_key(
            None,
            "description",
            "module description",
            &format!("{id}:description"),
        );
        files.push(SourceFile { path, text, units });
        for page in &module.pages {
            let text = read(&page.source)?;
            let body_start = text.len() - page.markdown.len();
            let mut units = Vec::new();
            let mut keyed = Keyed::new(&page.source, &text, &mut units);
            keyed.region = 0..body_start;
            let yaml = text.trim_start_matches('\u{feff}').starts_with("---");
            for key in ["title", "description"] {
                let id = format!("{}:{key}", page.id);
                let note = format!("page {key}");
                if yaml {
                    keyed.yaml_key(key, &note, &id);
                } else {
                    keyed.toml_key(None, key, &note, &id);
                }
            }
            MarkdownUnits::new(&page.source, &page.id, &text, body_start, &mut units).collect();
            files.push(SourceFile {
                path: page.source.clone(),
                text,
                units,
            });
        }
    }
    Ok(files)
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Settings in TOML or YAML (titles, descriptions): found by key, one line each.
struct Keyed<'a> {
    path: &'a str,
    text: &'a str,
    /// Where the settings are (a page's front matter); the whole file otherwise.
    region: Range<usize>,
    units: &'a mut Vec<Unit>,
}

impl<'a> Keyed<'a> {
    fn new(path: &'a str, text: &'a str, units: &'a mut Vec<Unit>) -> Self {
        Keyed {
            path,
            text,
            region: 0..text.len(),
            units,
        }
    }

    /// `key = "value"` in `[table]` (or before any table).
    fn toml_key(&mut self, table: Option<&str>, key: &str, note: &str, id: &str) {
        let Some(range) = toml_value(self.text, self.region.clone(), table, key) else {
            return;
        };
        let literal = &self.text[range.clone()];
        if let Ok(parsed) = toml::from_str::<HashMap<String, String>>(&format!("v = {literal}")) {
            self.push(id, range, parsed["v"].clone(), note, Form::Toml);
        }
    }

    /// `key: value` at the top level of YAML front matter.
    fn yaml_key(&mut self, key: &str, note: &str, id: &str) {
        let mut offset = self.region.start;
        for line in self.text[self.region.clone()].split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let Some(rest) = line
                .strip_prefix(key)
                .and_then(|r| r.trim_start().strip_prefix(':'))
            else {
                continue;
            };
            let literal = rest.trim();
            if literal.is_empty() || literal.starts_with(['|', '>']) {
                continue;
            }
            let value_start =
                start + (line.len() - rest.len()) + (rest.len() - rest.trim_start().len());
            let Ok(value) = serde_saphyr::from_str::<String>(literal) else {
                continue;
            };
            self.push(
                id,
                value_start..value_start + literal.len(),
                value,
                note,
                Form::Yaml,
            );
            return;
        }
    }

    fn push(&mut self, id: &str, range: Range<usize>, text: String, note: &str, form: Form) {
        if text.trim().is_empty() {
            return;
        }
        self.units.push(Unit {
            id: id.to_string(),
            file: self.path.to_string(),
            line: line_of(self.text, range.start),
            range,
            text,
            note: note.to_string(),
            form,
        });
    }
}

/// Where the one-line string value of `key` in `[table]` (`None`: before any table) is,
/// within `region` of a TOML text.
pub fn toml_value(
    text: &str,
    region: Range<usize>,
    table: Option<&str>,
    key: &str,
) -> Option<Range<usize>> {
    let mut current: Option<String> = None;
    let mut offset = region.start;
    for line in text[region].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            current = Some(
                trimmed
                    .trim_matches(|c| c == '[' || c == ']')
                    .trim()
                    .to_string(),
            );
            continue;
        }
        let Some((name, _)) = trimmed.split_once('=') else {
            continue;
        };
        if current.as_deref() != table || name.trim().trim_matches('"') != key {
            continue;
        }
        let after = start + line.find('=')? + 1;
        let value_start =
            after + (line[after - start..].len() - line[after - start..].trim_start().len());
        let length = toml_string_length(&text[value_start..start + line.trim_end().len()])?;
        return Some(value_start..value_start + length);
    }
    None
}

/// Length of the TOML basic or literal string at the start of `text` (one line only).
fn toml_string_length(text: &str) -> Option<usize> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    if text.starts_with("\"\"\"") || text.starts_with("'''") {
        return None;
    }
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return Some(i + 1),
            _ => escaped = false,
        }
    }
    None
}

/// The text runs of a page body: headings, paragraphs, list items, table cells, alt text and
/// the texts of quiz blocks. Code, raw HTML and quiz settings are left alone.
struct MarkdownUnits<'a> {
    path: &'a str,
    page_id: &'a str,
    text: &'a str,
    body_start: usize,
    units: &'a mut Vec<Unit>,
    seen: HashMap<String, usize>,
}

impl<'a> MarkdownUnits<'a> {
    fn new(
        path: &'a str,
        page_id: &'a str,
        text: &'a str,
        body_start: usize,
        units: &'a mut Vec<Unit>,
    ) -> Self {
        MarkdownUnits {
            path,
            page_id,
            text,
            body_start,
            units,
            seen: HashMap::new(),
        }
    }

    fn collect(mut self) {
        let body = &self.text[self.body_start..];
        // The parser reads the body as the page's Markdown stage does; ranges are mapped back
        // to the author's bytes, which a translation replaces.
        let first_unit = self.units.len();
        let prepared = prepare(body);
        let mut events: Vec<(Event, Range<usize>)> = parser(&prepared.text)
            .into_offset_iter()
            .map(|(event, range)| (event, prepared.original_range(range)))
            .collect();
        for callout in &prepared.callouts {
            if let Some(range) = &callout.title_range {
                self.push(range.clone(), "callout title", Form::Line { anchor: None });
            }
        }
        let explicit: Vec<bool> = events
            .iter()
            .map(|(e, _)| matches!(e, Event::Start(Tag::Heading { id: Some(_), .. })))
            .collect();
        assign_heading_ids(&mut events);
        let mut containers: Vec<Container> = Vec::new();
        let mut skip_depth = 0usize;
        let mut i = 0;
        while i < events.len() {
            let event = &events[i].0;
            if skip_depth > 0 {
                match event {
                    Event::Start(_) => skip_depth += 1,
                    Event::End(_) => skip_depth -= 1,
                    _ => {}
                }
                i += 1;
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                    if lang.as_ref() == "quiz" =>
                {
                    let content: Vec<&Range<usize>> = events[i + 1..]
                        .iter()
                        .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::CodeBlock)))
                        .map(|(_, r)| r)
                        .collect();
                    if let (Some(first), Some(last)) = (content.first(), content.last()) {
                        self.quiz(first.start..last.end);
                    }
                    skip_depth = 1;
                }
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)) => {
                    skip_depth = 1
                }
                Event::Start(tag) if !is_inline_tag(tag) => {
                    let container = match tag {
                        Tag::Heading { id, .. } => Container::Heading(
                            (!explicit[i])
                                .then(|| id.as_ref().map(|id| id.to_string()))
                                .flatten(),
                        ),
                        Tag::TableCell => Container::Cell,
                        _ => Container::Block,
                    };
                    containers.push(container);
                }
                Event::End(tag) if !is_inline_end(tag) => {
                    containers.pop();
                }
                event if is_inline(event) => {
                    let end = events[i..]
                        .iter()
                        .position(|(e, _)| !is_inline(e))
                        .map_or(events.len(), |n| i + n);
                    let container = containers.last().cloned().unwrap_or(Container::Block);
                    self.run(&events[i..end], container);
                    i = end;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        // Callout titles were found first: the translator reads the page in order.
        self.units[first_unit..].sort_by_key(|unit| unit.range.start);
    }

    /// One run of inline text. A run of images only gives their alt texts instead.
    fn run(&mut self, run: &[(Event, Range<usize>)], container: Container) {
        let mut depth = 0;
        let mut images_only = true;
        for (event, _) in run {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) => depth -= 1,
                _ if depth > 0 => {}
                Event::SoftBreak | Event::HardBreak => {}
                Event::Text(t) if t.trim().is_empty() => {}
                _ => images_only = false,
            }
        }
        if images_only {
            let mut depth = 0;
            let mut alt: Option<(usize, usize, String)> = None;
            for (event, range) in run {
                match event {
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        depth += 1;
                        alt = Some((usize::MAX, 0, dest_url.to_string()));
                    }
                    Event::End(TagEnd::Image) => {
                        depth -= 1;
                        if let Some((start, end, url)) = alt.take()
                            && start < end
                        {
                            let note = match crate::media::MediaKind::of(&url) {
                                Some(_) => format!("description of the media `{url}`"),
                                None => format!("alt text of the image `{url}`"),
                            };
                            self.push(start..end, &note, Form::Line { anchor: None });
                        }
                    }
                    _ if depth > 0 => {
                        if let Some((start, end, _)) = &mut alt {
                            *start = (*start).min(range.start);
                            *end = (*end).max(range.end);
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        let start = run.iter().map(|(_, r)| r.start).min().unwrap_or(0);
        let end = run.iter().map(|(_, r)| r.end).max().unwrap_or(0);
        let only_code = run.iter().all(|(e, _)| matches!(e, Event::Code(_)));
        if only_code {
            return;
        }
        match container {
            Container::Heading(anchor) => self.push(start..end, "heading", Form::Line { anchor }),
            Container::Cell => self.push(start..end, "table cell", Form::Cell),
            Container::Block => {
                let absolute = self.body_start + start;
                let line_start = self.text[..absolute].rfind('\n').map_or(0, |n| n + 1);
                let prefix: String = self.text[line_start..absolute]
                    .chars()
                    .map(|c| if c == '>' { '>' } else { ' ' })
                    .collect();
                self.push(start..end, "text", Form::Block { prefix });
            }
        }
    }

    /// The texts of a quiz block, line by line as the quiz grammar reads them (`range` is the
    /// block's content in the body).
    fn quiz(&mut self, range: Range<usize>) {
        use crate::quiz::{QuizLine, quiz_lines};
        let content = &self.text[self.body_start + range.start..self.body_start + range.end];
        for (at, line, read) in quiz_lines(content) {
            let line_start = range.start + at;
            let mut add = |text: &str, note: &str| {
                let text = text.trim();
                if text.chars().any(char::is_alphabetic) {
                    let start = line_start + (text.as_ptr() as usize - line.as_ptr() as usize);
                    self.push(start..start + text.len(), note, Form::Line { anchor: None });
                }
            };
            match read {
                QuizLine::Question(question) => add(question, "quiz question"),
                QuizLine::Continuation(text) => add(text, "quiz question (continued)"),
                QuizLine::Feedback(feedback) => add(feedback, "quiz feedback on the option above"),
                QuizLine::Choice(Some((mark, text))) => {
                    let correct = mark.trim().eq_ignore_ascii_case("x");
                    add(
                        text,
                        if correct {
                            "quiz option (a correct one)"
                        } else {
                            "quiz option (a wrong one)"
                        },
                    );
                }
                QuizLine::Pair(Some((left, right))) => {
                    add(left, "quiz matching: left item");
                    add(right, "quiz matching: the right item it goes with");
                }
                QuizLine::Answer(answer) => {
                    let bare = answer.trim();
                    if !bare.eq_ignore_ascii_case("true") && !bare.eq_ignore_ascii_case("false") {
                        add(
                            answer,
                            "quiz: accepted answers, separated by | (translate each, keep the |)",
                        );
                    }
                }
                QuizLine::Step(_, step) => add(step, "quiz: a step to put in order"),
                QuizLine::Setting(key, value) => {
                    let note = match key.trim() {
                        "correct" => "quiz feedback when the answer is right",
                        "incorrect" => "quiz feedback when the answer is wrong",
                        "explain" => "quiz explanation shown after answering",
                        "scale" => "quiz opinion scale, points separated by | (keep the |)",
                        _ => continue,
                    };
                    add(value, note);
                }
                QuizLine::Blank
                | QuizLine::Choice(None)
                | QuizLine::Pair(None)
                | QuizLine::Unreadable
                // Code is not translated.
                | QuizLine::Code(_) => {}
            }
        }
    }

    /// `range` is relative to the body.
    fn push(&mut self, range: Range<usize>, note: &str, form: Form) {
        let absolute = self.body_start + range.start..self.body_start + range.end;
        let source = &self.text[absolute.clone()];
        // Continuation lines lose the quote markers and indentation that belong to the
        // container, not to the text.
        let quotes = match &form {
            Form::Block { prefix } => prefix.matches('>').count(),
            _ => 0,
        };
        let text = source
            .split('\n')
            .enumerate()
            .map(|(n, line)| {
                if n == 0 {
                    line.to_string()
                } else {
                    strip_container(line, quotes)
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        if !text.chars().any(char::is_alphabetic) {
            return;
        }
        let hash = format!("{:08x}", crate::slug::fnv1a(text.as_bytes()));
        let count = self.seen.entry(hash.clone()).or_insert(0);
        *count += 1;
        let id = match *count {
            1 => format!("{}:{hash}", self.page_id),
            n => format!("{}:{hash}-{n}", self.page_id),
        };
        self.units.push(Unit {
            id,
            file: self.path.to_string(),
            line: line_of(self.text, absolute.start),
            range: absolute,
            text,
            note: note.to_string(),
            form,
        });
    }
}

/// A continuation line without its container's markers (`quotes` levels of `>`) and indent.
fn strip_container(line: &str, quotes: usize) -> String {
    let mut rest = line.trim_start();
    for _ in 0..quotes {
        match rest.strip_prefix('>') {
            Some(after) => rest = after.strip_prefix(' ').unwrap_or(after).trim_start(),
            None => break,
        }
    }
    rest.to_string()
}

#[derive(Debug, Clone)]
enum Container {
    /// A heading, with the anchor to keep when it had no explicit `{#id}`.
    Heading(Option<String>),
    Cell,
    Block,
}

fn is_inline_tag(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn is_inline(event: &Event) -> bool {
    match event {
        Event::Start(tag) => is_inline_tag(tag),
        Event::End(tag) => is_inline_end(tag),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_) => true,
        _ => false,
    }
}
