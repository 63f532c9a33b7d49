//! Rendering: every page's Markdown to HTML (in parallel), cross-page checks that need all
//! pages (anchors, titles), then the theme's Tera templates around the bodies. The course
//! menu is rendered once, into the launch page, never repeated inside each page.

mod highlight;
mod quiz;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{LinkTargets, RenderedMarkdown, render_markdown};
use crate::memo::{AsJson, Hashed, Memo};
use crate::model::{Course, file_href, relative_url};
use crate::slots::{LOCK_FILE, Slots};
use crate::standard::Standard;
use crate::templates::describe_tera_error;
use anyhow::{Result, anyhow};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use tera::{Context, Tera};

/// The course's pages rendered, and the course files they need.
pub struct RenderedCourse {
    pub pages: Vec<RenderedPage>,
    /// Course-relative paths of every file to package (referenced, included, logo).
    pub files: BTreeSet<String>,
    /// See [`CheckedCourse::checked_markup`].
    pub checked_markup: CheckedMarkup,
    /// Where each page and question keeps its state in the learner's saved state.
    pub slots: Slots,
}

/// Course-relative path → the bytes of a carried HTML, SVG, XML or CSS file as the HTML
/// policy checked them. The package carries these bytes, so what ships is what was checked.
pub type CheckedMarkup = BTreeMap<String, std::sync::Arc<[u8]>>;

pub struct RenderedPage {
    pub href: String,
    pub title: String,
    /// The complete HTML document, shared by the packages of every standard.
    pub html: std::sync::Arc<[u8]>,
}

/// Stage one: every page's Markdown to HTML, links checked, in course order. It needs no
/// theme, so it runs while the theme's templates compile.
pub fn render_bodies(course: &Course, memo: &Memo) -> Vec<RenderedMarkdown> {
    let pages = course
        .pages()
        .map(|p| (p.source.as_str(), p.into()))
        .collect();
    let targets = Hashed::new(LinkTargets {
        inventory: &course.inventory,
        by_site_name: LinkTargets::site_index(&pages),
        pages,
        allow_scripts: course.config.package.allow_scripts,
        language: course.config.language(),
        strings: &course.strings,
    });
    let pages: Vec<_> = course.pages().collect();
    pages
        .par_iter()
        .map(|page| {
            memo.keep(
                "markdown",
                &page.source,
                (*page, &targets),
                |(page, targets)| render_markdown(page, &targets.value),
            )
        })
        .collect()
}

/// The course's pages checked together (anchors, titles, quizzes), and the course files it
/// packages: everything [`render_course`] needs but the theme.
pub struct CheckedCourse {
    bodies: Vec<RenderedMarkdown>,
    titles: Vec<String>,
    quizzes: Vec<Option<quiz::PageQuiz>>,
    /// Course-relative paths of every file to package (referenced, included, logo).
    pub files: BTreeSet<String>,
    /// The files of `files` a browser runs as documents, as checked (none with
    /// `allow_scripts`).
    pub checked_markup: CheckedMarkup,
    pub slots: Slots,
}

/// Stage two: the checks that need every page's body from [`render_bodies`], and the list of
/// files to package. Problems go to `diagnostics`.
pub fn check_course(
    course: &Course,
    mut bodies: Vec<RenderedMarkdown>,
    diagnostics: &mut Diagnostics,
) -> Result<CheckedCourse> {
    check_anchors(course, &bodies, diagnostics);
    let quizzes = quiz::gather_quizzes(course, &mut bodies, diagnostics);
    let slots = assign_slots(course, &quizzes, diagnostics);
    let mut files = BTreeSet::new();
    let mut titles = Vec::with_capacity(bodies.len());
    for (page, body) in course.pages().zip(&mut bodies) {
        diagnostics.extend(body.diagnostics.drain(..));
        files.extend(std::mem::take(&mut body.files));
        let title = page
            .title
            .clone()
            .or_else(|| body.first_heading.clone())
            .unwrap_or_default();
        if title.trim().is_empty() {
            diagnostics.push(
                Diagnostic::error(&page.source, None, "page has no title").with_help(
                    "start the page with a `# Heading`, or set `title` in its front matter",
                ),
            );
        }
        titles.push(title);
    }
    files.extend(include_files(course, diagnostics)?);
    if let Some(logo) = &course.config.theme.logo {
        let reference = logo.get_ref();
        let resolved = crate::course_path::normalize(reference)
            .and_then(|rel| crate::course_path::resolve_in_course(&course.root, &rel).map(|_| rel));
        match resolved {
            Ok(rel) => {
                files.insert(rel);
            }
            Err(problem) => diagnostics.push(problem.diagnostic_for(
                crate::config::COURSE_FILE,
                reference,
                None,
            )),
        }
    }
    check_package_paths(course, &files, diagnostics);
    let checked_markup = if course.config.package.allow_scripts {
        CheckedMarkup::new()
    } else {
        check_carried_markup(course, &files, diagnostics)?
    };
    Ok(CheckedCourse {
        bodies,
        titles,
        quizzes,
        files,
        checked_markup,
        slots,
    })
}

