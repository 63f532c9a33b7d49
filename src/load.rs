//! Reads a course folder: `course.toml`, numbered module folders, numbered Markdown pages and
//! their front matter. Walks in sorted order so every build sees the same course, and refuses
//! anything that resolves outside the course folder.

use crate::config::{self, COURSE_FILE, CourseConfig, MODULE_FILE, ModuleConfig};
use crate::course_path::{PathProblem, resolve_in_course};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::memo::Memo;
use crate::model::{Course, Entry, Inventory, LessonNotes, Module, Page, page_href};
use crate::slots::{LOCK_FILE, Slots};
use crate::slug::{distinct_slug, slugify, split_order_prefix};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// Loads the course at `dir`. Authors' mistakes land in `diagnostics`; the course is still
/// returned when possible so that later stages can report their problems too.
pub fn load_course(dir: &Path, diagnostics: &mut Diagnostics, memo: &Memo) -> Result<Course> {
    if !dir.is_dir() {
        bail!(
            "{} is not a folder; give the folder that holds course.toml",
            dir.display()
        );
    }
    let root = dir
        .canonicalize()
        .with_context(|| format!("cannot open {}", dir.display()))?;
    let (config, config_text) = load_config(&root, diagnostics)?;
    diagnostics.extend(crate::i18n::check_overrides(&config, &config_text));
    let (strings, untranslated) = crate::i18n::ui_strings(&config, &config_text);
    diagnostics.extend(untranslated);
    diagnostics.extend(config::course_warnings(&config, &config_text));
    let mut listings = Vec::new();
    let mut module_slugs: HashSet<String> = HashSet::new();
    for (name, is_dir) in numbered_entries(&root, "", diagnostics)? {
        let (_, rest) = split_order_prefix(&name).expect("numbered entries have a prefix");
        if !is_dir {
            if name.ends_with(".md") {
                diagnostics.push(
                    Diagnostic::warning(&name, None, "page outside a module folder is ignored")
                        .with_help(
                            "move it into a numbered module folder such as `01-introduction/`",
                        ),
                );
            }
            continue;
        }
        let slug = slugify(rest);
        if slug.is_empty() {
            diagnostics.push(
                Diagnostic::error(&name, None, "module folder has no name after its number")
                    .with_help("name it like `01-introduction`"),
            );
            continue;
        }
        let slug = claim_slug(slug, &[rest, &name], &mut module_slugs, &name, diagnostics);
        listings.push(list_module(&root, &name, slug, rest, diagnostics)?);
    }
    let modules = load_pages(&root, listings, diagnostics, memo)?;
    check_page_ids(&modules, diagnostics);
    if modules.iter().all(|m| m.page_files == 0) {
        diagnostics.push(
            Diagnostic::error(COURSE_FILE, None, "the course has no pages")
                .with_help("add a module folder such as `01-introduction/` holding a page such as `01-welcome.md`"),
        );
    }
    let lock = load_lock(&root, diagnostics)?;
    let inventory = take_inventory(&root)?;
    Ok(Course {
        root,
        config,
        strings,
        modules,
        lock,
        inventory,
    })
}

/// Media transcripts are the files named `<media>.transcript.md`.
const TRANSCRIPT_SUFFIX: &str = ".transcript.md";

