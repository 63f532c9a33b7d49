//! `coursepack import` on one fixture per source kind (`tests/import/`): an mdBook, a MkDocs
//! site, a Carpentries lesson (episodes of swcarpentry/shell-novice, CC BY 4.0) and a plain
//! folder. Each gives a course folder that checks without errors and builds a valid package.

use crate::support::*;
use std::path::Path;

/// Imports fixture `kind`; returns the course folder (inside the temporary folder) and stdout.
fn import(kind: &str, into: &Path) -> (std::path::PathBuf, String) {
    let source = repo().join("tests").join("import").join(kind);
    let course = into.join(format!("imported-{kind}"));
    let output = coursepack(&["import", source.to_str().unwrap(), course.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{kind}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    (course, stdout(&output))
}

fn files(course: &Path) -> Vec<String> {
    let mut found: Vec<String> = walkdir::WalkDir::new(course)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(course).unwrap();
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect();
    found.sort();
    found
}

fn check_errors(course: &Path) -> String {
    let output = coursepack(&["check", course.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stderr(&output)
}

#[test]
fn an_mdbook_keeps_its_parts_order_links_and_images() {
    let dir = tempfile::tempdir().unwrap();
    let (course, said) = import("mdbook", dir.path());
    assert!(
        said.contains(
            "imported the mdBook \"Customs Valuation Basics\": 4 pages in 2 modules, 1 file"
        ),
        "{said}"
    );
    assert!(
        said.contains("the draft chapter `Draft chapter` has no file: left out"),
        "{said}"
    );
    assert_eq!(
        files(&course),
        [
            "01-customs-valuation-basics/01-introduction.md",
            "01-customs-valuation-basics/module.toml",
            "02-transaction-value/01-transaction-value.md",
            "02-transaction-value/02-adjustments.md",
            "02-transaction-value/03-other-methods.md",
            "02-transaction-value/module.toml",
            "course.toml",
            "coursepack.lock",
            "media/images/declaration.svg",
        ]
    );
    let intro =
        std::fs::read_to_string(course.join("01-customs-valuation-basics/01-introduction.md"))
            .unwrap();
    assert!(
        intro.contains(
            "[transaction value](../02-transaction-value/01-transaction-value.md#price-paid)"
        ),
        "{intro}"
    );
    assert!(
        intro.contains("![A declaration form](../media/images/declaration.svg)"),
        "{intro}"
    );
    check_errors(&course);
    let zip = build(&course, "scorm12", &dir.path().join("out"), &[]);
    assert_valid(&zip);
}

#[test]
fn a_mkdocs_site_follows_its_nav_and_leaves_out_outside_links() {
    let dir = tempfile::tempdir().unwrap();
    let (course, said) = import("mkdocs", dir.path());
    assert!(
        said.contains("imported the MkDocs site \"Risk Profiling\": 3 pages in 2 modules, 1 file"),
        "{said}"
    );
    assert!(
        said.contains(
            "the nav link to `https://github.com/example/risk` is outside the site: left out"
        ),
        "{said}"
    );
    assert_eq!(
        files(&course),
        [
            "01-risk-profiling/01-home.md",
            "01-risk-profiling/module.toml",
            "02-guide/01-indicators.md",
            "02-guide/02-scoring.md",
            "02-guide/module.toml",
            "course.toml",
            "coursepack.lock",
            "media/img/chart.svg",
        ]
    );
    let scoring = std::fs::read_to_string(course.join("02-guide/02-scoring.md")).unwrap();
    assert!(
        scoring.contains("[home](../01-risk-profiling/01-home.md)"),
        "{scoring}"
    );
    assert_eq!(
        check_errors(&course),
        "",
        "an admonition, a collapsible and math check clean"
    );
    let zip = build(&course, "web", &dir.path().join("out"), &[]);
    let home = entry_text(&zip, "pages/risk-profiling/home.html");
    assert!(home.contains("callout-tip"), "{home}");
}

#[test]
fn a_carpentries_lesson_brings_its_episodes_and_learner_pages_but_no_instructor_page() {
    let dir = tempfile::tempdir().unwrap();
    let (course, said) = import("carpentries", dir.path());
    assert!(
        said.contains(
            "imported the Carpentries lesson \"The Unix Shell\": 4 pages in 2 modules, 5 files"
        ),
        "{said}"
    );
    assert!(
        said.contains("the instructor pages are not for learners: left out"),
        "{said}"
    );
    let found = files(&course);
    assert!(
        found.contains(&"01-the-unix-shell/03-filedir.md".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"02-learner-resources/01-setup.md".to_string()),
        "{found:?}"
    );
    // `fig/` in a learner page is the episodes' folder, as the Workbench reads it.
    assert!(
        found.contains(&"media/episodes/data/shell-lesson-data.zip".to_string()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|file| file.contains("instructor")),
        "{found:?}"
    );
    let report = check_errors(&course);
    assert!(!report.contains("error"), "{report}");
    let zip = build(&course, "scorm12", &dir.path().join("out"), &[]);
    assert_valid(&zip);
    let episode = entry_text(&zip, "pages/the-unix-shell/filedir.html");
    assert!(
        episode.contains("<details id=\"solution"),
        "solutions are collapsed"
    );
    assert!(
        !episode.contains("Introducing and navigating the filesystem in the shell"),
        "the instructor note is left out"
    );
}

#[test]
fn a_plain_folder_gives_a_module_per_folder_and_titles_to_untitled_pages() {
    let dir = tempfile::tempdir().unwrap();
    let (course, _) = import("folder", dir.path());
    assert_eq!(
        files(&course),
        [
            "01-folder/01-readme.md",
            "01-folder/module.toml",
            "02-basics/01-what-is-integrity.md",
            "02-basics/02-red-flags.md",
            "02-basics/module.toml",
            "course.toml",
            "coursepack.lock",
        ]
    );
    let flags = std::fs::read_to_string(course.join("02-basics/02-red-flags.md")).unwrap();
    assert!(
        flags.starts_with("---\ntitle: \"Red flags\"\n---\n"),
        "{flags}"
    );
    assert!(
        flags.contains("[Back](../01-folder/01-readme.md)"),
        "{flags}"
    );
    assert_eq!(check_errors(&course), "");
}

#[test]
fn import_writes_nothing_into_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let source = repo().join("tests/import/folder");
    let output = coursepack(&[
        "import",
        source.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("already exists and is not empty"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("course.toml").exists());
}

/// The package passes `validate` and the independent checker.
fn assert_valid(zip: &Path) {
    let output = coursepack(&["validate", zip.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    if let Some((passed, report)) = check_package(zip) {
        assert!(passed, "{report}");
    }
}
