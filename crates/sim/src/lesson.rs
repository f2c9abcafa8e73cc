//! Guided lessons: a lesson file (title, summary, a scenario, steps with a goal, a hint and a check) and the
//! checker that confirms each step only when the simulator's transcript proves it.
//!
//! A lesson is JSON (format tag `fleetplay-lesson/1`, described for instructors in `lessons/README.md`).
//! [`Lesson::from_json`] parses and validates it, scenario included, and names the place of any problem
//! (`steps[2].check.in_order[1].response.status`), because lesson files come from users. [`progress`] reads a
//! transcript ([`Entry`] list, as the page, the CLI and `.http` replays produce it) and returns one
//! [`StepStatus`] per step.
//!
//! Steps are done in order: a step is done when the transcript holds its evidence and every step before it
//! is done. Evidence gathered early counts: when a step is finally done, every later step the transcript
//! already proves is credited at once (each at the moment the step before it was done). One answer or state
//! change completes one step only, so a lesson that asks for the same thing twice needs it twice; a step
//! may still build on what proved an earlier one, such as the throttled answer that a retry answers.
//! Checks compose:
//!
//! - `reached`: a server reached a state (a state change in the transcript, so a server that starts there has
//!   not "reached" it);
//! - `response`: an exchange matching an operation, server, status, error type (`__type`, the Nova fault key),
//!   request headers or JSON members;
//! - `retried`: a throttled exchange followed by a successful one of the same operation (and server) at least
//!   the advertised `RetryAfterSeconds` (or `retryAfter`, or `Retry-After`) of simulated time later;
//! - `all`, `any`, `in_order`: every check / one of them / each after the previous one.
//!
//! A step may carry a **solution** ([`Action`]s: requests to send, simulated time to let pass), which the
//! page shows after the hint, an instructor's link can play to start a class at a later step, and
//! `fleetplay lesson check` runs to prove the lesson can be completed ([`prove`]); and a **clock** need
//! ([`ClockNeed`]): a step whose moment passes (a transitional state, a throttle window) has the page pause
//! or slow the clock while it is the current one. [`step_start`] says where a step begins (the moment the
//! step before it was done), which is where the page goes back to when a learner retries it.
//!
//! Nothing here panics, whatever the file or the transcript.

pub mod author;
pub(crate) mod file;
mod solution;

pub use solution::{fill_placeholders, prove, run_actions, Proven, Unproven};

pub use crate::envelope::{error_message, error_type};
use crate::exchange::{Event, Exchange};
use crate::fleet::Provider;
use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::transcript::Entry;
use crate::wire::WireResponse;
use serde_json::Value;

/// The format tag lesson files may carry.
pub const FORMAT: &str = "fleetplay-lesson/1";

/// A guided lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// A short machine name (the file name without `.json` when the file gives none).
    pub id: String,
    /// The title the page shows.
    pub title: String,
    /// What the learner will do and why, in a sentence or three.
    pub summary: String,
    /// The provider tab the page opens first, if the lesson is about one.
    pub provider: Option<Provider>,
    /// The simulation the lesson runs in.
    pub scenario: LessonScenario,
    /// The steps, in order (at least one).
    pub steps: Vec<Step>,
}

/// Where a lesson's scenario comes from: a base plus overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonScenario {
    /// The scenario to start from.
    pub base: ScenarioBase,
    /// Members to set, as dotted paths into the scenario JSON (`faults.transfer.throttle_per_second`), applied
    /// in sorted order so a member is set after any object that contains it.
    pub set: Vec<(String, Value)>,
}

/// The scenario a lesson starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioBase {
    /// The built-in demo fleet ([`Scenario::builtin`]).
    Builtin,
    /// No servers at all ([`Scenario::default`]).
    Empty,
    /// A whole scenario written into the lesson (the `fleetplay-scenario/1` JSON).
    Inline(Value),
}

