//! `cargo xtask test`: every test step in order, stopping at the first failure, with a summary line.
//!
//! | step | what runs |
//! |---|---|
//! | `fmt` | `cargo fmt --all -- --check` |
//! | `clippy` | `cargo clippy --workspace --all-targets -- -D warnings`, then `cargo clippy -p fleetplay -p fleetplay-floor --target wasm32-unknown-unknown --all-targets -- -D warnings` (the app and the bench's floor fixture, which has no tests, for wasm32) |
//! | `native` | `cargo test --workspace` (sim unit, story and property tests, CLI tests, xtask tidy) |
//! | `determinism` | `cargo test -p fleetplay-sim --target wasm32-unknown-unknown --test determinism` in Node |
//! | `browser` | `cargo test -p fleetplay --target wasm32-unknown-unknown` (the app's unit tests, which the runner runs in Node, and `tests/` in headless Chromium via chromedriver) |
//! | `build` | `trunk build --release` into `dist/` (Cargo profile `web`) |
//! | `compat` | `cargo build -p fleetplay-cli`, then `pytest compat/` with real SDKs against its `fleetplay serve` on a free port |
//! | `e2e` | `dist/` (built first unless the `build` step ran) and `cargo build -p fleetplay-cli`, then `node --test` on `e2e/` test files against `dist/` served on a free port (with mdBook, Sphinx, MkDocs, Hugo and Docusaurus for the integration tests, see `integrations.rs`) |
//! | `live` | `dist/` and the CLI as for `e2e`, then `node --test` on `e2e/live/`: the first test runs `cargo xtask live` as a user would; the others start `fleetplay serve --page dist/` themselves and drive it with the AWS CLI, `openstack` and boto3 from the compat venv while Chromium watches the page |
//!
//! A step whose test files do not exist yet is skipped with a message. Each step installs only the tools
//! it needs, so `--quick` never waits for Trunk to compile.

