//! The transcript of a run: every exchange and every state change, in order, rendered as HTTP text or JSON
//! lines; and the replay of a `.http` file ([`crate::http::parse_http_file`]) that produces one.
//!
//! The text form is what `fleetplay replay` prints and what the determinism golden file holds: each exchange
//! as `### #seq T+hh:mm:ss operation`, the request and the response as HTTP/1.1, then the state changes as
//! `# T+… provider server FROM -> TO (cause)` comment lines. The JSON-lines form carries the same facts, one
//! object per line, for machines. Both are pure functions of the entries, so equal runs render equal bytes.
//!
//! Replaying understands the directives and checks of `crates/sim/tests/stories/README.md`: `# @advance`,
//! `# @advance-to`, `# @step` and `# @expect` between requests, `> check` lines after a request, and
//! `> capture NAME = /pointer` for `{{NAME}}` substitution in later requests and checks. Scenario
//! directives (`@scenario`, `@set`, `@seed`) shape the [`Scenario`] before the simulation starts; see
//! [`scenario_from_directives`].

use crate::exchange::{Event, Exchange};
use crate::fleet::Provider;
use crate::http::{render_request, render_response, substitute, Step};
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::time::{parse_duration_ms, SimTime};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// One line of the story: a request with its answer, or a state change that time produced.
#[derive(Clone, Debug, PartialEq, Eq)]
// Entries live in a Vec that is built once per request; matching on a plain `Exchange` keeps callers simple.
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    /// A request and everything it produced (its immediate events are inside).
    Exchange(Exchange),
    /// A state change fired by advancing time.
    Event(Event),
}

/// Renders entries as HTTP/1.1 text (see the module documentation). Line ends are `\n`.
pub fn render_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        match entry {
            Entry::Exchange(ex) => {
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&format!(
                    "### #{} {} {}\n",
                    ex.seq,
                    ex.at,
                    ex.operation.as_deref().unwrap_or("(unrecognised)")
                ));
                // The request always ends with a blank line; the response with one line end (its header
                // block's blank line when the body is empty), so event lines follow the body directly.
                let request = render_request(&ex.request);
                out.push_str(&request);
                if !request.ends_with("\n\n") {
                    out.push_str(if request.ends_with('\n') { "\n" } else { "\n\n" });
                }
                let response = render_response(&ex.response);
                out.push_str(&response);
                if !response.ends_with('\n') {
                    out.push('\n');
                }
                for event in &ex.events {
                    out.push_str(&event_line(event));
                }
                out.push('\n');
            }
            Entry::Event(event) => out.push_str(&event_line(event)),
        }
    }
    out
}

/// `# T+00:01:30 transfer s-… STOPPING -> OFFLINE (completed)`
fn event_line(event: &Event) -> String {
    format!(
        "# {} {} {} {} -> {} ({})\n",
        event.at,
        event.provider.slug(),
        event.server,
        event.from,
        event.to,
        event.cause
    )
}

