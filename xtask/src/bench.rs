//! `cargo xtask bench`: prints figures, never asserts timing.
//!
//! 1. Native simulator throughput: `cargo run --release -p fleetplay-sim --example bench`
//!    (see `crates/sim/examples/bench.rs`): the native release profile a CLI or server build gets.
//! 2. Web: `trunk build --release` (Cargo profile `web`, optimised for size), then the size of every file in
//!    `dist/` raw and gzip -9, and the total gzip transfer of wasm + js + css + html.
//! 3. Web: where the wasm's bytes go, per part of the project (`wasm_size.rs`), on a copy of the release
//!    build with function names kept.
//! 4. Web: time from navigation to interactive in headless Chromium (`node e2e/bench/load.mjs`, median of
//!    5 cold loads), where interactive means `data-ready="true"` on `<body>` or `#app`.
//! 5. Web: fleets of 1,000 and 10,000 servers (`node e2e/bench/stop-all.mjs`, 3 runs each): the work one
//!    keystroke in the composer (and in the fleet's filter) causes, then "Stop all" confirmed: how long the
//!    click holds the page, then the frame gaps while the servers move.
//! 6. Web: the throttled load, side by side with API consoles (`node e2e/bench/throttled.mjs`, 5 interleaved
//!    rounds): the page, its embed, RapiDoc and Swagger UI (from e2e/node_modules, pinned), each served
//!    precompressed by the static host with brotli and with gzip (`e2e/bench/site.mjs` builds the two sites), on
//!    an emulated phone and slow mobile network: time to interactive, first paint, layout shift, and how far the
//!    app lands from the HTML frame it replaces. The floor fixture (`xtask/floor`, the smallest interactive
//!    playground on the same simulator, built as the page is) is loaded beside them, under `/floor/`: what any
//!    first view of the page must download, measured rather than estimated; its bytes are reported with 2 and 3.
//!
//! 7. `fleetplay serve` under load with wrk, side by side with moto's server, and its memory over a long
//!    run (`bench_serve.rs`).
//!
//! `cargo xtask bench bytes` (2 and 3), `… fleet` (5), `… throttled` (6) and `… serve` (7) run one part alone
//! and print it.
//! With `--write` the report replaces the part of BENCHMARKS.md between `<!-- bench:begin -->` and
//! `<!-- bench:end -->`.

