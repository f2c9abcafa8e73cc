//! The playground page on `fleetplay serve --page DIR`: the release build of the web app (Trunk's `dist/`)
//! served by the simulator itself, so that opening the server's address shows its own simulation live.
//!
//! The page shares the server's paths with the simulated services, which route by the request alone, so the
//! page only takes what no service could want:
//!
//! - `GET`/`HEAD` of `/` or `/index.html` from a browser (its `Accept` names `text/html`): the page's
//!   `index.html`, with `<meta name="fleetplay-server" content="/">` added to its head, which tells the page
//!   to follow the server it came from (see `src/state/live.rs`). Nova's version discovery and curl ask for
//!   JSON or anything, and still get the simulator's answer to `GET /`.
//! - `GET`/`HEAD` of a file of the page (`/fleetplay-….js`, `…_bg.wasm`, `/style-….css`, `/lessons/….json`,
//!   `/embed.js`): served by tower-http's `ServeDir` (content types, ranges, precompressed siblings). The
//!   files are listed when the server starts and again whenever `index.html` is served (a rebuild gives the
//!   files new names), so requests for other paths never touch the file system.

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use tower::ServiceExt as _;
use tower_http::services::ServeDir;

/// What the page adds to `index.html`'s head: the server to follow is the one the page came from.
pub const SERVER_META: &str = r#"<meta name="fleetplay-server" content="/">"#;

/// Most files listed from the page's folder (a Trunk build has a dozen; this stops a mistaken `--page /`).
const MAX_FILES: usize = 10_000;

/// The page's folder and the URL paths of its files.
#[derive(Debug)]
pub struct Page {
    dir: PathBuf,
    files: RwLock<BTreeSet<String>>,
}

impl Page {
    /// The page in `dir`, which must hold an `index.html` (a Trunk release build).
    pub fn open(dir: &Path) -> Result<Page, String> {
        if !dir.join("index.html").is_file() {
            return Err(format!(
                "{} has no index.html: build the page first (`cargo xtask live` does, or `trunk build --release`)",
                dir.display()
            ));
        }
        let page = Page { dir: dir.to_path_buf(), files: RwLock::new(BTreeSet::new()) };
        page.rescan();
        Ok(page)
    }

    /// The folder served.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn rescan(&self) {
        let mut files = BTreeSet::new();
        list(&self.dir, "", &mut files);
        *self.files.write().unwrap_or_else(|p| p.into_inner()) = files;
    }

    /// Whether the page answers this request (see the module documentation).
    pub fn claims(&self, parts: &Parts) -> bool {
        if parts.method != Method::GET && parts.method != Method::HEAD {
            return false;
        }
        let path = parts.uri.path();
        if is_index(path) {
            return wants_html(parts);
        }
        self.files.read().unwrap_or_else(|p| p.into_inner()).contains(path)
    }

    /// Answers a request [`Page::claims`].
    pub async fn answer(&self, parts: &Parts) -> Response<Body> {
        if is_index(parts.uri.path()) {
            self.rescan();
            return match tokio::fs::read_to_string(self.dir.join("index.html")).await {
                Ok(html) => {
                    let body =
                        if parts.method == Method::HEAD { String::new() } else { with_server_meta(&html) };
                    let mut response = Response::new(Body::from(body));
                    let headers = response.headers_mut();
                    headers
                        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
                    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    response
                }
                Err(e) => {
                    let mut response =
                        Response::new(Body::from(format!("fleetplay: cannot read the page: {e}\n")));
                    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                    response
                }
            };
        }
        let mut request = Request::new(Body::empty());
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        *request.headers_mut() = parts.headers.clone();
        let files = ServeDir::new(&self.dir).precompressed_gzip().precompressed_br();
        match files.oneshot(request).await {
            Ok(response) => response.map(Body::new),
            Err(never) => match never {},
        }
    }
}

fn is_index(path: &str) -> bool {
    path == "/" || path == "/index.html"
}

/// Whether the request is a browser's navigation (or anything else that asks for HTML by name).
fn wants_html(parts: &Parts) -> bool {
    parts.headers.get_all(header::ACCEPT).iter().any(|v| v.to_str().is_ok_and(|v| v.contains("text/html")))
}