/// Renders entries as JSON lines: one object per entry, each ending with `\n`.
///
/// An exchange is `{"type":"exchange","seq","at","time","provider","operation","server","request",
/// "status","headers","body","events","diagnosis"}` (`at` in milliseconds, `time` as `T+…`, headers as
/// `[name, value]` pairs in order); an event is `{"type":"event","at","time","provider","server","from",
/// "to","cause"}`.
pub fn render_jsonl(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        let line = match entry {
            Entry::Exchange(ex) => serde_json::to_string(&ExchangeRecord::of(ex)),
            Entry::Event(event) => serde_json::to_string(&EventRecord::of(event)),
        };
        // The records hold strings, numbers and lists only: writing them cannot fail.
        out.push_str(&line.unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Renders entries as Markdown for documentation builds: each exchange as a heading, the request and the
/// response in `http` code blocks (JSON bodies pretty-printed; headers, status and every other byte as sent),
/// the diagnosis as a quote, and state changes as a list. A docs build can include the output directly, so a
/// reference page's samples come from the simulator instead of being typed by hand.
pub fn render_markdown(entries: &[Entry]) -> String {
    let mut out = String::new();
    let mut pending_events: Vec<&Event> = Vec::new();
    let flush = |out: &mut String, events: &mut Vec<&Event>| {
        if events.is_empty() {
            return;
        }
        out.push_str("State changes as time passes:\n\n");
        for event in events.drain(..) {
            out.push_str(&event_bullet(event));
        }
        out.push('\n');
    };
    for entry in entries {
        match entry {
            Entry::Event(event) => pending_events.push(event),
            Entry::Exchange(ex) => {
                flush(&mut out, &mut pending_events);
                let operation = ex.operation.as_deref().unwrap_or("Unrecognised request");
                let provider = ex.provider.map_or("no service", |p| p.title());
                out.push_str(&format!("### {operation} ({provider}, `{}`)\n\n", ex.at));
                out.push_str("Request:\n\n");
                out.push_str(&fenced("http", &render_request(&pretty_body_request(ex))));
                out.push_str("Response:\n\n");
                let mut response = ex.response.clone();
                response.body = pretty_json(&response.body);
                out.push_str(&fenced("http", &render_response(&response)));
                out.push_str(&format!(
                    "> {} ({}, confidence {})\n\n",
                    ex.diagnosis.why.replace('\n', " "),
                    ex.diagnosis.spec,
                    ex.diagnosis.confidence.tag()
                ));
                if let Some(note) = &ex.diagnosis.doc_note {
                    out.push_str(&format!("> **Documentation note:** {}\n\n", note.replace('\n', " ")));
                }
                if !ex.events.is_empty() {
                    out.push_str("State changes:\n\n");
                    for event in &ex.events {
                        out.push_str(&event_bullet(event));
                    }
                    out.push('\n');
                }
            }
        }
    }
    flush(&mut out, &mut pending_events);
    out
}

fn pretty_body_request(ex: &Exchange) -> crate::wire::WireRequest {
    let mut request = ex.request.clone();
    request.body = pretty_json(&request.body);
    request
}

/// Pretty-prints a JSON object or array body; anything else is returned unchanged.
fn pretty_json(body: &str) -> String {
    let trimmed = body.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return body.to_string();
    }
    match serde_json::from_str::<Value>(body) {
        Ok(value) => serde_json::to_string_pretty(&value).unwrap_or_default(),
        Err(_) => body.to_string(),
    }
}

/// A fenced code block whose fence is longer than any backtick run inside `text`.
fn fenced(language: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = text.trim_end_matches('\n');
    format!("{fence}{language}\n{body}\n{fence}\n\n")
}

fn event_bullet(event: &Event) -> String {
    format!(
        "- `{}` {} `{}`: {} → {} ({})\n",
        event.at,
        event.provider.title(),
        event.server,
        event.from,
        event.to,
        event.cause
    )
}

/// An exchange as [`render_jsonl`] writes it (and `fleetplay serve`'s transcript, and the embed's
/// `fleetplay:exchange` message): `{"at", "body", "diagnosis", "events", "headers", "operation", "provider",
/// "request", "seq", "server", "status", "time", "type": "exchange"}`. The members are declared in
/// alphabetical order, the order the JSON lines have always had.
#[derive(Clone, Debug, Serialize)]
pub struct ExchangeRecord<'a> {
    /// Simulated milliseconds.
    at: u64,
    /// The response body.
    body: &'a str,
    diagnosis: DiagnosisRecord<'a>,
    /// The state changes the request caused at once.
    events: Vec<EventRecord<'a>>,
    /// The response headers as `[name, value]` pairs, in order.
    headers: &'a [(String, String)],
    operation: Option<&'a str>,
    provider: Option<Provider>,
    request: RequestRecord<'a>,
    seq: u64,
    server: Option<&'a str>,
    status: u16,
    /// `T+hh:mm:ss`.
    #[serde(serialize_with = "display")]
    time: SimTime,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> ExchangeRecord<'a> {
    /// The record of `ex`.
    pub fn of(ex: &'a Exchange) -> Self {
        let d = &ex.diagnosis;
        ExchangeRecord {
            at: ex.at.as_millis(),
            body: &ex.response.body,
            diagnosis: DiagnosisRecord {
                confidence: d.confidence.tag(),
                doc_note: d.doc_note.as_deref(),
                setting: d.setting.as_deref(),
                spec: &d.spec,
                why: &d.why,
            },
            events: ex.events.iter().map(EventRecord::of).collect(),
            headers: &ex.response.headers,
            operation: ex.operation.as_deref(),
            provider: ex.provider,
            request: RequestRecord {
                body: &ex.request.body,
                headers: &ex.request.headers,
                method: &ex.request.method,
                target: &ex.request.target,
            },
            seq: ex.seq,
            server: ex.server.as_deref(),
            status: ex.response.status,
            time: ex.at,
            kind: "exchange",
        }
    }
}

