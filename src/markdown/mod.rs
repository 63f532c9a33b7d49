//! Markdown → HTML for one page, through small passes over pulldown-cmark's events:
//! heading anchors, callouts and attribute lists, link and file rewriting (with every broken
//! reference reported at its line), raw HTML attribute rewriting and the `<script>` rule,
//! footnotes. A function of the page and the course's inventory of files: it reads no file
//! itself.

mod attributes;
mod blocks;
mod callout;
mod extensions;

pub use blocks::{Prepared, prepare};

use crate::course_path::{PathProblem, normalize};
use crate::diagnostics::{Diagnostic, LineIndex, Position};
use crate::html_policy::{self, Verdict};
use crate::model::{Page, file_href, relative_url};
use crate::quiz::{Question, parse_quiz};
use crate::slug::slugify;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// A page's events, each with its bytes in the prepared text.
type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

const REFUSED_HELP: &str = "remove it; a course whose every author is trusted can set `allow_scripts = true` under [package] in course.toml, which turns the HTML policy off";
const LEFT_OUT_HELP: &str = "write it in Markdown or with the HTML the README's HTML policy lists";

/// Pages longer than this many words get a warning: learners lose their way in them.
const LONG_PAGE_WORDS: usize = 5_000;

/// The one place that decides which Markdown extensions courses use.
pub fn parser(text: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH;
    Parser::new_ext(text, options)
}

/// A transcript's Markdown as HTML. Raw HTML in it is shown as text: a transcript is words.
fn transcript_html(markdown: &str) -> String {
    let events = parser(markdown).map(|event| match event {
        pulldown_cmark::Event::Html(html) | pulldown_cmark::Event::InlineHtml(html) => {
            pulldown_cmark::Event::Text(html)
        }
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// What links can point at: the course's files and its pages.
#[derive(Hash)]
pub struct LinkTargets<'a> {
    pub inventory: &'a crate::model::Inventory,
    /// Pages by source path (`01-intro/02-risk.md`): what a link to one needs of it.
    pub pages: BTreeMap<&'a str, PageTarget<'a>>,
    /// The pages by the last word a website would call them (`02-water.md` → `water`): the
    /// candidates for a link written for a site (see [`LinkTargets::site_index`]).
    pub by_site_name: BTreeMap<&'a str, Vec<&'a str>>,
    pub allow_scripts: bool,
    /// The course's language (the default caption track) and the player's words (a media
    /// transcript's label, a likert question's default scale).
    pub language: &'a str,
    pub strings: &'a crate::i18n::UiStrings,
}

impl<'a> LinkTargets<'a> {
    /// [`LinkTargets::by_site_name`] for these pages.
    pub fn site_index(
        pages: &BTreeMap<&'a str, PageTarget<'a>>,
    ) -> BTreeMap<&'a str, Vec<&'a str>> {
        let mut index: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for source in pages.keys() {
            if let Some(last) = page_words(source).last() {
                index.entry(last).or_default().push(source);
            }
        }
        index
    }

    fn string(&self, key: &str) -> &str {
        self.strings.get(key).map_or("", String::as_str)
    }
}

/// What a link needs of the page it points at: not its text, so that editing one page does
/// not change every other page's input.
#[derive(Hash, Clone, Copy)]
pub struct PageTarget<'a> {
    pub id: &'a str,
    pub href: &'a str,
}

impl<'a> From<&'a Page> for PageTarget<'a> {
    fn from(page: &'a Page) -> Self {
        PageTarget {
            id: &page.id,
            href: &page.href,
        }
    }
}

/// A link to a page (or an anchor on one), checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub target_page: String,
    pub fragment: String,
    pub position: Position,
}

