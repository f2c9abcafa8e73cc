//! Embed mode (`?embed&provider=…&op=…&server=…`): the composer, the response and one server card with its
//! state badge and a compact state diagram, sized for an iframe from 320 px up, and the "Open in the full
//! playground" link.
//!
//! Fitting a documentation page: the embed reports its content height (`fleetplay:resize`) whenever it
//! changes, takes the host's options (transparent background, compact explanations, accent colour, the
//! providers offered), lets the host page drive it with `postMessage`, and says in the console, once, when a
//! setting or a host's message cannot be used. Those effects are the hooks in `hooks/embed.rs`; the protocol
//! is `crate::embed` and `docs/embedding.md`.

use super::{badge, short};
use super::{
    composer::embedded_composer,
    diagram::machine,
    notice::notice_banner,
    response::{response_panel_in, ResponseLook},
    toast::toast,
};
use crate::embed::{self, EmbedConfig};
use crate::hooks::{
    use_fit_to_content, use_host_bridge, use_page_options, use_server_follows_provider, ShownServers,
    StateHandle,
};
use crate::ops;
use crate::state::AppState;
use crate::storage;
use sim::ServerView;
use std::rc::Rc;
use wasm_bindgen::JsCast;
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
    let config = &props.config;
    let state = &props.state;
    let shown: ShownServers = use_mut_ref(Vec::new);
    use_host_bridge(state.clone(), config.clone(), shown.clone());
    let root = use_node_ref();
    use_fit_to_content(root.clone(), config.clone());
    use_page_options(config.clone());
    use_server_follows_provider(state.clone(), config.clone());
    let server = shown_server(state);
    if let Some(s) = &server {
        let mut seen = shown.borrow_mut();
        if !seen.iter().any(|(p, id)| *p == s.provider && *id == s.id) {
            seen.push((s.provider, s.id.clone()));
        }
    }
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
                <p class="empty">{format!("This fleet has no {} server.", state.provider.title())}</p>
            </section>
        },
    };
    let offered = config.offered();
    let look = ResponseLook { embedded: true, compact: config.compact };
    // The accent (and focus ring) from &accent, with a text colour that reads on it.
    let style = config
        .accent
        .as_ref()
        .map(|a| format!("--accent: {a}; --focus: {a}; --accent-ink: {};", embed::accent_ink(a)));
    html! {
        <div class="app embed" ref={root} {style}>
            <main class="embed-main">
                <h1 class="sr-only">{"fleetplay embedded playground"}</h1>
                {notice_banner(state)}
                {embedded_composer(state, &offered)}
                {response_panel_in(state, look)}
                {card}
                <p class="open-full">{open_full_link(state)}</p>
            </main>
            {toast(state)}
        </div>
    }
}

/// "Open in the full playground": the share link of the embed's scenario and request, made when the reader
/// reaches for the link (pointer down, focus, click), so no render pays for encoding the scenario.
fn open_full_link(state: &StateHandle) -> Html {
    let base = storage::url_without_query();
    let refresh = {
        let state = state.clone();
        let base = base.clone();
        move |target: Option<web_sys::EventTarget>| {
            let url = format!("{base}{}", state.share().to_fragment());
            // The event's target is the link or a span in it (Yew delegates events, so the current target is
            // the app's root).
            let link = target
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a").ok().flatten());
            if let Some(a) = link {
                let _ = a.set_attribute("href", &url);
            }
        }
    };
    let on_pointer = {
        let refresh = refresh.clone();
        Callback::from(move |e: PointerEvent| refresh(e.target()))
    };
    let on_focus = {
        let refresh = refresh.clone();
        Callback::from(move |e: FocusEvent| refresh(e.target()))
    };
    let on_click = Callback::from(move |e: MouseEvent| refresh(e.target()));
    html! {
        <a href={base} target="_blank" rel="noopener" onpointerdown={on_pointer} onfocus={on_focus}
            onclick={on_click}>{"Open in the full playground"}<span aria-hidden="true">{" ↗"}</span>
            <span class="sr-only">{" (opens a new tab)"}</span></a>
    }
}
