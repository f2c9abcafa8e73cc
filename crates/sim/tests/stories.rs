//! Data-driven story tests: every `tests/stories/*.http` file is replayed against a fresh `Sim` and the
//! `> check` lines after each request, and `# @expect` lines between requests, are verified.
//!
//! The format is described in `tests/stories/README.md`. Set `STORY=part` to run only matching files.
//! A final check makes sure every test vector of the spec (T1–T23, L1–L24, N1–N29) is named by some story.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use sim::http::{parse_http_file, substitute, Step};
use sim::{Event, Exchange, Provider, Scenario, Sim, SimTime};
use std::path::{Path, PathBuf};

fn story_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/stories")
}

fn story_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(story_dir())
        .expect("tests/stories exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "http"))
        .collect();
    files.sort();
    files
}

/// Runs one story; returns its failures as `file:line: message`.
fn run_story(path: &Path) -> Vec<String> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return vec![format!("{name}: cannot read: {e}")],
    };
    let file = match parse_http_file(&text) {
        Ok(f) => f,
        Err(e) => return vec![format!("{name}:{}: {}", e.line, e.message)],
    };
    let mut failures = Vec::new();
    let mut fail = |line: usize, msg: String| failures.push(format!("{name}:{line}: {msg}"));

    // Scenario directives come before the first request.
    let mut scenario = Value::Null;
    let mut started: Option<Sim> = None;
    let mut vars: Vec<(String, String)> = Vec::new();
    let mut last_events: Vec<Event> = Vec::new();
    let mut requests = 0;
    let mut checks = 0;

    for step in &file.steps {
        match step {
            Step::Directive { line, name: d, arg }
                if started.is_none() && matches!(d.as_str(), "scenario" | "set" | "seed") =>
            {
                if scenario.is_null() {
                    scenario = to_value(&Scenario::builtin());
                }
                if let Err(msg) = apply_scenario_directive(&mut scenario, d, arg) {
                    fail(*line, msg);
                    return failures;
                }
            }
            Step::Directive { line, name: d, .. } if matches!(d.as_str(), "scenario" | "set" | "seed") => {
                fail(*line, format!("@{d} must come before the first request"));
            }
            Step::Directive { line, name: d, arg } => {
                let sim = match ensure_sim(&mut started, &scenario) {
                    Ok(sim) => sim,
                    Err(msg) => {
                        fail(*line, msg);
                        return failures;
                    }
                };
                match d.as_str() {
                    "advance" => match sim::time::parse_duration_ms(arg) {
                        Some(ms) => last_events = sim.advance_by(ms),
                        None => fail(*line, format!("bad duration {arg:?}")),
                    },
                    "advance-to" => match sim::time::parse_duration_ms(arg) {
                        Some(ms) => last_events = sim.advance_to(SimTime(ms)),
                        None => fail(*line, format!("bad duration {arg:?}")),
                    },
                    "step" => last_events = sim.step(),
                    "expect" => {
                        checks += 1;
                        let arg = substitute_text(arg, &vars);
                        if let Err(msg) = check(&arg, None, &last_events, sim, &mut vars) {
                            fail(*line, msg);
                        }
                    }
                    "name" | "note" => {}
                    other => fail(*line, format!("unknown directive @{other}")),
                }
            }
            Step::Request(item) => {
                requests += 1;
                let sim = match ensure_sim(&mut started, &scenario) {
                    Ok(sim) => sim,
                    Err(msg) => {
                        fail(item.line, msg);
                        return failures;
                    }
                };
                let request = substitute(&item.request, &vars);
                let exchange = sim.handle(request);
                last_events = exchange.events.clone();
                for (line, text) in &item.checks {
                    checks += 1;
                    let text = substitute_text(text, &vars);
                    if let Err(msg) = check(&text, Some(&exchange), &last_events, sim, &mut vars) {
                        fail(
                            *line,
                            format!(
                                "{msg}\n    response was:\n{}",
                                indent(&sim::http::render_response(&exchange.response))
                            ),
                        );
                    }
                }
            }
        }
    }
    if requests == 0 || checks == 0 {
        fail(1, format!("a story needs at least one request and one check (found {requests} and {checks})"));
    }
    failures
}

