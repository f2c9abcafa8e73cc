//! Following a `fleetplay serve` (`Live`, the `Action::Live` actions): one simulation, two views.
//!
//! While the page follows a server, the server's simulation is the one that counts; the page's [`Sim`] is
//! its mirror, changed only by the server's live stream (`sim::live`): each exchange is replayed at the
//! simulated time the server handled it, and the clock moves only to the times the server announces. The
//! simulator is deterministic, so the mirror's answers, events, fleet and diagrams are the server's, and the
//! page draws them with its usual views; each replayed answer is checked against the server's fingerprint,
//! and a mismatch (which would be a bug) makes the page say so and replay the server's history again.
//!
//! What the user does that would change the simulation becomes a [`Command`] to the server instead (Send,
//! "Stop all", pause and play, the speed, Step, Reset, new seed, faults, presets and scenario files): the
//! reducer puts it in [`Live::outbox`], the live hook (`hooks/live.rs`) sends it, and its effect comes back
//! through the stream like any other client's, so this page and every other client see the same fleet.
//! Lessons and imported sessions run on the page's own simulation, so they wait until the page disconnects.
//! The composer, selection and views stay the page's own.
//!
//! The mirror never runs ahead of the server: its clock shows the server's time (anchored at each message,
//! extrapolated at the server's speed between them) but the `Tick`s that would advance a local simulation do
//! nothing here. The page's own session stays in storage, untouched while it follows (autosave pauses), and
//! comes back on Disconnect. The mirror keeps at most [`KEPT`] timeline entries and requests, like the
//! server's history, so a server under load cannot grow the page's memory without bound.

use super::{AppState, Change, Clock, Entry, Notice, NoticeKind, SPEEDS};
use crate::session::Sent;
use sim::live::{fingerprint, Message};
use sim::{Event, Scenario, Sim, SimTime, WireRequest};
use std::rc::Rc;

/// Timeline entries (and requests) the mirror keeps: the server's default `--history`.
pub const KEPT: usize = 10_000;

/// The state of the link to the server, as the live hook sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Link {
    /// Opening the stream for the first time.
    Connecting,
    /// The stream is open (the server said hello).
    Open,
    /// The stream broke (the server stopped or restarted, the network went away); trying again.
    Reconnecting,
    /// The server answered, but not with a stream: why, in words (a refused origin, not a fleetplay server).
    Refused(String),
}

/// How far the mirror can follow the server's current run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Following {
    /// Waiting for the hello.
    Waiting,
    /// Replaying the run so far (between the hello and `synced`).
    Replaying,
    /// In step with the server.
    InStep,
    /// The run cannot be rebuilt here (its beginning left the server's history, or its scenario cannot
    /// start): the page shows why and follows the next run.
    Cannot(String),
}

/// Something the page asks the server to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Answer these requests (`POST /_fleetplay/send`).
    Send(Vec<WireRequest>),
    /// Jump to the next scheduled change (`POST /_fleetplay/step`).
    Step,
    /// Simulated seconds per wall second; 0 pauses (`POST /_fleetplay/speed`).
    Speed(u32),
    /// Start again at T+0, with another seed when given (`POST /_fleetplay/reset`).
    Reset {
        /// The new seed.
        seed: Option<u64>,
    },
    /// Load a scenario (`POST /_fleetplay/scenario`); `message` is said when it is done.
    Scenario {
        /// The scenario.
        scenario: Box<Scenario>,
        /// What the page says once the server took it.
        message: String,
    },
}

/// A command waiting for the live hook, or for the server's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// Increasing; the hook sends each id once, in order.
    pub id: u64,
    /// What to do.
    pub command: Command,
}

/// The page following a server.
#[derive(Clone, Debug, PartialEq)]
pub struct Live {
    /// The server's address (`http://127.0.0.1:4566`; the page's own origin when it came from the server;
    /// empty, in tests, for relative addresses).
    pub server: Rc<str>,
    /// The link's state.
    pub link: Link,
    /// How far the mirror follows the current run.
    pub following: Following,
    /// The server process last heard from (a different one means the server restarted).
    pub instance: Option<Rc<str>>,
    /// The server's current run.
    pub run: u64,
    /// The server's speed (simulated seconds per wall second; 0: frozen).
    pub speed: f64,
    /// The speed Play asks for (the last one picked or seen).
    pub resume_speed: u32,
    /// Commands not yet answered.
    pub outbox: Rc<Vec<Pending>>,
    /// The next command's id.
    pub next_id: u64,
    /// The exchange this page sent last, to show in the response panel once it arrives.
    pub show_seq: Option<u64>,
    /// Bumped when the mirror must be rebuilt from a fresh stream (the hook reconnects).
    pub resyncs: u64,
    /// Timeline entries and requests dropped to stay within [`KEPT`].
    pub dropped: u64,
}

