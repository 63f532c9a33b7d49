//! Quizzes across pages: final question ids (stable, unique course-wide), the page's mode
//! (knowledge check, graded assessment or survey), assessment pools, and the HTML and JSON
//! the page's quiz script works from.

use crate::config::{AssessmentSettings, FeedbackTiming};
use crate::diagnostics::{Diagnostic, Diagnostics, LineIndex};
use crate::markdown::{RenderedMarkdown, quiz_placeholder};
use crate::model::{Course, Page};
use crate::quiz::{Answer, Kind, Question, kind_name};
use anyhow::{Result, anyhow};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tera::{Context, Tera};

/// How a page's questions behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Knowledge checks: immediate feedback, not scored.
    Check,
    /// A graded assessment: one form, scored, reported.
    Assessment,
    /// Opinions: one form, reported, never scored.
    Survey,
}

/// The quiz content of one page, ready to render.
#[derive(Serialize)]
pub struct PageQuiz {
    pub mode: Mode,
    /// The page's own blocks, in order, ids assigned.
    pub blocks: Vec<Vec<Question>>,
    /// Questions from other pages joining an assessment's pool.
    pub pool: Vec<Question>,
    pub settings: Option<AssessmentSettings>,
}

/// Assigns ids and gathers each page's quiz. `bodies` are the pages' Markdown renders in
/// course order; their quizzes move into the result.
pub fn gather_quizzes(
    course: &Course,
    bodies: &mut [RenderedMarkdown],
    diagnostics: &mut Diagnostics,
) -> Vec<Option<PageQuiz>> {
    let pages: Vec<&Page> = course.pages().collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (page, body) in pages.iter().zip(bodies.iter_mut()) {
        for (n, question) in body.quizzes.iter_mut().flatten().enumerate() {
            let position = n + 1;
            let id = question
                .id
                .clone()
                .unwrap_or_else(|| format!("{}-{position}", page.id.replace('/', "-")));
            if let Some(first) = seen.insert(id.clone(), page.source.clone()) {
                diagnostics.push(
                    Diagnostic::error(&page.source, Some(position_in(page, question.offset)), format!("question id `{id}` is already used in `{first}`"))
                        .with_help("question ids are reported to the LMS and must be unique in the course: change `id:`"),
                );
            }
            question.id = Some(id);
        }
    }
    let by_source: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.source.as_str(), i))
        .collect();
    let pools: Vec<Vec<Question>> = pages
        .iter()
        .map(|page| pool_questions(page, &by_source, bodies, diagnostics))
        .collect();
    pages
        .iter()
        .zip(bodies.iter_mut())
        .zip(pools)
        .map(|((page, body), pool)| {
            let mode = match (&page.assessment, page.survey) {
                (Some(_), _) => Mode::Assessment,
                (None, true) => Mode::Survey,
                (None, false) => Mode::Check,
            };
            let blocks = std::mem::take(&mut body.quizzes);
            let count = blocks.iter().map(Vec::len).sum::<usize>() + pool.len();
            check_page(page, mode, &blocks, &pool, diagnostics);
            (count > 0 || mode != Mode::Check).then(|| PageQuiz {
                mode,
                blocks,
                pool,
                settings: page.assessment.clone(),
            })
        })
        .collect()
}

fn pool_questions(
    page: &Page,
    by_source: &HashMap<&str, usize>,
    bodies: &[RenderedMarkdown],
    diagnostics: &mut Diagnostics,
) -> Vec<Question> {
    let Some(settings) = &page.assessment else {
        return Vec::new();
    };
    let dir = page.source.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut questions = Vec::new();
    for reference in &settings.pool {
        let source = crate::course_path::normalize(&format!("{dir}/{reference}")).ok();
        match source.as_deref().and_then(|s| by_source.get(s)) {
            Some(&index) => questions.extend(bodies[index].quizzes.iter().flatten().cloned()),
            None => diagnostics.push(
                Diagnostic::error(&page.source, None, format!("assessment pool page `{reference}` does not exist"))
                    .with_help("list course pages relative to this page, e.g. `pool = [\"02-question-bank.md\"]`"),
            ),
        }
    }
    questions
}

/// Where `offset` of the page's Markdown is in its file. Only errors need it, so the line
/// index is built then rather than for every page.
fn position_in(page: &Page, offset: usize) -> crate::diagnostics::Position {
    LineIndex::new(&page.markdown, page.body_line_offset).position(offset)
}