/// One step: what to do, a hint, and the check that proves it was done.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What the learner should achieve.
    pub goal: String,
    /// A nudge for when they are stuck.
    pub hint: String,
    /// Optional raw HTTP request the page can put in the composer as a starting point.
    pub request: Option<String>,
    /// Optional explanation shown once the step is done.
    pub explain: Option<String>,
    /// What the transcript must show.
    pub check: Check,
    /// What to do to complete the step, in order (empty when the file gives no solution).
    pub solution: Vec<Action>,
    /// What the clock must do while this is the current step, for a moment that passes.
    pub clock: Option<ClockNeed>,
}

/// One action of a step's solution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Send this raw HTTP request, `times` times in a row (a call that fails at random, say).
    /// `{{/pointer}}` in it stands for the value at that JSON pointer in the latest answer that has one (an
    /// operation id from an earlier answer): [`fill_placeholders`].
    Send {
        /// The raw request.
        request: String,
        /// How many times (1 or more).
        times: u32,
    },
    /// Let this much simulated time pass (milliseconds).
    Wait(u64),
}

/// What a step needs from the clock while it is the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockNeed {
    /// Paused: the step's moment (a transitional state, several requests in one simulated second) would
    /// pass while the learner reads and types.
    Pause,
    /// Playing at 1×, slow enough to watch.
    Slow,
}

impl ClockNeed {
    /// `pause` or `slow`, as lesson files write it.
    pub fn slug(self) -> &'static str {
        match self {
            ClockNeed::Pause => "pause",
            ClockNeed::Slow => "slow",
        }
    }
}

/// A condition on the transcript. See the module documentation for the vocabulary.
#[derive(Clone, Debug, PartialEq)]
pub enum Check {
    /// A server reached a state.
    Reached(Reached),
    /// An exchange with the given properties happened.
    Response(ResponseCheck),
    /// A throttled call was retried successfully after the advertised wait.
    Retried(Retried),
    /// Every check holds (in any order).
    All(Vec<Check>),
    /// At least one check holds.
    Any(Vec<Check>),
    /// Each check holds after the previous one did.
    InOrder(Vec<Check>),
}

/// `reached`: a state change of one server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    /// Only this provider's servers.
    pub provider: Option<Provider>,
    /// The server's identifier (`s-…`, instance name, Nova UUID).
    pub server: String,
    /// The state as the provider spells it (`OFFLINE`, `stopped`, `SHUTOFF`). For states shown with a task
    /// (`ACTIVE · powering-off`) either the whole text or one part (`powering-off`) matches.
    pub state: String,
    /// Only a change coming from this state (same matching rules).
    pub from: Option<String>,
}

/// `response`: one exchange with the given properties (all that are given must match).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResponseCheck {
    /// The service that claimed the request.
    pub provider: Option<Provider>,
    /// The operation it was recognised as (`StopServer`, `os-stop`, `GET /servers/{id}` …).
    pub operation: Option<String>,
    /// The server it addressed.
    pub server: Option<String>,
    /// Acceptable status codes (any of them).
    pub status: Vec<u16>,
    /// The error type: the AWS `__type` (without namespace) or the Nova fault key (`conflictingRequest`).
    pub error: Option<String>,
    /// `true`: a 2xx answer; `false`: anything else.
    pub ok: Option<bool>,
    /// Text the error message must contain (AWS `Message`/`message`, the Nova fault's `message`).
    pub message_contains: Option<String>,
    /// Request headers that must have these values (names case-insensitive).
    pub request_header: Vec<(String, String)>,
    /// JSON pointers into the request body and the values they must hold.
    pub request_json: Vec<(String, Value)>,
    /// JSON pointers into the response body and the values they must hold.
    pub response_json: Vec<(String, Value)>,
}

/// `retried`: a throttled exchange, then a successful one of the same operation on the same server, at least
/// the advertised wait later (the last throttled answer before the success counts).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Retried {
    /// Only this provider.
    pub provider: Option<Provider>,
    /// Only this operation.
    pub operation: Option<String>,
    /// Only this server.
    pub server: Option<String>,
    /// The error type that counts as throttling; by default `ThrottlingException`, `overLimit` or any 429.
    pub error: Option<String>,
}

/// A lesson file that cannot be used, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// Where: `line 3 column 14` for JSON syntax, else a path like `steps[1].check.response.status`
    /// (`lesson` for the whole file).
    pub place: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for LessonError {}

