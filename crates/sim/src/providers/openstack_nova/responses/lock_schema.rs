//! The `lock` action's request schema from microversion 2.73 (`lock_v273`), as nova's validator and
//! jsonschema word their complaints: the body read as Python holds it ([`PyValue`], members in the body's
//! order) and printed as Python's `repr()` and `str()` print it.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value as Python's `json` module holds it, for messages that print it: an object keeps its
/// members in the body's order (a repeated key keeps its first place and takes its last value), where
/// `serde_json::Value` would sort them. Integers beyond 64 bits arrive as floats (Python would keep them
/// exact), the one place its printing can differ from Python's.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None` (JSON null).
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(i128),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `dict`, in insertion order.
    Dict(Vec<(String, PyValue)>),
}

impl<'de> Deserialize<'de> for PyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PyVisitor;
        impl<'de> Visitor<'de> for PyVisitor {
            type Value = PyValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<PyValue, E> {
                Ok(PyValue::None)
            }
            fn visit_bool<E>(self, v: bool) -> Result<PyValue, E> {
                Ok(PyValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<PyValue, E> {
                Ok(PyValue::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<PyValue, E> {
                Ok(PyValue::Int(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<PyValue, E> {
                Ok(PyValue::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<PyValue, E> {
                Ok(PyValue::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<PyValue, E> {
                Ok(PyValue::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PyValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(PyValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PyValue, A::Error> {
                let mut members: Vec<(String, PyValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, PyValue>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(PyValue::Dict(members))
            }
        }
        deserializer.deserialize_any(PyVisitor)
    }
}

impl PyValue {
    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        match self {
            PyValue::Str(s) => python_str_repr(s),
            other => other.str(),
        }
    }

    /// Python's `str()` (what `%s` prints).
    pub fn str(&self) -> String {
        match self {
            PyValue::None => "None".to_string(),
            PyValue::Bool(true) => "True".to_string(),
            PyValue::Bool(false) => "False".to_string(),
            PyValue::Int(i) => i.to_string(),
            PyValue::Float(f) => python_float_repr(*f),
            PyValue::Str(s) => s.clone(),
            PyValue::List(items) => {
                let inner: Vec<String> = items.iter().map(PyValue::repr).collect();
                format!("[{}]", inner.join(", "))
            }
            PyValue::Dict(members) => {
                let inner: Vec<String> =
                    members.iter().map(|(k, v)| format!("{}: {}", python_str_repr(k), v.repr())).collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text has a `'` and no `"`; backslash escapes for
/// the quote, `\\`, `\t`, `\n`, `\r`, and `\xNN` / `\uNNNN` / `\UNNNNNNNN` for characters Python does not
/// print (control characters, and the separators and format characters listed in [`is_unprintable`]).
pub fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_unprintable(c) => {
                let n = u32::from(c);
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Characters `str.isprintable()` refuses, as far as they can be told without Unicode's tables: control
/// characters, the space separators other than U+0020, the line and paragraph separators, the common
/// format characters, surrogates and private use. (Unassigned code points, which Python also escapes, are
/// printed as they are.)
fn is_unprintable(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || matches!(n, 0xa0 | 0xad | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064)
        || matches!(n, 0x2066..=0x206f | 0x3000 | 0xfeff | 0xfff9..=0xfffb | 0x600..=0x605 | 0x61c | 0x6dd)
        || matches!(n, 0x70f | 0x180e | 0xe000..=0xf8ff | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..)
}

/// Python's `repr()` of a float: the shortest digits that read back, in positional notation when the
/// decimal point falls within 16 digits of them (`0.0001`, `1e+16` and `1e-05` otherwise), always with a
/// fractional part or an exponent (`1.0`).
pub fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    // Rust's `{:e}` gives the same shortest digits: `1.2345e3`, `-5e-7`, `0e0`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1;
    let n = digits.len() as i32;
    let body = if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt >= n {
            format!("{digits}{}.0", "0".repeat((decpt - n) as usize))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let rest = if n > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let e = decpt - 1;
        format!("{}{rest}e{}{:02}", &digits[..1], if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

/// The first complaint nova's validator has about a `lock` body under schema `lock_v273` (microversion
/// 2.73 and later), worded as nova words it: `Invalid input for field/attribute <name>. Value: <str()>.
/// <jsonschema's message>`. `None` when the body passes. jsonschema walks the schema's keywords in order
/// (`type`, then `properties`, then `additionalProperties`), so a bad `locked_reason` is reported before an
/// unexpected member, and unexpected members are listed sorted.
pub fn lock_schema_error(body: &str) -> Option<String> {
    let PyValue::Dict(top) = serde_json::from_str::<PyValue>(body).ok()? else { return None };
    let (_, lock) = top.iter().find(|(k, _)| k == "lock")?;
    let invalid = |field: &str, value: &PyValue, message: String| {
        format!("Invalid input for field/attribute {field}. Value: {}. {message}", value.str())
    };
    let members = match lock {
        PyValue::None => return None,
        PyValue::Dict(members) => members,
        other => {
            return Some(invalid("lock", other, format!("{} is not of type 'object', 'null'", other.repr())))
        }
    };
    if let Some((_, reason)) = members.iter().find(|(k, _)| k == "locked_reason") {
        match reason {
            PyValue::Str(text) if text.is_empty() => {
                return Some(invalid(
                    "locked_reason",
                    reason,
                    format!("{} should be non-empty", reason.repr()),
                ))
            }
            PyValue::Str(text) if text.chars().count() > 255 => {
                return Some(invalid("locked_reason", reason, format!("{} is too long", reason.repr())))
            }
            PyValue::Str(_) => {}
            other => {
                return Some(invalid(
                    "locked_reason",
                    other,
                    format!("{} is not of type 'string'", other.repr()),
                ))
            }
        }
    }
    let mut extras: Vec<&str> =
        members.iter().map(|(k, _)| k.as_str()).filter(|k| *k != "locked_reason").collect();
    if extras.is_empty() {
        return None;
    }
    extras.sort_unstable();
    let names: Vec<String> = extras.iter().map(|k| python_str_repr(k)).collect();
    let verb = if extras.len() == 1 { "was" } else { "were" };
    let message = format!("Additional properties are not allowed ({} {verb} unexpected)", names.join(", "));
    Some(invalid("lock", lock, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What CPython prints for the same values (`repr(1e16)`, `str({'b': 1, 'a': True})` …).
    #[test]
    fn values_print_as_python_prints_them() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (1e-5, "1e-05"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (123456789.123, "123456789.123"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (2.5e-300, "2.5e-300"),
        ];
        for (f, python) in cases {
            assert_eq!(python_float_repr(f), python, "{f:?}");
        }
        assert_eq!(python_str_repr("plain"), "'plain'");
        assert_eq!(python_str_repr("it's"), "\"it's\"");
        assert_eq!(python_str_repr("'\""), "'\\'\"'");
        assert_eq!(python_str_repr("a\\b\tc\u{7}\u{a0}é\u{1f600}"), "'a\\\\b\\tc\\x07\\xa0é\u{1f600}'");
        let v: PyValue = serde_json::from_str(r#"{"b": 1, "a": true, "b": [null, 2.50, "x"]}"#).unwrap();
        assert_eq!(v.str(), "{'b': [None, 2.5, 'x'], 'a': True}");
    }

    /// Nova's answers to lock bodies under `lock_v273`, as its validator words them.
    #[test]
    fn lock_schema_complaints() {
        let cases = [
            (r#"{"lock": null}"#, None),
            (r#"{"lock": {}}"#, None),
            (r#"{"lock": {"locked_reason": "I don't want to work"}}"#, None),
            (
                r#"{"lock": "x"}"#,
                Some("Invalid input for field/attribute lock. Value: x. 'x' is not of type 'object', 'null'"),
            ),
            (
                r#"{"lock": [1, 2.5]}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: [1, 2.5]. [1, 2.5] is not of type 'object', \
                     'null'",
                ),
            ),
            (
                r#"{"lock": {"locked_reason": ""}}"#,
                Some("Invalid input for field/attribute locked_reason. Value: . '' should be non-empty"),
            ),
            (
                r#"{"lock": {"locked_reason": 5, "zzz": 1}}"#,
                Some("Invalid input for field/attribute locked_reason. Value: 5. 5 is not of type 'string'"),
            ),
            (
                r#"{"lock": {"b": 1, "a": true}}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: {'b': 1, 'a': True}. Additional properties \
                     are not allowed ('a', 'b' were unexpected)",
                ),
            ),
            (
                r#"{"lock": {"reason": "x"}}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: {'reason': 'x'}. Additional properties are \
                     not allowed ('reason' was unexpected)",
                ),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(lock_schema_error(body).as_deref(), want, "{body}");
        }
        let long = "é".repeat(256);
        let message = lock_schema_error(&format!(r#"{{"lock": {{"locked_reason": "{long}"}}}}"#));
        assert_eq!(
            message,
            Some(format!(
                "Invalid input for field/attribute locked_reason. Value: {long}. '{long}' is too long"
            ))
        );
        assert_eq!(
            lock_schema_error(&format!(r#"{{"lock": {{"locked_reason": "{}"}}}}"#, "é".repeat(255))),
            None
        );
    }
}
