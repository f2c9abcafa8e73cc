//! Installs the tools the other commands need, each step idempotent: a tool already present at the right
//! version is left alone, and every step says what it found or did.
//!
//! | tool | how | where |
//! |---|---|---|
//! | Rust 1.95.0 with the wasm32 target, rustfmt, clippy | `rust-toolchain.toml` (rustup reads it); `rustup target add` / `rustup component add` if missing | rustup |
//! | the crates `Cargo.lock` names, for every target | `cargo fetch` | cargo's registry cache |
//! | Trunk 0.21.14 | `cargo install --locked trunk --version 0.21.14` (~14 min on 2 cores) | `~/.cargo/bin` |
//! | wasm-bindgen-cli (= Cargo.lock's wasm-bindgen) | `cargo install wasm-bindgen-cli --version X`, not `--locked` | `~/.cargo/bin` |
//! | wasm-opt 132 | `npm install binaryen@132` | `~/.cache/fleetplay/tools/node_modules/.bin` (`$FLEETPLAY_CACHE/tools/…`) |
//! | Chromium + chromedriver | `apt-get install -y chromium chromium-driver` | `/usr/bin` |
//! | Python venv for `compat/` | `python3 -m venv` + `pip install -r compat/requirements.txt` | `~/.cache/fleetplay/venv` (`$FLEETPLAY_CACHE/venv`) |
//! | npm packages for `e2e/` | `npm ci` (or `npm install` without a lock file) | `e2e/node_modules` |
//!
//! `wasm-bindgen-cli` is installed without `--locked` on purpose: with it, cargo wants a `webpki-roots`
//! release the package mirror does not carry (toolchain guide). Nothing here downloads a prebuilt binary.
//!
//! Trunk runs cargo with `--offline` (Trunk.toml), so every crate the web build needs must be in cargo's cache
//! before Trunk starts: [`ensure_crates`] runs `cargo fetch`, which fetches what `Cargo.lock` names for every
//! target (the wasm32 crates included), whatever the workspace's dependencies are today.

use crate::util::{self, cmd, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// The Trunk release the project builds with (Trunk 0.22 needs a newer rustc than this machine has).
pub const TRUNK_VERSION: &str = "0.21.14";
/// The major version of the npm `binaryen` package (its `wasm-opt`), matching Trunk.toml's `version_132`.
pub const BINARYEN_VERSION: &str = "132";
/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's chromedriver, matching that Chromium.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The wasm target.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Tools already confirmed in this run, so each is checked (and reported) once.
static DONE: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

fn once(name: &'static str, ensure: impl FnOnce() -> Result) -> Result {
    if DONE.lock().map(|done| done.contains(&name)).unwrap_or(false) {
        return Ok(());
    }
    ensure()?;
    if let Ok(mut done) = DONE.lock() {
        done.push(name);
    }
    Ok(())
}

fn say(message: &str) {
    println!("tools: {message}");
    util::flush();
}

/// `cargo xtask tools`: everything, in the order a fresh machine needs it.
pub fn ensure_all() -> Result {
    ensure_rust_components()?;
    ensure_wasm_target()?;
    ensure_crates()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()?;
    ensure_trunk()?;
    ensure_chromium()?;
    if root_file("compat/requirements.txt").is_file() {
        ensure_venv()?;
    }
    if root_file("e2e/package.json").is_file() {
        ensure_e2e_npm()?;
    }
    crate::integrations::ensure_mdbook()?;
    crate::integrations::ensure_sphinx_venv()?;
    crate::integrations::ensure_mkdocs_venv()?;
    crate::integrations::ensure_hugo()?;
    crate::integrations::ensure_docusaurus()?;
    crate::bench_serve::ensure_wrk()?;
    crate::bench_serve::ensure_moto()?;
    say("all tools present");
    Ok(())
}

fn root_file(rel: &str) -> PathBuf {
    util::root().join(rel)
}

/// rustfmt and clippy.
pub fn ensure_rust_components() -> Result {
    once("rust-components", || {
        let has = |sub: &str| util::output(util::cargo().args([sub, "--version"])).is_some();
        if has("fmt") && has("clippy") {
            say("rustfmt and clippy present");
            return Ok(());
        }
        say("installing rustfmt and clippy");
        util::run(cmd("rustup").args(["component", "add", "rustfmt", "clippy"]))
    })
}

/// The wasm32-unknown-unknown standard library.
pub fn ensure_wasm_target() -> Result {
    once("wasm-target", || {
        let installed =
            util::output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
        if installed.lines().any(|l| l.trim() == WASM_TARGET) {
            say(&format!("target {WASM_TARGET} present"));
            return Ok(());
        }
        say(&format!("adding target {WASM_TARGET}"));
        util::run(cmd("rustup").args(["target", "add", WASM_TARGET]))
    })
}

/// Every crate `Cargo.lock` names, for every target, in cargo's cache (see the module doc: Trunk is offline).
pub fn ensure_crates() -> Result {
    once("crates", || {
        say("fetching the crates Cargo.lock names, for every target (cargo fetch lists any download)");
        util::run(util::cargo().arg("fetch"))?;
        say("crates of Cargo.lock present");
        Ok(())
    })
}

/// Trunk at exactly [`TRUNK_VERSION`].
pub fn ensure_trunk() -> Result {
    once("trunk", || {
        let found = util::output(cmd("trunk").arg("--version"));
        if found.as_deref().is_some_and(|v| v.split_whitespace().any(|w| w == TRUNK_VERSION)) {
            say(&format!("trunk {TRUNK_VERSION} present"));
            return Ok(());
        }
        say(&format!(
            "installing trunk {TRUNK_VERSION} (found: {}); this takes about 14 minutes on 2 cores",
            found.as_deref().unwrap_or("none")
        ));
        util::run(util::cargo().args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
    })
}

/// The `version` of package `name` in a Cargo.lock text.
pub fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut in_package = false;
    for line in lock.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = false;
        } else if let Some(value) = line.strip_prefix("name = ") {
            in_package = value.trim_matches('"') == name;
        } else if in_package {
            if let Some(value) = line.strip_prefix("version = ") {
                return Some(value.trim_matches('"').to_string());
            }
        }
    }
    None
}

