//! The body of a ```quiz block.
#![no_main]
libfuzzer_sys::fuzz_target!(|text: &str| {
    let words = coursepack::quiz::QuizWords {
        likert_scale: vec!["No".into(), "Maybe".into(), "Yes".into()],
        true_false: ["True".into(), "False".into()],
    };
    let _ = coursepack::quiz::parse_quiz(text, &words);
});