#[derive(Debug, Default, Clone)]
pub struct RenderedMarkdown {
    /// Shared: the preview's cache hands the same HTML to every rebuild.
    pub html: std::sync::Arc<str>,
    /// Plain text of the first `#` heading.
    pub first_heading: Option<String>,
    pub anchors: HashSet<String>,
    pub page_links: Vec<PageLink>,
    /// Course-relative paths of the files this page references.
    pub files: BTreeSet<String>,
    /// The page's quiz blocks, in order, their texts rendered to HTML; each stands in the
    /// HTML as the placeholder `quiz_placeholder(n)`.
    pub quizzes: Vec<Vec<Question>>,
    /// The page's code blocks with a language, in order; each stands in the HTML as the
    /// placeholder `code_placeholder(n)` until the render stage highlights it.
    pub code_blocks: Vec<CodeBlock>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A code block as written, set aside for highlighting.
#[derive(Debug, Clone, Hash)]
pub struct CodeBlock {
    /// The language the info string names (`python`), or nothing.
    pub language: String,
    pub code: String,
    pub id: Option<String>,
    /// Classes from an attribute list (`{: .output}`), space-separated.
    pub classes: String,
}

impl CodeBlock {
    /// The block's HTML around `inner`: its code, escaped and perhaps highlighted.
    pub fn html(&self, inner: &str) -> String {
        let mut html = String::from("<pre");
        if let Some(id) = &self.id {
            html.push_str(&format!(" id=\"{}\"", html_policy::escape_html(id)));
        }
        if !self.classes.is_empty() {
            html.push_str(&format!(
                " class=\"{}\"",
                html_policy::escape_html(&self.classes)
            ));
        }
        html.push_str("><code");
        if !self.language.is_empty() {
            html.push_str(&format!(
                " class=\"language-{}\"",
                html_policy::escape_html(&self.language)
            ));
        }
        html.push('>');
        html.push_str(inner);
        html.push_str("</code></pre>");
        html
    }
}

/// Marks where code block `n` goes in a page's HTML; the render stage replaces it.
pub fn code_placeholder(n: usize) -> String {
    format!("<!--coursepack-code-{n}-->")
}

/// Marks where quiz block `n` goes in a page's HTML; the render stage replaces it.
pub fn quiz_placeholder(n: usize) -> String {
    format!("<!--coursepack-quiz-{n}-->")
}

pub fn render_markdown(page: &Page, targets: &LinkTargets) -> RenderedMarkdown {
    let prepared = prepare(&page.markdown);
    let text: &str = &prepared.text;
    let events: Events = parser(text).into_offset_iter().collect();
    let mut pass = PagePass {
        page,
        targets,
        prepared: &prepared,
        lines: LineIndex::new(&page.markdown, page.body_line_offset),
        code_block_extras: HashMap::new(),
        suggestions_left: SUGGESTIONS_PER_PAGE,
        out: RenderedMarkdown::default(),
    };
    pass.report_block_problems();
    let mut events = PagePass::merge_text(events);
    pass.collect_anchors(&mut events);
    let events = pass.shape_callouts(events);
    let mut events = pass.apply_attributes(events);
    pass.warn_template_syntax(&events);
    pass.render_math(&mut events);
    pass.embed_media_players(&mut events);
    pass.rewrite_references(&mut events);
    let events = pass.set_code_blocks_aside(events);
    let events = pass.rewrite_raw_html(events);
    let events = pass.extract_quizzes(events);
    let events = pass.gather_footnotes(events);
    pass.warn_when_long(&events);
    let mut html = String::with_capacity(text.len() * 3 / 2);
    let lesson = &page.lesson;
    for (kind, items) in [
        (callout::Kind::Questions, &lesson.questions),
        (callout::Kind::Objectives, &lesson.objectives),
    ] {
        html.push_str(&pass.lesson_callout(kind, items));
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
    html.push_str(&pass.lesson_callout(callout::Kind::Keypoints, &lesson.keypoints));
    pass.out.html = pass.apply_policy(html).into();
    pass.out
}

struct PagePass<'a> {
    page: &'a Page,
    targets: &'a LinkTargets<'a>,
    /// The text the parser read; offsets in events are offsets in it.
    prepared: &'a Prepared<'a>,
    /// Lines of the page as the author wrote it.
    lines: LineIndex<'a>,
    /// Code blocks that attribute lists gave an id or classes, by their start offset.
    code_block_extras: HashMap<usize, (Option<String>, String)>,
    /// How many more "did you mean" searches the page may make: each compares a name with
    /// every file of the course, and a page of broken links must not make that quadratic.
    suggestions_left: usize,
    out: RenderedMarkdown,
}

/// The "did you mean" searches one page makes; problems past them get the general help.
pub const SUGGESTIONS_PER_PAGE: usize = 20;

impl<'a> PagePass<'a> {
    /// The author's line and column of an offset in the prepared text.
    fn at(&self, offset: usize) -> Position {
        self.lines.position(self.prepared.original(offset))
    }

    fn error(&mut self, offset: usize, message: String, help: &str) {
        let at = self.at(offset);
        self.out
            .diagnostics
            .push(Diagnostic::error(&self.page.source, Some(at), message).with_help(help));
    }

    fn warning(&mut self, offset: usize, message: String, help: &str) {
        let at = self.at(offset);
        self.out
            .diagnostics
            .push(Diagnostic::warning(&self.page.source, Some(at), message).with_help(help));
    }

    /// A front-matter list (`objectives: [...]`) as a callout of its items; nothing when empty.
    fn lesson_callout(&self, kind: callout::Kind, items: &[String]) -> String {
        if items.is_empty() {
            return String::new();
        }
        let label = self.label(kind, kind.name());
        let mut html = callout::open_html(&callout::Look::plain(kind, &label, None));
        html.push_str(callout::title_end(false));
        html.push_str("<ul>\n");
        for item in items {
            html.push_str("<li>");
            let mut inline = String::new();
            pulldown_cmark::html::push_html(&mut inline, parser(item));
            let inline = inline.trim();
            let inline = inline
                .strip_prefix("<p>")
                .and_then(|i| i.strip_suffix("</p>"))
                .unwrap_or(inline);
            html.push_str(inline);
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n");
        html.push_str(callout::close_html(false));
        html
    }

    /// What the block pre-pass found: unknown kinds, unclosed and stray fences.
    fn report_block_problems(&mut self) {
        for problem in &self.prepared.problems {
            let at = Some(self.lines.position(problem.offset));
            let message = problem.message.clone();
            let diagnostic = if problem.error {
                Diagnostic::error(&self.page.source, at, message)
            } else {
                Diagnostic::warning(&self.page.source, at, message)
            };
            self.out
                .diagnostics
                .push(diagnostic.with_help(problem.help.clone()));
        }
    }

    /// Sets aside each code block that has a language (or an id or classes from an attribute
    /// list): the render stage writes it, highlighted; a placeholder keeps its place.
    fn set_code_blocks_aside(&mut self, events: Events<'a>) -> Events<'a> {
        let set_aside = |(event, range): &(Event, Range<usize>)| match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                !info.is_empty() && !is_quiz_fence(event)
                    || self.code_block_extras.contains_key(&range.start)
            }
            Event::Start(Tag::CodeBlock(_)) => self.code_block_extras.contains_key(&range.start),
            _ => false,
        };
        if !events.iter().any(set_aside) {
            return events;
        }
        let mut out = Vec::with_capacity(events.len());
        let mut events = events.into_iter();
        while let Some((event, range)) = events.next() {
            let Event::Start(Tag::CodeBlock(kind)) = &event else {
                out.push((event, range));
                continue;
            };
            let language = match kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                CodeBlockKind::Indented => "",
            };
            let (id, classes) = self
                .code_block_extras
                .remove(&range.start)
                .unwrap_or_default();
            if language == "quiz" || (language.is_empty() && id.is_none() && classes.is_empty()) {
                out.push((event, range));
                continue;
            }
            let mut block = CodeBlock {
                language: language.to_string(),
                code: String::new(),
                id,
                classes,
            };
            for (event, _) in events.by_ref() {
                match event {
                    Event::Text(text) => block.code.push_str(&text),
                    Event::End(TagEnd::CodeBlock) => break,
                    _ => {}
                }
            }
            if let Some(id) = &block.id {
                self.out.anchors.insert(id.clone());
            }
            let placeholder = format!("{}\n", code_placeholder(self.out.code_blocks.len()));
            self.out.code_blocks.push(block);
            out.push((Event::Html(placeholder.into()), range));
        }
        out
    }