/// Replaces `{{name}}` in a check line with captured values.
fn substitute_text(text: &str, vars: &[(String, String)]) -> String {
    vars.iter().fold(text.to_string(), |acc, (name, value)| acc.replace(&format!("{{{{{name}}}}}"), value))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("      {l}")).collect::<Vec<_>>().join("\n")
}

fn to_value(scenario: &Scenario) -> Value {
    serde_json::to_value(scenario).unwrap_or(Value::Null)
}

fn apply_scenario_directive(scenario: &mut Value, name: &str, arg: &str) -> Result<(), String> {
    match name {
        "scenario" => {
            *scenario = match arg {
                "builtin" => to_value(&Scenario::builtin()),
                "empty" => to_value(&Scenario::default()),
                path => {
                    let text = std::fs::read_to_string(story_dir().join(path))
                        .map_err(|e| format!("cannot read scenario {path}: {e}"))?;
                    let parsed = Scenario::from_json(&text).map_err(|e| format!("scenario {path}: {e}"))?;
                    to_value(&parsed)
                }
            };
            Ok(())
        }
        "seed" => {
            let seed: u64 = arg.parse().map_err(|_| format!("bad seed {arg:?}"))?;
            scenario["seed"] = Value::from(seed);
            Ok(())
        }
        _ => {
            let (path, value) = arg.split_once('=').ok_or("expected `@set a.b.c = JSON`")?;
            let value: Value =
                serde_json::from_str(value.trim()).map_err(|e| format!("bad JSON value in @set: {e}"))?;
            let mut slot = &mut *scenario;
            for part in path.trim().split('.') {
                slot = match slot {
                    Value::Object(map) => map.entry(part.to_string()).or_insert(Value::Null),
                    Value::Array(items) => {
                        let index: usize = part.parse().map_err(|_| format!("{part:?} is not an index"))?;
                        items.get_mut(index).ok_or(format!("index {index} out of range"))?
                    }
                    _ => return Err(format!("cannot descend into {part:?}")),
                };
            }
            *slot = value;
            Ok(())
        }
    }
}

fn ensure_sim<'a>(started: &'a mut Option<Sim>, scenario: &Value) -> Result<&'a mut Sim, String> {
    if started.is_none() {
        let scenario = if scenario.is_null() {
            Scenario::builtin()
        } else {
            Scenario::from_json(&scenario.to_string()).map_err(|e| format!("scenario after @set: {e}"))?
        };
        *started = Some(Sim::new(scenario).map_err(|e| format!("scenario: {e}"))?);
    }
    started.as_mut().ok_or_else(|| "no simulation".to_string())
}

fn provider(slug: &str) -> Result<Provider, String> {
    Provider::from_slug(slug).ok_or(format!("unknown provider {slug:?} (transfer, lightsail, nova)"))
}

