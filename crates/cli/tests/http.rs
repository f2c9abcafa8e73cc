//! `fleetplay serve` facing hostile and unusual HTTP, over raw TCP on 127.0.0.1:
//!
//! - Message framing as RFC 9112 §6 asks, one test per defect the hand-written reader had: a request whose
//!   `Transfer-Encoding` does not end in `chunked` (§6.3 item 4), both `Transfer-Encoding` and
//!   `Content-Length` (§6.1: read as chunked, then the connection closes), two different
//!   `Content-Length`s and a `Content-Length` that is not all digits (§6.3 item 5, §8.6 of RFC 9110).
//!   Each rejected request gets 400 and a closed connection, so bytes after it are never read as a request.
//! - Memory: a chunk header announcing 8 MiB reserves nothing before the bytes arrive (the server's RSS,
//!   from `/proc`, across 100 such connections).
//! - Limits: an oversized head (431), an oversized body (413, refused before it is sent), a slow body
//!   (408), a head dribbled byte by byte (cut off by the timeout while other clients are served), a
//!   client that does not read its response (cut off by the write timeout).
//! - Hundreds of concurrent keep-alive clients, a flood of malformed requests, a panicking request, and a
//!   graceful shutdown on SIGTERM and SIGINT; after each, the simulated state is checked through the API.
//!
//! Every loop is bounded in count and time; timeouts here are behaviour (the server is configured with
//! `--client-timeout 1s` where it matters), never a measure of speed.

mod common;

use common::{aws, closed_by_server, read_response, Served};
use serde_json::Value;
use std::io::{BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const ONLINE: &str = "s-0123456789abcdef0";

fn describe_online() -> String {
    aws("TransferService.DescribeServer", &format!("{{\"ServerId\":\"{ONLINE}\"}}"))
}

/// Sends `raw` on a new connection and returns the one response and whether the server then closed the
/// connection (rather than reading what follows as another request).
fn exchange_then_closed(served: &Served, raw: &[u8]) -> (u16, bool) {
    let mut stream = served.connect();
    stream.write_all(raw).expect("write");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let response = read_response(&mut reader);
    (response.status, closed_by_server(&mut reader, &stream, Duration::from_secs(10)))
}

/// The number of exchanges the simulator has answered since the last reset.
fn exchanges(served: &Served) -> u64 {
    served.state()["exchanges"].as_u64().expect("exchanges is a number")
}

// ------------------------------------------------------------------------------------------------------
// Framing (RFC 9112 §6)
// ------------------------------------------------------------------------------------------------------

/// A second request hidden after each rejected one: if the server read the first body wrongly, this one
/// would be answered (and counted) as a request of its own.
const SMUGGLED: &str =
    "POST /_fleetplay/advance?by=1h HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";

#[test]
fn transfer_encoding_not_ending_in_chunked_is_400_and_closes() {
    let served = Served::start(&[]);
    let raw = format!("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{SMUGGLED}");
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true));
    assert_eq!(served.state()["now"], 0, "the bytes after the head were not read as a request");
    assert_eq!(exchanges(&served), 0);
}

#[test]
fn xchunked_is_not_chunked() {
    let served = Served::start(&[]);
    let raw = format!("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n{SMUGGLED}");
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true));
    // `chunked` followed by another coding is not chunked as the last coding either.
    let raw = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n";
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true));
    assert_eq!(served.state()["now"], 0);
    assert_eq!(exchanges(&served), 0);
}

#[test]
fn content_length_with_transfer_encoding_is_read_as_chunked_then_the_connection_closes() {
    let served = Served::start(&[]);
    let body = format!("{{\"ServerId\":\"{ONLINE}\"}}");
    // The Content-Length (5) would cut the body short; the chunked framing carries all of it.
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: TransferService.StopServer\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n\
         {:x}\r\n{body}\r\n0\r\n\r\n{SMUGGLED}",
        body.len()
    );
    let mut stream = served.connect();
    stream.write_all(raw.as_bytes()).expect("write");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let response = read_response(&mut reader);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("Connection"), Some("close"));
    assert!(
        closed_by_server(&mut reader, &stream, Duration::from_secs(10)),
        "closed after the answer (§6.1)"
    );
    assert_eq!(served.transfer_state(ONLINE), "STOPPING", "the chunked body was the request's");
    assert_eq!(served.state()["now"], 0, "the request after it was not read");
}