fn check_page(
    page: &Page,
    mode: Mode,
    blocks: &[Vec<Question>],
    pool: &[Question],
    diagnostics: &mut Diagnostics,
) {
    let questions: Vec<&Question> = blocks.iter().flatten().chain(pool).collect();
    match mode {
        Mode::Survey if questions.is_empty() => {
            diagnostics.push(
                Diagnostic::error(&page.source, None, "survey page has no question")
                    .with_help("add a ```quiz block with `type: likert` or `type: text` questions"),
            );
        }
        Mode::Survey => {
            for question in blocks.iter().flatten().filter(|q| q.kind().is_scored()) {
                diagnostics.push(
                    Diagnostic::error(&page.source, Some(position_in(page, question.offset)), format!("survey page has a scored {} question", kind_name(question.kind())))
                        .with_help("surveys take `type: likert` and `type: text` questions; put scored questions on another page"),
                );
            }
        }
        Mode::Assessment => {
            let count = questions.len();
            if !questions.iter().any(|q| q.kind().is_scored()) {
                diagnostics.push(
                    Diagnostic::error(&page.source, None, "assessment page has no scored question")
                        .with_help(
                            "add ```quiz blocks to the page, or a `pool` of pages that have them",
                        ),
                );
            }
            if let Some(settings) = &page.assessment {
                if let Some(draw) = settings.draw
                    && (draw == 0 || draw > count)
                {
                    diagnostics.push(
                        Diagnostic::error(&page.source, None, format!("assessment draws {draw} questions from a pool of {count}"))
                            .with_help("set `draw` between 1 and the number of questions, or add questions to the pool"),
                    );
                }
                if let Some(mark) = settings.pass_mark
                    && !(0.0..=100.0).contains(&mark)
                {
                    diagnostics.push(
                        Diagnostic::error(
                            &page.source,
                            None,
                            format!("pass_mark {mark} is outside 0–100"),
                        )
                        .with_help("the pass mark is a percentage, e.g. `pass_mark = 80`"),
                    );
                }
            }
        }
        Mode::Check => {}
    }
}

/// Replaces the page's quiz placeholders with their HTML and returns the JSON the quiz
/// script reads (`None` for a page without questions). `context` holds the UI strings (`t`);
/// the quiz's own values are set on it.
pub fn render_page_quiz(
    tera: &Tera,
    context: &mut Context,
    quiz: &PageQuiz,
    html: &str,
    course_mastery: f64,
    question_slots: &BTreeMap<&str, usize>,
) -> Result<(String, String)> {
    let mut html = html.to_string();
    let all: Vec<&Question> = quiz.blocks.iter().flatten().chain(&quiz.pool).collect();
    let views: Vec<QuestionView> = all.iter().map(|q| QuestionView::new(q)).collect();
    let mut render = |questions: &[QuestionView], blocks: &[BlockView], form: bool| {
        context.insert("questions", questions);
        context.insert("blocks", blocks);
        context.insert("mode", &quiz.mode);
        context.insert("form", &form);
        context.insert(
            "immediate",
            &quiz
                .settings
                .as_ref()
                .is_some_and(|s| s.feedback == FeedbackTiming::Immediate),
        );
        tera.render("quiz.html", context).map_err(|err| {
            anyhow!(
                "template quiz.html: {}",
                crate::templates::describe_tera_error(&err)
            )
        })
    };
    if quiz.mode == Mode::Check {
        let mut first = 0;
        for (n, block) in quiz.blocks.iter().enumerate() {
            let block_html = render(&views[first..first + block.len()], &[], false)?;
            html = html.replacen(&quiz_placeholder(n), &block_html, 1);
            first += block.len();
        }
    } else {
        // An assessment or survey is one form, from its first quiz block to its last: the
        // page's text between the blocks (an introduction, a figure, code) stays in place
        // inside it, with the questions it introduces.
        let places: Vec<std::ops::Range<usize>> = (0..quiz.blocks.len())
            .filter_map(|n| {
                let placeholder = quiz_placeholder(n);
                html.find(&placeholder).map(|at| at..at + placeholder.len())
            })
            .collect();
        let mut blocks = Vec::with_capacity(quiz.blocks.len() + 1);
        let mut first = 0;
        for (n, block) in quiz.blocks.iter().enumerate() {
            let after = match (places.get(n), places.get(n + 1)) {
                (Some(this), Some(next)) => html[this.end..next.start].to_string(),
                _ => String::new(),
            };
            blocks.push(BlockView {
                questions: &views[first..first + block.len()],
                after,
            });
            first += block.len();
        }
        // Questions from other pages' pools come last.
        blocks.push(BlockView {
            questions: &views[first..],
            after: String::new(),
        });
        let form = render(&views, &blocks, true)?;
        match (places.first(), places.last()) {
            (Some(first), Some(last)) => html.replace_range(first.start..last.end, &form),
            _ => html.push_str(&form),
        }
    }
    let settings = quiz.settings.clone().unwrap_or_default();
    let data = QuizData {
        mode: quiz.mode,
        pass_mark: settings.pass_mark.unwrap_or(course_mastery),
        settings: (quiz.mode == Mode::Assessment).then_some(&settings),
        questions: all
            .iter()
            .map(|q| QuestionKey::new(q, question_slots))
            .collect(),
    };
    Ok((html, super::script_json(&data)?))
}