/// The wasm-bindgen version Cargo.lock pins.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = util::read(&root_file("Cargo.lock"))?;
    locked_version(&lock, "wasm-bindgen").ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_string())
}

/// wasm-bindgen-cli (which also provides wasm-bindgen-test-runner) at Cargo.lock's wasm-bindgen version.
pub fn ensure_wasm_bindgen() -> Result {
    once("wasm-bindgen", || {
        let version = wasm_bindgen_version()?;
        check_trunk_toml_pin(&version)?;
        let expected = format!("wasm-bindgen {version}");
        let found = util::output(cmd("wasm-bindgen").arg("--version"));
        let runner = util::output(cmd("wasm-bindgen-test-runner").arg("--version"));
        let runner_ok = runner.as_deref().is_some_and(|v| v.ends_with(&version));
        if found.as_deref() == Some(expected.as_str()) && runner_ok {
            say(&format!("wasm-bindgen-cli {version} present"));
            return Ok(());
        }
        say(&format!(
            "installing wasm-bindgen-cli {version} (found: {}); this takes about 5 minutes on 2 cores",
            found.as_deref().unwrap_or("none")
        ));
        // Not --locked: its lock file wants a webpki-roots release the package mirror lacks (toolchain.md).
        util::run(util::cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))
    })
}

/// Trunk runs offline, so Trunk.toml's `wasm_bindgen` must equal Cargo.lock's version exactly.
fn check_trunk_toml_pin(version: &str) -> Result {
    let trunk_toml = util::read(&root_file("Trunk.toml"))?;
    let pinned = trunk_toml
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("wasm_bindgen").and_then(|r| r.trim().strip_prefix('=')))
        .map(|v| v.trim().trim_matches('"').to_string());
    match pinned {
        Some(pinned) if pinned != version => Err(format!(
            "Trunk.toml pins wasm_bindgen = {pinned:?} but Cargo.lock has wasm-bindgen {version}; make them equal"
        )),
        _ => Ok(()),
    }
}

/// The npm tools folder: `~/.cache/fleetplay/tools`.
pub fn npm_tools_dir() -> PathBuf {
    util::cache_dir().join("tools")
}

/// Its `node_modules/.bin`, which [`util::setup_path`] puts first on `PATH`.
pub fn npm_bin_dir() -> PathBuf {
    npm_tools_dir().join("node_modules").join(".bin")
}

fn package_version(package_json: &Path) -> Option<String> {
    let text = std::fs::read_to_string(package_json).ok()?;
    let rest = &text[text.find("\"version\"")? + "\"version\"".len()..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start().strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// wasm-opt from the npm `binaryen` package, major version [`BINARYEN_VERSION`].
pub fn ensure_wasm_opt() -> Result {
    once("wasm-opt", || {
        let dir = npm_tools_dir();
        let installed = package_version(&dir.join("node_modules/binaryen/package.json"));
        let wanted_prefix = format!("{BINARYEN_VERSION}.");
        if installed.as_deref().is_some_and(|v| v.starts_with(&wanted_prefix)) {
            say(&format!("wasm-opt (npm binaryen {}) present", installed.unwrap_or_default()));
        } else {
            say(&format!("installing wasm-opt: npm binaryen@{BINARYEN_VERSION} into {}", dir.display()));
            std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            util::run(
                cmd("npm")
                    .current_dir(&dir)
                    .args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&dir)
                    .arg(format!("binaryen@{BINARYEN_VERSION}")),
            )?;
        }
        // PATH already starts with the npm bin folder (util::setup_path), so this is the one Trunk will run.
        let version = util::output(cmd("wasm-opt").arg("--version")).unwrap_or_default();
        if !version.contains(&format!("version {BINARYEN_VERSION}")) {
            return Err(format!(
                "`wasm-opt --version` says {version:?}, expected version {BINARYEN_VERSION} from {}",
                npm_bin_dir().display()
            ));
        }
        Ok(())
    })
}

pub fn is_root() -> bool {
    util::output(Command::new("id").arg("-u")).as_deref() == Some("0")
}

/// Debian's Chromium and chromedriver.
pub fn ensure_chromium() -> Result {
    once("chromium", || {
        if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
            say(&format!("chromium and chromedriver present ({CHROMIUM}, {CHROMEDRIVER})"));
            return Ok(());
        }
        if !is_root() {
            return Err(format!(
                "{CHROMIUM} or {CHROMEDRIVER} is missing; install them with \
                 `sudo apt-get install -y chromium chromium-driver`"
            ));
        }
        apt_install(&["chromium", "chromium-driver"], true)
    })
}

