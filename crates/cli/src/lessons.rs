//! `fleetplay grade` (class progress, verified by replaying each exported session) and `fleetplay lesson`
//! (`check`: validate a lesson file and prove it completable; `make`: a lesson file from an exported
//! session). The logic is the simulator's (`sim::grade`, `sim::lesson`), shared with the page's instructor
//! view and "Make a lesson from this session"; this module reads files and prints.

use crate::{io_reason, CliError};
use sim::grade::{self, Verdict};
use sim::http::parse_http_file;
use sim::lesson::{progress, prove, Lesson, LessonError, StepState};
use sim::transcript::{replay, Entry};
use sim::Sim;
use std::io::Write;

/// Replay exported sessions and grade them against a lesson.
///
/// Each SESSION.json (the file "Export session" downloads) is replayed through a fresh simulation: what
/// the student's page showed is recomputed, never read from the file. Prints one row per file: the steps
/// proven, when the lesson was first completed (simulated time, and the wall-clock time the student's page
/// recorded with the last request it took), what is missing, and notes. A file whose recorded progress
/// claims more than its replay proves is marked tampered and credited with the replay's result only.
/// Exit code 1 when a file is tampered or cannot be graded.
#[derive(clap::Args, Debug)]
pub struct GradeArgs {
    /// The lesson the class followed.
    #[arg(value_name = "LESSON.json")]
    lesson: String,
    /// Exported sessions, one per student.
    #[arg(value_name = "SESSION.json", required = true)]
    sessions: Vec<String>,
    /// A text table, CSV or Markdown.
    #[arg(long, value_enum, default_value_t = GradeFormat::Table)]
    format: GradeFormat,
}

/// How `grade` prints its table.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GradeFormat {
    /// Aligned columns.
    Table,
    /// CSV (RFC 4180) with a header line, for a spreadsheet.
    Csv,
    /// A Markdown table.
    #[value(alias = "md")]
    Markdown,
}

/// Lesson files: check one, or make one from a session.
#[derive(clap::Subcommand, Debug)]
pub enum LessonCommand {
    /// Validate a lesson file and prove it can be completed.
    ///
    /// Errors name their place (`FILE:LINE:COLUMN` for JSON syntax, `FILE: steps[2].check.response.status`
    /// otherwise). The lesson is proven completable by running every step's own solution on a fresh
    /// simulation (each must complete its step), or by replaying --solution, a .http script in the story
    /// format that must complete every step; --near-miss names a script that must complete none.
    Check(CheckArgs),
    /// Print a lesson file made from an exported session (one step per new kind of answer).
    Make {
        /// The exported session.
        #[arg(value_name = "SESSION.json")]
        session: String,
    },
}

/// `lesson check`'s arguments.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The lesson file.
    #[arg(value_name = "LESSON.json")]
    file: String,
    /// A .http script that completes every step (instead of the steps' own solutions).
    #[arg(long, value_name = "FILE.http")]
    solution: Option<String>,
    /// A .http script that must complete no step.
    #[arg(long, value_name = "FILE.http")]
    near_miss: Option<String>,
}

fn read(path: &str, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::new(path, format!("cannot read the {what}: {}", io_reason(&e))))
}

/// `FILE:LINE:COLUMN: message` for JSON syntax, `FILE: place: message` otherwise.
fn lesson_error(path: &str, e: &LessonError) -> CliError {
    let mut words = e.place.split_whitespace();
    if let (Some("line"), Some(line), Some("column"), Some(column)) =
        (words.next(), words.next(), words.next(), words.next())
    {
        return CliError::new(format!("{path}:{line}:{column}"), format!("invalid lesson: {}", e.message));
    }
    CliError::new(path, format!("invalid lesson: {e}"))
}

fn load_lesson(path: &str) -> Result<Lesson, CliError> {
    Lesson::from_json(&read(path, "lesson")?).map_err(|e| lesson_error(path, &e))
}

