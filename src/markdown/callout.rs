//! Callouts: one model behind GitHub alerts (`> [!NOTE]`), fenced divs (`::: solution`),
//! MkDocs admonitions (`!!! tip "Title"`, `??? hint`) and kramdown's `{: .challenge}` on a
//! quote. Each kind has a visible label in the course's language, so that it is never told
//! by colour alone; solutions and hints start collapsed, and instructor notes never reach a
//! package.

use crate::html_policy::escape_html;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
    Example,
    Objectives,
    Questions,
    Keypoints,
    Prerequisites,
    Challenge,
    Solution,
    Hint,
    Details,
    Instructor,
    /// A kind this tool does not know: shown as a plain callout (with a warning).
    Other,
}

impl Kind {
    /// The kind a word names, with the synonyms other tools use (MkDocs' `danger`, the
    /// Carpentries' `prereq` and `spoiler`, Docusaurus' `info`).
    pub fn named(word: &str) -> Option<Kind> {
        let word = word.trim().to_ascii_lowercase();
        Some(match word.as_str() {
            "note" | "callout" | "info" | "abstract" | "summary" | "tldr" | "seealso" | "todo"
            | "quote" | "cite" | "discussion" | "testimonial" | "checklist" => Kind::Note,
            "tip" | "success" | "check" | "done" => Kind::Tip,
            "important" => Kind::Important,
            "warning" | "attention" => Kind::Warning,
            "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => {
                Kind::Caution
            }
            "example" => Kind::Example,
            "objectives" => Kind::Objectives,
            "questions" | "question" | "faq" | "help" => Kind::Questions,
            "keypoints" | "key-points" => Kind::Keypoints,
            "prerequisites" | "prerequisite" | "prereq" => Kind::Prerequisites,
            "challenge" | "exercise" | "exercises" | "activity" | "practice" => Kind::Challenge,
            "solution" | "solutions" | "answer" => Kind::Solution,
            "hint" | "hints" => Kind::Hint,
            "details" | "spoiler" | "collapse" => Kind::Details,
            "instructor" | "instructors" | "instructor-note" | "instructor-notes" => {
                Kind::Instructor
            }
            _ => return None,
        })
    }

    /// Its CSS class suffix and the key of its label (`callout_note`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tip => "tip",
            Kind::Important => "important",
            Kind::Warning => "warning",
            Kind::Caution => "caution",
            Kind::Example => "example",
            Kind::Objectives => "objectives",
            Kind::Questions => "questions",
            Kind::Keypoints => "keypoints",
            Kind::Prerequisites => "prerequisites",
            Kind::Challenge => "challenge",
            Kind::Solution => "solution",
            Kind::Hint => "hint",
            Kind::Details => "details",
            Kind::Instructor => "instructor",
            Kind::Other => "other",
        }
    }

    /// Shown closed, opened by the learner: answers are not given away on sight.
    pub fn collapsed(self) -> bool {
        matches!(self, Kind::Solution | Kind::Hint | Kind::Details)
    }

    /// For instructors only: left out of every package.
    pub fn left_out(self) -> bool {
        self == Kind::Instructor
    }

    pub fn from_alert(kind: pulldown_cmark::BlockQuoteKind) -> Kind {
        use pulldown_cmark::BlockQuoteKind as Alert;
        match kind {
            Alert::Note => Kind::Note,
            Alert::Tip => Kind::Tip,
            Alert::Important => Kind::Important,
            Alert::Warning => Kind::Warning,
            Alert::Caution => Kind::Caution,
        }
    }
}

/// How a callout is shown: its kind, its label in the course's language and whether it
/// starts open (MkDocs' `???+`).
pub struct Look<'a> {
    pub kind: Kind,
    pub label: &'a str,
    /// The title starts with the label's words: the label is not said twice.
    pub label_in_title: bool,
    /// Written to be collapsible (`??? note`), whatever its kind.
    pub collapsible: bool,
    pub open: bool,
    pub id: Option<&'a str>,
    pub classes: &'a [String],
}

impl<'a> Look<'a> {
    /// A callout as its kind shows it, with nothing else asked for.
    pub fn plain(kind: Kind, label: &'a str, id: Option<&'a str>) -> Self {
        Look {
            kind,
            label,
            label_in_title: false,
            collapsible: false,
            open: false,
            id,
            classes: &[],
        }
    }

    /// Shown as `<details>`, opened by the learner.
    pub fn is_collapsible(&self) -> bool {
        self.kind.collapsed() || self.collapsible || self.open
    }
}

/// The callout's opening tags and the start of its title line; `title_end` closes the line.
pub fn open_html(look: &Look) -> String {
    let mut class = format!("callout callout-{}", look.kind.name());
    for extra in look.classes {
        class.push(' ');
        class.push_str(&escape_html(extra));
    }
    let id = look
        .id
        .map(|id| format!(" id=\"{}\"", escape_html(id)))
        .unwrap_or_default();
    let label = if look.label_in_title {
        String::new()
    } else {
        format!(
            "<span class=\"callout-label\">{}</span>",
            escape_html(look.label)
        )
    };
    if look.is_collapsible() {
        let open = if look.open { " open" } else { "" };
        format!("<details class=\"{class}\"{id}{open}>\n<summary class=\"callout-title\">{label}")
    } else {
        format!("<div class=\"{class}\"{id} role=\"note\">\n<p class=\"callout-title\">{label}")
    }
}

/// What comes between the label and a title: a separator a screen reader reads as a pause.
pub fn title_start(look: &Look) -> &'static str {
    if look.label_in_title {
        ""
    } else {
        "<span class=\"callout-separator\">: </span>"
    }
}

pub fn title_end(collapsible: bool) -> &'static str {
    if collapsible {
        "</summary>\n"
    } else {
        "</p>\n"
    }
}

pub fn close_html(collapsible: bool) -> &'static str {
    if collapsible {
        "</details>\n"
    } else {
        "</div>\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_from_other_tools_name_the_same_kinds() {
        assert_eq!(Kind::named("prereq"), Some(Kind::Prerequisites));
        assert_eq!(Kind::named("Danger"), Some(Kind::Caution));
        assert_eq!(Kind::named("spoiler"), Some(Kind::Details));
        assert_eq!(Kind::named("instructor"), Some(Kind::Instructor));
        assert_eq!(Kind::named("testimonial"), Some(Kind::Note));
        assert_eq!(Kind::named("tab"), None);
        assert!(Kind::Solution.collapsed() && Kind::Hint.collapsed());
        assert!(!Kind::Challenge.collapsed());
    }
}
