//! `coursepack diff`: two versions side by side, packages or course folders.

use super::Output;
use crate::cli::DiffArgs;
use crate::diagnostics::printable;
use crate::diff::{Carried, Changes, Difference};
use crate::memo::Memo;
use crate::package::PackageOptions;
use anyhow::{Context, Result, bail};
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(args: &DiffArgs, output: Output) -> Result<ExitCode> {
    let scratch = tempfile::tempdir()?;
    let old = package_of(&args.old, args, &scratch.path().join("old.zip"))?;
    let new = package_of(&args.new, args, &scratch.path().join("new.zip"))?;
    let difference =
        crate::diff::compare(&crate::diff::snapshot(&old)?, &crate::diff::snapshot(&new)?);
    let lost = difference.loses_progress();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&difference)?);
    } else {
        print!("{}", printable(&describe(&difference, output)));
    }
    Ok(if lost {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The package to compare: the zip itself, or the course folder built into `scratch`.
fn package_of(path: &Path, args: &DiffArgs, scratch: &Path) -> Result<PathBuf> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let prepared = match crate::prepare(path, None, &Memo::none(), crate::render::Code::Plain)? {
        crate::Outcome::Ready(prepared, _) => prepared,
        crate::Outcome::Stopped(diagnostics) => {
            let problems: Vec<String> = diagnostics
                .sorted()
                .iter()
                .map(|d| d.display_in(path).to_string())
                .collect();
            bail!(
                "{} does not build:\n{}",
                path.display(),
                problems.join("\n")
            );
        }
    };
    let config = &prepared.course.config.package;
    let options = PackageOptions {
        standard: args.standard.unwrap_or(config.standards[0]),
        sco_per_module: args.sco_per_module || config.sco_per_module,
    };
    let files = prepared.package(options, &Memo::none())?;
    crate::archive::write_zip(&files, scratch, |_| {})
        .with_context(|| format!("cannot build {}", path.display()))?;
    Ok(scratch.to_path_buf())
}

fn describe(difference: &Difference, output: Output) -> String {
    let mut text = String::new();
    let section = |text: &mut String, label: &str, changes: &Changes| {
        if changes.is_empty() {
            let _ = writeln!(text, "{label}: no change");
            return;
        }
        let _ = writeln!(
            text,
            "{label}: {} added, {} removed, {} changed",
            changes.added.len(),
            changes.removed.len(),
            changes.changed.len()
        );
        if output.quiet {
            return;
        }
        for (mark, names) in [
            ("+", &changes.added),
            ("-", &changes.removed),
            ("~", &changes.changed),
        ] {
            for name in names {
                let _ = writeln!(text, "  {mark} {name}");
            }
        }
    };
    section(&mut text, "pages", &difference.pages);
    section(&mut text, "questions", &difference.questions);
    section(&mut text, "other files", &difference.files);
    section(&mut text, "items", &difference.items);
    for (what, lost) in [
        ("item", &difference.lost_items),
        ("SCO resource", &difference.lost_scos),
    ] {
        if lost.is_empty() {
            continue;
        }
        let _ = writeln!(
            text,
            "WARNING: {} {what} identifier{} of the old version {} gone: {}",
            lost.len(),
            if lost.len() == 1 { "" } else { "s" },
            if lost.len() == 1 { "is" } else { "are" },
            lost.join(", ")
        );
    }
    if let Some(carried) = &difference.saved_progress {
        describe_saved_progress(&mut text, carried, output);
    }
    if !difference.lost_items.is_empty() || !difference.lost_scos.is_empty() {
        text.push_str(
            "  Moodle and other LMSs match items by identifier when a package is updated: learners lose \
             their progress on these. Keep the module and page names (slugs) of the old version, or \
             upload the new version as a new activity.\n",
        );
    }
    text
}

/// Which saved progress carries over, and what to do when some does not.
fn describe_saved_progress(text: &mut String, carried: &Carried, output: Output) {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if !carried.loses() {
        let _ = writeln!(
            text,
            "saved progress: carries over for all {} and {}",
            plural(carried.pages_kept, "page", "pages"),
            plural(carried.questions_kept, "question", "questions")
        );
        return;
    }
    let _ = writeln!(
        text,
        "saved progress: carries over for {} of {} and {} of {}",
        carried.pages_kept,
        plural(
            carried.pages_kept + carried.pages_dropped.len(),
            "page",
            "pages"
        ),
        carried.questions_kept,
        plural(
            carried.questions_kept + carried.questions_dropped.len(),
            "question",
            "questions"
        )
    );
    if !output.quiet {
        for (what, dropped) in [
            ("page", &carried.pages_dropped),
            ("question", &carried.questions_dropped),
        ] {
            for (id, why) in dropped {
                let _ = writeln!(text, "  - {what} {id}: {why}");
            }
        }
    }
    let _ = writeln!(
        text,
        "WARNING: learners lose what they did on {} and {} of the old version",
        plural(carried.pages_dropped.len(), "page", "pages"),
        plural(carried.questions_dropped.len(), "question", "questions")
    );
    text.push_str(
        "  A page renamed keeps its saved progress when it names its old id in its front matter \
         (`id: <old id>`); build with the coursepack.lock the old version was built with.\n",
    );
}
