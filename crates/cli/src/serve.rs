//! `fleetplay serve`: the simulator as an HTTP/1.1 server on 127.0.0.1, for real SDKs and tools.
//!
//! One thread per connection (std only, no async runtime), one shared [`Server`] behind a mutex. Simulated
//! time follows the wall clock multiplied by `--speed` (0 freezes it: time then moves only through the control
//! API, which is what tests use). Requests under `/_fleetplay/` go to the control API ([`crate::control`]);
//! everything else is answered by the simulator exactly as the simulated service would, and recorded in the
//! transcript.

use crate::args::{self, Spec};
use crate::http1::{read_request, write_response, HttpError};
use crate::{load_scenario, CliError};
use sim::transcript::Entry;
use sim::{Scenario, Sim, SimTime, WireRequest, WireResponse};
use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// `fleetplay serve --help`.
pub const HELP: &str = "\
Usage: fleetplay serve [--port N] [--scenario FILE.json] [--seed N] [--speed F]

Serves the simulator over HTTP/1.1 on 127.0.0.1 so real clients can call it: point boto3 at it with
endpoint_url=http://127.0.0.1:PORT (any credentials, any region), and OpenStack clients at
http://127.0.0.1:PORT/v2.1 with one of the scenario's tokens (e.g. member-token-aaaa1111).

Options:
  --port N              port to listen on (default 8080; 0 picks a free port and prints it)
  --scenario FILE.json  scenario to load (default: the built-in one, see `fleetplay scenario`)
  --seed N              override the scenario's seed
  --speed F             simulated seconds per wall-clock second (default 1; 0 = time moves only through
                        the control API)

