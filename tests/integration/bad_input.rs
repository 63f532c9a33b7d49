//! One broken course per failure: the exact message and location an author sees, exit
//! code 1, and no package left behind.

use crate::support::*;

const WELCOME: (&str, &str) = ("01-intro/01-welcome.md", "# Welcome\n\nHello.\n");

/// Builds `course` and asserts the failure: exit code 1, `expected` on stderr (with the
/// course folder written as `COURSE`), and nothing in the output folder.
fn assert_build_fails(course: &TempCourse, expected: &str) {
    let output = build_course(course);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        stderr(&output)
    );
    let shown = stderr(&output).replace(course.path().to_str().unwrap(), "COURSE");
    assert_eq!(shown, expected);
    assert!(stdout(&output).is_empty());
    assert_nothing_written(course);
}

/// `coursepack build` of the course into its output folder.
fn build_course(course: &TempCourse) -> std::process::Output {
    let out = course.out();
    coursepack(&[
        "build",
        course.path().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
}

fn assert_nothing_written(course: &TempCourse) {
    let written: Vec<_> = std::fs::read_dir(course.out())
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        written.is_empty(),
        "no package or temporary file is left behind: {written:?}"
    );
}

fn footer(errors: &str) -> String {
    format!("error: COURSE: {errors}\nerror: COURSE: no package was written\n")
}

#[test]
fn bad_toml() {
    let course = TempCourse::new(&[("course.toml", "[course\nid = \"demo\"\n"), WELCOME]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/course.toml:1:8: error: unclosed table, expected `]`\n  help: fix the syntax at this position\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn unknown_key() {
    let course = TempCourse::new(&[
        ("course.toml", &format!("{MINIMAL_TOML}titel = \"Typo\"\n")),
        WELCOME,
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/course.toml:6:1: error: unknown key `titel`\n  help: did you mean `title`?\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn missing_title() {
    let course = TempCourse::new(&[
        (
            "course.toml",
            &MINIMAL_TOML.replace("title = \"Demo\"\n", ""),
        ),
        WELCOME,
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/course.toml:1:1: error: missing key `title`\n  help: add the key; \"Source format\" in README.md shows a complete example\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn page_without_title() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", "Text but no heading.\n"),
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md: error: page has no title\n  help: start the page with a `# Heading`, or set `title` in its front matter\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn broken_link_and_missing_image_are_all_reported() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\nSee [the next page](02-next.md).\n\n![Risk map](media/map.png)\n\n[Anchor](#nowhere)\n",
        ),
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:3:5: error: link to a page that does not exist: `02-next.md`\n  help: check the path: links are relative to this page's folder, e.g. `../02-module/01-page.md`\n\
         COURSE/01-intro/01-welcome.md:5:1: error: `media/map.png` does not exist (looked for `01-intro/media/map.png` in the course folder)\n  help: check the spelling (names are case-sensitive) or add the file\n\
         COURSE/01-intro/01-welcome.md:7:1: error: no heading with anchor `#nowhere` on page `intro/welcome`\n  help: anchors are the heading text in lower case with hyphens (`## Risk map` → `#risk-map`), or an explicit `{{#id}}`\n{}",
            footer("3 errors and 0 warnings")
        ),
    );
}

#[test]
fn dot_dot_escape() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![Secret](../../secret.png)\n",
        ),
    ]);
    std::fs::write(course.dir.path().join("secret.png"), "outside").unwrap();
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:3:1: error: `../../secret.png` points outside the course folder\n  help: only files inside the course folder can be packaged; copy the file into the course\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn symlink_escape() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![Secret](media/secret.png)\n",
        ),
    ]);
    let outside = course.dir.path().join("secret.png");
    std::fs::write(&outside, "outside").unwrap();
    std::fs::create_dir_all(course.path().join("01-intro/media")).unwrap();
    std::os::unix::fs::symlink(&outside, course.path().join("01-intro/media/secret.png")).unwrap();
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:3:1: error: `media/secret.png` is a symbolic link to a file outside the course folder\n  help: copy the file into the course folder instead of linking to it\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn templates_folder_linked_from_outside_is_not_used() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), WELCOME]);
    let outside = course.dir.path().join("theme");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("page.html"), "{{ nothing_renders_this }}").unwrap();
    std::os::unix::fs::symlink(&outside, course.path().join("templates")).unwrap();
    assert_build_fails(
        &course,
        &format!(
            "COURSE/templates: error: `templates` is a symbolic link to a file outside the course folder\n  help: copy the file into the course folder instead of linking to it\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn unknown_ui_string_and_unfilled_placeholder() {
    let toml = format!(
        "{MINIMAL_TOML}\n[strings]\nnxt = \"Continue\"\nprogress = \"{{n}} of {{pages}}\"\n"
    );
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/course.toml:8:7: error: [strings] has no key `nxt`\n  help: did you mean `next`?\nCOURSE/course.toml:9:12: error: [strings] `progress` uses `{{pages}}`, which the player does not fill in\n  help: this string can use: {{n}}, {{total}}\n{}",
            footer("2 errors and 0 warnings")
        ),
    );
}

