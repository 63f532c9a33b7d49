//! The deterministic zip writer: entries in sorted order, a fixed timestamp and permissions,
//! no host metadata, so the same sources give a byte-identical zip. Text is deflated, media
//! that is already compressed is stored, and course files are streamed from disk. The zip is
//! written to a temporary file beside the target and renamed into place only when complete.

use crate::package::{Content, PackageFiles};
use anyhow::{Context, Result};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// Writes `files` as a zip at `output`; returns the zip's size in bytes.
pub fn write_zip(files: &PackageFiles, output: &Path) -> Result<u64> {
    let dir = output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output folder {}", dir.display()))?;
    let temporary = tempfile::Builder::new()
        .prefix(".coursepack-")
        .suffix(".zip.partial")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    let mut zip = ZipWriter::new(io::BufWriter::new(temporary.reopen()?));
    for (name, content) in files {
        let method = if is_compressed(name) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .compression_level((method == CompressionMethod::Deflated).then_some(6))
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("cannot add {name} to the zip"))?;
        match content {
            Content::Bytes(bytes) => zip.write_all(bytes)?,
            Content::File(path) => {
                let mut file =
                    File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
                io::copy(&mut file, &mut zip)
                    .with_context(|| format!("cannot read {}", path.display()))?;
            }
        }
    }
    let mut writer = zip.finish().context("cannot finish the zip")?;
    writer.flush()?;
    writer.get_ref().sync_all()?;
    drop(writer);
    let size = temporary.as_file().metadata()?.len();
    temporary
        .persist(output)
        .with_context(|| format!("cannot move the finished zip to {}", output.display()))?;
    Ok(size)
}

/// Formats whose data is already compressed: deflating them costs time and saves nothing.
fn is_compressed(name: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "jpg", "jpeg", "png", "gif", "webp", "avif", "mp4", "m4v", "m4a", "mov", "webm", "mp3",
        "ogg", "oga", "ogv", "opus", "aac", "zip", "gz", "7z", "pdf", "woff", "woff2", "docx",
        "xlsx", "pptx", "odt", "ods", "odp", "epub",
    ];
    let extension = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    EXTENSIONS.contains(&extension.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PackageFiles {
        let mut files = PackageFiles::new();
        files.insert(
            "index.html".into(),
            Content::Bytes(b"<p>hello hello hello</p>".repeat(50)),
        );
        files.insert("files/a.png".into(), Content::Bytes(vec![7; 1000]));
        files.insert(
            "imsmanifest.xml".into(),
            Content::Bytes(b"<manifest/>".to_vec()),
        );
        files
    }

    #[test]
    fn same_files_give_identical_zips() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
        write_zip(&sample(), &a).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_zip(&sample(), &b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn entries_are_sorted_media_stored_text_deflated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.zip");
        write_zip(&sample(), &path).unwrap();
        let mut zip = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let in_order: Vec<String> = (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
            .collect();
        assert_eq!(
            in_order,
            vec!["files/a.png", "imsmanifest.xml", "index.html"]
        );
        assert_eq!(
            zip.by_name("files/a.png").unwrap().compression(),
            CompressionMethod::Stored
        );
        assert_eq!(
            zip.by_name("index.html").unwrap().compression(),
            CompressionMethod::Deflated
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers,
            vec![std::ffi::OsString::from("p.zip")],
            "no temporary file is left behind"
        );
    }

    #[test]
    fn failed_write_leaves_no_file_at_the_output_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.zip");
        let mut files = sample();
        files.insert(
            "files/missing.mp4".into(),
            Content::File(dir.path().join("missing.mp4")),
        );
        assert!(write_zip(&files, &path).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
