//! Importing curl commands, as API documentation prints them.
//!
//! [`parse_curl`] reads a command line the way a POSIX shell and curl would (quotes, `$'…'` escapes,
//! backslash-newline continuations, combined short options) and turns it into the [`WireRequest`] curl would
//! put on the wire, plus notes that explain what was changed or ignored on the way: a URL fragment curl never
//! sends, placeholders such as `{region}`, options that only affect curl's own output. Anything that cannot be
//! read faithfully (an unterminated quote, an option whose argument we cannot know, a body in a file the
//! browser cannot open) is a [`CurlError`] naming the problem, and so is a request curl itself would refuse
//! or send malformed (a space in the URL, in the method or in a header name): an import that succeeds is
//! always a request the raw HTTP parser reads. The other way, a request as a curl command, is
//! [`crate::snippets::curl_snippet`]: `parse_curl` reads it back to the same method, target, operation and
//! body (signing headers are curl's own `--aws-sigv4`).
//!
//! Nothing here runs a shell: variables and command substitutions stay as written, with a note.

use crate::wire::WireRequest;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt;

/// A request imported from a curl command, with notes about what curl would do differently from a naive
/// reading of the command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurlImport {
    /// The request curl would send (target in absolute form, as written, minus any fragment).
    pub request: WireRequest,
    /// Explanations of dropped, ignored or suspicious parts, one sentence or two each.
    pub notes: Vec<String>,
}

/// A curl command that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurlError {
    /// What is wrong, in words a reader can act on.
    pub message: String,
}

impl CurlError {
    fn new(message: impl Into<String>) -> Self {
        CurlError { message: message.into() }
    }
}

impl fmt::Display for CurlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CurlError {}

// ---------------------------------------------------------------------------------------------------------
// Shell word splitting
// ---------------------------------------------------------------------------------------------------------

/// The words of the first command, and what the shell reading found worth a note.
struct Words {
    words: Vec<String>,
    notes: Vec<String>,
    /// Shell variables and command substitutions left unexpanded (outside single quotes).
    unexpanded: Vec<String>,
}

/// Splits `input` into words like a POSIX shell, stopping at the end of the first command.
fn split_words(input: &str) -> Result<Words, CurlError> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Words { words: Vec::new(), notes: Vec::new(), unexpanded: Vec::new() };
    let mut word = String::new();
    // A word can be empty but present (`''`), so track presence separately from the text.
    let mut in_word = false;
    let mut i = 0;
    let n = chars.len();
    let finish = |word: &mut String, in_word: &mut bool, out: &mut Words| {
        if *in_word {
            out.words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while i < n {
        let c = chars[i];
        match c {
            // Continuations: backslash (POSIX), caret (Windows cmd), backtick (PowerShell) before a newline.
            '\\' | '^' | '`' if is_line_end(&chars, i + 1) => {
                i = skip_line_end(&chars, i + 1);
            }
            // A backslash with only blanks after it on its line, or at the very end (a command copied without
            // its last line): a continuation as documentation means it, not an escaped blank or a word.
            '\\' if trailing_backslash(&chars, i) => {
                i = skip_line_end(&chars, skip_spaces(&chars, i + 1));
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    word.push(next);
                    i += 2;
                } else {
                    i += 1;
                }
                in_word = true;
            }
            '\'' => {
                let close = find_char(&chars, i + 1, '\'').ok_or_else(|| {
                    CurlError::new(format!(
                        "unterminated single quote: the ' opened at character {} is never closed",
                        i + 1
                    ))
                })?;
                word.extend(&chars[i + 1..close]);
                in_word = true;
                i = close + 1;
            }
            '"' => {
                i = read_double_quoted(&chars, i, &mut word, &mut out.unexpanded)?;
                in_word = true;
            }
            '$' if chars.get(i + 1) == Some(&'\'') => {
                i = read_ansi_c(&chars, i, &mut word)?;
                in_word = true;
            }
            '$' if chars.get(i + 1) == Some(&'"') => {
                // `$"…"` is a locale-translated string; without a translation it is a plain "…".
                i = read_double_quoted(&chars, i + 1, &mut word, &mut out.unexpanded)?;
                in_word = true;
            }
            '$' => {
                if let Some(var) = variable_at(&chars, i) {
                    out.unexpanded.push(var);
                }
                word.push('$');
                in_word = true;
                i += 1;
            }
            '#' if !in_word => {
                // A comment runs to the end of the line.
                while i < n && chars[i] != '\n' {
                    i += 1;
                }
            }
            '\n' | '\r' => {
                finish(&mut word, &mut in_word, &mut out);
                let next = skip_line_end(&chars, i);
                // A line break without a continuation ends the command in a shell. Documentation often wraps
                // a command anyway; when the next line clearly carries on (an option or a quoted word), join it.
                let rest_start = skip_blank(&chars, next);
                match chars.get(rest_start) {
                    None => i = rest_start,
                    Some('-') | Some('\'') | Some('"') => {
                        if !out.notes.iter().any(|m| m.starts_with("A line break")) {
                            out.notes.push(
                                "A line break without a trailing backslash would end the command in a shell; \
                                 the following lines look like more options, so they were read as part of it."
                                    .to_string(),
                            );
                        }
                        i = next;
                    }
                    Some(_) => {
                        let rest: String = chars[rest_start..].iter().collect();
                        out.notes.push(format!(
                            "Only the first command was imported; the text after it ({}) was ignored.",
                            abbreviate(rest.trim(), 40)
                        ));
                        return Ok(out);
                    }
                }
            }
            c if c.is_whitespace() => {
                finish(&mut word, &mut in_word, &mut out);
                i += 1;
            }
            '|' | ';' | '&' | '>' | '<' => {
                finish(&mut word, &mut in_word, &mut out);
                let rest: String = chars[i..].iter().collect();
                out.notes.push(format!(
                    "Only the curl command was imported; the shell text after it ({}) was ignored.",
                    abbreviate(rest.trim(), 40)
                ));
                return Ok(out);
            }
            _ => {
                word.push(c);
                in_word = true;
                i += 1;
            }
        }
    }
    finish(&mut word, &mut in_word, &mut out);
    Ok(out)
}

