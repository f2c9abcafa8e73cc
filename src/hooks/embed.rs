//! Embed mode's effects: the embed's link with the page that frames it and what its URL asks of the page.
//! The host bridge reads the host's `postMessage`s (only from allowed origins) and reports every exchange and
//! the shown servers' state changes back; the content's height goes to the host as `fleetplay:resize`
//! (invariant 9); the URL's page options apply once; switching provider addresses a server of it. The
//! protocol's pure half (message types, origins, warnings) is `crate::embed`; the view is
//! `components/embed.rs`.

use super::{dispatch_now, StateHandle};
use crate::embed::{self, Answer, EmbedConfig, HostMessage, Outgoing};
use crate::ops;
use crate::state::{Action, Entry};
use crate::storage;
use gloo::events::EventListener;
use serde::Serialize;
use serde_json::Value;
use sim::transcript::{EventRecord, ExchangeRecord};
use sim::Provider;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The servers the embed has shown on its card (`fleetplay:event` reports only theirs unless `&events=all`).
pub type ShownServers = Rc<RefCell<Vec<(Provider, String)>>>;

/// Switching provider in the embed addresses a server of that provider, as the card shows one: the URL's
/// `&server` if it is of that provider, else the provider's first.
#[hook]
pub fn use_server_follows_provider(state: StateHandle, config: Rc<EmbedConfig>) {
    use_effect_with(state.provider, move |p| {
        let p = *p;
        let draft = state.draft();
        let field = ops::id_field(p);
        let wants = draft.op(p).fields.iter().any(|f| f.name == field);
        let empty = draft.fields.get(field).is_none_or(|v| v.trim().is_empty());
        if wants && empty {
            let pick = config
                .server
                .clone()
                .filter(|id| state.fleet.iter().any(|s| s.provider == p && s.id == *id))
                .or_else(|| state.fleet.iter().find(|s| s.provider == p).map(|s| s.id.clone()));
            if let Some(id) = pick {
                state.dispatch(Action::SelectServer(p, id));
            }
        }
    });
}

/// What the URL asks of the page itself, once: a transparent background, and a console warning for each
/// setting that could not be used.
#[hook]
pub fn use_page_options(config: Rc<EmbedConfig>) {
    use_effect_with((), move |_| {
        if config.transparent {
            storage::set_root_attribute(embed::TRANSPARENT_ATTRIBUTE, "");
        }
        for warning in config.warnings() {
            gloo::console::warn!(warning);
        }
        if let Some(framer) = framing_origin() {
            let own = storage::origin();
            if !config.origins.is_empty() && !config.allows(&framer, &own) {
                gloo::console::warn!(format!(
                    "fleetplay embed: this embed is on a page of {framer}, which its &origin does not allow \
                     (allowed: {}), so that page hears nothing from it; add &origin={framer} to the embed's URL",
                    config.origins.join(", ")
                ));
            }
        }
    });
}

/// Reports the content's height to the host whenever it changes (`fleetplay:resize`), so the iframe can be
/// exactly as tall: no inner scrollbar, no empty band.
#[hook]
pub fn use_fit_to_content(root: NodeRef, config: Rc<EmbedConfig>) {
    use_effect_with((), move |_| {
        let element = root.cast::<web_sys::Element>();
        let last = Rc::new(Cell::new(0u64));
        let report = {
            let element = element.clone();
            move || {
                let Some(element) = &element else { return };
                let height = element.get_bounding_client_rect().height().ceil().max(0.0) as u64;
                if height != last.get() {
                    last.set(height);
                    post_height(&config, height);
                }
            }
        };
        report();
        let callback = Closure::<dyn FnMut()>::new(report);
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok();
        if let (Some(observer), Some(element)) = (&observer, &element) {
            observer.observe(element);
        }
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
            drop(callback);
        }
    });
}

/// A message as a JavaScript object (structured-cloneable), for `postMessage`: serde-wasm-bindgen's JSON-
/// compatible form (`null` for `None`, plain objects, numbers).
fn to_js(message: &impl Serialize) -> JsValue {
    message.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::NULL)
}

