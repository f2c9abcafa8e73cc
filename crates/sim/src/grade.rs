//! Class progress, verified by replay: an exported session (the page's `fleetplay-session/1` file: the
//! scenario, the requests with their simulated times, the lesson followed and the progress it claimed) is
//! replayed through a fresh [`Sim`], and the lesson's checks are run on the transcript that replay gives.
//! Because the simulator is deterministic, that transcript is the one the student saw; what the file claims
//! is never taken on trust. One implementation for `fleetplay grade` and the page's instructor view.
//!
//! A row per file ([`Row`]): the steps proven, when the lesson was first completed (simulated time, and the
//! wall-clock time the student's page recorded with the last request it took, which is informative only:
//! a page's clock is the student's), what is missing, and notes: a file whose recorded progress claims more
//! than its replay proves, or a different time for a step, is reported as tampered and credited with the
//! replay's result only; a different lesson, a changed scenario or a file that cannot be read are said
//! too. [`render`] writes the rows as a text table, CSV (RFC 4180) or Markdown.

use crate::lesson::{progress, Lesson, StepState};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::SimTime;
use crate::transcript::Entry;
use crate::wire::WireRequest;
use serde::Deserialize;
use serde_json::Value;

/// The format tag of exported sessions.
pub const SESSION_FORMAT: &str = "fleetplay-session/1";
/// The most requests a session may hold (a tampered file must not freeze a page).
pub const MAX_SENDS: usize = 20_000;
/// The longest session file read (64 MiB).
pub const MAX_SESSION_BYTES: usize = 64 << 20;

/// The members of a session file grading reads (others, such as the composer's drafts, are ignored).
#[derive(Debug, Deserialize)]
#[serde(expecting = "a saved session object")]
pub(crate) struct SessionFile {
    format: String,
    scenario: Scenario,
    sends: Vec<SentFile>,
    now: SimTime,
    #[serde(default)]
    lesson: Option<String>,
    #[serde(default)]
    progress: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct SentFile {
    at: SimTime,
    request: WireRequest,
    #[serde(default)]
    wall: Option<u64>,
}

/// A session replayed.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// The scenario it ran.
    pub scenario: Scenario,
    /// The transcript the replay gave (the one the student saw).
    pub entries: Vec<Entry>,
    /// The wall-clock time (milliseconds since 1970) the student's page recorded for each request.
    pub walls: Vec<Option<u64>>,
    /// The lesson the student followed, as its text.
    pub lesson: Option<String>,
    /// The progress the file claims.
    pub claims: Option<Value>,
}

/// Reads an exported (or saved) session and replays it. `Err` says why the file cannot be used.
pub fn replay_session(text: &str) -> Result<Replayed, String> {
    if text.len() > MAX_SESSION_BYTES {
        return Err(format!("it is {} bytes long, more than the {MAX_SESSION_BYTES} read", text.len()));
    }
    let file: SessionFile = crate::decode::from_str(text, "session").map_err(|p| {
        if p.syntax {
            format!("it is not valid JSON ({} at {})", p.message, p.place)
        } else {
            format!("it is not a session file ({p})")
        }
    })?;
    if file.format != SESSION_FORMAT {
        return Err(format!("it is in format {:?}; this version reads {SESSION_FORMAT:?}", file.format));
    }
    if file.sends.len() > MAX_SENDS {
        return Err(format!("it holds {} requests, more than the {MAX_SENDS} replayed", file.sends.len()));
    }
    if file.sends.windows(2).any(|w| w[1].at < w[0].at) || file.sends.last().is_some_and(|s| s.at > file.now)
    {
        return Err("its requests are not in time order".to_string());
    }
    let mut sim = Sim::new(file.scenario.clone()).map_err(|e| format!("its scenario is invalid ({e})"))?;
    let mut entries = Vec::with_capacity(file.sends.len() * 2);
    let mut walls = Vec::with_capacity(file.sends.len());
    for sent in file.sends {
        entries.extend(sim.advance_to(sent.at).into_iter().map(Entry::Event));
        entries.push(Entry::Exchange(sim.handle(sent.request)));
        walls.push(sent.wall);
    }
    entries.extend(sim.advance_to(file.now).into_iter().map(Entry::Event));
    Ok(Replayed { scenario: file.scenario, entries, walls, lesson: file.lesson, claims: file.progress })
}

/// The verdict on one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every step proven by the replay.
    Complete,
    /// Some steps proven (perhaps none).
    Partial,
    /// The file claims progress its replay does not prove (credited with the replay's result only).
    Tampered,
    /// The file cannot be read or replayed.
    Unreadable,
}

impl Verdict {
    /// `complete`, `partial`, `tampered` or `unreadable`.
    pub fn slug(self) -> &'static str {
        match self {
            Verdict::Complete => "complete",
            Verdict::Partial => "partial",
            Verdict::Tampered => "tampered",
            Verdict::Unreadable => "unreadable",
        }
    }
}

