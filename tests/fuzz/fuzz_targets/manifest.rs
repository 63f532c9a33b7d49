//! An `imsmanifest.xml` as the package reader parses it.
#![no_main]
libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = coursepack::inspect::manifest::parse(bytes);
});