/// The data of a message: an object converted with serde-wasm-bindgen, or the JSON a string holds.
fn message_data(data: JsValue) -> Result<Value, String> {
    match data.as_string() {
        Some(text) => serde_json::from_str(&text).map_err(|_| "the message is not JSON".to_string()),
        None => {
            let mut nodes = MAX_MESSAGE_NODES;
            json_shaped(&data, MAX_MESSAGE_DEPTH, &mut nodes)?;
            serde_wasm_bindgen::from_value(data)
                .map_err(|e| format!("the message cannot be read as a JSON object ({e})"))
        }
    }
}

/// How deep a message object may nest. The protocol's deepest message is a few levels; serde_json refuses
/// JSON text past 128 levels, and objects get the same kind of bound here.
const MAX_MESSAGE_DEPTH: u32 = 64;
/// How many values a message object may hold in all (a scenario of 10,000 servers is well under this).
const MAX_MESSAGE_NODES: u32 = 1_000_000;

/// Checks that a posted object is JSON-shaped (plain objects, arrays and primitives) within the bounds above,
/// before serde-wasm-bindgen walks it. Structured clone lets a host post an object that contains itself, or a
/// `Map` of itself; serde-wasm-bindgen follows such a value until the stack runs out, which would kill the page.
fn json_shaped(value: &JsValue, depth: u32, nodes: &mut u32) -> Result<(), String> {
    *nodes = nodes.checked_sub(1).ok_or("the message holds too many values")?;
    if !value.is_object() {
        return Ok(());
    }
    if depth == 0 {
        return Err(format!("the message is nested too deeply (more than {MAX_MESSAGE_DEPTH} levels)"));
    }
    if js_sys::Array::is_array(value) {
        for item in value.unchecked_ref::<js_sys::Array>().iter() {
            json_shaped(&item, depth - 1, nodes)?;
        }
        return Ok(());
    }
    let prototype = js_sys::Object::get_prototype_of(value);
    let plain = prototype.is_null()
        || js_sys::Object::is(&prototype, &js_sys::Object::get_prototype_of(&js_sys::Object::new()));
    if !plain {
        return Err("the message is not a plain JSON object (a Map, Set, Date or other kind of object is not part of the protocol)".into());
    }
    for item in js_sys::Object::values(value.unchecked_ref()).iter() {
        json_shaped(&item, depth - 1, nodes)?;
    }
    Ok(())
}

/// The parent window when the page is framed.
fn parent() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// The origin of the page that frames this one, where the browser says (`location.ancestorOrigins`).
fn framing_origin() -> Option<String> {
    parent()?;
    let location = web_sys::window()?.location();
    let list = js_sys::Reflect::get(&location, &JsValue::from_str("ancestorOrigins")).ok()?;
    js_sys::Reflect::get(&list, &JsValue::from_str("0")).ok()?.as_string()
}

/// Where the embed's messages go: the allowed host origins, and its own origin only when the parent is of
/// it (posting to an origin the parent does not have only makes the browser log an error).
fn targets(config: &EmbedConfig) -> Vec<String> {
    let mut targets = config.origins.clone();
    let own = storage::origin();
    let same_origin_parent =
        parent().and_then(|p| p.location().origin().ok()).is_some_and(|origin| origin == own);
    if same_origin_parent && !targets.contains(&own) {
        targets.push(own);
    }
    targets
}

/// Posts `message` to the host page, once per allowed origin (the browser delivers only to the one that
/// matches; never to `*`).
fn broadcast(config: &EmbedConfig, message: &Outgoing) {
    let Some(parent) = parent() else { return };
    let data = to_js(message);
    for origin in targets(config) {
        let _ = parent.post_message(&data, &origin);
    }
}

/// `fleetplay:resize` to the allowed host origins; with none allowed, to the parent whatever its origin, as
/// the height is all it carries (so a plain iframe's page can size it too).
fn post_height(config: &EmbedConfig, height: u64) {
    let Some(parent) = parent() else { return };
    let data = to_js(&Outgoing::Resize { height });
    let targets = targets(config);
    if targets.is_empty() {
        let _ = parent.post_message(&data, "*");
    }
    for origin in targets {
        let _ = parent.post_message(&data, &origin);
    }
}

/// Whether a message from a page that is not allowed was meant for the embed (a `fleetplay:` type): only
/// those get the console warning, since other scripts' messages are none of its business.
fn looks_like_ours(data: &JsValue) -> bool {
    let kind = match data.as_string() {
        Some(text) => return text.contains("\"fleetplay:"),
        None => js_sys::Reflect::get(data, &JsValue::from_str("type")).ok().and_then(|t| t.as_string()),
    };
    kind.is_some_and(|k| k.starts_with("fleetplay:"))
}

