//! The clock loop: one animation-frame loop that turns wall time into simulated time.
//!
//! Every frame it refreshes the clock text and dispatches [`Action::Tick`] only when a scheduled transition
//! is due, so the fleet re-renders at state changes, not at 60 Hz. Progress bars are CSS animations started
//! from the same mapping (see `components::fleet::progress`), so they need no per-frame work at all.

use super::StateHandle;
use crate::components::clock_text;
use crate::state::Action;
use crate::storage;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

struct Loop {
    state: RefCell<StateHandle>,
    time: NodeRef,
    frame: RefCell<Option<AnimationFrame>>,
    stopped: Cell<bool>,
    last_second: Cell<u64>,
}

fn frame(l: &Rc<Loop>) {
    if l.stopped.get() {
        return;
    }
    let wall = storage::wall();
    let state = l.state.borrow().clone();
    let now = state.now_at(wall);
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

/// Runs the clock loop for the page's lifetime, writing the clock text into `time`.
#[hook]
pub fn use_clock_loop(state: StateHandle, time: NodeRef) {
    let shared = use_mut_ref(|| None::<Rc<Loop>>);
    if let Some(l) = shared.borrow().as_ref() {
        *l.state.borrow_mut() = state.clone();
    }
    use_effect_with((), move |_| {
        let l = Rc::new(Loop {
            state: RefCell::new(state),
            time,
            frame: RefCell::new(None),
            stopped: Cell::new(false),
            last_second: Cell::new(u64::MAX),
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
