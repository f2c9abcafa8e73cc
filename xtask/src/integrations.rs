//! What the documentation-tool integrations need in the `e2e` step: a real mdBook (to build the example book
//! of `crates/mdbook-fleetplay` with the preprocessor), a Sphinx (to build `integrations/sphinx/example`
//! with the `.. fleetplay::` directive), and MkDocs with Material, Hugo and Docusaurus (to build the example
//! sites of `integrations/mkdocs`, `integrations/hugo` and `integrations/docusaurus`, which use the drop-in
//! script as docs/embedding.md tells). Each is installed idempotently, like the tools of `tools.rs`; the
//! end-to-end tests (`e2e/integrations.test.mjs`) run the builds themselves and open the results.
//!
//! | tool | how | where |
//! |---|---|---|
//! | mdBook 0.5.4 | `cargo install --locked mdbook --version 0.5.4 --no-default-features` (no `serve`/`watch`/search: only `build` is used; ~4 min on 2 cores) | `~/.cargo/bin` |
//! | mdbook-fleetplay | `cargo build -p mdbook-fleetplay` | the target folder |
//! | Sphinx (pinned in `integrations/sphinx/requirements.txt`) | `python3 -m venv` + `pip install -r` | `~/.cache/fleetplay/venv-sphinx` |
//! | MkDocs and Material (pinned in `integrations/mkdocs/requirements.txt`) | `python3 -m venv` + `pip install -r` (~15 s) | `~/.cache/fleetplay/venv-mkdocs` |
//! | Hugo (Debian's, 0.111 on bookworm) | `apt-get install -y --no-install-recommends hugo` (~10 s) | `/usr/bin` |
//! | Docusaurus (pinned in `integrations/docusaurus/example/package.json` and its lock file) | `npm ci` in a copy of those two files (~2 min) | `~/.cache/fleetplay/docusaurus/node_modules` |

use crate::tools;
use crate::util::{self, cmd, Result};
use std::path::PathBuf;
use std::process::Command;

/// The mdBook release the example book is built with.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Debian's Hugo.
pub const HUGO: &str = "/usr/bin/hugo";

/// The environment the end-to-end tests read: `MDBOOK`, `MDBOOK_FLEETPLAY` (the preprocessor's binary),
/// `SPHINX_PYTHON` (a python that has Sphinx), `MKDOCS_PYTHON` (one that has MkDocs and Material), `HUGO` and
/// `DOCUSAURUS_MODULES` (a `node_modules` folder with Docusaurus).
pub fn ensure_all() -> Result<Vec<(&'static str, PathBuf)>> {
    Ok(vec![
        ("MDBOOK", ensure_mdbook()?),
        ("MDBOOK_FLEETPLAY", build_preprocessor()?),
        ("SPHINX_PYTHON", ensure_sphinx_venv()?),
        ("MKDOCS_PYTHON", ensure_mkdocs_venv()?),
        ("HUGO", ensure_hugo()?),
        ("DOCUSAURUS_MODULES", ensure_docusaurus()?),
    ])
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
    tools::ensure_python_venv(&util::cache_dir().join("venv-sphinx"), "integrations/sphinx/requirements.txt")
}

/// A venv with `integrations/mkdocs/requirements.txt` (MkDocs and Material); returns its python.
pub fn ensure_mkdocs_venv() -> Result<PathBuf> {
    tools::ensure_python_venv(&util::cache_dir().join("venv-mkdocs"), "integrations/mkdocs/requirements.txt")
}

/// Debian's Hugo (whatever release the distribution carries: the example site uses nothing newer than 0.111).
pub fn ensure_hugo() -> Result<PathBuf> {
    let hugo = PathBuf::from(HUGO);
    if let Some(version) = util::output(Command::new(&hugo).arg("version")) {
        println!("tools: {} present", version.trim());
        return Ok(hugo);
    }
    if !tools::is_root() {
        return Err(format!(
            "{HUGO} is missing; install it with `sudo apt-get install -y --no-install-recommends hugo`"
        ));
    }
    // Without its recommended Go toolchain and git: the site is built, never developed, here.
    tools::apt_install(&["hugo"], false)?;
    Ok(hugo)
}

/// Docusaurus, installed with `npm ci` from the example site's `package.json` and `package-lock.json` (copied
/// into the tool cache, so the checkout gets no `node_modules` of 270 MB); returns that `node_modules`.
pub fn ensure_docusaurus() -> Result<PathBuf> {
    let dir = util::cache_dir().join("docusaurus");
    let modules = dir.join("node_modules");
    let example = util::root().join("integrations/docusaurus/example");
    let manifest = util::read(&example.join("package.json"))?;
    let lock = util::read(&example.join("package-lock.json"))?;
    let wanted = format!("{manifest}\n--- lock ---\n{lock}");
    let stamp = modules.join(".fleetplay-stamp");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        println!("tools: Docusaurus in {} matches integrations/docusaurus/example", modules.display());
        return Ok(modules);
    }
    println!(
        "tools: installing Docusaurus (npm ci, integrations/docusaurus/example's lock file) into {}",
        dir.display()
    );
    util::flush();
    util::write(&dir.join("package.json"), &manifest)?;
    util::write(&dir.join("package-lock.json"), &lock)?;
    util::run(cmd("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    util::write(&stamp, &wanted)?;
    Ok(modules)
}
