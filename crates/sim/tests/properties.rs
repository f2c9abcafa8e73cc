//! Property tests (native only): no input makes the simulator or the importers panic, every provider answers
//! in its own envelope with an error code from its own list (and marks its message text [U] exactly when
//! the spec does not quote it), every successful curl import reads back as raw HTTP (export/import round
//! trips are in `snippets_curl.rs`), and random
//! scripts are deterministic.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use sim::curl::parse_curl;
use sim::http::parse_request;
use sim::scenario::{
    LightsailNameError, LightsailStopStopped, StatusProfile, TransferStopOffline, ValidationStyle,
};
use sim::transcript::{render_jsonl, render_text, Entry};
use sim::{Exchange, Provider, Scenario, Sim, WireRequest};

#[path = "support/message_texts.rs"]
mod message_texts;

thread_local! {
    /// The spec, read once per test thread for the message-text check.
    static SPEC: message_texts::Spec = message_texts::Spec::load();
}

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

/// Arbitrary JSON, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("s-0123456789abcdef0"),
            Just("s-fffffffffffffffff"),
            Just("WordPress-1"),
            Just("Stuck-1"),
            Just("null"),
            Just("")
        ]
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("ServerId".to_string()),
                        Just("instanceName".to_string()),
                        Just("force".to_string()),
                        Just("os-stop".to_string()),
                        Just("os-start".to_string()),
                        Just("locked_reason".to_string()),
                        Just("operationId".to_string()),
                        Just("MaxResults".to_string()),
                        Just("NextToken".to_string()),
                        "[a-zA-Z_-]{0,10}"
                    ],
                    inner
                ),
                0..4
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// A body: JSON (often a plausible one), or text that is not JSON.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => json_value().prop_map(|v| v.to_string()),
        1 => Just(String::new()),
        1 => ".{0,40}",
        1 => Just("{\"ServerId\":".to_string()),
    ]
}

const TRANSFER_OPS: &[&str] =
    &["StopServer", "StartServer", "DescribeServer", "ListServers", "StopServers", "stopServer", ""];
const LIGHTSAIL_OPS: &[&str] = &[
    "StopInstance",
    "StartInstance",
    "GetInstance",
    "GetInstances",
    "GetInstanceState",
    "GetOperation",
    "StopInstances",
    "stopInstance",
];
const NOVA_IDS: &[&str] = &[
    "a0000000-0000-4000-8000-00000000000a",
    "b0000000-0000-4000-8000-00000000000b",
    "c0000000-0000-4000-8000-00000000000c",
    "d0000000-0000-4000-8000-00000000000d",
    "e0000000-0000-4000-8000-00000000000e",
    "f0000000-0000-4000-8000-00000000000f",
    "70000000-0000-4000-8000-000000000007",
    "80000000-0000-4000-8000-000000000008",
    "90000000-0000-4000-8000-000000000009",
    "0199340e-0f3e-4612-96be-6f1861b192b5",
    "zzzz",
];

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(items).prop_map(str::to_string)
}

/// Maybe a header with one of the given values (or an arbitrary one).
fn maybe_header(
    name: &'static str,
    values: &'static [&'static str],
) -> impl Strategy<Value = Option<(String, String)>> {
    prop_oneof![
        2 => Just(None),
        4 => pick(values).prop_map(move |v| Some((name.to_string(), v))),
        1 => "[ -~]{0,20}".prop_map(move |v| Some((name.to_string(), v))),
    ]
}