/// The request of an [`ExchangeRecord`].
#[derive(Clone, Debug, Serialize)]
struct RequestRecord<'a> {
    body: &'a str,
    headers: &'a [(String, String)],
    method: &'a str,
    target: &'a str,
}

/// The diagnosis of an [`ExchangeRecord`]; `confidence` is the spec's one-letter tag.
#[derive(Clone, Debug, Serialize)]
struct DiagnosisRecord<'a> {
    confidence: &'static str,
    doc_note: Option<&'a str>,
    setting: Option<&'a str>,
    spec: &'a str,
    why: &'a str,
}

/// A state change as [`render_jsonl`] writes it: `{"at", "cause", "from", "provider", "server", "time",
/// "to", "type": "event"}` (alphabetical, as [`ExchangeRecord`]).
#[derive(Clone, Debug, Serialize)]
pub struct EventRecord<'a> {
    at: u64,
    cause: &'a str,
    from: &'a str,
    provider: Provider,
    server: &'a str,
    #[serde(serialize_with = "display")]
    time: SimTime,
    to: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

impl<'a> EventRecord<'a> {
    /// The record of `event`.
    pub fn of(event: &'a Event) -> Self {
        EventRecord {
            at: event.at.as_millis(),
            cause: &event.cause,
            from: &event.from,
            provider: event.provider,
            server: &event.server,
            time: event.at,
            to: &event.to,
            kind: "event",
        }
    }
}

fn display<S: Serializer>(time: &SimTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(time)
}

/// [`ExchangeRecord`] as a JSON value.
pub fn exchange_json(ex: &Exchange) -> Value {
    serde_json::to_value(ExchangeRecord::of(ex)).unwrap_or_default()
}

/// [`EventRecord`] as a JSON value.
pub fn event_json(event: &Event) -> Value {
    serde_json::to_value(EventRecord::of(event)).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------------------
// Replaying .http files
// ---------------------------------------------------------------------------------------------------------

/// A problem found while replaying, at a 1-based line of the `.http` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Line of the check, directive or request.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Everything a replay produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Replay {
    /// The transcript.
    pub entries: Vec<Entry>,
    /// Directives that could not be carried out (bad duration, unknown name, scenario directive after the
    /// first request). The replay stops at the first one.
    pub errors: Vec<Failure>,
    /// Checks that did not hold (only collected when checks are evaluated).
    pub failures: Vec<Failure>,
    /// How many checks were evaluated.
    pub checks: usize,
}

/// Replays the steps of a `.http` file against `sim` and returns the transcript. Check lines are not
/// evaluated, except `capture`, which later requests may depend on; directives that cannot be carried out
/// stop the replay (use [`replay`] to see why).
pub fn run_http_file(sim: &mut Sim, steps: &[Step]) -> Vec<Entry> {
    replay(sim, steps, false).entries
}

