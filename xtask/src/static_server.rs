//! Serving the built `dist/` on 127.0.0.1 for the end-to-end step, the browser benchmarks and
//! `cargo xtask serve-dist`: builds the static host (`xtask/static-host`, axum and tower-http's `ServeDir`;
//! its module doc has the rules: `index.html` for `/` and extension-less unknown paths, 404 for missing files
//! with an extension, precompressed `.gz`/`.br` siblings when present) and runs it as a child process.
//!
//! The host is a package of its own so that xtask stays std-only: `cargo xtask` builds in about a second on a
//! fresh clone, and only the commands that serve `dist/` pay for compiling an HTTP stack.

use crate::util::{self, KillOnDrop, Result};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

/// A running static host; dropping it stops it.
pub struct StaticServer {
    url: String,
    _process: KillOnDrop,
}

impl StaticServer {
    /// Serves `root` on 127.0.0.1:`port` (0 picks a free port).
    pub fn start(root: &Path, port: u16) -> Result<StaticServer> {
        if !root.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html; build it first (trunk build --release)",
                root.display()
            ));
        }
        util::run(util::cargo().args(["build", "--quiet", "-p", "static-host"]))?;
        let binary = util::target_dir().join("debug").join("static-host");
        let mut host = util::cmd(&binary);
        host.arg(root).arg(port.to_string()).stdout(Stdio::piped());
        println!("$ {} &", util::display(&host));
        let child = host.spawn().map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut process = KillOnDrop { name: "static-host".to_string(), child };
        let stdout = process.child.stdout.take().ok_or("static-host has no stdout")?;
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        // The host prints its address once it listens, or exits with its reason on stderr.
        let _ = stdout.read_line(&mut line);
        let url = served_url(&line).ok_or_else(|| {
            let status = process.child.try_wait().ok().flatten();
            format!("static-host did not start (it said {line:?}; exit status {status:?})")
        })?;
        // Anything it prints later goes to our stdout rather than filling a pipe nobody reads.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stdout, &mut std::io::stdout());
        });
        Ok(StaticServer { url, _process: process })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        self.url.clone()
    }
}

/// The address in the host's first line, `static-host: serving DIR on http://127.0.0.1:PORT`.
fn served_url(line: &str) -> Option<String> {
    let line = line.trim_end();
    let url = &line[line.rfind(" on http://")? + " on ".len()..];
    Some(url.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_address_the_host_announces() {
        assert_eq!(
            served_url("static-host: serving /a b/on http://x/dist on http://127.0.0.1:4173\n").as_deref(),
            Some("http://127.0.0.1:4173")
        );
        assert_eq!(served_url("static-host: cannot listen"), None);
        assert_eq!(served_url(""), None);
    }
}