/// Files the package carries as they are but a browser runs as documents: opened from the
/// package (a link, a frame, the theme's logo), an HTML, SVG or XML file (or a style sheet
/// such a file uses) runs with the LMS's origin. They pass the HTML policy's check unchanged,
/// or the build stops.
fn check_carried_markup(
    course: &Course,
    files: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> Result<CheckedMarkup> {
    use crate::html_policy::{Source, Verdict, check, css_problem};
    let mut checked = CheckedMarkup::new();
    for relative in files {
        let extension = relative
            .rsplit_once('.')
            .map_or(String::new(), |(_, extension)| {
                extension.to_ascii_lowercase()
            });
        let is_markup = matches!(
            extension.as_str(),
            "html" | "htm" | "xhtml" | "xht" | "svg" | "xml" | "xsl" | "xslt"
        );
        if extension == "svgz" {
            diagnostics.push(
                Diagnostic::error(
                    relative,
                    None,
                    "a compressed SVG cannot be checked for script",
                )
                .with_help("save it as a plain `.svg` file"),
            );
            continue;
        }
        if !is_markup && extension != "css" {
            continue;
        }
        let text = match crate::load::read_text(&course.root, relative)? {
            Ok(text) => text,
            Err(problem) => {
                diagnostics.push(problem);
                continue;
            }
        };
        let lines = crate::diagnostics::LineIndex::new(&text, 0);
        let refusals: Vec<(usize, String)> = if is_markup {
            check(&text, Source::CarriedFile)
                .into_iter()
                .filter(|finding| finding.verdict == Verdict::Refused)
                .map(|finding| (finding.offset, finding.message))
                .collect()
        } else {
            css_problem(&text)
                .map(|(offset, problem)| (offset, format!("{problem} in a style sheet")))
                .into_iter()
                .collect()
        };
        for (offset, message) in refusals {
            diagnostics.push(
                Diagnostic::error(relative, Some(lines.position(offset)), message).with_help(
                    "the package carries this file, and opened from it, it runs in the learner's LMS session: remove what runs script or loads from outside, or set `allow_scripts = true` under [package] in course.toml if every author of the course is trusted",
                ),
            );
        }
        checked.insert(relative.clone(), text.into_bytes().into());
    }
    Ok(checked)
}

/// Two course files must never become one package file: one would show in place of the
/// other. Safe names cannot meet (see `slug::safe_file_name`) but by a hash collision.
fn check_package_paths(course: &Course, files: &BTreeSet<String>, diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for source in files {
        // A zip entry of 4 GiB or more needs ZIP64, which no LMS upload accepts anyway: said
        // now, not after a minute of writing.
        let size = std::fs::metadata(course.root.join(source)).map_or(0, |m| m.len());
        if size >= u64::from(u32::MAX) {
            diagnostics.push(
                Diagnostic::error(source, None, format!("`{source}` is {} GiB; a file in a package must be under 4 GiB", size >> 30))
                    .with_help("LMSs refuse uploads of that size: put the video on a streaming service and link to it"),
            );
        }
        if let Some(first) = seen.insert(file_href(source), source) {
            diagnostics.push(
                Diagnostic::error(
                    source,
                    None,
                    format!("`{source}` and `{first}` would be the same file in the package"),
                )
                .with_help("rename one of them"),
            );
        }
    }
}

/// The saved-state slots of this version: the lock's, and new ones for new pages and
/// questions. A new page id while ids of the lock are gone is most often a page renamed
/// without `id:`, which drops learners' progress on it: the designer is told.
fn assign_slots(
    course: &Course,
    quizzes: &[Option<quiz::PageQuiz>],
    diagnostics: &mut Diagnostics,
) -> Slots {
    let questions = quizzes
        .iter()
        .flatten()
        .flat_map(|quiz| quiz.blocks.iter().flatten())
        .filter_map(|q| q.id.as_deref());
    let slots = Slots::assign(
        course.lock.as_ref(),
        course.pages().map(|p| p.id.as_str()),
        questions,
    );
    let Some(lock) = &course.lock else {
        if !course.root.join(LOCK_FILE).exists() {
            diagnostics.push(
                Diagnostic::warning(LOCK_FILE, None, "the course has no coursepack.lock yet")
                    .with_help("`coursepack build` makes it: commit it beside course.toml, so that the next version keeps learners' saved progress. If a package of this course was published before, restore the file it was built with instead"),
            );
        }
        return slots;
    };
    let current: HashSet<&str> = course.pages().map(|p| p.id.as_str()).collect();
    let gone: Vec<&str> = lock
        .pages
        .iter()
        .map(String::as_str)
        .filter(|id| !current.contains(id))
        .collect();
    if gone.is_empty() {
        return slots;
    }
    let known: HashSet<&str> = lock.pages.iter().map(String::as_str).collect();
    let mut shown: Vec<String> = gone.iter().take(3).map(|id| format!("`{id}`")).collect();
    if gone.len() > 3 {
        shown.push(format!("{} more", gone.len() - 3));
    }
    for page in course.pages().filter(|p| !known.contains(p.id.as_str())) {
        diagnostics.push(
            Diagnostic::warning(&page.source, None, format!("page `{}` is new to coursepack.lock, and pages of the last version are gone ({})", page.id, shown.join(", ")))
                .with_help("if this page is one of them renamed, keep its identity with `id: <old id>` in its front matter: learners' saved progress on it is dropped otherwise"),
        );
    }
    slots
}

/// How code blocks are written: highlighted for learners to read, plain where nobody reads the
/// pages (`check`, `diff`, translation): highlighting costs more than the rest of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    Highlighted,
    Plain,
}

