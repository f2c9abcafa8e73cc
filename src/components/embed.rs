//! Embed mode (`?embed&provider=…&op=…&server=…`): the composer, the response and one server card with its
//! state badge and a compact state diagram, sized for an iframe from 320 px up; and the bridge that lets the
//! host page drive it with `postMessage` (the protocol is in `crate::embed` and `docs/embedding.md`).

use super::{badge, short};
use super::{
    composer::composer, diagram::machine, notice::notice_banner, response::response_panel, toast::toast,
};
use crate::embed::{self, EmbedConfig, HostMessage};
use crate::hooks::{dispatch_now, StateHandle};
use crate::ops;
use crate::state::{Action, AppState, Entry};
use crate::storage;
use gloo::events::EventListener;
use sim::json::Value;
use sim::ServerView;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The server the embed shows: the one the composer's request addresses, else the selected one, else the
/// provider's first.
pub fn shown_server(state: &AppState) -> Option<Rc<ServerView>> {
    let p = state.provider;
    let addressed = state
        .draft()
        .request()
        .ok()
        .and_then(|r| ops::extract(&r))
        .filter(|x| x.provider == p)
        .and_then(|x| x.fields.get(ops::id_field(p)).cloned());
    let find = |id: &str| state.fleet.iter().find(|s| s.provider == p && s.id == id).cloned();
    addressed
        .as_deref()
        .and_then(find)
        .or_else(|| state.selected.as_ref().filter(|(sp, _)| *sp == p).and_then(|(_, id)| find(id)))
        .or_else(|| state.fleet.iter().find(|s| s.provider == p).cloned())
}

/// Props of the embed view.
#[derive(Properties, PartialEq, Clone)]
pub struct EmbedProps {
    /// What the URL asked for.
    pub config: Rc<EmbedConfig>,
    /// The reducer.
    pub state: StateHandle,
}

/// The embedded playground.
#[component]
pub fn EmbedView(props: &EmbedProps) -> Html {
    use_host_bridge(props.state.clone(), props.config.clone());
    let state = &props.state;
    let server = shown_server(state);
    let card = match server {
        Some(s) => html! {
            <section class="panel embed-server" aria-labelledby="embed-server-h">
                <div class="panel-h">
                    <h2 id="embed-server-h">{"Server"}</h2>
                    <span class="sub">{short(s.provider)}</span>
                </div>
                <p class="who">
                    <span class="mono">{s.id.clone()}</span>{" "}
                    {badge(&s.state, s.family, s.locked)}
                </p>
                {machine(s.provider, &s)}
            </section>
        },
        None => html! {
            <section class="panel embed-server" aria-label="Server">
                <p class="empty">{"No server of this provider in the scenario."}</p>
            </section>
        },
    };
    html! {
        <div class="app embed">
            <h1 class="sr-only">{"fleetplay embedded playground"}</h1>
            {notice_banner(state)}
            <main class="embed-main">
                {composer(state)}
                {response_panel(state)}
                {card}
            </main>
            {toast(state)}
        </div>
    }
}

/// A JSON value as a JavaScript object (structured-cloneable), for `postMessage`.
fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// The data of a message as JSON: objects as they are, a string holding JSON read as that JSON.
fn message_json(data: &JsValue) -> Result<Value, String> {
    let text = match data.as_string() {
        Some(s) => s,
        None => js_sys::JSON::stringify(data)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or("the message cannot be read as JSON")?,
    };
    sim::json::from_str(&text).map_err(|_| "the message is not JSON".to_string())
}

/// The parent window when the page is framed.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// Posts `message` to the host page, once per allowed origin (the browser delivers only to the one that
/// matches; never to `*`).
fn broadcast(config: &EmbedConfig, message: &Value) {
    let Some(parent) = parent() else { return };
    let data = to_js(message);
    let own = storage::origin();
    for origin in config.origins.iter().chain(std::iter::once(&own)) {
        let _ = parent.post_message(&data, origin);
    }
}

/// Listens to the host's messages and reports every exchange and state change back.
#[hook]
fn use_host_bridge(state: StateHandle, config: Rc<EmbedConfig>) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let prefilled = use_mut_ref(|| Rc::new(Cell::new(false)));
    let prefilled = prefilled.borrow().clone();
    prefilled.set(false);
    {
        let config = config.clone();
        use_effect_with((), move |_| {
            let own = storage::origin();
            let listener = web_sys::window().map(|w| {
                let config = config.clone();
                EventListener::new(&w, "message", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                    let origin = e.origin();
                    if !config.allows(&origin, &own) {
                        return;
                    }
                    // A cross-origin WindowProxy is no `instanceof Window` in this realm, so no checked cast;
                    // should the source be a MessagePort, its postMessage refuses the origin argument (an Err).
                    let source = e.source().map(|s| s.unchecked_into::<web_sys::Window>());
                    let reply = |v: Value| {
                        if let Some(w) = &source {
                            let _ = w.post_message(&to_js(&v), &origin);
                        }
                    };
                    let parsed = message_json(&e.data()).and_then(|v| embed::parse_host_message(&v));
                    let state = latest.borrow().clone();
                    match parsed {
                        Ok(None) => {}
                        Err(problem) => reply(embed::error_message(&problem)),
                        Ok(Some(HostMessage::LoadScenario(scenario))) => {
                            let message = "The host page loaded a scenario.".to_string();
                            dispatch_now(&state, |wall| Action::LoadScenario {
                                wall,
                                scenario,
                                message,
                                undoable: false,
                            });
                            reply(embed::outgoing(
                                "fleetplay:ack",
                                vec![("for", Value::from("fleetplay:load-scenario"))],
                            ));
                        }
                        Ok(Some(HostMessage::Prefill(request))) => {
                            let provider = ops::extract(&request).map_or(state.provider, |x| x.provider);
                            let raw = crate::wiretext::render_request(&request);
                            state.dispatch(Action::LoadDraft { provider, raw });
                            prefilled.set(true);
                            reply(embed::outgoing(
                                "fleetplay:ack",
                                vec![
                                    ("for", Value::from("fleetplay:prefill")),
                                    ("provider", Value::from(provider.slug())),
                                ],
                            ));
                        }
                        Ok(Some(HostMessage::Send)) => match state.draft().request() {
                            Err(e) if !prefilled.get() => reply(embed::error_message(&format!(
                                "the composer's request cannot be sent: {e}"
                            ))),
                            _ => dispatch_now(&state, |wall| Action::Send { wall }),
                        },
                    }
                })
            });
            let ready = embed::outgoing(
                "fleetplay:ready",
                vec![
                    ("protocol", Value::from(1u64)),
                    ("provider", Value::from(config.provider.map(|p| p.slug()))),
                ],
            );
            broadcast(&config, &ready);
            move || drop(listener)
        });
    }
    // Every new timeline entry goes to the host, in order.
    let sent = use_mut_ref(|| 0usize);
    let timeline = state.timeline.clone();
    use_effect_with(Rc::as_ptr(&state.timeline) as usize, move |_| {
        let mut from = *sent.borrow();
        if from > timeline.len() {
            from = 0;
        }
        for entry in &timeline[from..] {
            let message = match entry {
                Entry::Exchange(x) => embed::outgoing(
                    "fleetplay:exchange",
                    vec![("exchange", sim::transcript::exchange_json(x))],
                ),
                Entry::Event(ev) => {
                    embed::outgoing("fleetplay:event", vec![("event", sim::transcript::event_json(ev))])
                }
            };
            broadcast(&config, &message);
        }
        *sent.borrow_mut() = timeline.len();
    });
}
