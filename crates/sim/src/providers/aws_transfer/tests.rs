//! Unit tests of the Transfer Family provider through a whole [`Sim`]: state rules, faults, settings,
//! determinism and robustness against odd input.

use crate::fleet::Provider;
use crate::providers::aws_json::AwsJsonOperation;
use crate::scenario::{Scenario, StatusProfile, TransferServerDef, TransferStopOffline};
use crate::wire::WireRequest;
use crate::{Exchange, Sim};
use serde_json::Value;

fn call(sim: &mut Sim, op: &str, body: &str) -> Exchange {
    sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", &format!("TransferService.{op}"))
            .with_body(body),
    )
}

fn stop(sim: &mut Sim, id: &str) -> Exchange {
    call(sim, "StopServer", &format!("{{\"ServerId\":\"{id}\"}}"))
}

fn start(sim: &mut Sim, id: &str) -> Exchange {
    call(sim, "StartServer", &format!("{{\"ServerId\":\"{id}\"}}"))
}

fn state(sim: &Sim, id: &str) -> String {
    sim.server(Provider::Transfer, id).map(|v| v.state).unwrap_or_default()
}

fn json(ex: &Exchange) -> Value {
    serde_json::from_str::<Value>(&ex.response.body).unwrap_or(Value::Null)
}

fn error_type(ex: &Exchange) -> String {
    json(ex)["__type"].as_str().unwrap_or("").to_string()
}

fn sim_with(f: impl FnOnce(&mut Scenario)) -> Sim {
    let mut s = Scenario::builtin();
    f(&mut s);
    Sim::new(s).expect("scenario loads")
}