/// Stage three: the pages' bodies, with their quizzes, wrapped in the theme. `Err` is kept
/// for template failures, which are the theme author's problem and stop everything.
pub fn render_course(
    course: &Course,
    checked: CheckedCourse,
    tera: &Hashed<Arc<Tera>>,
    memo: &Memo,
    code: Code,
) -> Result<RenderedCourse> {
    let CheckedCourse {
        bodies,
        titles,
        quizzes,
        files,
        checked_markup,
        slots,
    } = checked;
    let question_slots = slots.question_slots();
    let pages: Vec<_> = course.pages().collect();
    let mastery = *course.config.course.mastery_score.get_ref();
    let about = CourseAbout::new(course);
    let strings_json = strings_json(course)?;
    // Everything a page's template sees besides the page itself, made once: serialising the
    // UI strings again for every page cost more than templating it.
    let shared = Context::from_serialize(SharedPageContext {
        course: &about,
        t: &course.strings,
        strings_json: &strings_json,
    })?;
    let shared = Hashed::made_from(shared, &(&about, &course.strings, &strings_json));
    let mut shared_quiz = Context::new();
    shared_quiz.insert("t", &course.strings);
    let shared_quiz = Hashed::made_from(shared_quiz, &course.strings);
    let rendered = pages
        .par_iter()
        .zip(bodies.par_iter())
        .zip(titles.par_iter())
        .zip(quizzes.par_iter())
        .map(|(((page, body), title), quiz)| {
            let input = PageInput {
                tera,
                shared: &shared,
                shared_quiz: &shared_quiz,
                href: &page.href,
                id: &page.id,
                title,
                description: page.description.as_deref(),
                body: &body.html,
                code_blocks: &body.code_blocks,
                code,
                has_h1: body.first_heading.is_some(),
                quiz: quiz.as_ref().map(|quiz| QuizInput {
                    quiz: AsJson(quiz),
                    // A quiz takes questions from other pages too (pools): their slots are
                    // its own.
                    slots: quiz
                        .blocks
                        .iter()
                        .flatten()
                        .chain(&quiz.pool)
                        .filter_map(|q| q.id.as_deref())
                        .filter_map(|id| Some((id, *question_slots.get(id)?)))
                        .collect(),
                }),
                mastery: mastery.to_bits(),
            };
            Ok(RenderedPage {
                href: page.href.clone(),
                title: title.clone(),
                html: memo.try_keep("page template", &page.source, input, template_page)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RenderedCourse {
        pages: rendered,
        files,
        checked_markup,
        slots,
    })
}

/// Everything one page's template is made from.
#[derive(Hash)]
struct PageInput<'a> {
    tera: &'a Hashed<Arc<Tera>>,
    /// The course's part of every page's context, and of every quiz's.
    shared: &'a Hashed<Context>,
    shared_quiz: &'a Hashed<Context>,
    href: &'a str,
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    body: &'a str,
    code_blocks: &'a [crate::markdown::CodeBlock],
    code: Code,
    has_h1: bool,
    quiz: Option<QuizInput<'a>>,
    /// The course's mastery score (the bits of an `f64`), the pass mark of an assessment
    /// that sets none.
    mastery: u64,
}

/// A page's quiz, and the saved-state slot of each of its questions.
#[derive(Hash)]
struct QuizInput<'a> {
    quiz: AsJson<&'a quiz::PageQuiz>,
    slots: BTreeMap<&'a str, usize>,
}

/// One page's complete HTML document.
fn template_page(input: PageInput) -> Result<Arc<[u8]>> {
    let body = match input.code_blocks {
        [] => std::borrow::Cow::Borrowed(input.body),
        blocks => std::borrow::Cow::Owned(highlight::fill_code_blocks(
            input.body,
            blocks,
            input.code == Code::Highlighted,
        )),
    };
    let (body, quiz_data) = match &input.quiz {
        Some(QuizInput {
            quiz: AsJson(quiz),
            slots,
        }) => {
            let (html, data) = quiz::render_page_quiz(
                &input.tera.value,
                &mut input.shared_quiz.value.clone(),
                quiz,
                &body,
                f64::from_bits(input.mastery),
                slots,
            )?;
            (std::borrow::Cow::Owned(html), Some(data))
        }
        None => (body, None),
    };
    let mut context = input.shared.value.clone();
    let root = relative_url(input.href, "index.html");
    context.insert("root", root.trim_end_matches("index.html"));
    context.insert(
        "page",
        &PageView {
            id: input.id,
            title: input.title,
            description: input.description,
            body: &body,
            has_h1: input.has_h1,
            quiz_data: quiz_data.as_deref(),
        },
    );
    // Room for the body and the page around it: no copying as the page grows.
    let mut html = Vec::with_capacity(body.len() + 4096);
    input
        .tera
        .value
        .render_to("page.html", &context, &mut html)
        .map_err(|err| anyhow!("template page.html: {}", describe_tera_error(&err)))?;
    Ok(html.into())
}

/// The launch page for one standard: the course menu, navigation and the run-time's data.
/// With `sco_per_module` the same page serves every module's SCO: the module comes as a
/// parameter.
pub fn launch_page(
    course: &Course,
    rendered: &RenderedCourse,
    tera: &Hashed<Arc<Tera>>,
    standard: Standard,
    memo: &Memo,
) -> Result<Arc<[u8]>> {
    with_launch_data(course, rendered, standard, |view, data| {
        let input = LaunchInput {
            tera,
            view: AsJson(view),
            data: AsJson(data),
            strings: &course.strings,
            standard: standard.as_str(),
        };
        memo.try_keep(
            "launch page",
            standard.as_str(),
            input,
            template_launch_page,
        )
    })
}

/// Everything the launch page is made from.
#[derive(Hash)]
struct LaunchInput<'a> {
    tera: &'a Hashed<Arc<Tera>>,
    view: AsJson<&'a CourseView<'a>>,
    data: AsJson<&'a RuntimeData<'a>>,
    strings: &'a crate::i18n::UiStrings,
    standard: &'a str,
}

