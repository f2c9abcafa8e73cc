//! End-to-end tests of the `fleetplay` binary: replaying the spec's examples, the JSON transcript, one-line
//! errors with their place for bad input, clap's help, version, usage errors and completions, and `serve`
//! with its control API driven by a raw TCP client (`tests/http.rs` has the HTTP framing and robustness
//! tests). Nothing sleeps: the server runs with `--speed 0` and time moves through `/_fleetplay/advance`.

mod common;

use common::{aws, read_response, run, stderr, stdout, Served};
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

fn spec_samples() -> String {
    common::repo_root().join("examples/spec-samples.http").to_string_lossy().into_owned()
}

/// Writes `text` to a fresh temporary file with the given extension and returns its path.
fn temp_file(ext: &str, text: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("fleetplay-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("input-{n}.{ext}"));
    std::fs::write(&path, text).expect("write temp file");
    path.to_string_lossy().into_owned()
}

/// Asserts a failed run printed exactly one line, starting with `fleetplay: {place}`, and returns it.
fn one_line_error(o: &Output, place: &str) -> String {
    assert!(!o.status.success(), "expected failure, got {:?}", o.status);
    assert_ne!(o.status.code(), Some(101), "exit code 101 means a panic: {}", stderr(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got: {err}");
    assert!(
        lines[0].starts_with(&format!("fleetplay: {place}")),
        "expected place {place:?} in: {}",
        lines[0]
    );
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    lines[0].to_string()
}

#[test]
fn spec_samples_replay_and_every_check_holds() {
    let o = run(&["replay", &spec_samples(), "--check"]);
    assert!(o.status.success(), "stdout:\n{}\nstderr:\n{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("checks passed"), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("### #1 T+00:00:00 StopServer\nPOST / HTTP/1.1\n"), "{text}");
    assert!(text.contains("# T+00:00:00 transfer s-01234567890abcdef ONLINE -> STOPPING (StopServer)"));
}

#[test]
fn spec_samples_as_json_carry_the_documented_answers() {
    let o = run(&["replay", &spec_samples(), "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let exchanges: Vec<&Value> = lines.iter().filter(|v| v["type"] == "exchange").collect();
    assert!(lines.iter().any(|v| v["type"] == "event"), "advances produce event lines");
    let body = |ex: &Value| -> Value {
        serde_json::from_str(ex["body"].as_str().unwrap_or("")).unwrap_or(Value::Null)
    };

    // §1.1 StopServer: 200, empty body, a request id.
    assert_eq!(exchanges[0]["status"], 200);
    assert_eq!(exchanges[0]["body"], "");
    let headers = exchanges[0]["headers"].as_array().expect("headers are pairs");
    assert!(headers
        .iter()
        .any(|h| h[0].as_str().is_some_and(|n| n.eq_ignore_ascii_case("x-amzn-RequestId"))));
    // §2.1 StopInstance: operations.
    assert_eq!(exchanges[1]["status"], 200);
    assert_eq!(body(exchanges[1])["operations"][0]["operationType"], "StopInstance");
    // §3.1 os-stop: 202.
    let os_stop = exchanges.iter().find(|e| e["operation"] == "os-stop").expect("an os-stop exchange");
    assert_eq!(os_stop["status"], 202);
    // §7 doc-portal curl: UnknownOperationException.
    let portal =
        exchanges.iter().find(|e| e["request"]["target"].as_str().is_some_and(|t| t.contains('#'))).unwrap();
    assert_eq!(portal["status"], 400);
    assert_eq!(body(portal)["__type"], "UnknownOperationException");
    // §7 Nova project mismatch: badRequest with the documented message.
    let mismatch = exchanges
        .iter()
        .find(|e| body(e)["badRequest"]["message"].as_str().is_some_and(|m| m.contains("doesn't match")))
        .expect("the project mismatch example");
    assert_eq!(mismatch["status"], 400);
}

#[test]
fn replay_is_deterministic_and_seed_matters() {
    let a = run(&["replay", &spec_samples()]);
    let b = run(&["replay", &spec_samples()]);
    assert_eq!(stdout(&a), stdout(&b));
    let c = run(&["replay", &spec_samples(), "--seed", "7"]);
    assert!(c.status.success());
    assert_ne!(stdout(&a), stdout(&c), "another seed draws other request ids");
}

#[test]
fn failing_checks_exit_1_with_their_lines() {
    let file =
        temp_file("http", "# wrong on purpose\n###\nGET /nowhere HTTP/1.1\n\n> status 200\n> status 404\n");
    let o = run(&["replay", &file, "--check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(&format!("{file}:5: status: expected 200, got 404")), "{err}");
    assert!(err.contains("1 of 2 checks failed"), "{err}");
    // Without --check the same file replays fine.
    assert!(run(&["replay", &file]).status.success());
}

#[test]
fn unreadable_file_is_one_line() {
    let o = run(&["replay", "/no/such/file.http"]);
    let line = one_line_error(&o, "/no/such/file.http");
    assert!(line.contains("no such file"), "{line}");
}

#[test]
fn malformed_request_names_its_line() {
    let file = temp_file("http", "# bad\n###\nPOST / HTTP/1.1\nContent-Type application/json\n\n{}\n");
    let line = one_line_error(&run(&["replay", &file]), &format!("{file}:4:"));
    assert!(line.contains("Name: value"), "{line}");
}

#[test]
fn bad_directive_names_its_line() {
    let file = temp_file("http", "GET /x HTTP/1.1\n\n# @advance soon\n");
    let line = one_line_error(&run(&["replay", &file]), &format!("{file}:3:"));
    assert!(line.contains("bad duration"), "{line}");
    let file = temp_file("http", "# @set settings.nonsense = 1\nGET /x HTTP/1.1\n");
    one_line_error(&run(&["replay", &file]), &format!("{file}:1:"));
}

#[test]
fn invalid_scenario_names_its_place() {
    let http = temp_file("http", "GET /x HTTP/1.1\n");
    let broken = temp_file("json", "{\n  \"seed\": 1,\n  \"fleet\": oops\n}\n");
    let line = one_line_error(&run(&["replay", &http, "--scenario", &broken]), &format!("{broken}:3:"));
    assert!(line.contains("invalid scenario"), "{line}");
    let invalid = temp_file("json", "{\"fleet\": {\"transfer\": [{\"id\": \"s-1\"}]}}");
    let line = one_line_error(&run(&["replay", &http, "--scenario", &invalid]), &invalid);
    assert!(line.contains("fleet.transfer[0].id"), "{line}");
}

/// Asserts a run failed with a usage error in clap's form (`error: …`, a pointer to `--help`, exit code 2)
/// and returns its first line.
fn usage_error(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "a usage error exits with 2: {err}");
    assert!(err.starts_with("error: "), "clap's form: {err}");
    assert!(err.contains("--help"), "points at --help: {err}");
    assert!(!err.contains("panicked") && !err.contains("RUST_BACKTRACE"), "{err}");
    assert!(stdout(o).is_empty(), "nothing on stdout: {}", stdout(o));
    err.lines().next().unwrap_or_default().to_string()
}

#[test]
fn usage_errors_are_claps() {
    let line = usage_error(&run(&["replay"]));
    assert!(line.contains("required arguments were not provided"), "{line}");
    let line = usage_error(&run(&["replay", "x.http", "--format", "xml"]));
    assert!(line.contains("invalid value 'xml' for '--format"), "{line}");
    let err = stderr(&run(&["replay", "x.http", "--format", "xml"]));
    assert!(err.contains("[possible values: http, json, markdown]"), "{err}");
    let line = usage_error(&run(&["replay", "x.http", "--colour"]));
    assert!(line.contains("unexpected argument '--colour'"), "{line}");
    let line = usage_error(&run(&["frobnicate"]));
    assert!(line.contains("unrecognized subcommand 'frobnicate'"), "{line}");
    let line = usage_error(&run(&["serve", "--port", "many"]));
    assert!(line.contains("'many' for '--port"), "{line}");
    let line = usage_error(&run(&["serve", "--speed", "-1"]));
    assert!(line.contains("'-1' for '--speed") && line.contains("≥ 0"), "{line}");
    let line = usage_error(&run(&["serve", "--client-timeout", "soon"]));
    assert!(line.contains("'soon' for '--client-timeout"), "{line}");
    let line = usage_error(&run(&["scenario", "extra"]));
    assert!(line.contains("unexpected argument 'extra'"), "{line}");
    usage_error(&run(&["completions", "nosh"]));
    // No command at all: the overview, on stderr, as a usage error.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Usage: fleetplay <COMMAND>"), "{}", stderr(&o));
}

#[test]
fn help_version_and_scenario_commands() {
    for args in
        [&["--help"][..], &["replay", "--help"], &["serve", "--help"], &["help", "serve"], &["serve", "-h"]]
    {
        let o = run(args);
        assert!(o.status.success(), "{args:?}");
        assert!(stdout(&o).contains("Usage: fleetplay"), "{args:?}");
    }
    let top = stdout(&run(&["--help"]));
    for command in ["replay", "serve", "scenario", "completions"] {
        assert!(top.contains(&format!("  {command} ")), "{command} is listed: {top}");
    }
    // `serve --help` lists the control API and the history bound.
    let serve = stdout(&run(&["serve", "--help"]));
    for needle in [
        "/_fleetplay/advance",
        "/_fleetplay/transcript",
        "/_fleetplay/reset",
        "--history <N>",
        "[default: 10000]",
    ] {
        assert!(serve.contains(needle), "{needle} in: {serve}");
    }
    assert!(!serve.contains("panic"), "the hidden test flag stays hidden: {serve}");
    // In an 80-column terminal the control API's table is not broken by clap's wrapping.
    let narrow =
        std::process::Command::new(common::bin()).args(["serve", "--help"]).env("COLUMNS", "80").output();
    let narrow = stdout(&narrow.expect("runs"));
    let table = narrow.split("Control API").nth(1).expect("the control API is listed");
    for line in table.lines().skip(1) {
        assert!(
            line.starts_with("  GET  /_fleetplay/")
                || line.starts_with("  POST /_fleetplay/")
                || line.starts_with(&" ".repeat(35)),
            "a wrapped line: {line:?}"
        );
    }
    let o = run(&["--version"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), format!("fleetplay {}\n", env!("CARGO_PKG_VERSION")));
    assert!(stdout(&run(&["serve", "--version"])).ends_with(&format!(" {}\n", env!("CARGO_PKG_VERSION"))));

    let o = run(&["scenario"]);
    assert!(o.status.success());
    let printed = sim::Scenario::from_json(&stdout(&o)).expect("the printed scenario loads back");
    assert_eq!(printed, sim::Scenario::builtin());
}

#[test]
fn completions_for_each_shell_name_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in ["fleetplay", "replay", "serve", "scenario", "history", "format"] {
            assert!(script.contains(word), "{shell} completion mentions {word}");
        }
    }
    // bash really registers the completion function it defines.
    let bash = stdout(&run(&["completions", "bash"]));
    assert!(bash.contains("_fleetplay()") && bash.contains("complete -F _fleetplay"), "{bash}");
    assert!(bash.contains("http json markdown"), "the formats complete: {bash}");
}

// ----------------------------------------------------------------------------------------------------------
// serve
// ----------------------------------------------------------------------------------------------------------

#[test]
fn serve_answers_like_the_service_and_time_moves_only_on_request() {
    let served = Served::start(&[]);
    let r = served.send(&aws("TransferService.StopServer", "{\"ServerId\":\"s-0123456789abcdef0\"}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "");
    assert_eq!(r.header("Content-Type"), Some("application/x-amz-json-1.1"));
    assert!(r.header("x-amzn-RequestId").is_some());
    assert_eq!(served.transfer_state("s-0123456789abcdef0"), "STOPPING");

    let (status, state) = served.control("GET", "/_fleetplay/state", "");
    assert_eq!(status, 200);
    assert_eq!(state["now"], 0);
    assert!(state["next_due"].as_u64().is_some());
    assert!(state["fleet"].as_array().is_some_and(|f| f.len() > 10));

    let (status, advanced) = served.control("POST", "/_fleetplay/advance?by=10m", "");
    assert_eq!(status, 200);
    assert_eq!(advanced["now"], 600_000);
    assert!(advanced["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["server"] == "s-0123456789abcdef0" && e["to"] == "OFFLINE")));
    assert_eq!(served.transfer_state("s-0123456789abcdef0"), "OFFLINE");

    // JSON body form, then step (nothing left to fire is fine).
    let (status, advanced) = served.control("POST", "/_fleetplay/advance", "{\"by\": \"1m30s\"}");
    assert_eq!((status, advanced["now"].clone()), (200, Value::from(690_000)));
    let (status, _) = served.control("POST", "/_fleetplay/step", "");
    assert_eq!(status, 200);

    let transcript =
        served.send("GET /_fleetplay/transcript?format=jsonl HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(transcript.status, 200);
    let lines: Vec<Value> =
        transcript.body.lines().map(|l| serde_json::from_str(l).expect("jsonl")).collect();
    assert_eq!(lines.iter().filter(|l| l["type"] == "exchange").count(), 3);

    // Reset: same scenario, same seed, T+0, the same first request id again.
    let (status, reset) = served.control("POST", "/_fleetplay/reset", "");
    assert_eq!((status, reset["now"].clone()), (200, Value::from(0)));
    assert_eq!(served.transfer_state("s-0123456789abcdef0"), "ONLINE");
}

#[test]
fn serve_keeps_connections_alive_and_reads_chunked_bodies() {
    let served = Served::start(&[]);
    let mut stream = served.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    // Two requests on one connection (HTTP/1.1 keep-alive), the second with a chunked body.
    stream
        .write_all(
            aws("Lightsail_20161128.GetInstanceState", "{\"instanceName\":\"WordPress-1\"}").as_bytes(),
        )
        .unwrap();
    let first = read_response(&mut reader);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("running"));
    let chunked = "POST /v2.1/servers/a0000000-0000-4000-8000-00000000000a/action HTTP/1.1\r\nHost: x\r\n\
                   X-Auth-Token: member-token-aaaa1111\r\nContent-Type: application/json\r\n\
                   Transfer-Encoding: chunked\r\n\r\n6\r\n{\"os-s\r\nb\r\ntop\": null}\r\n0\r\n\r\n";
    stream.write_all(chunked.as_bytes()).unwrap();
    let second = read_response(&mut reader);
    assert_eq!(second.status, 202, "{}", second.body);
    assert_eq!(second.header("Connection"), None);
    // Connection: close is honoured.
    stream
        .write_all(b"GET /_fleetplay/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let third = read_response(&mut reader);
    assert_eq!(third.header("Connection"), Some("close"));
    let mut rest = Vec::new();
    assert_eq!(reader.read_to_end(&mut rest).unwrap_or(0), 0, "the server closed the connection");
}

#[test]
fn serve_control_api_rejects_mistakes_clearly() {
    let served = Served::start(&["--seed", "99"]);
    let (status, state) = served.control("GET", "/_fleetplay/state", "");
    assert_eq!((status, state["seed"].clone()), (200, Value::from(99)));
    let (status, err) =
        served.control("POST", "/_fleetplay/scenario", "{\"fleet\": {\"transfer\": [{\"id\": \"x\"}]}}");
    assert_eq!(status, 400);
    assert_eq!(err["place"], "fleet.transfer[0].id");
    let (status, err) = served.control("POST", "/_fleetplay/scenario", "{not json");
    assert_eq!(status, 400);
    assert!(err["error"].as_str().is_some_and(|e| e.contains("line 1")), "{err}");
    let (status, _) = served.control("POST", "/_fleetplay/advance?by=soon", "");
    assert_eq!(status, 400);
    let (status, _) = served.control("GET", "/_fleetplay/advance?by=1s", "");
    assert_eq!(status, 405);
    let (status, _) = served.control("GET", "/_fleetplay/nothing", "");
    assert_eq!(status, 404);
    // GET answers the scenario as `fleetplay scenario` prints it.
    let scenario = served.send("GET /_fleetplay/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(
        (scenario.status, scenario.body),
        (200, stdout(&run(&["scenario"])).replace("\"seed\": 20161128", "\"seed\": 99"))
    );
    // A valid scenario replaces the fleet.
    let (status, loaded) = served.control("POST", "/_fleetplay/scenario", "{\"seed\": 5}");
    assert_eq!((status, loaded["seed"].clone()), (200, Value::from(5)));
    assert_eq!(loaded["fleet"].as_array().map(Vec::len), Some(0));
    // Garbage on the wire gets a 400 and a closed connection, and the server keeps serving.
    let r = served.send("this is not http\r\n\r\n");
    assert_eq!(r.status, 400);
    let (status, _) = served.control("GET", "/_fleetplay/state", "");
    assert_eq!(status, 200);
}

#[test]
fn spec_samples_as_markdown_for_documentation_builds() {
    let o = run(&["replay", &spec_samples(), "--format", "markdown"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    // Every exchange becomes a heading with a request block and a response block.
    let headings = md.lines().filter(|l| l.starts_with("### ")).count();
    let json = run(&["replay", &spec_samples(), "--format", "json"]);
    let exchanges = stdout(&json).lines().filter(|l| l.contains("\"type\":\"exchange\"")).count();
    assert_eq!(headings, exchanges);
    assert_eq!(md.matches("```http\nHTTP/1.1 ").count(), exchanges);
    assert!(md.contains("### StopServer (AWS Transfer Family"), "{md}");
    assert!(md.contains("\"__type\": \"ResourceNotFoundException\"") || md.contains("HTTP/1.1 200 OK"));
    assert!(md.contains("HTTP/1.1 202 Accepted"), "the Nova doc sample answers 202");
}

fn lesson_path(name: &str) -> String {
    common::repo_root().join("lessons").join(name).to_string_lossy().into_owned()
}

#[test]
fn lesson_check_proves_the_shipped_lessons_and_names_the_place_of_a_problem() {
    let o = run(&["lesson", "check", &lesson_path("throttling-and-retries.json")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("the steps' solutions complete all 4 steps"), "{}", stderr(&o));
    let bad = temp_file(
        "json",
        r#"{"title": "T", "summary": "S", "steps": [{"goal": "g", "hint": "h", "check": {"response": {"status": 42}}}]}"#,
    );
    let line = one_line_error(&run(&["lesson", "check", &bad]), &bad);
    assert!(line.contains("steps[0].check.response.status: 42 is not an HTTP status code"), "{line}");
    let syntax = temp_file("json", "{\n  \"title\": \"T\",\n  oops");
    one_line_error(&run(&["lesson", "check", &syntax]), &format!("{syntax}:3:"));
    // A lesson whose solution does not complete its step is not completable: exit code 1, the step named.
    let stuck = temp_file(
        "json",
        r#"{"title": "T", "summary": "S", "steps": [{"goal": "g", "hint": "h",
            "check": {"response": {"status": 200, "operation": "StopServer"}},
            "solution": [{"send": "POST / HTTP/1.1\nX-Amz-Target: TransferService.StopServer\n\n{}"}]}]}"#,
    );
    let o = run(&["lesson", "check", &stuck]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("steps[0]: its solution does not complete it"), "{}", stderr(&o));
}

#[test]
fn a_lesson_made_from_a_session_passes_lesson_check() {
    let scenario: Value = serde_json::from_str(&stdout(&run(&["scenario"]))).unwrap();
    let stop = "POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: TransferService.StopServer\n\n{\"ServerId\": \"s-0123456789abcdef0\"}";
    let request = |raw: &str| {
        let (head, body) = raw.split_once("\n\n").unwrap();
        let mut lines = head.lines();
        let target = lines.next().unwrap().split(' ').nth(1).unwrap();
        let headers: Vec<Value> =
            lines.map(|l| l.split_once(": ").unwrap()).map(|(k, v)| serde_json::json!([k, v])).collect();
        serde_json::json!({"method": "POST", "target": target, "headers": headers, "body": body})
    };
    let session = serde_json::json!({
        "format": "fleetplay-session/1", "scenario": scenario, "now": 120000,
        "sends": [
            {"at": 0, "request": request(stop)},
            {"at": 90000, "request": request(&stop.replace("StopServer", "DescribeServer"))},
        ],
    });
    let file = temp_file("json", &session.to_string());
    let o = run(&["lesson", "make", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lesson = temp_file("json", &stdout(&o));
    assert!(stdout(&o).contains("\"solution\""), "{}", stdout(&o));
    let o = run(&["lesson", "check", &lesson]);
    assert!(o.status.success(), "{}\n{}", stderr(&o), std::fs::read_to_string(&lesson).unwrap());
    assert!(stderr(&o).contains("complete all 2 steps"), "{}", stderr(&o));
}

/// The sessions `e2e/lessons.test.mjs` exported from the page (alice completed the lesson, bob did two
/// steps, mallory one and then edited her file to claim all five).
fn fixture(name: &str) -> String {
    common::repo_root().join("tests/fixtures/grade").join(name).to_string_lossy().into_owned()
}

#[test]
fn grade_replays_exported_sessions_and_reports_tampering() {
    let lesson = lesson_path("transfer-stop-lifecycle.json");
    let files = [fixture("alice.json"), fixture("bob.json"), fixture("mallory.json")];
    let mut args = vec!["grade", lesson.as_str()];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "csv"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(1), "a tampered file makes the exit code 1: {}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "file,result,steps,completed (simulated),completed (wall),missing,notes");
    assert!(lines[1].starts_with("alice.json,complete,5/5,T+00:"), "{}", lines[1]);
    assert!(lines[1].contains("GMT ("), "the wall time the page recorded: {}", lines[1]);
    assert!(
        lines[2]
            .starts_with("bob.json,partial,2/5,,,3: Let simulated time run until the server is OFFLINE; 4:"),
        "{}",
        lines[2]
    );
    assert!(lines[3].starts_with("mallory.json,tampered,1/5,,,"), "{}", lines[3]);
    assert!(
        lines[3].contains("tampered: claims steps 2, 3, 4, 5 done, which the replay does not prove"),
        "{}",
        lines[3]
    );
    // The other formats carry the same rows; an honest class exits 0.
    let o = run(&["grade", &lesson, &files[0], &files[1], "--format", "markdown"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("| file | result | steps |"), "{}", stdout(&o));
    let o = run(&["grade", &lesson, &files[0]]);
    assert!(
        stdout(&o).lines().nth(1).is_some_and(|l| l.starts_with("alice.json  complete  5/5")),
        "{}",
        stdout(&o)
    );
    // A file that is not a session is a row saying why, not a crash.
    let junk = temp_file("json", "{\"format\": 3");
    let o = run(&["grade", &lesson, &junk, "--format", "csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(",unreadable,0/5,"), "{}", stdout(&o));
}
