//! The page header: product name, the views (playground, side by side, lessons), session export and import,
//! the scenario in use, and the share link (copied, and shown so it can be selected by hand when the
//! clipboard is not available).

use crate::app::View;
use crate::hooks::{dispatch_now, use_app};
use crate::state::Action;
use crate::storage;
use yew::prelude::*;

/// What the root passes to the header.
#[derive(Properties, PartialEq, Clone)]
pub struct HeaderProps {
    /// The view shown.
    pub view: View,
    /// Switches the view.
    pub on_view: Callback<View>,
    /// Whether the lessons panel is open.
    pub lessons_open: bool,
    /// Opens or closes the lessons panel.
    pub on_lessons: Callback<()>,
}

/// The header. A component because it keeps the share link it last made (shown until the page reloads).
#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let link = use_state(|| None::<String>);
    let Some(state) = use_app() else { return Html::default() };
    let export = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(why) = state.export_refusal() {
                state.dispatch(Action::Toast(why));
                return;
            }
            let text = state.export(storage::wall());
            storage::download("fleetplay-session.json", &text, "application/json");
            state.dispatch(Action::Toast("Session exported: scenario, requests and lesson progress.".into()));
        })
    };
    let import = {
        let state = state.clone();
        storage::on_file_picked(move |name, text| match text {
            Some(text) => dispatch_now(&state, |wall| Action::ImportSession { wall, name, text }),
            None => state.dispatch(Action::Toast(format!("{name} could not be read."))),
        })
    };
    let view_button = |v: View, label: &'static str| {
        let on_view = props.on_view.clone();
        html! {
            <button type="button" class={classes!("ghost", (props.view == v).then_some("on"))}
                aria-pressed={(props.view == v).to_string()} onclick={Callback::from(move |_| on_view.emit(v))}>
                {label}
            </button>
        }
    };
    let lessons = {
        let cb = props.on_lessons.clone();
        let on_view = props.on_view.clone();
        let elsewhere = props.view != View::Playground;
        let open = props.lessons_open;
        Callback::from(move |_| {
            on_view.emit(View::Playground);
            if !(elsewhere && open) {
                cb.emit(());
            }
        })
    };
    let share = {
        let state = state.clone();
        let link = link.clone();
        Callback::from(move |_| {
            let url = storage::url_with_fragment(&state.share().to_fragment());
            storage::copy(&url);
            link.set(Some(url));
            state.dispatch(Action::Toast(match &state.lesson {
                Some(run) => {
                    format!("Share link copied: it opens the lesson {} on this fleet.", run.lesson.title)
                }
                None => "Share link copied: it opens this fleet with this request.".into(),
            }));
        })
    };
    let scenario = state.sim.scenario();
    let title =
        if scenario.title.is_empty() { "Custom scenario".to_string() } else { scenario.title.clone() };
    html! {
        <header class="top">
            <div class="brand">
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" class="logo">
                    <rect x="3" y="4" width="18" height="6" rx="2" />
                    <rect x="3" y="14" width="18" height="6" rx="2" />
                    <circle cx="7" cy="7" r="1.3" class="dot-on" />
                    <circle cx="7" cy="17" r="1.3" class="dot-off" />
                </svg>
                <h1>{"fleetplay"}</h1>
                <span class="tag">{"Stop-server API playground · AWS Transfer · Lightsail · OpenStack Nova"}</span>
            </div>
            <nav class="views" aria-label="Views">
                {view_button(View::Playground, "Playground")}
                {view_button(View::SideBySide, "Side by side")}
                {view_button(View::Instructor, "Instructor")}
                <button type="button" class={classes!("ghost", props.lessons_open.then_some("on"))}
                    aria-expanded={(props.lessons_open && props.view == View::Playground).to_string()}
                    onclick={lessons}>
                    {"Lessons"}
                </button>
                <button type="button" class="ghost" onclick={export}>{"Export session"}</button>
                <label class="ghost file-btn">{"Import session"}
                    <input type="file" accept=".json,application/json" class="sr-only" onchange={import} />
                </label>
            </nav>
            <super::live::LiveControl />
            <div class="share">
                <span class="scn">{format!("{title} · seed {}", scenario.seed)}</span>
                <button type="button" class="ghost" onclick={share}>{"Copy share link"}</button>
                if let Some(url) = (*link).clone() {
                    <input class="share-url mono" readonly=true aria-label="Share link" value={url} />
                }
            </div>
        </header>
    }
}