/// Replays the steps of a `.http` file against `sim`; with `evaluate_checks`, also evaluates every `> check`
/// and `# @expect` line and reports those that fail.
pub fn replay(sim: &mut Sim, steps: &[Step], evaluate_checks: bool) -> Replay {
    let mut out = Replay::default();
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut last_events: Vec<Event> = Vec::new();
    let mut started = false;
    for step in steps {
        match step {
            Step::Directive { line, name, arg } => {
                let fail = |message: String| Failure { line: *line, message };
                match name.as_str() {
                    "scenario" | "set" | "seed" if started => {
                        out.errors.push(fail(format!("@{name} must come before the first request")));
                        return out;
                    }
                    "scenario" | "set" | "seed" | "name" | "note" => {}
                    "advance" | "advance-to" => {
                        let Some(ms) = parse_duration_ms(arg) else {
                            out.errors.push(fail(format!(
                                "bad duration {arg:?} for @{name} (use ms, s, m, h, e.g. 90s or 1m30s)"
                            )));
                            return out;
                        };
                        last_events =
                            if name == "advance" { sim.advance_by(ms) } else { sim.advance_to(SimTime(ms)) };
                        out.entries.extend(last_events.iter().cloned().map(Entry::Event));
                    }
                    "step" => {
                        last_events = sim.step();
                        out.entries.extend(last_events.iter().cloned().map(Entry::Event));
                    }
                    "expect" => {
                        if evaluate_checks {
                            out.checks += 1;
                            let text = substitute_text(arg, &vars);
                            if let Err(message) = check(&text, None, &last_events, sim, &mut vars) {
                                out.failures.push(Failure { line: *line, message });
                            }
                        }
                    }
                    other => {
                        out.errors.push(fail(format!(
                            "unknown directive @{other} (known: advance, advance-to, step, expect, scenario, set, \
                             seed, name, note)"
                        )));
                        return out;
                    }
                }
            }
            Step::Request(item) => {
                started = true;
                let request = substitute(&item.request, &vars);
                let exchange = sim.handle(request);
                last_events = exchange.events.clone();
                for (line, text) in &item.checks {
                    let is_capture = text.split_whitespace().next() == Some("capture");
                    if !evaluate_checks && !is_capture {
                        continue;
                    }
                    out.checks += 1;
                    let text = substitute_text(text, &vars);
                    if let Err(message) = check(&text, Some(&exchange), &last_events, sim, &mut vars) {
                        out.failures.push(Failure { line: *line, message });
                    }
                }
                out.entries.push(Entry::Exchange(exchange));
            }
        }
    }
    out
}

