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

/// The request as a copy-pasteable curl command for the real service: the Code snippets panel's curl command
/// (one generator, so the two never disagree on scheme or headers). Imported back it gives the same method,
/// target, operation and body; for AWS, curl's `--aws-sigv4` signs it instead of the request's own
/// `Authorization`, `X-Amz-Date` and `X-Amz-Security-Token`, and curl writes `Host` and `Content-Length`
/// itself (the notes under the Code snippets panel's curl say so).
pub fn to_curl(request: &WireRequest) -> String {
    sim::snippets::curl_snippet(request, None).code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::Draft;
    use sim::Provider;

    /// The composer's "This request as curl" is the Code snippets panel's curl: https for AWS, no Content-Length or
    /// Host header (curl writes those), and it imports back with the method, target, operation and body it
    /// shows.
    #[test]
    fn the_composers_curl_is_the_snippets_curl_and_imports_back() {
        for provider in Provider::ALL {
            let mut draft = Draft::new(provider);
            draft.set_field(provider, crate::ops::id_field(provider), "x1");
            let request = draft.request().expect("a fresh draft parses");
            let curl = to_curl(&request);
            assert_eq!(curl, sim::snippets::snippets(&request, None)[0].code);
            // AWS endpoints are https; the Nova draft's Host (compute.example.com:8774) keeps its own port.
            let scheme = if provider == Provider::Nova { "'http://" } else { "'https://" };
            assert!(curl.contains(scheme), "{curl}");
            assert!(!curl.contains("Content-Length") && !curl.contains("Host:"), "{curl}");
            let (back, _) = import_curl(&curl).expect("it imports");
            assert_eq!(back.method, request.method);
            assert_eq!(back.body, request.body);
            assert_eq!(back.header("X-Amz-Target"), request.header("X-Amz-Target"));
            assert!(
                back.target.starts_with(&scheme[1..]) && back.target.ends_with(request.path()),
                "{}",
                back.target
            );
            assert_eq!(parse_request(&render_request(&back)), Ok(back));
        }
    }
}
