//! `course.toml`, `module.toml` and page front matter: parsed with serde, every problem of a
//! file reported at once (unknown keys of the settings files are errors, of a page's front
//! matter warnings), then validated into the settings the build uses.

mod every_problem;

pub use every_problem::{Parsed, UnknownKeys};

use crate::diagnostics::{Diagnostic, LineIndex, Position};
use crate::standard::Standard;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

pub const COURSE_FILE: &str = "course.toml";
pub const MODULE_FILE: &str = "module.toml";

/// Everything `course.toml` says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseConfig {
    pub course: CourseInfo,
    #[serde(default)]
    pub package: PackageSettings,
    #[serde(default)]
    pub theme: Theme,
    /// The player's UI strings (`next = "Continue"`), over the language's built-in catalogue.
    #[serde(default)]
    pub strings: std::collections::BTreeMap<String, Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseInfo {
    /// Stable identity: the manifest and item identifiers derive from it.
    pub id: Spanned<String>,
    pub title: String,
    pub version: Spanned<String>,
    /// BCP 47 tag (`en`, `fr`, `pt-BR`, `ar`).
    pub language: Spanned<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Typical learning time, for the manifest's metadata.
    pub learning_minutes: Option<u32>,
    #[serde(default)]
    pub completion: Completion,
    /// Pass mark (0–100) of graded assessments; an LMS-supplied mastery score wins.
    #[serde(default = "default_mastery_score")]
    pub mastery_score: Spanned<f64>,
    /// Write the mastery score into the manifest (`adlcp:masteryscore`,
    /// `imsss:minNormalizedMeasure`). Off by default: Moodle then recomputes the status from the
    /// raw score itself, and its 2004 player hands the SCO a passing score of 1.
    #[serde(default)]
    pub mastery_in_manifest: bool,
    /// Report each module's assessment as an objective (`cmi.objectives.n`).
    #[serde(default)]
    pub objectives: bool,
}

fn default_mastery_score() -> Spanned<f64> {
    Spanned::new(0..0, 80.0)
}

/// When the course reports itself completed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Completion {
    /// Every page has been visited.
    #[default]
    Pages,
    /// Every graded assessment has been submitted.
    Assessment,
    /// Both.
    Both,
}

impl Completion {
    pub fn as_str(self) -> &'static str {
        match self {
            Completion::Pages => "pages",
            Completion::Assessment => "assessment",
            Completion::Both => "both",
        }
    }
}

/// Package defaults; command-line flags override them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PackageSettings {
    /// Standards built when the command line names none.
    pub standards: Vec<Standard>,
    /// One SCO per module instead of one for the whole course.
    pub sco_per_module: bool,
    /// Extra files to package even when no page links to them (globs relative to the course).
    pub include: Vec<String>,
    /// Allow `<script>` in pages' raw HTML.
    pub allow_scripts: bool,
    /// Ask the learner before resuming at the bookmark, instead of resuming at once.
    pub resume_prompt: bool,
}

