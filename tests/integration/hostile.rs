//! Input written by an attacker: each case with the exact outcome (the message, exit code 1,
//! nothing written, nothing read from outside the course), and bounded in time.

use crate::support::*;
use std::os::unix::fs::symlink;
use std::time::{Duration, Instant};

const WELCOME: (&str, &str) = ("01-intro/01-welcome.md", "# Welcome\n\nHello.\n");
const TALK: (&str, &str) = (
    "01-intro/01-welcome.md",
    "# Welcome\n\n![The director on integrity](media/talk.mp3)\n",
);

/// `check` of the course, within `limit`: (exit code, stderr with the course folder as `COURSE`).
fn check_within(course: &TempCourse, limit: Duration) -> (Option<i32>, String) {
    let started = Instant::now();
    let output = coursepack(&["check", course.path().to_str().unwrap()]);
    assert!(
        started.elapsed() < limit,
        "check took {:?}",
        started.elapsed()
    );
    let shown = stderr(&output)
        .replace(course.path().to_str().unwrap(), "COURSE")
        .replace(course.dir.path().to_str().unwrap(), "OUTSIDE");
    (output.status.code(), shown)
}

/// A course whose `media/talk.mp3` has a transcript `link` points at.
fn talk_with_transcript_at(link: &std::path::Path) -> TempCourse {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), TALK]);
    course.write("01-intro/media/talk.mp3", b"ID3");
    symlink(
        link,
        course.path().join("01-intro/media/talk.transcript.md"),
    )
    .unwrap();
    course
}

/// A FIFO at `relative` in the course (its folder made first).
fn make_fifo(course: &TempCourse, relative: &str) {
    let path = course.path().join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// A course whose page shows `media/talk.mp4`, of `size` bytes (sparse, so quick to make).
fn course_with_video(size: u64) -> TempCourse {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![The director on integrity](media/talk.mp4)\n",
        ),
    ]);
    std::fs::create_dir_all(course.path().join("01-intro/media")).unwrap();
    let video = std::fs::File::create(course.path().join("01-intro/media/talk.mp4")).unwrap();
    video.set_len(size).unwrap();
    course
}

#[test]
fn a_transcript_linked_to_a_file_outside_the_course_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    std::fs::write(&secret, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    let course = talk_with_transcript_at(&secret);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(
        shown,
        "COURSE/01-intro/media/talk.transcript.md: error: `01-intro/media/talk.transcript.md` is a symbolic link to a file outside the course folder\n  \
         help: copy the file into the course folder instead of linking to it\nerror: COURSE: 1 error and 0 warnings\n"
    );
    let out = course.out();
    let built = coursepack(&[
        "build",
        course.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(built.status.code(), Some(1));
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn a_transcript_that_is_a_device_or_a_fifo_neither_hangs_nor_eats_memory() {
    let course = talk_with_transcript_at(std::path::Path::new("/dev/zero"));
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    // /dev/zero is outside the course before it is a device.
    assert!(
        shown.contains("is a symbolic link to a file outside the course folder"),
        "{shown}"
    );

    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), TALK]);
    course.write("01-intro/media/talk.mp3", b"ID3");
    make_fifo(&course, "01-intro/media/talk.transcript.md");
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert_eq!(
        shown,
        "COURSE/01-intro/media/talk.transcript.md: error: `01-intro/media/talk.transcript.md` is not a regular file\n  \
         help: only ordinary files can be packaged; replace it with a copy of the file it stands for\nerror: COURSE: 1 error and 0 warnings\n"
    );
}

#[test]
fn course_and_module_settings_linked_from_outside_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("course.toml"), MINIMAL_TOML).unwrap();
    std::fs::write(outside.path().join("module.toml"), "title = \"Stolen\"\n").unwrap();
    let course = TempCourse::new(&[WELCOME]);
    symlink(
        outside.path().join("course.toml"),
        course.path().join("course.toml"),
    )
    .unwrap();
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.starts_with("COURSE/course.toml: error: `course.toml` is a symbolic link to a file outside the course folder\n"),
        "{shown}"
    );

    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    symlink(
        outside.path().join("module.toml"),
        course.path().join("01-intro/module.toml"),
    )
    .unwrap();
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.starts_with("COURSE/01-intro/module.toml: error: `01-intro/module.toml` is a symbolic link to a file outside the course folder\n"),
        "{shown}"
    );
}

