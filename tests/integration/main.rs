//! Integration tests: the real binary on real course folders, packages checked by the
//! independent checker, and the exact errors authors see.

mod bad_input;
mod hostile;
mod i18n;
mod import;
mod markdown_cases;
mod packages;
mod saved_state;
mod support;
mod translate;
mod validate;
mod workflow;
