//! `coursepack translate export|import`: the course's texts out to translators as a PO file,
//! and the translated course back as a new course folder that builds on its own.

use super::{Output, plural};
use crate::cli::{TranslateCommand, TranslateExportArgs, TranslateImportArgs};
use crate::memo::Memo;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(command: &TranslateCommand, output: Output) -> Result<ExitCode> {
    match command {
        TranslateCommand::Export(args) => export(args, output),
        TranslateCommand::Import(args) => import(args, output),
    }
}

/// The course, checked: texts are only handed out from a course that builds.
fn load(course: &Path, output: Output) -> Result<Option<crate::model::Course>> {
    let outcome = crate::prepare(course, None, &Memo::none(), crate::render::Code::Plain)?;
    let (problems, failed) = output.report(course, outcome.diagnostics(), false);
    match outcome {
        crate::Outcome::Ready(prepared, _) if !failed => Ok(Some(prepared.course)),
        _ => {
            eprint!("{problems}");
            eprintln!(
                "error: {}: fix the course before translating it",
                course.display()
            );
            Ok(None)
        }
    }
}

fn export(args: &TranslateExportArgs, output: Output) -> Result<ExitCode> {
    if !crate::config::is_language_tag(&args.to) {
        bail!(
            "`{}` is not a BCP 47 language tag; use a tag such as `uk`, `fr` or `pt-BR`",
            args.to
        );
    }
    let Some(course) = load(&args.course, output)? else {
        return Ok(ExitCode::FAILURE);
    };
    let path = args.output.clone().unwrap_or_else(|| {
        args.course
            .join("translations")
            .join(format!("{}.po", args.to))
    });
    let previous = match path.is_file() {
        true => Some(crate::translate::read_po(&path)?.catalog),
        false => None,
    };
    let catalog = crate::translate::export(&course, &args.to, previous.as_ref())?;
    let file = crate::archive::temporary_output(&path, ".po.partial")?;
    polib::po_file::write(&catalog, &mut std::io::BufWriter::new(file.as_file()))?;
    file.persist(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    if !output.quiet {
        let translated = catalog.messages().filter(|m| m.is_translated()).count();
        println!(
            "{}: {} to translate into `{}`, {translated} already translated",
            path.display(),
            plural(catalog.count(), "text"),
            args.to
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn import(args: &TranslateImportArgs, output: Output) -> Result<ExitCode> {
    let po = crate::translate::read_po(&args.po)?;
    let Some(course) = load(&args.course, output)? else {
        return Ok(ExitCode::FAILURE);
    };
    let translated = match crate::translate::apply(&course, &po) {
        Ok(translated) => translated,
        Err(problem) => bail!("{}: {problem}", args.po.display()),
    };
    let target = args
        .out
        .clone()
        .unwrap_or_else(|| sibling(&course.root, &translated.language));
    if target.exists() && !args.force && crate::fs::has_entries(&target)? {
        bail!("{} exists; pass --force to replace it", target.display());
    }
    for diagnostic in &translated.diagnostics {
        if diagnostic.severity == crate::diagnostics::Severity::Error || !output.quiet {
            eprintln!("{}", diagnostic.display_in(&args.course));
        }
    }
    let errors = translated.diagnostics.len() - translated.untranslated();
    if errors > 0 {
        eprintln!(
            "error: {}: {}; nothing was written",
            args.po.display(),
            plural(errors, "error")
        );
        return Ok(ExitCode::FAILURE);
    }
    // Written beside the target and checked before it takes the target's place: a broken
    // translation never leaves a half-written course behind.
    let staging = crate::archive::temporary_folder(&target)?;
    copy_course(&course.root, staging.path(), &translated.files)?;
    let outcome = crate::prepare(
        staging.path(),
        None,
        &Memo::none(),
        crate::render::Code::Plain,
    )?;
    let (problems, failed) = output.report(&target, outcome.diagnostics(), false);
    if failed {
        eprint!(
            "{}",
            problems.replace(
                &staging.path().display().to_string(),
                &target.display().to_string()
            )
        );
        eprintln!(
            "error: {}: the translated course does not build; nothing was written",
            args.po.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    if target.exists() {
        crate::fs::remove_dir_all(&target)?;
    }
    crate::fs::rename(&staging.keep(), &target)?;
    if !output.quiet {
        println!(
            "{}: {} of {} translated into `{}`",
            target.display(),
            translated.units - translated.untranslated(),
            plural(translated.units, "text"),
            translated.language
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `courses/risk` → `courses/risk-uk`, from the course's canonical folder.
fn sibling(root: &Path, language: &str) -> PathBuf {
    let name = root
        .file_name()
        .map_or("course".into(), |n| n.to_string_lossy());
    root.with_file_name(format!("{name}-{}", language.to_ascii_lowercase()))
}

/// Copies the course folder to `to`, with the translated text of the `changed` files (some
/// of which, such as a module.toml for a translated module title, are new).
fn copy_course(from: &Path, to: &Path, changed_files: &[(String, String)]) -> Result<()> {
    let changed: std::collections::HashMap<&str, &str> = changed_files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry?;
        let relative = entry.path().strip_prefix(from)?;
        let key = relative.to_string_lossy().replace('\\', "/");
        let destination = to.join(relative);
        if entry.file_type().is_dir() {
            crate::fs::create_dir_all(&destination)?;
        } else if let Some(text) = changed.get(key.as_str()) {
            crate::fs::write(&destination, text)?;
        } else if entry.file_type().is_file() {
            crate::fs::copy(entry.path(), &destination)?;
        } else if let Ok(path) = crate::course_path::resolve_in_course(from, &key) {
            // A symbolic link inside the course: its file, as the build would package it.
            crate::fs::copy(&path, &destination)?;
        }
    }
    for (path, text) in changed_files {
        let destination = to.join(path);
        if !destination.exists() {
            crate::fs::write(&destination, text)?;
        }
    }
    Ok(())
}
