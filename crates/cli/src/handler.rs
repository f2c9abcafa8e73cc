//! The HTTP side of `fleetplay serve`: an axum service that turns each request into a [`WireRequest`],
//! lets the [`Server`] answer it under the lock, and turns the [`WireResponse`] back into HTTP, adding
//! nothing the simulated service decides itself.
//!
//! - Bodies are read as they arrive, up to a limit ([`MAX_BODY`], or [`MAX_SCENARIO_BODY`] for
//!   `/_fleetplay/scenario`): a `Content-Length` over the limit is refused with 413 before a byte of the
//!   body is read, and nothing is reserved ahead of the bytes received. A body that takes longer than the
//!   client timeout gets 408. Both close the connection.
//! - The response carries the service's status, reason phrase, headers and body. Hyper writes header names
//!   in lowercase (names are case-insensitive, and HTTP/2 always sends them so), adds `date`, and frames
//!   the body with `content-length`; the service's own `Content-Length`, `Connection` and
//!   `Transfer-Encoding` are left to hyper, which knows the connection.
//! - `GET /_fleetplay/transcript` takes a snapshot of the history under the lock (pointer copies) and
//!   streams it, rendered one batch at a time, after the lock is released; `GET /_fleetplay/live` likewise
//!   subscribes under the lock and streams Server-Sent Events after it ([`crate::live`]).
//! - Requests under `/_fleetplay/` pass [`crate::access`] first: a foreign origin or host name gets 403, an
//!   allowed origin its CORS headers (and an answer to its preflight).
//! - With `--page`, the playground page's files are answered before anything else ([`crate::page`]).
//! - A panic while answering becomes a 500 with a JSON error ([`panic_response`], installed with
//!   tower-http's `CatchPanicLayer` in [`crate::serve`]); the mutex is taken back from a poisoned state,
//!   so the next request is served.

use crate::access::{Access, Verdict};
use crate::control::Reply;
use crate::history::{self, stream_chunks};
use crate::page::Page;
use crate::server::Server;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Response, StatusCode};
use axum::response::sse::{KeepAlive, Sse};
use axum::response::IntoResponse as _;
use axum::Router;
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use sim::{WireRequest, WireResponse};
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Largest body of a request to a simulated service. The largest real input of these APIs is a few KB.
pub const MAX_BODY: usize = 1024 * 1024;
/// Largest scenario a client may POST to `/_fleetplay/scenario` (a 10,000-server fleet is about 1 MB).
pub const MAX_SCENARIO_BODY: usize = 16 * 1024 * 1024;

/// What every request handler shares.
pub struct Shared {
    /// The simulation and its history.
    pub server: Mutex<Server>,
    /// How long a client may take to send a request body.
    pub client_timeout: Duration,
    /// Who may use the control API and the live stream.
    pub access: Access,
    /// The playground page, when `--page` names one.
    pub page: Option<Page>,
}

/// The service: every path goes to [`answer`], which routes as the simulator does (by the request alone).
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(answer).with_state(shared)
}