/// Walks the course folder once, in sorted order: every file and folder pages may reference,
/// through links that stay inside the course (a link that leaves it, or anything neither a
/// file nor a folder, is recorded as refused and not followed), and the text of every media
/// transcript, read through the course gate. Git's own folder holds nothing of the course.
fn take_inventory(root: &Path) -> Result<Inventory> {
    let mut entries = std::collections::BTreeMap::new();
    let mut walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(found) = walk.next() {
        // A broken link or a loop of links: what lies there is missing to the pages.
        let Ok(found) = found else { continue };
        let is_dir = found.file_type().is_dir();
        let relative = found
            .path()
            .strip_prefix(root)
            .ok()
            .and_then(Path::to_str)
            .map(|relative| relative.replace('\\', "/"));
        // A name that is not UTF-8 cannot be written in a page, and Git's folder is not walked.
        let Some(relative) = relative.filter(|r| r != ".git") else {
            if is_dir {
                walk.skip_current_dir();
            }
            continue;
        };
        let leaves = found.path_is_symlink()
            && !found
                .path()
                .canonicalize()
                .is_ok_and(|real| real.starts_with(root));
        let entry = if leaves {
            Entry::Refused(PathProblem::SymlinkEscapes)
        } else if is_dir {
            Entry::Folder
        } else if found.file_type().is_file() {
            Entry::File
        } else {
            Entry::Refused(PathProblem::NotAFile)
        };
        if is_dir && entry != Entry::Folder {
            walk.skip_current_dir();
        }
        entries.insert(relative, entry);
    }
    let transcripts = entries
        .keys()
        .filter(|path| path.ends_with(TRANSCRIPT_SUFFIX))
        .map(|path| {
            let text = read_text(root, path).unwrap_or_else(|err| {
                Err(
                    Diagnostic::error(path, None, format!("cannot be read: {err:#}"))
                        .with_help("check the file's permissions"),
                )
            });
            (path.clone(), text)
        })
        .collect();
    Ok(Inventory::new(entries, transcripts))
}

/// The course's saved-state slots from `coursepack.lock`, when it has one that reads.
fn load_lock(root: &Path, diagnostics: &mut Diagnostics) -> Result<Option<Slots>> {
    if !root.join(LOCK_FILE).exists() {
        return Ok(None);
    }
    let parsed = read_text(root, LOCK_FILE)?.and_then(|text| {
        config::parse_toml(&text, LOCK_FILE, 0)
            .map_err(|problem| problem.with_help(crate::slots::RESTORE_HELP))
            .and_then(Slots::checked)
    });
    Ok(parsed.map_err(|problem| diagnostics.push(problem)).ok())
}

/// The slug `source` gets among those already `taken` (see [`distinct_slug`]). A suffixed
/// one is told to the designer, since it is the identity the LMS keeps.
fn claim_slug(
    slug: String,
    names: &[&str],
    taken: &mut HashSet<String>,
    source: &str,
    diagnostics: &mut Diagnostics,
) -> String {
    let distinct = distinct_slug(&slug, names, |s| taken.contains(s));
    if distinct != slug {
        diagnostics.push(
            Diagnostic::warning(
                source,
                None,
                format!("another source before it is also named `{slug}`: this one is `{distinct}` in the package"),
            )
            .with_help("the name is stable across builds; rename one of the two for a readable identifier"),
        );
    }
    taken.insert(distinct.clone());
    distinct
}

/// The course's settings and the text they came from (for positions in later warnings).
fn load_config(root: &Path, diagnostics: &mut Diagnostics) -> Result<(CourseConfig, String)> {
    let path = root.join(COURSE_FILE);
    if !path.is_file() {
        bail!(
            "{} has no course.toml; is this a course folder?",
            root.display()
        );
    }
    let text = match read_text(root, COURSE_FILE)? {
        Ok(text) => text,
        Err(problem) => {
            diagnostics.push(problem);
            return Ok((CourseConfig::placeholder(), String::new()));
        }
    };
    match config::parse_course_config(&text) {
        Ok(config) => Ok((config, text)),
        Err(problems) => {
            diagnostics.extend(problems);
            Ok((CourseConfig::placeholder(), String::new()))
        }
    }
}

/// A module folder read but for its pages: its settings and its page files, named and in order.
struct ModuleListing {
    slug: String,
    title: String,
    description: Option<String>,
    /// Page files by source path, with the slug each gets.
    pages: Vec<(String, String)>,
    page_files: usize,
}

