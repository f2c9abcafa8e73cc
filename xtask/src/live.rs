//! `cargo xtask live [SERVE ARGS...]`: the live playground in one command. Installs what the build needs,
//! builds the page's release build into `dist/` and the `fleetplay` CLI (release), then runs
//! `fleetplay serve --page dist/` with the given arguments (`--port 4566`, `--speed 0`, `--scenario F`,
//! `--allow-origin …`) until Ctrl+C. Opening the address it prints shows the server's own simulation, moving
//! as any client (boto3, the AWS CLI, `openstack`, curl, the page itself) drives it.

use crate::util::{self, Result};

/// Builds the page and the CLI, then serves the page live.
pub fn live(args: &[String]) -> Result {
    crate::test::build_dist()?;
    util::run(util::cargo().args(["build", "--release", "-p", "fleetplay-cli"]))?;
    let binary = util::target_dir().join("release").join("fleetplay");
    let mut serve = util::cmd(&binary);
    serve.arg("serve").arg("--page").arg(util::root().join("dist")).args(args);
    println!("xtask: the live playground; Ctrl-C stops it");
    util::run(&mut serve)
}
