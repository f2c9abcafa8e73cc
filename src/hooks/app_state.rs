//! The one reducer: [`AppState`] as a Yew `Reducible`, created once by the root ([`use_app_state`]) and read
//! by every component through the context ([`use_app`]).

use crate::embed::EmbedConfig;
use crate::state::{Action, AppState};
use crate::storage;
use std::rc::Rc;
use yew::prelude::*;

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Cheap refusals first, so a frame-loop tick with nothing due costs no clone.
        match &action {
            Action::Tick { wall } if self.sim.next_due().is_none_or(|d| d > self.clock.sim_at(*wall)) => {
                return self;
            }
            Action::ClearToast if self.toast.is_none() => return self,
            _ => {}
        }
        let mut next = (*self).clone();
        if next.apply(action) {
            Rc::new(next)
        } else {
            self
        }
    }
}

/// The reducer handle every component reads through `use_context`.
pub type StateHandle = UseReducerHandle<AppState>;

/// The page's reducer, starting from what the URL and storage say ([`storage::initial_state`]), or, in an
/// embed, from what its URL asks for and nothing stored ([`storage::embed_state`]).
#[hook]
pub fn use_app_state(embed: Rc<Option<Rc<EmbedConfig>>>) -> StateHandle {
    use_reducer(move || match embed.as_ref() {
        Some(config) => storage::embed_state(config),
        None => storage::initial_state(),
    })
}

/// The app state from the context (`None` only if a component is mounted outside `App`).
#[hook]
pub fn use_app() -> Option<StateHandle> {
    use_context::<StateHandle>()
}

/// Dispatches an action built from the current wall time.
pub fn dispatch_now(state: &StateHandle, make: impl FnOnce(f64) -> Action) {
    state.dispatch(make(storage::wall()));
}