/// Reads a module folder's `module.toml` and names its pages. Names and slugs are decided
/// here, in order (the first of two pages with one name keeps it); the pages themselves are
/// read by [`load_pages`].
fn list_module(
    root: &Path,
    folder: &str,
    slug: String,
    rest: &str,
    diagnostics: &mut Diagnostics,
) -> Result<ModuleListing> {
    let mut config = ModuleConfig::default();
    let config_path = format!("{folder}/{MODULE_FILE}");
    if root.join(&config_path).is_file() {
        match read_text(root, &config_path)? {
            Ok(text) => {
                let (parsed, problems) = config::parse_toml_all(&text, &config_path);
                config = parsed.unwrap_or_default();
                diagnostics.extend(problems);
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    let mut pages = Vec::new();
    let mut page_slugs: HashSet<String> = HashSet::new();
    let mut page_files = 0;
    for (name, is_dir) in numbered_entries(root, folder, diagnostics)? {
        let source = format!("{folder}/{name}");
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        if is_dir {
            continue;
        }
        page_files += 1;
        let (_, rest) = split_order_prefix(stem).expect("numbered entries have a prefix");
        let page_slug = slugify(rest);
        if page_slug.is_empty() {
            diagnostics.push(
                Diagnostic::error(&source, None, "page file has no name after its number")
                    .with_help("name it like `01-welcome.md`"),
            );
            continue;
        }
        let page_slug = claim_slug(
            page_slug,
            &[rest, stem],
            &mut page_slugs,
            &source,
            diagnostics,
        );
        pages.push((source, page_slug));
    }
    if page_files == 0 {
        diagnostics.push(
            Diagnostic::warning(folder, None, "module has no pages").with_help(
                "add a numbered Markdown page such as `01-overview.md`, or remove the folder",
            ),
        );
    }
    Ok(ModuleListing {
        slug,
        title: config.title.unwrap_or_else(|| title_from_slug(rest)),
        description: config.description,
        pages,
        page_files,
    })
}

/// Reads and parses every listed page on the thread pool, all modules at once (module by
/// module, a course of many small modules kept one core waiting at each module's end), and
/// puts them back in course order.
fn load_pages(
    root: &Path,
    listings: Vec<ModuleListing>,
    diagnostics: &mut Diagnostics,
    memo: &Memo,
) -> Result<Vec<Module>> {
    let pages: Vec<(&str, &(String, String))> = listings
        .iter()
        .flat_map(|listing| {
            listing
                .pages
                .iter()
                .map(|page| (listing.slug.as_str(), page))
        })
        .collect();
    let mut loaded = pages
        .into_par_iter()
        .map(|(module_slug, (source, page_slug))| {
            load_page(root, module_slug, source, page_slug, memo)
        })
        .collect::<Vec<Result<Result<(Page, Vec<Diagnostic>), Diagnostic>>>>()
        .into_iter();
    let mut modules = Vec::with_capacity(listings.len());
    for listing in listings {
        let mut pages = Vec::with_capacity(listing.pages.len());
        for page in loaded.by_ref().take(listing.pages.len()) {
            match page? {
                Ok((page, problems)) => {
                    pages.push(page);
                    diagnostics.extend(problems);
                }
                Err(problem) => diagnostics.push(problem),
            }
        }
        modules.push(Module {
            title: listing.title,
            description: listing.description,
            slug: listing.slug,
            pages,
            page_files: listing.page_files,
        });
    }
    Ok(modules)
}

/// Two pages with one id would share their learners' saved progress and LMS records: the
/// second is told, whichever of them took the id with `id:`.
fn check_page_ids(modules: &[Module], diagnostics: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for page in modules.iter().flat_map(|m| &m.pages) {
        if let Some(first) = seen.insert(&page.id, &page.source) {
            diagnostics.push(
                Diagnostic::error(&page.source, None, format!("page id `{}` is already the id of `{first}`", page.id))
                    .with_help("page ids must be unique in the course: change or remove `id:` in the front matter of one of them"),
            );
        }
    }
}

/// Reads one page: its text and front matter.
fn load_page(
    root: &Path,
    module_slug: &str,
    source: &str,
    page_slug: &str,
    memo: &Memo,
) -> Result<Result<(Page, Vec<Diagnostic>), Diagnostic>> {
    let input = PageFile {
        root,
        source,
        stamp: FileStamp::of(&root.join(source)),
        module_slug,
        page_slug,
    };
    memo.try_keep("page file", source, input, |file| {
        Ok(match read_text(file.root, file.source)? {
            Ok(text) => parse_page(&text, file.module_slug, file.source, file.page_slug),
            Err(problem) => Err(problem),
        })
    })
}

/// A page's file, and where the page goes.
#[derive(Hash)]
struct PageFile<'a> {
    root: &'a Path,
    source: &'a str,
    /// Stands for the file's text.
    stamp: Option<FileStamp>,
    module_slug: &'a str,
    page_slug: &'a str,
}

/// What stands for a file's content in a key: its size and modification time, as make and
/// cargo take them. Reading a thousand pages again to hash their text would cost a preview
/// rebuild more than rendering the page that changed.
#[derive(Hash)]
struct FileStamp {
    modified: std::time::SystemTime,
    len: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: metadata.modified().ok()?,
            len: metadata.len(),
        })
    }
}

