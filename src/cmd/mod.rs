//! One file per subcommand. Exit codes: 0 success, 1 the course has errors, 2 the tool
//! could not run (unreadable folder, bad usage, disk full).

mod build;
mod check;
#[cfg(feature = "validate")]
mod diff;
mod import;
#[cfg(feature = "validate")]
mod inspect;
mod new;
#[cfg(feature = "preview")]
mod preview;
#[cfg(feature = "translate")]
mod translate;

use crate::cli::{Cli, Command};
use crate::diagnostics::Diagnostics;
use anyhow::Result;
use std::process::ExitCode;

/// A build ends when its zip writer has streamed the last course file into the zip; the
/// pool's templating and deflating have until then. The pool's threads therefore run at the
/// lowest priority, so that the writer never waits for a core they hold (the large benchmark
/// corpus builds 3 to 7 % faster on two cores, in paired runs). A writer started from a pool
/// thread, as when several courses build at once, shares its priority; whole courses keep the
/// cores busy there. What is built stays the same; where the priority cannot be set, the build
/// just takes its usual time.
fn yield_to_zip_writers() {
    #[cfg(unix)]
    let _ = thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min);
}

pub fn run(cli: &Cli) -> Result<ExitCode> {
    let mut pool = rayon::ThreadPoolBuilder::new().num_threads(cli.jobs.map_or(0, usize::from));
    if matches!(cli.command, Command::Build(_)) {
        pool = pool.start_handler(|_| yield_to_zip_writers());
    }
    pool.build_global()?;
    let output = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match &cli.command {
        Command::Build(args) => build::run(args, output),
        Command::Check(args) => check::run(args, output),
        Command::New(args) => new::run(args, output),
        Command::Import(args) => import::run(args, output),
        #[cfg(feature = "preview")]
        Command::Preview(args) => preview::run(args),
        #[cfg(feature = "validate")]
        Command::Diff(args) => diff::run(args, output),
        #[cfg(feature = "validate")]
        Command::Inspect(args) => inspect::run_inspect(args, output),
        #[cfg(feature = "validate")]
        Command::Validate(args) => inspect::run_validate(args, output),
        #[cfg(feature = "translate")]
        Command::Translate(command) => translate::run(command, output),
    }
}

#[derive(Debug, Clone, Copy)]
struct Output {
    quiet: bool,
    verbose: bool,
}

impl Output {
    /// A course's problems as printed on stderr, and whether they stop the build.
    fn report(
        self,
        course: &std::path::Path,
        diagnostics: &Diagnostics,
        deny_warnings: bool,
    ) -> (String, bool) {
        use std::fmt::Write;
        let mut text = String::new();
        for diagnostic in diagnostics.sorted() {
            let is_error = diagnostic.severity == crate::diagnostics::Severity::Error;
            if is_error || !self.quiet {
                let _ = writeln!(text, "{}", diagnostic.display_in(course));
            }
        }
        let errors = diagnostics.error_count();
        let warnings = diagnostics.warning_count();
        let failed = errors > 0 || (deny_warnings && warnings > 0);
        if failed {
            let _ = writeln!(
                text,
                "error: {}: {} and {}{}",
                course.display(),
                plural(errors, "error"),
                plural(warnings, "warning"),
                if deny_warnings && errors == 0 {
                    " (warnings denied)"
                } else {
                    ""
                }
            );
        }
        (text, failed)
    }

    fn verbose(self, message: impl FnOnce() -> String) {
        if self.verbose {
            eprintln!("{}", message());
        }
    }
}

fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
