//! The static host over real HTTP: the binary is started on a free port and spoken to with plain sockets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The running binary; killed when dropped.
struct Host {
    child: Child,
    addr: String,
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("static-host-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(dir.join("app-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("lessons/intro.json"), "{}").unwrap();
    std::fs::write(dir.join("style.css"), "body{}").unwrap();
    std::fs::write(dir.join("style.css.gz"), b"gzipped bytes").unwrap();
    dir
}

fn start(root: &PathBuf) -> Host {
    let mut child = Command::new(env!("CARGO_BIN_EXE_static-host"))
        .arg(root)
        .arg("0")
        .stdout(Stdio::piped())
        .spawn()
        .expect("static-host starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    assert!(line.starts_with("static-host: serving "), "{line}");
    Host { child, addr }
}

/// Sends one request (`Connection: close`) and returns the whole answer as text.
fn send(host: &Host, method: &str, target: &str, extra: &str) -> String {
    let mut stream = TcpStream::connect(&host.addr).unwrap();
    write!(stream, "{method} {target} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

fn header<'a>(answer: &'a str, name: &str) -> Option<&'a str> {
    let head = answer.split("\r\n\r\n").next().unwrap();
    head.lines().skip(1).find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[test]
fn files_with_their_types_and_headers() {
    let root = site("files");
    let host = start(&root);
    let wasm = send(&host, "GET", "/app-1a2b_bg.wasm", "");
    assert!(wasm.starts_with("HTTP/1.1 200 OK\r\n"), "{wasm}");
    assert_eq!(header(&wasm, "content-type"), Some("application/wasm"));
    assert_eq!(header(&wasm, "content-length"), Some("8"));
    assert_eq!(header(&wasm, "cache-control"), Some("no-store"));
    assert_eq!(header(&wasm, "x-content-type-options"), Some("nosniff"));
    let json = send(&host, "GET", "/lessons/intro.json", "");
    assert_eq!(body(&json), "{}");
    let head = send(&host, "HEAD", "/app-1a2b_bg.wasm", "");
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(body(&head), "");
    let post = send(&host, "POST", "/app-1a2b_bg.wasm", "Content-Length: 0\r\n");
    assert!(post.starts_with("HTTP/1.1 405 "), "{post}");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn index_for_the_root_and_deep_links_404_for_missing_files() {
    let root = site("index");
    let host = start(&root);
    for target in ["/", "/?seed=7&progression=manual", "/play?seed=7", "/lessons", "/deep/link/"] {
        let answer = send(&host, "GET", target, "");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{target}: {answer}");
        assert_eq!(body(&answer), "<!doctype html><title>t</title>", "{target}");
        assert_eq!(header(&answer, "content-type"), Some("text/html"), "{target}");
    }
    for target in ["/missing.js", "/lessons/missing.json", "/../etc/passwd", "/lessons/%2e%2e/%2e%2e/x"] {
        let answer = send(&host, "GET", target, "");
        assert!(answer.starts_with("HTTP/1.1 404 "), "{target}: {answer}");
        assert!(!answer.contains("<title>"), "{target}: {answer}");
    }
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn precompressed_siblings_for_clients_that_accept_them() {
    let root = site("gzip");
    let host = start(&root);
    let gzip = send(&host, "GET", "/style.css", "Accept-Encoding: gzip, br\r\n");
    assert_eq!(header(&gzip, "content-encoding"), Some("gzip"), "{gzip}");
    assert_eq!(header(&gzip, "content-type"), Some("text/css"), "{gzip}");
    assert_eq!(body(&gzip), "gzipped bytes");
    let plain = send(&host, "GET", "/style.css", "");
    assert_eq!(header(&plain, "content-encoding"), None, "{plain}");
    assert_eq!(body(&plain), "body{}");
    // No sibling: the file as it is, whatever the client accepts.
    let wasm = send(&host, "GET", "/app-1a2b_bg.wasm", "Accept-Encoding: gzip, br\r\n");
    assert_eq!(header(&wasm, "content-encoding"), None, "{wasm}");
    let _ = std::fs::remove_dir_all(root);
}
