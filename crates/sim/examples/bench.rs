//! Native throughput of the simulator, for `cargo xtask bench`:
//! `cargo run --release -p fleetplay-sim --example bench`.
//!
//! Prints figures and asserts nothing. It measures
//! 1. requests per second through [`Sim::handle`] for a describe / stop / describe mix over a
//!    1,000-server fleet split across AWS Transfer Family, Amazon Lightsail and OpenStack Nova, each round
//!    starting from a fresh copy of the same simulation so every stop hits a running server; and
//! 2. the time to stop every server of a 10,000-server fleet and then advance the clock past every
//!    scheduled completion.
//!
//! The fleets are built in code from `sim::Scenario`'s public fields. Reading the wall clock is fine here and
//! only here: the simulator itself takes time as a value.

use sim::scenario::{LightsailInstanceDef, NovaServerDef, NovaTokenDef, TransferServerDef};
use sim::{Scenario, Sim, SimTime, StateFamily, WireRequest};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The Nova project every benchmark server belongs to (hex-like, as Nova route tokens are).
const PROJECT: &str = "be7c4000";
/// A Keystone token with the member role in [`PROJECT`].
const TOKEN: &str = "bench-member-token";

/// The wall clock, for timing the benchmark itself.
#[allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures wall time; the simulator it measures never reads a clock"
)]
fn now() -> Instant {
    Instant::now()
}

/// One server of the benchmark fleet and the provider that holds it.
#[derive(Clone)]
enum Target {
    Transfer(String),
    Lightsail(String),
    Nova(String),
}

/// A fleet of `n` running servers, split as evenly as possible across the three providers.
fn fleet(n: usize) -> (Scenario, Vec<Target>) {
    let mut scenario = Scenario { title: format!("bench fleet of {n}"), seed: 7, ..Scenario::default() };
    scenario.fleet.nova.tokens = vec![NovaTokenDef {
        token: TOKEN.to_string(),
        project_id: PROJECT.to_string(),
        roles: vec!["member".to_string(), "reader".to_string()],
        user_id: "bench-user".to_string(),
        label: "benchmark member".to_string(),
    }];
    let mut targets = Vec::with_capacity(n);
    for i in 0..n {
        match i % 3 {
            0 => {
                let id = format!("s-{i:017x}");
                scenario.fleet.transfer.push(TransferServerDef {
                    id: id.clone(),
                    state: "ONLINE".to_string(),
                    ..TransferServerDef::default()
                });
                targets.push(Target::Transfer(id));
            }
            1 => {
                let name = format!("bench-{i}");
                scenario.fleet.lightsail.push(LightsailInstanceDef {
                    name: name.clone(),
                    state: "running".to_string(),
                    ..LightsailInstanceDef::default()
                });
                targets.push(Target::Lightsail(name));
            }
            _ => {
                let id = format!("{i:08x}-0000-4000-8000-{i:012x}");
                scenario.fleet.nova.servers.push(NovaServerDef {
                    id: id.clone(),
                    name: format!("bench-{i}"),
                    project_id: PROJECT.to_string(),
                    vm_state: "active".to_string(),
                    ..NovaServerDef::default()
                });
                targets.push(Target::Nova(id));
            }
        }
    }
    (scenario, targets)
}

fn aws(host: &str, target: &str, body: String) -> WireRequest {
    WireRequest::new("POST", "/")
        .with_header("Host", host)
        .with_header("X-Amz-Target", target)
        .with_header("Content-Type", "application/x-amz-json-1.1")
        .with_body(&body)
}

