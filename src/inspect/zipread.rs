//! Opening a zip nobody vouched for: every entry listed from the central directory, nothing
//! extracted to disk, reads bounded in size and count so that a zip bomb costs seconds and
//! megabytes, not the machine.

use super::{Problem, Rule};
use crate::zip_limits::{MAX_ENTRIES, MAX_RATIO, SMALL_ENTRY};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The central directory is read into memory; real packages need well under a megabyte.
const MAX_CENTRAL_DIRECTORY: u64 = 64 << 20;
/// Declared uncompressed size beyond which entries are not decompressed to be verified.
const MAX_TOTAL_SIZE: u64 = 8 << 30;

/// One entry as the central directory describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub index: usize,
    /// The name as stored, decoded as UTF-8 when it is, else shown lossily.
    pub name: String,
    pub name_is_utf8: bool,
    /// General purpose flag bit 11: the writer declared the name UTF-8.
    pub utf8_flag: bool,
    pub size: u64,
    pub compressed_size: u64,
    pub stored: bool,
    pub is_dir: bool,
    pub is_symlink: bool,
    pub encrypted: bool,
}

impl Entry {
    /// How many times larger than its compressed data the entry says it is.
    pub fn expansion(&self) -> u64 {
        self.size / self.compressed_size.max(1)
    }

    /// Declared to expand as no course file does: reported, and never decompressed.
    pub fn looks_like_bomb(&self) -> bool {
        !self.stored && self.size > SMALL_ENTRY && self.expansion() > MAX_RATIO
    }
}

pub struct Archive {
    pub zip: zip::ZipArchive<File>,
    pub file_size: u64,
    pub entries: Vec<Entry>,
    /// Names that appear more than once in the central directory.
    pub duplicates: Vec<String>,
}

/// Opens `path` as a zip, or says in one problem why it cannot be read.
pub fn open(path: &Path) -> std::io::Result<Result<Archive, Problem>> {
    let mut file = File::open(path)?;
    let file_size = file.metadata()?.len();
    let records = match central_directory(&mut file, file_size)? {
        Ok(records) => records,
        Err(problem) => return Ok(Err(problem)),
    };
    let zip = match zip::ZipArchive::new(file) {
        Ok(zip) => zip,
        Err(err) => {
            return Ok(Err(Problem::error(
                Rule::ZipUnreadable,
                None,
                format!("not a readable zip file: {err}"),
            )
            .help("the file is damaged or truncated; build or download it again")));
        }
    };
    // Flags by name; for a duplicated name, the first record counts.
    let mut flags: std::collections::HashMap<&[u8], u16> = std::collections::HashMap::new();
    for record in &records {
        flags.entry(record.name.as_slice()).or_insert(record.flags);
    }
    let mut entries = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let Ok(data) = zip.by_index_data(index) else {
            continue;
        };
        let raw = data.name_raw();
        let utf8_flag = flags.get(raw).is_some_and(|flags| flags & (1 << 11) != 0);
        let (name, name_is_utf8) = match std::str::from_utf8(raw) {
            Ok(name) => (name.to_string(), true),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), false),
        };
        entries.push(Entry {
            index,
            name,
            name_is_utf8,
            utf8_flag,
            size: data.size(),
            compressed_size: data.compressed_size(),
            stored: data.compression() == zip::CompressionMethod::Stored,
            is_dir: data.is_dir(),
            is_symlink: data.is_symlink(),
            encrypted: data.encrypted(),
        });
    }
    let mut duplicates = Vec::new();
    if zip.has_duplicate_names() {
        let mut seen = std::collections::HashSet::new();
        for record in &records {
            if !seen.insert(record.name.as_slice()) {
                duplicates.push(String::from_utf8_lossy(&record.name).into_owned());
            }
        }
        duplicates.sort();
        duplicates.dedup();
    }
    Ok(Ok(Archive {
        zip,
        file_size,
        entries,
        duplicates,
    }))
}

/// An entry's name and flags, read from the central directory itself: the zip crate merges
/// duplicate names and does not expose the UTF-8 flag.
struct Record {
    name: Vec<u8>,
    flags: u16,
}

