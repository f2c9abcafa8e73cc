//! `cargo xtask bench`, part "serve": `fleetplay serve` under load, side by side with moto's server.
//!
//! - **Throughput and latency.** wrk (Debian's package) sends the same awsJson 1.1 request, Transfer Family
//!   `DescribeServer` of one existing server, over 1, 64 and 512 keep-alive connections for
//!   [`RUN_SECONDS`] each (after a short warm-up), first to `fleetplay serve` (built with `--release`),
//!   then to `moto_server` (PyPI `moto[server]` [`MOTO_VERSION`], in its own venv
//!   under `~/.cache/fleetplay`). `DescribeServer` is the one call of these APIs both implement (moto has
//!   no `StopServer`, no Lightsail and no Nova), and it is a read, so every request does the same work.
//!   wrk runs on the same 2 cores as the server, so both servers share the machine with the load tool
//!   alike.
//! - **Memory.** 60 s at 64 connections alternating Transfer `DescribeServer` and a Nova `GET /servers/{id}`,
//!   with the resident set size of the `fleetplay serve` process read from `/proc` every 5 s; then a
//!   `POST /_fleetplay/reset` and the size again. The history bound (`--history`, default 10,000 entries)
//!   is what keeps it flat.
//! - **The transcript while serving.** With the history full, the time to stream `GET
//!   /_fleetplay/transcript`, and the slowest of the `GET /_fleetplay/state` requests sent meanwhile.
//!
//! It prints figures and never fails on timing; a tool that cannot be installed is reported as "not
//! measured". wrk and the moto venv are installed by [`ensure_wrk`] and [`ensure_moto`], which
//! `cargo xtask tools` calls too.

use crate::util::{self, Result};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// moto's release, pinned so runs compare.
pub const MOTO_VERSION: &str = "5.2.5";
/// Seconds of each measured wrk run.
const RUN_SECONDS: u32 = 10;
/// Seconds of the memory run.
const MEMORY_SECONDS: u64 = 60;
/// The connection counts measured.
const CONNECTIONS: [u32; 3] = [1, 64, 512];

/// An `Authorization` header of SigV4's shape: neither server checks the signature, moto reads the service
/// from its credential scope.
const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/transfer/aws4_request, \
                             SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000000000000000";

/// The built-in scenario's Transfer server that is ONLINE at T+0.
const FLEETPLAY_SERVER: &str = "s-0123456789abcdef0";
/// A Nova server of the built-in scenario and a token that may see it.
const NOVA_PATH: &str = "/v2.1/servers/a0000000-0000-4000-8000-00000000000a";
const NOVA_TOKEN: &str = "member-token-aaaa1111";

/// wrk from Debian's package.
pub fn ensure_wrk() -> Result {
    if util::output(Command::new("sh").args(["-c", "command -v wrk"])).is_some() {
        println!("tools: wrk present");
        return Ok(());
    }
    if util::output(Command::new("id").arg("-u")).as_deref() != Some("0") {
        return Err("wrk is missing; install it with `sudo apt-get install -y wrk`".to_string());
    }
    println!("tools: installing wrk with apt-get");
    util::run(util::cmd("apt-get").arg("update"))?;
    util::run(util::cmd("apt-get").env("DEBIAN_FRONTEND", "noninteractive").args(["install", "-y", "wrk"]))
}

/// The venv holding moto's server, apart from the compatibility tests' venv so neither pins the other.
pub fn moto_venv() -> PathBuf {
    util::cache_dir().join("moto-venv")
}

