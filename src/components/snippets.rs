//! Code snippets for the composer's request: one tab per language `sim::snippets` can express it in, each
//! with a copy button and its notes, and a switch that points the clients at the playground's endpoint (the
//! page's origin, or the `fleetplay serve` the page follows, where the snippet's run then shows up live)
//! instead of the real cloud.

use super::event_checked;
use crate::hooks::use_app;
use crate::state::Action;
use crate::storage;
use sim::snippets::{snippets, SnippetLanguage};
use yew::prelude::*;

/// The snippets panel.
#[component]
pub fn SnippetsPanel() -> Html {
    let state_opt = use_app();
    // The server the page follows answers for real: point the snippets at it from the start.
    let followed =
        state_opt.as_ref().and_then(|s| s.live.as_ref()).map(|l| (l.server.to_string(), l.label()));
    let local = use_state(|| followed.is_some());
    let chosen = use_state(|| SnippetLanguage::Curl);
    let raw = state_opt.as_ref().map(|s| s.draft().raw.clone()).unwrap_or_default();
    let endpoint = (*local).then(|| match &followed {
        Some((server, _)) if !server.is_empty() => server.clone(),
        _ => storage::origin(),
    });
    let list = use_memo((raw, endpoint), |(raw, endpoint)| {
        crate::wiretext::parse_request(raw)
            .map(|r| snippets(&r, endpoint.as_deref()))
            .map_err(|e| e.to_string())
    });
    let Some(state) = state_opt else { return Html::default() };
    let toggle = {
        let local = local.clone();
        Callback::from(move |e: Event| local.set(event_checked(&e)))
    };
    let list = match list.as_ref() {
        Ok(list) if !list.is_empty() => list,
        Ok(_) => return Html::default(),
        Err(e) => {
            return html! {
                <section class="panel snippets" aria-labelledby="snippets-h">
                    <div class="panel-h"><h2 id="snippets-h">{"Code snippets"}</h2></div>
                    <p class="empty">{format!("No snippets while the raw request cannot be read ({e}).")}</p>
                </section>
            }
        }
    };
    let current = list.iter().find(|s| s.language == *chosen).unwrap_or(&list[0]);
    let tab_id = |l: SnippetLanguage| format!("snip-{}", l.slug());
    let tabs = list.iter().map(|s| {
        let on = s.language == current.language;
        let onclick = {
            let chosen = chosen.clone();
            let l = s.language;
            Callback::from(move |_| chosen.set(l))
        };
        html! {
            <button type="button" role="tab" id={tab_id(s.language)} aria-selected={on.to_string()}
                aria-controls="snippet-view" tabindex={if on { "0" } else { "-1" }}
                class={classes!("tab", on.then_some("on"))} {onclick}>{s.language.label()}</button>
        }
    });
    let keys = {
        let chosen = chosen.clone();
        let order: Vec<SnippetLanguage> = list.iter().map(|s| s.language).collect();
        let at = order.iter().position(|l| *l == current.language).unwrap_or(0);
        Callback::from(move |e: KeyboardEvent| {
            let n = order.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (at + 1) % n,
                "ArrowLeft" => (at + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            e.prevent_default();
            let Some(l) = order.get(next).copied() else { return };
            chosen.set(l);
            storage::focus(&format!("snip-{}", l.slug()));
        })
    };
    let copy = {
        let code = current.code.clone();
        let label = current.language.label();
        Callback::from(move |_| {
            storage::copy(&code);
            state.dispatch(Action::Toast(format!("{label} snippet copied.")));
        })
    };
    html! {
        <section class="panel snippets" aria-labelledby="snippets-h">
            <div class="panel-h">
                <h2 id="snippets-h">{"Code snippets"}</h2>
                <span class="sub">{"This request in client code"}</span>
            </div>
            <label class="check">
                <input type="checkbox" checked={*local} onchange={toggle} />
                {match &followed {
                    Some((_, label)) => format!("Point at the server this page follows ({label})"),
                    None => "Point at the playground's simulated endpoint".to_string(),
                }}
            </label>
            <div class="tabs wrap" role="tablist" aria-label="Snippet language" onkeydown={keys}>{for tabs}</div>
            <div id="snippet-view" role="tabpanel" aria-labelledby={tab_id(current.language)}>
                <div class="code-h">
                    <span>{&current.title}</span>
                    <button type="button" class="ghost small" onclick={copy}>{"Copy"}</button>
                </div>
                <pre class="code mono" tabindex="0" aria-label={format!("{} snippet", current.language.label())}>{&current.code}</pre>
                if !current.notes.is_empty() {
                    <ul class="notes" aria-label="Notes about this snippet">
                        { for current.notes.iter().map(|n| html! { <li>{n}</li> }) }
                    </ul>
                }
            </div>
        </section>
    }
}
