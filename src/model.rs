//! The course as the build sees it: modules and pages in order, each with a stable identity
//! taken from its slug (never from its position), so re-ordering keeps learners' progress.

use crate::config::CourseConfig;
use crate::course_path::PathProblem;
use crate::diagnostics::Diagnostic;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug)]
pub struct Course {
    /// The course folder, canonicalised: nothing outside it goes into a package.
    pub root: PathBuf,
    pub config: CourseConfig,
    /// The player's UI strings in the course's language.
    pub strings: crate::i18n::UiStrings,
    pub modules: Vec<Module>,
    /// The saved-state slots of the last build (`coursepack.lock`), when the course has them.
    pub lock: Option<crate::slots::Slots>,
    /// Every file and folder pages may reference.
    pub inventory: Inventory,
}

/// The course folder's files and folders as the loader found them, by course-relative path
/// (`/`-separated, through links that stay inside the course): what pages may reference. The
/// Markdown stage checks references against it and reads no file itself.
#[derive(Debug, Default, Hash)]
pub struct Inventory {
    entries: BTreeMap<String, Entry>,
    /// Media transcripts (`*.transcript.md`) read through the course gate: the text, or why it
    /// cannot be used (reported where a page shows the media).
    transcripts: BTreeMap<String, Result<String, Diagnostic>>,
}

/// What a path of the course folder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    File,
    Folder,
    /// A link that leaves the course, or something that is neither a file nor a folder (a
    /// FIFO, a device): never followed, never packaged.
    Refused(PathProblem),
}

impl Inventory {
    pub fn new(
        entries: BTreeMap<String, Entry>,
        transcripts: BTreeMap<String, Result<String, Diagnostic>>,
    ) -> Inventory {
        Inventory {
            entries,
            transcripts,
        }
    }

    /// Whether `relative` (normalised, see [`crate::course_path::normalize`]) is a folder, or
    /// why it cannot be referenced.
    pub fn resolve(&self, relative: &str) -> Result<bool, PathProblem> {
        if relative.is_empty() {
            return Ok(true);
        }
        match self.entries.get(relative) {
            Some(Entry::File) => Ok(false),
            Some(Entry::Folder) => Ok(true),
            Some(Entry::Refused(problem)) => Err(*problem),
            // Below a refused link, which is not walked, the link's problem; else missing.
            None => Err(std::iter::successors(Some(relative), |path| {
                path.rsplit_once('/').map(|(parent, _)| parent)
            })
            .find_map(|path| match self.entries.get(path) {
                Some(Entry::Refused(problem)) => Some(*problem),
                _ => None,
            })
            .unwrap_or(PathProblem::Missing)),
        }
    }

    /// The names of what is directly inside `folder` (`""` for the course folder), sorted.
    /// Every file's course-relative path.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|(_, entry)| matches!(entry, Entry::File))
            .map(|(path, _)| path.as_str())
    }

    pub fn names_in<'a>(&'a self, folder: &str) -> impl Iterator<Item = &'a str> {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        let start = prefix.len();
        self.entries
            .range(prefix.clone()..)
            .map(|(path, _)| path.as_str())
            .take_while(move |path| path.starts_with(&prefix))
            .filter_map(move |path| {
                let name = &path[start..];
                (!name.contains('/')).then_some(name)
            })
    }

    /// The transcript at `relative`, as it was read.
    pub fn transcript(&self, relative: &str) -> Option<&Result<String, Diagnostic>> {
        self.transcripts.get(relative)
    }
}

#[derive(Debug)]
pub struct Module {
    /// Stable identity: the folder name without its order prefix, as an ASCII slug.
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub pages: Vec<Page>,
    /// Page files found, including any that failed to load: a module whose only page is
    /// broken is not also reported as empty.
    pub page_files: usize,
}

