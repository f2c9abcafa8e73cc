//! The link to a followed `fleetplay serve` (see `state/live.rs` for what following means): the live stream
//! through the browser's `EventSource`, and the page's commands through `fetch`.
//!
//! - The stream: `GET /_fleetplay/live` as Server-Sent Events. The browser reconnects by itself when the
//!   stream breaks (the server stopped, restarted, or dropped a page that fell behind), after the `retry` the
//!   server sets; the new stream begins with a hello, from which the page rebuilds its mirror (and says so
//!   when it comes from another server process). When the server answers without a stream (403 for a refused
//!   origin, anything but a fleetplay server), the browser gives up: the hook asks `/_fleetplay/state` why,
//!   shows the reason, and tries again every few seconds.
//! - Messages are queued as they come and handed to the reducer in one batch per turn of the event loop, so
//!   a hello that replays thousands of exchanges costs one render, not thousands.
//! - Commands ([`Live::outbox`]) are sent one at a time, in order (a reset before the send that follows
//!   it), each answered with `LiveAction::Done`.

use super::StateHandle;
use crate::state::{Action, Command, Link, Live, LiveAction, Pending};
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use sim::live::{Message, SendAnswer, SendRequests};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// How long to wait before opening the stream again after the browser gave up on it.
const RETRY_MS: u32 = 3_000;

/// `EventSource.readyState` values.
const CONNECTING: u16 = 0;
const CLOSED: u16 = 2;

/// One open link: the stream, its listeners, and what waits to be handed to the reducer.
struct Stream {
    state: StateHandle,
    live: Live,
    source: RefCell<Option<(web_sys::EventSource, [EventListener; 2])>>,
    queue: RefCell<Vec<String>>,
    flush: RefCell<Option<Timeout>>,
    retry: RefCell<Option<Timeout>>,
    closed: Cell<bool>,
}

impl Stream {
    fn start(state: StateHandle, live: Live) -> Rc<Stream> {
        let stream = Rc::new(Stream {
            state,
            live,
            source: RefCell::new(None),
            queue: RefCell::new(Vec::new()),
            flush: RefCell::new(None),
            retry: RefCell::new(None),
            closed: Cell::new(false),
        });
        open(&stream);
        stream
    }

    fn close(&self) {
        self.closed.set(true);
        if let Some((source, _listeners)) = self.source.borrow_mut().take() {
            source.close();
        }
        self.flush.borrow_mut().take();
        self.retry.borrow_mut().take();
    }

    fn link(&self, link: Link) {
        self.state.dispatch(Action::Live(LiveAction::Link(link)));
    }
}

fn open(stream: &Rc<Stream>) {
    if stream.closed.get() {
        return;
    }
    let source = match web_sys::EventSource::new(&stream.live.endpoint("live")) {
        Ok(source) => source,
        Err(_) => {
            stream.link(Link::Refused(format!(
                "{} is not an address the browser can open.",
                stream.live.label()
            )));
            return;
        }
    };
    let on_message = {
        let stream = Rc::clone(stream);
        EventListener::new(&source, "message", move |event| {
            let Some(data) = event.dyn_ref::<web_sys::MessageEvent>().and_then(|m| m.data().as_string())
            else {
                return;
            };
            stream.queue.borrow_mut().push(data);
            if stream.flush.borrow().is_none() {
                let again = Rc::clone(&stream);
                *stream.flush.borrow_mut() = Some(Timeout::new(0, move || flush(&again)));
            }
        })
    };
    let on_error = {
        let stream = Rc::clone(stream);
        let source = source.clone();
        EventListener::new(&source.clone(), "error", move |_| {
            if stream.closed.get() {
                return;
            }
            match source.ready_state() {
                // The browser reconnects by itself.
                CONNECTING => stream.link(Link::Reconnecting),
                CLOSED => gave_up(&stream),
                _ => {}
            }
        })
    };
    *stream.source.borrow_mut() = Some((source, [on_message, on_error]));
}

/// The browser stopped trying (the server answered, but not with a stream): find out why, try again later.
fn gave_up(stream: &Rc<Stream>) {
    if let Some((source, _listeners)) = stream.source.borrow_mut().take() {
        source.close();
    }
    let probe = Rc::clone(stream);
    wasm_bindgen_futures::spawn_local(async move {
        let link = match request("GET", &probe.live.endpoint("state"), None).await {
            Err(Failure::Unreachable) => Link::Reconnecting,
            Err(Failure::Refused(reason)) => Link::Refused(reason),
            Ok(_) => Link::Refused(format!(
                "{} answers, but did not open its live stream; trying again.",
                probe.live.label()
            )),
        };
        if probe.closed.get() {
            return;
        }
        probe.link(link);
        let again = Rc::clone(&probe);
        *probe.retry.borrow_mut() = Some(Timeout::new(RETRY_MS, move || open(&again)));
    });
}

