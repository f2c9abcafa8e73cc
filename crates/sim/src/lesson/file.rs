//! The lesson file format: the serde types of a lesson file, and their checked conversion into a
//! [`Lesson`], or a [`LessonError`] that names the place of the problem.
//!
//! A file is read straight into the `*File` types below through [`crate::decode`], so a syntax error or a
//! member of the wrong type is placed at its path with its line and column. What serde's derive cannot
//! say is checked while the file types become a [`Lesson`], in document order, each problem placed at its
//! path:
//! - unknown members are errors, so typos do not silently weaken a check; members whose name starts with
//!   `_` are ignored, which gives authors a place for comments (the file types collect the members they do
//!   not know in an [`Others`] for this);
//! - required texts must be present and not blank, optional ones not blank when given;
//! - a check has exactly one member naming its kind; a response check says something;
//! - requests must parse, JSON pointers start with `/`, `set` paths are dotted paths, and the scenario
//!   (base plus overrides) must be a valid scenario; a problem in a scenario written out inline as the
//!   base is placed like any read error, at its path under `scenario.base` with its line and column in
//!   the lesson file (the base is kept as a JSON value, which has no positions, so they are found again
//!   in the text when there is a problem: [`crate::decode::span_at`], [`crate::decode::from_str_within`]);
//! - a solution is a list of actions with one member each (`send` a request that parses, `wait` a
//!   duration such as `90s`), and `clock` is `pause` or `slow`;
//! - a file is at most [`MAX_LESSON_BYTES`] long with at most [`MAX_STEPS`] steps (lessons arrive in share
//!   links and from any address: a page must not freeze on one).

use super::{
    Action, Check, ClockNeed, Lesson, LessonError, LessonScenario, Reached, ResponseCheck, Retried,
    ScenarioBase, Step, FORMAT,
};

/// The longest lesson file read (1 MiB: the shipped lessons are about 4 KB).
pub const MAX_LESSON_BYTES: usize = 1 << 20;
/// The most steps a lesson may have.
pub const MAX_STEPS: usize = 200;
/// The most actions one step's solution may have.
pub const MAX_ACTIONS: usize = 200;
/// The most times one action may send its request.
pub const MAX_TIMES: u32 = 100;
use crate::fleet::Provider;
use crate::scenario::{Scenario, ScenarioError};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

fn err(place: &str, message: impl Into<String>) -> LessonError {
    LessonError {
        place: if place.is_empty() { "lesson".to_string() } else { place.to_string() },
        message: message.into(),
    }
}

fn child(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_string()
    } else {
        format!("{place}.{key}")
    }
}

/// The members of an object that its type does not define: only comments (`_note`) may be there.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
struct Others(BTreeMap<String, IgnoredAny>);

impl Others {
    /// The members that are not comments.
    fn unknown(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str).filter(|k| !k.starts_with('_'))
    }

    /// Refuses the first member that is not a comment; `what` names the object, `known` its members.
    fn check(&self, place: &str, what: &str, known: &[&str]) -> Result<(), LessonError> {
        match self.unknown().next() {
            Some(key) => Err(err(
                &child(place, key),
                format!("unknown member {key:?} of {what} (expected one of: {})", known.join(", ")),
            )),
            None => Ok(()),
        }
    }
}

/// A whole lesson file.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a lesson object")]
pub(crate) struct LessonFile {
    format: Option<String>,
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    provider: Option<Provider>,
    scenario: Option<ScenarioFile>,
    steps: Option<Vec<StepFile>>,
    #[serde(flatten)]
    others: Others,
}

/// `"builtin"`, `"empty"`, or `{"base": …, "set": {…}}`.
#[derive(Debug)]
enum ScenarioFile {
    Named(String),
    Spec(ScenarioSpec),
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "an object")]
struct ScenarioSpec {
    base: Option<BaseFile>,
    set: Option<BTreeMap<String, Value>>,
    #[serde(flatten)]
    others: Others,
}

