//! Quiz blocks: fenced ```` ```quiz ```` blocks in pages, parsed into questions. The syntax is
//! line-based so that a block stays readable in any Markdown viewer and in a diff:
//!
//! ```text
//! ? A trader offers you a gift after clearance. What do you do?
//! - [ ] Accept it: it is only a courtesy.
//!   > Even small gifts create obligations.
//! - [x] Decline politely and record the offer.
//! correct: Right: declining and recording protects you and the office.
//! explain: Codes of conduct forbid gifts linked to official decisions.
//! ```
//!
//! One block holds one or more questions, each starting with `?`. What follows decides the type
//! (`- [x]` choice, `= answer` fill-in / numeric / true-false, `- a -> b` matching, `1.`
//! ordering) unless `type:` names it. Every mistake is reported at its line with a hint.

use std::collections::BTreeMap;

use serde::Serialize;

/// Question types, named as in the SCORM interaction vocabulary where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// One correct option.
    Single,
    /// Any number of correct options.
    Multiple,
    TrueFalse,
    /// One or more accepted answers, compared without case and surrounding spaces by default.
    FillIn,
    /// A number, exactly or within a tolerance or range.
    Numeric,
    /// Pairs: each left item goes with one right item.
    Matching,
    /// Items to put in order.
    Ordering,
    /// An opinion scale for surveys: never scored.
    Likert,
    /// Free text for surveys: never scored.
    Text,
}

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        Some(match word {
            "single" => Kind::Single,
            "multiple" => Kind::Multiple,
            "true-false" => Kind::TrueFalse,
            "fill-in" => Kind::FillIn,
            "numeric" => Kind::Numeric,
            "matching" => Kind::Matching,
            "ordering" => Kind::Ordering,
            "likert" => Kind::Likert,
            "text" => Kind::Text,
            _ => return None,
        })
    }

    /// Survey types have no correct answer and are never scored.
    pub fn is_scored(self) -> bool {
        !matches!(self, Kind::Likert | Kind::Text)
    }
}

pub const KIND_NAMES: &str =
    "single, multiple, true-false, fill-in, numeric, matching, ordering, likert, text";

/// SCORM 1.2 choice responses are single characters `a`–`z`, `0`–`9`.
pub const MAX_OPTIONS: usize = 36;

/// One question: what every kind has, and its [`Answer`], which carries the kind's own data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Explicit stable id, if the author gave one.
    pub id: Option<String>,
    /// Question text, inline Markdown.
    pub text: String,
    pub answer: Answer,
    pub weight: f64,
    pub feedback_correct: Option<String>,
    pub feedback_incorrect: Option<String>,
    pub explanation: Option<String>,
    /// Byte offset of the question's `?` line in the block.
    #[serde(skip)]
    pub offset: usize,
    /// Where each author-written text starts in the block, for messages about it.
    #[serde(skip)]
    pub places: BTreeMap<Place, usize>,
}

/// What a question asks for and what counts as right, one variant per kind. Texts are inline
/// Markdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Answer {
    /// One correct option among at least two.
    Single(Vec<Choice>),
    /// Any number of correct options, at least one.
    Multiple(Vec<Choice>),
    /// The player's "True" and "False", the right one marked.
    TrueFalse(Vec<Choice>),
    /// Accepted answers, compared without case (unless `case_sensitive`) and surrounding spaces.
    FillIn {
        accepted: Vec<String>,
        case_sensitive: bool,
    },
    /// A number within `low..=high`.
    Numeric { low: f64, high: f64 },
    /// Pairs: each left item goes with its right item.
    Matching(Vec<(String, String)>),
    /// Steps in the right order.
    Ordering(Vec<String>),
    /// The points of an opinion scale: never scored.
    Likert(Vec<Choice>),
    /// Free text: never scored.
    Text,
}

impl Answer {
    pub fn kind(&self) -> Kind {
        match self {
            Answer::Single(_) => Kind::Single,
            Answer::Multiple(_) => Kind::Multiple,
            Answer::TrueFalse(_) => Kind::TrueFalse,
            Answer::FillIn { .. } => Kind::FillIn,
            Answer::Numeric { .. } => Kind::Numeric,
            Answer::Matching(_) => Kind::Matching,
            Answer::Ordering(_) => Kind::Ordering,
            Answer::Likert(_) => Kind::Likert,
            Answer::Text => Kind::Text,
        }
    }

    /// The options a learner picks from: those of a choice, true-false or likert question.
    pub fn options(&self) -> &[Choice] {
        match self {
            Answer::Single(options)
            | Answer::Multiple(options)
            | Answer::TrueFalse(options)
            | Answer::Likert(options) => options,
            _ => &[],
        }
    }
}

impl Question {
    pub fn kind(&self) -> Kind {
        self.answer.kind()
    }
}

/// One author-written text of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Question,
    Option(usize),
    OptionFeedback(usize),
    PairLeft(usize),
    PairRight(usize),
    Step(usize),
    Correct,
    Incorrect,
    Explain,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
    pub feedback: Option<String>,
}

/// A mistake in a quiz block, at a byte offset of the block's text.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

fn error(offset: usize, message: impl Into<String>, help: impl Into<String>) -> QuizError {
    QuizError {
        offset,
        message: message.into(),
        help: help.into(),
    }
}

