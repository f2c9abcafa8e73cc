//! Raw HTTP text ⇄ [`WireRequest`]/[`WireResponse`], and `.http` files.
//!
//! `parse_request` reads one request as people paste it: a request line (`POST /path HTTP/1.1`, the version
//! optional, an absolute URL allowed, a bare URL meaning GET), header lines, a blank line, then the body
//! verbatim. Bare `\n` and `\r\n` line ends are both accepted. `parse_http_file` reads the REST Client
//! convention used by the CLI and the story tests: requests separated by `###` lines, `#`/`//` comments,
//! `# @name argument` directives, and `> check` lines after a request's body. Nothing here panics on any
//! input; problems come back as a [`ParseError`] naming the line.

use crate::wire::{reason_phrase, WireRequest, WireResponse};

/// A request text that cannot be read, with the 1-based line of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number within the parsed text.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

fn err(line: usize, message: impl Into<String>) -> ParseError {
    ParseError { line, message: message.into() }
}

/// HTTP `tchar`: the characters allowed in methods and header names.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Parses one raw request. The body is everything after the first blank line, verbatim.
pub fn parse_request(text: &str) -> Result<WireRequest, ParseError> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut i = 0;
    while i < lines.len() && lines[i].trim().is_empty() {
        i += 1;
    }
    if i == lines.len() {
        return Err(err(1, "the request is empty: expected a request line such as `POST / HTTP/1.1`"));
    }
    let mut request = parse_request_line(lines[i], i + 1)?;
    i += 1;
    while i < lines.len() && !lines[i].is_empty() {
        let line = lines[i];
        if line.starts_with([' ', '\t']) {
            // Obsolete line folding: continue the previous header's value.
            match request.headers.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => return Err(err(i + 1, "a header line cannot start with whitespace")),
            }
        } else {
            let (name, value) = parse_header_line(line, i + 1)?;
            request.headers.push((name, value));
        }
        i += 1;
    }
    if i < lines.len() {
        // Skip the blank separator line and keep the rest verbatim, with the caller's line ends.
        let offset: usize = text.split_inclusive('\n').take(i + 1).map(str::len).sum();
        request.body = text.get(offset..).unwrap_or("").to_string();
    }
    Ok(request)
}

fn parse_request_line(line: &str, number: usize) -> Result<WireRequest, ParseError> {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let looks_like_url = |s: &str| s.starts_with('/') || s.contains("://");
    let (method, target, version) = match parts.as_slice() {
        [target] if looks_like_url(target) => ("GET", *target, None),
        [method, target] => (*method, *target, None),
        [method, target, version] => (*method, *target, Some(*version)),
        _ => {
            return Err(err(
                number,
                format!("expected a request line `METHOD TARGET HTTP/1.1`, found {:?}", truncate(line, 60)),
            ))
        }
    };
    if !is_token(method) {
        return Err(err(number, format!("{:?} is not an HTTP method", truncate(method, 30))));
    }
    if !looks_like_url(target) && target != "*" {
        return Err(err(
            number,
            format!(
                "the request target {:?} must start with '/' or be an absolute URL",
                truncate(target, 60)
            ),
        ));
    }
    if let Some(v) = version {
        if !v.starts_with("HTTP/") {
            return Err(err(number, format!("{:?} is not an HTTP version like HTTP/1.1", truncate(v, 20))));
        }
    }
    Ok(WireRequest::new(method, target))
}

fn parse_header_line(line: &str, number: usize) -> Result<(String, String), ParseError> {
    let Some((name, value)) = line.split_once(':') else {
        return Err(err(
            number,
            format!(
                "expected a header `Name: value`, found {:?} (is a blank line missing before the body?)",
                truncate(line, 60)
            ),
        ));
    };
    if !is_token(name) {
        return Err(err(number, format!("{:?} is not a valid header name", truncate(name, 40))));
    }
    Ok((name.to_string(), value.trim().to_string()))
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((pos, _)) => format!("{}…", &text[..pos]),
        None => text.to_string(),
    }
}

/// Renders a request as HTTP/1.1 text (`\n` line ends).
pub fn render_request(req: &WireRequest) -> String {
    let mut out = String::with_capacity(64 + req.body.len());
    out.push_str(&req.method);
    out.push(' ');
    out.push_str(&req.target);
    out.push_str(" HTTP/1.1\n");
    for (k, v) in &req.headers {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&req.body);
    out
}

