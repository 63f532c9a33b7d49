//! The file-system calls coursepack makes, each failing with the path and what was being done
//! ("cannot write dist/x.zip: No space left on device"), never the bare system message.

use anyhow::{Context, Result};
use std::fs::{File, Metadata, ReadDir};
use std::path::Path;

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn open(path: &Path) -> Result<File> {
    File::open(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn metadata(path: &Path) -> Result<Metadata> {
    std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn read_dir(path: &Path) -> Result<ReadDir> {
    std::fs::read_dir(path).with_context(|| format!("cannot read folder {}", path.display()))
}

/// Whether `path` is a folder with something in it.
pub fn has_entries(path: &Path) -> Result<bool> {
    Ok(read_dir(path)?.next().is_some())
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder {}", path.display()))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move {} to {}", from.display(), to.display()))
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path)
        .with_context(|| format!("cannot remove folder {}", path.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failure_names_the_path_and_the_action() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing").join("course.toml");
        let err = super::write(&missing, "x").unwrap_err();
        let shown = format!("{err:#}");
        assert!(
            shown.starts_with(&format!("cannot write {}: ", missing.display())),
            "{shown}"
        );
        let err = super::copy(&missing, &dir.path().join("b")).unwrap_err();
        assert!(format!("{err:#}").starts_with("cannot copy "), "{err:#}");
    }
}