/// Evaluates one check. `exchange` is `None` for `# @expect` checks.
fn check(
    text: &str,
    exchange: Option<&Exchange>,
    events: &[Event],
    sim: &Sim,
    vars: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let (word, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let rest = rest.trim();
    let need = || exchange.ok_or(format!("`{word}` checks need a request; use them as `> {word} …`"));
    match word {
        "status" => {
            let ex = need()?;
            let want: u16 = rest.parse().map_err(|_| format!("bad status {rest:?}"))?;
            expect_eq(ex.response.status, want, "status")
        }
        "header" => {
            let ex = need()?;
            let (name, cond) = rest.split_once(char::is_whitespace).unwrap_or((rest, "exists"));
            let actual = ex.response.header(name);
            compare_text(actual, cond.trim(), &format!("header {name}"))
        }
        "body" => {
            let ex = need()?;
            compare_text(Some(&ex.response.body), rest, "body")
        }
        "json" => {
            let ex = need()?;
            let (pointer, cond) = rest.split_once(char::is_whitespace).unwrap_or((rest, "exists"));
            let body: Value = serde_json::from_str(&ex.response.body)
                .map_err(|e| format!("body is not JSON ({e}): {:?}", ex.response.body))?;
            let actual = body.pointer(pointer);
            let cond = cond.trim();
            if let Some(want) = cond.strip_prefix('=') {
                let want: Value =
                    serde_json::from_str(want.trim()).map_err(|e| format!("bad JSON in check: {e}"))?;
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
        "state" => {
            // state PROVIDER ID = STATE
            let parts: Vec<&str> = rest.splitn(3, char::is_whitespace).collect();
            let [slug, id, cond] = parts.as_slice() else {
                return Err("expected `state PROVIDER ID = STATE`".into());
            };
            let want = cond.trim().strip_prefix('=').ok_or("expected `= STATE`")?.trim();
            let view = sim.server(provider(slug)?, id).ok_or(format!("no {slug} server {id}"))?;
            expect_eq(view.state.as_str(), want, &format!("state of {id}"))
        }
        "event" => {
            // event ID FROM -> TO
            let (id, change) =
                rest.split_once(char::is_whitespace).ok_or("expected `event ID FROM -> TO`")?;
            let (from, to) = change.split_once("->").ok_or("expected `FROM -> TO`")?;
            let (from, to) = (from.trim(), to.trim());
            if events.iter().any(|e| e.server == id && e.from == from && e.to == to) {
                Ok(())
            } else {
                Err(format!(
                    "expected event {id} {from} -> {to}; events were: {:?}",
                    events.iter().map(|e| format!("{} {} -> {}", e.server, e.from, e.to)).collect::<Vec<_>>()
                ))
            }
        }
        "no-events" => {
            if events.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "expected no events, got {} ({} {} -> {})",
                    events.len(),
                    events[0].server,
                    events[0].from,
                    events[0].to
                ))
            }
        }
        "operation" => {
            let ex = need()?;
            let want = rest.strip_prefix('=').ok_or("expected `operation = NAME`")?.trim();
            expect_eq(ex.operation.as_deref().unwrap_or("(none)"), want, "operation")
        }
        "diagnosis" => {
            let ex = need()?;
            let part = rest.strip_prefix('~').ok_or("expected `diagnosis ~ text`")?.trim();
            let d = &ex.diagnosis;
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
            let body: Value =
                serde_json::from_str(&ex.response.body).map_err(|e| format!("body is not JSON: {e}"))?;
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

fn expect_eq<T: PartialEq + std::fmt::Debug>(actual: T, want: T, what: &str) -> Result<(), String> {
    if actual == want {
        Ok(())
    } else {
        Err(format!("{what}: expected {want:?}, got {actual:?}"))
    }
}

/// `= exact` (empty after `=` means empty), `~ part`, `exists`, `absent`.
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

#[test]
fn every_story_passes() {
    let filter = std::env::var("STORY").unwrap_or_default();
    let files: Vec<PathBuf> =
        story_files().into_iter().filter(|p| p.to_string_lossy().contains(&filter)).collect();
    assert!(!files.is_empty(), "no story files matched {filter:?} in {}", story_dir().display());
    let mut failures = Vec::new();
    for file in &files {
        failures.extend(run_story(file));
    }
    println!("{} stories, {} failures", files.len(), failures.len());
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Every test vector the spec lists must be named (e.g. `T3`, `L21`, `N28`) in some story's text.
#[test]
fn every_spec_vector_has_a_story() {
    let all: String = story_files().iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    let mentioned = |id: &str| {
        all.match_indices(id).any(|(pos, _)| {
            let before = all[..pos].chars().last().unwrap_or(' ');
            let after = all[pos + id.len()..].chars().next().unwrap_or(' ');
            !before.is_ascii_alphanumeric() && !after.is_ascii_digit()
        })
    };
    let vectors = (1..=23)
        .map(|n| format!("T{n}"))
        .chain((1..=24).map(|n| format!("L{n}")))
        .chain((1..=29).map(|n| format!("N{n}")));
    let missing: Vec<String> = vectors.filter(|id| !mentioned(id)).collect();
    assert!(missing.is_empty(), "spec test vectors without a story: {missing:?}");
}

#[test]
fn the_checker_rejects_wrong_expectations() {
    // A story harness that cannot fail proves nothing: run a story whose checks are all wrong.
    let dir = std::env::temp_dir().join(format!("fleetplay-story-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("wrong.http");
    let text = "# wrong on purpose\n###\nGET /nowhere HTTP/1.1\n\n> status 200\n> header Content-Type = application/json\n> body ~ hello\n> no-events\n";
    std::fs::write(&path, text).expect("write story");
    let failures = run_story(&path);
    assert_eq!(failures.len(), 3, "{failures:#?}");
    assert!(failures[0].contains("wrong.http:5: status: expected 200, got 404"), "{}", failures[0]);
}
