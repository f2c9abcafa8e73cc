//! `fleetplay serve`'s live side, over raw TCP on 127.0.0.1: the stream a page follows, the page followed
//! by the page's own reducer, and what keeps both safe.
//!
//! - The stream (`GET /_fleetplay/live`): hello, the replay of the run, `synced`, then every exchange, clock
//!   move and restart in order; the clock publishes on its own at `--speed` above 0.
//! - One simulation, two views: a long mixed run (requests of every provider, good and bad, sends through
//!   the control API, advances, steps, resets, new scenarios with faults, a subscriber joining late) where
//!   after every step the page's mirror (`fleetplay::state`, fed the stream) equals the server's state, and
//!   at the end its transcript equals the server's byte for byte.
//! - Safety: it listens on 127.0.0.1 only; foreign origins and host names are refused (403), allowed ones get
//!   CORS and preflights; a page that stops reading never holds up the SDK clients and is dropped; open
//!   streams do not delay shutdown.
//! - `--page`: the page at `/` for browsers, with the meta that makes it follow; the simulator for the rest.

mod common;

use common::{read_response, Served};
use fleetplay::state::{Action, AppState, LiveAction};
use serde_json::Value;
use sim::live::Message;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const ONLINE: &str = "s-0123456789abcdef0";

/// How long a reader waits for the stream's next message, in all (longer than the server's keep-alive
/// interval, so a stream that only keeps alive is quiet).
const QUIET: Duration = Duration::from_secs(20);

// ------------------------------------------------------------------------------------------------------
// A Server-Sent Events reader over a raw connection
// ------------------------------------------------------------------------------------------------------

/// `GET /_fleetplay/live` read as a browser's `EventSource` would: events' data, in order.
struct Stream {
    reader: BufReader<TcpStream>,
    /// Decoded body bytes not yet split into events.
    pending: Vec<u8>,
    /// The headers of the answer.
    headers: Vec<(String, String)>,
    /// Whether the server ended the body (its last chunk), rather than the connection breaking or going
    /// quiet.
    ended: bool,
}

impl Stream {
    fn open(served: &Served) -> Stream {
        Stream::open_with(served, "")
    }

    fn open_with(served: &Served, extra_headers: &str) -> Stream {
        let stream = served.connect();
        let mut writer = stream.try_clone().expect("clone");
        let raw = format!("GET /_fleetplay/live HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra_headers}\r\n");
        writer.write_all(raw.as_bytes()).expect("write");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).expect("status line");
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).expect("header");
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').expect("colon");
            headers.push((k.to_ascii_lowercase(), v.trim().to_string()));
        }
        Stream { reader, pending: Vec::new(), headers, ended: false }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Reads one chunk of the chunked body into `pending`, waiting until `deadline` at the latest.
    fn fill(&mut self, deadline: Instant) -> Result<(), Gone> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Gone::Deadline);
        }
        // A wait cut short leaves a chunk half read: the stream is not read again after a `Deadline`.
        self.reader.get_ref().set_read_timeout(Some(left)).map_err(|_| Gone::Broken)?;
        let failed = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => Gone::Deadline,
            _ => Gone::Broken,
        };
        let mut size = String::new();
        if self.reader.read_line(&mut size).map_err(failed)? == 0 {
            return Err(Gone::Broken);
        }
        let size = usize::from_str_radix(size.trim(), 16).map_err(|_| Gone::Broken)?;
        let mut chunk = vec![0u8; size + 2];
        self.reader.read_exact(&mut chunk).map_err(failed)?;
        if size == 0 {
            self.ended = true;
            return Err(Gone::Ended);
        }
        self.pending.extend_from_slice(&chunk[..size]);
        Ok(())
    }

    /// The next event's data, waiting until `deadline` at the latest: one limit for the whole wait, however
    /// many keep-alive comments (every 15 s) come meanwhile.
    fn next_data_by(&mut self, deadline: Instant) -> Result<String, Gone> {
        loop {
            if let Some(end) = self.pending.windows(2).position(|w| w == b"\n\n") {
                let event: Vec<u8> = self.pending.drain(..end + 2).collect();
                let text = String::from_utf8(event).expect("UTF-8");
                let data: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
                if !data.is_empty() {
                    return Ok(data.join("\n"));
                }
                // A comment (keep-alive) or `retry:` alone.
                continue;
            }
            self.fill(deadline)?;
        }
    }

    /// Reads past every event until the stream ends, breaks off or brings none for [`QUIET`]: which of them.
    fn rest(&mut self) -> Gone {
        let deadline = Instant::now() + QUIET;
        loop {
            if let Err(gone) = self.next_data_by(deadline) {
                return gone;
            }
        }
    }

    /// The next message, as the page reads it, by `deadline`; `what` says what the test awaits.
    fn next_by(&mut self, deadline: Instant, what: &str) -> Message<'static> {
        let data = self.next_data_by(deadline).unwrap_or_else(|gone| panic!("awaiting {what}: {gone}"));
        Message::from_json(&data).unwrap_or_else(|e| panic!("{e}: {data}"))
    }

    /// The next message, within [`QUIET`].
    fn next(&mut self) -> Message<'static> {
        self.next_by(Instant::now() + QUIET, "the stream's next message")
    }

    fn next_json(&mut self) -> Value {
        let data = self
            .next_data_by(Instant::now() + QUIET)
            .unwrap_or_else(|gone| panic!("awaiting the stream's next message: {gone}"));
        serde_json::from_str(&data).expect("JSON")
    }
}

