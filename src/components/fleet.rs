//! The fleet panel: every server grouped by provider, with a coloured state badge and, while a transition
//! runs, a progress bar whose fill the CSS computes from `--now` (set by the clock loop) and the transition's
//! start and due times. Selecting a server fills the composer with its identifier.

use super::{family_class, short, Badge};
use crate::app::{dispatch_now, use_app};
use crate::state::Action;
use sim::{Provider, ServerView};
use std::rc::Rc;
use yew::prelude::*;

/// Props of one server row.
#[derive(Properties, PartialEq, Clone)]
pub struct ServerItemProps {
    /// The server.
    pub server: ServerView,
    /// Whether it is the selected one.
    pub selected: bool,
    /// 0: no pulse; 1 or 2 alternate so a new send restarts the animation.
    pub pulse: u8,
    /// Called with the server's provider and id.
    pub on_select: Callback<(Provider, String)>,
}

/// The accessible name of a server: name and id when they differ, then the state.
pub fn server_label(s: &ServerView) -> String {
    let who =
        if s.name.is_empty() || s.name == s.id { s.id.clone() } else { format!("{} ({})", s.name, s.id) };
    let lock = if s.locked { ", locked" } else { "" };
    format!("{who} {}{lock}", s.state)
}

/// One server row.
#[component]
pub fn ServerItem(props: &ServerItemProps) -> Html {
    let s = &props.server;
    let onclick = {
        let cb = props.on_select.clone();
        let key = (s.provider, s.id.clone());
        Callback::from(move |_| cb.emit(key.clone()))
    };
    let progress = s.transition.as_ref().map(|t| match t.due {
        Some(due) => {
            let start = t.started.as_secs_f64();
            let len = (due.as_secs_f64() - start).max(0.001);
            let style = format!("--t0:{start:.3};--len:{len:.3}");
            html! {
                <span class="progress" style={style} title={format!("{} → {}", t.from, t.to)}><i></i></span>
            }
        }
        None => html! { <span class="progress stuck" title={format!("{}: stuck until something intervenes", t.from)}><i></i></span> },
    });
    let pulse = match props.pulse {
        1 => Some("pulse-a"),
        2 => Some("pulse-b"),
        _ => None,
    };
    let title_differs = !s.name.is_empty() && s.name != s.id;
    html! {
        <li class={classes!("server", family_class(s.family), props.selected.then_some("selected"), pulse)}
            aria-label={server_label(s)}>
            <button type="button" class="srv" {onclick} aria-pressed={props.selected.to_string()}>
                <span class="who">
                    if title_differs {
                        <span class="name">{&s.name}</span>
                        <span class="id mono">{&s.id}</span>
                    } else {
                        <span class="name mono">{&s.id}</span>
                    }
                </span>
                <Badge state={s.state.clone()} family={s.family} locked={s.locked} />
                {progress}
            </button>
        </li>
    }
}

/// The fleet panel.
#[component]
pub fn FleetPanel() -> Html {
    let Some(state) = use_app() else { return Html::default() };
    let on_select = {
        let state = state.clone();
        use_callback((), move |(p, id): (Provider, String), _| state.dispatch(Action::SelectServer(p, id)))
    };
    let stop_all = {
        let state = state.clone();
        Callback::from(move |_| dispatch_now(&state, |wall| Action::StopAll { wall }))
    };
    let fleet: Rc<Vec<ServerView>> = state.fleet.clone();
    let last = state.last_exchange();
    let pulse_target =
        last.and_then(|x| Some((x.provider?, x.server.clone()?, if x.seq % 2 == 0 { 2 } else { 1 })));
    let selected = state.selected.clone();
    let groups = Provider::ALL.into_iter().map(|p| {
        let servers: Vec<&ServerView> = fleet.iter().filter(|s| s.provider == p).collect();
        let items = servers.iter().map(|s| {
            let is_selected = selected.as_ref().is_some_and(|(sp, id)| *sp == s.provider && id == &s.id);
            let pulse = match &pulse_target {
                Some((pp, id, n)) if *pp == s.provider && id == &s.id => *n,
                _ => 0,
            };
            html! {
                <ServerItem key={format!("{}/{}", p.slug(), s.id)} server={(*s).clone()} selected={is_selected}
                    {pulse} on_select={on_select.clone()} />
            }
        });
        html! {
            <li class="group" aria-label={p.title()} key={p.slug()}>
                <h3 class="group-h"><span>{p.title()}</span><span class="count">{servers.len()}</span></h3>
                if servers.is_empty() {
                    <p class="empty">{format!("No {} servers in this scenario.", short(p))}</p>
                } else {
                    <ul class="servers">{for items}</ul>
                }
            </li>
        }
    });
    html! {
        <section class="panel fleet" aria-labelledby="fleet-h">
            <div class="panel-h">
                <h2 id="fleet-h">{"Fleet"}</h2>
                <span class="sub">{format!("{} servers", fleet.len())}</span>
            </div>
            <p class="hint">{"Pick a server to compose a request for it."}</p>
            <ul class="groups" aria-label="Fleet">{for groups}</ul>
            <button type="button" class="ghost small" onclick={stop_all} disabled={!state.any_running()}>
                {"Stop all running servers"}
            </button>
        </section>
    }
}
