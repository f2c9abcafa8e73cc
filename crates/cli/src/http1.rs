//! Server-side HTTP/1.1 framing over any byte stream: reading one request (Content-Length or chunked body,
//! `Expect: 100-continue`), deciding keep-alive, and writing one response. Limits keep a misbehaving client
//! from exhausting memory; every problem is an [`HttpError`] answered with 400 (or 413/431/501), never a panic.

use sim::{WireRequest, WireResponse};
use std::io::{self, BufRead, Read, Write};

/// Longest request line or header line accepted.
const MAX_LINE: usize = 16 * 1024;
/// Most header lines accepted.
const MAX_HEADERS: usize = 200;
/// Largest body accepted.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// A request that cannot be read.
#[derive(Debug)]
pub enum HttpError {
    /// The connection failed or closed mid-request (nothing can be answered).
    Io,
    /// The bytes are not an HTTP/1.x request; answered with this status and reason, then closed.
    Bad(u16, String),
}

impl From<io::Error> for HttpError {
    fn from(_: io::Error) -> Self {
        HttpError::Io
    }
}

fn bad(status: u16, message: impl Into<String>) -> HttpError {
    HttpError::Bad(status, message.into())
}

/// One request off the wire.
#[derive(Debug)]
pub struct Incoming {
    /// The request as the simulator sees it (origin-form target, headers as sent, body decoded from UTF-8
    /// with replacement of invalid bytes).
    pub request: WireRequest,
    /// Whether the connection stays open after the response.
    pub keep_alive: bool,
}

/// Reads one line ending in `\n` (the `\r` is optional), without the line end. `None` at a clean end of
/// stream before any byte.
fn read_line<R: BufRead>(reader: &mut R) -> Result<Option<String>, HttpError> {
    let mut buf = Vec::new();
    let mut limited = reader.take(MAX_LINE as u64 + 2);
    let n = limited.read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        if buf.len() > MAX_LINE {
            return Err(bad(431, "a request or header line is too long"));
        }
        return Err(HttpError::Io);
    }
    buf.pop();
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}