#[test]
fn two_different_content_lengths_are_400_and_close() {
    let served = Served::start(&[]);
    let raw = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{{}}x{SMUGGLED}"
    );
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true));
    let raw = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 3\r\n\r\n{{}}x{SMUGGLED}");
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true));
    assert_eq!(served.state()["now"], 0);
    assert_eq!(exchanges(&served), 0);
}

#[test]
fn content_length_must_be_digits() {
    let served = Served::start(&[]);
    for length in ["+2", "-2", " 2x", "0x2", "2.0", "１"] {
        let raw = format!("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}{SMUGGLED}");
        assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (400, true), "Content-Length: {length}");
    }
    assert_eq!(served.state()["now"], 0);
    assert_eq!(exchanges(&served), 0);
}

#[test]
fn bad_chunks_are_refused_and_the_server_goes_on() {
    let served = Served::start(&[]);
    // A chunk size that overflows, and one that is not hexadecimal.
    for size in ["fffffffffffffffffffff", "zz"] {
        let raw = format!(
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n{{}}\r\n0\r\n\r\n"
        );
        let (status, closed) = exchange_then_closed(&served, raw.as_bytes());
        assert!((400..500).contains(&status) && closed, "{size}: {status} {closed}");
    }
    // A 7-byte chunk header promising 8 MiB, then the client goes away: nothing is answered to it, and the
    // next client is served.
    let mut stream = served.connect();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7fffff\r\n{}")
        .expect("write");
    drop(stream);
    assert_eq!(served.transfer_state(ONLINE), "ONLINE");
}

/// The server's resident set size in KiB, from `/proc`.
#[cfg(target_os = "linux")]
fn rss_kib(served: &Served) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", served.child.id())).expect("/proc");
    let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).expect("VmRSS");
    line.split_whitespace().next().and_then(|n| n.parse().ok()).expect("a number")
}

#[cfg(target_os = "linux")]
#[test]
fn chunk_sizes_reserve_nothing_before_the_bytes_arrive() {
    let served = Served::start(&[]);
    served.state();
    let before = rss_kib(&served);
    // 100 connections each announce a chunk of 8 MiB (a 7-byte header) and send two bytes of it. A server
    // that made room for the announced chunk would hold 800 MiB.
    let open: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut s = served.connect();
            s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7fffff\r\n{}")
                .expect("write");
            s
        })
        .collect();
    // A moment for the server to read every head and chunk size (the old reader reserved the chunk then).
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(served.transfer_state(ONLINE), "ONLINE");
    let grown_mib = rss_kib(&served).saturating_sub(before) / 1024;
    assert!(grown_mib < 64, "the server grew by {grown_mib} MiB for 200 bytes of bodies");
    drop(open);
}

// ------------------------------------------------------------------------------------------------------
// Limits and timeouts
// ------------------------------------------------------------------------------------------------------

#[test]
fn oversized_heads_are_431() {
    let served = Served::start(&[]);
    let long = "a".repeat(70 * 1024);
    let raw = format!("GET /_fleetplay/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: {long}\r\n\r\n");
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (431, true));
    let many: String = (0..150).map(|i| format!("X-H{i}: 1\r\n")).collect();
    let raw = format!("GET /_fleetplay/state HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n");
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (431, true));
    served.state();
}

#[test]
fn oversized_bodies_are_413_before_they_are_sent() {
    let served = Served::start(&[]);
    // Only the head is sent: the answer comes without waiting for the 2 MB.
    let raw = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n";
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (413, true));
    // A chunked body that grows past the limit.
    let mut stream = served.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").expect("write");
    let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
    for _ in 0..17 {
        if stream.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    assert_eq!(read_response(&mut reader).status, 413);
    // A scenario may be larger than a provider request (16 MiB).
    let raw = "POST /_fleetplay/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 17000000\r\n\r\n";
    assert_eq!(exchange_then_closed(&served, raw.as_bytes()), (413, true));
    assert_eq!(served.transfer_state(ONLINE), "ONLINE");
}

#[test]
fn a_slow_body_gets_408() {
    let served = Served::start(&["--client-timeout", "1s"]);
    let mut stream = served.connect();
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}").expect("write");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let response = read_response(&mut reader);
    assert_eq!(response.status, 408, "{}", response.body);
    assert!(closed_by_server(&mut reader, &stream, Duration::from_secs(10)));
    assert_eq!(exchanges(&served), 0);
}