/// A question as the template shows it.
/// One quiz block of a form: its questions, then the page's text up to the next block.
#[derive(Serialize)]
struct BlockView<'a> {
    questions: &'a [QuestionView<'a>],
    after: String,
}

#[derive(Serialize)]
struct QuestionView<'a> {
    id: &'a str,
    kind: Kind,
    kind_name: &'static str,
    /// The question's first paragraph: the fieldset's legend.
    text: &'a str,
    /// What follows it (code, a figure, more paragraphs), under the legend.
    body: &'a str,
    options: Vec<&'a str>,
    /// Matching: left items in order; right items sorted by text so that their order gives
    /// nothing away, each with its index in the pairing.
    left: Vec<&'a str>,
    right: Vec<(usize, &'a str)>,
    /// Ordering: the steps with their index in the right order (the script shuffles them).
    steps: Vec<(usize, &'a str)>,
}

impl<'a> QuestionView<'a> {
    fn new(q: &'a Question) -> Self {
        let (pairs, steps): (&[(String, String)], &[String]) = match &q.answer {
            Answer::Matching(pairs) => (pairs, &[]),
            Answer::Ordering(steps) => (&[], steps),
            _ => (&[], &[]),
        };
        let mut right: Vec<(usize, &str)> = pairs
            .iter()
            .enumerate()
            .map(|(i, (_, r))| (i, r.as_str()))
            .collect();
        right.sort_by(|a, b| a.1.cmp(b.1));
        // A legend holds a line of text: a question written with a code block or a figure
        // under it has its first paragraph there and the rest below.
        let (lead, body) = match q
            .text
            .strip_prefix("<p>")
            .and_then(|t| t.split_once("</p>"))
        {
            Some((lead, body)) => (lead, body.trim()),
            None => (q.text.as_str(), ""),
        };
        QuestionView {
            id: q.id.as_deref().unwrap_or_default(),
            kind: q.kind(),
            kind_name: kind_name(q.kind()),
            text: lead,
            body,
            options: q.answer.options().iter().map(|o| o.text.as_str()).collect(),
            left: pairs.iter().map(|(l, _)| l.as_str()).collect(),
            right,
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, s)| (i, s.as_str()))
                .collect(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuizData<'a> {
    mode: Mode,
    pass_mark: f64,
    settings: Option<&'a AssessmentSettings>,
    questions: Vec<QuestionKey<'a>>,
}

/// What the quiz script needs to score and explain a question.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct QuestionKey<'a> {
    id: &'a str,
    /// The question's place in the page's saved state (see `slots`).
    slot: usize,
    kind: Kind,
    weight: f64,
    /// Choice: indices of the correct options.
    correct: Vec<usize>,
    options: usize,
    answers: Vec<&'a str>,
    case_sensitive: bool,
    range: Option<(f64, f64)>,
    pairs: usize,
    steps: usize,
    option_feedback: Vec<Option<&'a str>>,
    feedback_correct: Option<&'a str>,
    feedback_incorrect: Option<&'a str>,
    explanation: Option<&'a str>,
}

impl<'a> QuestionKey<'a> {
    fn new(q: &'a Question, slots: &BTreeMap<&str, usize>) -> Self {
        let id = q.id.as_deref().unwrap_or_default();
        let options = q.answer.options();
        let (mut answers, mut case_sensitive, mut range, mut pairs, mut steps) =
            (Vec::new(), false, None, 0, 0);
        match &q.answer {
            Answer::TrueFalse(options) => {
                answers.push(if options[0].correct { "true" } else { "false" });
            }
            Answer::FillIn {
                accepted,
                case_sensitive: sensitive,
            } => {
                answers = accepted.iter().map(String::as_str).collect();
                case_sensitive = *sensitive;
            }
            Answer::Numeric { low, high } => range = Some((*low, *high)),
            Answer::Matching(matching) => pairs = matching.len(),
            Answer::Ordering(ordering) => steps = ordering.len(),
            Answer::Single(_) | Answer::Multiple(_) | Answer::Likert(_) | Answer::Text => {}
        }
        QuestionKey {
            id,
            slot: slots[id],
            kind: q.kind(),
            weight: q.weight,
            correct: options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.correct)
                .map(|(i, _)| i)
                .collect(),
            options: options.len(),
            answers,
            case_sensitive,
            range,
            pairs,
            steps,
            option_feedback: options.iter().map(|o| o.feedback.as_deref()).collect(),
            feedback_correct: q.feedback_correct.as_deref(),
            feedback_incorrect: q.feedback_incorrect.as_deref(),
            explanation: q.explanation.as_deref(),
        }
    }
}
