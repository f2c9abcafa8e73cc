//! Guided lessons on the page: the lesson being followed ([`LessonRun`]), its progress (derived from the
//! transcript by `sim::lesson::progress`, never stored), starting (`StartLesson`: its scenario from T+0,
//! its provider in the composer), leaving (`EndLesson`), and the ways out of a dead end: `RetryStep` goes
//! back to where the current step began (the moment the step before it was done, rebuilt by replaying the
//! requests up to then, the later ones set aside for Undo), `RestartLesson` starts it again.
//!
//! A step whose moment passes has a clock need (`sim::lesson::ClockNeed`): when it becomes the current
//! step, the lesson pauses the clock (or slows it to 1×) and says so; when a step without one follows, the
//! clock plays again as it was. [`AppState::follow_lesson`] does this after every action that can change
//! the transcript.

use super::{AppState, Change};
use sim::lesson::{ClockNeed, Lesson, StepState, StepStatus};
use sim::Sim;
use std::rc::Rc;

/// A lesson being followed: the parsed lesson and the file text it came from (kept for export, reload and
/// share links), and what the lesson did to the clock.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// Its JSON text.
    pub source: Rc<str>,
    /// The step that was current when the page last looked (`None`: not looked yet, or all done).
    pub current: Option<usize>,
    /// The clock as it was before the lesson paused or slowed it for a step (playing, speed).
    pub held: Option<(bool, u32)>,
}

impl LessonRun {
    /// A lesson just opened.
    pub fn new(lesson: Rc<Lesson>, source: Rc<str>) -> LessonRun {
        LessonRun { lesson, source, current: None, held: None }
    }
}

impl AppState {
    /// The lesson's step statuses after the timeline so far.
    pub fn lesson_progress(&self) -> Option<Vec<StepStatus>> {
        let run = self.lesson.as_ref()?;
        Some(sim::lesson::progress(&run.lesson, &self.transcript()))
    }

    /// `StartLesson`: restarts on the lesson's scenario (undoably), or a banner saying why it cannot.
    pub(super) fn start_lesson(&mut self, wall: f64, lesson: Rc<Lesson>, source: Rc<str>) -> Change {
        match lesson.scenario().map(Sim::new) {
            Ok(Ok(sim)) => {
                self.release_clock(wall);
                self.restart(sim, wall, true);
                if let Some(p) = lesson.provider {
                    self.provider = p;
                }
                self.restarted(format!("Lesson started: {}.", lesson.title));
                self.lesson = Some(LessonRun::new(lesson, source));
            }
            Ok(Err(e)) => self.warn(format!("That lesson's scenario cannot start: {e}.")),
            Err(e) => self.warn(format!("That lesson cannot be used: {e}.")),
        }
        Change::Saved
    }

    /// `RestartLesson`: the lesson from its first step, on its own scenario from T+0.
    pub(super) fn restart_lesson(&mut self, wall: f64) -> Change {
        let Some(run) = self.lesson.clone() else { return Change::Nothing };
        self.start_lesson(wall, run.lesson, run.source)
    }

