//! What the integration tests share: running the `fleetplay` binary, a `fleetplay serve` child on a free
//! port (killed when dropped), and a raw HTTP/1.1 client over `TcpStream` that reads exactly what the
//! server sends (status line, headers, a `Content-Length` or chunked body) and can tell whether the server
//! closed the connection.

#![allow(dead_code)] // Each test file uses a different part of this module.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_fleetplay");

/// The binary under test: this build's, or `FLEETPLAY_TEST_BIN` (to check that a test fails on another
/// build, such as the previous release).
pub fn bin() -> String {
    std::env::var("FLEETPLAY_TEST_BIN").unwrap_or_else(|_| BIN.to_string())
}

pub fn repo_root() -> PathBuf {
    Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("../..")
}

pub fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).output().expect("the fleetplay binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A `fleetplay serve --port 0 --speed 0` child, killed on drop.
pub struct Served {
    pub child: Child,
    pub port: u16,
    /// The rest of the child's stdout, after the "serving on" line.
    pub out: Option<BufReader<std::process::ChildStdout>>,
}

impl Served {
    pub fn start(extra: &[&str]) -> Served {
        let mut child = Command::new(bin())
            .args(["serve", "--port", "0", "--speed", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("fleetplay serve starts");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        out.read_line(&mut line).expect("first line");
        let port = line
            .strip_prefix("fleetplay: serving on http://127.0.0.1:")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        assert!(line.contains("(seed "), "{line}");
        Served { child, port, out: Some(out) }
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        s
    }

    /// Sends one raw request on a new connection and reads one response.
    pub fn send(&self, raw: &str) -> Response {
        let mut s = self.connect();
        s.write_all(raw.as_bytes()).expect("write");
        read_response(&mut BufReader::new(s))
    }

    pub fn control(&self, method: &str, path: &str, body: &str) -> (u16, Value) {
        let raw = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let r = self.send(&raw);
        (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
    }

    /// `GET /_fleetplay/state`, which must answer 200.
    pub fn state(&self) -> Value {
        let (status, state) = self.control("GET", "/_fleetplay/state", "");
        assert_eq!(status, 200, "{state}");
        state
    }

    /// The Transfer server's state through DescribeServer.
    pub fn transfer_state(&self, id: &str) -> String {
        let r = self.send(&aws("TransferService.DescribeServer", &format!("{{\"ServerId\":\"{id}\"}}")));
        assert_eq!(r.status, 200, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).expect("json");
        v["Server"]["State"].as_str().unwrap_or("").to_string()
    }

    /// Sends `signal` (e.g. `-TERM`) to the server with the system's `kill`.
    pub fn signal(&self, signal: &str) {
        let status =
            Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn read_line<R: BufRead>(r: &mut R, what: &str) -> String {
    let mut line = String::new();
    r.read_line(&mut line).unwrap_or_else(|e| panic!("{what}: {e}"));
    line
}

/// Reads one response: a `Content-Length` body, a chunked body, or none (HEAD answers are not read here).
pub fn read_response<R: BufRead>(r: &mut R) -> Response {
    let line = read_line(r, "status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        let h = read_line(r, "header line");
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':').expect("header colon");
        headers.push((k.to_string(), v.trim().to_string()));
    }
    let find =
        |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let body = if (100..200).contains(&status) || status == 204 || status == 304 {
        Vec::new()
    } else if find("Transfer-Encoding").is_some_and(|te| te.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        loop {
            let size = read_line(r, "chunk size");
            let size =
                usize::from_str_radix(size.trim(), 16).unwrap_or_else(|_| panic!("chunk size {size:?}"));
            let mut chunk = vec![0u8; size + 2];
            r.read_exact(&mut chunk).expect("chunk");
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
        body
    } else {
        let len: usize = find("Content-Length")
            .and_then(|v| v.parse().ok())
            .expect("a response without chunked encoding has a Content-Length");
        let mut body = vec![0u8; len];
        r.read_exact(&mut body).expect("body");
        body
    };
    Response { status, headers, body: String::from_utf8_lossy(&body).into_owned() }
}

/// Whether the server closed the connection: the next read ends the stream (or resets it) before
/// `within` passes. Any byte the server still sends first makes it `false`.
pub fn closed_by_server<R: Read>(r: &mut R, stream: &TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).expect("timeout");
    let mut byte = [0u8; 1];
    match r.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
    }
}

/// An awsJson 1.1 request to the simulator.
pub fn aws(target: &str, body: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: {target}\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}
