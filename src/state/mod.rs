//! The page's state: one value wrapping the simulation plus the UI fields, changed only by [`Action`]s.
//!
//! [`AppState::apply`] is pure: it never touches the browser. Wall-clock readings come in as values inside
//! the actions (`wall` milliseconds from `performance.now()`, read by the event handler or the clock loop),
//! and the simulation is advanced from them through [`Clock`]. Everything the page shows is derived from this
//! state; everything that must survive a reload is in a [`Session`] document, which the state writes
//! ([`AppState::session`]) and is rebuilt from by replay ([`AppState::from_session`]).

use crate::draft::{Draft, Drafts, Mode};
use crate::ops;
use crate::presets;
use crate::session::{self, Sent, Session, Share};
use sim::lesson::{Lesson, StepStatus};
use sim::{Event, Exchange, Provider, Scenario, ServerView, Sim, SimTime, WireRequest};
use std::rc::Rc;

/// The speeds the clock offers.
pub const SPEEDS: [u32; 3] = [1, 10, 100];

/// Maps wall time to simulated time: `sim = anchor_sim + (wall − anchor_wall) × speed` while playing.
#[derive(Clone, Debug, PartialEq)]
pub struct Clock {
    /// Whether simulated time is flowing.
    pub playing: bool,
    /// Simulated milliseconds per wall millisecond (1, 10 or 100).
    pub speed: u32,
    /// Jump straight to the end of every transition.
    pub skip: bool,
    anchor_sim: SimTime,
    anchor_wall: f64,
}

impl Clock {
    /// A clock standing at `now`.
    pub fn new(now: SimTime, wall: f64, playing: bool, speed: u32, skip: bool) -> Self {
        let speed = if SPEEDS.contains(&speed) { speed } else { 10 };
        Clock { playing, speed, skip, anchor_sim: now, anchor_wall: wall }
    }

    /// Simulated time at wall time `wall`.
    pub fn sim_at(&self, wall: f64) -> SimTime {
        if !self.playing || !wall.is_finite() {
            return self.anchor_sim;
        }
        let elapsed = (wall - self.anchor_wall).max(0.0) * f64::from(self.speed);
        self.anchor_sim.plus_millis(elapsed.min(1e15) as u64)
    }

    /// Changes whenever the wall → sim mapping jumps (play, pause, speed, step); stable while time just flows.
    /// (The wall anchor is written by its bits: no float formatting in the page.)
    pub fn epoch(&self) -> String {
        let wall = self.anchor_wall.to_bits();
        format!("{}-{}-{}-{wall:x}", self.playing, self.speed, self.anchor_sim.as_millis())
    }

    fn reanchor(&mut self, sim: SimTime, wall: f64) {
        self.anchor_sim = sim;
        self.anchor_wall = if wall.is_finite() { wall } else { 0.0 };
    }
}

/// One line of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// A request and its response.
    Exchange(Rc<Exchange>),
    /// A state change.
    Event(Rc<Event>),
}

/// How serious a banner is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something the user should know.
    Info,
    /// Something went wrong but nothing was lost.
    Warning,
    /// A scenario that could not be used; a scenario loaded afterwards answers it (the banner goes).
    Refused,
}

/// A banner across the top of the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// How serious.
    pub kind: NoticeKind,
    /// What happened, in plain words.
    pub text: String,
    /// Whether unreadable saved data was kept aside (the banner then offers to download it).
    pub unreadable_kept: bool,
}

/// Everything the page shows.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The simulation, shared with the previous state until an action changes it: composer edits, toasts
    /// and the like then cost no copy of the fleet (the reducer clones the whole state on every action).
    pub sim: Rc<Sim>,
    /// `sim.fleet()`, cached after every change (each view shared, so a tick re-creates only the servers
    /// that changed).
    pub fleet: Rc<Vec<Rc<ServerView>>>,
    /// Exchanges and state changes, oldest first.
    pub timeline: Rc<Vec<Entry>>,
    /// The requests sent, in order, for replay.
    pub sends: Rc<Vec<Sent>>,
    /// Wall time → simulated time.
    pub clock: Clock,
    /// The provider the composer shows.
    pub provider: Provider,
    /// One draft per provider.
    pub drafts: Drafts,
    /// The server whose diagram is shown.
    pub selected: Option<(Provider, String)>,
    /// The exchange the response panel shows (`None`: the latest).
    pub viewing: Option<u64>,
    /// A banner.
    pub notice: Option<Notice>,
    /// A short confirmation (id, text); the id lets the page restart its timer.
    pub toast: Option<(u64, String)>,
    /// The guided lesson in progress.
    pub lesson: Option<LessonRun>,
    /// Bumped on every change worth saving.
    pub revision: u64,
    /// The page as it was before a restart (new seed, faults, status profile, scenario file, lesson) set
    /// sent requests aside, paused at the simulated time it showed; the page offers "Undo" while it is
    /// here, whatever banner shows. Kept through further restarts that set nothing aside, dropped when a
    /// request is sent or the offer is dismissed. Not saved with the session.
    pub undo: Option<Rc<AppState>>,
}

/// A lesson being followed: the parsed lesson and the file text it came from (kept for export and reload).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// Its JSON text.
    pub source: Rc<str>,
}