/// `moto[server]` at [`MOTO_VERSION`] in [`moto_venv`]; returns the `moto_server` program.
pub fn ensure_moto() -> Result<PathBuf> {
    let venv = moto_venv();
    let python = venv.join("bin").join("python");
    let program = venv.join("bin").join("moto_server");
    let wanted = format!("moto[server]=={MOTO_VERSION}\n");
    let stamp = venv.join(".fleetplay-requirements");
    if program.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        println!("tools: moto_server {MOTO_VERSION} present ({})", venv.display());
        return Ok(program);
    }
    if util::output(Command::new(&python).args(["-c", "import sys"])).is_none() {
        println!("tools: creating python venv {}", venv.display());
        if venv.exists() {
            std::fs::remove_dir_all(&venv).map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
        }
        util::run(util::cmd("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    println!("tools: installing moto[server]=={MOTO_VERSION} into the venv");
    util::run(Command::new(&python).env("PIP_DISABLE_PIP_VERSION_CHECK", "1").args([
        "-m",
        "pip",
        "install",
        "--quiet",
        wanted.trim(),
    ]))?;
    util::write(&stamp, &wanted)?;
    Ok(program)
}

/// Runs the measurements and returns the report section (Markdown).
pub fn run() -> String {
    match measure() {
        Ok(report) => report,
        Err(e) => format!("Not measured: {e}.\n"),
    }
}

fn measure() -> Result<String> {
    ensure_wrk()?;
    let moto = ensure_moto();
    let fleetplay = build_fleetplay()?;
    let dir = util::target_dir().join("bench-serve");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let mut report = String::new();
    let mut rows: Vec<(u32, Option<Run>, Option<Run>)> =
        CONNECTIONS.iter().map(|&c| (c, None, None)).collect();

    // fleetplay first, then moto, each alone on the machine.
    {
        let port = util::free_port()?;
        let server = start(&fleetplay, &["serve", "--port", &port.to_string()], "fleetplay serve", port)?;
        let script = write_script(&dir, "fleetplay.lua", FLEETPLAY_SERVER)?;
        for row in &mut rows {
            row.1 = Some(wrk(port, row.0, &script)?);
        }
        drop(server);
    }
    let moto_note = match moto {
        Ok(program) => {
            let port = util::free_port()?;
            let server = start(&program, &["-H", "127.0.0.1", "-p", &port.to_string()], "moto_server", port)?;
            let id = moto_create_server(port)?;
            let script = write_script(&dir, "moto.lua", &id)?;
            for row in &mut rows {
                row.2 = Some(wrk(port, row.0, &script)?);
            }
            drop(server);
            String::new()
        }
        Err(e) => format!("moto not measured: {e}.\n"),
    };

    let _ = writeln!(
        report,
        "Transfer `DescribeServer` (awsJson 1.1) over keep-alive connections, wrk {RUN_SECONDS} s per row \
         after a 2 s warm-up; fleetplay built with `--release`, moto_server {MOTO_VERSION}.\n"
    );
    report.push_str(
        "| connections | fleetplay requests/s | p50 | p99 | moto requests/s | p50 | p99 | fleetplay ÷ moto |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (connections, ours, theirs) in &rows {
        let cell = |r: &Option<Run>| match r {
            Some(r) => (format!("{:.0}{}", r.rps, r.errors_note()), r.p50.clone(), r.p99.clone()),
            None => ("—".to_string(), "—".to_string(), "—".to_string()),
        };
        let (a, a50, a99) = cell(ours);
        let (b, b50, b99) = cell(theirs);
        let ratio = match (ours, theirs) {
            (Some(o), Some(t)) if t.rps > 0.0 => format!("{:.0}×", o.rps / t.rps),
            _ => "—".to_string(),
        };
        let _ = writeln!(report, "| {connections} | {a} | {a50} | {a99} | {b} | {b50} | {b99} | {ratio} |");
    }
    report.push_str(&moto_note);

    println!("==> bench: fleetplay serve memory over {MEMORY_SECONDS} s at 64 connections");
    report.push('\n');
    report.push_str(&memory(&fleetplay, &dir)?);
    print!("{report}");
    Ok(report)
}

/// `cargo build --release -p fleetplay-cli`: the native release profile, optimised, whose panics unwind (what
/// `serve` needs to answer a panic with a 500); returns the binary.
fn build_fleetplay() -> Result<PathBuf> {
    util::run(util::cargo().args(["build", "--quiet", "--release", "-p", "fleetplay-cli"]))?;
    Ok(util::target_dir().join("release").join("fleetplay"))
}

fn start(program: &std::path::Path, args: &[&str], name: &str, port: u16) -> Result<util::KillOnDrop> {
    let mut cmd = Command::new(program);
    cmd.args(args).stdout(Stdio::null()).stderr(Stdio::null());
    let child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let mut server = util::KillOnDrop { name: name.to_string(), child };
    util::wait_for_http(
        std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(60),
        &mut server,
    )?;
    Ok(server)
}

/// A wrk script sending `DescribeServer` for `server_id`.
fn write_script(dir: &std::path::Path, name: &str, server_id: &str) -> Result<PathBuf> {
    let path = dir.join(name);
    let script = format!(
        "wrk.method = \"POST\"\n\
         wrk.body = '{{\"ServerId\":\"{server_id}\"}}'\n\
         wrk.headers[\"Content-Type\"] = \"application/x-amz-json-1.1\"\n\
         wrk.headers[\"X-Amz-Target\"] = \"TransferService.DescribeServer\"\n\
         wrk.headers[\"X-Amz-Date\"] = \"20260101T000000Z\"\n\
         wrk.headers[\"Authorization\"] = \"{AUTHORIZATION}\"\n"
    );
    util::write(&path, &script)?;
    Ok(path)
}

/// One wrk run's figures.
struct Run {
    rps: f64,
    p50: String,
    p99: String,
    /// wrk's "Socket errors" and "Non-2xx or 3xx responses" lines, if any.
    errors: Vec<String>,
}

impl Run {
    fn errors_note(&self) -> String {
        if self.errors.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.errors.join("; "))
        }
    }
}