/// `"builtin"`, `"empty"`, or a whole scenario object (read by the scenario format later, so that its
/// problems are worded as a scenario's).
#[derive(Debug)]
enum BaseFile {
    Named(String),
    Inline(Value),
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a step object")]
struct StepFile {
    goal: Option<String>,
    hint: Option<String>,
    request: Option<String>,
    explain: Option<String>,
    check: Option<CheckFile>,
    solution: Option<Vec<ActionFile>>,
    clock: Option<String>,
    #[serde(flatten)]
    others: Others,
}

/// One action of a solution: exactly one of its members.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a solution action: {\"send\": \"…request…\", \"times\": 1} or {\"wait\": \"90s\"}")]
struct ActionFile {
    send: Option<String>,
    times: Option<u32>,
    wait: Option<String>,
    #[serde(flatten)]
    others: Others,
}

/// A check: exactly one of its members must be given.
#[derive(Debug, Deserialize)]
#[serde(expecting = "a check object with one member (reached, response, retried, all, any or in_order)")]
struct CheckFile {
    reached: Option<ReachedFile>,
    response: Option<ResponseFile>,
    retried: Option<RetriedFile>,
    all: Option<Vec<CheckFile>>,
    any: Option<Vec<CheckFile>>,
    in_order: Option<Vec<CheckFile>>,
    #[serde(flatten)]
    others: Others,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "an object")]
struct ReachedFile {
    provider: Option<Provider>,
    server: Option<String>,
    state: Option<String>,
    from: Option<String>,
    #[serde(flatten)]
    others: Others,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "an object")]
struct ResponseFile {
    provider: Option<Provider>,
    operation: Option<String>,
    server: Option<String>,
    status: Option<StatusFile>,
    error: Option<String>,
    message_contains: Option<String>,
    ok: Option<bool>,
    request_header: Option<BTreeMap<String, String>>,
    request_json: Option<BTreeMap<String, Value>>,
    response_json: Option<BTreeMap<String, Value>>,
    #[serde(flatten)]
    others: Others,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "an object")]
struct RetriedFile {
    provider: Option<Provider>,
    operation: Option<String>,
    server: Option<String>,
    error: Option<String>,
    #[serde(flatten)]
    others: Others,
}

/// `status`: one code or a non-empty list of codes.
#[derive(Debug)]
struct StatusFile(Vec<u16>);

/// An HTTP status code, 100–599.
struct StatusCode(u16);

const STATUS_RANGE: &str = "an HTTP status code (100–599)";

fn status_code<E: de::Error>(n: u64) -> Result<u16, E> {
    match u16::try_from(n) {
        Ok(code) if (100..=599).contains(&code) => Ok(code),
        _ => Err(E::custom(format!("{n} is not {STATUS_RANGE}"))),
    }
}

impl<'de> Deserialize<'de> for StatusCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;
        impl Visitor<'_> for Code {
            type Value = StatusCode;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(STATUS_RANGE)
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<StatusCode, E> {
                status_code(n).map(StatusCode)
            }
        }
        deserializer.deserialize_u64(Code)
    }
}

impl<'de> Deserialize<'de> for StatusFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Status;
        impl<'de> Visitor<'de> for Status {
            type Value = StatusFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "{STATUS_RANGE} or a list of them")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<StatusFile, E> {
                status_code(n).map(|code| StatusFile(vec![code]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StatusFile, A::Error> {
                let mut codes = Vec::new();
                while let Some(StatusCode(code)) = seq.next_element()? {
                    codes.push(code);
                }
                if codes.is_empty() {
                    return Err(de::Error::invalid_length(0, &"at least one HTTP status code"));
                }
                Ok(StatusFile(codes))
            }
        }
        deserializer.deserialize_any(Status)
    }
}

/// A string (a name) or an object read as `T`: what `scenario` and `base` hold.
fn name_or_object<'de, D, T, O>(
    deserializer: D,
    expecting: &'static str,
    named: fn(String) -> O,
    object: fn(T) -> O,
) -> Result<O, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct NameOrObject<T, O> {
        expecting: &'static str,
        named: fn(String) -> O,
        object: fn(T) -> O,
    }
    impl<'de, T: Deserialize<'de>, O> Visitor<'de> for NameOrObject<T, O> {
        type Value = O;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<O, E> {
            Ok((self.named)(name.to_string()))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<O, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(self.object)
        }
        /// Refused after its last element: refused at its `[`, a list whose first element is a list
        /// would be placed at that element (`crate::decode` finds places from where the reader stopped).
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<O, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
        }
    }
    deserializer.deserialize_any(NameOrObject { expecting, named, object })
}

