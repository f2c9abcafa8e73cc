//! Reading lesson files: JSON in, [`Lesson`] out, or a [`LessonError`] that names the place of the problem.
//!
//! The file is first read as a `crate::json::Value` (syntax errors give a line and column), then walked by
//! hand so that every error carries its path (`steps[0].check.all[2].reached.state`). Unknown members are
//! errors, so typos do not silently weaken a check; members whose name starts with `_` are ignored, which
//! gives authors a place for comments.

use super::{
    Check, Lesson, LessonError, LessonScenario, Reached, ResponseCheck, Retried, ScenarioBase, Step, FORMAT,
};
use crate::fleet::Provider;
use serde_json::Value;

type Map = serde_json::Map<String, Value>;
use crate::scenario::Scenario;

fn err(place: &str, message: impl Into<String>) -> LessonError {
    LessonError {
        place: if place.is_empty() { "lesson".to_string() } else { place.to_string() },
        message: message.into(),
    }
}

/// A value and where it is in the file.
#[derive(Clone, Copy)]
struct At<'a> {
    value: &'a Value,
    place: &'a str,
}

fn kind(v: &Value) -> &'static str {
    crate::providers::aws_json::json_kind(v)
}

fn child(place: &str, key: &str) -> String {
    if place.is_empty() {
        key.to_string()
    } else {
        format!("{place}.{key}")
    }
}

/// The object at `at`, after checking it has only `allowed` members (plus `_comments`).
fn object<'a>(at: At<'a>, what: &str, allowed: &[&str]) -> Result<&'a Map, LessonError> {
    let map = at
        .value
        .as_object()
        .ok_or_else(|| err(at.place, format!("{what} must be a JSON object, not {}", kind(at.value))))?;
    for key in map.keys() {
        if !key.starts_with('_') && !allowed.contains(&key.as_str()) {
            return Err(err(
                &child(at.place, key),
                format!("unknown member {key:?} of {what} (expected one of: {})", allowed.join(", ")),
            ));
        }
    }
    Ok(map)
}

fn string<'a>(map: &'a Map, place: &str, key: &str) -> Result<Option<&'a str>, LessonError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(err(&child(place, key), format!("must be a string, not {}", kind(other)))),
    }
}

fn required_text(map: &Map, place: &str, key: &str) -> Result<String, LessonError> {
    match string(map, place, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
        Some(_) => Err(err(&child(place, key), "must not be empty")),
        None => Err(err(&child(place, key), "is required")),
    }
}

fn optional_text(map: &Map, place: &str, key: &str) -> Result<Option<String>, LessonError> {
    match string(map, place, key)? {
        Some(s) if s.trim().is_empty() => Err(err(&child(place, key), "must not be empty when given")),
        other => Ok(other.map(str::to_string)),
    }
}

fn provider(map: &Map, place: &str) -> Result<Option<Provider>, LessonError> {
    match string(map, place, "provider")? {
        None => Ok(None),
        Some(slug) => Provider::from_slug(slug).map(Some).ok_or_else(|| {
            err(&child(place, "provider"), format!("unknown provider {slug:?} (transfer, lightsail or nova)"))
        }),
    }
}

/// Parses a lesson file.
pub(super) fn lesson(text: &str) -> Result<Lesson, LessonError> {
    let value: Value = serde_json::from_str(text).map_err(|e| LessonError {
        place: format!("line {} column {}", e.line(), e.column()),
        message: crate::decode::message_without_position(&e),
    })?;
    let root = At { value: &value, place: "" };
    let map =
        object(root, "a lesson", &["format", "id", "title", "summary", "provider", "scenario", "steps"])?;
    if let Some(format) = string(map, "", "format")? {
        if format != FORMAT {
            return Err(err("format", format!("unsupported format {format:?}, expected {FORMAT:?}")));
        }
    }
    let id = string(map, "", "id")?.unwrap_or("").to_string();
    let title = required_text(map, "", "title")?;
    let summary = required_text(map, "", "summary")?;
    let provider = provider(map, "")?;
    let scenario = match map.get("scenario") {
        None => LessonScenario::builtin(),
        Some(v) => scenario(At { value: v, place: "scenario" })?,
    };
    scenario.build()?;
    let steps_value = map.get("steps").ok_or_else(|| err("steps", "is required (a list of steps)"))?;
    let steps_list = steps_value
        .as_array()
        .ok_or_else(|| err("steps", format!("must be a list of steps, not {}", kind(steps_value))))?;
    if steps_list.is_empty() {
        return Err(err("steps", "a lesson needs at least one step"));
    }
    let mut steps = Vec::with_capacity(steps_list.len());
    for (i, v) in steps_list.iter().enumerate() {
        let place = format!("steps[{i}]");
        steps.push(step(At { value: v, place: &place })?);
    }
    Ok(Lesson { id, title, summary, provider, scenario, steps })
}

