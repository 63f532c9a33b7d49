//! Languages and accessibility as the package carries them: the player's strings in the
//! course's language, overrides, right-to-left, media captions, and the warnings `check`
//! gives a designer.

use crate::support::*;

const WELCOME: (&str, &str) = ("01-intro/01-welcome.md", "# Welcome\n\nHello.\n");
const QUIZ: (&str, &str) = (
    "01-intro/02-check.md",
    "# Check\n\n```quiz\n? Two plus two?\n- [ ] 3\n- [x] 4\n```\n",
);

fn with_language(language: &str, extra: &str) -> String {
    format!(
        "{}{extra}",
        MINIMAL_TOML.replace("language = \"en\"", &format!("language = \"{language}\""))
    )
}

fn check(course: &TempCourse) -> (i32, String) {
    let output = coursepack(&["check", course.path().to_str().unwrap()]);
    let shown = stderr(&output).replace(course.path().to_str().unwrap(), "COURSE");
    (output.status.code().unwrap_or(-1), shown)
}

#[test]
fn the_player_speaks_the_course_language() {
    let toml = with_language("fr", "");
    let survey = (
        "01-intro/03-survey.md",
        "---\nsurvey: true\n---\n# Avis\n\n```quiz\n? Utile ?\ntype: likert\n```\n",
    );
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME, QUIZ, survey]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let index = entry_text(&zip, "index.html");
    assert!(index.contains("<html lang=\"fr\" dir=\"ltr\">"), "{index}");
    assert!(index.contains(">Suivant <span"), "{index}");
    assert!(index.contains(
        "<span class=\"cp-arrow\" aria-hidden=\"true\">&larr;</span> Précédent</button>"
    ));
    assert!(index.contains(">Aller au contenu</a>"));
    assert!(index.contains("\"position\":\"Page {n} sur {total}\""));
    assert!(index.contains("Pages consultées\u{a0}: 0 sur 3"), "{index}");
    let quiz = entry_text(&zip, "pages/intro/check.html");
    assert!(quiz.contains(">Vérifier la réponse</button>"), "{quiz}");
    assert!(quiz.contains("\"correct\":\"Bonne réponse.\""), "{quiz}");
    let survey = entry_text(&zip, "pages/intro/survey.html");
    assert!(
        survey.contains("<span>Pas du tout d’accord</span>"),
        "{survey}"
    );
    assert!(survey.contains(">Envoyer les réponses</button>"));
    let welcome = entry_text(&zip, "pages/intro/welcome.html");
    assert!(
        !welcome.contains("cp-strings"),
        "pages without questions carry no strings"
    );
    assert!(entry_text(&zip, "imsmanifest.xml").contains("<imsmd:language>fr</imsmd:language>"));
    let (code, shown) = check(&course);
    assert_eq!(
        (code, shown.as_str()),
        (0, ""),
        "a catalogued language needs no warning"
    );
}

#[test]
fn course_strings_override_the_catalogue_and_are_escaped() {
    let toml = with_language("uk", "\n[strings]\nnext = \"Далі <швидко>\"\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let index = entry_text(&zip, "index.html");
    assert!(index.contains(">Далі &lt;швидко&gt; <span"), "{index}");
    assert!(
        index.contains(" Назад</button>"),
        "the rest comes from the catalogue"
    );
}

#[test]
fn a_language_without_catalogue_falls_back_to_english_with_a_warning() {
    let toml = with_language("de", "\n[strings]\nnext = \"Weiter\"\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let (code, shown) = check(&course);
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.starts_with("COURSE/course.toml:5:12: warning: no built-in translation of the player for `de`: 61 strings will show in English\n  help: translate them under [strings] in course.toml: answered, attempt,"),
        "{shown}"
    );
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let index = entry_text(&zip, "index.html");
    assert!(index.contains(">Weiter <span") && index.contains(" Previous</button>"));
}

#[test]
fn arabic_pages_run_right_to_left() {
    let toml = with_language("ar", "");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME, QUIZ]);
    let zip = build(&course.path(), "scorm2004", &course.out(), &[]);
    assert!(entry_text(&zip, "index.html").contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(entry_text(&zip, "index.html").contains(">التالي <span"));
    let page = entry_text(&zip, "pages/intro/check.html");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\""), "{page}");
    assert!(page.contains(">تحقق من الإجابة</button>"));
    if let Some((passed, report)) = check_package(&zip) {
        assert!(passed, "{report}");
    }
}

#[test]
fn a_light_primary_colour_is_reported_by_check() {
    let toml = format!("{MINIMAL_TOML}[theme]\nprimary_color = \"#ffcc00\"\n");
    let course = TempCourse::new(&[("course.toml", &toml), WELCOME]);
    let (code, shown) = check(&course);
    assert_eq!(code, 0);
    assert_eq!(
        shown,
        "COURSE/course.toml:7:17: warning: primary_color `#ffcc00` has a contrast of 1.51:1 with white; WCAG 2.1 AA needs 4.5:1\n  help: choose a darker shade, e.g. `#0b5394`; links, headings and buttons use this colour\n"
    );
}

