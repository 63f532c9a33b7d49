//! A source page's references pointed at their new places: links to other imported pages at
//! those pages, everything else at the copy of the file under `media/`.

use super::Plan;
use crate::course_path::normalize;
use crate::markdown::split_suffix;
use pulldown_cmark::{Event, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub struct Rewritten {
    pub text: String,
    /// Source files (relative to the plan's root) the page uses.
    pub files: BTreeSet<String>,
    pub notes: Vec<String>,
}

/// Where a source file the pages use goes in the course.
pub fn media_place(source: &str) -> String {
    format!("media/{source}")
}

/// `text` of the page `source`, going to `new_place`, with its references rewritten.
pub fn links(
    text: &str,
    source: &str,
    new_place: &str,
    plan: &Plan,
    places: &BTreeMap<String, String>,
) -> Rewritten {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut files = BTreeSet::new();
    let mut notes = Vec::new();
    let mut resolve = |url: &str| -> Option<String> {
        let (path, suffix) = split_suffix(url);
        if path.is_empty()
            || url.starts_with('#')
            || crate::html_policy::url_scheme(url).is_some()
            || url.starts_with("//")
        {
            return None;
        }
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let folder = source.rsplit_once('/').map_or("", |(folder, _)| folder);
        let joined = if decoded.starts_with('/') {
            decoded.trim_start_matches('/').to_string()
        } else if folder.is_empty() {
            decoded.to_string()
        } else {
            format!("{folder}/{decoded}")
        };
        let Ok(relative) = normalize(&joined) else {
            notes.push(format!(
                "`{url}` points outside the source folder: left as written"
            ));
            return None;
        };
        // A page, by its Markdown file or by the `.html` a site generator made of it.
        let as_page = [relative.clone(), relative.replace(".html", ".md")];
        if let Some(page) = as_page.iter().find_map(|candidate| places.get(candidate)) {
            return Some(format!(
                "{}{suffix}",
                crate::model::relative_url(new_place, page)
            ));
        }
        let shared = decoded.trim_start_matches('/');
        let relative = std::iter::once(relative.clone())
            .chain(
                plan.shared_folders
                    .iter()
                    .map(|folder| format!("{folder}/{shared}")),
            )
            .find(|candidate| plan.root.join(candidate).is_file())
            .unwrap_or(relative);
        let on_disk = plan.root.join(&relative);
        if on_disk.is_file() {
            if relative.ends_with(".md") {
                notes.push(format!("`{url}` is a Markdown file the table of contents does not list: left as written"));
                return None;
            }
            files.insert(relative.clone());
            let place = media_place(&relative);
            let encoded = percent_encoding::utf8_percent_encode(
                &crate::model::relative_url(new_place, &place),
                PATH,
            )
            .to_string();
            return Some(format!("{encoded}{suffix}"));
        }
        notes.push(format!(
            "`{url}` does not exist in the source: left as written"
        ));
        None
    };
    let prepared = crate::markdown::prepare(text);
    let mut parser = crate::markdown::parser(&prepared.text).into_offset_iter();
    let mut found: Vec<(String, Range<usize>)> = Vec::new();
    for (event, range) in parser.by_ref() {
        let range = prepared.original_range(range);
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                found.push((dest_url.to_string(), range));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                for url in html_references(&html) {
                    found.push((url, range.clone()));
                }
            }
            _ => {}
        }
    }
    for (_, definition) in parser.reference_definitions().iter() {
        let span = prepared.original_range(definition.span.clone());
        found.push((definition.dest.to_string(), span));
    }
    for (url, range) in found {
        let Some(new) = resolve(&url) else { continue };
        let Some(slice) = text.get(range.clone()) else {
            continue;
        };
        // The URL as written in the span: after `](`, `]: ` or in an attribute's quotes.
        if let Some(at) = slice.rfind(url.as_str()) {
            let start = range.start + at;
            edits.push((start..start + url.len(), new));
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    edits.dedup_by_key(|(range, _)| range.start);
    let mut rewritten = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, new) in edits {
        if range.start < copied {
            continue;
        }
        rewritten.push_str(&text[copied..range.start]);
        rewritten.push_str(&new);
        copied = range.end;
    }
    rewritten.push_str(&text[copied..]);
    Rewritten {
        text: rewritten,
        files,
        notes,
    }
}

/// What a relative path may hold unencoded in a Markdown link.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'(')
    .add(b')')
    .add(b'<')
    .add(b'>')
    .add(b'"');

/// The `src`, `href` and `poster` values of a fragment of raw HTML.
fn html_references(html: &str) -> Vec<String> {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let mut found = Vec::new();
    let _ = rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("*", |el| {
            for name in ["src", "href", "poster"] {
                if let Some(value) = el.get_attribute(name) {
                    found.push(value);
                }
            }
            Ok(())
        })),
    );
    found
}
