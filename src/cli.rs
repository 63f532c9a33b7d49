//! The command line, as clap derive types only; `cmd` carries each subcommand out.

use crate::standard::Standard;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "coursepack",
    version,
    about = "Turn Markdown course sources into e-learning packages any LMS accepts and tracks: SCORM 1.2, SCORM 2004 4th Edition, or an offline website."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Say what each stage did.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Threads to use [default: one per core]; the packages are the same whatever the number.
    #[arg(short, long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build one or more courses into packages (OUT_DIR/<id>-<version>-<standard>.zip).
    Build(BuildArgs),
    /// Check a course's sources and report every problem, without writing anything.
    Check(CheckArgs),
    #[cfg(feature = "preview")]
    /// Serve a course on 127.0.0.1 as an LMS launches it, with its SCORM data shown live;
    /// rebuilds and reloads on every change.
    Preview(PreviewArgs),
    #[cfg(feature = "validate")]
    /// Show what a SCORM package (from any tool) holds, and every problem found in it.
    Inspect(PackageArgs),
    #[cfg(feature = "validate")]
    /// Check a SCORM package (from any tool) against the standard and what LMSs accept;
    /// exit code 0 only when it is valid.
    Validate(PackageArgs),
    #[cfg(feature = "validate")]
    /// Say what changed between two versions (packages or course folders); exit code 1 when
    /// item or SCO identifiers changed, because LMSs then lose learners' progress on update.
    Diff(DiffArgs),
    #[cfg(feature = "translate")]
    /// Hand a course to translators as a gettext PO file, and build the translated course
    /// from the file they return.
    #[command(subcommand)]
    Translate(TranslateCommand),
    /// Start a new course: a folder with course.toml, two modules, an image and a knowledge check.
    New(NewArgs),
    /// Make a course folder from an mdBook, a MkDocs site, a Carpentries lesson or a folder of
    /// Markdown files: pages in the source's order, links and media carried over.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The book, site, lesson or folder to import.
    #[arg(value_name = "SOURCE")]
    pub source: PathBuf,
    /// Course folder to create (must not exist, or be empty).
    #[arg(value_name = "COURSE_DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The course folder (holds course.toml).
    #[arg(value_name = "COURSE_DIR")]
    pub course: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Theme folder whose files replace the built-in templates of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PackageArgs {
    /// The package (.zip).
    #[arg(value_name = "PACKAGE")]
    pub package: PathBuf,
    /// The LMS's upload limit in MiB; larger packages are reported.
    #[arg(long, value_name = "MIB", default_value_t = 100)]
    pub max_upload_mib: u64,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The version learners have now: a package (.zip) or a course folder.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The version to upload: a package (.zip) or a course folder.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Standard to build course folders for [default: the course's first]
    #[arg(short, long, value_enum, value_name = "STANDARD")]
    pub standard: Option<Standard>,
    /// Build course folders with one SCO per module.
    #[arg(long)]
    pub sco_per_module: bool,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder to create (must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Course title [default: from the folder name]
    #[arg(long)]
    pub title: Option<String>,
    /// Language of the course text, as a BCP 47 tag (en, fr, es, ru, uk, ar, pt-BR, ...).
    #[arg(long, default_value = "en")]
    pub language: String,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Course folders (each holds a course.toml).
    #[arg(required = true, value_name = "COURSE_DIR")]
    pub courses: Vec<PathBuf>,
    /// Package standard; repeat for several [default: the course's `standards`, else scorm12]
    #[arg(short, long = "standard", value_enum, value_name = "STANDARD")]
    pub standards: Vec<Standard>,
    /// Folder to write the packages to.
    #[arg(short, long, value_name = "OUT_DIR", default_value = "dist")]
    pub out_dir: PathBuf,
    /// One SCO per module instead of one SCO for the whole course.
    #[arg(long)]
    pub sco_per_module: bool,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print the results (packages and problems) as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The course folder (holds course.toml).
    #[arg(value_name = "COURSE_DIR")]
    pub course: PathBuf,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print the result and every problem as JSON on stdout instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options shared by every command that reads a course.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Theme folder whose files replace the built-in templates of the same name.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Treat warnings (missing alt text, long pages, empty modules, ...) as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
pub enum TranslateCommand {
    /// Write every text of the course (titles, page text, alt text, questions, options,
    /// feedback) to a PO file; translations already in that file are kept.
    Export(TranslateExportArgs),
    /// Apply a translated PO file: writes the translated course as a new course folder.
    Import(TranslateImportArgs),
}

#[derive(Debug, Args)]
pub struct TranslateExportArgs {
    #[arg(value_name = "COURSE_DIR")]
    pub course: PathBuf,
    /// The language to translate into (`uk`, `fr`, `pt-BR`, ...).
    #[arg(long, value_name = "LANGUAGE")]
    pub to: String,
    /// Where to write the PO file [default: COURSE_DIR/translations/LANGUAGE.po]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TranslateImportArgs {
    #[arg(value_name = "COURSE_DIR")]
    pub course: PathBuf,
    /// The translated PO file.
    #[arg(value_name = "PO_FILE")]
    pub po: PathBuf,
    /// The translated course folder [default: COURSE_DIR-LANGUAGE beside the course]
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks (conflicting names, defaults that fail their parser…),
    /// which otherwise only run when a user types the broken combination.
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
