//! The page's state: one value wrapping the simulation plus the UI fields, changed only by [`Action`]s.
//!
//! [`AppState::apply`] is pure: it never touches the browser. Wall-clock readings come in as values inside
//! the actions (`wall` milliseconds from `performance.now()`, read by the event handler or the clock loop),
//! and the simulation is advanced from them through [`Clock`]. Everything the page shows is derived from this
//! state; everything that must survive a reload is in a [`Session`](crate::session::Session) document, which
//! the state writes ([`AppState::session`]) and is rebuilt from by replay ([`AppState::from_session`]).
//!
//! `apply` only dispatches: each action is handled by the module of its concern, all of them methods of
//! [`AppState`]:
//!
//! | module | actions | owns |
//! |---|---|---|
//! | `clock` | `Tick`, `SetPlaying`, `SetSpeed`, `Step`, `SetSkip` | [`Clock`] (wall → simulated time), "skip animations" |
//! | `sending` | `Send`, `SendComposed`, `SendRequest`, `StopAll`, `ViewExchange` | sending requests; the timeline and the fleet views following the simulation; the summary of a bulk action ([`Batch`], in `batch`) |
//! | `drafts` | `SelectProvider`, `SetOperation`, `SetField`, `SetRaw`, `SetMode`, `SetCurl`, `ImportCurl`, `ImportCurlAndSend`, `LoadDraft`, `SelectServer` | the composer's drafts |
//! | `restart` | `Reset`, `LoadScenario`, `UndoRestart`, `ForgetSetAside` | starting again from T+0, and Undo |
//! | `lessons` | `StartLesson`, `EndLesson`, `RetryStep`, `RestartLesson` | [`LessonRun`], lesson progress, the clock a step needs |
//! | `persist` | `ImportSession` | sessions and share links: the state as a document, and rebuilt from one |
//! | `live` | `Live(…)`, and while following a server every action that would change the simulation | following a `fleetplay serve`: the mirror, the commands to the server ([`Live`]) |
//!
//! Banners and toasts (`ShowNotice`, `DismissNotice`, `Toast`, `ClearToast`) are set here.

mod batch;
mod clock;
mod drafts;
mod lessons;
mod live;
mod persist;
mod restart;
mod sending;

pub use batch::{Batch, Outcome, ProviderOutcomes};
pub use clock::{Clock, SPEEDS};
pub use lessons::LessonRun;
pub use live::{server_address, speed_text, Command, Following, Link, Live, LiveAction, Pending, KEPT};

use crate::draft::{Draft, Drafts, Mode};
use crate::session::Sent;
use sim::lesson::Lesson;
use sim::{Event, Exchange, Provider, Scenario, ServerView, Sim, SimTime, WireRequest};
use std::rc::Rc;

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
    /// The exchange the response panel shows (`None`: the latest, or the summary of the bulk action that
    /// sent it).
    pub viewing: Option<u64>,
    /// The summary of the last bulk action ("Stop all"), while nothing has been sent after it. Not saved:
    /// a reload shows the last exchange.
    pub batch: Option<Rc<Batch>>,
    /// A banner.
    pub notice: Option<Notice>,
    /// A short confirmation (id, text); the id lets the page restart its timer.
    pub toast: Option<(u64, String)>,
    /// The guided lesson in progress.
    pub lesson: Option<LessonRun>,
    /// Bumped on every change worth saving.
    pub revision: u64,
    /// Milliseconds between the Unix epoch and the page's `performance.now()` origin (0 when unknown, as
    /// in native tests): sends are stamped with the student's wall-clock time for an instructor's table.
    pub epoch: f64,
    /// The page as it was before a restart (new seed, faults, status profile, scenario file, lesson) set
    /// sent requests aside, paused at the simulated time it showed; the page offers "Undo" while it is
    /// here, whatever banner shows. Kept through further restarts that set nothing aside, dropped when a
    /// request is sent or the offer is dismissed. Not saved with the session.
    pub undo: Option<Rc<AppState>>,
    /// The server the page follows, if any (`state/live.rs`): the simulation is then the server's mirror.
    pub live: Option<Live>,
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
    /// What the Send button and Ctrl+Enter do: import a pasted curl command and send it if it imports, or
    /// send the draft if the composer allows it, or else only say why not (a toast).
    SendComposed { wall: f64 },
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
    /// Go back to where the current step began (the moment the step before it was done), setting later
    /// requests aside for Undo.
    RetryStep { wall: f64 },
    /// Start the lesson again from its first step (its scenario from T+0).
    RestartLesson { wall: f64 },
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
    /// Following a server: connecting, its stream, the answers to the page's commands, disconnecting.
    Live(LiveAction),
    /// Show a short confirmation.
    Toast(String),
    /// Hide the confirmation.
    ClearToast,
}

/// The wall time of an action that carries one (0 for those that do not).
fn wall_of(wall: &Option<f64>) -> f64 {
    wall.unwrap_or(0.0)
}

impl Action {
    /// The wall time the action carries, if any.
    fn wall(&self) -> Option<f64> {
        match self {
            Action::Tick { wall }
            | Action::Send { wall }
            | Action::SendComposed { wall }
            | Action::SendRequest { wall, .. }
            | Action::StopAll { wall }
            | Action::SetPlaying { wall, .. }
            | Action::SetSpeed { wall, .. }
            | Action::Step { wall }
            | Action::SetSkip { wall, .. }
            | Action::ImportCurlAndSend { wall }
            | Action::Reset { wall, .. }
            | Action::StartLesson { wall, .. }
            | Action::RetryStep { wall }
            | Action::RestartLesson { wall }
            | Action::ImportSession { wall, .. }
            | Action::LoadScenario { wall, .. }
            | Action::UndoRestart { wall } => Some(*wall),
            _ => None,
        }
    }

