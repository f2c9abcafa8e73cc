//! Prints the code snippets for requests given on standard input, with what the simulator answers to each.
//!
//! Input: one JSON object, or a list of them, each `{"request": {"method", "target", "headers", "body"},
//! "endpoint": "http://127.0.0.1:8080"}` (`endpoint` may be null or left out for real-cloud code).
//! Output: a JSON list with, per request, `{"snippets": [{language, title, code, notes}], "answer": {status,
//! error, message}}`, where `answer` is what a fresh simulation of the built-in scenario answers at T+0, the
//! state `fleetplay serve` is in after `POST /_fleetplay/reset`. `compat/test_snippets.py` uses this to run
//! the Python snippets against `fleetplay serve` and compare.
//!
//! ```text
//! echo '{"request": {"method": "GET", "target": "/v2.1/servers", "headers": [["X-Auth-Token", "t"]],
//!        "body": ""}, "endpoint": "http://127.0.0.1:8080"}' | cargo run -q -p fleetplay-sim --example snippets
//! ```

use sim::json::{object, Value};
use sim::lesson::{error_message, error_type};
use sim::snippets::snippets;
use sim::{Scenario, Sim, WireRequest};
use std::io::Read;

struct Case {
    request: WireRequest,
    endpoint: Option<String>,
}

/// Reads `{"request": {"method", "target", "headers": [[name, value], …], "body"}, "endpoint": …}`.
fn case(value: &Value) -> Result<Case, String> {
    let members = value.as_object().ok_or("a case must be an object")?;
    if let Some(unknown) = members.keys().find(|k| *k != "request" && *k != "endpoint") {
        return Err(format!("unknown member {unknown:?}"));
    }
    let request = members.get("request").and_then(Value::as_object).ok_or("missing request object")?;
    let text = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or(format!("request.{name}: expected a string"))
    };
    let headers = request
        .get("headers")
        .and_then(Value::as_array)
        .ok_or("request.headers: expected a list")?
        .iter()
        .map(|pair| match pair.as_array().map(Vec::as_slice) {
            Some([Value::String(k), Value::String(v)]) => Ok((k.clone(), v.clone())),
            _ => Err("request.headers: expected [name, value] pairs".to_string()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let request =
        WireRequest { method: text("method")?, target: text("target")?, headers, body: text("body")? };
    let endpoint = match members.get("endpoint") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("endpoint: expected a string or null".to_string()),
    };
    Ok(Case { request, endpoint })
}

fn answer(request: &WireRequest) -> Value {
    match Sim::new(Scenario::builtin()) {
        Ok(mut sim) => {
            let ex = sim.handle(request.clone());
            object([
                ("status", ex.response.status.into()),
                ("error", error_type(&ex.response).into()),
                ("message", error_message(&ex.response).into()),
                ("operation", ex.operation.into()),
            ])
        }
        Err(e) => object([("scenario_error", e.to_string().into())]),
    }
}

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("snippets: cannot read standard input: {e}");
        std::process::exit(2);
    }
    let cases = sim::json::from_str(&text).map_err(|e| e.to_string()).and_then(|v| match v {
        Value::Array(list) => list.iter().map(case).collect::<Result<Vec<_>, _>>(),
        one => case(&one).map(|c| vec![c]),
    });
    let cases = match cases {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!(
                "snippets: expected {{\"request\": {{method, target, headers, body}}, \"endpoint\": …}} or a list \
                 of them: {e}"
            );
            std::process::exit(2);
        }
    };
    let out: Vec<Value> = cases
        .iter()
        .map(|c| {
            let list = snippets(&c.request, c.endpoint.as_deref())
                .into_iter()
                .map(|s| {
                    object([
                        ("language", s.language.slug().into()),
                        ("title", s.title.into()),
                        ("code", s.code.into()),
                        ("notes", s.notes.into()),
                    ])
                })
                .collect::<Vec<_>>();
            object([("snippets", list.into()), ("answer", answer(&c.request))])
        })
        .collect();
    println!("{}", sim::json::to_string_pretty(&Value::Array(out)));
}
