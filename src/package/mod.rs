//! Packaging: the rendered course, the theme's assets and the course files, laid out as one
//! sorted map of package path → content, plus what each standard adds (its manifest and
//! launch page). The same map feeds the zip writer and the tests.

mod manifest;
mod scorm12;
mod scorm2004;
mod xml;

use crate::memo::{Hashed, Memo};
use crate::model::{Course, file_href};
use crate::render::{CheckedMarkup, RenderedCourse, launch_page};
use crate::standard::Standard;
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use tera::Tera;

/// One file of a package.
#[derive(Debug, Clone)]
pub enum Content {
    /// Rendered text, shared between the packages of several standards, or a course file
    /// kept as the HTML policy checked it.
    Bytes(Arc<[u8]>),
    /// A course file, streamed from disk when the zip is written (media can be large).
    File(PathBuf),
}

/// Package path → content, sorted: the order of the zip.
pub type PackageFiles = BTreeMap<String, Content>;

/// How to package: the standard and its options.
#[derive(Debug, Clone, Copy)]
pub struct PackageOptions {
    pub standard: Standard,
    pub sco_per_module: bool,
}

/// The files every package holds as they are: the theme's assets and the course files (by
/// their course-relative paths). Known before the pages are templated.
pub fn course_files<'a>(
    course: &Course,
    files: &BTreeSet<String>,
    checked_markup: &CheckedMarkup,
    theme_assets: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> PackageFiles {
    let assets = theme_assets.map(|(name, bytes)| (name.to_string(), Content::Bytes(bytes.into())));
    let course_files = files.iter().map(|source| {
        let content = match checked_markup.get(source) {
            Some(bytes) => Content::Bytes(bytes.clone()),
            None => Content::File(course.root.join(source)),
        };
        (file_href(source), content)
    });
    assets.chain(course_files).collect()
}

/// Lays out the complete package for one standard.
pub fn assemble<'a>(
    course: &Course,
    rendered: &RenderedCourse,
    tera: &Hashed<Arc<Tera>>,
    theme_assets: impl Iterator<Item = (&'a str, &'a [u8])>,
    options: PackageOptions,
    memo: &Memo,
) -> Result<PackageFiles> {
    let mut files = course_files(
        course,
        &rendered.files,
        &rendered.checked_markup,
        theme_assets,
    );
    for page in &rendered.pages {
        files.insert(page.href.clone(), Content::Bytes(page.html.clone()));
    }
    let launch = launch_page(course, rendered, tera, options.standard, memo)?;
    files.insert(LAUNCH_PAGE.to_string(), Content::Bytes(launch));
    if options.standard != Standard::Web {
        let xml = manifest::manifest(course, &files, options.standard, options.sco_per_module)?;
        files.insert(MANIFEST.to_string(), Content::Bytes(xml.into()));
    }
    Ok(files)
}

pub const LAUNCH_PAGE: &str = "index.html";
pub const MANIFEST: &str = "imsmanifest.xml";

/// The SCOs of a package: the whole course, or one per module.
struct Sco<'a> {
    /// Item identifier, stable across builds: derived from the course id and module slug.
    item_id: String,
    resource_id: String,
    title: &'a str,
    /// Launch parameters appended to `index.html` (which module to show).
    parameters: Option<String>,
    /// Package files only this SCO uses.
    files: Vec<&'a str>,
    /// Whether the SCO holds a graded assessment (and so a mastery score applies).
    graded: bool,
}

