//! In-process stages on a generated corpus (`../shared/bench/gen-course`, 1,000 pages and
//! 20 MiB of media): load + render, package layout, and the zip writer. `benches/compare.py`
//! measures whole builds against other tools.

use coursepack::memo::Memo;
use coursepack::package::PackageOptions;
use coursepack::render::Code;
use coursepack::standard::Standard;
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary's allocator, so that the stages are measured as they run in it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Option<(tempfile::TempDir, PathBuf)> {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen-course");
    if !generator.exists() {
        eprintln!("skipping: {} not found", generator.display());
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course");
    let args = [
        "--modules",
        "20",
        "--pages-per-module",
        "50",
        "--media-mb",
        "20",
        "--quiet",
    ];
    let status = Command::new("python3")
        .arg(&generator)
        .arg(&course)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success());
    Some((dir, course))
}

fn stages(c: &mut Criterion) {
    let Some((dir, course)) = corpus() else {
        return;
    };
    let mut group = c.benchmark_group("1,000 pages");
    group.sample_size(20);
    group.bench_function("load and render", |b| {
        b.iter(|| coursepack::prepare(&course, None, &Memo::none(), Code::Plain).unwrap());
    });
    let coursepack::Outcome::Ready(prepared, _) =
        coursepack::prepare(&course, None, &Memo::none(), Code::Plain).unwrap()
    else {
        panic!("the corpus has no errors");
    };
    let options = PackageOptions {
        standard: Standard::Scorm12,
        sco_per_module: false,
    };
    group.bench_function("package layout", |b| {
        b.iter(|| prepared.package(options, &Memo::none()).unwrap())
    });
    // What the preview does after a designer saves one page: the other pages' Markdown and
    // templates come from the memo; the course is laid out for the standard on screen.
    let memo = Memo::keeping();
    coursepack::prepare(&course, None, &memo, Code::Highlighted).unwrap();
    let page = walkdir::WalkDir::new(&course)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .unwrap()
        .into_path();
    let original = std::fs::read_to_string(&page).unwrap();
    let mut edits = 0u64;
    group.bench_function("preview rebuild after a one-page edit", |b| {
        b.iter(|| {
            edits += 1;
            std::fs::write(&page, format!("{original}\nEdit {edits}.\n")).unwrap();
            let coursepack::Outcome::Ready(prepared, _) =
                coursepack::prepare(&course, None, &memo, Code::Highlighted).unwrap()
            else {
                panic!("the corpus has no errors");
            };
            prepared.package(options, &memo).unwrap()
        })
    });
    std::fs::write(&page, original).unwrap();
    let files = prepared.package(options, &Memo::none()).unwrap();
    let zip = dir.path().join("out.zip");
    group.bench_function("zip writer (20 MiB)", |b| {
        b.iter(|| coursepack::archive::write_zip(&files, &zip, |_| {}).unwrap());
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