#[test]
fn a_page_that_is_a_fifo_does_not_hang_the_build() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    make_fifo(&course, "01-intro/02-pipe.md");
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.starts_with(
            "COURSE/01-intro/02-pipe.md: error: `01-intro/02-pipe.md` is not a regular file\n"
        ),
        "{shown}"
    );
}

#[test]
fn an_empty_list_of_standards_is_an_error_not_a_crash() {
    let toml = format!("{MINIMAL_TOML}\n[package]\nstandards = []\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.starts_with("COURSE/course.toml:8:1: error: `standards` names no standard\n"),
        "{shown}"
    );
    let diff = coursepack(&[
        "diff",
        course.path().to_str().unwrap(),
        course.path().to_str().unwrap(),
    ]);
    assert_eq!(
        diff.status.code(),
        Some(2),
        "a failure, not a panic: {}",
        stderr(&diff)
    );
    assert!(
        stderr(&diff).contains("`standards` names no standard"),
        "{}",
        stderr(&diff)
    );
}

#[test]
fn an_image_or_an_included_file_that_is_a_fifo_is_refused_without_hanging() {
    let toml = format!("{MINIMAL_TOML}\n[package]\ninclude = [\"handouts/*\"]\n");
    let course = TempCourse::new(&[
        ("course.toml", &toml),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![Map](media/map.png)\n",
        ),
    ]);
    for fifo in ["01-intro/media/map.png", "handouts/notes.txt"] {
        make_fifo(&course, fifo);
    }
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.contains(
            "COURSE/01-intro/01-welcome.md:3:1: error: `media/map.png` is not a regular file\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("`handouts/notes.txt` is not a regular file"),
        "{shown}"
    );
}

#[test]
fn new_refuses_a_title_that_adds_lines_and_a_language_that_is_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("c");
    let output = coursepack(&[
        "new",
        course.to_str().unwrap(),
        "--title",
        "Ethics\n[package]\nallow_scripts = true",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: the title `Ethics\\n[package]\\nallow_scripts = true` is not one line of text; give it without line breaks or control characters\n"
    );
    let output = coursepack(&["new", course.to_str().unwrap(), "--language", "../../x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: `../../x` is not a BCP 47 language tag"),
        "{}",
        stderr(&output)
    );
    assert!(!course.exists(), "nothing was written");
}

