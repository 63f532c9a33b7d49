//! Reading another tool's table of contents into the modules and pages of a course.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    MdBook,
    MkDocs,
    Carpentries,
    Folder,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::MdBook => "mdBook",
            SourceKind::MkDocs => "MkDocs site",
            SourceKind::Carpentries => "Carpentries lesson",
            SourceKind::Folder => "folder of Markdown files",
        }
    }
}

/// The course as the source orders it.
#[derive(Debug)]
pub struct Plan {
    pub kind: SourceKind,
    pub title: String,
    pub language: Option<String>,
    /// The folder page paths are relative to (an mdBook's `src`, MkDocs' `docs`).
    pub root: PathBuf,
    pub modules: Vec<PlannedModule>,
    /// What the table of contents holds that a course cannot.
    pub notes: Vec<String>,
    /// Folders (under the root) where the tool also looks for a page's files: the
    /// Carpentries' `fig/` and `data/` are the episodes' wherever a page names them.
    pub shared_folders: Vec<String>,
}

#[derive(Debug)]
pub struct PlannedModule {
    pub title: String,
    pub pages: Vec<PlannedPage>,
}

#[derive(Debug)]
pub struct PlannedPage {
    /// `/`-separated, relative to the plan's root.
    pub source: String,
    /// The title the table of contents gives it.
    pub title: Option<String>,
}

/// The plan for `source`, whichever kind it is.
pub fn plan(source: &Path) -> Result<Plan> {
    if !source.is_dir() {
        bail!("{} is not a folder", source.display());
    }
    let mut plan = if source.join("book.toml").is_file() || source.join("src/SUMMARY.md").is_file()
    {
        mdbook(source)?
    } else if source.join("mkdocs.yml").is_file() {
        mkdocs(source)?
    } else if source.join("config.yaml").is_file() && source.join("episodes").is_dir() {
        carpentries(source)?
    } else {
        folder(source, &title_of_folder(source))
    };
    plan.modules.retain(|module| !module.pages.is_empty());
    if plan.modules.is_empty() {
        bail!(
            "{} holds no Markdown page to import (looked for an mdBook, a MkDocs site, a Carpentries lesson or .md files)",
            source.display()
        );
    }
    Ok(plan)
}