fn is_line_end(chars: &[char], i: usize) -> bool {
    match chars.get(i) {
        Some('\n') => true,
        Some('\r') => chars.get(i + 1) == Some(&'\n') || chars.get(i + 1).is_none(),
        _ => false,
    }
}

/// Skips one line end (`\n`, `\r\n` or `\r`) at `i`.
fn skip_line_end(chars: &[char], i: usize) -> usize {
    match chars.get(i) {
        Some('\r') if chars.get(i + 1) == Some(&'\n') => i + 2,
        Some('\r') | Some('\n') => i + 1,
        _ => i,
    }
}

/// Whether the backslash at `i` has nothing but spaces and tabs after it up to a line end or the end.
fn trailing_backslash(chars: &[char], i: usize) -> bool {
    let j = skip_spaces(chars, i + 1);
    j == chars.len() || is_line_end(chars, j)
}

/// Skips spaces and tabs from `i`.
fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while matches!(chars.get(i), Some(' ' | '\t')) {
        i += 1;
    }
    i
}

fn skip_blank(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

fn find_char(chars: &[char], from: usize, c: char) -> Option<usize> {
    chars.iter().skip(from).position(|&x| x == c).map(|p| p + from)
}

/// `$NAME`, `${…}`, `$(…)` starting at `i` (which holds `$`), as written.
fn variable_at(chars: &[char], i: usize) -> Option<String> {
    let next = *chars.get(i + 1)?;
    let end = match next {
        '{' => find_char(chars, i + 2, '}')? + 1,
        '(' => find_char(chars, i + 2, ')')? + 1,
        c if c.is_ascii_alphabetic() || c == '_' => {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            j
        }
        _ => return None,
    };
    Some(chars[i..end.min(chars.len())].iter().collect())
}

/// Reads `"…"` starting at `start` (the opening quote); returns the index after the closing quote.
fn read_double_quoted(
    chars: &[char],
    start: usize,
    word: &mut String,
    unexpanded: &mut Vec<String>,
) -> Result<usize, CurlError> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' => return Ok(i + 1),
            '\\' => match chars.get(i + 1) {
                // Inside double quotes a backslash only escapes these; a newline after it is a continuation.
                Some(&c @ ('"' | '\\' | '$' | '`')) => {
                    word.push(c);
                    i += 2;
                }
                Some('\n') => i += 2,
                Some('\r') if chars.get(i + 2) == Some(&'\n') => i += 3,
                _ => {
                    word.push('\\');
                    i += 1;
                }
            },
            '$' => {
                if let Some(var) = variable_at(chars, i) {
                    unexpanded.push(var);
                }
                word.push('$');
                i += 1;
            }
            c => {
                word.push(c);
                i += 1;
            }
        }
    }
    Err(CurlError::new(format!(
        "unterminated double quote: the \" opened at character {} is never closed",
        start + 1
    )))
}

/// Reads `$'…'` (ANSI-C quoting) starting at `start` (the `$`); returns the index after the closing quote.
fn read_ansi_c(chars: &[char], start: usize, word: &mut String) -> Result<usize, CurlError> {
    let mut i = start + 2;
    while i < chars.len() {
        match chars[i] {
            '\'' => return Ok(i + 1),
            '\\' => {
                let Some(&e) = chars.get(i + 1) else { break };
                i += 2;
                match e {
                    'n' => word.push('\n'),
                    't' => word.push('\t'),
                    'r' => word.push('\r'),
                    'a' => word.push('\u{7}'),
                    'b' => word.push('\u{8}'),
                    'e' | 'E' => word.push('\u{1b}'),
                    'f' => word.push('\u{c}'),
                    'v' => word.push('\u{b}'),
                    '\\' | '\'' | '"' | '?' => word.push(e),
                    'x' => {
                        let (value, used) = read_digits(chars, i, 16, 2);
                        if used == 0 {
                            word.push_str("\\x");
                        } else {
                            word.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                        }
                        i += used;
                    }
                    'u' | 'U' => {
                        let max = if e == 'u' { 4 } else { 8 };
                        let (value, used) = read_digits(chars, i, 16, max);
                        if used == 0 {
                            word.push('\\');
                            word.push(e);
                        } else {
                            word.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                        }
                        i += used;
                    }
                    '0'..='7' => {
                        let (value, used) = read_digits(chars, i - 1, 8, 3);
                        word.push(char::from_u32(value).unwrap_or('\u{fffd}'));
                        i = i - 1 + used;
                    }
                    'c' => {
                        // Control character: `\cA` is 0x01.
                        if let Some(&x) = chars.get(i) {
                            word.push(char::from_u32((x as u32) & 0x1f).unwrap_or('\u{fffd}'));
                            i += 1;
                        }
                    }
                    other => {
                        word.push('\\');
                        word.push(other);
                    }
                }
            }
            c => {
                word.push(c);
                i += 1;
            }
        }
    }
    Err(CurlError::new(format!(
        "unterminated $'…' quote: the $' opened at character {} is never closed",
        start + 1
    )))
}

/// Reads up to `max` digits in `radix` at `i`; returns the value and how many characters were used.
fn read_digits(chars: &[char], i: usize, radix: u32, max: usize) -> (u32, usize) {
    let mut value: u32 = 0;
    let mut used = 0;
    while used < max {
        let Some(d) = chars.get(i + used).and_then(|c| c.to_digit(radix)) else { break };
        value = value.saturating_mul(radix).saturating_add(d);
        used += 1;
    }
    (value, used)
}

fn abbreviate(text: &str, max_chars: usize) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if one_line.chars().count() <= max_chars {
        format!("'{one_line}'")
    } else {
        let cut: String = one_line.chars().take(max_chars).collect();
        format!("'{cut}…'")
    }
}

// ---------------------------------------------------------------------------------------------------------
// curl's options
// ---------------------------------------------------------------------------------------------------------

