//! The deterministic zip writer: entries in a fixed order (what each [`ZipJob::add`] adds, in
//! sorted order), a fixed timestamp and permissions, no host metadata, so the same sources
//! give a byte-identical zip whatever the number of threads. Text is deflated at level 6 on
//! the thread pool, in batches that share a compressor, while a writer thread streams
//! already-compressed media from disk into the zip (stored, checksummed once, never held in
//! memory whole). The zip is written to a temporary file beside the target and renamed into
//! place only when complete.

use crate::package::{Content, PackageFiles};
use anyhow::{Context, Result, anyhow, bail};
use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;
use tempfile::NamedTempFile;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

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
                    let (sender, deflated) = mpsc::sync_channel(1);
                    let entry = Entry::Deflated {
                        first: batch[0].0.to_string(),
                        input: batch.iter().map(|(_, bytes)| bytes.len() as u64).sum(),
                        deflated,
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
                let _ = sender.send(deflate_batch(&batch));
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
    /// A batch of text entries, deflated on the pool into a small zip of their own that
    /// arrives on `deflated` and is appended whole.
    Deflated {
        first: String,
        input: u64,
        deflated: mpsc::Receiver<Result<Deflated>>,
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
    // A buffer smaller than most media: they go from `buffer` straight to the file rather
    // than being copied through it (a profile of the large build: 12 % less writer CPU than
    // with a 1 MiB buffer); headers and deflated batches are still gathered.
    let mut zip = ZipWriter::new(BufWriter::with_capacity(64 << 10, OutputFile::new(file)));
    let mut buffer = vec![0u8; 1 << 20];
    for entry in entries {
        match entry {
            Entry::Deflated {
                first,
                input,
                deflated,
            } => {
                let batch = deflated
                    .recv()
                    .map_err(|_| anyhow!("{first} was not deflated"))??;
                zip.merge_archive(batch)
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
    let mut writer = zip.finish().context("cannot finish the zip")?;
    writer.flush()?;
    // No fsync: the rename publishes a complete file, and forcing 300 MB to disk would
    // double the build time of a large course for protection against power loss only.
    let OutputFile { file, end, .. } = writer.into_inner().map_err(|err| err.into_error())?;
    // Frees the space reserved past the end.
    file.set_len(end)?;
    Ok(end)
}

/// The zip file being written. Disk space is reserved ahead of the writes (Linux, where the
/// file system can): writing into reserved space takes a sixth less kernel time than
/// allocating block by block as the data comes (ext4, 300 MB: 137 → 113 ms); the reservation
/// does not change the file's size. The position is kept here and each write says where it
/// goes, so the zip writer's thousands of position queries and trips back to entry headers
/// cost no system call.
struct OutputFile {
    file: File,
    position: u64,
    /// Where the data ends: the file is new, and only these writes make it grow.
    end: u64,
    /// Reserved up to here; `u64::MAX` once the file system has refused.
    reserved: u64,
}

impl OutputFile {
    /// The reservation grows with the file, by as much again as reserved so far within these
    /// bounds: a small package reserves little, a large one makes few calls.
    const MIN_STEP: u64 = 1 << 20;
    const MAX_STEP: u64 = 64 << 20;

    fn new(file: File) -> OutputFile {
        OutputFile {
            file,
            position: 0,
            end: 0,
            reserved: 0,
        }
    }

    fn reserve_for(&mut self, end: u64) {
        while end > self.reserved {
            let step = self.reserved.clamp(Self::MIN_STEP, Self::MAX_STEP);
            if reserve(&self.file, self.reserved, step).is_err() {
                // Not supported here (or no space, which the writes themselves will report).
                self.reserved = u64::MAX;
                return;
            }
            self.reserved += step;
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.reserve_for(self.position + buf.len() as u64);
        let n = write_at(&self.file, buf, self.position)?;
        self.position += n as u64;
        self.end = self.end.max(self.position);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl Seek for OutputFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let position = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            SeekFrom::End(delta) => self.end.checked_add_signed(delta),
        };
        self.position = position.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the zip",
            )
        })?;
        Ok(self.position)
    }
}

#[cfg(unix)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::write_at(file, buf, offset)
}

