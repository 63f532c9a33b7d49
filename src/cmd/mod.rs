//! One file per subcommand. Exit codes: 0 success, 1 the course has errors, 2 the tool
//! could not run (unreadable folder, bad usage, disk full).

mod build;
mod check;

use crate::cli::{Cli, Command};
use crate::diagnostics::Diagnostics;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(cli: &Cli) -> Result<ExitCode> {
    let output = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match &cli.command {
        Command::Build(args) => build::run(args, output),
        Command::Check(args) => check::run(args, output),
    }
}

#[derive(Debug, Clone, Copy)]
struct Output {
    quiet: bool,
    verbose: bool,
}

impl Output {
    /// Prints a course's problems to stderr; says whether they stop the build.
    fn report(
        self,
        course: &std::path::Path,
        diagnostics: &Diagnostics,
        deny_warnings: bool,
    ) -> bool {
        for diagnostic in diagnostics.sorted() {
            let is_error = diagnostic.severity == crate::diagnostics::Severity::Error;
            if is_error || !self.quiet {
                eprintln!("{}", diagnostic.display_in(course));
            }
        }
        let errors = diagnostics.error_count();
        let warnings = diagnostics.warning_count();
        let failed = errors > 0 || (deny_warnings && warnings > 0);
        if failed {
            eprintln!(
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
        failed
    }

    fn verbose(self, message: impl FnOnce() -> String) {
        if self.verbose {
            eprintln!("{}", message());
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