/// A page from its file's text, with its front matter's problems: the page is read whatever
/// they are, so that its text is checked in the same run.
fn parse_page(
    text: &str,
    module_slug: &str,
    source: &str,
    page_slug: &str,
) -> Result<(Page, Vec<Diagnostic>), Diagnostic> {
    let page_source = config::split_front_matter(text, source)?;
    let mut problems = page_source.problems;
    let front = page_source.front_matter;
    let mut assessment = front.assessment.and_then(|field| field.0);
    let mut survey = front.survey;
    if assessment.is_some() && survey {
        // Read as a plain page, so that nothing else is reported for it being either.
        (assessment, survey) = (None, false);
        problems.push(
            Diagnostic::error(source, None, "page is both an assessment and a survey").with_help(
                "a survey is never scored: keep `survey = true` or `assessment`, not both",
            ),
        );
    }
    let default_id = || format!("{module_slug}/{page_slug}");
    let id = match front.id {
        Some(id) if !is_page_id(&id) => {
            problems.push(Diagnostic::error(source, None, format!("page id `{id}` is not a valid identifier"))
                .with_help("use lower-case ASCII letters, digits, `-` and `_`, in at most two parts joined by `/`, e.g. `id: introduction/welcome`"));
            default_id()
        }
        Some(id) => id,
        None => default_id(),
    };
    let minutes = match (front.minutes, front.teaching, front.exercises) {
        (Some(minutes), _, _) => Some(minutes),
        (None, None, None) => None,
        (None, teaching, exercises) => {
            Some(teaching.unwrap_or(0).saturating_add(exercises.unwrap_or(0)))
        }
    };
    let page = Page {
        id,
        href: page_href(module_slug, page_slug),
        slug: page_slug.to_string(),
        source: source.to_string(),
        title: front.title,
        description: front.description,
        survey,
        assessment,
        minutes,
        lesson: LessonNotes {
            questions: front.questions,
            objectives: front.objectives,
            keypoints: front.keypoints,
        },
        markdown: page_source.body.into(),
        body_line_offset: page_source.body_line_offset,
    };
    Ok((page, problems))
}

