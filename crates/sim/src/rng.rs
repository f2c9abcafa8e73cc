//! The simulation's only source of randomness: a seeded SplitMix64 generator.
//!
//! Every id, request id, duration jitter and injected failure is drawn from one `SimRng` owned by the `Sim`,
//! at the moment a request is handled (never when a timer fires), so the same seed and the same requests give
//! the same transcript on every target. SplitMix64 is a few lines, has no platform-dependent parts, and its
//! output is pinned by a golden test below.

/// A seeded, portable pseudo-random generator (SplitMix64).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRng {
    state: u64,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl SimRng {
    /// A generator whose whole future output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        SimRng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in `lo..=hi` (returns `lo` when `hi <= lo`).
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo;
        if span == u64::MAX {
            return self.next_u64();
        }
        lo + self.next_u64() % (span + 1)
    }

    /// True with probability `rate` (clamped to 0..=1). Draws nothing when `rate <= 0`, so a scenario without
    /// faults keeps the same random stream as one that never mentions them.
    pub fn chance(&mut self, rate: f64) -> bool {
        if rate.is_nan() || rate <= 0.0 {
            return false;
        }
        if rate >= 1.0 {
            return true;
        }
        // 53 random bits → [0, 1); identical on every IEEE-754 target.
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < rate
    }

    /// `n` lowercase hex digits.
    pub fn hex(&mut self, n: usize) -> String {
        let mut out = Vec::with_capacity(n);
        let mut bits = 0u64;
        for i in 0..n {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(HEX[(bits & 0xf) as usize]);
            bits >>= 4;
        }
        // Only ASCII hex digits were written.
        String::from_utf8(out).unwrap_or_default()
    }

    /// A random (version 4) UUID in its canonical lowercase form.
    pub fn uuid(&mut self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&hi.to_be_bytes());
        bytes[8..].copy_from_slice(&lo.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let mut out = Vec::with_capacity(36);
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                out.push(b'-');
            }
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 0xf) as usize]);
        }
        // Only ASCII hex digits and hyphens were written.
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn golden_stream_is_pinned() {
        // Reference values of SplitMix64 for seed 0 (they match the published reference implementation).
        let mut rng = SimRng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn uuid_and_hex_are_pinned() {
        let mut rng = SimRng::new(7);
        assert_eq!(rng.uuid(), "63cbe1e4-5932-4dd7-844c-3cd7f43c661c");
        assert_eq!(rng.hex(21), "20a21bab0804896ebc92e");
    }

    #[test]
    fn uuid_is_version_4() {
        let mut rng = SimRng::new(7);
        let id = rng.uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn range_and_chance_stay_in_bounds() {
        let mut rng = SimRng::new(3);
        for _ in 0..1000 {
            let v = rng.range_inclusive(10, 20);
            assert!((10..=20).contains(&v));
        }
        assert!(!rng.chance(0.0));
        assert!(rng.chance(1.0));
        let hits = (0..10_000).filter(|_| rng.chance(0.25)).count();
        assert!((2000..3000).contains(&hits), "{hits}");
    }
}
