//! The recent history of `fleetplay serve`: the last exchanges and events, bounded in count and in bytes,
//! so endless traffic cannot grow memory forever.
//!
//! Entries are kept as `Arc<Entry>`: taking a [`History::snapshot`] under the server's lock copies only
//! pointers, and the transcript is then rendered and streamed outside the lock ([`stream_chunks`]), so a
//! long transcript never holds up the clients. The byte bound uses an estimate of an entry's heap size
//! (its texts plus a fixed overhead), which is what a request or response body can make large; the count
//! bound is what a user configures. Older entries are dropped first and counted, so the control API can
//! say how much of the run the history still holds.

use bytes::Bytes;
use sim::transcript::{render_jsonl, render_text, Entry};
use std::collections::VecDeque;
use std::sync::Arc;

/// Heap bytes an entry costs beyond its texts: the structs, vectors and the diagnosis, roughly.
const ENTRY_OVERHEAD: usize = 1024;

/// Entries rendered into one chunk of a streamed transcript.
const ENTRIES_PER_CHUNK: usize = 64;

/// The bounded recent history.
#[derive(Debug)]
pub struct History {
    entries: VecDeque<(Arc<Entry>, usize)>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
    /// Entries dropped to respect the bounds since the last [`History::clear`].
    dropped: u64,
    /// Exchanges recorded since the last [`History::clear`], kept or not.
    exchanges: u64,
}

/// What the control API reports about the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Entries held now.
    pub kept: usize,
    /// Their estimated heap size.
    pub bytes: usize,
    /// Entries dropped since the last reset because of the bounds.
    pub dropped: u64,
    /// Exchanges since the last reset (kept or dropped).
    pub exchanges: u64,
    /// The configured bounds.
    pub max_entries: usize,
    /// The configured bounds.
    pub max_bytes: usize,
}

impl History {
    /// An empty history holding at most `max_entries` entries and about `max_bytes` bytes of them.
    pub fn new(max_entries: usize, max_bytes: usize) -> History {
        History { entries: VecDeque::new(), bytes: 0, max_entries, max_bytes, dropped: 0, exchanges: 0 }
    }

    /// Records an entry, dropping the oldest ones while a bound is exceeded.
    pub fn push(&mut self, entry: Entry) {
        self.push_shared(Arc::new(entry));
    }

    /// Records an entry that is also shared elsewhere (the live stream sends the same one).
    pub fn push_shared(&mut self, entry: Arc<Entry>) {
        if matches!(*entry, Entry::Exchange(_)) {
            self.exchanges += 1;
        }
        let size = estimated_size(&entry);
        if self.max_entries == 0 || size > self.max_bytes {
            self.dropped += 1;
            return;
        }
        self.entries.push_back((entry, size));
        self.bytes += size;
        while self.entries.len() > self.max_entries || self.bytes > self.max_bytes {
            let Some((_, size)) = self.entries.pop_front() else { break };
            self.bytes -= size;
            self.dropped += 1;
        }
    }

    /// Forgets everything, giving the memory back (the queue's buffer too, not only its entries).
    pub fn clear(&mut self) {
        self.entries = VecDeque::new();
        self.bytes = 0;
        self.dropped = 0;
        self.exchanges = 0;
    }

    /// The exchanges held now, oldest first (pointer copies), and how many exchanges since the last
    /// [`History::clear`] are no longer held: what a live subscriber replays, and whether it can.
    pub fn exchanges(&self) -> (Vec<Arc<Entry>>, u64) {
        let held: Vec<Arc<Entry>> = self
            .entries
            .iter()
            .filter(|(entry, _)| matches!(**entry, Entry::Exchange(_)))
            .map(|(entry, _)| Arc::clone(entry))
            .collect();
        let missing = self.exchanges - held.len() as u64;
        (held, missing)
    }

    /// The entries held now, oldest first, sharing them with the history (cheap: pointer copies).
    pub fn snapshot(&self) -> Vec<Arc<Entry>> {
        self.entries.iter().map(|(entry, _)| Arc::clone(entry)).collect()
    }

    /// Counters for the control API.
    pub fn counts(&self) -> Counts {
        Counts {
            kept: self.entries.len(),
            bytes: self.bytes,
            dropped: self.dropped,
            exchanges: self.exchanges,
            max_entries: self.max_entries,
            max_bytes: self.max_bytes,
        }
    }
}

/// The heap an entry holds, estimated from its texts.
fn estimated_size(entry: &Entry) -> usize {
    let headers = |h: &[(String, String)]| h.iter().map(|(k, v)| k.len() + v.len() + 48).sum::<usize>();
    match entry {
        Entry::Exchange(ex) => {
            ENTRY_OVERHEAD
                + ex.request.target.len()
                + ex.request.body.len()
                + headers(&ex.request.headers)
                + ex.response.body.len()
                + headers(&ex.response.headers)
                + ex.events.len() * 128
        }
        Entry::Event(_) => 256,
    }
}

/// How a transcript is rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON lines ([`render_jsonl`]).
    Jsonl,
    /// HTTP/1.1 text ([`render_text`]).
    Text,
}

