//! Reading any SCORM package, ours or another tool's: what it holds (`coursepack inspect`)
//! and everything wrong with it (`coursepack validate`). Both run the same checks; nothing is
//! ever extracted to disk, so a hostile zip has nowhere to write.

/// The manifest reader, public for the fuzz targets.
pub mod manifest;
mod rules;
pub mod xsd;
mod zipread;

use serde::Serialize;
use std::fmt;
use std::path::Path;

/// What the checks that depend on the target LMS need to know.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Moodle's (and most LMSs') upload limit, in MiB.
    pub max_upload_mib: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_upload_mib: 100,
        }
    }
}

/// Everything `inspect` prints, also as JSON.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub package: String,
    /// "SCORM 1.2", "SCORM 2004 4th Edition", ... when a manifest was read.
    pub standard: Option<String>,
    pub identifier: Option<String>,
    pub title: Option<String>,
    pub organizations: Vec<Organization>,
    pub scos: Vec<Sco>,
    pub files: FileStats,
    pub largest: Vec<FileSize>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Serialize)]
pub struct Organization {
    pub identifier: String,
    pub title: String,
    pub is_default: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub struct Item {
    pub identifier: String,
    pub title: String,
    /// The file the LMS opens for this item, when it launches something.
    pub launch: Option<String>,
    pub children: Vec<Item>,
}

#[derive(Debug, Serialize)]
pub struct Sco {
    pub resource: String,
    pub items: Vec<String>,
    pub launch: String,
    pub mastery_score: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct FileStats {
    pub zip_bytes: u64,
    pub count: usize,
    pub bytes: u64,
    pub compressed_bytes: u64,
    pub stored: usize,
    pub deflated: usize,
}

#[derive(Debug, Serialize)]
pub struct FileSize {
    pub name: String,
    pub bytes: u64,
    pub compressed_bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// The rule a problem breaks; its name is printed so that a report can be searched and a
/// CI pipeline can filter on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    ZipUnreadable,
    /// Zip readers could disagree on what the archive holds.
    ZipAmbiguous,
    TooManyEntries,
    ZipBomb,
    CorruptEntry,
    EncryptedEntry,
    NestedArchive,
    AbsolutePath,
    ParentPath,
    Backslash,
    SymlinkEntry,
    NameNotUtf8,
    Utf8FlagMissing,
    DuplicateEntry,
    CaseCollision,
    MissingManifest,
    ManifestTooLarge,
    XmlMalformed,
    XmlDoctype,
    Schema,
    UnknownStandard,
    Schemaversion,
    DuplicateIdentifier,
    DefaultOrganization,
    DanglingIdentifierref,
    ItemWithoutLaunch,
    MissingScormtype,
    NoSco,
    UnsafeHref,
    ExternalUrl,
    MissingFile,
    UnlistedFile,
    MoodlePrefix,
    MoodleUploadLimit,
    MoodleMangledName,
    ServerScript,
    Executable,
}

impl Rule {
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }
}

/// One problem: which entry (and manifest line), which rule, what is wrong, what to do.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub rule: Rule,
    pub entry: Option<String>,
    pub line: Option<u32>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn error(rule: Rule, entry: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            rule,
            entry: entry.map(str::to_string),
            line: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(rule: Rule, entry: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(rule, entry, message)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn at_line(mut self, line: u32) -> Problem {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(entry) = &self.entry {
            write!(f, "{entry}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            write!(f, ": ")?;
        }
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.rule.name(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl Report {
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }

    pub fn warning_count(&self) -> usize {
        self.problems.len() - self.error_count()
    }
}

/// Reads and checks the package at `path`. `Err` only when the file cannot be opened at all;
/// a file that is not a zip, or a broken one, is a report with problems.
pub fn inspect(path: &Path, options: Options) -> std::io::Result<Report> {
    let mut report = Report {
        package: path.display().to_string(),
        ..Report::default()
    };
    let mut archive = match zipread::open(path)? {
        Ok(archive) => archive,
        Err(problem) => {
            report.problems.push(problem);
            return Ok(report);
        }
    };
    rules::check_package(&mut archive, &mut report, options);
    report
        .problems
        .sort_by(|a, b| (a.severity, &a.entry, a.line).cmp(&(b.severity, &b.entry, b.line)));
    Ok(report)
}