/// Listens to the host's messages and reports every exchange and state change back.
#[hook]
pub fn use_host_bridge(state: StateHandle, config: Rc<EmbedConfig>, shown: ShownServers) {
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    let prefilled = use_mut_ref(|| Rc::new(Cell::new(false)));
    let prefilled = prefilled.borrow().clone();
    prefilled.set(false);
    {
        let config = config.clone();
        use_effect_with((), move |_| {
            let own = storage::origin();
            let warned = RefCell::new(Vec::<String>::new());
            let listener = web_sys::window().map(|w| {
                let config = config.clone();
                EventListener::new(&w, "message", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else { return };
                    let origin = e.origin();
                    if !config.allows(&origin, &own) {
                        // Dropped unread; a page that meant to drive the embed learns why, once.
                        if looks_like_ours(&e.data()) && !warned.borrow().contains(&origin) {
                            gloo::console::warn!(embed::refused_origin_warning(&origin, &config.origins));
                            warned.borrow_mut().push(origin);
                        }
                        return;
                    }
                    // A cross-origin WindowProxy is no `instanceof Window` in this realm, so no checked cast;
                    // should the source be a MessagePort, its postMessage refuses the origin argument (an Err).
                    let source = e.source().map(|s| s.unchecked_into::<web_sys::Window>());
                    let data = message_data(e.data());
                    let id = data.as_ref().ok().and_then(embed::message_id);
                    let reply = |message: Outgoing| {
                        if let Some(w) = &source {
                            let _ = w.post_message(&to_js(&Answer { message, id: id.clone() }), &origin);
                        }
                    };
                    let error = |problem: String| Outgoing::Error { error: problem };
                    let parsed = data.and_then(|data| embed::parse_host_message(&data));
                    let state = latest.borrow().clone();
                    match parsed {
                        Ok(None) => {}
                        Err(problem) => reply(error(problem)),
                        Ok(Some(HostMessage::LoadScenario(scenario))) => {
                            let message = "The host page loaded a scenario.".to_string();
                            dispatch_now(&state, |wall| Action::LoadScenario {
                                wall,
                                scenario,
                                message,
                                undoable: false,
                            });
                            reply(Outgoing::Ack { answers: "fleetplay:load-scenario", provider: None });
                        }
                        Ok(Some(HostMessage::Prefill(request))) => {
                            let provider = ops::extract(&request).map_or(state.provider, |x| x.provider);
                            let raw = crate::wiretext::render_request(&request);
                            state.dispatch(Action::LoadDraft { provider, raw });
                            prefilled.set(true);
                            reply(Outgoing::Ack { answers: "fleetplay:prefill", provider: Some(provider) });
                        }
                        Ok(Some(HostMessage::Theme(theme))) => match theme {
                            Some(theme) => storage::set_theme(theme),
                            None => storage::remove_root_attribute(embed::THEME_ATTRIBUTE),
                        },
                        Ok(Some(HostMessage::Send)) => match state.draft().request() {
                            Err(e) if !prefilled.get() => {
                                reply(error(format!("the composer's request cannot be sent: {e}")))
                            }
                            _ => dispatch_now(&state, |wall| Action::Send { wall }),
                        },
                    }
                })
            });
            broadcast(&config, &Outgoing::Ready { protocol: 1, provider: config.provider });
            move || drop(listener)
        });
    }
    // Every new timeline entry goes to the host, in order: every exchange, and the state changes of the
    // servers the embed has shown (of every server with &events=all).
    let sent = use_mut_ref(|| 0usize);
    let timeline = state.timeline.clone();
    use_effect_with(Rc::as_ptr(&state.timeline) as usize, move |_| {
        let mut from = *sent.borrow();
        if from > timeline.len() {
            from = 0;
        }
        for entry in &timeline[from..] {
            let message = match entry {
                Entry::Exchange(x) => Outgoing::Exchange { exchange: ExchangeRecord::of(x) },
                Entry::Event(ev) => {
                    let shown = shown.borrow().iter().any(|(p, id)| *p == ev.provider && *id == ev.server);
                    if !(config.all_events || shown) {
                        continue;
                    }
                    Outgoing::Event { event: EventRecord::of(ev) }
                }
            };
            broadcast(&config, &message);
        }
        *sent.borrow_mut() = timeline.len();
    });
}