fn scenario(at: At) -> Result<LessonScenario, LessonError> {
    let base_of = |v: &Value, place: &str| -> Result<ScenarioBase, LessonError> {
        match v {
            Value::String(s) if s == "builtin" => Ok(ScenarioBase::Builtin),
            Value::String(s) if s == "empty" => Ok(ScenarioBase::Empty),
            Value::Object(_) => Ok(ScenarioBase::Inline(v.clone())),
            Value::String(s) => {
                Err(err(place, format!("unknown scenario {s:?} (builtin, empty, or a scenario object)")))
            }
            other => Err(err(
                place,
                format!("must be \"builtin\", \"empty\" or a scenario object, not {}", kind(other)),
            )),
        }
    };
    if let Value::String(_) = at.value {
        return Ok(LessonScenario { base: base_of(at.value, at.place)?, set: Vec::new() });
    }
    let map = object(at, "the scenario", &["base", "set"])?;
    let base = match map.get("base") {
        None => ScenarioBase::Builtin,
        Some(v) => base_of(v, &child(at.place, "base"))?,
    };
    let mut set = Vec::new();
    if let Some(v) = map.get("set") {
        let place = child(at.place, "set");
        let members = v.as_object().ok_or_else(|| {
            err(&place, format!("must be an object of \"dotted.path\": value, not {}", kind(v)))
        })?;
        for (path, value) in members {
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(err(
                    &format!("{place}[{path:?}]"),
                    "is not a dotted path like faults.transfer.throttle_per_second",
                ));
            }
            set.push((path.clone(), value.clone()));
        }
    }
    Ok(LessonScenario { base, set })
}

/// Builds the scenario: base JSON, overrides, then the scenario format's own validation.
pub(super) fn build_scenario(s: &LessonScenario) -> Result<Scenario, LessonError> {
    // The base as a value by way of its JSON text: `to_value` would add a third copy of the scenario's
    // serializer to the web build (the text one is there anyway). Same value: a test checks it.
    let mut value = match &s.base {
        ScenarioBase::Builtin => serde_json::from_str(&Scenario::builtin().to_json_pretty()),
        ScenarioBase::Empty => serde_json::from_str(&Scenario::default().to_json_pretty()),
        ScenarioBase::Inline(v) => Ok(v.clone()),
    }
    .map_err(|e| err("scenario", e.to_string()))?;
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
                other => return Err(err(&place, format!("cannot set {part:?} inside {}", kind(other)))),
            };
        }
        *slot = new.clone();
    }
    Scenario::from_json(&value.to_string()).map_err(|e| {
        // Positions in the re-serialised JSON mean nothing to the author; member paths do.
        if e.place.starts_with("line ") {
            err("scenario", format!("the scenario is invalid: {}", e.message))
        } else {
            err("scenario", format!("the scenario is invalid at {}: {}", e.place, e.message))
        }
    })
}

fn step(at: At) -> Result<Step, LessonError> {
    let map = object(at, "a step", &["goal", "hint", "request", "explain", "check"])?;
    let goal = required_text(map, at.place, "goal")?;
    let hint = required_text(map, at.place, "hint")?;
    let request = optional_text(map, at.place, "request")?;
    if let Some(text) = &request {
        crate::http::parse_request(text).map_err(|e| {
            err(
                &child(at.place, "request"),
                format!("is not a raw HTTP request: line {}: {}", e.line, e.message),
            )
        })?;
    }
    let explain = optional_text(map, at.place, "explain")?;
    let check_place = child(at.place, "check");
    let check_value = map.get("check").ok_or_else(|| err(&check_place, "is required"))?;
    let check = check(At { value: check_value, place: &check_place })?;
    Ok(Step { goal, hint, request, explain, check })
}

const CHECK_KINDS: &str = "reached, response, retried, all, any or in_order";