/// The live actions: from the connect control and from the live hook.
#[derive(Clone, Debug, PartialEq)]
pub enum LiveAction {
    /// Follow the server at this address (empty: the server the page came from).
    Connect {
        /// Where.
        server: String,
    },
    /// The link's state changed.
    Link(Link),
    /// Messages from the stream, in order (the hook hands them over in batches).
    Messages {
        /// `performance.now()` when they were handed over.
        wall: f64,
        /// The messages.
        messages: Vec<Message<'static>>,
    },
    /// The server answered command `id`: the sequence numbers of the exchanges it made, or why it refused.
    Done {
        /// The command.
        id: u64,
        /// Exchanges made (a send's), or the reason it failed.
        result: Result<Vec<u64>, String>,
    },
    /// Stop following: back to the page's own session (`saved`: its text in storage, if any).
    Disconnect {
        /// `performance.now()`.
        wall: f64,
        /// The saved session.
        saved: Option<String>,
    },
}

impl Live {
    /// A link being opened to `server`.
    pub fn new(server: &str) -> Live {
        Live {
            server: server.into(),
            link: Link::Connecting,
            following: Following::Waiting,
            instance: None,
            run: 0,
            speed: 0.0,
            resume_speed: 1,
            outbox: Rc::new(Vec::new()),
            next_id: 1,
            show_seq: None,
            resyncs: 0,
            dropped: 0,
        }
    }

    /// The server's address for people: `127.0.0.1:4566`.
    pub fn label(&self) -> String {
        if self.server.is_empty() {
            return "this page's server".to_string();
        }
        self.server.split_once("://").map_or(&*self.server, |(_, rest)| rest).to_string()
    }

    /// The URL of an endpoint of the server's control API (`live`, `send` …).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}/_fleetplay/{path}", self.server)
    }
}

/// A server address typed or passed in the URL, as the page uses it: `http://host:port` without a trailing
/// slash (the scheme is added when missing), and whether it is on this machine (loopback), which a link may
/// connect to at once; any other address needs the user's click.
pub fn server_address(text: &str) -> Result<(String, bool), String> {
    let text = text.trim().trim_end_matches('/');
    let with_scheme = if text.contains("://") { text.to_string() } else { format!("http://{text}") };
    let bad = || format!("{text:?} is not a server address like http://127.0.0.1:4566");
    let (scheme, rest) = with_scheme.split_once("://").ok_or_else(bad)?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return Err(bad());
    }
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ', '"', '<', '>', '\\']) {
        return Err(bad());
    }
    let host = match rest.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => {
            port.parse::<u16>().map_err(|_| bad())?;
            host
        }
        _ => rest,
    };
    let host = host.to_ascii_lowercase();
    let local = host == "localhost"
        || host == "[::1]"
        || host
            .strip_prefix("127.")
            .is_some_and(|r| r.split('.').count() == 3 && r.split('.').all(|n| n.parse::<u8>().is_ok()));
    Ok((format!("{}://{}", scheme.to_ascii_lowercase(), rest.to_ascii_lowercase()), local))
}

/// `speed` simulated seconds per wall second as the page writes it (`1×`, `60×`, `0.5×`), without
/// formatting a float (three decimals at most).
pub fn speed_text(speed: f64) -> String {
    let thousandths = (speed.clamp(0.0, 1e12) * 1000.0).round() as u64;
    let (whole, fraction) = (thousandths / 1000, thousandths % 1000);
    if fraction == 0 {
        format!("{whole}×")
    } else {
        let digits = format!("{fraction:03}");
        format!("{whole}.{}×", digits.trim_end_matches('0'))
    }
}

impl AppState {
    /// The page at startup, about to follow `server`: an empty fleet until the server's hello arrives.
    pub fn connecting(server: &str, wall: f64) -> AppState {
        let mut state = AppState::new(Scenario::default(), wall).unwrap_or_else(|_| AppState::builtin(wall));
        state.live = Some(Live::new(server));
        state.clock = Clock::following(SimTime::ZERO, wall, 0.0, 1);
        state
    }

    /// Why the session cannot be exported now, when it cannot: following a server, the page holds the run
    /// only when it kept every request of it (an export replays them from T+0).
    pub fn export_refusal(&self) -> Option<String> {
        let live = self.live.as_ref()?;
        if live.dropped > 0 || !matches!(live.following, Following::InStep) {
            return Some(format!(
                "The page does not hold this whole run of {}, so an export would not replay it; the server's \
                 own record is at /_fleetplay/transcript.",
                live.label()
            ));
        }
        None
    }

    /// `Action::Live`.
    pub(super) fn live_action(&mut self, action: LiveAction) -> Change {
        match action {
            LiveAction::Connect { server } => {
                self.live = Some(Live::new(&server));
                self.undo = None;
                // A lesson follows the page's own simulation (it pauses and slows its clock).
                self.lesson = None;
                // Keep what is shown until the server's hello replaces it, but frozen: nothing local moves.
                self.clock = Clock::following(self.sim.now(), 0.0, 0.0, self.clock.speed);
                Change::Shown
            }
            LiveAction::Link(link) => {
                let Some(live) = self.live.as_mut() else { return Change::Nothing };
                if live.link == link {
                    return Change::Nothing;
                }
                live.link = link;
                Change::Shown
            }
            LiveAction::Messages { wall, messages } => self.follow(wall, messages),
            LiveAction::Done { id, result } => self.command_done(id, result),
            LiveAction::Disconnect { wall, saved } => {
                let Some(live) = self.live.take() else { return Change::Nothing };
                let mut local = saved
                    .and_then(|text| AppState::restore(&text, wall).ok())
                    .unwrap_or_else(|| AppState::builtin(wall));
                local.revision = self.revision;
                *self = local;
                self.toast(format!(
                    "Stopped following {}: the page runs its own simulation again, as you left it.",
                    live.label()
                ));
                Change::Shown
            }
        }
    }