fn wrk_command(port: u16, connections: u32, seconds: u32, script: &std::path::Path) -> Command {
    let threads = connections.clamp(1, 2);
    let mut cmd = Command::new("wrk");
    cmd.args(["--latency", "-t", &threads.to_string(), "-c", &connections.to_string()])
        .args(["-d", &format!("{seconds}s"), "--timeout", "10s", "-s"])
        .arg(script)
        .arg(format!("http://127.0.0.1:{port}/"));
    cmd
}

fn wrk(port: u16, connections: u32, script: &std::path::Path) -> Result<Run> {
    let _ = util::output(&mut wrk_command(port, connections, 2, script));
    let mut cmd = wrk_command(port, connections, RUN_SECONDS, script);
    println!("$ {}", util::display(&cmd));
    util::flush();
    let out = cmd.stdin(Stdio::null()).output().map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{text}");
    parse_wrk(&text).ok_or_else(|| format!("cannot read wrk's output: {text}"))
}

/// Requests/s, the 50 % and 99 % latencies and any error lines of wrk's `--latency` report.
fn parse_wrk(text: &str) -> Option<Run> {
    let mut run = Run { rps: 0.0, p50: String::new(), p99: String::new(), errors: Vec::new() };
    for line in text.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", rps] => run.rps = rps.parse().ok()?,
            ["50%", value] => run.p50 = (*value).to_string(),
            ["99%", value] => run.p99 = (*value).to_string(),
            _ if line.starts_with("Socket errors:") || line.starts_with("Non-2xx or 3xx responses:") => {
                run.errors.push(line.to_string())
            }
            _ => {}
        }
    }
    (run.rps > 0.0 && !run.p50.is_empty() && !run.p99.is_empty()).then_some(run)
}

/// Sends one request and returns (status, body); `Connection: close`, `Content-Length` framing only.
fn http(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let mut raw = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(raw, "{name}: {value}\r\n");
    }
    let _ = write!(raw, "Content-Length: {}\r\n\r\n{body}", body.len());
    stream.write_all(raw.as_bytes()).map_err(|e| format!("write: {e}"))?;
    let mut text = String::new();
    stream.read_to_string(&mut text).map_err(|e| format!("read: {e}"))?;
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

/// Creates a Transfer server in moto and returns its id.
fn moto_create_server(port: u16) -> Result<String> {
    let headers = [
        ("Content-Type", "application/x-amz-json-1.1"),
        ("X-Amz-Target", "TransferService.CreateServer"),
        ("X-Amz-Date", "20260101T000000Z"),
        ("Authorization", AUTHORIZATION),
    ];
    let (status, body) = http(port, "POST", "/", &headers, "{}")?;
    let id = body.split("\"ServerId\"").nth(1).and_then(|rest| rest.split('"').nth(1)).map(str::to_string);
    match id {
        Some(id) if status == 200 => Ok(id),
        _ => Err(format!("moto's CreateServer answered {status}: {body}")),
    }
}

/// The resident set size of process `pid` in MiB, from `/proc`.
fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 =
        status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.split_whitespace().next()?.parse().ok()?;
    Some(kb / 1024.0)
}