fn template_launch_page(input: LaunchInput) -> Result<Arc<[u8]>> {
    let mut context = Context::from_serialize(LaunchContext {
        course: input.view.0,
        t: input.strings,
        strings_json: &script_json(input.strings)?,
        standard: input.standard,
    })?;
    context.insert("runtime_data", &script_json(input.data.0)?);
    let html = input
        .tera
        .value
        .render("index.html", &context)
        .map_err(|err| anyhow!("template index.html: {}", describe_tera_error(&err)))?;
    Ok(html.into_bytes().into())
}

fn with_launch_data<T>(
    course: &Course,
    rendered: &RenderedCourse,
    standard: Standard,
    use_it: impl FnOnce(&CourseView, &RuntimeData) -> T,
) -> T {
    let titles: Vec<String> = rendered.pages.iter().map(|p| p.title.clone()).collect();
    let view = CourseView::new(course, &titles);
    let page_slots = rendered.slots.page_slots();
    let data = RuntimeData {
        standard: standard.as_str(),
        course_id: course.config.id(),
        version: course.config.version(),
        resume_prompt: course.config.package.resume_prompt,
        completion: course.config.course.completion.as_str(),
        objectives: course.config.course.objectives,
        lineage: &rendered.slots.lineage,
        pages: view
            .modules
            .iter()
            .flat_map(|m| {
                m.pages.iter().map(|p| RuntimePage {
                    id: p.id,
                    slot: page_slots[p.id],
                    href: p.href,
                    module: m.slug,
                    kind: p.kind,
                })
            })
            .collect(),
    };
    use_it(&view, &data)
}

