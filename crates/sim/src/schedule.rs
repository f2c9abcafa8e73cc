//! Pending state transitions, ordered by due time and then by insertion.
//!
//! A provider schedules a completion when a request starts a transition; the `Sim` fires due entries in
//! `(due, seq)` order while advancing time. Each entry carries the sequence number the server recorded, so a
//! transition that was superseded (for example by a forced stop) is recognised as stale and ignored.

use crate::fleet::Provider;
use crate::time::SimTime;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One scheduled completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    /// When it fires.
    pub at: SimTime,
    /// Insertion number; also the token the server keeps to recognise its own entry.
    pub seq: u64,
    /// Which provider owns the server.
    pub provider: Provider,
    /// The server's key in that provider.
    pub key: String,
}

/// The queue of pending completions: a min-heap on `(due, seq)`. `seq` is unique, so the order is total and
/// the same as a map keyed by `(due, seq)` would give (a heap is much less code in the web build).
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    entries: BinaryHeap<Reverse<(SimTime, u64, Provider, String)>>,
    next_seq: u64,
}

impl Schedule {
    /// Schedules a completion and returns its sequence number.
    pub fn push(&mut self, at: SimTime, provider: Provider, key: &str) -> u64 {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.entries.push(Reverse((at, seq, provider, key.to_string())));
        seq
    }

    /// A fresh sequence number for a transition that has no due time (stuck until something intervenes).
    pub fn token(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Removes and returns the earliest entry due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<Due> {
        if self.next_due()? > until {
            return None;
        }
        let Reverse((at, seq, provider, key)) = self.entries.pop()?;
        Some(Due { at, seq, provider, key })
    }

    /// When the next entry fires, if any.
    pub fn next_due(&self) -> Option<SimTime> {
        self.entries.peek().map(|Reverse((at, ..))| *at)
    }

    /// Number of pending entries (stale ones included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_in_due_then_insertion_order() {
        let mut s = Schedule::default();
        s.push(SimTime(20), Provider::Nova, "b");
        s.push(SimTime(10), Provider::Transfer, "a");
        s.push(SimTime(20), Provider::Lightsail, "c");
        assert_eq!(s.next_due(), Some(SimTime(10)));
        assert_eq!(s.pop_due(SimTime(5)), None);
        let keys: Vec<_> = std::iter::from_fn(|| s.pop_due(SimTime(100))).map(|d| d.key).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert!(s.is_empty());
    }
}