#[cfg(windows)]
fn write_at(file: &File, buf: &[u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_write(file, buf, offset)
}

/// Reserves `len` bytes of disk space from `offset` without changing the file's size.
#[cfg(target_os = "linux")]
fn reserve(file: &File, offset: u64, len: u64) -> io::Result<()> {
    use rustix::fs::{FallocateFlags, fallocate};
    Ok(fallocate(file, FallocateFlags::KEEP_SIZE, offset, len)?)
}

#[cfg(not(target_os = "linux"))]
fn reserve(_: &File, _: u64, _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
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
/// ...or this many input bytes: enough that a pool task, a compressor, an in-memory zip and
/// a message to the writer serve many pages, small enough to keep every core busy.
const BATCH_BYTES: usize = 1 << 20;

/// One step of the writer, in zip order.
enum Step<'a> {
    /// Consecutive in-memory entries, deflated on the pool into a small zip of their own that
    /// the writer appends whole.
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
/// 00:00): nothing of the host in a package. Course files and deflated batches both take them
/// from here.
const ENTRY_PERMISSIONS: u32 = 0o644;

/// How the writer stores course files.
fn stored_options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(DateTime::default())
        .unix_permissions(ENTRY_PERMISSIONS)
}

/// The batch's entries deflated at level 6, in order, into a zip in memory. An entry that
/// deflate does not make smaller is stored instead.
///
/// libdeflate, not the zip crate's flate2, deflates: on the 1,000-page corpus it takes a fifth
/// less time (8.7 MB of pages: 128 ms against 165 ms for zlib-rs) for output 0.5 % smaller.
/// The zip crate takes already-deflated data only from another zip, so the batch is framed
/// here as the plainest zip there is (see [`BatchEntry`]) and read back by the zip crate,
/// which checks the framing, before the writer merges it.
fn deflate_batch(batch: &[(&str, Cow<[u8]>)]) -> Result<Deflated> {
    let level = CompressionLvl::new(6).expect("6 is a deflate level");
    let mut compressor = Compressor::new(level);
    let input: usize = batch.iter().map(|(_, bytes)| bytes.len()).sum();
    let mut zip = Vec::with_capacity(input / 2);
    let mut directory = Vec::new();
    let mut deflated = Vec::new();
    for (name, bytes) in batch {
        let bound = compressor.deflate_compress_bound(bytes.len());
        if deflated.len() < bound {
            deflated.resize(bound, 0);
        }
        let size = compressor
            .deflate_compress(bytes, &mut deflated)
            .map_err(|err| anyhow!("cannot deflate {name}: {err:?}"))?;
        // Deflated further than validate lets an entry expand, it would be reported as a zip
        // bomb (a large file of one repeated byte): such an entry is stored.
        let bomb_like = bytes.len() as u64 > crate::zip_limits::SMALL_ENTRY
            && bytes.len() as u64 / (size as u64).max(1) > crate::zip_limits::MAX_RATIO;
        let (method, data) = if size < bytes.len() && !bomb_like {
            (METHOD_DEFLATED, &deflated[..size])
        } else {
            (METHOD_STORED, &bytes[..])
        };
        let entry = BatchEntry {
            name,
            name_length: u16::try_from(name.len())
                .map_err(|_| anyhow!("{name} is too long a name for a zip"))?,
            method,
            crc32: libdeflater::crc32(bytes),
            compressed_size: zip32(data.len(), name)?,
            size: zip32(bytes.len(), name)?,
        };
        entry.write_central_header(&mut directory, zip32(zip.len(), name)?);
        entry.write_local_header(&mut zip);
        zip.extend_from_slice(data);
    }
    let first = batch.first().map_or("", |(name, _)| *name);
    let directory_start = zip32(zip.len(), first)?;
    let count = u16::try_from(batch.len()).expect("a batch holds at most BATCH_ENTRIES");
    zip.extend_from_slice(&directory);
    zip.extend_from_slice(&END_OF_DIRECTORY.to_le_bytes());
    zip.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    zip.extend_from_slice(&count.to_le_bytes()); // entries on this disk
    zip.extend_from_slice(&count.to_le_bytes()); // entries in all
    zip.extend_from_slice(&zip32(directory.len(), first)?.to_le_bytes());
    zip.extend_from_slice(&directory_start.to_le_bytes());
    zip.extend_from_slice(&[0; 2]); // no comment
    ZipArchive::new(Cursor::new(zip))
        .with_context(|| format!("the deflated batch from {first} does not read back"))
}

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
const METHOD_STORED: u16 = 0;
const METHOD_DEFLATED: u16 = 8;
/// "Made by" Unix (3), zip 2.0, so that readers apply the permissions below.
const MADE_BY_UNIX: u16 = 3 << 8 | 20;
/// A regular file with [`ENTRY_PERMISSIONS`], in the high half of the external attributes.
const REGULAR_FILE: u32 = (0o100_000 | ENTRY_PERMISSIONS) << 16;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAME: u16 = 1 << 11;

/// One entry of a deflated batch, described as zip headers give it: no extra fields, no data
/// descriptor, no zip64 (a batch is small: [`zip32`] refuses anything that is not).
struct BatchEntry<'a> {
    name: &'a str,
    name_length: u16,
    method: u16,
    crc32: u32,
    compressed_size: u32,
    size: u32,
}