#[test]
fn video_gets_caption_tracks_and_transcript_from_files_beside_it() {
    let course = TempCourse::new(&[
        ("course.toml", &with_language("uk", "")),
        (
            "01-intro/01-welcome.md",
            "# Welcome\n\n![Інтерв’ю з офіцером](media/clip.mp4)\n\n![](media/talk.mp3)\n\n<video src=\"media/clip.mp4\"></video>\n",
        ),
        ("01-intro/media/clip.mp4", "not really a video"),
        ("01-intro/media/clip.en.vtt", "WEBVTT\n"),
        ("01-intro/media/clip.uk.vtt", "WEBVTT\n"),
        (
            "01-intro/media/clip.transcript.md",
            "**Офіцер:** Добрий день. <b>raw</b>\n",
        ),
        ("01-intro/media/talk.mp3", "not really audio"),
    ]);
    let (code, shown) = check(&course);
    assert_eq!(code, 0);
    assert_eq!(
        shown,
        "COURSE/01-intro/01-welcome.md:5:1: warning: audio `media/talk.mp3` has no description\n  help: say what it is in the brackets: ![Interview with an integrity officer](clip.mp4); it names the player for screen readers\n\
         COURSE/01-intro/01-welcome.md:5:1: warning: audio `media/talk.mp3` has no transcript\n  help: add a Markdown transcript beside it, e.g. `talk.transcript.md` for `talk.mp3`\n\
         COURSE/01-intro/01-welcome.md:7:1: warning: video `media/clip.mp4` has no captions\n  help: add a WebVTT file beside it named after the video and the language (`clip.en.vtt` for `clip.mp4`) and write the video as ![description](clip.mp4); in raw HTML, add <track kind=\"captions\">\n"
    );
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let page = entry_text(&zip, "pages/intro/welcome.html");
    let expected = "<figure class=\"cp-media\">\n<video controls=\"\" preload=\"metadata\" src=\"../../files/01-intro/media/clip.mp4\" aria-label=\"Інтерв’ю з офіцером\">\n\
        <track kind=\"captions\" src=\"../../files/01-intro/media/clip.en.vtt\" srclang=\"en\" label=\"English\">\n\
        <track kind=\"captions\" src=\"../../files/01-intro/media/clip.uk.vtt\" srclang=\"uk\" label=\"Українська\" default=\"\">\n\
        <a href=\"../../files/01-intro/media/clip.mp4\">Інтерв’ю з офіцером</a>\n</video>\n\
        <figcaption>Інтерв’ю з офіцером</figcaption>\n\
        <details class=\"cp-transcript\"><summary>Текстовий запис</summary>\n<p><strong>Офіцер:</strong> Добрий день. &lt;b&gt;raw&lt;/b&gt;</p>\n</details>\n</figure>\n";
    assert!(page.contains(expected), "{page}");
    let names = entry_names(&zip);
    for file in ["clip.en.vtt", "clip.uk.vtt", "clip.mp4", "talk.mp3"] {
        assert!(
            names.iter().any(|n| n.ends_with(file)),
            "{file} packaged: {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.ends_with(".transcript.md")),
        "the transcript is in the page"
    );
}

#[test]
fn any_script_shows_in_pages_menu_and_manifest_with_ascii_names() {
    let toml =
        with_language("zh", "").replace("title = \"Demo\"", "title = \"风险管理 · إدارة المخاطر\"");
    let course = TempCourse::new(&[
        ("course.toml", &toml),
        (
            "01-风险/01-什么是风险.md",
            "# 什么是风险？\n\nРиск — це ймовірність. الخطر. Éthique.\n",
        ),
        ("01-风险/02-مقدمة.md", "# مقدمة\n"),
    ]);
    let zip = build(&course.path(), "scorm12", &course.out(), &[]);
    let names = entry_names(&zip);
    assert!(
        names.contains(&"pages/feng-xian/shen-me-shi-feng-xian.html".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"pages/feng-xian/mqdm.html".to_string()),
        "{names:?}"
    );
    let index = entry_text(&zip, "index.html");
    assert!(
        index.contains(">什么是风险？<span") && index.contains(">مقدمة<span"),
        "{index}"
    );
    let page = entry_text(&zip, "pages/feng-xian/shen-me-shi-feng-xian.html");
    assert!(
        page.contains("<p>Риск — це ймовірність. الخطر. Éthique.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<title>什么是风险？ · 风险管理 · إدارة المخاطر</title>"),
        "{page}"
    );
    let manifest = entry_text(&zip, "imsmanifest.xml");
    assert!(
        manifest.contains("<title>风险管理 · إدارة المخاطر</title>"),
        "{manifest}"
    );
    if let Some((passed, report)) = check_package(&zip) {
        assert!(passed, "{report}");
    }
}
