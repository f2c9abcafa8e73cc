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

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sim::lesson::{error_message, error_type};
use sim::snippets::snippets;
use sim::{Scenario, Sim, WireRequest};
use std::io::Read;

/// `{"request": {"method", "target", "headers": [[name, value], …], "body"}, "endpoint": …}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    request: WireRequest,
    endpoint: Option<String>,
}

/// What this prints per case (members in alphabetical order, as it always printed them).
#[derive(Serialize)]
struct Printed {
    answer: Answer,
    snippets: Vec<PrintedSnippet>,
}

#[derive(Serialize)]
struct PrintedSnippet {
    code: String,
    language: &'static str,
    notes: Vec<String>,
    title: String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Answered { error: Option<String>, message: Option<String>, operation: Option<String>, status: u16 },
    Refused { scenario_error: String },
}

fn answer(request: &WireRequest) -> Answer {
    match Sim::new(Scenario::builtin()) {
        Ok(mut sim) => {
            let ex = sim.handle(request.clone());
            Answer::Answered {
                error: error_type(&ex.response),
                message: error_message(&ex.response),
                operation: ex.operation,
                status: ex.response.status,
            }
        }
        Err(e) => Answer::Refused { scenario_error: e.to_string() },
    }
}

fn main() {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("snippets: cannot read standard input: {e}");
        std::process::exit(2);
    }
    let cases = serde_json::from_str::<Value>(&text).map_err(|e| e.to_string()).and_then(|v| {
        let read = |v: &Value| sim::decode::from_value::<Case>(v, "case").map_err(|e| e.to_string());
        match v {
            Value::Array(list) => list.iter().map(read).collect::<Result<Vec<_>, _>>(),
            one => read(&one).map(|c| vec![c]),
        }
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
    let out: Vec<Printed> = cases
        .iter()
        .map(|c| Printed {
            answer: answer(&c.request),
            snippets: snippets(&c.request, c.endpoint.as_deref())
                .into_iter()
                .map(|s| PrintedSnippet {
                    code: s.code,
                    language: s.language.slug(),
                    notes: s.notes,
                    title: s.title,
                })
                .collect(),
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
}
