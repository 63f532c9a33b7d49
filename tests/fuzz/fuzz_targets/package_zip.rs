//! A zip from any vendor, as `validate` and `inspect` read it.
#![no_main]
use std::io::Write;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let _ = coursepack::inspect::inspect(file.path(), Default::default());
});