/// The course's PO file for Ukrainian, as `translate export` writes it: its path and text.
fn exported_po(course: &TempCourse) -> (std::path::PathBuf, String) {
    let po = course.dir.path().join("uk.po");
    let exported = coursepack(&[
        "translate",
        "export",
        course.path().to_str().unwrap(),
        "--to",
        "uk",
        "-o",
        po.to_str().unwrap(),
    ]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    let text = std::fs::read_to_string(&po).unwrap();
    (po, text)
}

/// `translate import` of `po` into `out`.
fn import_po(
    course: &TempCourse,
    po: &std::path::Path,
    out: &std::path::Path,
) -> std::process::Output {
    coursepack(&[
        "translate",
        "import",
        course.path().to_str().unwrap(),
        po.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
}

fn names_in(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    names
}

#[test]
fn a_po_language_that_is_a_path_creates_nothing() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    let (po, text) = exported_po(&course);
    assert!(text.contains("\"Language: uk\\n\""), "{text}");
    std::fs::write(
        &po,
        text.replace("\"Language: uk\\n\"", "\"Language: ../../evil\\n\""),
    )
    .unwrap();
    let before = names_in(course.dir.path());
    let output = coursepack(&[
        "translate",
        "import",
        course.path().to_str().unwrap(),
        po.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("the PO header's `Language: ../../evil` is not a BCP 47 language tag"),
        "{}",
        stderr(&output)
    );
    let after = names_in(course.dir.path());
    assert_eq!(before, after, "no folder was made");
    assert!(!course.dir.path().join("..").join("evil").exists());
}

#[test]
fn a_malformed_po_file_is_an_error_at_its_line_never_a_panic() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    let (po, text) = exported_po(&course);
    // The first message's empty translation, after the header.
    let at = text.find("msgctxt").unwrap();
    let empty = at + text[at..].find("msgstr \"\"").unwrap();
    let line = 1 + text[..empty].matches('\n').count();
    let shown = po.display().to_string();
    for (msgstr, problem) in [
        (
            "msgstr \"Ласкаво".to_string(),
            "the quoted text is not closed; end it with `\"` on the same line",
        ),
        (
            "msgstr x".to_string(),
            "expected a quoted text, such as `msgstr \"Текст\"`",
        ),
        (
            "msgstr \"ends in an escaped quote\\\"".to_string(),
            "the quoted text is not closed; end it with `\"` on the same line",
        ),
        (
            format!("msgstr \"{}\"", "ї".repeat(50_000)),
            "the line is 100009 bytes long, more than 65000; split the text into several quoted lines, as `msgcat` does",
        ),
    ] {
        std::fs::write(
            &po,
            format!("{}{msgstr}{}", &text[..empty], &text[empty + 9..]),
        )
        .unwrap();
        let out = course.dir.path().join("out");
        let output = import_po(&course, &po, &out);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(
            stderr(&output),
            format!("error: {shown}:{line}: {problem}\n")
        );
        assert!(!out.exists());
    }
}

/// Shapes the PO parser panicked on or misread (found by fuzzing): each is read as gettext
/// reads it, or is an error at its line.
#[test]
fn po_lines_the_parser_would_misread_are_read_right_or_refused() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    let (po, text) = exported_po(&course);
    let out = course.dir.path().join("out");
    let import = || {
        let _ = std::fs::remove_dir_all(&out);
        import_po(&course, &po, &out)
    };
    // A file of one `#`: no panic, just no language.
    std::fs::write(&po, "#\n").unwrap();
    let output = import();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("the PO file names no language"),
        "{}",
        stderr(&output)
    );
    // A continuation with nothing before it.
    std::fs::write(&po, format!("\"orphan\"\n{text}")).unwrap();
    let output = import();
    assert_eq!(
        stderr(&output),
        format!(
            "error: {}:1: a quoted continuation must follow a `msgid`, `msgstr` or `msgctxt` line or another quoted line\n",
            po.display()
        )
    );
    // An empty comment line inside a message, and indented lines with extra spaces, as some
    // editors write them: the translation is exactly what the translator wrote.
    let hacked = text.replacen(
        "msgid \"Hello.\"\nmsgstr \"\"",
        "#\n  msgid \"Hello.\"\n  msgstr   \"Привіт.\"\n#",
        1,
    );
    assert_ne!(hacked, text);
    std::fs::write(&po, hacked).unwrap();
    let output = import();
    assert!(output.status.success(), "{}", stderr(&output));
    let page = std::fs::read_to_string(out.join("01-intro/01-welcome.md")).unwrap();
    assert_eq!(page, "# Welcome\n\nПривіт.\n");
}

#[test]
fn an_interrupted_build_leaves_nothing_behind() {
    // A large video keeps the zip being written long enough.
    let course = course_with_video(3 << 30);
    let out = course.out();
    for signal in ["INT", "TERM"] {
        let build = std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
            .args([
                "build",
                course.path().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let partial = loop {
            let found = std::fs::read_dir(&out).ok().and_then(|mut d| {
                d.find_map(|e| {
                    let name = e.unwrap().file_name().to_string_lossy().into_owned();
                    name.ends_with(".zip.partial").then_some(name)
                })
            });
            if let Some(name) = found {
                break name;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the build never started its zip"
            );
            std::thread::sleep(Duration::from_millis(2));
        };
        let killed = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &build.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = build.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(130),
            "SIG{signal}: {}",
            stderr(&output)
        );
        assert_eq!(
            stderr(&output),
            "interrupted: the unfinished output was removed\n"
        );
        let left: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "SIG{signal} left {left:?} ({partial} was being written)"
        );
    }
}

#[test]
fn terminal_escapes_from_the_input_are_shown_not_obeyed() {
    // A title that would retitle the terminal window and a link that would colour the screen.
    let toml = MINIMAL_TOML.replace("title = \"Demo\"", "title = \"Demo\\u001b]0;owned\\u0007\"");
    let course = TempCourse::new(&[
        ("course.toml", &toml),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\nSee [this](<\u{1b}[31mred.md>).\n",
        ),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1));
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert!(shown.contains("\\u{1b}[31mred.md"), "{shown}");

    course.write("01-intro/01-welcome.md", b"# Welcome\n\nHello.\n");
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let output = coursepack(&["inspect", zip.to_str().unwrap()]);
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("Demo\\u{1b}]0;owned\\u{7}"), "{text}");
}