impl<'de> Deserialize<'de> for ScenarioFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        name_or_object(
            deserializer,
            "\"builtin\", \"empty\" or {\"base\": …, \"set\": {…}}",
            ScenarioFile::Named,
            ScenarioFile::Spec,
        )
    }
}

impl<'de> Deserialize<'de> for BaseFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        name_or_object(deserializer, "\"builtin\", \"empty\" or a scenario object", BaseFile::Named, |v| {
            BaseFile::Inline(Value::Object(v))
        })
    }
}

/// Parses a lesson file.
pub(super) fn lesson(text: &str) -> Result<Lesson, LessonError> {
    if text.len() > MAX_LESSON_BYTES {
        return Err(err(
            "",
            format!(
                "the file is {} bytes long, more than the {MAX_LESSON_BYTES} a lesson may be",
                text.len()
            ),
        ));
    }
    let file: LessonFile = crate::decode::from_str(text, "lesson")?;
    file.others.check(
        "",
        "a lesson",
        &["format", "id", "title", "summary", "provider", "scenario", "steps"],
    )?;
    if let Some(format) = &file.format {
        if format != FORMAT {
            return Err(err("format", format!("unsupported format {format:?}, expected {FORMAT:?}")));
        }
    }
    let title = required_text(file.title, "", "title")?;
    let summary = required_text(file.summary, "", "summary")?;
    let scenario = match file.scenario {
        None => LessonScenario::builtin(),
        Some(s) => scenario(s, "scenario")?,
    };
    assemble(&scenario).map_err(|unbuilt| unbuilt.in_lesson(text, &scenario))?;
    let steps_file = file.steps.ok_or_else(|| err("steps", "is required (a list of steps)"))?;
    if steps_file.is_empty() {
        return Err(err("steps", "a lesson needs at least one step"));
    }
    if steps_file.len() > MAX_STEPS {
        return Err(err(
            "steps",
            format!("{} steps, more than the {MAX_STEPS} a lesson may have", steps_file.len()),
        ));
    }
    let steps = steps_file
        .into_iter()
        .enumerate()
        .map(|(i, s)| step(s, &format!("steps[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(Lesson { id: file.id.unwrap_or_default(), title, summary, provider: file.provider, scenario, steps })
}

fn required_text(text: Option<String>, place: &str, key: &str) -> Result<String, LessonError> {
    match text {
        Some(s) if !s.trim().is_empty() => Ok(s),
        Some(_) => Err(err(&child(place, key), "must not be empty")),
        None => Err(err(&child(place, key), "is required")),
    }
}

fn optional_text(text: Option<String>, place: &str, key: &str) -> Result<Option<String>, LessonError> {
    match text {
        Some(s) if s.trim().is_empty() => Err(err(&child(place, key), "must not be empty when given")),
        other => Ok(other),
    }
}

fn base(name: &str, place: &str) -> Result<ScenarioBase, LessonError> {
    match name {
        "builtin" => Ok(ScenarioBase::Builtin),
        "empty" => Ok(ScenarioBase::Empty),
        other => {
            Err(err(place, format!("unknown scenario {other:?} (builtin, empty, or a scenario object)")))
        }
    }
}

fn scenario(file: ScenarioFile, place: &str) -> Result<LessonScenario, LessonError> {
    let spec = match file {
        ScenarioFile::Named(name) => {
            return Ok(LessonScenario { base: base(&name, place)?, set: Vec::new() })
        }
        ScenarioFile::Spec(spec) => spec,
    };
    spec.others.check(place, "the scenario", &["base", "set"])?;
    let base = match spec.base {
        None => ScenarioBase::Builtin,
        Some(BaseFile::Named(name)) => base(&name, &child(place, "base"))?,
        Some(BaseFile::Inline(value)) => ScenarioBase::Inline(value),
    };
    let mut set = Vec::new();
    for (path, value) in spec.set.unwrap_or_default() {
        if path.is_empty() || path.split('.').any(str::is_empty) {
            return Err(err(
                &format!("{place}.set[{path:?}]"),
                "is not a dotted path like faults.transfer.throttle_per_second",
            ));
        }
        set.push((path, value));
    }
    Ok(LessonScenario { base, set })
}

/// Builds the scenario: base JSON, overrides, then the scenario format's own reading and validation.
pub(super) fn build_scenario(s: &LessonScenario) -> Result<Scenario, LessonError> {
    assemble(s).map_err(Unbuilt::in_scenario)
}

/// Why the scenario a lesson describes does not build.
enum Unbuilt {
    /// An error placed already: an override of `set` that cannot be applied.
    Placed(LessonError),
    /// What base and overrides make does not read as a scenario.
    Unreadable(ScenarioError),
    /// It reads, but [`Scenario::validate`] refuses it.
    Invalid(ScenarioError),
}

impl From<LessonError> for Unbuilt {
    fn from(e: LessonError) -> Self {
        Unbuilt::Placed(e)
    }
}

impl Unbuilt {
    /// The error with the scenario's path in its message, for a scenario without a file to point into.
    fn in_scenario(self) -> LessonError {
        match self {
            Unbuilt::Placed(e) => e,
            Unbuilt::Unreadable(e) | Unbuilt::Invalid(e) if e.place == "scenario" => {
                err("scenario", format!("the scenario is invalid: {}", e.message))
            }
            Unbuilt::Unreadable(e) | Unbuilt::Invalid(e) => {
                err("scenario", format!("the scenario is invalid at {}: {}", e.place, e.message))
            }
        }
    }

    /// The error as the lesson file `text` places it: a problem in an inline base where the author wrote
    /// it ([`in_inline_base`]), any other as [`Unbuilt::in_scenario`] does.
    fn in_lesson(self, text: &str, s: &LessonScenario) -> LessonError {
        match in_inline_base(&self, text, s) {
            Some(placed) => placed,
            None => self.in_scenario(),
        }
    }
}

/// A problem of an inline base as every read error of the project is placed: at its path in the lesson
/// file (under `scenario.base`) and with the line and column there, which is where it must be fixed.
/// A reading problem gets serde_json's own message and position, from reading the base's text where it
/// stands in the file, when that reading stops at the same place. Otherwise (a problem of validation, or
/// one of several reading problems that the text alone meets in another order) a scalar's position is its
/// last byte, where serde_json stops at a wrong scalar, and an object's or a list's is its first byte, the
/// `{` or `[` the author looks for (its last byte, the closing one, may be many lines below, past other
/// members). `None` when the problem is not the base's text: a value that a `set` override put there is
/// the override's problem, and an override's own errors are placed at it already.
fn in_inline_base(unbuilt: &Unbuilt, text: &str, s: &LessonScenario) -> Option<LessonError> {
    let ScenarioBase::Inline(_) = s.base else { return None };
    let problem = match unbuilt {
        Unbuilt::Placed(_) => return None,
        Unbuilt::Unreadable(e) | Unbuilt::Invalid(e) => e,
    };
    let path = if problem.place == "scenario" { "" } else { problem.place.as_str() };
    // `set` paths write list indices as members (`fleet.transfer.0.state`).
    let dotted = path.replace('[', ".").replace(']', "");
    let overridden =
        |set: &str| dotted == set || dotted.strip_prefix(set).is_some_and(|r| r.starts_with('.'));
    if s.set.iter().any(|(set, _)| overridden(set)) {
        return None;
    }
    let base = crate::decode::span_at(text, 0, "scenario.base")?;
    let place = if path.is_empty() { "scenario.base".to_string() } else { format!("scenario.base.{path}") };
    if let Unbuilt::Unreadable(_) = unbuilt {
        if let Err(own) = crate::decode::from_str_within::<Scenario>(text, base.start, "scenario") {
            if own.place == problem.place {
                return Some(err(&place, own.message));
            }
        }
    }
    let value = crate::decode::span_at(text, base.start, path)?;
    let at = match text.as_bytes().get(value.start) {
        Some(b'{' | b'[') => value.start,
        _ => value.end.checked_sub(1)?,
    };
    let position = crate::decode::position_suffix(text, at);
    Some(err(&place, format!("{}{position}", problem.message)))
}

/// Merges base and overrides and reads the result as a valid scenario.
fn assemble(s: &LessonScenario) -> Result<Scenario, Unbuilt> {
    // The bases as values by way of their JSON text: `to_value` would compile a third serializer of every
    // scenario type into the web build (the text ones are there anyway). The same value: a test checks it.
    let mut value = match &s.base {
        ScenarioBase::Builtin => serde_json::from_str(&Scenario::builtin().to_json_pretty()),
        ScenarioBase::Empty => serde_json::from_str(&Scenario::default().to_json_pretty()),
        ScenarioBase::Inline(v) => Ok(v.clone()),
    }
    .map_err(|e| Unbuilt::Placed(err("scenario", e.to_string())))?;
    let mut set = s.set.clone();
    set.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, new) in &set {
        let place = format!("scenario.set[{path:?}]");
        let mut slot = &mut value;
        for part in path.split('.') {
            slot = match slot {
                Value::Object(map) => map.entry(part.to_string()).or_insert(Value::Null),
                Value::Array(items) => {
                    let len = items.len();
                    let index: usize = part
                        .parse()
                        .map_err(|_| err(&place, format!("{part:?} is not an index into a list")))?;
                    items.get_mut(index).ok_or_else(|| {
                        err(&place, format!("index {index} is out of range (the list has {len})"))
                    })?
                }
                other => {
                    return Err(err(
                        &place,
                        format!(
                            "cannot set {part:?} inside {}",
                            crate::providers::aws_json::json_kind(other)
                        ),
                    )
                    .into())
                }
            };
        }
        *slot = new.clone();
    }
    let scenario = Scenario::from_json_value(&value).map_err(Unbuilt::Unreadable)?;
    scenario.validate().map_err(Unbuilt::Invalid)?;
    Ok(scenario)
}

fn step(file: StepFile, place: &str) -> Result<Step, LessonError> {
    file.others.check(
        place,
        "a step",
        &["goal", "hint", "request", "explain", "check", "solution", "clock"],
    )?;
    let goal = required_text(file.goal, place, "goal")?;
    let hint = required_text(file.hint, place, "hint")?;
    let request = optional_text(file.request, place, "request")?;
    if let Some(text) = &request {
        crate::http::parse_request(text).map_err(|e| {
            err(
                &child(place, "request"),
                format!("is not a raw HTTP request: line {}: {}", e.line, e.message),
            )
        })?;
    }
    let explain = optional_text(file.explain, place, "explain")?;
    let check_place = child(place, "check");
    let check = check(file.check.ok_or_else(|| err(&check_place, "is required"))?, &check_place)?;
    let solution_place = child(place, "solution");
    let solution_file = file.solution.unwrap_or_default();
    if solution_file.len() > MAX_ACTIONS {
        return Err(err(
            &solution_place,
            format!("{} actions, more than the {MAX_ACTIONS} a solution may have", solution_file.len()),
        ));
    }
    let solution = solution_file
        .into_iter()
        .enumerate()
        .map(|(i, a)| action(a, &format!("{solution_place}[{i}]")))
        .collect::<Result<_, _>>()?;
    let clock = match file.clock.as_deref() {
        None => None,
        Some("pause") => Some(ClockNeed::Pause),
        Some("slow") => Some(ClockNeed::Slow),
        Some(other) => {
            return Err(err(&child(place, "clock"), format!("unknown clock need {other:?} (pause or slow)")))
        }
    };
    Ok(Step { goal, hint, request, explain, check, solution, clock })
}

fn action(file: ActionFile, place: &str) -> Result<Action, LessonError> {
    let given: Vec<&str> = [("send", file.send.is_some()), ("wait", file.wait.is_some())]
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .chain(file.others.unknown())
        .collect();
    if file.times.is_some() && file.send.is_none() {
        return Err(err(&child(place, "times"), "goes with send (how many times to send the request)"));
    }
    match (file.send, file.wait) {
        (Some(text), None) if given.len() == 1 => {
            crate::http::parse_request(&text).map_err(|e| {
                err(
                    &child(place, "send"),
                    format!("is not a raw HTTP request: line {}: {}", e.line, e.message),
                )
            })?;
            let times = file.times.unwrap_or(1);
            if !(1..=MAX_TIMES).contains(&times) {
                return Err(err(&child(place, "times"), format!("must be from 1 to {MAX_TIMES}")));
            }
            Ok(Action::Send { request: text, times })
        }
        (None, Some(text)) if given.len() == 1 => match crate::time::parse_duration_ms(&text) {
            Some(ms) => Ok(Action::Wait(ms)),
            None => Err(err(
                &child(place, "wait"),
                format!("{text:?} is not a duration (like 90s, 2m, 1m30s or 500ms)"),
            )),
        },
        _ => Err(err(
            place,
            format!(
                "an action has exactly one member (send or wait); found {}",
                if given.is_empty() { "none".to_string() } else { given.join(", ") }
            ),
        )),
    }
}

const CHECK_KINDS: &str = "reached, response, retried, all, any or in_order";

fn check(file: CheckFile, place: &str) -> Result<Check, LessonError> {
    let kinds = [
        ("reached", file.reached.is_some()),
        ("response", file.response.is_some()),
        ("retried", file.retried.is_some()),
        ("all", file.all.is_some()),
        ("any", file.any.is_some()),
        ("in_order", file.in_order.is_some()),
    ];
    let names: Vec<&str> = kinds
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .chain(file.others.unknown())
        .collect();
    let [name] = names.as_slice() else {
        return Err(err(
            place,
            format!(
                "a check has exactly one member ({CHECK_KINDS}); found {}",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ),
        ));
    };
    let inner = child(place, name);
    let list = |checks: Vec<CheckFile>| -> Result<Vec<Check>, LessonError> {
        if checks.is_empty() {
            return Err(err(&inner, "must list at least one check"));
        }
        checks.into_iter().enumerate().map(|(i, c)| check(c, &format!("{inner}[{i}]"))).collect()
    };
    match (file.reached, file.response, file.retried, file.all, file.any, file.in_order) {
        (Some(r), ..) => reached(r, &inner).map(Check::Reached),
        (_, Some(r), ..) => response(r, &inner).map(Check::Response),
        (_, _, Some(r), ..) => retried(r, &inner).map(Check::Retried),
        (_, _, _, Some(all), ..) => list(all).map(Check::All),
        (_, _, _, _, Some(any), _) => list(any).map(Check::Any),
        (.., Some(in_order)) => list(in_order).map(Check::InOrder),
        _ => Err(err(&inner, format!("unknown check {name:?} (expected {CHECK_KINDS})"))),
    }
}

fn reached(file: ReachedFile, place: &str) -> Result<Reached, LessonError> {
    file.others.check(place, "a reached check", &["provider", "server", "state", "from"])?;
    Ok(Reached {
        provider: file.provider,
        server: required_text(file.server, place, "server")?,
        state: required_text(file.state, place, "state")?,
        from: optional_text(file.from, place, "from")?,
    })
}

fn pointers(
    members: Option<BTreeMap<String, Value>>,
    place: &str,
    key: &str,
) -> Result<Vec<(String, Value)>, LessonError> {
    let place = child(place, key);
    let mut out = Vec::new();
    for (pointer, value) in members.unwrap_or_default() {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(err(
                &format!("{place}[{pointer:?}]"),
                "a JSON pointer starts with '/' (e.g. /Server/State), or is empty for the whole body",
            ));
        }
        out.push((pointer, value));
    }
    Ok(out)
}

fn response(file: ResponseFile, place: &str) -> Result<ResponseCheck, LessonError> {
    file.others.check(
        place,
        "a response check",
        &[
            "provider",
            "operation",
            "server",
            "status",
            "error",
            "message_contains",
            "ok",
            "request_header",
            "request_json",
            "response_json",
        ],
    )?;
    let says_nothing = file.provider.is_none()
        && file.operation.is_none()
        && file.server.is_none()
        && file.status.is_none()
        && file.error.is_none()
        && file.message_contains.is_none()
        && file.ok.is_none()
        && file.request_header.is_none()
        && file.request_json.is_none()
        && file.response_json.is_none();
    if says_nothing {
        return Err(err(place, "say what the response must show (operation, status, error …)"));
    }
    Ok(ResponseCheck {
        provider: file.provider,
        operation: optional_text(file.operation, place, "operation")?,
        server: optional_text(file.server, place, "server")?,
        status: file.status.map(|s| s.0).unwrap_or_default(),
        error: optional_text(file.error, place, "error")?,
        message_contains: optional_text(file.message_contains, place, "message_contains")?,
        ok: file.ok,
        request_header: file.request_header.unwrap_or_default().into_iter().collect(),
        request_json: pointers(file.request_json, place, "request_json")?,
        response_json: pointers(file.response_json, place, "response_json")?,
    })
}

fn retried(file: RetriedFile, place: &str) -> Result<Retried, LessonError> {
    file.others.check(place, "a retried check", &["provider", "operation", "server", "error"])?;
    Ok(Retried {
        provider: file.provider,
        operation: optional_text(file.operation, place, "operation")?,
        server: optional_text(file.server, place, "server")?,
        error: optional_text(file.error, place, "error")?,
    })
}