fn title_of_folder(folder: &Path) -> String {
    let name = folder
        .canonicalize()
        .ok()
        .and_then(|path| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    title_of_name(&name)
}

/// `02-measuring-water` → `Measuring water`, as the loader names an untitled module.
fn title_of_name(name: &str) -> String {
    let name = crate::slug::split_order_prefix(name).map_or(name, |(_, rest)| rest);
    match crate::load::title_from_slug(name) {
        title if title.is_empty() => "Course".to_string(),
        title => title,
    }
}

/// An mdBook: `# Part` headings of `SUMMARY.md` are modules; without parts, each top-level
/// chapter with sub-chapters is one, and the chapters around them are gathered in order.
fn mdbook(source: &Path) -> Result<Plan> {
    #[derive(serde::Deserialize, Default)]
    struct Book {
        #[serde(default)]
        book: BookSection,
    }
    #[derive(serde::Deserialize, Default)]
    struct BookSection {
        title: Option<String>,
        language: Option<String>,
        src: Option<String>,
    }
    let config: Book = std::fs::read_to_string(source.join("book.toml"))
        .ok()
        .and_then(|text| toml::from_str(&text).ok())
        .unwrap_or_default();
    let root = source.join(config.book.src.as_deref().unwrap_or("src"));
    let summary = std::fs::read_to_string(root.join("SUMMARY.md"))
        .with_context(|| format!("cannot read {}", root.join("SUMMARY.md").display()))?;
    let title = config.book.title.unwrap_or_else(|| title_of_folder(source));
    let mut notes = Vec::new();
    let mut modules: Vec<PlannedModule> = Vec::new();
    let mut current: Option<PlannedModule> = None;
    let has_parts = summary
        .lines()
        .any(|line| line.starts_with("# ") && !line.starts_with("# Summary"));
    for line in summary.lines() {
        if let Some(part) = line.strip_prefix("# ") {
            if part.trim().eq_ignore_ascii_case("summary") {
                continue;
            }
            modules.extend(current.take());
            current = Some(PlannedModule {
                title: part.trim().to_string(),
                pages: Vec::new(),
            });
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let item = line.trim_start();
        let item = item
            .strip_prefix("- ")
            .or_else(|| item.strip_prefix("* "))
            .unwrap_or(item);
        let Some((label, path)) = summary_link(item) else {
            continue;
        };
        if path.is_empty() {
            notes.push(format!(
                "SUMMARY.md: the draft chapter `{label}` has no file: left out"
            ));
            continue;
        }
        let page = PlannedPage {
            source: path.trim_start_matches("./").to_string(),
            title: Some(label.to_string()),
        };
        if !has_parts && indent == 0 {
            // A top-level chapter starts a module when sub-chapters follow it; else it joins
            // the module of the chapters around it.
            let opens_module = summary_has_children(&summary, line);
            if opens_module || current.is_none() {
                modules.extend(current.take());
                current = Some(PlannedModule {
                    title: if opens_module {
                        label.to_string()
                    } else {
                        title.clone()
                    },
                    pages: Vec::new(),
                });
            }
        }
        current
            .get_or_insert_with(|| PlannedModule {
                title: title.clone(),
                pages: Vec::new(),
            })
            .pages
            .push(page);
    }
    modules.extend(current);
    Ok(Plan {
        kind: SourceKind::MdBook,
        title,
        language: config.book.language,
        root,
        modules,
        notes,
        shared_folders: Vec::new(),
    })
}

/// `[Label](path.md)` of a SUMMARY.md line.
fn summary_link(item: &str) -> Option<(&str, &str)> {
    let rest = item.strip_prefix('[')?;
    let (label, rest) = rest.split_once("](")?;
    let (path, _) = rest.split_once(')')?;
    Some((label.trim(), path.trim()))
}

/// Whether the lines after `line` in SUMMARY.md are indented under it.
fn summary_has_children(summary: &str, line: &str) -> bool {
    let mut lines = summary.lines().skip_while(|l| *l != line).skip(1);
    lines
        .find(|l| !l.trim().is_empty())
        .is_some_and(|next| next.starts_with([' ', '\t']))
}

/// A MkDocs site: sections of `nav` are modules, pages outside sections are gathered in
/// order; with no `nav`, the docs folder as it lies.
fn mkdocs(source: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(source.join("mkdocs.yml"))?;
    let mut notes = Vec::new();
    let config: serde_json::Value = match serde_saphyr::from_str(&without_yaml_tags(&text)) {
        Ok(config) => config,
        Err(err) => {
            let first = err.to_string();
            let first = first.lines().next().unwrap_or_default().to_string();
            notes.push(format!(
                "mkdocs.yml cannot be read ({first}): the pages are in folder order"
            ));
            serde_json::Value::Null
        }
    };
    let docs = config["docs_dir"].as_str().unwrap_or("docs");
    let root = source.join(docs);
    let title = config["site_name"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| title_of_folder(source));
    let language = config["theme"]["language"].as_str().map(str::to_string);
    let Some(nav) = config["nav"].as_array() else {
        let mut plan = folder(&root, &title);
        plan.kind = SourceKind::MkDocs;
        plan.language = language;
        plan.notes = notes;
        return Ok(plan);
    };
    let mut modules: Vec<PlannedModule> = Vec::new();
    let mut loose = PlannedModule {
        title: title.clone(),
        pages: Vec::new(),
    };
    for entry in nav {
        match nav_entry(entry) {
            (Some(section), NavItem::Section(items)) => {
                if !loose.pages.is_empty() {
                    modules.push(std::mem::replace(
                        &mut loose,
                        PlannedModule {
                            title: title.clone(),
                            pages: Vec::new(),
                        },
                    ));
                }
                let mut module = PlannedModule {
                    title: section,
                    pages: Vec::new(),
                };
                flatten_nav(items, &mut module.pages, &mut notes);
                modules.push(module);
            }
            (label, NavItem::Page(path)) => {
                push_nav_page(&mut loose.pages, label, path, &mut notes);
            }
            (None, NavItem::Section(items)) => flatten_nav(items, &mut loose.pages, &mut notes),
        }
    }
    if !loose.pages.is_empty() {
        modules.push(loose);
    }
    Ok(Plan {
        kind: SourceKind::MkDocs,
        title,
        language,
        root,
        modules,
        notes,
        shared_folders: Vec::new(),
    })
}

/// mkdocs.yml without its YAML tags (`!ENV NAME`, `!!python/name:…`): what they stand for
/// is the extensions' business; the nav and the site's name are plain.
fn without_yaml_tags(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for line in text.lines() {
        let mut line = line.to_string();
        for marker in [": !", "- !"] {
            if let Some(at) = line.find(marker) {
                let tag_start = at + marker.len() - 1;
                let tag_end = line[tag_start..]
                    .find(' ')
                    .map_or(line.len(), |end| tag_start + end);
                line.replace_range(tag_start..tag_end, "");
            }
        }
        plain.push_str(&line);
        plain.push('\n');
    }
    plain
}

enum NavItem<'a> {
    Page(&'a str),
    Section(&'a [serde_json::Value]),
}

/// `"page.md"`, `{"Title": "page.md"}` or `{"Section": [...]}`.
fn nav_entry(entry: &serde_json::Value) -> (Option<String>, NavItem<'_>) {
    match entry {
        serde_json::Value::String(path) => (None, NavItem::Page(path)),
        serde_json::Value::Object(map) => match map.iter().next() {
            Some((label, serde_json::Value::String(path))) => {
                (Some(label.clone()), NavItem::Page(path))
            }
            Some((label, serde_json::Value::Array(items))) => {
                (Some(label.clone()), NavItem::Section(items))
            }
            _ => (None, NavItem::Section(&[])),
        },
        _ => (None, NavItem::Section(&[])),
    }
}

fn flatten_nav(items: &[serde_json::Value], pages: &mut Vec<PlannedPage>, notes: &mut Vec<String>) {
    for item in items {
        match nav_entry(item) {
            (label, NavItem::Page(path)) => push_nav_page(pages, label, path, notes),
            (_, NavItem::Section(inner)) => flatten_nav(inner, pages, notes),
        }
    }
}

fn push_nav_page(
    pages: &mut Vec<PlannedPage>,
    label: Option<String>,
    path: &str,
    notes: &mut Vec<String>,
) {
    if path.contains("://") {
        notes.push(format!(
            "mkdocs.yml: the nav link to `{path}` is outside the site: left out"
        ));
        return;
    }
    pages.push(PlannedPage {
        source: path.trim_start_matches("./").to_string(),
        title: label,
    });
}

/// A Carpentries lesson (the Workbench): its episodes, then its learner pages, in the order
/// `config.yaml` lists them. Instructor pages are left out: they are not for learners.
fn carpentries(source: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(source.join("config.yaml"))?;
    let config: serde_json::Value = serde_saphyr::from_str(&text).unwrap_or_default();
    let title = config["title"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| title_of_folder(source));
    let language = config["lang"].as_str().map(str::to_string);
    // The pages `config.yaml` lists under `key`, in its order; an empty list means every page
    // of the folder of that name.
    let pages_of = |key: &str| -> Vec<PlannedPage> {
        let listed: Vec<PlannedPage> = config[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item.as_str())
            .map(|file| PlannedPage {
                source: format!("{key}/{file}"),
                title: None,
            })
            .collect();
        if !listed.is_empty() || !source.join(key).is_dir() {
            return listed;
        }
        folder(&source.join(key), &title)
            .modules
            .into_iter()
            .flat_map(|m| m.pages)
            .map(|page| PlannedPage {
                source: format!("{key}/{}", page.source),
                title: page.title,
            })
            .collect()
    };
    let mut episodes = pages_of("episodes");
    // The lesson's home page opens it.
    if source.join("index.md").is_file() {
        episodes.insert(
            0,
            PlannedPage {
                source: "index.md".to_string(),
                title: Some(title.clone()),
            },
        );
    }
    let mut notes = Vec::new();
    if source.join("instructors").is_dir() {
        notes.push("config.yaml: the instructor pages are not for learners: left out".to_string());
    }
    let mut modules = vec![PlannedModule {
        title: title.clone(),
        pages: episodes,
    }];
    let mut learners = pages_of("learners");
    if config["learners"].as_array().is_none_or(Vec::is_empty) {
        // Found in the folder: set-up first, as the Workbench shows them.
        learners.sort_by_key(|page| page.source != "learners/setup.md");
    }
    if !learners.is_empty() {
        modules.push(PlannedModule {
            title: "Learner resources".to_string(),
            pages: learners,
        });
    }
    Ok(Plan {
        kind: SourceKind::Carpentries,
        title,
        language,
        root: source.to_path_buf(),
        modules,
        notes,
        shared_folders: vec!["episodes".to_string()],
    })
}

/// A folder of Markdown files: its own pages (a README or index first) are one module, each
/// folder below with pages another, in name order.
fn folder(root: &Path, title: &str) -> Plan {
    let mut by_folder: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let walk = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !entry.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.filter_map(Result::ok) {
        let is_markdown =
            entry.file_type().is_file() && entry.path().extension().is_some_and(|ext| ext == "md");
        if !is_markdown {
            continue;
        }
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let relative = relative.to_string_lossy().replace('\\', "/");
        if matches!(
            relative.as_str(),
            "SUMMARY.md" | "CHANGELOG.md" | "LICENSE.md" | "CONTRIBUTING.md" | "CODE_OF_CONDUCT.md"
        ) {
            continue;
        }
        let folder = relative.rsplit_once('/').map_or("", |(f, _)| f).to_string();
        by_folder.entry(folder).or_default().push(relative);
    }
    let modules = by_folder
        .into_iter()
        .map(|(folder, mut pages)| {
            // A folder's README or index opens it.
            pages.sort_by_key(|page| {
                let name = page.rsplit('/').next().unwrap_or(page).to_ascii_lowercase();
                !(name == "readme.md" || name == "index.md")
            });
            let module_title = if folder.is_empty() {
                title.to_string()
            } else {
                title_of_folder(&root.join(&folder))
            };
            PlannedModule {
                title: module_title,
                pages: pages
                    .into_iter()
                    .map(|source| {
                        let stem = source.rsplit('/').next().unwrap_or(&source);
                        let title = title_of_name(stem.trim_end_matches(".md"));
                        PlannedPage {
                            source,
                            title: Some(title),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Plan {
        kind: SourceKind::Folder,
        title: title.to_string(),
        language: None,
        root: root.to_path_buf(),
        modules,
        notes: Vec::new(),
        shared_folders: Vec::new(),
    }
}
