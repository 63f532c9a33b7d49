//! Packages built from real course folders: valid for the official schemas, reproducible,
//! carrying exactly the files the course references, with stable identifiers.

use crate::support::*;
use std::path::Path;

#[test]
fn every_standard_passes_the_independent_checker() {
    let out = tempfile::tempdir().unwrap();
    for (standard, expected) in [
        ("scorm12", "check-package: OK (SCORM 1.2)"),
        ("scorm2004", "check-package: OK (SCORM 2004 4th Edition)"),
    ] {
        for extra in [&[][..], &["--sco-per-module"][..]] {
            let dir = out.path().join(format!("{standard}{}", extra.len()));
            let zip = build(&sample_course(), standard, &dir, extra);
            let Some((passed, report)) = check_package(&zip) else {
                return;
            };
            assert!(
                passed && report.trim_end().ends_with(expected),
                "{standard} {extra:?}:\n{report}"
            );
        }
    }
}

#[test]
fn same_sources_give_byte_identical_zips() {
    let out = tempfile::tempdir().unwrap();
    for standard in ["scorm12", "scorm2004", "web"] {
        let first = build(&sample_course(), standard, &out.path().join("a"), &[]);
        let second = build(&sample_course(), standard, &out.path().join("b"), &[]);
        assert_eq!(first.file_name(), second.file_name());
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap(),
            "{standard} zips differ"
        );
    }
}

/// The manifests were reviewed by hand; `COURSEPACK_BLESS=1` rewrites them after an
/// intended change (review the diff before committing).
#[test]
fn manifests_match_the_reviewed_copies() {
    let out = tempfile::tempdir().unwrap();
    for (standard, extra, expected) in [
        ("scorm12", &[][..], "imsmanifest-scorm12.xml"),
        ("scorm2004", &[][..], "imsmanifest-scorm2004.xml"),
        (
            "scorm12",
            &["--sco-per-module"][..],
            "imsmanifest-scorm12-sco-per-module.xml",
        ),
    ] {
        let zip = build(
            &sample_course(),
            standard,
            &out.path().join(expected),
            extra,
        );
        let manifest = entry_text(&zip, "imsmanifest.xml");
        let expected_path = repo().join("tests/expected").join(expected);
        if std::env::var("COURSEPACK_BLESS").is_ok() {
            std::fs::write(&expected_path, &manifest).unwrap();
        }
        let reviewed = std::fs::read_to_string(&expected_path).unwrap();
        assert_eq!(
            manifest, reviewed,
            "{expected} changed; review and bless it"
        );
    }
}

