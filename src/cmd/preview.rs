//! `coursepack preview`: starts the preview server and says where it is.

use crate::cli::PreviewArgs;
use anyhow::{Result, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &PreviewArgs) -> Result<ExitCode> {
    if !args.course.join("course.toml").is_file() {
        bail!(
            "{} has no course.toml; give the course folder (or start one with `coursepack new`)",
            args.course.display()
        );
    }
    let course = args.course.display().to_string();
    let open = args.open;
    let options = crate::preview::Options {
        port: args.port,
        templates: args.templates.clone(),
        on_ready: Box::new(move |address: &str| {
            println!("Serving {course} at {address} (Ctrl+C to stop)");
            let _ = std::io::stdout().flush();
            if open {
                open_browser(address);
            }
        }),
    };
    crate::preview::serve(&args.course, options)?;
    Ok(ExitCode::SUCCESS)
}

/// The desktop's own opener; a failure only means the designer opens the address by hand.
fn open_browser(address: &str) {
    let command = if cfg!(target_os = "macos") {
        vec!["open"]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", ""]
    } else {
        vec!["xdg-open"]
    };
    let spawned = std::process::Command::new(command[0])
        .args(&command[1..])
        .arg(address)
        .spawn();
    if spawned.is_err() {
        eprintln!("could not open a browser; open {address} yourself");
    }
}