    /// While following a server: what becomes of an action that would change the simulation (`None`: the
    /// action is the page's own, handled as usual). Sends are turned into commands where they are made
    /// (`sending.rs` calls [`AppState::send_to_server`]).
    pub(super) fn live_intercept(&mut self, action: &super::Action) -> Option<Change> {
        use super::Action;
        let live = self.live.as_mut()?;
        let change = match action {
            // Only the server's messages move the mirror's clock.
            Action::Tick { .. } => Change::Nothing,
            Action::SetPlaying { playing, .. } => {
                let speed = if *playing { live.resume_speed } else { 0 };
                self.command(Command::Speed(speed))
            }
            Action::SetSpeed { speed, .. } => {
                if !SPEEDS.contains(speed) {
                    return Some(Change::Nothing);
                }
                live.resume_speed = *speed;
                if live.speed > 0.0 {
                    self.command(Command::Speed(*speed))
                } else {
                    // Paused: the speed Play will use, as on the page's own clock.
                    self.clock.speed = *speed;
                    Change::Shown
                }
            }
            Action::Step { .. } => self.command(Command::Step),
            Action::Reset { seed, .. } => self.command(Command::Reset { seed: *seed }),
            Action::LoadScenario { scenario, message, .. } => {
                self.command(Command::Scenario { scenario: scenario.clone(), message: message.clone() })
            }
            Action::SetSkip { .. } => self.refuse("Skip animations"),
            Action::StartLesson { .. } | Action::RetryStep { .. } | Action::RestartLesson { .. } => {
                self.refuse("Lessons")
            }
            Action::ImportSession { .. } => self.refuse("Importing a session"),
            Action::UndoRestart { .. } => Change::Nothing,
            _ => return None,
        };
        Some(change)
    }

    fn refuse(&mut self, what: &str) -> Change {
        self.toast(format!(
            "{what} work on the page's own simulation: disconnect from the server first (the Disconnect button \
             at the top)."
        ));
        Change::Shown
    }

    /// Sends `requests` to the server instead of the mirror (Send, Send again, "Stop all").
    pub(super) fn send_to_server(&mut self, requests: Vec<WireRequest>) -> Change {
        if requests.is_empty() {
            self.toast("Nothing to send: no server is running.");
            return Change::Shown;
        }
        self.command(Command::Send(requests))
    }

    /// Queues `command` for the live hook.
    fn command(&mut self, command: Command) -> Change {
        let Some(live) = self.live.as_mut() else { return Change::Nothing };
        let id = live.next_id;
        live.next_id += 1;
        Rc::make_mut(&mut live.outbox).push(Pending { id, command });
        Change::Shown
    }

    fn command_done(&mut self, id: u64, result: Result<Vec<u64>, String>) -> Change {
        let Some(live) = self.live.as_mut() else { return Change::Nothing };
        let Some(at) = live.outbox.iter().position(|p| p.id == id) else { return Change::Nothing };
        let done = Rc::make_mut(&mut live.outbox).remove(at);
        match (result, done.command) {
            (Err(reason), _) => self.toast(format!("The server did not take it: {reason}")),
            (Ok(seqs), Command::Send(requests)) => {
                if requests.len() > 1 {
                    self.toast(format!("Sent {} stop requests to the server.", requests.len()));
                }
                // Show this page's answer (not another client's) once the stream has brought it.
                if let Some(&seq) = seqs.last() {
                    self.show_when_here(seq);
                }
            }
            (Ok(_), Command::Scenario { message, .. }) => self.toast(message),
            (Ok(_), Command::Step) if self.sim.next_due().is_none() => {
                self.toast("Nothing is in transition: no state change is scheduled.")
            }
            (Ok(_), _) => {}
        }
        Change::Shown
    }

    /// Shows exchange `seq` in the response panel now if the mirror has it, else when it arrives.
    fn show_when_here(&mut self, seq: u64) {
        let here = self.timeline.iter().rev().any(|e| matches!(e, Entry::Exchange(x) if x.seq == seq));
        if here {
            self.show_sent(seq);
        } else if let Some(live) = self.live.as_mut() {
            live.show_seq = Some(seq);
        }
    }

    /// As after a send of the page's own: the response panel shows it, its server is selected.
    fn show_sent(&mut self, seq: u64) {
        self.viewing = Some(seq);
        if let Some(ex) = self.shown_exchange().cloned() {
            if let (Some(p), Some(id)) = (ex.provider, ex.server.clone()) {
                if self.sim.server(p, &id).is_some() {
                    self.selected = Some((p, id));
                }
            }
        }
    }

