//! A tiny deterministic generator for the page's randomised tests (no dependency needed): a failure names its
//! seed, and reruns identically.

/// A 64-bit linear congruential generator (Knuth's MMIX constants), returning its high bits.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// The next 31-bit value.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A value below `n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One of `items` (which must not be empty).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
