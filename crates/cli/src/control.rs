//! The control API of `fleetplay serve`, under `/_fleetplay/`: move simulated time, reset, load a scenario,
//! send requests given as JSON (what a page uses, since a browser cannot send an arbitrary raw request), and
//! read the state and the transcript. Every answer is JSON (the transcript also as text); mistakes get a 4xx
//! with `{"error": "…"}` that says what to send instead. The transcript and the live stream are streamed by
//! the HTTP layer ([`crate::handler`]) from what this module takes under the lock.

use crate::history::{self, Counts};
use crate::live::Subscription;
use crate::server::Server;
use serde_json::{json, Value};
use sim::live::{SendAnswer, SendRequests, SentExchange};
use sim::time::parse_duration_ms;
use sim::{Event, Scenario, SimTime, WireRequest, WireResponse};

/// Most requests one `POST /_fleetplay/send` may carry (a "Stop all" of the largest fleet the page makes).
pub const MAX_SENT: usize = 10_000;

/// What a control request asks for.
pub enum Reply {
    /// A complete answer.
    Response(WireResponse),
    /// The recent history as a transcript in this format, streamed by the caller.
    Transcript(history::Format),
    /// The live stream, streamed by the caller.
    Live(Box<Subscription>),
}

impl From<WireResponse> for Reply {
    fn from(response: WireResponse) -> Reply {
        Reply::Response(response)
    }
}

/// A JSON response (pretty, with a final newline).
pub fn json_response(status: u16, value: &Value) -> WireResponse {
    let mut body = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    body.push('\n');
    WireResponse::new(status).with_header("Content-Type", "application/json").with_body(body)
}

/// `{"error": message}` with `status`.
pub fn error(status: u16, message: impl Into<String>) -> WireResponse {
    json_response(status, &json!({ "error": message.into() }))
}

fn text_response(content_type: &str, body: String) -> WireResponse {
    WireResponse::new(200).with_header("Content-Type", content_type).with_body(body)
}