/// What an option does to the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Request,
    Url,
    Header,
    Data,
    DataRaw,
    DataBinary,
    DataUrlencode,
    Json,
    Get,
    Head,
    User,
    AwsSigv4,
    UserAgent,
    Referer,
    Cookie,
    OAuth2Bearer,
    Form,
    UploadFile,
    Config,
    Netrc,
    /// Takes an argument that does not change the request (output file, timeouts, TLS files …).
    IgnoredWithArg(&'static str),
    /// A flag that does not change the request.
    IgnoredFlag(&'static str),
    /// `--compressed`: curl adds `Accept-Encoding` and decompresses.
    Compressed,
    Help,
}

impl Opt {
    fn takes_arg(self) -> bool {
        !matches!(self, Opt::Get | Opt::Head | Opt::Netrc | Opt::IgnoredFlag(_) | Opt::Compressed | Opt::Help)
    }
}

const GLOBOFF: &str =
    "turns off curl's URL globbing ({a,b} sets, [1-9] ranges), which the playground never applies";

fn long_option(name: &str) -> Option<Opt> {
    use Opt::*;
    Some(match name {
        "request" => Request,
        "url" => Url,
        "header" | "proxy-header" => Header,
        "data" | "data-ascii" => Data,
        "data-raw" => DataRaw,
        "data-binary" => DataBinary,
        "data-urlencode" => DataUrlencode,
        "json" => Json,
        "get" => Get,
        "head" => Head,
        "user" => User,
        "aws-sigv4" => AwsSigv4,
        "user-agent" => UserAgent,
        "referer" => Referer,
        "cookie" => Cookie,
        "oauth2-bearer" => OAuth2Bearer,
        "form" | "form-string" => Form,
        "upload-file" => UploadFile,
        "config" => Config,
        "netrc" | "netrc-optional" => Netrc,
        "compressed" => Compressed,
        "help" | "manual" | "version" => Help,
        "output" | "cookie-jar" | "dump-header" | "write-out" | "stderr" | "trace" | "trace-ascii"
        | "output-dir" | "etag-save" | "etag-compare" | "libcurl" => {
            IgnoredWithArg("writes curl's own output")
        }
        "connect-timeout"
        | "max-time"
        | "retry"
        | "retry-delay"
        | "retry-max-time"
        | "max-redirs"
        | "limit-rate"
        | "speed-limit"
        | "speed-time"
        | "expect100-timeout"
        | "keepalive-time"
        | "happy-eyeballs-timeout-ms"
        | "parallel-max" => IgnoredWithArg("tunes timing, retries or redirects"),
        "cacert" | "capath" | "cert" | "key" | "cert-type" | "key-type" | "pass" | "ciphers" | "tls-max"
        | "pinnedpubkey" | "crlfile" | "curves" | "tls13-ciphers" | "proxy-cacert" | "proxy-cert"
        | "proxy-key" => IgnoredWithArg("configures TLS, which the simulator does not use"),
        "proxy"
        | "proxy-user"
        | "resolve"
        | "connect-to"
        | "interface"
        | "dns-servers"
        | "local-port"
        | "noproxy"
        | "socks5"
        | "socks5-hostname"
        | "preproxy"
        | "unix-socket"
        | "abstract-unix-socket"
        | "doh-url" => IgnoredWithArg("changes how curl connects, not what it sends"),
        "range" | "continue-at" | "time-cond" | "rate" | "variable" | "expand-url" | "url-query" => {
            IgnoredWithArg("is not simulated")
        }
        "silent" | "show-error" | "include" | "verbose" | "no-progress-meter" | "progress-bar" | "fail"
        | "fail-with-body" | "fail-early" | "no-buffer" | "styled-output" | "no-styled-output"
        | "remote-name" | "remote-header-name" | "remote-name-all" | "create-dirs" | "show-headers" => {
            IgnoredFlag("only affects what curl prints or saves")
        }
        "globoff" => IgnoredFlag(GLOBOFF),
        "location" | "location-trusted" | "post301" | "post302" | "post303" => {
            IgnoredFlag("follows redirects, and the simulator never redirects")
        }
        "insecure" | "ssl-no-revoke" | "ssl-reqd" | "ssl" | "tlsv1" | "tlsv1.0" | "tlsv1.1" | "tlsv1.2"
        | "tlsv1.3" | "sslv2" | "sslv3" | "proxy-insecure" | "ssl-allow-beast" | "cert-status" => {
            IgnoredFlag("configures TLS, which the simulator does not use")
        }
        "http1.0"
        | "http1.1"
        | "http2"
        | "http2-prior-knowledge"
        | "http3"
        | "http3-only"
        | "ipv4"
        | "ipv6"
        | "tcp-nodelay"
        | "tcp-fastopen"
        | "no-keepalive"
        | "keepalive"
        | "path-as-is"
        | "raw"
        | "tr-encoding"
        | "no-sessionid"
        | "no-alpn"
        | "no-npn"
        | "disable"
        | "disable-eprt"
        | "disable-epsv"
        | "parallel"
        | "parallel-immediate"
        | "digest"
        | "basic"
        | "anyauth"
        | "ntlm"
        | "negotiate"
        | "compressed-ssh"
        | "suppress-connect-headers"
        | "retry-connrefused"
        | "retry-all-errors"
        | "proxytunnel"
        | "junk-session-cookies"
        | "no-clobber"
        | "remove-on-error"
        | "xattr" => IgnoredFlag("changes how curl connects, not what the service receives"),
        _ => return None,
    })
}

fn short_option(c: char) -> Option<Opt> {
    use Opt::*;
    Some(match c {
        'X' => Request,
        'H' => Header,
        'd' => Data,
        'G' => Get,
        'I' => Head,
        'u' => User,
        'A' => UserAgent,
        'e' => Referer,
        'b' => Cookie,
        'F' => Form,
        'T' => UploadFile,
        'K' => Config,
        'n' => Netrc,
        'h' | 'M' | 'V' => Help,
        'o' | 'c' | 'D' | 'w' => IgnoredWithArg("writes curl's own output"),
        'm' | 'y' | 'Y' => IgnoredWithArg("tunes timing, retries or redirects"),
        'E' => IgnoredWithArg("configures TLS, which the simulator does not use"),
        'x' | 'U' => IgnoredWithArg("changes how curl connects, not what it sends"),
        'r' | 'C' | 'z' | 't' | 'Q' | 'P' => IgnoredWithArg("is not simulated"),
        's' | 'S' | 'i' | 'v' | '#' | 'f' | 'N' | 'O' | 'J' | 'R' | 'q' => {
            IgnoredFlag("only affects what curl prints or saves")
        }
        'L' => IgnoredFlag("follows redirects, and the simulator never redirects"),
        'k' | '1' | '2' | '3' => IgnoredFlag("configures TLS, which the simulator does not use"),
        'g' => IgnoredFlag(GLOBOFF),
        '0' | '4' | '6' | 'j' | 'Z' | 'B' | 'l' | 'p' | 'a' => {
            IgnoredFlag("changes how curl connects, not what the service receives")
        }
        _ => return None,
    })
}

/// Everything the options said, before it is turned into a request.
#[derive(Default)]
struct Parsed {
    method: Option<String>,
    urls: Vec<String>,
    headers: Vec<(String, String)>,
    /// Header names whose curl default was removed with `-H 'Name:'`.
    removed: Vec<String>,
    data: Vec<String>,
    json: bool,
    get: bool,
    head: bool,
    user: Option<String>,
    sigv4: Option<String>,
    user_agent: Option<String>,
    referer: Option<String>,
    cookie: Option<String>,
    bearer: Option<String>,
    compressed: bool,
    ignored: Vec<(String, &'static str)>,
}

/// Imports a curl command as documentation prints it. See the module documentation.
pub fn parse_curl(command: &str) -> Result<CurlImport, CurlError> {
    let Words { words, mut notes, unexpanded } = split_words(command)?;
    let mut words = words.into_iter().peekable();
    // An optional shell prompt.
    while matches!(words.peek().map(String::as_str), Some("$") | Some("%") | Some(">") | Some("PS>")) {
        words.next();
    }
    match words.next() {
        Some(first) if is_curl(&first) => {}
        Some(first) if first.starts_with("http://") || first.starts_with("https://") => {
            return Err(CurlError::new(format!(
                "this is a URL, not a curl command: write it as curl '{}'",
                abbreviate_plain(&first, 60)
            )))
        }
        Some(first) => {
            return Err(CurlError::new(format!(
                "not a curl command: it starts with '{}' instead of curl",
                abbreviate_plain(&first, 40)
            )))
        }
        None => return Err(CurlError::new("the command is empty: paste a curl command")),
    }
    let mut p = Parsed::default();
    let mut options_done = false;
    while let Some(word) = words.next() {
        if options_done || !word.starts_with('-') || word == "-" {
            p.urls.push(word);
            continue;
        }
        if word == "--" {
            options_done = true;
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            if let Some((name, _)) = long.split_once('=') {
                if long_option(name).is_some() {
                    return Err(CurlError::new(format!(
                        "curl does not accept --{name}=…: write the value as the next word (--{name} VALUE)"
                    )));
                }
            }
            // `--no-` switches a boolean off; every boolean we know is harmless either way.
            let base = long
                .strip_prefix("no-")
                .filter(|b| matches!(long_option(b), Some(Opt::IgnoredFlag(_)) | Some(Opt::Compressed)));
            let opt = long_option(long).or_else(|| base.and_then(long_option)).ok_or_else(|| {
                CurlError::new(format!(
                    "unknown option --{long}: the simulator cannot tell whether it takes a value, so the rest of \
                     the command cannot be read reliably; remove it and try again"
                ))
            })?;
            let arg =
                if opt.takes_arg() { Some(words.next().ok_or_else(|| missing_arg(&word))?) } else { None };
            apply(&mut p, opt, &word, arg)?;
            continue;
        }
        // Short options, possibly combined (`-sSL`, `-XPOST`, `-H'…'`).
        let letters: Vec<char> = word.chars().skip(1).collect();
        let mut k = 0;
        while k < letters.len() {
            let c = letters[k];
            let opt = short_option(c).ok_or_else(|| {
                CurlError::new(format!(
                    "unknown option -{c}: the simulator cannot tell whether it takes a value, so the rest of the \
                     command cannot be read reliably; remove it and try again"
                ))
            })?;
            let name = format!("-{c}");
            if opt.takes_arg() {
                let rest: String = letters[k + 1..].iter().collect();
                let arg =
                    if rest.is_empty() { words.next().ok_or_else(|| missing_arg(&name))? } else { rest };
                apply(&mut p, opt, &name, Some(arg))?;
                break;
            }
            apply(&mut p, opt, &name, None)?;
            k += 1;
        }
    }
    build(p, &mut notes, &unexpanded)
}

fn abbreviate_plain(text: &str, max_chars: usize) -> String {
    let s: String = text.chars().take(max_chars).collect();
    if text.chars().count() > max_chars {
        format!("{s}…")
    } else {
        s
    }
}

fn is_curl(word: &str) -> bool {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    base.eq_ignore_ascii_case("curl") || base.eq_ignore_ascii_case("curl.exe")
}

fn missing_arg(option: &str) -> CurlError {
    CurlError::new(format!("option {option} needs a value, but the command ends after it"))
}

fn file_error(option: &str, arg: &str) -> CurlError {
    CurlError::new(format!(
        "{option} {arg} reads from a file, which the playground cannot open (a browser page has no access to \
         your files): paste the file's content instead, e.g. {option} '{{\"…\": \"…\"}}'"
    ))
}

fn apply(p: &mut Parsed, opt: Opt, name: &str, arg: Option<String>) -> Result<(), CurlError> {
    let arg = arg.unwrap_or_default();
    match opt {
        Opt::Request => p.method = Some(arg),
        Opt::Url => p.urls.push(arg),
        Opt::Header => {
            if let Some(file) = arg.strip_prefix('@') {
                return Err(file_error(name, &format!("@{file}")));
            }
            match arg.split_once(':') {
                Some((n, v)) => {
                    let v = v.trim();
                    if v.is_empty() {
                        p.removed.push(n.trim().to_string());
                    } else {
                        p.headers.push((n.trim().to_string(), v.to_string()));
                    }
                }
                None => match arg.strip_suffix(';') {
                    Some(n) => p.headers.push((n.trim().to_string(), String::new())),
                    None => p.ignored.push((
                        format!("{name} '{arg}'"),
                        "has no colon, so it is not a header; curl would send it malformed",
                    )),
                },
            }
        }
        Opt::Data | Opt::DataBinary | Opt::Json => {
            if let Some(file) = arg.strip_prefix('@') {
                return Err(file_error(name, &format!("@{file}")));
            }
            if opt == Opt::Json {
                // Repeated `--json` pieces are concatenated as they are; other data options join with `&`.
                let was_json = std::mem::replace(&mut p.json, true);
                match p.data.last_mut() {
                    Some(last) if was_json => last.push_str(&arg),
                    _ => p.data.push(arg),
                }
            } else {
                p.data.push(arg);
            }
        }
        Opt::DataRaw => p.data.push(arg),
        Opt::DataUrlencode => p.data.push(urlencode_data(name, &arg)?),
        Opt::Get => p.get = true,
        Opt::Head => p.head = true,
        Opt::User => p.user = Some(arg),
        Opt::AwsSigv4 => p.sigv4 = Some(arg),
        Opt::UserAgent => p.user_agent = Some(arg),
        Opt::Referer => p.referer = Some(arg),
        Opt::Cookie => {
            if arg.contains('=') {
                p.cookie = Some(arg);
            } else {
                p.ignored.push((format!("{name} {arg}"), "reads cookies from a file, which is not possible here"));
            }
        }
        Opt::OAuth2Bearer => p.bearer = Some(arg),
        Opt::Form => {
            return Err(CurlError::new(format!(
                "{name} builds a multipart/form-data upload, which the simulated APIs never take: send the JSON \
                 body with -d '…' instead"
            )))
        }
        Opt::UploadFile => return Err(file_error(name, &arg)),
        Opt::Config => {
            return Err(CurlError::new(format!(
                "{name} {arg} reads more options from a file, which the playground cannot open: paste the options \
                 into the command instead"
            )))
        }
        Opt::Netrc => p.ignored.push((name.to_string(), "reads credentials from ~/.netrc, which is not possible here")),
        Opt::Compressed => p.compressed = true,
        Opt::Help => {
            return Err(CurlError::new(format!("{name} asks curl about itself and sends no request")));
        }
        Opt::IgnoredWithArg(why) => p.ignored.push((format!("{name} {arg}"), why)),
        Opt::IgnoredFlag(why) => p.ignored.push((name.to_string(), why)),
    }
    Ok(())
}

/// `--data-urlencode`'s five forms: `content`, `=content`, `name=content`, `@file`, `name@file`.
fn urlencode_data(option: &str, arg: &str) -> Result<String, CurlError> {
    if let Some((name, content)) = arg.split_once('=') {
        if name.is_empty() {
            return Ok(percent_encode(content));
        }
        return Ok(format!("{name}={}", percent_encode(content)));
    }
    if arg.contains('@') {
        return Err(file_error(option, arg));
    }
    Ok(percent_encode(arg))
}

/// What curl's `--data-urlencode` leaves as it is: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

fn has_header(headers: &[(String, String)], name: &str) -> bool {
    headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name))
}