/// One graded file.
#[derive(Clone, Debug)]
pub struct Row {
    /// The file's name.
    pub file: String,
    /// The verdict.
    pub verdict: Verdict,
    /// Steps the replay proves.
    pub done: usize,
    /// Steps in the lesson.
    pub total: usize,
    /// When the lesson was first completed, in simulated time.
    pub completed_at: Option<SimTime>,
    /// The wall-clock time (ms since 1970) the page recorded with the last request the completion took.
    pub completed_wall: Option<u64>,
    /// The wall-clock time of the session's first request.
    pub started_wall: Option<u64>,
    /// The steps not proven, `N: goal`.
    pub missing: Vec<String>,
    /// Everything else worth knowing: tampering, another lesson, a changed scenario, why it is unreadable.
    pub notes: Vec<String>,
    /// The replayed transcript (empty when unreadable).
    pub entries: Vec<Entry>,
}

impl Row {
    /// The row with one more note (a file the caller could not read, say).
    pub fn with_note(mut self, note: String) -> Row {
        self.notes = vec![note];
        self
    }
}

/// Grades one session file (`name`, `text`) against `lesson`.
pub fn grade(lesson: &Lesson, name: &str, text: &str) -> Row {
    let total = lesson.steps.len();
    let mut row = Row {
        file: name.to_string(),
        verdict: Verdict::Unreadable,
        done: 0,
        total,
        completed_at: None,
        completed_wall: None,
        started_wall: None,
        missing: Vec::new(),
        notes: Vec::new(),
        entries: Vec::new(),
    };
    let replayed = match replay_session(text) {
        Ok(r) => r,
        Err(e) => {
            row.notes.push(format!("cannot be graded: {e}"));
            row.missing = lesson.steps.iter().enumerate().map(|(i, step)| missing(i, &step.goal)).collect();
            return row;
        }
    };
    let status = progress(lesson, &replayed.entries);
    row.done = status.iter().filter(|s| s.state == StepState::Done).count();
    row.missing = status
        .iter()
        .zip(&lesson.steps)
        .enumerate()
        .filter(|(_, (s, _))| s.state != StepState::Done)
        .map(|(i, (_, step))| missing(i, &step.goal))
        .collect();
    row.started_wall = replayed.walls.iter().flatten().next().copied();
    if row.done == total {
        if let Some(proof) = status.last().and_then(|s| s.proof.as_ref()) {
            row.completed_at = Some(proof.at);
            row.completed_wall =
                proof.sends.checked_sub(1).and_then(|i| replayed.walls.get(i).copied().flatten());
        }
    }
    match &replayed.lesson {
        None => row.notes.push("no lesson was open in the page".to_string()),
        Some(text) => match Lesson::from_json(text) {
            Ok(followed) if followed == *lesson => {}
            Ok(followed) if followed.id == lesson.id => {
                row.notes.push("followed another version of this lesson".to_string())
            }
            Ok(followed) => row.notes.push(format!("followed another lesson: {}", followed.title)),
            Err(_) => row.notes.push("the lesson it carries cannot be read".to_string()),
        },
    }
    row.notes.extend(scenario_notes(lesson, &replayed.scenario));
    let tampering = claims_beyond(&replayed.claims, &status);
    let tampered = !tampering.is_empty();
    row.notes.extend(tampering);
    row.verdict = if tampered {
        Verdict::Tampered
    } else if row.done == total {
        Verdict::Complete
    } else {
        Verdict::Partial
    };
    row.entries = replayed.entries;
    row
}

/// A step not proven, as the table lists it: `3: Let simulated time run until …` (without its full stop, as
/// the list separates them with `; `).
fn missing(index: usize, goal: &str) -> String {
    format!("{}: {}", index + 1, goal.trim().trim_end_matches('.'))
}

/// How the session's scenario differs from the lesson's.
fn scenario_notes(lesson: &Lesson, ran: &Scenario) -> Vec<String> {
    let Ok(expected) = lesson.scenario() else { return Vec::new() };
    if expected == *ran {
        return Vec::new();
    }
    let mut notes = Vec::new();
    if expected.seed != ran.seed {
        notes.push(format!("ran seed {} (the lesson's is {})", ran.seed, expected.seed));
    }
    let same_seed = Scenario { seed: expected.seed, ..ran.clone() };
    if same_seed != expected {
        let mut changed = Vec::new();
        diff_paths(&expected.to_json_value(), &same_seed.to_json_value(), "", &mut changed);
        changed.truncate(6);
        notes.push(format!("ran a changed scenario ({})", changed.join(", ")));
    }
    notes
}

fn diff_paths(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    let join = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in y {
                match x.get(k) {
                    Some(old) => diff_paths(old, v, &join(k), out),
                    None => out.push(join(k)),
                }
            }
            out.extend(x.keys().filter(|k| !y.contains_key(*k)).map(|k| join(k)));
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (old, v)) in x.iter().zip(y).enumerate() {
                diff_paths(old, v, &join(&i.to_string()), out);
            }
        }
        _ if a != b => {
            out.push(if path.is_empty() { "the whole scenario".to_string() } else { path.to_string() })
        }
        _ => {}
    }
}