#[test]
fn stop_online_goes_stopping_then_offline() {
    let mut sim = Sim::builtin(1);
    let ex = stop(&mut sim, "s-0123456789abcdef0");
    assert_eq!(ex.response.status, 200);
    assert_eq!(ex.response.body, "");
    assert_eq!(ex.response.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert!(ex.response.header("x-amzn-RequestId").is_some());
    assert!(ex.diagnosis.doc_note.as_deref().unwrap_or("").contains("\"ServerId\""));
    assert_eq!(ex.events.len(), 1);
    assert_eq!((ex.events[0].from.as_str(), ex.events[0].to.as_str()), ("ONLINE", "STOPPING"));
    assert_eq!(state(&sim, "s-0123456789abcdef0"), "STOPPING");
    let view = sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap();
    let due = view.transition.unwrap().due.unwrap();
    assert!(due.as_millis() >= 30_000 && due.as_millis() <= 120_000);
    sim.advance_to(due);
    assert_eq!(state(&sim, "s-0123456789abcdef0"), "OFFLINE");
}

#[test]
fn empty_object_body_setting() {
    let mut sim = sim_with(|s| s.settings.transfer.empty_object_body = true);
    let ex = stop(&mut sim, "s-0123456789abcdef0");
    assert_eq!(ex.response.body, "{}");
    assert_eq!(ex.diagnosis.setting.as_deref(), Some("transfer.empty_object_body"));
}

#[test]
fn stop_rules_for_every_state() {
    let mut sim = Sim::builtin(2);
    // OFFLINE: no-op by default.
    let ex = stop(&mut sim, "s-00000000000000001");
    assert_eq!(ex.response.status, 200);
    assert!(ex.events.is_empty());
    assert_eq!(ex.diagnosis.setting.as_deref(), Some("transfer.stop_when_offline"));
    // STOPPING: no-op.
    let ex = stop(&mut sim, "s-0000000000000000a");
    assert_eq!(ex.response.status, 200);
    assert!(ex.events.is_empty());
    // STARTING: refused.
    let ex = stop(&mut sim, "s-0000000000000000b");
    assert_eq!(ex.response.status, 400);
    assert_eq!(error_type(&ex), "InvalidRequestException");
    assert!(json(&ex)["Message"].is_string());
    assert_eq!(state(&sim, "s-0000000000000000b"), "STARTING");
    // STOP_FAILED: retry allowed.
    let ex = stop(&mut sim, "s-5d0f3c7a9b1e2d4f6");
    assert_eq!(ex.response.status, 200);
    assert_eq!(state(&sim, "s-5d0f3c7a9b1e2d4f6"), "STOPPING");
}

#[test]
fn stop_on_offline_can_be_refused() {
    let mut sim = sim_with(|s| s.settings.transfer.stop_when_offline = TransferStopOffline::InvalidRequest);
    let ex = stop(&mut sim, "s-00000000000000001");
    assert_eq!(ex.response.status, 400);
    assert_eq!(error_type(&ex), "InvalidRequestException");
    assert_eq!(ex.diagnosis.setting.as_deref(), Some("transfer.stop_when_offline"));
    assert!(ex.diagnosis.why.contains("[U] Message text: not documented"), "{}", ex.diagnosis.why);
}

#[test]
fn initial_transitions_complete() {
    let mut sim = Sim::builtin(3);
    sim.advance_by(200_000);
    assert_eq!(state(&sim, "s-0000000000000000a"), "OFFLINE");
    assert_eq!(state(&sim, "s-0000000000000000b"), "ONLINE");
}

#[test]
fn stop_fails_server_ends_stop_failed_and_can_retry() {
    let mut sim = Sim::builtin(4);
    let id = "s-0000000000000000c";
    assert_eq!(stop(&mut sim, id).response.status, 200);
    let ev = sim.advance_by(200_000);
    assert!(ev.iter().any(|e| e.server == id && e.from == "STOPPING" && e.to == "STOP_FAILED"));
    assert_eq!(state(&sim, id), "STOP_FAILED");
    let ex = stop(&mut sim, id);
    assert_eq!(ex.response.status, 200);
    assert_eq!(ex.events[0].from, "STOP_FAILED");
    // StartServer from STOP_FAILED brings it back.
    sim.advance_by(200_000);
    assert_eq!(start(&mut sim, id).response.status, 200);
    sim.advance_by(200_000);
    assert_eq!(state(&sim, id), "ONLINE");
}

#[test]
fn stop_failure_rate_is_drawn_at_request_time() {
    let mut sim = sim_with(|s| s.faults.transfer.stop_failure_rate = 1.0);
    stop(&mut sim, "s-0123456789abcdef0");
    let view = sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap();
    assert_eq!(view.transition.unwrap().to, "STOP_FAILED");
    sim.advance_by(200_000);
    assert_eq!(state(&sim, "s-0123456789abcdef0"), "STOP_FAILED");
}

#[test]
fn start_rules() {
    let mut sim = Sim::builtin(5);
    let ex = start(&mut sim, "s-0123456789abcdef0");
    assert_eq!(ex.response.status, 200);
    assert!(ex.events.is_empty());
    let ex = start(&mut sim, "s-00000000000000001");
    assert_eq!(ex.response.status, 200);
    assert_eq!(state(&sim, "s-00000000000000001"), "STARTING");
    let ex = start(&mut sim, "s-00000000000000001");
    assert_eq!(ex.response.status, 200);
    assert!(ex.events.is_empty());
    let ex = start(&mut sim, "s-0000000000000000a");
    assert_eq!(error_type(&ex), "InvalidRequestException");
    sim.advance_by(200_000);
    assert_eq!(state(&sim, "s-00000000000000001"), "ONLINE");
}

#[test]
fn not_found_status_follows_profile() {
    let mut sim = Sim::builtin(6);
    let ex = stop(&mut sim, "s-fffffffffffffffff");
    assert_eq!(ex.response.status, 400);
    let body = json(&ex);
    assert_eq!(body["__type"], "ResourceNotFoundException");
    assert_eq!(body["Resource"], "s-fffffffffffffffff");
    assert_eq!(body["ResourceType"], "Server");
    assert_eq!(ex.diagnosis.setting.as_deref(), Some("status_profile"));
    let mut sim = sim_with(|s| s.settings.status_profile = StatusProfile::ServiceModel);
    assert_eq!(stop(&mut sim, "s-fffffffffffffffff").response.status, 404);
}

#[test]
fn validation_lists_every_violation() {
    let mut sim = Sim::builtin(7);
    let ex = stop(&mut sim, "s-0123456789abcdef");
    assert_eq!(ex.response.status, 400);
    let body = json(&ex);
    assert_eq!(body["__type"], "ValidationException");
    let msg = body["Message"].as_str().unwrap();
    assert!(msg.starts_with("2 validation errors detected: "), "{msg}");
    assert!(msg.contains("Member must have length greater than or equal to 19"));
    assert!(msg.contains("regular expression pattern: s-([0-9a-f]{17})"));
    let ex = call(&mut sim, "StopServer", "");
    assert!(json(&ex)["Message"].as_str().unwrap().contains("Member must not be null"));
    let ex = call(&mut sim, "StopServer", "{\"ServerId\":123}");
    assert_eq!(error_type(&ex), "SerializationException");
    let ex = call(&mut sim, "StopServer", "{\"ServerId\":");
    assert_eq!(error_type(&ex), "SerializationException");
}

#[test]
fn framing_errors_are_unknown_operation() {
    let mut sim = Sim::builtin(8);
    let ex = call(&mut sim, "StopServers", "{}");
    assert_eq!(error_type(&ex), "UnknownOperationException");
    let ex = sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/json")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_body("{\"ServerId\":\"s-0123456789abcdef0\"}"),
    );
    assert_eq!(error_type(&ex), "UnknownOperationException");
    assert_eq!(state(&sim, "s-0123456789abcdef0"), "ONLINE");
    let ex = sim.handle(WireRequest::new("GET", "http://transfer.us-east-1.amazonaws.com/"));
    assert_eq!(ex.provider, Some(Provider::Transfer));
    assert_eq!(error_type(&ex), "UnknownOperationException");
}