#[test]
fn clients_dribbling_headers_are_cut_off_while_others_are_served() {
    let served = Served::start(&["--client-timeout", "1s"]);
    let mut slow: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = served.connect();
            s.write_all(b"GET /_fleetplay/state HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("write");
            s
        })
        .collect();
    // Keep dribbling one header byte at a time for 3 s; meanwhile an ordinary client is served.
    let started = Instant::now();
    let mut served_meanwhile = 0;
    while started.elapsed() < Duration::from_secs(3) {
        for s in &mut slow {
            let _ = s.write_all(b"X");
        }
        assert_eq!(served.transfer_state(ONLINE), "ONLINE");
        served_meanwhile += 1;
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(served_meanwhile >= 5);
    // Each slow client has been disconnected without an answer (its head never completed).
    for s in &mut slow {
        let mut rest = Vec::new();
        s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let ended = match s.read_to_end(&mut rest) {
            Ok(_) => true,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
        };
        assert!(ended, "the server closed the slow connection");
        assert!(!String::from_utf8_lossy(&rest).contains("200 OK"), "no answer to an unfinished head");
    }
    // An idle keep-alive connection is closed after the timeout too.
    let mut idle = served.connect();
    idle.write_all(describe_online().as_bytes()).expect("write");
    let mut reader = BufReader::new(idle.try_clone().expect("clone"));
    assert_eq!(read_response(&mut reader).status, 200);
    assert!(closed_by_server(&mut reader, &idle, Duration::from_secs(10)));
}

#[test]
fn a_client_that_does_not_read_its_response_is_cut_off() {
    let served = Served::start(&["--client-timeout", "1s", "--history-mib", "64"]);
    // 40 requests with 1 MB bodies: a transcript of ~40 MB, far more than the socket buffers hold.
    let body = format!("{{\"ServerId\":\"{ONLINE}\",\"Pad\":\"{}\"}}", "x".repeat(1_000_000));
    let mut stream = served.connect();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    for _ in 0..40 {
        stream.write_all(aws("TransferService.DescribeServer", &body).as_bytes()).expect("write");
        read_response(&mut reader);
    }
    drop((stream, reader));
    let mut stream = served.connect();
    stream.write_all(b"GET /_fleetplay/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").expect("write");
    // Wait until the answer has started (peeking consumes nothing): rendering 40 MB takes the server a
    // while, seconds on a loaded machine, and the write timeout runs only once writing has begun.
    stream.peek(&mut [0u8; 1]).expect("the answer starts");
    // Not reading: the server's writes stall, and after the timeout it gives up on this client.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(served.transfer_state(ONLINE), "ONLINE", "others are served meanwhile");
    let mut received = Vec::new();
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let _ = stream.read_to_end(&mut received);
    assert!(received.starts_with(b"HTTP/1.1 200"), "the answer had started");
    assert!(received.len() < 30_000_000, "but was cut off: {} bytes arrived", received.len());
    assert!(!received.ends_with(b"\r\n0\r\n\r\n"), "the chunked body never ended");
}

// ------------------------------------------------------------------------------------------------------
// Load, garbage, panics, shutdown
// ------------------------------------------------------------------------------------------------------

#[test]
fn hundreds_of_concurrent_keep_alive_clients_all_get_their_answers() {
    let served = Served::start(&[]);
    let clients = 300;
    let per_client = 5;
    let port = served.port;
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut statuses = Vec::new();
                for j in 0..per_client {
                    let raw = if (i + j) % 2 == 0 {
                        describe_online()
                    } else {
                        "GET /v2.1/servers/a0000000-0000-4000-8000-00000000000a HTTP/1.1\r\nHost: x\r\n\
                         X-Auth-Token: member-token-aaaa1111\r\n\r\n"
                            .to_string()
                    };
                    stream.write_all(raw.as_bytes()).expect("write");
                    statuses.push(read_response(&mut reader).status);
                }
                statuses
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("client thread"), vec![200; per_client]);
    }
    let state = served.state();
    assert_eq!(state["exchanges"], clients * per_client);
    assert_eq!(served.transfer_state(ONLINE), "ONLINE", "reads did not change the fleet");
}

