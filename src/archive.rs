//! The deterministic zip writer: entries in a fixed order (what each [`ZipJob::add`] adds, in
//! sorted order), a fixed timestamp and permissions, no host metadata, so the same sources
//! give a byte-identical zip whatever the number of threads. Everything zip is the `zip`
//! crate's: text is deflated at level 6 on the thread pool into prepared entries
//! ([`ZipFileBuilder`]), while a writer thread appends them in order and streams
//! already-compressed media from disk into the zip (stored, never held in memory whole). The
//! zip is written to a temporary file beside the target and renamed into place only when
//! complete.

use crate::package::{Content, PackageFiles};
use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tempfile::NamedTempFile;
use zip::write::{SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, DateTime, PreparedZipFile, ZipWriter};

/// Course files of unknown type up to this size are deflated in memory and stored instead
/// when deflating does not make them smaller; larger ones are stored.
const SNIFF_IN_MEMORY_LIMIT: u64 = 16 << 20;

/// Told how many input bytes each entry took, as the writer goes (a progress bar).
pub type Progress = Box<dyn Fn(u64) + Send>;

/// Writes `files` as a zip at `output`; returns the zip's size in bytes.
pub fn write_zip(
    files: &PackageFiles,
    output: &Path,
    progress: impl Fn(u64) + Send + 'static,
) -> Result<u64> {
    let mut zip = ZipJob::start(output, Box::new(progress))?;
    zip.add(files)?;
    zip.finish()
}

/// A zip being written: a writer thread appends the entries in the order they are added,
/// streaming course files from disk, while the text of each [`ZipJob::add`] is deflated on
/// the thread pool. `build` adds the course files first, so that they stream into the zip
/// while the pages are templated. Nothing appears at the output path before
/// [`ZipJob::finish`]; a job dropped unfinished stops its writer and removes its file.
pub struct ZipJob {
    output: PathBuf,
    temporary: Option<NamedTempFile>,
    entries: Option<mpsc::Sender<Entry>>,
    writer: Option<JoinHandle<Result<u64>>>,
    stop: Arc<AtomicBool>,
    /// Names already added: adding a package after its course files skips them.
    added: HashSet<String>,
}

impl ZipJob {
    pub fn start(output: &Path, progress: Progress) -> Result<ZipJob> {
        let temporary = temporary_output(output, ".zip.partial")?;
        let file = temporary.reopen()?;
        let (entries, received) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let writer = std::thread::Builder::new()
            .name("zip writer".into())
            .spawn(move || write_entries(received, file, &stopped, progress))
            .context("cannot start the zip writer thread")?;
        Ok(ZipJob {
            output: output.to_path_buf(),
            temporary: Some(temporary),
            entries: Some(entries),
            writer: Some(writer),
            stop,
            added: HashSet::new(),
        })
    }

    /// Adds the entries of `files` not added before, in their (sorted) order, and returns
    /// once their text is deflated; the writer goes on streaming in the background.
    pub fn add(&mut self, files: &PackageFiles) -> Result<()> {
        let plans: Vec<(&str, Plan)> = files
            .par_iter()
            .filter(|(name, _)| !self.added.contains(name.as_str()))
            .map(|(name, content)| Ok((name.as_str(), plan(name, content)?)))
            .collect::<Result<_>>()?;
        self.added
            .extend(plans.iter().map(|(name, _)| name.to_string()));
        let entries = self
            .entries
            .as_ref()
            .expect("entries are open until finish");
        let mut batches = Vec::new();
        for step in steps(plans) {
            let entry = match step {
                Step::Deflate(batch) => {
                    let (sender, prepared) = mpsc::sync_channel(1);
                    let entry = Entry::Prepared {
                        first: batch[0].0.to_string(),
                        input: batch.iter().map(|(_, bytes)| bytes.len() as u64).sum(),
                        prepared,
                    };
                    batches.push((batch, sender));
                    entry
                }
                Step::Store(name, path) => Entry::Stored {
                    name: name.to_string(),
                    path: path.to_path_buf(),
                },
            };
            if entries.send(entry).is_err() {
                // The writer failed: say why.
                return Err(self
                    .join_writer()
                    .err()
                    .unwrap_or_else(|| anyhow!("the zip writer stopped")));
            }
        }
        // One task per batch: the batches cluster where the pages sort, and rayon's default
        // split would leave them in one thread's share while the other core idles.
        batches
            .into_par_iter()
            .with_max_len(1)
            .for_each(|(batch, sender)| {
                // A writer that failed no longer listens; `finish` reports its error.
                let _ = sender.send(
                    batch
                        .iter()
                        .map(|(name, bytes)| prepare(name, bytes))
                        .collect(),
                );
            });
        Ok(())
    }