fn memory(fleetplay: &std::path::Path, dir: &std::path::Path) -> Result<String> {
    let port = util::free_port()?;
    let server = start(fleetplay, &["serve", "--port", &port.to_string()], "fleetplay serve", port)?;
    let pid = server.child.id();
    let script = dir.join("memory.lua");
    let aws_headers = format!(
        "{{[\"Content-Type\"] = \"application/x-amz-json-1.1\", [\"X-Amz-Target\"] = \
         \"TransferService.DescribeServer\", [\"X-Amz-Date\"] = \"20260101T000000Z\", [\"Authorization\"] = \
         \"{AUTHORIZATION}\"}}"
    );
    util::write(
        &script,
        &format!(
            "local n = 0\n\
             local aws = wrk.format(\"POST\", \"/\", {aws_headers}, '{{\"ServerId\":\"{FLEETPLAY_SERVER}\"}}')\n\
             local nova = wrk.format(\"GET\", \"{NOVA_PATH}\", {{[\"X-Auth-Token\"] = \"{NOVA_TOKEN}\"}})\n\
             request = function()\n  n = n + 1\n  if n % 2 == 0 then return aws else return nova end\nend\n"
        ),
    )?;
    let before = rss_mib(pid).unwrap_or(0.0);
    let mut cmd = wrk_command(port, 64, MEMORY_SECONDS as u32, &script);
    println!("$ {}", util::display(&cmd));
    util::flush();
    let mut load = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let started = Instant::now();
    let mut samples = Vec::new();
    for second in (5..=MEMORY_SECONDS).step_by(5) {
        let due = Duration::from_secs(second);
        std::thread::sleep(due.saturating_sub(started.elapsed()));
        samples.push((second, rss_mib(pid).unwrap_or(0.0)));
    }
    let mut wrk_out = String::new();
    if let Some(mut out) = load.stdout.take() {
        let _ = out.read_to_string(&mut wrk_out);
    }
    let _ = load.wait();
    print!("{wrk_out}");
    let load_run = parse_wrk(&wrk_out);

    let (_, state) = http(port, "GET", "/_fleetplay/state", &[], "")?;
    let field = |name: &str| -> String {
        state
            .split(&format!("\"{name}\": "))
            .nth(1)
            .and_then(|rest| rest.split([',', '\n']).next())
            .unwrap_or("?")
            .to_string()
    };
    let (exchanges, kept) = (field("exchanges"), field("entries"));
    let (transcript_ms, transcript_bytes, slowest_meanwhile) = transcript_while_serving(port)?;
    let after_load = rss_mib(pid).unwrap_or(0.0);
    http(port, "POST", "/_fleetplay/reset", &[], "")?;
    std::thread::sleep(Duration::from_secs(1));
    let after_reset = rss_mib(pid).unwrap_or(0.0);
    drop(server);

    let mut report = format!(
        "Memory of `fleetplay serve` (default `--history 10000`): {MEMORY_SECONDS} s of wrk at 64 connections \
         alternating Transfer `DescribeServer` and Nova `GET /v2.1/servers/{{id}}`{}; {exchanges} exchanges, \
         {kept} kept in the history.\n\n",
        load_run.map(|r| format!(" ({:.0} requests/s)", r.rps)).unwrap_or_default()
    );
    report.push_str("| after | RSS MiB |\n|---|---:|\n");
    let _ = writeln!(report, "| start | {before:.1} |");
    for (second, mib) in &samples {
        let _ = writeln!(report, "| {second} s | {mib:.1} |");
    }
    let _ = writeln!(report, "| the transcript read below | {after_load:.1} |");
    let _ = writeln!(report, "| `POST /_fleetplay/reset` | {after_reset:.1} |");
    let _ = writeln!(
        report,
        "\nThe full transcript ({} entries, {:.1} MB of JSON lines) streamed in {transcript_ms:.0} ms; \
         the slowest of the `GET /_fleetplay/state` requests sent meanwhile took {slowest_meanwhile:.1} ms.",
        kept,
        transcript_bytes as f64 / 1e6
    );
    Ok(report)
}

/// Streams the transcript while another connection sends `GET /_fleetplay/state` in a loop; returns the
/// transcript's time in ms, its size, and the slowest state request in ms.
fn transcript_while_serving(port: u16) -> Result<(f64, usize, f64)> {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let probe = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || -> f64 {
            let mut slowest: f64 = 0.0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                let started = Instant::now();
                if http(port, "GET", "/_fleetplay/state", &[], "").is_err() {
                    break;
                }
                slowest = slowest.max(started.elapsed().as_secs_f64() * 1000.0);
            }
            slowest
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream
        .write_all(b"GET /_fleetplay/transcript HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("write: {e}"))?;
    let mut reader = BufReader::new(stream);
    let mut bytes = 0;
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf).map_err(|e| format!("read: {e}"))? > 0 {
        bytes += buf.len();
        buf.clear();
    }
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let slowest = probe.join().unwrap_or(f64::NAN);
    Ok((elapsed, bytes, slowest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wrk_reports() {
        let text = "Running 10s test @ http://127.0.0.1:1/\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency   1.03ms  412.55us  14.22ms   80.35%\n  Latency Distribution\n     50%  0.97ms\n     75%    1.20ms\n     90%    1.50ms\n     99%    2.61ms\n  624043 requests in 10.10s, 450.21MB read\n  Socket errors: connect 0, read 0, write 0, timeout 12\nRequests/sec:  61788.41\nTransfer/sec:     44.58MB\n";
        let run = parse_wrk(text).expect("parsed");
        assert_eq!((run.rps, run.p50.as_str(), run.p99.as_str()), (61788.41, "0.97ms", "2.61ms"));
        assert_eq!(run.errors, ["Socket errors: connect 0, read 0, write 0, timeout 12"]);
        assert!(parse_wrk("wrk: connection refused").is_none());
    }
}