/// The server's state, for one answer.
pub fn lock(server: &Mutex<Server>) -> MutexGuard<'_, Server> {
    // A panic while holding the lock (answered with a 500) must not stop the server.
    server.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A plain-text error about the HTTP exchange itself (not a simulated service's answer); closes the
/// connection, since the rest of the request may still be on the wire.
fn transport_error(status: StatusCode, message: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(format!("fleetplay: {message}\n")));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    if let Some(page) = shared.page.as_ref().filter(|page| page.claims(&parts)) {
        return page.answer(&parts).await;
    }
    let path = parts.uri.path();
    let mut cors = None;
    if path == "/_fleetplay" || path.starts_with("/_fleetplay/") {
        match shared.access.check(&parts.headers) {
            Verdict::Refused(message) => return refused(&parts.headers, &message),
            Verdict::Allowed { origin } => {
                if parts.method == Method::OPTIONS && origin.is_some() {
                    return preflight(origin, &parts.headers);
                }
                cors = origin;
            }
        }
    }
    let mut response = simulate_or_control(&shared, parts, body).await;
    if let Some(origin) = cors {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.append(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// 403 for a foreign origin or host name. The answer names the origin in `Access-Control-Allow-Origin`, so
/// a page on it can read why and tell its user which flag would let it in; it gets nothing else.
fn refused(headers: &HeaderMap, message: &str) -> Response<Body> {
    let mut response = to_http(crate::control::error(403, message));
    if let Some(origin) = headers.get(header::ORIGIN) {
        response.headers_mut().insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// The answer to an allowed origin's preflight: it may `GET` and `POST` JSON. A page on a public site asking
/// for a private-network address (Chromium's Private Network Access) is told yes as well: the origin was
/// allowed on purpose.
fn preflight(origin: Option<HeaderValue>, request: &HeaderMap) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    if request.contains_key("access-control-request-private-network") {
        headers.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
    }
    response
}

async fn simulate_or_control(
    shared: &Shared,
    parts: axum::http::request::Parts,
    body: Body,
) -> Response<Body> {
    let target = parts.uri.to_string();
    let limit = match parts.uri.path().trim_end_matches('/') {
        "/_fleetplay/scenario" | "/_fleetplay/send" => MAX_SCENARIO_BODY,
        _ => MAX_BODY,
    };
    let declared =
        parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return transport_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the body is larger than {limit} bytes"),
        );
    }
    let body = match tokio::time::timeout(shared.client_timeout, Limited::new(body, limit).collect()).await {
        Err(_) => {
            let message = format!("the body did not arrive within {} s", shared.client_timeout.as_secs_f64());
            return transport_error(StatusCode::REQUEST_TIMEOUT, &message);
        }
        Ok(Err(e)) if e.is::<LengthLimitError>() => {
            let message = format!("the body is larger than {limit} bytes");
            return transport_error(StatusCode::PAYLOAD_TOO_LARGE, &message);
        }
        Ok(Err(e)) => {
            return transport_error(StatusCode::BAD_REQUEST, &format!("the body cannot be read: {e}"))
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let head_only = parts.method == Method::HEAD;
    let request = WireRequest {
        method: parts.method.as_str().to_string(),
        target,
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (name.as_str().to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned())
            })
            .collect(),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let (reply, snapshot) = {
        let mut server = lock(&shared.server);
        let reply = server.handle(request);
        let snapshot = matches!(reply, Reply::Transcript(_)).then(|| server.history.snapshot());
        (reply, snapshot)
    };
    match reply {
        Reply::Response(response) => to_http(response),
        Reply::Live(subscription) => {
            let keep_alive = KeepAlive::new().interval(crate::live::KEEP_ALIVE);
            Sse::new(crate::live::events(*subscription)).keep_alive(keep_alive).into_response()
        }
        Reply::Transcript(format) => {
            let content_type = match format {
                history::Format::Jsonl => "application/x-ndjson",
                history::Format::Text => "text/plain; charset=utf-8",
            };
            let entries = if head_only { Vec::new() } else { snapshot.unwrap_or_default() };
            let chunks = stream_chunks(entries, format).map(Ok::<Bytes, Infallible>);
            let mut response = Response::new(Body::from_stream(futures_util::stream::iter(chunks)));
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            response
        }
    }
}

/// The simulated service's answer as an HTTP response (see the module documentation for what hyper adds).
pub fn to_http(wire: WireResponse) -> Response<Body> {
    let status = StatusCode::from_u16(wire.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = wire.reason();
    let mut response = Response::new(Body::from(wire.body));
    *response.status_mut() = status;
    if reason != "Unknown" && Some(reason) != status.canonical_reason() {
        response.extensions_mut().insert(hyper::ext::ReasonPhrase::from_static(reason.as_bytes()));
    }
    let headers = response.headers_mut();
    for (name, value) in &wire.headers {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else { continue };
        if name == header::CONTENT_LENGTH || name == header::CONNECTION || name == header::TRANSFER_ENCODING {
            continue;
        }
        let Ok(value) = HeaderValue::from_bytes(value.replace(['\r', '\n'], " ").as_bytes()) else {
            continue;
        };
        headers.append(name, value);
    }
    response
}

/// The answer to a request whose handling panicked (the panic hook has printed where, on stderr).
pub fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let error = crate::control::error(
        500,
        "the simulator failed on this request (an internal error, reported on the server's stderr)",
    );
    to_http(error)
}