    /// Waits for the writer and moves the complete zip to the output path; returns its size.
    pub fn finish(mut self) -> Result<u64> {
        self.entries = None;
        let size = self.join_writer()?;
        let temporary = self
            .temporary
            .take()
            .expect("the file is kept until finish");
        temporary.persist(&self.output).with_context(|| {
            format!("cannot move the finished zip to {}", self.output.display())
        })?;
        Ok(size)
    }

    fn join_writer(&mut self) -> Result<u64> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| anyhow!("the zip writer stopped"))?;
        writer
            .join()
            .map_err(|_| anyhow!("the zip writer thread panicked"))?
    }
}

impl Drop for ZipJob {
    fn drop(&mut self) {
        if self.writer.is_some() {
            self.stop.store(true, Ordering::Relaxed);
            self.entries = None;
            let _ = self.join_writer();
        }
    }
}

/// What the writer is sent, in zip order.
enum Entry {
    /// A batch of text entries, deflated on the pool; they arrive on `prepared`.
    Prepared {
        first: String,
        input: u64,
        prepared: mpsc::Receiver<Result<Vec<PreparedZipFile>>>,
    },
    /// A course file streamed from disk.
    Stored { name: String, path: PathBuf },
}

fn write_entries(
    entries: mpsc::Receiver<Entry>,
    file: File,
    stop: &AtomicBool,
    progress: Progress,
) -> Result<u64> {
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let mut buffer = vec![0u8; 1 << 20];
    for entry in entries {
        match entry {
            Entry::Prepared {
                first,
                input,
                prepared,
            } => {
                let batch = prepared
                    .recv()
                    .map_err(|_| anyhow!("{first} was not deflated"))??;
                zip.add_prepared_files(batch)
                    .with_context(|| format!("cannot add {first} to the zip"))?;
                progress(input);
            }
            Entry::Stored { name, path } => {
                zip.start_file(name.as_str(), stored_options())
                    .with_context(|| format!("cannot add {name} to the zip"))?;
                let mut source = crate::fs::open(&path)?;
                loop {
                    if stop.load(Ordering::Relaxed) {
                        bail!("stopped");
                    }
                    let n = source
                        .read(&mut buffer)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    if n == 0 {
                        break;
                    }
                    zip.write_all(&buffer[..n])?;
                    progress(n as u64);
                }
            }
        }
    }
    let writer = zip.finish().context("cannot finish the zip")?;
    // No fsync: the rename publishes a complete file, and forcing 300 MB to disk would
    // double the build time of a large course for protection against power loss only.
    let file = writer.into_inner().map_err(|err| err.into_error())?;
    Ok(file.metadata()?.len())
}

/// The folder `output` goes into, created when missing (`.` for a bare file name).
pub fn output_folder(output: &Path) -> Result<&Path> {
    let dir = output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::fs::create_dir_all(dir)?;
    Ok(dir)
}

/// A temporary file beside `output`, to be persisted onto it once complete. Temporary files
/// are private (0600); an output is an ordinary file that others copy and upload, so it gets
/// what any new file gets under the user's umask.
pub fn temporary_output(output: &Path, suffix: &str) -> Result<NamedTempFile> {
    let dir = output_folder(output)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".coursepack-").suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let file = builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    crate::lock(&UNFINISHED).push(file.path().to_path_buf());
    Ok(file)
}

