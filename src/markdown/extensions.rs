//! The passes over a page's events for syntax that lessons bring from other tools: callouts,
//! attribute lists, pandoc spans, footnotes at the end of the page, and the template tags
//! left behind by a site generator.

use super::attributes::{self, Attributes};
use super::blocks::Marker;
use super::callout::{self, Kind, Look};
use super::{Events, PagePass};
use crate::html_policy::escape_html;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

/// One open callout while shaping: whether it closes as `<details>`.
type Collapsible = bool;

impl<'a> PagePass<'a> {
    /// Joins runs of text events into one, so that syntax the parser split at its own
    /// special characters (`[term]{#id}`, `{: .x}`, `{% tag %}`) is seen whole.
    pub(super) fn merge_text(events: Events<'a>) -> Events<'a> {
        let split = |pair: &[(Event, Range<usize>)]| {
            matches!(pair, [(Event::Text(_), _), (Event::Text(_), _)])
        };
        if !events.windows(2).any(split) {
            // Most pages: nothing to join, no need to copy every event.
            return events;
        }
        let mut out: Events<'a> = Vec::with_capacity(events.len());
        for (event, range) in events {
            if let Event::Text(text) = &event
                && let Some((Event::Text(previous), previous_range)) = out.last_mut()
            {
                let mut joined = previous.to_string();
                joined.push_str(text);
                *previous = CowStr::from(joined);
                previous_range.end = range.end;
                continue;
            }
            out.push((event, range));
        }
        out
    }

    pub(super) fn label(&self, kind: Kind, word: &str) -> String {
        match self.targets.string(&format!("callout_{}", kind.name())) {
            "" => {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }
            label => label.to_string(),
        }
    }

    /// Turns fenced-div and admonition markers, GitHub alerts and quotes marked
    /// `{: .challenge}` into callouts. A heading that opens a callout becomes its title.
    pub(super) fn shape_callouts(&mut self, events: Events<'a>) -> Events<'a> {
        let quoted =
            |(event, _): &(Event, Range<usize>)| matches!(event, Event::Start(Tag::BlockQuote(_)));
        if self.prepared.callouts.is_empty() && !events.iter().any(quoted) {
            return events;
        }
        let quotes = kramdown_quote_kinds(&events);
        let mut events: Vec<Option<(Event<'a>, Range<usize>)>> =
            events.into_iter().map(Some).collect();
        let mut out: Events<'a> = Vec::with_capacity(events.len() + 8);
        // Open callouts, innermost last, and the quote end that closes each kramdown one.
        let mut open: Vec<(Collapsible, Option<usize>)> = Vec::new();
        // A callout whose title is the heading that comes next: how the title line closes
        // and what it starts with.
        let mut untitled: Option<(Collapsible, &'static str)> = None;
        let mut i = 0;
        while i < events.len() {
            if let Some((marker, taken)) = self.marker_at(&events, i) {
                let range = events[i].as_ref().map_or(0..0, |(_, r)| r.clone());
                i += taken;
                match marker {
                    Marker::Open(n) => {
                        let opening = &self.prepared.callouts[n];
                        let label = self.label(opening.kind, &opening.word);
                        let heading = heading_at(&events, i);
                        let title = opening.title.clone().or(heading.clone());
                        let look = Look {
                            kind: opening.kind,
                            label: &label,
                            label_in_title: begins_with(title.as_deref(), &label),
                            open: opening.open,
                            collapsible: opening.collapsible,
                            id: opening.attributes.id.as_deref(),
                            classes: &opening.attributes.classes,
                        };
                        let collapsible = look.is_collapsible();
                        let mut html = callout::open_html(&look);
                        match (&opening.title, heading) {
                            (Some(title), _) => {
                                html.push_str(callout::title_start(&look));
                                html.push_str(&escape_html(title));
                                html.push_str(callout::title_end(collapsible));
                            }
                            (None, Some(_)) => {
                                untitled = Some((collapsible, callout::title_start(&look)))
                            }
                            (None, None) => html.push_str(callout::title_end(collapsible)),
                        }
                        out.push((Event::Html(html.into()), range));
                        open.push((collapsible, None));
                    }
                    Marker::Close(_) => {
                        if let Some((collapsible, _)) = open.pop() {
                            out.push((Event::Html(callout::close_html(collapsible).into()), range));
                        }
                    }
                }
                continue;
            }
            let Some((event, range)) = events[i].take() else {
                i += 1;
                continue;
            };
            i += 1;
            match event {
                Event::Start(Tag::Heading { id, .. }) if untitled.is_some() => {
                    let (collapsible, title_start) = untitled.take().unwrap_or_default();
                    if let Some(id) = id
                        && let Some((Event::Html(open_html), _)) = out.last_mut()
                    {
                        // The heading's anchor now names the callout.
                        *open_html = add_id(open_html, &id).into();
                    }
                    out.push((Event::Html(title_start.into()), range));
                    // The heading's words stay events, so links in them are rewritten as
                    // any; its end closes the title line.
                    while let Some(Some((event, range))) = events.get_mut(i).map(Option::take) {
                        i += 1;
                        if matches!(event, Event::End(TagEnd::Heading(_))) {
                            let html = callout::title_end(collapsible);
                            out.push((Event::Html(html.into()), range));
                            break;
                        }
                        out.push((event, range));
                    }
                }
                Event::Start(Tag::BlockQuote(Some(alert))) => {
                    let kind = Kind::from_alert(alert);
                    let label = self.label(kind, "");
                    let mut html = callout::open_html(&Look::plain(kind, &label, None));
                    html.push_str(callout::title_end(false));
                    out.push((Event::Html(html.into()), range));
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => {
                    out.push((Event::Html(callout::close_html(false).into()), range));
                }
                Event::Start(Tag::BlockQuote(None)) if quotes.contains_key(&(i - 1)) => {
                    let (kind, word, end, list) = &quotes[&(i - 1)];
                    let label = self.label(*kind, word);
                    let heading = heading_at(&events, i);
                    let mut look = Look::plain(*kind, &label, list.id.as_deref());
                    look.label_in_title = begins_with(heading.as_deref(), &label);
                    let collapsible = look.is_collapsible();
                    let mut html = callout::open_html(&look);
                    match heading {
                        Some(_) => untitled = Some((collapsible, callout::title_start(&look))),
                        None => html.push_str(callout::title_end(collapsible)),
                    }
                    out.push((Event::Html(html.into()), range));
                    open.push((collapsible, Some(*end)));
                }
                Event::End(TagEnd::BlockQuote(None))
                    if open.last().is_some_and(|(_, end)| *end == Some(i - 1)) =>
                {
                    if let Some((collapsible, _)) = open.pop() {
                        out.push((Event::Html(callout::close_html(collapsible).into()), range));
                    }
                    // Its attribute line, a paragraph of three events, is spent.
                    i += 3;
                }
                other => out.push((other, range)),
            }
        }
        out
    }

    /// The marker at `events[i]`, alone or wrapped in its HTML block, and how many events
    /// it takes.
    fn marker_at(
        &self,
        events: &[Option<(Event, Range<usize>)>],
        i: usize,
    ) -> Option<(Marker, usize)> {
        let html_at = |j: usize| match events.get(j) {
            Some(Some((Event::Html(html), range))) => self.prepared.marker(html, range.start),
            _ => None,
        };
        match events.get(i) {
            Some(Some((Event::Start(Tag::HtmlBlock), _))) => {
                let marker = html_at(i + 1)?;
                matches!(
                    events.get(i + 2),
                    Some(Some((Event::End(TagEnd::HtmlBlock), _)))
                )
                .then_some((marker, 3))
            }
            _ => html_at(i).map(|marker| (marker, 1)),
        }
    }

    /// Applies attribute lists: `{…}` after an image or a link, `[words]{#id .class}` spans,
    /// `{.lang}` in a code fence's info string, and kramdown's `{: …}` lines under code
    /// blocks. Where a list means nothing it is dropped with a warning, never shown.
    pub(super) fn apply_attributes(&mut self, events: Events<'a>) -> Events<'a> {
        if !self.prepared.text.contains('{') {
            return events;
        }
        let mut out: Events<'a> = Vec::with_capacity(events.len());
        let mut events = events.into_iter().peekable();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::Paragraph) if matches!(events.peek(), Some((Event::Text(text), _)) if attributes::parse_line(text).is_some_and(|a| a.kramdown)) =>
                {
                    let Some((Event::Text(text), _)) = events.next() else {
                        continue;
                    };
                    events.next(); // the paragraph's end
                    let list = attributes::parse_line(&text).unwrap_or_default();
                    if !self.apply_to_code_block(&mut out, &list) {
                        self.warning(
                            range.start,
                            format!("attribute list `{}` has no effect here", text.trim()),
                            "it is dropped: kramdown's `{: …}` lines are applied to code blocks (`{: .language-python}`, `{: .output}`) and to quotes of a callout kind (`{: .challenge}`); remove it",
                        );
                    }
                }
                Event::Text(text) if text.starts_with('{') && ends_image_or_link(&out) => {
                    match attributes::parse_braced(&text) {
                        Some((list, taken)) => {
                            self.apply_to_inline(&mut out, &list);
                            let rest = &text[taken..];
                            if !rest.is_empty() {
                                out.push((
                                    Event::Text(rest.to_string().into()),
                                    range.start + taken..range.end,
                                ));
                            }
                        }
                        None => out.push((Event::Text(text), range)),
                    }
                }
                Event::Text(text) if text.contains("]{") => {
                    self.split_spans(&mut out, text, range);
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.contains('{') => {
                    let (language, list) = info_attributes(&info);
                    out.push((
                        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(language.into()))),
                        range.clone(),
                    ));
                    if list.id.is_some() || !list.classes.is_empty() {
                        self.apply_to_code_block(&mut out, &list);
                    }
                }
                other => out.push((other, range)),
            }
        }
        out
    }

    /// Gives the code block that `out` ends with (or has just opened) the list's language
    /// and classes. False when `out` does not end with one.
    fn apply_to_code_block(&mut self, out: &mut Events<'a>, list: &Attributes) -> bool {
        let Some(start) = out
            .iter()
            .rposition(|(event, _)| matches!(event, Event::Start(Tag::CodeBlock(_))))
        else {
            return false;
        };
        let ends_here = matches!(out.last(), Some((Event::End(TagEnd::CodeBlock), _)))
            || start == out.len() - 1;
        if !ends_here
            || out[start..]
                .iter()
                .any(|(e, _)| matches!(e, Event::Start(t) if !matches!(t, Tag::CodeBlock(_))))
        {
            return false;
        }
        let language = list
            .classes
            .iter()
            .find_map(|class| class.strip_prefix("language-"))
            .map(str::to_string);
        let extra: Vec<&str> = list
            .classes
            .iter()
            .filter(|class| !class.starts_with("language-"))
            .map(String::as_str)
            .collect();
        if let Some(language) = language {
            out[start].0 = Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(language.into())));
        }
        if !extra.is_empty() || list.id.is_some() {
            self.code_block_extras
                .insert(out[start].1.start, (list.id.clone(), extra.join(" ")));
        }
        true
    }

