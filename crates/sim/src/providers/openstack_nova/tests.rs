//! Unit tests of the Nova provider through the whole `Sim`: routing, the order of checks, state rules,
//! views and determinism. The story files in `tests/stories/nova_*.http` cover the spec's vectors.

use crate::fleet::Provider;
use crate::scenario::Scenario;
use crate::sim::Sim;
use crate::wire::{WireRequest, WireResponse};
use serde_json::Value;

const A: &str = "a0000000-0000-4000-8000-00000000000a";
const B: &str = "b0000000-0000-4000-8000-00000000000b";
const E: &str = "e0000000-0000-4000-8000-00000000000e";
const J: &str = "90000000-0000-4000-8000-000000000009";
const MEMBER: &str = "member-token-aaaa1111";
const ADMIN: &str = "admin-token-aaaa1111";

fn sim() -> Sim {
    Sim::new(Scenario::builtin()).expect("builtin loads")
}

fn post(path: &str, token: &str, body: &str) -> WireRequest {
    WireRequest::new("POST", path)
        .with_header("X-Auth-Token", token)
        .with_header("Content-Type", "application/json")
        .with_body(body)
}

fn get(path: &str, token: &str) -> WireRequest {
    WireRequest::new("GET", path).with_header("X-Auth-Token", token)
}

fn json(resp: &WireResponse) -> Value {
    serde_json::from_str::<Value>(&resp.body).unwrap_or(Value::Null)
}