/// A temporary folder beside `output` (a course being written), to be renamed onto it.
pub fn temporary_folder(output: &Path) -> Result<tempfile::TempDir> {
    let dir = output_folder(output)?;
    let folder = tempfile::Builder::new()
        .prefix(".coursepack-")
        .tempdir_in(dir)
        .with_context(|| format!("cannot create a temporary folder in {}", dir.display()))?;
    crate::lock(&UNFINISHED).push(folder.path().to_path_buf());
    Ok(folder)
}

/// Temporary outputs made by this process. Dropping one removes it, but a signal ends the
/// process without drops: [`remove_unfinished_on_interrupt`] removes them then. One that was
/// finished has been renamed away and is not there to remove.
static UNFINISHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On Ctrl-C, SIGTERM or SIGHUP: removes every unfinished output and exits with 130, as an
/// interrupted command does, leaving nothing half-written beside the outputs (a `.partial`
/// zip as large as the package was left before).
pub fn remove_unfinished_on_interrupt() -> Result<()> {
    ctrlc::set_handler(|| {
        let removed = crate::lock(&UNFINISHED)
            .iter()
            .filter(|path| {
                std::fs::remove_file(path)
                    .or_else(|_| std::fs::remove_dir_all(path))
                    .is_ok()
            })
            .count();
        if removed > 0 {
            eprintln!("interrupted: the unfinished output was removed");
        }
        std::process::exit(130);
    })
    .context("cannot watch for interruptions")
}

/// How an entry goes into the zip.
enum Plan<'a> {
    /// Deflated in memory (on the pool); stored if deflating does not help.
    Deflate(Cow<'a, [u8]>),
    /// Streamed from disk, stored.
    Store(&'a Path),
}

/// Entries deflated together are at most this many...
const BATCH_ENTRIES: usize = 64;
/// ...or this many input bytes: enough that a pool task and a message to the writer serve
/// many pages, small enough to keep every core busy.
const BATCH_BYTES: usize = 1 << 20;

/// One step of the writer, in zip order.
enum Step<'a> {
    /// Consecutive in-memory entries, deflated together by one pool task and appended by the
    /// writer in order.
    Deflate(Vec<(&'a str, Cow<'a, [u8]>)>),
    /// A course file streamed from disk by the writer.
    Store(&'a str, &'a Path),
}

/// Groups the plans, in order, into steps. Batches depend only on the files, never on the
/// number of threads, so the zip is the same on any machine.
fn steps<'a>(plans: Vec<(&'a str, Plan<'a>)>) -> Vec<Step<'a>> {
    let mut steps = Vec::new();
    let mut batch: Vec<(&str, Cow<[u8]>)> = Vec::new();
    let mut batch_bytes = 0;
    for (name, plan) in plans {
        match plan {
            Plan::Deflate(bytes) => {
                let full = batch.len() == BATCH_ENTRIES || batch_bytes + bytes.len() > BATCH_BYTES;
                if full && !batch.is_empty() {
                    steps.push(Step::Deflate(std::mem::take(&mut batch)));
                    batch_bytes = 0;
                }
                batch_bytes += bytes.len();
                batch.push((name, bytes));
            }
            Plan::Store(path) => {
                if !batch.is_empty() {
                    steps.push(Step::Deflate(std::mem::take(&mut batch)));
                    batch_bytes = 0;
                }
                steps.push(Step::Store(name, path));
            }
        }
    }
    if !batch.is_empty() {
        steps.push(Step::Deflate(batch));
    }
    steps
}

fn plan<'a>(name: &str, content: &'a Content) -> Result<Plan<'a>> {
    Ok(match content {
        Content::Bytes(bytes) => Plan::Deflate(Cow::Borrowed(bytes)),
        Content::File(path) => {
            if is_compressed_type(name) {
                return Ok(Plan::Store(path));
            }
            let size = crate::fs::metadata(path)?.len();
            if size > SNIFF_IN_MEMORY_LIMIT || starts_like_compressed(path)? {
                Plan::Store(path)
            } else {
                let bytes = crate::fs::read(path)?;
                Plan::Deflate(Cow::Owned(bytes))
            }
        }
    })
}

