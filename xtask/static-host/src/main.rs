//! `static-host DIR PORT`: serves a built site (`dist/`) on 127.0.0.1 the way a static web host would, for
//! xtask's end-to-end step, its benchmarks and `cargo xtask serve-dist`. Port 0 picks a free port; once it
//! listens, the first line on stdout is `static-host: serving DIR on http://127.0.0.1:PORT`, which xtask reads.
//!
//! Files are served by tower-http's `ServeDir` on axum: `GET` and `HEAD` (anything else is a 405), the MIME type
//! from the file name (`application/wasm` lets browsers compile while streaming), ranges, keep-alive. When a
//! request accepts gzip or brotli and a precompressed sibling exists (`app_bg.wasm.gz`, `app_bg.wasm.br`), that
//! file is sent with its `Content-Encoding`, as hosts that serve precompressed files do; without siblings every
//! file goes out as it is. Every answer says `Cache-Control: no-store` (each page load in a test or benchmark
//! fetches what is in `dist/` now) and `X-Content-Type-Options: nosniff`.
//!
//! The rule for paths no file answers, as a single-page app needs: `/` is `index.html`; so is any other path whose
//! last segment has no file extension, query string or not (deep links such as `/play?seed=7`), while a missing
//! file with an extension (`/missing.js`) is a plain 404. Paths that climb out of the root (`..`) are a 404 too.
//!
//! This is a separate package from xtask so that xtask itself stays std-only and builds in about a second: only
//! the commands that serve `dist/` build this one.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use std::path::{Path, PathBuf};
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

const USAGE: &str = "usage: static-host DIR PORT (PORT 0 picks a free port)";

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (root, port) = match args.as_slice() {
        [root, port] => match port.parse::<u16>() {
            Ok(port) => (PathBuf::from(root), port),
            Err(_) => return fail(&format!("bad port {port:?}\n{USAGE}")),
        },
        _ => return fail(USAGE),
    };
    if !root.join("index.html").is_file() {
        return fail(&format!(
            "{} has no index.html; build it first (trunk build --release)",
            root.display()
        ));
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    match runtime.block_on(serve(root, port)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(message: &str) -> std::process::ExitCode {
    eprintln!("static-host: {message}");
    std::process::ExitCode::FAILURE
}

async fn serve(root: PathBuf, port: u16) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("static-host: serving {} on http://{addr}", root.display());
    axum::serve(listener, app(&root)).await.map_err(|e| format!("server stopped: {e}"))
}

/// The whole site: files under `root`, `index.html` for extension-less unknown paths, 404 for the rest.
fn app(root: &Path) -> Router {
    let index = ServeFile::new(root.join("index.html")).precompressed_gzip().precompressed_br();
    let site = ServeDir::new(root)
        .redirect_to_trailing_slash(false)
        .precompressed_gzip()
        .precompressed_br()
        .fallback(tower::service_fn(move |request: Request<Body>| {
            let index = index.clone();
            async move {
                if wants_index(request.uri().path()) {
                    index.oneshot(request).await.map(IntoResponse::into_response)
                } else {
                    Ok((StatusCode::NOT_FOUND, "not found\n").into_response())
                }
            }
        }));
    Router::new()
        .fallback_service(site)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// Whether a path no file answers gets `index.html`: its last segment has no file extension and no segment
/// climbs out of the root.
fn wants_index(path: &str) -> bool {
    let Ok(path) = percent_encoding::percent_decode_str(path).decode_utf8() else { return false };
    if path.split('/').any(|segment| segment == "..") {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or("");
    Path::new(last).extension().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_for_extensionless_paths_only() {
        assert!(wants_index("/"));
        assert!(wants_index("/play"));
        assert!(wants_index("/deep/link/"));
        assert!(wants_index("/.well-known"));
        assert!(!wants_index("/missing.js"));
        assert!(!wants_index("/assets/app%2Ejs"));
        assert!(!wants_index("/../secret"));
        assert!(!wants_index("/a/%2e%2e/secret"));
        assert!(!wants_index("/bad%ff"));
    }
}