    /// The finished HTML of the page or of a quiz text, sanitised unless the course allows
    /// scripts: what the checks reported is then gone for certain.
    fn apply_policy(&self, html: String) -> String {
        if self.targets.allow_scripts {
            html
        } else {
            html_policy::sanitize(&html)
        }
    }

    /// Reports what the HTML policy refuses or leaves out of a raw HTML fragment that starts
    /// at `offset` on the page.
    fn check_policy(&mut self, html: &str, offset: usize) {
        if self.targets.allow_scripts {
            return;
        }
        for finding in html_policy::check(html, html_policy::Source::Page) {
            let at = offset + finding.offset;
            match finding.verdict {
                Verdict::Refused => self.error(at, finding.message, REFUSED_HELP),
                Verdict::LeftOut => self.warning(at, finding.message, LEFT_OUT_HELP),
            }
        }
    }

    /// The HTML policy for a URL written in Markdown (`[text](url)`, `![alt](url)`).
    fn check_url_policy(&mut self, url: &str, offset: usize, kind: UrlUse) {
        if self.targets.allow_scripts {
            return;
        }
        let what = match kind {
            UrlUse::Link => "link",
            UrlUse::Embed => "image",
        };
        if let Some(scheme) = html_policy::script_scheme(url) {
            self.error(
                offset,
                format!("`{scheme}:` URL in a {what} runs script"),
                REFUSED_HELP,
            );
        } else if kind == UrlUse::Embed
            && let Some(load) = html_policy::outside_load(url)
        {
            self.error(
                offset,
                format!("{what} `{load}` is loaded from outside the package"),
                "download the file into the course folder and reference it by a relative path, so the course works offline and tells no one outside which learner opened it",
            );
        }
    }