#[test]
fn invalid_utf8() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML)]);
    course.write(
        "01-intro/01-welcome.md",
        b"# Welcome\n\nCaf\xe9 latin-1 text.\n",
    );
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:3:4: error: file is not valid UTF-8 text\n  help: save the file with UTF-8 encoding\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn empty_course() {
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML)]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/course.toml: error: the course has no pages\n  help: add a module folder such as `01-introduction/` holding a page such as `01-welcome.md`\n{}",
            footer("1 error and 0 warnings")
        ),
    );
}

#[test]
fn script_needs_opt_in() {
    let page = "# Welcome\n\n<div class=\"embed\">\n<script>track()</script>\n</div>\n";
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", page),
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:4:1: error: `<script>` runs or embeds active content\n  help: remove it; a course whose every author is trusted can set `allow_scripts = true` under [package] in course.toml, which turns the HTML policy off\n{}",
            footer("1 error and 0 warnings")
        ),
    );
    let allowed = TempCourse::new(&[
        (
            "course.toml",
            &format!("{MINIMAL_TOML}[package]\nallow_scripts = true\n"),
        ),
        ("01-intro/01-welcome.md", page),
    ]);
    build(&allowed.path(), "scorm12", &allowed.out(), &[]);
}

#[test]
fn every_front_matter_and_course_toml_problem_is_reported_in_one_run() {
    let course = TempCourse::new(&[
        (
            "course.toml",
            "[course]\nid = \"demo\"\ntitle = \"Demo\"\nversion = 0.1.0\nlanguage = \"en\"\nmastery_score = 150\n[package]\nstandards = [\"scorm\"]\n",
        ),
        (
            "01-intro/01-welcome.md",
            "---\ntitle: Welcome\nlayout: wide\nsurvy: true\nminutes: soon\n---\nSee [x](02-nothing.md).\n",
        ),
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-welcome.md:3:1: warning: unknown key `layout` is ignored\n  help: coursepack does not use it; remove it, or keep it for the tool it was written for (the keys coursepack reads here are id, title, description, assessment, survey, minutes, teaching, exercises, questions, objectives, keypoints)\n\
COURSE/01-intro/01-welcome.md:4:1: warning: unknown key `survy`\n  help: did you mean `survey`?\n\
COURSE/01-intro/01-welcome.md:5:10: error: invalid u32\n  help: minutes is a number: write minutes: 30\n\
COURSE/01-intro/01-welcome.md:7:5: error: link to a page that does not exist: `02-nothing.md`\n  help: check the path: links are relative to this page's folder, e.g. `../02-module/01-page.md`\n\
COURSE/course.toml:4:14: error: `0.1.0` is not a TOML value\n  help: version is text: write version = \"0.1.0\"\n\
COURSE/course.toml:6:17: error: mastery_score 150 is outside 0–100\n  help: the pass mark is a percentage, e.g. `mastery_score = 80`\n\
COURSE/course.toml:8:14: error: unknown value `scorm`\n  help: did you mean `scorm12`?\n{}",
            footer("5 errors and 2 warnings")
        ),
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        ("01-intro/01-welcome.md", "# Welcome\n\n![](media/a.png)\n"),
        ("01-intro/media/a.png", "png"),
        ("02-empty/notes.txt", "no pages here"),
    ]);
    let path = course.path();
    let output = coursepack(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown = stderr(&output).replace(path.to_str().unwrap(), "COURSE");
    assert_eq!(
        shown,
        "COURSE/01-intro/01-welcome.md:3:1: warning: image `media/a.png` has no alt text\n  help: describe the image in the brackets: ![what it shows](file); use <img alt=\"\"> for a purely decorative image\n\
         COURSE/02-empty: warning: module has no pages\n  help: add a numbered Markdown page such as `01-overview.md`, or remove the folder\n"
    );
    let denied = coursepack(&["check", path.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        stderr(&denied).ends_with(
            "error: COURSE: 0 errors and 2 warnings (warnings denied)\n"
                .replace("COURSE", path.to_str().unwrap())
                .as_str()
        )
    );
}

#[test]
fn not_a_course_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = coursepack(&["build", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {} has no course.toml; is this a course folder?\n",
            dir.path().canonicalize().unwrap().display()
        )
    );
}

