//! `coursepack import`: a course folder made from material written for another tool: an
//! mdBook (`SUMMARY.md`), a MkDocs site (`mkdocs.yml` nav), a Carpentries lesson
//! (`config.yaml` episodes) or a plain folder of Markdown files. Pages keep the source's order
//! and their text; links between them and to the files they use are rewritten to the new
//! places; what cannot be carried over is said, never dropped silently.

mod plan;
mod rewrite;

pub use plan::{Plan, PlannedModule, PlannedPage, SourceKind, plan};

use crate::config::toml_string;
use crate::slug::{distinct_slug, slugify};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What an import wrote and what it could not carry over.
pub struct Imported {
    pub pages: usize,
    pub files: usize,
    pub notes: Vec<String>,
}

/// Writes the course `plan` describes into the empty folder `target`.
pub fn write_course(plan: &Plan, target: &Path) -> Result<Imported> {
    let places = place_pages(plan);
    let mut notes = plan.notes.clone();
    let mut files: BTreeSet<String> = BTreeSet::new();
    let course_toml = format!(
        "[course]\nid = {}\ntitle = {}\nversion = \"0.1.0\"\nlanguage = {}\n",
        toml_string(&course_id(plan)),
        toml_string(&plan.title),
        toml_string(plan.language.as_deref().unwrap_or("en")),
    );
    crate::fs::create_dir_all(target)?;
    crate::fs::write(&target.join(crate::config::COURSE_FILE), course_toml)?;
    let lock = crate::slots::Slots::assign(None, [], []).to_lock();
    crate::fs::write(&target.join(crate::slots::LOCK_FILE), lock)?;
    for (n, module) in plan.modules.iter().enumerate() {
        let folder = module_folder(n, module);
        crate::fs::create_dir_all(&target.join(&folder))?;
        let module_toml = format!("title = {}\n", toml_string(&module.title));
        crate::fs::write(
            &target.join(&folder).join(crate::config::MODULE_FILE),
            module_toml,
        )?;
    }
    for module in &plan.modules {
        for page in &module.pages {
            let text = match std::fs::read(plan.root.join(&page.source)) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(err) => {
                    notes.push(format!(
                        "`{}` cannot be read ({err}): left out",
                        page.source
                    ));
                    continue;
                }
            };
            let new_place = &places[&page.source];
            let rewritten = rewrite::links(&text, &page.source, new_place, plan, &places);
            for note in rewritten.notes {
                let note = format!("{}: {note}", page.source);
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            files.extend(rewritten.files);
            let text = with_title(&rewritten.text, page.title.as_deref());
            crate::fs::write(&target.join(new_place), text)?;
        }
    }
    for file in &files {
        let to = target.join(rewrite::media_place(file));
        if let Some(folder) = to.parent() {
            crate::fs::create_dir_all(folder)?;
        }
        crate::fs::copy(&plan.root.join(file), &to)?;
    }
    Ok(Imported {
        pages: places.len(),
        files: files.len(),
        notes,
    })
}

/// Where each source page goes in the course: `NN-module/MM-page.md`.
fn place_pages(plan: &Plan) -> BTreeMap<String, String> {
    let mut places = BTreeMap::new();
    for (n, module) in plan.modules.iter().enumerate() {
        let folder = module_folder(n, module);
        let mut taken: Vec<String> = Vec::new();
        for (m, page) in module.pages.iter().enumerate() {
            let stem = page
                .source
                .rsplit('/')
                .next()
                .unwrap_or(&page.source)
                .trim_end_matches(".md");
            let stem = crate::slug::split_order_prefix(stem).map_or(stem, |(_, rest)| rest);
            let base = match slugify(stem) {
                slug if slug.is_empty() || slug == "index" || slug == "readme" => {
                    slugify(page.title.as_deref().unwrap_or("page"))
                }
                slug => slug,
            };
            let base = if base.is_empty() { "page".into() } else { base };
            let names: Vec<&str> = taken.iter().map(String::as_str).collect();
            let slug = distinct_slug(&base, &names, |s| taken.iter().any(|t| t == s));
            places.insert(
                page.source.clone(),
                format!("{folder}/{:02}-{slug}.md", m + 1),
            );
            taken.push(slug);
        }
    }
    places
}

fn module_folder(n: usize, module: &PlannedModule) -> String {
    let slug = match slugify(&module.title) {
        slug if slug.is_empty() => "module".to_string(),
        slug => slug,
    };
    format!("{:02}-{slug}", n + 1)
}

fn course_id(plan: &Plan) -> String {
    match slugify(&plan.title) {
        id if id.is_empty() => "course".to_string(),
        id => id,
    }
}

/// The page with a title: a page without front matter or a first `#` heading gets the title
/// the source's table of contents gave it.
fn with_title(text: &str, title: Option<&str>) -> String {
    let Some(title) = title else {
        return text.to_string();
    };
    let has_front_matter = text.starts_with("---\n") || text.starts_with("+++\n");
    let has_title = has_front_matter
        && text
            .lines()
            .skip(1)
            .take_while(|line| *line != "---" && *line != "+++")
            .any(|line| line.starts_with("title:") || line.starts_with("title ="));
    let has_h1 = crate::markdown::parser(text).any(|event| {
        matches!(
            event,
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading {
                level: pulldown_cmark::HeadingLevel::H1,
                ..
            })
        )
    });
    if has_title || has_h1 {
        return text.to_string();
    }
    // A JSON string is a valid YAML double-quoted scalar: any title is safe.
    let quoted = serde_json::Value::String(title.to_string()).to_string();
    match text.strip_prefix("---\n") {
        Some(rest) => format!("---\ntitle: {quoted}\n{rest}"),
        None if text.starts_with("+++\n") => {
            format!("+++\ntitle = {}\n{}", toml_string(title), &text[4..])
        }
        None => format!("---\ntitle: {quoted}\n---\n\n{text}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_get_a_title_only_when_they_have_none() {
        assert_eq!(with_title("# Own\n", Some("Nav")), "# Own\n");
        assert_eq!(
            with_title("Text.\n", Some("Nav \"x\"")),
            "---\ntitle: \"Nav \\\"x\\\"\"\n---\n\nText.\n"
        );
        assert_eq!(
            with_title("---\nlayout: page\n---\nText\n", Some("Nav")),
            "---\ntitle: \"Nav\"\nlayout: page\n---\nText\n"
        );
        assert_eq!(
            with_title("---\ntitle: Own\n---\n", Some("Nav")),
            "---\ntitle: Own\n---\n"
        );
    }
}
