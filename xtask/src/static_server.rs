//! A tiny static file server for the built `dist/`, std only, bound to 127.0.0.1.
//!
//! Used by the end-to-end step, the load-time benchmark and `cargo xtask serve-dist`. It answers `GET` and
//! `HEAD`, one request per connection (`Connection: close`), with the MIME types a wasm app needs
//! (`application/wasm` lets browsers compile while streaming). `/` serves `index.html`; so does any unknown
//! path whose last segment has no file extension, query string or not (deep links such as `/play?seed=7`),
//! while a missing file with an extension is a plain 404. Paths that climb out of the root are refused.

use crate::util::Result;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server; dropping it stops it.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` on 127.0.0.1:`port` (0 picks a free port) from a background thread.
    pub fn start(root: &Path, port: u16) -> Result<StaticServer> {
        let root = root.to_path_buf();
        if !root.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html; build it first (trunk build --release)",
                root.display()
            ));
        }
        let listener = TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let stop_flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = handle(stream, &root);
                });
            }
        });
        Ok(StaticServer { addr, stop, thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The `Content-Type` for a file name.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Which file answers a request target, or `None` for 404.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path)?;
    if !path.starts_with('/') {
        return None;
    }
    let mut rel = PathBuf::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0']) => return None,
            s => rel.push(s),
        }
    }
    let candidate = root.join(&rel);
    if candidate.is_file() {
        return Some(candidate);
    }
    let index = candidate.join("index.html");
    if candidate.is_dir() && index.is_file() {
        return Some(index);
    }
    let has_extension = rel.file_name().is_some_and(|name| Path::new(name).extension().is_some());
    if has_extension {
        None
    } else {
        Some(root.join("index.html")).filter(|p| p.is_file())
    }
}

fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > 64 * 1024 {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn handle(mut stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let head = read_head(&mut stream)?;
    let mut parts = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let text = "text/plain; charset=utf-8";
    if method.is_empty() {
        return Ok(());
    }
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", text, b"only GET and HEAD\n", false);
    }
    let head_only = method == "HEAD";
    match resolve(root, target).map(|path| (std::fs::read(&path), path)) {
        Some((Ok(body), path)) => respond(&mut stream, "200 OK", mime_type(&path), &body, head_only),
        Some((Err(_), _)) => {
            respond(&mut stream, "500 Internal Server Error", text, b"read error\n", head_only)
        }
        None => respond(&mut stream, "404 Not Found", text, b"not found\n", head_only),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-static-{name}-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
        std::fs::write(dir.join("app-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        std::fs::write(dir.join("assets/style.css"), "body{}").unwrap();
        dir
    }

    #[test]
    fn resolves_files_index_and_deep_links() {
        let root = site("resolve");
        assert_eq!(resolve(&root, "/"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/?seed=7&progression=manual"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/play?seed=7"), Some(root.join("index.html")));
        assert_eq!(resolve(&root, "/app-1a2b_bg.wasm"), Some(root.join("app-1a2b_bg.wasm")));
        assert_eq!(resolve(&root, "/assets/style%2Ecss"), Some(root.join("assets/style.css")));
        assert_eq!(resolve(&root, "/missing.js"), None);
        assert_eq!(resolve(&root, "/../etc/passwd"), None);
        assert_eq!(resolve(&root, "/assets/%2e%2e/%2e%2e/x"), None);
        assert_eq!(resolve(&root, "/bad%zz"), None);
    }

    #[test]
    fn mime_types_for_a_wasm_app() {
        assert_eq!(mime_type(Path::new("a_bg.wasm")), "application/wasm");
        assert_eq!(mime_type(Path::new("a.js")), "text/javascript; charset=utf-8");
        assert_eq!(mime_type(Path::new("a.css")), "text/css; charset=utf-8");
        assert_eq!(mime_type(Path::new("favicon.svg")), "image/svg+xml");
        assert_eq!(mime_type(Path::new("index.html")), "text/html; charset=utf-8");
    }

    #[test]
    fn serves_over_http() {
        let root = site("http");
        let server = StaticServer::start(&root, 0).unwrap();
        let get = |target: &str| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            write!(s, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap_or_default();
            out
        };
        let wasm = get("/app-1a2b_bg.wasm");
        assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
        assert!(wasm.contains("Content-Type: application/wasm\r\n"), "{wasm}");
        assert!(wasm.contains("Content-Length: 8\r\n"), "{wasm}");
        assert!(get("/?seed=3").contains("<title>t</title>"));
        assert!(get("/nope.css").starts_with("HTTP/1.1 404 "));
        drop(server);
        let _ = std::fs::remove_dir_all(root);
    }
}
