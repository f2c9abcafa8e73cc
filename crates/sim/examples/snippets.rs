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

use serde::Deserialize;
use serde_json::{json, Value};
use sim::lesson::{error_message, error_type};
use sim::snippets::snippets;
use sim::{Scenario, Sim, WireRequest};
use std::io::Read;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    request: WireRequest,
    #[serde(default)]
    endpoint: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Input {
    One(Case),
    Many(Vec<Case>),
}

fn answer(request: &WireRequest) -> Value {
    match Sim::new(Scenario::builtin()) {
        Ok(mut sim) => {
            let ex = sim.handle(request.clone());
            json!({
                "status": ex.response.status,
                "error": error_type(&ex.response),
                "message": error_message(&ex.response),
                "operation": ex.operation,
            })
        }
        Err(e) => json!({ "scenario_error": e.to_string() }),
    }
}

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("snippets: cannot read standard input: {e}");
        std::process::exit(2);
    }
    let cases = match serde_json::from_str::<Input>(&text) {
        Ok(Input::One(case)) => vec![case],
        Ok(Input::Many(cases)) => cases,
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
            json!({
                "snippets": snippets(&c.request, c.endpoint.as_deref()),
                "answer": answer(&c.request),
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
