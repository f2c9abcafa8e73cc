//! A short confirmation that fades after a few seconds (a polite live region).

use crate::app::StateHandle;
use crate::state::Action;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// Clears each toast after four seconds. Called once by the root component, which always shows the toast.
#[hook]
pub fn use_toast_timer(state: &StateHandle) {
    let id = state.toast.as_ref().map(|(id, _)| *id);
    let state = state.clone();
    use_effect_with(id, move |id| {
        let timer = id.map(|_| Timeout::new(4000, move || state.dispatch(Action::ClearToast)));
        move || drop(timer)
    });
}

/// The toast region.
pub fn toast(state: &StateHandle) -> Html {
    html! {
        <div class="toast-region" role="status" aria-live="polite">
            if let Some((_, text)) = &state.toast {
                <div class="toast">{text}</div>
            }
        </div>
    }
}