/// Identity, not structure: two states are equal only when they are the same value. The reducer returns
/// the same `Rc` when nothing changed and a new one otherwise, so identity is exactly "nothing changed"
/// (and comparing whole simulations would be slow and pointless).
impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// What the user (or the clock) asks for. `wall` is `performance.now()` when the action was raised.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// The clock loop noticed that a transition is due.
    Tick { wall: f64 },
    /// Send the current draft's raw request.
    Send { wall: f64 },
    /// Send a given request (the timeline's "again", presets).
    SendRequest { wall: f64, request: Box<WireRequest> },
    /// Stop every running server at once (one request each).
    StopAll { wall: f64 },
    /// Pause or play.
    SetPlaying { wall: f64, playing: bool },
    /// Change the speed.
    SetSpeed { wall: f64, speed: u32 },
    /// Jump to the next transition's completion.
    Step { wall: f64 },
    /// Skip animations on or off.
    SetSkip { wall: f64, skip: bool },
    /// Show another provider in the composer.
    SelectProvider(Provider),
    /// Pick an operation.
    SetOperation(String),
    /// Edit a form field.
    SetField(String, String),
    /// Edit the raw request.
    SetRaw(String),
    /// Switch the composer view.
    SetMode(Mode),
    /// Edit the curl command.
    SetCurl(String),
    /// Import the curl command.
    ImportCurl,
    /// Import the curl command and, only if it imports, send the imported request (Ctrl+Enter on the curl
    /// tab: the same as "Import curl" then "Send").
    ImportCurlAndSend { wall: f64 },
    /// Select a server (fills the composer with its identifier).
    SelectServer(Provider, String),
    /// Show an earlier exchange in the response panel.
    ViewExchange(u64),
    /// Start the scenario again (same seed, or a new one).
    Reset { wall: f64, seed: Option<u64> },
    /// Put a request in the composer (host prefill, a lesson's example), in the provider it is for.
    LoadDraft { provider: Provider, raw: String },
    /// Start a guided lesson: its scenario from T+0, its provider in the composer.
    StartLesson { wall: f64, lesson: Rc<Lesson>, source: Rc<str> },
    /// Leave the lesson (the simulation stays as it is).
    EndLesson,
    /// Replace the whole session with an exported one (a bad file changes nothing and says why).
    ImportSession { wall: f64, name: String, text: String },
    /// Replace the scenario (faults, profile, loaded file, preset) and start again; `undoable`: sent
    /// requests are set aside for "Undo" (see `AppState::undo`).
    LoadScenario { wall: f64, scenario: Box<Scenario>, message: String, undoable: bool },
    /// Show a banner.
    ShowNotice(Notice),
    /// Hide the banner.
    DismissNotice,
    /// Bring back the simulation a restart set aside.
    UndoRestart { wall: f64 },
    /// Decline the offer to bring it back.
    ForgetSetAside,
    /// Show a short confirmation.
    Toast(String),
    /// Hide the confirmation.
    ClearToast,
}

/// Most iterations "skip animations" runs before giving up (a provider that keeps rescheduling).
const SETTLE_LIMIT: usize = 100_000;

impl AppState {
    /// A fresh session of `scenario`, standing at `T+0`, clock playing at 10×.
    pub fn new(scenario: Scenario, wall: f64) -> Result<AppState, sim::ScenarioError> {
        let sim = Sim::new(scenario)?;
        Ok(AppState::from_sim(sim, wall))
    }

    /// The built-in demo fleet.
    pub fn builtin(wall: f64) -> AppState {
        AppState::from_sim(Sim::builtin(Scenario::builtin().seed), wall)
    }

    fn from_sim(sim: Sim, wall: f64) -> AppState {
        let fleet = Rc::new(sim.fleet().into_iter().map(Rc::new).collect());
        let now = sim.now();
        AppState {
            sim: Rc::new(sim),
            fleet,
            timeline: Rc::new(Vec::new()),
            sends: Rc::new(Vec::new()),
            clock: Clock::new(now, wall, true, 10, false),
            provider: Provider::Transfer,
            drafts: Drafts::default(),
            selected: None,
            viewing: None,
            notice: None,
            toast: None,
            lesson: None,
            revision: 0,
            undo: None,
        }
    }

    /// The timeline as a transcript (`sim::transcript::Entry`): a request's immediate state changes live
    /// inside its exchange there, so the copies the timeline lists after it are left out.
    pub fn transcript(&self) -> Vec<sim::transcript::Entry> {
        let mut out = Vec::with_capacity(self.timeline.len());
        let mut skip = 0;
        for entry in self.timeline.iter() {
            match entry {
                Entry::Exchange(x) => {
                    skip = x.events.len();
                    out.push(sim::transcript::Entry::Exchange((**x).clone()));
                }
                Entry::Event(_) if skip > 0 => skip -= 1,
                Entry::Event(e) => out.push(sim::transcript::Entry::Event((**e).clone())),
            }
        }
        out
    }

    /// The lesson's step statuses after the timeline so far.
    pub fn lesson_progress(&self) -> Option<Vec<StepStatus>> {
        let run = self.lesson.as_ref()?;
        Some(sim::lesson::progress(&run.lesson, &self.transcript()))
    }

    /// Simulated time at wall time `wall` (never behind the simulation).
    pub fn now_at(&self, wall: f64) -> SimTime {
        self.clock.sim_at(wall).max(self.sim.now())
    }

    /// The draft the composer shows.
    pub fn draft(&self) -> &Draft {
        self.drafts.get(self.provider)
    }

    /// The exchange the response panel shows.
    pub fn shown_exchange(&self) -> Option<&Rc<Exchange>> {
        let mut exchanges = self.timeline.iter().rev().filter_map(|e| match e {
            Entry::Exchange(x) => Some(x),
            Entry::Event(_) => None,
        });
        match self.viewing {
            Some(seq) => exchanges.find(|x| x.seq == seq),
            None => exchanges.next(),
        }
    }

    /// The most recent exchange.
    pub fn last_exchange(&self) -> Option<&Rc<Exchange>> {
        self.timeline.iter().rev().find_map(|e| match e {
            Entry::Exchange(x) => Some(x),
            Entry::Event(_) => None,
        })
    }

    /// The selected server's current view.
    pub fn selected_server(&self) -> Option<&Rc<ServerView>> {
        let (p, id) = self.selected.as_ref()?;
        self.fleet.iter().find(|s| s.provider == *p && &s.id == id)
    }

    fn refresh_fleet(&mut self) {
        self.fleet = Rc::new(self.sim.fleet().into_iter().map(Rc::new).collect());
    }

    /// Re-reads only the servers named in `events` (a clock tick changes few servers of a large fleet), in
    /// one pass over the fleet: many servers can finish in the same tick, and a search of the fleet per
    /// event made that quadratic.
    fn refresh_servers(&mut self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        let mut changed: Vec<(Provider, &str)> =
            events.iter().map(|e| (e.provider, e.server.as_str())).collect();
        changed.sort_unstable();
        changed.dedup();
        let fleet = Rc::make_mut(&mut self.fleet);
        for slot in fleet.iter_mut() {
            if changed.binary_search(&(slot.provider, slot.id.as_str())).is_err() {
                continue;
            }
            match self.sim.server(slot.provider, &slot.id) {
                Some(view) => *slot = Rc::new(view),
                None => {
                    self.fleet = Rc::new(self.sim.fleet().into_iter().map(Rc::new).collect());
                    return;
                }
            }
        }
    }

    fn push_events(&mut self, events: Vec<Event>) {
        if !events.is_empty() {
            Rc::make_mut(&mut self.timeline).extend(events.into_iter().map(|e| Entry::Event(Rc::new(e))));
        }
    }

