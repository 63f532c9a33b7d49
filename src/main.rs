use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    keep_large_buffers_out_of_the_heap();
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

/// glibc raises its mmap threshold each time a large block is freed, after which the deflate
/// buffers of every zip entry land in the heap and fragment it: a large build then peaked at
/// 70–90 MiB instead of 38 MiB. A fixed threshold keeps blocks of 128 KiB and more in their own
/// mappings, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_large_buffers_out_of_the_heap() {
    // SAFETY: mallopt only changes allocator tuning; it is called once, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_buffers_out_of_the_heap() {}
