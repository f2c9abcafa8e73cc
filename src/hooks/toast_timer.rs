//! Clears each toast after four seconds.

use super::StateHandle;
use crate::state::Action;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Clears each toast four seconds after it appears (a new toast restarts the timer). Called once by the root
/// component, which always shows the toast region.
#[hook]
pub fn use_toast_timer(state: &StateHandle) {
    let id = state.toast.as_ref().map(|(id, _)| *id);
    let state = state.clone();
    use_effect_with(id, move |id| {
        let timer = id.map(|_| Timeout::new(4000, move || state.dispatch(Action::ClearToast)));
        move || drop(timer)
    });
}