    /// Moves the simulation to the clock's time at `wall`; returns the state changes that fired.
    fn sync(&mut self, wall: f64) -> Vec<Event> {
        let t = self.clock.sim_at(wall);
        let mut events = Vec::new();
        if t > self.sim.now() {
            events = self.sim_mut().advance_to(t);
            self.push_events(events.clone());
        }
        // No re-anchoring: the mapping stays the same while time just flows, so progress animations that
        // were started from it need not restart.
        events
    }

    /// Re-anchors the clock at the time it shows at `wall`, before its speed or play state changes: the
    /// mapping `anchor + (wall − anchor_wall) × speed` would otherwise count a pause as elapsed time on
    /// resuming, and rescale all time since the anchor when the speed changes.
    fn hold_time(&mut self, wall: f64) {
        let now = self.now_at(wall);
        self.clock.reanchor(now, wall);
    }

    /// With "skip animations" on, completes every pending transition now.
    fn settle(&mut self, wall: f64) {
        if !self.clock.skip {
            return;
        }
        let mut n = 0;
        while let Some(due) = self.sim.next_due() {
            let events = self.sim_mut().advance_to(due);
            self.push_events(events);
            n += 1;
            if n >= SETTLE_LIMIT {
                break;
            }
        }
        self.clock.reanchor(self.sim.now(), wall);
    }

    /// Sends one request at the current simulated time (replay uses the same path).
    fn send(&mut self, request: WireRequest) -> Rc<Exchange> {
        // New work in this simulation: the set-aside one can no longer come back without losing it.
        self.undo = None;
        Rc::make_mut(&mut self.sends).push(Sent { at: self.sim.now(), request: request.clone() });
        let exchange = Rc::new(self.sim_mut().handle(request));
        let timeline = Rc::make_mut(&mut self.timeline);
        timeline.push(Entry::Exchange(exchange.clone()));
        timeline.extend(exchange.events.iter().cloned().map(|e| Entry::Event(Rc::new(e))));
        exchange
    }

    /// Replays a request during session restore.
    fn replay_send(&mut self, at: SimTime, request: WireRequest) {
        let events = self.sim_mut().advance_to(at);
        self.push_events(events);
        self.send(request);
    }

    /// Moves time during session restore.
    fn replay_advance(&mut self, to: SimTime, wall: f64) {
        let events = self.sim_mut().advance_to(to);
        self.push_events(events);
        self.refresh_fleet();
        self.clock.reanchor(self.sim.now(), wall);
    }

    /// The simulation, to change it: copied first if the previous state still shares it.
    fn sim_mut(&mut self) -> &mut Sim {
        Rc::make_mut(&mut self.sim)
    }

    /// Starts `sim` from T+0. With `undoable`, sent requests are set aside for "Undo" first (a host page's
    /// scenario in an embed is not undoable: the host was told it is loaded).
    fn restart(&mut self, sim: Sim, wall: f64, undoable: bool) {
        if !undoable {
            self.undo = None;
        } else if !self.sends.is_empty() {
            let mut before = self.clone();
            before.undo = None;
            // Paused where the page was; only its simulated time is used again.
            before.clock = Clock::new(self.now_at(wall), wall, false, 1, false);
            self.undo = Some(Rc::new(before));
        }
        let clock = Clock::new(sim.now(), wall, self.clock.playing, self.clock.speed, self.clock.skip);
        self.sim = Rc::new(sim);
        self.timeline = Rc::new(Vec::new());
        self.sends = Rc::new(Vec::new());
        self.clock = clock;
        self.viewing = None;
        self.selected = self.selected.take().filter(|(p, id)| self.sim.server(*p, id).is_some());
        self.settle(wall);
        self.refresh_fleet();
    }

    /// Confirms a restart; when requests were set aside, says where the offer to bring them back is.
    fn restarted(&mut self, message: String) {
        if self.undo.is_some() {
            self.toast(format!(
                "{message} The requests sent before were set aside: Undo is at the top of the page."
            ));
        } else {
            self.toast(message);
        }
    }

    /// Brings back the page from before the restart that set requests aside; the composer stays as it is.
    fn undo_restart(&mut self, wall: f64) -> bool {
        let Some(before) = self.undo.take() else { return false };
        let mut restored = (*before).clone();
        let resume_at = before.clock.anchor_sim;
        restored.clock = Clock::new(resume_at, wall, self.clock.playing, self.clock.speed, self.clock.skip);
        restored.provider = self.provider;
        restored.drafts = self.drafts.clone();
        restored.toast = self.toast.clone();
        restored.revision = self.revision;
        restored.notice = self.notice.take().filter(|n| n.kind != NoticeKind::Refused);
        let left_lesson = self.lesson.as_ref().filter(|now| restored.lesson.as_ref() != Some(*now)).cloned();
        *self = restored;
        self.settle(wall);
        self.refresh_fleet();
        let seed = self.sim.scenario().seed;
        match left_lesson {
            Some(run) => self.toast(format!(
                "Back to seed {seed} with the requests sent before; the lesson {} was left.",
                run.lesson.title
            )),
            None => self.toast(format!("Back to seed {seed} with the requests sent before.")),
        }
        true
    }

    fn warn(&mut self, text: String) {
        self.notice = Some(Notice { kind: NoticeKind::Warning, text, unreadable_kept: false });
    }

    fn toast(&mut self, text: impl Into<String>) {
        let id = self.toast.as_ref().map_or(1, |(id, _)| id + 1);
        self.toast = Some((id, text.into()));
    }

