//! The size-optimised release build of the web app: `trunk build --release` (or `trunk serve --release`)
//! with the standard library rebuilt for size and panics compiled to a bare trap.
//!
//! Why: the precompiled `std` for wasm32 carries panic formatting (messages, file/line locations and the
//! `core::fmt` code behind them) even with `panic = "abort"`. Rebuilding `std` with `-Cpanic=immediate-abort`
//! and the `optimize_for_size` feature removes it; measured on this app, the gzip transfer size of the wasm
//! drops by about 8 % (BENCHMARKS.md). What is lost: a release-build panic no longer logs its message to the
//! console before the app stops (debug builds, `cargo xtask serve` without `--release` and every test build
//! keep the message). Panics are bugs either way: the app is built so that no input reaches one.
//!
//! How: these are unstable cargo/rustc options, enabled on the stable toolchain with `RUSTC_BOOTSTRAP=1`
//! for this one command only (never for tests, clippy or the native build). They need the `rust-src`
//! component, which `tools::ensure_rust_src` installs. All settings are environment variables, so
//! Trunk.toml and the Cargo profiles stay as they are and a plain `trunk build --release` still works
//! (just larger).

use crate::tools;
use crate::util::{self, Result};
use std::process::Command;

/// The environment that turns a wasm32 release build into the size-optimised one.
pub(crate) const SIZE_ENV: [(&str, &str); 4] = [
    ("RUSTC_BOOTSTRAP", "1"),
    ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
    ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort"),
];

/// Whether Trunk arguments ask for a release build: `--release`, or `--release=true` (clap's long form);
/// `--release=false` does not.
fn asks_for_release(args: &[&str]) -> bool {
    args.iter().any(|a| matches!(*a, "--release" | "--release=true"))
}

/// `trunk <subcommand> <args>`, size-optimised when `args` ask for a release build.
pub fn trunk(subcommand: &str, args: &[&str]) -> Result<Command> {
    let mut cmd = util::cmd("trunk");
    cmd.arg(subcommand).args(args);
    if asks_for_release(args) {
        tools::ensure_rust_src()?;
        cmd.envs(SIZE_ENV);
    }
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_release_builds_get_the_size_options() {
        assert!(asks_for_release(&["--release"]));
        assert!(asks_for_release(&["--port", "9000", "--release=true"]));
        assert!(!asks_for_release(&[]));
        assert!(!asks_for_release(&["--release=false"]));
        assert!(!asks_for_release(&["--port", "9000"]));
        let dev = trunk("serve", &["--port", "9000"]).expect("a dev build needs no install");
        assert_eq!(dev.get_envs().count(), 0, "a dev build keeps the stock std and its panic messages");
    }
}
