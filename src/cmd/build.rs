//! `coursepack build`: every course, every standard, one summary line per package. Several
//! courses build side by side on the thread pool; their output is printed in the order given.

use super::{Output, human_size, plural};
use crate::archive::ZipJob;
use crate::cli::BuildArgs;
use crate::diagnostics::printable;
use crate::memo::Memo;
use crate::package::{Content, PackageFiles, PackageOptions};
use crate::slots::{LOCK_FILE, Slots};
use crate::standard::Standard;
use anyhow::{Context as _, Result};
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Writes the course's saved-state slots, whole or not at all.
fn save_lock(root: &Path, slots: &Slots) -> Result<()> {
    let path = root.join(LOCK_FILE);
    let mut file = crate::archive::temporary_output(&path, ".lock")?;
    std::io::Write::write_all(&mut file, slots.to_lock().as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn describe_lock_change(before: Option<&Slots>, after: &Slots) -> String {
    let Some(before) = before else {
        return format!(
            "made, with slots for {} pages and {} questions: commit it beside course.toml",
            after.pages.len(),
            after.questions.len()
        );
    };
    format!(
        "{} and {}: commit it with this version",
        plural(after.pages.len() - before.pages.len(), "new page slot"),
        plural(
            after.questions.len() - before.questions.len(),
            "new question slot"
        )
    )
}

/// Packages with more input than this show a progress bar on a terminal: about a second's work.
const PROGRESS_BAR_BYTES: u64 = 100 << 20;

pub fn run(args: &BuildArgs, output: Output) -> Result<ExitCode> {
    let bars =
        MultiProgress::with_draw_target(if !output.quiet && std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        });
    let taken = packages_taken_twice(args);
    let reports: Vec<Result<Report>> = args
        .courses
        .par_iter()
        .zip(&taken)
        .map(|(dir, taken)| match taken {
            Some(problem) => Ok(Report {
                stderr: format!("error: {}: {problem}; no package was written\n", dir.display()),
                failed: true,
                json: serde_json::json!({ "course": dir.display().to_string(), "ok": false, "error": problem, "packages": [] }),
                ..Report::default()
            }),
            None => build_course(dir, args, output, &bars),
        })
        .collect();
    let mut failed = false;
    let mut results = Vec::new();
    for report in reports {
        let report = report?;
        if args.json {
            results.push(report.json);
        } else {
            eprint!("{}", printable(&report.stderr));
            print!("{}", printable(&report.stdout));
        }
        failed |= report.failed;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// For each course, in the order given, why it is not built when an earlier one would write
/// the same package (the same id and version, or the same folder twice): the later zip would
/// replace the earlier one. Courses whose course.toml does not read are left to the build to
/// report.
fn packages_taken_twice(args: &BuildArgs) -> Vec<Option<String>> {
    let mut writers: HashMap<PathBuf, &Path> = HashMap::new();
    args.courses
        .iter()
        .map(|dir| {
            let root = dir.canonicalize().ok()?;
            let text = crate::load::read_text(&root, crate::config::COURSE_FILE).ok()?.ok()?;
            let config = crate::config::parse_course_config(&text).ok()?;
            let paths: Vec<PathBuf> = standards_of(args, &config)
                .into_iter()
                .map(|standard| zip_path(args, &config, standard))
                .collect();
            if let Some((path, first)) = paths.iter().find_map(|p| writers.get(p).map(|first| (p, *first))) {
                return Some(format!(
                    "it would write {} as {} does (the same course id `{}` and version); give one of them another id",
                    path.display(),
                    first.display(),
                    config.id()
                ));
            }
            for path in paths {
                writers.insert(path, dir);
            }
            None
        })
        .collect()
}

/// The standards to build: the command line's, else the course's.
fn standards_of(args: &BuildArgs, config: &crate::config::CourseConfig) -> Vec<Standard> {
    let mut standards = if args.standards.is_empty() {
        config.package.standards.clone()
    } else {
        args.standards.clone()
    };
    standards.dedup();
    standards
}

fn zip_path(args: &BuildArgs, config: &crate::config::CourseConfig, standard: Standard) -> PathBuf {
    let name = format!(
        "{}-{}-{}.zip",
        config.id(),
        config.version(),
        standard.as_str()
    );
    args.out_dir.join(name)
}

/// What building one course has to say, printed once every course is done.
#[derive(Default)]
struct Report {
    stdout: String,
    stderr: String,
    failed: bool,
    /// The same for `--json`: the course, its problems and its packages.
    json: serde_json::Value,
}

fn build_course(
    dir: &Path,
    args: &BuildArgs,
    output: Output,
    bars: &MultiProgress,
) -> Result<Report> {
    let started = Instant::now();
    let mut report = Report::default();
    let outcome = crate::check(dir, args.source.templates.as_deref(), &Memo::none())?;
    let diagnostics = outcome.diagnostics();
    let (problems, failed) = output.report(dir, diagnostics, args.source.deny_warnings);
    report.stderr.push_str(&problems);
    report.json = serde_json::json!({
        "course": dir.display().to_string(),
        "ok": !failed,
        "errors": diagnostics.error_count(),
        "warnings": diagnostics.warning_count(),
        "diagnostics": diagnostics.sorted().iter().map(|d| d.json_in(dir)).collect::<Vec<_>>(),
        "packages": [],
    });
    let checked = match outcome {
        crate::Outcome::Ready(checked, _) if !failed => checked,
        _ => {
            writeln!(
                report.stderr,
                "error: {}: no package was written",
                dir.display()
            )?;
            report.failed = true;
            return Ok(report);
        }
    };
    let config = &checked.course.config;
    let standards = standards_of(args, config);
    let sco_per_module = args.sco_per_module || config.package.sco_per_module;
    let paths: Vec<_> = standards
        .iter()
        .map(|&s| zip_path(args, config, s))
        .collect();
    // The course files (most of a package's bytes) stream into the first zip while the pages
    // are templated; the other packages start once the pages are ready.
    let course_files = checked.course_files();
    let mut first_zip = match paths.first() {
        Some(path) => Some(start_zip(bars, path, &course_files)?),
        None => None,
    };
    let prepared = checked.render(&Memo::none(), crate::render::Code::Highlighted)?;
    if output.verbose {
        let pages = prepared.rendered.pages.len();
        writeln!(
            report.stderr,
            "{}: rendered {pages} pages in {:.2?}",
            dir.display(),
            started.elapsed()
        )?;
    }
    for (standard, path) in standards.into_iter().zip(&paths) {
        let options = PackageOptions {
            standard,
            sco_per_module,
        };
        let files = prepared.package(options, &Memo::none())?;
        // What validate (and LMSs' unzip code) takes: a zip without zip64 records.
        if files.len() >= crate::zip_limits::MAX_ENTRIES {
            writeln!(
                report.stderr,
                "error: {}: the package would hold {} files, and a package holds at most {}; split the course into several\nerror: {}: no package was written",
                dir.display(),
                files.len(),
                crate::zip_limits::MAX_ENTRIES - 1,
                dir.display()
            )?;
            report.failed = true;
            return Ok(report);
        }
        let (mut zip, bar, zip_started) = match first_zip.take() {
            Some(started) => started,
            None => start_zip(bars, path, &course_files)?,
        };
        if !bar.is_hidden() {
            bar.set_length(input_bytes(&files));
        }
        zip.add(&files)?;
        let size = zip.finish()?;
        bar.finish_and_clear();
        if output.verbose {
            writeln!(
                report.stderr,
                "{}: zip written in {:.2?}",
                path.display(),
                zip_started.elapsed()
            )?;
        }
        report.json["packages"]
            .as_array_mut()
            .expect("packages is a list")
            .push(serde_json::json!({
                "path": path.display().to_string(),
                "standard": standard.as_str(),
                "bytes": size,
                "pages": prepared.rendered.pages.len(),
                "files": files.len(),
                "seconds": started.elapsed().as_secs_f64(),
            }));
        if !output.quiet {
            writeln!(
                report.stdout,
                "{}  {}  {} pages  {} files  {:.2} s",
                path.display(),
                human_size(size),
                prepared.rendered.pages.len(),
                files.len(),
                started.elapsed().as_secs_f64()
            )?;
        }
    }
    let slots = &prepared.rendered.slots;
    if prepared.course.lock.as_ref() != Some(slots) {
        let root = &prepared.course.root;
        match save_lock(root, slots) {
            Ok(()) if !output.quiet => writeln!(
                report.stderr,
                "{}: {}",
                root.join(LOCK_FILE).display(),
                describe_lock_change(prepared.course.lock.as_ref(), slots)
            )?,
            Ok(()) => {}
            Err(err) => writeln!(
                report.stderr,
                "warning: {err:#}: the next build assigns the same slots, but commit the file once it can be written"
            )?,
        }
    }
    // Freeing a large course's pages and file list takes milliseconds (6 ms for 1,000 pages)
    // that the summary need not wait for: the pool frees them, or the process ends first.
    rayon::spawn(move || drop((prepared, course_files)));
    Ok(report)
}

/// A zip for `path` with the course files added, its progress bar, and when it started.
fn start_zip(
    bars: &MultiProgress,
    path: &Path,
    course_files: &PackageFiles,
) -> Result<(ZipJob, ProgressBar, Instant)> {
    let started = Instant::now();
    let bar = progress_bar(bars, course_files, path);
    let counter = bar.clone();
    let mut zip = ZipJob::start(path, Box::new(move |bytes| counter.inc(bytes)))?;
    zip.add(course_files)?;
    Ok((zip, bar, started))
}

/// How many bytes go into a package: what its progress bar counts.
fn input_bytes(files: &PackageFiles) -> u64 {
    files
        .values()
        .map(|content| match content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::File(file) => std::fs::metadata(file).map_or(0, |m| m.len()),
        })
        .sum()
}

/// A bar counting input bytes, for packages big enough to take a while (judged by their
/// course files, most of their bytes); hidden otherwise.
fn progress_bar(bars: &MultiProgress, course_files: &PackageFiles, path: &Path) -> ProgressBar {
    if bars.is_hidden() {
        // Not a terminal: no bar, and no need to look at every file's size.
        return ProgressBar::hidden();
    }
    let total = input_bytes(course_files);
    if total < PROGRESS_BAR_BYTES {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .expect("a valid progress template")
            .progress_chars("=> ");
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    bars.add(ProgressBar::new(total).with_style(style).with_message(name))
}
