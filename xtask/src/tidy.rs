//! Tidy checks, run as tests by `cargo test -p xtask` (and so by `cargo test --workspace`).
//!
//! - Every `.rs` file under `src/`, `crates/` and `xtask/` starts with a `//!` module doc.
//! - `crates/sim` knows nothing about the browser: no yew, web-sys, js-sys, gloo or wasm-bindgen in its
//!   `Cargo.toml` (outside the wasm32 dev-dependencies, which may list wasm-bindgen-test for the
//!   determinism test) or in its `src/` code.
//! - `crates/sim/clippy.toml` bans wall clocks and hash maps.
//! - No `todo!(` or `unimplemented!(` is left in `src/` or `crates/`.
//! - Tests find the repository's files through `CARGO_MANIFEST_DIR` read at run time, never `env!`: CI's
//!   target folder is shared by clones at different paths, and cargo reuses a test binary built in one of
//!   them, which would then read the other clone's files (or none).
//! - `spec/stop-apis.md` is the same as the shared spec it copies, when that is beside the repository.
//! - Every provider under `crates/sim/src/providers/` has the same shape (ARCHITECTURE.md, "One shape for
//!   every provider"): `mod.rs`, `routes`, `models`, `responses`, `errors`, `tests`, each a file or, once it
//!   grows, a folder of the same role with its own `mod.rs`, and nothing else; its `routes` names the type
//!   a request is routed to `Route` and the function that finds it `route`.

use crate::util::{rel, root, walk};
use std::path::{Path, PathBuf};

fn rust_files(dirs: &[&str]) -> Vec<PathBuf> {
    let root = root();
    dirs.iter()
        .flat_map(|dir| walk(&root.join(dir)))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let files = rust_files(&["src", "crates", "xtask"]);
    assert!(!files.is_empty(), "no .rs files found under {}", root().display());
    let missing: Vec<String> = files
        .iter()
        .filter(|p| !read(p).trim_start_matches('\u{feff}').starts_with("//!"))
        .map(|p| rel(p))
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not start with a `//!` doc comment saying what they are for:\n  {}",
        missing.join("\n  ")
    );
}

/// The crate names the simulator must never mention, in both spellings.
const WEB_WORDS: [&str; 8] =
    ["yew", "web_sys", "web-sys", "js_sys", "js-sys", "gloo", "wasm_bindgen", "wasm-bindgen"];

/// True when an identifier or crate name in `line` starts with `word` (so `gloo-timers` and
/// `wasm_bindgen_futures` count, `eyewear` does not).
fn mentions(line: &str, word: &str) -> bool {
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    line.match_indices(word).any(|(i, _)| !line[..i].chars().next_back().is_some_and(is_name_char))
}

/// Code without `//` comments (docs may explain what the crate avoids) and without block comments.
fn strip_comments(source: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in source.lines() {
        let mut rest = line;
        let mut code = String::new();
        loop {
            if in_block {
                match rest.find("*/") {
                    Some(end) => {
                        rest = &rest[end + 2..];
                        in_block = false;
                    }
                    None => break,
                }
            } else {
                let line_comment = rest.find("//");
                let block = rest.find("/*");
                match (line_comment, block) {
                    (Some(l), b) if b.is_none_or(|b| l < b) => {
                        code.push_str(&rest[..l]);
                        break;
                    }
                    (_, Some(b)) => {
                        code.push_str(&rest[..b]);
                        rest = &rest[b + 2..];
                        in_block = true;
                    }
                    _ => {
                        code.push_str(rest);
                        break;
                    }
                }
            }
        }
        out.push_str(&code);
        out.push('\n');
    }
    out
}