#[test]
fn package_layout_names_and_compression() {
    let out = tempfile::tempdir().unwrap();
    let zip = build(&sample_course(), "scorm12", out.path(), &[]);
    assert_eq!(
        zip.file_name().unwrap(),
        "risk-management-internal-risk-1.0.0-scorm12.zip"
    );
    let entries = zip_entries(&zip);
    let names: Vec<&str> = entries.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "entries are sorted");
    for name in [
        "imsmanifest.xml",
        "index.html",
        "assets/coursepack.js",
        "pages/introduction/welcome.html",
        "files/02-corruption-risk-mapping/media/risk-matrix.svg",
        "files/media/logo.svg",
        "files/media/handouts/summary.txt",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert!(
        names.iter().all(|n| n
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"/._-".contains(&b))),
        "{names:?}"
    );
    assert!(
        entries.iter().all(|(_, deflated, _)| *deflated),
        "text and SVG are deflated"
    );
    // Source files are never packaged, only what pages reference.
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".md") || n.ends_with(".toml"))
    );
    let page = entry_text(
        &zip,
        "pages/corruption-risk-mapping/assess-likelihood-and-impact.html",
    );
    assert!(page.contains(r#"src="../../files/02-corruption-risk-mapping/media/risk-matrix.svg""#));
    assert!(page.contains(r#"href="identify-processes.html""#));
    assert!(page.contains(r#"<html lang="en" dir="ltr" data-page="corruption-risk-mapping/assess-likelihood-and-impact">"#));
    let manifest = entry_text(&zip, "imsmanifest.xml");
    assert!(manifest.contains("<schemaversion>1.2</schemaversion>"));
    assert!(manifest.contains(r#"adlcp:scormtype="sco""#));
}

#[test]
fn web_package_has_a_launch_page_and_no_manifest() {
    let out = tempfile::tempdir().unwrap();
    let zip = build(&sample_course(), "web", out.path(), &[]);
    let names = entry_names(&zip);
    assert!(names.contains(&"index.html".to_string()));
    assert!(!names.contains(&"imsmanifest.xml".to_string()));
    assert!(entry_text(&zip, "index.html").contains(r#""standard":"web""#));
}

#[test]
fn only_referenced_and_included_files_are_packaged_and_media_is_stored() {
    let course = TempCourse::new(&[
        (
            "course.toml",
            &format!("{MINIMAL_TOML}[package]\ninclude = [\"extra/*.pdf\"]\n"),
        ),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![Chart](media/chart.png)\n\n<video src=\"media/clip.mp4\" controls></video>\n",
        ),
        ("01-intro/media/chart.png", "png"),
        ("01-intro/media/clip.mp4", "mp4"),
        ("01-intro/media/unused.png", "not referenced"),
        ("extra/handout.pdf", "pdf"),
        ("extra/notes.txt", "not included"),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let entries = zip_entries(&zip);
    let files: Vec<(&str, bool)> = entries
        .iter()
        .filter(|(n, _, _)| n.starts_with("files/"))
        .map(|(n, deflated, _)| (n.as_str(), *deflated))
        .collect();
    assert_eq!(
        files,
        vec![
            ("files/01-intro/media/chart.png", false),
            ("files/01-intro/media/clip.mp4", false),
            ("files/extra/handout.pdf", false),
        ]
    );
    let page = entry_text(&zip, "pages/intro/welcome.html");
    assert!(
        page.contains(r#"<video src="../../files/01-intro/media/clip.mp4" controls="">"#),
        "{page}"
    );
}

#[test]
fn renumbering_pages_keeps_identifiers_and_urls() {
    let page = |title: &str| format!("# {title}\n\nText.\n");
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-basics/01-first.md", &page("First")),
        ("01-basics/02-second.md", &page("Second")),
    ]);
    let before = build(
        &course.path(),
        "scorm12",
        &course.out().join("before"),
        &["--sco-per-module"],
    );
    std::fs::rename(
        course.path().join("01-basics/01-first.md"),
        course.path().join("01-basics/05-first.md"),
    )
    .unwrap();
    std::fs::rename(
        course.path().join("01-basics"),
        course.path().join("03-basics"),
    )
    .unwrap();
    let after = build(
        &course.path(),
        "scorm12",
        &course.out().join("after"),
        &["--sco-per-module"],
    );
    assert_eq!(
        entry_text(&before, "imsmanifest.xml"),
        entry_text(&after, "imsmanifest.xml")
    );
    let menu = |zip: &Path| {
        let index = entry_text(zip, "index.html");
        index
            .match_indices("data-page=\"")
            .map(|(i, _)| index[i + 11..].split('"').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(menu(&before), vec!["basics/first", "basics/second"]);
    assert_eq!(
        menu(&after),
        vec!["basics/second", "basics/first"],
        "the order follows the new numbers"
    );
}

#[test]
fn any_script_in_source_names_becomes_ascii_in_the_package() {
    let course = TempCourse::new(&[
        ("course.toml", &MINIMAL_TOML.replace("\"en\"", "\"ru\"")),
        (
            "01-Введение/01-Что такое риск.md",
            "# Что такое риск?\n\n![Схема](<media/Схема риска.svg>)\n\n[Далее](02-Déclaration.md)\n",
        ),
        ("01-Введение/02-Déclaration.md", "# Déclaration d’Arusha\n"),
        (
            "01-Введение/media/Схема риска.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let names = entry_names(&zip);
    assert!(
        names.contains(&"pages/vvedenie/chto-takoe-risk.html".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"pages/vvedenie/declaration.html".to_string()),
        "{names:?}"
    );
    let image = names.iter().find(|n| n.ends_with(".svg")).unwrap();
    assert!(image.is_ascii() && image.starts_with("files/"), "{image}");
    let page = entry_text(&zip, "pages/vvedenie/chto-takoe-risk.html");
    assert!(page.contains(&format!("src=\"../../{image}\"")), "{page}");
    assert!(page.contains("href=\"declaration.html\""));
    assert!(
        page.contains("<h1 id=\"chto-takoe-risk\">Что такое риск?</h1>"),
        "{page}"
    );
    assert!(entry_text(&zip, "imsmanifest.xml").contains("<imsmd:language>ru</imsmd:language>"));
    if let Some((passed, report)) = check_package(&zip) {
        assert!(passed, "{report}");
    }
}

#[test]
fn sources_that_slug_alike_get_distinct_stable_names() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-Été.md", "# Été\n"),
        ("01-intro/02-ete.md", "# ete\n"),
        ("01-intro/03-ete.md", "# ete again\n"),
        ("02-Intro/01-a.md", "# A\n"),
    ]);
    let first = build(&course.path(), "scorm12", &course.out(), &[]);
    let names = entry_names(&first);
    let pages: Vec<&String> = names.iter().filter(|n| n.starts_with("pages/")).collect();
    assert_eq!(pages.len(), 4, "{names:?}");
    assert!(
        names.contains(&"pages/intro/ete.html".to_string()),
        "{names:?}"
    );
    assert!(pages.iter().all(|n| n.is_ascii()), "{pages:?}");
    let manifest = entry_text(&first, "imsmanifest.xml");
    let again = tempfile::tempdir().unwrap();
    let second = build(&course.path(), "scorm12", again.path(), &[]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
    if let Some((passed, report)) = check_package(&first) {
        assert!(passed, "{report}\n{manifest}");
    }
    let output = coursepack(&["check", course.path().to_str().unwrap()]);
    let warnings = stderr(&output);
    assert_eq!(warnings.matches("is also named").count(), 3, "{warnings}");
}

#[test]
fn course_templates_override_the_builtin_theme() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", "# Welcome\n"),
        (
            "templates/page.html",
            "{% extends \"builtin/page.html\" %}{% block footer %}<footer>Course footer</footer>{% endblock %}",
        ),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    assert!(
        entry_text(&zip, "pages/intro/welcome.html").contains("<footer>Course footer</footer>")
    );

    let theme = tempfile::tempdir().unwrap();
    std::fs::write(theme.path().join("page.html"), "{% extends \"builtin/page.html\" %}{% block footer %}<footer>Flag footer</footer>{% endblock %}").unwrap();
    let zip = build(
        &course.path(),
        "scorm12",
        &course.out().join("flag"),
        &["--templates", theme.path().to_str().unwrap()],
    );
    assert!(
        entry_text(&zip, "pages/intro/welcome.html").contains("<footer>Flag footer</footer>"),
        "the flag wins over the course"
    );
}

#[test]
fn check_reports_success_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
        .args(["check", sample_course().to_str().unwrap()])
        .current_dir(out.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).ends_with("ok, 15 pages in 6 modules, 0 warnings\n"),
        "{}",
        stdout(&output)
    );
    assert_eq!(stderr(&output), "");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn several_standards_and_courses_in_one_build() {
    let out = tempfile::tempdir().unwrap();
    let second = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", "# Welcome\n"),
    ]);
    let output = coursepack(&[
        "build",
        sample_course().to_str().unwrap(),
        second.path().to_str().unwrap(),
        "-s",
        "scorm12",
        "-s",
        "scorm2004",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<String> = stdout(&output)
        .lines()
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            "risk-management-internal-risk-1.0.0-scorm12.zip",
            "risk-management-internal-risk-1.0.0-scorm2004.zip",
            "demo-1.0.0-scorm12.zip",
            "demo-1.0.0-scorm2004.zip",
        ]
    );
    let quiet = coursepack(&[
        "build",
        second.path().to_str().unwrap(),
        "-q",
        "-o",
        out.path().to_str().unwrap(),
    ]);
    assert!(quiet.status.success() && quiet.stdout.is_empty() && quiet.stderr.is_empty());
}

/// Copies the sample course to a temporary folder, with `course.toml` edited by `edit`.
fn sample_copy(edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&sample_course(), &dir.path().join("course"));
    let toml = dir.path().join("course/course.toml");
    std::fs::write(&toml, edit(&std::fs::read_to_string(&toml).unwrap())).unwrap();
    dir
}

#[test]
fn mastery_score_in_the_manifest_on_request_and_still_valid() {
    let copy = sample_copy(|toml| {
        toml.replace(
            "mastery_score = 80",
            "mastery_score = 75\nmastery_in_manifest = true",
        )
    });
    let course = copy.path().join("course");
    for (standard, extra, expected) in [
        (
            "scorm12",
            &[][..],
            "<adlcp:masteryscore>75</adlcp:masteryscore>",
        ),
        (
            "scorm12",
            &["--sco-per-module"][..],
            "<adlcp:masteryscore>75</adlcp:masteryscore>",
        ),
        (
            "scorm2004",
            &[][..],
            "<imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>",
        ),
        (
            "scorm2004",
            &["--sco-per-module"][..],
            "<imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>",
        ),
    ] {
        let zip = build(
            &course,
            standard,
            &copy.path().join(format!("{standard}{}", extra.len())),
            extra,
        );
        let manifest = entry_text(&zip, "imsmanifest.xml");
        assert!(
            manifest.contains(expected),
            "{standard} {extra:?}:\n{manifest}"
        );
        // Per module, only the module with the assessment carries a mastery score.
        assert_eq!(manifest.matches(expected).count(), 1, "{manifest}");
        if let Some((passed, report)) = check_package(&zip) {
            assert!(passed, "{standard} {extra:?}:\n{report}");
        }
    }
    // Off by default: the sample course's own manifests carry none.
    let out = tempfile::tempdir().unwrap();
    let manifest = entry_text(
        &build(&sample_course(), "scorm12", out.path(), &[]),
        "imsmanifest.xml",
    );
    assert!(!manifest.contains("masteryscore"));
}

#[test]
fn an_assessment_pool_gathers_questions_from_other_pages() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-quiz/01-bank.md",
            "# Bank\n\n```quiz\n? First?\nid: bank-1\n= one\n\n? Second?\nid: bank-2\n= two\n```\n",
        ),
        (
            "01-quiz/02-test.md",
            "+++\n[assessment]\npool = [\"01-bank.md\"]\ndraw = 2\n+++\n# Test\n\n```quiz\n? Own?\nid: own-1\n= three\n```\n",
        ),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let page = entry_text(&zip, "pages/quiz/test.html");
    let data = page
        .split("<script type=\"application/json\" id=\"cp-quiz-data\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    for id in ["\"id\":\"own-1\"", "\"id\":\"bank-1\"", "\"id\":\"bank-2\""] {
        assert!(data.contains(id), "{id} in {data}");
    }
    assert!(data.contains("\"mode\":\"assessment\"") && data.contains("\"draw\":2"));
    assert_eq!(
        page.matches("<form class=\"cp-quiz cp-quiz-form\"").count(),
        1,
        "one form for the whole assessment"
    );
    // The bank page stays a knowledge check of its own.
    assert!(entry_text(&zip, "pages/quiz/bank.html").contains("\"mode\":\"check\""));
}

#[test]
fn the_thread_count_does_not_change_a_byte() {
    let out = tempfile::tempdir().unwrap();
    let one = build(
        &sample_course(),
        "scorm2004",
        &out.path().join("one"),
        &["--jobs", "1"],
    );
    let two = build(
        &sample_course(),
        "scorm2004",
        &out.path().join("two"),
        &["--jobs", "2"],
    );
    assert_eq!(std::fs::read(one).unwrap(), std::fs::read(two).unwrap());
}

#[test]
fn pages_minutes_make_the_learning_time_unless_the_course_sets_one() {
    let pages = [
        (
            "01-intro/01-loops.md",
            "---\ntitle: Loops\nteaching: 10\nexercises: 5\n---\nText.\n",
        ),
        ("01-intro/02-more.md", "+++\nminutes = 20\n+++\n# More\n"),
        ("01-intro/03-none.md", "# None\n"),
    ];
    let summed = TempCourse::new(&[&[("course.toml", MINIMAL_TOML)], &pages[..]].concat());
    let zip = build(&summed.path(), "scorm12", &summed.out(), &[]);
    let manifest = entry_text(&zip, "imsmanifest.xml");
    assert!(
        manifest.contains("<imsmd:datetime>00:35:00</imsmd:datetime>"),
        "{manifest}"
    );
    let toml = format!("{MINIMAL_TOML}learning_minutes = 90\n");
    let set = TempCourse::new(&[&[("course.toml", toml.as_str())], &pages[..]].concat());
    let zip = build(&set.path(), "scorm2004", &set.out(), &[]);
    let manifest = entry_text(&zip, "imsmanifest.xml");
    assert!(
        manifest.contains("<duration>PT90M</duration>"),
        "{manifest}"
    );
}