    /// Applies `action`. Returns false when nothing changed (the page then skips a render).
    pub fn apply(&mut self, action: Action) -> bool {
        match action {
            Action::Tick { wall } => {
                if self.sim.next_due().is_none_or(|due| due > self.clock.sim_at(wall)) {
                    return false;
                }
                let events = self.sync(wall);
                self.refresh_servers(&events);
            }
            Action::Send { wall } => match self.draft().request() {
                Ok(request) => {
                    self.sync(wall);
                    let ex = self.send(request);
                    self.after_send(&ex, wall);
                }
                Err(e) => {
                    self.toast(format!("The raw request cannot be read ({e}); fix it before sending."));
                    return true;
                }
            },
            Action::SendRequest { wall, request } => {
                self.sync(wall);
                let ex = self.send(*request);
                self.after_send(&ex, wall);
            }
            Action::StopAll { wall } => {
                self.sync(wall);
                let requests = presets::stop_all(self.sim.scenario(), &self.fleet);
                let n = requests.len();
                for r in requests {
                    self.send(r);
                }
                self.viewing = None;
                self.settle(wall);
                self.refresh_fleet();
                self.toast(format!("Sent {n} stop requests."));
            }
            Action::SetPlaying { wall, playing } => {
                self.sync(wall);
                self.hold_time(wall);
                self.clock.playing = playing;
                self.refresh_fleet();
            }
            Action::SetSpeed { wall, speed } => {
                if !SPEEDS.contains(&speed) {
                    return false;
                }
                self.sync(wall);
                self.hold_time(wall);
                self.clock.speed = speed;
                self.refresh_fleet();
            }
            Action::Step { wall } => {
                self.sync(wall);
                let events = self.sim_mut().step();
                if events.is_empty() && self.sim.next_due().is_none() {
                    self.toast("Nothing is in transition: no state change is scheduled.");
                }
                self.push_events(events);
                self.clock.reanchor(self.sim.now(), wall);
                self.refresh_fleet();
            }
            Action::SetSkip { wall, skip } => {
                self.sync(wall);
                self.clock.skip = skip;
                self.settle(wall);
                self.refresh_fleet();
            }
            Action::SelectProvider(p) => {
                if self.provider == p {
                    return false;
                }
                self.provider = p;
            }
            Action::SetOperation(name) => {
                let p = self.provider;
                self.drafts.get_mut(p).set_operation(p, &name);
            }
            Action::SetField(name, value) => {
                let p = self.provider;
                self.drafts.get_mut(p).set_field(p, &name, &value);
            }
            Action::SetRaw(text) => {
                let p = self.provider;
                match Draft::claimed_by(&text).filter(|q| *q != p) {
                    // Another provider's request (pasted, usually): the composer follows it to that provider's
                    // tab and operation, in the Raw view, so the form never disagrees with what Send sends. That
                    // provider's draft becomes this request, as a curl import for it would; the draft it was
                    // typed into keeps its own request (as it was, or rebuilt from its form if the edit had
                    // already broken it), so switching back finds it.
                    Some(q) => {
                        self.drafts.get_mut(p).restore_own(p);
                        self.provider = q;
                        let draft = self.drafts.get_mut(q);
                        draft.set_raw(q, &text);
                        draft.mode = Mode::Raw;
                        draft.notes.insert(
                            0,
                            format!(
                                "This is a request for {}, so the composer switched to it; your {} draft is kept.",
                                q.title(),
                                p.title()
                            ),
                        );
                    }
                    None => self.drafts.get_mut(p).set_raw(p, &text),
                }
            }
            Action::SetMode(mode) => {
                let p = self.provider;
                self.drafts.get_mut(p).mode = mode;
            }
            Action::SetCurl(text) => {
                let p = self.provider;
                self.drafts.get_mut(p).curl = text;
            }
            Action::ImportCurl => {
                self.import_curl();
            }
            Action::ImportCurlAndSend { wall } => {
                // The send's own outcome (even a request that cannot be read) must not skip the save of
                // the imported draft: fall through to the revision bump either way.
                if self.import_curl() {
                    self.apply(Action::Send { wall });
                }
            }
            Action::SelectServer(p, id) => self.select_server(p, id),
            Action::ViewExchange(seq) => {
                self.viewing = Some(seq);
                if self.shown_exchange().is_none() {
                    self.viewing = None;
                }
                if let Some(ex) = self.shown_exchange().cloned() {
                    if let (Some(p), Some(id)) = (ex.provider, ex.server.clone()) {
                        if self.sim.server(p, &id).is_some() {
                            self.selected = Some((p, id));
                        }
                    }
                }
            }
            Action::Reset { wall, seed } => {
                let mut scenario = self.sim.scenario().clone();
                if let Some(seed) = seed {
                    scenario.seed = seed;
                }
                match Sim::new(scenario) {
                    Ok(sim) => {
                        let seed = sim.scenario().seed;
                        self.restart(sim, wall, true);
                        self.restarted(format!("Simulation restarted at T+0 with seed {seed}."));
                    }
                    Err(e) => self.toast(format!("The scenario cannot start: {e}")),
                }
            }
            Action::LoadScenario { wall, scenario, message, undoable } => match Sim::new(*scenario) {
                Ok(sim) => {
                    self.restart(sim, wall, undoable);
                    // A scenario refused earlier (a bad file) is answered by this one.
                    if self.notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Refused) {
                        self.notice = None;
                    }
                    self.restarted(message);
                }
                Err(e) => {
                    self.notice = Some(Notice {
                        kind: NoticeKind::Refused,
                        text: format!("That scenario cannot be used: {e}. The current one is unchanged."),
                        unreadable_kept: false,
                    });
                }
            },
            Action::LoadDraft { provider, raw } => {
                self.provider = provider;
                let draft = self.drafts.get_mut(provider);
                draft.set_raw(provider, &raw);
                draft.mode =
                    if draft.request().is_ok() && draft.notes.is_empty() { Mode::Form } else { Mode::Raw };
            }
            Action::StartLesson { wall, lesson, source } => match lesson.scenario().map(Sim::new) {
                Ok(Ok(sim)) => {
                    self.restart(sim, wall, true);
                    if let Some(p) = lesson.provider {
                        self.provider = p;
                    }
                    self.restarted(format!("Lesson started: {}.", lesson.title));
                    self.lesson = Some(LessonRun { lesson, source });
                }
                Ok(Err(e)) => self.warn(format!("That lesson's scenario cannot start: {e}.")),
                Err(e) => self.warn(format!("That lesson cannot be used: {e}.")),
            },
            Action::EndLesson => {
                if self.lesson.take().is_none() {
                    return false;
                }
            }
            Action::ImportSession { wall, name, text } => match AppState::restore(&text, wall) {
                Ok(mut state) => {
                    state.revision = self.revision + 1;
                    state.toast = self.toast.clone();
                    *self = state;
                    self.toast(format!("Imported {name}: its requests were replayed exactly."));
                    return true;
                }
                Err(e) => self.warn(format!("{name} cannot be imported: {e}. Nothing was changed.")),
            },
            Action::ShowNotice(n) => self.notice = Some(n),
            Action::DismissNotice => self.notice = None,
            Action::ForgetSetAside => {
                if self.undo.take().is_none() {
                    return false;
                }
            }
            Action::UndoRestart { wall } => {
                if !self.undo_restart(wall) {
                    return false;
                }
            }
            Action::Toast(text) => self.toast(text),
            Action::ClearToast => {
                if self.toast.is_none() {
                    return false;
                }
                self.toast = None;
                return true;
            }
        }
        self.revision += 1;
        true
    }

    fn after_send(&mut self, ex: &Exchange, wall: f64) {
        self.viewing = None;
        if let (Some(p), Some(id)) = (ex.provider, ex.server.as_ref()) {
            if self.sim.server(p, id).is_some() {
                self.selected = Some((p, id.clone()));
            }
        }
        self.settle(wall);
        self.refresh_fleet();
    }

    /// Imports the curl command into the composer; false (and a toast saying why) when it cannot be.
    fn import_curl(&mut self) -> bool {
        let command = self.draft().curl.clone();
        match crate::wiretext::import_curl(&command) {
            Ok((request, mut notes)) => {
                notes.extend(crate::wiretext::request_notes(&request));
                let provider = ops::extract(&request).map_or(self.provider, |x| x.provider);
                let curl = std::mem::take(&mut self.drafts.get_mut(self.provider).curl);
                self.provider = provider;
                let draft = self.drafts.get_mut(provider);
                draft.load_request(provider, &request, notes);
                draft.mode = Mode::Raw;
                draft.curl = curl;
                self.toast("Imported the curl command as the request.");
                true
            }
            Err(e) => {
                self.toast(format!("That curl command cannot be imported: {e}"));
                false
            }
        }
    }

    fn select_server(&mut self, p: Provider, id: String) {
        let Some(server) = self.fleet.iter().find(|s| s.provider == p && s.id == id).cloned() else {
            return;
        };
        self.selected = Some((p, id.clone()));
        self.provider = p;
        let sim = Rc::clone(&self.sim);
        let scenario = sim.scenario();
        let draft = self.drafts.get_mut(p);
        if draft.mode == Mode::Curl {
            draft.mode = Mode::Form;
        }
        draft.set_field(p, ops::id_field(p), &id);
        if p == Provider::Nova {
            // Keep a token that belongs to the server's project; otherwise offer a member token of it.
            let project = presets::nova_project(scenario, &server.id).unwrap_or_default().to_string();
            let current = draft.fields.get("X-Auth-Token").cloned().unwrap_or_default();
            let fits =
                scenario.fleet.nova.tokens.iter().any(|t| t.token == current && t.project_id == project);
            if !fits {
                if let Some(token) = presets::member_token(scenario, &project) {
                    draft.set_field(p, "X-Auth-Token", token);
                }
            }
        }
    }
}

