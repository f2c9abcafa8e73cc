//! The fleet panel's callbacks. Hooks of the root component, so each callback stays the same object across
//! renders and the rows (memoised on their props) are not redrawn for nothing.

use super::{dispatch_now, StateHandle};
use crate::state::Action;
use sim::Provider;
use yew::prelude::*;

/// Selecting a server (a row's click).
#[hook]
pub fn use_select_server(state: &StateHandle) -> Callback<(Provider, String)> {
    let state = state.clone();
    use_callback((), move |(p, id): (Provider, String), _| state.dispatch(Action::SelectServer(p, id)))
}

/// "Stop all running servers".
#[hook]
pub fn use_stop_all(state: &StateHandle) -> Callback<()> {
    let state = state.clone();
    use_callback((), move |(), _| dispatch_now(&state, |wall| Action::StopAll { wall }))
}
