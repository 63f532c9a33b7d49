//! What changed between two versions of a package: pages, files and questions, and — loudly —
//! item and SCO identifiers, on which LMSs key learners' progress when a package is updated.

use crate::inspect::{self, Item};
use anyhow::Context;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

/// One version, reduced to what a comparison needs.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Item identifier → title, across every organization.
    pub items: BTreeMap<String, String>,
    /// Identifiers of the resources items launch as SCOs.
    pub scos: BTreeSet<String>,
    /// Package path → CRC-32, from the zip's central directory.
    pub files: BTreeMap<String, u32>,
    /// Question id → fingerprint of its text, options, key and feedback.
    pub questions: BTreeMap<String, u64>,
    /// How learners' saved progress is kept; `None` for packages of other tools.
    pub saved: Option<SavedState>,
}

/// What the run-time of a package keeps a learner's progress under (see `slots`).
#[derive(Debug, Default)]
pub struct SavedState {
    /// The numbering of the slots; `None` for packages made before coursepack.lock, whose
    /// saved state (format 1) goes by place in the sorted page ids.
    pub lineage: Option<String>,
    /// One SCO per module: each module's saved state is its own.
    pub per_module: bool,
    /// Page id → where its state is kept.
    pub pages: BTreeMap<String, SavedPage>,
}

#[derive(Debug, Default, Clone)]
pub struct SavedPage {
    pub module: String,
    pub slot: Option<u64>,
    /// The page's questions in order, with their slots.
    pub questions: Vec<(String, Option<u64>)>,
}

/// Largest page read to find questions; pages are a few KiB to a few hundred.
const MAX_PAGE: u64 = 16 << 20;
/// Most page text read from one package: a bound on the work a hostile zip can ask of `diff`.
const MAX_PAGES_TOTAL: u64 = 256 << 20;

/// Reads the package at `path`. Problems inspect finds do not stop the comparison.
pub fn snapshot(path: &Path) -> anyhow::Result<Snapshot> {
    let report = inspect::inspect(path, inspect::Options::default())
        .with_context(|| format!("cannot open {}", path.display()))?;
    if report.standard.is_none() {
        anyhow::bail!(
            "{} is not a SCORM package that can be read; run `coursepack validate` on it",
            path.display()
        );
    }
    // The comparison inflates pages: a zip that inspect finds unsafe to inflate is not read.
    let unsafe_zip = report.problems.iter().find(|p| {
        p.severity == inspect::Severity::Error
            && matches!(
                p.rule,
                inspect::Rule::ZipUnreadable
                    | inspect::Rule::TooManyEntries
                    | inspect::Rule::ZipBomb
                    | inspect::Rule::CorruptEntry
            )
    });
    if let Some(problem) = unsafe_zip {
        anyhow::bail!(
            "{} is not compared: {}; run `coursepack validate` on it",
            path.display(),
            problem.message
        );
    }
    let mut snapshot = Snapshot::default();
    let mut budget = MAX_PAGES_TOTAL;
    fn walk(items: &[Item], out: &mut BTreeMap<String, String>) {
        for item in items {
            out.insert(item.identifier.clone(), item.title.clone());
            walk(&item.children, out);
        }
    }
    for organization in &report.organizations {
        walk(&organization.items, &mut snapshot.items);
    }
    snapshot.scos = report.scos.iter().map(|s| s.resource.clone()).collect();
    let mut zip = zip::ZipArchive::new(crate::fs::open(path)?)?;
    let mut launch = None;
    let mut page_questions: BTreeMap<String, Vec<(String, Option<u64>)>> = BTreeMap::new();
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        snapshot.files.insert(name.clone(), entry.crc32());
        if name.ends_with(".html") && entry.size() <= MAX_PAGE {
            let mut page = String::new();
            let read = entry
                .by_ref()
                .take(MAX_PAGE.min(budget))
                .read_to_string(&mut page);
            budget -= page.len() as u64;
            if budget == 0 {
                anyhow::bail!(
                    "{} holds more than {} MiB of pages; run `coursepack validate` on it",
                    path.display(),
                    MAX_PAGES_TOTAL >> 20
                );
            }
            if read.is_ok() {
                questions_of(&page, &mut snapshot.questions);
                if name == "index.html" {
                    launch = script_json(&page, "cp-data");
                } else if let Some(quiz) = script_json(&page, "cp-quiz-data") {
                    page_questions.insert(name, slotted_questions(&quiz));
                }
            }
        }
    }
    snapshot.saved = launch.map(|data| SavedState {
        lineage: data["lineage"].as_str().map(str::to_string),
        per_module: snapshot.scos.len() > 1,
        pages: data["pages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|page| {
                let id = page["id"].as_str()?.to_string();
                let href = page["href"].as_str().unwrap_or_default();
                Some((
                    id,
                    SavedPage {
                        module: page["module"].as_str().unwrap_or_default().to_string(),
                        slot: page["slot"].as_u64(),
                        questions: page_questions.remove(href).unwrap_or_default(),
                    },
                ))
            })
            .collect(),
    });
    Ok(snapshot)
}