/// Hands the queued messages to the reducer in one batch.
fn flush(stream: &Rc<Stream>) {
    stream.flush.borrow_mut().take();
    let texts = std::mem::take(&mut *stream.queue.borrow_mut());
    let mut messages = Vec::with_capacity(texts.len());
    for text in texts {
        match Message::from_json(&text) {
            Ok(message) => messages.push(message),
            Err(e) => {
                stream.close();
                stream.link(Link::Refused(format!(
                    "{} sent a message this page does not understand ({e}): is it a fleetplay serve of the same \
                     version?",
                    stream.live.label()
                )));
                return;
            }
        }
    }
    if !messages.is_empty() {
        stream.state.dispatch(Action::Live(LiveAction::Messages { wall: storage::wall(), messages }));
    }
}

/// Why a request to the server did not succeed.
enum Failure {
    /// No answer at all (the server is down, or the browser refused to let the page read it).
    Unreachable,
    /// An answer other than 2xx, and the server's reason.
    Refused(String),
}

/// A request to the server's control API; the answer's text when it is 2xx.
async fn request(method: &str, url: &str, json: Option<String>) -> Result<String, Failure> {
    let window = web_sys::window().ok_or(Failure::Unreachable)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(json) = json {
        let headers = web_sys::Headers::new().map_err(|_| Failure::Unreachable)?;
        let _ = headers.append("Content-Type", "application/json");
        init.set_headers(&headers);
        init.set_body(&wasm_bindgen::JsValue::from_str(&json));
    }
    let response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| Failure::Unreachable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| Failure::Unreachable)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    if response.ok() {
        return Ok(text);
    }
    // The control API explains itself as {"error": "…"}.
    let reason = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string))
        .unwrap_or_else(|| format!("it answered {}", response.status()));
    Err(Failure::Refused(reason))
}

/// Carries out one command; the sequence numbers of the exchanges a send made.
async fn carry_out(live: &Live, command: &Command) -> Result<Vec<u64>, String> {
    let post = |path: String, json: Option<String>| {
        let url = live.endpoint(&path);
        async move {
            request("POST", &url, json).await.map_err(|failure| match failure {
                Failure::Unreachable => format!("{} did not answer.", live.label()),
                Failure::Refused(reason) => reason,
            })
        }
    };
    match command {
        Command::Send(requests) => {
            let body = SendRequests { request: None, requests: Cow::Borrowed(requests) }.to_json();
            let answer = post("send".into(), Some(body)).await?;
            let answer =
                SendAnswer::from_json(&answer).map_err(|e| format!("its answer cannot be read ({e})"))?;
            Ok(answer.exchanges.iter().map(|x| x.seq).collect())
        }
        Command::Step => post("step".into(), None).await.map(|_| Vec::new()),
        Command::Speed(speed) => post(format!("speed?value={speed}"), None).await.map(|_| Vec::new()),
        Command::Reset { seed } => {
            let path = seed.map_or_else(|| "reset".to_string(), |seed| format!("reset?seed={seed}"));
            post(path, None).await.map(|_| Vec::new())
        }
        Command::Scenario { scenario, .. } => {
            post("scenario".into(), Some(scenario.to_json_pretty())).await.map(|_| Vec::new())
        }
    }
}

/// The commands of one link, sent one at a time.
struct Sender {
    live: Live,
    queue: RefCell<VecDeque<Pending>>,
    busy: Cell<bool>,
    /// The highest command id queued so far.
    queued: Cell<u64>,
}

fn drain(sender: Rc<Sender>, state: StateHandle) {
    if sender.busy.replace(true) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        loop {
            let Some(pending) = sender.queue.borrow_mut().pop_front() else { break };
            let result = carry_out(&sender.live, &pending.command).await;
            state.dispatch(Action::Live(LiveAction::Done { id: pending.id, result }));
        }
        sender.busy.set(false);
    });
}

/// Runs the link while the page follows a server: the stream (re-opened when the page asks for a fresh
/// replay, `Live::resyncs`) and the commands of [`Live::outbox`].
#[hook]
pub fn use_live_link(state: &StateHandle) {
    let live = state.live.clone();
    let key = live.as_ref().map(|l| (l.server.clone(), l.resyncs));
    {
        let state = state.clone();
        let live = live.clone();
        use_effect_with(key.clone(), move |_| {
            let stream = live.map(|live| Stream::start(state, live));
            move || {
                if let Some(stream) = stream {
                    stream.close();
                }
            }
        });
    }
    let sender = use_mut_ref(|| None::<Rc<Sender>>);
    let server = live.as_ref().map(|l| l.server.clone());
    let next_id = live.as_ref().map_or(0, |l| l.next_id);
    let state = state.clone();
    use_effect_with((server, next_id), move |(server, _)| {
        let Some(live) = live.filter(|_| server.is_some()) else {
            sender.borrow_mut().take();
            return;
        };
        let current = {
            let mut slot = sender.borrow_mut();
            if slot.as_ref().is_none_or(|s| s.live.server != live.server) {
                *slot = Some(Rc::new(Sender {
                    live: live.clone(),
                    queue: RefCell::new(VecDeque::new()),
                    busy: Cell::new(false),
                    queued: Cell::new(0),
                }));
            }
            slot.clone()
        };
        let Some(current) = current else { return };
        for pending in live.outbox.iter().filter(|p| p.id > current.queued.get()) {
            current.queued.set(pending.id);
            current.queue.borrow_mut().push_back(pending.clone());
        }
        drain(current, state);
    });
}