    /// Whether the action can change the transcript, and so which lesson step is the current one.
    fn moves_the_lesson(&self) -> bool {
        matches!(
            self,
            Action::Tick { .. }
                | Action::Send { .. }
                | Action::SendComposed { .. }
                | Action::SendRequest { .. }
                | Action::StopAll { .. }
                | Action::Step { .. }
                | Action::SetSkip { .. }
                | Action::ImportCurlAndSend { .. }
                | Action::Reset { .. }
                | Action::StartLesson { .. }
                | Action::RetryStep { .. }
                | Action::RestartLesson { .. }
                | Action::ImportSession { .. }
                | Action::LoadScenario { .. }
                | Action::UndoRestart { .. }
        )
    }
}

/// What handling an action changed, which decides what the reducer reports and whether the page saves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// Nothing: the page need not render.
    Nothing,
    /// Only something shown for a moment (a toast): render, but nothing worth saving.
    Shown,
    /// The page's state: render and save ([`AppState::revision`] goes up).
    Saved,
}

impl Change {
    /// `Saved` when `changed`, else `Nothing`.
    fn saved_if(changed: bool) -> Change {
        if changed {
            Change::Saved
        } else {
            Change::Nothing
        }
    }
}

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
            batch: None,
            notice: None,
            toast: None,
            lesson: None,
            revision: 0,
            epoch: 0.0,
            undo: None,
            live: None,
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

    /// Applies `action`. Returns false when nothing changed (the page then skips a render).
    pub fn apply(&mut self, action: Action) -> bool {
        let intercepted = if self.live.is_some() { self.live_intercept(&action) } else { None };
        let change = match intercepted {
            Some(change) => change,
            None => self.dispatch(action),
        };
        if change == Change::Saved {
            self.revision += 1;
        }
        change != Change::Nothing
    }

    /// Hands `action` to the module of its concern; then a lesson in progress follows what it changed.
    fn dispatch(&mut self, action: Action) -> Change {
        let action_wall = action.wall();
        let moves_time = action.moves_the_lesson();
        let change = match action {
            Action::Tick { wall } => self.tick(wall),
            Action::SetPlaying { wall, playing } => self.set_playing(wall, playing),
            Action::SetSpeed { wall, speed } => self.set_speed(wall, speed),
            Action::Step { wall } => self.step(wall),
            Action::SetSkip { wall, skip } => self.set_skip(wall, skip),

            Action::Send { wall } => self.send_draft(wall),
            Action::SendComposed { wall } => self.send_composed(wall),
            Action::SendRequest { wall, request } => self.send_request(wall, *request),
            Action::StopAll { wall } => self.stop_all(wall),
            Action::ViewExchange(seq) => self.view_exchange(seq),

            Action::SelectProvider(p) => self.select_provider(p),
            Action::SetOperation(name) => self.set_operation(&name),
            Action::SetField(name, value) => self.set_field(&name, &value),
            Action::SetRaw(text) => self.set_raw(&text),
            Action::SetMode(mode) => self.set_mode(mode),
            Action::SetCurl(text) => self.set_curl(text),
            Action::ImportCurl => self.import_curl(),
            Action::ImportCurlAndSend { wall } => self.import_curl_and_send(wall),
            Action::LoadDraft { provider, raw } => self.load_draft(provider, &raw),
            Action::SelectServer(p, id) => self.select_server(p, id),

            Action::Reset { wall, seed } => self.reset(wall, seed),
            Action::LoadScenario { wall, scenario, message, undoable } => {
                self.load_scenario(wall, *scenario, message, undoable)
            }
            Action::UndoRestart { wall } => self.undo_restart(wall),
            Action::ForgetSetAside => Change::saved_if(self.undo.take().is_some()),

            Action::StartLesson { wall, lesson, source } => self.start_lesson(wall, lesson, source),
            Action::EndLesson => Change::saved_if(self.lesson.take().is_some()),
            Action::RetryStep { wall } => self.retry_step(wall),
            Action::RestartLesson { wall } => self.restart_lesson(wall),

            Action::ImportSession { wall, name, text } => self.import_session(wall, &name, &text),

            Action::ShowNotice(n) => {
                self.notice = Some(n);
                Change::Saved
            }
            Action::DismissNotice => {
                self.notice = None;
                Change::Saved
            }
            Action::Toast(text) => {
                self.toast(text);
                Change::Saved
            }
            Action::ClearToast => match self.toast.take() {
                Some(_) => Change::Shown,
                None => Change::Nothing,
            },
            Action::Live(action) => self.live_action(action),
        };
        if moves_time && change != Change::Nothing {
            self.follow_lesson(wall_of(&action_wall));
            Change::Saved
        } else {
            change
        }
    }

    /// Shows a warning banner.
    fn warn(&mut self, text: String) {
        self.notice = Some(Notice { kind: NoticeKind::Warning, text, unreadable_kept: false });
    }

    /// Shows a toast (a new id, so the page restarts its timer even for the same text).
    fn toast(&mut self, text: impl Into<String>) {
        let id = self.toast.as_ref().map_or(1, |(id, _)| id + 1);
        self.toast = Some((id, text.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_ticks_report_no_change() {
        let mut s = AppState::new(Scenario::default(), 0.0).unwrap();
        assert!(!s.apply(Action::Tick { wall: 10.0 }));
        assert!(!s.apply(Action::ClearToast));
    }
}