impl From<crate::decode::Problem> for LessonError {
    fn from(p: crate::decode::Problem) -> Self {
        LessonError { place: p.place, message: p.message }
    }
}

/// How far a step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    /// The transcript proves it.
    Done,
    /// The first step not yet proven: the one to work on.
    Current,
    /// Comes after the current step.
    Pending,
}

impl StepState {
    /// `done`, `current` or `pending`, as exported sessions write it.
    pub fn slug(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Pending => "pending",
        }
    }
}

impl serde::Serialize for StepState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.slug())
    }
}

/// What proved a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// Sequence numbers of the exchanges involved (ascending).
    pub exchanges: Vec<u64>,
    /// When the step was done: when its evidence was complete, or, for a step credited with evidence
    /// gathered early, when the step before it was done.
    pub at: SimTime,
    /// How many exchanges the transcript held at that moment (the requests a replay keeps to come back
    /// to it).
    pub sends: usize,
}

/// One step's status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepStatus {
    /// Done, current or pending.
    pub state: StepState,
    /// For a done step, what proved it.
    pub proof: Option<Proof>,
}

impl Lesson {
    /// Parses and validates a lesson file, its scenario included.
    pub fn from_json(text: &str) -> Result<Lesson, LessonError> {
        file::lesson(text)
    }

    /// The scenario the lesson runs in.
    pub fn scenario(&self) -> Result<Scenario, LessonError> {
        self.scenario.build()
    }

    /// True when every step is done.
    pub fn completed(&self, entries: &[Entry]) -> bool {
        progress(self, entries).iter().all(|s| s.state == StepState::Done)
    }
}

impl LessonScenario {
    /// The built-in fleet without overrides.
    pub fn builtin() -> Self {
        LessonScenario { base: ScenarioBase::Builtin, set: Vec::new() }
    }

    /// Builds and validates the scenario.
    pub fn build(&self) -> Result<Scenario, LessonError> {
        file::build_scenario(self)
    }
}

/// The status of every step of `lesson` after `entries`.
pub fn progress(lesson: &Lesson, entries: &[Entry]) -> Vec<StepStatus> {
    let points = points(entries);
    // The points that completed a step: each completes one step only.
    let mut used: Vec<usize> = Vec::new();
    // Where the step before the current one was done (a point index), and when.
    let mut credit: Option<(usize, SimTime)> = None;
    let mut blocked = false;
    let mut out = Vec::with_capacity(lesson.steps.len());
    for step in &lesson.steps {
        if blocked {
            out.push(StepStatus { state: StepState::Pending, proof: None });
            continue;
        }
        match earliest_unused(&step.check, &points, &used) {
            Some(m) => {
                used.push(m.end);
                let (end, at) = match credit {
                    Some((prev, prev_at)) if prev > m.end => (prev, prev_at),
                    _ => (m.end, m.at),
                };
                credit = Some((end, at));
                let mut proof = m.proof(&points);
                proof.at = at;
                proof.sends = exchanges_through(&points, end);
                out.push(StepStatus { state: StepState::Done, proof: Some(proof) });
            }
            None => {
                blocked = true;
                out.push(StepStatus { state: StepState::Current, proof: None });
            }
        }
    }
    out
}

/// Where step `index` begins: how many exchanges the transcript held and the simulated time when the step
/// before it was done (no exchange at T+0 for the first step). Going back there (replaying that many
/// requests and letting time run to that moment) restores what the step needs. `None` when the step
/// before it is not done.
pub fn step_start(progress: &[StepStatus], index: usize) -> Option<(usize, SimTime)> {
    match index.checked_sub(1) {
        None => Some((0, SimTime::ZERO)),
        Some(prev) => progress.get(prev)?.proof.as_ref().map(|p| (p.sends, p.at)),
    }
}

/// The earliest way `check` holds whose completing point is not one of `used`.
fn earliest_unused(check: &Check, points: &[Point], used: &[usize]) -> Option<Match> {
    let mut fresh = 0;
    loop {
        let m = eval(check, points, 0, fresh)?;
        if !used.contains(&m.end) {
            return Some(m);
        }
        fresh = m.end + 1;
    }
}