/// JSON to embed in a `<script>` element, with every `<` escaped: `</script>` would end the
/// element, and `<!--` with `<script` would make the parser miss its real end.
pub(crate) fn script_json(value: &impl Serialize) -> Result<String> {
    Ok(serde_json::to_string(value)?.replace('<', "\\u003c"))
}

/// The UI strings for the player's scripts.
fn strings_json(course: &Course) -> Result<String> {
    script_json(&course.strings)
}

/// A link to `page.md#anchor` must name a heading (or footnote) that exists on that page.
fn check_anchors(course: &Course, bodies: &[RenderedMarkdown], diagnostics: &mut Diagnostics) {
    let anchors: HashMap<&str, &RenderedMarkdown> = course
        .pages()
        .zip(bodies)
        .map(|(page, body)| (page.id.as_str(), body))
        .collect();
    for (page, body) in course.pages().zip(bodies) {
        // As many "did you mean" searches a page as the Markdown stage allows it.
        let mut suggestions_left = crate::markdown::SUGGESTIONS_PER_PAGE;
        for link in &body.page_links {
            let known = anchors
                .get(link.target_page.as_str())
                .is_some_and(|target| {
                    link.fragment.is_empty() || target.anchors.contains(&link.fragment)
                });
            if !known {
                suggestions_left = suggestions_left.saturating_sub(1);
                let searching = suggestions_left > 0;
                let closest = anchors
                    .get(link.target_page.as_str())
                    .filter(|_| searching)
                    .and_then(|target| {
                        crate::diagnostics::closest(
                            &link.fragment,
                            target.anchors.iter().map(String::as_str),
                        )
                    });
                let help = match closest {
                    Some(anchor) => format!("did you mean `#{anchor}`?"),
                    None => "anchors are the heading text in lower case with hyphens (`## Risk map` → `#risk-map`), or an explicit `{#id}`".to_string(),
                };
                diagnostics.push(
                    Diagnostic::error(
                        &page.source,
                        Some(link.position),
                        format!(
                            "no heading with anchor `#{}` on page `{}`",
                            link.fragment, link.target_page
                        ),
                    )
                    .with_help(help),
                );
            }
        }
    }
}

