//! Embeds every file under `templates/` into the binary, so the default theme travels with
//! the tool and a course can override any file by name; and the official SCORM XML Schemas
//! under `src/inspect/schemas/`, one set per standard, for `coursepack validate`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Cargo watches a folder named here recursively.
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=src/inspect/schemas");

    let mut templates = String::new();
    embed_folder(
        &mut templates,
        "pub static EMBEDDED",
        &manifest_dir.join("templates"),
        |_| true,
    );
    write_out("embedded_templates.rs", &templates);

    let mut schemas = String::new();
    let root = manifest_dir.join("src/inspect/schemas");
    for (constant, folder) in [("SCORM12", "scorm12"), ("SCORM2004", "scorm2004-4th")] {
        embed_folder(
            &mut schemas,
            &format!("static {constant}"),
            &root.join(folder),
            |path| path.extension().is_some_and(|e| e == "xsd"),
        );
    }
    write_out("embedded_schemas.rs", &schemas);
}

/// Appends `<declaration>: &[(&str, &[u8])] = &[...]`: every file under `dir` that `keep`
/// accepts, named by its `/`-separated path inside `dir`, in sorted order.
fn embed_folder(code: &mut String, declaration: &str, dir: &Path, keep: impl Fn(&Path) -> bool) {
    writeln!(code, "{declaration}: &[(&str, &[u8])] = &[").unwrap();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable embedded folder");
        if !entry.file_type().is_file() || !keep(entry.path()) {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_str()
            .expect("UTF-8 file names")
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

fn write_out(name: &str, code: &str) {
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join(name);
    std::fs::write(out, code).unwrap();
}