fn ambiguous<T>(detail: &str) -> Result<T, Problem> {
    Err(Problem::error(
        Rule::ZipAmbiguous,
        None,
        format!("zip readers would not agree on what this archive holds: {detail}"),
    )
    .help("an LMS could unpack files that no check saw; rebuild the package with an ordinary zip tool"))
}

/// Finds the end-of-central-directory record and walks the directory, refusing sizes and
/// counts beyond the limits before anything else is allocated.
fn central_directory(
    file: &mut File,
    file_size: u64,
) -> std::io::Result<Result<Vec<Record>, Problem>> {
    let not_zip = |detail: &str| {
        Err(Problem::error(
            Rule::ZipUnreadable,
            None,
            format!("not a zip file: {detail}"),
        )
        .help("a SCORM package is a .zip file; check that the upload or download completed"))
    };
    let tail_length = file_size.min(22 + 65_535);
    let mut tail = vec![0; usize::try_from(tail_length).unwrap_or(0)];
    file.seek(SeekFrom::End(-(tail_length as i64)))?;
    file.read_exact(&mut tail)?;
    let Some(eocd) = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| tail[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
    else {
        return Ok(not_zip("no end-of-central-directory record (truncated?)"));
    };
    let u16_at = |bytes: &[u8], at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |bytes: &[u8], at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
    };
    let count = u16_at(&tail, eocd + 10);
    let size = u64::from(u32_at(&tail, eocd + 12));
    let offset = u64::from(u32_at(&tail, eocd + 16));
    if usize::from(count) >= MAX_ENTRIES {
        return Ok(Err(Problem::error(
            Rule::TooManyEntries,
            None,
            format!("the archive has {MAX_ENTRIES} or more entries; it is not inspected further"),
        )
        .help("no course needs that many files; this looks like a zip bomb")));
    }
    if size == u64::from(u32::MAX) || offset == u64::from(u32::MAX) {
        return Ok(Err(Problem::error(
            Rule::ZipUnreadable,
            None,
            "a zip64 archive (over 4 GiB); it is not inspected",
        )
        .help(
            "no LMS accepts an upload this large; move large videos to a streaming service",
        )));
    }
    if size > MAX_CENTRAL_DIRECTORY || offset.saturating_add(size) > file_size {
        return Ok(not_zip(
            "the central directory lies outside the file (truncated?)",
        ));
    }
    // A zip64 end record (found through its locator, just before the classic one) would be
    // read by libzip and Info-ZIP in place of the classic record, which may say otherwise.
    if eocd >= 20 && tail[eocd - 20..eocd - 16] == [0x50, 0x4b, 0x06, 0x07] {
        return Ok(ambiguous(
            "it has a zip64 end record beside the classic one",
        ));
    }
    let mut directory = vec![0; size as usize];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut directory)?;
    let mut records = Vec::with_capacity(usize::from(count));
    // Where each entry's local header and data lie, to find entries that share bytes.
    let mut spans: Vec<(u64, u64, usize)> = Vec::with_capacity(usize::from(count));
    let mut at = 0;
    while at + 46 <= directory.len() && directory[at..at + 4] == [0x50, 0x4b, 0x01, 0x02] {
        let flags = u16_at(&directory, at + 8);
        let compressed = u32_at(&directory, at + 20);
        let uncompressed = u32_at(&directory, at + 24);
        let name_length = usize::from(u16_at(&directory, at + 28));
        let extra_length = usize::from(u16_at(&directory, at + 30));
        let comment_length = usize::from(u16_at(&directory, at + 32));
        let local = u32_at(&directory, at + 42);
        let Some(name) = directory.get(at + 46..at + 46 + name_length) else {
            return Ok(ambiguous(
                "a central directory record runs past the directory's end",
            ));
        };
        if [compressed, uncompressed, local].contains(&u32::MAX) {
            return Ok(ambiguous(
                "an entry has zip64 sizes or offset, which readers resolve differently",
            ));
        }
        // The local header must name the entry as the central directory does: LMSs that
        // stream the zip read the local names.
        let mut header = [0u8; 30];
        file.seek(SeekFrom::Start(u64::from(local)))?;
        if file.read_exact(&mut header).is_err() || header[..4] != [0x50, 0x4b, 0x03, 0x04] {
            return Ok(ambiguous(&format!(
                "entry {} has no local header where the directory says",
                records.len() + 1
            )));
        }
        let local_name_length = usize::from(u16_at(&header, 26));
        let local_extra_length = u64::from(u16_at(&header, 28));
        let mut local_name = vec![0u8; local_name_length];
        if file.read_exact(&mut local_name).is_err() || local_name != name {
            return Ok(ambiguous(&format!(
                "the local header of \"{}\" names it \"{}\"",
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(&local_name)
            )));
        }
        let start = u64::from(local);
        let end =
            start + 30 + local_name_length as u64 + local_extra_length + u64::from(compressed);
        spans.push((start, end, records.len()));
        records.push(Record {
            name: name.to_vec(),
            flags,
        });
        at += 46 + name_length + extra_length + comment_length;
    }
    // Records the walk did not reach, or a count the end record does not agree with, are
    // entries one reader lists and another does not.
    if at != directory.len() || records.len() != usize::from(count) {
        return Ok(ambiguous(&format!(
            "its end record counts {count} entries and {} bytes of directory, where {} entries take {at} bytes",
            directory.len(),
            records.len()
        )));
    }
    spans.sort_unstable();
    if let Some(pair) = spans.windows(2).find(|pair| pair[1].0 < pair[0].1) {
        let name = |i: usize| String::from_utf8_lossy(&records[i].name).into_owned();
        return Ok(ambiguous(&format!(
            "\"{}\" and \"{}\" share data",
            name(pair[0].2),
            name(pair[1].2)
        )));
    }
    Ok(Ok(records))
}