fn build(p: Parsed, notes: &mut Vec<String>, unexpanded: &[String]) -> Result<CurlImport, CurlError> {
    let mut urls = p.urls.into_iter();
    let raw_url = urls.next().ok_or_else(|| {
        CurlError::new("no URL: curl needs the address to send the request to (a bare URL or --url URL)")
    })?;
    let extra: Vec<String> = urls.map(|u| abbreviate(&u, 60)).collect();
    match extra.as_slice() {
        [] => {}
        [one] => notes.push(format!(
            "curl would send one request per URL; only the first was imported, the other one ({one}) was ignored."
        )),
        more => notes.push(format!(
            "curl would send one request per URL; only the first was imported, the other {} ({}) were ignored.",
            more.len(),
            more.join(", ")
        )),
    }
    if raw_url.trim().is_empty() {
        return Err(CurlError::new("the URL is empty: curl needs the address to send the request to"));
    }
    let (mut url, url_notes) = normalise_url(&raw_url);
    notes.extend(url_notes);

    let has_data = !p.data.is_empty();
    let mut body = if p.json { p.data.concat() } else { p.data.join("&") };
    let mut method = if p.head {
        "HEAD"
    } else if has_data && !p.get {
        "POST"
    } else {
        "GET"
    }
    .to_string();
    if p.get && has_data {
        let sep = if url.contains('?') { '&' } else { '?' };
        url = format!("{url}{sep}{body}");
        body.clear();
        notes.push("-G (--get) moved the data into the URL's query string and sends a GET.".to_string());
    }
    if let Some(m) = p.method {
        if m.is_empty() {
            return Err(CurlError::new("-X (--request) is empty: give a method such as POST"));
        }
        method = m;
    }

    let mut headers = p.headers;
    let explicit = |name: &str, headers: &[(String, String)], removed: &[String]| {
        has_header(headers, name) || removed.iter().any(|r| r.eq_ignore_ascii_case(name))
    };
    if has_data && !p.get && !explicit("Content-Type", &headers, &p.removed) {
        if p.json {
            headers.push(("Content-Type".to_string(), "application/json".to_string()));
        } else {
            headers.push(("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string()));
            notes.push(
                "With -d and no Content-Type header, curl sends Content-Type: application/x-www-form-urlencoded; \
                 the simulated APIs expect JSON, so add a -H 'Content-Type: …' header."
                    .to_string(),
            );
        }
    }
    if p.json && !explicit("Accept", &headers, &p.removed) {
        headers.push(("Accept".to_string(), "application/json".to_string()));
    }
    for name in &p.removed {
        notes.push(format!(
            "-H '{name}:' with no value tells curl not to send its own {name} header, so none is sent."
        ));
    }
    if let Some(ua) = p.user_agent {
        headers.push(("User-Agent".to_string(), ua));
    }
    if let Some(r) = p.referer {
        headers.push(("Referer".to_string(), r));
    }
    if let Some(c) = p.cookie {
        headers.push(("Cookie".to_string(), c));
    }
    if let Some(token) = p.bearer {
        headers.push(("Authorization".to_string(), format!("Bearer {token}")));
    }
    match (p.sigv4, p.user) {
        (Some(spec), user) => {
            let key = user.as_deref().and_then(|u| u.split(':').next()).unwrap_or("AKIDEXAMPLE").to_string();
            let (region, service) = sigv4_scope(&spec, &url);
            if !has_header(&headers, "Authorization") {
                headers.push((
                    "Authorization".to_string(),
                    format!(
                        "AWS4-HMAC-SHA256 Credential={key}/00000000/{region}/{service}/aws4_request, \
                         SignedHeaders=host, Signature=not-computed"
                    ),
                ));
            }
            notes.push(format!(
                "--aws-sigv4 '{spec}': curl would sign the request with these credentials. Signing is not \
                 simulated (the simulator never checks signatures), so a stand-in Authorization header naming \
                 the scope {region}/{service} was added instead."
            ));
        }
        (None, Some(user)) => {
            let (credentials, prompt) =
                if user.contains(':') { (user.clone(), false) } else { (format!("{user}:"), true) };
            if !has_header(&headers, "Authorization") {
                headers.push(("Authorization".to_string(), format!("Basic {}", BASE64.encode(credentials))));
            }
            let who = user.split(':').next().unwrap_or("");
            notes.push(if prompt {
                format!(
                    "-u '{who}' has no password; curl would prompt for one. An empty password was used in the \
                     Authorization: Basic header."
                )
            } else {
                format!(
                    "-u sends HTTP Basic credentials for '{who}' as an Authorization: Basic header; none of the \
                     simulated APIs authenticates this way (AWS signs requests, Nova takes X-Auth-Token)."
                )
            });
        }
        (None, None) => {}
    }
    if p.compressed {
        notes.push(
            "--compressed makes curl ask for a compressed response (Accept-Encoding) and unpack it; the \
             simulator always answers uncompressed, so it was ignored."
                .to_string(),
        );
    }
    if !p.ignored.is_empty() {
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for (opt, why) in p.ignored {
            match groups.iter_mut().find(|(w, _)| *w == why) {
                Some((_, opts)) => opts.push(opt),
                None => groups.push((why, vec![opt])),
            }
        }
        for (why, opts) in groups {
            let subject = if opts.len() == 1 { "it" } else { "each" };
            notes.push(format!("Ignored {}: {subject} {why}.", opts.join(", ")));
        }
    }
    let mut seen_vars: Vec<&str> = Vec::new();
    for var in unexpanded {
        if !seen_vars.contains(&var.as_str()) {
            seen_vars.push(var);
        }
    }
    if !seen_vars.is_empty() {
        notes.push(format!(
            "{} {} not expanded (there is no shell here) and {} sent literally: replace {} with the real value.",
            seen_vars.join(", "),
            if seen_vars.len() == 1 { "is" } else { "are" },
            if seen_vars.len() == 1 { "is" } else { "are" },
            if seen_vars.len() == 1 { "it" } else { "them" },
        ));
    }
    for (name, value) in &headers {
        for placeholder in placeholders(value) {
            notes.push(format!(
                "{placeholder} in the {name} header is a placeholder from the documentation: replace it with a \
                 real value."
            ));
        }
    }
    // What the raw editor shows is what is sent: the import either yields a request it reads back, or says
    // which part curl itself would refuse or send malformed.
    for (_, value) in &mut headers {
        *value = value.trim().to_string();
    }
    check_sendable(&method, &url, &headers, p.get && has_data)?;
    Ok(CurlImport { request: WireRequest { method, target: url, headers, body }, notes: dedup(notes) })
}

/// A character that cannot travel where it is, in words.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("the blank U+{:04X}", c as u32),
    }
}