impl BatchEntry<'_> {
    fn write_local_header(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&LOCAL_HEADER.to_le_bytes());
        self.write_common_fields(out);
        out.extend_from_slice(self.name.as_bytes());
    }

    fn write_central_header(&self, out: &mut Vec<u8>, local_header_offset: u32) {
        out.extend_from_slice(&CENTRAL_HEADER.to_le_bytes());
        out.extend_from_slice(&MADE_BY_UNIX.to_le_bytes());
        self.write_common_fields(out);
        out.extend_from_slice(&[0; 6]); // no comment, disk 0, no internal attributes
        out.extend_from_slice(&REGULAR_FILE.to_le_bytes());
        out.extend_from_slice(&local_header_offset.to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
    }

    /// From "version needed" to "extra field length": the same in both headers.
    fn write_common_fields(&self, out: &mut Vec<u8>) {
        let version_needed: u16 = if self.method == METHOD_DEFLATED {
            20
        } else {
            10
        };
        let flags = if self.name.is_ascii() { 0 } else { UTF8_NAME };
        let time = DateTime::default();
        for field in [
            version_needed,
            flags,
            self.method,
            time.timepart(),
            time.datepart(),
        ] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        for field in [self.crc32, self.compressed_size, self.size] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        out.extend_from_slice(&self.name_length.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // no extra field
    }
}

/// A size or offset within a batch, as a zip header's 32-bit field.
fn zip32(value: usize, name: &str) -> Result<u32> {
    u32::try_from(value).map_err(|_| anyhow!("{name} is too large to deflate in memory"))
}

/// A deflated batch, ready to append.
type Deflated = ZipArchive<Cursor<Vec<u8>>>;

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

    #[cfg(target_os = "linux")]
    #[test]
    fn space_reserved_past_the_end_is_given_back() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        // 3 MiB and a bit: the reservation reaches 4 MiB by then.
        std::fs::write(&clip, noise((3 << 20) + 5000, 5)).unwrap();
        let mut files = PackageFiles::new();
        files.insert("files/clip.mp4".into(), Content::File(clip.clone()));
        let path = dir.path().join("p.zip");
        let size = write_zip(&files, &path, no_progress).unwrap();
        let metadata = std::fs::metadata(&path).unwrap();
        assert_eq!(metadata.len(), size);
        assert!(
            metadata.blocks() * 512 < size + (64 << 10),
            "{} bytes allocated for a {size}-byte zip",
            metadata.blocks() * 512
        );
        let mut zip = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        let mut read = Vec::new();
        zip.by_index(0).unwrap().read_to_end(&mut read).unwrap();
        assert_eq!(read, std::fs::read(&clip).unwrap());
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
