//! coursepack.lock: the slot each page and question keeps in learners' saved state, made and
//! kept by `build`, explained by `check`, and what the run-time is given of it.

use crate::support::*;
use std::path::Path;

fn page(title: &str) -> String {
    format!("# {title}\n\nText.\n")
}

fn check_of(course: &TempCourse) -> (bool, String) {
    let output = coursepack(&["check", course.path().to_str().unwrap()]);
    let shown = stderr(&output).replace(course.path().to_str().unwrap(), "COURSE");
    (output.status.success(), shown)
}

fn lock_of(course: &TempCourse) -> String {
    std::fs::read_to_string(course.path().join("coursepack.lock")).unwrap()
}

/// Page id → slot, as the launch page gives them to the run-time.
fn page_slots(zip: &Path) -> Vec<(String, u64)> {
    let index = entry_text(zip, "index.html");
    let start = index.find("id=\"cp-data\">").unwrap() + 13;
    let json = &index[start..start + index[start..].find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    data["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["slot"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn build_makes_the_lock_and_later_versions_keep_every_slot() {
    let course = TempCourse::without_lock(&[
        ("course.toml", MINIMAL_TOML),
        ("01-basics/01-first.md", &page("First")),
        ("01-basics/02-second.md", &page("Second")),
        ("02-more/01-third.md", &page("Third")),
    ]);
    let (ok, shown) = check_of(&course);
    assert!(ok, "{shown}");
    assert!(
        shown.contains("COURSE/coursepack.lock: warning: the course has no coursepack.lock yet"),
        "{shown}"
    );
    let first = build(&course.path(), "scorm12", &course.out().join("v1"), &[]);
    let lock = lock_of(&course);
    assert!(
        lock.contains(
            "pages = [\n    \"basics/first\",\n    \"basics/second\",\n    \"more/third\",\n]"
        ),
        "{lock}"
    );
    assert!(
        check_of(&course).1.is_empty(),
        "nothing to say once the lock is there"
    );
    // The same sources, lock included, give the same bytes, and the lock is left alone.
    let again = build(&course.path(), "scorm12", &course.out().join("again"), &[]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&again).unwrap()
    );
    assert_eq!(lock_of(&course), lock);

    // Version 2: a page added at the front, one removed, the modules swapped.
    course.write("01-basics/00-new.md", page("New").as_bytes());
    std::fs::remove_file(course.path().join("01-basics/02-second.md")).unwrap();
    std::fs::rename(
        course.path().join("01-basics"),
        course.path().join("03-basics"),
    )
    .unwrap();
    let output = coursepack(&[
        "build",
        course.path().to_str().unwrap(),
        "-o",
        course.out().join("v2").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = stderr(&output).replace(course.path().to_str().unwrap(), "COURSE");
    assert!(
        shown.contains("COURSE/03-basics/00-new.md: warning: page `basics/new` is new to coursepack.lock, and pages of the last version are gone (`basics/second`)"),
        "{shown}"
    );
    assert!(
        shown.contains("COURSE/coursepack.lock: 1 new page slot and 0 new question slots"),
        "{shown}"
    );
    let second = course.out().join("v2/demo-1.0.0-scorm12.zip");
    assert_eq!(
        page_slots(&second),
        [("more/third", 2), ("basics/new", 3), ("basics/first", 0)]
            .map(|(id, slot)| (id.to_string(), slot)),
        "survivors keep their slots; the removed page's slot is not reused"
    );
    assert!(
        lock_of(&course)
            .contains("\"basics/second\",\n    \"more/third\",\n    \"basics/new\",\n]")
    );
}

#[test]
fn a_page_renamed_keeps_its_slot_and_questions_with_an_explicit_id() {
    let quiz = "```quiz\n? Gift?\n- [ ] Accept\n- [x] Decline\n```\n";
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-basics/01-first.md", &page("First")),
        ("01-basics/02-gifts.md", &format!("# Gifts\n\n{quiz}")),
    ]);
    let before = build(&course.path(), "scorm12", &course.out().join("v1"), &[]);
    let key = |zip: &Path| {
        let html = entry_text(zip, "pages/basics/gifts.html");
        let start = html.find("\"questions\":[{\"id\":").unwrap();
        html[start..start + 60].to_string()
    };
    assert!(
        key(&before).contains("\"id\":\"basics-gifts-1\",\"slot\":0"),
        "{}",
        key(&before)
    );

    // Renamed, the page keeps its identity by naming its old id; its question follows.
    std::fs::remove_file(course.path().join("01-basics/02-gifts.md")).unwrap();
    course.write(
        "01-basics/02-hospitality.md",
        format!("---\nid: basics/gifts\n---\n# Gifts and hospitality\n\n{quiz}").as_bytes(),
    );
    let (ok, shown) = check_of(&course);
    assert!(ok && shown.is_empty(), "{shown}");
    let after = build(&course.path(), "scorm12", &course.out().join("v2"), &[]);
    assert_eq!(page_slots(&after), page_slots(&before));
    let html = entry_text(&after, "pages/basics/hospitality.html");
    assert!(
        html.contains("\"id\":\"basics-gifts-1\",\"slot\":0"),
        "{html}"
    );

    // Without the id, the designer is told what learners lose and how to keep it.
    course.write(
        "01-basics/02-hospitality.md",
        format!("# Gifts and hospitality\n\n{quiz}").as_bytes(),
    );
    let (ok, shown) = check_of(&course);
    assert!(ok, "{shown}");
    assert_eq!(
        shown,
        "COURSE/01-basics/02-hospitality.md: warning: page `basics/hospitality` is new to coursepack.lock, and pages of the last version are gone (`basics/gifts`)\n  \
         help: if this page is one of them renamed, keep its identity with `id: <old id>` in its front matter: learners' saved progress on it is dropped otherwise\n"
    );
}

#[test]
fn page_ids_are_checked() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-basics/01-first.md", &page("First")),
        (
            "01-basics/02-second.md",
            "+++\nid = \"basics/first\"\n+++\n# Second\n",
        ),
        (
            "01-basics/03-third.md",
            "+++\nid = \"Basics/Third page\"\n+++\n# Third\n",
        ),
    ]);
    let (ok, shown) = check_of(&course);
    assert!(!ok);
    assert!(
        shown.contains("COURSE/01-basics/02-second.md: error: page id `basics/first` is already the id of `01-basics/01-first.md`"),
        "{shown}"
    );
    assert!(
        shown.contains("COURSE/01-basics/03-third.md: error: page id `Basics/Third page` is not a valid identifier"),
        "{shown}"
    );
}

#[test]
fn an_edited_lock_stops_the_build_and_says_how_to_mend_it() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-basics/01-first.md", &page("First")),
        (
            "coursepack.lock",
            "lineage = \"abc\"\npages = [\"basics/first\", \"basics/first\"]\nquestions = []\n",
        ),
    ]);
    let (ok, shown) = check_of(&course);
    assert!(!ok);
    assert!(
        shown.starts_with("COURSE/coursepack.lock: error: page `basics/first` has two slots\n  help: restore coursepack.lock from version control"),
        "{shown}"
    );
    course.write(
        "coursepack.lock",
        b"lineage = \"abc\"\npages = [\"basics/first\"\n",
    );
    let (ok, shown) = check_of(&course);
    assert!(!ok);
    assert!(shown.starts_with("COURSE/coursepack.lock:"), "{shown}");
}