    /// `{#id .class width=… height=… alt=… title=…}` after an image or a link: the element is
    /// written as raw HTML with them, which the raw-HTML pass then checks like any other.
    fn apply_to_inline(&mut self, out: &mut Events<'a>, list: &Attributes) {
        let Some(start) = out.iter().rposition(|(event, _)| {
            matches!(event, Event::Start(Tag::Image { .. } | Tag::Link { .. }))
        }) else {
            return;
        };
        let mut extra = String::new();
        if let Some(id) = &list.id {
            extra.push_str(&format!(" id=\"{}\"", escape_html(id)));
            self.out.anchors.insert(id.clone());
        }
        if !list.classes.is_empty() {
            extra.push_str(&format!(
                " class=\"{}\"",
                escape_html(&list.classes.join(" "))
            ));
        }
        for (key, value) in &list.pairs {
            if matches!(key.as_str(), "width" | "height" | "title" | "lang") {
                extra.push_str(&format!(" {key}=\"{}\"", escape_html(value)));
            }
        }
        match &out[start].0 {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let alt = list.get("alt").map(str::to_string).unwrap_or_else(|| {
                    out[start + 1..]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect()
                });
                let title = if title.is_empty() || list.get("title").is_some() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_html(title))
                };
                let alt = if alt.trim().is_empty() {
                    String::new()
                } else {
                    format!(" alt=\"{}\"", escape_html(&alt))
                };
                let html = format!("<img src=\"{}\"{alt}{title}{extra}>", escape_html(dest_url));
                let range = out[start].1.clone();
                out.truncate(start);
                out.push((Event::InlineHtml(html.into()), range));
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_html(title))
                };
                let html = format!("<a href=\"{}\"{title}{extra}>", escape_html(dest_url));
                out[start].0 = Event::InlineHtml(html.into());
                if let Some((end, _)) = out.last_mut() {
                    *end = Event::InlineHtml("</a>".into());
                }
            }
            _ => {}
        }
    }

    /// `[words]{#id .class}`: pandoc's bracketed span, an anchor that links may point at.
    fn split_spans(&mut self, out: &mut Events<'a>, text: CowStr<'a>, range: Range<usize>) {
        let mut rest: &str = &text;
        let mut at = range.start;
        while let Some(close) = rest.find("]{") {
            let Some(open) = rest[..close].rfind('[') else {
                break;
            };
            let Some((list, taken)) = attributes::parse_braced(&rest[close + 1..]) else {
                let keep = close + 2;
                out.push((Event::Text(rest[..keep].to_string().into()), at..at + keep));
                at += keep;
                rest = &rest[keep..];
                continue;
            };
            if open > 0 {
                out.push((Event::Text(rest[..open].to_string().into()), at..at + open));
            }
            let mut tag = String::from("<span");
            if let Some(id) = &list.id {
                tag.push_str(&format!(" id=\"{}\"", escape_html(id)));
                self.out.anchors.insert(id.clone());
            }
            if !list.classes.is_empty() {
                tag.push_str(&format!(
                    " class=\"{}\"",
                    escape_html(&list.classes.join(" "))
                ));
            }
            tag.push('>');
            out.push((Event::InlineHtml(tag.into()), at + open..at + open + 1));
            out.push((
                Event::Text(rest[open + 1..close].to_string().into()),
                at + open + 1..at + close,
            ));
            let end = close + 1 + taken;
            out.push((Event::InlineHtml("</span>".into()), at + close..at + end));
            at += end;
            rest = &rest[end..];
        }
        if !rest.is_empty() {
            out.push((Event::Text(rest.to_string().into()), at..range.end));
        }
    }

    /// `$…$` and `$$…$$` as MathML, made here: no script, nothing fetched, read by screen
    /// readers. TeX the renderer cannot read is an error at its line.
    pub(super) fn render_math(&mut self, events: &mut Events<'a>) {
        use pulldown_latex::config::DisplayMode;
        for (event, range) in events.iter_mut() {
            let (tex, display) = match event {
                Event::InlineMath(tex) => (tex.clone(), DisplayMode::Inline),
                Event::DisplayMath(tex) => (tex.clone(), DisplayMode::Block),
                _ => continue,
            };
            if let Some((problem, help)) = refused_math(&tex) {
                self.error(range.start, problem, help);
                *event = Event::InlineHtml(format!("<code>{}</code>", escape_html(&tex)).into());
                continue;
            }
            let storage = pulldown_latex::Storage::new();
            let parsed: Vec<_> = pulldown_latex::Parser::new(&tex, &storage).collect();
            if let Some(Err(problem)) = parsed.iter().find(|event| event.is_err()) {
                let problem = problem.to_string();
                let first_line = problem.lines().next().unwrap_or_default().to_string();
                self.error(
                    range.start,
                    format!("cannot render the math `{}`: {first_line}", shortened(tex.trim())),
                    "check the TeX: commands are those of LaTeX's math mode (`\\frac{a}{b}`, `x^{2}`, `\\sqrt{x}`)",
                );
            }
            let config = pulldown_latex::RenderConfig {
                display_mode: display,
                annotation: Some(&tex),
                ..Default::default()
            };
            let mut mathml = String::new();
            if pulldown_latex::push_mathml(&mut mathml, parsed.into_iter(), config).is_err() {
                mathml = format!("<code>{}</code>", escape_html(&tex));
            }
            *event = Event::InlineHtml(mathml.into());
        }
    }

    /// Template tags a site generator would have replaced (`{% include %}`, `{{ site.x }}`,
    /// Hugo's `{{< shortcode >}}`) reach learners as written: each is warned about.
    pub(super) fn warn_template_syntax(&mut self, events: &Events<'a>) {
        let mut in_code = false;
        for (event, range) in events {
            let text = match event {
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code = true;
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code = false;
                    continue;
                }
                Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) if !in_code => text,
                _ => continue,
            };
            let mut rest: &str = text;
            let mut at = 0;
            while let Some(open) = rest.find("{%").into_iter().chain(rest.find("{{")).min() {
                let close = if rest[open..].starts_with("{%") {
                    "%}"
                } else {
                    "}}"
                };
                let end = rest[open..]
                    .find(close)
                    .map_or(rest.len(), |end| open + end + 2);
                let tag: String = rest[open..end].chars().take(60).collect();
                self.warning(
                    range.start + (at + open).min(range.len()),
                    format!("template tag `{tag}` is shown to learners as written"),
                    "coursepack runs no Liquid, Jinja or Hugo templates: replace the tag with what it stood for, or remove it",
                );
                at += end;
                rest = &rest[end..];
            }
        }
    }

    /// Footnotes as learners expect them: numbered in the order they are referred to, and
    /// gathered at the end of the page, with ids (`fn:1`, `fnref:1`) no heading can take.
    pub(super) fn gather_footnotes(&mut self, events: Events<'a>) -> Events<'a> {
        if !events.iter().any(|(e, _)| {
            matches!(
                e,
                Event::Start(Tag::FootnoteDefinition(_)) | Event::FootnoteReference(_)
            )
        }) {
            return events;
        }
        let mut numbers: HashMap<String, usize> = HashMap::new();
        let mut references: HashMap<usize, usize> = HashMap::new();
        for (event, _) in &events {
            if let Event::FootnoteReference(label) = event {
                let next = numbers.len() + 1;
                numbers.entry(label.to_string()).or_insert(next);
            }
        }
        let mut body: Events<'a> = Vec::with_capacity(events.len());
        let mut notes: Vec<(usize, Events<'a>)> = Vec::new();
        let mut events = events.into_iter();
        while let Some((event, range)) = events.next() {
            match event {
                Event::FootnoteReference(label) => {
                    let n = numbers[label.as_ref()];
                    let seen = references.entry(n).or_insert(0);
                    *seen += 1;
                    let id = if *seen == 1 {
                        format!("fnref:{n}")
                    } else {
                        format!("fnref:{n}:{seen}")
                    };
                    let html = format!(
                        "<sup class=\"footnote-ref\"><a href=\"#fn:{n}\" id=\"{id}\">{n}</a></sup>"
                    );
                    body.push((Event::InlineHtml(html.into()), range));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let n = match numbers.get(label.as_ref()) {
                        Some(n) => *n,
                        None => {
                            let next = numbers.len() + 1;
                            numbers.insert(label.to_string(), next);
                            next
                        }
                    };
                    let mut note = Vec::new();
                    let mut depth = 0;
                    for (event, range) in events.by_ref() {
                        match event {
                            Event::End(TagEnd::FootnoteDefinition) if depth == 0 => break,
                            Event::Start(_) => depth += 1,
                            Event::End(_) => depth -= 1,
                            _ => {}
                        }
                        note.push((event, range));
                    }
                    notes.push((n, note));
                }
                other => body.push((other, range)),
            }
        }
        notes.sort_by_key(|(n, _)| *n);
        let end = body.last().map_or(0, |(_, r)| r.end);
        let html = |text: String| (Event::Html(CowStr::from(text)), end..end);
        body.push(html(format!(
            "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{}\">\n<ol>\n",
            escape_html(self.targets.string("footnotes"))
        )));
        let back = escape_html(self.targets.string("footnote_back"));
        for (n, mut note) in notes {
            let backlink = (references.contains_key(&n)).then(|| {
                format!(
                    " <a href=\"#fnref:{n}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"{back}\">↩</a>"
                )
            });
            if let Some(backlink) = backlink {
                let link = (Event::InlineHtml(backlink.into()), end..end);
                match note
                    .iter()
                    .rposition(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                {
                    Some(last) if last + 1 == note.len() => note.insert(last, link),
                    _ => note.push(link),
                }
            }
            body.push(html(format!("<li id=\"fn:{n}\">\n")));
            self.out.anchors.insert(format!("fn:{n}"));
            body.extend(note);
            body.push(html("</li>\n".into()));
        }
        for n in references.keys() {
            self.out.anchors.insert(format!("fnref:{n}"));
        }
        body.push(html("</ol>\n</section>\n".into()));
        body
    }
}

/// A long formula as a message shows it: its start.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The most a formula may nest (braces and `\left`), and its longest TeX: rendering and
/// sanitising a formula nested n deep takes time in n squared (20,000 deep: seconds), and
/// real formulas stay far below both.
const MOST_MATH_DEPTH: usize = 100;
const MOST_MATH_BYTES: usize = 20_000;

/// Why a formula is refused before rendering, if it is, and what to do.
fn refused_math(tex: &str) -> Option<(String, &'static str)> {
    const TOO_MUCH: &str = "split the formula into smaller ones; no course needs math this deep";
    // The renderer cuts a command's name after its first character, which must then be
    // ASCII: `\ŧ` would cut a character in two.
    if let Some((at, _)) = tex
        .match_indices('\\')
        .find(|(at, _)| tex[at + 1..].chars().next().is_some_and(|c| !c.is_ascii()))
    {
        let command: String = tex[at..].chars().take(2).collect();
        return Some((
            format!("`{command}` is not a TeX command"),
            "TeX commands are a backslash and ASCII letters (`\\alpha`); write other characters as they are",
        ));
    }
    if tex.len() > MOST_MATH_BYTES {
        let message = format!(
            "math of {} bytes is longer than {MOST_MATH_BYTES}",
            tex.len()
        );
        return Some((message, TOO_MUCH));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut rest = tex;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("\\left") || c == '{' {
            depth += 1;
        } else if (rest.starts_with("\\right") || c == '}') && depth > 0 {
            depth -= 1;
        }
        deepest = deepest.max(depth);
        rest = &rest[c.len_utf8()..];
    }
    (deepest > MOST_MATH_DEPTH).then(|| {
        let message = format!("math nested {deepest} deep is deeper than {MOST_MATH_DEPTH}");
        (message, TOO_MUCH)
    })
}

/// Quotes followed by a kramdown line naming a callout kind (`{: .challenge}`): the index
/// of each quote's start, with its kind, the word, the index of its end and the list.
fn kramdown_quote_kinds(events: &Events) -> HashMap<usize, (Kind, String, usize, Attributes)> {
    let mut found = HashMap::new();
    let mut starts = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::BlockQuote(None)) => starts.push(i),
            Event::End(TagEnd::BlockQuote(None)) => {
                let Some(start) = starts.pop() else { continue };
                if let (
                    Some((Event::Start(Tag::Paragraph), _)),
                    Some((Event::Text(text), _)),
                    Some((Event::End(TagEnd::Paragraph), _)),
                ) = (events.get(i + 1), events.get(i + 2), events.get(i + 3))
                    && let Some(list) = attributes::parse_line(text).filter(|l| l.kramdown)
                    && let Some((kind, word)) = list
                        .classes
                        .iter()
                        .find_map(|class| Kind::named(class).map(|kind| (kind, class.clone())))
                {
                    found.insert(start, (kind, word, i, list));
                }
            }
            Event::Start(Tag::BlockQuote(Some(_))) => starts.push(usize::MAX),
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                starts.pop();
            }
            _ => {}
        }
    }
    found
}