/// Every entry's permissions, `rw-r--r--`, and time, [`DateTime::default`] (1980-01-01
/// 00:00): nothing of the host in a package. Stored and deflated entries both take them
/// from here.
const ENTRY_PERMISSIONS: u32 = 0o644;

/// How the writer stores course files.
fn stored_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(ENTRY_PERMISSIONS)
}

/// How text entries are deflated.
fn deflated_options() -> SimpleFileOptions {
    stored_options()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
}

/// One in-memory entry deflated at level 6, or stored when deflate does not make it smaller.
fn prepare(name: &str, bytes: &[u8]) -> Result<PreparedZipFile> {
    if name.len() > usize::from(u16::MAX) {
        bail!("{name} is too long a name for a zip");
    }
    let prepared = |options| -> Result<PreparedZipFile> {
        let mut builder = ZipFileBuilder::new(name, options)?;
        builder.write_all(bytes)?;
        builder
            .finish()
            .with_context(|| format!("cannot deflate {name}"))
    };
    let deflated = prepared(deflated_options())?;
    // Deflated further than validate lets an entry expand, it would be reported as a zip
    // bomb (a large file of one repeated byte): such an entry is stored.
    let size = deflated.compressed_size();
    let bomb_like = bytes.len() as u64 > crate::zip_limits::SMALL_ENTRY
        && bytes.len() as u64 / size.max(1) > crate::zip_limits::MAX_RATIO;
    if size < bytes.len() as u64 && !bomb_like {
        Ok(deflated)
    } else {
        prepared(stored_options())
    }
}