/// Why a wait for the stream's next event ended without one.
#[derive(Debug)]
enum Gone {
    /// The server ended the body.
    Ended,
    /// The connection broke, or the body was not chunked Server-Sent Events.
    Broken,
    /// The deadline passed.
    Deadline,
}

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Gone::Ended => "the server ended the stream",
            Gone::Broken => "the connection broke off",
            Gone::Deadline => "the stream brought no message in time (keep-alives at most)",
        })
    }
}

fn stop(id: &str) -> String {
    common::aws("TransferService.StopServer", &format!("{{\"ServerId\":\"{id}\"}}"))
}

/// A raw request with extra header lines.
fn raw(method: &str, path: &str, headers: &str, body: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

// ------------------------------------------------------------------------------------------------------
// The stream
// ------------------------------------------------------------------------------------------------------

#[test]
fn the_stream_says_hello_replays_the_run_then_follows_it_in_order() {
    let served = Served::start(&[]);
    let first = served.send(&stop(ONLINE));
    assert_eq!(first.status, 200);
    served.control("POST", "/_fleetplay/advance?by=10s", "");

    let mut stream = Stream::open(&served);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    let hello = stream.next_json();
    assert_eq!(hello["type"], "hello");
    assert_eq!((hello["run"].clone(), hello["missing"].clone()), (Value::from(1), Value::from(0)));
    assert_eq!(hello["scenario"]["seed"], 20161128);
    assert_eq!(hello["instance"], served.state()["instance"]);
    let replayed = stream.next_json();
    assert_eq!((replayed["type"].as_str(), replayed["seq"].as_u64()), (Some("exchange"), Some(1)));
    assert!(replayed["request"]["body"].as_str().unwrap().contains(ONLINE));
    let synced = stream.next_json();
    assert_eq!((synced["type"].as_str(), synced["now"].as_u64()), (Some("synced"), Some(10_000)));

    // From now on, as it happens.
    let second = served
        .send(&common::aws("TransferService.DescribeServer", &format!("{{\"ServerId\":\"{ONLINE}\"}}")));
    let Message::Exchange { seq, at, status, .. } = stream.next() else { panic!("an exchange") };
    assert_eq!((seq, at, status), (2, 10_000, second.status));

    served.control("POST", "/_fleetplay/advance?by=5m", "");
    assert_eq!(stream.next(), Message::Time { now: 310_000, speed: 0.0 });
    served.control("POST", "/_fleetplay/speed?value=3", "");
    assert!(matches!(stream.next(), Message::Time { now: 310_000, speed } if speed == 3.0));
    served.control("POST", "/_fleetplay/speed?value=0", "");
    assert!(matches!(stream.next(), Message::Time { speed, .. } if speed == 0.0));
    served.control("POST", "/_fleetplay/reset?seed=7", "");
    let Message::Run { run, scenario, cause } = stream.next() else { panic!("a run") };
    assert_eq!((run, scenario.seed, cause.as_ref()), (2, 7, "reset"));
    served.control("POST", "/_fleetplay/scenario", "{\"seed\": 9}");
    assert!(matches!(stream.next(), Message::Run { run: 3, cause, .. } if cause == "scenario"));
    let sent = r#"{"request": {"method": "GET", "target": "/v2.1/servers", "headers": [], "body": ""}}"#;
    let (status, answer) = served.control("POST", "/_fleetplay/send", sent);
    assert_eq!((status, answer["exchanges"][0]["seq"].as_u64()), (200, Some(1)));
    let Message::Exchange { seq, request, status, .. } = stream.next() else { panic!("an exchange") };
    assert_eq!(
        (seq, request.target.as_str(), status),
        (1, "/v2.1/servers", answer["exchanges"][0]["status"].as_u64().unwrap() as u16)
    );
}

#[test]
fn the_fingerprint_is_the_simulators_answer_s() {
    let served = Served::start(&[]);
    let mut stream = Stream::open(&served);
    stream.next(); // hello
    stream.next(); // synced
    served.send(&stop(ONLINE));
    let Message::Exchange { fingerprint, .. } = stream.next() else { panic!("an exchange") };
    // The same request in a fresh simulation of the same scenario answers the same.
    let mut sim = sim::Sim::new(sim::Scenario::builtin()).unwrap();
    let transcript = served.send("GET /_fleetplay/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    let line: Value = serde_json::from_str(transcript.body.lines().next().unwrap()).unwrap();
    let mut request = sim::WireRequest::new("POST", "/");
    request.headers = serde_json::from_value(line["request"]["headers"].clone()).unwrap();
    request.body = line["request"]["body"].as_str().unwrap().to_string();
    let ex = sim.handle(request);
    assert_eq!(fingerprint, sim::live::fingerprint(&ex.response));
}

#[test]
fn the_clock_publishes_state_changes_when_they_are_due_without_any_request() {
    // At 1000×, a Transfer stop (30 to 120 simulated seconds) completes within 0.03 to 0.12 s.
    let served = Served::start(&[]);
    served.control("POST", "/_fleetplay/speed?value=1000", "");
    let mut stream = Stream::open(&served);
    stream.next(); // hello
    stream.next(); // synced
    served.send(&stop(ONLINE));
    assert!(matches!(stream.next(), Message::Exchange { .. }));
    let due = served.state()["fleet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == ONLINE)
        .and_then(|s| s["transition"]["due"].as_u64())
        .expect("the stop is in progress");
    // No request that touches the simulation is sent from here on: only the server's clock can announce
    // the time at which the stop completes.
    let deadline = Instant::now() + Duration::from_secs(20);
    let what = format!("20 s for the clock to publish T+{due} ms, when the stop completes");
    loop {
        match stream.next_by(deadline, &what) {
            Message::Time { now, .. } if now >= due => break,
            Message::Time { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    served.control("POST", "/_fleetplay/speed?value=0", "");
    assert_eq!(served.transfer_state(ONLINE), "OFFLINE");
}

// ------------------------------------------------------------------------------------------------------
// One simulation, two views
// ------------------------------------------------------------------------------------------------------

/// A small deterministic generator (a failure names its seed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A page following the server: the page's own reducer, fed the stream.
struct Page {
    state: AppState,
    stream: Stream,
}

impl Page {
    fn join(served: &Served) -> Page {
        let mut state = AppState::connecting("", 0.0);
        state.apply(Action::Live(LiveAction::Connect { server: String::new() }));
        Page { state, stream: Stream::open(served) }
    }

    fn exchanges(&self) -> u64 {
        self.state.sends.len() as u64
    }

    /// Reads the stream until the mirror has caught up with `state` (the server's `/_fleetplay/state`, read
    /// after the step, with time frozen: nothing else happens meanwhile).
    fn catch_up(&mut self, state: &Value, step: &str) {
        let run = state["run"].as_u64().unwrap();
        let now = state["now"].as_u64().unwrap();
        let exchanges = state["exchanges"].as_u64().unwrap();
        // One limit for the whole wait, however the messages (or keep-alives) come.
        let limit = Duration::from_secs(30);
        let deadline = Instant::now() + limit;
        loop {
            let live = self.state.live.as_ref().unwrap();
            let synced = matches!(live.following, fleetplay::state::Following::InStep);
            if synced
                && live.run == run
                && self.state.sim.now().as_millis() == now
                && self.exchanges() == exchanges
            {
                return;
            }
            let gone = match self.stream.next_data_by(deadline) {
                Ok(data) => {
                    let message = Message::from_json(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
                    self.state
                        .apply(Action::Live(LiveAction::Messages { wall: 0.0, messages: vec![message] }));
                    continue;
                }
                Err(gone) => gone,
            };
            panic!(
                "{step}: waited {limit:?} for the page to follow the server in step at run {run}, T+{now} ms, \
                 {exchanges} exchanges; {gone}; the page is at run {}, T+{} ms, {} exchanges, {:?}; notice: {:?}",
                live.run,
                self.state.sim.now().as_millis(),
                self.exchanges(),
                live.following,
                self.state.notice.as_ref().map(|n| n.text.clone())
            );
        }
    }

    /// The mirror equals the server: every server's view, the clock, the next change due.
    fn assert_same(&self, state: &Value, step: &str) {
        let fleet: Vec<&sim::ServerView> = self.state.fleet.iter().map(|v| v.as_ref()).collect();
        let fleet = serde_json::to_value(fleet).unwrap();
        assert!(fleet == state["fleet"], "{step}: the fleets differ");
        assert_eq!(self.state.sim.next_due().map(|t| t.as_millis()), state["next_due"].as_u64(), "{step}");
        assert!(self.state.notice.is_none(), "{step}: {:?}", self.state.notice);
    }
}

/// A request some client might send: an operation of the page's composer on a server of the fleet, now and
/// then broken on purpose.
fn some_request(page: &AppState, rng: &mut Lcg) -> sim::WireRequest {
    let mut scratch = AppState::new(page.sim.scenario().clone(), 0.0).unwrap();
    let fleet = &page.fleet;
    if fleet.is_empty() || rng.below(10) == 0 {
        return sim::WireRequest::new("POST", "/")
            .with_header("X-Amz-Target", "TransferService.StopServer")
            .with_body(["{", "{\"ServerId\": 5}", "{\"ServerId\":\"s-0000000000000000f\"}"][rng.below(3)]);
    }
    let server = fleet[rng.below(fleet.len())].clone();
    scratch.apply(Action::SelectServer(server.provider, server.id.clone()));
    let ops = fleetplay::ops::ops(server.provider);
    scratch.apply(Action::SetOperation(ops[rng.below(ops.len())].name.to_string()));
    scratch.draft().request().unwrap_or_else(|_| sim::WireRequest::new("GET", "/"))
}

/// `request` as a client puts it on the wire (its own framing headers replaced by ours).
fn over_the_wire(request: &sim::WireRequest) -> String {
    let mut raw = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    let framing = ["content-length", "connection", "transfer-encoding", "host"];
    for (name, value) in &request.headers {
        if !framing.contains(&name.to_ascii_lowercase().as_str()) {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    raw.push_str(&format!(
        "Host: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        request.body.len()
    ));
    raw.push_str(&request.body);
    raw
}

fn wire_json(request: &sim::WireRequest) -> String {
    serde_json::to_string(request).unwrap()
}

#[test]
fn a_long_mixed_run_looks_the_same_on_the_page_and_on_the_server_step_by_step() {
    let served = Served::start(&[]);
    let mut page = Page::join(&served);
    let mut late: Option<Page> = None;
    let mut rng = Lcg(20161128);
    let mut requests_seen = 0;
    let faulty = {
        let mut s = fleetplay::presets::large(60, 3);
        s.faults.transfer.throttle_per_second = Some(3);
        s.faults.transfer.stop_failure_rate = 0.3;
        s.faults.lightsail.stuck_rate = 0.4;
        s.faults.nova.unavailable_rate = 0.2;
        s.to_json_pretty()
    };
    for i in 0..300 {
        let step = match rng.below(20) {
            0..=9 => {
                let request = some_request(&page.state, &mut rng);
                served.send(&over_the_wire(&request));
                "a request".to_string()
            }
            10..=11 => {
                let requests: Vec<String> =
                    (0..1 + rng.below(5)).map(|_| wire_json(&some_request(&page.state, &mut rng))).collect();
                let body = format!("{{\"requests\": [{}]}}", requests.join(","));
                assert_eq!(served.control("POST", "/_fleetplay/send", &body).0, 200);
                "requests through the control API".to_string()
            }
            12..=14 => {
                let by = [500, 5_000, 30_000, 90_000, 600_000][rng.below(5)];
                served.control("POST", &format!("/_fleetplay/advance?by={by}ms"), "");
                format!("advance {by} ms")
            }
            15..=16 => {
                served.control("POST", "/_fleetplay/step", "");
                "step".to_string()
            }
            17 => {
                let seed = rng.below(1000);
                served.control("POST", &format!("/_fleetplay/reset?seed={seed}"), "");
                format!("reset with seed {seed}")
            }
            18 => {
                assert_eq!(served.control("POST", "/_fleetplay/scenario", &faulty).0, 200);
                "a scenario with faults".to_string()
            }
            _ => {
                assert_eq!(served.control("POST", "/_fleetplay/scenario", "{}").0, 200);
                served.control("POST", "/_fleetplay/scenario", &sim::Scenario::builtin().to_json_pretty());
                "the built-in scenario".to_string()
            }
        };
        let step = format!("step {i} ({step})");
        let state = served.state();
        page.catch_up(&state, &step);
        page.assert_same(&state, &step);
        if i == 150 {
            late = Some(Page::join(&served));
        }
        requests_seen += state["exchanges"].as_u64().unwrap();
        if let Some(late) = late.as_mut() {
            late.catch_up(&state, &step);
            late.assert_same(&state, &format!("{step}, the page that joined late"));
        }
    }
    // The whole run, byte for byte: what the server's history holds and what the page shows.
    let transcript = served.send("GET /_fleetplay/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(transcript.body, sim::transcript::render_jsonl(&page.state.transcript()));
    assert!(requests_seen > 1000, "requests were in play: {requests_seen}");
}

// ------------------------------------------------------------------------------------------------------
// Safety
// ------------------------------------------------------------------------------------------------------

#[test]
fn foreign_origins_are_refused_and_allowed_ones_get_cors() {
    let served = Served::start(&["--allow-origin", "http://127.0.0.1:8080"]);
    let evil = "Origin: http://evil.example\r\n";
    for (method, path) in [
        ("GET", "/_fleetplay/live"),
        ("GET", "/_fleetplay/state"),
        ("POST", "/_fleetplay/advance?by=1h"),
        ("POST", "/_fleetplay/reset?seed=1"),
    ] {
        let r = served.send(&raw(method, path, evil, ""));
        assert_eq!(r.status, 403, "{method} {path}");
        assert!(r.body.contains("--allow-origin http://evil.example"), "{}", r.body);
    }
    let state = served.state();
    assert_eq!(
        (state["now"].as_u64(), state["seed"].as_u64()),
        (Some(0), Some(20161128)),
        "nothing was done"
    );
    // DNS rebinding: a foreign name for 127.0.0.1.
    let r =
        served.send("GET /_fleetplay/state HTTP/1.1\r\nHost: evil.example:8080\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 403);
    // The simulated services answer as they always do.
    let r = served.send(&raw(
        "POST",
        "/",
        &format!("{evil}X-Amz-Target: TransferService.DescribeServer\r\nContent-Type: application/x-amz-json-1.1\r\n"),
        "{\"ServerId\":\"s-0123456789abcdef0\"}",
    ));
    assert_eq!((r.status, r.header("access-control-allow-origin")), (200, None));

    // The page's own origin and the one allowed: CORS headers, and a preflight for JSON POSTs.
    for origin in ["http://127.0.0.1:8080", &format!("http://localhost:{}", served.port)] {
        let r = served.send(&raw("GET", "/_fleetplay/state", &format!("Origin: {origin}\r\n"), ""));
        assert_eq!((r.status, r.header("access-control-allow-origin")), (200, Some(origin)));
        assert_eq!(r.header("vary"), Some("Origin"));
        let preflight = format!(
            "Origin: {origin}\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n"
        );
        let r = served.send(&raw("OPTIONS", "/_fleetplay/send", &preflight, ""));
        assert_eq!((r.status, r.header("access-control-allow-origin")), (204, Some(origin)));
        assert!(r.header("access-control-allow-methods").unwrap().contains("POST"));
        assert_eq!(r.header("access-control-allow-headers"), Some("content-type"));
    }
    let mut stream = Stream::open_with(&served, "Origin: http://127.0.0.1:8080\r\n");
    assert_eq!(stream.header("access-control-allow-origin"), Some("http://127.0.0.1:8080"));
    assert!(matches!(stream.next(), Message::Hello { .. }));
    let r = served.send(&raw("OPTIONS", "/_fleetplay/send", "Origin: http://evil.example\r\n", ""));
    assert_eq!(r.status, 403);
}

/// The local addresses on which some process listens on `port` (`/proc/net/tcp` and `tcp6`, state 0A).
fn listening_on(port: u16) -> Vec<String> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (fields.get(1), fields.get(3)) else { continue };
            let Some((address, hex_port)) = local.rsplit_once(':') else { continue };
            if *state == "0A" && u16::from_str_radix(hex_port, 16) == Ok(port) {
                found.push(address.to_string());
            }
        }
    }
    found
}

#[test]
fn serve_listens_on_127_0_0_1_unless_told_otherwise() {
    let mut child = std::process::Command::new(common::bin())
        .args(["serve", "--port", "0", "--speed", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("fleetplay serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("first line");
    let port: u16 = line
        .strip_prefix("fleetplay: serving on http://127.0.0.1:")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{line:?}"));
    // 127.0.0.1 as the kernel writes it (little-endian hex), and nothing else: not 0.0.0.0, not [::].
    assert_eq!(listening_on(port), vec!["0100007F".to_string()]);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("WARNING"), "{stderr}");
    // (Another address is warned about loudly: `access::exposure_warning`'s test. This machine may serve on
    // loopback only, so no test listens elsewhere.)
}

/// The server's resident memory in KiB.
fn rss_kib(served: &Served) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", served.child.id())).expect("proc");
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("a number")
}

#[test]
fn a_page_that_stops_reading_never_holds_up_the_clients_and_is_dropped() {
    // The history keeps at most 8 MiB, so memory beyond that is what the live side holds.
    let served = Served::start(&["--client-timeout", "60s", "--history-mib", "8"]);
    let mut stalled = Stream::open(&served);
    // It reads its hello, then nothing more.
    stalled.next();
    // Requests with 16 KB bodies: each live message is as large, far more than the socket buffers and the
    // channel hold together.
    let pad = "x".repeat(16_000);
    let body = format!("{{\"ServerId\":\"{ONLINE}\",\"Pad\":\"{pad}\"}}");
    let request = common::aws("TransferService.DescribeServer", &body);
    let mut client = served.connect();
    let mut reader = BufReader::new(client.try_clone().expect("clone"));
    let before = rss_kib(&served);
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for _ in 0..4000 {
        let t = Instant::now();
        client.write_all(request.as_bytes()).expect("write");
        assert_eq!(read_response(&mut reader).status, 200);
        slowest = slowest.max(t.elapsed());
    }
    // Behaviour, not speed: nobody waited for the stalled page (a blocked write would hang here until the
    // client timeout of 60 s).
    assert!(started.elapsed() < Duration::from_secs(50) && slowest < Duration::from_secs(5), "{slowest:?}");
    let grown = rss_kib(&served).saturating_sub(before);
    // 4000 × 16 KB = 64 MB went through; a queue per page that grew with it would hold as much again.
    assert!(grown < 40 * 1024, "RSS grew by {grown} KiB");
    // The stalled page was dropped: its stream ends (with what the buffers held) instead of going on. A
    // stream that went on would go quiet once the buffers are read: 3 s of silence ends the reading.
    let mut received = 0;
    while let Ok(data) = stalled.next_data_by(Instant::now() + Duration::from_secs(3)) {
        if data.contains("\"exchange\"") {
            received += 1;
        }
    }
    assert!(stalled.ended, "the server ended the stalled stream");
    assert!(received < 4000, "the stalled stream was cut short, after {received} exchanges");
    // A new subscription (what the page's EventSource does next) gets the run replayed again.
    let mut fresh = Stream::open(&served);
    assert!(matches!(fresh.next(), Message::Hello { .. }));
}

#[test]
fn open_streams_do_not_hold_up_a_shutdown() {
    let mut served = Served::start(&[]);
    let mut stream = Stream::open(&served);
    stream.next();
    let started = Instant::now();
    served.signal("-TERM");
    let status = served.child.wait().expect("exits");
    assert!(status.success(), "{status}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "not waiting for the grace period: {:?}",
        started.elapsed()
    );
    // The stream ends (after what the buffers still held) rather than going quiet.
    let gone = stream.rest();
    assert!(matches!(gone, Gone::Ended | Gone::Broken), "the stream did not end: {gone}");
}

// ------------------------------------------------------------------------------------------------------
// The page
// ------------------------------------------------------------------------------------------------------

#[test]
fn the_page_answers_browsers_and_the_simulator_everyone_else() {
    let dir = std::env::temp_dir().join(format!("fleetplay-live-page-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><html><head><title>t</title></head></html>")
        .unwrap();
    std::fs::write(dir.join("app-1.js"), "console.log(1)").unwrap();
    let served = Served::start(&["--page", dir.to_str().unwrap()]);
    let html = served
        .send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html,*/*\r\nConnection: close\r\n\r\n");
    assert_eq!(html.status, 200);
    assert!(
        html.body.contains(r#"<head><meta name="fleetplay-server" content="/"><title>"#),
        "{}",
        html.body
    );
    let js = served.send("GET /app-1.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert_eq!((js.status, js.body.as_str()), (200, "console.log(1)"));
    assert!(js.header("content-type").unwrap().contains("javascript"));
    // Nova's version discovery, curl, and paths the page has no file for: the simulator, as without --page.
    let bare = Served::start(&[]);
    for request in [
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "GET /missing.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    ] {
        let (with, without) = (served.send(request), bare.send(request));
        assert_eq!((with.status, with.body), (without.status, without.body), "{request}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    // A folder without a page is refused at startup, saying why.
    let out = common::run(&["serve", "--port", "0", "--page", "/nonexistent-fleetplay-page"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        common::stderr(&out).contains("--page: /nonexistent-fleetplay-page has no index.html"),
        "{}",
        common::stderr(&out)
    );
}
