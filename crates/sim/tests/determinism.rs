//! Determinism proof: a fixed script of stops, starts and reads across all three providers, with time
//! advances and injected faults (so random draws decide answers), run under a fixed seed, must render to the
//! committed golden transcript byte for byte, natively and on wasm32 (under Node). Any drift between targets
//! (`usize` widths, hash ordering, float formatting) or any unintended change of wire output shows up here.
//!
//! Regenerate after an intended change, natively: `UPDATE_GOLDEN=1 cargo test -p fleetplay-sim --test
//! determinism`, then review the diff of `tests/golden/determinism.txt`. On wasm32:
//! `cargo test -p fleetplay-sim --target wasm32-unknown-unknown --test determinism`.

use sim::transcript::{render_text, Entry};
use sim::{Scenario, Sim, WireRequest};

const GOLDEN: &str = include_str!("golden/determinism.txt");

const SEED: u64 = 424242;

/// The built-in fleet with faults switched on, so that the seeded generator decides some answers.
fn scenario(seed: u64) -> Scenario {
    let mut s = Scenario::builtin();
    s.seed = seed;
    s.title = "determinism proof".to_string();
    s.faults.transfer.throttle_per_second = Some(3);
    s.faults.transfer.internal_error_rate = 0.15;
    s.faults.transfer.stop_failure_rate = 0.4;
    s.faults.lightsail.service_error_rate = 0.15;
    s.faults.lightsail.stuck_rate = 0.3;
    s.faults.nova.unavailable_rate = 0.15;
    s.faults.nova.throttle_per_second = Some(4);
    s
}

fn transfer(op: &str, body: &str) -> WireRequest {
    WireRequest::new("POST", "/")
        .with_header("Host", "transfer.us-east-1.amazonaws.com")
        .with_header("Content-Type", "application/x-amz-json-1.1")
        .with_header("X-Amz-Target", &format!("TransferService.{op}"))
        .with_body(body)
}

fn lightsail(op: &str, body: &str) -> WireRequest {
    WireRequest::new("POST", "/")
        .with_header("Host", "lightsail.us-west-2.amazonaws.com")
        .with_header("Content-Type", "application/x-amz-json-1.1")
        .with_header("X-Amz-Target", &format!("Lightsail_20161128.{op}"))
        .with_body(body)
}

fn nova(method: &str, path: &str, token: &str, body: &str) -> WireRequest {
    let mut r = WireRequest::new(method, path)
        .with_header("Host", "127.0.0.1:8774")
        .with_header("X-Auth-Token", token);
    if !body.is_empty() {
        r = r.with_header("Content-Type", "application/json").with_body(body);
    }
    r
}

const A: &str = "/v2.1/servers/a0000000-0000-4000-8000-00000000000a";
const C: &str = "/v2.1/servers/c0000000-0000-4000-8000-00000000000c";
const D: &str = "/v2.1/servers/d0000000-0000-4000-8000-00000000000d";
const MEMBER: &str = "member-token-aaaa1111";
const ADMIN: &str = "admin-token-aaaa1111";

/// One step of the script.
enum Step {
    Send(WireRequest),
    Advance(u64),
    NextDue,
}

fn script() -> Vec<Step> {
    use Step::*;
    let stop_a = || nova("POST", &format!("{A}/action"), MEMBER, "{\"os-stop\": null}");
    vec![
        Send(transfer("StopServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")),
        Send(transfer("StopServer", "{\"ServerId\":\"s-01234567890abcdef\"}")),
        Send(transfer("StopServer", "{\"ServerId\":\"s-0000000000000000c\"}")),
        // A fourth Transfer request in the same simulated second goes over the throttle.
        Send(transfer("DescribeServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")),
        Send(lightsail("StopInstance", "{\"instanceName\":\"WordPress-1\"}")),
        Send(lightsail("StopInstance", "{\"instanceName\":\"Amazon_Linux_2023-1\",\"force\":false}")),
        Send(lightsail("StopInstance", "{\"instanceName\":\"MEAN-Stack-1\"}")),
        Send(stop_a()),
        Send(nova("POST", &format!("{C}/action"), MEMBER, "{\"os-stop\": {}}")),
        Send(nova("POST", &format!("{D}/action"), MEMBER, "{\"os-stop\": null}")),
        Send(nova("POST", &format!("{D}/action"), ADMIN, "{\"os-stop\": null}")),
        Advance(1_500),
        Send(stop_a()),
        Send(transfer("DescribeServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")),
        Send(lightsail("GetInstanceState", "{\"instanceName\":\"WordPress-1\"}")),
        NextDue,
        Advance(90_000),
        Send(transfer("ListServers", "{}")),
        Send(lightsail("GetInstances", "{}")),
        Send(lightsail("StopInstance", "{\"instanceName\":\"WordPress-1\",\"force\":true}")),
        Send(nova("GET", A, MEMBER, "")),
        Advance(600_000),
        Send(transfer("DescribeServer", "{\"ServerId\":\"s-0000000000000000c\"}")),
        Send(transfer("StartServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")),
        Send(lightsail("StartInstance", "{\"instanceName\":\"WordPress-1\"}")),
        Send(nova("POST", &format!("{A}/action"), MEMBER, "{\"os-start\": null}")),
        Send(nova("GET", "/v2.1/servers/detail", ADMIN, "")),
        Advance(600_000),
        Send(transfer("DescribeServer", "{\"ServerId\":\"s-0123456789abcdef0\"}")),
        Send(lightsail("GetInstance", "{\"instanceName\":\"WordPress-1\"}")),
        Send(nova("GET", A, MEMBER, "")),
        Send(stop_a()),
        Advance(3_600_000),
    ]
}

