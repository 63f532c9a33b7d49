//! `coursepack build`: every course, every standard, one summary line per package.

use super::Output;
use crate::archive::write_zip;
use crate::cli::BuildArgs;
use crate::package::{PackageOptions, Standard};
use anyhow::Result;
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: &BuildArgs, output: Output) -> Result<ExitCode> {
    let mut failed = false;
    for dir in &args.courses {
        let started = Instant::now();
        let (prepared, diagnostics) = crate::prepare(dir, args.source.templates.as_deref())?;
        if output.report(dir, &diagnostics, args.source.deny_warnings) {
            eprintln!("error: {}: no package was written", dir.display());
            failed = true;
            continue;
        }
        let prepared = prepared.expect("a course without errors is prepared");
        let config = &prepared.course.config;
        output.verbose(|| {
            format!(
                "{}: rendered {} pages in {:.2?}",
                dir.display(),
                prepared.rendered.pages.len(),
                started.elapsed()
            )
        });
        let mut standards: Vec<Standard> = if args.standards.is_empty() {
            config.package.standards.clone()
        } else {
            args.standards.clone()
        };
        standards.dedup();
        for standard in standards {
            let options = PackageOptions {
                standard,
                sco_per_module: args.sco_per_module || config.package.sco_per_module,
            };
            let files = prepared.package(options)?;
            let name = format!(
                "{}-{}-{}.zip",
                config.id(),
                config.version(),
                standard.as_str()
            );
            let path = args.out_dir.join(name);
            let size = write_zip(&files, &path)?;
            if !output.quiet {
                println!(
                    "{}  {}  {} pages  {} files  {:.2} s",
                    path.display(),
                    human_size(size),
                    prepared.rendered.pages.len(),
                    files.len(),
                    started.elapsed().as_secs_f64()
                );
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}
