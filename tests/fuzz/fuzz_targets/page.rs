//! One page (front matter, Markdown, raw HTML, quiz blocks) checked as part of a course: the
//! loader, every Markdown pass and the HTML policy.
#![no_main]
use std::sync::OnceLock;

static COURSE: OnceLock<tempfile::TempDir> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|text: &str| {
    let course = COURSE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("course.toml"),
            "[course]\nid = \"fuzz\"\ntitle = \"Fuzz\"\nversion = \"1\"\nlanguage = \"en\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("01-intro")).unwrap();
        dir
    });
    std::fs::write(course.path().join("01-intro/01-page.md"), text).unwrap();
    let _ = coursepack::check(course.path(), None, &coursepack::memo::Memo::none());
});
