//! Saving the session to localStorage: at most a few times a second while things change, and always when the
//! page goes away (`pagehide`). An embed saves nothing, so it never disturbs the full page's session.
//!
//! A save writes the whole session (scenario and every request sent), so its cost grows with the session:
//! after a "Stop all" at 10,000 servers one save takes tens of milliseconds, and saving every 400 ms while
//! the servers move would drop frames. The wait after a change is therefore at least [`COST_FACTOR`] times
//! what the last save took, which keeps autosaving under about 5 % of the main thread at any size.

use super::StateHandle;
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// The shortest wait after a change before saving, in milliseconds.
const DELAY_MS: f64 = 400.0;
/// The wait is at least this many times the last save's duration.
const COST_FACTOR: f64 = 20.0;

/// Saves `state`'s session a moment after a change worth saving (a change of
/// [`crate::state::AppState::revision`]; later changes in that window ride along: 400 ms, or longer for a session
/// that is slow to write, see the module doc) and on `pagehide`; nothing when `embedded`.
#[hook]
pub fn use_autosave(state: &StateHandle, embedded: bool) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let pending = use_mut_ref(|| None::<Timeout>);
    let last_cost = use_mut_ref(|| 0.0f64);
    {
        let latest = latest.clone();
        use_effect_with(state.revision, move |_| {
            if pending.borrow().is_none() && !embedded {
                let slot = pending.clone();
                let wait = DELAY_MS.max(COST_FACTOR * *last_cost.borrow());
                *pending.borrow_mut() = Some(Timeout::new(wait.min(60_000.0) as u32, move || {
                    let started = storage::wall();
                    storage::save(&latest.borrow());
                    *last_cost.borrow_mut() = storage::wall() - started;
                    slot.borrow_mut().take();
                }));
            }
        });
    }
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .filter(|_| !embedded)
            .map(|w| EventListener::new(&w, "pagehide", move |_| storage::save(&latest.borrow())));
        move || drop(listener)
    });
}