fn ends_image_or_link(out: &Events) -> bool {
    matches!(
        out.last(),
        Some((Event::End(TagEnd::Image | TagEnd::Link), _))
    )
}

/// `python {.numberLines}`, `{.python}`, `{r, echo=FALSE}`: the language and the list.
fn info_attributes(info: &str) -> (String, Attributes) {
    let brace = info.find('{').unwrap_or(info.len());
    let word = info[..brace].trim();
    let list = attributes::parse_line(&info[brace..]).unwrap_or_default();
    let language = if word.is_empty() {
        list.classes
            .iter()
            .map(|class| class.strip_prefix("language-").unwrap_or(class))
            .next()
            .map(str::to_string)
            .unwrap_or_else(|| {
                // R Markdown's chunk header: `{r, echo=FALSE}`.
                info[brace..]
                    .trim_start_matches('{')
                    .split([',', ' ', '}'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            })
    } else {
        word.to_string()
    };
    let list = Attributes {
        classes: Vec::new(),
        ..list
    };
    (language, list)
}

fn add_id(open_html: &str, id: &str) -> String {
    if open_html.contains(" id=\"") {
        return open_html.to_string();
    }
    let at = open_html.find(" class=").unwrap_or(open_html.len());
    format!(
        "{} id=\"{}\"{}",
        &open_html[..at],
        escape_html(id),
        &open_html[at..]
    )
}

/// The text of the heading at `events[i]`, if one starts there.
fn heading_at(events: &[Option<(Event, Range<usize>)>], i: usize) -> Option<String> {
    let Some(Some((Event::Start(Tag::Heading { .. }), _))) = events.get(i) else {
        return None;
    };
    let mut text = String::new();
    for event in &events[i + 1..] {
        match event {
            Some((Event::End(TagEnd::Heading(_)), _)) | None => break,
            Some((Event::Text(t) | Event::Code(t), _)) => text.push_str(t),
            _ => {}
        }
    }
    Some(text)
}

/// Whether a title already says what the label would (`Solution`, `Challenge 1: …`).
fn begins_with(title: Option<&str>, label: &str) -> bool {
    title.is_some_and(|title| {
        !label.is_empty() && title.to_lowercase().starts_with(&label.to_lowercase())
    })
}