#[test]
fn garbage_never_stops_the_server_or_touches_the_state() {
    let served = Served::start(&[]);
    served.send(&aws("TransferService.StopServer", &format!("{{\"ServerId\":\"{ONLINE}\"}}")));
    let garbage: Vec<Vec<u8>> = vec![
        b"this is not http\r\n\r\n".to_vec(),
        b"GET\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"G(T / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost: x\r\n folded: line\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nX: \x00\x01\r\n\r\n".to_vec(),
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".to_vec(),
        (0u8..=255).cycle().take(4096).collect(),
        b"\r\n\r\n\r\n\r\n".to_vec(),
        format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)).into_bytes(),
    ];
    for raw in &garbage {
        let mut stream = served.connect();
        let _ = stream.write_all(raw);
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let mut answer = Vec::new();
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
        let _ = stream.read_to_end(&mut answer);
        let text = String::from_utf8_lossy(&answer);
        // Either a 4xx with the connection closed, or (for bytes that never make a request) just the close.
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 4"),
            "{:?} -> {text:?}",
            String::from_utf8_lossy(raw)
        );
    }
    assert_eq!(served.transfer_state(ONLINE), "STOPPING", "the stop before the garbage still holds");
    assert_eq!(exchanges(&served), 2, "the stop and the describe: nothing else reached the simulator");
}

#[test]
fn a_panicking_request_gets_500_and_the_server_keeps_serving() {
    let served = Served::start(&["--enable-panic-endpoint"]);
    served.send(&aws("TransferService.StopServer", &format!("{{\"ServerId\":\"{ONLINE}\"}}")));
    for _ in 0..2 {
        let (status, body) = served.control("POST", "/_fleetplay/panic", "");
        assert_eq!(status, 500);
        assert!(body["error"].as_str().is_some_and(|e| e.contains("internal error")), "{body}");
    }
    assert_eq!(served.transfer_state(ONLINE), "STOPPING");
    // Without the hidden flag the endpoint does not exist.
    let plain = Served::start(&[]);
    assert_eq!(plain.control("POST", "/_fleetplay/panic", "").0, 404);
}

fn stops_gracefully_on(signal: &str) {
    let mut served = Served::start(&[]);
    // A keep-alive connection that is idle when the signal comes.
    let mut idle = served.connect();
    idle.write_all(describe_online().as_bytes()).expect("write");
    let mut reader = BufReader::new(idle.try_clone().expect("clone"));
    assert_eq!(read_response(&mut reader).status, 200);
    served.signal(signal);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = served.child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the server stopped after {signal}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{signal}: {status}");
    let mut rest = String::new();
    served.out.take().expect("stdout").read_to_string(&mut rest).expect("stdout");
    assert!(rest.contains("fleetplay: stopped"), "{rest}");
    assert!(closed_by_server(&mut reader, &idle, Duration::from_secs(5)), "idle connections are closed");
}

#[test]
fn sigterm_and_sigint_stop_the_server_gracefully() {
    stops_gracefully_on("-TERM");
    stops_gracefully_on("-INT");
}

#[test]
fn the_history_is_bounded_and_reset_empties_it() {
    let served = Served::start(&["--history", "5"]);
    for _ in 0..20 {
        assert_eq!(served.send(&describe_online()).status, 200);
    }
    let state = served.state();
    assert_eq!(state["exchanges"], 20);
    assert_eq!(state["history"]["entries"], 5);
    assert_eq!(state["history"]["dropped"], 15);
    let transcript =
        served.send("GET /_fleetplay/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let lines: Vec<Value> =
        transcript.body.lines().map(|l| serde_json::from_str(l).expect("jsonl")).collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["seq"], 20, "the newest are kept");
    let text = served.send("GET /_fleetplay/transcript?format=http HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!(text.body.matches("### #").count(), 5);
    served.control("POST", "/_fleetplay/reset", "");
    let state = served.state();
    assert_eq!(
        (state["exchanges"].clone(), state["history"]["entries"].clone()),
        (Value::from(0), Value::from(0))
    );
}

#[test]
fn expect_100_continue_is_answered_before_the_body() {
    let served = Served::start(&[]);
    let body = format!("{{\"ServerId\":\"{ONLINE}\"}}");
    let mut stream = served.connect();
    let head = aws("TransferService.DescribeServer", &body);
    let head = head.replace("\r\n\r\n", "\r\nExpect: 100-continue\r\n\r\n");
    let head = head.strip_suffix(&body).expect("body at the end");
    stream.write_all(head.as_bytes()).expect("write");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let interim = read_response(&mut reader);
    assert_eq!(interim.status, 100);
    stream.write_all(body.as_bytes()).expect("write");
    let response = read_response(&mut reader);
    assert_eq!(response.status, 200, "{}", response.body);
}