#[test]
fn two_courses_with_one_id_in_one_build_do_not_overwrite_each_other() {
    let first = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    let second = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-other.md", "# Other\n"),
    ]);
    let out = first.out();
    let output = coursepack(&[
        "build",
        first.path().to_str().unwrap(),
        second.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let zip = out.join("demo-1.0.0-scorm12.zip");
    let expected = format!(
        "error: {}: it would write {} as {} does (the same course id `demo` and version); give one of them another id; no package was written\n",
        second.path().display(),
        zip.display(),
        first.path().display()
    );
    assert!(stderr(&output).ends_with(&expected), "{}", stderr(&output));
    assert!(
        entry_names(&zip)
            .iter()
            .any(|n| n == "pages/intro/welcome.html"),
        "the first course's package stands"
    );
    // The same folder twice is the same collision.
    let again = coursepack(&[
        "build",
        first.path().to_str().unwrap(),
        first.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn a_file_named_like_another_files_package_name_does_not_replace_it() {
    // `Map.png` is packaged under a hashed name; a file may be named exactly that.
    let hashed = "map-ee65de64.png";
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            &format!("# Welcome\n\n![Map](media/Map.png)\n\n![Other](media/{hashed})\n"),
        ),
    ]);
    course.write("01-intro/media/Map.png", b"the map");
    course.write(&format!("01-intro/media/{hashed}"), b"another image");
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let entries = zip_entries(&zip);
    let media: Vec<(&str, &[u8])> = entries
        .iter()
        .filter(|(name, _, _)| name.starts_with("files/01-intro/media/"))
        .map(|(name, _, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    assert_eq!(media.len(), 2, "{media:?}");
    let page = entry_text(&zip, "pages/intro/welcome.html");
    for (name, bytes) in media {
        let file = name.rsplit('/').next().unwrap();
        let alt = if bytes == b"the map" { "Map" } else { "Other" };
        assert!(
            page.contains(&format!(
                "src=\"../../files/01-intro/media/{file}\" alt=\"{alt}\""
            )),
            "{alt} → {file}:\n{page}"
        );
    }
}

/// `check` of a course whose one page is `page`: how long it took, and what it said.
fn timed_check(page: &str) -> (Duration, std::process::Output) {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), ("01-intro/01-page.md", page)]);
    let started = Instant::now();
    let output = coursepack(&["check", course.path().to_str().unwrap()]);
    (started.elapsed(), output)
}

#[test]
fn nested_images_take_linear_time() {
    let time_for = |depth: usize| {
        let page = format!(
            "# W\n\n{}{}\n",
            "![a".repeat(depth),
            "](x.png)".repeat(depth)
        );
        let (elapsed, output) = timed_check(&page);
        assert_eq!(output.status.code(), Some(1), "x.png is missing");
        elapsed
    };
    // Measured side by side: five times the depth takes about five times as long, not 25.
    let small = time_for(10_000);
    let large = time_for(50_000);
    assert!(
        large < Duration::from_secs(60),
        "50,000 nested images: {large:?}"
    );
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(
        ratio < 12.0,
        "10,000: {small:?}, 50,000: {large:?}, ratio {ratio:.1}"
    );
}

