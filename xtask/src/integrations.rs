//! What the documentation-tool integrations need in the `e2e` step: a real mdBook (to build the example book
//! of `crates/mdbook-fleetplay` with the preprocessor) and a Sphinx (to build `integrations/sphinx/example`
//! with the `.. fleetplay::` directive). Each is installed idempotently, like the tools of `tools.rs`; the
//! end-to-end tests (`e2e/integrations.test.mjs`) run the builds themselves and open the results.
//!
//! | tool | how | where |
//! |---|---|---|
//! | mdBook 0.5.4 | `cargo install --locked mdbook --version 0.5.4 --no-default-features` (no `serve`/`watch`/search: only `build` is used; ~4 min on 2 cores) | `~/.cargo/bin` |
//! | mdbook-fleetplay | `cargo build -p mdbook-fleetplay` | the target folder |
//! | Sphinx (pinned in `integrations/sphinx/requirements.txt`) | `python3 -m venv` + `pip install -r` | `~/.cache/fleetplay/venv-sphinx` |

use crate::util::{self, cmd, Result};
use std::path::PathBuf;

/// The mdBook release the example book is built with.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// The environment the end-to-end tests read: `MDBOOK`, `MDBOOK_FLEETPLAY` (the preprocessor's binary) and
/// `SPHINX_PYTHON` (a python that has Sphinx).
pub fn ensure_all() -> Result<Vec<(&'static str, PathBuf)>> {
    let mdbook = ensure_mdbook()?;
    let preprocessor = build_preprocessor()?;
    let python = ensure_sphinx_venv()?;
    Ok(vec![("MDBOOK", mdbook), ("MDBOOK_FLEETPLAY", preprocessor), ("SPHINX_PYTHON", python)])
}

/// mdBook at exactly [`MDBOOK_VERSION`].
pub fn ensure_mdbook() -> Result<PathBuf> {
    let found = util::output(cmd("mdbook").arg("--version"));
    if found
        .as_deref()
        .is_some_and(|v| v.trim_start_matches("mdbook ").trim_start_matches('v') == MDBOOK_VERSION)
    {
        println!("tools: mdbook {MDBOOK_VERSION} present");
    } else {
        println!(
            "tools: installing mdbook {MDBOOK_VERSION} (found: {}); this takes a few minutes on 2 cores",
            found.as_deref().unwrap_or("none")
        );
        util::flush();
        util::run(util::cargo().args([
            "install",
            "--locked",
            "mdbook",
            "--version",
            MDBOOK_VERSION,
            "--no-default-features",
        ]))?;
    }
    // The one found on PATH (cargo's bin folder comes first, where the install above puts it).
    util::which("mdbook").ok_or_else(|| "mdbook is not on PATH after its install".to_string())
}

/// The preprocessor, built from this checkout.
pub fn build_preprocessor() -> Result<PathBuf> {
    util::run(util::cargo().args(["build", "-p", "mdbook-fleetplay"]))?;
    Ok(util::target_dir().join("debug").join("mdbook-fleetplay"))
}

/// A venv with `integrations/sphinx/requirements.txt`; returns its python.
pub fn ensure_sphinx_venv() -> Result<PathBuf> {
    crate::tools::ensure_python_venv(
        &util::cache_dir().join("venv-sphinx"),
        "integrations/sphinx/requirements.txt",
    )
}
