//! Saved-state slots: the permanent small number of every page and question in the learner's
//! saved state (suspend_data), kept in `coursepack.lock` beside `course.toml`.
//!
//! SCORM 1.2 gives a course 4,096 characters for everything a learner did. A bitset over small
//! numbers fits 1,000 pages in 167 characters, but the numbers must mean the same page in
//! every later version of the course, whatever is added, removed or reordered around it; a
//! number is therefore handed out once, kept for good and never reused. The lock's `lineage`
//! tells the run-time which numbering a saved state belongs to: a lock lost and made anew
//! numbers pages afresh, and the state saved under the old numbering is then dropped rather
//! than applied to the wrong pages.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The lock's file name, beside `course.toml`.
pub const LOCK_FILE: &str = "coursepack.lock";

/// What to do about a lock that does not read.
pub const RESTORE_HELP: &str = "restore coursepack.lock from version control (the copy the last published package was built with); a deleted lock is made anew, but learners' saved progress does not carry over into it";

const HEADER: &str = "\
# Saved-progress slots of this course's pages and questions, kept by `coursepack build`.
# Commit this file beside course.toml: a new version of the course built with it keeps what
# learners did in the last one. Entries are only ever added; do not edit or reorder them.
";

/// Page and question ids by slot: the slot is the position in the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slots {
    /// Names this numbering; set when the lock is first made.
    pub lineage: String,
    pub pages: Vec<String>,
    pub questions: Vec<String>,
}

impl Slots {
    /// A lock as read (TOML, by the loader), checked: `Err` when it was edited into an
    /// inconsistency.
    pub fn checked(slots: Slots) -> Result<Slots, Diagnostic> {
        for (kind, ids) in [("page", &slots.pages), ("question", &slots.questions)] {
            let mut seen = HashSet::new();
            if let Some(twice) = ids.iter().find(|id| !seen.insert(id.as_str())) {
                return Err(Diagnostic::error(
                    LOCK_FILE,
                    None,
                    format!("{kind} `{twice}` has two slots"),
                )
                .with_help(RESTORE_HELP));
            }
        }
        if slots.lineage.is_empty() {
            return Err(
                Diagnostic::error(LOCK_FILE, None, "`lineage` is empty").with_help(RESTORE_HELP)
            );
        }
        Ok(slots)
    }

    /// The slots for a course with these pages and questions: those of `previous`, and new
    /// ones at the end for ids it does not have yet. Without `previous`, a new numbering in
    /// course order.
    pub fn assign<'a>(
        previous: Option<&Slots>,
        pages: impl IntoIterator<Item = &'a str>,
        questions: impl IntoIterator<Item = &'a str>,
    ) -> Slots {
        let pages: Vec<&str> = pages.into_iter().collect();
        let mut slots = previous.cloned().unwrap_or_else(|| Slots {
            lineage: lineage_of(&pages),
            ..Slots::default()
        });
        extend(&mut slots.pages, pages);
        extend(&mut slots.questions, questions);
        slots
    }

    /// The lock file's text.
    pub fn to_lock(&self) -> String {
        // An array of strings has no form in which serialisation can fail.
        let body = toml::to_string_pretty(self).expect("slots serialise as TOML");
        format!("{HEADER}{body}")
    }

    /// Slot of each page id.
    pub fn page_slots(&self) -> HashMap<&str, usize> {
        positions(&self.pages)
    }

    /// Slot of each question id.
    pub fn question_slots(&self) -> HashMap<&str, usize> {
        positions(&self.questions)
    }
}

fn extend<'a>(slots: &mut Vec<String>, ids: impl IntoIterator<Item = &'a str>) {
    let mut known: HashSet<String> = slots.iter().cloned().collect();
    for id in ids {
        if known.insert(id.to_string()) {
            slots.push(id.to_string());
        }
    }
}

fn positions(ids: &[String]) -> HashMap<&str, usize> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect()
}

/// A short name for a new numbering: a hash of its first pages, in base 36. It only has to
/// differ between numberings; being a function of the pages, a lock made again from the same
/// course gets the same numbering and the same name.
fn lineage_of(pages: &[&str]) -> String {
    let mut hash = crate::slug::fnv1a(pages.join("\n").as_bytes());
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit(hash % 36, 36).expect("a base-36 digit"));
        hash /= 36;
        if hash == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_get_new_slots_and_old_ones_keep_theirs() {
        let first = Slots::assign(None, ["a/one", "a/two", "b/three"], ["q1"]);
        assert_eq!(first.pages, ["a/one", "a/two", "b/three"]);
        // Reordered, one removed, one added: the survivors keep their numbers.
        let second = Slots::assign(Some(&first), ["b/three", "a/new", "a/one"], ["q2", "q1"]);
        assert_eq!(second.pages, ["a/one", "a/two", "b/three", "a/new"]);
        assert_eq!(second.questions, ["q1", "q2"]);
        assert_eq!(second.lineage, first.lineage);
        assert_eq!(second.page_slots()["a/new"], 3);
        // A numbering made from other pages is another lineage.
        let other = Slots::assign(None, ["a/two", "a/one"], []);
        assert_ne!(other.lineage, first.lineage);
        assert_eq!(
            Slots::assign(None, ["a/one", "a/two", "b/three"], []).lineage,
            first.lineage
        );
    }

    #[test]
    fn the_lock_reads_back_what_was_written() {
        let slots = Slots::assign(None, ["a/one", "a/two"], ["a-one-1"]);
        let text = slots.to_lock();
        assert!(text.starts_with("# Saved-progress slots"), "{text}");
        let read: Slots = toml::from_str(&text).unwrap();
        assert_eq!(Slots::checked(read).unwrap(), slots);
    }

    #[test]
    fn an_edited_lock_is_refused() {
        let read = |text: &str| Slots::checked(toml::from_str(text).unwrap());
        let twice = "lineage = \"x\"\npages = [\"a/one\", \"a/one\"]\nquestions = []\n";
        assert_eq!(
            read(twice).unwrap_err().message,
            "page `a/one` has two slots"
        );
        assert!(read("lineage = \"\"\npages = []\nquestions = []\n").is_err());
        let unknown = "lineage = \"x\"\npages = []\nquestions = []\nslots = 3\n";
        assert!(
            toml::from_str::<Slots>(unknown).is_err(),
            "unknown keys are refused"
        );
    }
}
