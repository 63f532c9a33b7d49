//! The translation round trip on the sample course: export → pseudo-translate every unit →
//! import → build. The translated package must be valid, structurally identical to the
//! original, and show the pseudo-translation wherever a learner reads text.

use crate::support::*;
use polib::message::{MessageMutView, MessageView};
use std::path::Path;

/// Pseudo-translation: every ASCII letter becomes an accented look-alike, so any text left
/// in English shows up as plain ASCII. Markdown syntax is left alone: link targets, code,
/// HTML tags, entities, footnote labels and anchors.
fn pseudo(text: &str) -> String {
    const FROM: &str = "abcdefghijklmnopqrstuvwxyz";
    const TO: [char; 26] = [
        'á', 'ƀ', 'ç', 'đ', 'é', 'ƒ', 'ĝ', 'ĥ', 'í', 'ĵ', 'ķ', 'ĺ', 'ɱ', 'ñ', 'ó', 'þ', 'ǫ', 'ŕ',
        'š', 'ŧ', 'ú', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž',
    ];
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let copy_until = |out: &mut String, i: &mut usize, end: char| {
        while *i < chars.len() {
            out.push(chars[*i]);
            *i += 1;
            if chars[*i - 1] == end {
                break;
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ']' if next == Some('(') => copy_until(&mut out, &mut i, ')'),
            '[' if next == Some('^') => copy_until(&mut out, &mut i, ']'),
            // Code and math are kept as written.
            '`' | '$' => {
                out.push(c);
                i += 1;
                copy_until(&mut out, &mut i, c);
            }
            '<' => copy_until(&mut out, &mut i, '>'),
            '{' => copy_until(&mut out, &mut i, '}'),
            '&' if chars[i..].iter().take(10).any(|&c| c == ';') => {
                copy_until(&mut out, &mut i, ';')
            }
            c if c.is_ascii_alphabetic() => {
                let mapped = TO[FROM.find(c.to_ascii_lowercase()).unwrap()];
                if c.is_ascii_uppercase() {
                    out.extend(mapped.to_uppercase());
                } else {
                    out.push(mapped);
                }
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Fills every msgstr of the PO file with the pseudo-translation of its msgid, except `skip`.
fn pseudo_translate(po: &Path, skip: Option<&str>) {
    let mut catalog = polib::po_file::parse(po).unwrap();
    for mut message in catalog.messages_mut() {
        if Some(message.msgctxt().unwrap_or_default()) == skip {
            continue;
        }
        let translated = pseudo(message.msgid());
        message.set_msgstr(translated).unwrap();
    }
    polib::po_file::write_to_file(&catalog, po).unwrap();
}

fn export(course: &str, language: &str, po: &str) -> std::process::Output {
    coursepack(&["translate", "export", course, "--to", language, "-o", po])
}

fn import(course: &Path, po: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let [course, po, out] = [course, po, out].map(|p| p.to_str().unwrap());
    coursepack(&[&["translate", "import", course, po, "-o", out], extra].concat())
}

/// Visible text of an HTML page: tags, scripts, code and URLs shown as text removed.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        rest = &rest[open..];
        let skip_to = ["<script", "<code", "<style", "<annotation"]
            .iter()
            .find(|tag| rest.starts_with(**tag))
            .map(|tag| format!("</{}>", &tag[1..]));
        let end = match skip_to {
            Some(close) => rest.find(&close).map(|n| n + close.len()),
            None => rest.find('>').map(|n| n + 1),
        };
        rest = &rest[end.unwrap_or(rest.len())..];
    }
    text.push_str(rest);
    text
}

/// Runs of two or more ASCII letters: text that was not translated.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2 && !w.starts_with("amp") && !w.starts_with("nbsp"))
        .map(str::to_string)
        .collect()
}

#[test]
fn export_pseudo_translate_import_build_round_trip() {
    let work = tempfile::tempdir().unwrap();
    let course = work.path().join("risk");
    copy_dir(&sample_course(), &course);
    let po = work.path().join("uk.po");
    let output = export(course.to_str().unwrap(), "uk", po.to_str().unwrap());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("texts to translate into `uk`, 0 already translated"));
    let exported = std::fs::read_to_string(&po).unwrap();
    {
        // An ordinary file for translators, not the temporary file's private mode.
        use std::os::unix::fs::PermissionsExt;
        let beside = work.path().join("plain.txt");
        std::fs::write(&beside, "x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&po), mode(&beside));
    }
    for expected in [
        "#: course.toml:5\nmsgctxt \"course:title\"\nmsgid \"Risk Management: Internal Risk\"",
        "#. quiz option (a correct one)\n",
        "#. alt text of the image `media/indicators.svg`\n",
        "#. quiz: accepted answers, separated by | (translate each, keep the |)\n",
        "#. table cell\n",
        "\"Language: uk\\n\"",
    ] {
        assert!(exported.contains(expected), "{expected}");
    }
    if tool_available("msgfmt", &["--version"]) {
        let check = std::process::Command::new("msgfmt")
            .args(["-c", "-o", "/dev/null"])
            .arg(&po)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }

    pseudo_translate(&po, None);
    let translated = work.path().join("risk-uk");
    let output = coursepack(&[
        "translate",
        "import",
        course.to_str().unwrap(),
        po.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).is_empty(),
        "nothing untranslated: {}",
        stderr(&output)
    );
    assert!(translated.join("course.toml").is_file());
    assert_eq!(
        std::fs::read_to_string(translated.join("coursepack.lock")).unwrap(),
        std::fs::read_to_string(course.join("coursepack.lock")).unwrap(),
        "the translation numbers saved progress as its source does"
    );
    let toml = std::fs::read_to_string(translated.join("course.toml")).unwrap();
    assert!(
        toml.contains("id = \"risk-management-internal-risk-uk\""),
        "{toml}"
    );
    assert!(toml.contains("language = \"uk\""));
    assert!(
        toml.contains("title = \"Ŕíšķ Ɱáñáĝéɱéñŧ: Íñŧéŕñáĺ Ŕíšķ\""),
        "{toml}"
    );

    let out = work.path().join("dist");
    let original = build(&course, "scorm12", &out.join("en"), &[]);
    let pseudo_zip = build(&translated, "scorm12", &out.join("uk"), &[]);
    assert!(
        pseudo_zip
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("risk-management-internal-risk-uk-1.0.0")
    );
    if let Some((passed, report)) = check_package(&pseudo_zip) {
        assert!(passed, "{report}");
    }
    // Structurally identical: the same files, pages, questions and answer keys.
    assert_eq!(entry_names(&original), entry_names(&pseudo_zip));
    let quiz_shape = |zip: &Path, page: &str| {
        let html = entry_text(zip, page);
        let start = html.find("id=\"cp-quiz-data\">").unwrap() + 18;
        let data: serde_json::Value =
            serde_json::from_str(&html[start..start + html[start..].find("</script>").unwrap()])
                .unwrap();
        data["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q["id"].clone(),
                    q["kind"].clone(),
                    q["options"].clone(),
                    q["correct"].clone(),
                    q["pairs"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    for page in [
        "pages/final-assessment/final-assessment.html",
        "pages/introduction/what-is-internal-risk.html",
    ] {
        assert_eq!(
            quiz_shape(&original, page),
            quiz_shape(&pseudo_zip, page),
            "{page}"
        );
    }
    // Every text a learner reads is the pseudo-translation.
    for name in entry_names(&pseudo_zip)
        .iter()
        .filter(|n| n.starts_with("pages/"))
    {
        let html = entry_text(&pseudo_zip, name);
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let left = english_words(&visible_text(main));
        assert!(left.is_empty(), "{name} still shows {left:?}");
        let title = &html[html.find("<title>").unwrap() + 7..html.find("</title>").unwrap()];
        assert!(english_words(title).is_empty(), "{name} title {title}");
    }
    let index = entry_text(&pseudo_zip, "index.html");
    let menu = &index[index.find("<nav id=\"cp-menu\"").unwrap()..index.find("</nav>").unwrap()];
    assert!(english_words(&visible_text(menu)).is_empty(), "{menu}");
    assert!(index.contains("<html lang=\"uk\" dir=\"ltr\">"));
    let manifest = entry_text(&pseudo_zip, "imsmanifest.xml");
    assert!(
        manifest.contains("<title>Ŕíšķ Ɱáñáĝéɱéñŧ: Íñŧéŕñáĺ Ŕíšķ</title>"),
        "{manifest}"
    );

    // A second export of the original keeps the translations the PO file already has.
    let again = export(course.to_str().unwrap(), "uk", po.to_str().unwrap());
    let counts: Vec<usize> = stdout(&again)
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        counts.len() >= 2 && counts[counts.len() - 2] == counts[counts.len() - 1],
        "{}",
        stdout(&again)
    );
}

#[test]
fn untranslated_units_are_reported_with_their_location_and_kept() {
    let work = tempfile::tempdir().unwrap();
    let course = work.path().join("demo");
    copy_dir(&sample_course(), &course);
    let po = work.path().join("fr.po");
    export(course.to_str().unwrap(), "fr", po.to_str().unwrap());
    pseudo_translate(&po, Some("introduction/welcome:title"));
    let out = work.path().join("fr");
    let output = import(&course, &po, &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let shown = stderr(&output).replace(course.to_str().unwrap(), "COURSE");
    assert_eq!(
        shown,
        "COURSE/01-introduction/01-welcome.md:2:1: warning: untranslated page title: \"Welcome\"\n"
    );
    let page = std::fs::read_to_string(out.join("01-introduction/01-welcome.md")).unwrap();
    assert!(page.starts_with("+++\ntitle = \"Welcome\"\n"), "{page}");
    // Importing again needs --force, and replaces the folder.
    let output = import(&course, &po, &out, &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("exists; pass --force to replace it"));
    let output = import(&course, &po, &out, &["--force"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn a_translation_that_breaks_a_link_writes_nothing() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\nRead [the map](02-map.md) first.\n",
        ),
        ("01-intro/02-map.md", "# Map\n"),
    ]);
    let po = course.dir.path().join("fr.po");
    export(course.path().to_str().unwrap(), "fr", po.to_str().unwrap());
    let text = std::fs::read_to_string(&po).unwrap().replace(
        "msgid \"Read [the map](02-map.md) first.\"\nmsgstr \"\"",
        "msgid \"Read [the map](02-map.md) first.\"\nmsgstr \"Lisez [la carte](02-carte.md) d’abord.\"",
    );
    let line = 1 + text[..text.find("msgstr \"Lisez").unwrap()]
        .matches('\n')
        .count();
    std::fs::write(&po, text).unwrap();
    let out = course.dir.path().join("fr");
    let output = import(&course.path(), &po, &out, &[]);
    assert_eq!(output.status.code(), Some(1));
    let shown = stderr(&output);
    let at = format!(
        "{}:{line}:1: error: the translation of `intro/welcome:",
        po.display()
    );
    assert!(shown.contains(&at), "{shown}");
    assert!(
        shown.contains("adds the link `02-carte.md` (source: 01-intro/01-welcome.md:3)"),
        "{shown}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_module_title_taken_from_its_folder_name_is_translated_into_a_new_module_toml() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-getting-started/01-welcome.md", "# Welcome\n"),
    ]);
    let po = course.dir.path().join("uk.po");
    export(course.path().to_str().unwrap(), "uk", po.to_str().unwrap());
    let text = std::fs::read_to_string(&po).unwrap();
    assert!(
        text.contains("msgctxt \"module:getting-started:title\"\nmsgid \"Getting started\""),
        "{text}"
    );
    std::fs::write(
        &po,
        text.replace(
            "msgid \"Getting started\"\nmsgstr \"\"",
            "msgid \"Getting started\"\nmsgstr \"Початок\"",
        ),
    )
    .unwrap();
    let out = course.dir.path().join("uk");
    let output = import(&course.path(), &po, &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let module = std::fs::read_to_string(out.join("01-getting-started/module.toml")).unwrap();
    assert_eq!(module, "\ntitle = \"Початок\"\n");
    let zip = build(&out, "scorm12", &course.dir.path().join("dist"), &[]);
    assert!(entry_text(&zip, "index.html").contains(">Початок</span>"));
    assert!(
        !course
            .path()
            .join("01-getting-started/module.toml")
            .exists(),
        "the source is untouched"
    );
}
