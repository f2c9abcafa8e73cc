//! Unit tests of the Lightsail provider through the whole simulation: validation order, state rules,
//! operation records, timestamps, and robustness against arbitrary input.

use super::responses::body_json;
use super::responses::epoch_seconds;
use super::*;
use crate::providers::aws_json::AwsJsonOperation;
use crate::scenario::{LightsailNameError, LightsailStopStopped, Scenario, StatusProfile, ValidationStyle};
use crate::time::SimTime;
use crate::{Exchange, Sim};
use serde_json::Value;

fn call(sim: &mut Sim, op: &str, body: &str) -> Exchange {
    sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", &format!("{TARGET_PREFIX}{op}"))
            .with_body(body),
    )
}

fn json(ex: &Exchange) -> Value {
    body_json(&ex.response)
}

fn state(sim: &Sim, name: &str) -> String {
    sim.server(Provider::Lightsail, name).map(|v| v.state).unwrap_or_default()
}

fn sim_with(edit: impl FnOnce(&mut Scenario)) -> Sim {
    let mut scenario = Scenario::builtin();
    edit(&mut scenario);
    Sim::new(scenario).expect("scenario loads")
}

#[test]
fn resource_name_pattern() {
    for ok in ["ab", "WordPress-1", "Amazon_Linux_2023-1", "__", "a-b", "a--b", "0_9"] {
        assert!(is_valid_resource_name(ok), "{ok}");
    }
    for bad in ["", "a", "-abc", "abc-", "my instance", "café-1", "a.b", "a\u{0}b", "é", "--"] {
        assert!(!is_valid_resource_name(bad), "{bad:?}");
    }
}