#[test]
fn sim_knows_nothing_about_the_browser() {
    let root = root();
    let mut found = Vec::new();

    let manifest = root.join("crates/sim/Cargo.toml");
    let mut section = String::new();
    for (n, line) in read(&manifest).lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.replace([' ', '\t'], "");
        }
        let code = trimmed.split('#').next().unwrap_or("");
        if section != "[target.'cfg(target_arch=\"wasm32\")'.dev-dependencies]" {
            for word in WEB_WORDS {
                if mentions(code, word) {
                    found.push(format!("crates/sim/Cargo.toml:{}: {word}", n + 1));
                }
            }
        }
    }

    for path in walk(&root.join("crates/sim/src")) {
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        for (n, line) in strip_comments(&read(&path)).lines().enumerate() {
            for word in WEB_WORDS {
                if mentions(line, word) {
                    found.push(format!("{}:{}: {word}", rel(&path), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "crates/sim must not depend on browser crates (architecture.md 4.2); found:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn sim_clippy_config_bans_clocks_and_hash_maps() {
    let config = read(&root().join("crates/sim/clippy.toml"));
    for path in [
        "std::time::Instant::now",
        "std::time::SystemTime::now",
        "std::collections::HashMap",
        "std::collections::HashSet",
    ] {
        assert!(config.contains(&format!("\"{path}\"")), "crates/sim/clippy.toml does not ban {path}");
    }
}

#[test]
fn no_todo_or_unimplemented_left() {
    let files = rust_files(&["src", "crates"]);
    let mut found = Vec::new();
    for path in &files {
        for (n, line) in read(path).lines().enumerate() {
            if line.contains("todo!(") || line.contains("unimplemented!(") {
                found.push(format!("{}:{}: {}", rel(path), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "unfinished code (todo!/unimplemented!) is still in these files:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn tests_find_files_at_run_time() {
    let needle = concat!("env!(", "\"CARGO_MANIFEST_DIR\")");
    let mut found = Vec::new();
    for path in rust_files(&["src", "crates", "xtask"]) {
        for (n, line) in read(&path).lines().enumerate() {
            // A fallback after the run-time value (xtask's `root`) is fine.
            if line.contains(needle) && !line.contains("map_or_else") {
                found.push(format!("{}:{}: {}", rel(&path), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "read CARGO_MANIFEST_DIR at run time (std::env::var_os), not with env!, in:\n  {}",
        found.join("\n  ")
    );
}

/// The vendored spec must not drift from the workplace's shared one. A clean clone elsewhere has no
/// `../shared`; the copy is then all there is, and this check has nothing to compare.
#[test]
fn the_vendored_spec_matches_the_shared_one() {
    let copy = root().join("spec/stop-apis.md");
    let ours = read(&copy);
    assert!(ours.contains("T1") && ours.contains("N29"), "{} does not look like the spec", rel(&copy));
    let shared = root().join("../shared/spec/stop-apis.md");
    if let Ok(theirs) = std::fs::read_to_string(&shared) {
        assert!(ours == theirs, "{} differs from {}: copy the shared spec in", rel(&copy), shared.display());
    }
}

/// The parts of every provider module, in ARCHITECTURE.md's order.
const PROVIDER_PARTS: [&str; 6] = ["mod", "routes", "models", "responses", "errors", "tests"];

/// What is amiss with the provider folder `dir`: parts missing, a part both as a file and a folder, a
/// folder without its `mod.rs`, anything that is no part.
fn provider_shape_problems(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let mut found: Vec<String> = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let part = if path.is_dir() {
            if !path.join("mod.rs").is_file() {
                problems.push(format!("{}/ has no mod.rs", rel(&path)));
            }
            name
        } else if let Some(stem) = name.strip_suffix(".rs") {
            stem.to_string()
        } else {
            problems.push(format!("{} is not a part of a provider", rel(&path)));
            continue;
        };
        if !PROVIDER_PARTS.contains(&part.as_str()) || (part == "mod" && path.is_dir()) {
            problems.push(format!("{} is not one of {PROVIDER_PARTS:?}", rel(&path)));
        } else if found.contains(&part) {
            problems.push(format!("{}: {part} is there both as a file and as a folder", rel(dir)));
        }
        found.push(part);
    }
    for part in PROVIDER_PARTS.iter().filter(|p| !found.iter().any(|f| f == *p)) {
        problems.push(format!("{} has no {part}", rel(dir)));
    }
    let routes = [dir.join("routes.rs"), dir.join("routes/mod.rs")].into_iter().find(|p| p.is_file());
    if let Some(routes) = routes {
        let code = strip_comments(&read(&routes));
        for (declaration, what) in ROUTES_NAMES {
            let named = |(i, _): (usize, &str)| {
                !code[i + declaration.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            };
            if !code.match_indices(declaration).any(named) {
                problems.push(format!("{} does not declare {what} (`{declaration}`)", rel(&routes)));
            }
        }
    }
    problems
}

/// What every provider's `routes` declares, so that the three read alike: the type a request is routed
/// to is called `Route` (an awsJson operation, or a Nova route), and `route()` finds it.
const ROUTES_NAMES: [(&str, &str); 2] =
    [("pub enum Route", "the type a request is routed to"), ("pub fn route", "the function that routes")];

#[test]
fn every_provider_has_the_same_shape() {
    let providers = root().join("crates/sim/src/providers");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&providers)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", providers.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(folders.len() >= 3, "expected a folder per provider under {}", rel(&providers));
    let problems: Vec<String> = folders.iter().flat_map(|dir| provider_shape_problems(dir)).collect();
    assert!(
        problems.is_empty(),
        "every provider has the same files with the same roles (ARCHITECTURE.md, \"One shape for every \
         provider\"):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn word_matching_is_by_whole_identifier() {
    assert!(mentions("use web_sys::Window;", "web_sys"));
    assert!(mentions("yew = \"0.23\"", "yew"));
    assert!(mentions("web-sys = { version = \"0.3\" }", "web-sys"));
    assert!(mentions("wasm_bindgen::prelude::*", "wasm_bindgen"));
    assert!(mentions("gloo-timers = \"0.3\"", "gloo"));
    assert!(mentions("use wasm_bindgen_test::*;", "wasm_bindgen"));
    assert!(!mentions("let eyewear = 1;", "yew"));
    assert!(!mentions("fleetplay-yew-app", "yew"));
    assert_eq!(strip_comments("a // yew\nb /* gloo */ c\n/*\nx\n*/d"), "a \nb  c\n\n\nd\n");
}
