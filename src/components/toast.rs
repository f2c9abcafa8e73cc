//! A short confirmation that fades after a few seconds (a polite live region; the timer that clears it is
//! [`crate::hooks::use_toast_timer`]).

use crate::hooks::StateHandle;
use yew::prelude::*;

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