#[test]
fn a_file_that_deflates_like_a_bomb_is_stored_and_the_package_passes_validate() {
    let toml = format!("{MINIMAL_TOML}\n[package]\ninclude = [\"handouts/*\"]\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    // 4 MiB of one character deflates about 1,000 times.
    course.write("handouts/blank.txt", &vec![b' '; 4 << 20]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let blank = zip_entries(&zip)
        .into_iter()
        .find(|(name, _, _)| name.ends_with("blank.txt"))
        .unwrap();
    assert!(!blank.1, "stored, not deflated");
    let output = coursepack(&["validate", zip.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn a_file_over_4_gib_is_refused_before_anything_is_written() {
    let course = course_with_video(5 << 30);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        shown.contains("COURSE/01-intro/media/talk.mp4: error: `01-intro/media/talk.mp4` is 5 GiB; a file in a package must be under 4 GiB\n"),
        "{shown}"
    );
}

#[test]
fn a_package_of_more_files_than_a_zip_holds_is_refused_before_it_is_written() {
    let toml = format!("{MINIMAL_TOML}\n[package]\ninclude = [\"bulk/*\"]\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let bulk = course.path().join("bulk");
    std::fs::create_dir(&bulk).unwrap();
    for i in 0..65_535 {
        std::fs::write(bulk.join(format!("f{i}.txt")), "x").unwrap();
    }
    let out = course.out();
    let output = coursepack(&[
        "build",
        course.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let shown = stderr(&output).replace(course.path().to_str().unwrap(), "COURSE");
    assert!(
        shown.contains("error: COURSE: the package would hold 655"),
        "{shown}"
    );
    assert!(shown.contains("files, and a package holds at most 65534; split the course into several\nerror: COURSE: no package was written"), "{shown}");
    assert!(
        !out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing written"
    );
}

/// Raw HTML in a page, one attack per line, as the XSS cheat sheets list them.
const SCRIPT_IN_HTML: &[(&str, &str)] = &[
    (
        "<img src=\"data:image/png;base64,AAAA\" alt=\"\" onerror=\"alert(1)\">",
        "event handler `onerror` on `<img>` runs script",
    ),
    (
        "<details ontoggle=\"alert(1)\" open>x</details>",
        "event handler `ontoggle` on `<details>` runs script",
    ),
    (
        "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "`srcdoc` on `<iframe>` embeds a document that can run script",
    ),
    (
        "<iframe src=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
        "`src` on `<iframe>` loads `data:text/html,<script>alert(1)</script>` from outside the package",
    ),
    (
        "<object data=\"data:text/html,x\"></object>",
        "`<object>` runs or embeds active content",
    ),
    (
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "`javascript:` URL in `xlink:href` on `<a>` runs script",
    ),
    (
        "<form action=\"javascript:alert(1)\"></form>",
        "`javascript:` URL in `action` on `<form>` runs script",
    ),
    (
        "<button formaction=\"java&#x09;script:alert(1)\">x</button>",
        "`javascript:` URL in `formaction` on `<button>` runs script",
    ),
    (
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "`<meta http-equiv>` can reload or redirect the page",
    ),
    (
        "<base href=\"https://evil.example/\">",
        "`<base>` runs or embeds active content",
    ),
    (
        "<style>body { background: url(https://evil.example/t.png) }</style>",
        "a CSS `url(…)` outside the package in a `<style>` element",
    ),
];

#[test]
fn script_in_page_html_is_refused_at_its_line_and_nothing_is_written() {
    let lines: Vec<&str> = SCRIPT_IN_HTML.iter().map(|(html, _)| *html).collect();
    // Each attack is its own HTML block, two lines apart, from line 3 on.
    let page = format!("# Welcome\n\n{}\n", lines.join("\n\n"));
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", &page),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    for (n, (_, message)) in SCRIPT_IN_HTML.iter().enumerate() {
        // The column of the construct: the `<a>` inside `<svg>`, the `url(` inside `<style>`.
        let column = match n {
            5 => 6,
            10 => 27,
            _ => 1,
        };
        let at = format!(
            "COURSE/01-intro/01-welcome.md:{}:{column}: error: {message}\n",
            3 + 2 * n
        );
        assert!(shown.contains(&at), "missing {at}in:\n{shown}");
    }
    assert!(
        shown.contains(&format!("{} errors", SCRIPT_IN_HTML.len())),
        "{shown}"
    );
    let output = coursepack(&[
        "build",
        course.path().to_str().unwrap(),
        "-o",
        course.out().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!course.out().exists() || names_in(&course.out()).is_empty());
}

/// A problem in a quiz text is shown where that text is: question, option, option feedback
/// or a setting.
#[test]
fn quiz_texts_are_held_to_the_html_policy() {
    let page = concat!(
        "# Check\n\n```quiz\n",
        "? Which <img src=\"data:image/png;base64,AAAA\" alt=\"\" onerror=alert(1)> is right?\n",
        "- [x] <a href=\"javascript:alert(2)\">this</a>\n",
        "- [ ] that\n",
        "  > Not <b onclick=alert(3)>that</b>\n",
        "explain: See <a href=\"vbscript:x\">here</a>\n",
        "```\n",
    );
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-check.md", page),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    for expected in [
        "01-check.md:4:9: error: event handler `onerror` on `<img>` runs script",
        "01-check.md:5:7: error: `javascript:` URL in `href` on `<a>` runs script",
        "01-check.md:7:9: error: event handler `onclick` on `<b>` runs script",
        "01-check.md:8:14: error: `vbscript:` URL in `href` on `<a>` runs script",
    ] {
        assert!(shown.contains(expected), "{expected}\n{shown}");
    }
}

#[test]
fn harmless_markup_outside_the_allowlist_is_left_out_with_a_warning() {
    let page =
        "# Welcome\n\n<marquee>Breaking</marquee>\n\n<p class=\"note\" markdown=\"1\">Kept</p>\n";
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", page),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("01-welcome.md:3:1: warning: `<marquee>` is not in the HTML allowlist and is left out (its text stays)"), "{shown}");
    assert!(shown.contains("01-welcome.md:5:1: warning: attribute `markdown` on `<p>` is not in the HTML allowlist and is left out"), "{shown}");
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let html = entry_text(&zip, "pages/intro/welcome.html");
    assert!(
        html.contains("<p>Breaking</p>") && html.contains("<p class=\"note\">Kept</p>"),
        "{html}"
    );
    assert!(
        !html.contains("marquee") && !html.contains("markdown="),
        "{html}"
    );
}

#[test]
fn carried_html_svg_and_css_files_that_run_script_are_refused_at_their_line() {
    let page = "# Welcome\n\n[Open the simulation](sim/index.html)\n\n![Map of risks](map.svg)\n";
    let toml = format!(
        "{MINIMAL_TOML}[theme]\nlogo = \"logo.svg\"\n[package]\ninclude = [\"01-intro/sim/*.css\"]\n"
    );
    let course = TempCourse::new(&[
        ("course.toml", &toml),
        ("01-intro/01-welcome.md", page),
        (
            "01-intro/sim/index.html",
            "<!doctype html>\n<title>Sim</title>\n<p>Start</p>\n<script>steal(document.cookie)</script>\n",
        ),
        (
            "01-intro/sim/look.css",
            "p {\n  color: red;\n  background: url(https://evil.example/t.png);\n}\n",
        ),
        (
            "01-intro/map.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"\n     onload=\"alert(1)\"><circle r=\"4\"/></svg>\n",
        ),
        (
            "logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(2)</script></svg>\n",
        ),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(1), "{shown}");
    for at in [
        "COURSE/01-intro/sim/index.html:4:1: error: `<script>` runs or embeds active content",
        "COURSE/01-intro/sim/look.css:3:15: error: a CSS `url(…)` outside the package in a style sheet",
        "COURSE/01-intro/map.svg:1:1: error: event handler `onload` on `<svg>` runs script",
        "COURSE/logo.svg:2:1: error: `<script>` runs or embeds active content",
    ] {
        assert!(shown.contains(at), "missing {at} in:\n{shown}");
    }
    // A course that trusts its authors turns the policy off.
    course.write(
        "course.toml",
        format!("{toml}allow_scripts = true\n").as_bytes(),
    );
    let (code, shown) = check_within(&course, Duration::from_secs(10));
    assert_eq!(code, Some(0), "{shown}");
}

/// A carried document that passes the policy ships byte for byte as it was checked.
#[test]
fn carried_markup_that_passes_is_packaged_as_checked() {
    let html = "\u{feff}<!doctype html>\r\n<title>Sim</title>\r\n<p class=\"start\">Start</p>\r\n";
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/></svg>";
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n[Open](sim/index.html)\n\n![Map](map.svg)\n",
        ),
        ("01-intro/sim/index.html", html),
        ("01-intro/map.svg", svg),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let names = entry_names(&zip);
    for (suffix, source) in [("sim/index.html", html), ("map.svg", svg)] {
        let name = names
            .iter()
            .find(|name| name.ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} in {names:?}"));
        assert_eq!(entry_text(&zip, name), source);
    }
}

#[test]
fn a_translation_that_adds_html_or_structure_is_an_error_at_its_po_line() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", "# Welcome\n\nHello.\n"),
    ]);
    let (po, text) = exported_po(&course);
    for (translation, change) in [
        (
            "Привіт <img src=x onerror=alert(1)>",
            "adds the HTML `<img src=x onerror=alert(1)>`",
        ),
        ("Привіт\\n\\n# Новий розділ", "adds a heading"),
        (
            "Привіт\\n\\n```quiz\\n? Питання\\n- [x] так\\n```",
            "adds a code or quiz block",
        ),
    ] {
        let hacked = text.replacen(
            "msgid \"Hello.\"\nmsgstr \"\"",
            &format!("msgid \"Hello.\"\nmsgstr \"{translation}\""),
            1,
        );
        assert_ne!(hacked, text);
        let line = 1
            + hacked[..hacked.find("msgid \"Hello.\"").unwrap()]
                .matches('\n')
                .count()
            + 1;
        std::fs::write(&po, &hacked).unwrap();
        let out = course.dir.path().join("out");
        let output = import_po(&course, &po, &out);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        let at = format!(
            "{}:{line}:1: error: the translation of `intro/welcome:",
            po.display()
        );
        let shown = stderr(&output);
        assert!(
            shown.contains(&at)
                && shown.contains(&format!("{change} (source: 01-intro/01-welcome.md:3)")),
            "{shown}"
        );
        assert!(!out.exists());
    }
}

/// The player's words are plain text from course.toml, embedded as JSON in a `<script>`
/// element: no `<` of theirs may reach the HTML parser there.
#[test]
fn player_words_cannot_end_or_derail_their_script_element() {
    let toml = format!(
        "{MINIMAL_TOML}[strings]\ntranscript = \"<!--<script> and </script><img src=x onerror=alert(1)>\"\n"
    );
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let html = entry_text(&zip, "index.html");
    let start = html
        .find("<script type=\"application/json\" id=\"cp-strings\">")
        .unwrap();
    let data = &html[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    assert!(!data.contains('<'), "{data}");
    let parsed: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(
        parsed["transcript"],
        "<!--<script> and </script><img src=x onerror=alert(1)>"
    );
}

#[test]
fn math_nested_thousands_deep_is_refused_at_its_line() {
    let page = format!(
        "# Deep\n\n${}x{}$\n\n$${}1{}$$\n",
        "\\left(".repeat(150),
        "\\right)".repeat(150),
        "x^{".repeat(20_000),
        "}".repeat(20_000),
    );
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-deep.md", &page),
    ]);
    let (code, shown) = check_within(&course, Duration::from_secs(60));
    assert_eq!(code, Some(1));
    assert!(
        shown.contains("01-intro/01-deep.md:3:1: error: math nested 150 deep is deeper than 100"),
        "{shown}"
    );
    assert!(
        shown.contains("01-intro/01-deep.md:5:1: error: math of 80001 bytes is longer than 20000"),
        "{shown}"
    );
}

#[test]
fn fenced_divs_nested_thousands_deep_are_flattened_in_linear_time() {
    let time_for = |depth: usize| {
        let page = format!(
            "# Deep\n\n{}text\n{}",
            "::: note\n".repeat(depth),
            ":::\n".repeat(depth)
        );
        let (elapsed, output) = timed_check(&page);
        assert_eq!(output.status.code(), Some(1));
        assert!(
            stderr(&output)
                .contains("01-intro/01-page.md:35:1: error: fenced div nested deeper than 32"),
            "{}",
            stderr(&output)
        );
        elapsed
    };
    // Measured side by side: five times the depth takes about five times as long, not 25.
    let small = time_for(4_000);
    let large = time_for(20_000);
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(
        ratio < 12.0,
        "4,000: {small:?}, 20,000: {large:?}, ratio {ratio:.1}"
    );
}

#[test]
fn a_page_of_broken_links_gets_a_bounded_number_of_suggestions() {
    let links: String = (0..3_000)
        .map(|n| format!("![f](media/figure-{n}.pngg)\n"))
        .collect();
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-links.md", &format!("# Links\n\n{links}")),
    ]);
    for n in 0..2_000 {
        course.write(&format!("01-intro/media/figure-{n}.png"), b"png");
    }
    let (code, shown) = check_within(&course, Duration::from_secs(60));
    assert_eq!(code, Some(1));
    assert_eq!(
        shown.matches("did you mean").count(),
        20,
        "{}",
        &shown[..2000]
    );
    assert_eq!(shown.matches(": error: `media/figure-").count(), 3_000);
}