/// Reads one request. `Ok(None)` when the client closed the connection between requests. `writer` receives
/// the interim `100 Continue` when the client asks for it.
pub fn read_request<R: BufRead, W: Write>(
    reader: &mut R,
    writer: &mut W,
) -> Result<Option<Incoming>, HttpError> {
    // Clients may send empty lines before a request (RFC 9112 §2.2).
    let line = loop {
        match read_line(reader)? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts.as_slice() else {
        return Err(bad(400, "malformed request line"));
    };
    if method.is_empty()
        || !method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    {
        return Err(bad(400, "malformed method"));
    }
    if !matches!(*version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(bad(505, format!("unsupported HTTP version {version}")));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    loop {
        let Some(l) = read_line(reader)? else {
            return Err(HttpError::Io);
        };
        if l.is_empty() {
            break;
        }
        if headers.len() >= MAX_HEADERS {
            return Err(bad(431, "too many header lines"));
        }
        if l.starts_with([' ', '\t']) {
            return Err(bad(400, "obsolete header line folding is not accepted"));
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err(bad(400, "a header line has no colon"));
        };
        if name.is_empty() || name.ends_with([' ', '\t']) {
            return Err(bad(400, "malformed header name"));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let header = |name: &str| sim::wire::find_header(&headers, name).map(str::to_string);
    let chunked = header("Transfer-Encoding").is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let length = match header("Content-Length") {
        Some(v) if !chunked => Some(
            v.trim()
                .parse::<usize>()
                .map_err(|_| bad(400, format!("Content-Length {v:?} is not a number")))?,
        ),
        _ => None,
    };
    if length.is_some_and(|n| n > MAX_BODY) {
        return Err(bad(413, "the body is too large"));
    }
    let expects_continue = header("Expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"));
    if expects_continue && (chunked || length.is_some_and(|n| n > 0)) && *version == "HTTP/1.1" {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let body = if chunked {
        read_chunked(reader)?
    } else if let Some(n) = length {
        let mut buf = vec![0u8; n];
        reader.read_exact(&mut buf)?;
        buf
    } else {
        Vec::new()
    };
    let connection = header("Connection").map(|c| c.to_ascii_lowercase()).unwrap_or_default();
    let keep_alive = if *version == "HTTP/1.0" {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    let request = WireRequest {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    Ok(Some(Incoming { request, keep_alive }))
}

fn read_chunked<R: BufRead>(reader: &mut R) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| bad(400, "the chunked body ends early"))?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(400, format!("chunk size {size_text:?} is not hexadecimal")))?;
        if size == 0 {
            // Trailer fields, up to an empty line.
            loop {
                match read_line(reader)? {
                    None => return Ok(body),
                    Some(l) if l.is_empty() => return Ok(body),
                    Some(_) => {}
                }
            }
        }
        if body.len().saturating_add(size) > MAX_BODY {
            return Err(bad(413, "the body is too large"));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let end = read_line(reader)?.ok_or_else(|| bad(400, "a chunk is not followed by CRLF"))?;
        if !end.is_empty() {
            return Err(bad(400, "a chunk is longer than its declared size"));
        }
    }
}

/// Writes `response`. Sets `Content-Length` to the body's length, adds `Connection: close` when the
/// connection will close, and leaves the body out for HEAD requests.
pub fn write_response<W: Write>(
    writer: &mut W,
    response: &WireResponse,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(256 + response.body.len());
    out.extend_from_slice(format!("HTTP/1.1 {} {}\r\n", response.status, response.reason()).as_bytes());
    let mut has_length = false;
    for (name, value) in &response.headers {
        if name.eq_ignore_ascii_case("Connection") || name.eq_ignore_ascii_case("Transfer-Encoding") {
            continue;
        }
        if name.eq_ignore_ascii_case("Content-Length") {
            if has_length {
                continue;
            }
            has_length = true;
            out.extend_from_slice(format!("{name}: {}\r\n", response.body.len()).as_bytes());
            continue;
        }
        out.extend_from_slice(format!("{name}: {}\r\n", value.replace(['\r', '\n'], " ")).as_bytes());
    }
    if !has_length {
        out.extend_from_slice(format!("Content-Length: {}\r\n", response.body.len()).as_bytes());
    }
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(response.body.as_bytes());
    }
    writer.write_all(&out)?;
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Result<Option<Incoming>, HttpError>, Vec<u8>) {
        let mut reader = io::BufReader::new(text.as_bytes());
        let mut interim = Vec::new();
        (read_request(&mut reader, &mut interim), interim)
    }

    #[test]
    fn reads_content_length_bodies() {
        let (got, _) = read("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}GET");
        let got = got.unwrap().unwrap();
        assert_eq!(got.request.body, "{}");
        assert!(got.keep_alive);
    }

    #[test]
    fn reads_chunked_bodies_and_answers_expect() {
        let (got, interim) = read(
            "POST /v2.1/servers/a/action HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\
             Connection: close\r\n\r\n4;ext=1\r\n{\"os\r\nc\r\n-stop\":null}\r\n0\r\nX-Trailer: 1\r\n\r\n",
        );
        let got = got.unwrap().unwrap();
        assert_eq!(got.request.body, "{\"os-stop\":null}");
        assert!(!got.keep_alive);
        assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for text in [
            "nonsense\r\n\r\n",
            "GET / HTTP/2\r\n\r\n",
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        ] {
            assert!(matches!(read(text).0, Err(HttpError::Bad(..))), "{text:?}");
        }
        assert!(matches!(read("").0, Ok(None)));
        assert!(matches!(read("GET / HTTP/1.1\r\nHost").0, Err(HttpError::Io)));
    }

    #[test]
    fn writes_length_and_close() {
        let mut out = Vec::new();
        let resp = WireResponse::new(202).with_header("Content-Length", "99").with_body("ab".into());
        write_response(&mut out, &resp, false, false).unwrap();
        assert_eq!(out, b"HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab");
    }
}