    /// `RetryStep`: back to where the current step began, with the requests sent since set aside.
    pub(super) fn retry_step(&mut self, wall: f64) -> Change {
        let Some(progress) = self.lesson_progress() else { return Change::Nothing };
        let Some(current) = progress.iter().position(|s| s.state != StepState::Done) else {
            return Change::Nothing;
        };
        let Some((keep, at)) = sim::lesson::step_start(&progress, current) else { return Change::Nothing };
        let Ok(sim) = Sim::new(self.sim.scenario().clone()) else { return Change::Nothing };
        let kept: Vec<_> = self.sends.iter().take(keep).cloned().collect();
        self.sync(wall);
        self.restart(sim, wall, true);
        // Replaying the kept requests is not new work: what the restart set aside stays offered.
        let undo = self.undo.take();
        for sent in kept {
            self.replay_send(sent.at, sent.request, sent.wall);
        }
        self.replay_advance(at, wall);
        self.undo = undo;
        let need = self.lesson.as_ref().and_then(|r| r.lesson.steps.get(current)).and_then(|s| s.clock);
        let mut paused = "";
        if need == Some(ClockNeed::Pause) && self.clock.playing {
            // Paused here rather than by `follow_lesson`, so that one message says both things.
            let before = (self.clock.playing, self.clock.speed);
            self.clock.playing = false;
            if let Some(run) = self.lesson.as_mut() {
                run.held = Some(before);
            }
            paused = " The clock is paused for it.";
        }
        if let Some(run) = self.lesson.as_mut() {
            run.current = None;
        }
        self.restarted(format!("Back to the start of step {}, at {at}.{paused}", current + 1));
        Change::Saved
    }

    /// After anything that can change the transcript: when another step has become the current one, gives
    /// it the clock it needs (pausing or slowing, and saying so), or gives back the clock the lesson held.
    pub(super) fn follow_lesson(&mut self, wall: f64) {
        let Some(progress) = self.lesson_progress() else { return };
        let Some(run) = self.lesson.as_ref() else { return };
        let current = progress.iter().position(|s| s.state != StepState::Done);
        if current == run.current {
            return;
        }
        let need = current.and_then(|i| run.lesson.steps.get(i)).and_then(|s| s.clock);
        let held = run.held;
        let step = current.map_or(0, |i| i + 1);
        match need {
            Some(need) => {
                // The clock as the user last set it (they may have played on since the lesson paused it).
                let before = (self.clock.playing, self.clock.speed);
                let changed = match need {
                    ClockNeed::Pause => self.clock.playing,
                    ClockNeed::Slow => !self.clock.playing || self.clock.speed != 1,
                };
                if changed {
                    self.sync(wall);
                    let now = self.now_at(wall);
                    self.clock.reanchor(now, wall);
                    match need {
                        ClockNeed::Pause => self.clock.playing = false,
                        ClockNeed::Slow => {
                            self.clock.playing = true;
                            self.clock.speed = 1;
                        }
                    }
                    self.toast(match need {
                        ClockNeed::Pause => format!(
                            "The lesson paused the clock for step {step}: its moment would pass while you work. Press Play when you want time to move."
                        ),
                        ClockNeed::Slow => {
                            format!("The lesson slowed the clock to 1× for step {step}, so you can watch it happen.")
                        }
                    });
                }
                if let Some(run) = self.lesson.as_mut() {
                    run.held = changed.then_some(before).or(held);
                }
            }
            None => {
                if let Some((playing, speed)) = held {
                    self.sync(wall);
                    let now = self.now_at(wall);
                    self.clock.reanchor(now, wall);
                    self.clock.playing = playing;
                    self.clock.speed = speed;
                    if playing {
                        self.toast(if current.is_some() {
                            format!("Step {} done: the clock plays again.", step - 1)
                        } else {
                            "Lesson done: the clock plays again.".to_string()
                        });
                    }
                }
                if let Some(run) = self.lesson.as_mut() {
                    run.held = None;
                }
            }
        }
        if let Some(run) = self.lesson.as_mut() {
            run.current = current;
        }
        self.refresh_fleet();
    }