/// Refuses a request that cannot be written as one HTTP/1.1 request line plus header lines, naming the part.
fn check_sendable(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    query_from_data: bool,
) -> Result<(), CurlError> {
    if !crate::http::is_token(method) {
        return Err(CurlError::new(format!(
            "-X {} is not an HTTP method: a method is one word such as POST or GET, without spaces or \
             quotes (curl would send it as written and the service could not read the request line)",
            abbreviate(method, 40)
        )));
    }
    if let Some((at, c)) = url.chars().enumerate().find(|(_, c)| c.is_whitespace() || c.is_control()) {
        let hint = if query_from_data {
            "; -G put the data there: use --data-urlencode for values with spaces"
        } else if c == ' ' {
            "; write a space in a URL as %20"
        } else {
            ""
        };
        return Err(CurlError::new(format!(
            "the URL {} contains {} at character {}: curl refuses such a URL (\"URL using bad/illegal \
             format\"){hint}",
            abbreviate(url, 60),
            describe(c),
            at + 1
        )));
    }
    for (name, value) in headers {
        if name.is_empty() {
            return Err(CurlError::new(format!(
                "the header ': {}' has no name before its colon: write it as -H 'Name: value'",
                abbreviate_plain(value, 40)
            )));
        }
        if !crate::http::is_token(name) {
            let bad = name.chars().find(|c| !crate::http::is_token(&c.to_string())).unwrap_or(' ');
            return Err(CurlError::new(format!(
                "the header name {} contains {}: a header name is one word (letters, digits and - such as \
                 X-Amz-Target), and curl would send it malformed",
                abbreviate(name, 40),
                describe_in_name(bad)
            )));
        }
        if let Some(c) = value.chars().find(|c| matches!(c, '\n' | '\r')) {
            return Err(CurlError::new(format!(
                "the {name} header's value contains {}: curl would send it as two header lines; give each \
                 header its own -H",
                describe(c)
            )));
        }
    }
    Ok(())
}

