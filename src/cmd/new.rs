//! `coursepack new`: a small course that builds and passes `check` at once, as a start.

use super::Output;
use crate::cli::NewArgs;
use anyhow::{Result, bail};
use std::collections::HashMap;
use std::process::ExitCode;

pub fn run(args: &NewArgs, output: Output) -> Result<ExitCode> {
    let dir = &args.dir;
    if dir.exists() && crate::fs::has_entries(dir)? {
        bail!(
            "{} already exists and is not empty; choose a new folder name",
            dir.display()
        );
    }
    // Both go into the scaffold's TOML and Markdown as they are: a newline would add lines of
    // its own, a path in the language would lead translations out of the course.
    if !crate::config::is_language_tag(&args.language) {
        bail!(
            "`{}` is not a BCP 47 language tag; use a tag such as `en`, `fr`, `pt-BR`, `uk` or `ar`",
            args.language.escape_debug()
        );
    }
    if let Some(title) = &args.title
        && (title.trim().is_empty() || title.chars().any(char::is_control))
    {
        bail!(
            "the title `{}` is not one line of text; give it without line breaks or control characters",
            title.escape_debug()
        );
    }
    let folder_name = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| title_from_folder(&folder_name));
    let mut id = crate::slug::slugify(&folder_name);
    if id.is_empty() {
        id = crate::slug::slugify(&title);
    }
    if id.is_empty() {
        id = "course".to_string();
    }
    let mut tera = tera::Tera::default();
    tera.register_filter("toml", toml_string);
    let mut context = tera::Context::new();
    context.insert("title", &title);
    context.insert("id", &id);
    context.insert("language", &args.language);
    for (name, bytes) in crate::templates::scaffold() {
        let path = dir.join(name);
        crate::fs::create_dir_all(path.parent().expect("scaffold files live in the course"))?;
        let content = if name.ends_with(".md") || name.ends_with(".toml") {
            let text = std::str::from_utf8(bytes).expect("scaffold sources are UTF-8");
            tera.render_str(text, &context)
                .map_err(|err| anyhow::anyhow!(crate::templates::describe_tera_error(&err)))?
                .into_bytes()
        } else {
            bytes.to_vec()
        };
        crate::fs::write(&path, content)?;
    }
    // The course starts with its lock, empty: each page and question gets its slot at the
    // first build, and `check` has nothing to warn about.
    let lock = dir.join(crate::slots::LOCK_FILE);
    crate::fs::write(&lock, crate::slots::Slots::assign(None, [], []).to_lock())?;
    if !output.quiet {
        let shown = dir.display();
        println!("{shown}: new course \"{title}\"");
        println!("  coursepack preview {shown}   see it in the browser as you edit");
        println!("  coursepack build {shown}     make the SCORM package");
    }
    Ok(ExitCode::SUCCESS)
}

/// `risk-basics` → `Risk basics`: a readable start the designer will replace.
fn title_from_folder(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New course".to_string(),
    }
}

/// Tera filter: a string as a quoted TOML value, so any title is safe in course.toml.
fn toml_string(value: &tera::Value, _: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    Ok(tera::Value::String(
        toml::Value::String(text.to_string()).to_string(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_folder_names() {
        assert_eq!(title_from_folder("risk-basics"), "Risk basics");
        assert_eq!(title_from_folder("été_2026"), "Été 2026");
        assert_eq!(title_from_folder(""), "New course");
    }

    #[test]
    fn titles_are_quoted_for_toml() {
        let quoted = toml_string(&tera::Value::from("Say \"hi\" \\ now"), &HashMap::new()).unwrap();
        let parsed: toml::Table = format!("t = {}", quoted.as_str().unwrap()).parse().unwrap();
        assert_eq!(parsed["t"].as_str(), Some("Say \"hi\" \\ now"));
    }

    #[test]
    fn writes_nothing_into_a_folder_in_use() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let args = NewArgs {
            dir: dir.path().to_path_buf(),
            title: None,
            language: "en".into(),
        };
        let quiet = Output {
            quiet: true,
            verbose: false,
        };
        assert!(run(&args, quiet).is_err());
        assert!(!dir.path().join("course.toml").exists());
    }
}
