//! A PO file from an outside translator.
#![no_main]
use std::io::Write;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let _ = coursepack::translate::read_po(file.path());
});