/// The transcript of `entries` as chunks rendered one batch at a time, when the consumer asks for them.
///
/// The concatenation equals rendering all entries at once: JSON lines are independent, and the text form's
/// one rule between entries (an exchange after an event line starts with a blank line) is applied across
/// chunk boundaries here.
pub fn stream_chunks(entries: Vec<Arc<Entry>>, format: Format) -> impl Iterator<Item = Bytes> {
    let mut ended_with_blank_line: Option<bool> = None;
    let mut rest = entries.into_iter().peekable();
    std::iter::from_fn(move || {
        rest.peek()?;
        let mut out = String::new();
        for entry in rest.by_ref().take(ENTRIES_PER_CHUNK) {
            let one = std::slice::from_ref(entry.as_ref());
            match format {
                Format::Jsonl => out.push_str(&render_jsonl(one)),
                Format::Text => {
                    let after_event_line = if out.is_empty() {
                        ended_with_blank_line == Some(false)
                    } else {
                        !out.ends_with("\n\n")
                    };
                    if after_event_line && matches!(entry.as_ref(), Entry::Exchange(_)) {
                        out.push('\n');
                    }
                    out.push_str(&render_text(one));
                }
            }
        }
        ended_with_blank_line = Some(out.ends_with("\n\n"));
        Some(Bytes::from(out))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::{Scenario, Sim, WireRequest};

    /// A run with exchanges and events interleaved the way the text form separates them.
    fn run(requests: usize) -> Vec<Entry> {
        let mut sim = Sim::new(Scenario::builtin()).expect("the built-in scenario loads");
        let mut out = Vec::new();
        for i in 0..requests {
            // Stop and start in turn, so time produces events between the exchanges.
            let operation = if i % 2 == 0 { "StopServer" } else { "StartServer" };
            let stop = WireRequest::new("POST", "/")
                .with_header("Host", "transfer.us-east-1.amazonaws.com")
                .with_header("Content-Type", "application/x-amz-json-1.1")
                .with_header("X-Amz-Target", &format!("TransferService.{operation}"))
                .with_header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/transfer/aws4_request, SignedHeaders=host, Signature=0")
                .with_body("{\"ServerId\":\"s-0123456789abcdef0\"}");
            out.push(Entry::Exchange(sim.handle(stop)));
            if i % 3 != 2 {
                let to = sim.now().plus_millis(600_000);
                out.extend(sim.advance_to(to).into_iter().map(Entry::Event));
            }
        }
        let events = out.iter().filter(|e| matches!(e, Entry::Event(_))).count();
        assert!(requests < 2 || events * 4 >= requests, "the run has event lines between exchanges");
        out
    }

    fn streamed(entries: &[Entry], format: Format) -> String {
        let shared: Vec<Arc<Entry>> = entries.iter().cloned().map(Arc::new).collect();
        let bytes: Vec<u8> = stream_chunks(shared, format).flat_map(|b| b.to_vec()).collect();
        String::from_utf8(bytes).expect("UTF-8")
    }

    #[test]
    fn streaming_renders_exactly_what_rendering_at_once_does() {
        for n in [0, 1, 5, ENTRIES_PER_CHUNK - 1, ENTRIES_PER_CHUNK, 3 * ENTRIES_PER_CHUNK + 7] {
            let entries = run(n);
            assert_eq!(streamed(&entries, Format::Text), render_text(&entries), "{n} requests, text");
            assert_eq!(streamed(&entries, Format::Jsonl), render_jsonl(&entries), "{n} requests, jsonl");
        }
    }

    #[test]
    fn keeps_the_most_recent_entries_within_both_bounds() {
        let entries = run(40);
        let mut by_count = History::new(10, usize::MAX);
        for e in entries.iter().cloned() {
            by_count.push(e);
        }
        let counts = by_count.counts();
        assert_eq!(counts.kept, 10);
        assert_eq!(counts.dropped as usize, entries.len() - 10);
        assert_eq!(counts.exchanges, 40);
        let kept: Vec<Entry> = by_count.snapshot().iter().map(|e| (**e).clone()).collect();
        assert_eq!(kept, entries[entries.len() - 10..], "the newest ten, in order");

        let one = estimated_size(&entries[0]);
        let mut by_bytes = History::new(usize::MAX, 5 * one);
        for e in entries.iter().cloned() {
            by_bytes.push(e);
        }
        assert!(by_bytes.counts().bytes <= 5 * one);
        assert!(by_bytes.counts().kept >= 4, "{:?}", by_bytes.counts());

        by_bytes.clear();
        assert_eq!(by_bytes.counts().kept, 0);
        assert_eq!(by_bytes.counts().bytes, 0);
        assert_eq!(by_bytes.entries.capacity(), 0, "the buffer is given back");

        let mut none = History::new(0, usize::MAX);
        none.push(entries[0].clone());
        assert_eq!((none.counts().kept, none.counts().exchanges), (0, 1));
    }

    #[test]
    fn a_snapshot_is_unaffected_by_later_pushes_and_clears() {
        let entries = run(5);
        let mut history = History::new(3, usize::MAX);
        for e in entries.iter().cloned() {
            history.push(e);
        }
        let snapshot = history.snapshot();
        history.clear();
        for e in entries.iter().cloned() {
            history.push(e);
        }
        assert_eq!(snapshot.len(), 3);
        assert_eq!(*snapshot[2], entries[entries.len() - 1]);
    }
}
