use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = coursepack::cli::Cli::parse();
    match coursepack::cmd::run(&cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