fn stop_request(target: &Target) -> WireRequest {
    match target {
        Target::Transfer(id) => aws(
            "transfer.us-east-1.amazonaws.com",
            "TransferService.StopServer",
            format!(r#"{{"ServerId":"{id}"}}"#),
        ),
        Target::Lightsail(name) => aws(
            "lightsail.us-west-2.amazonaws.com",
            "Lightsail_20161128.StopInstance",
            format!(r#"{{"instanceName":"{name}"}}"#),
        ),
        Target::Nova(id) => WireRequest::new("POST", &format!("/v2.1/servers/{id}/action"))
            .with_header("X-Auth-Token", TOKEN)
            .with_header("Content-Type", "application/json")
            .with_body(r#"{"os-stop": null}"#),
    }
}

fn describe_request(target: &Target) -> WireRequest {
    match target {
        Target::Transfer(id) => aws(
            "transfer.us-east-1.amazonaws.com",
            "TransferService.DescribeServer",
            format!(r#"{{"ServerId":"{id}"}}"#),
        ),
        Target::Lightsail(name) => aws(
            "lightsail.us-west-2.amazonaws.com",
            "Lightsail_20161128.GetInstance",
            format!(r#"{{"instanceName":"{name}"}}"#),
        ),
        Target::Nova(id) => {
            WireRequest::new("GET", &format!("/v2.1/servers/{id}")).with_header("X-Auth-Token", TOKEN)
        }
    }
}

fn load(scenario: Scenario) -> Sim {
    match Sim::new(scenario) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("bench: the generated scenario is invalid: {e}");
            std::process::exit(1);
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Describe, stop, describe every server of a 1,000-server fleet, many rounds from the same start.
fn throughput() {
    const SERVERS: usize = 1_000;
    let (scenario, targets) = fleet(SERVERS);
    let start = load(scenario);
    // Requests are built outside the timed part so that only `Sim::handle` is measured.
    let script: Vec<WireRequest> =
        targets.iter().flat_map(|t| [describe_request(t), stop_request(t), describe_request(t)]).collect();
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut rates = Vec::new();
    let begun = now();
    let mut round = 0;
    while round < 3 || (round < 50 && begun.elapsed() < Duration::from_secs(3)) {
        let mut sim = start.clone();
        let requests = script.clone();
        let t0 = now();
        for request in requests {
            let exchange = sim.handle(request);
            if round == 0 {
                *statuses.entry(exchange.response.status).or_default() += 1;
            }
        }
        let elapsed = t0.elapsed();
        rates.push(script.len() as f64 / elapsed.as_secs_f64());
        round += 1;
    }
    let mix: Vec<String> = statuses.iter().map(|(status, n)| format!("{status}×{n}")).collect();
    println!(
        "handle throughput: {:.0} requests/s (median of {round} rounds of {} requests: describe, stop, describe \
         on each of {SERVERS} servers; fresh fleet each round)",
        median(rates),
        script.len()
    );
    println!("  status mix of one round: {}", mix.join(", "));
}

/// Stops all 10,000 servers, then advances past every due completion.
fn stop_cycle() {
    const SERVERS: usize = 10_000;
    let (scenario, targets) = fleet(SERVERS);
    let t0 = now();
    let mut sim = load(scenario);
    let loaded = t0.elapsed();
    let requests: Vec<WireRequest> = targets.iter().map(stop_request).collect();
    let t1 = now();
    let mut accepted = 0;
    for request in requests {
        if sim.handle(request).response.status < 300 {
            accepted += 1;
        }
    }
    let stopping = t1.elapsed();
    let t2 = now();
    // Every timing in the default settings is far below a day, so one jump fires every completion.
    let events = sim.advance_to(SimTime::ZERO.plus_millis(24 * 60 * 60 * 1000));
    let advancing = t2.elapsed();
    let stopped = sim.fleet().iter().filter(|s| s.family == StateFamily::Stopped).count();
    println!(
        "stop cycle of {SERVERS} servers: {:.1} ms total = stop requests {:.1} ms ({accepted} accepted) + \
         advance_to past every completion {:.1} ms ({} events)",
        ms(stopping + advancing),
        ms(stopping),
        ms(advancing),
        events.len()
    );
    println!(
        "  loading the scenario took {:.1} ms; {stopped} of {SERVERS} servers stopped afterwards; pending: {}",
        ms(loaded),
        sim.next_due().map_or("none".to_string(), |t| t.to_string())
    );
}

fn main() {
    throughput();
    stop_cycle();
}