/// Files matched by course.toml's `include` globs.
fn include_files(course: &Course, diagnostics: &mut Diagnostics) -> Result<Vec<String>> {
    let patterns = &course.config.package.include;
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        match globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(err) => diagnostics.push(
                Diagnostic::error(
                    crate::config::COURSE_FILE,
                    None,
                    format!("include pattern `{pattern}` is invalid: {err}"),
                )
                .with_help(
                    "use glob patterns relative to the course folder, e.g. `handouts/*.pdf`",
                ),
            ),
        }
    }
    let set = builder.build()?;
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&course.root).sort_by_file_name() {
        let entry = entry?;
        let Ok(relative) = entry.path().strip_prefix(&course.root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if relative.is_empty() || entry.file_type().is_dir() || !set.is_match(&relative) {
            continue;
        }
        match crate::course_path::resolve_in_course(&course.root, &relative) {
            Ok(path) if path.is_file() => found.push(relative),
            Ok(_) => {}
            Err(problem) => diagnostics.push(problem.diagnostic(&relative, None)),
        }
    }
    Ok(found)
}

#[derive(Serialize)]
struct CourseView<'a> {
    #[serde(flatten)]
    about: CourseAbout<'a>,
    modules: Vec<ModuleView<'a>>,
}

/// What every page shows of the course. Kept apart from the menu so that a page's context
/// does not carry every other page (which made rendering quadratic in the page count).
#[derive(Serialize, Hash)]
struct CourseAbout<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    language: &'a str,
    direction: &'a str,
    version: &'a str,
    page_count: usize,
    primary_color: Option<&'a str>,
    /// Logo path inside the package, from the package root.
    logo: Option<String>,
}

#[derive(Serialize)]
struct ModuleView<'a> {
    slug: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    pages: Vec<PageLinkView<'a>>,
}

#[derive(Serialize)]
struct PageLinkView<'a> {
    id: &'a str,
    title: &'a str,
    href: &'a str,
    kind: &'a str,
}

