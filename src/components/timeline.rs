//! The timeline: every exchange and every state change, stamped with simulated time, newest first. It can be
//! narrowed to requests, refused requests or state changes, and searched (server, operation, status, error
//! type); an exchange shows again in the response panel with one click, and "Edit" puts its request back in
//! the composer to change and send again. It lists a page of entries at a time: after a "Stop all" at
//! 10,000 servers it holds 20,000.

use super::{clock_text, event_value, short};
use crate::fleet_tree::contains_ignoring_case;
use crate::hooks::use_app;
use crate::pretty::{count, counted, status_class};
use crate::state::{Action, Entry};
use crate::storage;
use std::rc::Rc;
use yew::prelude::*;

/// How many entries are listed at first, and how many more each "Show more" adds.
const PAGE: usize = 150;

/// Which entries the timeline lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    All,
    Requests,
    Refused,
    Changes,
}

impl Kind {
    const ALL: [(Kind, &'static str, &'static str); 4] = [
        (Kind::All, "all", "Everything"),
        (Kind::Requests, "requests", "Requests"),
        (Kind::Refused, "refused", "Refused requests (4xx, 5xx)"),
        (Kind::Changes, "changes", "State changes"),
    ];

    fn from_value(v: &str) -> Kind {
        Kind::ALL.iter().find(|(_, value, _)| *value == v).map_or(Kind::All, |(k, _, _)| *k)
    }
}

/// Whether `entry` is listed for `kind` and `query` (lowercase; blank matches everything).
fn listed(entry: &Entry, kind: Kind, query: &str) -> bool {
    let has = |text: &str| contains_ignoring_case(text, query);
    match entry {
        Entry::Exchange(x) => {
            let kind_ok = match kind {
                Kind::All | Kind::Requests => true,
                Kind::Refused => x.response.status >= 400,
                Kind::Changes => false,
            };
            kind_ok
                && (query.is_empty()
                    || x.operation.as_deref().is_some_and(has)
                    || x.server.as_deref().is_some_and(has)
                    || has(&x.request.method)
                    || has(x.request.path())
                    || has(&x.response.status.to_string())
                    || has(x.response.reason())
                    || x.provider.is_some_and(|p| has(short(p)))
                    // The error type is in the body (`__type`, Nova's fault key): found without parsing it.
                    || (x.response.status >= 400 && has(&x.response.body)))
        }
        Entry::Event(e) => {
            matches!(kind, Kind::All | Kind::Changes)
                && (query.is_empty() || has(&e.server) || has(&e.from) || has(&e.to) || has(&e.cause))
        }
    }
}

