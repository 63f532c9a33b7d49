//! The designer's and coordinator's commands: new, inspect, validate, diff.

use crate::support::*;

#[test]
fn new_course_checks_builds_and_passes_the_package_checker() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("customs-ethics");
    let course_arg = course.to_str().unwrap();
    let created = coursepack(&[
        "new",
        course_arg,
        "--title",
        "Customs \"ethics\"",
        "--language",
        "fr",
    ]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("new course \"Customs \"ethics\"\""));

    let config = std::fs::read_to_string(course.join("course.toml")).unwrap();
    assert!(config.contains("id = \"customs-ethics\""), "{config}");
    assert!(config.contains("language = \"fr\""), "{config}");

    let checked = coursepack(&["check", course_arg]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(
        stdout(&checked).contains("ok, 2 pages in 2 modules, 0 warnings"),
        "{}",
        stdout(&checked)
    );

    let package = build(&course, "scorm12", &dir.path().join("out"), &[]);
    let names = entry_names(&package);
    assert!(
        names.iter().any(|n| n.ends_with("course-flow.svg")),
        "{names:?}"
    );
    let launch = entry_text(&package, "index.html");
    assert!(
        launch.contains("Customs &quot;ethics&quot;"),
        "title reaches the package"
    );
    assert!(launch.contains("lang=\"fr\""));
    if let Some((ok, report)) = check_package(&package) {
        assert!(ok, "{report}");
    }

    let again = coursepack(&["new", course_arg]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists and is not empty"));
}

/// A copy of the sample course with one page, or one module, renamed.
fn renamed_copy(dir: &std::path::Path, from: &str, to: &str) -> std::path::PathBuf {
    let copy = dir.join("renamed");
    for entry in walkdir::WalkDir::new(sample_course()) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(sample_course()).unwrap();
        let target = copy.join(relative.to_str().unwrap().replace(from, to));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if relative.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(&target, text.replace(from, to)).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    copy
}

#[test]
fn diff_of_a_renamed_page_lists_pages_and_questions() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = renamed_copy(
        dir.path(),
        "02-what-is-internal-risk",
        "02-internal-risk-explained",
    );
    let old = build(&sample_course(), "scorm12", &dir.path().join("old"), &[]);
    let new = build(&renamed, "scorm12", &dir.path().join("new"), &[]);
    let output = coursepack(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(1),
        "learners lose the renamed page's progress: {}",
        stderr(&output)
    );
    let text = stdout(&output);
    for expected in [
        "pages: 1 added, 1 removed, 2 changed",
        "  + pages/introduction/internal-risk-explained.html",
        "  - pages/introduction/what-is-internal-risk.html",
        "  ~ pages/introduction/welcome.html",
        "questions: 2 added, 2 removed, 0 changed",
        "  - introduction-what-is-internal-risk-1",
        "items: no change",
        "saved progress: carries over for 14 of 15 pages and 27 of 29 questions\n  \
         - page introduction/what-is-internal-risk: no longer in the course\n  \
         - question introduction-what-is-internal-risk-1: no longer in the course\n  \
         - question introduction-what-is-internal-risk-2: no longer in the course\n\
         WARNING: learners lose what they did on 1 page and 2 questions of the old version\n  \
         A page renamed keeps its saved progress when it names its old id in its front matter (`id: <old id>`)",
    ] {
        assert!(text.contains(expected), "expected `{expected}` in:\n{text}");
    }

    // The renamed page names its old id: everything carries over, questions included.
    let page = renamed.join("01-introduction/02-internal-risk-explained.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("+++\nid = \"introduction/what-is-internal-risk\"\n+++\n{text}"),
    )
    .unwrap();
    let output = coursepack(&[
        "diff",
        sample_course().to_str().unwrap(),
        renamed.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("questions: no change"), "{text}");
    assert!(
        text.contains("saved progress: carries over for all 15 pages and 29 questions\n"),
        "{text}"
    );
    assert!(!text.contains("WARNING"), "{text}");

    // The same comparison straight from the course folders, as JSON.
    let output = coursepack(&[
        "diff",
        "--json",
        sample_course().to_str().unwrap(),
        renamed.to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["pages"]["added"][0],
        "pages/introduction/internal-risk-explained.html"
    );
    assert_eq!(json["lost_items"].as_array().unwrap().len(), 0);
}

#[test]
fn diff_warns_loudly_when_identifiers_change() {
    let dir = tempfile::tempdir().unwrap();
    let renamed = renamed_copy(dir.path(), "03-managing-people", "03-people-management");
    let output = coursepack(&[
        "diff",
        "--sco-per-module",
        sample_course().to_str().unwrap(),
        renamed.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("WARNING: 1 item identifier of the old version is gone: ITEM-risk-management-internal-risk-managing-people"),
        "{text}"
    );
    assert!(text.contains("learners lose their progress"), "{text}");
    let unchanged = coursepack(&[
        "diff",
        sample_course().to_str().unwrap(),
        sample_course().to_str().unwrap(),
    ]);
    assert_eq!(unchanged.status.code(), Some(0));
    assert_eq!(
        stdout(&unchanged),
        "pages: no change\nquestions: no change\nother files: no change\nitems: no change\n\
         saved progress: carries over for all 15 pages and 29 questions\n"
    );
}

#[test]
fn build_and_check_speak_json_for_pipelines() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = coursepack(&[
        "build",
        "--json",
        sample_course().to_str().unwrap(),
        "-s",
        "scorm12",
        "-s",
        "scorm2004",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = json[0]["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2);
    assert_eq!(packages[1]["standard"], "scorm2004");
    assert!(std::path::Path::new(packages[0]["path"].as_str().unwrap()).exists());
    assert_eq!(packages[0]["pages"], 15);

    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-a/01-page.md", "# Page\n\nSee [missing](02-gone.md).\n"),
    ]);
    let output = coursepack(&["check", "--json", course.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).is_empty(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["ok"], false);
    let diagnostic = &json["diagnostics"][0];
    assert!(
        diagnostic["file"]
            .as_str()
            .unwrap()
            .ends_with("01-a/01-page.md"),
        "{json}"
    );
    assert_eq!(diagnostic["line"], 3);
    assert_eq!(diagnostic["severity"], "error");
}

/// The preview's rebuild, with what it keeps, gives exactly what a fresh build gives, for
/// every file of the package, after edits to a page's text, to a page title another page links
/// to (the menu changes), to a carried SVG, and after a new page (the manifest changes).
#[test]
fn rebuilds_with_the_memo_equal_fresh_builds() {
    use coursepack::memo::Memo;
    use coursepack::package::{Content, PackageOptions};
    use coursepack::standard::Standard;
    let dir = tempfile::tempdir().unwrap();
    let course = renamed_copy(dir.path(), "unchanged", "unchanged");
    let memo = Memo::keeping();
    let package = |memo: &Memo| {
        let coursepack::Outcome::Ready(prepared, _) =
            coursepack::prepare(&course, None, memo, coursepack::render::Code::Highlighted)
                .unwrap()
        else {
            panic!("the sample course builds");
        };
        let options = PackageOptions {
            standard: Standard::Scorm2004,
            sco_per_module: false,
        };
        prepared
            .package(options, memo)
            .unwrap()
            .into_iter()
            .map(|(name, content)| match content {
                Content::Bytes(bytes) => (name, bytes.to_vec()),
                Content::File(path) => (name, path.to_string_lossy().into_owned().into_bytes()),
            })
            .collect::<Vec<_>>()
    };
    let file = |files: &[(String, Vec<u8>)], name: &str| {
        let (_, bytes) = files.iter().find(|(n, _)| n == name).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    assert_eq!(package(&memo), package(&Memo::none()));
    let page = course.join("01-introduction/02-what-is-internal-risk.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("Internal risk is", "Internal risk, in short, is"),
    )
    .unwrap();
    assert_eq!(package(&memo), package(&Memo::none()));
    std::fs::write(
        &page,
        text.replace("# What is internal risk?", "# Internal risk, defined"),
    )
    .unwrap();
    let kept = package(&memo);
    assert_eq!(kept, package(&Memo::none()));
    assert!(file(&kept, "index.html").contains(">Internal risk, defined<"));
    let logo = course.join("media/logo.svg");
    let svg = std::fs::read_to_string(&logo).unwrap();
    std::fs::write(&logo, svg.replace("<svg", "<svg data-edited=\"yes\"")).unwrap();
    let kept = package(&memo);
    assert_eq!(kept, package(&Memo::none()));
    assert!(file(&kept, "files/media/logo.svg").contains("data-edited"));
    std::fs::write(
        course.join("01-introduction/04-one-more.md"),
        "# One more\n",
    )
    .unwrap();
    let kept = package(&memo);
    assert_eq!(kept, package(&Memo::none()));
    assert!(file(&kept, "imsmanifest.xml").contains("href=\"pages/introduction/one-more.html\""));
}

/// A rebuild with nothing changed makes no page again: each step the preview keeps is found
/// under its own name (the loader's page file and the rendered page once shared one, and
/// each threw the other away, so every rebuild read and templated every page).
#[test]
fn a_rebuild_with_nothing_changed_keeps_every_page() {
    use coursepack::memo::Memo;
    let memo = Memo::keeping();
    let rendered = || {
        let coursepack::Outcome::Ready(prepared, _) = coursepack::prepare(
            &sample_course(),
            None,
            &memo,
            coursepack::render::Code::Highlighted,
        )
        .unwrap() else {
            panic!("the sample course builds");
        };
        prepared.rendered.pages
    };
    let first = rendered();
    let again = rendered();
    assert_eq!(first.len(), again.len());
    for (before, after) in first.iter().zip(&again) {
        assert!(
            std::sync::Arc::ptr_eq(&before.html, &after.html),
            "{} was made again",
            before.href
        );
    }
}
