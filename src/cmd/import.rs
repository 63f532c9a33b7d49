//! `coursepack import`: another tool's lesson material as a course folder, checked.

use super::{Output, plural};
use crate::cli::ImportArgs;
use crate::memo::Memo;
use anyhow::{Result, bail};
use std::process::ExitCode;

pub fn run(args: &ImportArgs, output: Output) -> Result<ExitCode> {
    let target = &args.dir;
    if target.exists() && crate::fs::has_entries(target)? {
        bail!(
            "{} already exists and is not empty; choose a new folder name",
            target.display()
        );
    }
    let plan = crate::import::plan(&args.source)?;
    // Written beside the target and moved into place whole: an interrupted import leaves
    // nothing half-written.
    let staging = crate::archive::temporary_folder(target)?;
    let imported = crate::import::write_course(&plan, staging.path())?;
    let checked = crate::prepare(
        staging.path(),
        None,
        &Memo::none(),
        crate::render::Code::Plain,
    )?;
    if target.exists() {
        crate::fs::remove_dir_all(target)?;
    }
    crate::fs::rename(&staging.keep(), target)?;
    let (problems, failed) = output.report(target, checked.diagnostics(), false);
    eprint!("{problems}");
    if !output.quiet {
        let shown = crate::diagnostics::printable(&plan.title);
        println!(
            "{}: imported the {} \"{shown}\": {} in {}, {}",
            target.display(),
            plan.kind.name(),
            plural(imported.pages, "page"),
            plural(plan.modules.len(), "module"),
            plural(imported.files, "file"),
        );
        if !imported.notes.is_empty() {
            println!("not carried over:");
            for note in &imported.notes {
                println!("  {}", crate::diagnostics::printable(note));
            }
        }
        if failed {
            println!(
                "fix the errors above, then: coursepack preview {}",
                target.display()
            );
        } else {
            println!(
                "  coursepack preview {}   see it in the browser",
                target.display()
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