/// Identifiers are `xs:ID`s: they may not start with a digit, so they carry a prefix.
fn scos<'a>(
    course: &'a Course,
    files: &'a PackageFiles,
    sco_per_module: bool,
) -> (Vec<Sco<'a>>, Vec<&'a str>) {
    let id = course.config.id();
    if !sco_per_module {
        let sco = Sco {
            item_id: format!("ITEM-{id}"),
            resource_id: format!("RES-{id}"),
            title: &course.config.course.title,
            parameters: None,
            graded: course.pages().any(|p| p.assessment.is_some()),
            files: files
                .keys()
                .map(String::as_str)
                .filter(|f| *f != MANIFEST)
                .collect(),
        };
        return (vec![sco], Vec::new());
    }
    let mut own: HashSet<&str> = HashSet::new();
    let scos = course
        .modules
        .iter()
        .filter(|module| !module.pages.is_empty())
        .map(|module| {
            let mut pages: Vec<&str> = module.pages.iter().map(|p| p.href.as_str()).collect();
            // Sorted like the zip, so that re-ordering pages leaves the manifest unchanged.
            pages.sort_unstable();
            own.extend(&pages);
            Sco {
                item_id: format!("ITEM-{id}-{}", module.slug),
                resource_id: format!("RES-{id}-{}", module.slug),
                title: &module.title,
                parameters: Some(format!("?module={}", module.slug)),
                graded: module.pages.iter().any(|p| p.assessment.is_some()),
                files: std::iter::once(LAUNCH_PAGE).chain(pages).collect(),
            }
        })
        .collect();
    let shared = files
        .keys()
        .map(String::as_str)
        .filter(|f| *f != MANIFEST && *f != LAUNCH_PAGE && !own.contains(f))
        .collect();
    (scos, shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, Prepared};

    /// A two-module course with an image, a carried HTML file and a quiz, prepared.
    fn prepared(dir: &std::path::Path) -> Prepared {
        let files = [
            (
                "course.toml",
                "[course]\nid = \"units\"\ntitle = \"Units\"\nversion = \"1\"\nlanguage = \"en\"\n",
            ),
            (
                "01-intro/01-welcome.md",
                "# Welcome\n\n![Map](map.png)\n\n[Simulation](sim.html)\n",
            ),
            ("01-intro/map.png", "\u{89}PNG not really"),
            (
                "01-intro/sim.html",
                "<!doctype html><title>Sim</title><p>Go</p>",
            ),
            (
                "02-check/01-quiz.md",
                "# Quiz\n\n```quiz\n? Right?\n- [x] yes\n- [ ] no\n```\n",
            ),
        ];
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        match crate::prepare(dir, None, &Memo::none(), crate::render::Code::Plain).unwrap() {
            Outcome::Ready(prepared, _) => prepared,
            Outcome::Stopped(problems) => panic!("{:?}", problems.sorted()),
        }
    }

    fn layout(prepared: &Prepared, standard: Standard, sco_per_module: bool) -> PackageFiles {
        prepared
            .package(
                PackageOptions {
                    standard,
                    sco_per_module,
                },
                &Memo::none(),
            )
            .unwrap()
    }

    #[test]
    fn checked_markup_is_carried_as_checked_and_media_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let files = layout(&prepared(dir.path()), Standard::Scorm12, false);
        let carried = |suffix: &str| {
            files
                .iter()
                .find(|(name, _)| name.ends_with(suffix))
                .unwrap_or_else(|| panic!("{suffix} in {:?}", files.keys()))
                .1
        };
        assert!(
            matches!(carried("sim.html"), Content::Bytes(bytes) if bytes.starts_with(b"<!doctype html>"))
        );
        assert!(
            matches!(carried("map.png"), Content::File(path) if path.ends_with("01-intro/map.png"))
        );
    }

    #[test]
    fn every_standard_has_its_launch_page_and_only_scorm_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let prepared = prepared(dir.path());
        for standard in [Standard::Scorm12, Standard::Scorm2004, Standard::Web] {
            let files = layout(&prepared, standard, false);
            assert!(files.contains_key(LAUNCH_PAGE), "{standard:?}");
            assert_eq!(
                files.contains_key(MANIFEST),
                standard != Standard::Web,
                "{standard:?}"
            );
        }
    }

    #[test]
    fn one_sco_per_module_gives_one_item_and_resource_each() {
        let dir = tempfile::tempdir().unwrap();
        let prepared = prepared(dir.path());
        let manifest = |sco_per_module| match &layout(&prepared, Standard::Scorm12, sco_per_module)
            [MANIFEST]
        {
            Content::Bytes(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
            Content::File(_) => panic!("the manifest is written, not carried"),
        };
        let scos = |xml: &str| xml.matches("adlcp:scormtype=\"sco\"").count();
        assert_eq!(scos(&manifest(false)), 1);
        let per_module = manifest(true);
        assert_eq!(scos(&per_module), 2);
        // Both SCOs launch the one page, which shows the module its parameters name.
        for module in ["intro", "check"] {
            assert!(
                per_module.contains(&format!("parameters=\"?module={module}\"")),
                "{per_module}"
            );
        }
    }
}