/// The JSON of the page's `<script type="application/json" id="…">`.
fn script_json(page: &str, id: &str) -> Option<serde_json::Value> {
    let marker = format!("id=\"{id}\">");
    let start = page.find(&marker)? + marker.len();
    let json = &page[start..];
    serde_json::from_str(&json[..json.find("</script>")?]).ok()
}

fn slotted_questions(quiz: &serde_json::Value) -> Vec<(String, Option<u64>)> {
    quiz["questions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| Some((q["id"].as_str()?.to_string(), q["slot"].as_u64())))
        .collect()
}

/// Questions as our pages carry them: a `cp-question` fieldset per question and the page's
/// `cp-quiz-data` JSON (answer key, feedback). Pages of other tools have none.
fn questions_of(page: &str, out: &mut BTreeMap<String, u64>) {
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    if let Some(data) = script_json(page, "cp-quiz-data") {
        for question in data["questions"].as_array().into_iter().flatten() {
            if let Some(id) = question["id"].as_str() {
                // The slot is where the answer is kept, not part of the question.
                let mut key = question.clone();
                key.as_object_mut().map(|q| q.remove("slot"));
                keys.insert(id.to_string(), key.to_string());
            }
        }
    }
    for fieldset in page.split("<fieldset class=\"cp-question\"").skip(1) {
        let Some(id) = fieldset
            .split_once("data-question=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(id, _)| id.to_string())
        else {
            continue;
        };
        let body = &fieldset[..fieldset.find("</fieldset>").unwrap_or(fieldset.len())];
        let key = keys.get(&id).map(String::as_str).unwrap_or_default();
        let fingerprint = crate::slug::fnv1a(format!("{body}\u{0}{key}").as_bytes());
        out.insert(id, u64::from(fingerprint));
    }
}

/// Added, removed and changed names of one kind.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

impl Changes {
    fn between<V: PartialEq>(old: &BTreeMap<String, V>, new: &BTreeMap<String, V>) -> Changes {
        Changes {
            added: new
                .keys()
                .filter(|k| !old.contains_key(*k))
                .cloned()
                .collect(),
            removed: old
                .keys()
                .filter(|k| !new.contains_key(*k))
                .cloned()
                .collect(),
            changed: old
                .iter()
                .filter(|(k, v)| new.get(*k).is_some_and(|n| n != *v))
                .map(|(k, _)| k.clone())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Everything that differs; `lost_items` and `lost_scos` are what costs learners progress.
#[derive(Debug, Serialize)]
pub struct Difference {
    pub pages: Changes,
    pub files: Changes,
    pub questions: Changes,
    /// Items whose title changed are listed as changed; the identifier is what matters.
    pub items: Changes,
    pub lost_items: Vec<String>,
    pub lost_scos: Vec<String>,
    /// What learners' saved progress keeps; `None` when either version is not ours.
    pub saved_progress: Option<Carried>,
}

impl Difference {
    /// Whether learners lose anything they did: progress, or the identifiers LMSs keep it by.
    pub fn loses_progress(&self) -> bool {
        !self.lost_items.is_empty()
            || !self.lost_scos.is_empty()
            || self.saved_progress.as_ref().is_some_and(Carried::loses)
    }
}

/// Which pages' and questions' saved state the new version reads, and why the rest is dropped.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct Carried {
    pub pages_kept: usize,
    pub questions_kept: usize,
    /// (page id, why), in id order.
    pub pages_dropped: Vec<(String, String)>,
    /// (question id, why), in id order.
    pub questions_dropped: Vec<(String, String)>,
}

impl Carried {
    pub fn loses(&self) -> bool {
        !self.pages_dropped.is_empty() || !self.questions_dropped.is_empty()
    }
}

const GONE: &str = "no longer in the course";

/// What the new version's run-time reads of a state the old one saved, by the rules of
/// `coursepack.js`: by slot within one lineage; format 1 (before coursepack.lock) only while
/// the (module's) set of page ids, and a page's list of question ids, are the same.
pub fn carry_over(old: &SavedState, new: &SavedState) -> Carried {
    let mut carried = Carried::default();
    let same_set = |module: &str| {
        let ids = |state: &SavedState| -> BTreeSet<String> {
            state
                .pages
                .iter()
                .filter(|(_, p)| !new.per_module || p.module == module)
                .map(|(id, _)| id.clone())
                .collect()
        };
        ids(old) == ids(new)
    };
    for (id, page) in &old.pages {
        let Some(now) = new.pages.get(id) else {
            carried.pages_dropped.push((id.clone(), GONE.to_string()));
            drop_questions(&mut carried, page, GONE);
            continue;
        };
        let page_reason = match (&old.lineage, &new.lineage) {
            (Some(a), Some(b)) if a != b => {
                Some("coursepack.lock was made anew: saved progress is numbered differently")
            }
            (Some(_), Some(_)) if page.slot != now.slot => {
                Some("its slot in coursepack.lock changed")
            }
            (Some(_), Some(_)) => None,
            (Some(_), None) => Some(
                "the new package is older than coursepack.lock and cannot read this saved state",
            ),
            (None, _) if !same_set(&page.module) => Some(
                "saved before coursepack.lock, which is read only while the pages are the same",
            ),
            (None, _) => None,
        };
        if let Some(reason) = page_reason {
            carried.pages_dropped.push((id.clone(), reason.to_string()));
            drop_questions(&mut carried, page, reason);
            continue;
        }
        carried.pages_kept += 1;
        let by_position = old.lineage.is_none() || new.lineage.is_none();
        if by_position
            && page
                .questions
                .iter()
                .map(|q| &q.0)
                .ne(now.questions.iter().map(|q| &q.0))
        {
            drop_questions(
                &mut carried,
                page,
                "saved before coursepack.lock, which is read only while a page's questions are the same",
            );
            continue;
        }
        for (question, slot) in &page.questions {
            match now.questions.iter().find(|(q, _)| q == question) {
                None => carried
                    .questions_dropped
                    .push((question.clone(), format!("no longer on page {id}"))),
                Some((_, now_slot)) if !by_position && now_slot != slot => {
                    carried.questions_dropped.push((
                        question.clone(),
                        "its slot in coursepack.lock changed".to_string(),
                    ))
                }
                Some(_) => carried.questions_kept += 1,
            }
        }
    }
    carried.questions_dropped.sort();
    carried
}

fn drop_questions(carried: &mut Carried, page: &SavedPage, reason: &str) {
    for (question, _) in &page.questions {
        carried
            .questions_dropped
            .push((question.clone(), reason.to_string()));
    }
}

pub fn compare(old: &Snapshot, new: &Snapshot) -> Difference {
    let split = |files: &BTreeMap<String, u32>, pages: bool| -> BTreeMap<String, u32> {
        files
            .iter()
            .filter(|(name, _)| is_page(name) == pages)
            .map(|(name, crc)| (name.clone(), *crc))
            .collect()
    };
    let items = Changes::between(&old.items, &new.items);
    Difference {
        pages: Changes::between(&split(&old.files, true), &split(&new.files, true)),
        files: Changes::between(&split(&old.files, false), &split(&new.files, false)),
        questions: Changes::between(&old.questions, &new.questions),
        lost_items: items.removed.clone(),
        lost_scos: old.scos.difference(&new.scos).cloned().collect(),
        items,
        saved_progress: old
            .saved
            .as_ref()
            .zip(new.saved.as_ref())
            .map(|(old, new)| carry_over(old, new)),
    }
}

/// A page a learner reads (the launch page and theme files are not counted as pages).
fn is_page(name: &str) -> bool {
    name.ends_with(".html") && name != "index.html"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of a test state: id, module, slot, and its questions with their slots.
    type TestPage<'a> = (&'a str, &'a str, u64, &'a [(&'a str, u64)]);

    /// A saved state of `pages`; without a lineage, one of format 1 (no slots).
    fn state(lineage: Option<&str>, pages: &[TestPage]) -> SavedState {
        SavedState {
            lineage: lineage.map(str::to_string),
            per_module: false,
            pages: pages
                .iter()
                .map(|(id, module, slot, questions)| {
                    let page = SavedPage {
                        module: module.to_string(),
                        slot: lineage.map(|_| *slot),
                        questions: questions
                            .iter()
                            .map(|(q, s)| (q.to_string(), lineage.map(|_| *s)))
                            .collect(),
                    };
                    (id.to_string(), page)
                })
                .collect(),
        }
    }

    #[test]
    fn by_slot_within_one_lineage() {
        let old = state(
            Some("l"),
            &[
                ("a/one", "a", 0, &[("q1", 0), ("q2", 1)]),
                ("a/two", "a", 1, &[]),
            ],
        );
        // A page added, a question removed and one added: the rest carries over.
        let new = state(
            Some("l"),
            &[
                ("a/new", "a", 2, &[]),
                ("a/one", "a", 0, &[("q3", 2), ("q1", 0)]),
                ("a/two", "a", 1, &[]),
            ],
        );
        let carried = carry_over(&old, &new);
        assert_eq!((carried.pages_kept, carried.questions_kept), (2, 1));
        assert_eq!(
            carried.questions_dropped,
            [("q2".to_string(), "no longer on page a/one".to_string())]
        );
        assert!(carried.pages_dropped.is_empty());
        // A lock made anew: nothing is read.
        let anew = state(
            Some("m"),
            &[
                ("a/one", "a", 0, &[("q1", 0), ("q2", 1)]),
                ("a/two", "a", 1, &[]),
            ],
        );
        let carried = carry_over(&old, &anew);
        assert_eq!(carried.pages_kept, 0);
        assert_eq!(carried.pages_dropped.len(), 2);
        assert_eq!(carried.questions_dropped.len(), 2);
    }

    #[test]
    fn format_1_only_while_the_pages_and_their_questions_are_the_same() {
        let old = state(
            None,
            &[
                ("a/one", "a", 0, &[("q1", 0), ("q2", 1)]),
                ("a/two", "a", 1, &[("q3", 2)]),
            ],
        );
        let same = state(
            Some("l"),
            &[
                ("a/two", "a", 1, &[("q3", 2)]),
                ("a/one", "a", 0, &[("q2", 1), ("q1", 0)]),
            ],
        );
        let carried = carry_over(&old, &same);
        assert_eq!(
            (carried.pages_kept, carried.questions_kept),
            (2, 1),
            "q1 and q2 swapped places"
        );
        assert_eq!(carried.questions_dropped.len(), 2);
        let added = state(
            Some("l"),
            &[
                ("a/one", "a", 0, &[("q1", 0), ("q2", 1)]),
                ("a/two", "a", 1, &[("q3", 2)]),
                ("a/three", "a", 2, &[]),
            ],
        );
        let carried = carry_over(&old, &added);
        assert_eq!(carried.pages_kept, 0);
        assert!(
            carried.pages_dropped[0]
                .1
                .contains("while the pages are the same")
        );
        // A package older than the lock reads nothing of a state with slots.
        let carried = carry_over(&same, &old);
        assert_eq!(carried.pages_kept, 0);
    }
}