/// An explicit page id: the shape of the ids pages get from their file names, so that a page
/// renamed can keep the id it had (`module/page`).
fn is_page_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    parts.len() <= 2
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// Entries of `folder` (relative to the root) that carry an order prefix, in course order:
/// by number, then by name, each with whether it is a folder. Symlinks that leave the course
/// are reported and skipped.
fn numbered_entries(
    root: &Path,
    folder: &str,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<(String, bool)>> {
    let dir = root.join(folder);
    let mut entries = Vec::new();
    for entry in crate::fs::read_dir(&dir)? {
        let entry = entry.with_context(|| format!("cannot read folder {}", dir.display()))?;
        let Ok(name) = entry.file_name().into_string() else {
            let shown = entry.file_name().to_string_lossy().into_owned();
            diagnostics.push(
                Diagnostic::error(join(folder, &shown), None, "file name is not valid UTF-8")
                    .with_help("rename the file"),
            );
            continue;
        };
        let Some((number, _)) = split_order_prefix(&name) else {
            continue;
        };
        let relative = join(folder, &name);
        // A plain entry of a folder inside the course is inside it too; only a link can lead
        // out, so only links pay for resolving the whole path.
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", dir.join(&name).display()))?;
        if !kind.is_symlink() {
            entries.push((number, name, kind.is_dir()));
            continue;
        }
        match resolve_in_course(root, &relative) {
            Ok(path) => entries.push((number, name, path.is_dir())),
            Err(problem) => diagnostics.push(problem.diagnostic(&relative, None)),
        }
    }
    entries.sort();
    Ok(entries
        .into_iter()
        .map(|(_, name, is_dir)| (name, is_dir))
        .collect())
}

/// Largest course text read (a page, a TOML file, a transcript, the lock): far beyond any real
/// one, and a bound on what a file that never ends (`/dev/zero` behind a link) can cost.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// The one way a course file is read: `relative` resolved inside the course (a link that leads
/// out is refused), a regular file (a FIFO would hang the build, a device never end), and at
/// most `limit` bytes. The author's problems come back as a diagnostic naming the file.
pub fn read_course_file(
    root: &Path,
    relative: &str,
    limit: u64,
) -> Result<Result<Vec<u8>, Diagnostic>> {
    let path = match resolve_in_course(root, relative) {
        Ok(path) => path,
        Err(problem) => return Ok(Err(problem.diagnostic(relative, None))),
    };
    let too_large = |size: u64| {
        Diagnostic::error(
            relative,
            None,
            format!(
                "file is {} MiB, more than the {} MiB a course text may be",
                size >> 20,
                limit >> 20
            ),
        )
        .with_help("split it, or keep large material in files that pages link to")
    };
    let metadata = crate::fs::metadata(&path)?;
    if !metadata.is_file() {
        return Ok(Err(PathProblem::NotAFile.diagnostic(relative, None)));
    }
    if metadata.len() > limit {
        return Ok(Err(too_large(metadata.len())));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    std::io::Read::read_to_end(
        &mut std::io::Read::take(crate::fs::open(&path)?, limit + 1),
        &mut bytes,
    )
    .with_context(|| format!("cannot read {}", path.display()))?;
    // The file grew after its size was read.
    if bytes.len() as u64 > limit {
        return Ok(Err(too_large(bytes.len() as u64)));
    }
    Ok(Ok(bytes))
}

/// Reads a course file as UTF-8 text through [`read_course_file`]; invalid UTF-8 is the
/// author's problem, not a failure.
pub fn read_text(root: &Path, relative: &str) -> Result<Result<String, Diagnostic>> {
    let bytes = match read_course_file(root, relative, MAX_TEXT_BYTES)? {
        Ok(bytes) => bytes,
        Err(problem) => return Ok(Err(problem)),
    };
    Ok(String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let at = LineIndex::new(valid, 0).position(valid.len());
        Diagnostic::error(relative, Some(at), "file is not valid UTF-8 text")
            .with_help("save the file with UTF-8 encoding")
    }))
}

fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