fn describe_in_name(c: char) -> String {
    if c.is_whitespace() || c.is_control() {
        describe(c)
    } else {
        format!("'{c}'")
    }
}

fn dedup(notes: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in notes.drain(..) {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// Region and service of an `--aws-sigv4 provider1[:provider2[:region[:service]]]` value, falling back to the
/// host name (`service.region.amazonaws.com`).
fn sigv4_scope(spec: &str, url: &str) -> (String, String) {
    let parts: Vec<&str> = spec.split(':').collect();
    let host = WireRequest::new("GET", url).host().unwrap_or("").to_string();
    let labels: Vec<&str> = host.split('.').collect();
    let region = parts
        .get(2)
        .map(|s| s.to_string())
        .or_else(|| labels.get(1).map(|s| s.to_string()))
        .unwrap_or_else(|| "us-east-1".to_string());
    let service = parts
        .get(3)
        .map(|s| s.to_string())
        .or_else(|| labels.first().map(|s| s.to_string()))
        .unwrap_or_else(|| "execute-api".to_string());
    (region, service)
}

/// `{name}`, `<name>` and `:name`-style placeholders a documentation page leaves for the reader.
fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [('{', '}'), ('<', '>')] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else { break };
            let inner = &after[..end];
            if !inner.is_empty()
                && inner.len() <= 40
                && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
                && inner.chars().any(|c| c.is_ascii_alphabetic())
            {
                out.push(format!("{open}{inner}{close}"));
            }
            rest = &after[end + close.len_utf8()..];
        }
    }
    out
}

