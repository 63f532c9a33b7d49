//! `coursepack check`: every source check of a build, nothing written.

use super::{Output, plural};
use crate::cli::CheckArgs;
use crate::memo::Memo;
use crate::package::PackageOptions;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(args: &CheckArgs, output: Output) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let outcome = crate::prepare(
        &args.course,
        args.source.templates.as_deref(),
        &Memo::none(),
        crate::render::Code::Plain,
    )?;
    let diagnostics = outcome.diagnostics();
    output.verbose(|| {
        format!(
            "{}: loaded and rendered in {:.2?}",
            args.course.display(),
            started.elapsed()
        )
    });
    let (problems, failed) = output.report(&args.course, diagnostics, args.source.deny_warnings);
    let json = |pages: usize, modules: usize| {
        serde_json::json!({
            "course": args.course.display().to_string(),
            "ok": !failed,
            "pages": pages,
            "modules": modules,
            "errors": diagnostics.error_count(),
            "warnings": diagnostics.warning_count(),
            "diagnostics": diagnostics.sorted().iter().map(|d| d.json_in(&args.course)).collect::<Vec<_>>(),
        })
    };
    let prepared = match &outcome {
        crate::Outcome::Ready(prepared, _) if !failed => prepared,
        _ => {
            if args.json {
                println!("{:#}", json(0, 0));
            } else {
                eprint!("{problems}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    // Lay out every configured package in memory too, so template and manifest problems
    // surface here rather than at build time.
    for &standard in &prepared.course.config.package.standards {
        let sco_per_module = prepared.course.config.package.sco_per_module;
        prepared.package(
            PackageOptions {
                standard,
                sco_per_module,
            },
            &Memo::none(),
        )?;
    }
    if args.json {
        println!(
            "{:#}",
            json(prepared.rendered.pages.len(), prepared.course.modules.len())
        );
    } else {
        eprint!("{problems}");
        if !output.quiet {
            println!(
                "{}: ok, {} in {}, {}",
                args.course.display(),
                plural(prepared.rendered.pages.len(), "page"),
                plural(prepared.course.modules.len(), "module"),
                plural(diagnostics.warning_count(), "warning")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