fn check(at: At) -> Result<Check, LessonError> {
    let map = at.value.as_object().ok_or_else(|| {
        err(
            at.place,
            format!("a check must be an object with one member ({CHECK_KINDS}), not {}", kind(at.value)),
        )
    })?;
    let members: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !k.starts_with('_')).collect();
    let [(name, value)] = members.as_slice() else {
        let names: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        return Err(err(
            at.place,
            format!(
                "a check has exactly one member ({CHECK_KINDS}); found {}",
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ),
        ));
    };
    let place = child(at.place, name);
    let inner = At { value, place: &place };
    match name.as_str() {
        "reached" => reached(inner).map(Check::Reached),
        "response" => response(inner).map(Check::Response),
        "retried" => retried(inner).map(Check::Retried),
        "all" | "any" | "in_order" => {
            let list = value
                .as_array()
                .ok_or_else(|| err(&place, format!("must be a list of checks, not {}", kind(value))))?;
            if list.is_empty() {
                return Err(err(&place, "must list at least one check"));
            }
            let mut checks = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let p = format!("{place}[{i}]");
                checks.push(check(At { value: v, place: &p })?);
            }
            Ok(match name.as_str() {
                "all" => Check::All(checks),
                "any" => Check::Any(checks),
                _ => Check::InOrder(checks),
            })
        }
        other => Err(err(&place, format!("unknown check {other:?} (expected {CHECK_KINDS})"))),
    }
}

fn reached(at: At) -> Result<Reached, LessonError> {
    let map = object(at, "a reached check", &["provider", "server", "state", "from"])?;
    Ok(Reached {
        provider: provider(map, at.place)?,
        server: required_text(map, at.place, "server")?,
        state: required_text(map, at.place, "state")?,
        from: optional_text(map, at.place, "from")?,
    })
}

fn status_code(v: &Value, place: &str) -> Result<u16, LessonError> {
    v.as_u64()
        .filter(|n| (100..=599).contains(n))
        .map(|n| n as u16)
        .ok_or_else(|| err(place, format!("{v} is not an HTTP status code (100–599)")))
}

fn pointers(map: &Map, place: &str, key: &str) -> Result<Vec<(String, Value)>, LessonError> {
    let Some(v) = map.get(key) else { return Ok(Vec::new()) };
    let place = child(place, key);
    let members = v.as_object().ok_or_else(|| {
        err(&place, format!("must be an object of \"/json/pointer\": expected value, not {}", kind(v)))
    })?;
    let mut out = Vec::new();
    for (pointer, value) in members {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(err(
                &format!("{place}[{pointer:?}]"),
                "a JSON pointer starts with '/' (e.g. /Server/State), or is empty for the whole body",
            ));
        }
        out.push((pointer.clone(), value.clone()));
    }
    Ok(out)
}

fn response(at: At) -> Result<ResponseCheck, LessonError> {
    let map = object(
        at,
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
    if map.keys().all(|k| k.starts_with('_')) {
        return Err(err(at.place, "say what the response must show (operation, status, error …)"));
    }
    let status = match map.get("status") {
        None => Vec::new(),
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .enumerate()
            .map(|(i, v)| status_code(v, &format!("{}[{i}]", child(at.place, "status"))))
            .collect::<Result<_, _>>()?,
        Some(v) => vec![status_code(v, &child(at.place, "status"))?],
    };
    let ok = match map.get("ok") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(v) => {
            return Err(err(&child(at.place, "ok"), format!("must be true or false, not {}", kind(v))))
        }
    };
    let mut request_header = Vec::new();
    if let Some(v) = map.get("request_header") {
        let place = child(at.place, "request_header");
        let members = v.as_object().ok_or_else(|| {
            err(&place, format!("must be an object of \"Header-Name\": \"value\", not {}", kind(v)))
        })?;
        for (name, value) in members {
            let value = value.as_str().ok_or_else(|| {
                err(&format!("{place}[{name:?}]"), format!("must be a string, not {}", kind(value)))
            })?;
            request_header.push((name.clone(), value.to_string()));
        }
    }
    Ok(ResponseCheck {
        provider: provider(map, at.place)?,
        operation: optional_text(map, at.place, "operation")?,
        server: optional_text(map, at.place, "server")?,
        status,
        error: optional_text(map, at.place, "error")?,
        message_contains: optional_text(map, at.place, "message_contains")?,
        ok,
        request_header,
        request_json: pointers(map, at.place, "request_json")?,
        response_json: pointers(map, at.place, "response_json")?,
    })
}

fn retried(at: At) -> Result<Retried, LessonError> {
    let map = object(at, "a retried check", &["provider", "operation", "server", "error"])?;
    Ok(Retried {
        provider: provider(map, at.place)?,
        operation: optional_text(map, at.place, "operation")?,
        server: optional_text(map, at.place, "server")?,
        error: optional_text(map, at.place, "error")?,
    })
}
