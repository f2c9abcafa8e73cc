//! The control API of `fleetplay serve`, under `/_fleetplay/`: move simulated time, reset, load a scenario,
//! and read the state and the transcript. Every answer is JSON (the transcript also as text); mistakes get a
//! 4xx with `{"error": "…"}` that says what to send instead.

use crate::serve::Server;
use sim::json::{object, ToJson, Value};
use sim::time::parse_duration_ms;
use sim::transcript::{event_json, render_jsonl, render_text};
use sim::{Event, Scenario, SimTime, WireRequest, WireResponse};

/// A JSON response (pretty, with a final newline).
pub fn json_response(status: u16, value: &Value) -> WireResponse {
    let mut body = sim::json::to_string_pretty(value);
    body.push('\n');
    WireResponse::new(status).with_header("Content-Type", "application/json").with_body(body)
}

fn error(status: u16, message: impl Into<String>) -> WireResponse {
    json_response(status, &object([("error", Value::from(message.into()))]))
}

fn text_response(content_type: &str, body: String) -> WireResponse {
    WireResponse::new(200).with_header("Content-Type", content_type).with_body(body)
}

/// `?a=1&b=2` → pairs, percent-decoded.
fn query(target: &str) -> Vec<(String, String)> {
    let Some((_, q)) = target.split_once('?') else { return Vec::new() };
    let q = q.split('#').next().unwrap_or("");
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn param(req: &WireRequest, name: &str) -> Option<String> {
    let from_query = query(&req.target).into_iter().find(|(k, _)| k == name).map(|(_, v)| v);
    from_query.or_else(|| {
        let body = sim::json::from_str(&req.body).ok()?;
        match body.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    })
}

/// After the control API moved simulated time: records the fired events, re-anchors the wall clock, and
/// answers the new time with the events.
fn moved(server: &mut Server, events: Vec<Event>) -> WireResponse {
    server.transcript.extend(events.iter().cloned().map(sim::transcript::Entry::Event));
    server.reanchor();
    json_response(200, &time_json(server, &events))
}

/// The simulated clock's members, shared by every control answer that reports time, then `extra`.
fn with_clock(server: &Server, extra: Value) -> Value {
    let next = server.sim.next_due();
    let mut out = object([
        ("now", server.sim.now().as_millis().into()),
        ("time", server.sim.now().to_string().into()),
        ("next_due", next.map(SimTime::as_millis).into()),
        ("next_due_time", next.map(|t| t.to_string()).into()),
    ]);
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    out
}

fn time_json(server: &Server, events: &[Event]) -> Value {
    with_clock(server, object([("events", Value::Array(events.iter().map(event_json).collect()))]))
}

/// Answers one control request.
pub fn handle(server: &mut Server, req: &WireRequest) -> WireResponse {
    let path = req.path().trim_end_matches('/');
    let method = req.method.as_str();
    let endpoint = path.strip_prefix("/_fleetplay").unwrap_or("").trim_start_matches('/');
    let allowed = |m: &str| -> Option<WireResponse> {
        if method == m || (m == "GET" && method == "HEAD") {
            None
        } else {
            Some(
                error(405, format!("/_fleetplay/{endpoint} answers {m}, not {method}"))
                    .with_header("Allow", m),
            )
        }
    };
    match endpoint {
        "" | "help" => text_response("text/plain; charset=utf-8", crate::serve::HELP.to_string()),
        "advance" => {
            if let Some(r) = allowed("POST") {
                return r;
            }
            let (by, to) = (param(req, "by"), param(req, "to"));
            let ms = param(req, "ms");
            let target = match (by, to, ms) {
                (Some(by), _, _) => match parse_duration_ms(&by) {
                    Some(ms) => server.sim.now().plus_millis(ms),
                    None => return error(400, format!("by={by:?} is not a duration like 90s, 10m, 1m30s or 500ms")),
                },
                (None, Some(to), _) => match parse_duration_ms(&to) {
                    Some(ms) => SimTime(ms),
                    None => return error(400, format!("to={to:?} is not a duration like 10m")),
                },
                (None, None, Some(ms)) => match ms.parse::<u64>() {
                    Ok(ms) => server.sim.now().plus_millis(ms),
                    Err(_) => return error(400, format!("ms={ms:?} is not a whole number of milliseconds")),
                },
                (None, None, None) => {
                    return error(400, "say how far: POST /_fleetplay/advance?by=90s (or body {\"by\": \"90s\"})")
                }
            };
            let events = server.sim.advance_to(target);
            moved(server, events)
        }
        "step" => {
            if let Some(r) = allowed("POST") {
                return r;
            }
            let events = server.sim.step();
            moved(server, events)
        }
        "reset" => {
            if let Some(r) = allowed("POST") {
                return r;
            }
            let mut scenario = server.scenario.clone();
            if let Some(seed) = param(req, "seed") {
                match seed.parse::<u64>() {
                    Ok(s) => scenario.seed = s,
                    Err(_) => return error(400, format!("seed={seed:?} is not a whole number")),
                }
            }
            match server.restart(scenario) {
                Ok(()) => json_response(200, &state_json(server)),
                Err(e) => error(400, format!("the scenario is invalid: {e}")),
            }
        }
        "scenario" => match method {
            "GET" | "HEAD" => json_response(200, &server.scenario.to_json_value()),
            "POST" | "PUT" => match Scenario::from_json(&req.body) {
                Ok(scenario) => match server.restart(scenario) {
                    Ok(()) => json_response(200, &state_json(server)),
                    Err(e) => scenario_error(&e),
                },
                Err(e) => scenario_error(&e),
            },
            _ => error(405, format!("/_fleetplay/scenario answers GET and POST, not {method}")),
        },
        "speed" => {
            if let Some(r) = allowed("POST") {
                return r;
            }
            let Some(value) = param(req, "value") else {
                return error(400, "say how fast: POST /_fleetplay/speed?value=0 (0 freezes time, 1 is real time)");
            };
            match value.parse::<f64>() {
                Ok(speed) if speed.is_finite() && speed >= 0.0 => {
                    server.speed = speed;
                    server.reanchor();
                    json_response(200, &state_json(server))
                }
                _ => error(400, format!("value={value:?} is not a speed ≥ 0")),
            }
        }
        "state" => {
            if let Some(r) = allowed("GET") {
                return r;
            }
            json_response(200, &state_json(server))
        }
        "transcript" => {
            if let Some(r) = allowed("GET") {
                return r;
            }
            match param(req, "format").as_deref().unwrap_or("jsonl") {
                "jsonl" | "json" => text_response("application/x-ndjson", render_jsonl(&server.transcript)),
                "http" | "text" => text_response("text/plain; charset=utf-8", render_text(&server.transcript)),
                other => error(400, format!("format={other:?}: use jsonl or http")),
            }
        }
        other => error(
            404,
            format!("no control endpoint /_fleetplay/{other}: try advance, step, reset, scenario, speed, state, transcript"),
        ),
    }
}

fn scenario_error(e: &sim::ScenarioError) -> WireResponse {
    json_response(
        400,
        &object([
            ("error", format!("invalid scenario: {e}").into()),
            ("place", e.place.clone().into()),
            ("message", e.message.clone().into()),
        ]),
    )
}

fn state_json(server: &Server) -> Value {
    with_clock(
        server,
        object([
            ("seed", server.scenario.seed.into()),
            ("title", server.scenario.title.clone().into()),
            ("speed", server.speed.into()),
            (
                "exchanges",
                server
                    .transcript
                    .iter()
                    .filter(|e| matches!(e, sim::transcript::Entry::Exchange(_)))
                    .count()
                    .into(),
            ),
            ("fleet", server.sim.fleet().to_json_value()),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_decode() {
        assert_eq!(
            query("/x?by=1m%2030s&a+b=c+d&flag"),
            vec![
                ("by".to_string(), "1m 30s".to_string()),
                ("a b".to_string(), "c d".to_string()),
                ("flag".to_string(), String::new()),
            ]
        );
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