fn aws_request(prefix: &'static str, ops: &'static [&'static str]) -> impl Strategy<Value = WireRequest> {
    (
        prop_oneof![8 => Just("POST"), 1 => Just("GET"), 1 => Just("PUT")],
        prop_oneof![8 => Just("/"), 1 => Just("/ls/api/2016-11-28/StopInstance"), 1 => Just("/?x=1")],
        prop_oneof![8 => pick(ops), 1 => ".{0,12}"],
        maybe_header(
            "Content-Type",
            &["application/x-amz-json-1.1", "application/x-amz-json-1.1; charset=utf-8", "application/json"],
        ),
        maybe_header(
            "Authorization",
            &["AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/transfer/aws4_request"],
        ),
        body(),
        // Mostly the service's own target; sometimes none, or another AWS service's (unclaimed routes).
        prop_oneof![12 => Just(Some(prefix)), 1 => Just(None), 1 => Just(Some("DynamoDB_20120810."))],
    )
        .prop_map(move |(method, path, op, ct, auth, body, target)| {
            let mut r = WireRequest::new(method, path);
            if let Some(prefix) = target {
                r = r.with_header("X-Amz-Target", &format!("{prefix}{op}"));
            }
            r.headers.extend(ct);
            r.headers.extend(auth);
            r.with_body(&body)
        })
}

fn nova_request() -> impl Strategy<Value = WireRequest> {
    let prefix = prop_oneof![
        Just(""),
        Just("/v2.1"),
        Just("/v2.1/aaaa1111"),
        Just("/v2/aaaa1111"),
        Just("/v2/bbbb2222"),
        Just("/v2/my-proj!")
    ];
    let resource = prop_oneof![
        Just("/servers/{id}/action".to_string()),
        Just("/servers/{id}".to_string()),
        Just("/servers".to_string()),
        Just("/servers/detail".to_string()),
        Just("/".to_string()),
        "/[a-z/{}]{0,16}",
    ];
    let action_body = prop_oneof![
        4 => (pick(&["os-stop", "os-start", "os-stopp", "reboot", "lock", "unlock"]), json_value())
            .prop_map(|(k, v)| serde_json::json!({ k: v }).to_string()),
        2 => body(),
    ];
    (
        prop_oneof![6 => Just("POST"), 3 => Just("GET"), 1 => Just("DELETE")],
        prefix,
        resource,
        pick(NOVA_IDS),
        maybe_header(
            "X-Auth-Token",
            &[
                "member-token-aaaa1111",
                "admin-token-aaaa1111",
                "admin-token-bbbb2222",
                "reader-token-aaaa1111",
                "f064c46a782c444cb4ba4b6434288f7c",
                "nope",
            ],
        ),
        maybe_header("Content-Type", &["application/json", "application/xml", "text/plain", ""]),
        maybe_header(
            "OpenStack-API-Version",
            &["compute 2.1", "compute 2.65", "compute 2.73", "compute 2.x", "compute 3.0", "compute latest"],
        ),
        maybe_header("Accept", &["application/json", "text/html", "*/*"]),
        action_body,
    )
        .prop_map(|(method, prefix, resource, id, token, ct, version, accept, body)| {
            let path = format!("{prefix}{}", resource.replace("{id}", &id));
            let mut r = WireRequest::new(method, if path.is_empty() { "/" } else { &path });
            r.headers.extend(token);
            r.headers.extend(ct);
            r.headers.extend(version);
            r.headers.extend(accept);
            r.with_body(&body)
        })
}

fn any_provider_request() -> impl Strategy<Value = WireRequest> {
    prop_oneof![
        aws_request("TransferService.", TRANSFER_OPS),
        aws_request("Lightsail_20161128.", LIGHTSAIL_OPS),
        nova_request(),
    ]
}

/// A scenario with some faults and switchable behaviours chosen at random.
fn scenario() -> impl Strategy<Value = Scenario> {
    (any::<u64>(), any::<bool>(), 0u8..4, proptest::option::of(1u32..4), any::<u16>()).prop_map(
        |(seed, model, faults, throttle, switches)| {
            let mut s = Scenario::builtin();
            s.seed = seed;
            if model {
                s.settings.status_profile = StatusProfile::ServiceModel;
            }
            // Every switchable behaviour and account-level fault, each on in some scenarios.
            let on = |bit: u16| switches & (1 << bit) != 0;
            s.settings.require_aws_auth = on(0);
            if on(1) {
                s.settings.validation_style = ValidationStyle::Smithy;
            }
            if on(2) {
                s.settings.transfer.stop_when_offline = TransferStopOffline::InvalidRequest;
            }
            s.settings.transfer.empty_object_body = on(3);
            if on(4) {
                s.settings.lightsail.stop_when_stopped = LightsailStopStopped::NewOperation;
            }
            if on(5) {
                s.settings.lightsail.name_error = LightsailNameError::Validation;
            }
            // Rarer, since each refuses every Lightsail request.
            s.faults.lightsail.unauthenticated = on(6) && on(7) && on(8);
            s.faults.lightsail.account_setup_in_progress = on(9) && on(10) && on(11);
            s.faults.lightsail.region_setup_in_progress = on(12) && on(13) && on(14);
            let rate = f64::from(faults) * 0.1;
            s.faults.transfer.internal_error_rate = rate;
            s.faults.transfer.unavailable_rate = rate;
            s.faults.transfer.stop_failure_rate = rate;
            s.faults.transfer.throttle_per_second = throttle;
            s.faults.lightsail.service_error_rate = rate;
            s.faults.lightsail.stuck_rate = rate;
            s.faults.lightsail.throttle_per_second = throttle;
            s.faults.nova.unavailable_rate = rate;
            s.faults.nova.throttle_per_second = throttle;
            s
        },
    )
}

/// A script: requests with pauses (ms) after them.
fn script() -> impl Strategy<Value = Vec<(WireRequest, u64)>> {
    proptest::collection::vec(
        (any_provider_request(), prop_oneof![3 => Just(0u64), 2 => 0u64..5_000, 1 => 0u64..600_000]),
        1..12,
    )
}

fn run_script(scenario: &Scenario, script: &[(WireRequest, u64)]) -> Vec<Entry> {
    let mut sim = Sim::new(scenario.clone()).expect("generated scenarios are valid");
    let mut entries = Vec::new();
    for (request, pause) in script {
        entries.push(Entry::Exchange(sim.handle(request.clone())));
        entries.extend(sim.advance_by(*pause).into_iter().map(Entry::Event));
    }
    entries
}

// ---------------------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------------------

const TRANSFER_ERRORS: &[&str] = &[
    "ResourceNotFoundException",
    "InvalidRequestException",
    "ThrottlingException",
    "InternalServiceError",
    "ServiceUnavailableException",
    "InvalidNextTokenException",
    "ValidationException",
    "SerializationException",
    "UnknownOperationException",
    "MissingAuthenticationTokenException",
];

const LIGHTSAIL_ERRORS: &[&str] = &[
    "ServiceException",
    "InvalidInputException",
    "NotFoundException",
    "AccountSetupInProgressException",
    "RegionSetupInProgressException",
    "UnauthenticatedException",
    "ThrottlingException",
    "ValidationException",
    "SerializationException",
    "UnknownOperationException",
    "MissingAuthenticationTokenException",
];

/// Checks the provider's envelope on one exchange; returns what is wrong.
fn envelope_problem(ex: &Exchange) -> Option<String> {
    let status = ex.response.status;
    let body = &ex.response.body;
    match ex.provider? {
        p @ (Provider::Transfer | Provider::Lightsail) => {
            if ex.response.header("x-amzn-RequestId").is_none_or(str::is_empty) {
                return Some(format!("{p:?} response without x-amzn-RequestId"));
            }
            if status < 400 {
                return None;
            }
            let errors = if p == Provider::Transfer { TRANSFER_ERRORS } else { LIGHTSAIL_ERRORS };
            if ex.response.header("Content-Type") != Some("application/x-amz-json-1.1") {
                return Some(format!("{p:?} {status} without the awsJson content type"));
            }
            let value: Value = match serde_json::from_str(body) {
                Ok(v) => v,
                Err(e) => return Some(format!("{p:?} {status} body is not JSON ({e}): {body:?}")),
            };
            // Transfer spells the message member `Message`, Lightsail `message` (invariant 4); a framework
            // ValidationException in the Smithy style has the Smithy shape's `message` and `fieldList` instead.
            let smithy_validation = value.get("fieldList").is_some();
            if smithy_validation
                && (value.get("__type").and_then(Value::as_str) != Some("ValidationException")
                    || value.get("message").and_then(Value::as_str).is_none()
                    || value.get("Message").is_some())
            {
                return Some(format!(
                    "{p:?} {status}: fieldList outside a Smithy ValidationException: {body}"
                ));
            }
            let (own, other) =
                if p == Provider::Transfer { ("Message", "message") } else { ("message", "Message") };
            if !smithy_validation && value.get(other).is_some() {
                return Some(format!("{p:?} {status} spells its message {other:?}, not {own:?}: {body}"));
            }
            match value.get("__type").and_then(Value::as_str) {
                Some(t) if errors.contains(&t) => None,
                Some(t) => Some(format!("{p:?} error type {t:?} is not in its list")),
                None => Some(format!("{p:?} {status} without __type: {body}")),
            }
        }
        Provider::Nova => {
            if status < 400 {
                return None;
            }
            let value: Option<Value> = serde_json::from_str(body).ok();
            let fault = |key: &str| -> Option<String> {
                let inner = value
                    .as_ref()
                    .and_then(|v| v.as_object())
                    .filter(|o| o.len() == 1)
                    .and_then(|o| o.get(key));
                match inner.and_then(|i| i.get("code")).and_then(Value::as_u64) {
                    Some(code) if code == u64::from(status) => {
                        if inner.and_then(|i| i.get("message")).and_then(Value::as_str).is_some() {
                            None
                        } else {
                            Some(format!("Nova {status} fault without a message: {body}"))
                        }
                    }
                    _ => Some(format!("Nova {status}: expected a {{\"{key}\": {{\"code\": {status}, …}}}} body, got {body:?}")),
                }
            };
            match status {
                400 => fault("badRequest"),
                401 => match value.as_ref().and_then(|v| v.pointer("/error/code")).and_then(Value::as_u64) {
                    Some(401) => None,
                    _ => Some(format!("Nova 401 without the keystonemiddleware body: {body:?}")),
                },
                403 => fault("forbidden"),
                404 => {
                    let page = !ex.response.header("Content-Type").unwrap_or("").contains("json")
                        || value.as_ref().and_then(|v| v.get("title")).and_then(Value::as_str)
                            == Some("Not Found");
                    if page {
                        None
                    } else {
                        fault("itemNotFound")
                    }
                }
                405 => fault("badMethod"),
                406 | 500 => fault("computeFault"),
                409 => fault("conflictingRequest"),
                413 | 429 => fault("overLimit"),
                415 => fault("badMediaType"),
                501 => fault("notImplemented"),
                503 => fault("serviceUnavailable"),
                other => Some(format!("Nova answered an unexpected status {other}: {body:?}")),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_raw_http_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(request) = parse_request(&text) {
            let mut sim = Sim::builtin(1);
            let ex = sim.handle(request);
            prop_assert_eq!(envelope_problem(&ex), None);
        }
    }

    #[test]
    fn near_http_text_never_panics(
        line in prop_oneof![Just("POST / HTTP/1.1".to_string()), Just("POST /v2.1/servers/a0000000-0000-4000-8000-00000000000a/action HTTP/1.1".to_string()), Just("GET /v2/aaaa1111/servers".to_string()), "[A-Z]{1,6} /[ -~]{0,20}( HTTP/1.1)?"],
        headers in proptest::collection::vec(prop_oneof![
            Just("Content-Type: application/x-amz-json-1.1".to_string()),
            Just("X-Amz-Target: TransferService.StopServer".to_string()),
            Just("X-Amz-Target: Lightsail_20161128.StopInstance".to_string()),
            Just("X-Auth-Token: member-token-aaaa1111".to_string()),
            "[!-9;-~]{1,12}: [ -~]{0,20}",
            "[ -~]{0,20}",
        ], 0..6),
        body in body(),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let text = format!("{line}{eol}{}{eol}{eol}{body}", headers.join(eol));
        if let Ok(request) = parse_request(&text) {
            let mut sim = Sim::builtin(2);
            let ex = sim.handle(request);
            prop_assert_eq!(envelope_problem(&ex), None, "{}", text);
        }
    }

    #[test]
    fn arbitrary_json_to_every_stop_operation_never_panics(value in json_value(), seed in any::<u64>()) {
        let body = value.to_string();
        let mut sim = Sim::builtin(seed);
        let requests = [
            WireRequest::new("POST", "/")
                .with_header("Content-Type", "application/x-amz-json-1.1")
                .with_header("X-Amz-Target", "TransferService.StopServer")
                .with_body(&body),
            WireRequest::new("POST", "/")
                .with_header("Content-Type", "application/x-amz-json-1.1")
                .with_header("X-Amz-Target", "Lightsail_20161128.StopInstance")
                .with_body(&body),
            WireRequest::new("POST", "/v2.1/servers/a0000000-0000-4000-8000-00000000000a/action")
                .with_header("X-Auth-Token", "member-token-aaaa1111")
                .with_header("Content-Type", "application/json")
                .with_body(&body),
            WireRequest::new("POST", "/v2.1/servers/a0000000-0000-4000-8000-00000000000a/action")
                .with_header("X-Auth-Token", "member-token-aaaa1111")
                .with_body(&serde_json::json!({ "os-stop": value }).to_string()),
        ];
        for request in requests {
            let ex = sim.handle(request);
            prop_assert!(envelope_problem(&ex).is_none(), "{:?}\n{}", envelope_problem(&ex), sim::http::render_response(&ex.response));
            let texts = SPEC.with(|spec| message_texts::problem(spec, &ex));
            prop_assert!(texts.is_none(), "{:?}\n{}", texts, sim::http::render_request(&ex.request));
        }
    }

    #[test]
    fn every_provider_answers_in_its_own_envelope(scenario in scenario(), script in script()) {
        let mut sim = Sim::new(scenario).expect("valid");
        for (request, pause) in script {
            let ex = sim.handle(request);
            if let Some(problem) = envelope_problem(&ex) {
                prop_assert!(false, "{problem}\nrequest:\n{}\nresponse:\n{}", sim::http::render_request(&ex.request), sim::http::render_response(&ex.response));
            }
            if let Some(problem) = SPEC.with(|spec| message_texts::problem(spec, &ex)) {
                prop_assert!(false, "{problem}\nrequest:\n{}", sim::http::render_request(&ex.request));
            }
            let declared = ex.response.header("Content-Length").map(str::to_string);
            prop_assert_eq!(declared, Some(ex.response.body.len().to_string()));
            sim.advance_by(pause);
        }
    }

    #[test]
    fn random_scripts_are_deterministic(scenario in scenario(), script in script()) {
        let a = run_script(&scenario, &script);
        let b = run_script(&scenario, &script);
        prop_assert_eq!(render_text(&a), render_text(&b));
        prop_assert_eq!(render_jsonl(&a), render_jsonl(&b));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn arbitrary_curl_text_never_panics(text in ".{0,200}") {
        let _ = parse_curl(&text);
        let _ = parse_curl(&format!("curl {text}"));
    }

    #[test]
    fn curl_like_text_never_panics(words in proptest::collection::vec(prop_oneof![
        Just("curl"), Just("$"), Just("-X"), Just("POST"), Just("-H"), Just("--header"), Just("-d"), Just("--data-raw"),
        Just("--json"), Just("-G"), Just("-u"), Just("--aws-sigv4"), Just("-sSL"), Just("-XPUT"), Just("--url"),
        Just("'"), Just("\""), Just("$'"), Just("\\"), Just("\\\n"), Just("^\r\n"), Just("#"), Just("|"), Just("@x"),
        Just("http://transfer.{region}.amazonaws.com/#X-Amz-Target=TransferService.StopServer"),
        Just("'Content-Type: application/json'"), Just("\"X-Auth-Token: $TOKEN\""), Just("$'\\x41\\u00e9\\0'"),
        Just("--data-urlencode"), Just("a=b c"), Just("-Hx;"), Just("--compressed"), Just("-F"), Just("--frob"),
        Just("\n"), Just("\n  -k"), Just("-"), Just("--"), Just("{\"ServerId\":\"s-1\"}"),
    ], 0..14)) {
        let text = words.concat();
        let _ = parse_curl(&text);
        let _ = parse_curl(&words.join(" "));
    }

    /// Every import that reports success yields a request the raw editor reads back as the same request:
    /// never "Imported" for a request that then "cannot be read" and cannot be sent.
    #[test]
    fn every_successful_curl_import_is_a_request_the_raw_parser_reads(words in proptest::collection::vec(prop_oneof![
        Just("curl"), Just("-X"), Just("POST"), Just("'PO ST'"), Just("$'P\\tT'"), Just("-H"), Just("-d"),
        Just("'X-Amz-Target: TransferService.StopServer'"), Just("'X Amz: 1'"), Just("': x'"), Just("'X;'"),
        Just("$'X-A: 1\\r\\nX-B: 2'"), Just("$'X-A: \\x01'"), Just("'X-A:  padded  '"), Just("-A"), Just("' ua '"),
        Just("-e"), Just("-b"), Just("a=b"), Just("--oauth2-bearer"), Just("-u"), Just("$'u\\n:p'"),
        Just("--aws-sigv4"), Just("aws:amz:us-east-1:transfer"), Just("-G"), Just("--json"), Just("--data-urlencode"),
        Just("\"https://transfer.us-east-1.amazonaws.com/ x\""), Just("$'https://h/\\nx'"), Just("https://h/%20x"),
        Just("$'https://h/\\u00a0'"), Just("$'https://h/\\x7f'"), Just("transfer.us-east-1.amazonaws.com"),
        Just("'{\"ServerId\": \"s-1\"}'"), Just("'a b'"), Just("''"), Just("\\"), Just("\\\n"), Just("\n"),
        Just("#frag"), Just("'https://h/#X-Amz-Target=TransferService.StopServer'"),
    ], 1..10), text in "\\PC{0,12}") {
        let command = format!("{} {text}", words.join(" "));
        if let Ok(import) = parse_curl(&command) {
            let raw = sim::http::render_request(&import.request);
            let back = parse_request(&raw);
            prop_assert_eq!(back.as_ref(), Ok(&import.request), "{}\n{}", command, raw);
        }
    }
}

/// The envelope checker itself must reject wrong envelopes, or the property above proves nothing.
#[test]
fn the_envelope_checker_rejects_wrong_envelopes() {
    let mut sim = Sim::builtin(1);
    let mut ex = sim.handle(
        WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_body("{\"ServerId\":\"s-fffffffffffffffff\"}"),
    );
    assert!(ex.response.status >= 400);
    assert_eq!(envelope_problem(&ex), None);
    let good_body = ex.response.body.clone();
    ex.response.body = "{\"__type\":\"NotFoundException\"}".to_string();
    assert!(envelope_problem(&ex).is_some(), "a Lightsail error type in a Transfer answer");
    ex.response.body = good_body.replace("\"Message\"", "\"message\"");
    assert!(envelope_problem(&ex).is_some(), "Lightsail's message casing in a Transfer answer");
    ex.response.body = good_body;
    ex.response.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type"));
    assert!(envelope_problem(&ex).is_some(), "an AWS error without its content type");
    ex.response.headers.retain(|(k, _)| !k.eq_ignore_ascii_case("x-amzn-RequestId"));
    assert!(envelope_problem(&ex).is_some());

    let mut ex = sim.handle(
        WireRequest::new("POST", "/v2.1/servers/b0000000-0000-4000-8000-00000000000b/action")
            .with_header("X-Auth-Token", "member-token-aaaa1111")
            .with_body("{\"os-stop\": null}"),
    );
    assert_eq!(ex.response.status, 409);
    assert_eq!(envelope_problem(&ex), None);
    ex.response.body = ex.response.body.replace("conflictingRequest", "badRequest");
    assert!(envelope_problem(&ex).is_some());
    ex.response.status = 418;
    assert!(envelope_problem(&ex).is_some());
}
