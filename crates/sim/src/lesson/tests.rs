//! Unit tests for lesson files and the checker: errors name their place, each check kind, ordering, the
//! retry wait, and no panics on arbitrary input.

use super::*;
use crate::exchange::{Confidence, Diagnosis};
use crate::sim::Sim;
use crate::wire::WireRequest;
use proptest::prelude::*;

fn lesson_with(check: &str) -> String {
    format!(r#"{{"title": "T", "summary": "S", "steps": [{{"goal": "G", "hint": "H", "check": {check}}}]}}"#)
}

fn parse_err(text: &str) -> LessonError {
    Lesson::from_json(text).expect_err("should be rejected")
}

fn exchange(seq: u64, at_ms: u64, op: &str, status: u16, body: &str) -> Exchange {
    Exchange {
        seq,
        at: SimTime(at_ms),
        provider: Some(Provider::Transfer),
        operation: Some(op.to_string()),
        server: Some("s-0123456789abcdef0".to_string()),
        request: WireRequest::new("POST", "/").with_body("{\"ServerId\":\"s-0123456789abcdef0\"}"),
        response: WireResponse::new(status)
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_body(body.to_string()),
        events: Vec::new(),
        diagnosis: Diagnosis::new("test", "test", Confidence::Primary),
    }
}

fn event(at_ms: u64, server: &str, from: &str, to: &str) -> Event {
    Event {
        at: SimTime(at_ms),
        provider: Provider::Nova,
        server: server.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        cause: "test".to_string(),
    }
}

fn check(json: &str) -> Check {
    Lesson::from_json(&lesson_with(json)).expect("valid check").steps.remove(0).check
}

const THROTTLED: &str = r#"{"__type":"ThrottlingException","RetryAfterSeconds":"2"}"#;

#[test]
fn minimal_lesson_defaults_to_the_builtin_scenario() {
    let lesson =
        Lesson::from_json(&lesson_with(r#"{"reached": {"server": "x", "state": "OFFLINE"}}"#)).unwrap();
    assert_eq!(lesson.scenario, LessonScenario::builtin());
    assert_eq!(lesson.scenario().unwrap(), Scenario::builtin());
    assert_eq!(lesson.id, "");
    assert_eq!(lesson.provider, None);
}

#[test]
fn errors_name_the_place() {
    let cases = [
        ("{", "line 1 column 1"),
        ("{\n  \"title\": \"T\",\n", "line 3 column 0"),
        // The file is read in one pass, so a member of the wrong type is found before the end of the text.
        ("{\n  \"title\": 3,\n", "title"),
        ("[]", "lesson"),
        (r#"{"title": "T", "summary": "S"}"#, "steps"),
        (r#"{"title": "T", "summary": "S", "steps": []}"#, "steps"),
        (r#"{"title": "", "summary": "S", "steps": []}"#, "title"),
        (r#"{"title": "T", "summary": "S", "stpes": []}"#, "stpes"),
        (r#"{"format": "fleetplay-lesson/2", "title": "T", "summary": "S", "steps": []}"#, "format"),
        (r#"{"title": "T", "summary": "S", "provider": "ec2", "steps": []}"#, "provider"),
        (&lesson_with(r#"{"reached": {"server": "x"}}"#), "steps[0].check.reached.state"),
        (&lesson_with(r#"{"reachd": {}}"#), "steps[0].check.reachd"),
        (&lesson_with(r#"{"reached": {"server": "x", "state": "y"}, "all": []}"#), "steps[0].check"),
        (
            &lesson_with(r#"{"in_order": [{"response": {"status": 42}}]}"#),
            "steps[0].check.in_order[0].response.status",
        ),
        (
            &lesson_with(r#"{"any": [{"response": {"status": [200, "x"]}}]}"#),
            "steps[0].check.any[0].response.status[1]",
        ),
        (&lesson_with(r#"{"all": []}"#), "steps[0].check.all"),
        (&lesson_with(r#"{"response": {}}"#), "steps[0].check.response"),
        (&lesson_with(r#"{"response": {"ok": "yes"}}"#), "steps[0].check.response.ok"),
        (
            &lesson_with(r#"{"response": {"response_json": {"Server": 1}}}"#),
            "steps[0].check.response.response_json[\"Server\"]",
        ),
        (
            &lesson_with(r#"{"response": {"request_header": {"X": 1}}}"#),
            "steps[0].check.response.request_header.X",
        ),
        (&lesson_with(r#"{"retried": {"operation": 3}}"#), "steps[0].check.retried.operation"),
        (&lesson_with(r#""status 200""#), "steps[0].check"),
    ];
    for (text, place) in cases {
        let e = parse_err(text);
        assert_eq!(e.place, place, "{text}: {e}");
        assert!(!e.message.is_empty());
    }
    let e = parse_err(&lesson_with(r#"{"reachd": {}}"#));
    assert!(e.message.contains("reached, response, retried"), "{e}");
}

#[test]
fn step_members_are_checked() {
    let step = |s: &str| format!(r#"{{"title": "T", "summary": "S", "steps": [{s}]}}"#);
    let e = parse_err(&step(r#"{"goal": "G", "check": {"reached": {"server": "x", "state": "y"}}}"#));
    assert_eq!(e.place, "steps[0].hint");
    let e = parse_err(&step(
        r#"{"goal": "G", "hint": "H", "request": "nonsense", "check": {"reached": {"server": "x", "state": "y"}}}"#,
    ));
    assert_eq!(e.place, "steps[0].request");
    assert!(e.message.contains("line 1"), "{e}");
    let ok = Lesson::from_json(&step(
        r#"{"goal": "G", "hint": "H", "_note": "ignored", "request": "GET /v2.1/servers HTTP/1.1\nX-Auth-Token: t", "check": {"reached": {"server": "x", "state": "y"}}}"#,
    ))
    .unwrap();
    assert!(ok.steps[0].request.is_some());
}

#[test]
fn scenarios_builtin_empty_inline_and_overrides() {
    let with = |scenario: &str| {
        format!(
            r#"{{"title": "T", "summary": "S", "scenario": {scenario}, "steps": [{{"goal": "G", "hint": "H", "check": {{"reached": {{"server": "x", "state": "y"}}}}}}]}}"#
        )
    };
    let l = Lesson::from_json(&with(r#""empty""#)).unwrap();
    assert!(l.scenario().unwrap().fleet.transfer.is_empty());
    let l = Lesson::from_json(&with(
        r#"{"set": {"faults.transfer.throttle_per_second": 1, "fleet.transfer.0.state": "OFFLINE", "seed": 7}}"#,
    ))
    .unwrap();
    let s = l.scenario().unwrap();
    assert_eq!(s.faults.transfer.throttle_per_second, Some(1));
    assert_eq!(s.fleet.transfer[0].state, "OFFLINE");
    assert_eq!(s.seed, 7);
    let l = Lesson::from_json(&with(
        r#"{"base": {"title": "mine", "fleet": {"lightsail": [{"name": "web-1"}]}}}"#,
    ))
    .unwrap();
    assert_eq!(l.scenario().unwrap().fleet.lightsail[0].name, "web-1");
    // Problems inside the scenario name the scenario and the member.
    let e = parse_err(&with(r#"{"set": {"faults.transfer.throttle_per_secnd": 1}}"#));
    assert_eq!(e.place, "scenario");
    assert!(e.message.contains("throttle_per_secnd"), "{e}");
    let e = parse_err(&with(r#"{"set": {"fleet.transfer.99.state": "OFFLINE"}}"#));
    assert_eq!(e.place, "scenario.set[\"fleet.transfer.99.state\"]");
    let e = parse_err(&with(r#"{"base": {"fleet": {"transfer": [{"id": "nope"}]}}}"#));
    assert_eq!(
        e.to_string(),
        "scenario.base.fleet.transfer[0].id: \"nope\" does not match s-([0-9a-f]{17}) at line 1 column 89"
    );
    let e = parse_err(&with(r#"{"set": {"a..b": 1}}"#));
    assert_eq!(e.place, "scenario.set[\"a..b\"]");
    let e = parse_err(&with(r#""mars""#));
    assert_eq!(e.place, "scenario");
}

/// A lesson whose scenario is written out inline, pretty-printed as authors write it.
const INLINE_BASE: &str = r#"{
  "title": "Inline",
  "summary": "Stops one server",
  "scenario": {
    "base": {
      "seed": 3,
      "fleet": {
        "transfer": [
          {"id": "s-0123456789abcdef0", "state": "ONLINE"},
          {"id": "s-0123456789abcdef1", "state": "ONLINE"}
        ],
        "lightsail": [{"name": "web-1"}]
      },
      "settings": {"transfer": {"stopping": {"min_ms": 1000, "max_ms": 2000}}}
    }
  },
  "steps": [{"goal": "G", "hint": "H", "check": {"reached": {"server": "x", "state": "y"}}}]
}"#;

/// `INLINE_BASE` with its one `needle` replaced by `with`, and what reading it says.
fn spoiled_inline_base(needle: &str, with: &str) -> String {
    assert_eq!(INLINE_BASE.matches(needle).count(), 1, "{needle}");
    parse_err(&INLINE_BASE.replacen(needle, with, 1)).to_string()
}

/// Which problem of an inline base is the base's own, and where: a value an override replaces is not
/// (the lesson loads, or the override is named), and with several problems the one placed is the one the
/// scenario's reader meets first.
#[test]
fn overrides_and_several_problems_of_an_inline_base() {
    let with = |scenario: &str| {
        format!(
            r#"{{"title": "Arrêt", "scenario": {scenario}, "summary": "S", "steps": [{{"goal": "G", "hint": "H", "check": {{"reached": {{"server": "x", "state": "y"}}}}}}]}}"#
        )
    };
    // Bytes, as serde_json counts columns: the "ê" before the base on its line is two.
    let e = parse_err(&with(r#"{"base": {"seed": "x"}}"#));
    assert_eq!(
        e.to_string(),
        "scenario.base.seed: invalid type: string \"x\", expected u64 at line 1 column 53"
    );
    // An override of the wrong member (or of a list that holds it) replaces it.
    let fixed = Lesson::from_json(&with(r#"{"base": {"seed": "x"}, "set": {"seed": 4}}"#)).unwrap();
    assert_eq!(fixed.scenario().unwrap().seed, 4);
    let e = parse_err(&with(r#"{"base": {"seed": 1}, "set": {"seed": "y"}}"#));
    assert_eq!(
        e.to_string(),
        "scenario: the scenario is invalid at seed: invalid type: string \"y\", expected u64"
    );
    let e = parse_err(&with(
        r#"{"base": {"fleet": {"transfer": [{"id": "s-0123456789abcdef0", "state": "ONLINE"}]}}, "set": {"fleet.transfer.0.state": "UP"}}"#,
    ));
    assert_eq!(
        e.to_string(),
        "scenario: the scenario is invalid at fleet.transfer[0].state: unknown state \"UP\""
    );
    // An override beside a wrong member does not excuse it.
    let e = parse_err(&with(
        r#"{"base": {"fleet": {"transfer": [{"id": "s-0123456789abcdef0", "state": "UP"}]}}, "set": {"fleet.transfer.0.id": "s-0123456789abcdef1"}}"#,
    ));
    assert_eq!(
        e.to_string(),
        "scenario.base.fleet.transfer[0].state: unknown state \"UP\" at line 1 column 108"
    );
    // Two wrong members: the reader of the assembled scenario meets `seed` first (its members are in name
    // order), though the text has `title` first; it is placed where it is written.
    let e = parse_err(&with(r#"{"base": {"title": 5, "seed": "x"}}"#));
    assert_eq!(
        e.to_string(),
        "scenario.base.seed: invalid type: string \"x\", expected u64 at line 1 column 65"
    );
}

/// A problem deep inside an inline base is placed as every read error is: its path in the lesson file and
/// the line and column where the author must fix it (here counted by hand: the last byte of a wrong
/// scalar, the closing quote of an unknown member's name, the opening brace of a wrong object).
#[test]
fn problems_in_an_inline_base_name_their_line_and_column_in_the_lesson() {
    let lesson = Lesson::from_json(INLINE_BASE).unwrap();
    assert_eq!(lesson.scenario().unwrap().fleet.transfer[1].id, "s-0123456789abcdef1");
    // A wrong type.
    assert_eq!(
        spoiled_inline_base(r#""name": "web-1""#, r#""name": 5"#),
        "scenario.base.fleet.lightsail[0].name: invalid type: integer `5`, expected a string at line 12 column 32"
    );
    // An unknown member.
    assert_eq!(
        spoiled_inline_base(r#""max_ms""#, r#""max_mss""#),
        "scenario.base.settings.transfer.stopping.max_mss: unknown field `max_mss`, expected `min_ms` or \
         `max_ms` at line 14 column 70"
    );
    // Bad values deep inside: one the scenario's validation refuses, one its reader refuses.
    assert_eq!(
        spoiled_inline_base(r#"abcdef1", "state": "ONLINE""#, r#"abcdef1", "state": "RUNNING""#),
        "scenario.base.fleet.transfer[1].state: unknown state \"RUNNING\" at line 10 column 58"
    );
    assert_eq!(
        spoiled_inline_base(r#""min_ms": 1000"#, r#""min_ms": -5"#),
        "scenario.base.settings.transfer.stopping.min_ms: invalid value: integer `-5`, expected u64 at line 14 \
         column 57"
    );
    // An object the validation refuses as a whole, written over several lines: placed at its `{` on line 14,
    // not at its `}` three lines below.
    assert_eq!(
        spoiled_inline_base(
            r#"{"min_ms": 1000, "max_ms": 2000}"#,
            "{\n        \"min_ms\": 3000,\n        \"max_ms\": 2000\n      }"
        ),
        "scenario.base.settings.transfer.stopping: min_ms is greater than max_ms at line 14 column 45"
    );
}

#[test]
fn error_types_from_each_envelope() {
    let r = |status: u16, body: &str| WireResponse::new(status).with_body(body.to_string());
    assert_eq!(error_type(&r(400, THROTTLED)).as_deref(), Some("ThrottlingException"));
    assert_eq!(
        error_type(&r(400, r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#)).as_deref(),
        Some("UnknownOperationException")
    );
    assert_eq!(
        error_type(&r(400, r#"{"__type":"ValidationException:http://internal.amazon.com/x"}"#)).as_deref(),
        Some("ValidationException")
    );
    assert_eq!(
        error_type(&r(409, r#"{"conflictingRequest": {"code": 409, "message": "Instance D is locked"}}"#))
            .as_deref(),
        Some("conflictingRequest")
    );
    assert_eq!(
        error_message(&r(409, r#"{"conflictingRequest": {"code": 409, "message": "m"}}"#)).as_deref(),
        Some("m")
    );
    assert_eq!(error_type(&r(200, r#"{"server": {"id": "x", "status": "ACTIVE"}}"#)), None);
    assert_eq!(error_type(&r(404, "The resource could not be found.")), None);
    let header =
        WireResponse::new(400).with_header("X-Amzn-Errortype", "aws.protocoltests#InvalidGreeting:x");
    assert_eq!(error_type(&header).as_deref(), Some("InvalidGreeting"));
}

#[test]
fn retry_after_from_body_fault_or_header() {
    assert_eq!(retry_after_ms(&WireResponse::new(400).with_body(THROTTLED.into())), 2000);
    let nova = r#"{"overLimit": {"code": 429, "message": "m", "retryAfter": "1"}}"#;
    assert_eq!(retry_after_ms(&WireResponse::new(429).with_body(nova.into())), 1000);
    assert_eq!(retry_after_ms(&WireResponse::new(429).with_header("Retry-After", "3")), 3000);
    assert_eq!(
        retry_after_ms(&WireResponse::new(400).with_body("{\"RetryAfterSeconds\":\"soon\"}".into())),
        0
    );
    assert_eq!(
        retry_after_ms(&WireResponse::new(400).with_body("{\"RetryAfterSeconds\":1e308}".into())),
        u64::MAX
    );
}

#[test]
fn retried_needs_the_advertised_wait() {
    let c = check(r#"{"retried": {"operation": "DescribeServer"}}"#);
    let throttled = exchange(1, 0, "DescribeServer", 400, THROTTLED);
    let too_early = exchange(2, 1_999, "DescribeServer", 200, "{}");
    let in_time = exchange(3, 2_000, "DescribeServer", 200, "{}");
    let entries = |xs: Vec<Exchange>| xs.into_iter().map(Entry::Exchange).collect::<Vec<_>>();
    assert_eq!(c.proof(&entries(vec![throttled.clone(), too_early.clone()])), None);
    let proof = c.proof(&entries(vec![throttled.clone(), too_early.clone(), in_time.clone()])).unwrap();
    assert_eq!(proof.exchanges, vec![1, 3]);
    assert_eq!(proof.at, SimTime(2_000));
    // Success without a throttle first proves nothing; nor does a retry of another operation.
    assert_eq!(c.proof(&entries(vec![in_time.clone()])), None);
    let other = exchange(4, 5_000, "StopServer", 200, "");
    assert_eq!(check(r#"{"retried": {}}"#).proof(&entries(vec![throttled.clone(), other])), None);
    // The last throttled answer before the success sets the wait.
    let again = exchange(5, 1_500, "DescribeServer", 400, THROTTLED);
    assert_eq!(c.proof(&entries(vec![throttled.clone(), again.clone(), in_time.clone()])), None);
    let later = exchange(6, 3_500, "DescribeServer", 200, "{}");
    assert!(c.proof(&entries(vec![throttled, again, in_time, later])).is_some());
    // A throttled answer that names no server is matched by path and body.
    let mut anonymous = exchange(7, 0, "DescribeServer", 400, THROTTLED);
    anonymous.server = None;
    let retry = exchange(8, 2_000, "DescribeServer", 200, "{}");
    assert!(c.proof(&entries(vec![anonymous.clone(), retry.clone()])).is_some());
    let mut elsewhere = retry;
    elsewhere.request.body = "{\"ServerId\":\"s-00000000000000001\"}".into();
    assert_eq!(c.proof(&entries(vec![anonymous, elsewhere])), None);
    // A named error type counts only that error.
    let nova = check(r#"{"retried": {"error": "overLimit"}}"#);
    assert_eq!(
        nova.proof(&entries(vec![exchange(1, 0, "X", 400, THROTTLED), exchange(2, 9_000, "X", 200, "")])),
        None
    );
}

#[test]
fn reached_matches_whole_states_or_their_parts() {
    let entries = vec![
        Entry::Event(event(10, "A", "ACTIVE", "ACTIVE · powering-off")),
        Entry::Event(event(20, "A", "ACTIVE · powering-off", "SHUTOFF")),
    ];
    assert_eq!(
        check(r#"{"reached": {"server": "A", "state": "powering-off"}}"#).proof(&entries).unwrap().at,
        SimTime(10)
    );
    assert!(check(r#"{"reached": {"server": "A", "state": "ACTIVE · powering-off"}}"#)
        .proof(&entries)
        .is_some());
    assert!(check(r#"{"reached": {"server": "A", "state": "SHUTOFF", "from": "powering-off"}}"#)
        .proof(&entries)
        .is_some());
    assert!(check(r#"{"reached": {"server": "A", "state": "SHUTOFF", "from": "ACTIVE"}}"#)
        .proof(&entries)
        .is_some());
    assert!(check(r#"{"reached": {"server": "A", "state": "SHUTOFF", "from": "paused"}}"#)
        .proof(&entries)
        .is_none());
    assert!(check(r#"{"reached": {"server": "A", "state": "power"}}"#).proof(&entries).is_none());
    assert!(check(r#"{"reached": {"provider": "transfer", "server": "A", "state": "SHUTOFF"}}"#)
        .proof(&entries)
        .is_none());
    assert!(check(r#"{"reached": {"server": "B", "state": "SHUTOFF"}}"#).proof(&entries).is_none());
}

#[test]
fn response_checks_match_every_given_property() {
    let mut ex = exchange(7, 0, "StopInstance", 200, r#"{"operations":[{"status":"Started"}]}"#);
    ex.provider = Some(Provider::Lightsail);
    ex.server = Some("Stuck-1".into());
    ex.request = WireRequest::new("POST", "/")
        .with_header("X-Auth-Token", "admin")
        .with_body(r#"{"instanceName":"Stuck-1","force":true}"#);
    let mut refused = exchange(
        8,
        5,
        "StopInstance",
        400,
        r#"{"__type":"InvalidInputException","message":"The instance Stopped-1 is already stopped."}"#,
    );
    refused.provider = Some(Provider::Lightsail);
    let entries = vec![Entry::Exchange(ex), Entry::Exchange(refused)];
    assert_eq!(
        check(r#"{"response": {"error": "InvalidInputException", "message_contains": "already stopped"}}"#)
            .proof(&entries)
            .map(|p| p.exchanges),
        Some(vec![8])
    );
    assert_eq!(check(r#"{"response": {"message_contains": "is locked"}}"#).proof(&entries), None);
    let yes = [
        r#"{"response": {"operation": "StopInstance"}}"#,
        r#"{"response": {"provider": "lightsail", "server": "Stuck-1", "status": [200, 202], "ok": true}}"#,
        r#"{"response": {"request_json": {"/force": true}, "response_json": {"/operations/0/status": "Started"}}}"#,
        r#"{"response": {"request_header": {"x-auth-token": "admin"}}}"#,
    ];
    for c in yes {
        assert_eq!(check(c).proof(&entries).map(|p| p.exchanges), Some(vec![7]), "{c}");
    }
    let no = [
        r#"{"response": {"operation": "StopServer"}}"#,
        r#"{"response": {"provider": "nova"}}"#,
        r#"{"response": {"status": 500}}"#,
        r#"{"response": {"ok": false, "operation": "GetInstance"}}"#,
        r#"{"response": {"error": "NotFoundException"}}"#,
        r#"{"response": {"request_json": {"/force": false}}}"#,
        r#"{"response": {"request_json": {"/missing": null}}}"#,
        r#"{"response": {"request_header": {"X-Auth-Token": "member"}}}"#,
        r#"{"response": {"server": "WordPress-1"}}"#,
    ];
    for c in no {
        assert_eq!(check(c).proof(&entries), None, "{c}");
    }
}

#[test]
fn composition_all_any_in_order() {
    let entries = vec![
        Entry::Exchange(exchange(1, 0, "StopServer", 200, "")),
        Entry::Event(event(5, "A", "ACTIVE", "SHUTOFF")),
        Entry::Exchange(exchange(2, 9, "DescribeServer", 200, "{}")),
    ];
    let stop = r#"{"response": {"operation": "StopServer"}}"#;
    let describe = r#"{"response": {"operation": "DescribeServer"}}"#;
    let off = r#"{"reached": {"server": "A", "state": "SHUTOFF"}}"#;
    let in_order = |a: &str, b: &str| check(&format!(r#"{{"in_order": [{a}, {b}]}}"#));
    assert!(in_order(stop, describe).proof(&entries).is_some());
    assert!(in_order(describe, stop).proof(&entries).is_none());
    assert!(in_order(stop, stop).proof(&entries).is_none());
    assert!(in_order(off, describe).proof(&entries).is_some());
    let all = check(&format!(r#"{{"all": [{describe}, {stop}, {off}]}}"#)).proof(&entries).unwrap();
    assert_eq!(all.exchanges, vec![1, 2]);
    assert_eq!(all.at, SimTime(9));
    let any = check(&format!(r#"{{"any": [{describe}, {off}]}}"#)).proof(&entries).unwrap();
    assert_eq!(any.at, SimTime(5));
    assert!(check(&format!(r#"{{"all": [{stop}, {{"response": {{"status": 500}}}}]}}"#))
        .proof(&entries)
        .is_none());
}

#[test]
fn steps_are_done_in_order_and_evidence_gathered_early_is_credited() {
    let text = r#"{"title": "T", "summary": "S", "steps": [
        {"goal": "a", "hint": "h", "check": {"response": {"operation": "DescribeServer"}}},
        {"goal": "b", "hint": "h", "check": {"response": {"operation": "StopServer"}}},
        {"goal": "c", "hint": "h", "check": {"response": {"operation": "DescribeServer"}}}
    ]}"#;
    let lesson = Lesson::from_json(text).unwrap();
    let e = |seq, op: &str| Entry::Exchange(exchange(seq, seq * 10, op, 200, "{}"));
    let states = |entries: &[Entry]| progress(&lesson, entries).iter().map(|s| s.state).collect::<Vec<_>>();
    use StepState::*;
    assert_eq!(states(&[]), [Current, Pending, Pending]);
    // A later step done early waits for the steps before it, then is credited at once, at the moment the
    // step before it was done.
    assert_eq!(states(&[e(1, "StopServer")]), [Current, Pending, Pending]);
    let early = [e(1, "StopServer"), e(2, "DescribeServer")];
    assert_eq!(states(&early), [Done, Done, Current]);
    let status = progress(&lesson, &early);
    assert_eq!(status[1].proof.as_ref().unwrap().exchanges, vec![1]);
    assert_eq!(status[1].proof.as_ref().unwrap().at, SimTime(20), "credited when step a was done");
    assert_eq!(status[1].proof.as_ref().unwrap().sends, 2);
    // One answer completes one step: the DescribeServer that proved step a does not prove step c too.
    assert_eq!(states(&[e(1, "DescribeServer"), e(2, "StopServer")]), [Done, Done, Current]);
    let all = [e(1, "DescribeServer"), e(2, "StopServer"), e(3, "DescribeServer")];
    assert_eq!(states(&all), [Done, Done, Done]);
    assert!(lesson.completed(&all));
    assert_eq!(progress(&lesson, &all)[2].proof.as_ref().unwrap().exchanges, vec![3]);
    // Where each step begins: the moment the step before it was done.
    let status = progress(&lesson, &all);
    assert_eq!(step_start(&status, 0), Some((0, SimTime::ZERO)));
    assert_eq!(step_start(&status, 1), Some((1, SimTime(10))));
    assert_eq!(step_start(&status, 2), Some((2, SimTime(20))));
    assert_eq!(step_start(&progress(&lesson, &[]), 1), None);
}

#[test]
fn a_later_step_may_build_on_an_earlier_ones_evidence() {
    let text = r#"{"title": "T", "summary": "S", "steps": [
        {"goal": "a", "hint": "h", "check": {"response": {"error": "ThrottlingException"}}},
        {"goal": "b", "hint": "h", "check": {"retried": {}}},
        {"goal": "c", "hint": "h", "check": {"all": [
            {"response": {"operation": "DescribeServer", "status": 400}},
            {"response": {"operation": "DescribeServer", "status": 200}}
        ]}},
        {"goal": "d", "hint": "h", "check": {"in_order": [
            {"response": {"operation": "DescribeServer", "status": 400}},
            {"response": {"operation": "StopServer"}}
        ]}}
    ]}"#;
    let lesson = Lesson::from_json(text).unwrap();
    let throttled = Entry::Exchange(exchange(1, 0, "DescribeServer", 400, THROTTLED));
    let retry = Entry::Exchange(exchange(2, 2_000, "DescribeServer", 200, "{}"));
    let again = Entry::Exchange(exchange(3, 3_000, "DescribeServer", 200, "{}"));
    let stop = Entry::Exchange(exchange(4, 4_000, "StopServer", 200, ""));
    let states = |entries: &[Entry]| progress(&lesson, entries).iter().map(|s| s.state).collect::<Vec<_>>();
    use StepState::*;
    // The retry answers the throttle that proved step a; the `all` of step c needs a fresh member.
    assert_eq!(states(&[throttled.clone(), retry.clone()]), [Done, Done, Current, Pending]);
    let status = progress(&lesson, &[throttled.clone(), retry.clone(), again.clone(), stop.clone()]);
    assert_eq!(status.iter().map(|s| s.state).collect::<Vec<_>>(), [Done, Done, Done, Done]);
    assert_eq!(status[1].proof.as_ref().unwrap().exchanges, vec![1, 2]);
    assert_eq!(status[2].proof.as_ref().unwrap().exchanges, vec![1, 3]);
    assert_eq!(status[3].proof.as_ref().unwrap().exchanges, vec![1, 4]);
    // Without the fresh StopServer the last step stays open.
    assert_eq!(states(&[throttled, retry, again]), [Done, Done, Done, Current]);
}

#[test]
fn a_real_run_proves_a_stop() {
    let lesson = Lesson::from_json(&lesson_with(
        r#"{"in_order": [
            {"response": {"provider": "transfer", "operation": "StopServer", "server": "s-0123456789abcdef0", "status": 200}},
            {"reached": {"server": "s-0123456789abcdef0", "state": "STOPPING"}},
            {"reached": {"server": "s-0123456789abcdef0", "state": "OFFLINE"}}
        ]}"#,
    ))
    .unwrap();
    let mut sim = Sim::new(lesson.scenario().unwrap()).unwrap();
    let ex = sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_body(r#"{"ServerId":"s-0123456789abcdef0"}"#),
    );
    let mut entries = vec![Entry::Exchange(ex)];
    assert!(!lesson.completed(&entries));
    entries.extend(sim.advance_by(600_000).into_iter().map(Entry::Event));
    assert!(lesson.completed(&entries), "{entries:#?}");
}

#[test]
fn descriptions_read_as_sentences() {
    assert_eq!(
        check(r#"{"reached": {"provider": "transfer", "server": "s-1", "state": "OFFLINE", "from": "STOPPING"}}"#).describe(),
        "transfer server s-1 reached OFFLINE from STOPPING"
    );
    assert_eq!(
        check(r#"{"response": {"operation": "os-stop", "server": "D", "status": 409, "error": "conflictingRequest"}}"#)
            .describe(),
        "an os-stop answer for D with status 409 with error conflictingRequest"
    );
    assert!(check(r#"{"in_order": [{"retried": {}}, {"any": [{"response": {"ok": true}}]}]}"#)
        .describe()
        .starts_with("in order: a call succeeded after being throttled"));
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        prop::sample::select(vec![
            "builtin",
            "empty",
            "OFFLINE",
            "s-0123456789abcdef0",
            "StopServer",
            "transfer",
            "/x",
            "",
            "x",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "title",
                    "summary",
                    "steps",
                    "goal",
                    "hint",
                    "check",
                    "reached",
                    "response",
                    "retried",
                    "all",
                    "any",
                    "in_order",
                    "server",
                    "state",
                    "status",
                    "scenario",
                    "set",
                    "base",
                    "request_json",
                    "ok",
                    "error",
                    "provider",
                ])
                .prop_map(str::to_string),
                inner,
                0..5,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn arbitrary_files_never_panic(text in ".{0,200}", value in json_value()) {
        let _ = Lesson::from_json(&text);
        if let Ok(lesson) = Lesson::from_json(&value.to_string()) {
            let _ = progress(&lesson, &[]);
        }
    }
}

#[test]
fn base_scenarios_read_back_as_the_values_they_serialize_to() {
    for scenario in [Scenario::builtin(), Scenario::default()] {
        let via_text: serde_json::Value = serde_json::from_str::<Value>(&scenario.to_json_pretty()).unwrap();
        assert_eq!(via_text, serde_json::to_value(&scenario).unwrap());
    }
}

/// Where serde's derived reader reads a lesson differently from the hand-walked reader before it: a member
/// given twice is an error (it used to keep the last value), and a member of the wrong type is reported
/// where it is even when the text breaks off later (the whole text used to be parsed first).
#[test]
fn duplicate_members_are_errors() {
    let text = r#"{"title": "T", "title": "U", "summary": "S", "steps": []}"#;
    let e = parse_err(text);
    assert_eq!(
        (e.place.as_str(), e.message.as_str()),
        ("lesson", "duplicate field `title` at line 1 column 22")
    );
    let e = parse_err("{\"title\": 3, \"summary\": ");
    assert_eq!(e.place, "title");
}
