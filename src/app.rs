//! The root component: owns the one reducer, publishes it as a context, runs the clock loop and saves the
//! session. Layout follows the design guide: fleet | composer + response | state machine + timeline, with
//! the clock and scenario controls along the bottom. The header switches to the side-by-side view and
//! opens the lessons panel; `?embed` renders the embed layout instead (see `components::embed`).

use crate::clock::use_clock_loop;
use crate::components::{
    clockbar::clock_bar,
    compare::SideBySide,
    composer::composer,
    diagram::diagram,
    embed::EmbedView,
    fleet::{fleet_panel, use_select_server, use_stop_all},
    header::{header, HeaderProps},
    lessons::LessonsPanel,
    notice::{notice_banner, set_aside_bar},
    response::response_panel,
    snippets::SnippetsPanel,
    timeline::Timeline,
    toast::{toast, use_toast_timer},
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

/// The main page's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Fleet, composer, response, diagram and timeline.
    Playground,
    /// The three dialects side by side.
    SideBySide,
}

/// The playground page.
#[component]
pub fn App() -> Html {
    let embed = use_memo((), |_| storage::embed_config().map(Rc::new));
    let state = {
        let embed = embed.clone();
        use_reducer(move || match embed.as_ref() {
            Some(config) => storage::embed_state(config),
            None => storage::initial_state(),
        })
    };
    let time = use_node_ref();
    use_clock_loop(state.clone(), time.clone());
    use_toast_timer(&state);
    let on_select = use_select_server(&state);
    let on_stop_all = use_stop_all(&state);
    let share_link = use_state(|| None::<String>);
    let view = use_state(|| View::Playground);
    let lessons_open = use_state(|| false);
    let embedded = embed.is_some();
    {
        let embed = embed.clone();
        let state = state.clone();
        let lessons_open = lessons_open.clone();
        use_effect_with((), move |_| {
            if let Some(theme) = embed.as_ref().as_ref().and_then(|c| c.theme) {
                storage::set_theme(theme);
            }
            if embed.is_none() {
                if let Some(url) = storage::lesson_param() {
                    lessons_open.set(true);
                    crate::components::lessons::load_from_url(state, url);
                }
            }
        });
    }

    // Save at most a few times a second while things change, and always when the page goes away.
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
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window()
                .filter(|_| !embedded)
                .map(|w| EventListener::new(&w, "pagehide", move |_| storage::save(&latest.borrow())));
            storage::mark_ready();
            move || drop(listener)
        });
    }

    if let Some(config) = embed.as_ref() {
        return html! {
            <ContextProvider<StateHandle> context={state.clone()}>
                <EmbedView config={config.clone()} state={state.clone()} />
            </ContextProvider<StateHandle>>
        };
    }
    let on_view = {
        let view = view.clone();
        Callback::from(move |v: View| view.set(v))
    };
    let on_lessons = {
        let lessons_open = lessons_open.clone();
        Callback::from(move |_: ()| lessons_open.set(!*lessons_open))
    };
    let show_lessons = *lessons_open || state.lesson.is_some();
    let main = match *view {
        View::SideBySide => html! { <SideBySide /> },
        View::Playground => html! {
            <main class="cols">
                {fleet_panel(&state, &on_select, &on_stop_all)}
                <div class="col-center">
                    {composer(&state)}
                    {response_panel(&state)}
                    <SnippetsPanel />
                </div>
                <div class="col-right">
                    if show_lessons { <LessonsPanel /> }
                    {diagram(&state)}
                    <Timeline />
                </div>
            </main>
        },
    };
    html! {
        <ContextProvider<StateHandle> context={state.clone()}>
            <div class="app">
                {header(&state, &HeaderProps { view: *view, on_view, lessons_open: show_lessons, on_lessons }, share_link)}
                {notice_banner(&state)}
                {set_aside_bar(&state)}
                {main}
                {clock_bar(&state, &time)}
                {toast(&state)}
            </div>
        </ContextProvider<StateHandle>>
    }
}