#[test]
fn quiz_mistakes_name_the_line_inside_the_block_and_what_to_do() {
    let page = "# Quiz\n\n```quiz\n? Which is right?\n- [x] a\n- [x] b\n\n? Year?\n= 2003\nweight: heavy\n```\n";
    let course = TempCourse::new(&[("course.toml", MINIMAL_TOML), ("01-intro/01-quiz.md", page)]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-quiz.md:4:1: error: single-choice question has 2 correct options\n  help: mark one, or make it `type: multiple`\n\
         COURSE/01-intro/01-quiz.md:10:1: error: weight `heavy` is not a number\n  help: use a number of points such as `2` or `0.5`\n{}",
            footer("2 errors and 0 warnings")
        ),
    );
}

#[test]
fn assessment_and_survey_rules() {
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-test.md",
            "+++\n[assessment]\ndraw = 5\n+++\n# Test\n\n```quiz\n? Q\nid: same\n= yes\n```\n",
        ),
        (
            "01-intro/02-survey.md",
            "---\nsurvey: true\n---\n# Survey\n\n```quiz\n? Q\nid: same\n= yes\n```\n",
        ),
        (
            "01-intro/03-both.md",
            "+++\nassessment = true\nsurvey = true\n+++\n# Both\n",
        ),
    ]);
    assert_build_fails(
        &course,
        &format!(
            "COURSE/01-intro/01-test.md: error: assessment draws 5 questions from a pool of 1\n  help: set `draw` between 1 and the number of questions, or add questions to the pool\n\
         COURSE/01-intro/02-survey.md:7:1: error: question id `same` is already used in `01-intro/01-test.md`\n  help: question ids are reported to the LMS and must be unique in the course: change `id:`\n\
         COURSE/01-intro/02-survey.md:7:1: error: survey page has a scored fill-in question\n  help: surveys take `type: likert` and `type: text` questions; put scored questions on another page\n\
         COURSE/01-intro/03-both.md: error: page is both an assessment and a survey\n  help: a survey is never scored: keep `survey = true` or `assessment`, not both\n{}",
            footer("4 errors and 0 warnings")
        ),
    );
}

#[test]
fn template_failing_while_course_files_stream_leaves_no_package() {
    // The course files start streaming into the zip before the pages are templated; a
    // template that fails then must take the half-written zip with it.
    let course = TempCourse::new(&[
        ("course.toml", MINIMAL_TOML),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![A chart](media/chart.png)\n",
        ),
        ("templates/page.html", "{{ nothing_renders_this }}"),
    ]);
    course.write("01-intro/media/chart.png", &vec![0x89; 4 << 20]);
    let output = build_course(&course);
    assert_eq!(
        output.status.code(),
        Some(2),
        "stderr:\n{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("template page.html: Failed to render 'page.html': Variable `nothing_renders_this` not found"),
        "{}",
        stderr(&output)
    );
    assert_nothing_written(&course);
}