#[derive(Debug, Clone, Hash)]
pub struct Page {
    /// Stable identity: `module-slug/page-slug`.
    pub id: String,
    pub slug: String,
    /// Source path relative to the course, `/`-separated.
    pub source: String,
    /// Title from front matter; when absent the first `#` heading is the title.
    pub title: Option<String>,
    pub description: Option<String>,
    /// Markdown after the front matter.
    pub markdown: std::sync::Arc<str>,
    /// Lines of the file before `markdown`, to report body positions as file lines.
    pub body_line_offset: usize,
    /// Path of the rendered page inside the package.
    pub href: String,
    /// Settings when the page is a graded assessment.
    pub assessment: Option<crate::config::AssessmentSettings>,
    /// A survey page: answers reported, nothing scored.
    pub survey: bool,
    /// Minutes the page takes, from its front matter.
    pub minutes: Option<u32>,
    /// Lesson metadata from the front matter: shown as callouts around the page's text.
    pub lesson: LessonNotes,
}

/// Lists other tools keep in a page's front matter (the Carpentries' `questions`,
/// `objectives` and `keypoints`), each item one line of Markdown.
#[derive(Debug, Clone, Default, Hash)]
pub struct LessonNotes {
    pub questions: Vec<String>,
    pub objectives: Vec<String>,
    pub keypoints: Vec<String>,
}

impl Page {
    /// `assessment`, `survey` or `page`: how the run-time treats the page.
    pub fn kind(&self) -> &'static str {
        if self.assessment.is_some() {
            "assessment"
        } else if self.survey {
            "survey"
        } else {
            "page"
        }
    }
}

impl Course {
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.modules.iter().flat_map(|m| m.pages.iter())
    }

    pub fn page_count(&self) -> usize {
        self.modules.iter().map(|m| m.pages.len()).sum()
    }

    /// The course's typical learning time: as `course.toml` sets it, else the sum of the
    /// minutes its pages give.
    pub fn learning_minutes(&self) -> Option<u32> {
        self.config.course.learning_minutes.or_else(|| {
            let minutes = self.pages().filter_map(|page| page.minutes);
            minutes.reduce(|a, b| a.saturating_add(b))
        })
    }
}

/// Where a page is rendered inside every package.
pub fn page_href(module_slug: &str, page_slug: &str) -> String {
    format!("pages/{module_slug}/{page_slug}.html")
}

/// Where a course file (an image, a video, a handout) goes inside every package: under
/// `files/`, each path component made ASCII-safe.
pub fn file_href(source: &str) -> String {
    let mut href = String::with_capacity("files/".len() + source.len());
    href.push_str("files");
    for part in source.split('/') {
        href.push('/');
        href.push_str(&crate::slug::safe_file_name(part));
    }
    href
}

/// The URL that leads from the package file `from` to the package file `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dirs = from.rsplit_once('/').map(|(dir, _)| dir.split('/'));
    // `to` after the folders it shares with `from`; one `../` for each other folder of `from`.
    let mut rest = to;
    let mut ups = 0;
    for dir in from_dirs.into_iter().flatten() {
        match rest.strip_prefix(dir).and_then(|r| r.strip_prefix('/')) {
            Some(after) if ups == 0 => rest = after,
            _ => ups += 1,
        }
    }
    let mut url = "../".repeat(ups);
    url.push_str(rest);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_between_package_files() {
        assert_eq!(relative_url("pages/a/x.html", "pages/a/y.html"), "y.html");
        assert_eq!(
            relative_url("pages/a/x.html", "pages/b/y.html"),
            "../b/y.html"
        );
        assert_eq!(
            relative_url("pages/a/x.html", "files/m/i.png"),
            "../../files/m/i.png"
        );
        assert_eq!(
            relative_url("index.html", "pages/a/x.html"),
            "pages/a/x.html"
        );
        assert_eq!(
            relative_url("pages/a/x.html", "index.html"),
            "../../index.html"
        );
        // A folder name that starts another is not shared; nor are folders after a difference.
        assert_eq!(
            relative_url("pages/a/x.html", "pages/ab/y.html"),
            "../ab/y.html"
        );
        assert_eq!(
            relative_url("p/a/q/x.html", "p/b/q/y.html"),
            "../../b/q/y.html"
        );
        assert_eq!(relative_url("a/x.html", "a/b/c/y.html"), "b/c/y.html");
    }

    #[test]
    fn file_hrefs_are_ascii_safe() {
        assert_eq!(
            file_href("01-intro/media/map.svg"),
            "files/01-intro/media/map.svg"
        );
        let href = file_href("01-Введение/Схема риска.png");
        assert!(
            href.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"/._-".contains(&b)),
            "{href}"
        );
    }
}
