//! The side-by-side view: "stop this server" in the three dialects at once, each column run by the simulator
//! against a copy of the current simulation ([`crate::compare`]): the request, the answer, the same stop sent
//! again while the server is still moving, what happened next, the same stop once the server is stopped, and the
//! state machine. Only the prose is written by hand.

use super::badge;
use super::code::json_block;
use super::diagram::machine;
use crate::compare::{run, Column};
use crate::hooks::use_app;
use crate::pretty::{error_summary, status_class};
use crate::wiretext;
use sim::{Exchange, Provider};
use std::rc::Rc;
use yew::prelude::*;

fn answer(ex: &Exchange) -> Html {
    let r = &ex.response;
    let error = error_summary(r);
    html! {
        <>
            <p class={classes!("status", "small", status_class(r.status))}>
                <span class="mono">{format!("{} {}", r.status, r.reason())}</span>
            </p>
            if let Some(e) = error {
                <p class="err-type mono small">{e.kind}</p>
            }
            if r.body.is_empty() {
                <p class="empty-body">{"(empty body)"}</p>
            } else {
                {json_block(&r.body, format!("{} response body", ex.provider.map_or("", |p| p.title())).into())}
            }
            <p class="why-small">{&ex.diagnosis.why}</p>
            if let Some(setting) = &ex.diagnosis.setting {
                <p class="hint">{"Configurable: scenario setting "}<code>{setting}</code></p>
            }
        </>
    }
}

/// A sub-heading and the answer it introduces.
fn titled_answer(title: Html, ex: &Exchange) -> Html {
    html! {
        <>
            <h3 class="sub-h">{title}</h3>
            {answer(ex)}
        </>
    }
}

fn column(c: &Column) -> Html {
    let events: Vec<String> = c
        .stop
        .events
        .iter()
        .chain(c.later.iter())
        .map(|e| format!("{} {} → {}", e.at, e.from, e.to))
        .collect();
    // Sent again before the first stop finished: the heading shows the state the server is still in.
    let midway = c.midway.as_ref().map(|m| {
        let state = badge(&m.during.state, m.during.family, m.during.locked);
        titled_answer(html! { <>{"Stop again while "}{state}</> }, &m.again)
    });
    let synchronous = c.stop.events.iter().any(|e| e.to == c.after.state) || c.later.is_empty();
    html! {
        <section class="panel cmp-col" aria-labelledby={format!("cmp-{}", c.provider.slug())} data-provider={c.provider.slug()}>
            <h2 id={format!("cmp-{}", c.provider.slug())}>{c.provider.title()}</h2>
            <p class="who"><span class="mono">{&c.before.id}</span>{" "}
                {badge(&c.before.state, c.before.family, c.before.locked)}</p>
            <h3 class="sub-h">{"Request"}</h3>
            <pre class="code mono">{wiretext::render_request(&c.stop.request)}</pre>
            {titled_answer("Response".into(), &c.stop)}
            { for midway }
            <h3 class="sub-h">{if synchronous { "Then (no waiting)" } else { "Then, over simulated time" }}</h3>
            if events.is_empty() {
                <p class="empty">{"No state change."}</p>
            } else {
                <ul class="effects">{ for events.iter().map(|e| html! { <li class="mono">{e}</li> }) }</ul>
            }
            {titled_answer("Stop it again once stopped".into(), &c.again)}
            <h3 class="sub-h">{"State machine"}</h3>
            {machine(c.provider, &c.after)}
        </section>
    }
}

/// The side-by-side view.
#[component]
pub fn SideBySide() -> Html {
    let state_opt = use_app();
    let runs = use_state(|| 0u32);
    let key =
        state_opt.as_ref().map(|s| (Rc::as_ptr(&s.sends) as usize, s.selected.clone(), s.sim.now(), *runs));
    let columns = {
        let state = state_opt.clone();
        use_memo(key, move |_| state.map(|s| run(&s.sim, s.selected.as_ref())).unwrap_or_default())
    };
    let again = {
        let runs = runs.clone();
        Callback::from(move |_| runs.set(*runs + 1))
    };
    let missing: Vec<&str> = Provider::ALL
        .into_iter()
        .filter(|p| !columns.iter().any(|c| c.provider == *p))
        .map(|p| p.title())
        .collect();
    html! {
        <main class="compare">
            <section class="panel cmp-intro" aria-labelledby="cmp-h">
                <div class="panel-h">
                    <h2 id="cmp-h">{"Stop this server, three ways"}</h2>
                    <span class="sub">{"Each column is the simulator answering a copy of the current fleet; your session is untouched."}</span>
                    <button type="button" class="ghost small" onclick={again}>{"Run again now"}</button>
                </div>
                <ul class="diffs">
                    <li><strong>{"Error envelope. "}</strong>{"Transfer: "}<code>{"__type"}</code>{" + "}<code>{"Message"}</code>{" (capital M). Lightsail: "}<code>{"__type"}</code>{" + lowercase "}<code>{"code/docs/message/tip"}</code>{". Nova: a fault wrapper, "}<code>{"{\"conflictingRequest\": {\"code\": 409, \"message\": …}}"}</code>{"."}</li>
                    <li><strong>{"Synchronous or not. "}</strong>{"All three only accept the stop: the answer comes before the server is off. Lightsail returns an operation to poll; Transfer and Nova return nothing to follow, so you poll the server."}</li>
                    <li><strong>{"Status codes. "}</strong>{"Transfer 200 with an empty body, Lightsail 200 with operations, Nova 202 Accepted with no body."}</li>
                    <li><strong>{"Already stopped. "}</strong>{"Transfer: a no-op 200 (configurable). Lightsail: InvalidInputException (configurable). Nova: 409 conflictingRequest. The last answer in each column shows what this scenario does."}</li>
                    <li><strong>{"Stop sent again while stopping. "}</strong>{"Transfer (STOPPING): a no-op 200. Lightsail (stopping): 200 with a new Started operation and no state change. Nova (task_state powering-off): 409 conflictingRequest. Both AWS answers are unconfirmed in the spec; the answer under each first response shows the simulator's."}</li>
                </ul>
                if !missing.is_empty() {
                    <p class="hint">{format!("No server in this scenario for: {}.", missing.join(", "))}</p>
                }
            </section>
            <div class="cmp-cols">{ for columns.iter().map(column) }</div>
        </main>
    }
}