/// Adds a missing scheme, drops a fragment, and explains both and any placeholders.
fn normalise_url(raw: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut url = raw.trim().to_string();
    if !url.contains("://") {
        url = format!("http://{url}");
        notes.push(format!("The URL has no scheme; curl assumes http://, so the request goes to {url}."));
    }
    if let Some(pos) = url.find('#') {
        let fragment = url[pos + 1..].to_string();
        url.truncate(pos);
        let mut note = format!(
            "The URL fragment '#{fragment}' was dropped: curl never sends the part of a URL after '#', so the \
             service does not receive it."
        );
        if let Some(target) = fragment.strip_prefix("X-Amz-Target=") {
            note.push_str(&format!(
                " In particular the service receives no X-Amz-Target header: the operation must be named in a \
                 header, -H 'X-Amz-Target: {target}'."
            ));
        } else if let Some((name, value)) = fragment.split_once('=') {
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                note.push_str(&format!(" If {name} is meant as a header, send it as -H '{name}: {value}'."));
            }
        }
        notes.push(note);
    }
    for placeholder in placeholders(&url) {
        let example = match placeholder.trim_matches(['{', '}', '<', '>']) {
            "region" => " (e.g. us-east-1)",
            "project_id" | "tenant_id" => " (the project id of your token)",
            "server_id" | "id" => " (an existing server's id)",
            _ => "",
        };
        notes.push(format!(
            "{placeholder} in the URL is a placeholder from the documentation, not part of a real address: \
             replace it{example}."
        ));
    }
    (url, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(cmd: &str) -> CurlImport {
        parse_curl(cmd).unwrap_or_else(|e| panic!("{cmd}: {e}"))
    }

    #[test]
    fn doc_portal_stop_server() {
        let got = import(
            "curl --request POST --url 'http://transfer.{region}.amazonaws.com/#X-Amz-Target=TransferService.StopServer' \
             --header 'accept: application/json' --header 'content-type: application/json'",
        );
        assert_eq!(got.request.method, "POST");
        assert_eq!(got.request.target, "http://transfer.{region}.amazonaws.com/");
        assert_eq!(got.request.header("content-type"), Some("application/json"));
        assert_eq!(got.request.header("X-Amz-Target"), None);
        assert_eq!(got.request.body, "");
        assert!(
            got.notes.iter().any(|n| n.contains("never sends") && n.contains("X-Amz-Target")),
            "{:?}",
            got.notes
        );
        assert!(got.notes.iter().any(|n| n.contains("{region}")));
    }

    #[test]
    fn data_defaults_to_post_and_form_content_type() {
        let got = import("curl https://h/x -d 'a=1' -d b=2");
        assert_eq!(got.request.method, "POST");
        assert_eq!(got.request.body, "a=1&b=2");
        assert_eq!(got.request.header("Content-Type"), Some("application/x-www-form-urlencoded"));
        let got = import("curl https://h/x");
        assert_eq!(got.request.method, "GET");
    }

    #[test]
    fn json_sets_content_type_and_accept() {
        let got = import(r#"curl --json '{"os-stop": null}' http://h/v2.1/servers/A/action"#);
        assert_eq!(got.request.method, "POST");
        assert_eq!(got.request.header("Content-Type"), Some("application/json"));
        assert_eq!(got.request.header("Accept"), Some("application/json"));
        assert_eq!(got.request.body, r#"{"os-stop": null}"#);
    }

    #[test]
    fn continuations_quotes_and_combined_flags() {
        let got = import(
            "$ curl -sSL -XPOST \\\n  -H \"X-Auth-Token: f064\" \\\r\n  -H'Accept: application/json' \\\n  \
             http://192.168.150.51:8774/v2/b72/servers/x/action --data $'{\"os-stop\":\\tnull}'",
        );
        assert_eq!(got.request.method, "POST");
        assert_eq!(got.request.header("X-Auth-Token"), Some("f064"));
        assert_eq!(got.request.header("Accept"), Some("application/json"));
        assert_eq!(got.request.body, "{\"os-stop\":\tnull}");
        assert!(got.notes.iter().any(|n| n.contains("-s, -S")), "{:?}", got.notes);
        assert!(got.notes.iter().any(|n| n.contains("-L")), "{:?}", got.notes);
    }

    #[test]
    fn windows_caret_continuation() {
        let got = import(
            "curl -X POST ^\r\n  \"http://h/\" ^\r\n  -H \"X-Amz-Target: TransferService.StopServer\"",
        );
        assert_eq!(got.request.header("X-Amz-Target"), Some("TransferService.StopServer"));
        assert_eq!(got.request.target, "http://h/");
    }

    #[test]
    fn user_becomes_basic_auth() {
        let got = import("curl -u alice:secret http://h/");
        assert_eq!(got.request.header("Authorization"), Some("Basic YWxpY2U6c2VjcmV0"));
        assert!(!got.notes.is_empty());
    }

    #[test]
    fn sigv4_is_noted_not_signed() {
        let got = import(
            "curl --aws-sigv4 'aws:amz:us-east-1:transfer' --user \"$AK:$SK\" https://transfer.us-east-1.amazonaws.com/ \
             -H 'X-Amz-Target: TransferService.StopServer' -H 'Content-Type: application/x-amz-json-1.1' \
             -d '{\"ServerId\":\"s-0123456789abcdef0\"}'",
        );
        let auth = got.request.header("Authorization").unwrap_or("");
        assert!(auth.contains("/us-east-1/transfer/aws4_request"), "{auth}");
        assert!(got.notes.iter().any(|n| n.contains("not simulated")));
        assert!(got.notes.iter().any(|n| n.contains("$AK")));
    }

    #[test]
    fn errors_are_clear() {
        let err = |cmd: &str| parse_curl(cmd).expect_err(cmd).message;
        assert!(err("curl 'http://h").contains("unterminated single quote"));
        assert!(err("curl \"http://h").contains("unterminated double quote"));
        assert!(err("curl -X POST").contains("no URL"));
        assert!(err("curl --frobnicate x http://h").contains("unknown option --frobnicate"));
        assert!(err("curl -d @body.json http://h").contains("file"));
        assert!(err("curl -H").contains("needs a value"));
        assert!(err("wget http://h").contains("not a curl command"));
        assert!(err("").contains("empty"));
        assert!(err("curl --request=POST http://h").contains("--request VALUE"));
    }

    /// curl itself refuses a URL with a space or a line break in it (curl 7.88: "URL using bad/illegal
    /// format"), and sends a method or header name with a space as written, which no service can read: the
    /// import refuses each, naming the part, instead of reporting success for a request that cannot be sent.
    #[test]
    fn requests_curl_would_refuse_or_mangle_are_refused_by_name() {
        let err = |cmd: &str| parse_curl(cmd).expect_err(cmd).message;
        let space = err(
            "curl -X POST \"https://transfer.us-east-1.amazonaws.com/ x\" -H \"X-Amz-Target: TransferService.StopServer\"",
        );
        assert!(
            space.starts_with("the URL 'https://transfer.us-east-1.amazonaws.com/ x' contains a space"),
            "{space}"
        );
        assert!(space.contains("%20"), "{space}");
        let newline = err("curl $'https://h/a\\nb'");
        assert!(newline.contains("the URL") && newline.contains("a line break"), "{newline}");
        assert!(err("curl -X \"PO ST\" https://h/").starts_with("-X 'PO ST' is not an HTTP method"));
        let name = err("curl -H \"X Amz: 1\" https://h/");
        assert!(name.starts_with("the header name 'X Amz' contains a space"), "{name}");
        assert!(err("curl -H ': 1' https://h/").contains("has no name"));
        assert!(err("curl -H $'X-A: 1\\r\\nX-B: 2' https://h/")
            .contains("X-A header's value contains a line break"));
        assert!(err("curl -G https://h/x -d 'a b'").contains("--data-urlencode"));
        assert!(err("curl ''").contains("the URL is empty"));
        // What the raw editor reads is still accepted: a lowercase method, an empty header, a tab in a value.
        let ok = import("curl -X post https://h/%20x -H 'X-Empty;' -H $'X-Tab: a\\tb' -A ' agent '");
        assert_eq!(ok.request.method, "post");
        assert_eq!(ok.request.header("X-Tab"), Some("a\tb"));
        assert_eq!(ok.request.header("User-Agent"), Some("agent"));
    }

    /// A command copied with its trailing continuation backslash (and maybe blanks after it) is complete: the
    /// backslash is not an extra, empty URL.
    #[test]
    fn a_trailing_backslash_is_not_an_extra_url() {
        for cmd in
            ["curl https://x/ \\", "curl https://x/ \\  ", "curl https://x/ \\ \n", "curl \\ \n https://x/"]
        {
            let got = import(cmd);
            assert_eq!(got.request.target, "https://x/", "{cmd:?}");
            assert!(got.notes.is_empty(), "{cmd:?}: {:?}", got.notes);
        }
        let got = import("curl https://x/ https://y/ 'https://z/'");
        assert_eq!(
            got.notes,
            ["curl would send one request per URL; only the first was imported, the other 2 ('https://y/', \
              'https://z/') were ignored."]
        );
        let got = import("curl https://x/ https://y/");
        assert!(got.notes[0].ends_with("the other one ('https://y/') was ignored."), "{:?}", got.notes);
    }

    #[test]
    fn pipeline_and_comments_are_cut() {
        let got = import("curl http://h/servers | jq .  # pretty");
        assert_eq!(got.request.target, "http://h/servers");
        assert!(got.notes.iter().any(|n| n.contains("jq")));
    }

    #[test]
    fn get_moves_data_to_query() {
        let got = import("curl -G http://h/x?a=1 -d b=2 --data-urlencode 'q=a b'");
        assert_eq!(got.request.method, "GET");
        assert_eq!(got.request.target, "http://h/x?a=1&b=2&q=a%20b");
        assert_eq!(got.request.body, "");
    }

    #[test]
    fn header_forms() {
        let got = import("curl http://h/ -H 'X-Empty;' -H 'Content-Type:' -d x");
        assert_eq!(got.request.headers, vec![("X-Empty".to_string(), String::new())]);
    }
}