/// Renders a response as HTTP/1.1 text (`\n` line ends).
pub fn render_response(resp: &WireResponse) -> String {
    let mut out = format!("HTTP/1.1 {} {}\n", resp.status, reason_phrase(resp.status));
    for (k, v) in &resp.headers {
        out.push_str(k);
        out.push_str(": ");
        out.push_str(v);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&resp.body);
    out
}

/// Things worth telling the user about a request that parses but would not travel as written.
pub fn request_notes(req: &WireRequest) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(declared) = req.header("Content-Length") {
        match declared.trim().parse::<usize>() {
            Ok(n) if n != req.body.len() => notes.push(format!(
                "Content-Length says {n} bytes but the body has {}: the body is taken as written.",
                req.body.len()
            )),
            Ok(_) => {}
            Err(_) => notes
                .push(format!("Content-Length {declared:?} is not a number; the body is taken as written.")),
        }
    }
    if req.target.contains('#') {
        notes.push(
            "The URL has a fragment (#…): clients never send it, so the service does not see it.".to_string(),
        );
    }
    notes
}

/// One step of a `.http` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A request, with the check lines (`> …`) that follow its body.
    Request(RequestItem),
    /// A `# @name argument` directive, e.g. `advance 90s`.
    Directive {
        /// 1-based line in the file.
        line: usize,
        /// The word after `@`.
        name: String,
        /// The rest of the line, trimmed.
        arg: String,
    },
}

/// A request in a `.http` file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestItem {
    /// 1-based line of the request line.
    pub line: usize,
    /// The request (`{{variables}}` are left in place; see [`substitute`]).
    pub request: WireRequest,
    /// `> check` lines after the body: (line, text after `> `).
    pub checks: Vec<(usize, String)>,
}

/// A parsed `.http` file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct HttpFile {
    /// The first plain comment line of the file, if any (a story's title).
    pub title: Option<String>,
    /// Requests and directives in order.
    pub steps: Vec<Step>,
}

fn directive(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix('#').or_else(|| line.trim_start().strip_prefix("//"))?;
    let rest = rest.trim_start().strip_prefix('@')?;
    let (name, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((name, arg.trim()))
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('#') || t.starts_with("//")
}

fn is_separator(line: &str) -> bool {
    line.trim_start().starts_with("###")
}

/// Parses a `.http` file (see the module doc for the convention).
pub fn parse_http_file(text: &str) -> Result<HttpFile, ParseError> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut file = HttpFile::default();
    let mut i = 0;
    while i < lines.len() {
        // One block: up to the next separator.
        let start = i;
        let mut end = i;
        while end < lines.len() && !(end > start && is_separator(lines[end])) {
            end += 1;
        }
        let first = if is_separator(lines[start]) { start + 1 } else { start };
        parse_block(&lines, first, end, &mut file)?;
        i = end.max(start + 1);
    }
    Ok(file)
}

fn parse_block(lines: &[&str], first: usize, end: usize, file: &mut HttpFile) -> Result<(), ParseError> {
    let mut i = first;
    // Leading comments and directives.
    while i < end && (lines[i].trim().is_empty() || is_comment(lines[i])) {
        if let Some((name, arg)) = directive(lines[i]) {
            file.steps.push(Step::Directive { line: i + 1, name: name.to_string(), arg: arg.to_string() });
        } else if is_comment(lines[i]) && file.title.is_none() && file.steps.is_empty() {
            let t = lines[i].trim_start().trim_start_matches('#').trim_start_matches("//").trim();
            if !t.is_empty() {
                file.title = Some(t.to_string());
            }
        }
        i += 1;
    }
    if i >= end {
        return Ok(());
    }
    let request_line = i + 1;
    let mut request = parse_request_line(lines[i], request_line)?;
    i += 1;
    while i < end && !lines[i].trim().is_empty() {
        if is_comment(lines[i]) {
            i += 1;
            continue;
        }
        let (name, value) = parse_header_line(lines[i], i + 1)?;
        request.headers.push((name, value));
        i += 1;
    }
    // Body lines until checks or trailing directives; checks and directives after the body.
    let mut body: Vec<&str> = Vec::new();
    let mut checks = Vec::new();
    let mut after = Vec::new();
    let mut in_body = true;
    while i < end {
        let line = lines[i];
        if let Some(check) = line.strip_prefix('>') {
            in_body = false;
            checks.push((i + 1, check.trim().to_string()));
        } else if let Some((name, arg)) = directive(line) {
            in_body = false;
            after.push(Step::Directive { line: i + 1, name: name.to_string(), arg: arg.to_string() });
        } else if in_body && !is_comment(line) {
            body.push(line);
        }
        i += 1;
    }
    while body.first().is_some_and(|l| l.trim().is_empty()) {
        body.remove(0);
    }
    while body.last().is_some_and(|l| l.trim().is_empty()) {
        body.pop();
    }
    request.body = body.join("\n");
    file.steps.push(Step::Request(RequestItem { line: request_line, request, checks }));
    file.steps.extend(after);
    Ok(())
}

