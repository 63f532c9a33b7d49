//! The HTML policy: neither the check nor the sanitiser fails, and what the sanitiser leaves
//! is something the check does not refuse (the two parsers agree on what is safe).
#![no_main]
use coursepack::html_policy::{Source, Verdict, check, sanitize};

libfuzzer_sys::fuzz_target!(|html: &str| {
    check(html, Source::CarriedFile);
    check(html, Source::Page);
    let clean = sanitize(html);
    let refused: Vec<_> = check(&clean, Source::Page)
        .into_iter()
        .filter(|finding| finding.verdict == Verdict::Refused)
        .collect();
    assert!(refused.is_empty(), "{html:?} sanitised to {clean:?} still has {refused:?}");
});
