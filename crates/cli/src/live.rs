//! The live stream of `fleetplay serve` (`GET /_fleetplay/live`, Server-Sent Events) and the clock that
//! moves simulated time on its own while the speed is above 0.
//!
//! What a subscriber receives is `sim::live`'s protocol: a hello, the run's exchanges that the history still
//! holds, `synced`, then every exchange, clock move and restart as it happens, in the order the simulation
//! saw them. Order is the whole point (a page replays them), so each item is published while the server's
//! lock is held, by the code that changed the simulation; publishing never waits:
//!
//! - Items go into one `tokio::sync::broadcast` channel of [`BUFFER`] items, shared by every subscriber. An
//!   exchange item is the same `Arc` the history holds, so publishing copies nothing; with no subscriber,
//!   nothing is published at all.
//! - Each subscriber's stream takes items at its own pace and renders them to JSON itself, outside the lock.
//!   A subscriber that falls [`BUFFER`] items behind (a stalled or vanished page) is dropped: its stream ends,
//!   its `EventSource` reconnects after the `retry` delay and replays from a fresh hello. So a slow page never
//!   holds up an SDK client, and never makes the server keep more than [`BUFFER`] items for it.
//! - On shutdown every stream ends, so Ctrl+C does not wait for open pages.
//!
//! Time: the server's simulated time follows the wall clock (times `--speed`) lazily, when a request comes.
//! [`run_clock`] makes state changes happen on time even when no request comes: it sleeps until the next
//! scheduled change is due (or until woken because a request, a speed change or a reset changed that), then
//! brings the simulation up to the wall clock, which publishes the `time` item the pages advance to.

use crate::handler::{lock, Shared};
use crate::server::Server;
use axum::response::sse::Event;
use sim::live::{fingerprint, Message};
use sim::transcript::Entry;
use sim::{Scenario, SimTime};
use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};

/// Items the live channel holds for subscribers that have not taken them yet; one further behind is dropped.
pub const BUFFER: usize = 256;

/// How long a page's `EventSource` waits before reconnecting (the SSE `retry` field).
pub const RETRY: Duration = Duration::from_secs(1);

/// How often an idle stream sends a comment line, so proxies and the client's own timeouts keep it open and
/// a vanished page is noticed (its write fails, or times out after `--client-timeout`).
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The longest [`run_clock`] sleeps without being woken (nothing scheduled, or time frozen).
const IDLE: Duration = Duration::from_secs(3600);

/// Something the simulation did, as published to subscribers.
#[derive(Clone, Debug)]
pub enum Item {
    /// A request was handled.
    Exchange(Arc<Entry>),
    /// Simulated time moved (or the speed changed).
    Time {
        /// The simulation's time now.
        now: SimTime,
        /// Simulated seconds per wall-clock second.
        speed: f64,
    },
    /// The simulation started again at T+0.
    Run {
        /// The run's number.
        run: u64,
        /// Its scenario.
        scenario: Arc<Scenario>,
        /// `reset` or `scenario`.
        cause: &'static str,
    },
    /// The server is shutting down: streams end.
    Closing,
}

/// The live channel and the server's identity, kept inside [`Server`].
#[derive(Debug)]
pub struct Hub {
    sender: broadcast::Sender<Item>,
    /// Identifies this server process (a page that reconnects to another one says the server restarted).
    pub instance: String,
    /// The current run, from 1.
    pub run: u64,
    /// Wakes [`run_clock`] when the next scheduled change may have moved.
    pub wake: Arc<Notify>,
}

impl Default for Hub {
    fn default() -> Hub {
        Hub::new()
    }
}

impl Hub {
    /// A hub with no subscribers, at run 1.
    pub fn new() -> Hub {
        let (sender, _) = broadcast::channel(BUFFER);
        Hub { sender, instance: instance_id(), run: 1, wake: Arc::new(Notify::new()) }
    }

    /// Sends `item` to every subscriber (nothing to do when there is none). Never waits.
    pub fn publish(&self, item: Item) {
        if self.sender.receiver_count() > 0 {
            // An error means the last subscriber left meanwhile: nobody to tell.
            let _ = self.sender.send(item);
        }
    }