/// `fleetplay grade`.
pub fn grade_main(args: GradeArgs) -> Result<u8, CliError> {
    let lesson = load_lesson(&args.lesson)?;
    let rows: Vec<grade::Row> =
        args.sessions
            .iter()
            .map(|path| {
                let name = std::path::Path::new(path)
                    .file_name()
                    .map_or_else(|| path.clone(), |n| n.to_string_lossy().into_owned());
                match std::fs::read_to_string(path) {
                    Ok(text) => grade::grade(&lesson, &name, &text),
                    Err(e) => grade::grade(&lesson, &name, "")
                        .with_note(format!("cannot read it: {}", io_reason(&e))),
                }
            })
            .collect();
    let format = match args.format {
        GradeFormat::Table => grade::Format::Table,
        GradeFormat::Csv => grade::Format::Csv,
        GradeFormat::Markdown => grade::Format::Markdown,
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(grade::render(&rows, format).as_bytes()).and_then(|()| stdout.flush());
    let bad = rows.iter().filter(|r| matches!(r.verdict, Verdict::Tampered | Verdict::Unreadable)).count();
    Ok(u8::from(bad > 0))
}

/// `fleetplay lesson …`.
pub fn lesson_main(command: LessonCommand) -> Result<u8, CliError> {
    match command {
        LessonCommand::Check(args) => check(args),
        LessonCommand::Make { session } => {
            let replayed = grade::replay_session(&read(&session, "session")?)
                .map_err(|e| CliError::new(session.as_str(), format!("cannot be used: {e}")))?;
            let text = sim::lesson::author::lesson_from_session(&replayed.scenario, &replayed.entries)
                .map_err(|e| CliError::new(session.as_str(), e))?;
            println!("{text}");
            Ok(0)
        }
    }
}

/// Replays a story-format script against a fresh simulation of the lesson's scenario.
fn run_script(lesson: &Lesson, path: &str) -> Result<Vec<Entry>, CliError> {
    let text = read(path, "script")?;
    let file = parse_http_file(&text).map_err(|e| CliError::new(format!("{path}:{}", e.line), e.message))?;
    let scenario = lesson.scenario().map_err(|e| CliError::new(path, e.to_string()))?;
    let mut sim = Sim::new(scenario).map_err(|e| CliError::new(path, format!("invalid scenario: {e}")))?;
    let run = replay(&mut sim, &file.steps, true);
    if let Some(e) = run.errors.first().or(run.failures.first()) {
        return Err(CliError::new(format!("{path}:{}", e.line), e.message.replace('\n', " ")));
    }
    Ok(run.entries)
}

fn check(args: CheckArgs) -> Result<u8, CliError> {
    let path = args.file.as_str();
    let lesson = load_lesson(path)?;
    let total = lesson.steps.len();
    let mut failed = false;
    match &args.solution {
        Some(script) => {
            let entries = run_script(&lesson, script)?;
            let open: Vec<String> = progress(&lesson, &entries)
                .iter()
                .enumerate()
                .filter(|(_, s)| s.state != StepState::Done)
                .map(|(i, _)| format!("steps[{i}]"))
                .collect();
            if open.is_empty() {
                eprintln!("fleetplay: {path}: {script} completes all {total} steps");
            } else {
                eprintln!("fleetplay: {path}: {script} leaves {} undone", open.join(", "));
                failed = true;
            }
        }
        None => match prove(&lesson) {
            Ok(proven) => {
                let end = proven.done_at.last().copied().unwrap_or_default();
                eprintln!("fleetplay: {path}: the steps' solutions complete all {total} steps (by {end})");
            }
            Err(e) => {
                eprintln!("fleetplay: {path}: {e}");
                failed = true;
            }
        },
    }
    if let Some(script) = &args.near_miss {
        let entries = run_script(&lesson, script)?;
        let done: Vec<String> = progress(&lesson, &entries)
            .iter()
            .enumerate()
            .filter(|(_, s)| s.state == StepState::Done)
            .map(|(i, _)| format!("steps[{i}]"))
            .collect();
        if done.is_empty() {
            eprintln!("fleetplay: {path}: {script} completes no step, as a near miss should");
        } else {
            eprintln!("fleetplay: {path}: the near miss {script} completes {}", done.join(", "));
            failed = true;
        }
    }
    let without = lesson.steps.iter().enumerate().filter(|(_, s)| s.solution.is_empty()).count();
    if without > 0 && args.solution.is_some() {
        eprintln!(
            "fleetplay: {path}: note: {without} of {total} steps have no solution for the page to show"
        );
    }
    Ok(u8::from(failed))
}
