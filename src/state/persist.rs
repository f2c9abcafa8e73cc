//! Sessions and share links from the state's side: the page as a [`Session`] document (saved on every change,
//! exported as a file) or a [`Share`] link, and the page rebuilt from one by replaying its requests
//! (reload, `ImportSession`, opening a share link). Reading and writing the documents' text is
//! `crate::session`'s.

use super::{AppState, Change, Clock, LessonRun};
use crate::draft::{Draft, Mode};
use crate::session::{self, Session, Share};
use sim::lesson::Lesson;

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

    /// The share link of the scenario and the composer's current request, with the open lesson (started
    /// at `step` when given).
    pub fn share(&self) -> Share {
        self.share_at(None)
    }

    /// [`AppState::share`] for a class: the lesson starts at `step` (from 0).
    pub fn share_at(&self, step: Option<usize>) -> Share {
        let share = Share::new(self.sim.scenario(), self.provider, self.draft());
        match &self.lesson {
            Some(run) => share.with_lesson(&run.source, step),
            None => share,
        }
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
                Some(LessonRun::new(lesson.into(), text.as_str().into()))
            }
            None => None,
        };
        let mut state =
            AppState::new(session.scenario, wall).map_err(|e| format!("its scenario is invalid ({e})"))?;
        state.lesson = lesson;
        for sent in session.sends {
            state.replay_send(sent.at, sent.request, sent.wall);
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
        if let Some(text) = &share.lesson {
            let lesson =
                Lesson::from_json(text).map_err(|e| format!("the lesson it carries is invalid ({e})"))?;
            let steps = lesson.steps.len();
            state.lesson = Some(LessonRun::new(lesson.into(), text.as_str().into()));
            match share.lesson_step {
                Some(step) if step >= steps => {
                    return Err(format!("it starts the lesson at step {}, which has only {steps}", step + 1))
                }
                Some(step) => state.prepare_step(step, wall)?,
                None => {}
            }
            state.follow_lesson(wall);
        }
        Ok(state)
    }

    /// Does the lesson's steps before `step` by their solutions, so a class starts there with what the step
    /// needs (an instructor's link "starting at step N").
    fn prepare_step(&mut self, step: usize, wall: f64) -> Result<(), String> {
        let Some(run) = self.lesson.clone() else { return Ok(()) };
        for (i, s) in run.lesson.steps.iter().take(step).enumerate() {
            if s.solution.is_empty() {
                return Err(format!("step {} has no solution to prepare step {} with", i + 1, step + 1));
            }
            for action in &s.solution {
                match action {
                    sim::lesson::Action::Send { request, times } => {
                        for _ in 0..*times {
                            let text = sim::lesson::fill_placeholders(request, &self.transcript())
                                .map_err(|e| format!("step {}'s solution cannot run: {e}", i + 1))?;
                            let request = sim::http::parse_request(&text).map_err(|e| {
                                format!("step {}'s solution cannot run: {}", i + 1, e.message)
                            })?;
                            self.replay_send(self.sim.now(), request, None);
                        }
                    }
                    sim::lesson::Action::Wait(ms) => {
                        let to = self.sim.now().plus_millis(*ms);
                        self.replay_advance(to, wall);
                    }
                }
            }
        }
        self.replay_advance(self.sim.now(), wall);
        Ok(())
    }

    /// `ImportSession`: the whole page replaced by an exported session (replayed), or a banner saying why
    /// the file cannot be used (nothing else changes).
    pub(super) fn import_session(&mut self, wall: f64, name: &str, text: &str) -> Change {
        match AppState::restore(text, wall) {
            Ok(mut state) => {
                state.revision = self.revision;
                state.toast = self.toast.clone();
                state.epoch = self.epoch;
                *self = state;
                self.toast(format!("Imported {name}: its requests were replayed exactly."));
            }
            Err(e) => self.warn(format!("{name} cannot be imported: {e}. Nothing was changed.")),
        }
        Change::Saved
    }
}

#[cfg(test)]
mod tests {
    use crate::session::{self, Session, Share};
    use crate::state::{Action, AppState};
    use crate::test_rng::Lcg;
    use sim::{Provider, Scenario};

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