impl Check {
    /// When the check first holds in `entries` (looked for from the start), and what proves it.
    pub fn proof(&self, entries: &[Entry]) -> Option<Proof> {
        let points = points(entries);
        eval(self, &points, 0, 0).map(|m| m.proof(&points))
    }

    /// The check in words, for the page (`transfer server s-… reached OFFLINE`).
    pub fn describe(&self) -> String {
        match self {
            Check::Reached(r) => {
                let mut s = format!(
                    "{}server {} reached {}",
                    r.provider.map(|p| format!("{} ", p.slug())).unwrap_or_default(),
                    r.server,
                    r.state
                );
                if let Some(from) = &r.from {
                    s.push_str(&format!(" from {from}"));
                }
                s
            }
            Check::Response(c) => {
                let mut parts = Vec::new();
                if let Some(p) = c.provider {
                    parts.push(p.slug().to_string());
                }
                parts.push(match &c.operation {
                    Some(op) if op.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) => {
                        format!("an {op} answer")
                    }
                    Some(op) => format!("a {op} answer"),
                    None => "an answer".to_string(),
                });
                if let Some(server) = &c.server {
                    parts.push(format!("for {server}"));
                }
                if !c.status.is_empty() {
                    let codes: Vec<String> = c.status.iter().map(u16::to_string).collect();
                    parts.push(format!("with status {}", codes.join(" or ")));
                }
                match c.ok {
                    Some(true) => parts.push("that succeeded".to_string()),
                    Some(false) => parts.push("that failed".to_string()),
                    None => {}
                }
                if let Some(e) = &c.error {
                    parts.push(format!("with error {e}"));
                }
                if let Some(m) = &c.message_contains {
                    parts.push(format!("saying \"{m}\""));
                }
                for (name, value) in &c.request_header {
                    parts.push(format!("sent with {name}: {value}"));
                }
                for (pointer, value) in &c.request_json {
                    parts.push(format!("sent with {pointer} = {value}"));
                }
                for (pointer, value) in &c.response_json {
                    parts.push(format!("answering {pointer} = {value}"));
                }
                parts.join(" ")
            }
            Check::Retried(r) => format!(
                "{} succeeded{} after {}, retried at least the advertised wait later",
                r.operation.as_deref().unwrap_or("a call"),
                r.server.as_deref().map(|s| format!(" for {s}")).unwrap_or_default(),
                r.error.as_deref().unwrap_or("being throttled")
            ),
            Check::All(cs) => format!("all of: {}", join(cs, "; ")),
            Check::Any(cs) => format!("any of: {}", join(cs, "; ")),
            Check::InOrder(cs) => format!("in order: {}", join(cs, ", then ")),
        }
    }
}

fn join(checks: &[Check], sep: &str) -> String {
    checks.iter().map(Check::describe).collect::<Vec<_>>().join(sep)
}

// ---------------------------------------------------------------------------------------------------------
// Reading responses
// ---------------------------------------------------------------------------------------------------------

/// How long a throttled response asks the client to wait, in milliseconds: the AWS `RetryAfterSeconds`
/// member, the Nova fault's `retryAfter`, or the `Retry-After` header (in seconds); 0 when none is given.
pub fn retry_after_ms(response: &WireResponse) -> u64 {
    let seconds = |v: &Value| match v {
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    let mut found = None;
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&response.body) {
        found = map.get("RetryAfterSeconds").and_then(seconds);
        if found.is_none() && map.len() == 1 {
            if let Some(Value::Object(inner)) = map.values().next() {
                found = inner.get("retryAfter").and_then(seconds);
            }
        }
    }
    if found.is_none() {
        found = response.header("Retry-After").and_then(|h| h.trim().parse::<f64>().ok());
    }
    match found {
        Some(s) if s.is_finite() && s > 0.0 => (s * 1000.0).ceil().min(u64::MAX as f64) as u64,
        _ => 0,
    }
}

fn is_throttled(ex: &Exchange, error: Option<&str>) -> bool {
    let t = error_type(&ex.response);
    match error {
        Some(want) => t.as_deref() == Some(want),
        None => {
            ex.response.status == 429
                || matches!(
                    t.as_deref(),
                    Some("ThrottlingException" | "overLimit" | "TooManyRequestsException")
                )
        }
    }
}