/// Sessions and share links: the page state as a document, and rebuilt from one.
impl AppState {
    /// The session to save at wall time `wall`.
    pub fn session(&self, wall: f64) -> Session {
        Session {
            format: session::SESSION_FORMAT.to_string(),
            scenario: self.sim.scenario().clone(),
            sends: self.sends.as_ref().clone(),
            now: self.now_at(wall),
            playing: self.clock.playing,
            speed: self.clock.speed,
            skip: self.clock.skip,
            provider: self.provider,
            drafts: self.drafts.clone(),
            selected: self.selected.clone(),
            viewing: self.viewing,
            lesson: self.lesson.as_ref().map(|l| l.source.to_string()),
            progress: None,
        }
    }

    /// The session as a file a student hands in: pretty JSON, with the lesson's progress spelled out.
    pub fn export(&self, wall: f64) -> String {
        let mut session = self.session(wall);
        if let (Some(run), Some(progress)) = (&self.lesson, self.lesson_progress()) {
            session.progress = Some(session::progress_document(&run.lesson, &progress));
        }
        session.to_file_text()
    }

    /// The share link of the scenario and the composer's current request.
    pub fn share(&self) -> Share {
        Share::new(self.sim.scenario(), self.provider, self.draft())
    }

    /// Rebuilds the page from saved session text (see [`AppState::from_session`]).
    pub fn restore(text: &str, wall: f64) -> Result<AppState, String> {
        AppState::from_session(Session::from_json(text)?, wall)
    }

    /// Rebuilds the page a session describes by replaying its requests at their simulated times.
    pub fn from_session(session: Session, wall: f64) -> Result<AppState, String> {
        let lesson = match &session.lesson {
            Some(text) => {
                let lesson = Lesson::from_json(text).map_err(|e| format!("its lesson is invalid ({e})"))?;
                Some(LessonRun { lesson: lesson.into(), source: text.as_str().into() })
            }
            None => None,
        };
        let mut state =
            AppState::new(session.scenario, wall).map_err(|e| format!("its scenario is invalid ({e})"))?;
        state.lesson = lesson;
        for sent in session.sends {
            state.replay_send(sent.at, sent.request);
        }
        state.replay_advance(session.now, wall);
        state.clock = Clock::new(state.sim.now(), wall, session.playing, session.speed, session.skip);
        state.provider = session.provider;
        state.drafts = session.drafts;
        state.selected = session.selected.filter(|(p, id)| state.sim.server(*p, id).is_some());
        state.viewing = session.viewing;
        Ok(state)
    }

