//! fleetplay's task runner, in the cargo-xtask style: `cargo xtask <command>` from anywhere in the repo.
//!
//! Commands:
//! - `serve [TRUNK ARGS...]`: install missing tools, then `trunk serve` on http://127.0.0.1:8080.
//! - `test [--quick] [--no-e2e] [STEP...]`: install missing tools, then run the test steps in order
//!   (`fmt clippy native determinism browser build compat e2e live`), stopping at the first failure.
//! - `bench [--write | serve | bytes | fleet | throttled]`: native simulator throughput, web bundle size and where
//!   the wasm's bytes go, load time, typing and "Stop all" at 1,000 and 10,000 servers, the throttled load
//!   side by side with API consoles and the floor fixture (`xtask/floor`), and `fleetplay serve` under load against moto (`bytes`, `fleet`,
//!   `throttled` and `serve` run only that part); never asserts timing.
//! - `tools`: install (or confirm) every tool the other commands use.
//! - `serve-dist [--port N]`: serve the built `dist/` with the static host (`xtask/static-host`).
//! - `live [SERVE ARGS...]`: build the page and the CLI, then `fleetplay serve --page dist/`: the
//!   playground following the server's own simulation (`live.rs`).
//!
//! xtask depends on std alone so a fresh clone builds it in about a second and `cargo xtask test --quick`
//! starts at once; the static host, which stands on axum and tower-http, is a package of its own that only
//! the commands serving `dist/` build (`static_server.rs`). Tools go where their installers put them
//! (`~/.cargo/bin` for `cargo install`, Debian's `/usr/bin` for Chromium) or under `~/.cache/fleetplay`
//! (`$FLEETPLAY_CACHE`: wasm-opt from npm, the Python venv); see `tools.rs`.

mod bench;
mod bench_serve;
mod integrations;
mod live;
mod serve;
mod static_server;
mod test;
#[cfg(test)]
mod tidy;
mod tools;
mod util;
mod wasm_size;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [TRUNK ARGS...]       install missing tools, then trunk serve on http://127.0.0.1:8080
  test [OPTIONS] [STEP...]    install missing tools, then run the test steps in order
      --quick                 only fmt, clippy and native
      --no-e2e                leave out the end-to-end steps (e2e, live)
      STEP                    any of: fmt clippy native determinism browser build compat e2e live
  bench [--write | PART]      print benchmark figures (--write also updates BENCHMARKS.md);
                              PART runs one part alone: bytes (the web bundle and where the
                              wasm's bytes go), fleet (typing and Stop all at 1,000 and 10,000
                              servers), throttled (load on a slow phone, against RapiDoc and
                              Swagger UI), serve (fleetplay serve under load, against moto)
  tools                       install or confirm every tool
  serve-dist [--port N]       serve dist/ on 127.0.0.1 (default: a free port) until interrupted
  live [SERVE ARGS...]        build the page and the CLI, then fleetplay serve --page dist/ on
                              http://127.0.0.1:8080: the playground following the server live
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    util::setup_path();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "serve" => serve::serve(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "tools" => tools::ensure_all(),
        "serve-dist" => serve::serve_dist(rest),
        "live" => live::live(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("xtask: error: {message}");
            }
            ExitCode::FAILURE
        }
    }
}