/// Installs Debian packages with apt-get, as root (with their recommended packages or without). Waits for
/// another apt or dpkg run (an unattended upgrade, a second checkout's xtask) instead of failing at once on
/// its lock.
pub fn apt_install(packages: &[&str], recommends: bool) -> Result {
    say(&format!("installing {} with apt-get", packages.join(" ")));
    let wait = ["-o", "DPkg::Lock::Timeout=600"];
    util::run(cmd("apt-get").args(wait).arg("update"))?;
    let mut install = cmd("apt-get");
    install.env("DEBIAN_FRONTEND", "noninteractive").args(wait).args(["install", "-y"]);
    if !recommends {
        install.arg("--no-install-recommends");
    }
    util::run(install.args(packages))
}

/// The venv for the compatibility tests.
pub fn venv_dir() -> PathBuf {
    util::cache_dir().join("venv")
}

/// A venv with `compat/requirements.txt` installed; returns its python.
pub fn ensure_venv() -> Result<PathBuf> {
    let venv = venv_dir();
    once("venv", || ensure_python_venv(&venv, "compat/requirements.txt").map(drop))?;
    Ok(venv.join("bin").join("python"))
}

/// A Python venv at `venv` with the repository's `requirements` file (a path from the root) installed,
/// made or repaired when its python does not run or the requirements changed since the last install (a
/// stamp file in the venv holds them); returns its python.
pub fn ensure_python_venv(venv: &Path, requirements: &str) -> Result<PathBuf> {
    let python = venv.join("bin").join("python");
    let file = root_file(requirements);
    let wanted = util::read(&file)?;
    let stamp = venv.join(".fleetplay-requirements");
    let works = util::output(Command::new(&python).args(["-c", "import sys"])).is_some();
    if works && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        say(&format!("python venv {} has {requirements}", venv.display()));
        return Ok(python);
    }
    if !works {
        say(&format!("creating python venv {}", venv.display()));
        if venv.exists() {
            std::fs::remove_dir_all(venv).map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
        }
        util::run(cmd("python3").args(["-m", "venv"]).arg(venv))?;
    }
    say(&format!("installing {requirements} into the venv"));
    util::run(
        Command::new(&python)
            .current_dir(util::root())
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .args(["-m", "pip", "install", "--quiet", "-r"])
            .arg(&file),
    )?;
    util::write(&stamp, &wanted)?;
    Ok(python)
}

/// `e2e/node_modules` matching `e2e/package.json` (and its lock file, if any).
pub fn ensure_e2e_npm() -> Result {
    once("e2e-npm", || {
        let e2e = root_file("e2e");
        let manifest = util::read(&e2e.join("package.json"))?;
        let lock_path = e2e.join("package-lock.json");
        let lock = std::fs::read_to_string(&lock_path).ok();
        let wanted = format!("{manifest}\n--- lock ---\n{}", lock.as_deref().unwrap_or(""));
        let stamp = e2e.join("node_modules").join(".fleetplay-stamp");
        if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
            say("e2e/node_modules matches e2e/package.json");
            return Ok(());
        }
        let mut npm = cmd("npm");
        npm.current_dir(&e2e).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if lock.is_some() {
            say("installing e2e npm packages (npm ci)");
            npm.args(["ci", "--no-audit", "--no-fund"]);
        } else {
            // No lock file is committed: install without writing one into someone else's folder.
            say("installing e2e npm packages (npm install; e2e/package-lock.json is absent)");
            npm.args(["install", "--no-audit", "--no-fund", "--no-package-lock"]);
        }
        util::run(&mut npm)?;
        util::write(&stamp, &wanted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_from_a_lock_file() {
        let lock = "\
[[package]]
name = \"wasm-bindgen-macro\"
version = \"0.2.99\"

[[package]]
name = \"wasm-bindgen\"
version = \"0.2.130\"
source = \"registry+https://github.com/rust-lang/crates.io-index\"
";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-bindgen-macro").as_deref(), Some("0.2.99"));
        assert_eq!(locked_version(lock, "yew"), None);
    }

    #[test]
    fn the_real_lock_pins_wasm_bindgen() {
        let version = wasm_bindgen_version().expect("Cargo.lock pins wasm-bindgen");
        assert!(version.starts_with("0.2."), "{version}");
        check_trunk_toml_pin(&version).expect("Trunk.toml agrees with Cargo.lock");
    }
}