fn is_success(ex: &Exchange) -> bool {
    (200..300).contains(&ex.response.status)
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------------------

/// The transcript flattened: each exchange, then the state changes it caused, then state changes from time.
enum Point<'a> {
    Exchange(&'a Exchange),
    Event(&'a Event, Option<u64>),
}

fn points(entries: &[Entry]) -> Vec<Point<'_>> {
    let mut out = Vec::with_capacity(entries.len() * 2);
    for entry in entries {
        match entry {
            Entry::Exchange(ex) => {
                out.push(Point::Exchange(ex));
                out.extend(ex.events.iter().map(|e| Point::Event(e, Some(ex.seq))));
            }
            Entry::Event(e) => out.push(Point::Event(e, None)),
        }
    }
    out
}

/// Where a check first holds: the index of the point that completed it, and the evidence.
struct Match {
    end: usize,
    at: SimTime,
    exchanges: Vec<u64>,
}

impl Match {
    fn proof(&self, points: &[Point]) -> Proof {
        let mut exchanges = self.exchanges.clone();
        exchanges.sort_unstable();
        exchanges.dedup();
        Proof { exchanges, at: self.at, sends: exchanges_through(points, self.end) }
    }
}

/// How many of the points up to and including `end` are exchanges.
fn exchanges_through(points: &[Point], end: usize) -> usize {
    points.iter().take(end.saturating_add(1)).filter(|p| matches!(p, Point::Exchange(_))).count()
}

/// A state as shown matches `want` when equal to it or to one of its ` · `-separated parts.
fn state_matches(shown: &str, want: &str) -> bool {
    shown == want || shown.split(" · ").any(|part| part.trim() == want)
}

/// The earliest way `check` holds with evidence from points `lo..` and its completing point at `fresh` or
/// later: a response or state change at or after `fresh`, a retry that succeeds at or after `fresh` (its
/// throttled answer may be earlier), composites whose last needed piece comes at or after `fresh`.
fn eval(check: &Check, points: &[Point], lo: usize, fresh: usize) -> Option<Match> {
    let start = lo.max(fresh);
    match check {
        Check::Reached(r) => points.iter().enumerate().skip(start).find_map(|(i, p)| match p {
            Point::Event(e, seq)
                if r.provider.is_none_or(|p| p == e.provider)
                    && e.server == r.server
                    && state_matches(&e.to, &r.state)
                    && r.from.as_deref().is_none_or(|f| state_matches(&e.from, f)) =>
            {
                Some(Match { end: i, at: e.at, exchanges: seq.iter().copied().collect() })
            }
            _ => None,
        }),
        Check::Response(c) => points.iter().enumerate().skip(start).find_map(|(i, p)| match p {
            Point::Exchange(ex) if response_matches(c, ex) => {
                Some(Match { end: i, at: ex.at, exchanges: vec![ex.seq] })
            }
            _ => None,
        }),
        Check::Retried(r) => retried(r, points, lo, fresh),
        Check::All(cs) => {
            // Each member's earliest proof, wherever it is; if none of them is fresh, the cheapest way is to
            // take one member's earliest fresh proof together with the others' earliest ones.
            let earliest: Vec<Match> = cs.iter().map(|c| eval(c, points, lo, lo)).collect::<Option<_>>()?;
            let combine = |fresh_one: Option<(usize, Match)>| {
                let mut all = Match { end: lo, at: SimTime::ZERO, exchanges: Vec::new() };
                for (i, m) in earliest.iter().enumerate() {
                    let m = match &fresh_one {
                        Some((j, f)) if *j == i => f,
                        _ => m,
                    };
                    all.end = all.end.max(m.end);
                    all.at = all.at.max(m.at);
                    all.exchanges.extend(m.exchanges.iter().copied());
                }
                all
            };
            let all = combine(None);
            if all.end >= fresh {
                return Some(all);
            }
            cs.iter()
                .enumerate()
                .filter_map(|(i, c)| eval(c, points, lo, fresh).map(|m| combine(Some((i, m)))))
                .min_by_key(|m| m.end)
        }
        Check::Any(cs) => cs.iter().filter_map(|c| eval(c, points, lo, fresh)).min_by_key(|m| m.end),
        Check::InOrder(cs) => {
            let (last, before) = cs.split_last()?;
            let mut pos = lo;
            let mut all = Match { end: lo, at: SimTime::ZERO, exchanges: Vec::new() };
            for c in before {
                let m = eval(c, points, pos, pos)?;
                pos = m.end + 1;
                all.at = all.at.max(m.at);
                all.exchanges.extend(m.exchanges);
            }
            let m = eval(last, points, pos, fresh)?;
            all.end = m.end;
            all.at = all.at.max(m.at);
            all.exchanges.extend(m.exchanges);
            Some(all)
        }
    }
}

fn response_matches(c: &ResponseCheck, ex: &Exchange) -> bool {
    if c.provider.is_some_and(|p| ex.provider != Some(p))
        || c.operation.as_deref().is_some_and(|op| ex.operation.as_deref() != Some(op))
        || c.server.as_deref().is_some_and(|s| ex.server.as_deref() != Some(s))
        || (!c.status.is_empty() && !c.status.contains(&ex.response.status))
        || c.ok.is_some_and(|ok| ok != is_success(ex))
        || c.error.as_deref().is_some_and(|e| error_type(&ex.response).as_deref() != Some(e))
        || c.message_contains
            .as_deref()
            .is_some_and(|m| !error_message(&ex.response).is_some_and(|text| text.contains(m)))
    {
        return false;
    }
    if !c.request_header.iter().all(|(name, value)| ex.request.header(name) == Some(value.as_str())) {
        return false;
    }
    json_members_match(&ex.request.body, &c.request_json)
        && json_members_match(&ex.response.body, &c.response_json)
}

fn json_members_match(body: &str, wanted: &[(String, Value)]) -> bool {
    if wanted.is_empty() {
        return true;
    }
    let Ok(json) = serde_json::from_str::<Value>(body) else { return false };
    wanted.iter().all(|(pointer, value)| json.pointer(pointer) == Some(value))
}

/// Same method, path and body (compared as JSON when both bodies are JSON).
fn same_payload(a: &Exchange, b: &Exchange) -> bool {
    let body = |ex: &Exchange| serde_json::from_str::<Value>(&ex.request.body).ok();
    a.request.method == b.request.method
        && a.request.path() == b.request.path()
        && match (body(a), body(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.request.body == b.request.body,
        }
}

fn retried(r: &Retried, points: &[Point], lo: usize, fresh: usize) -> Option<Match> {
    let wanted = |ex: &Exchange| {
        r.provider.is_none_or(|p| ex.provider == Some(p))
            && r.operation.as_deref().is_none_or(|op| ex.operation.as_deref() == Some(op))
            && r.server.as_deref().is_none_or(|s| ex.server.as_deref() == Some(s))
    };
    let exchanges: Vec<(usize, &Exchange)> = points
        .iter()
        .enumerate()
        .skip(lo)
        .filter_map(|(i, p)| match p {
            Point::Exchange(ex) => Some((i, *ex)),
            _ => None,
        })
        .collect();
    for (k, &(i, success)) in exchanges.iter().enumerate() {
        if i < fresh || !is_success(success) || !wanted(success) {
            continue;
        }
        // A retry is the same call: same service and operation, on the same server when the throttled answer
        // names one (a service may throttle before it reads the body), else with the same path and body.
        let same_call = |ex: &Exchange| {
            ex.provider == success.provider
                && ex.operation == success.operation
                && match &ex.server {
                    Some(server) => success.server.as_ref() == Some(server),
                    None => same_payload(ex, success),
                }
        };
        let last_throttle = exchanges[..k]
            .iter()
            .rev()
            .map(|&(_, ex)| ex)
            .find(|ex| same_call(ex) && is_throttled(ex, r.error.as_deref()));
        if let Some(throttled) = last_throttle {
            let wait = retry_after_ms(&throttled.response);
            if success.at >= throttled.at.plus_millis(wait) {
                return Some(Match { end: i, at: success.at, exchanges: vec![throttled.seq, success.seq] });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