/// Replaces `{{name}}` in the target, header values and body with the given values. Unknown names stay.
pub fn substitute(req: &WireRequest, vars: &[(String, String)]) -> WireRequest {
    if vars.is_empty()
        || !(req.target.contains("{{")
            || req.body.contains("{{")
            || req.headers.iter().any(|(_, v)| v.contains("{{")))
    {
        return req.clone();
    }
    let replace = |text: &str| {
        let mut out = text.to_string();
        for (name, value) in vars {
            out = out.replace(&format!("{{{{{name}}}}}"), value);
        }
        out
    };
    WireRequest {
        method: req.method.clone(),
        target: replace(&req.target),
        headers: req.headers.iter().map(|(k, v)| (k.clone(), replace(v))).collect(),
        body: replace(&req.body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_raw_request_with_crlf_and_keeps_the_body() {
        let text = "POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TransferService.StopServer\r\n\r\n{\"ServerId\": \"s-01234567890abcdef\"}";
        let r = parse_request(text).unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), "/");
        assert_eq!(r.header("x-amz-target"), Some("TransferService.StopServer"));
        assert_eq!(r.body, "{\"ServerId\": \"s-01234567890abcdef\"}");
    }

    #[test]
    fn render_and_parse_round_trip() {
        let r = WireRequest::new("POST", "/v2.1/servers/x/action")
            .with_header("X-Auth-Token", "t")
            .with_body("{\"os-stop\": null}\n");
        assert_eq!(parse_request(&render_request(&r)).unwrap(), r);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse_request("POST / HTTP/1.1\nContent-Type application/json\n\n{}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("Name: value"));
        assert_eq!(parse_request("   \n").unwrap_err().line, 1);
        assert!(parse_request("DO IT NOW PLEASE").is_err());
        assert!(parse_request("POST nowhere HTTP/1.1").is_err());
    }

    #[test]
    fn bare_url_means_get() {
        let r = parse_request("http://127.0.0.1:8774/v2.1/servers").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.path(), "/v2.1/servers");
    }

    #[test]
    fn notes_declared_length_that_the_text_lacks() {
        let r = parse_request("POST /v2/p/servers/s/action HTTP/1.1\nContent-Length: 15\n\n").unwrap();
        assert!(request_notes(&r)[0].contains("Content-Length says 15"));
    }

    #[test]
    fn parses_http_files_with_directives_and_checks() {
        let text = "# A story\n# @set seed = 3\n\n###\nPOST / HTTP/1.1\nX-Amz-Target: T.Op\n\n{\"a\": 1}\n\n> status 200\n> body =\n\n# @advance 90s\n### second\nGET /v2.1/servers/{{id}}\nX-Auth-Token: t\n";
        let f = parse_http_file(text).unwrap();
        assert_eq!(f.title.as_deref(), Some("A story"));
        assert_eq!(f.steps.len(), 4);
        match &f.steps[1] {
            Step::Request(item) => {
                assert_eq!(item.line, 5);
                assert_eq!(item.request.body, "{\"a\": 1}");
                assert_eq!(item.checks, vec![(10, "status 200".to_string()), (11, "body =".to_string())]);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&f.steps[2], Step::Directive { name, arg, .. } if name == "advance" && arg == "90s")
        );
        match &f.steps[3] {
            Step::Request(item) => {
                let r = substitute(&item.request, &[("id".into(), "abc".into())]);
                assert_eq!(r.target, "/v2.1/servers/abc");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in ["", "\n\n", "###", "### \n\n###", "> x", "POST /\n:", "GET /\n\u{0}: x", "é /"] {
            let _ = parse_request(text);
            let _ = parse_http_file(text);
        }
    }
}