Control API (JSON; never part of any provider's paths):
  POST /_fleetplay/advance?by=90s   advance simulated time (or body {\"by\": \"90s\"} / {\"ms\": 90000});
                                    also ?to=10m for an absolute time. Answers now, next_due and the events.
  POST /_fleetplay/step             jump to the next scheduled state change
  POST /_fleetplay/reset            restart the same scenario with the same seed (?seed=N to change it)
  POST /_fleetplay/scenario         load the scenario JSON in the body (400 with the problem if invalid)
  GET  /_fleetplay/scenario         the current scenario
  POST /_fleetplay/speed?value=F     change the speed (0 freezes simulated time)
  GET  /_fleetplay/state            now, next_due, seed, speed and every server's view
  GET  /_fleetplay/transcript       the run so far, ?format=jsonl (default) or ?format=http
";

/// The shared state of a running server.
pub struct Server {
    /// The scenario every reset returns to.
    pub scenario: Scenario,
    /// The simulation.
    pub sim: Sim,
    /// Simulated milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Wall-clock instant that corresponds to `anchor_sim`.
    anchor_wall: Instant,
    /// Simulated time at `anchor_wall`.
    anchor_sim: SimTime,
    /// Every exchange and event so far.
    pub transcript: Vec<Entry>,
}

impl Server {
    /// A server at `T+0` of `scenario`.
    pub fn new(scenario: Scenario, speed: f64) -> Result<Server, sim::ScenarioError> {
        let sim = Sim::new(scenario.clone())?;
        Ok(Server {
            scenario,
            sim,
            speed,
            anchor_wall: Instant::now(),
            anchor_sim: SimTime::ZERO,
            transcript: Vec::new(),
        })
    }

    /// Brings simulated time up to the wall clock (times the speed), recording the events that fire.
    pub fn sync(&mut self) {
        if self.speed <= 0.0 {
            return;
        }
        let elapsed = self.anchor_wall.elapsed().as_secs_f64() * 1000.0 * self.speed;
        let target = self.anchor_sim.plus_millis(elapsed as u64);
        if target > self.sim.now() {
            let events = self.sim.advance_to(target);
            self.transcript.extend(events.into_iter().map(Entry::Event));
        }
    }

    /// Restarts the wall-clock correspondence from the current simulated time (after a manual jump).
    pub fn reanchor(&mut self) {
        self.anchor_wall = Instant::now();
        self.anchor_sim = self.sim.now();
    }

    /// Replaces the simulation (reset or new scenario) and clears the transcript.
    pub fn restart(&mut self, scenario: Scenario) -> Result<(), sim::ScenarioError> {
        self.sim = Sim::new(scenario.clone())?;
        self.scenario = scenario;
        self.transcript.clear();
        self.reanchor();
        Ok(())
    }

    /// Answers one request: the control API under `/_fleetplay`, the simulator for everything else.
    pub fn handle(&mut self, request: WireRequest) -> WireResponse {
        self.sync();
        let path = request.path();
        if path == "/_fleetplay" || path.starts_with("/_fleetplay/") {
            return crate::control::handle(self, &request);
        }
        match catch_unwind(AssertUnwindSafe(|| self.sim.handle(request))) {
            Ok(exchange) => {
                let response = exchange.response.clone();
                self.transcript.push(Entry::Exchange(exchange));
                response
            }
            Err(_) => crate::control::json_response(
                500,
                &sim::json::object([(
                    "error",
                    "the simulator failed on this request (an internal error, reported on the server's stderr)".into(),
                )]),
            ),
        }
    }
}

/// Runs the command.
pub fn main(argv: &[String]) -> Result<u8, CliError> {
    let specs = [
        Spec { name: "port", takes_value: true },
        Spec { name: "scenario", takes_value: true },
        Spec { name: "seed", takes_value: true },
        Spec { name: "speed", takes_value: true },
    ];
    let parsed = args::parse(argv, &specs)?;
    if parsed.help {
        print!("{HELP}");
        return Ok(0);
    }
    if let Some(extra) = parsed.positional.first() {
        return Err(CliError::usage(format!(
            "serve takes no file argument, got '{extra}' (use --scenario FILE)"
        )));
    }
    let port: u16 = parsed.value("port").map(|v| args::number("port", v)).transpose()?.unwrap_or(8080);
    let speed: f64 = parsed.value("speed").map(|v| args::number("speed", v)).transpose()?.unwrap_or(1.0);
    if !speed.is_finite() || speed < 0.0 {
        return Err(CliError::usage(format!("--speed must be a number ≥ 0, got {speed}")));
    }
    let mut scenario = match parsed.value("scenario") {
        Some(file) => load_scenario(file)?,
        None => Scenario::builtin(),
    };
    if let Some(seed) = parsed.value("seed") {
        scenario.seed = args::number("seed", seed)?;
    }
    let seed = scenario.seed;
    let server =
        Server::new(scenario, speed).map_err(|e| CliError::usage(format!("invalid scenario: {e}")))?;
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        CliError::usage(format!("cannot listen on 127.0.0.1:{port}: {}", crate::io_reason(&e)))
    })?;
    let actual = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    println!("fleetplay: serving on http://127.0.0.1:{actual} (seed {seed})");
    let _ = std::io::stdout().flush();

    let shared = Arc::new(Mutex::new(server));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("fleetplay-conn".into())
            .spawn(move || serve_connection(stream, &shared));
        if spawned.is_err() {
            // Out of threads: the connection is dropped and the client retries.
            continue;
        }
    }
    Ok(0)
}

fn lock(shared: &Mutex<Server>) -> MutexGuard<'_, Server> {
    // A panic while holding the lock (caught above, or in the control API) must not stop the server.
    shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Serves requests on one connection until the client closes it, asks to close, or idles too long.
fn serve_connection(stream: TcpStream, shared: &Mutex<Server>) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
    let Ok(write_half) = stream.try_clone() else { return };
    let mut writer = write_half;
    let mut reader = BufReader::new(stream);
    loop {
        match read_request(&mut reader, &mut writer) {
            Ok(None) | Err(HttpError::Io) => return,
            Err(HttpError::Bad(status, message)) => {
                let response = WireResponse::new(status)
                    .with_header("Content-Type", "text/plain; charset=utf-8")
                    .with_body(format!("fleetplay: {message}\n"));
                let _ = write_response(&mut writer, &response, false, false);
                return;
            }
            Ok(Some(incoming)) => {
                let head_only = incoming.request.method == "HEAD";
                let response = lock(shared).handle(incoming.request);
                if write_response(&mut writer, &response, head_only, incoming.keep_alive).is_err()
                    || !incoming.keep_alive
                {
                    return;
                }
            }
        }
    }
}
