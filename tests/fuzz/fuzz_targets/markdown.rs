//! One page body through every Markdown pass (callouts, attribute lists, math, footnotes,
//! quiz blocks, the HTML policy) without the loader: fast enough to reach what the whole
//! course's check reaches a few times a second.
#![no_main]
use coursepack::markdown::{LinkTargets, render_markdown};
use coursepack::model::{Inventory, LessonNotes, Page};
use std::collections::BTreeMap;

libfuzzer_sys::fuzz_target!(|text: &str| {
    let page = Page {
        id: "intro/page".into(),
        slug: "page".into(),
        source: "01-intro/01-page.md".into(),
        title: None,
        description: None,
        markdown: text.into(),
        body_line_offset: 0,
        href: "pages/intro/page.html".into(),
        assessment: None,
        survey: false,
        minutes: None,
        lesson: LessonNotes::default(),
    };
    let inventory = Inventory::default();
    let pages = BTreeMap::from([(page.source.as_str(), (&page).into())]);
    let strings = coursepack::i18n::UiStrings::default();
    let targets = LinkTargets {
        inventory: &inventory,
        by_site_name: LinkTargets::site_index(&pages),
        pages,
        allow_scripts: false,
        language: "en",
        strings: &strings,
    };
    let _ = render_markdown(&page, &targets);
});