    /// Ends every subscriber's stream.
    pub fn close(&self) {
        self.publish(Item::Closing);
    }

    fn subscribe(&self) -> broadcast::Receiver<Item> {
        self.sender.subscribe()
    }
}

/// A name for this server process that another process will not have: the start time and the process id.
fn instance_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    format!("{nanos:x}-{:x}", std::process::id())
}

/// What one subscriber gets: taken under the lock, rendered and sent after it is released.
pub struct Subscription {
    instance: String,
    run: u64,
    scenario: Arc<Scenario>,
    speed: f64,
    now: SimTime,
    missing: u64,
    replay: Vec<Arc<Entry>>,
    receiver: broadcast::Receiver<Item>,
}

impl Server {
    /// A new subscriber: the hello and the replay as of now, and the channel from now on (taken together
    /// under the lock, so no item is lost or sent twice in between).
    pub fn subscribe(&self) -> Subscription {
        let (replay, missing) = self.history.exchanges();
        Subscription {
            instance: self.live.instance.clone(),
            run: self.live.run,
            scenario: Arc::clone(&self.scenario),
            speed: self.speed,
            now: self.sim.now(),
            missing,
            // A run the history no longer holds whole cannot be replayed: the page follows the next one.
            replay: if missing == 0 { replay } else { Vec::new() },
            receiver: self.live.subscribe(),
        }
    }
}

/// A subscriber's events: the hello, the replay, `synced`, then the live items until the server shuts down or
/// the subscriber falls too far behind.
pub fn events(
    subscription: Subscription,
) -> impl futures_util::Stream<Item = Result<Event, Infallible>> + Send {
    use futures_util::StreamExt as _;
    let Subscription { instance, run, scenario, speed, now, missing, replay, receiver } = subscription;
    let hello = Message::Hello {
        instance: Cow::Owned(instance),
        run,
        scenario: Cow::Borrowed(&scenario),
        speed,
        missing,
    }
    .to_json();
    let head = std::iter::once(Event::default().retry(RETRY).data(hello))
        .chain(replay.into_iter().filter_map(|entry| exchange_message(&entry)))
        .chain(std::iter::once(data(&Message::Synced { now: now.as_millis(), speed })))
        .map(Ok);
    let tail = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            let item = match receiver.recv().await {
                Ok(Item::Closing) | Err(broadcast::error::RecvError::Closed) => return None,
                // Too far behind: end the stream; the page reconnects and replays (see the module doc).
                Err(broadcast::error::RecvError::Lagged(_)) => return None,
                Ok(item) => item,
            };
            if let Some(event) = item_message(&item) {
                return Some((Ok(event), receiver));
            }
        }
    });
    futures_util::stream::iter(head).chain(tail)
}

fn data(message: &Message<'_>) -> Event {
    Event::default().data(message.to_json())
}

fn exchange_message(entry: &Entry) -> Option<Event> {
    let Entry::Exchange(ex) = entry else { return None };
    Some(data(&Message::Exchange {
        seq: ex.seq,
        at: ex.at.as_millis(),
        request: Cow::Borrowed(&ex.request),
        status: ex.response.status,
        fingerprint: Cow::Owned(fingerprint(&ex.response)),
    }))
}

fn item_message(item: &Item) -> Option<Event> {
    match item {
        Item::Exchange(entry) => exchange_message(entry),
        Item::Time { now, speed } => Some(data(&Message::Time { now: now.as_millis(), speed: *speed })),
        Item::Run { run, scenario, cause } => Some(data(&Message::Run {
            run: *run,
            scenario: Cow::Borrowed(scenario),
            cause: Cow::Borrowed(cause),
        })),
        Item::Closing => None,
    }
}

/// Keeps simulated time moving while the speed is above 0 (see the module documentation); runs until the
/// runtime stops.
pub async fn run_clock(shared: Arc<Shared>) {
    let wake = Arc::clone(&lock(&shared.server).live.wake);
    loop {
        let wait = {
            let mut server = lock(&shared.server);
            server.sync();
            server.until_next_due(IDLE).unwrap_or(IDLE)
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = wake.notified() => {}
        }
    }
}
