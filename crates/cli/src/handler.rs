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
//!   streams it, rendered one batch at a time, after the lock is released.
//! - A panic while answering becomes a 500 with a JSON error ([`panic_response`], installed with
//!   tower-http's `CatchPanicLayer` in [`crate::serve`]); the mutex is taken back from a poisoned state,
//!   so the next request is served.

use crate::control::Reply;
use crate::history::{self, stream_chunks};
use crate::server::Server;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, Response, StatusCode};
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
}

/// The service: every path goes to [`answer`], which routes as the simulator does (by the request alone).
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(answer).with_state(shared)
}

fn lock(server: &Mutex<Server>) -> MutexGuard<'_, Server> {
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
    let target = parts.uri.to_string();
    let limit = if parts.uri.path().trim_end_matches('/') == "/_fleetplay/scenario" {
        MAX_SCENARIO_BODY
    } else {
        MAX_BODY
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