#[test]
fn stop_returns_the_started_operation_and_completes() {
    let mut sim = Sim::builtin(1);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"WordPress-1"}"#);
    assert_eq!(ex.response.status, 200);
    assert_eq!(ex.response.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert!(ex.response.header("x-amzn-RequestId").is_some());
    let v = json(&ex);
    let op = &v["operations"][0];
    let keys: Vec<&str> = op.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(
        keys,
        [
            "createdAt",
            "id",
            "isTerminal",
            "location",
            "operationType",
            "resourceName",
            "resourceType",
            "status",
            "statusChangedAt"
        ]
    );
    assert!(
        ex.response.body.starts_with(r#"{"operations":[{"id":""#),
        "member order follows the CLI example"
    );
    assert_eq!(op["status"], "Started");
    assert_eq!(op["isTerminal"], false);
    assert_eq!(op["operationType"], "StopInstance");
    assert_eq!(op["resourceType"], "Instance");
    assert_eq!(op["location"]["regionName"], "us-west-2");
    assert_eq!(op["location"]["availabilityZone"], "us-west-2a");
    assert_eq!(op["createdAt"].as_f64(), Some(EPOCH_BASE_SECS as f64));
    assert_eq!(ex.events.len(), 1);
    assert_eq!(state(&sim, "WordPress-1"), "stopping");
    let id = op["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(id.len(), 36);

    sim.advance_by(61_000);
    assert_eq!(state(&sim, "WordPress-1"), "stopped");
    let got = call(&mut sim, "GetOperation", &format!(r#"{{"operationId":"{id}"}}"#));
    let op = &json(&got)["operation"];
    assert_eq!(op["status"], "Succeeded");
    assert_eq!(op["isTerminal"], true);
    assert!(op["statusChangedAt"].as_f64() > op["createdAt"].as_f64());
    let st = call(&mut sim, "GetInstanceState", r#"{"instanceName":"WordPress-1"}"#);
    assert_eq!(st.response.body, r#"{"state":{"code":80,"name":"stopped"}}"#);
    let inst = call(&mut sim, "GetInstance", r#"{"instanceName":"WordPress-1"}"#);
    assert_eq!(json(&inst)["instance"].get("publicIpAddress"), None, "public IP released");
}

#[test]
fn validation_order_and_types() {
    let mut sim = Sim::builtin(1);
    let cases: [(&str, u16, &str); 11] = [
        ("{}", 400, "ValidationException"),
        ("", 400, "ValidationException"),
        (r#"{"instanceName":null}"#, 400, "ValidationException"),
        (r#"{"instanceName":42}"#, 400, "SerializationException"),
        (r#"{"force":"yes"}"#, 400, "SerializationException"),
        (r#"{"instanceName":"WordPress-1","force":"yes"}"#, 400, "SerializationException"),
        ("{\"instanceName\":", 400, "SerializationException"),
        ("[1,2]", 400, "SerializationException"),
        (r#"["WordPress-1"]"#, 400, "SerializationException"),
        (r#"{"instanceName":"WordPress-1","instanceName":7}"#, 400, "SerializationException"),
        (r#"{"instanceName":"a"}"#, 400, "InvalidInputException"),
    ];
    for (body, status, ty) in cases {
        let ex = call(&mut sim, "StopInstance", body);
        assert_eq!(ex.response.status, status, "{body}");
        assert_eq!(json(&ex)["__type"], ty, "{body}");
        assert!(ex.events.is_empty());
    }
    let ex = call(&mut sim, "StopInstance", "{}");
    assert_eq!(
        json(&ex)["message"],
        "1 validation error detected: Value at 'instanceName' failed to satisfy constraint: Member must not be null"
    );
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"WordPress-1","force":null,"extra":1}"#);
    assert_eq!(ex.response.status, 200, "null means absent, unknown members are ignored");
}

#[test]
fn pattern_errors_follow_name_error_setting() {
    let mut sim = sim_with(|s| {
        s.settings.lightsail.name_error = LightsailNameError::Validation;
        s.settings.validation_style = ValidationStyle::Smithy;
    });
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"my instance"}"#);
    assert_eq!(ex.response.status, 400);
    let v = json(&ex);
    assert_eq!(v["__type"], "ValidationException");
    assert_eq!(
        v["message"],
        r"1 validation error detected. Value at '/instanceName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^\w[\w\-]*\w$"
    );
    assert_eq!(
        ex.diagnosis.setting.as_deref(),
        Some("settings.lightsail.name_error, settings.validation_style")
    );
    let mut sim = Sim::builtin(1);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"café-1"}"#);
    let v = json(&ex);
    assert_eq!(v["__type"], "InvalidInputException");
    assert_eq!(v["code"], "InvalidInput");
    for member in ["code", "docs", "message", "tip"] {
        assert!(v[member].is_string(), "{member}");
    }
}

#[test]
fn status_profiles() {
    let mut sim = Sim::builtin(1);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Nope-1"}"#);
    assert_eq!(ex.response.status, 400);
    assert_eq!(json(&ex)["code"], "DoesNotExist");
    let mut sim = sim_with(|s| s.settings.status_profile = StatusProfile::ServiceModel);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Nope-1"}"#);
    assert_eq!(ex.response.status, 404);
    assert_eq!(ex.server.as_deref(), Some("Nope-1"));
}

#[test]
fn state_rules() {
    let mut sim = Sim::builtin(1);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Stopped-1"}"#);
    assert_eq!(
        (ex.response.status, json(&ex)["__type"].clone()),
        (400, Value::from("InvalidInputException"))
    );
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Booting-1"}"#);
    assert_eq!(json(&ex)["__type"], "InvalidInputException");
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Stuck-1"}"#);
    assert_eq!(ex.response.status, 200);
    assert!(ex.events.is_empty());
    assert_eq!(
        sim.server(Provider::Lightsail, "Stuck-1").and_then(|v| v.transition).and_then(|t| t.due),
        None
    );
    sim.advance_by(3_600_000);
    assert_eq!(state(&sim, "Stuck-1"), "stopping", "stuck without force");
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Stuck-1","force":true}"#);
    assert_eq!(ex.response.status, 200);
    sim.advance_by(5_000);
    assert_eq!(state(&sim, "Stuck-1"), "stopped");
    assert_eq!(state(&sim, "Booting-1"), "running");

    let mut sim = sim_with(|s| s.settings.lightsail.stop_when_stopped = LightsailStopStopped::NewOperation);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"Stopped-1"}"#);
    assert_eq!(ex.response.status, 200);
    assert_eq!(json(&ex)["operations"][0]["status"], "Succeeded");
    assert_eq!(ex.diagnosis.setting.as_deref(), Some("settings.lightsail.stop_when_stopped"));
}

#[test]
fn start_gives_a_new_ip_unless_static() {
    let mut sim = Sim::builtin(1);
    for name in ["Amazon_Linux_2023-1", "MEAN-Stack-1"] {
        let ex = call(&mut sim, "StopInstance", &format!(r#"{{"instanceName":"{name}"}}"#));
        assert_eq!(ex.response.status, 200);
    }
    sim.advance_by(61_000);
    for name in ["Amazon_Linux_2023-1", "MEAN-Stack-1"] {
        let ex = call(&mut sim, "StartInstance", &format!(r#"{{"instanceName":"{name}"}}"#));
        assert_eq!(ex.response.status, 200);
        assert_eq!(json(&ex)["operations"][0]["operationType"], "StartInstance");
        assert_eq!(state(&sim, name), "pending");
    }
    sim.advance_by(61_000);
    let ip = |sim: &mut Sim, name: &str| {
        let ex = call(sim, "GetInstance", &format!(r#"{{"instanceName":"{name}"}}"#));
        json(&ex)["instance"]["publicIpAddress"].as_str().unwrap_or_default().to_string()
    };
    assert!(ip(&mut sim, "Amazon_Linux_2023-1").starts_with("203.0.113."));
    assert_eq!(ip(&mut sim, "MEAN-Stack-1"), "198.51.100.7");
    assert_eq!(state(&sim, "MEAN-Stack-1"), "running");
    let ex = call(&mut sim, "StartInstance", r#"{"instanceName":"MEAN-Stack-1"}"#);
    assert_eq!(json(&ex)["__type"], "InvalidInputException");
}

#[test]
fn instance_shape_matches_the_model() {
    let mut sim = Sim::builtin(1);
    let ex = call(&mut sim, "GetInstance", r#"{"instanceName":"MEAN-Stack-1"}"#);
    let inst = &json(&ex)["instance"];
    assert_eq!(inst["name"], "MEAN-Stack-1");
    let arn = inst["arn"].as_str().unwrap_or_default();
    assert!(arn.starts_with("arn:aws:lightsail:us-west-2:123456789012:Instance/"), "{arn}");
    assert_eq!(inst["resourceType"], "Instance");
    assert_eq!(inst["blueprintId"], "mean");
    assert_eq!(inst["blueprintName"], "MEAN");
    assert_eq!(inst["isStaticIp"], true);
    assert_eq!(inst["state"], serde_json::from_str::<Value>(r#"{"code": 16, "name": "running"}"#).unwrap());
    assert_eq!(inst["username"], "bitnami");
    assert!(inst["supportCode"].as_str().is_some_and(|s| s.starts_with("123456789012/i-")));
    assert!(inst["createdAt"].as_f64() < Some(EPOCH_BASE_SECS as f64));
    assert!(inst["hardware"]["cpuCount"].is_u64());
    assert!(inst["privateIpAddress"].as_str().is_some_and(|s| s.starts_with("172.26.")));
}

#[test]
fn get_instances_pages() {
    let defs: Vec<crate::scenario::LightsailInstanceDef> = (0..60)
        .map(|i| crate::scenario::LightsailInstanceDef { name: format!("node-{i:02}"), ..Default::default() })
        .collect();
    let mut sim = sim_with(|s| s.fleet.lightsail = defs);
    let mut names = Vec::new();
    let mut body = "{}".to_string();
    for _ in 0..5 {
        let ex = call(&mut sim, "GetInstances", &body);
        assert_eq!(ex.response.status, 200);
        let v = json(&ex);
        for i in v["instances"].as_array().into_iter().flatten() {
            names.push(i["name"].as_str().unwrap_or_default().to_string());
        }
        match v["nextPageToken"].as_str() {
            Some(t) => body = format!(r#"{{"pageToken":"{t}"}}"#),
            None => break,
        }
    }
    assert_eq!(names.len(), 60);
    assert_eq!(names.first().map(String::as_str), Some("node-00"));
    let ex = call(&mut sim, "GetInstances", r#"{"pageToken":"garbage"}"#);
    assert_eq!(json(&ex)["__type"], "InvalidInputException");
}

#[test]
fn framing_errors_are_unknown_operation() {
    let mut sim = Sim::builtin(1);
    for op in ["StopInstances", "stopInstance", "RebootInstance", ""] {
        let ex = call(&mut sim, op, r#"{"instanceName":"WordPress-1"}"#);
        assert_eq!(ex.response.status, 400, "{op}");
        assert_eq!(ex.response.body, r#"{"__type":"UnknownOperationException"}"#);
        assert_eq!(ex.operation, None);
    }
    let ex = sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/json")
            .with_header("X-Amz-Target", "Lightsail_20161128.StopInstance")
            .with_body(r#"{"instanceName":"WordPress-1"}"#),
    );
    assert_eq!(json(&ex)["__type"], "UnknownOperationException");
    assert_eq!(state(&sim, "WordPress-1"), "running");
}

#[test]
fn faults_and_auth() {
    let mut sim = sim_with(|s| s.settings.require_aws_auth = true);
    let ex = call(&mut sim, "GetInstanceState", r#"{"instanceName":"WordPress-1"}"#);
    // The AWS front end's refusal, the same as Transfer's but in Lightsail's lowercase `message` (§0.4).
    assert_eq!(
        (ex.response.status, json(&ex)["__type"].as_str(), json(&ex)["message"].as_str()),
        (403, Some("MissingAuthenticationTokenException"), Some("Missing Authentication Token"))
    );
    let mut sim = sim_with(|s| {
        s.faults.lightsail.unauthenticated = true;
        s.settings.status_profile = StatusProfile::ServiceModel;
    });
    assert_eq!(call(&mut sim, "GetInstances", "{}").response.status, 401);
    let mut sim = sim_with(|s| s.faults.lightsail.account_setup_in_progress = true);
    assert_eq!(json(&call(&mut sim, "GetInstances", "{}"))["__type"], "AccountSetupInProgressException");
    let mut sim = sim_with(|s| s.faults.lightsail.region_setup_in_progress = true);
    let ex = call(&mut sim, "GetInstances", "{}");
    assert_eq!(
        (ex.response.status, json(&ex)["__type"].as_str()),
        (400, Some("RegionSetupInProgressException"))
    );
    let mut sim = sim_with(|s| s.faults.lightsail.service_error_rate = 1.0);
    let ex = call(&mut sim, "StopInstance", r#"{"instanceName":"WordPress-1"}"#);
    assert_eq!((ex.response.status, json(&ex)["__type"].as_str()), (500, Some("ServiceException")));
    assert_eq!(state(&sim, "WordPress-1"), "running");
    assert!(ex.diagnosis.why.contains("[U] Message text: not documented"), "{}", ex.diagnosis.why);
    let mut sim = sim_with(|s| s.faults.lightsail.throttle_per_second = Some(2));
    let statuses: Vec<u16> = (0..4).map(|_| call(&mut sim, "GetInstances", "{}").response.status).collect();
    assert_eq!(statuses, [200, 200, 400, 400]);
    sim.advance_by(1_000);
    assert_eq!(call(&mut sim, "GetInstances", "{}").response.status, 200);
    let mut sim = sim_with(|s| s.faults.lightsail.stuck_rate = 1.0);
    call(&mut sim, "StopInstance", r#"{"instanceName":"WordPress-1"}"#);
    sim.advance_by(3_600_000);
    assert_eq!(state(&sim, "WordPress-1"), "stopping");
}

#[test]
fn epoch_base_is_2026() {
    assert_eq!(epoch_seconds(SimTime::ZERO), 1_767_225_600.0);
    assert_eq!(epoch_seconds(SimTime(1_500)), 1_767_225_601.5);
}

#[test]
fn same_seed_same_transcript() {
    let script = |sim: &mut Sim| {
        let mut out = String::new();
        for (op, body) in [
            ("StopInstance", r#"{"instanceName":"WordPress-1"}"#),
            ("StopInstance", r#"{"instanceName":"Stuck-1","force":true}"#),
            ("GetInstances", "{}"),
        ] {
            out.push_str(&call(sim, op, body).response.body);
            sim.advance_by(7_000);
        }
        out
    };
    assert_eq!(script(&mut Sim::builtin(9)), script(&mut Sim::builtin(9)));
}

#[test]
fn views_and_state_machine_agree() {
    let sim = Sim::builtin(1);
    let machine = state_machine();
    let views: Vec<_> = sim.fleet().into_iter().filter(|v| v.provider == Provider::Lightsail).collect();
    assert_eq!(views.len(), 6);
    for v in &views {
        assert!(machine.nodes.iter().any(|(id, _, _)| *id == v.node), "{}", v.node);
    }
    let stuck = views.iter().find(|v| v.id == "Stuck-1").and_then(|v| v.transition.clone());
    assert_eq!(stuck.map(|t| t.due), Some(None));
    let booting = views.iter().find(|v| v.id == "Booting-1").and_then(|v| v.transition.clone());
    assert!(booting.is_some_and(|t| t.due.is_some()));
}

#[test]
fn arbitrary_input_never_panics() {
    let mut sim = Sim::builtin(3);
    let bodies = [
        "", "null", "0", "\"x\"", "{", "}", "{\"instanceName\":[]}", "{\"instanceName\":{}}", "{\"force\":1}",
        "{\"instanceName\":\"\\u0000\\u0000\"}", "{\"operationId\":\"   \"}", "{\"operationId\":5}",
        "{\"pageToken\":\"fleetplay-page-ffffffff\"}", "{\"pageToken\":\"fleetplay-page-\"}",
        "\u{feff}{}", "{\"instanceName\":\"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\"}",
    ];
    for op in
        ["StopInstance", "StartInstance", "GetInstance", "GetInstances", "GetInstanceState", "GetOperation"]
    {
        for body in bodies {
            let ex = call(&mut sim, op, body);
            assert!(matches!(ex.response.status, 200 | 400), "{op} {body}: {}", ex.response.status);
            assert!(serde_json::from_str::<Value>(&ex.response.body).is_ok(), "{op} {body}");
        }
    }
}

/// A real operation the simulator does not model is said to be one (the real service would carry it out),
/// not offered as a typo of a modelled name; only the spec's own vectors are tagged L17 / L18.
#[test]
fn unmodelled_real_operations_are_not_typos() {
    let mut sim = Sim::builtin(1);
    for op in super::routes::Route::NOT_MODELLED {
        let ex = call(&mut sim, op, "{}");
        assert_eq!(json(&ex)["__type"], "UnknownOperationException", "{op}");
        let d = &ex.diagnosis;
        assert!(d.why.contains("the real service would carry it out"), "{op}: {}", d.why);
        assert!(!d.why.contains("Did you mean"), "{op}: {}", d.why);
        assert!(!d.spec.contains("L17") && !d.spec.contains("L18"), "{op}: {}", d.spec);
    }
    let ex = call(&mut sim, "StopInstances", "{}");
    assert!(ex.diagnosis.spec.contains("L17"), "{}", ex.diagnosis.spec);
    assert!(ex.diagnosis.why.contains("Did you mean 'StopInstance'?"), "{}", ex.diagnosis.why);
    let ex = call(&mut sim, "stopInstance", "{}");
    assert!(ex.diagnosis.spec.contains("L18"), "{}", ex.diagnosis.spec);
    // A plural typo of another modelled operation is a near miss, but not the spec's vector L17.
    let ex = call(&mut sim, "GetInstanceStates", "{}");
    assert!(ex.diagnosis.why.contains("Did you mean 'GetInstanceState'?"), "{}", ex.diagnosis.why);
    assert!(!ex.diagnosis.spec.contains("L17"), "{}", ex.diagnosis.spec);
}