/// The words a question gets from the player rather than from its author, in the course's
/// language.
#[derive(Debug, Clone)]
pub struct QuizWords {
    /// The points of a likert question without `scale:`.
    pub likert_scale: Vec<String>,
    /// The options of a true-false question.
    pub true_false: [String; 2],
}

/// One line of a quiz block as the quiz grammar reads it. The texts are slices of the line,
/// untrimmed, so that a caller also knows where each one is (translation replaces them in
/// place).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum QuizLine<'a> {
    Blank,
    /// `? text` at the start of a line: a new question.
    Question(&'a str),
    /// `> text`: feedback on the option above.
    Feedback(&'a str),
    /// An indented line that is not an option: more question text.
    Continuation(&'a str),
    /// `- [mark] text`, or `None` when the `]` is missing.
    Choice(Option<(&'a str, &'a str)>),
    /// `- left -> right`, or `None` for a `- ` line without `->`.
    Pair(Option<(&'a str, &'a str)>),
    /// `= answers`.
    Answer(&'a str),
    /// `3. step`.
    Step(usize, &'a str),
    /// `key: value`.
    Setting(&'a str, &'a str),
    /// A line of a fenced code block indented under a question (its fences too), as it is:
    /// question text, whatever it looks like.
    Code(&'a str),
    /// None of these.
    Unreadable,
}

pub(crate) fn quiz_line(line: &str) -> QuizLine<'_> {
    let line = line.trim_end();
    if line.trim().is_empty() {
        return QuizLine::Blank;
    }
    if let Some(question) = line.strip_prefix('?') {
        return QuizLine::Question(question);
    }
    let trimmed = line.trim_start();
    let indented = trimmed.len() < line.len();
    if let Some(feedback) = trimmed.strip_prefix('>') {
        QuizLine::Feedback(feedback)
    } else if indented && !trimmed.starts_with("- ") {
        QuizLine::Continuation(trimmed)
    } else if let Some(rest) = trimmed.strip_prefix("- [") {
        QuizLine::Choice(rest.split_once(']'))
    } else if let Some(pair) = trimmed.strip_prefix("- ") {
        QuizLine::Pair(pair.split_once("->"))
    } else if let Some(answer) = trimmed.strip_prefix('=') {
        QuizLine::Answer(answer)
    } else if let Some((number, step)) = ordered_item(trimmed) {
        QuizLine::Step(number, step)
    } else if let Some((key, value)) = trimmed.split_once(':') {
        QuizLine::Setting(key, value)
    } else {
        QuizLine::Unreadable
    }
}

/// The lines of a quiz block as the grammar reads them, each with its offset in the block and
/// its raw text. Inside a code fence indented under a question (` ```python `), every line is
/// [`QuizLine::Code`], even one that looks like an option or a setting.
pub(crate) fn quiz_lines(text: &str) -> impl Iterator<Item = (usize, &str, QuizLine<'_>)> {
    let mut offset = 0;
    // The open fence's character and length.
    let mut fence: Option<(char, usize)> = None;
    text.split_inclusive('\n').map(move |raw| {
        let at = offset;
        offset += raw.len();
        let trimmed = raw.trim();
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        let line = match fence {
            Some((c, length)) => {
                if run(c) >= length && trimmed.chars().all(|x| x == c) {
                    fence = None;
                }
                QuizLine::Code(raw)
            }
            None if raw.starts_with([' ', '\t']) && (run('`') >= 3 || run('~') >= 3) => {
                let c = if run('`') >= 3 { '`' } else { '~' };
                fence = Some((c, run(c)));
                QuizLine::Code(raw)
            }
            None => quiz_line(raw),
        };
        (at, raw, line)
    })
}

/// Parses a quiz block's text. All mistakes are returned, not just the first.
pub fn parse_quiz(text: &str, words: &QuizWords) -> Result<Vec<Question>, Vec<QuizError>> {
    let mut questions: Vec<Draft> = Vec::new();
    let mut errors = Vec::new();
    for (line_offset, raw, line) in quiz_lines(text) {
        let line = match line {
            QuizLine::Blank => continue,
            QuizLine::Question(question) => {
                let text = question.trim();
                let mut draft = Draft::new(text, line_offset);
                let place = place_in_block(text, raw, line_offset);
                draft.question.places.insert(Place::Question, place);
                questions.push(draft);
                continue;
            }
            line => line,
        };
        let Some(draft) = questions.last_mut() else {
            errors.push(error(
                line_offset,
                "quiz block must start with a question",
                "start each question with a line `? Question text`",
            ));
            continue;
        };
        if let Err(problem) = draft.add_line(line, raw, line_offset) {
            draft.broken = true;
            errors.push(problem);
        }
    }
    if questions.is_empty() && errors.is_empty() {
        errors.push(error(
            0,
            "quiz block has no question",
            "add a line `? Question text` followed by its options or answer",
        ));
    }
    let mut parsed = Vec::new();
    // A question with a broken line is not checked as a whole too: one mistake, one message.
    for draft in questions.into_iter().filter(|d| !d.broken) {
        match draft.finish(words) {
            Ok(question) => parsed.push(question),
            Err(problem) => errors.push(problem),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// Where `text`, a slice of the block's `line` at `line_offset`, starts in the block.
fn place_in_block(text: &str, line: &str, line_offset: usize) -> usize {
    line_offset + (text.as_ptr() as usize - line.as_ptr() as usize)
}

/// A question while its lines are read: everything any kind could be given, until
/// [`Draft::finish`] knows the kind and keeps what it takes.
struct Draft {
    question: Lines,
    declared: Option<(Kind, usize)>,
    scale: Option<Vec<String>>,
    /// Offset of each line that gave an answer (for errors about answers).
    answer_offset: Option<usize>,
    /// A line of this question could not be read.
    broken: bool,
    /// The text a code fence goes with: the question's, or the option, feedback or setting
    /// written just above it.
    code_goes_to: Place,
}

/// What a question's lines gave.
struct Lines {
    id: Option<String>,
    text: String,
    options: Vec<Choice>,
    answers: Vec<String>,
    case_sensitive: bool,
    range: Option<(f64, f64)>,
    pairs: Vec<(String, String)>,
    sequence: Vec<String>,
    weight: f64,
    feedback_correct: Option<String>,
    feedback_incorrect: Option<String>,
    explanation: Option<String>,
    offset: usize,
    places: BTreeMap<Place, usize>,
}

impl Draft {
    fn new(text: &str, offset: usize) -> Draft {
        Draft {
            question: Lines {
                id: None,
                text: text.to_string(),
                options: Vec::new(),
                answers: Vec::new(),
                case_sensitive: false,
                range: None,
                pairs: Vec::new(),
                sequence: Vec::new(),
                weight: 1.0,
                feedback_correct: None,
                feedback_incorrect: None,
                explanation: None,
                offset,
                places: BTreeMap::new(),
            },
            declared: None,
            scale: None,
            answer_offset: None,
            broken: false,
            code_goes_to: Place::Question,
        }
    }

    /// Adds a line after the question's first (blank lines and new questions are the
    /// block's business).
    fn add_line(&mut self, line: QuizLine, raw: &str, offset: usize) -> Result<(), QuizError> {
        let q = &mut self.question;
        let place = |text: &str| place_in_block(text, raw, offset);
        match line {
            QuizLine::Feedback(feedback) => {
                let Some(option) = q.options.last_mut() else {
                    return Err(error(
                        offset,
                        "option feedback (`>`) must follow an option",
                        "put `  > feedback` on the line after the `- [ ]` option it explains",
                    ));
                };
                let feedback = feedback.trim();
                option.feedback = Some(feedback.to_string());
                let n = q.options.len() - 1;
                q.places.insert(Place::OptionFeedback(n), place(feedback));
                self.code_goes_to = Place::OptionFeedback(n);
            }
            QuizLine::Continuation(text) => {
                q.text.push('\n');
                q.text.push_str(text);
            }
            QuizLine::Code(line) => {
                // Up to the question's indentation (two spaces) comes off, as Markdown takes
                // a fence's own indentation off its lines.
                let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
                let target = match self.code_goes_to {
                    Place::Option(n) => q.options.get_mut(n).map(|o| &mut o.text),
                    Place::OptionFeedback(n) => {
                        q.options.get_mut(n).and_then(|o| o.feedback.as_mut())
                    }
                    Place::Correct => q.feedback_correct.as_mut(),
                    Place::Incorrect => q.feedback_incorrect.as_mut(),
                    Place::Explain => q.explanation.as_mut(),
                    _ => None,
                };
                let target = target.unwrap_or(&mut q.text);
                target.push('\n');
                target.push_str(line[indent.min(2)..].trim_end_matches(['\n', '\r']));
            }
            QuizLine::Choice(None) => {
                return Err(error(
                    offset,
                    "unclosed `[` in option",
                    "write options as `- [ ] wrong` or `- [x] right`",
                ));
            }
            QuizLine::Choice(Some((mark, text))) => {
                let correct = match mark.trim() {
                    "" => false,
                    "x" | "X" => true,
                    other => {
                        return Err(error(
                            offset,
                            format!("unknown option mark `[{other}]`"),
                            "mark a correct option `[x]` and a wrong one `[ ]`",
                        ));
                    }
                };
                let text = text.trim();
                self.code_goes_to = Place::Option(q.options.len());
                q.places.insert(Place::Option(q.options.len()), place(text));
                q.options.push(Choice {
                    text: text.to_string(),
                    correct,
                    feedback: None,
                });
            }
            QuizLine::Pair(None) => {
                return Err(error(
                    offset,
                    "cannot read this option",
                    "choice options are `- [ ] text` or `- [x] text`; matching pairs are `- left -> right`",
                ));
            }
            QuizLine::Pair(Some((left, right))) => {
                let (left, right) = (left.trim(), right.trim());
                let n = q.pairs.len();
                q.places.insert(Place::PairLeft(n), place(left));
                q.places.insert(Place::PairRight(n), place(right));
                q.pairs.push((left.to_string(), right.to_string()));
            }
            QuizLine::Answer(answer) => {
                self.answer_offset = Some(offset);
                return self.add_answer(answer.trim(), offset);
            }
            QuizLine::Step(number, step) => {
                let expected = q.sequence.len() + 1;
                if number != expected {
                    return Err(error(
                        offset,
                        format!("ordering step {number} comes where step {expected} was expected"),
                        "number the steps 1., 2., 3. in the right order; learners see them shuffled",
                    ));
                }
                q.places.insert(Place::Step(q.sequence.len()), place(step));
                q.sequence.push(step.to_string());
            }
            QuizLine::Setting(key, value) => {
                let value = value.trim();
                return self.add_setting(key.trim(), value, offset, place(value));
            }
            QuizLine::Unreadable => {
                return Err(error(
                    offset,
                    "cannot read this line",
                    "quiz lines are `? question`, `- [ ]`/`- [x]` options, `= answer`, `- left -> right`, `1. step`, or `key: value` settings",
                ));
            }
            QuizLine::Blank | QuizLine::Question(_) => {
                unreachable!("parse_quiz reads blank lines and questions itself")
            }
        }
        Ok(())
    }

    fn add_answer(&mut self, answer: &str, offset: usize) -> Result<(), QuizError> {
        let q = &mut self.question;
        match answer.to_ascii_lowercase().as_str() {
            "true" | "false" if q.answers.is_empty() && q.range.is_none() => {
                q.answers.push(answer.to_ascii_lowercase());
                return Ok(());
            }
            _ => {}
        }
        if let Some(range) = parse_range(answer) {
            q.range = Some(range.map_err(|message| {
                error(
                    offset,
                    message,
                    "write `= 42`, `= 42 ± 0.5` (or `+-`) or `= 10 .. 20`; a decimal comma is fine (`= 2,5 ± 0,1`)",
                )
            })?);
            return Ok(());
        }
        q.answers.extend(
            answer
                .split('|')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
        );
        Ok(())
    }

    fn add_setting(
        &mut self,
        key: &str,
        value: &str,
        offset: usize,
        value_place: usize,
    ) -> Result<(), QuizError> {
        let q = &mut self.question;
        let text = || Some(value.to_string());
        match key {
            "id" => {
                if value.is_empty()
                    || !value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    return Err(error(
                        offset,
                        format!("question id `{value}` is not a valid identifier"),
                        "use ASCII letters, digits, `-` and `_` only: it becomes the interaction id the LMS reports",
                    ));
                }
                q.id = text();
            }
            "type" => {
                let kind = Kind::parse(value).ok_or_else(|| {
                    error(
                        offset,
                        format!("unknown question type `{value}`"),
                        format!("use one of: {KIND_NAMES}"),
                    )
                })?;
                self.declared = Some((kind, offset));
            }
            "weight" => {
                q.weight = value
                    .parse::<f64>()
                    .ok()
                    .filter(|w| w.is_finite() && *w >= 0.0)
                    .ok_or_else(|| {
                        error(
                            offset,
                            format!("weight `{value}` is not a number"),
                            "use a number of points such as `2` or `0.5`",
                        )
                    })?;
            }
            "correct" | "incorrect" | "explain" => {
                let (field, place) = match key {
                    "correct" => (&mut q.feedback_correct, Place::Correct),
                    "incorrect" => (&mut q.feedback_incorrect, Place::Incorrect),
                    _ => (&mut q.explanation, Place::Explain),
                };
                *field = text();
                q.places.insert(place, value_place);
                self.code_goes_to = place;
            }
            "case-sensitive" => {
                q.case_sensitive = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(error(
                            offset,
                            format!("case-sensitive must be `true` or `false`, not `{value}`"),
                            "write `case-sensitive: true`",
                        ));
                    }
                };
            }
            "scale" => self.scale = Some(value.split('|').map(|s| s.trim().to_string()).collect()),
            other => {
                return Err(error(
                    offset,
                    format!("unknown quiz setting `{other}`"),
                    "settings are id, type, weight, correct, incorrect, explain, case-sensitive and scale",
                ));
            }
        }
        Ok(())
    }

    /// Decides the type and checks that the question is complete and consistent.
    fn finish(mut self, words: &QuizWords) -> Result<Question, QuizError> {
        let q = &mut self.question;
        let at = q.offset;
        if q.text.is_empty() {
            return Err(error(
                at,
                "question has no text",
                "write the question after the `?`",
            ));
        }
        let correct = q.options.iter().filter(|o| o.correct).count();
        let inferred = if !q.options.is_empty() {
            if correct > 1 {
                None
            } else {
                Some(Kind::Single)
            }
        } else if !q.pairs.is_empty() {
            Some(Kind::Matching)
        } else if !q.sequence.is_empty() {
            Some(Kind::Ordering)
        } else if q.range.is_some() {
            Some(Kind::Numeric)
        } else if matches!(q.answers.as_slice(), [a] if a == "true" || a == "false") {
            Some(Kind::TrueFalse)
        } else if !q.answers.is_empty() {
            Some(Kind::FillIn)
        } else {
            None
        };
        let kind = match (self.declared, inferred) {
            (Some((kind, _)), _) => kind,
            (None, Some(kind)) => kind,
            (None, None) if correct > 1 => {
                return Err(error(
                    at,
                    format!("single-choice question has {correct} correct options"),
                    "mark one, or make it `type: multiple`",
                ));
            }
            (None, None) => {
                return Err(error(
                    at,
                    "question has no options or answer",
                    "add options (`- [x] right`, `- [ ] wrong`), an answer (`= answer`), pairs (`- a -> b`) or steps (`1. first`); or `type: likert` / `type: text` for a survey",
                ));
            }
        };
        let answer = match kind {
            Kind::Single | Kind::Multiple => {
                if q.options.len() < 2 {
                    return Err(error(
                        at,
                        "choice question needs at least two options",
                        "add options `- [ ] text`",
                    ));
                }
                if q.options.len() > MAX_OPTIONS {
                    return Err(error(
                        at,
                        format!(
                            "choice question has {} options; SCORM 1.2 allows at most {MAX_OPTIONS}",
                            q.options.len()
                        ),
                        "split the question, or remove options",
                    ));
                }
                if correct == 0 {
                    return Err(error(
                        at,
                        "choice question has no correct option",
                        "mark the right option with `- [x]`",
                    ));
                }
                if kind == Kind::Single && correct > 1 {
                    return Err(error(
                        at,
                        format!("single-choice question has {correct} correct options"),
                        "mark one, or make it `type: multiple`",
                    ));
                }
                let options = std::mem::take(&mut q.options);
                if kind == Kind::Single {
                    Answer::Single(options)
                } else {
                    Answer::Multiple(options)
                }
            }
            Kind::TrueFalse => {
                if !matches!(q.answers.as_slice(), [a] if a == "true" || a == "false") {
                    return Err(error(
                        self.answer_offset.unwrap_or(at),
                        "true-false question needs `= true` or `= false`",
                        "give the right answer on a line `= true` or `= false`",
                    ));
                }
                let says_true = q.answers[0].eq_ignore_ascii_case("true");
                // The options are the player's words now, written nowhere in the block.
                q.places.retain(|place, _| {
                    !matches!(place, Place::Option(_) | Place::OptionFeedback(_))
                });
                Answer::TrueFalse(vec![
                    Choice {
                        text: words.true_false[0].clone(),
                        correct: says_true,
                        feedback: None,
                    },
                    Choice {
                        text: words.true_false[1].clone(),
                        correct: !says_true,
                        feedback: None,
                    },
                ])
            }
            Kind::FillIn => {
                if q.answers.is_empty() {
                    return Err(error(
                        at,
                        "fill-in question has no accepted answer",
                        "add `= answer` (several: `= colour | color`)",
                    ));
                }
                Answer::FillIn {
                    accepted: std::mem::take(&mut q.answers),
                    case_sensitive: q.case_sensitive,
                }
            }
            Kind::Numeric => {
                let Some((low, high)) = q.range else {
                    return Err(error(
                        self.answer_offset.unwrap_or(at),
                        "numeric question has no numeric answer",
                        "write `= 42`, `= 42 ± 0.5` or `= 10 .. 20`",
                    ));
                };
                Answer::Numeric { low, high }
            }
            Kind::Matching => {
                if q.pairs.len() < 2 {
                    return Err(error(
                        at,
                        "matching question needs at least two pairs",
                        "add pairs `- left -> right`",
                    ));
                }
                if q.pairs.len() > MAX_OPTIONS {
                    return Err(error(
                        at,
                        format!(
                            "matching question has {} pairs; at most {MAX_OPTIONS}",
                            q.pairs.len()
                        ),
                        "split the question",
                    ));
                }
                Answer::Matching(std::mem::take(&mut q.pairs))
            }
            Kind::Ordering => {
                if q.sequence.len() < 2 {
                    return Err(error(
                        at,
                        "ordering question needs at least two steps",
                        "add steps `1. first`, `2. second`",
                    ));
                }
                if q.sequence.len() > MAX_OPTIONS {
                    return Err(error(
                        at,
                        format!(
                            "ordering question has {} steps; at most {MAX_OPTIONS}",
                            q.sequence.len()
                        ),
                        "split the question",
                    ));
                }
                Answer::Ordering(std::mem::take(&mut q.sequence))
            }
            Kind::Likert => {
                if correct > 0 {
                    return Err(error(
                        at,
                        "likert question has a correct option",
                        "opinion scales have no right answer: use `- [ ]` for every point, or `scale:`",
                    ));
                }
                if q.options.is_empty() {
                    let scale = self
                        .scale
                        .take()
                        .unwrap_or_else(|| words.likert_scale.clone());
                    q.options = scale
                        .into_iter()
                        .map(|text| Choice {
                            text,
                            correct: false,
                            feedback: None,
                        })
                        .collect();
                }
                if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                    return Err(error(
                        at,
                        "likert scale needs 2 to 36 points",
                        "list the points with `scale: Disagree | Neutral | Agree`",
                    ));
                }
                Answer::Likert(std::mem::take(&mut q.options))
            }
            Kind::Text => Answer::Text,
        };
        if kind.is_scored()
            && !matches!(kind, Kind::Numeric | Kind::FillIn | Kind::TrueFalse)
            && !q.answers.is_empty()
        {
            return Err(error(
                self.answer_offset.unwrap_or(at),
                format!("{} question cannot have an `=` answer", kind_name(kind)),
                "remove the `=` line, or change the question type",
            ));
        }
        let Lines {
            id,
            text,
            weight,
            feedback_correct,
            feedback_incorrect,
            explanation,
            offset,
            places,
            ..
        } = self.question;
        Ok(Question {
            id,
            text,
            answer,
            weight,
            feedback_correct,
            feedback_incorrect,
            explanation,
            offset,
            places,
        })
    }
}

impl Question {
    /// Applies `render` to every author-written text (question, options, pairs, steps,
    /// feedback) and where it starts in the block (the question's line for words the player
    /// gives): the Markdown stage turns them into HTML with it.
    pub fn render_texts(&mut self, mut render: impl FnMut(&str, usize) -> String) {
        let Question {
            text,
            answer,
            feedback_correct,
            feedback_incorrect,
            explanation,
            offset,
            places,
            ..
        } = self;
        let mut apply = |place: Place, text: &mut String| {
            *text = render(text, places.get(&place).copied().unwrap_or(*offset));
        };
        apply(Place::Question, text);
        match answer {
            Answer::Single(options)
            | Answer::Multiple(options)
            | Answer::TrueFalse(options)
            | Answer::Likert(options) => {
                for (n, option) in options.iter_mut().enumerate() {
                    apply(Place::Option(n), &mut option.text);
                    if let Some(feedback) = &mut option.feedback {
                        apply(Place::OptionFeedback(n), feedback);
                    }
                }
            }
            Answer::Matching(pairs) => {
                for (n, (left, right)) in pairs.iter_mut().enumerate() {
                    apply(Place::PairLeft(n), left);
                    apply(Place::PairRight(n), right);
                }
            }
            Answer::Ordering(steps) => {
                for (n, step) in steps.iter_mut().enumerate() {
                    apply(Place::Step(n), step);
                }
            }
            Answer::FillIn { .. } | Answer::Numeric { .. } | Answer::Text => {}
        }
        for (place, text) in [
            (Place::Correct, feedback_correct),
            (Place::Incorrect, feedback_incorrect),
            (Place::Explain, explanation),
        ] {
            if let Some(text) = text {
                apply(place, text);
            }
        }
    }
}

pub fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Single => "single-choice",
        Kind::Multiple => "multiple-response",
        Kind::TrueFalse => "true-false",
        Kind::FillIn => "fill-in",
        Kind::Numeric => "numeric",
        Kind::Matching => "matching",
        Kind::Ordering => "ordering",
        Kind::Likert => "likert",
        Kind::Text => "text",
    }
}

/// `3. text` → `(3, "text")`.
fn ordered_item(line: &str) -> Option<(usize, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    Some((line[..digits].parse().ok()?, rest.trim()))
}

/// Numeric answers: `42`, `42 ± 0.5`, `42 +- 0.5`, `10 .. 20`, with a decimal point or comma
/// (the run-time reads a learner's `2,5` as 2.5 too). `None` when it is not numeric at all;
/// an error when a number is there but the rest is not (`= 10 ..`): never a silent fill-in.
fn parse_range(answer: &str) -> Option<Result<(f64, f64), String>> {
    let number = |s: &str| {
        let s = s.trim();
        let s = if s.contains('.') {
            std::borrow::Cow::Borrowed(s)
        } else {
            std::borrow::Cow::Owned(s.replacen(',', ".", 1))
        };
        s.parse::<f64>().ok().filter(|n| n.is_finite())
    };
    let malformed = || {
        Err(format!(
            "`{answer}` is neither a number, a number with a tolerance nor a range"
        ))
    };
    if let Some((low, high)) = answer.split_once("..") {
        return match (number(low), number(high)) {
            (Some(low), Some(high)) if low <= high => Some(Ok((low, high))),
            (Some(_), Some(_)) => Some(Err(format!("range `{answer}` starts above its end"))),
            (None, None) => None,
            _ => Some(malformed()),
        };
    }
    for separator in ["±", "+/-", "+-"] {
        if let Some((value, tolerance)) = answer.split_once(separator) {
            let (Some(value), Some(tolerance)) = (number(value), number(tolerance)) else {
                return (number(value).is_some() || number(tolerance).is_some()).then(malformed);
            };
            // Rounded so that `3.14 ± 0.01` is 3.13..3.15, not 3.1300000000000003.
            let round = |n: f64| (n * 1e9).round() / 1e9;
            return Some(if tolerance >= 0.0 {
                Ok((round(value - tolerance), round(value + tolerance)))
            } else {
                Err("tolerance is negative".to_string())
            });
        }
    }
    number(answer).map(|n| Ok((n, n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> QuizWords {
        QuizWords {
            likert_scale: [
                "Strongly disagree",
                "Disagree",
                "Neutral",
                "Agree",
                "Strongly agree",
            ]
            .map(String::from)
            .to_vec(),
            true_false: ["True".into(), "False".into()],
        }
    }

    fn one(text: &str) -> Question {
        let mut questions = parse_quiz(text, &words()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(questions.len(), 1);
        questions.remove(0)
    }

    fn fails(text: &str) -> QuizError {
        let errors = parse_quiz(text, &words()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    }

    #[test]
    fn lines_are_read_the_same_for_parsing_and_translation() {
        use QuizLine::*;
        let lines = [
            ("? Gift?\n", Question(" Gift?")),
            (
                "  ? not a new question\n",
                Continuation("? not a new question"),
            ),
            ("  = 42\n", Continuation("= 42")),
            ("  > Never.\n", Feedback(" Never.")),
            ("- [x] Decline\n", Choice(Some(("x", " Decline")))),
            ("- [x Decline\n", Choice(None)),
            ("  - a -> b\n", Pair(Some(("a ", " b")))),
            ("- a, b\n", Pair(None)),
            ("= 42 | forty-two\n", Answer(" 42 | forty-two")),
            ("2. Report it\n", Step(2, "Report it")),
            ("explain: Because.\n", Setting("explain", " Because.")),
            ("Just words\n", Unreadable),
            ("   \n", Blank),
        ];
        for (line, read) in lines {
            assert_eq!(quiz_line(line), read, "{line:?}");
        }
        // The question text takes continuation lines as they are.
        assert_eq!(one("? Which\n  = 42 is\n= 42\n").text, "Which\n= 42 is");
        // In a code fence under the question, a line that looks like an option, an answer
        // or a setting is code; the fence's indentation comes off.
        let block = "? What does it print?\n  ```python\n  - x\n\n      = 1\n  a: b\n  ```\n= 5\n";
        let read: Vec<QuizLine> = quiz_lines(block).map(|(_, _, line)| line).collect();
        assert!(
            matches!(
                read[1..7],
                [
                    QuizLine::Code(_),
                    QuizLine::Code(_),
                    QuizLine::Code(_),
                    QuizLine::Code(_),
                    QuizLine::Code(_),
                    QuizLine::Code(_)
                ]
            ),
            "{read:?}"
        );
        assert_eq!(read[7], Answer(" 5"));
        assert_eq!(
            one(block).text,
            "What does it print?\n```python\n- x\n\n    = 1\na: b\n```"
        );
        // A fence under an option, its feedback or a setting goes with that text.
        let q = one(
            "? Which loop?\n- [x] This one\n  ```\n  for x in y\n  ```\n  > Yes:\n  ```\n  it ends\n  ```\n- [ ] No\nexplain: Look:\n  ```\n  while\n  ```\n",
        );
        let options = q.answer.options();
        assert_eq!(options[0].text, "This one\n```\nfor x in y\n```");
        assert_eq!(
            options[0].feedback.as_deref(),
            Some("Yes:\n```\nit ends\n```")
        );
        assert_eq!(q.explanation.as_deref(), Some("Look:\n```\nwhile\n```"));
        assert_eq!(q.text, "Which loop?");
    }

    #[test]
    fn single_choice_with_feedback_and_settings() {
        let q = one(
            "? Gift?\n- [ ] Accept\n  > Never.\n- [x] Decline\nid: gift\nweight: 2\ncorrect: Yes.\nincorrect: No.\nexplain: Because.\n",
        );
        assert_eq!(q.kind(), Kind::Single);
        assert_eq!(q.id.as_deref(), Some("gift"));
        assert_eq!(q.weight, 2.0);
        let Answer::Single(options) = &q.answer else {
            panic!("{:?}", q.answer)
        };
        assert_eq!(options[0].feedback.as_deref(), Some("Never."));
        assert!(options[1].correct && !options[0].correct);
        assert_eq!(
            (
                q.feedback_correct.as_deref(),
                q.feedback_incorrect.as_deref(),
                q.explanation.as_deref()
            ),
            (Some("Yes."), Some("No."), Some("Because."))
        );
    }

    #[test]
    fn multiple_response_needs_its_type() {
        let err = fails("? Which?\n- [x] a\n- [x] b\n- [ ] c\n");
        assert_eq!(err.message, "single-choice question has 2 correct options");
        assert_eq!(err.help, "mark one, or make it `type: multiple`");
        assert_eq!(err.offset, 0);
        let q = one("? Which?\ntype: multiple\n- [x] a\n- [x] b\n- [ ] c\n");
        assert_eq!(q.kind(), Kind::Multiple);
        let marked: Vec<bool> = q.answer.options().iter().map(|o| o.correct).collect();
        assert_eq!(marked, [true, true, false]);
    }

    #[test]
    fn true_false_fill_in_and_numeric_are_inferred() {
        let tf = one("? Rotation stops all corruption.\n= false\n");
        assert_eq!(tf.kind(), Kind::TrueFalse);
        assert_eq!(
            tf.answer
                .options()
                .iter()
                .map(|o| o.correct)
                .collect::<Vec<_>>(),
            vec![false, true]
        );
        let fill = one("? The declaration's town?\n= Arusha | arusha, Tanzania\n");
        assert_eq!(
            fill.answer,
            Answer::FillIn {
                accepted: vec!["Arusha".into(), "arusha, Tanzania".into()],
                case_sensitive: false
            }
        );
        let numeric = |low, high| Answer::Numeric { low, high };
        assert_eq!(one("? Year?\n= 2003\n").answer, numeric(2003.0, 2003.0));
        assert_eq!(one("? Pi?\n= 3.14 ± 0.01\n").answer, numeric(3.13, 3.15));
        assert_eq!(one("? Rate?\n= 2,5 ± 0,1\n").answer, numeric(2.4, 2.6));
        assert_eq!(one("? Span?\n= 1,5 .. 2\n").answer, numeric(1.5, 2.0));
        assert_eq!(
            one("? Etc?\n= and so on...\n").answer,
            Answer::FillIn {
                accepted: vec!["and so on...".to_string()],
                case_sensitive: false
            },
            "words with dots stay words"
        );
        for typo in ["= 10 ..", "= .. 20", "= 42 ± x", "= 4 +- "] {
            let problems = parse_quiz(&format!("? Typo?\n{typo}\n"), &words()).unwrap_err();
            assert!(
                problems[0].message.contains("is neither a number"),
                "{typo}: {}",
                problems[0].message
            );
        }
        assert_eq!(one("? Score?\n= 10 .. 16\n").answer, numeric(10.0, 16.0));
    }

    #[test]
    fn matching_ordering_likert_and_text() {
        let m = one("? Match\n- Likelihood -> how probable\n- Impact -> how serious\n");
        let Answer::Matching(pairs) = m.answer else {
            panic!("{:?}", m.answer)
        };
        assert_eq!(pairs[1], ("Impact".to_string(), "how serious".to_string()));
        let o = one("? Order\n1. Identify\n2. Assess\n3. Plan\n");
        assert_eq!(
            o.answer,
            Answer::Ordering(vec!["Identify".into(), "Assess".into(), "Plan".into()])
        );
        let l = one("? I can report misconduct safely.\ntype: likert\n");
        assert_eq!(l.kind(), Kind::Likert);
        assert_eq!(l.answer.options().len(), 5);
        let custom = one("? Often?\ntype: likert\nscale: Never | Sometimes | Often\n");
        assert_eq!(
            custom
                .answer
                .options()
                .iter()
                .map(|o| o.text.as_str())
                .collect::<Vec<_>>(),
            vec!["Never", "Sometimes", "Often"]
        );
        assert_eq!(one("? Comments?\ntype: text\n").answer, Answer::Text);
    }

    #[test]
    fn several_questions_and_continuation_lines() {
        let questions = parse_quiz(
            "? First\n  continued *here*\n- [x] a\n- [ ] b\n\n? Second\n= yes\n",
            &words(),
        )
        .unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].text, "First\ncontinued *here*");
        assert_eq!(questions[1].offset, 44);
    }

    #[test]
    fn every_text_knows_where_it_starts() {
        let text = "?  Pair them\n- a -> b\n- c ->  d\nexplain: because\n";
        let q = one(text);
        let at = |place| &text[q.places[&place]..];
        assert!(at(Place::Question).starts_with("Pair them"));
        assert!(at(Place::PairLeft(1)).starts_with("c ->"));
        assert!(at(Place::PairRight(1)).starts_with("d\n"));
        assert!(at(Place::Explain).starts_with("because"));
        let text = "? Order\n1. first\n2. second\n";
        let q = one(text);
        assert!(text[q.places[&Place::Step(1)]..].starts_with("second"));
        // True-false options are the player's words: they have no place in the block.
        let q = one("? Sky is blue\n= true\n");
        assert!(
            !q.places
                .keys()
                .any(|place| matches!(place, Place::Option(_)))
        );
    }

    #[test]
    fn every_mistake_is_reported_with_its_offset() {
        let errors = parse_quiz(
            "- [x] orphan\n? Q\n- [?] bad mark\nweight: heavy\ncolour: red\n2. out of order\n",
            &words(),
        )
        .unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.offset, e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "quiz block must start with a question"),
                (17, "unknown option mark `[?]`"),
                (32, "weight `heavy` is not a number"),
                (46, "unknown quiz setting `colour`"),
                (58, "ordering step 2 comes where step 1 was expected"),
            ]
        );
    }

    #[test]
    fn incomplete_questions_say_what_to_add() {
        assert_eq!(fails("? Q\n").message, "question has no options or answer");
        assert_eq!(
            fails("? Q\n- [ ] a\n- [ ] b\n").message,
            "choice question has no correct option"
        );
        assert_eq!(
            fails("? Q\ntype: true-false\n= maybe\n").message,
            "true-false question needs `= true` or `= false`"
        );
        assert_eq!(
            fails("? Q\ntype: likert\n- [x] Agree\n- [ ] Disagree\n").message,
            "likert question has a correct option"
        );
        assert_eq!(
            fails("? Q\n= 5 .. 1\n").message,
            "range `5 .. 1` starts above its end"
        );
        assert_eq!(
            fails("? Q\ntype: unknown\n= a\n").message,
            "unknown question type `unknown`"
        );
        assert_eq!(
            fails("? Q\nid: has space\n= a\n").message,
            "question id `has space` is not a valid identifier"
        );
        assert_eq!(
            fails("? Q\n  > feedback first\n= a\n").message,
            "option feedback (`>`) must follow an option"
        );
        let many: String = (0..37)
            .map(|i| format!("- [{}] o{i}\n", if i == 0 { "x" } else { " " }))
            .collect();
        assert_eq!(
            fails(&format!("? Q\n{many}")).message,
            "choice question has 37 options; SCORM 1.2 allows at most 36"
        );
        assert_eq!(fails("").message, "quiz block has no question");
        assert_eq!(fails("? Q\n- [x a\n").message, "unclosed `[` in option");
        assert_eq!(
            fails("? Q\n- [x] only\n").message,
            "choice question needs at least two options"
        );
        assert_eq!(
            fails("? Q\n- a -> b\n").message,
            "matching question needs at least two pairs"
        );
        assert_eq!(
            fails("? Q\n1. only\n").message,
            "ordering question needs at least two steps"
        );
        assert_eq!(
            fails("? Q\ntype: fill-in\n").message,
            "fill-in question has no accepted answer"
        );
        assert_eq!(
            fails("? Q\ntype: numeric\n= many\n").message,
            "numeric question has no numeric answer"
        );
        assert_eq!(fails("?\n= a\n").message, "question has no text");
        assert_eq!(
            fails("? Q\nsomething odd\n").message,
            "cannot read this line"
        );
        assert_eq!(
            fails("? Q\n- just text\n").message,
            "cannot read this option"
        );
        assert_eq!(
            fails("? Q\ntype: multiple\n- [x] a\n- [ ] b\n= a\n").message,
            "multiple-response question cannot have an `=` answer"
        );
        assert_eq!(
            fails("? Q\ncase-sensitive: yes\n= a\n").message,
            "case-sensitive must be `true` or `false`, not `yes`"
        );
    }
}
