//! coursepack turns a folder of Markdown lessons into e-learning packages.
//!
//! The pipeline, one module per stage: [`load`] reads the course folder into the [`model`]
//! (modules and pages with stable identities); [`render`] turns each page's Markdown into
//! HTML ([`markdown`]) and wraps it in the theme's [`templates`]; [`package`] lays out the
//! files each standard needs, with its manifest; [`archive`] writes the deterministic zip.
//! Authors' mistakes are collected as [`diagnostics`] along the way and reported together.

pub mod archive;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diagnostics;
pub mod diff;
pub mod i18n;
pub mod inspect;
pub mod load;
pub mod markdown;
pub mod media;
pub mod model;
pub mod package;
pub mod preview;
pub mod quiz;
pub mod render;
pub mod slug;
pub mod templates;
pub mod translate;

use anyhow::Result;
use diagnostics::Diagnostics;
use model::Course;
use render::RenderedCourse;
use std::path::Path;
use std::sync::Arc;
use templates::Theme;

/// A course loaded and rendered, ready to be packaged for any standard.
pub struct Prepared {
    pub course: Course,
    /// Shared with the preview's cache, which keeps the compiled theme between rebuilds.
    pub theme: Arc<Theme>,
    pub tera: Arc<tera::Tera>,
    pub rendered: RenderedCourse,
}

/// Loads and renders the course at `dir`, collecting every author-facing problem. The course
/// comes back only when there are no errors.
pub fn prepare(dir: &Path, templates: Option<&Path>) -> Result<(Option<Prepared>, Diagnostics)> {
    prepare_cached(dir, templates, None)
}

/// What the preview keeps between rebuilds so that a one-page edit costs about one page:
/// unchanged page files are not read again, unchanged pages not rendered again, and the
/// launch page and manifest not written again while what they show is the same. Every
/// entry is checked against its inputs, so a hit is always right.
#[derive(Default)]
pub struct Cache {
    pages: load::PageFiles,
    render: render::RenderCache,
    layout: package::LayoutCache,
}

impl Cache {
    /// Forgets everything (after changes that the keys do not see, such as a new theme file).
    pub fn clear(&self) {
        self.pages.clear();
        self.render.clear();
        self.layout.clear();
    }
}

/// [`prepare`], reusing what did not change since the last call with the same cache (the
/// preview's rebuilds).
pub fn prepare_cached(
    dir: &Path,
    templates: Option<&Path>,
    cache: Option<&Cache>,
) -> Result<(Option<Prepared>, Diagnostics)> {
    let mut diagnostics = Diagnostics::default();
    let course = load::load_course_cached(dir, &mut diagnostics, cache.map(|c| &c.pages))?;
    let cache = cache.map(|c| &c.render);
    let course_templates = course.root.join(templates::COURSE_TEMPLATES);
    let mut overrides: Vec<&Path> = Vec::new();
    if course_templates.is_dir() {
        if let Err(problem) = load::resolve_in_course(&course.root, templates::COURSE_TEMPLATES) {
            diagnostics.push(problem.diagnostic(templates::COURSE_TEMPLATES, None));
        } else {
            overrides.push(&course_templates);
        }
    }
    overrides.extend(templates);
    let (theme, tera) = match cache.and_then(render::RenderCache::theme) {
        Some(compiled) => compiled,
        None => {
            let theme = Arc::new(Theme::load(&overrides)?);
            let tera = Arc::new(theme.tera()?);
            if let Some(cache) = cache {
                cache.keep_theme(&theme, &tera);
            }
            (theme, tera)
        }
    };
    let rendered = render::render_course(&course, &tera, cache, &mut diagnostics)?;
    if diagnostics.has_errors() {
        return Ok((None, diagnostics));
    }
    Ok((
        Some(Prepared {
            course,
            theme,
            tera,
            rendered,
        }),
        diagnostics,
    ))
}

impl Prepared {
    /// Every file of the package for one standard.
    pub fn package(&self, options: package::PackageOptions) -> Result<package::PackageFiles> {
        self.package_cached(options, None)
    }

    /// [`Prepared::package`], reusing the launch page and manifest from `cache` while their
    /// inputs are the same.
    pub fn package_cached(
        &self,
        options: package::PackageOptions,
        cache: Option<&Cache>,
    ) -> Result<package::PackageFiles> {
        let assets: Vec<(&str, &[u8])> = self.theme.assets().collect();
        let layout = cache.map(|c| &c.layout);
        package::assemble(
            &self.course,
            &self.rendered,
            &self.tera,
            &assets,
            options,
            layout,
        )
    }
}
