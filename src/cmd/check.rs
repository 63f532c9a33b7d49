//! `coursepack check`: every source check of a build, nothing written.

use super::{Output, plural};
use crate::cli::CheckArgs;
use crate::package::PackageOptions;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: &CheckArgs, output: Output) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let (prepared, diagnostics) = crate::prepare(&args.course, args.source.templates.as_deref())?;
    output.verbose(|| {
        format!(
            "{}: loaded and rendered in {:.2?}",
            args.course.display(),
            started.elapsed()
        )
    });
    let (problems, failed) = output.report(&args.course, &diagnostics, args.source.deny_warnings);
    eprint!("{problems}");
    if failed {
        return Ok(ExitCode::FAILURE);
    }
    let prepared = prepared.expect("a course without errors is prepared");
    // Lay out every configured package in memory too, so template and manifest problems
    // surface here rather than at build time.
    for &standard in &prepared.course.config.package.standards {
        let sco_per_module = prepared.course.config.package.sco_per_module;
        prepared.package(PackageOptions {
            standard,
            sco_per_module,
        })?;
    }
    if !output.quiet {
        println!(
            "{}: ok, {} in {}, {}",
            args.course.display(),
            plural(prepared.rendered.pages.len(), "page"),
            plural(prepared.course.modules.len(), "module"),
            plural(diagnostics.warning_count(), "warning")
        );
    }
    Ok(ExitCode::SUCCESS)
}