impl Archive {
    /// What the entries say they expand to, all together. Saturating: declared sizes are the
    /// zip's word, and a sum that wrapped would pass for a small one.
    pub fn declared_size(&self) -> u64 {
        self.entries
            .iter()
            .fold(0, |sum, e| sum.saturating_add(e.size))
    }

    /// More than is ever decompressed: the archive is reported, its entries left unread.
    pub fn too_large_to_expand(&self) -> bool {
        self.declared_size() > MAX_TOTAL_SIZE
    }

    /// The whole content of a small entry, or `None` beyond `limit` bytes.
    pub fn read_small(
        &mut self,
        index: usize,
        limit: u64,
    ) -> zip::result::ZipResult<Option<Vec<u8>>> {
        let entry = self.zip.by_index(index)?;
        if entry.size() > limit {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry.take(limit + 1).read_to_end(&mut bytes)?;
        Ok((bytes.len() as u64 <= limit).then_some(bytes))
    }

    /// Decompresses one entry into nothing, checking its size and checksum: the bytes read
    /// are bounded by its declared size, so a lying header cannot make it expand further.
    pub fn verify(&mut self, index: usize) -> Result<(), String> {
        let mut entry = self.zip.by_index(index).map_err(|err| err.to_string())?;
        let declared = entry.size();
        let mut reader = (&mut entry).take(declared + 1);
        let copied =
            std::io::copy(&mut reader, &mut std::io::sink()).map_err(|err| err.to_string())?;
        if copied != declared {
            return Err(format!("holds {copied} bytes, its header says {declared}"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn declared_sizes_that_would_wrap_a_sum_still_count_as_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        for name in ["a", "b", "c"] {
            zip.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"x").unwrap();
        }
        zip.finish().unwrap();
        let mut archive = open(&path).unwrap().ok().unwrap();
        assert!(!archive.too_large_to_expand());
        // What crafted zip64 records can declare: three sizes whose sum wraps to about 3 GiB.
        for entry in &mut archive.entries {
            entry.size = (u64::MAX / 3) + 1 + (1 << 30);
        }
        assert_eq!(archive.declared_size(), u64::MAX);
        assert!(archive.too_large_to_expand());
    }
}
