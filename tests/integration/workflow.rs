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
    let names: Vec<String> = zip_entries(&package)
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
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
