//! String literals for each snippet language, so that any value from a request (a hostile instance name, a
//! body with quotes, newlines or control characters) stays inside its quotes.
//!
//! Every function here returns a complete literal, quotes included, that evaluates to exactly the input.

/// A word the shell passes through unchanged without quotes (no globbing, expansion or splitting).
fn is_plain_shell_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-./:@%+,=".contains(&b))
        && !s.starts_with(['=', '%'])
}

/// A POSIX shell word: bare when that is safe, otherwise single-quoted (`'it'\''s'`). Text with control
/// characters uses bash's `$'…'` quoting so nothing invisible ends up inside a copied command.
pub fn shell(s: &str) -> String {
    if is_plain_shell_word(s) {
        return s.to_string();
    }
    shell_quoted(s)
}

/// Always single-quoted (or `$'…'`), even when a bare word would do: for URLs, headers and bodies, so that
/// the commands read the same whatever the value.
pub fn shell_quoted(s: &str) -> String {
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return shell_ansi_c(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// bash ANSI-C quoting: `$'…'` with `\n`, `\t`, `\\`, `\'`, `\xHH` (ASCII) and `\uHHHH` escapes (bash reads
/// `\xHH` as a raw byte, so anything past ASCII must be `\u`).
fn shell_ansi_c(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    out.push_str("$'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A Python `str` literal in double quotes.
pub fn python(s: &str) -> String {
    double_quoted(s, hex_escape)
}

/// A JavaScript string literal in double quotes (never a template literal, so `${` is inert).
pub fn javascript(s: &str) -> String {
    double_quoted(s, hex_escape)
}

/// A Rust string literal.
pub fn rust(s: &str) -> String {
    double_quoted(s, |c| match c {
        '\0' => Some("\\0".to_string()),
        c if is_invisible(c) => Some(format!("\\u{{{:x}}}", c as u32)),
        _ => None,
    })
}

/// Python's and JavaScript's escape for the characters the shared ones leave: `\xNN` below 0x20 and for
/// DEL, `\uNNNN` for other controls and the line/paragraph separators (which end a line in older JavaScript).
fn hex_escape(c: char) -> Option<String> {
    if (c as u32) < 0x20 || c == '\u{7f}' {
        Some(format!("\\x{:02x}", c as u32))
    } else if is_invisible(c) {
        Some(format!("\\u{:04x}", c as u32))
    } else {
        None
    }
}

fn is_invisible(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// A double-quoted literal with the escapes all three languages share (`\\`, `\"`, `\n`, `\r`, `\t`);
/// `escape` spells any other character that needs it in the language at hand.
fn double_quoted(s: &str, escape: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => match escape(c) {
                Some(escaped) => out.push_str(&escaped),
                None => out.push(c),
            },
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_stay_bare_only_when_safe() {
        assert_eq!(shell("s-0123456789abcdef0"), "s-0123456789abcdef0");
        assert_eq!(shell("WordPress-1"), "WordPress-1");
        assert_eq!(shell("it's"), "'it'\\''s'");
        assert_eq!(shell("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(shell(""), "''");
        assert_eq!(shell("~root"), "'~root'");
        assert_eq!(shell("a\u{1b}b"), "$'a\\x1bb'");
        assert_eq!(shell_quoted("plain"), "'plain'");
    }

    #[test]
    fn language_literals_escape_quotes_and_controls() {
        let nasty = "a\"b\\c\nd\u{7}e\u{2028}";
        assert_eq!(python(nasty), "\"a\\\"b\\\\c\\nd\\x07e\\u2028\"");
        assert_eq!(javascript("${x}`"), "\"${x}`\"");
        assert_eq!(rust(nasty), "\"a\\\"b\\\\c\\nd\\u{7}e\\u{2028}\"");
        assert_eq!(rust("\r\0"), "\"\\r\\0\"");
    }
}
