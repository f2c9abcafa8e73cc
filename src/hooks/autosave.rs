//! Saving the session to localStorage: at most a few times a second while things change, and always when the
//! page goes away (`pagehide`). An embed saves nothing, so it never disturbs the full page's session.

use super::StateHandle;
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Saves `state`'s session 400 ms after a change worth saving (a change of [`crate::state::AppState::revision`];
/// later changes in that window ride along) and on `pagehide`; nothing when `embedded`.
#[hook]
pub fn use_autosave(state: &StateHandle, embedded: bool) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let latest = latest.clone();
        use_effect_with(state.revision, move |_| {
            if pending.borrow().is_none() && !embedded {
                let slot = pending.clone();
                *pending.borrow_mut() = Some(Timeout::new(400, move || {
                    storage::save(&latest.borrow());
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
