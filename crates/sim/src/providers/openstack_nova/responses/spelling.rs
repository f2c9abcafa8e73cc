//! Spelling as Nova's Python writes it: JSON as `json.dumps` writes it ([`PythonFormatter`]), query strings
//! as `urllib.parse.urlencode` encodes them, and timestamps as `utils.isotime` and oslo's JSON encoder
//! print them.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io;

/// serde_json's output spelled as Python's `json.dumps` (default arguments) spells it, which is what Nova
/// (through oslo.serialization) puts on the wire: `", "` between members and elements, `": "` after a
/// key, and `ensure_ascii`: every character outside printable ASCII escaped as `\uXXXX` (lowercase hex,
/// a surrogate pair above U+FFFF), DEL included. The escapes serde_json itself writes (`\"`, `\\`,
/// `\n` … and `\u00XX` for other control characters) are the ones Python writes too.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        // Printable ASCII goes out as it is; the first byte outside it starts a character to escape.
        while let Some(at) = rest.bytes().position(|b| !(b' '..=b'~').contains(&b)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{fffd}');
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// `value` as JSON text the way Nova writes it ([`PythonFormatter`]), into a buffer of `capacity` bytes.
pub fn python_json(value: &impl Serialize, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Nova's shapes hold strings, numbers and lists only: writing them cannot fail, and the text is ASCII.
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// What Python's `urllib.parse.quote_plus` leaves as it is: letters, digits and `_.-~` (a space becomes `+`).
const QUOTE_PLUS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~');

/// Appends `text` percent-encoded as Python's `urllib.parse.urlencode` does (`quote_plus`).
pub fn push_form_encoded(out: &mut String, text: &str) {
    for (i, words) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(words, QUOTE_PLUS));
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

fn split_epoch(epoch_ms: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let secs = epoch_ms.div_euclid(1000);
    let ms = epoch_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, rem / 3600, (rem / 60) % 60, rem % 60, ms)
}

/// Nova's `utils.isotime`: `2026-01-05T09:00:00Z` (whole seconds, UTC).
#[cfg(test)]
pub fn isotime(epoch_ms: i64) -> String {
    let mut out = String::with_capacity(20);
    push_isotime(&mut out, epoch_ms);
    out
}

/// Appends [`isotime`] to `out`.
pub fn push_isotime(out: &mut String, epoch_ms: i64) {
    let (y, mo, d, h, mi, s, _) = split_epoch(epoch_ms);
    push_date_time(out, y, mo, d, h, mi, s);
    out.push('Z');
}

/// A naive datetime as oslo's JSON encoder prints it (`OS-SRV-USG:launched_at`):
/// `2026-01-05T09:00:00.000000`.
#[cfg(test)]
pub fn naive_micro(epoch_ms: i64) -> String {
    let mut out = String::with_capacity(26);
    push_naive_micro(&mut out, epoch_ms);
    out
}

/// Appends [`naive_micro`] to `out`.
pub fn push_naive_micro(out: &mut String, epoch_ms: i64) {
    let (y, mo, d, h, mi, s, ms) = split_epoch(epoch_ms);
    push_date_time(out, y, mo, d, h, mi, s);
    out.push('.');
    push_digits(out, ms, 3);
    out.push_str("000");
}

fn push_date_time(out: &mut String, y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) {
    push_digits(out, y, 4);
    out.push('-');
    push_digits(out, mo, 2);
    out.push('-');
    push_digits(out, d, 2);
    out.push('T');
    push_digits(out, h, 2);
    out.push(':');
    push_digits(out, mi, 2);
    out.push(':');
    push_digits(out, s, 2);
}

/// Appends `value` zero-padded to `width` digits (more digits when it is larger; a sign when negative).
fn push_digits(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    let mut v = value.unsigned_abs();
    let mut buf = [b'0'; 20];
    let mut n = 0;
    while v > 0 || n < width {
        if let Some(slot) = buf.get_mut(19 - n) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        n += 1;
        if n >= 20 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(buf.get(20 - n..).unwrap_or(&[])).unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_matches_python_dumps() {
        let value = serde_json::json!({"a": 1, "b": ["x", null, {}], "c": "é\"\\\n\u{1}\t\u{7f}😀 ~"});
        // json.dumps({"a": 1, "b": ["x", None, {}], "c": "é\"\\\n\x01\t\x7f😀 ~"})
        assert_eq!(
            python_json(&value, 0),
            r#"{"a": 1, "b": ["x", null, {}], "c": "\u00e9\"\\\n\u0001\t\u007f\ud83d\ude00 ~"}"#
        );
    }

    #[test]
    fn links_encode_their_query_as_python_does() {
        let mut e = String::new();
        push_form_encoded(&mut e, "a b/c~d é%20");
        // urllib.parse.quote_plus("a b/c~d é%20")
        assert_eq!(e, "a+b%2Fc~d+%C3%A9%2520");
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(days_from_civil(2026, 1, 5)), (2026, 1, 5));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let base = days_from_civil(2026, 1, 5) * 86_400_000 + 9 * 3_600_000;
        assert_eq!(isotime(base), "2026-01-05T09:00:00Z");
        assert_eq!(isotime(base - 600_000), "2026-01-05T08:50:00Z");
        assert_eq!(naive_micro(base + 1_250), "2026-01-05T09:00:01.250000");
        assert_eq!(isotime(days_from_civil(10_000, 1, 1) * 86_400_000), "10000-01-01T00:00:00Z");
        let mut out = String::new();
        push_digits(&mut out, -7, 2);
        assert_eq!(out, "-07");
    }
}
