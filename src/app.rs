//! The root component: owns the one reducer, publishes it as a context, runs the clock loop and saves the
//! session. Layout follows the design guide: fleet | composer + response | state machine + timeline, with
//! the clock and scenario controls along the bottom.

use crate::clock::use_clock_loop;
use crate::components::{
    clockbar::ClockBar, composer::Composer, diagram::Diagram, fleet::FleetPanel, header::Header,
    notice::NoticeBanner, response::ResponsePanel, timeline::Timeline, toast::Toast,
};
use crate::state::{Action, AppState};
use crate::storage;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
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

/// The app state from the context (`None` only if a component is mounted outside `App`).
#[hook]
pub fn use_app() -> Option<StateHandle> {
    use_context::<StateHandle>()
}

/// Dispatches an action built from the current wall time.
pub fn dispatch_now(state: &StateHandle, make: impl FnOnce(f64) -> Action) {
    state.dispatch(make(storage::wall()));
}

/// The playground page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(storage::initial_state);
    let time = use_node_ref();
    use_clock_loop(state.clone(), time.clone());

    // Save at most a few times a second while things change, and always when the page goes away.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let latest = latest.clone();
        use_effect_with(state.revision, move |_| {
            if pending.borrow().is_none() {
                let slot = pending.clone();
                *pending.borrow_mut() = Some(Timeout::new(400, move || {
                    storage::save(&latest.borrow());
                    slot.borrow_mut().take();
                }));
            }
        });
    }
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .map(|w| EventListener::new(&w, "pagehide", move |_| storage::save(&latest.borrow())));
            storage::mark_ready();
            move || drop(listener)
        });
    }

    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
            <div class="app">
                <Header />
                <NoticeBanner />
                <main class="cols">
                    <FleetPanel />
                    <div class="col-center">
                        <Composer />
                        <ResponsePanel />
                    </div>
                    <div class="col-right">
                        <Diagram />
                        <Timeline />
                    </div>
                </main>
                <ClockBar time_ref={time} />
                <Toast />
            </div>
        </ContextProvider<StateHandle>>
    }
}