use crate::static_server::StaticServer;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM, WASM_TARGET};
use crate::util::{self, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How a step ended.
enum Outcome {
    Passed,
    Skipped(String),
    Failed(String),
}

/// The steps, in order: `(key, title)`.
const STEPS: [(&str, &str); 9] = [
    ("fmt", "formatting"),
    ("clippy", "lints (native, then the app and the floor fixture for wasm32)"),
    ("native", "native tests"),
    ("determinism", "simulator determinism on wasm32 (Node)"),
    ("browser", "browser component tests (headless Chromium)"),
    ("build", "release build of the web app"),
    ("compat", "compatibility tests with real SDKs"),
    ("e2e", "end-to-end tests (headless Chromium)"),
    ("live", "the live playground: real CLIs drive fleetplay serve while Chromium watches"),
];

const QUICK: [&str; 3] = ["fmt", "clippy", "native"];

/// Parses the options and runs the chosen steps.
pub fn run(args: &[String]) -> Result {
    let mut quick = false;
    let mut no_e2e = false;
    let mut only = Vec::new();
    for arg in args {
        match arg.as_str() {
            "--quick" => quick = true,
            "--no-e2e" => no_e2e = true,
            key if STEPS.iter().any(|(k, _)| *k == key) => only.push(key.to_string()),
            other => {
                let keys: Vec<_> = STEPS.iter().map(|(k, _)| *k).collect();
                return Err(format!("unknown option or step {other:?}; steps are: {}", keys.join(" ")));
            }
        }
    }
    let chosen: Vec<(&str, &str)> = STEPS
        .iter()
        .copied()
        .filter(|(key, _)| only.is_empty() || only.iter().any(|o| o == key))
        .filter(|(key, _)| !quick || QUICK.contains(key))
        .filter(|(key, _)| !(no_e2e && (*key == "e2e" || *key == "live")))
        .collect();

    let mut pipeline = Pipeline { built_dist: false };
    let mut results: Vec<(&str, Option<Outcome>, Duration)> = Vec::new();
    let total = chosen.len();
    let mut failed = false;
    for (i, (key, title)) in chosen.iter().enumerate() {
        if failed {
            results.push((key, None, Duration::ZERO));
            continue;
        }
        println!();
        println!("==> [{}/{total}] {key}: {title}", i + 1);
        util::flush();
        let start = Instant::now();
        let outcome = match pipeline.step(key) {
            Ok(outcome) => outcome,
            Err(message) => Outcome::Failed(message),
        };
        let elapsed = start.elapsed();
        match &outcome {
            Outcome::Passed => println!("==> {key}: passed in {:.1}s", elapsed.as_secs_f64()),
            Outcome::Skipped(why) => println!("==> {key}: skipped: {why}"),
            Outcome::Failed(why) => {
                println!("==> {key}: FAILED: {why}");
                failed = true;
            }
        }
        results.push((key, Some(outcome), elapsed));
    }
    summarise(&results)
}

fn summarise(results: &[(&str, Option<Outcome>, Duration)]) -> Result {
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    println!();
    println!("xtask test summary:");
    for (key, outcome, elapsed) in results {
        let (word, note) = match outcome {
            Some(Outcome::Passed) => {
                passed += 1;
                ("passed", format!("{:.1}s", elapsed.as_secs_f64()))
            }
            Some(Outcome::Skipped(why)) => {
                skipped += 1;
                ("skipped", why.clone())
            }
            Some(Outcome::Failed(why)) => {
                failed += 1;
                ("FAILED", why.clone())
            }
            None => ("not run", "an earlier step failed".to_string()),
        };
        println!("  {word:<8} {key:<12} {note}");
    }
    let skipped_note = if skipped > 0 { format!(", {skipped} skipped") } else { String::new() };
    println!("xtask: {passed} passed, {failed} failed{skipped_note}");
    util::flush();
    if failed > 0 {
        // The summary above says it all; an empty message keeps it the last line of the output.
        Err(String::new())
    } else {
        Ok(())
    }
}

struct Pipeline {
    built_dist: bool,
}

impl Pipeline {
    fn step(&mut self, key: &str) -> Result<Outcome> {
        match key {
            "fmt" => fmt(),
            "clippy" => clippy(),
            "native" => native(),
            "determinism" => determinism(),
            "browser" => browser(),
            "build" => self.build(),
            "compat" => compat(),
            "e2e" => self.e2e(),
            "live" => self.live(),
            other => Err(format!("no step {other:?}")),
        }
    }

    fn build(&mut self) -> Result<Outcome> {
        build_dist()?;
        self.built_dist = true;
        Ok(Outcome::Passed)
    }

    fn e2e(&mut self) -> Result<Outcome> {
        let files = e2e_test_files(&util::root().join("e2e"));
        if files.is_empty() {
            return Ok(Outcome::Skipped("no test files in e2e/ yet (*.test.mjs, *.test.js …)".to_string()));
        }
        if !util::root().join("e2e/package.json").is_file() {
            return Err("e2e/ has tests but no package.json (it should list playwright-core)".to_string());
        }
        tools::ensure_chromium()?;
        tools::ensure_e2e_npm()?;
        let integrations = crate::integrations::ensure_all()?;
        if !self.built_dist {
            println!("xtask: building dist/ first");
            build_dist()?;
            self.built_dist = true;
        }
        // The CLI, for the tests that compare `fleetplay grade` with the page's instructor view.
        util::run(util::cargo().args(["build", "-p", "fleetplay-cli"]))?;
        let cli = util::target_dir().join("debug").join("fleetplay");
        let server = StaticServer::start(&util::root().join("dist"), 0)?;
        println!("xtask: serving dist/ on {}", server.url());
        let mut node = util::cmd("node");
        node.env("FLEETPLAY_URL", server.url())
            .env("CHROMIUM", CHROMIUM)
            .env("FLEETPLAY_CLI", &cli)
            .arg("--test");
        node.envs(integrations);
        for file in &files {
            node.arg(util::rel(file));
        }
        let result = util::run(&mut node);
        drop(server);
        result.map(|()| Outcome::Passed)
    }
}

impl Pipeline {
    fn live(&mut self) -> Result<Outcome> {
        let live = util::root().join("e2e").join("live");
        let files = e2e_test_files(&live);
        if files.is_empty() {
            return Ok(Outcome::Skipped("no test files in e2e/live/ yet".to_string()));
        }
        tools::ensure_chromium()?;
        tools::ensure_e2e_npm()?;
        let python = tools::ensure_venv()?;
        let venv_bin = python.parent().ok_or("the venv's python has no folder")?.to_path_buf();
        if !self.built_dist {
            println!("xtask: building dist/ first");
            build_dist()?;
            self.built_dist = true;
        }
        util::run(util::cargo().args(["build", "-p", "fleetplay-cli"]))?;
        let mut node = util::cmd("node");
        node.env("FLEETPLAY_BIN", util::target_dir().join("debug").join("fleetplay"))
            .env("FLEETPLAY_DIST", util::root().join("dist"))
            .env("FLEETPLAY_VENV_BIN", venv_bin)
            .env("FLEETPLAY_CARGO", std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .env("CHROMIUM", CHROMIUM)
            .arg("--test");
        for file in &files {
            node.arg(util::rel(file));
        }
        util::run(&mut node).map(|()| Outcome::Passed)
    }
}

fn fmt() -> Result<Outcome> {
    tools::ensure_rust_components()?;
    let mut fmt = util::cargo();
    fmt.args(["fmt", "--all", "--", "--check"]);
    if !std::io::stdout().is_terminal() {
        // rustfmt colours its diff even into a pipe; CI logs are read as text.
        fmt.args(["--color", "never"]);
    }
    util::run(&mut fmt)?;
    Ok(Outcome::Passed)
}

fn clippy() -> Result<Outcome> {
    tools::ensure_rust_components()?;
    tools::ensure_wasm_target()?;
    util::run(util::cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    util::run(util::cargo().args([
        "clippy",
        "-p",
        "fleetplay",
        "-p",
        "fleetplay-floor",
        "--target",
        WASM_TARGET,
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    Ok(Outcome::Passed)
}

fn native() -> Result<Outcome> {
    util::run(util::cargo().args(["test", "--workspace"]))?;
    Ok(Outcome::Passed)
}

fn determinism() -> Result<Outcome> {
    if !util::root().join("crates/sim/tests/determinism.rs").is_file() {
        return Ok(Outcome::Skipped("crates/sim/tests/determinism.rs does not exist yet".to_string()));
    }
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    let mut cargo = util::cargo();
    // Without a driver variable wasm-bindgen-test-runner runs the tests in Node.
    cargo.env_remove("CHROMEDRIVER").env_remove("GECKODRIVER").env_remove("SAFARIDRIVER");
    cargo.args(["test", "-p", "fleetplay-sim", "--target", WASM_TARGET, "--test", "determinism"]);
    util::run(&mut cargo)?;
    Ok(Outcome::Passed)
}

fn browser() -> Result<Outcome> {
    let tests = util::root().join("tests");
    let has_tests = util::walk(&tests).iter().any(|p| p.extension().is_some_and(|e| e == "rs"));
    if !has_tests {
        return Ok(Outcome::Skipped("no browser component tests in tests/ yet".to_string()));
    }
    if !util::root().join("webdriver.json").is_file() {
        return Err(
            "webdriver.json is missing from the repo root (Chromium flags for chromedriver)".to_string()
        );
    }
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_chromium()?;
    util::run(util::cargo().env("CHROMEDRIVER", CHROMEDRIVER).args([
        "test",
        "-p",
        "fleetplay",
        "--target",
        WASM_TARGET,
    ]))?;
    Ok(Outcome::Passed)
}

/// `trunk build --release` into `dist/` (the `web` Cargo profile, chosen in index.html).
pub fn build_dist() -> Result {
    crate::serve::ensure_build_tools()?;
    util::run(util::cmd("trunk").args(["build", "--release"]))
}

fn compat() -> Result<Outcome> {
    let compat = util::root().join("compat");
    let has_tests = util::walk(&compat).iter().any(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
    });
    if !has_tests {
        return Ok(Outcome::Skipped("no compat/test_*.py files yet".to_string()));
    }
    let python = tools::ensure_venv()?;
    util::run(util::cargo().args(["build", "-p", "fleetplay-cli"]))?;
    let binary = util::target_dir().join("debug").join("fleetplay");
    let port = util::free_port()?;
    let mut serve = util::cmd(&binary);
    serve.args(["serve", "--port", &port.to_string()]);
    println!("$ {} &", util::display(&serve));
    let child = serve.spawn().map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let mut server = util::KillOnDrop { name: "fleetplay serve".to_string(), child };
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    util::wait_for_http(addr, Duration::from_secs(30), &mut server)?;
    let mut pytest = util::cmd(&python);
    pytest
        .env("FLEETPLAY_URL", format!("http://127.0.0.1:{port}"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(["-m", "pytest", "-p", "no:cacheprovider", "compat/"]);
    let shown = util::display(&pytest);
    println!("$ {shown}");
    util::flush();
    let status = pytest.status().map_err(|e| format!("cannot start pytest: {e}"))?;
    drop(server);
    match status.code() {
        Some(0) => Ok(Outcome::Passed),
        // pytest's "no tests collected".
        Some(5) => Ok(Outcome::Skipped("pytest collected no tests in compat/".to_string())),
        _ => Err(format!("`{shown}` failed ({status})")),
    }
}

/// Test files under `e2e/` by Node's default naming (`*.test.mjs`, `*-test.js`, `*_test.cjs`, `test-*.mjs`,
/// `test.js` …), leaving out `node_modules/`, `e2e/bench/` and `e2e/live/` (the `live` step's, which start
/// their own servers).
pub fn e2e_test_files(e2e: &Path) -> Vec<PathBuf> {
    let (bench, live) = (e2e.join("bench"), e2e.join("live"));
    util::walk(e2e)
        .into_iter()
        .filter(|p| !p.starts_with(&bench) && !p.starts_with(&live))
        .filter(|p| {
            let Some(name) = p.file_name().and_then(|n| n.to_str()) else { return false };
            let Some(stem) = [".mjs", ".cjs", ".js"].iter().find_map(|ext| name.strip_suffix(ext)) else {
                return false;
            };
            stem == "test"
                || stem.starts_with("test-")
                || stem.ends_with(".test")
                || stem.ends_with("-test")
                || stem.ends_with("_test")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_node_test_files_by_name() {
        let dir = std::env::temp_dir().join(format!("xtask-e2e-{}", std::process::id()));
        for file in [
            "stop.test.mjs",
            "b-test.js",
            "helpers.mjs",
            "bench/load.mjs",
            "bench/x.test.mjs",
            "test.cjs",
            "live/l.test.mjs",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let names: Vec<_> = e2e_test_files(&dir)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["b-test.js", "stop.test.mjs", "test.cjs"]);
        let live: Vec<_> = e2e_test_files(&dir.join("live"))
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(live, ["l.test.mjs"], "the live step's own");
        let _ = std::fs::remove_dir_all(dir);
    }
}