/// What the file's recorded progress claims beyond the replay: steps it says are done that the replay does
/// not prove, or proves at another time.
fn claims_beyond(claims: &Option<Value>, status: &[crate::lesson::StepStatus]) -> Vec<String> {
    let Some(claims) = claims else { return Vec::new() };
    let Some(steps) = claims.get("steps").and_then(Value::as_array) else {
        return vec!["tampered: its progress record is not in the shape the page exports".to_string()];
    };
    let mut unproven = Vec::new();
    let mut retimed = Vec::new();
    for (i, claim) in steps.iter().enumerate() {
        if claim.get("state").and_then(Value::as_str) != Some("done") {
            continue;
        }
        match status.get(i).filter(|s| s.state == StepState::Done).and_then(|s| s.proof.as_ref()) {
            None => unproven.push(i + 1),
            Some(proof) => {
                let claimed = claim.get("proved_at").and_then(Value::as_str);
                if claimed != Some(proof.at.to_string().as_str()) {
                    retimed.push(format!(
                        "{} ({} claimed, {} replayed)",
                        i + 1,
                        claimed.unwrap_or("no time"),
                        proof.at
                    ));
                }
            }
        }
    }
    let mut notes = Vec::new();
    if !unproven.is_empty() {
        let list: Vec<String> = unproven.iter().map(usize::to_string).collect();
        notes.push(format!(
            "tampered: claims step{} {} done, which the replay does not prove",
            if unproven.len() == 1 { "" } else { "s" },
            list.join(", ")
        ));
    }
    if !retimed.is_empty() {
        notes.push(format!("tampered: claims other times for step {}", retimed.join(", ")));
    }
    notes
}

/// How [`render`] writes the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A plain text table with aligned columns.
    Table,
    /// CSV (RFC 4180), with a header line.
    Csv,
    /// A Markdown table.
    Markdown,
}

/// The column headings, in order.
pub const COLUMNS: [&str; 7] =
    ["file", "result", "steps", "completed (simulated)", "completed (wall)", "missing", "notes"];

/// One row's cells, as every format writes them.
pub fn cells(row: &Row) -> [String; 7] {
    let wall = match (row.completed_wall, row.started_wall) {
        (Some(end), Some(start)) if end >= start => {
            format!("{} ({} after the first request)", wall_text(end), elapsed_text(end - start))
        }
        (Some(end), _) => wall_text(end),
        _ => String::new(),
    };
    [
        row.file.clone(),
        row.verdict.slug().to_string(),
        format!("{}/{}", row.done, row.total),
        row.completed_at.map(|t| t.to_string()).unwrap_or_default(),
        wall,
        row.missing.join("; "),
        row.notes.join("; "),
    ]
}

/// A wall-clock time (ms since 1970) as an HTTP date: `Tue, 08 Dec 2026 14:32:05 GMT`.
pub fn wall_text(ms: u64) -> String {
    let time = std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(ms));
    // Dates past year 9999 cannot be written as HTTP dates.
    match time {
        Some(t) if ms < 253_402_300_800_000 => httpdate::fmt_http_date(t),
        _ => format!("{ms} ms after 1970"),
    }
}

/// A duration as `1h2m3s` (whole seconds).
pub fn elapsed_text(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, _) => format!("{m}m{s:02}s"),
        _ => format!("{h}h{m:02}m{s:02}s"),
    }
}

/// The rows in `format`.
pub fn render(rows: &[Row], format: Format) -> String {
    let table: Vec<[String; 7]> = rows.iter().map(cells).collect();
    let mut out = String::new();
    match format {
        Format::Csv => {
            for line in std::iter::once(COLUMNS.map(str::to_string)).chain(table) {
                let fields: Vec<String> = line.iter().map(|c| csv_field(c)).collect();
                out.push_str(&fields.join(","));
                out.push_str("\r\n");
            }
        }
        Format::Markdown => {
            out.push_str(&format!("| {} |\n", COLUMNS.join(" | ")));
            out.push_str(&format!("|{}\n", "---|".repeat(COLUMNS.len())));
            for line in table {
                let fields: Vec<String> = line
                    .iter()
                    .map(|c| if c.is_empty() { "—".to_string() } else { c.replace('|', "\\|") })
                    .collect();
                out.push_str(&format!("| {} |\n", fields.join(" | ")));
            }
        }
        Format::Table => {
            let header = COLUMNS.map(str::to_string);
            let mut widths = header.clone().map(|h| h.chars().count());
            for line in &table {
                for (w, c) in widths.iter_mut().zip(line) {
                    *w = (*w).max(c.chars().count().max(1));
                }
            }
            for line in std::iter::once(header).chain(table) {
                let fields: Vec<String> = line
                    .iter()
                    .zip(widths)
                    .map(|(c, w)| {
                        let c = if c.is_empty() { "—" } else { c.as_str() };
                        format!("{c}{}", " ".repeat(w.saturating_sub(c.chars().count())))
                    })
                    .collect();
                out.push_str(fields.join("  ").trim_end());
                out.push('\n');
            }
        }
    }
    out
}

/// One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled (RFC 4180; the
/// one rule a writer needs, so no CSV crate).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests;