/// `risk-mapping` → `Risk mapping`: a readable default when a module has no title.
pub(crate) fn title_from_slug(rest: &str) -> String {
    let words = rest.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course_path::tests::course_beside_outside;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn numbered_entries_tell_folders_and_refuse_links_out() {
        use std::os::unix::fs::symlink;
        let (_dir, root, outside) = course_beside_outside();
        fs::create_dir_all(root.join("02-module")).unwrap();
        fs::create_dir_all(root.join("shared")).unwrap();
        fs::write(root.join("01-page.md"), "# Page").unwrap();
        fs::write(root.join("shared/page.md"), "# Shared").unwrap();
        fs::write(root.join("notes.md"), "no number").unwrap();
        symlink(root.join("shared"), root.join("03-linked-module")).unwrap();
        symlink(root.join("shared/page.md"), root.join("04-linked-page.md")).unwrap();
        symlink(&outside, root.join("05-out")).unwrap();
        let mut diagnostics = Diagnostics::default();
        let entries = numbered_entries(&root, "", &mut diagnostics).unwrap();
        let expected = [
            ("01-page.md", false),
            ("02-module", true),
            ("03-linked-module", true),
            ("04-linked-page.md", false),
        ];
        let entries: Vec<(&str, bool)> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        assert_eq!(entries, expected);
        assert_eq!(diagnostics.error_count(), 1, "the link out is reported");
    }

    #[cfg(unix)]
    #[test]
    fn the_inventory_follows_links_inside_and_refuses_links_out() {
        use PathProblem::{Missing, NotAFile, SymlinkEscapes};
        use std::os::unix::fs::symlink;
        let (_dir, root, outside) = course_beside_outside();
        fs::create_dir_all(root.join("01-a/media")).unwrap();
        fs::create_dir_all(root.join(".git/objects")).unwrap();
        fs::write(root.join("01-a/media/x.png"), "x").unwrap();
        fs::write(root.join("01-a/media/x.transcript.md"), "Said.").unwrap();
        fs::write(outside.join("y.png"), "y").unwrap();
        symlink(root.join("01-a/media"), root.join("shared")).unwrap();
        symlink(&outside, root.join("01-a/elsewhere")).unwrap();
        symlink(outside.join("y.png"), root.join("01-a/media/y.png")).unwrap();
        symlink(
            outside.join("y.png"),
            root.join("01-a/media/y.transcript.md"),
        )
        .unwrap();
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("01-a/pipe"))
            .status()
            .unwrap();
        assert!(fifo.success());

        let inventory = take_inventory(&root).unwrap();
        assert_eq!(inventory.resolve("01-a/media/x.png"), Ok(false));
        assert_eq!(inventory.resolve("01-a/media"), Ok(true));
        assert_eq!(inventory.resolve(""), Ok(true), "the course folder");
        assert_eq!(
            inventory.resolve("shared/x.png"),
            Ok(false),
            "through a link that stays inside"
        );
        assert_eq!(inventory.resolve("01-a/elsewhere"), Err(SymlinkEscapes));
        assert_eq!(
            inventory.resolve("01-a/elsewhere/y.png"),
            Err(SymlinkEscapes),
            "below a linked folder, which is not walked"
        );
        assert_eq!(inventory.resolve("01-a/media/y.png"), Err(SymlinkEscapes));
        assert_eq!(inventory.resolve("01-a/pipe"), Err(NotAFile));
        assert_eq!(inventory.resolve("01-a/pipe/x"), Err(NotAFile));
        assert_eq!(inventory.resolve("01-a/media/z.png"), Err(Missing));
        assert_eq!(inventory.resolve("01-a/media/x.png/z"), Err(Missing));
        assert_eq!(
            inventory.resolve(".git/objects"),
            Err(Missing),
            "not walked"
        );
        assert_eq!(
            inventory.names_in("01-a/media").collect::<Vec<_>>(),
            ["x.png", "x.transcript.md", "y.png", "y.transcript.md"]
        );
        assert_eq!(
            inventory.names_in("").collect::<Vec<_>>(),
            ["01-a", "shared"]
        );
        assert_eq!(
            inventory.transcript("01-a/media/x.transcript.md"),
            Some(&Ok("Said.".to_string()))
        );
        let refused = inventory.transcript("01-a/media/y.transcript.md").unwrap();
        assert!(
            refused
                .as_ref()
                .is_err_and(|problem| problem.message.contains("outside the course folder")),
            "read through the gate: {refused:?}"
        );
    }

    #[test]
    fn module_titles_default_to_their_folder_name() {
        assert_eq!(title_from_slug("risk-mapping"), "Risk mapping");
        assert_eq!(title_from_slug("équipe"), "Équipe");
    }
}
