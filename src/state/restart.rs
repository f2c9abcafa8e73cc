//! Starting the simulation again from T+0 (`Reset` with the same or a new seed, `LoadScenario` for faults,
//! the status profile, a file or a preset; a lesson's start goes through here too), and the Undo that brings
//! back what a restart set aside (`UndoRestart`, declined by `ForgetSetAside`).

use super::{AppState, Change, Clock, Notice, NoticeKind};
use sim::{Scenario, Sim};
use std::rc::Rc;

impl AppState {
    /// `Reset`: the same scenario from T+0, with a new seed when one is given.
    pub(super) fn reset(&mut self, wall: f64, seed: Option<u64>) -> Change {
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
        Change::Saved
    }

    /// `LoadScenario`: `scenario` from T+0, or a banner saying why it cannot be used (nothing else changes).
    pub(super) fn load_scenario(
        &mut self,
        wall: f64,
        scenario: Scenario,
        message: String,
        undoable: bool,
    ) -> Change {
        match Sim::new(scenario) {
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
        }
        Change::Saved
    }

    /// Starts `sim` from T+0. With `undoable`, sent requests are set aside for "Undo" first (a host page's
    /// scenario in an embed is not undoable: the host was told it is loaded).
    pub(super) fn restart(&mut self, sim: Sim, wall: f64, undoable: bool) {
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
    pub(super) fn restarted(&mut self, message: String) {
        if self.undo.is_some() {
            self.toast(format!(
                "{message} The requests sent before were set aside: Undo is at the top of the page."
            ));
        } else {
            self.toast(message);
        }
    }

    /// `UndoRestart`: brings back the page from before the restart that set requests aside; the composer
    /// stays as it is. Nothing to do when nothing was set aside.
    pub(super) fn undo_restart(&mut self, wall: f64) -> Change {
        let Some(before) = self.undo.take() else { return Change::Nothing };
        let mut restored = (*before).clone();
        let resume_at = before.clock.anchor();
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
        Change::Saved
    }
}

#[cfg(test)]
mod tests {
    use crate::state::{Action, AppState, Notice, NoticeKind};
    use sim::{Provider, Scenario, SimTime};

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
}