/// Runs the script against a fresh simulation and returns the transcript.
fn run(seed: u64) -> Vec<Entry> {
    let mut sim = Sim::new(scenario(seed)).expect("the determinism scenario is valid");
    let mut entries = Vec::new();
    for step in script() {
        match step {
            Step::Send(request) => entries.push(Entry::Exchange(sim.handle(request))),
            Step::Advance(ms) => entries.extend(sim.advance_by(ms).into_iter().map(Entry::Event)),
            Step::NextDue => entries.extend(sim.step().into_iter().map(Entry::Event)),
        }
    }
    entries
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(want: &str, got: &str) -> String {
    for (i, (w, g)) in want.lines().zip(got.lines()).enumerate() {
        if w != g {
            return format!("line {}:\n  golden: {w}\n  now:    {g}", i + 1);
        }
    }
    format!("the texts differ in length ({} vs {} lines)", want.lines().count(), got.lines().count())
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn transcript_matches_the_golden_file() {
    let text = render_text(&run(SEED));
    #[cfg(not(target_arch = "wasm32"))]
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = std::path::Path::new(
            &std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
        .join("tests/golden/determinism.txt");
        std::fs::write(&path, &text).expect("write the golden file");
        return;
    }
    assert!(
        text == GOLDEN,
        "the transcript differs from tests/golden/determinism.txt at {}\n(after an intended change, regenerate \
         natively with UPDATE_GOLDEN=1 and review the diff)",
        first_difference(GOLDEN, &text)
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn the_script_exercises_faults_and_every_provider() {
    // Guards the golden file's value as a proof: random draws must actually decide something.
    let entries = run(SEED);
    let statuses: Vec<u16> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Exchange(ex) => Some(ex.response.status),
            Entry::Event(_) => None,
        })
        .collect();
    assert!(
        statuses.iter().any(|s| *s >= 500 || *s == 429) || statuses.iter().filter(|s| **s == 400).count() > 1
    );
    for provider in sim::Provider::ALL {
        assert!(
            entries.iter().any(|e| matches!(e, Entry::Exchange(ex) if ex.provider == Some(provider))),
            "{provider:?} is not exercised"
        );
    }
    assert!(entries.iter().any(|e| matches!(e, Entry::Event(_))), "advancing time fires transitions");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn same_seed_same_transcript_other_seed_other_ids() {
    let a = run(SEED);
    let b = run(SEED);
    assert_eq!(a, b);
    assert_eq!(render_text(&a), render_text(&b));
    assert_eq!(sim::transcript::render_jsonl(&a), sim::transcript::render_jsonl(&b));

    let request_ids = |entries: &[Entry]| -> Vec<String> {
        entries
            .iter()
            .filter_map(|e| match e {
                Entry::Exchange(ex) => ex
                    .response
                    .header("x-amzn-RequestId")
                    .or_else(|| ex.response.header("x-openstack-request-id"))
                    .map(str::to_string),
                Entry::Event(_) => None,
            })
            .collect()
    };
    let ids_a = request_ids(&a);
    let ids_c = request_ids(&run(SEED + 1));
    assert!(!ids_a.is_empty());
    assert!(ids_a.iter().zip(&ids_c).all(|(x, y)| x != y), "another seed must draw other request ids");
}
