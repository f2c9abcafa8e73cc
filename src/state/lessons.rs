//! Guided lessons on the page: the lesson being followed ([`LessonRun`]), its progress (derived from the
//! transcript by `sim::lesson::progress`, never stored), and starting (`StartLesson`: its scenario from T+0,
//! its provider in the composer) and leaving one (`EndLesson`).

use super::{AppState, Change};
use sim::lesson::{Lesson, StepStatus};
use sim::Sim;
use std::rc::Rc;

/// A lesson being followed: the parsed lesson and the file text it came from (kept for export and reload).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonRun {
    /// The lesson.
    pub lesson: Rc<Lesson>,
    /// Its JSON text.
    pub source: Rc<str>,
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
                self.restart(sim, wall, true);
                if let Some(p) = lesson.provider {
                    self.provider = p;
                }
                self.restarted(format!("Lesson started: {}.", lesson.title));
                self.lesson = Some(LessonRun { lesson, source });
            }
            Ok(Err(e)) => self.warn(format!("That lesson's scenario cannot start: {e}.")),
            Err(e) => self.warn(format!("That lesson cannot be used: {e}.")),
        }
        Change::Saved
    }
}

#[cfg(test)]
mod tests {
    use crate::state::{Action, AppState};
    use sim::lesson::Lesson;
    use sim::Provider;
    use std::rc::Rc;

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
}
