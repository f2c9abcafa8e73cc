//! Pretty-printing for the response panel: JSON re-indented in its original member order and cut into
//! coloured tokens, and the error type and message read out of each provider's error envelope.
//!
//! The body is checked with serde_json first; the tokens are then cut from the text itself, because the
//! panel shows the answer as sent (member order, number spelling, escapes), which a parsed value no longer
//! holds.

use serde_json::Value;
use sim::WireResponse;

/// What a piece of text is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Whitespace, or text that is not JSON.
    Plain,
    /// Braces, brackets, commas, colons.
    Punct,
    /// An object key.
    Key,
    /// The error discriminator (`__type`, the Nova fault name).
    Discriminator,
    /// A string value.
    Str,
    /// A number.
    Num,
    /// `true`, `false`, `null`.
    Lit,
}

impl Tok {
    /// The CSS class of the token.
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "",
            Tok::Punct => "j-p",
            Tok::Key => "j-k",
            Tok::Discriminator => "j-d",
            Tok::Str => "j-s",
            Tok::Num => "j-n",
            Tok::Lit => "j-l",
        }
    }
}

/// The body as coloured tokens: re-indented when it is JSON, verbatim otherwise.
pub fn json_tokens(body: &str) -> Vec<(Tok, String)> {
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return vec![(Tok::Plain, body.to_string())];
    };
    let fault = fault_key(&value);
    let mut out: Vec<(Tok, String)> = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    let mut depth: usize = 0;
    let newline = |out: &mut Vec<(Tok, String)>, depth: usize| {
        out.push((Tok::Plain, format!("\n{}", "  ".repeat(depth))));
    };
    let next_non_ws = |from: usize| chars[from..].iter().copied().find(|c| !c.is_whitespace());
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '{' | '[' => {
                out.push((Tok::Punct, c.to_string()));
                i += 1;
                let close = if c == '{' { '}' } else { ']' };
                if next_non_ws(i) == Some(close) {
                    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                        i += 1;
                    }
                    out.push((Tok::Punct, close.to_string()));
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push((Tok::Punct, c.to_string()));
                i += 1;
            }
            ',' => {
                out.push((Tok::Punct, ",".to_string()));
                newline(&mut out, depth);
                i += 1;
            }
            ':' => {
                out.push((Tok::Punct, ":".to_string()));
                out.push((Tok::Plain, " ".to_string()));
                i += 1;
            }
            '"' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i = (i + 1).min(chars.len());
                let text: String = chars[start..i].iter().collect();
                let kind = if next_non_ws(i) == Some(':') {
                    let name = &text[1..text.len().saturating_sub(1).max(1)];
                    if name == "__type" || (depth == 1 && fault.as_deref() == Some(name)) {
                        Tok::Discriminator
                    } else {
                        Tok::Key
                    }
                } else {
                    Tok::Str
                };
                out.push((kind, text));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !matches!(chars[i], ',' | '}' | ']' | ':')
                    && !chars[i].is_whitespace()
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let kind =
                    if matches!(text.as_str(), "true" | "false" | "null") { Tok::Lit } else { Tok::Num };
                out.push((kind, text));
            }
        }
    }
    out
}

/// The Nova fault name of a body like `{"conflictingRequest": {"code": 409, "message": "…"}}`.
fn fault_key(value: &Value) -> Option<String> {
    let map = value.as_object()?;
    if map.len() != 1 {
        return None;
    }
    let (key, inner) = map.iter().next()?;
    let inner = inner.as_object()?;
    (inner.contains_key("message") || inner.contains_key("code")).then(|| key.clone())
}

/// An error as the panel headlines it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorSummary {
    /// The error type (`ValidationException`, `conflictingRequest` …).
    pub kind: String,
    /// Its message, when the body carries one.
    pub message: Option<String>,
}

/// The error type and message of an error response, read as lessons read them (`sim::envelope`); `None`
/// for a success or a body with no error shape.
pub fn error_summary(response: &WireResponse) -> Option<ErrorSummary> {
    if response.status < 400 {
        return None;
    }
    let kind = sim::envelope::error_type(response)?;
    Some(ErrorSummary { kind, message: sim::envelope::error_message(response) })
}

/// A count as the page writes numbers, with thousands separated by commas (`1,000`, `10,000`): one way
/// everywhere, in labels and texts alike.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `count(n)` and the noun, singular for one (`1 server`, `1,000 servers`).
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// The CSS class of a status code: `s2`, `s3`, `s4`, `s5`.
pub fn status_class(status: u16) -> &'static str {
    match status {
        200..=299 => "s2",
        300..=399 => "s3",
        400..=499 => "s4",
        _ => "s5",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> String {
        json_tokens(body).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn counts_are_written_with_thousands_separators() {
        let cases =
            [(0, "0"), (7, "7"), (999, "999"), (1000, "1,000"), (10000, "10,000"), (123456, "123,456")];
        for (n, text) in cases {
            assert_eq!(count(n), text);
        }
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(counted(1, "server", "servers"), "1 server");
        assert_eq!(counted(1000, "server", "servers"), "1,000 servers");
    }

    #[test]
    fn reindents_in_original_order() {
        assert_eq!(
            render(r#"{"b":1,"a":[true,null],"e":{}}"#),
            "{\n  \"b\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"e\": {}\n}"
        );
        assert_eq!(render("not json <b>"), "not json <b>");
        assert_eq!(render(""), "");
    }

    #[test]
    fn discriminators_are_marked() {
        let toks = json_tokens(r#"{"__type":"ValidationException","message":"x"}"#);
        assert!(toks.contains(&(Tok::Discriminator, "\"__type\"".into())));
        let toks = json_tokens(r#"{"conflictingRequest":{"code":409,"message":"Instance x is locked"}}"#);
        assert!(toks.contains(&(Tok::Discriminator, "\"conflictingRequest\"".into())));
        assert!(toks.contains(&(Tok::Num, "409".into())));
        assert!(toks.contains(&(Tok::Str, "\"Instance x is locked\"".into())));
    }

    #[test]
    fn escaped_quotes_stay_in_strings() {
        assert_eq!(render(r#"{"a":"x\"y"}"#), "{\n  \"a\": \"x\\\"y\"\n}");
    }

    #[test]
    fn summaries() {
        let r = |status: u16, body: &str| WireResponse::new(status).with_body(body.to_string());
        let s = error_summary(&r(400, r#"{"__type":"com.amazon.coral.service#UnknownOperationException"}"#));
        assert_eq!(s.map(|s| s.kind).as_deref(), Some("UnknownOperationException"));
        let s =
            error_summary(&r(404, r#"{"__type":"ResourceNotFoundException","Message":"Unknown server"}"#));
        assert_eq!(s.and_then(|s| s.message).as_deref(), Some("Unknown server"));
        let s = error_summary(&r(
            404,
            r#"{"itemNotFound":{"code":404,"message":"Instance Z has no mapping to a cell."}}"#,
        ));
        assert_eq!(s.map(|s| s.kind).as_deref(), Some("itemNotFound"));
        let s = error_summary(&r(401, r#"{"error":{"code":401,"title":"Unauthorized","message":"m"}}"#));
        assert_eq!(s.map(|s| s.kind).as_deref(), Some("Unauthorized"));
        assert_eq!(error_summary(&r(400, "")), None);
        assert_eq!(error_summary(&r(200, r#"{"__type":"NotAnError"}"#)), None, "a success is never an error");
        assert_eq!(error_summary(&r(400, r#"{"operations":[]}"#)), None);
    }
}