impl Default for PackageSettings {
    fn default() -> Self {
        PackageSettings {
            standards: vec![Standard::Scorm12],
            sco_per_module: false,
            include: Vec::new(),
            allow_scripts: false,
            resume_prompt: false,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    /// Image shown in the header, relative to the course folder.
    pub logo: Option<Spanned<String>>,
    /// `#rrggbb`.
    pub primary_color: Option<Spanned<String>>,
}

impl CourseConfig {
    /// Stands in for a `course.toml` that failed to parse, so that the pages are still
    /// checked and every problem is reported in one run. Never packaged: the config's own
    /// errors stop the build.
    pub fn placeholder() -> Self {
        let text = |value: &str| Spanned::new(0..0, value.to_string());
        CourseConfig {
            course: CourseInfo {
                id: text("course"),
                title: "Course".to_string(),
                version: text("0"),
                language: text("en"),
                description: String::new(),
                authors: Vec::new(),
                keywords: Vec::new(),
                learning_minutes: None,
                completion: Completion::Pages,
                mastery_score: default_mastery_score(),
                mastery_in_manifest: false,
                objectives: false,
            },
            package: PackageSettings::default(),
            theme: Theme::default(),
            strings: Default::default(),
        }
    }

    pub fn id(&self) -> &str {
        self.course.id.get_ref()
    }

    pub fn version(&self) -> &str {
        self.course.version.get_ref()
    }

    pub fn language(&self) -> &str {
        self.course.language.get_ref()
    }

    /// `rtl` for right-to-left scripts, else `ltr`.
    pub fn direction(&self) -> &'static str {
        text_direction(self.language())
    }
}

/// The language of a BCP 47 tag without region or script, lower-case (`pt-BR` → `pt`).
pub fn primary_subtag(language: &str) -> String {
    language
        .split('-')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// `rtl` for languages written right to left (Arabic, Hebrew, Persian, Urdu, ...).
pub fn text_direction(language: &str) -> &'static str {
    let primary = primary_subtag(language);
    let rtl = ["ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"];
    if rtl.contains(&primary.as_str()) || language.to_ascii_lowercase().contains("-arab") {
        "rtl"
    } else {
        "ltr"
    }
}

/// Advice on a valid `course.toml`: a primary colour that text cannot be read against.
pub fn course_warnings(config: &CourseConfig, text: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    if let Some(color) = &config.theme.primary_color
        && let Some(rgb) = parse_hex_color(color.get_ref())
    {
        // The theme writes the primary colour on white (links, headings) and white on it
        // (the Next button, the current page in the menu): one ratio covers both.
        let ratio = contrast_ratio(rgb, [255, 255, 255]);
        if ratio < 4.5 {
            let at = LineIndex::new(text, 0).position(color.span().start);
            warnings.push(
                Diagnostic::warning(
                    COURSE_FILE,
                    Some(at),
                    format!(
                        "primary_color `{}` has a contrast of {ratio:.2}:1 with white; WCAG 2.1 AA needs 4.5:1",
                        color.get_ref()
                    ),
                )
                .with_help("choose a darker shade, e.g. `#0b5394`; links, headings and buttons use this colour"),
            );
        }
    }
    warnings
}

fn parse_hex_color(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#').filter(|hex| hex.len() == 6)?;
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// WCAG 2.1 contrast ratio of two sRGB colours, from 1 to 21.
pub fn contrast_ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let luminance = |rgb: [u8; 3]| {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Parses and validates `course.toml`: a type error in one key does not hide a bad value in
/// another.
pub fn parse_course_config(text: &str) -> Result<CourseConfig, Vec<Diagnostic>> {
    let parsed: Parsed<CourseConfig> =
        every_problem::toml(text, COURSE_FILE, 0, UnknownKeys::Error);
    let mut problems = parsed.problems;
    if let Some(config) = &parsed.value {
        problems.extend(validate(config, text));
    }
    match parsed.value {
        Some(config) if problems.is_empty() => Ok(config),
        _ => Err(problems),
    }
}

fn validate(config: &CourseConfig, text: &str) -> Vec<Diagnostic> {
    let index = LineIndex::new(text, 0);
    let mut problems = Vec::new();
    let mut check = |value: &Spanned<String>, ok: bool, message: String, help: &str| {
        if !ok {
            let at = index.position(value.span().start);
            problems.push(Diagnostic::error(COURSE_FILE, Some(at), message).with_help(help));
        }
    };
    let id = config.id();
    check(
        &config.course.id,
        is_course_id(id),
        format!("course id `{id}` is not a valid identifier"),
        "use lower-case ASCII letters, digits and hyphens, starting with a letter (e.g. `risk-management`); never change it once learners use the course",
    );
    let version = config.version();
    check(
        &config.course.version,
        !version.is_empty()
            && version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+')),
        format!("version `{version}` cannot be part of a file name"),
        "use letters, digits, `.`, `-` and `+` only (e.g. `1.2.0`)",
    );
    let language = config.language();
    check(
        &config.course.language,
        is_language_tag(language),
        format!("language `{language}` is not a BCP 47 language tag"),
        "use a tag such as `en`, `fr`, `es`, `pt-BR`, `uk` or `ar`",
    );
    if let Some(color) = &config.theme.primary_color {
        let value = color.get_ref();
        let ok = parse_hex_color(value).is_some();
        check(
            color,
            ok,
            format!("primary_color `{value}` is not a colour"),
            "write it as `#rrggbb`, e.g. `#0b5394`",
        );
    }
    if config.package.standards.is_empty() {
        // Every command that builds takes the first standard when none is given.
        let at = text.find("standards").map(|i| index.position(i));
        problems.push(
            Diagnostic::error(COURSE_FILE, at, "`standards` names no standard").with_help(
                "name at least one: `standards = [\"scorm12\"]` (scorm12, scorm2004 or web)",
            ),
        );
    }
    let mastery = *config.course.mastery_score.get_ref();
    if !(0.0..=100.0).contains(&mastery) {
        let at = index.position(config.course.mastery_score.span().start);
        problems.push(
            Diagnostic::error(
                COURSE_FILE,
                Some(at),
                format!("mastery_score {mastery} is outside 0–100"),
            )
            .with_help("the pass mark is a percentage, e.g. `mastery_score = 80`"),
        );
    }
    if config.course.title.trim().is_empty() {
        problems.push(
            Diagnostic::error(COURSE_FILE, None, "the course title is empty")
                .with_help("set `title` under [course]"),
        );
    }
    problems
}

fn is_course_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.ends_with('-')
}

pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `module.toml`: a module's optional title and description.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleConfig {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// A page's front matter, TOML between `+++` lines or YAML between `---` lines.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's identity, when it must outlive a rename of its file: learners' saved
    /// progress and the LMS's records follow it.
    pub id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `assessment = true`, or an `[assessment]` table of settings: a graded assessment page.
    pub assessment: Option<AssessmentField>,
    /// A survey page: answers reported, nothing scored.
    #[serde(default)]
    pub survey: bool,
    /// Minutes the page takes; the course's learning time is their sum unless `course.toml`
    /// sets one. The Carpentries' `teaching` and `exercises` minutes count too.
    pub minutes: Option<u32>,
    pub teaching: Option<u32>,
    pub exercises: Option<u32>,
    /// Lesson metadata other tools keep in front matter, shown as callouts: questions and
    /// objectives open the page, key points close it.
    #[serde(default)]
    pub questions: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<String>,
    #[serde(default)]
    pub keypoints: Vec<String>,
}

/// A graded assessment's settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentSettings {
    /// Percentage to pass; the course's `mastery_score` when absent.
    pub pass_mark: Option<f64>,
    /// Attempts allowed; 0 means unlimited.
    pub attempts: u32,
    pub shuffle_options: bool,
    pub shuffle_questions: bool,
    /// Draw this many questions at random from the pool for each attempt.
    pub draw: Option<usize>,
    /// Other pages whose questions join this assessment's pool (paths relative to the page).
    pub pool: Vec<String>,
    pub feedback: FeedbackTiming,
}

