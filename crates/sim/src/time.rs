//! Simulated time: a plain value, never read from a clock.
//!
//! `SimTime` counts milliseconds since the scenario started. Nothing in the simulator reads the wall clock
//! (`Instant::now` panics on `wasm32-unknown-unknown` anyway); callers pass time in.

use std::fmt;

/// A point on the simulated clock, in milliseconds since the scenario started; in JSON, that number.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct SimTime(pub u64);

impl SimTime {
    /// The start of every scenario.
    pub const ZERO: SimTime = SimTime(0);

    /// Milliseconds since the start.
    pub fn as_millis(self) -> u64 {
        self.0
    }

    /// This time plus `ms` milliseconds, saturating instead of overflowing.
    pub fn plus_millis(self, ms: u64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }

    /// Seconds since the start, as AWS timestamps carry them (epoch seconds with fractions).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl fmt::Display for SimTime {
    /// `T+00:01:30` or `T+00:01:30.250` when there are milliseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total_secs = self.0 / 1000;
        let ms = self.0 % 1000;
        let (h, m, s) = (total_secs / 3600, (total_secs / 60) % 60, total_secs % 60);
        if ms == 0 {
            write!(f, "T+{h:02}:{m:02}:{s:02}")
        } else {
            write!(f, "T+{h:02}:{m:02}:{s:02}.{ms:03}")
        }
    }
}

/// Parses a human duration such as `90s`, `1500ms`, `2m`, `1h` or `1m30s` into milliseconds.
///
/// Used by `.http` files (`# @advance 90s`), the CLI and the control API. Returns `None` for anything else,
/// including overflow.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let value: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" | "" => 1000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total = total.checked_add(value.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_as_clock() {
        assert_eq!(SimTime(90_000).to_string(), "T+00:01:30");
        assert_eq!(SimTime(3_723_250).to_string(), "T+01:02:03.250");
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration_ms("90s"), Some(90_000));
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms("250ms"), Some(250));
        assert_eq!(parse_duration_ms("2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms("15"), Some(15_000));
        assert_eq!(parse_duration_ms("x"), None);
        assert_eq!(parse_duration_ms("5 parsecs"), None);
        assert_eq!(parse_duration_ms("99999999999999999999s"), None);
    }
}
