//! Small text helpers Nova's wire format needs: serde_json spelled as Python's `json.dumps` spells JSON
//! (`", "` and `": "` separators, `ensure_ascii` escapes), percent-decoding of paths and query strings, the
//! timestamp formats Nova prints, and SHA-224 for `hostId`.
//!
//! Nothing here knows about servers; `responses.rs` and `errors.rs` build bodies with it.

use serde::Serialize;
use serde_json::ser::Formatter;
use std::borrow::Cow;
use std::fmt::Write as _;
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

/// Decodes `%XX` escapes (invalid escapes are kept as written; bytes that are not UTF-8 are replaced).
/// With `plus_is_space`, `+` becomes a space, as in query strings.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Cow<'_, str> {
    if !(text.contains('%') || (plus_is_space && text.contains('+'))) {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(if plus_is_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Appends `text` percent-encoded as Python's `urllib.parse.urlencode` does (`quote_plus`: letters,
/// digits and `_.-~` stay, a space becomes `+`).
pub fn push_form_encoded(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
}

/// The query string's `(name, value)` pairs, decoded, in order (empty names are skipped).
pub fn query_pairs(query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(p, true), Cow::Borrowed("")),
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

/// One media range of an `Accept` header: type, subtype, quality.
pub type AcceptRange<'a> = (&'a str, &'a str, f64);

/// Parses an `Accept` header as webob does; `None` when it is not valid (webob then accepts every offer).
/// Ranges with media-type parameters (before `q`) and `*/x` ranges are kept out: they match no
/// parameterless offer.
pub fn parse_accept(accept: &str) -> Option<Vec<AcceptRange<'_>>> {
    let mut ranges = Vec::new();
    for item in accept.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim();
        let (ty, sub) = media.split_once('/')?;
        if ty.is_empty() || sub.is_empty() {
            return None;
        }
        let mut q = 1.0;
        let mut media_params = false;
        let mut seen_q = false;
        for param in parts {
            let (name, value) = param.split_once('=')?;
            if name.trim().eq_ignore_ascii_case("q") && !seen_q {
                seen_q = true;
                match value.trim().parse::<f64>() {
                    Ok(v) if (0.0..=1.0).contains(&v) => q = v,
                    _ => return None,
                }
            } else if !seen_q {
                media_params = true;
            }
        }
        if !media_params && (ty != "*" || sub == "*") {
            ranges.push((ty, sub, q));
        }
    }
    Some(ranges)
}

/// The quality the most specific matching range gives the offer `ty/sub` (0 when none matches).
pub fn accept_quality(ranges: &[AcceptRange<'_>], ty: &str, sub: &str) -> f64 {
    let mut best: Option<(u8, f64)> = None;
    for &(rty, rsub, q) in ranges {
        let specificity = if rty.eq_ignore_ascii_case(ty) && rsub.eq_ignore_ascii_case(sub) {
            3
        } else if rty.eq_ignore_ascii_case(ty) && rsub == "*" {
            2
        } else if rty == "*" && rsub == "*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
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

const SHA256_K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const SHA224_IV: [u32; 8] =
    [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];

/// SHA-224 of `data` as 56 lowercase hex digits (Nova's `hostId` is `sha224(project_id + host)`).
pub fn sha224_hex(data: &[u8]) -> String {
    let mut h = SHA224_IV;
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(SHA256_K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *slot = slot.wrapping_add(v);
        }
    }
    let mut out = String::with_capacity(56);
    for word in &h[..7] {
        let _ = write!(out, "{word:08x}");
    }
    out
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
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("/servers/%41", false), "/servers/A");
        assert_eq!(percent_decode("a%zz%4", false), "a%zz%4");
        assert_eq!(percent_decode("a+b%20c", true), "a b c");
        assert_eq!(percent_decode("%", false), "%");
        assert_eq!(percent_decode("%ff", false), "\u{fffd}");
        let pairs = query_pairs("limit=2&marker=a%2Db&all_tenants&=x");
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1].1, "a-b");
        assert_eq!(pairs[2].1, "");
        let mut e = String::new();
        push_form_encoded(&mut e, "a b/c");
        assert_eq!(e, "a+b%2Fc");
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

    #[test]
    fn sha224_matches_reference_vectors() {
        assert_eq!(sha224_hex(b""), "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f");
        assert_eq!(sha224_hex(b"abc"), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
        assert_eq!(
            sha224_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"
        );
    }
}
