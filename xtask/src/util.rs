//! Small helpers shared by the xtask commands: where things live, running commands loudly, ports and
//! processes that must not outlive the task.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Every fallible xtask step reports a readable message.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    // `cargo run` (so `cargo xtask`) gives the running program CARGO_MANIFEST_DIR too. Prefer it to the value
    // compiled in: a target folder shared between checkouts (CI's cache) can hand one checkout an xtask built
    // in another, which would then build and test the other checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest.parent().map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// `$HOME`, or `/root` when it is not set.
pub fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// Where fleetplay keeps installed tools and the Python venv: `$FLEETPLAY_CACHE` or `~/.cache/fleetplay`.
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("FLEETPLAY_CACHE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => home().join(".cache").join("fleetplay"),
    }
}

/// Cargo's bin folder: `$CARGO_HOME/bin` or `~/.cargo/bin`.
pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir).join("bin"),
        _ => home().join(".cargo").join("bin"),
    }
}

/// The cargo target folder: `$CARGO_TARGET_DIR` (relative to the root if relative) or `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// Puts `~/.cargo/bin` and the npm tools folder (wasm-opt) in front of `PATH` for every child process.
pub fn setup_path() {
    let mut dirs = vec![crate::tools::npm_bin_dir(), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path).filter(|d| !dirs.contains(d)).collect::<Vec<_>>());
    }
    if let Ok(joined) = std::env::join_paths(dirs) {
        std::env::set_var("PATH", joined);
    }
}

/// The file `PATH` resolves `program` to, as a command started by name would run it.
pub fn which(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt as _;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| {
        std::fs::metadata(candidate).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    })
}

/// A `cargo` command (the cargo that runs xtask, if known) in the repo root.
pub fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(program);
    cmd.current_dir(root());
    cmd
}

/// A command in the repo root.
pub fn cmd(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(root());
    cmd
}

/// How a command looks on a shell line, with the environment it was given.
pub fn display(cmd: &Command) -> String {
    let mut parts = Vec::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            parts.push(format!("{}={}", key.to_string_lossy(), value.to_string_lossy()));
        }
    }
    let program = cmd.get_program().to_string_lossy().into_owned();
    // Print `cargo` rather than the full path cargo run gives us.
    let program = match Path::new(&program).file_name() {
        Some(name) if name == "cargo" => "cargo".to_string(),
        _ => program,
    };
    parts.push(program);
    for arg in cmd.get_args() {
        let arg = arg.to_string_lossy();
        if arg.is_empty() || arg.contains([' ', '"', '\'']) {
            parts.push(format!("{arg:?}"));
        } else {
            parts.push(arg.into_owned());
        }
    }
    parts.join(" ")
}

/// Prints the command, runs it with inherited output, and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result {
    let shown = display(cmd);
    println!("$ {shown}");
    flush();
    let status = cmd.status().map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its trimmed stdout if it exits 0; `None` if it is missing or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Flushes stdout so our lines and the children's lines come out in order.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// A free TCP port on 127.0.0.1 (another process could take it before we use it; unlikely on loopback).
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A child process that is killed (and reaped) when this value is dropped, whatever happens meanwhile.
pub struct KillOnDrop {
    /// What the process is, for messages.
    pub name: String,
    /// The process.
    pub child: Child,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            println!("xtask: stopped {} (pid {})", self.name, self.child.id());
        }
    }
}

/// Waits until an HTTP server answers a `GET /` on `addr` with any HTTP status line.
pub fn wait_for_http(addr: SocketAddr, timeout: Duration, server: &mut KillOnDrop) -> Result {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            return Err(format!("{} exited before it answered ({status})", server.name));
        }
        if http_answers(addr) {
            return Ok(());
        }
        if start.elapsed() > timeout {
            return Err(format!("{} did not answer on {addr} within {}s", server.name, timeout.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn http_answers(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

/// Reads a text file, naming it in the error.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Writes a text file (creating its folder), naming it in the error.
pub fn write(path: &Path, text: &str) -> Result {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every file under `dir` (recursively), skipping `node_modules`, `target` and hidden folders, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            match entry.file_type() {
                Ok(t) if t.is_dir() => {
                    let skip = name.starts_with('.') || name == "node_modules" || name == "target";
                    if !skip {
                        stack.push(path);
                    }
                }
                Ok(t) if t.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// `path` relative to the repo root, for messages.
pub fn rel(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_finds_programs_on_path_only() {
        let sh = which("sh").expect("sh is on PATH");
        assert!(sh.is_absolute() && sh.ends_with("sh"), "{}", sh.display());
        assert_eq!(which("fleetplay-no-such-program"), None);
    }
}