#[test]
fn auth_required_when_set() {
    let mut sim = sim_with(|s| s.settings.require_aws_auth = true);
    let ex = stop(&mut sim, "s-0123456789abcdef0");
    assert_eq!(ex.response.status, 403);
    assert_eq!(error_type(&ex), "MissingAuthenticationTokenException");
    let ex = sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/transfer/aws4_request",
            )
            .with_body("{\"ServerId\":\"s-0123456789abcdef0\"}"),
    );
    assert_eq!(ex.response.status, 200);
}

#[test]
fn throttling_per_simulated_second() {
    let mut sim = sim_with(|s| s.faults.transfer.throttle_per_second = Some(2));
    assert_eq!(call(&mut sim, "ListServers", "{}").response.status, 200);
    assert_eq!(call(&mut sim, "ListServers", "{}").response.status, 200);
    let ex = call(&mut sim, "ListServers", "{}");
    assert_eq!(ex.response.status, 400);
    assert_eq!(json(&ex)["RetryAfterSeconds"], "1");
    sim.advance_by(1000);
    assert_eq!(call(&mut sim, "ListServers", "{}").response.status, 200);
}

#[test]
fn injected_server_errors() {
    let mut sim = sim_with(|s| {
        s.faults.transfer.internal_error_rate = 1.0;
        s.settings.status_profile = StatusProfile::ServiceModel;
    });
    let ex = stop(&mut sim, "s-0123456789abcdef0");
    assert_eq!(ex.response.status, 503);
    assert_eq!(error_type(&ex), "InternalServiceError");
    assert!(ex.diagnosis.why.contains("[U] Message text: not documented"), "{}", ex.diagnosis.why);
    assert_eq!(state(&sim, "s-0123456789abcdef0"), "ONLINE");
    let mut sim = sim_with(|s| s.faults.transfer.unavailable_rate = 1.0);
    let ex = call(&mut sim, "DescribeServer", "{\"ServerId\":\"s-0123456789abcdef0\"}");
    assert_eq!(ex.response.status, 500);
    assert_eq!(error_type(&ex), "ServiceUnavailableException");
    assert!(ex.diagnosis.why.contains("[U] Message text: not documented"), "{}", ex.diagnosis.why);
    let ex = call(&mut sim_with(|_| {}), "ListServers", "{\"NextToken\":\"nope\"}");
    assert_eq!(error_type(&ex), "InvalidNextTokenException");
    assert!(ex.diagnosis.why.contains("[U] Message text: not documented"), "{}", ex.diagnosis.why);
    let ex = stop(&mut sim_with(|_| {}), "s-fffffffffffffffff");
    assert!(ex.diagnosis.why.contains("[U] Message text: it is LocalStack's [S]"), "{}", ex.diagnosis.why);
}