/// `?a=1&b=2` → pairs, percent-decoded.
fn query(target: &str) -> Vec<(String, String)> {
    let Some((_, q)) = target.split_once('?') else { return Vec::new() };
    let q = q.split('#').next().unwrap_or("");
    form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn param(req: &WireRequest, name: &str) -> Option<String> {
    let from_query = query(&req.target).into_iter().find(|(k, _)| k == name).map(|(_, v)| v);
    from_query.or_else(|| {
        let body: Value = serde_json::from_str(&req.body).ok()?;
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
    let answer = time_json(server, &events);
    server.record_events(events);
    server.reanchor();
    server.publish_time();
    json_response(200, &answer)
}

/// The simulated clock's members, shared by every control answer that reports time, then `extra`.
fn with_clock(server: &Server, extra: Value) -> Value {
    let next = server.sim.next_due();
    let mut out = json!({
        "now": server.sim.now().as_millis(),
        "time": server.sim.now().to_string(),
        "next_due": next.map(SimTime::as_millis),
        "next_due_time": next.map(|t| t.to_string()),
    });
    if let (Some(out), Value::Object(extra)) = (out.as_object_mut(), extra) {
        out.extend(extra);
    }
    out
}

fn time_json(server: &Server, events: &[Event]) -> Value {
    let events: Vec<Value> = events.iter().map(sim::transcript::event_json).collect();
    with_clock(server, json!({ "events": events }))
}

/// Answers one control request.
pub fn handle(server: &mut Server, req: &WireRequest) -> Reply {
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
        "" | "help" => text_response("text/plain; charset=utf-8", crate::serve::control_help()).into(),
        "advance" => {
            if let Some(r) = allowed("POST") {
                return r.into();
            }
            let (by, to) = (param(req, "by"), param(req, "to"));
            let ms = param(req, "ms");
            let target = match (by, to, ms) {
                (Some(by), _, _) => match parse_duration_ms(&by) {
                    Some(ms) => server.sim.now().plus_millis(ms),
                    None => {
                        return error(400, format!("by={by:?} is not a duration like 90s, 10m, 1m30s or 500ms")).into()
                    }
                },
                (None, Some(to), _) => match parse_duration_ms(&to) {
                    Some(ms) => SimTime(ms),
                    None => return error(400, format!("to={to:?} is not a duration like 10m")).into(),
                },
                (None, None, Some(ms)) => match ms.parse::<u64>() {
                    Ok(ms) => server.sim.now().plus_millis(ms),
                    Err(_) => return error(400, format!("ms={ms:?} is not a whole number of milliseconds")).into(),
                },
                (None, None, None) => {
                    return error(400, "say how far: POST /_fleetplay/advance?by=90s (or body {\"by\": \"90s\"})").into()
                }
            };
            let events = server.sim.advance_to(target);
            moved(server, events).into()
        }
        "step" => {
            if let Some(r) = allowed("POST") {
                return r.into();
            }
            let events = server.sim.step();
            moved(server, events).into()
        }
        "reset" => {
            if let Some(r) = allowed("POST") {
                return r.into();
            }
            let mut scenario = (*server.scenario).clone();
            if let Some(seed) = param(req, "seed") {
                match seed.parse::<u64>() {
                    Ok(s) => scenario.seed = s,
                    Err(_) => return error(400, format!("seed={seed:?} is not a whole number")).into(),
                }
            }
            match server.restart(scenario, "reset") {
                Ok(()) => json_response(200, &state_json(server)),
                Err(e) => error(400, format!("the scenario is invalid: {e}")),
            }
            .into()
        }
        "scenario" => match method {
            // The scenario as `fleetplay scenario` prints it (members in the file format's order).
            "GET" | "HEAD" => {
                let mut body = server.scenario.to_json_pretty();
                body.push('\n');
                WireResponse::new(200).with_header("Content-Type", "application/json").with_body(body)
            }
            "POST" | "PUT" => match Scenario::from_json(&req.body) {
                Ok(scenario) => match server.restart(scenario, "scenario") {
                    Ok(()) => json_response(200, &state_json(server)),
                    Err(e) => scenario_error(&e),
                },
                Err(e) => scenario_error(&e),
            },
            _ => error(405, format!("/_fleetplay/scenario answers GET and POST, not {method}")),
        }
        .into(),
        "speed" => {
            if let Some(r) = allowed("POST") {
                return r.into();
            }
            let Some(value) = param(req, "value") else {
                return error(400, "say how fast: POST /_fleetplay/speed?value=0 (0 freezes time, 1 is real time)")
                    .into();
            };
            match value.parse::<f64>() {
                Ok(speed) if speed.is_finite() && speed >= 0.0 => {
                    server.speed = speed;
                    server.reanchor();
                    server.publish_time();
                    json_response(200, &state_json(server))
                }
                _ => error(400, format!("value={value:?} is not a speed ≥ 0")),
            }
            .into()
        }
        "state" => {
            if let Some(r) = allowed("GET") {
                return r.into();
            }
            json_response(200, &state_json(server)).into()
        }
        "transcript" => {
            if let Some(r) = allowed("GET") {
                return r.into();
            }
            match param(req, "format").as_deref().unwrap_or("jsonl") {
                "jsonl" | "json" => Reply::Transcript(history::Format::Jsonl),
                "http" | "text" => Reply::Transcript(history::Format::Text),
                other => error(400, format!("format={other:?}: use jsonl or http")).into(),
            }
        }
        "live" => {
            if let Some(r) = allowed("GET") {
                return r.into();
            }
            Reply::Live(Box::new(server.subscribe()))
        }
        "send" => {
            if let Some(r) = allowed("POST") {
                return r.into();
            }
            send(server, &req.body).into()
        }
        // Only with the hidden `serve --enable-panic-endpoint`: proves a failing request gets a 500 and the
        // server keeps serving.
        "panic" if server.panic_endpoint => panic!("a request to /_fleetplay/panic (serve --enable-panic-endpoint)"),
        other => error(
            404,
            format!("no control endpoint /_fleetplay/{other}: try advance, step, reset, scenario, speed, state, transcript, send, live"),
        )
        .into(),
    }
}

/// `POST /_fleetplay/send` ([`SendRequests`]): the simulator answers each request exactly as if it had
/// come over the network (recorded, published live); the answer ([`SendAnswer`]) lists what became of each.
fn send(server: &mut Server, body: &str) -> WireResponse {
    let requests = match SendRequests::from_json(body) {
        Ok(body) => body.into_requests(),
        Err(e) => return error(400, format!("{e}; send {{\"request\": {{\"method\", \"target\", \"headers\": [[name, value], …], \"body\"}}}}")),
    };
    if requests.len() > MAX_SENT {
        return error(413, format!("{} requests in one call; at most {MAX_SENT}", requests.len()));
    }
    if let Some(i) = requests.iter().position(|r| r.body.len() > crate::handler::MAX_BODY) {
        return error(413, format!("request {i}'s body is larger than {} bytes", crate::handler::MAX_BODY));
    }
    let mut answer = SendAnswer { exchanges: Vec::with_capacity(requests.len()) };
    for request in requests {
        let due_before = server.sim.next_due();
        let exchange = server.sim.handle(request);
        answer.exchanges.push(SentExchange {
            seq: exchange.seq,
            at: exchange.at.as_millis(),
            status: exchange.response.status,
            operation: exchange.operation.clone(),
            server: exchange.server.clone(),
        });
        server.record(exchange, due_before);
    }
    let mut body = answer.to_json();
    body.push('\n');
    WireResponse::new(200).with_header("Content-Type", "application/json").with_body(body)
}

fn scenario_error(e: &sim::ScenarioError) -> WireResponse {
    json_response(
        400,
        &json!({
            "error": format!("invalid scenario: {e}"),
            "place": e.place,
            "message": e.message,
        }),
    )
}

fn state_json(server: &Server) -> Value {
    let Counts { kept, bytes, dropped, exchanges, max_entries, max_bytes } = server.history.counts();
    with_clock(
        server,
        json!({
            "instance": server.live.instance,
            "run": server.live.run,
            "seed": server.scenario.seed,
            "title": server.scenario.title,
            "speed": server.speed,
            "exchanges": exchanges,
            "history": {
                "entries": kept,
                "dropped": dropped,
                "estimated_bytes": bytes,
                "max_entries": max_entries,
                "max_bytes": max_bytes,
            },
            "fleet": server.sim.fleet(),
        }),
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
        let value = |q: &str| query(&format!("/x?v={q}")).pop().map(|(_, v)| v);
        assert_eq!(value("%").as_deref(), Some("%"));
        assert_eq!(value("%4").as_deref(), Some("%4"));
        assert_eq!(value("%zz").as_deref(), Some("%zz"));
        // `+1` is no hex pair, though Rust's integer parser would read it as one.
        assert_eq!(value("%+1").as_deref(), Some("% 1"));
    }
}
