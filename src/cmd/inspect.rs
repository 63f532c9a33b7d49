//! `coursepack inspect` and `coursepack validate`: the same checks, shown as an overview or
//! as a verdict.

use super::{Output, human_size as size, plural};
use crate::cli::PackageArgs;
use crate::diagnostics::printable;
use crate::inspect::{self, Item, Report, Severity};
use anyhow::{Context, Result};
use std::fmt::Write;
use std::process::ExitCode;

fn read(args: &PackageArgs) -> Result<Report> {
    let options = inspect::Options {
        max_upload_mib: args.max_upload_mib,
    };
    inspect::inspect(&args.package, options)
        .with_context(|| format!("cannot open {}", args.package.display()))
}

pub fn run_inspect(args: &PackageArgs, output: Output) -> Result<ExitCode> {
    let report = read(args)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", printable(&overview(&report)));
        print!("{}", printable(&problems(&report, output)));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_validate(args: &PackageArgs, output: Output) -> Result<ExitCode> {
    let report = read(args)?;
    let valid = report.error_count() == 0;
    if args.json {
        let verdict = serde_json::json!({
            "package": report.package,
            "standard": report.standard,
            "valid": valid,
            "errors": report.error_count(),
            "warnings": report.warning_count(),
            "problems": report.problems,
        });
        println!("{}", serde_json::to_string_pretty(&verdict)?);
    } else {
        print!("{}", printable(&problems(&report, output)));
        let counts = format!(
            "{}, {}",
            plural(report.error_count(), "error"),
            plural(report.warning_count(), "warning")
        );
        let standard = report.standard.as_deref().unwrap_or("not SCORM");
        if valid {
            println!(
                "{}: valid ({standard}), {counts}",
                printable(&report.package)
            );
        } else {
            println!(
                "{}: invalid ({standard}), {counts}",
                printable(&report.package)
            );
        }
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn problems(report: &Report, output: Output) -> String {
    let mut text = String::new();
    for problem in &report.problems {
        if problem.severity == Severity::Error || !output.quiet {
            let _ = writeln!(text, "{problem}");
        }
    }
    text
}

fn overview(report: &Report) -> String {
    let mut text = String::new();
    let line = |text: &mut String, label: &str, value: &str| {
        let _ = writeln!(text, "  {label:<13}{value}");
    };
    let _ = writeln!(text, "{}", report.package);
    line(
        &mut text,
        "standard",
        report.standard.as_deref().unwrap_or("unknown"),
    );
    line(&mut text, "title", report.title.as_deref().unwrap_or("-"));
    line(
        &mut text,
        "identifier",
        report.identifier.as_deref().unwrap_or("-"),
    );
    let files = &report.files;
    line(
        &mut text,
        "files",
        &format!(
            "{} ({} deflated, {} stored), {} unpacked, {} in the zip ({} file)",
            files.count,
            files.deflated,
            files.stored,
            size(files.bytes),
            size(files.compressed_bytes),
            size(files.zip_bytes)
        ),
    );
    for sco in &report.scos {
        let mastery = sco
            .mastery_score
            .as_deref()
            .map(|m| format!(", mastery score {m}"))
            .unwrap_or_default();
        line(
            &mut text,
            "SCO",
            &format!(
                "{} → {}{mastery} (items: {})",
                sco.resource,
                sco.launch,
                sco.items.join(", ")
            ),
        );
    }
    for organization in &report.organizations {
        let default = if organization.is_default {
            ", default"
        } else {
            ""
        };
        line(
            &mut text,
            "organization",
            &format!(
                "{} \"{}\"{default}",
                organization.identifier, organization.title
            ),
        );
        for item in &organization.items {
            tree(&mut text, item, 2);
        }
    }
    if !report.largest.is_empty() {
        line(&mut text, "largest", "");
        for file in &report.largest {
            let _ = writeln!(
                text,
                "    {:>10}  {} ({} in the zip)",
                size(file.bytes),
                file.name,
                size(file.compressed_bytes)
            );
        }
    }
    line(
        &mut text,
        "problems",
        &format!(
            "{}, {}",
            plural(report.error_count(), "error"),
            plural(report.warning_count(), "warning")
        ),
    );
    text
}

fn tree(text: &mut String, item: &Item, depth: usize) {
    let launch = item
        .launch
        .as_deref()
        .map(|l| format!(" → {l}"))
        .unwrap_or_default();
    let _ = writeln!(
        text,
        "{:indent$}- {} [{}]{launch}",
        "",
        item.title,
        item.identifier,
        indent = depth * 2
    );
    for child in &item.children {
        tree(text, child, depth + 1);
    }
}