/// Every field, the pass mark by its bits: a field added and not hashed does not compile.
impl std::hash::Hash for AssessmentSettings {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let AssessmentSettings {
            pass_mark,
            attempts,
            shuffle_options,
            shuffle_questions,
            draw,
            pool,
            feedback,
        } = self;
        pass_mark.map(f64::to_bits).hash(state);
        (
            attempts,
            shuffle_options,
            shuffle_questions,
            draw,
            pool,
            feedback,
        )
            .hash(state);
    }
}

/// When a graded assessment shows whether answers were right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedbackTiming {
    /// Each question is checked when answered.
    Immediate,
    /// Only on the results screen.
    #[default]
    End,
}

/// `assessment = true` or an `[assessment]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentField(pub Option<AssessmentSettings>);

impl<'de> Deserialize<'de> for AssessmentField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = AssessmentField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false` or a table of assessment settings")
            }
            fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<AssessmentField, E> {
                Ok(AssessmentField(value.then(AssessmentSettings::default)))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<AssessmentField, M::Error> {
                let settings = AssessmentSettings::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(AssessmentField(Some(settings)))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A page split into front matter and Markdown body.
pub struct PageSource<'a> {
    /// What the front matter says, less any entry with a problem.
    pub front_matter: FrontMatter,
    /// The front matter's problems, every one of them.
    pub problems: Vec<Diagnostic>,
    pub body: &'a str,
    /// Lines of the file before the body.
    pub body_line_offset: usize,
}

/// Splits and parses a page's front matter; `path` names the page in diagnostics. Only front
/// matter that never ends is an error that leaves the page unread.
pub fn split_front_matter<'a>(text: &'a str, path: &str) -> Result<PageSource<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let no_front_matter = PageSource {
        front_matter: FrontMatter::default(),
        problems: Vec::new(),
        body: text,
        body_line_offset: 0,
    };
    let fence = if text.starts_with("+++") {
        "+++"
    } else if text.starts_with("---") {
        "---"
    } else {
        return Ok(no_front_matter);
    };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != fence {
        return Ok(no_front_matter);
    }
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let inner = &text[first_line_end..offset];
            let body = &text[offset + line.len()..];
            let body_line_offset = text[..offset + line.len()].matches('\n').count();
            let parsed: Parsed<FrontMatter> = if fence == "+++" {
                every_problem::toml(inner, path, 1, UnknownKeys::Warning)
            } else {
                every_problem::yaml(inner, path, 1, UnknownKeys::Warning)
            };
            return Ok(PageSource {
                front_matter: parsed.value.unwrap_or_default(),
                problems: parsed.problems,
                body,
                body_line_offset,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        Some(Position { line: 1, column: 1 }),
        format!("front matter opened with `{fence}` is never closed"),
    )
    .with_help(format!(
        "end the front matter with a line containing only `{fence}`"
    )))
}

/// `text` as a TOML string literal, quoted and escaped: safe for any title.
pub fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Parses a TOML settings file in which any problem is an error; returns the first.
pub fn parse_toml<T: DeserializeOwned>(
    text: &str,
    path: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    let parsed = every_problem::toml(text, path, first_line, UnknownKeys::Error);
    match (parsed.value, parsed.problems.into_iter().next()) {
        (Some(value), None) => Ok(value),
        (_, Some(problem)) => Err(problem),
        (None, None) => Err(Diagnostic::error(path, None, "cannot be read".to_string())),
    }
}

/// Parses a TOML settings file, every problem reported; `None` when any is an error.
pub fn parse_toml_all<T: DeserializeOwned>(text: &str, path: &str) -> (Option<T>, Vec<Diagnostic>) {
    let parsed = every_problem::toml(text, path, 0, UnknownKeys::Error);
    let value = parsed.value.filter(|_| parsed.problems.is_empty());
    (value, parsed.problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn contrast_ratios_follow_wcag() {
        assert!((contrast_ratio([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        assert!((contrast_ratio([0x77, 0x77, 0x77], [255, 255, 255]) - 4.48).abs() < 0.01);
    }

    #[test]
    fn a_light_primary_colour_is_warned_and_a_dark_one_is_not() {
        let course = |color: &str| {
            format!(
                "[course]\nid = \"c\"\ntitle = \"C\"\nversion = \"1\"\nlanguage = \"en\"\n[theme]\nprimary_color = \"{color}\"\n"
            )
        };
        let light = course("#66aaff");
        let warnings = course_warnings(&parse_course_config(&light).unwrap(), &light);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].position.map(|p| p.line), Some(7));
        assert!(
            warnings[0].message.contains("2.40:1"),
            "{}",
            warnings[0].message
        );
        let dark = course("#0b5394");
        assert!(course_warnings(&parse_course_config(&dark).unwrap(), &dark).is_empty());
    }

    #[test]
    fn the_default_theme_colours_have_aa_contrast() {
        let css = crate::templates::embedded("assets/coursepack.css").unwrap();
        let css = std::str::from_utf8(css).unwrap();
        let var = |name: &str| {
            let at = css.find(&format!("--cp-{name}: #")).unwrap() + name.len() + 7;
            parse_hex_color(&css[at..at + 7]).unwrap()
        };
        for (fg, bg) in [
            ("text", "background"),
            ("muted", "background"),
            ("muted", "surface"),
            ("primary", "background"),
            ("primary", "surface"),
            ("visited", "surface"),
            ("text", "surface"),
            ("hl-comment", "surface"),
            ("hl-keyword", "surface"),
            ("hl-string", "surface"),
            ("hl-constant", "surface"),
            ("hl-function", "surface"),
            ("hl-tag", "surface"),
            ("hl-variable", "surface"),
            ("hl-comment", "background"),
            ("hl-keyword", "background"),
            ("hl-function", "background"),
            ("hl-variable", "background"),
        ] {
            let ratio = contrast_ratio(var(fg), var(bg));
            assert!(ratio >= 4.5, "--cp-{fg} on --cp-{bg}: {ratio:.2}");
        }
    }

    const MINIMAL: &str =
        "[course]\nid = \"c\"\ntitle = \"T\"\nversion = \"1.0\"\nlanguage = \"en\"\n";

    #[test]
    fn minimal_course_gets_defaults() {
        let config = parse_course_config(MINIMAL).unwrap();
        assert_eq!(config.id(), "c");
        assert_eq!(config.package.standards, vec![Standard::Scorm12]);
        assert_eq!(config.course.completion, Completion::Pages);
        assert_eq!(config.direction(), "ltr");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = format!("{MINIMAL}titel = \"x\"\n");
        let err = parse_course_config(&text).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].message.starts_with("unknown key `titel`"),
            "{}",
            err[0].message
        );
        assert_eq!(err[0].position.unwrap().line, 6);
    }

    #[test]
    fn invalid_values_are_each_reported() {
        let text = "[course]\nid = \"Bad Id\"\ntitle = \"T\"\nversion = \"1/0\"\nlanguage = \"english!\"\n[theme]\nprimary_color = \"blue\"\n";
        let err = parse_course_config(text).unwrap_err();
        let lines: Vec<usize> = err.iter().map(|d| d.position.unwrap().line).collect();
        assert_eq!(lines, vec![2, 4, 5, 7]);
    }

    #[test]
    fn front_matter_in_toml_and_yaml() {
        let toml = split_front_matter("+++\ntitle = \"A\"\n+++\n# Body\n", "p.md").unwrap();
        assert_eq!(toml.front_matter.title.as_deref(), Some("A"));
        assert_eq!(toml.body, "# Body\n");
        assert_eq!(toml.body_line_offset, 3);
        let yaml = split_front_matter("---\ntitle: B\n---\ntext", "p.md").unwrap();
        assert_eq!(yaml.front_matter.title.as_deref(), Some("B"));
        assert_eq!(yaml.body, "text");
        let none = split_front_matter("# Just a page\n---\n", "p.md").unwrap();
        assert!(none.front_matter.title.is_none());
    }

    #[test]
    fn front_matter_problems_are_all_reported_and_the_page_still_read() {
        let toml =
            split_front_matter("+++\ntitle = \"A\"\ntags = 1\nsurvey = 2\n+++\n", "p.md").unwrap();
        let found: Vec<(usize, &str)> = toml
            .problems
            .iter()
            .map(|d| (d.position.unwrap().line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (4, "invalid type: integer `2`, expected a boolean"),
                (3, "unknown key `tags` is ignored")
            ]
        );
        assert_eq!(toml.problems[1].severity, Severity::Warning);
        assert_eq!(toml.front_matter.title.as_deref(), Some("A"));
        let yaml = split_front_matter("---\ntitle: A\ntags: x\n---\n", "p.md").unwrap();
        assert_eq!(yaml.problems.len(), 1);
        assert!(
            yaml.problems[0].message.contains("unknown key `tags`"),
            "{}",
            yaml.problems[0].message
        );
        assert_eq!(yaml.problems[0].position.unwrap().line, 3);
        assert_eq!(yaml.front_matter.title.as_deref(), Some("A"));
        let open = split_front_matter("+++\ntitle = \"A\"\n", "p.md")
            .err()
            .unwrap();
        assert!(open.message.contains("never closed"));
    }

    #[test]
    fn assessment_front_matter_as_flag_or_table() {
        let flag = split_front_matter("+++\nassessment = true\n+++\n", "p.md").unwrap();
        assert_eq!(
            flag.front_matter.assessment,
            Some(AssessmentField(Some(AssessmentSettings::default())))
        );
        let table = split_front_matter(
            "+++\n[assessment]\nattempts = 2\ndraw = 12\nfeedback = \"immediate\"\n+++\n",
            "p.md",
        )
        .unwrap();
        let settings = table.front_matter.assessment.unwrap().0.unwrap();
        assert_eq!(
            (settings.attempts, settings.draw, settings.feedback),
            (2, Some(12), FeedbackTiming::Immediate)
        );
        let yaml = split_front_matter(
            "---\nassessment:\n  pass_mark: 70\n  shuffle_questions: true\n---\n",
            "p.md",
        )
        .unwrap();
        let settings = yaml.front_matter.assessment.unwrap().0.unwrap();
        assert_eq!(
            (settings.pass_mark, settings.shuffle_questions),
            (Some(70.0), true)
        );
        let typo = split_front_matter("+++\n[assessment]\nattempt = 2\n+++\n", "p.md").unwrap();
        let problem = &typo.problems[0];
        assert_eq!(
            (problem.message.as_str(), problem.help.as_deref()),
            ("unknown key `attempt`", Some("did you mean `attempts`?"))
        );
        assert_eq!(problem.position.unwrap().line, 3);
        let off =
            split_front_matter("+++\nassessment = false\nsurvey = true\n+++\n", "p.md").unwrap();
        assert_eq!(off.front_matter.assessment, Some(AssessmentField(None)));
        assert!(off.front_matter.survey);
    }

    #[test]
    fn arabic_is_right_to_left() {
        assert_eq!(text_direction("ar"), "rtl");
        assert_eq!(text_direction("ar-EG"), "rtl");
        assert_eq!(text_direction("uk"), "ltr");
    }
}
