//! The clock loop: one animation-frame loop that turns wall time into simulated time.
//!
//! Every frame it writes the simulated time (in seconds) into the CSS custom property `--now` on the app
//! root, from which every progress bar computes its own fill, and refreshes the clock text; it dispatches
//! [`Action::Tick`] only when a scheduled transition is due, so the fleet re-renders at state changes, not at
//! 60 Hz. With `prefers-reduced-motion` the bars move once a second instead of continuously.

use crate::app::StateHandle;
use crate::state::Action;
use crate::storage;
use gloo::render::{request_animation_frame, AnimationFrame};
use sim::SimTime;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

/// `T+00:01:30` (whole seconds).
pub fn clock_text(t: SimTime) -> String {
    SimTime(t.as_millis() / 1000 * 1000).to_string()
}

struct Loop {
    state: RefCell<StateHandle>,
    root: NodeRef,
    time: NodeRef,
    frame: RefCell<Option<AnimationFrame>>,
    stopped: Cell<bool>,
    last_now: Cell<u64>,
    last_second: Cell<u64>,
    last_css_wall: Cell<f64>,
    reduced: bool,
}

fn frame(l: &Rc<Loop>) {
    if l.stopped.get() {
        return;
    }
    let wall = storage::wall();
    let state = l.state.borrow().clone();
    let now = state.now_at(wall);
    let moving = state.clock.playing && state.fleet.iter().any(|s| s.transition.is_some());
    let css_due = !l.reduced || wall - l.last_css_wall.get() >= 1000.0;
    if now.as_millis() != l.last_now.get() && (css_due || !moving) {
        l.last_now.set(now.as_millis());
        l.last_css_wall.set(wall);
        if let Some(el) = l.root.cast::<web_sys::HtmlElement>() {
            let _ = el.style().set_property("--now", &format!("{:.3}", now.as_secs_f64()));
        }
    }
    let second = now.as_millis() / 1000;
    if second != l.last_second.get() {
        l.last_second.set(second);
        if let Some(el) = l.time.cast::<web_sys::Element>() {
            el.set_text_content(Some(&clock_text(now)));
        }
    }
    if state.sim.next_due().is_some_and(|due| due <= now) {
        state.dispatch(Action::Tick { wall });
    }
    let next = l.clone();
    let handle = request_animation_frame(move |_| frame(&next));
    *l.frame.borrow_mut() = Some(handle);
}

/// Runs the clock loop for the page's lifetime.
#[hook]
pub fn use_clock_loop(state: StateHandle, root: NodeRef, time: NodeRef) {
    let shared = use_mut_ref(|| None::<Rc<Loop>>);
    if let Some(l) = shared.borrow().as_ref() {
        *l.state.borrow_mut() = state.clone();
    }
    use_effect_with((), move |_| {
        let l = Rc::new(Loop {
            state: RefCell::new(state),
            root,
            time,
            frame: RefCell::new(None),
            stopped: Cell::new(false),
            last_now: Cell::new(u64::MAX),
            last_second: Cell::new(u64::MAX),
            last_css_wall: Cell::new(f64::NEG_INFINITY),
            reduced: storage::reduced_motion(),
        });
        *shared.borrow_mut() = Some(l.clone());
        frame(&l);
        move || {
            l.stopped.set(true);
            l.frame.borrow_mut().take();
            shared.borrow_mut().take();
        }
    });
}
