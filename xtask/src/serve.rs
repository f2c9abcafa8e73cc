//! `cargo xtask serve` (Trunk's dev server with live reload on http://127.0.0.1:8080) and
//! `cargo xtask serve-dist` (the built `dist/` through the static host).

use crate::static_server::StaticServer;
use crate::tools;
use crate::util::{self, Result};

/// Ensures the build tools, then runs `trunk serve` from the repo root; extra arguments go to Trunk.
pub fn serve(args: &[String]) -> Result {
    ensure_build_tools()?;
    let port = port_arg(args).unwrap_or("8080 (Trunk.toml [serve])");
    println!("xtask: serving on http://127.0.0.1:{port} once built; Ctrl-C stops");
    util::run(util::cmd("trunk").arg("serve").args(args))
}

/// The port Trunk arguments ask for (`--port N` or `--port=N`), if any.
fn port_arg(args: &[String]) -> Option<&str> {
    args.iter().enumerate().find_map(|(i, arg)| match arg.strip_prefix("--port") {
        Some("") => args.get(i + 1).map(String::as_str),
        Some(rest) => rest.strip_prefix('='),
        None => None,
    })
}

/// What `trunk build` and `trunk serve` need, the crates included: Trunk runs cargo `--offline`.
pub fn ensure_build_tools() -> Result {
    tools::ensure_wasm_target()?;
    tools::ensure_crates()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_wasm_opt()?;
    tools::ensure_trunk()
}

/// Serves `dist/` until interrupted.
pub fn serve_dist(args: &[String]) -> Result {
    let port = match args {
        [] => 0,
        [flag, port] if flag == "--port" => port.parse().map_err(|_| format!("bad port {port:?}"))?,
        _ => return Err("usage: cargo xtask serve-dist [--port N]".to_string()),
    };
    let server = StaticServer::start(&util::root().join("dist"), port)?;
    println!("xtask: serving dist/ on {} ; Ctrl-C stops", server.url());
    util::flush();
    loop {
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_port_trunk_is_asked_for() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(port_arg(&args(&["--port", "9000"])), Some("9000"));
        assert_eq!(port_arg(&args(&["--release", "--port=9001"])), Some("9001"));
        assert_eq!(port_arg(&args(&["--release"])), None);
        assert_eq!(port_arg(&args(&["--portal"])), None);
    }
}