/// The timeline panel.
#[component]
pub fn Timeline() -> Html {
    let state_opt = use_app();
    let query = use_state(String::new);
    let kind = use_state(|| Kind::All);
    let limit = use_state(|| PAGE);
    // The positions of the entries listed, newest first; `None` when nothing narrows the list (then the
    // newest entries are read straight from the timeline, with no pass over it).
    let matching = {
        let timeline = state_opt.as_ref().map(|s| s.timeline.clone()).unwrap_or_default();
        let key = (Rc::as_ptr(&timeline) as usize, (*query).trim().to_ascii_lowercase(), *kind);
        use_memo(key, move |(_, q, k)| {
            (!q.is_empty() || *k != Kind::All).then(|| {
                timeline
                    .iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, e)| listed(e, *k, q))
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
            })
        })
    };
    let Some(state) = state_opt else { return Html::default() };
    let total = state.timeline.len();
    let found = matching.as_ref().as_ref().map_or(total, Vec::len);
    let positions: Vec<usize> = match matching.as_ref() {
        Some(list) => list.iter().take(*limit).copied().collect(),
        None => (0..total).rev().take(*limit).collect(),
    };
    let shown = state.shown_exchange().map(|x| x.seq);
    let items = positions.into_iter().filter_map(|i| state.timeline.get(i).map(|e| (i, e))).map(|(i, entry)| match entry {
        Entry::Exchange(x) => {
            let seq = x.seq;
            let view = {
                let state = state.clone();
                Callback::from(move |_| state.dispatch(Action::ViewExchange(seq)))
            };
            let edit = {
                let state = state.clone();
                let provider = x.provider.unwrap_or(state.provider);
                let raw = crate::wiretext::render_request(&x.request);
                Callback::from(move |_| {
                    state.dispatch(Action::LoadDraft { provider, raw: raw.clone() });
                    storage::focus_soon(super::composer::FIRST_FIELD);
                })
            };
            let what = x.operation.clone().unwrap_or_else(|| format!("{} {}", x.request.method, x.request.path()));
            let on = shown == Some(seq);
            html! {
                <li class={classes!("tl-x", on.then_some("shown"))} key={format!("x{seq}")}>
                    <button type="button" class="tl-view" onclick={view} aria-current={on.then_some("true")}>
                        <span class="t mono">{clock_text(x.at)}</span>{" "}
                        <span class={classes!("code-pill", status_class(x.response.status))}>{x.response.status}</span>{" "}
                        <span class="what">{what}</span>{" "}
                        <span class="target mono">{x.server.clone().unwrap_or_default()}</span>
                    </button>
                    <button type="button" class="ghost small tl-edit" onclick={edit}
                        aria-label={format!("Edit request #{seq} in the composer")}>{"Edit"}</button>
                </li>
            }
        }
        Entry::Event(e) => html! {
            <li class="tl-e" key={format!("e{i}")}>
                <span class="t mono">{clock_text(e.at)}</span>{" "}
                <span class="target mono">{&e.server}</span>{" "}
                <span class="change">{format!("{} → {}", e.from, e.to)}</span>{" "}
                <span class="cause">{&e.cause}</span>
            </li>
        },
    });
    let on_query = {
        let (query, limit) = (query.clone(), limit.clone());
        Callback::from(move |e: InputEvent| {
            query.set(event_value(&e));
            limit.set(PAGE);
        })
    };
    let on_kind = {
        let (kind, limit) = (kind.clone(), limit.clone());
        Callback::from(move |e: Event| {
            kind.set(Kind::from_value(&event_value(&e)));
            limit.set(PAGE);
        })
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_| limit.set(*limit + PAGE))
    };
    let narrowed = matching.is_some();
    let listed_now = found.min(*limit);
    html! {
        <section class="panel timeline" aria-labelledby="timeline-h">
            <div class="panel-h">
                <h2 id="timeline-h" tabindex="-1">{"Timeline"}</h2>
                <span class="sub">{format!("{} · newest first", counted(total, "entry", "entries"))}</span>
            </div>
            if total == 0 {
                <p class="empty-state">{"Requests and state changes appear here, stamped with simulated time."}</p>
            } else {
                <div class="tl-filter">
                    <input type="search" aria-label="Search the timeline" placeholder="Search the timeline"
                        value={(*query).clone()} oninput={on_query} spellcheck="false" autocomplete="off" />
                    <select aria-label="Entries listed" onchange={on_kind} ~value={Kind::ALL.iter().find(|(k, _, _)| *k == *kind).map_or("all", |(_, v, _)| *v)}>
                        { for Kind::ALL.iter().map(|(k, value, label)| html! {
                            <option value={*value} selected={*k == *kind}>{*label}</option>
                        }) }
                    </select>
                </div>
                <p class="tl-count" role="status">
                    { if narrowed {
                        format!("{} of {} match; {} listed", count(found), count(total), count(listed_now))
                    } else if listed_now < total {
                        format!("The newest {} listed", count(listed_now))
                    } else {
                        String::new()
                    } }
                </p>
                if found > 0 {
                    <ol class="tl" aria-label="Timeline">{for items}</ol>
                }
                if listed_now < found {
                    <button type="button" class="ghost small" onclick={more}>
                        {format!("Show {} more", count(PAGE.min(found - listed_now)))}
                    </button>
                }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::AppState;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn kinds_and_search_narrow_the_entries() {
        for (k, value, _) in Kind::ALL {
            assert_eq!(Kind::from_value(value), k);
        }
        assert_eq!(Kind::from_value("junk"), Kind::All);
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectServer(sim::Provider::Transfer, "s-0123456789abcdef0".into()));
        s.apply(Action::Send { wall: 0.0 });
        s.apply(Action::SetField("ServerId".into(), "s-0123456789abcdef".into()));
        s.apply(Action::SetMode(crate::draft::Mode::Raw));
        s.apply(Action::Send { wall: 0.0 });
        let count = |k: Kind, q: &str| s.timeline.iter().filter(|e| listed(e, k, q)).count();
        assert_eq!(count(Kind::Requests, ""), 2);
        assert_eq!(count(Kind::Refused, ""), 1);
        assert_eq!(count(Kind::Refused, "validationexception"), 1, "the error type, in the body");
        assert_eq!(count(Kind::Requests, "abcdef0"), 1);
        assert_eq!(count(Kind::Changes, "stopping"), 1);
        assert_eq!(count(Kind::All, "400"), 1);
        assert_eq!(count(Kind::All, "nothing like it"), 0);
    }
}
