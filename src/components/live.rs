//! The link to a `fleetplay serve`, in the header: while the page follows a server, a status (connected,
//! connecting, reconnecting, refused, or a run it cannot rebuild, with the reason) and Disconnect; otherwise
//! "Connect to a server", a small form for the server's address. A component: it keeps the address being
//! typed.

use crate::hooks::{dispatch_now, use_app};
use crate::state::{server_address, speed_text, Action, Following, Link, LiveAction};
use crate::storage;
use yew::prelude::*;

/// The server address the form offers first: the one the URL names, else the usual `fleetplay serve` port.
fn suggested_address() -> String {
    storage::server_param().unwrap_or_else(|| "http://127.0.0.1:4566".to_string())
}

/// The connection control.
#[component]
pub fn LiveControl() -> Html {
    let address = use_state(suggested_address);
    let problem = use_state(|| None::<String>);
    let Some(state) = use_app() else { return Html::default() };
    let Some(live) = state.live.as_ref() else {
        let oninput = {
            let address = address.clone();
            Callback::from(move |e: InputEvent| address.set(super::event_value(&e)))
        };
        let onsubmit = {
            let state = state.clone();
            let address = address.clone();
            let problem = problem.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                match server_address(&address) {
                    Ok((server, _)) => {
                        problem.set(None);
                        storage::set_server_param(Some(&server));
                        state.dispatch(Action::Live(LiveAction::Connect { server }));
                    }
                    Err(why) => problem.set(Some(why)),
                }
            })
        };
        let origin = storage::origin();
        return html! {
            <details class="live-connect">
                <summary>{"Connect to a server"}</summary>
                <form class="live-form" {onsubmit}>
                    <label for="live-address">{"fleetplay serve address"}</label>
                    <div class="row">
                        <input id="live-address" class="mono" type="url" value={(*address).clone()} {oninput}
                            aria-describedby="live-hint" aria-invalid={problem.is_some().then_some("true")} />
                        <button type="submit">{"Connect"}</button>
                    </div>
                    if let Some(why) = (*problem).clone() {
                        <p class="live-problem" role="alert">{why}</p>
                    }
                    <p id="live-hint" class="hint">
                        {"The page then shows that server's simulation: every request any client sends it, and "}
                        {"its fleet as it moves. Start one with "}
                        <code>{format!("fleetplay serve --port 4566 --allow-origin {origin}")}</code>
                    </p>
                </form>
            </details>
        };
    };
    let label = live.label();
    let (class, text) = match (&live.link, &live.following) {
        (Link::Refused(reason), _) => ("refused", format!("Not following {label}: {reason}")),
        (Link::Connecting, _) => ("connecting", format!("Connecting to {label}…")),
        (Link::Reconnecting, _) => ("reconnecting", format!("Lost {label}: reconnecting…")),
        (Link::Open, Following::Cannot(reason)) => ("refused", format!("Connected to {label}. {reason}")),
        (Link::Open, Following::Waiting | Following::Replaying) => {
            ("connecting", format!("Connected to {label}: replaying its run…"))
        }
        (Link::Open, Following::InStep) => {
            let speed = if live.speed > 0.0 { speed_text(live.speed) } else { "paused".to_string() };
            ("open", format!("Live: connected to {label} (run {}, {speed})", live.run))
        }
    };
    let disconnect = {
        let state = state.clone();
        Callback::from(move |_| {
            storage::set_server_param(None);
            let saved = storage::saved_session();
            dispatch_now(&state, |wall| Action::Live(LiveAction::Disconnect { wall, saved }));
        })
    };
    html! {
        <div class={classes!("live", class)} role="group" aria-label="Live server">
            <span class="live-status" role="status"><span class="live-dot" aria-hidden="true"></span>{text}</span>
            <button type="button" class="ghost small" onclick={disconnect}
                title="Stop following the server: back to the page's own simulation">
                {"Disconnect"}
            </button>
        </div>
    }
}
