//! The timeline: every exchange and every state change, stamped with simulated time, newest first. Clicking
//! an exchange shows it again in the response panel.

use super::{clock_text, short};
use crate::hooks::use_app;
use crate::pretty::status_class;
use crate::state::{Action, Entry};
use yew::prelude::*;

/// How many entries are drawn before "Show all".
const FIRST: usize = 150;

/// The timeline panel.
#[component]
pub fn Timeline() -> Html {
    let Some(state) = use_app() else { return Html::default() };
    let show_all = use_state(|| false);
    let total = state.timeline.len();
    let limit = if *show_all { total } else { FIRST.min(total) };
    let shown = state.shown_exchange().map(|x| x.seq);
    let items = state.timeline.iter().rev().take(limit).enumerate().map(|(i, entry)| match entry {
        Entry::Exchange(x) => {
            let seq = x.seq;
            let onclick = {
                let state = state.clone();
                Callback::from(move |_| state.dispatch(Action::ViewExchange(seq)))
            };
            let what = x.operation.clone().unwrap_or_else(|| format!("{} {}", x.request.method, x.request.path()));
            let label = format!(
                "{} {} {}{} → {} {}",
                clock_text(x.at),
                x.provider.map_or("—", short),
                what,
                x.server.as_ref().map(|s| format!(" {s}")).unwrap_or_default(),
                x.response.status,
                x.response.reason()
            );
            html! {
                <li class={classes!("tl-x", (shown == Some(seq)).then_some("shown"))} key={format!("x{seq}")}>
                    <button type="button" {onclick} aria-label={label} aria-current={(shown == Some(seq)).then_some("true")}>
                        <span class="t mono">{clock_text(x.at)}</span>
                        <span class={classes!("code-pill", status_class(x.response.status))}>{x.response.status}</span>
                        <span class="what">{what}</span>
                        <span class="target mono">{x.server.clone().unwrap_or_default()}</span>
                    </button>
                </li>
            }
        }
        Entry::Event(e) => html! {
            <li class="tl-e" key={format!("e{}", total - i)}>
                <span class="t mono">{clock_text(e.at)}</span>
                <span class="target mono">{&e.server}</span>
                <span class="change">{format!("{} → {}", e.from, e.to)}</span>
                <span class="cause">{&e.cause}</span>
            </li>
        },
    });
    let toggle = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(!*show_all))
    };
    html! {
        <section class="panel timeline" aria-labelledby="timeline-h">
            <div class="panel-h">
                <h2 id="timeline-h" tabindex="-1">{"Timeline"}</h2>
                <span class="sub">{format!("{total} {} · newest first", if total == 1 { "entry" } else { "entries" })}</span>
            </div>
            if total == 0 {
                <p class="empty-state">{"Requests and state changes appear here, stamped with simulated time."}</p>
            } else {
                <ol class="tl" aria-label="Timeline">{for items}</ol>
                if total > FIRST {
                    <button type="button" class="ghost small" onclick={toggle}>
                        {if *show_all { "Show fewer".to_string() } else { format!("Show all {total}") }}
                    </button>
                }
            }
        </section>
    }
}