    /// Applies the stream's messages, in order (see the module documentation).
    fn follow(&mut self, wall: f64, messages: Vec<Message<'static>>) -> Change {
        if self.live.is_none() {
            return Change::Nothing;
        }
        let mut rebuilt = false;
        let mut events: Vec<Event> = Vec::new();
        for message in messages {
            match message {
                Message::Hello { instance, run, scenario, speed, missing } => {
                    self.hello(wall, &instance, run, scenario.into_owned(), speed, missing);
                    rebuilt = true;
                    events.clear();
                }
                Message::Run { run, scenario, cause } => {
                    let seed = scenario.seed;
                    self.start_run(run, scenario.into_owned(), wall);
                    rebuilt = true;
                    events.clear();
                    let why = if cause == "reset" { "was reset" } else { "loaded a new scenario" };
                    self.toast(format!(
                        "The server {why}: its simulation starts again at T+0 (seed {seed})."
                    ));
                }
                Message::Exchange { seq, at, request, status: _, fingerprint: expected } => {
                    if !self.in_step() {
                        continue;
                    }
                    events.extend(self.mirror_advance(SimTime(at)));
                    let exchange = self.mirror_send(request.into_owned());
                    events.extend(exchange.events.iter().cloned());
                    if exchange.seq != seq
                        || exchange.at != SimTime(at)
                        || fingerprint(&exchange.response) != expected
                    {
                        self.drifted(seq);
                        rebuilt = true;
                        continue;
                    }
                    if self.live.as_ref().and_then(|l| l.show_seq) == Some(seq) {
                        self.show_sent(seq);
                        if let Some(live) = self.live.as_mut() {
                            live.show_seq = None;
                        }
                    }
                }
                Message::Time { now, speed } => {
                    if self.in_step() {
                        events.extend(self.mirror_advance(SimTime(now)));
                    }
                    self.follow_clock(SimTime(now), speed, wall);
                }
                Message::Synced { now, speed } => {
                    if let Some(live) = self.live.as_mut() {
                        if live.following == Following::Replaying {
                            live.following = Following::InStep;
                        }
                    }
                    if self.in_step() {
                        events.extend(self.mirror_advance(SimTime(now)));
                    }
                    self.follow_clock(SimTime(now), speed, wall);
                }
            }
        }
        self.keep_bounded();
        if rebuilt {
            self.refresh_fleet();
        } else {
            self.refresh_servers(&events);
        }
        Change::Shown
    }

    fn in_step(&self) -> bool {
        self.live.as_ref().is_some_and(|l| matches!(l.following, Following::Replaying | Following::InStep))
    }

    fn hello(&mut self, wall: f64, instance: &str, run: u64, scenario: Scenario, speed: f64, missing: u64) {
        let Some(live) = self.live.as_mut() else { return };
        let restarted = live.instance.as_deref().is_some_and(|before| before != instance);
        let reset_meanwhile = !restarted && live.instance.is_some() && live.run != run;
        live.instance = Some(instance.into());
        live.link = Link::Open;
        live.speed = speed;
        let label = live.label();
        let seed = scenario.seed;
        self.start_run(run, scenario, wall);
        if let Some(live) = self.live.as_mut() {
            if missing > 0 {
                live.following = Following::Cannot(format!(
                    "The server has answered {missing} more requests in this run than its history keeps \
                     (--history), so the page cannot rebuild its fleet. Reset the server to follow it from T+0, \
                     or start it with a larger --history."
                ));
            } else if live.following == Following::InStep {
                live.following = Following::Replaying;
            }
        }
        if restarted {
            self.notice = Some(Notice {
                kind: NoticeKind::Info,
                text: format!(
                    "The server at {label} restarted: the page now follows its new simulation (seed {seed}), \
                     from its start."
                ),
                unreadable_kept: false,
            });
        } else if reset_meanwhile {
            self.toast(format!(
                "The server was reset while the link was down: following it again from T+0 (seed {seed})."
            ));
        }
    }

    /// The mirror starts `scenario` at T+0 for run `run` (a hello, or the server restarting its simulation).
    fn start_run(&mut self, run: u64, scenario: Scenario, wall: f64) {
        let Some(live) = self.live.as_mut() else { return };
        live.run = run;
        live.show_seq = None;
        match Sim::new(scenario) {
            Ok(sim) => {
                live.following = Following::InStep;
                self.sim = Rc::new(sim);
            }
            Err(e) => {
                live.following = Following::Cannot(format!("The server's scenario cannot start here: {e}."));
            }
        }
        let speed = self.live.as_ref().map_or(0.0, |l| l.speed);
        self.timeline = Rc::new(Vec::new());
        self.sends = Rc::new(Vec::new());
        self.viewing = None;
        self.undo = None;
        self.selected = self.selected.take().filter(|(p, id)| self.sim.server(*p, id).is_some());
        self.follow_clock(SimTime::ZERO, speed, wall);
    }

    /// The mirror's clock moves to `at` (never back), with the state changes that fire on the way.
    fn mirror_advance(&mut self, at: SimTime) -> Vec<Event> {
        if at <= self.sim.now() {
            return Vec::new();
        }
        let events = self.sim_mut().advance_to(at);
        self.push_events(events.clone());
        events
    }

