//! The fleet panel: every server grouped by provider, with a coloured state badge and, while a transition
//! runs, a progress bar whose fill the CSS computes from `--now` (set by the clock loop) and the transition's
//! start and due times. Selecting a server fills the composer with its identifier.

use super::{badge, family_class, short};
use crate::hooks::StateHandle;
use crate::state::Clock;
use crate::storage;
use sim::{Provider, ServerView, SimTime, StateFamily};
use std::rc::Rc;
use yew::prelude::*;

/// Props of one server row.
#[derive(Properties, PartialEq, Clone)]
pub struct ServerItemProps {
    /// The server (shared with the state: unchanged servers compare equal by pointer).
    pub server: Rc<ServerView>,
    /// Whether it is the selected one.
    pub selected: bool,
    /// 0: no pulse; 1 or 2 alternate so a new send restarts the animation.
    pub pulse: u8,
    /// The clock (changes only when the wall → sim mapping jumps).
    pub clock: Clock,
    /// Called with the server's provider and id.
    pub on_select: Callback<(Provider, String)>,
}

/// A transition's progress: a CSS animation (compositor-driven, no per-frame work) started at the right
/// point from the simulated clock, re-created (its key changes) whenever the transition or the clock
/// mapping changes. A plain view function of its row, not a component: a "Stop all" at 1,000 servers would
/// otherwise create 1,000 components in one frame.
fn progress(started: SimTime, due: Option<SimTime>, clock: &Clock, title: String) -> Html {
    let Some(due) = due else {
        return html! { <span class="progress stuck" {title}><i></i></span> };
    };
    let now = clock.sim_at(storage::wall()).max(started);
    let speed = if clock.rate() > 0.0 { clock.rate() } else { 1.0 };
    let total = due.as_millis().saturating_sub(started.as_millis()) as f64 / speed;
    let done = now.as_millis().saturating_sub(started.as_millis()) as f64 / speed;
    // Whole milliseconds, written as integers (`as` saturates and maps NaN to 0: never a panic).
    let ms = |x: f64| (x + 0.5).floor() as u64;
    let style = format!(
        "animation-duration:{}ms;animation-delay:-{}ms;animation-play-state:{}",
        ms(total.max(1.0)),
        ms(done.min(total)),
        if clock.playing { "running" } else { "paused" }
    );
    let key = format!("{}-{}-{}", started.as_millis(), due.as_millis(), clock.epoch());
    html! {
        <span class="progress" {title}><i key={key} style={style}></i></span>
    }
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
    let progress = s.transition.as_ref().map(|t| {
        let title = match t.due {
            Some(_) => format!("{} → {}", t.from, t.to),
            None => format!("{}: stuck until something intervenes", t.from),
        };
        progress(t.started, t.due, &props.clock, title)
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
                {badge(&s.state, s.family, s.locked)}
                // Always one child (an empty fragment when there is no transition): a bare `Option` would
                // vanish from the list, and Yew's unkeyed diff, which aligns children from the end, would
                // then rebuild the name and the badge of every row that starts or ends a transition.
                {progress.unwrap_or_default()}
            </button>
        </li>
    }
}

/// What the fleet panel draws from. A component of its own so that everything else that re-renders the
/// page (typing in the composer, the toast, the response) leaves the fleet alone: at 1,000 servers
/// rebuilding every row for each keystroke cost tens of milliseconds.
#[derive(Properties, Clone)]
pub struct FleetProps {
    /// `AppState::fleet`: replaced (a new `Rc`) whenever a server changes.
    pub fleet: Rc<Vec<Rc<ServerView>>>,
    /// The selected server.
    pub selected: Option<(Provider, String)>,
    /// The server the last exchange was about, and which pulse animation to play (1 or 2).
    pub pulse: Option<(Provider, String, u8)>,
    /// The clock.
    pub clock: Clock,
    /// From [`crate::hooks::use_select_server`].
    pub on_select: Callback<(Provider, String)>,
    /// From [`crate::hooks::use_stop_all`].
    pub on_stop_all: Callback<()>,
}

/// The fleet is compared by identity: the state replaces the `Rc` whenever a server changes, and comparing
/// 1,000 servers member by member on every render would cost what the memo saves.
impl PartialEq for FleetProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.fleet, &other.fleet)
            && self.selected == other.selected
            && self.pulse == other.pulse
            && self.clock == other.clock
            && self.on_select == other.on_select
            && self.on_stop_all == other.on_stop_all
    }
}

/// The fleet panel's props from the state; callbacks from [`crate::hooks::use_select_server`] and
/// [`crate::hooks::use_stop_all`].
pub fn fleet_panel(
    state: &StateHandle,
    on_select: &Callback<(Provider, String)>,
    on_stop_all: &Callback<()>,
) -> Html {
    let pulse = state
        .last_exchange()
        .and_then(|x| Some((x.provider?, x.server.clone()?, if x.seq % 2 == 0 { 2 } else { 1 })));
    html! {
        <FleetPanel fleet={state.fleet.clone()} selected={state.selected.clone()} {pulse}
            clock={state.clock.clone()}
            on_select={on_select.clone()} on_stop_all={on_stop_all.clone()} />
    }
}

/// The fleet panel.
#[component]
pub fn FleetPanel(props: &FleetProps) -> Html {
    let FleetProps { fleet, selected, pulse, clock, on_select, on_stop_all } = props;
    // Derived here, where it runs only when the fleet changed, not on every render of the page.
    let any_running = fleet.iter().any(|s| s.family == StateFamily::Running);
    let groups = Provider::ALL.into_iter().map(|p| {
        let servers: Vec<&Rc<ServerView>> = fleet.iter().filter(|s| s.provider == p).collect();
        let items = servers.iter().map(|s| {
            let is_selected = selected.as_ref().is_some_and(|(sp, id)| *sp == s.provider && id == &s.id);
            let pulse = match pulse {
                Some((pp, id, n)) if *pp == s.provider && id == &s.id => *n,
                _ => 0,
            };
            html! {
                <ServerItem key={format!("{}/{}", p.slug(), s.id)} server={Rc::clone(s)} selected={is_selected}
                    {pulse} clock={clock.clone()} on_select={on_select.clone()} />
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
            <button type="button" class="ghost small" onclick={on_stop_all.reform(|_| ())} disabled={!any_running}>
                {"Stop all running servers"}
            </button>
        </section>
    }
}
