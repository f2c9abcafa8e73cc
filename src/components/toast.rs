//! A short confirmation that fades after a few seconds (a polite live region).

use crate::app::use_app;
use crate::state::Action;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// The toast.
#[component]
pub fn Toast() -> Html {
    let Some(state) = use_app() else { return Html::default() };
    let id = state.toast.as_ref().map(|(id, _)| *id);
    {
        let state = state.clone();
        use_effect_with(id, move |id| {
            let timer = id.map(|_| Timeout::new(4000, move || state.dispatch(Action::ClearToast)));
            move || drop(timer)
        });
    }
    html! {
        <div class="toast-region" role="status" aria-live="polite">
            if let Some((_, text)) = &state.toast {
                <div class="toast">{text}</div>
            }
        </div>
    }
}