use crate::static_server::StaticServer;
use crate::tools::{self, CHROMIUM};
use crate::util::{self, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const USAGE: &str = "usage: cargo xtask bench [--write | serve | bytes | fleet | throttled]";
const BEGIN: &str = "<!-- bench:begin -->";
const END: &str = "<!-- bench:end -->";

/// Runs every benchmark and prints (and with `--write` records) the report.
pub fn run(args: &[String]) -> Result {
    let write = match args {
        [] => false,
        [flag] if flag == "--write" => true,
        // One part alone (minutes instead of the whole run); prints, never writes.
        [part] if part == "serve" => {
            crate::bench_serve::run();
            return Ok(());
        }
        [part] if matches!(part.as_str(), "bytes" | "fleet" | "throttled") => {
            crate::test::build_dist()?;
            let dist = util::root().join("dist");
            let report = match part.as_str() {
                "bytes" => {
                    println!("==> bench: web bundle, and where the wasm's bytes go");
                    let page = sizes(&dist)?;
                    let floor = sizes(&build_floor()?)?;
                    let parts = wasm_parts(crate::wasm_size::PAGE);
                    let floor_parts = wasm_parts(crate::wasm_size::FLOOR);
                    format!(
                        "{page}\nThe floor fixture:\n\n{floor}\n{parts}\nThe floor fixture:\n\n{floor_parts}"
                    )
                }
                "fleet" => {
                    println!("==> bench: 1,000 and 10,000 servers stopped at once in headless Chromium");
                    in_browser(&dist, "stop-all.mjs", "3")?
                }
                _ => {
                    let floor = build_floor()?;
                    println!(
                        "==> bench: throttled load on a slow phone, side by side with RapiDoc and Swagger UI"
                    );
                    throttled(&dist, &floor)?
                }
            };
            println!();
            println!("{report}");
            return Ok(());
        }
        _ => return Err(USAGE.to_string()),
    };
    let mut report = String::new();
    let _ = writeln!(report, "Measured {} on {}.", today(), machine());
    report.push('\n');

    println!("==> bench: native simulator throughput");
    report.push_str("### Native simulator\n\n");
    report.push_str(&native()?);

    println!("==> bench: web bundle");
    crate::test::build_dist()?;
    let dist = util::root().join("dist");
    report.push_str("\n### Web bundle (`trunk build --release`)\n\n");
    report.push_str(&sizes(&dist)?);
    let floor = build_floor()?;
    report.push_str(
        "\nThe floor fixture (`xtask/floor`: the simulator, one text area, Send, the answer as text):\n\n",
    );
    report.push_str(&sizes(&floor)?);

    println!("==> bench: where the wasm's bytes go");
    report.push_str("\n### Where the wasm's bytes go (same pipeline, function names kept; custom sections not counted)\n\n");
    report.push_str(&wasm_parts(crate::wasm_size::PAGE));
    report.push_str("\nThe floor fixture:\n\n");
    report.push_str(&wasm_parts(crate::wasm_size::FLOOR));

    println!("==> bench: load time in headless Chromium");
    report.push_str("\n### Load time (navigation to `data-ready=\"true\"`, headless Chromium)\n\n");
    report.push_str(&in_browser(&dist, "load.mjs", "5")?);

    println!("==> bench: 1,000 and 10,000 servers stopped at once in headless Chromium");
    report.push_str(
        "\n### 1,000 and 10,000 servers stopped at once (\"Stop all\" at 100×, headless Chromium)\n\n",
    );
    report.push_str(&in_browser(&dist, "stop-all.mjs", "3")?);

    println!("==> bench: throttled load on a slow phone, side by side with RapiDoc and Swagger UI");
    report.push_str("\n### Throttled load, side by side with API consoles (headless Chromium)\n\n");
    report.push_str(&throttled(&dist, &floor)?);

    println!("==> bench: fleetplay serve under load, and moto's server");
    report.push_str("\n### `fleetplay serve` under load (wrk), and moto's server\n\n");
    report.push_str(&crate::bench_serve::run());

    println!();
    println!("{report}");
    if write {
        record(&report)?;
        println!("xtask: BENCHMARKS.md updated");
    }
    Ok(())
}

fn today() -> String {
    util::output(Command::new("date").args(["-u", "+%Y-%m-%d"])).unwrap_or_else(|| "today".to_string())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let rustc = util::output(Command::new("rustc").arg("--version")).unwrap_or_default();
    let chromium = util::output(Command::new(CHROMIUM).arg("--version")).unwrap_or_default();
    let mut out = format!("{cores} cores, {rustc}");
    if !chromium.is_empty() {
        out.push_str(", ");
        out.push_str(&chromium);
    }
    out
}

/// Runs a command with stderr shown live and returns its stdout (also echoed).
fn capture(cmd: &mut Command) -> Result<String> {
    let shown = util::display(cmd);
    println!("$ {shown}");
    util::flush();
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{stdout}");
    if out.status.success() {
        Ok(stdout)
    } else {
        Err(format!("`{shown}` failed ({})", out.status))
    }
}

fn native() -> Result<String> {
    let mut cargo = util::cargo();
    cargo.args(["run", "--quiet", "--release", "-p", "fleetplay-sim", "--example", "bench"]);
    Ok(match capture(&mut cargo) {
        Ok(stdout) => format!("```\n{}```\n", stdout),
        Err(e) => format!("Not measured: {e}.\n"),
    })
}

/// Builds the floor fixture (`xtask/floor/index.html`) with Trunk as the page is built (`trunk build
/// --release`, the same Trunk.toml), into `<target>/floor-dist`, for serving under `/floor/`.
fn build_floor() -> Result<PathBuf> {
    println!("==> bench: the floor fixture (xtask/floor)");
    let dist = util::target_dir().join("floor-dist");
    util::run(
        util::cmd("trunk")
            .args(["build", "--release", "--public-url", "/floor/", "--dist"])
            .arg(&dist)
            .arg(util::root().join("xtask/floor/index.html")),
    )?;
    Ok(dist)
}

/// Where one build's wasm bytes go (`wasm_size.rs`), or why that was not measured.
fn wasm_parts(build: crate::wasm_size::Build) -> String {
    crate::wasm_size::measure(build).unwrap_or_else(|e| format!("Not measured: {e}.\n"))
}

fn gzip_size(path: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip failed on {}", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

fn sizes(dist: &Path) -> Result<String> {
    let mut table = String::from("| file | raw bytes | gzip -9 bytes |\n|---|---:|---:|\n");
    let (mut raw_total, mut gz_total) = (0u64, 0u64);
    for path in util::walk(dist) {
        let raw = std::fs::metadata(&path).map_err(|e| e.to_string())?.len();
        let gz = gzip_size(&path)?;
        let name = path.strip_prefix(dist).unwrap_or(&path).display().to_string();
        let _ = writeln!(table, "| `{name}` | {raw} | {gz} |");
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if matches!(ext, "wasm" | "js" | "css" | "html") {
            raw_total += raw;
            gz_total += gz;
        }
    }
    let _ = writeln!(table, "| **wasm + js + css + html** | **{raw_total}** | **{gz_total}** |");
    print!("{table}");
    Ok(table)
}

/// Runs `e2e/bench/<script>` against `dist/` served on a free port and returns its output as a code block.
fn in_browser(dist: &Path, script: &str, runs: &str) -> Result<String> {
    let root = util::root();
    if !root.join("e2e/package.json").is_file() {
        return Ok("Not measured: e2e/package.json (with playwright-core) does not exist yet.\n".to_string());
    }
    tools::ensure_chromium()?;
    tools::ensure_e2e_npm()?;
    let server = StaticServer::start(dist, 0)?;
    let mut node = util::cmd("node");
    node.env("FLEETPLAY_URL", server.url())
        .env("CHROMIUM", CHROMIUM)
        .env("BENCH_RUNS", runs)
        .arg(root.join("e2e/bench").join(script));
    let result = capture(&mut node);
    drop(server);
    Ok(match result {
        Ok(stdout) => format!("```\n{stdout}```\n"),
        Err(e) => format!("Not measured: {e} (the app must set data-ready=\"true\" once mounted).\n"),
    })
}

/// The throttled load benchmark: builds the brotli and gzip sites (`e2e/bench/site.mjs`: the page at the root,
/// the floor fixture under `/floor/`), serves each with the static host, and runs `e2e/bench/throttled.mjs`
/// against both. The Markdown tables (the sites' bytes, the loads' medians) go into the report as they are,
/// the other lines as a code block.
fn throttled(dist: &Path, floor: &Path) -> Result<String> {
    let root = util::root();
    if !root.join("e2e/package.json").is_file() {
        return Ok("Not measured: e2e/package.json does not exist yet.\n".to_string());
    }
    tools::ensure_chromium()?;
    tools::ensure_e2e_npm()?;
    let site = util::target_dir().join("bench-site");
    let sizes =
        capture(util::cmd("node").arg(root.join("e2e/bench/site.mjs")).arg(dist).arg(&site).arg(floor))?;
    let (bytes, sizes): (Vec<&str>, Vec<&str>) = sizes.lines().partition(|line| line.starts_with('|'));
    let (bytes, sizes) = (bytes.join("\n"), sizes.join("\n"));
    let br = StaticServer::start(&site.join("br"), 0)?;
    let gz = StaticServer::start(&site.join("gz"), 0)?;
    let mut node = util::cmd("node");
    node.env("FLEETPLAY_BR_URL", br.url())
        .env("FLEETPLAY_GZ_URL", gz.url())
        .env("CHROMIUM", CHROMIUM)
        .env("BENCH_RUNS", "5")
        .arg(root.join("e2e/bench/throttled.mjs"));
    let result = capture(&mut node);
    drop((br, gz));
    Ok(match result {
        Ok(stdout) => {
            let (loads, summary): (Vec<&str>, Vec<&str>) =
                stdout.lines().partition(|line| line.starts_with("throttled: round"));
            format!("{bytes}\n\n```\n{sizes}\n{}\n```\n{}\n", loads.join("\n"), summary.join("\n").trim())
        }
        Err(e) => format!("Not measured: {e}.\n"),
    })
}

fn record(report: &str) -> Result {
    let path = util::root().join("BENCHMARKS.md");
    let text = util::read(&path)?;
    let (Some(begin), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        return Err(format!("BENCHMARKS.md lacks the {BEGIN} … {END} markers"));
    };
    if end < begin {
        return Err("BENCHMARKS.md markers are out of order".to_string());
    }
    let updated = format!("{}{BEGIN}\n{report}{}", &text[..begin], &text[end..]);
    util::write(&path, &updated)
}
