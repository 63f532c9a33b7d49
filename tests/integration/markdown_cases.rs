//! Real-world Markdown, case by case (in the manner of mdBook's test suite): each folder
//! `tests/markdown/<construct>/<case>/` holds `page.md`, a snippet as other tools' authors
//! write it, with any files it refers to; `expected.html`, the reviewed content of the page
//! as `build` writes it; and `expected.txt`, what `check` reports (no file: nothing).
//!
//! `COURSEPACK_BLESS=1 cargo test --test integration markdown_cases` rewrites the expected files from
//! what the tool does now; review the difference before committing it.

use crate::support::{MINIMAL_TOML, TempCourse, coursepack, repo, stderr};
use std::path::Path;

#[test]
fn every_case_renders_and_reports_as_reviewed() {
    let root = repo().join("tests").join("markdown");
    let mut cases: Vec<_> = walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name() == "page.md")
        .map(|entry| entry.path().parent().unwrap().to_path_buf())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "only {} cases found", cases.len());
    let bless = std::env::var_os("COURSEPACK_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.strip_prefix(&root).unwrap().display().to_string();
        let (html, report) = run_case(case);
        for (file, actual) in [("expected.html", html), ("expected.txt", report)] {
            let path = case.join(file);
            let expected = std::fs::read_to_string(&path).unwrap_or_default();
            if actual == expected {
                continue;
            }
            if bless {
                if actual.is_empty() {
                    let _ = std::fs::remove_file(&path);
                } else {
                    std::fs::write(&path, &actual).unwrap();
                }
            } else {
                failures.push(format!(
                    "{name}/{file}\n--- expected\n{expected}\n--- actual\n{actual}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The page's `<main>` content as built (empty when the build fails) and the check's report.
fn run_case(case: &Path) -> (String, String) {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML)]);
    for entry in std::fs::read_dir(case).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("expected") {
            continue;
        }
        let target = if name == "page.md" {
            "01-case/01-page.md".to_string()
        } else {
            format!("01-case/{name}")
        };
        course.write(&target, &std::fs::read(entry.path()).unwrap());
    }
    let dir = course.path().to_str().unwrap().to_string();
    let check = coursepack(&["check", &dir]);
    let report: String = stderr(&check)
        .lines()
        .map(|line| line.replace(&format!("{dir}/"), ""))
        .filter(|line| line.starts_with("01-case/") || line.starts_with("  help:"))
        .map(|line| line + "\n")
        .collect();
    let out = tempfile::tempdir().unwrap();
    let build = coursepack(&[
        "build",
        &dir,
        "--standard",
        "web",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    if !build.status.success() {
        return (String::new(), report);
    }
    let zip = std::fs::read_dir(out.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|entry| entry.path().extension().is_some_and(|e| e == "zip"))
        .unwrap()
        .path();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut page = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("pages/case/page.html").unwrap(),
        &mut page,
    )
    .unwrap();
    let start = page.find("<main").unwrap();
    let start = start + page[start..].find('>').unwrap() + 1;
    let end = page.find("</main>").unwrap();
    (page[start..end].trim_start().to_string(), report)
}
