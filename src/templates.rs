//! The theme: Tera templates (`*.html`) and static assets (`assets/`), embedded in the binary.
//! A same-named file in the course's `templates/` folder, or in `--templates DIR`, wins; the
//! built-in stays reachable as `builtin/<name>` so an override can extend it instead of copying.

use anyhow::{Context, Result};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

include!(concat!(env!("OUT_DIR"), "/embedded_templates.rs"));

/// Folder inside a course that overrides theme files.
pub const COURSE_TEMPLATES: &str = "templates";

#[derive(Hash)]
pub struct Theme {
    /// File name → content, after overrides.
    files: BTreeMap<String, Cow<'static, [u8]>>,
}

impl Theme {
    /// The built-in theme with the files of `overrides` (in order, later wins) laid over it.
    pub fn load(overrides: &[&Path]) -> Result<Theme> {
        let mut files: BTreeMap<String, Cow<'static, [u8]>> = EMBEDDED
            .iter()
            .map(|(name, bytes)| (name.to_string(), Cow::Borrowed(*bytes)))
            .collect();
        for dir in overrides {
            for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
                let entry = entry
                    .with_context(|| format!("cannot read templates folder {}", dir.display()))?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let name = entry
                    .path()
                    .strip_prefix(dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = crate::fs::read(entry.path())?;
                files.insert(name, Cow::Owned(bytes));
            }
        }
        Ok(Theme { files })
    }

    /// A Tera instance holding every template, plus the built-ins as `builtin/<name>` when a
    /// template is overridden (only an override can extend them; parsing is most of the cost).
    pub fn tera(&self) -> Result<Tera> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let overridden = self
            .files
            .iter()
            .any(|(name, bytes)| is_template(name) && matches!(bytes, Cow::Owned(_)));
        let builtins = EMBEDDED
            .iter()
            .filter(|(name, _)| overridden && is_template(name));
        for (name, bytes) in builtins {
            templates.push((
                format!("builtin/{name}"),
                String::from_utf8_lossy(bytes).into_owned(),
            ));
        }
        for (name, bytes) in self.files.iter().filter(|(name, _)| is_template(name)) {
            let text = std::str::from_utf8(bytes)
                .with_context(|| format!("template {name} is not UTF-8"))?;
            templates.push((name.clone(), text.to_string()));
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::html_policy::escape_html);
        tera.add_raw_templates(templates)
            .map_err(|err| anyhow::anyhow!(describe_tera_error(&err)))?;
        Ok(tera)
    }

    /// Static files copied into every package, keyed by their package path (`assets/...`).
    pub fn assets(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files
            .iter()
            .filter(|(name, _)| name.starts_with("assets/"))
            .map(|(name, bytes)| (name.as_str(), bytes.as_ref()))
    }
}

/// One embedded file by name (the preview page's files live under `preview/`).
pub fn embedded(name: &str) -> Option<&'static [u8]> {
    EMBEDDED
        .iter()
        .find(|(embedded, _)| *embedded == name)
        .map(|(_, bytes)| *bytes)
}

/// The files of a new course (`coursepack new`), keyed by their path inside the course.
pub fn scaffold() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    EMBEDDED
        .iter()
        .filter_map(|(name, bytes)| Some((name.strip_prefix(SCAFFOLD)?, *bytes)))
}

/// Folder of the embedded templates that holds the new-course scaffold, not theme files.
const SCAFFOLD: &str = "new/";

fn is_template(name: &str) -> bool {
    name.ends_with(".html") && !name.contains('/')
}

/// Tera hides the useful part of an error in its source chain.
pub fn describe_tera_error(err: &tera::Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let on_disk: Vec<String> = walkdir::WalkDir::new(&root)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let embedded: Vec<&str> = EMBEDDED.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, embedded);
        assert!(embedded.contains(&"index.html") && embedded.contains(&"page.html"));
    }

    #[test]
    fn without_overrides_each_template_is_compiled_once() {
        let tera = Theme::load(&[]).unwrap().tera().unwrap();
        let mut names: Vec<&str> = tera.get_template_names().collect();
        names.sort_unstable();
        assert_eq!(names, ["index.html", "page.html", "quiz.html"]);
    }

    #[test]
    fn overrides_win_and_builtins_stay_reachable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("page.html"),
            "{% extends \"builtin/page.html\" %}{% block footer %}custom footer{% endblock %}",
        )
        .unwrap();
        let theme = Theme::load(&[dir.path()]).unwrap();
        let tera = theme.tera().unwrap();
        let names: Vec<&str> = tera.get_template_names().collect();
        assert!(names.contains(&"builtin/page.html") && names.contains(&"page.html"));
        assert!(
            theme
                .assets()
                .any(|(name, _)| name == "assets/coursepack.js")
        );
    }
}
