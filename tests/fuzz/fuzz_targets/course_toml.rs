//! `course.toml` as anyone with commit rights may write it.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    if let Ok(config) = coursepack::config::parse_course_config(text) {
        coursepack::config::course_warnings(&config, text);
    }
});