    /// Records the page's heading anchors and its first `#` heading.
    fn collect_anchors(&mut self, events: &mut [(Event<'a>, Range<usize>)]) {
        assign_heading_ids(events);
        for i in 0..events.len() {
            if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
                if let Some(id) = id {
                    self.out.anchors.insert(id.to_string());
                }
                if *level == pulldown_cmark::HeadingLevel::H1 && self.out.first_heading.is_none() {
                    self.out.first_heading = Some(heading_text(&events[i + 1..]));
                }
            }
        }
    }

    /// Rewrites Markdown links and images to package URLs and checks images' alt text.
    fn rewrite_references<'e>(&mut self, events: &mut [(Event<'e>, Range<usize>)]) {
        let described = images_with_text(events);
        for (i, (event, range)) in events.iter_mut().enumerate() {
            let offset = range.start;
            match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) if *link_type != LinkType::Email => {
                    let url = dest_url.to_string();
                    if url.trim().is_empty() {
                        self.warning(
                            offset,
                            "link has no target: `[…]()`".to_string(),
                            "write the page, file or address in the parentheses, or remove the brackets",
                        );
                    }
                    self.check_url_policy(&url, offset, UrlUse::Link);
                    if let Some(new) = self.rewrite_url(&url, offset, UrlUse::Link) {
                        *dest_url = CowStr::from(new);
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let url = dest_url.to_string();
                    self.check_url_policy(&url, offset, UrlUse::Embed);
                    if let Some(new) = self.rewrite_url(&url, offset, UrlUse::Embed) {
                        *dest_url = CowStr::from(new);
                    }
                    if !described.contains(&i) {
                        self.warning(
                            offset,
                            format!("image `{url}` has no alt text"),
                            "describe the image in the brackets: ![what it shows](file); use <img alt=\"\"> for a purely decorative image",
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// Audio and video written as images become players (raw HTML, whose references the
    /// raw HTML pass then resolves and checks like any other).
    fn embed_media_players(&mut self, events: &mut [(Event<'_>, Range<usize>)]) {
        for i in 0..events.len() {
            if let Event::Start(Tag::Image { dest_url, .. }) = &events[i].0
                && let Some(kind) = crate::media::MediaKind::of(split_suffix(dest_url).0)
            {
                let url = dest_url.to_string();
                let offset = events[i].1.start;
                self.embed_media(&mut events[i..], kind, &url, offset);
            }
        }
    }

    /// Turns the image events starting at `events[0]` into an audio or video player with
    /// the captions and transcript found beside the file; warns when they are missing.
    fn embed_media(
        &mut self,
        events: &mut [(Event<'_>, Range<usize>)],
        kind: crate::media::MediaKind,
        source_url: &str,
        offset: usize,
    ) {
        use crate::media::{MediaKind, Track, find_sidecars, player_html};
        let label = heading_text(&events[1..]);
        let path = split_suffix(source_url).0;
        let decoded = decode_path(path);
        let relative_folder = self.course_relative(&decoded).ok().map(|relative| {
            relative
                .rsplit_once('/')
                .map_or(String::new(), |(folder, _)| folder.to_string())
        });
        let sidecars = relative_folder
            .as_deref()
            .map(|folder| find_sidecars(self.targets.inventory.names_in(folder), &decoded))
            .unwrap_or_default();
        // Sidecars are linked the way the designer linked the media: from the same folder.
        let url_folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let beside = |name: &str| match url_folder {
            "" => name.to_string(),
            folder => format!("{folder}/{name}"),
        };
        let tracks: Vec<Track> = sidecars
            .captions
            .iter()
            .map(|(language, name)| Track {
                language,
                url: beside(name),
            })
            .collect();
        let transcript = match (&sidecars.transcript, &relative_folder) {
            (Some(name), Some(folder)) => {
                let relative = if folder.is_empty() {
                    name.clone()
                } else {
                    format!("{folder}/{name}")
                };
                match self.targets.inventory.transcript(&relative) {
                    Some(Ok(text)) => Some(transcript_html(text)),
                    Some(Err(problem)) => {
                        self.out.diagnostics.push(problem.clone());
                        None
                    }
                    // A folder of that name: no transcript.
                    None => None,
                }
            }
            _ => None,
        };
        if label.trim().is_empty() {
            self.warning(
                offset,
                format!("{} `{source_url}` has no description", kind.name()),
                "say what it is in the brackets: ![Interview with an integrity officer](clip.mp4); it names the player for screen readers",
            );
        }
        if kind == MediaKind::Audio && sidecars.transcript.is_none() {
            self.warning(
                offset,
                format!("audio `{source_url}` has no transcript"),
                "add a Markdown transcript beside it, e.g. `talk.transcript.md` for `talk.mp3`",
            );
        }
        let html = player_html(
            kind,
            source_url,
            &label,
            &tracks,
            self.targets.language,
            transcript
                .as_deref()
                .map(|body| (self.targets.string("transcript"), body)),
        );
        // The player replaces the image: its start event becomes the HTML, the rest nothing.
        let mut depth = 0;
        for (n, (event, _)) in events.iter_mut().enumerate() {
            let end = match event {
                Event::Start(_) => {
                    depth += 1;
                    false
                }
                Event::End(_) => {
                    depth -= 1;
                    depth == 0
                }
                _ => false,
            };
            *event = if n == 0 {
                Event::InlineHtml(CowStr::from(html.clone()))
            } else {
                Event::InlineHtml(CowStr::Borrowed(""))
            };
            if end {
                break;
            }
        }
    }

    /// The course-relative path that a reference on this page names (percent-decoded).
    fn course_relative(&self, decoded: &str) -> Result<String, PathProblem> {
        let page_dir = self.page.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        if page_dir.is_empty() || decoded.starts_with(['/', '\\']) {
            return normalize(decoded);
        }
        let mut joined = String::with_capacity(page_dir.len() + 1 + decoded.len());
        joined.push_str(page_dir);
        joined.push('/');
        joined.push_str(decoded);
        normalize(&joined)
    }

    /// The one page a link written for a website names (`/guides/risk`, `02-risk.html`,
    /// `../risk/`): its path without the site's root, numbering, extension or `index`
    /// matches the end of exactly one page's source path read the same way.
    fn page_named_by(&self, path: &str) -> Option<&'a str> {
        let site_like = path.starts_with('/')
            || path.ends_with(".html")
            || path.ends_with(".htm")
            || (path.ends_with('/') && path != "/");
        if !site_like {
            return None;
        }
        let wanted = page_words(path);
        let candidates = self.targets.by_site_name.get(wanted.last()?)?;
        let mut found = candidates.iter().copied().filter(|source| {
            let words = page_words(source);
            words.len() >= wanted.len() && words[words.len() - wanted.len()..] == wanted[..]
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The course file whose path is closest to a missing one, while the page may search.
    fn closest_file(&mut self, relative: &str) -> Option<&'a str> {
        self.suggestions_left = self.suggestions_left.checked_sub(1)?;
        crate::diagnostics::closest_path(relative, self.targets.inventory.files())
    }

    /// The page whose source path is closest to a missing one, while the page may search.
    fn closest_page(&mut self, relative: &str) -> Option<&'a str> {
        self.suggestions_left = self.suggestions_left.checked_sub(1)?;
        crate::diagnostics::closest_path(relative, self.targets.pages.keys().copied())
    }

    /// Runs raw HTML (whole HTML blocks, or single inline tags) through an HTML rewriter that
    /// fixes `src`/`href`/`poster` references and enforces the `<script>` rule.
    fn rewrite_raw_html<'e>(
        &mut self,
        events: Vec<(Event<'e>, Range<usize>)>,
    ) -> Vec<(Event<'e>, Range<usize>)> {
        let has_html = events
            .iter()
            .any(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
        if !has_html {
            // Most pages: nothing to rewrite, no need to copy every event.
            return events;
        }
        let mut out = Vec::with_capacity(events.len());
        let mut block: Option<(String, usize)> = None;
        for (event, range) in events {
            match event {
                Event::Start(Tag::HtmlBlock) => block = Some((String::new(), range.start)),
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some((html, start)) = block.take() {
                        let rewritten = self.rewrite_html_fragment(&html, start);
                        out.push((Event::Html(CowStr::from(rewritten)), range));
                    }
                }
                Event::Html(html) if block.is_some() => {
                    if let Some((buffer, _)) = &mut block {
                        buffer.push_str(&html);
                    }
                }
                // What a media player left of the image it replaced.
                Event::InlineHtml(html) if html.is_empty() => {}
                Event::Html(html) | Event::InlineHtml(html) => {
                    let rewritten = self.rewrite_html_fragment(&html, range.start);
                    out.push((Event::InlineHtml(CowStr::from(rewritten)), range));
                }
                other => out.push((other, range)),
            }
        }
        out
    }

    fn rewrite_html_fragment(&mut self, html: &str, offset: usize) -> String {
        use lol_html::{RewriteStrSettings, element, rewrite_str};
        self.check_policy(html, offset);
        let mut missing_alt: Vec<String> = Vec::new();
        let (mut videos, mut caption_tracks) = (Vec::new(), 0);
        let mut anchors = Vec::new();
        let result = rewrite_str(
            html,
            RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
                // Raw HTML's ids (and the old `<a name>`) are anchors links may point at.
                if let Some(id) = el.get_attribute("id") {
                    anchors.push(id);
                }
                if el.tag_name() == "a"
                    && let Some(name) = el.get_attribute("name")
                {
                    anchors.push(name);
                }
                if el.tag_name() == "img" && !el.has_attribute("alt") {
                    missing_alt.push(el.get_attribute("src").unwrap_or_default());
                }
                if el.tag_name() == "video" {
                    videos.push(el.get_attribute("src").unwrap_or_default());
                }
                if el.tag_name() == "track"
                    && matches!(
                        el.get_attribute("kind").as_deref(),
                        Some("captions" | "subtitles")
                    )
                {
                    caption_tracks += 1;
                }
                for name in ["src", "href", "poster", "data"] {
                    if let Some(value) = el.get_attribute(name) {
                        let kind = if name == "href" {
                            UrlUse::Link
                        } else {
                            UrlUse::Embed
                        };
                        let new = self.rewrite_url(&value, offset, kind);
                        if let Some(new) = new {
                            el.set_attribute(name, &new)?;
                        }
                    }
                }
                Ok(())
            })),
        );
        self.out.anchors.extend(anchors);
        if videos.len() > caption_tracks {
            self.warning(
                offset,
                format!("video `{}` has no captions", videos[0]),
                "add a WebVTT file beside it named after the video and the language (`clip.en.vtt` for `clip.mp4`) and write the video as ![description](clip.mp4); in raw HTML, add <track kind=\"captions\">",
            );
        }
        for src in missing_alt {
            self.warning(
                offset,
                format!("image `{src}` has no alt attribute"),
                "add alt=\"what it shows\", or alt=\"\" for a purely decorative image",
            );
        }
        match result {
            Ok(rewritten) => rewritten,
            Err(err) => {
                self.error(
                    offset,
                    format!("cannot read this HTML: {err}"),
                    "check the HTML for unclosed tags or quotes",
                );
                html.to_string()
            }
        }
    }

    /// Resolves one URL written on this page. Returns the package URL when it changes;
    /// broken references become diagnostics.
    fn rewrite_url(&mut self, url: &str, offset: usize, kind: UrlUse) -> Option<String> {
        let url = url.trim();
        if url.is_empty() {
            return None;
        }
        if let Some(fragment) = url.strip_prefix('#') {
            let position = self.at(offset);
            self.out.page_links.push(PageLink {
                target_page: self.page.id.clone(),
                fragment: fragment.to_string(),
                position,
            });
            return None;
        }
        let scheme = crate::html_policy::url_scheme(url);
        if scheme.is_some() || url.starts_with("//") {
            // Without `allow_scripts` the HTML policy refuses outside embeds; with it, they
            // are the author's choice, but the course no longer works offline.
            let is_data = scheme.is_some_and(|scheme| scheme.eq_ignore_ascii_case("data"));
            if kind == UrlUse::Embed && !is_data && self.targets.allow_scripts {
                self.warning(
                    offset,
                    format!("`{url}` is loaded from outside the package"),
                    "download the file into the course folder and reference it by a relative path, so the course works offline and inside locked-down LMSs",
                );
            }
            return None;
        }
        let (path_part, suffix) = split_suffix(url);
        let decoded = decode_path(path_part);
        if kind == UrlUse::Link
            && !decoded.ends_with(".md")
            && let Some(source) = self.page_named_by(&decoded)
        {
            let written = relative_url(&self.page.source, source);
            self.warning(
                offset,
                format!("`{url}` is read as a link to the page `{source}`"),
                &format!("links name a page by its Markdown file, relative to this page: write `{written}{suffix}`"),
            );
            let relative = source.to_string();
            return self.rewrite_page_link(url, &relative, suffix, offset);
        }
        let relative = match self.course_relative(&decoded) {
            Ok(relative) => relative,
            Err(problem) => {
                let at = self.at(offset);
                self.out
                    .diagnostics
                    .push(problem.diagnostic_for(&self.page.source, url, Some(at)));
                return None;
            }
        };
        if decoded.ends_with(".md") {
            return self.rewrite_page_link(url, &relative, suffix, offset);
        }
        match self.targets.inventory.resolve(&relative) {
            Ok(true) => {
                self.error(
                    offset,
                    format!("`{url}` is a folder"),
                    "link to a file or a page inside it",
                );
                None
            }
            Ok(false) => {
                let href = file_href(&relative);
                self.out.files.insert(relative);
                Some(format!("{}{suffix}", relative_url(&self.page.href, &href)))
            }
            Err(problem) => {
                let at = self.at(offset);
                let help = match self.closest_file(&relative) {
                    Some(file) => {
                        format!("did you mean `{}`?", relative_url(&self.page.source, file))
                    }
                    None => "check the spelling (names are case-sensitive) or add the file".into(),
                };
                let diagnostic = match problem {
                    PathProblem::Missing => Diagnostic::error(
                        &self.page.source,
                        Some(at),
                        format!(
                            "`{url}` does not exist (looked for `{relative}` in the course folder)"
                        ),
                    )
                    .with_help(help),
                    other => other.diagnostic_for(&self.page.source, url, Some(at)),
                };
                self.out.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn rewrite_page_link(
        &mut self,
        url: &str,
        relative: &str,
        suffix: &str,
        offset: usize,
    ) -> Option<String> {
        let Some(target) = self.targets.pages.get(relative) else {
            let closest = self.closest_page(relative);
            let help = if self.targets.inventory.resolve(relative).is_ok() {
                "that file is not a course page: pages are numbered `.md` files inside numbered module folders".to_string()
            } else if let Some(page) = closest {
                format!("did you mean `{}`?", relative_url(&self.page.source, page))
            } else {
                "check the path: links are relative to this page's folder, e.g. `../02-module/01-page.md`".to_string()
            };
            self.error(
                offset,
                format!("link to a page that does not exist: `{url}`"),
                &help,
            );
            return None;
        };
        let fragment = suffix.split_once('#').map(|(_, f)| f.to_string());
        if let Some(fragment) = fragment {
            let position = self.at(offset);
            self.out.page_links.push(PageLink {
                target_page: target.id.to_string(),
                fragment,
                position,
            });
        }
        Some(format!(
            "{}{suffix}",
            relative_url(&self.page.href, target.href)
        ))
    }

    /// Replaces each ```` ```quiz ```` block by a placeholder and keeps its questions, with their
    /// inline Markdown rendered through the same link and file rewriting as the page.
    fn extract_quizzes<'e>(
        &mut self,
        events: Vec<(Event<'e>, Range<usize>)>,
    ) -> Vec<(Event<'e>, Range<usize>)> {
        if !events.iter().any(|(event, _)| is_quiz_fence(event)) {
            return events;
        }
        let mut out = Vec::with_capacity(events.len());
        let mut in_quiz: Option<(String, usize)> = None;
        for (event, range) in events {
            match event {
                event if is_quiz_fence(&event) => {
                    in_quiz = Some((String::new(), usize::MAX));
                }
                Event::Text(text) if in_quiz.is_some() => {
                    if let Some((buffer, start)) = &mut in_quiz {
                        *start = (*start).min(range.start);
                        buffer.push_str(&text);
                    }
                }
                Event::End(TagEnd::CodeBlock) if in_quiz.is_some() => {
                    let (text, start) = in_quiz.take().unwrap_or_default();
                    let start = if start == usize::MAX {
                        range.start
                    } else {
                        start
                    };
                    let n = self.out.quizzes.len();
                    let questions = self.parse_quiz_block(&text, start);
                    self.out.quizzes.push(questions);
                    out.push((Event::Html(CowStr::from(quiz_placeholder(n))), range));
                }
                other => out.push((other, range)),
            }
        }
        out
    }

    fn parse_quiz_block(&mut self, text: &str, start: usize) -> Vec<Question> {
        let words = crate::quiz::QuizWords {
            likert_scale: self
                .targets
                .string("likert_scale")
                .split('|')
                .map(|point| point.trim().to_string())
                .collect(),
            true_false: [
                self.targets.string("true").to_string(),
                self.targets.string("false").to_string(),
            ],
        };
        let mut questions = match parse_quiz(text, &words) {
            Ok(questions) => questions,
            Err(errors) => {
                for problem in errors {
                    self.error(start + problem.offset, problem.message, &problem.help);
                }
                return Vec::new();
            }
        };
        for question in &mut questions {
            question.render_texts(|text, place| self.render_inline(text, start + place));
            // From here on the offset is the question's place in the page body.
            question.offset = self.prepared.original(question.offset + start);
        }
        questions
    }

    /// Inline Markdown of a quiz text as HTML, links and files rewritten like the page's.
    fn render_inline(&mut self, text: &str, offset: usize) -> String {
        let mut events: Vec<(Event, Range<usize>)> = parser(text)
            .into_offset_iter()
            .map(|(event, range)| (event, offset + range.start..offset + range.end))
            .collect();
        self.rewrite_references(&mut events);
        let events = self.rewrite_raw_html(events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
        let html = self.apply_policy(html);
        let trimmed = html.trim_end();
        match trimmed
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
        {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => trimmed.to_string(),
        }
    }

    fn warn_when_long(&mut self, events: &[(Event<'a>, Range<usize>)]) {
        let texts = || {
            events.iter().filter_map(|(event, _)| match event {
                Event::Text(text) => Some(text),
                _ => None,
            })
        };
        // A text of n bytes holds at most ⌈n/2⌉ words (a byte each, a space between): most
        // pages cannot reach the limit, and counting every page's words cost more than its
        // links and headings together.
        let most: usize = texts().map(|text| text.len().div_ceil(2)).sum();
        if most <= LONG_PAGE_WORDS {
            return;
        }
        let words: usize = texts()
            .map(|text| text.split_ascii_whitespace().count())
            .sum();
        if words > LONG_PAGE_WORDS {
            self.warning(
                0,
                format!("page has {words} words"),
                "split it into several pages; learners read long pages badly on screen",
            );
        }
    }
}

/// The start of a fenced code block written as ```` ```quiz ````.
fn is_quiz_fence(event: &Event) -> bool {
    matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
        if info.split_whitespace().next() == Some("quiz"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UrlUse {
    /// The learner follows it (`<a href>`).
    Link,
    /// The browser loads it into the page (`<img src>`, `<video src>`).
    Embed,
}

/// Gives every heading a stable `id`: explicit `{#id}`s are reserved first, then the others
/// get their text's slug, numbered `-1`, `-2` on repeats (as Zola does). Translation uses the
/// same ids to keep links into a translated page working.
pub fn assign_heading_ids(events: &mut [(Event<'_>, Range<usize>)]) {
    // Python-Markdown's `{ id=name }` names the heading as `{#name}` does.
    for (event, _) in events.iter_mut() {
        if let Event::Start(Tag::Heading {
            id: id @ None,
            attrs,
            ..
        }) = event
            && let Some(at) = attrs
                .iter()
                .position(|(key, value)| key.as_ref() == "id" && value.is_some())
        {
            *id = attrs.remove(at).1;
        }
    }
    let mut taken: HashSet<String, foldhash::fast::RandomState> = events
        .iter()
        .filter_map(|(event, _)| match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    for i in 0..events.len() {
        let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 else {
            continue;
        };
        let base = match slugify(&heading_text(&events[i + 1..])) {
            slug if slug.is_empty() => "section".to_string(),
            slug => slug,
        };
        let mut anchor = base.clone();
        let mut n = 0;
        while taken.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        taken.insert(anchor.clone());
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(anchor));
        }
    }
}

/// Indices of the image starts whose alt text has more than white space, in one pass: images
/// nest (`![a![b](y)](x)`), and reading each one's text anew took quadratic time (50,000
/// nested images: minutes).
fn images_with_text(events: &[(Event, Range<usize>)]) -> HashSet<usize> {
    let mut described = HashSet::new();
    // The images open around the current event, each with whether text was seen in it.
    let mut open: Vec<(usize, bool)> = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Image { .. }) => open.push((i, false)),
            Event::End(TagEnd::Image) => {
                if let Some((start, text)) = open.pop() {
                    if text {
                        described.insert(start);
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 |= text;
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if !t.trim().is_empty() => {
                if let Some(innermost) = open.last_mut() {
                    innermost.1 = true;
                }
            }
            _ => {}
        }
    }
    described
}

/// Plain text of the element starting at `events[0]` (a heading, an image's alt text).
fn heading_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    let mut depth = 0;
    for (event, _) in events {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// A page's path as the words a website would use for it: folders and file without
/// numbering (`01-`), extension or a final `index`.
fn page_words(path: &str) -> Vec<&str> {
    let mut words: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != "." && *part != "..")
        .map(|part| {
            let part = [".md", ".html", ".htm"]
                .iter()
                .find_map(|ext| part.strip_suffix(ext))
                .unwrap_or(part);
            let unnumbered = part.trim_start_matches(|c: char| c.is_ascii_digit());
            match unnumbered.strip_prefix('-') {
                Some(rest) if unnumbered.len() < part.len() => rest,
                _ => part,
            }
        })
        .collect();
    if words.last() == Some(&"index") {
        words.pop();
    }
    words
}

/// Splits `path?query#fragment` into the path and the rest (kept as written).
pub(crate) fn split_suffix(url: &str) -> (&str, &str) {
    let cut = url.bytes().position(|b| matches!(b, b'?' | b'#'));
    url.split_at(cut.unwrap_or(url.len()))
}

/// A URL path percent-decoded (invalid UTF-8 replaced). Most paths have nothing to decode;
/// the library returns those borrowed too, but only after scanning them byte by byte and
/// checking them again as UTF-8: 1.1 % of checking the 1,000-page corpus (callgrind).
fn decode_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains('%') {
        percent_encoding::percent_decode_str(path).decode_utf8_lossy()
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::page_href;

    fn page(source: &str, markdown: &str) -> Page {
        let (module, file) = source.split_once('/').unwrap();
        let module_slug = &module[3..];
        let page_slug = &file[3..file.len() - 3];
        Page {
            id: format!("{module_slug}/{page_slug}"),
            slug: page_slug.to_string(),
            source: source.to_string(),
            title: None,
            description: None,
            markdown: markdown.into(),
            body_line_offset: 0,
            href: page_href(module_slug, page_slug),
            assessment: None,
            survey: false,
            minutes: None,
            lesson: Default::default(),
        }
    }

    fn render(markdown: &str) -> RenderedMarkdown {
        render_with(markdown, false)
    }

    fn render_with(markdown: &str, allow_scripts: bool) -> RenderedMarkdown {
        let inventory = crate::model::Inventory::default();
        let here = page("01-intro/01-welcome.md", markdown);
        let other = page("02-risk/03-mapping.md", "");
        let strings = crate::i18n::UiStrings::from([(
            "likert_scale".to_string(),
            "No | Maybe | Yes".to_string(),
        )]);
        let pages = BTreeMap::from([(other.source.as_str(), (&other).into())]);
        let targets = LinkTargets {
            inventory: &inventory,
            by_site_name: LinkTargets::site_index(&pages),
            pages,
            allow_scripts,
            language: "en",
            strings: &strings,
        };
        render_markdown(&here, &targets)
    }

    #[test]
    fn headings_get_stable_unique_anchors() {
        let out = render("# Welcome\n## Risk {#custom}\n## Risk\n## Risk\n## Custom\n");
        assert!(out.html.contains(r#"<h2 id="risk">"#), "{}", out.html);
        assert!(out.html.contains(r#"<h2 id="risk-1">"#));
        assert!(out.html.contains(r#"<h2 id="custom">"#));
        assert!(
            out.html.contains(r#"<h2 id="custom-1">"#),
            "explicit ids are reserved first"
        );
        assert_eq!(out.first_heading.as_deref(), Some("Welcome"));
    }

    #[test]
    fn page_links_are_rewritten_to_rendered_pages() {
        let out = render("[map](../02-risk/03-mapping.md#steps) and [here](#top)");
        assert!(
            out.html.contains(r#"href="../risk/mapping.html#steps""#),
            "{}",
            out.html
        );
        assert_eq!(out.page_links.len(), 2);
        assert_eq!(out.page_links[0].target_page, "risk/mapping");
        assert_eq!(out.page_links[0].fragment, "steps");
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn footnotes_go_to_the_end_with_ids_no_heading_takes() {
        let out = render(
            "# Note\n\nText.[^note] [see it](#note) [nowhere](#fnord)\n\n[^note]: The note.\n\n## Note\n",
        );
        assert!(out.anchors.contains("fn:1") && out.anchors.contains("fnref:1"));
        assert!(out.html.contains(r#"<h1 id="note">"#), "{}", out.html);
        assert!(out.html.contains(r#"<h2 id="note-1">"#), "{}", out.html);
        let notes = out.html.find("<section class=\"footnotes\"").unwrap();
        assert!(out.html.find("The note.").unwrap() > notes);
        assert!(out.html.find("<h2").unwrap() < notes, "{}", out.html);
        assert!(out.page_links.iter().any(|l| l.fragment == "fnord"));
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn broken_links_report_file_line_and_column() {
        let out = render("# T\n\nSee [x](../02-risk/09-nothing.md) now.\n");
        assert_eq!(out.diagnostics.len(), 1);
        let d = &out.diagnostics[0];
        assert_eq!(
            d.to_string().lines().next().unwrap(),
            "01-intro/01-welcome.md:3:5: error: link to a page that does not exist: `../02-risk/09-nothing.md`"
        );
    }

    #[test]
    fn escapes_and_absolute_paths_are_refused() {
        let out = render("![a](../../secret.png) ![b](/etc/passwd)");
        let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "`../../secret.png` points outside the course folder",
                "`/etc/passwd` is an absolute path",
            ]
        );
        assert!(out.files.is_empty());
    }

    #[test]
    fn scripts_and_external_embeds_are_refused_at_their_line() {
        let markdown = "<div>\n<script>alert(1)</script>\n</div>\n\n<img src=\"https://cdn.example/x.png\" alt=\"x\">\n\n![map](//cdn.example/map.png) [run](javascript:go())\n";
        let found = |out: RenderedMarkdown| -> Vec<String> {
            let mut found: Vec<String> = out
                .diagnostics
                .iter()
                .map(|d| {
                    format!(
                        "{:?} {} {}",
                        d.severity,
                        d.position.map_or(0, |p| p.line),
                        d.message
                    )
                })
                .collect();
            found.sort_by_key(|line| line.split(' ').nth(1).and_then(|n| n.parse::<usize>().ok()));
            found
        };
        assert_eq!(
            found(render(markdown)),
            [
                "Error 2 `<script>` runs or embeds active content",
                "Error 5 `src` on `<img>` loads `https://cdn.example/x.png` from outside the package",
                "Error 7 image `//cdn.example/map.png` is loaded from outside the package",
                "Error 7 `javascript:` URL in a link runs script",
            ]
        );
        // A course that turns the policy off is only told that it no longer works offline.
        assert_eq!(
            found(render_with(markdown, true)),
            [
                "Warning 5 `https://cdn.example/x.png` is loaded from outside the package",
                "Warning 7 `//cdn.example/map.png` is loaded from outside the package",
            ]
        );
    }

    #[test]
    fn page_and_quiz_html_are_sanitised() {
        let out = render("<p title=\"a\" onclick=\"x()\">hi</p>\n\n<marquee>news</marquee>\n");
        assert_eq!(out.html.as_ref(), "<p title=\"a\">hi</p>\n<p>news</p>\n");
        let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "event handler `onclick` on `<p>` runs script",
                "`<marquee>` is not in the HTML allowlist and is left out (its text stays)",
            ]
        );
    }

    #[test]
    fn images_without_alt_text_are_warned() {
        let out = render("![](https://example.org/a.png)");
        assert!(
            out.diagnostics
                .iter()
                .any(|d| d.message.contains("has no alt text"))
        );
    }

    #[test]
    fn quiz_blocks_become_placeholders_with_rendered_questions() {
        let out = render(
            "# Q\n\n```quiz\n? See *the* [map](../02-risk/03-mapping.md)\n- [x] `yes`\n- [ ] no\n```\n\nAfter.\n",
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert!(out.html.contains(&quiz_placeholder(0)), "{}", out.html);
        assert!(
            !out.html.contains("<code>"),
            "the block is not rendered as code"
        );
        let question = &out.quizzes[0][0];
        assert_eq!(
            question.text,
            r#"See <em>the</em> <a href="../risk/mapping.html">map</a>"#
        );
        assert_eq!(question.answer.options()[0].text, "<code>yes</code>");
    }

    #[test]
    fn quiz_errors_point_into_the_block() {
        let out = render("# Q\n\n```quiz\n? Which?\n- [x] a\n- [x] b\n```\n");
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(
            out.diagnostics[0].to_string(),
            "01-intro/01-welcome.md:4:1: error: single-choice question has 2 correct options\n  help: mark one, or make it `type: multiple`"
        );
    }

    #[test]
    fn pages_over_the_word_limit_are_warned() {
        let long_warnings = |words: usize| {
            render(&vec!["a"; words].join(" "))
                .diagnostics
                .iter()
                .filter(|d| d.message.ends_with(" words"))
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        // One-letter words are the densest text: there the bound that spares most pages the
        // count is exact, so it must not round down.
        assert!(long_warnings(LONG_PAGE_WORDS).is_empty());
        assert_eq!(long_warnings(LONG_PAGE_WORDS + 1), ["page has 5001 words"]);
        let words = "word ".repeat(LONG_PAGE_WORDS + 10);
        assert_eq!(
            render(&format!("# Long\n\n{words}\n")).diagnostics[0].message,
            "page has 5011 words"
        );
    }

    #[test]
    fn external_links_and_email_are_left_alone() {
        let out = render("[wco](https://www.wcoomd.org) <someone@example.org>");
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert!(out.html.contains(r#"href="https://www.wcoomd.org""#));
        assert!(out.html.contains("mailto:someone@example.org"));
    }
}
