//! coursepack turns a folder of Markdown lessons into e-learning packages.
//!
//! The pipeline, one module per stage: [`load`] reads the course folder into the [`model`]
//! (modules and pages with stable identities, and the inventory of the files pages may
//! reference); [`render`] turns each page's Markdown into HTML ([`markdown`], which reads no
//! file: references are checked against the inventory) and wraps it in the theme's
//! [`templates`]; [`package`] lays out the files each standard needs, with its manifest;
//! [`archive`] writes the deterministic zip. Each module imports only from the stages before
//! it and from the shared vocabulary ([`standard`], [`course_path`], [`diagnostics`], [`fs`]).
//! Authors' mistakes are collected as [`diagnostics`] along the way and reported together.
//! Every stage is a function of its inputs; the preview's rebuilds reuse what did not change
//! through one [`memo`], which keys each step it keeps by the hash of the step's whole input.

pub mod archive;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod course_path;
pub mod diagnostics;
#[cfg(feature = "validate")]
pub mod diff;
pub mod fs;
pub mod html_policy;
pub mod i18n;
pub mod import;
#[cfg(feature = "validate")]
pub mod inspect;
pub mod load;
pub mod markdown;
pub mod media;
pub mod memo;
pub mod model;
pub mod package;
#[cfg(feature = "preview")]
pub mod preview;
pub mod quiz;
pub mod render;
pub mod slots;
pub mod slug;
pub mod standard;
pub mod templates;
#[cfg(feature = "translate")]
pub mod translate;
pub mod zip_limits;

use anyhow::Result;
use diagnostics::Diagnostics;
use memo::{Hashed, Memo};
use model::Course;
use render::RenderedCourse;
use std::path::Path;
use std::sync::Arc;
use templates::Theme;

/// A course loaded and rendered, ready to be packaged for any standard.
pub struct Prepared {
    pub course: Course,
    pub theme: Arc<Theme>,
    /// Hashed as the theme it was compiled from.
    pub tera: Hashed<Arc<tera::Tera>>,
    pub rendered: RenderedCourse,
}

/// What a course gives its author at a stage: the course, ready for the next stage, with its
/// warnings; or the problems that stop it, at least one of them an error. `Err` is kept for
/// the tool's own failures (an unreadable folder, a broken theme).
pub enum Outcome<T> {
    Ready(T, Diagnostics),
    Stopped(Diagnostics),
}

impl<T> Outcome<T> {
    pub fn diagnostics(&self) -> &Diagnostics {
        match self {
            Outcome::Ready(_, diagnostics) | Outcome::Stopped(diagnostics) => diagnostics,
        }
    }
}

/// Loads and renders the course at `dir`, collecting every author-facing problem. `memo`
/// keeps what a later call can reuse (the preview's); [`Memo::none`] keeps nothing.
pub fn prepare(
    dir: &Path,
    templates: Option<&Path>,
    memo: &Memo,
    code: render::Code,
) -> Result<Outcome<Prepared>> {
    Ok(match check(dir, templates, memo)? {
        Outcome::Ready(checked, diagnostics) => {
            Outcome::Ready(checked.render(memo, code)?, diagnostics)
        }
        Outcome::Stopped(diagnostics) => Outcome::Stopped(diagnostics),
    })
}

/// A course loaded, its Markdown rendered and every page checked, with its theme compiled:
/// all but the templating. The files it packages are known from here on, so `build` starts
/// writing them into the zip while the pages are templated.
pub struct Checked {
    pub course: Course,
    pub theme: Arc<Theme>,
    pub tera: Hashed<Arc<tera::Tera>>,
    pub pages: render::CheckedCourse,
}

/// Loads and checks the course at `dir`, collecting every author-facing problem.
/// [`Checked::render`] finishes the work.
pub fn check(dir: &Path, templates: Option<&Path>, memo: &Memo) -> Result<Outcome<Checked>> {
    let mut diagnostics = Diagnostics::default();
    // The theme's templates compile (several milliseconds of parsing) while the course loads
    // and its Markdown renders: neither needs the other.
    let (loaded, compiled) = rayon::join(
        || -> Result<_> {
            let course = load::load_course(dir, &mut diagnostics, memo)?;
            let bodies = render::render_bodies(&course, memo);
            Ok((course, bodies))
        },
        || compile_theme(dir, templates, memo),
    );
    let (course, bodies) = loaded?;
    let (theme, tera, templates_problem) = compiled?;
    diagnostics.extend(templates_problem);
    let pages = render::check_course(&course, bodies, &mut diagnostics)?;
    if diagnostics.has_errors() {
        return Ok(Outcome::Stopped(diagnostics));
    }
    let checked = Checked {
        course,
        theme,
        tera,
        pages,
    };
    Ok(Outcome::Ready(checked, diagnostics))
}

impl Checked {
    /// The package files known before templating (the theme's assets and the course files);
    /// the same as in every package.
    pub fn course_files(&self) -> package::PackageFiles {
        package::course_files(
            &self.course,
            &self.pages.files,
            &self.pages.checked_markup,
            self.theme.assets(),
        )
    }

    /// Templates every page.
    pub fn render(self, memo: &Memo, code: render::Code) -> Result<Prepared> {
        let rendered = render::render_course(&self.course, self.pages, &self.tera, memo, code)?;
        Ok(Prepared {
            course: self.course,
            theme: self.theme,
            tera: self.tera,
            rendered,
        })
    }
}

/// A theme, its templates compiled, and the problem with the course's templates folder if
/// it has one.
type CompiledTheme = (
    Arc<Theme>,
    Hashed<Arc<tera::Tera>>,
    Option<diagnostics::Diagnostic>,
);

/// The theme: the built-in templates, overridden by the course's `templates/` folder and then
/// by `templates`, and compiled. A course templates folder that leads outside the course is
/// reported and not used.
fn compile_theme(dir: &Path, templates: Option<&Path>, memo: &Memo) -> Result<CompiledTheme> {
    // Loading the course reports a folder that cannot be opened; here it just has no templates.
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let course_templates = root.join(templates::COURSE_TEMPLATES);
    let mut overrides: Vec<&Path> = Vec::new();
    let mut problem = None;
    if course_templates.is_dir() {
        match course_path::resolve_in_course(&root, templates::COURSE_TEMPLATES) {
            Err(escape) => problem = Some(escape.diagnostic(templates::COURSE_TEMPLATES, None)),
            Ok(_) => overrides.push(&course_templates),
        }
    }
    overrides.extend(templates);
    let theme = Arc::new(Theme::load(&overrides)?);
    let tera = memo.try_keep("theme", "", &*theme, |theme| Ok(Arc::new(theme.tera()?)))?;
    let tera = Hashed::made_from(tera, &*theme);
    Ok((theme, tera, problem))
}

/// Locks `mutex` whether or not a thread panicked while holding it: that panic is reported
/// where it happened, and the caches and preview state behind these locks go on being used.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Prepared {
    /// Every file of the package for one standard.
    pub fn package(
        &self,
        options: package::PackageOptions,
        memo: &Memo,
    ) -> Result<package::PackageFiles> {
        package::assemble(
            &self.course,
            &self.rendered,
            &self.tera,
            self.theme.assets(),
            options,
            memo,
        )
    }
}
