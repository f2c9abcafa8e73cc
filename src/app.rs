//! The root component: owns the one reducer (`hooks::use_app_state`), publishes it as a context, and runs
//! the page's hooks (the clock loop, the toast timer, autosave, startup). Layout follows the design guide:
//! fleet | composer + response | state machine + timeline, with the clock and scenario controls along the
//! bottom. The header switches to the side-by-side view and opens the lessons panel; `?embed` renders the
//! embed layout instead (see `components::embed`).

use crate::components::{
    clockbar::clock_bar,
    compare::SideBySide,
    composer::composer,
    diagram::diagram,
    embed::EmbedView,
    fleet::fleet_panel,
    header::Header,
    instructor::InstructorView,
    lessons::LessonsPanel,
    notice::{notice_banner, set_aside_bar},
    response::response_panel,
    snippets::SnippetsPanel,
    timeline::Timeline,
    toast::toast,
};
use crate::hooks::{
    use_app_state, use_autosave, use_clock_loop, use_escape_closes_popovers, use_focus_keeper, use_live_link,
    use_select_server, use_send_shortcut, use_startup, use_stop_all, use_toast_timer, StateHandle,
};
use crate::storage;
use std::rc::Rc;
use yew::prelude::*;

/// The main page's views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Fleet, composer, response, diagram and timeline.
    Playground,
    /// The three dialects side by side.
    SideBySide,
    /// Class progress: students' exported sessions, graded by replay.
    Instructor,
}

/// The playground page.
#[component]
pub fn App() -> Html {
    let embed = use_memo((), |_| storage::embed_config().map(Rc::new));
    let state = use_app_state(embed.clone());
    let time = use_node_ref();
    use_clock_loop(state.clone(), time.clone());
    use_toast_timer(&state);
    use_send_shortcut(&state);
    use_live_link(&state);
    use_escape_closes_popovers();
    use_focus_keeper();
    let on_select = use_select_server(&state);
    let on_stop_all = use_stop_all(&state);
    let view = use_state(|| View::Playground);
    let lessons_open = use_state(|| false);
    use_autosave(&state, embed.is_some());
    use_startup(embed.clone(), &state, lessons_open.clone());

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
        View::Instructor => html! { <InstructorView /> },
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
                if *view == View::Playground { {skip_links()} }
                <Header view={*view} {on_view} lessons_open={show_lessons} {on_lessons} />
                {notice_banner(&state)}
                {set_aside_bar(&state)}
                {main}
                {clock_bar(&state, &time)}
                {toast(&state)}
            </div>
        </ContextProvider<StateHandle>>
    }
}

/// The first stops of the Tab order: links past the header and the fleet to the request, the response and
/// the fleet. Each moves focus to its panel (which takes focus, `tabindex="-1"`) without touching the URL.
fn skip_links() -> Html {
    let link = |target: &'static str, label: &'static str| {
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            storage::focus_now(&format!("#{target}"));
        });
        html! { <a href={format!("#{target}")} {onclick}>{label}</a> }
    };
    html! {
        <nav class="skip" aria-label="Skip links">
            {link("composer", "Skip to the request")}
            {link("response", "Skip to the response")}
            {link("fleet", "Skip to the fleet")}
        </nav>
    }
}