fn message(resp: &WireResponse) -> String {
    let v = json(resp);
    v.as_object()
        .and_then(|o| o.values().next())
        .and_then(|f| f.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

#[test]
fn claims_only_the_servers_space() {
    use super::claims_path;
    assert!(claims_path("/servers"));
    assert!(claims_path("/v2.1/servers/x/action"));
    assert!(claims_path("/v2/abc/servers"));
    assert!(claims_path("/v2/my-proj!/servers/A/action"));
    assert!(claims_path("/v2.1"));
    assert!(!claims_path("/"));
    assert!(!claims_path("/v2.1/flavors"));
    assert!(!claims_path("/v2/abc/images"));
    assert!(!claims_path("/favicon.ico"));
}

#[test]
fn stop_runs_the_whole_lifecycle() {
    let mut sim = sim();
    let ex = sim.handle(post(&format!("/v2.1/servers/{A}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(ex.response.status, 202);
    assert_eq!(ex.response.body, "");
    assert_eq!(ex.response.header("Content-Type"), Some("application/json"));
    assert_eq!(ex.response.header("OpenStack-API-Version"), Some("compute 2.1"));
    assert_eq!(ex.response.header("X-OpenStack-Nova-API-Version"), Some("2.1"));
    let rid = ex.response.header("x-openstack-request-id").unwrap_or("").to_string();
    assert!(rid.starts_with("req-") && rid.len() == 40, "{rid}");
    assert_eq!(ex.response.header("x-compute-request-id"), Some(rid.as_str()));
    assert_eq!(ex.events.len(), 1);
    assert_eq!((ex.events[0].from.as_str(), ex.events[0].to.as_str()), ("ACTIVE", "ACTIVE · powering-off"));
    assert_eq!(sim.server(Provider::Nova, A).map(|v| v.state), Some("ACTIVE · powering-off".into()));

    let again = sim.handle(post(&format!("/v2.1/servers/{A}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(again.response.status, 409);
    assert_eq!(
        message(&again.response),
        format!("Cannot 'stop' instance {A} while it is in task_state powering-off")
    );

    let shown = sim.handle(get(&format!("/v2.1/servers/{A}"), MEMBER));
    let v = json(&shown.response);
    assert_eq!(v["server"]["status"], "ACTIVE");
    assert_eq!(v["server"]["OS-EXT-STS:task_state"], "powering-off");

    let events = sim.advance_by(60_000);
    assert!(events.iter().any(|e| e.server == A && e.to == "SHUTOFF"), "{events:?}");
    let v = json(&sim.handle(get(&format!("/v2.1/servers/{A}"), MEMBER)).response);
    assert_eq!(v["server"]["status"], "SHUTOFF");
    assert_eq!(v["server"]["OS-EXT-STS:vm_state"], "stopped");
    assert_eq!(v["server"]["OS-EXT-STS:power_state"], 4);
    assert_eq!(v["server"]["OS-EXT-STS:task_state"], Value::Null);

    let third = sim.handle(post(&format!("/v2.1/servers/{A}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(
        message(&third.response),
        format!("Cannot 'stop' instance {A} while it is in vm_state stopped")
    );

    let start = sim.handle(post(&format!("/v2.1/servers/{A}/action"), MEMBER, r#"{"os-start": null}"#));
    assert_eq!(start.response.status, 202);
    sim.advance_by(30_000);
    assert_eq!(sim.server(Provider::Nova, A).map(|v| v.state), Some("ACTIVE".into()));
}

#[test]
fn builtin_e_completes_on_its_own() {
    let mut sim = sim();
    assert_eq!(sim.server(Provider::Nova, E).map(|v| v.state), Some("ACTIVE · powering-off".into()));
    let events = sim.advance_by(60_000);
    assert!(events.iter().any(|e| e.server == E && e.from == "ACTIVE · powering-off" && e.to == "SHUTOFF"));
}

#[test]
fn authentication_comes_before_routing() {
    let mut sim = sim();
    let ex = sim.handle(WireRequest::new("GET", &format!("/v2.1/servers/{A}/action")));
    assert_eq!(ex.response.status, 401);
    assert_eq!(
        ex.response.header("WWW-Authenticate"),
        Some("Keystone uri=\"http://keystone.example.com/identity\"")
    );
    assert_eq!(ex.response.header("OpenStack-API-Version"), None);
    let ex = sim.handle(get(&format!("/v2.1/servers/{A}/action"), MEMBER));
    assert_eq!(ex.response.status, 404);
    assert_eq!(ex.response.header("Content-Type"), Some("text/plain; charset=UTF-8"));
    assert_eq!(ex.response.body, "404 Not Found\n\nThe resource could not be found.\n\n   ");
}

#[test]
fn project_checks_and_visibility() {
    let mut sim = sim();
    let ex = sim.handle(post(&format!("/v2/bbbb2222/servers/{A}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(
        message(&ex.response),
        "Malformed request URL: URL's project_id 'bbbb2222' doesn't match Context's project_id 'aaaa1111'"
    );
    assert_eq!(ex.response.header("OpenStack-API-Version"), None, "legacy v2 strips version headers");
    let ex = sim.handle(post(&format!("/v2.1/servers/{J}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(message(&ex.response), format!("Instance {J} could not be found."));
    let ex = sim.handle(post(&format!("/v2.1/servers/{J}/action"), ADMIN, r#"{"os-stop": null}"#));
    assert_eq!(ex.response.status, 202, "admins see every project's servers");
    let z = "12345678-1234-4234-8234-123456789abc";
    let ex = sim.handle(post(&format!("/v2.1/servers/{z}/action"), MEMBER, r#"{"os-stop": null}"#));
    assert_eq!(message(&ex.response), format!("Instance {z} has no mapping to a cell."));
    let ex = sim.handle(get(&format!("/v2.1/servers/{z}"), MEMBER));
    assert_eq!(message(&ex.response), format!("Instance {z} could not be found."));
}

#[test]
fn lists_page_newest_first() {
    let mut sim = sim();
    let all = json(&sim.handle(get("/v2.1/servers", MEMBER)).response);
    let ids: Vec<&str> = all["servers"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert_eq!(ids[0], "80000000-0000-4000-8000-000000000008");
    assert!(!ids.contains(&J));
    let page = json(&sim.handle(get("/v2.1/servers/detail?limit=3", MEMBER)).response);
    assert_eq!(page["servers"].as_array().map(Vec::len), Some(3));
    let next = page["servers_links"][0]["href"].as_str().unwrap_or("").to_string();
    assert!(next.starts_with("http://nova.example.com:8774/v2.1/servers/detail?limit=3&marker="), "{next}");
    let marker = page["servers"][2]["id"].as_str().unwrap_or("").to_string();
    let rest = json(&sim.handle(get(&format!("/v2.1/servers?marker={marker}"), MEMBER)).response);
    assert_eq!(rest["servers"].as_array().map(Vec::len), Some(5));
    assert!(rest.get("servers_links").is_none());
    let ex = sim.handle(get("/v2.1/servers?marker=nope", MEMBER));
    assert_eq!(message(&ex.response), "marker [nope] not found");
    let ex = sim.handle(get("/v2.1/servers?all_tenants=1", MEMBER));
    assert_eq!(ex.response.status, 403);
    let every = json(&sim.handle(get("/v2.1/servers?all_tenants", ADMIN)).response);
    assert_eq!(every["servers"].as_array().map(Vec::len), Some(11));
}

#[test]
fn microversion_fields() {
    let mut sim = sim();
    let old = json(&sim.handle(get(&format!("/v2.1/servers/{B}"), MEMBER)).response);
    assert!(old["server"].get("locked").is_none());
    assert!(old["server"].get("OS-EXT-SRV-ATTR:host").is_none());
    assert_eq!(old["server"]["flavor"]["id"], "1");
    let new = sim.handle(
        get(&format!("/v2.1/servers/{B}"), ADMIN).with_header("OpenStack-API-Version", "compute latest"),
    );
    assert_eq!(new.response.header("OpenStack-API-Version"), Some("compute 2.104"));
    let new = json(&new.response);
    assert_eq!(new["server"]["locked"], false);
    assert_eq!(new["server"]["OS-EXT-SRV-ATTR:host"], "compute-1");
    assert_eq!(new["server"]["flavor"]["original_name"], "m1.tiny");
    assert_eq!(new["server"]["hostId"].as_str().map(str::len), Some(56));
}

#[test]
fn nothing_panics_on_odd_input() {
    let mut sim = sim();
    let odd = [
        ("POST", "/servers/%zz/action", "{\"os-stop\":null}"),
        ("POST", "/v2.1/servers//action", "{"),
        ("GET", "/v2.1//servers", ""),
        ("GET", "/v2.1/servers?limit=99999999999999999999999", ""),
        ("GET", "/v2.1/servers?limit=&marker=", ""),
        ("POST", "/v2.1/servers/é/action", "\"é\""),
        ("DELETE", "/servers/x", ""),
        ("POST", "/v2.1/servers/x/action", "{\"reboot\": {\"type\": \"SOFT\"}}"),
        ("GET", "/v2", ""),
        ("PATCH", "/v2.1/", ""),
    ];
    for (method, path, body) in odd {
        let ex =
            sim.handle(WireRequest::new(method, path).with_header("X-Auth-Token", MEMBER).with_body(body));
        // An odd request is refused with a body saying why, never an empty error.
        assert!(ex.response.status < 400 || !ex.response.body.is_empty(), "{method} {path}");
    }
}

#[test]
fn same_seed_same_transcript() {
    let run = || {
        let mut sim = sim();
        let mut out = Vec::new();
        for path in [A, B, E] {
            let ex =
                sim.handle(post(&format!("/v2.1/servers/{path}/action"), MEMBER, r#"{"os-stop": null}"#));
            out.push(format!("{:?}", ex.response));
        }
        out.push(format!("{:?}", sim.advance_by(120_000)));
        out
    };
    assert_eq!(run(), run());
}

#[test]
fn diagnoses_mark_message_texts_the_spec_does_not_quote() {
    let mark = crate::exchange::MessageText::MARK;
    // A spec-quoted text: no mark.
    let ex = sim().handle(post(&format!("/v2.1/servers/{B}/action"), MEMBER, "{\"os-stop\": null}"));
    assert_eq!(ex.response.status, 409);
    assert!(!ex.diagnosis.why.contains(mark), "{}", ex.diagnosis.why);
    // An action the simulator does not model: real Nova would carry it out.
    let ex = sim().handle(post(
        &format!("/v2.1/servers/{A}/action"),
        MEMBER,
        "{\"reboot\": {\"type\": \"SOFT\"}}",
    ));
    assert_eq!(ex.response.status, 501);
    assert!(
        ex.diagnosis.why.contains("The simulator does not model the 'reboot' action"),
        "{}",
        ex.diagnosis.why
    );
    assert!(ex.diagnosis.why.contains("Real Nova would carry it out"), "{}", ex.diagnosis.why);
    assert!(ex.diagnosis.why.contains(&format!("{mark} not documented")), "{}", ex.diagnosis.why);
    // Injected faults: 429 overLimit (our text) and 503 (webob's, not in the spec).
    let mut scenario = Scenario::builtin();
    scenario.faults.nova.throttle_per_second = Some(0);
    let mut throttled = Sim::new(scenario).expect("loads");
    let ex = throttled.handle(get(&format!("/v2.1/servers/{A}"), MEMBER));
    assert_eq!(ex.response.status, 429);
    assert!(ex.diagnosis.why.contains(&format!("{mark} not documented")), "{}", ex.diagnosis.why);
    let mut scenario = Scenario::builtin();
    scenario.faults.nova.unavailable_rate = 1.0;
    let ex = Sim::new(scenario).expect("loads").handle(get(&format!("/v2.1/servers/{A}"), MEMBER));
    assert_eq!(ex.response.status, 503);
    assert!(ex.diagnosis.why.contains(&format!("{mark} it is webob's default")), "{}", ex.diagnosis.why);
}

#[test]
fn microversion_error_is_what_nova_answers() {
    for value in
        ["compute 2.x", "compute 3.0", "compute 2.0", "compute 2.65", "compute latest", "2.x", "compute 2.01"]
    {
        let ex = sim().handle(
            WireRequest::new("GET", &format!("/v2.1/servers/{A}"))
                .with_header("X-Auth-Token", MEMBER)
                .with_header("OpenStack-API-Version", value),
        );
        match super::microversion_error(value, "2.104") {
            Some(text) => assert_eq!(message(&ex.response), text, "{value}"),
            None => assert_eq!(ex.response.status, 200, "{value}"),
        }
    }
}

/// Spec §3.7 through the whole `Sim`: lock, the lock's effect on stop, locked/locked_reason by
/// microversion, `unlock_override`, the owner's no-op relock and the events the timeline shows.
#[test]
fn lock_and_unlock() {
    const D: &str = "d0000000-0000-4000-8000-00000000000d";
    const OUTSIDER: &str = "admin-token-bbbb2222";
    let action = |id: &str| format!("/v2.1/servers/{id}/action");
    let at = |v: &str, req: WireRequest| req.with_header("OpenStack-API-Version", &format!("compute {v}"));
    let mut sim = sim();

    let ex = sim.handle(post(&action(A), MEMBER, r#"{"lock": null}"#));
    assert_eq!((ex.response.status, ex.response.body.as_str()), (202, ""));
    assert_eq!(ex.operation.as_deref(), Some("lock"));
    assert_eq!(ex.diagnosis.spec, "stop-apis.md §3.7 (lock; nova lock_server.py, compute/api.py lock)");
    let changes: Vec<(&str, &str)> = ex.events.iter().map(|e| (e.from.as_str(), e.to.as_str())).collect();
    assert_eq!(changes, [("unlocked", "locked by owner")]);
    assert_eq!(sim.server(Provider::Nova, A).map(|v| v.locked), Some(true));
    let refused = sim.handle(post(&action(A), MEMBER, r#"{"os-stop": {}}"#));
    assert_eq!(
        (refused.response.status, message(&refused.response)),
        (409, format!("Instance {A} is locked"))
    );
    // The owner's second lock changes nothing (no event), and its unlock needs no override.
    let again = sim.handle(post(&action(A), MEMBER, r#"{"lock": {}}"#));
    assert_eq!((again.response.status, again.events.len()), (202, 0));
    let ex = sim.handle(post(&action(A), MEMBER, r#"{"unlock": null}"#));
    assert_eq!(ex.response.status, 202);
    assert_eq!(ex.events[0].to, "unlocked");
    let ex = sim.handle(post(&action(A), MEMBER, r#"{"unlock": null}"#));
    assert_eq!((ex.response.status, ex.events.len()), (202, 0), "unlocking an unlocked server is fine");

    // An admin of the server's own project locks as owner; one of another project as admin.
    sim.handle(post(&action(A), ADMIN, r#"{"lock": null}"#));
    assert_eq!(sim.handle(post(&action(A), MEMBER, r#"{"unlock": null}"#)).response.status, 202);
    sim.handle(post(&action(A), OUTSIDER, r#"{"lock": null}"#));
    let ex = sim.handle(post(&action(A), MEMBER, r#"{"unlock": null}"#));
    assert_eq!(ex.response.status, 403);
    assert_eq!(
        ex.response.body,
        r#"{"forbidden": {"code": 403, "message": "Policy doesn't allow os_compute_api:os-lock-server:unlock:unlock_override to be performed."}}"#
    );
    assert_eq!(sim.handle(post(&action(A), ADMIN, r#"{"unlock": null}"#)).response.status, 202);
    // D is locked by admin in the scenario: the member may neither lift it nor stop it; the admin may stop.
    assert_eq!(sim.handle(post(&action(D), MEMBER, r#"{"unlock": null}"#)).response.status, 403);

    // The reason: read and shown from 2.73, dropped below, refused when malformed from 2.73.
    let ex = sim.handle(at("2.73", post(&action(A), MEMBER, r#"{"lock": {"locked_reason": "disk check"}}"#)));
    assert_eq!(ex.response.status, 202);
    let shown = json(&sim.handle(at("2.73", get(&format!("/v2.1/servers/{A}"), MEMBER))).response);
    assert_eq!(
        (&shown["server"]["locked"], &shown["server"]["locked_reason"]),
        (&Value::Bool(true), &"disk check".into())
    );
    let older = json(&sim.handle(at("2.72", get(&format!("/v2.1/servers/{A}"), MEMBER))).response);
    assert!(older["server"].get("locked_reason").is_none() && older["server"]["locked"] == true);
    sim.handle(post(&action(A), MEMBER, r#"{"unlock": null}"#));
    let ex = sim.handle(post(&action(A), MEMBER, r#"{"lock": {"locked_reason": "dropped"}}"#));
    assert_eq!(ex.response.status, 202);
    assert!(ex.diagnosis.why.contains("drops the reason"), "{}", ex.diagnosis.why);
    let shown = json(&sim.handle(at("2.73", get(&format!("/v2.1/servers/{A}"), MEMBER))).response);
    assert_eq!(shown["server"]["locked_reason"], Value::Null);
    let ex = sim.handle(at("2.73", post(&action(A), MEMBER, r#"{"lock": {"locked_reason": ""}}"#)));
    assert_eq!(ex.response.status, 400);
    assert_eq!(
        message(&ex.response),
        "Invalid input for field/attribute locked_reason. Value: . '' should be non-empty"
    );
    // The legacy /v2 endpoint validates nothing and reads no reason.
    let ex = sim.handle(post(&format!("/v2/aaaa1111/servers/{A}/action"), MEMBER, r#"{"lock": "anything"}"#));
    assert_eq!(ex.response.status, 202);
    // Validation comes before the lookup; the policy after it.
    let ex = sim.handle(at("2.73", post(&action("nope"), MEMBER, r#"{"lock": 1}"#)));
    assert_eq!(ex.response.status, 400);
    let ex = sim.handle(post(&action("nope"), "reader-token-aaaa1111", r#"{"lock": null}"#));
    assert_eq!(ex.response.status, 404);
    let ex = sim.handle(post(&action(B), "reader-token-aaaa1111", r#"{"lock": null}"#));
    assert_eq!(
        message(&ex.response),
        "Policy doesn't allow os_compute_api:os-lock-server:lock to be performed."
    );
    let ex = sim.handle(post(&action(B), "reader-token-aaaa1111", r#"{"unlock": null}"#));
    assert_eq!(
        message(&ex.response),
        "Policy doesn't allow os_compute_api:os-lock-server:unlock to be performed."
    );
    let ex = sim.handle(post(&action(J), MEMBER, r#"{"unlock": null}"#));
    assert_eq!(message(&ex.response), format!("Instance {J} could not be found."));
}

/// A path without `/v2.1` is read as relative to the compute endpoint, and every accepted action's
/// diagnosis says so once, at its end; a versioned path, or a refused action, gets no such note.
#[test]
fn a_bare_path_is_noted_once_in_every_accepted_action() {
    use super::responses::BARE_PATH_NOTE as NOTE;
    let mut sim = sim();
    for (body, token) in [
        (r#"{"lock": null}"#, MEMBER),
        (r#"{"lock": {}}"#, MEMBER),
        (r#"{"unlock": null}"#, MEMBER),
        (r#"{"unlock": null}"#, MEMBER),
        (r#"{"os-stop": null}"#, MEMBER),
    ] {
        let ex = sim.handle(post(&format!("/servers/{A}/action"), token, body));
        let why = &ex.diagnosis.why;
        assert_eq!(ex.response.status, 202, "{body}: {why}");
        assert_eq!(why.matches(NOTE).count(), 1, "{body}: {why}");
        assert!(why.ends_with(&format!(". {NOTE}")), "{body}: {why}");
        let ex = sim.handle(post(&format!("/v2.1/servers/{A}/action"), token, body));
        assert!(!ex.diagnosis.why.contains(NOTE), "{body}: {}", ex.diagnosis.why);
    }
    let ex = sim.handle(post(&format!("/servers/{B}/action"), "reader-token-aaaa1111", r#"{"lock": null}"#));
    assert_eq!(ex.response.status, 403);
    assert!(!ex.diagnosis.why.contains(NOTE), "{}", ex.diagnosis.why);
}

/// A refused action names the server it addressed (the timeline files the exchange under it) whenever the
/// server exists: refused by the lookup of another project's server or by a policy; an id that was never
/// created names none.
#[test]
fn refused_actions_name_their_server() {
    let mut sim = sim();
    let action = |id: &str| format!("/v2.1/servers/{id}/action");
    let never = "12345678-1234-4234-8234-123456789abc";
    let reader = "reader-token-aaaa1111";
    let cases = [
        (action(J), MEMBER, r#"{"os-stop": null}"#, 404, Some(J)),
        (action(never), MEMBER, r#"{"os-stop": null}"#, 404, None),
        (action(B), reader, r#"{"os-stop": null}"#, 403, Some(B)),
        (action(B), reader, r#"{"os-start": null}"#, 403, Some(B)),
        (action(B), reader, r#"{"lock": null}"#, 403, Some(B)),
        (action(B), reader, r#"{"unlock": null}"#, 403, Some(B)),
        (action(J), MEMBER, r#"{"lock": null}"#, 404, Some(J)),
        (action(never), MEMBER, r#"{"unlock": null}"#, 404, None),
    ];
    for (path, token, body, status, server) in cases {
        let ex = sim.handle(post(&path, token, body));
        assert_eq!(ex.response.status, status, "{path} {body}");
        assert_eq!(ex.server.as_deref(), server, "{path} {body}");
    }
}
