//! Raw HTTP as plain values: the boundary between a dialect and the user.
//!
//! `WireRequest` is what a client put on the wire (method, request target, headers, body); `WireResponse` is
//! what the simulated service answers. Neither knows any provider. Header names keep the caller's casing and
//! are compared case-insensitively, as HTTP requires.

/// One HTTP request exactly as sent; in JSON (saved sessions) `{"method", "target", "headers": [[name,
/// value], …], "body"}`, every member required.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WireRequest {
    /// Method as written (`POST`); compared case-sensitively, as HTTP methods are.
    pub method: String,
    /// Request target in origin form (`/v2.1/servers/…/action?x=1`) or absolute form (`http://host/…`).
    pub target: String,
    /// Header fields in order, names as written.
    pub headers: Vec<(String, String)>,
    /// The body as text (bytes that are not UTF-8 are replaced before they reach the simulator).
    pub body: String,
}

/// One HTTP response as the simulated service sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WireResponse {
    /// Status code (`200`, `409` …).
    pub status: u16,
    /// Header fields in order, names as the service writes them.
    pub headers: Vec<(String, String)>,
    /// The body (may be empty).
    pub body: String,
}

/// Finds the first header called `name` (case-insensitive).
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

impl WireRequest {
    /// A request with no headers and no body.
    pub fn new(method: &str, target: &str) -> Self {
        WireRequest { method: method.to_string(), target: target.to_string(), ..Default::default() }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: &str) -> Self {
        self.body = body.to_string();
        self
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The path of the target, without scheme, authority, query or fragment.
    pub fn path(&self) -> &str {
        let mut t = self.target.as_str();
        // Origin form (`/…`) never has an authority, even if its query holds a URL.
        if let Some(pos) = if t.starts_with('/') { None } else { t.find("://") } {
            t = &t[pos + 3..];
            t = t.find('/').map_or("/", |slash| &t[slash..]);
        }
        let end = t.find(['?', '#']).unwrap_or(t.len());
        &t[..end]
    }

    /// The authority of an absolute-form target, or the `Host` header.
    pub fn host(&self) -> Option<&str> {
        if let Some(pos) = self.target.find("://") {
            let rest = &self.target[pos + 3..];
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            return Some(&rest[..end]);
        }
        self.header("Host")
    }
}

impl WireResponse {
    /// A response with the given status, no headers and no body.
    pub fn new(status: u16) -> Self {
        WireResponse { status, ..Default::default() }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets the body and a matching `Content-Length` (builder style).
    pub fn with_body(mut self, body: String) -> Self {
        self.body = body;
        self
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The standard reason phrase for this status.
    pub fn reason(&self) -> &'static str {
        reason_phrase(self.status)
    }
}

/// The reason phrase HTTP/1.1 servers conventionally send for `status`.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_strips_authority_query_and_fragment() {
        let r = WireRequest::new("POST", "http://transfer.us-east-1.amazonaws.com/#X-Amz-Target=x");
        assert_eq!(r.path(), "/");
        assert_eq!(r.host(), Some("transfer.us-east-1.amazonaws.com"));
        let r = WireRequest::new("GET", "/v2.1/servers/detail?limit=2");
        assert_eq!(r.path(), "/v2.1/servers/detail");
        let r = WireRequest::new("GET", "http://h:8774");
        assert_eq!(r.path(), "/");
        let r = WireRequest::new("GET", "/servers?next=http://h/v2/x");
        assert_eq!(r.path(), "/servers");
    }

    #[test]
    fn headers_are_case_insensitive() {
        let r = WireRequest::new("POST", "/").with_header("x-amz-target", "TransferService.StopServer");
        assert_eq!(r.header("X-Amz-Target"), Some("TransferService.StopServer"));
    }
}