/// Replaces `{{name}}` in a check line with captured values, so checks can compare against them.
fn substitute_text(text: &str, vars: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// Builds the scenario a `.http` file asks for: starts from `base`, then applies the file's `@scenario`
/// (`builtin`, `empty` or a path handed to `load`, which returns the file's text), `@set a.b = JSON` and
/// `@seed N` directives in order, up to the first request. With `keep_base`, `@scenario` lines are skipped
/// (the caller chose the scenario, e.g. `fleetplay replay --scenario`).
pub fn scenario_from_directives(
    base: Scenario,
    steps: &[Step],
    keep_base: bool,
    load: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<Scenario, Failure> {
    let mut value = scenario_value(&base);
    let mut touched = false;
    for step in steps {
        let Step::Directive { line, name, arg } = step else { break };
        let fail = |message: String| Failure { line: *line, message };
        match name.as_str() {
            "scenario" if keep_base => {}
            "scenario" => {
                let scenario = match arg.as_str() {
                    "builtin" => Scenario::builtin(),
                    "empty" => Scenario::default(),
                    path => {
                        let text = load(path).map_err(&fail)?;
                        Scenario::from_json(&text).map_err(|e| fail(format!("scenario {path}: {e}")))?
                    }
                };
                value = scenario_value(&scenario);
                touched = true;
            }
            "seed" => {
                let seed: u64 = arg.trim().parse().map_err(|_| fail(format!("bad seed {arg:?}")))?;
                if let Some(members) = value.as_object_mut() {
                    members.insert("seed".to_string(), Value::from(seed));
                }
                touched = true;
            }
            "set" => {
                set_path(&mut value, arg).map_err(fail)?;
                touched = true;
            }
            _ => {}
        }
    }
    if !touched {
        return Ok(base);
    }
    let first_line = steps
        .iter()
        .find_map(|s| match s {
            Step::Directive { line, name, .. } if matches!(name.as_str(), "scenario" | "set" | "seed") => {
                Some(*line)
            }
            _ => None,
        })
        .unwrap_or(1);
    Scenario::from_json_value(&value).and_then(|s| s.validate().map(|()| s)).map_err(|e| Failure {
        line: first_line,
        message: format!("the scenario after @scenario/@set/@seed is invalid: {e}"),
    })
}

/// The scenario as a value, by way of its text (as lessons build theirs: one serializer fewer).
fn scenario_value(scenario: &Scenario) -> Value {
    serde_json::from_str(&scenario.to_json_pretty()).unwrap_or_default()
}

/// `a.b.c = JSON`: sets one member of the scenario's JSON (array members by index).
fn set_path(value: &mut Value, arg: &str) -> Result<(), String> {
    let (path, json) = arg.split_once('=').ok_or("expected `@set a.b.c = JSON`")?;
    let new: Value =
        serde_json::from_str::<Value>(json.trim()).map_err(|e| format!("bad JSON value in @set: {e}"))?;
    let mut slot = value;
    for part in path.trim().split('.') {
        slot = match slot {
            Value::Object(map) => map.entry(part.to_string()).or_insert(Value::Null),
            Value::Array(items) => {
                let index: usize = part.parse().map_err(|_| format!("{part:?} is not an index"))?;
                items.get_mut(index).ok_or(format!("index {index} is out of range"))?
            }
            _ => return Err(format!("cannot set {part:?}: its parent is not an object")),
        };
    }
    *slot = new;
    Ok(())
}

/// Evaluates one check of the story language (`status 409`, `json /__type = "…"`, `state nova ID = SHUTOFF`,
/// …; see `crates/sim/tests/stories/README.md`). `exchange` is `None` for `# @expect` lines; `events` are the
/// state changes of the last request, advance or step; `capture` stores into `vars`.
pub fn check(
    text: &str,
    exchange: Option<&Exchange>,
    events: &[Event],
    sim: &Sim,
    vars: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let (word, rest) = text.trim().split_once(char::is_whitespace).unwrap_or((text.trim(), ""));
    let rest = rest.trim();
    let need = || exchange.ok_or(format!("`{word}` checks need a request; write them as `> {word} …`"));
    match word {
        "status" => {
            let want: u16 = rest.parse().map_err(|_| format!("bad status {rest:?}"))?;
            let got = need()?.response.status;
            if got == want {
                Ok(())
            } else {
                Err(format!("status: expected {want}, got {got}"))
            }
        }
        "header" => {
            let ex = need()?;
            let (name, cond) = rest.split_once(char::is_whitespace).unwrap_or((rest, "exists"));
            compare_text(ex.response.header(name), cond.trim(), &format!("header {name}"))
        }
        "body" => compare_text(Some(&need()?.response.body), rest, "body"),
        "json" => {
            let ex = need()?;
            let (pointer, cond) = rest.split_once(char::is_whitespace).unwrap_or((rest, "exists"));
            let body: Value = serde_json::from_str::<Value>(&ex.response.body)
                .map_err(|e| format!("json {pointer}: the body is not JSON ({e})"))?;
            compare_json(body.pointer(pointer), cond.trim(), pointer)
        }
        "state" => {
            let parts: Vec<&str> = rest.splitn(3, char::is_whitespace).collect();
            let [slug, id, cond] = parts.as_slice() else {
                return Err("expected `state PROVIDER ID = STATE`".into());
            };
            let provider = crate::fleet::Provider::from_slug(slug)
                .ok_or(format!("unknown provider {slug:?} (transfer, lightsail, nova)"))?;
            let want = cond.trim().strip_prefix('=').ok_or("expected `= STATE`")?.trim();
            let view = sim.server(provider, id).ok_or(format!("there is no {slug} server {id}"))?;
            if view.state == want {
                Ok(())
            } else {
                Err(format!("state of {id}: expected {want:?}, got {:?}", view.state))
            }
        }
        "event" => {
            let (id, change) =
                rest.split_once(char::is_whitespace).ok_or("expected `event ID FROM -> TO`")?;
            let (from, to) = change.split_once("->").ok_or("expected `FROM -> TO`")?;
            let (from, to) = (from.trim(), to.trim());
            if events.iter().any(|e| e.server == id && e.from == from && e.to == to) {
                Ok(())
            } else {
                let seen: Vec<String> =
                    events.iter().map(|e| format!("{} {} -> {}", e.server, e.from, e.to)).collect();
                Err(format!("expected event {id} {from} -> {to}; events were {seen:?}"))
            }
        }
        "no-events" => match events.first() {
            None => Ok(()),
            Some(e) => Err(format!(
                "expected no events, got {} (first: {} {} -> {})",
                events.len(),
                e.server,
                e.from,
                e.to
            )),
        },
        "operation" => {
            let want = rest.strip_prefix('=').ok_or("expected `operation = NAME`")?.trim();
            let got = need()?.operation.as_deref().unwrap_or("(none)");
            if got == want {
                Ok(())
            } else {
                Err(format!("operation: expected {want:?}, got {got:?}"))
            }
        }
        "diagnosis" => {
            let part = rest.strip_prefix('~').ok_or("expected `diagnosis ~ text`")?.trim();
            let d = &need()?.diagnosis;
            let all = format!(
                "{} {} {}",
                d.why,
                d.doc_note.as_deref().unwrap_or(""),
                d.setting.as_deref().unwrap_or("")
            );
            if all.contains(part) {
                Ok(())
            } else {
                Err(format!("diagnosis does not mention {part:?}: {:?}", d.why))
            }
        }
        "capture" => {
            let ex = need()?;
            let (name, pointer) = rest.split_once('=').ok_or("expected `capture NAME = /pointer`")?;
            let body: Value = serde_json::from_str::<Value>(&ex.response.body)
                .map_err(|e| format!("capture: the body is not JSON ({e})"))?;
            match body.pointer(pointer.trim()) {
                Some(Value::String(s)) => {
                    vars.push((name.trim().to_string(), s.clone()));
                    Ok(())
                }
                other => Err(format!("capture {}: expected a string, got {}", pointer.trim(), show(other))),
            }
        }
        other => Err(format!("unknown check {other:?}")),
    }
}

fn show(v: Option<&Value>) -> String {
    v.map_or("nothing".to_string(), Value::to_string)
}

fn compare_json(actual: Option<&Value>, cond: &str, pointer: &str) -> Result<(), String> {
    if let Some(want) = cond.strip_prefix('=') {
        let want: Value =
            serde_json::from_str::<Value>(want.trim()).map_err(|e| format!("bad JSON in check: {e}"))?;
        match actual {
            Some(v) if *v == want => Ok(()),
            other => Err(format!("json {pointer}: expected {want}, got {}", show(other))),
        }
    } else if let Some(part) = cond.strip_prefix('~') {
        match actual {
            Some(Value::String(s)) if s.contains(part.trim()) => Ok(()),
            other => Err(format!(
                "json {pointer}: expected a string containing {:?}, got {}",
                part.trim(),
                show(other)
            )),
        }
    } else if cond == "exists" {
        actual.map(|_| ()).ok_or(format!("json {pointer}: missing"))
    } else if cond == "absent" {
        match actual {
            None => Ok(()),
            Some(v) => Err(format!("json {pointer}: expected absent, got {v}")),
        }
    } else {
        Err(format!("unknown json condition {cond:?}"))
    }
}

/// `= exact` (nothing after `=` means empty), `~ part`, `exists`, `absent`.
fn compare_text(actual: Option<&str>, cond: &str, what: &str) -> Result<(), String> {
    if let Some(want) = cond.strip_prefix('=') {
        let want = want.trim();
        match actual {
            Some(a) if a == want => Ok(()),
            other => Err(format!("{what}: expected {want:?}, got {other:?}")),
        }
    } else if let Some(part) = cond.strip_prefix('~') {
        match actual {
            Some(a) if a.contains(part.trim()) => Ok(()),
            other => Err(format!("{what}: expected to contain {:?}, got {other:?}", part.trim())),
        }
    } else if cond == "exists" {
        actual.map(|_| ()).ok_or(format!("{what}: missing"))
    } else if cond == "absent" {
        match actual {
            None => Ok(()),
            Some(a) => Err(format!("{what}: expected absent, got {a:?}")),
        }
    } else {
        Err(format!("unknown condition {cond:?} for {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::{Confidence, Diagnosis};
    use crate::fleet::Provider;
    use crate::wire::{WireRequest, WireResponse};

    fn sample() -> Vec<Entry> {
        let event = |at: u64, from: &str, to: &str, cause: &str| Event {
            at: SimTime(at),
            provider: Provider::Transfer,
            server: "s-0123456789abcdef0".into(),
            from: from.into(),
            to: to.into(),
            cause: cause.into(),
        };
        vec![
            Entry::Exchange(Exchange {
                seq: 1,
                at: SimTime(0),
                provider: Some(Provider::Transfer),
                operation: Some("StopServer".into()),
                server: Some("s-0123456789abcdef0".into()),
                request: WireRequest::new("POST", "/")
                    .with_header("X-Amz-Target", "TransferService.StopServer")
                    .with_body("{\"ServerId\":\"s-0123456789abcdef0\"}"),
                response: WireResponse::new(200).with_header("Content-Length", "0"),
                events: vec![event(0, "ONLINE", "STOPPING", "StopServer")],
                diagnosis: Diagnosis::new("why", "§1.2", Confidence::Primary),
            }),
            Entry::Event(event(90_000, "STOPPING", "OFFLINE", "completed")),
        ]
    }

    #[test]
    fn text_has_headings_messages_and_event_lines() {
        let text = render_text(&sample());
        let want =
            "### #1 T+00:00:00 StopServer\nPOST / HTTP/1.1\nX-Amz-Target: TransferService.StopServer\n\n\
                    {\"ServerId\":\"s-0123456789abcdef0\"}\n\nHTTP/1.1 200 OK\nContent-Length: 0\n\n\
                    # T+00:00:00 transfer s-0123456789abcdef0 ONLINE -> STOPPING (StopServer)\n\n\
                    # T+00:01:30 transfer s-0123456789abcdef0 STOPPING -> OFFLINE (completed)\n";
        assert_eq!(text, want);
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let text = render_jsonl(&sample());
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).collect();
        // Members in alphabetical order, as the JSON lines have always been written.
        assert_eq!(
            text,
            "{\"at\":0,\"body\":\"\",\"diagnosis\":{\"confidence\":\"P\",\"doc_note\":null,\"setting\":null,\
             \"spec\":\"§1.2\",\"why\":\"why\"},\"events\":[{\"at\":0,\"cause\":\"StopServer\",\"from\":\"ONLINE\",\
             \"provider\":\"transfer\",\"server\":\"s-0123456789abcdef0\",\"time\":\"T+00:00:00\",\"to\":\"STOPPING\",\
             \"type\":\"event\"}],\"headers\":[[\"Content-Length\",\"0\"]],\"operation\":\"StopServer\",\
             \"provider\":\"transfer\",\"request\":{\"body\":\"{\\\"ServerId\\\":\\\"s-0123456789abcdef0\\\"}\",\
             \"headers\":[[\"X-Amz-Target\",\"TransferService.StopServer\"]],\"method\":\"POST\",\"target\":\"/\"},\
             \"seq\":1,\"server\":\"s-0123456789abcdef0\",\"status\":200,\"time\":\"T+00:00:00\",\"type\":\"exchange\"}\n\
             {\"at\":90000,\"cause\":\"completed\",\"from\":\"STOPPING\",\"provider\":\"transfer\",\
             \"server\":\"s-0123456789abcdef0\",\"time\":\"T+00:01:30\",\"to\":\"OFFLINE\",\"type\":\"event\"}\n"
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["type"], "exchange");
        assert_eq!(lines[0]["status"], 200);
        assert_eq!(lines[0]["events"][0]["to"], "STOPPING");
        assert_eq!(lines[1]["type"], "event");
        assert_eq!(lines[1]["at"], 90_000);
    }

    /// `exchange_json`, the serve control API and exported lesson progress are `serde_json::Value` objects,
    /// whose members serde_json keeps sorted by name unless its `preserve_order` feature is on: a crate
    /// anywhere in the build that turned it on would reorder what users read.
    #[test]
    fn json_values_keep_their_members_sorted() {
        let value = serde_json::json!({"type": "event", "at": 1, "cause": "x"});
        assert_eq!(value.to_string(), r#"{"at":1,"cause":"x","type":"event"}"#);
    }

    #[test]
    fn scenario_directives_apply_in_order() {
        let file = crate::http::parse_http_file(
            "# t\n# @scenario empty\n# @seed 42\n# @set settings.status_profile = \"service-model\"\n###\nGET /x\n",
        )
        .unwrap();
        let s = scenario_from_directives(Scenario::builtin(), &file.steps, false, &mut |_| Err("no".into()))
            .unwrap();
        assert_eq!(s.seed, 42);
        assert!(s.fleet.transfer.is_empty());
        assert_eq!(s.settings.status_profile, crate::scenario::StatusProfile::ServiceModel);
        let bad = crate::http::parse_http_file("# @set settings.nope = 1\nGET /x\n").unwrap();
        let err = scenario_from_directives(Scenario::builtin(), &bad.steps, false, &mut |_| Err("no".into()))
            .unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn replay_reports_bad_directives_and_failed_checks() {
        let file = crate::http::parse_http_file(
            "GET /favicon.ico HTTP/1.1\n\n> status 200\n> status 404\n\n# @advance 1m\n# @advance soon\n",
        )
        .unwrap();
        let mut sim = Sim::new(Scenario::default()).unwrap();
        let run = replay(&mut sim, &file.steps, true);
        assert_eq!(run.entries.len(), 1);
        assert_eq!(run.checks, 2);
        assert_eq!(run.failures, vec![Failure { line: 3, message: "status: expected 200, got 404".into() }]);
        assert_eq!(run.errors.len(), 1);
        assert_eq!(run.errors[0].line, 7);
        assert_eq!(sim.now(), SimTime(60_000));
    }
}

#[cfg(test)]
mod markdown_tests {
    use super::*;
    use crate::http::parse_http_file;

    #[test]
    fn markdown_has_fenced_request_response_and_events() {
        let file = parse_http_file(
            "###\nPOST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: TransferService.StopServer\n\n{\"ServerId\":\"s-0123456789abcdef0\"}\n# @advance 10m\n",
        )
        .unwrap();
        let mut sim = Sim::builtin(1);
        let md = render_markdown(&run_http_file(&mut sim, &file.steps));
        assert!(md.contains("### StopServer (AWS Transfer Family, `T+00:00:00`)"), "{md}");
        assert!(md.contains("```http\nPOST / HTTP/1.1\n"), "{md}");
        assert!(md.contains("\"ServerId\": \"s-0123456789abcdef0\""), "{md}");
        assert!(md.contains("```http\nHTTP/1.1 200 OK\n"), "{md}");
        assert!(md.contains("ONLINE → STOPPING"), "{md}");
        assert!(md.contains("STOPPING → OFFLINE"), "{md}");
    }

    #[test]
    fn fences_outgrow_backticks_in_bodies() {
        assert!(fenced("http", "a ``` b").starts_with("````http\n"));
        assert!(fenced("http", "plain").starts_with("```http\n"));
    }
}