/// Formats whose data is already compressed, by extension: deflating them costs time and
/// saves nothing.
fn is_compressed_type(name: &str) -> bool {
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

/// Recognises compressed formats by their first bytes, for files named oddly.
fn starts_like_compressed(path: &Path) -> Result<bool> {
    let mut head = [0u8; 12];
    let mut file = crate::fs::open(path)?;
    let n = read_up_to(&mut file, &mut head)?;
    let head = &head[..n];
    let signatures: &[&[u8]] = &[
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"PK\x03\x04",
        b"\x1f\x8b",
        b"%PDF",
        b"\x1a\x45\xdf\xa3",
        b"OggS",
        b"ID3",
        b"wOF2",
        b"wOFF",
        b"7z\xbc\xaf",
    ];
    let mp4 = head.len() >= 8 && &head[4..8] == b"ftyp";
    let webp = head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP";
    Ok(mp4 || webp || signatures.iter().any(|s| head.starts_with(s)))
}

fn read_up_to(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// General-purpose flag bit 11: the name is UTF-8.
    const UTF8_NAME: u16 = 1 << 11;

    fn sample() -> PackageFiles {
        let mut files = PackageFiles::new();
        files.insert(
            "index.html".into(),
            Content::Bytes(b"<p>hello hello hello</p>".repeat(50).into()),
        );
        files.insert("files/a.png".into(), Content::Bytes(vec![7; 1000].into()));
        files.insert(
            "imsmanifest.xml".into(),
            Content::Bytes(b"<manifest><file/></manifest>".repeat(4).into()),
        );
        files
    }

    fn no_progress(_: u64) {}

    #[test]
    fn same_files_give_identical_zips() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
        write_zip(&sample(), &a, no_progress).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        write_zip(&sample(), &b, no_progress).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    }

    #[test]
    fn entries_are_sorted_media_stored_text_deflated() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("clip.bin");
        // An MP4 signature under an unknown extension, and random-looking bytes deflate cannot shrink.
        std::fs::write(
            &media,
            [b"\0\0\0\x18ftypisom".as_slice(), &[0u8; 64]].concat(),
        )
        .unwrap();
        let noisy = dir.path().join("noise.dat");
        std::fs::write(&noisy, noise(4096, 0x2545_f491_4f6c_dd1d)).unwrap();
        let notes = dir.path().join("notes.dat");
        std::fs::write(&notes, "plain text ".repeat(100)).unwrap();
        let mut files = sample();
        files.insert("files/clip.bin".into(), Content::File(media));
        files.insert("files/noise.dat".into(), Content::File(noisy));
        files.insert("files/notes.dat".into(), Content::File(notes));
        let path = dir.path().join("out").join("p.zip");
        write_zip(&files, &path, no_progress).unwrap();
        let mut zip = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let listing: Vec<(String, CompressionMethod)> = (0..zip.len())
            .map(|i| {
                let file = zip.by_index(i).unwrap();
                (file.name().unwrap().to_string(), file.compression())
            })
            .collect();
        use CompressionMethod::{Deflated, Stored};
        assert_eq!(
            listing,
            vec![
                ("files/a.png".to_string(), Deflated),
                ("files/clip.bin".to_string(), Stored),
                ("files/noise.dat".to_string(), Stored),
                ("files/notes.dat".to_string(), Deflated),
                ("imsmanifest.xml".to_string(), Deflated),
                ("index.html".to_string(), Deflated),
            ],
            "in-memory entries are deflated; files are stored by extension, by signature, or when deflate does not help"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers,
            vec![std::ffi::OsString::from("p.zip")],
            "no temporary file is left behind"
        );
    }

    /// The zip's entry names, in zip order.
    fn entry_names(path: &Path) -> Vec<String> {
        let mut zip = zip::ZipArchive::new(File::open(path).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
            .collect()
    }

    /// Pseudo-random bytes that deflate cannot shrink.
    fn noise(len: usize, mut state: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn batches_keep_every_entry_whatever_the_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        std::fs::write(&clip, noise(3000, 7)).unwrap();
        // More entries than one batch holds, a stored file between them, and entries that
        // deflate cannot shrink (noise, and one too short to gain) in the middle of a batch.
        let mut files = PackageFiles::new();
        // The first entry alone is larger than a batch.
        let large = "<p>large</p>".repeat(BATCH_BYTES / 10);
        files.insert(
            "pages/000-large.html".into(),
            Content::Bytes(large.into_bytes().into()),
        );
        for i in 0..3 * BATCH_ENTRIES {
            let text = format!("<p>page {i}</p>").repeat(20 + i);
            files.insert(
                format!("pages/{i:03}.html"),
                Content::Bytes(text.into_bytes().into()),
            );
        }
        files.insert(
            "pages/050-noise.bin".into(),
            Content::Bytes(noise(2000, 3).into()),
        );
        files.insert(
            "pages/100-x.txt".into(),
            Content::Bytes(b"x".to_vec().into()),
        );
        files.insert("pages/070.mp4".into(), Content::File(clip));
        let zip_with = |threads: usize, name: &str| {
            let path = dir.path().join(name);
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| write_zip(&files, &path, no_progress))
                .unwrap();
            std::fs::read(path).unwrap()
        };
        let one = zip_with(1, "one.zip");
        assert_eq!(
            one,
            zip_with(4, "four.zip"),
            "the same bytes on 1 and 4 threads"
        );

        let mut zip = zip::ZipArchive::new(Cursor::new(one)).unwrap();
        let names: Vec<&String> = files.keys().collect();
        assert_eq!(zip.len(), names.len());
        for (i, (name, content)) in files.iter().enumerate() {
            let mut entry = zip.by_index(i).unwrap();
            assert_eq!(entry.name().unwrap(), name.as_str(), "entry {i} in order");
            let expected = match content {
                Content::Bytes(bytes) => bytes.to_vec(),
                Content::File(path) => std::fs::read(path).unwrap(),
            };
            let stored = matches!(
                name.as_str(),
                "pages/050-noise.bin" | "pages/100-x.txt" | "pages/070.mp4"
            );
            let method = if stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            assert_eq!(entry.compression(), method, "{name}");
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read, expected, "{name} reads back as written");
        }
    }

    #[test]
    fn deflated_and_stored_entries_carry_the_same_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        std::fs::write(&clip, noise(500, 11)).unwrap();
        let mut files = PackageFiles::new();
        // Deflated in a batch, stored in a batch (too short to gain), streamed by the writer.
        let translated = "pages/урок-ünïcode.html";
        files.insert(
            translated.into(),
            Content::Bytes("<p>Привет</p>".repeat(40).into_bytes().into()),
        );
        files.insert("pages/x.txt".into(), Content::Bytes(b"x".to_vec().into()));
        files.insert("files/clip.mp4".into(), Content::File(clip));
        let path = dir.path().join("p.zip");
        write_zip(&files, &path, no_progress).unwrap();

        let mut zip = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let mut seen = Vec::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            assert_eq!(entry.unix_mode(), Some(0o100_644), "{name}");
            assert_eq!(entry.last_modified(), Some(DateTime::default()), "{name}");
            let marked_utf8 = entry.flags().as_u16() & UTF8_NAME != 0;
            assert_eq!(marked_utf8, !name.is_ascii(), "{name}: UTF-8 flag");
            let mut read = Vec::new();
            entry.read_to_end(&mut read).unwrap();
            assert_eq!(read.len() as u64, entry.size(), "{name}");
            seen.push((name, entry.compression()));
        }
        use CompressionMethod::{Deflated, Stored};
        assert_eq!(
            seen,
            vec![
                ("files/clip.mp4".to_string(), Stored),
                ("pages/x.txt".to_string(), Stored),
                (translated.to_string(), Deflated),
            ],
            "a UTF-8 name reads back as written"
        );
    }

    #[test]
    fn each_addition_goes_in_once_in_the_order_added() {
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        std::fs::write(&clip, noise(5000, 11)).unwrap();
        let mut course_files = PackageFiles::new();
        course_files.insert("files/clip.mp4".into(), Content::File(clip));
        course_files.insert(
            "files/notes.txt".into(),
            Content::Bytes(b"notes ".repeat(40).into()),
        );
        let mut package = course_files.clone();
        package.insert(
            "assets/a.css".into(),
            Content::Bytes(b"a { }".repeat(40).into()),
        );
        package.insert(
            "index.html".into(),
            Content::Bytes(b"<p>x</p>".repeat(40).into()),
        );

        let path = dir.path().join("p.zip");
        let mut zip = ZipJob::start(&path, Box::new(no_progress)).unwrap();
        zip.add(&course_files).unwrap();
        zip.add(&package).unwrap();
        zip.finish().unwrap();
        let listing = entry_names(&path);
        assert_eq!(
            listing,
            [
                "files/clip.mp4",
                "files/notes.txt",
                "assets/a.css",
                "index.html"
            ],
            "what was added first comes first; what was added again is not repeated"
        );

        // Added in one go, the same files come in sorted order.
        write_zip(&package, &path, no_progress).unwrap();
        let listing = entry_names(&path);
        assert_eq!(
            listing,
            [
                "assets/a.css",
                "files/clip.mp4",
                "files/notes.txt",
                "index.html"
            ]
        );
    }

    #[test]
    fn a_job_dropped_unfinished_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        std::fs::create_dir(&media).unwrap();
        let mut files = PackageFiles::new();
        for i in 0..20 {
            let path = media.join(format!("{i}.mp4"));
            std::fs::write(&path, noise(4 << 20, i + 1)).unwrap();
            files.insert(format!("files/{i}.mp4"), Content::File(path));
        }
        let out = dir.path().join("out");
        let mut zip = ZipJob::start(&out.join("p.zip"), Box::new(no_progress)).unwrap();
        zip.add(&files).unwrap();
        drop(zip);
        assert_eq!(
            std::fs::read_dir(&out).unwrap().count(),
            0,
            "neither a package nor a temporary file"
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
        assert!(write_zip(&files, &path, no_progress).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_name_too_long_for_a_zip_header_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.zip");
        let mut files = sample();
        let name = format!("pages/{}.html", "a".repeat(usize::from(u16::MAX)));
        files.insert(name, Content::Bytes(b"<p>long</p>".to_vec().into()));
        let err = write_zip(&files, &path, no_progress).unwrap_err();
        assert!(
            format!("{err:#}").contains("too long a name for a zip"),
            "{err:#}"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn packages_get_the_permissions_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let package = dir.path().join("p.zip");
        write_zip(&sample(), &package, no_progress).unwrap();
        let ordinary = dir.path().join("ordinary.txt");
        std::fs::write(&ordinary, "x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(
            mode(&package),
            mode(&ordinary),
            "not left private like a temporary file"
        );
    }
}