    /// The mirror answers a request the server answered, as a send of the page's own would be recorded.
    fn mirror_send(&mut self, request: WireRequest) -> Rc<sim::Exchange> {
        // No wall-clock stamp: the request was not sent from this page, and maybe not by a person.
        Rc::make_mut(&mut self.sends).push(Sent { at: self.sim.now(), request: request.clone(), wall: None });
        let exchange = Rc::new(self.sim_mut().handle(request));
        let timeline = Rc::make_mut(&mut self.timeline);
        timeline.push(Entry::Exchange(exchange.clone()));
        timeline.extend(exchange.events.iter().cloned().map(|e| Entry::Event(Rc::new(e))));
        exchange
    }

    /// The mirror answered exchange `seq` differently from the server: say so, and replay from a fresh stream.
    fn drifted(&mut self, seq: u64) {
        let Some(live) = self.live.as_mut() else { return };
        live.following = Following::Waiting;
        live.resyncs += 1;
        self.notice = Some(Notice {
            kind: NoticeKind::Warning,
            text: format!(
                "The page's copy of the simulation answered exchange #{seq} differently from the server, so it \
                 is replaying the server's history again. Please report this: it should never happen."
            ),
            unreadable_kept: false,
        });
    }

    /// The clock shows the server's time `now` from wall time `wall` on, running at `speed`.
    fn follow_clock(&mut self, now: SimTime, speed: f64, wall: f64) {
        let Some(live) = self.live.as_mut() else { return };
        live.speed = speed;
        if speed > 0.0 {
            live.resume_speed = nearest_speed(speed);
        }
        self.clock = Clock::following(now.max(self.sim.now()), wall, speed, live.resume_speed);
    }

    /// Drops the oldest timeline entries and requests beyond [`KEPT`] (a quarter at a time, so the copy is
    /// rare).
    fn keep_bounded(&mut self) {
        let over = |n: usize| n > KEPT + KEPT / 4;
        let mut dropped = 0;
        if over(self.timeline.len()) {
            let cut = self.timeline.len() - KEPT;
            Rc::make_mut(&mut self.timeline).drain(..cut);
            dropped += cut;
        }
        if over(self.sends.len()) {
            let cut = self.sends.len() - KEPT;
            Rc::make_mut(&mut self.sends).drain(..cut);
        }
        if let Some(live) = self.live.as_mut() {
            live.dropped += dropped as u64;
        }
    }
}