    /// The page a share link describes: a fresh simulation of its scenario, its request in the composer.
    pub fn from_share(share: Share, wall: f64) -> Result<AppState, String> {
        let scenario = share.scenario()?;
        let mut state =
            AppState::new(scenario, wall).map_err(|e| format!("its scenario is invalid ({e})"))?;
        state.provider = share.provider;
        let draft: &mut Draft = state.drafts.get_mut(share.provider);
        draft.set_raw(share.provider, &share.request);
        draft.set_operation_name_only(share.provider, &share.operation);
        draft.mode = if draft.request().is_ok() && draft.notes.is_empty() { Mode::Form } else { Mode::Raw };
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Lcg;
    use sim::StateFamily;

    /// Loads `scenario` as the scenario bar does (undoably) at wall time `wall`.
    fn load(s: &mut AppState, wall: f64, scenario: Scenario) -> bool {
        s.apply(Action::LoadScenario {
            wall,
            scenario: Box::new(scenario),
            message: "loaded".into(),
            undoable: true,
        })
    }

    /// A scenario the simulator refuses (a fault rate above 1).
    fn refused() -> Scenario {
        let mut bad = Scenario::builtin();
        bad.faults.transfer.internal_error_rate = 7.0;
        bad
    }

    #[test]
    fn clock_maps_wall_to_sim_time() {
        let mut c = Clock::new(SimTime(1000), 50.0, true, 10, false);
        assert_eq!(c.sim_at(150.0), SimTime(2000));
        assert_eq!(c.sim_at(10.0), SimTime(1000));
        c.playing = false;
        assert_eq!(c.sim_at(1e9), SimTime(1000));
        assert_eq!(Clock::new(SimTime(0), 0.0, true, 7, false).speed, 10);
        assert_eq!(Clock::new(SimTime(0), 0.0, true, 1, false).sim_at(f64::NAN), SimTime(0));
    }

    #[test]
    fn editing_and_selecting_fill_the_composer() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectProvider(Provider::Lightsail));
        s.apply(Action::SetField("instanceName".into(), "WordPress-1".into()));
        assert!(s.draft().raw.contains("\"instanceName\": \"WordPress-1\""));
        s.apply(Action::SetOperation("GetInstanceState".into()));
        assert!(s.draft().raw.contains("Lightsail_20161128.GetInstanceState"));
        // Drafts are per provider.
        s.apply(Action::SelectProvider(Provider::Transfer));
        assert!(!s.draft().raw.contains("WordPress-1"));
    }

    #[test]
    fn scenario_changes_restart_the_simulation() {
        let mut s = AppState::builtin(0.0);
        let before = s.revision;
        s.apply(Action::Reset { wall: 0.0, seed: Some(42) });
        assert_eq!(s.sim.scenario().seed, 42);
        assert!(s.revision > before);
        assert!(s.timeline.is_empty());
        load(&mut s, 0.0, refused());
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Refused));
        assert_eq!(s.sim.scenario().seed, 42);
    }

    #[test]
    fn a_restart_sets_sent_requests_aside_and_undo_brings_them_back() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 100.0 });
        let state_after_stop = s.sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap().state.clone();
        assert_eq!(state_after_stop, "STOPPING");
        let timeline = s.timeline.len();

        // A restart with nothing sent says so in a toast and offers nothing to undo.
        let mut fresh = AppState::builtin(0.0);
        fresh.apply(Action::Reset { wall: 0.0, seed: Some(7) });
        assert!(fresh.undo.is_none() && fresh.notice.is_none() && fresh.toast.is_some());

        // Changing the status profile restarts: the work is set aside, for the page to offer Undo.
        let mut scenario = s.sim.scenario().clone();
        scenario.settings.status_profile = sim::scenario::StatusProfile::ServiceModel;
        let message = "Status-code profile changed: the simulation restarted.".to_string();
        s.apply(Action::LoadScenario { wall: 200.0, scenario: Box::new(scenario), message, undoable: true });
        assert!(s.sends.is_empty() && s.timeline.is_empty());
        assert_eq!(s.sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap().state, "ONLINE");
        assert_eq!(s.undo.as_ref().map(|u| u.sends.len()), Some(1));
        assert!(s.toast.as_ref().is_some_and(|(_, t)| t.contains("Status-code profile changed")));

        // A banner in between (a refused file) does not take the offer away.
        load(&mut s, 250.0, refused());
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Refused));
        assert!(s.undo.is_some());

        // A second restart that sets nothing aside keeps the first one's work to come back to.
        s.apply(Action::Reset { wall: 300.0, seed: Some(99) });
        assert_eq!(s.undo.as_ref().map(|u| u.sends.len()), Some(1));

        // The composer is not part of the undo.
        s.apply(Action::SetField("ServerId".into(), "s-ffffffffffffffff0".into()));
        assert!(s.apply(Action::UndoRestart { wall: 400.0 }));
        assert_eq!(s.sends.len(), 1);
        assert_eq!(s.timeline.len(), timeline);
        assert_eq!(s.sim.scenario().settings.status_profile, sim::scenario::StatusProfile::ApiReference);
        assert_eq!(s.sim.scenario().seed, AppState::builtin(0.0).sim.scenario().seed);
        assert_eq!(s.sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap().state, state_after_stop);
        assert!(s.draft().raw.contains("s-ffffffffffffffff0"));
        assert!(s.notice.is_none(), "the refusal was about the scenario undone");
        assert!(s.undo.is_none());
        // Simulated time resumes where the page was when it restarted (wall 200 ms at 10×), not at T+0.
        assert_eq!(s.now_at(400.0), SimTime(2_000));
        assert!(!s.apply(Action::UndoRestart { wall: 500.0 }), "nothing left to undo");
    }

    #[test]
    fn sending_or_dismissing_forgets_what_was_set_aside() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 0.0 });
        s.apply(Action::Reset { wall: 10.0, seed: Some(5) });
        assert!(s.undo.is_some());
        s.apply(Action::Send { wall: 20.0 });
        assert!(s.undo.is_none(), "new work replaces the offer");

        s.apply(Action::Reset { wall: 30.0, seed: Some(6) });
        assert!(s.undo.is_some());
        s.apply(Action::DismissNotice);
        assert!(s.undo.is_some(), "dismissing another banner keeps the offer");
        assert!(s.apply(Action::ForgetSetAside));
        assert!(s.undo.is_none());
        assert!(!s.apply(Action::ForgetSetAside));
    }

    #[test]
    fn a_host_pages_scenario_is_not_undoable() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 0.0 });
        let scenario = Box::new(Scenario::builtin());
        s.apply(Action::LoadScenario { wall: 10.0, scenario, message: String::new(), undoable: false });
        assert!(s.sends.is_empty() && s.undo.is_none());
    }

    #[test]
    fn undoing_a_lesson_start_says_the_lesson_was_left() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/transfer-stop-lifecycle.json"),
        )
        .unwrap();
        let lesson = Rc::new(Lesson::from_json(&text).unwrap());
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 0.0 });
        s.apply(Action::StartLesson { wall: 10.0, lesson: lesson.clone(), source: Rc::from(text.as_str()) });
        assert!(s.lesson.is_some() && s.undo.is_some());
        s.apply(Action::UndoRestart { wall: 20.0 });
        assert!(s.lesson.is_none());
        let (_, toast) = s.toast.clone().unwrap();
        assert!(toast.contains(&format!("the lesson {} was left", lesson.title)), "{toast}");
    }

    #[test]
    fn a_good_scenario_answers_an_earlier_refusal() {
        let mut s = AppState::builtin(0.0);
        load(&mut s, 0.0, refused());
        assert_eq!(s.notice.as_ref().map(|n| n.kind), Some(NoticeKind::Refused));
        load(&mut s, 0.0, Scenario::builtin());
        assert!(s.notice.is_none());
        // Other warnings are not about the scenario and stay.
        let warning = Notice { kind: NoticeKind::Warning, text: "share link".into(), unreadable_kept: false };
        s.apply(Action::ShowNotice(warning.clone()));
        load(&mut s, 0.0, Scenario::builtin());
        assert_eq!(s.notice, Some(warning));
    }

    #[test]
    fn the_fleet_views_follow_the_simulation_through_a_stop_all() {
        let mut s = AppState::new(presets::large(300, 11), 0.0).unwrap();
        s.apply(Action::SetSpeed { wall: 0.0, speed: 100 });
        s.apply(Action::StopAll { wall: 0.0 });
        let same = |s: &AppState| s.fleet.iter().map(|v| (**v).clone()).collect::<Vec<_>>() == s.sim.fleet();
        assert!(same(&s));
        let mut wall = 0.0;
        let mut ticks = 0;
        while s.sim.next_due().is_some() {
            wall += 250.0;
            if s.apply(Action::Tick { wall }) {
                ticks += 1;
                assert!(same(&s), "after the tick at {wall} ms");
            }
            assert!(wall < 1e7, "transitions never finished");
        }
        assert!(ticks > 1, "servers finish over several ticks");
        assert!(s.fleet.iter().all(|v| v.family != StateFamily::Running));
    }

    #[test]
    fn pausing_and_changing_speed_keep_the_time_shown() {
        let mut s = AppState::builtin(0.0);
        // 10× from wall 0: at wall 100 ms the page shows T+1 s. Pause there for ten wall seconds.
        s.apply(Action::SetPlaying { wall: 100.0, playing: false });
        assert_eq!(s.now_at(10_100.0), SimTime(1_000));
        // Play again: time goes on from T+1 s, it does not jump by the paused wall time.
        s.apply(Action::SetPlaying { wall: 10_100.0, playing: true });
        assert_eq!(s.now_at(10_100.0), SimTime(1_000));
        assert_eq!(s.now_at(10_200.0), SimTime(2_000));
        // 100× from wall 10,200: only what follows the change runs faster.
        s.apply(Action::SetSpeed { wall: 10_200.0, speed: 100 });
        assert_eq!(s.now_at(10_200.0), SimTime(2_000));
        assert_eq!(s.now_at(10_210.0), SimTime(3_000));
        // And back to 1×: no step back in time.
        s.apply(Action::SetSpeed { wall: 10_210.0, speed: 1 });
        assert_eq!(s.now_at(10_210.0), SimTime(3_000));
        assert_eq!(s.now_at(11_210.0), SimTime(4_000));
    }

    #[test]
    fn speed_and_pause() {
        let mut s = AppState::builtin(0.0);
        assert!(s.apply(Action::SetSpeed { wall: 0.0, speed: 100 }));
        assert!(!s.apply(Action::SetSpeed { wall: 0.0, speed: 3 }));
        s.apply(Action::SetPlaying { wall: 100.0, playing: false });
        assert_eq!(s.now_at(100.0), SimTime(10_000));
        assert_eq!(s.now_at(1e6), SimTime(10_000));
    }

    /// Ctrl+Enter on the curl tab sends what was pasted, not the request from before the paste; a command that
    /// cannot be imported sends nothing and says why.
    #[test]
    fn import_and_send_sends_the_pasted_curl_or_nothing() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SetMode(Mode::Curl));
        s.apply(Action::SetCurl(
            "curl -X POST https://lightsail.us-west-2.amazonaws.com/ -H 'X-Amz-Target: Lightsail_20161128.StopInstance' \
             -H 'Content-Type: application/x-amz-json-1.1' -d '{\"instanceName\":\"WordPress-1\"}'"
                .into(),
        ));
        s.apply(Action::ImportCurlAndSend { wall: 0.0 });
        let sent = &s.sends.last().expect("one request sent").request;
        assert_eq!(sent.header("X-Amz-Target"), Some("Lightsail_20161128.StopInstance"));
        assert_eq!(sent.body, r#"{"instanceName":"WordPress-1"}"#);
        assert_eq!(s.provider, Provider::Lightsail);
        assert_eq!(s.last_exchange().map(|x| x.response.status), Some(200));
        // The curl tab of the Lightsail draft now holds a command that cannot be imported.
        s.apply(Action::SetMode(Mode::Curl));
        s.apply(Action::SetCurl("curl -X 'PO ST' https://lightsail.us-west-2.amazonaws.com/".into()));
        s.apply(Action::ImportCurlAndSend { wall: 0.0 });
        assert_eq!(s.sends.len(), 1, "nothing more was sent");
        let toast = s.toast.as_ref().map(|(_, t)| t.as_str()).unwrap_or("");
        assert!(
            toast.starts_with("That curl command cannot be imported: -X 'PO ST' is not an HTTP method"),
            "{toast}"
        );
    }

    /// A Lightsail request pasted into the Transfer tab's raw editor takes the composer to Lightsail and its
    /// operation; the Transfer draft is still there when the user switches back.
    #[test]
    fn raw_text_for_another_provider_takes_the_composer_there() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SetField("ServerId".into(), "s-0123456789abcdef0".into()));
        s.apply(Action::SetMode(Mode::Raw));
        let transfer = s.draft().raw.clone();
        let lightsail = "POST / HTTP/1.1\nHost: lightsail.us-west-2.amazonaws.com\n\
                         X-Amz-Target: Lightsail_20161128.GetInstanceState\n\
                         Content-Type: application/x-amz-json-1.1\n\n{\"instanceName\": \"WordPress-1\"}";
        s.apply(Action::SetRaw(lightsail.into()));
        assert_eq!(s.provider, Provider::Lightsail);
        assert_eq!(s.draft().operation, "GetInstanceState");
        assert_eq!(s.draft().fields.get("instanceName").map(String::as_str), Some("WordPress-1"));
        assert_eq!((s.draft().raw.as_str(), s.draft().mode), (lightsail, Mode::Raw));
        assert!(s.draft().notes[0].contains("switched to it; your AWS Transfer Family draft is kept"));
        s.apply(Action::SelectProvider(Provider::Transfer));
        assert_eq!(s.draft().raw, transfer, "the Transfer draft is as it was before the paste");
        // Typed over key by key, the Transfer draft passes through text no provider claims; when the text
        // becomes a Nova request, the Transfer draft is its form's request again, not the half-typed text.
        s.apply(Action::SetRaw("POST /v2.1/serv".into()));
        assert_eq!(s.provider, Provider::Transfer);
        s.apply(Action::SetRaw(
            "POST /v2.1/servers/x/action HTTP/1.1\nX-Auth-Token: t\n\n{\"os-stop\": null}".into(),
        ));
        assert_eq!((s.provider, s.draft().operation.as_str()), (Provider::Nova, "os-stop"));
        assert_eq!(s.drafts.transfer.raw, transfer);
    }

    #[test]
    fn unchanged_ticks_report_no_change() {
        let mut s = AppState::new(Scenario::default(), 0.0).unwrap();
        assert!(!s.apply(Action::Tick { wall: 10.0 }));
        assert!(!s.apply(Action::ClearToast));
    }

    #[test]
    fn session_round_trips_through_replay() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::SetField("ServerId".into(), "s-0123456789abcdef0".into()));
        s.apply(Action::SetPlaying { wall: 0.0, playing: false });
        let saved = s.session(0.0).to_json();
        let back = AppState::restore(&saved, 5.0).expect("restores");
        assert_eq!(back.sim.now(), s.sim.now());
        assert_eq!(back.drafts, s.drafts);
        assert_eq!(back.selected, s.selected);
        assert!(!back.clock.playing);
        assert_eq!(back.timeline.len(), s.timeline.len());
    }

    #[test]
    fn corrupted_sessions_never_panic() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SetField("ServerId".into(), "s-0123456789abcdef0".into()));
        let good = s.session(0.0).to_json();
        assert!(AppState::restore(&good, 0.0).is_ok());
        let mut rng = Lcg(7);
        // Random bytes.
        for _ in 0..300 {
            let len = (rng.next() % 200) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let text = String::from_utf8_lossy(&bytes);
            assert!(AppState::restore(&text, 0.0).is_err());
        }
        // Mutations of a valid session: flipped, deleted and inserted characters.
        let chars: Vec<char> = good.chars().collect();
        for _ in 0..300 {
            let mut c = chars.clone();
            for _ in 0..=(rng.next() % 3) {
                let i = (rng.next() as usize) % c.len();
                match rng.next() % 3 {
                    0 => c[i] = char::from(b' ' + (rng.next() % 94) as u8),
                    1 => {
                        c.remove(i);
                    }
                    _ => c.insert(i, '9'),
                }
            }
            let text: String = c.into_iter().collect();
            let _ = AppState::restore(&text, 0.0);
        }
        // Truncations.
        for cut in (0..good.len()).step_by(97) {
            if good.is_char_boundary(cut) {
                assert!(AppState::restore(&good[..cut], 0.0).is_err());
            }
        }
        // An older format is refused with a reason.
        let old = good.replace(session::SESSION_FORMAT, "fleetplay-session/0");
        assert!(AppState::restore(&old, 0.0).unwrap_err().contains("fleetplay-session/0"));
    }

    /// A session and a share link written by the serde_json-based version (commit 95fac11, by its own
    /// `Session::of(..).to_json()` and `Share::to_fragment()`: a scenario with fractional fault rates, two
    /// sends, drafts with quotes, tabs, non-ASCII text): they load, restore the same state, and are written
    /// again byte for byte.
    #[test]
    fn sessions_and_share_links_of_the_serde_version_load_and_rewrite_alike() {
        let old = include_str!("../../tests/fixtures/session-95fac11.json");
        let session = Session::from_json(old).expect("the old session reads");
        assert_eq!(session.to_json(), old);
        let state = AppState::restore(old, 0.0).expect("the old session restores");
        assert_eq!(state.provider, Provider::Nova);
        assert_eq!(state.sim.scenario().faults.transfer.internal_error_rate, 1.0 / 3.0);
        assert_eq!(state.sim.scenario().faults.nova.unavailable_rate, 1e-7);
        assert_eq!(
            state.draft().fields.get("X-Auth-Token").map(String::as_str),
            Some("tab\there \"q\" \\ é 😀")
        );
        let stuck = state.sim.server(Provider::Lightsail, "Stuck-1").map(|s| s.state.clone());
        assert_eq!(stuck.as_deref(), Some("stopped"), "the replayed forced stop finished");
        let fragment = include_str!("../../tests/fixtures/share-95fac11.txt");
        let share = Share::from_fragment(fragment).expect("reads").expect("is a share link");
        assert_eq!(share.to_fragment(), fragment);
        let shared = AppState::from_share(share, 0.0).expect("opens");
        assert_eq!(shared.sim.scenario().title, "Fixture \"quoted\" <b>title</b> ✓");
        assert_eq!(shared.draft().raw, state.draft().raw);
    }

    #[test]
    fn share_links_round_trip_and_refuse_tampering() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectProvider(Provider::Lightsail));
        s.apply(Action::SetField("instanceName".into(), "<img src=x onerror=alert(1)>".into()));
        let share = s.share();
        assert!(share.builtin_seed.is_some() && share.scenario.is_none());
        let fragment = share.to_fragment();
        let back = AppState::from_share(Share::from_fragment(&fragment).unwrap().unwrap(), 0.0).unwrap();
        assert_eq!(back.provider, Provider::Lightsail);
        assert_eq!(back.draft().raw, s.draft().raw);
        assert_eq!(back.sim.fleet(), s.sim.fleet());
        assert_eq!(Share::from_fragment("#other").unwrap(), None);
        let mut rng = Lcg(3);
        for _ in 0..300 {
            let mut f: Vec<u8> = fragment.bytes().collect();
            let i =
                session::SHARE_PREFIX.len() + (rng.next() as usize) % (f.len() - session::SHARE_PREFIX.len());
            f[i] = b"AZaz09-_*%"[(rng.next() % 10) as usize];
            let text = String::from_utf8_lossy(&f).into_owned();
            if let Ok(Some(share)) = Share::from_fragment(&text) {
                let _ = AppState::from_share(share, 0.0);
            }
        }
        assert!(Share::from_fragment("#share=%%%").is_err());
        assert!(Share::from_fragment("#share=e30").is_err());
    }

    #[test]
    fn custom_scenarios_travel_whole() {
        let mut s = AppState::builtin(0.0);
        let mut scenario = Scenario::builtin();
        scenario.faults.lightsail.stuck_rate = 1.0;
        s.apply(Action::LoadScenario {
            undoable: true,
            wall: 0.0,
            scenario: Box::new(scenario.clone()),
            message: String::new(),
        });
        let share = s.share();
        assert_eq!(share.scenario.as_ref(), Some(&scenario));
        let back =
            AppState::from_share(Share::from_fragment(&share.to_fragment()).unwrap().unwrap(), 0.0).unwrap();
        assert_eq!(back.sim.scenario(), &scenario);
    }
}