/// `index.html` with [`SERVER_META`] first in its head: after the `<head>` tag, or, in a minified page that
/// leaves the optional tags out (Trunk's release build), after the `<html>` tag or the doctype. Never
/// before the doctype, which would put the page in quirks mode.
pub fn with_server_meta(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let after_tag = |name: &str| {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name).map(|i| i + from) {
            // `<head>` or `<head …>`, not `<header>`.
            let next = lower.as_bytes().get(i + name.len()).copied();
            if matches!(next, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r')) {
                return lower[i..].find('>').map(|end| i + end + 1);
            }
            from = i + name.len();
        }
        None
    };
    let at =
        after_tag("<head").or_else(|| after_tag("<html")).or_else(|| after_tag("<!doctype")).unwrap_or(0);
    format!("{}{SERVER_META}{}", &html[..at], &html[at..])
}

/// Adds the URL paths of the files under `dir` (as `/prefix/name`) to `out`; hidden files are left out.
fn list(dir: &Path, prefix: &str, out: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if out.len() >= MAX_FILES {
            return;
        }
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{prefix}/{name}");
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => list(&entry.path(), &path, out),
            Ok(kind) if kind.is_file() => {
                out.insert(path);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_goes_first_in_the_head() {
        assert_eq!(
            with_server_meta("<!doctype html><html><head><title>x</title></head></html>"),
            format!("<!doctype html><html><head>{SERVER_META}<title>x</title></head></html>")
        );
        assert_eq!(with_server_meta("<p>no head"), format!("{SERVER_META}<p>no head"));
        // Trunk's minified release build has neither <head> nor </head>.
        assert_eq!(
            with_server_meta("<!doctype html><html lang=en><meta charset=utf-8><title>x</title><header>"),
            format!("<!doctype html><html lang=en>{SERVER_META}<meta charset=utf-8><title>x</title><header>")
        );
        assert_eq!(
            with_server_meta("<!DOCTYPE html>\n<HEAD lang=x><body>"),
            format!("<!DOCTYPE html>\n<HEAD lang=x>{SERVER_META}<body>")
        );
        assert_eq!(with_server_meta("<!doctype html><p>"), format!("<!doctype html>{SERVER_META}<p>"));
    }

    #[test]
    fn only_browsers_get_the_page_at_the_root_and_only_files_elsewhere() {
        let dir = std::env::temp_dir().join(format!("fleetplay-page-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lessons")).unwrap();
        std::fs::write(dir.join("index.html"), "<html><head></head></html>").unwrap();
        std::fs::write(dir.join("app-1.js"), "").unwrap();
        std::fs::write(dir.join("lessons/a.json"), "{}").unwrap();
        std::fs::write(dir.join(".hidden"), "").unwrap();
        let page = Page::open(&dir).unwrap();
        let parts = |method: &str, uri: &str, accept: &str| {
            let mut request = Request::builder().method(method).uri(uri);
            if !accept.is_empty() {
                request = request.header(header::ACCEPT, accept);
            }
            request.body(()).unwrap().into_parts().0
        };
        let html = "text/html,application/xhtml+xml,*/*;q=0.8";
        assert!(page.claims(&parts("GET", "/", html)));
        assert!(page.claims(&parts("GET", "/?server=x", html)));
        assert!(page.claims(&parts("HEAD", "/index.html", html)));
        assert!(!page.claims(&parts("GET", "/", "application/json")), "Nova's version discovery");
        assert!(!page.claims(&parts("GET", "/", "*/*")), "curl");
        assert!(!page.claims(&parts("POST", "/", html)), "AWS requests");
        assert!(page.claims(&parts("GET", "/app-1.js", "")));
        assert!(page.claims(&parts("GET", "/lessons/a.json", "")));
        assert!(!page.claims(&parts("GET", "/.hidden", "")));
        assert!(!page.claims(&parts("GET", "/servers/detail", html)));
        assert!(!page.claims(&parts("DELETE", "/app-1.js", "")));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(Page::open(&dir).unwrap_err().contains("no index.html"));
    }
}
