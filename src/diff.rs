//! What changed between two versions of a package: pages, files and questions, and — loudly —
//! item and SCO identifiers, on which LMSs key learners' progress when a package is updated.

use crate::inspect::{self, Item};
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
}

/// Largest page read to find questions; pages are a few KiB to a few hundred.
const MAX_PAGE: u64 = 16 << 20;

/// Reads the package at `path`. Problems inspect finds do not stop the comparison.
pub fn snapshot(path: &Path) -> anyhow::Result<Snapshot> {
    let report = inspect::inspect(path, inspect::Options::default())?;
    if report.standard.is_none() {
        anyhow::bail!(
            "{} is not a SCORM package that can be read; run `coursepack validate` on it",
            path.display()
        );
    }
    let mut snapshot = Snapshot::default();
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
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        snapshot.files.insert(name.clone(), entry.crc32());
        if name.ends_with(".html") && entry.size() <= MAX_PAGE {
            let mut page = String::new();
            if entry
                .by_ref()
                .take(MAX_PAGE)
                .read_to_string(&mut page)
                .is_ok()
            {
                questions_of(&page, &mut snapshot.questions);
            }
        }
    }
    Ok(snapshot)
}

/// Questions as our pages carry them: a `cp-question` fieldset per question and the page's
/// `cp-quiz-data` JSON (answer key, feedback). Pages of other tools have none.
fn questions_of(page: &str, out: &mut BTreeMap<String, u64>) {
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    if let Some(start) = page.find("id=\"cp-quiz-data\">") {
        let json = &page[start + 18..];
        let json = &json[..json.find("</script>").unwrap_or(json.len())];
        if let Ok(data) = serde_json::from_str::<serde_json::Value>(json) {
            for question in data["questions"].as_array().into_iter().flatten() {
                if let Some(id) = question["id"].as_str() {
                    keys.insert(id.to_string(), question.to_string());
                }
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
    }
}

/// A page a learner reads (the launch page and theme files are not counted as pages).
fn is_page(name: &str) -> bool {
    name.ends_with(".html") && name != "index.html"
}