#[test]
fn describe_has_the_required_members() {
    let mut sim = Sim::builtin(9);
    let ex = call(&mut sim, "DescribeServer", "{\"ServerId\":\"s-5d0f3c7a9b1e2d4f6\"}");
    assert_eq!(ex.response.status, 200);
    let s = &json(&ex)["Server"];
    assert_eq!(s["Arn"], "arn:aws:transfer:us-east-1:123456789012:server/s-5d0f3c7a9b1e2d4f6");
    assert_eq!(s["ServerId"], "s-5d0f3c7a9b1e2d4f6");
    assert_eq!(s["State"], "STOP_FAILED");
    assert_eq!(s["EndpointType"], "VPC");
    assert!(s["EndpointDetails"]["VpcId"].as_str().unwrap().starts_with("vpc-"));
    assert_eq!(s["Protocols"][0], "AS2");
    assert_eq!(s["Domain"], "S3");
    assert_eq!(s["UserCount"], 0);
}

#[test]
fn list_paginates_deterministically() {
    let mut sim = Sim::builtin(10);
    let ex = call(&mut sim, "ListServers", "{\"MaxResults\":3}");
    let page = json(&ex);
    assert_eq!(page["Servers"].as_array().unwrap().len(), 3);
    let mut seen: Vec<String> = page["Servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["ServerId"].as_str().unwrap().to_string())
        .collect();
    let mut token = page["NextToken"].as_str().unwrap().to_string();
    loop {
        let ex = call(&mut sim, "ListServers", &format!("{{\"MaxResults\":3,\"NextToken\":\"{token}\"}}"));
        let page = json(&ex);
        for s in page["Servers"].as_array().unwrap() {
            assert!(s["Arn"].is_string());
            seen.push(s["ServerId"].as_str().unwrap().to_string());
        }
        match page["NextToken"].as_str() {
            Some(t) => token = t.to_string(),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 7);
    let ex = call(&mut sim, "ListServers", "{\"NextToken\":\"nope\"}");
    assert_eq!(error_type(&ex), "InvalidNextTokenException");
    let ex = call(&mut sim, "ListServers", "{\"MaxResults\":0}");
    assert_eq!(error_type(&ex), "ValidationException");
    let ex = call(&mut sim, "ListServers", "{\"MaxResults\":\"5\"}");
    assert_eq!(error_type(&ex), "SerializationException");
}

#[test]
fn stale_completions_are_ignored() {
    let settings = crate::scenario::Settings::default();
    let mut rng = crate::rng::SimRng::new(1);
    let mut schedule = crate::schedule::Schedule::default();
    let mut ctx = crate::providers::Ctx {
        now: crate::SimTime::ZERO,
        rng: &mut rng,
        settings: &settings,
        schedule: &mut schedule,
        events: Vec::new(),
    };
    let defs = [TransferServerDef { id: "s-00000000000000abc".into(), ..Default::default() }];
    let mut backend = super::Backend::new(&defs, &Default::default(), &mut ctx);
    let ex = backend.handle(
        &WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_body("{\"ServerId\":\"s-00000000000000abc\"}"),
        &mut ctx,
    );
    assert_eq!(ex.response.status, 200);
    let seq = backend.view("s-00000000000000abc").and_then(|v| v.transition).map(|_| ctx.schedule.len());
    assert_eq!(seq, Some(1));
    let due = ctx.schedule.pop_due(crate::SimTime(u64::MAX)).expect("scheduled");
    backend.fire(&due.key, due.seq + 1, &mut ctx);
    assert_eq!(backend.view("s-00000000000000abc").unwrap().state, "STOPPING");
    backend.fire("s-unknown", due.seq, &mut ctx);
    backend.fire(&due.key, due.seq, &mut ctx);
    assert_eq!(backend.view("s-00000000000000abc").unwrap().state, "OFFLINE");
    let events = ctx.events.len();
    backend.fire(&due.key, due.seq, &mut ctx);
    assert_eq!(ctx.events.len(), events);
}

#[test]
fn same_seed_same_transcript() {
    let run = || {
        let mut sim = sim_with(|s| s.faults.transfer.stop_failure_rate = 0.5);
        let mut out = Vec::new();
        for id in ["s-0123456789abcdef0", "s-01234567890abcdef", "s-0000000000000000c"] {
            let ex = stop(&mut sim, id);
            out.push(format!("{} {:?}", ex.response.header("x-amzn-RequestId").unwrap_or(""), ex.events));
        }
        out.push(format!("{:?}", sim.advance_by(300_000)));
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn odd_input_never_panics() {
    let mut sim = Sim::builtin(11);
    let bodies = [
        "",
        "{",
        "}",
        "null",
        "[]",
        "{\"ServerId\":\"\"}",
        "{\"ServerId\":\"s-\u{e9}\u{e9}\u{e9}\"}",
        "{\"ServerId\":[1]}",
        "{\"ServerId\":{}}",
        "{\"ServerId\":\"s-0123456789abcdef0\",\"ServerId\":\"x\"}",
        "{\"MaxResults\":1e400}",
        "{\"MaxResults\":-1}",
        "{\"NextToken\":\"\u{e9}\u{e9}\u{e9}\"}",
        "\u{0}",
    ];
    for op in ["StopServer", "StartServer", "DescribeServer", "ListServers", "", "Nope"] {
        for body in bodies {
            let ex = call(&mut sim, op, body);
            // Either a success or an awsJson error envelope, never anything else.
            let error = serde_json::from_str::<Value>(&ex.response.body)
                .ok()
                .and_then(|v| v.get("__type").and_then(|t| t.as_str()).map(str::to_string));
            assert!(ex.response.status == 200 || error.is_some(), "{op} {body:?}: {}", ex.response.body);
            assert!(ex.response.header("x-amzn-RequestId").is_some());
        }
    }
}

#[test]
fn views_and_state_machine_agree() {
    let sim = Sim::builtin(12);
    let machine = super::state_machine();
    for v in sim.fleet().iter().filter(|v| v.provider == Provider::Transfer) {
        assert!(machine.nodes.iter().any(|(id, _, _)| *id == v.node), "{}", v.node);
    }
    let stopping = sim.server(Provider::Transfer, "s-0000000000000000a").unwrap();
    assert!(stopping.transition.is_some());
    for (from, to, _) in &machine.edges {
        assert!(machine.nodes.iter().any(|(id, _, _)| id == from));
        assert!(machine.nodes.iter().any(|(id, _, _)| id == to));
    }
}

#[test]
fn scenario_strings_are_escaped_in_json() {
    let mut sim = sim_with(|s| {
        s.fleet.transfer = vec![TransferServerDef {
            id: "s-00000000000000abc".into(),
            endpoint_type: "a\"b\\c\n".into(),
            protocols: vec!["SFTP".into(), "é".into()],
            ..Default::default()
        }];
    });
    let ex = call(&mut sim, "DescribeServer", "{\"ServerId\":\"s-00000000000000abc\"}");
    let s = &json(&ex)["Server"];
    assert_eq!(s["EndpointType"], "a\"b\\c\n");
    assert_eq!(s["Protocols"][1], "é");
    let ex = call(&mut sim, "ListServers", "{}");
    assert_eq!(json(&ex)["Servers"][0]["EndpointType"], "a\"b\\c\n");
}

/// A real operation the simulator does not model is said to be one, not offered as a typo of a modelled
/// name; only the spec's own vector (`StopServers`) is tagged T12.
#[test]
fn unmodelled_real_operations_are_not_typos() {
    let mut sim = Sim::builtin(1);
    for op in super::routes::Route::NOT_MODELLED {
        let ex = call(&mut sim, op, "{}");
        assert_eq!(error_type(&ex), "UnknownOperationException", "{op}");
        let d = &ex.diagnosis;
        assert!(d.why.contains("a real Transfer operation the simulator does not model"), "{op}: {}", d.why);
        assert!(!d.why.contains("Did you mean"), "{op}: {}", d.why);
        assert!(!d.spec.contains("T12"), "{op}: {}", d.spec);
    }
    let ex = call(&mut sim, "StopServers", "{}");
    assert!(ex.diagnosis.spec.contains("T12"), "{}", ex.diagnosis.spec);
    assert!(ex.diagnosis.why.contains("Did you mean 'StopServer'?"), "{}", ex.diagnosis.why);
}