/// The clock bar's speed closest to `speed` (what Play asks for after a pause).
fn nearest_speed(speed: f64) -> u32 {
    SPEEDS
        .into_iter()
        .min_by(|a, b| (f64::from(*a) - speed).abs().total_cmp(&(f64::from(*b) - speed).abs()))
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops;
    use crate::state::Action;
    use crate::test_rng::Lcg;
    use sim::Provider;
    use std::borrow::Cow;

    /// A stand-in for `fleetplay serve`'s side of the stream: its simulation, and the messages it publishes
    /// for each thing it does (the real server is tested against the page in `crates/cli/tests/live.rs`).
    struct Server {
        sim: Sim,
        run: u64,
    }

    impl Server {
        fn new(scenario: Scenario) -> Server {
            Server { sim: Sim::new(scenario).unwrap(), run: 1 }
        }

        fn hello(&self, instance: &str) -> Vec<Message<'static>> {
            vec![
                Message::Hello {
                    instance: Cow::Owned(instance.into()),
                    run: self.run,
                    scenario: Cow::Owned(self.sim.scenario().clone()),
                    speed: 0.0,
                    missing: 0,
                },
                Message::Synced { now: self.sim.now().as_millis(), speed: 0.0 },
            ]
        }

        fn handle(&mut self, request: WireRequest) -> Message<'static> {
            let ex = self.sim.handle(request);
            Message::Exchange {
                seq: ex.seq,
                at: ex.at.as_millis(),
                request: Cow::Owned(ex.request.clone()),
                status: ex.response.status,
                fingerprint: Cow::Owned(fingerprint(&ex.response)),
            }
        }

        fn advance(&mut self, ms: u64) -> Message<'static> {
            self.sim.advance_by(ms);
            Message::Time { now: self.sim.now().as_millis(), speed: 0.0 }
        }
    }

    fn deliver(page: &mut AppState, messages: Vec<Message<'static>>) {
        page.apply(Action::Live(LiveAction::Messages { wall: 0.0, messages }));
    }

    /// Some request a client might send: an operation of the composer on a server of the fleet.
    fn some_request(page: &AppState, rng: &mut Lcg) -> WireRequest {
        let mut scratch = AppState::new(page.sim.scenario().clone(), 0.0).unwrap();
        if page.fleet.is_empty() {
            return WireRequest::new("POST", "/").with_header("X-Amz-Target", "TransferService.StopServer");
        }
        let server = rng.pick(&page.fleet).clone();
        scratch.apply(Action::SelectServer(server.provider, server.id.clone()));
        let op = rng.pick(ops::ops(server.provider));
        scratch.apply(Action::SetOperation(op.name.to_string()));
        scratch.draft().request().unwrap_or_else(|_| WireRequest::new("GET", "/nothing"))
    }

    fn same_fleet(page: &AppState, server: &Server) -> bool {
        page.fleet.iter().map(|v| (**v).clone()).collect::<Vec<_>>() == server.sim.fleet()
    }

    #[test]
    fn the_mirror_follows_the_server_message_by_message() {
        let mut server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, server.hello("one"));
        assert_eq!(page.live.as_ref().unwrap().following, Following::InStep);
        assert!(same_fleet(&page, &server));
        let mut rng = Lcg(7);
        for i in 0..400 {
            let message = match rng.below(4) {
                0 => server.advance(rng.below(120_000) as u64),
                _ => {
                    let request = some_request(&page, &mut rng);
                    server.handle(request)
                }
            };
            deliver(&mut page, vec![message]);
            assert!(same_fleet(&page, &server), "step {i}");
            assert_eq!(page.sim.now(), server.sim.now(), "step {i}");
            assert_eq!(page.sim.next_due(), server.sim.next_due(), "step {i}");
        }
        assert!(page.notice.is_none(), "{:?}", page.notice);
        assert_eq!(
            page.sends.len(),
            page.timeline.iter().filter(|e| matches!(e, Entry::Exchange(_))).count()
        );
        // The whole run is here: exported, it replays to the server's state.
        assert_eq!(page.export_refusal(), None);
        let replayed = AppState::restore(&page.session(0.0).to_json(), 0.0).unwrap();
        assert_eq!(replayed.sim.fleet(), server.sim.fleet());
    }

    #[test]
    fn a_late_subscriber_replays_the_run_from_its_hello() {
        let mut server = Server::new(Scenario::builtin());
        let mut rng = Lcg(11);
        let reference = AppState::new(Scenario::builtin(), 0.0).unwrap();
        let mut replay = Vec::new();
        for _ in 0..50 {
            server.advance(rng.below(30_000) as u64);
            replay.push(server.handle(some_request(&reference, &mut rng)));
        }
        server.advance(45_000);
        let mut messages = server.hello("one");
        let synced = messages.pop().unwrap();
        messages.extend(replay);
        messages.push(synced);
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, messages);
        assert!(same_fleet(&page, &server));
        assert_eq!(page.sim.now(), server.sim.now());
        assert_eq!(page.sends.len(), 50);
    }

    #[test]
    fn a_different_answer_is_reported_and_the_stream_is_replayed_again() {
        let mut server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, server.hello("one"));
        let request = some_request(&page, &mut Lcg(3));
        let Message::Exchange { seq, at, request, status, .. } = server.handle(request) else {
            unreachable!()
        };
        let tampered = Message::Exchange { seq, at, request, status, fingerprint: "0000000000000000".into() };
        deliver(&mut page, vec![tampered]);
        let live = page.live.as_ref().unwrap();
        assert_eq!((live.following.clone(), live.resyncs), (Following::Waiting, 1));
        assert!(page.notice.as_ref().is_some_and(|n| n.text.contains("differently")));
        // Until the new hello, nothing more is applied.
        deliver(&mut page, vec![server.advance(1_000)]);
        assert!(page.sends.len() == 1);
        deliver(&mut page, server.hello("one"));
        assert_eq!(page.live.as_ref().unwrap().following, Following::InStep);
    }

    #[test]
    fn a_new_server_process_is_announced_and_a_reset_restarts_the_mirror() {
        let mut server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("http://127.0.0.1:4566", 0.0);
        deliver(&mut page, server.hello("one"));
        assert!(page.notice.is_none());
        let request = some_request(&page, &mut Lcg(5));
        deliver(&mut page, vec![server.handle(request)]);
        assert_eq!(page.timeline.iter().filter(|e| matches!(e, Entry::Exchange(_))).count(), 1);

        // The same process again (a reconnect): silent.
        deliver(&mut page, server.hello("one"));
        assert!(page.notice.is_none());

        // Another process: said in a banner, and the mirror starts from the new one's state.
        let fresh = Server::new(Scenario { seed: 99, ..Scenario::builtin() });
        deliver(&mut page, fresh.hello("two"));
        let notice = page.notice.clone().expect("a banner");
        assert!(
            notice.text.contains("127.0.0.1:4566 restarted") && notice.text.contains("seed 99"),
            "{notice:?}"
        );
        assert!(page.timeline.is_empty() && page.sends.is_empty());

        let run = Message::Run { run: 2, scenario: Cow::Owned(Scenario::builtin()), cause: "reset".into() };
        deliver(&mut page, vec![run]);
        assert_eq!(page.live.as_ref().unwrap().run, 2);
        assert!(page.toast.as_ref().is_some_and(|(_, t)| t.contains("was reset")));
    }

    #[test]
    fn a_run_the_history_no_longer_holds_is_explained_and_the_next_one_is_followed() {
        let server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        let mut hello = server.hello("one");
        if let Message::Hello { missing, .. } = &mut hello[0] {
            *missing = 12;
        }
        deliver(&mut page, hello);
        assert!(
            matches!(&page.live.as_ref().unwrap().following, Following::Cannot(why) if why.contains("12 more"))
        );
        let run = Message::Run { run: 2, scenario: Cow::Owned(Scenario::builtin()), cause: "reset".into() };
        deliver(&mut page, vec![run]);
        assert_eq!(page.live.as_ref().unwrap().following, Following::InStep);
    }

    #[test]
    fn while_following_the_simulation_changes_only_through_the_server() {
        let server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, server.hello("one"));
        page.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        let before = page.sim.clone();
        for action in [
            Action::Send { wall: 1e6 },
            Action::StopAll { wall: 1e6 },
            Action::SetPlaying { wall: 1e6, playing: true },
            Action::Step { wall: 1e6 },
            Action::Reset { wall: 1e6, seed: Some(5) },
            Action::LoadScenario {
                wall: 1e6,
                scenario: Box::new(Scenario { seed: 6, ..Scenario::builtin() }),
                message: "Faults changed.".into(),
                undoable: true,
            },
            Action::Tick { wall: 1e9 },
            Action::SetSkip { wall: 1e6, skip: true },
        ] {
            page.apply(action);
        }
        assert!(Rc::ptr_eq(&before, &page.sim), "the mirror did not move");
        let commands: Vec<&Command> = page.live.as_ref().unwrap().outbox.iter().map(|p| &p.command).collect();
        assert!(
            matches!(commands[0], Command::Send(r) if r.len() == 1 && r[0].body.contains("s-0123456789abcdef0"))
        );
        assert!(matches!(commands[1], Command::Send(r) if r.len() > 5));
        assert_eq!(commands[2..5], [&Command::Speed(1), &Command::Step, &Command::Reset { seed: Some(5) }]);
        assert!(matches!(commands[5], Command::Scenario { scenario, .. } if scenario.seed == 6));
        assert_eq!(commands.len(), 6, "ticks and refusals send nothing");
        assert!(page.undo.is_none(), "nothing local was set aside");
        assert!(page.toast.as_ref().is_some_and(|(_, t)| t.contains("disconnect")));
        // The composer is still the page's own.
        assert!(page.apply(Action::SetField("ServerId".into(), "s-ffffffffffffffff0".into())));
    }

    #[test]
    fn the_page_shows_its_own_answer_when_it_arrives_and_refusals_in_a_toast() {
        let mut server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, server.hello("one"));
        page.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        page.apply(Action::Send { wall: 0.0 });
        let Command::Send(requests) = page.live.as_ref().unwrap().outbox[0].command.clone() else { panic!() };
        // Another client's request is handled first; the page's is the second.
        let other = some_request(&page, &mut Lcg(9));
        let first = server.handle(other);
        let mine = server.handle(requests[0].clone());
        page.apply(Action::Live(LiveAction::Done { id: 1, result: Ok(vec![2]) }));
        assert_eq!(page.live.as_ref().unwrap().show_seq, Some(2));
        deliver(&mut page, vec![first, mine]);
        assert_eq!(page.viewing, Some(2));
        assert!(page.live.as_ref().unwrap().outbox.is_empty());

        page.apply(Action::Step { wall: 0.0 });
        page.apply(Action::Live(LiveAction::Done { id: 2, result: Err("the server did not answer".into()) }));
        assert!(page.toast.as_ref().is_some_and(|(_, t)| t.contains("did not answer")));
    }

    #[test]
    fn disconnecting_brings_back_the_pages_own_session() {
        let mut own = AppState::builtin(0.0);
        own.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        own.apply(Action::Send { wall: 0.0 });
        let saved = own.session(0.0).to_json();
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, Server::new(Scenario { seed: 5, ..Scenario::builtin() }).hello("one"));
        assert_eq!(page.sim.scenario().seed, 5);
        page.apply(Action::Live(LiveAction::Disconnect { wall: 0.0, saved: Some(saved) }));
        assert!(page.live.is_none());
        assert_eq!(page.sends.len(), 1);
        assert_eq!(page.sim.scenario().seed, Scenario::builtin().seed);
    }

    #[test]
    fn the_mirror_keeps_a_bounded_timeline() {
        let mut server = Server::new(Scenario::builtin());
        let mut page = AppState::connecting("", 0.0);
        deliver(&mut page, server.hello("one"));
        let describe = WireRequest::new("POST", "/")
            .with_header("X-Amz-Target", "TransferService.DescribeServer")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_body("{\"ServerId\":\"s-0123456789abcdef0\"}");
        for _ in 0..(KEPT + KEPT / 2) / 500 {
            let batch = (0..500).map(|_| server.handle(describe.clone())).collect();
            deliver(&mut page, batch);
            assert!(page.timeline.len() <= KEPT + KEPT / 4 && page.sends.len() <= KEPT + KEPT / 4);
        }
        assert!(page.live.as_ref().unwrap().dropped > 0);
        assert!(page.notice.is_none(), "still in step: {:?}", page.notice);
        assert!(page.export_refusal().is_some_and(|why| why.contains("does not hold this whole run")));
    }

    /// Something a broken or hostile server could send (it is only followed on this machine, or after a
    /// click, but must never take the page down).
    fn odd_message(rng: &mut Lcg, page: &AppState) -> Message<'static> {
        let big = |rng: &mut Lcg| *rng.pick(&[0, 1, 90_000, 1 << 40, u64::MAX]);
        let speed = |rng: &mut Lcg| *rng.pick(&[0.0, 1.0, 0.001, 1e308, -5.0, 123.456]);
        let scenario = |rng: &mut Lcg| match rng.below(3) {
            0 => Scenario::builtin(),
            1 => Scenario::default(),
            _ => crate::presets::large(7, rng.next()),
        };
        match rng.below(6) {
            0 => Message::Hello {
                instance: Cow::Owned(["one", "two", ""][rng.below(3)].into()),
                run: big(rng),
                scenario: Cow::Owned(scenario(rng)),
                speed: speed(rng),
                missing: *rng.pick(&[0, 0, 3]),
            },
            1 => Message::Run { run: big(rng), scenario: Cow::Owned(scenario(rng)), cause: "reset".into() },
            2 | 3 => Message::Exchange {
                seq: big(rng),
                at: big(rng),
                request: Cow::Owned(some_request(page, rng)),
                status: 200,
                fingerprint: "x".into(),
            },
            4 => Message::Time { now: big(rng), speed: speed(rng) },
            _ => Message::Synced { now: big(rng), speed: speed(rng) },
        }
    }

    #[test]
    fn hostile_servers_and_busy_users_never_panic_the_page() {
        for seed in 0..40u64 {
            let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let mut page = AppState::builtin(0.0);
            for step in 0..60 {
                let wall = [0.0, 1e3, f64::NAN, -1.0, 1e300][rng.below(5)];
                let action = match rng.below(14) {
                    0 => Action::Live(LiveAction::Connect {
                        server: ["", "http://127.0.0.1:1"][rng.below(2)].into(),
                    }),
                    1 => Action::Live(LiveAction::Link(
                        [Link::Open, Link::Reconnecting, Link::Refused("no".into())][rng.below(3)].clone(),
                    )),
                    2..=5 => {
                        let messages = (0..rng.below(4)).map(|_| odd_message(&mut rng, &page)).collect();
                        Action::Live(LiveAction::Messages { wall, messages })
                    }
                    6 => Action::Live(LiveAction::Done {
                        id: rng.next() % 6,
                        result: if rng.below(2) == 0 { Ok(vec![rng.next() % 5]) } else { Err("down".into()) },
                    }),
                    7 => {
                        let saved = [
                            None,
                            Some("{".to_string()),
                            Some(AppState::builtin(0.0).session(0.0).to_json()),
                        ];
                        Action::Live(LiveAction::Disconnect { wall, saved: saved[rng.below(3)].clone() })
                    }
                    8 => Action::Send { wall },
                    9 => Action::StopAll { wall },
                    10 => Action::SetPlaying { wall, playing: rng.below(2) == 0 },
                    11 => Action::SetSpeed { wall, speed: *rng.pick(&[0, 1, 100, 7]) },
                    12 => Action::Tick { wall },
                    _ => {
                        let fleet = page.sim.fleet();
                        match fleet.get(rng.below(fleet.len().max(1))) {
                            Some(s) => Action::SelectServer(s.provider, s.id.clone()),
                            None => Action::Step { wall },
                        }
                    }
                };
                let shown = format!("{action:?}");
                page.apply(action);
                // What the views read on every render.
                let at =
                    format!("seed {seed} step {step} after {}", shown.chars().take(200).collect::<String>());
                let _ = page.now_at(1e3);
                let _ = page.transcript();
                let _ = page.export_refusal();
                assert!(page.timeline.len() <= KEPT + KEPT / 4, "{at}");
                if let Some(live) = &page.live {
                    let _ = live.label();
                    assert!(live.outbox.iter().all(|p| p.id < live.next_id), "{at}");
                }
            }
        }
    }

    #[test]
    fn server_addresses_and_speeds_read_and_write() {
        assert_eq!(server_address("127.0.0.1:4566").unwrap(), ("http://127.0.0.1:4566".to_string(), true));
        assert_eq!(
            server_address(" http://LOCALHOST:8080/ ").unwrap(),
            ("http://localhost:8080".to_string(), true)
        );
        assert!(server_address("http://[::1]:1").unwrap().1);
        assert_eq!(
            server_address("https://fleet.example").unwrap(),
            ("https://fleet.example".to_string(), false)
        );
        assert!(!server_address("http://127.0.0.1.evil.example").unwrap().1);
        for bad in ["", "ftp://x", "http://x/y", "http://x:99999", "javascript:alert(1)", "http://a\"b"] {
            assert!(server_address(bad).is_err(), "{bad}");
        }
        assert_eq!(speed_text(1.0), "1×");
        assert_eq!(speed_text(60.0), "60×");
        assert_eq!(speed_text(0.5), "0.5×");
        assert_eq!(speed_text(0.125), "0.125×");
        assert_eq!(speed_text(f64::NAN), "0×");
        assert_eq!(nearest_speed(60.0), 100);
        assert_eq!(nearest_speed(0.2), 1);
    }
}