    /// Forgets what the lesson did to the clock (a new lesson starts from the clock as the user left it).
    fn release_clock(&mut self, wall: f64) {
        if let Some((playing, speed)) = self.lesson.as_ref().and_then(|r| r.held) {
            let now = self.now_at(wall);
            self.clock.reanchor(now, wall);
            self.clock.playing = playing;
            self.clock.speed = speed;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::draft::Mode;
    use crate::session::Share;
    use crate::state::{Action, AppState};
    use sim::lesson::{Lesson, StepState};
    use sim::{Provider, SimTime};
    use std::rc::Rc;

    fn shipped(name: &str) -> (Rc<Lesson>, Rc<str>) {
        let path = std::path::Path::new(
            &std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
        )
        .join(format!("lessons/{name}.json"));
        let text = std::fs::read_to_string(path).unwrap();
        (Rc::new(Lesson::from_json(&text).unwrap()), Rc::from(text.as_str()))
    }

    fn started(name: &str) -> AppState {
        let (lesson, source) = shipped(name);
        let mut s = AppState::builtin(0.0);
        s.apply(Action::StartLesson { wall: 0.0, lesson, source });
        s
    }

    fn done(s: &AppState) -> usize {
        s.lesson_progress().unwrap().iter().filter(|p| p.state == StepState::Done).count()
    }

    /// Puts step `i`'s first solution request in the composer and sends it.
    fn send_solution(s: &mut AppState, i: usize, wall: f64) {
        let lesson = s.lesson.as_ref().unwrap().lesson.clone();
        let sim::lesson::Action::Send { request, .. } = &lesson.steps[i].solution[0] else { panic!() };
        let provider =
            crate::ops::extract(&crate::wiretext::parse_request(request).unwrap()).unwrap().provider;
        s.apply(Action::LoadDraft { provider, raw: request.clone() });
        s.apply(Action::Send { wall });
    }

    /// What the Send button and Ctrl+Enter dispatch moves the lesson on as `Send` does: the next step's clock
    /// need applies at once.
    #[test]
    fn a_send_from_the_composer_moves_the_lesson_on() {
        let mut s = started("transfer-stop-lifecycle");
        let lesson = s.lesson.as_ref().unwrap().lesson.clone();
        let sim::lesson::Action::Send { request, .. } = &lesson.steps[0].solution[0] else { panic!() };
        s.apply(Action::LoadDraft { provider: Provider::Transfer, raw: request.clone() });
        s.apply(Action::SendComposed { wall: 100.0 });
        assert_eq!(done(&s), 1);
        assert!(!s.clock.playing, "paused for step 2");
    }

    #[test]
    fn a_missed_moment_is_retried_with_the_clock_paused_and_later_steps_follow() {
        let mut s = started("transfer-stop-lifecycle");
        assert!(s.clock.playing);
        send_solution(&mut s, 0, 100.0);
        assert_eq!(done(&s), 1);
        // Step 2 (catch STOPPING) needs a paused clock: the lesson paused it and said so.
        assert!(!s.clock.playing, "paused for step 2");
        assert!(s.toast.as_ref().unwrap().1.contains("paused the clock for step 2"));
        // The learner plays on anyway and misses the moment: the server is OFFLINE.
        s.apply(Action::SetPlaying { wall: 200.0, playing: true });
        s.apply(Action::SetSpeed { wall: 200.0, speed: 100 });
        s.apply(Action::Tick { wall: 5_000.0 });
        let state = |s: &AppState| s.sim.server(Provider::Transfer, "s-0123456789abcdef0").unwrap().state;
        assert_eq!(state(&s), "OFFLINE");
        send_solution(&mut s, 1, 5_000.0);
        assert_eq!(done(&s), 1, "too late for STOPPING");
        // Retry the step: back to the moment step 1 was done, STOPPING again, later requests set aside.
        assert!(s.apply(Action::RetryStep { wall: 6_000.0 }));
        let toast = s.toast.as_ref().unwrap().1.clone();
        assert!(
            toast.starts_with("Back to the start of step 2, at T+00:00:01. The clock is paused for it."),
            "{toast}"
        );
        assert_eq!(state(&s), "STOPPING");
        assert_eq!(s.sends.len(), 1);
        assert_eq!(s.undo.as_ref().map(|u| u.sends.len()), Some(2));
        assert!(!s.clock.playing, "paused again for the step retried");
        send_solution(&mut s, 1, 7_000.0);
        assert_eq!(done(&s), 2);
        // Step 3 has no clock need: the clock plays again, as the learner had set it.
        assert!(s.clock.playing);
        assert_eq!(s.clock.speed, 100);
        assert!(s.toast.as_ref().unwrap().1.contains("Step 2 done: the clock plays again"));
        // Restarting the lesson starts from T+0 with nothing done.
        s.apply(Action::RestartLesson { wall: 8_000.0 });
        assert_eq!(done(&s), 0);
        assert_eq!(s.sim.now(), SimTime::ZERO);
    }

    #[test]
    fn an_example_the_form_would_refuse_lands_in_raw_http_and_sends() {
        let mut s = started("nova-locks-and-tokens");
        let raw = s.lesson.as_ref().unwrap().lesson.steps[0].request.clone().unwrap();
        s.apply(Action::LoadDraft { provider: Provider::Nova, raw });
        assert_eq!(s.draft().mode, Mode::Raw);
        assert!(s.draft().notes[0].contains("X-Auth-Token is required there"), "{:?}", s.draft().notes);
        s.apply(Action::Send { wall: 10.0 });
        assert_eq!(done(&s), 1);
        // A request the form can send still opens in the form.
        let raw = s.lesson.as_ref().unwrap().lesson.steps[0].solution.len();
        assert_eq!(raw, 1);
        let mut t = started("transfer-stop-lifecycle");
        let raw = t.lesson.as_ref().unwrap().lesson.steps[0].request.clone().unwrap();
        t.apply(Action::LoadDraft { provider: Provider::Transfer, raw });
        assert_eq!(t.draft().mode, Mode::Form);
    }

    #[test]
    fn a_share_link_carries_the_lesson_and_the_step_to_start_at() {
        let mut s = started("lightsail-stop-and-force");
        send_solution(&mut s, 0, 10.0);
        let link = s.share().to_fragment();
        let opened = AppState::from_share(Share::from_fragment(&link).unwrap().unwrap(), 0.0).unwrap();
        let run = opened.lesson.as_ref().expect("the lesson travels");
        assert_eq!(run.lesson, s.lesson.as_ref().unwrap().lesson);
        assert_eq!(done(&opened), 0, "a class starts at the first step");
        // Starting at step 4 (GetOperation): steps 1-3 done by their solutions, the operation id filled in.
        let link = s.share_at(Some(3)).to_fragment();
        let opened = AppState::from_share(Share::from_fragment(&link).unwrap().unwrap(), 0.0).unwrap();
        assert_eq!(done(&opened), 3);
        assert!(!opened.sends.is_empty());
        // A lesson that does not parse, or a step past the end, is refused with a reason.
        let mut share = s.share_at(Some(9));
        assert!(AppState::from_share(share.clone(), 0.0).unwrap_err().contains("only 6"));
        share.lesson_step = None;
        share.lesson = share.lesson.map(|t| t.replace("\"goal\"", "\"gaol\""));
        let e = AppState::from_share(share, 0.0).unwrap_err();
        assert!(e.contains("the lesson it carries is invalid (steps[0].gaol"), "{e}");
    }

    #[test]
    fn sends_carry_the_wall_clock_time_when_the_page_knows_it() {
        let mut s = AppState::builtin(0.0);
        s.epoch = 1_800_000_000_000.0;
        s.apply(Action::SelectServer(Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 1_500.0 });
        assert_eq!(s.sends[0].wall, Some(1_800_000_001_500));
        let back = AppState::restore(&s.session(2_000.0).to_json(), 0.0).unwrap();
        assert_eq!(back.sends[0].wall, Some(1_800_000_001_500));
    }

    #[test]
    fn undoing_a_lesson_start_says_the_lesson_was_left() {
        let text = std::fs::read_to_string(
            std::path::Path::new(
                &std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
            )
            .join("lessons/transfer-stop-lifecycle.json"),
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
}
