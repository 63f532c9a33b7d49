//! The path rules every stage applies to what a course references: a path is relative, stays
//! inside the course folder once `..` is taken into account, and leads to a regular file or a
//! folder there, through no link that leaves the course.

use crate::diagnostics::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// Why a referenced path cannot go into a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathProblem {
    /// `..` climbs above the course folder.
    Escapes,
    /// An absolute path or a URL path starting with `/`.
    Absolute,
    /// A symlink (somewhere on the path) points outside the course folder.
    SymlinkEscapes,
    Missing,
    /// Not a regular file or folder: a FIFO, a socket or a device.
    NotAFile,
}

impl PathProblem {
    pub fn diagnostic(
        self,
        path: &str,
        position: Option<crate::diagnostics::Position>,
    ) -> Diagnostic {
        self.diagnostic_for(path, path, position)
    }

    /// `reference` is what the author wrote; `path` is the file that wrote it.
    pub fn diagnostic_for(
        self,
        path: &str,
        reference: &str,
        position: Option<crate::diagnostics::Position>,
    ) -> Diagnostic {
        let (message, help) = match self {
            PathProblem::Escapes => (
                format!("`{reference}` points outside the course folder"),
                "only files inside the course folder can be packaged; copy the file into the course",
            ),
            PathProblem::Absolute => (
                format!("`{reference}` is an absolute path"),
                "use a path relative to this file; LMSs serve packages under their own address",
            ),
            PathProblem::SymlinkEscapes => (
                format!("`{reference}` is a symbolic link to a file outside the course folder"),
                "copy the file into the course folder instead of linking to it",
            ),
            PathProblem::Missing => (
                format!("`{reference}` does not exist"),
                "check the spelling (names are case-sensitive) or add the file",
            ),
            PathProblem::NotAFile => (
                format!("`{reference}` is not a regular file"),
                "only ordinary files can be packaged; replace it with a copy of the file it stands for",
            ),
        };
        Diagnostic::error(path, position, message).with_help(help)
    }
}

/// Resolves `relative` (a `/`-separated path from the course root, which is canonical) to a
/// real file or folder inside the course, refusing `..` escapes and symlinks that lead out.
pub fn resolve_in_course(root: &Path, relative: &str) -> Result<PathBuf, PathProblem> {
    let normalized = normalize(relative)?;
    let joined = root.join(&normalized);
    // Without `..` and below a canonical root, the path is real unless one of its own
    // components is a link: looking at those few is far cheaper than resolving the whole path
    // again.
    let mut path = root.to_path_buf();
    for part in normalized.split('/').filter(|p| !p.is_empty()) {
        path.push(part);
        let kind = fs::symlink_metadata(&path)
            .map_err(|_| PathProblem::Missing)?
            .file_type();
        if kind.is_symlink() {
            let real = joined.canonicalize().map_err(|_| PathProblem::Missing)?;
            if !real.starts_with(root) {
                return Err(PathProblem::SymlinkEscapes);
            }
            let kind = fs::metadata(&real)
                .map_err(|_| PathProblem::Missing)?
                .file_type();
            if !kind.is_dir() && !kind.is_file() {
                return Err(PathProblem::NotAFile);
            }
            return Ok(real);
        }
        if !kind.is_dir() && !kind.is_file() {
            return Err(PathProblem::NotAFile);
        }
    }
    Ok(joined)
}

/// Lexically normalises a relative `/` path, refusing absolute paths and `..` above the root.
/// The same steps as `Path::components`, which cost more than everything else in resolving a
/// page's links (a link such as `../02-module/03-page.md` is resolved for every page).
pub fn normalize(relative: &str) -> Result<String, PathProblem> {
    // On Windows `\` separates too (`\\server\share` then starts with `/`), and a `:` makes a
    // drive (`C:x`) or stream name: these two tests refuse every absolute path there is.
    #[cfg(windows)]
    let relative = &relative.replace('\\', "/");
    if relative.starts_with(['/', '\\']) || (cfg!(windows) && relative.contains(':')) {
        return Err(PathProblem::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(PathProblem::Escapes)?;
            }
            part => parts.push(part),
        }
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn normalize_refuses_escapes_and_absolute_paths() {
        assert_eq!(normalize("a/./b/../c.png"), Ok("a/c.png".to_string()));
        assert_eq!(normalize("a/../../x"), Err(PathProblem::Escapes));
        assert_eq!(normalize("/etc/passwd"), Err(PathProblem::Absolute));
        for (path, normal) in [
            ("media/fig.png", "media/fig.png"),
            ("media//fig.png", "media/fig.png"),
            ("media/", "media"),
            ("./media/./fig.png", "media/fig.png"),
            ("a/..", ""),
            ("a..b/.c", "a..b/.c"),
        ] {
            assert_eq!(normalize(path).as_deref(), Ok(normal), "{path}");
        }
        assert_eq!(normalize(".."), Err(PathProblem::Escapes));
        // Only Windows reads `\` and `:` as parts of a path.
        if cfg!(windows) {
            assert_eq!(normalize("media\\fig.png").as_deref(), Ok("media/fig.png"));
            assert_eq!(normalize("C:fig.png"), Err(PathProblem::Absolute));
        } else {
            assert_eq!(normalize("a\\..\\b:c").as_deref(), Ok("a\\..\\b:c"));
        }
    }

    /// A course folder (canonical) and a folder beside it, outside the course.
    pub(crate) fn course_beside_outside() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap().join("course");
        let outside = root.with_file_name("outside");
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        (dir, root, outside)
    }

    #[cfg(unix)]
    #[test]
    fn references_resolve_inside_the_course_only() {
        use std::os::unix::fs::symlink;
        let (_dir, root, outside) = course_beside_outside();
        fs::create_dir_all(root.join("01-a/media")).unwrap();
        fs::write(root.join("01-a/media/x.png"), "x").unwrap();
        fs::write(outside.join("y.png"), "y").unwrap();
        symlink(root.join("01-a/media"), root.join("shared")).unwrap();
        symlink(&outside, root.join("01-a/elsewhere")).unwrap();
        symlink(outside.join("y.png"), root.join("01-a/media/y.png")).unwrap();

        let resolve = |relative| resolve_in_course(&root, relative);
        let is_dir = |relative| resolve(relative).map(|path| path.is_dir());
        assert_eq!(
            resolve("01-a/./media/x.png"),
            Ok(root.join("01-a/media/x.png"))
        );
        assert_eq!(resolve("01-a/media"), Ok(root.join("01-a/media")));
        assert_eq!(is_dir("01-a/media"), Ok(true));
        assert_eq!(is_dir("01-a/media/x.png"), Ok(false));
        assert_eq!(is_dir("shared"), Ok(true), "a linked folder inside");
        assert_eq!(
            resolve_in_course(&root, "01-a/media/x.png"),
            Ok(root.join("01-a/media/x.png"))
        );
        assert_eq!(
            resolve("shared/x.png"),
            Ok(root.join("01-a/media/x.png")),
            "a link that stays inside"
        );
        assert_eq!(
            resolve("01-a/elsewhere/y.png"),
            Err(PathProblem::SymlinkEscapes),
            "a linked folder"
        );
        assert_eq!(
            resolve("01-a/media/y.png"),
            Err(PathProblem::SymlinkEscapes),
            "a linked file"
        );
        assert_eq!(resolve("01-a/media/z.png"), Err(PathProblem::Missing));
        assert_eq!(resolve("01-a/nowhere/x.png"), Err(PathProblem::Missing));
        assert_eq!(resolve("../outside/y.png"), Err(PathProblem::Escapes));
    }
}