impl<'a> CourseView<'a> {
    fn new(course: &'a Course, titles: &'a [String]) -> Self {
        let mut titles = titles.iter();
        CourseView {
            about: CourseAbout::new(course),
            modules: course
                .modules
                .iter()
                .map(|module| ModuleView {
                    slug: &module.slug,
                    title: &module.title,
                    description: module.description.as_deref(),
                    pages: module
                        .pages
                        .iter()
                        .map(|page| PageLinkView {
                            id: &page.id,
                            title: titles.next().map_or("", String::as_str),
                            href: &page.href,
                            kind: page.kind(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl<'a> CourseAbout<'a> {
    fn new(course: &'a Course) -> Self {
        let config = &course.config;
        CourseAbout {
            id: config.id(),
            title: &config.course.title,
            description: &config.course.description,
            language: config.language(),
            direction: config.direction(),
            version: config.version(),
            page_count: course.page_count(),
            primary_color: config
                .theme
                .primary_color
                .as_ref()
                .map(|c| c.get_ref().as_str()),
            logo: config
                .theme
                .logo
                .as_ref()
                .and_then(|logo| crate::course_path::normalize(logo.get_ref()).ok())
                .map(|rel| file_href(&rel)),
        }
    }
}

/// What `page.html` sees besides `page` and `root` (the relative URL from the page to the
/// package root, `../../`).
#[derive(Serialize)]
struct SharedPageContext<'a> {
    course: &'a CourseAbout<'a>,
    /// UI strings by key, for the templates (`{{ t.next }}`).
    t: &'a crate::i18n::UiStrings,
    /// The same as JSON, for the scripts.
    strings_json: &'a str,
}

#[derive(Serialize)]
struct PageView<'a> {
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    body: &'a str,
    /// Whether the body has its own `#` heading (else the template adds one).
    has_h1: bool,
    /// JSON for the quiz script, on pages with questions.
    quiz_data: Option<&'a str>,
}

#[derive(Serialize)]
struct LaunchContext<'a> {
    course: &'a CourseView<'a>,
    t: &'a crate::i18n::UiStrings,
    strings_json: &'a str,
    standard: &'a str,
}

/// What the run-time script needs, as JSON inside the launch page.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuntimeData<'a> {
    standard: &'a str,
    course_id: &'a str,
    version: &'a str,
    resume_prompt: bool,
    /// course.toml's completion rule.
    completion: &'a str,
    objectives: bool,
    /// Which numbering of `slot`s a saved state must have been written in to be read.
    lineage: &'a str,
    pages: Vec<RuntimePage<'a>>,
}

#[derive(Serialize)]
struct RuntimePage<'a> {
    id: &'a str,
    /// The page's place in the saved state (see `slots`).
    slot: usize,
    href: &'a str,
    module: &'a str,
    /// `page`, `assessment` or `survey`.
    kind: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(pages: &[(&str, &str)]) -> (tempfile::TempDir, Course) {
        let dir = tempfile::tempdir().unwrap();
        let toml =
            "[course]\nid = \"units\"\ntitle = \"Units\"\nversion = \"1\"\nlanguage = \"en\"\n";
        for (name, text) in [("course.toml", toml)].iter().chain(pages) {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut diagnostics = Diagnostics::default();
        let course = crate::load::load_course(dir.path(), &mut diagnostics, &Memo::none()).unwrap();
        assert!(!diagnostics.has_errors(), "{:?}", diagnostics.sorted());
        (dir, course)
    }

    #[test]
    fn script_json_cannot_end_or_confuse_its_script_element() {
        let text = "</script><!--<script>alert(1)";
        let json = script_json(&text).unwrap();
        assert!(!json.contains('<'), "{json}");
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }

    #[test]
    fn a_link_to_a_missing_heading_is_reported_at_its_line() {
        let (_dir, course) = course(&[
            ("01-a/01-one.md", "# One\n\nSee [two](02-two.md#nowhere).\n"),
            ("01-a/02-two.md", "# Two\n\n## Somewhere\n"),
        ]);
        let mut diagnostics = Diagnostics::default();
        let bodies = render_bodies(&course, &Memo::none());
        check_course(&course, bodies, &mut diagnostics).unwrap();
        let found: Vec<_> = diagnostics
            .sorted()
            .iter()
            .map(|d| d.display_in(&course.root))
            .collect();
        assert!(
            found
                .iter()
                .any(|d| d.contains("01-one.md:3:") && d.contains("nowhere")),
            "{found:?}"
        );
    }

    #[test]
    fn pages_are_wrapped_in_the_theme_and_made_again_only_when_what_they_show_changed() {
        let (_dir, mut course) = course(&[
            (
                "01-a/01-one.md",
                "# One & only\n\nHello.\n\n```python\nprint(1)\n```\n",
            ),
            ("01-a/02-two.md", "# Two\n\nBye.\n"),
        ]);
        let theme = crate::templates::Theme::load(&[]).unwrap();
        let tera = Hashed::made_from(Arc::new(theme.tera().unwrap()), &theme);
        let memo = Memo::keeping();
        let render = |course: &Course| {
            let mut diagnostics = Diagnostics::default();
            let bodies = render_bodies(course, &memo);
            let checked = check_course(course, bodies, &mut diagnostics).unwrap();
            render_course(course, checked, &tera, &memo, Code::Highlighted).unwrap()
        };
        let first = render(&course);
        let html = String::from_utf8(first.pages[0].html.to_vec()).unwrap();
        assert!(html.contains("One &amp; only"), "{html}");
        assert!(html.contains("<p>Hello.</p>"), "{html}");

        let again = render(&course);
        for (before, after) in first.pages.iter().zip(&again.pages) {
            assert!(
                Arc::ptr_eq(&before.html, &after.html),
                "{} kept",
                before.href
            );
        }
        course.modules[0].pages[1].markdown = "# Two\n\nSee you.\n".into();
        let edited = render(&course);
        assert!(Arc::ptr_eq(&first.pages[0].html, &edited.pages[0].html));
        let html = String::from_utf8(edited.pages[1].html.to_vec()).unwrap();
        assert!(html.contains("<p>See you.</p>"), "{html}");
        assert_eq!(
            String::from_utf8(render(&course).pages[1].html.to_vec()).unwrap(),
            String::from_utf8(
                render_course(
                    &course,
                    check_course(
                        &course,
                        render_bodies(&course, &Memo::none()),
                        &mut Diagnostics::default()
                    )
                    .unwrap(),
                    &tera,
                    &Memo::none(),
                    Code::Highlighted,
                )
                .unwrap()
                .pages[1]
                    .html
                    .to_vec()
            )
            .unwrap(),
            "what the memo gives is what a build without it makes"
        );
    }
}
