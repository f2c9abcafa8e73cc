//! Raw HTTP text ⇄ [`WireRequest`] / [`WireResponse`] for the page, delegating to `sim::http`.
//!
//! The composer's raw view and the response panel go through these three functions only, so the page
//! shows requests exactly as the simulator's own renderer writes them.

use sim::{WireRequest, WireResponse};

/// A raw request that could not be read, with the 1-based line of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawError {
    /// Line of the raw text where the problem is.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl std::fmt::Display for RawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Reads raw HTTP/1.1 request text.
pub fn parse_request(text: &str) -> Result<WireRequest, RawError> {
    sim::http::parse_request(text).map_err(|e| RawError { line: e.line, message: e.message })
}

/// Writes a request as raw HTTP/1.1 text (`\n` line ends, as a text area shows them).
pub fn render_request(request: &WireRequest) -> String {
    sim::http::render_request(request)
}

/// Writes a response as raw HTTP/1.1 text.
pub fn render_response(response: &WireResponse) -> String {
    sim::http::render_response(response)
}

/// Notes about a request that parses but would not travel as written (declared length, URL fragment).
pub fn request_notes(request: &WireRequest) -> Vec<String> {
    sim::http::request_notes(request)
}

/// A curl command turned into a request, with notes on what was fixed or dropped.
pub fn import_curl(command: &str) -> Result<(WireRequest, Vec<String>), String> {
    sim::curl::parse_curl(command).map(|c| (c.request, c.notes)).map_err(|e| e.message)
}

/// The request as a copy-pasteable curl command.
pub fn to_curl(request: &WireRequest) -> String {
    sim::curl::to_curl(request)
}
