//! Helpers: run the binary, make throw-away courses, find the tools the tests need.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample_course() -> PathBuf {
    repo().join("courses").join("risk-management-internal-risk")
}

pub fn coursepack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coursepack"))
        .args(args)
        .output()
        .expect("the coursepack binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `course` for `standard` into `out`; returns the zip's path.
pub fn build(course: &Path, standard: &str, out: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec![
        "build",
        course.to_str().unwrap(),
        "--standard",
        standard,
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = coursepack(&args);
    assert!(
        output.status.success(),
        "build failed:\n{}",
        stderr(&output)
    );
    let line = stdout(&output);
    PathBuf::from(line.split_whitespace().next().expect("a summary line"))
}

/// A course folder made of `files` (path → content) in a fresh temporary folder. The course
/// is the folder `course` inside it, so tests can also place files *outside* the course.
pub struct TempCourse {
    pub dir: tempfile::TempDir,
}

pub const MINIMAL_TOML: &str =
    "[course]\nid = \"demo\"\ntitle = \"Demo\"\nversion = \"1.0.0\"\nlanguage = \"en\"\n";

/// The saved-state lock of a course never published: every page and question gets a new slot.
/// Test courses have one, as a course made with `coursepack new` does, so that the warning
/// about a missing lock shows only where a test is about it.
pub const NEW_LOCK: &str = "lineage = \"new\"\npages = []\nquestions = []\n";

impl TempCourse {
    pub fn new(files: &[(&str, &str)]) -> TempCourse {
        let course = TempCourse::without_lock(files);
        if !files.iter().any(|(path, _)| *path == "coursepack.lock") {
            course.write("coursepack.lock", NEW_LOCK.as_bytes());
        }
        course
    }

    /// A course folder of `files` only.
    pub fn without_lock(files: &[(&str, &str)]) -> TempCourse {
        let course = TempCourse {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(course.path()).unwrap();
        for (path, content) in files {
            course.write(path, content.as_bytes());
        }
        course
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("course")
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    pub fn write(&self, path: &str, content: &[u8]) {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

/// Whether an external tool is available. Under CI (`CI=true`) a missing tool fails the
/// test instead of skipping it.
pub fn tool_available(name: &str, probe: &[&str]) -> bool {
    let found = Command::new(name)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").is_err(),
            "{name} is required under CI; the README's test command installs it"
        );
        eprintln!("skipping: {name} is not installed (the README's test command installs it)");
    }
    found
}

/// Runs the independent package checker; returns (passed, its output).
pub fn check_package(package: &Path) -> Option<(bool, String)> {
    let checker = repo()
        .join("..")
        .join("shared")
        .join("tools")
        .join("check-package");
    if !checker.exists() {
        assert!(
            std::env::var("CI").is_err(),
            "{} is required under CI",
            checker.display()
        );
        eprintln!("skipping: {} not found", checker.display());
        return None;
    }
    if !tool_available("xmllint", &["--version"]) || !tool_available("python3", &["--version"]) {
        return None;
    }
    let output = Command::new("python3")
        .arg(&checker)
        .arg(package)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some((output.status.success(), text))
}

/// Every entry of a zip: (name, compressed?, bytes).
pub fn zip_entries(path: &Path) -> Vec<(String, bool, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            let name = file.name().unwrap().to_string();
            (
                name,
                file.compression() != zip::CompressionMethod::Stored,
                bytes,
            )
        })
        .collect()
}

/// The entry names of a zip, in order.
pub fn entry_names(path: &Path) -> Vec<String> {
    zip_entries(path).into_iter().map(|(n, _, _)| n).collect()
}

pub fn entry_text(path: &Path, name: &str) -> String {
    let entries = zip_entries(path);
    let (_, _, bytes) = entries
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("{name} is in the zip"));
    String::from_utf8(bytes.clone()).unwrap()
}

/// Copies a folder tree (a course) to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}
