//! Embeds every file under `templates/` into the binary, so the default theme travels with
//! the tool and a course can override any file by name.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    println!("cargo:rerun-if-changed=templates");
    let mut code = String::from("pub static EMBEDDED: &[(&str, &[u8])] = &[\n");
    let files = walkdir::WalkDir::new(&root).sort_by_file_name();
    for entry in files
        .into_iter()
        .map(|e| e.expect("readable templates folder"))
    {
        println!("cargo:rerun-if-changed={}", entry.path().display());
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .expect("UTF-8 template names");
        let name = name.replace('\\', "/");
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            entry.path().display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_templates.rs");
    std::fs::write(out, code).unwrap();
    embed_schemas();
}

/// The official SCORM XML Schemas, one constant per standard, for `coursepack validate`.
fn embed_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/inspect/schemas");
    println!("cargo:rerun-if-changed=src/inspect/schemas");
    let mut code = String::new();
    for (constant, folder) in [("SCORM12", "scorm12"), ("SCORM2004", "scorm2004-4th")] {
        let dir = root.join(folder);
        writeln!(code, "static {constant}: SchemaSet = &[").unwrap();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.expect("readable schema folder");
            if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "xsd") {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(&dir)
                .unwrap()
                .to_str()
                .unwrap()
                .replace('\\', "/");
            writeln!(
                code,
                "    ({name:?}, include_bytes!({:?})),",
                entry.path().display().to_string()
            )
            .unwrap();
        }
        code.push_str("];\n");
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_schemas.rs");
    std::fs::write(out, code).unwrap();
}
