//! The fleet panel: a filter (id or name, provider, state family, each choice with its count), the servers as
//! a tree (a group per provider that folds, the servers under it) that is one Tab stop, moved through with the
//! arrow keys, Home/End, Page Up/Down and type-ahead (the WAI-ARIA tree view pattern, `crate::fleet_tree`), and
//! "Stop all running servers" behind a confirmation that counts what it will stop.
//!
//! Each group scrolls on its own, so all three providers show on a desktop screen whatever the fleet's size,
//! and draws only the rows in view (rows have one fixed height, [`ROW_PX`]): at 10,000 servers a tick or a
//! "Stop all" re-renders a few dozen rows, not the fleet. Every row says where it sits (`aria-posinset`,
//! `aria-setsize`, `aria-level`), and the row that holds the Tab stop is always drawn, so keyboard and screen
//! reader users reach every server through the tree. A row's progress bar is a CSS animation whose fill the
//! browser computes from the simulated clock (no per-frame work).

use super::{badge, family_class, short};
use crate::fleet_tree::{
    family_label, provider_slot, Filtered, FleetFilter, Move, Node, Row, Tree, FAMILIES,
};
use crate::hooks::StateHandle;
use crate::pretty::{count, counted};
use crate::state::Clock;
use crate::storage;
use sim::{Provider, ServerView, SimTime, StateFamily};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The height of a server row in CSS pixels (`.rows > li` in style.css): where a row sits is its position
/// times this, so only the rows in view need to exist.
pub const ROW_PX: i32 = 40;
/// Rows drawn beyond each edge of a group's view, so a fast scroll rarely shows a gap.
const OVERSCAN: usize = 8;
/// Rows a group is assumed to show before it has been measured.
const ASSUMED_ROWS: usize = 30;
/// How long type-ahead keeps the letters typed so far.
const TYPEAHEAD_MS: f64 = 700.0;

/// A transition's progress: a CSS animation (compositor-driven, no per-frame work) started at the right
/// point from the simulated clock, re-created (its key changes) whenever the transition or the clock
/// mapping changes. A plain view function of its row, not a component: a "Stop all" would otherwise create
/// a component per moving row in one frame.
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

/// The element id of a node of the tree.
fn node_id(node: Node) -> String {
    match node {
        Node::Group(p) => format!("fleet-g-{}", p.slug()),
        Node::Server(index) => format!("fleet-{index}"),
    }
}

/// The tree node an element belongs to (the nearest tree item around it).
fn node_of(target: Option<web_sys::EventTarget>) -> Option<Node> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?.closest("[role=treeitem]").ok()??;
    if let Some(index) = el.get_attribute("data-index") {
        return index.parse().ok().map(Node::Server);
    }
    Provider::from_slug(&el.get_attribute("data-group")?).map(Node::Group)
}

/// Props of one server row.
#[derive(Properties, PartialEq, Clone)]
pub struct ServerItemProps {
    /// The server (shared with the state: an unchanged server is the same value).
    pub server: Rc<ServerView>,
    /// Its index in the fleet (its element id and `data-index`).
    pub index: usize,
    /// Its position in its group, from 1 (`aria-posinset`; the row's place is `(posinset − 1) × ROW_PX`).
    pub posinset: usize,
    /// How many rows its group shows (`aria-setsize`).
    pub setsize: usize,
    /// Whether it holds the tree's one Tab stop.
    pub tab_stop: bool,
    /// Whether it is the selected server.
    pub selected: bool,
    /// 0: no pulse; 1 or 2 alternate so a new send restarts the animation.
    pub pulse: u8,
    /// The clock (changes only when the wall → sim mapping jumps).
    pub clock: Clock,
}

/// One server row: a tree item. Clicks and keys are handled once, on the tree (`data-index` names the row).
#[component]
pub fn ServerItem(props: &ServerItemProps) -> Html {
    let s = &props.server;
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
    let named = !s.name.is_empty() && s.name != s.id;
    let top = (props.posinset as i32 - 1) * ROW_PX;
    html! {
        <li role="treeitem" id={node_id(Node::Server(props.index))} data-index={props.index.to_string()}
            class={classes!("server", family_class(s.family), props.selected.then_some("selected"), pulse)}
            style={format!("top:{top}px")} tabindex={if props.tab_stop { "0" } else { "-1" }}
            aria-selected={props.selected.to_string()} aria-level="2"
            aria-setsize={props.setsize.to_string()} aria-posinset={props.posinset.to_string()}>
            <span class="who">
                if named {
                    <span class="name">{&s.name}</span>{" "}
                    <span class="id mono">{&s.id}</span>
                } else {
                    <span class="name mono">{&s.id}</span>
                }
            </span>
            {" "}
            {badge(&s.state, s.family, s.locked)}
            // Always one child (an empty fragment when there is no transition): a bare `Option` would vanish
            // from the list, and Yew's unkeyed diff, which aligns children from the end, would then rebuild
            // the name and the badge of every row that starts or ends a transition.
            {progress.unwrap_or_default()}
        </li>
    }
}

/// Props of one provider's group.
#[derive(Properties, Clone)]
pub struct GroupProps {
    /// The provider.
    pub provider: Provider,
    /// The rows the filter leaves (a new `Rc` whenever the fleet or the filter changes).
    pub rows: Rc<Vec<Row>>,
    /// Servers of this provider in the scenario.
    pub in_scenario: usize,
    /// Whether the group is open.
    pub expanded: bool,
    /// Its position among the groups shown, from 1, and how many are shown.
    pub posinset: usize,
    /// How many groups are shown.
    pub setsize: usize,
    /// The node holding the tree's Tab stop, when it is in this group (the group or one of its rows).
    pub tab_stop: Option<Node>,
    /// The selected server's index, when it is in this group.
    pub selected: Option<usize>,
    /// The pulsing server's index and which pulse, when it is in this group.
    pub pulse: Option<(usize, u8)>,
    /// The clock.
    pub clock: Clock,
    /// Whether a filter is set (for the empty group's text).
    pub filtered: bool,
}

impl PartialEq for GroupProps {
    fn eq(&self, other: &Self) -> bool {
        self.provider == other.provider
            && Rc::ptr_eq(&self.rows, &other.rows)
            && self.in_scenario == other.in_scenario
            && self.expanded == other.expanded
            && self.posinset == other.posinset
            && self.setsize == other.setsize
            && self.tab_stop == other.tab_stop
            && self.selected == other.selected
            && self.pulse == other.pulse
            && self.clock == other.clock
            && self.filtered == other.filtered
    }
}

/// Which rows of a group are in view: the first, and how many fit.
#[derive(Clone, Copy, PartialEq, Eq)]
struct View {
    first: usize,
    count: usize,
}

fn view_of(list: &web_sys::Element) -> View {
    let top = list.scroll_top().max(0) as usize;
    let height = list.client_height().max(0) as usize;
    let row = ROW_PX as usize;
    View { first: top / row, count: height.div_ceil(row).max(1) }
}

/// One provider's group: a tree item with its heading (which folds it) and, open, its rows in a list that
/// scrolls on its own and draws the rows in view, plus the one holding the Tab stop.
#[component]
pub fn FleetGroup(props: &GroupProps) -> Html {
    let p = props.provider;
    let view = use_state_eq(|| View { first: 0, count: ASSUMED_ROWS });
    let list = use_node_ref();
    {
        // Measured once drawn, and again when the rows change (a filter can bring the list into being).
        let (view, list) = (view.clone(), list.clone());
        use_effect_with((Rc::as_ptr(&props.rows) as usize, props.expanded), move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                view.set(view_of(&el));
            }
        });
    }
    let onscroll = {
        let view = view.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                view.set(view_of(&el));
            }
        })
    };
    let rows = &props.rows;
    let n = rows.len();
    let from = view.first.saturating_sub(OVERSCAN).min(n);
    let to = (view.first + view.count + OVERSCAN).min(n);
    let pinned = match props.tab_stop {
        Some(Node::Server(index)) => rows.binary_search_by(|r| r.index.cmp(&index)).ok(),
        _ => None,
    };
    let positions =
        pinned.filter(|at| *at < from).into_iter().chain(from..to).chain(pinned.filter(|at| *at >= to));
    let items = positions.map(|at| {
        let row = &rows[at];
        let pulse = match props.pulse {
            Some((index, n)) if index == row.index => n,
            _ => 0,
        };
        html! {
            <ServerItem key={row.index} server={Rc::clone(&row.server)} index={row.index} posinset={at + 1}
                setsize={n} tab_stop={props.tab_stop == Some(Node::Server(row.index))}
                selected={props.selected == Some(row.index)} {pulse} clock={props.clock.clone()} />
        }
    });
    let group = Node::Group(p);
    let list_id = format!("{}-rows", node_id(group));
    let empty = if props.in_scenario == 0 {
        format!("No {} servers in this scenario.", short(p))
    } else if props.filtered {
        format!("No {} server matches the filter.", short(p))
    } else {
        String::new()
    };
    // The group's tree item is its heading, and owns the list of its rows (`aria-owns`, as in the WAI-ARIA
    // navigation tree example): its name is the heading alone, not the text of every row under it.
    html! {
        <li role="none" class="group">
            <div role="treeitem" id={node_id(group)} data-group={p.slug()} class="group-h"
                aria-expanded={props.expanded.to_string()} aria-level="1"
                aria-setsize={props.setsize.to_string()} aria-posinset={props.posinset.to_string()}
                aria-owns={(props.expanded && n > 0).then(|| list_id.clone())}
                tabindex={if props.tab_stop == Some(group) { "0" } else { "-1" }}>
                <svg class="chevron" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
                    <path d="M3 1.5 L7 5 L3 8.5" fill="none" stroke="currentColor" stroke-width="1.6" />
                </svg>
                <span class="title">{p.title()}</span>{" "}
                <span class="count">{count(n)}<span class="sr-only">{if n == 1 { " server" } else { " servers" }}</span></span>
                if props.expanded && n == 0 {
                    {" "}<span class="empty">{empty}</span>
                }
            </div>
            if props.expanded && n > 0 {
                // tabindex -1: Chromium makes a scrolling box without a Tab stop inside into one; the tree is
                // the fleet's one stop, and its keys scroll the list.
                <ul role="group" id={list_id} class="rows" ref={list} {onscroll} style={format!("--rows:{n}")}
                    tabindex="-1">
                    {for items}
                </ul>
            }
        </li>
    }
}

/// What the fleet panel draws from. A component of its own so that everything else that re-renders the
/// page (typing in the composer, the toast, the response) leaves the fleet alone.
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
/// 10,000 servers member by member on every render would cost what the memo saves.
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

/// A row of radio buttons, one Tab stop (arrow keys choose), each choice with its count.
fn chips<T: Copy + PartialEq + 'static>(
    legend: &'static str,
    name: &'static str,
    choices: Vec<(Option<T>, String, usize)>,
    chosen: Option<T>,
    on_pick: Callback<Option<T>>,
) -> Html {
    html! {
        <fieldset class="chips">
            <legend class="sr-only">{legend}</legend>
            { for choices.into_iter().map(|(value, label, n)| {
                let onchange = on_pick.reform(move |_: Event| value);
                let on = value == chosen;
                html! {
                    <label class={classes!("chip", on.then_some("on"), (n == 0 && !on).then_some("none"))}>
                        <input type="radio" {name} checked={on} {onchange} />
                        <span>{label}</span>{" "}<span class="n">{count(n)}</span>
                    </label>
                }
            }) }
        </fieldset>
    }
}

/// The key a keydown asks for, as a move of the tree.
fn tree_move(key: &str, page: usize) -> Option<Move> {
    Some(match key {
        "ArrowDown" => Move::Next,
        "ArrowUp" => Move::Prev,
        "Home" => Move::First,
        "End" => Move::Last,
        "PageDown" => Move::PageDown(page),
        "PageUp" => Move::PageUp(page),
        _ => return None,
    })
}

/// The fleet panel.
#[component]
pub fn FleetPanel(props: &FleetProps) -> Html {
    let FleetProps { fleet, selected, pulse, clock, on_select, on_stop_all } = props;
    let filter = use_state(FleetFilter::default);
    let expanded = use_state(|| [true; 3]);
    let active = use_state(|| None::<Node>);
    let confirming = use_state(|| false);
    // Letters typed for type-ahead, and when the last one was.
    let typed = use_mut_ref(|| (String::new(), 0.0f64));
    // Set by a key or a click that moves the tree's focus: after the render, DOM focus follows `active`.
    let move_focus = use_mut_ref(|| false);
    // Where focus goes after the next render when an action removes the focused control (the confirmation's
    // buttons): selectors tried in order.
    let focus_after = use_mut_ref(|| None::<&'static [&'static str]>);
    let filtered = {
        let key = (Rc::as_ptr(fleet) as usize, (*filter).clone());
        let fleet = fleet.clone();
        use_memo(key, move |(_, f)| Filtered::of(&fleet, f))
    };
    let tree = Tree { filtered: &filtered, expanded: *expanded };
    let selected_index =
        selected.as_ref().and_then(|(p, id)| fleet.iter().position(|s| s.provider == *p && &s.id == id));
    // The one Tab stop: the node last moved to, else the selected server, else the first group.
    let tab_stop = (*active)
        .filter(|n| tree.locate(*n).is_some())
        .or_else(|| selected_index.map(Node::Server).filter(|n| tree.locate(*n).is_some()))
        .or_else(|| tree.first());
    {
        let (move_focus, focus_after) = (move_focus.clone(), focus_after.clone());
        use_effect(move || {
            if std::mem::take(&mut *move_focus.borrow_mut()) {
                if let Some(node) = tab_stop {
                    storage::focus_now(&format!("#{}", node_id(node)));
                }
            }
            if let Some(selectors) = focus_after.borrow_mut().take() {
                let _ = selectors.iter().any(|s| storage::focus_now(s));
            }
        });
    }

    let select_index = {
        let (fleet, on_select) = (fleet.clone(), on_select.clone());
        move |index: usize| {
            if let Some(s) = fleet.get(index) {
                on_select.emit((s.provider, s.id.clone()));
            }
        }
    };
    let toggle_group = {
        let expanded = expanded.clone();
        move |p: Provider, open: Option<bool>| {
            let mut next = *expanded;
            let slot = provider_slot(p);
            next[slot] = open.unwrap_or(!next[slot]);
            expanded.set(next);
        }
    };
    let onclick = {
        let (active, move_focus) = (active.clone(), move_focus.clone());
        let (select_index, toggle_group) = (select_index.clone(), toggle_group.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let attr = |selector: &str, name: &str| {
                target.closest(selector).ok().flatten().and_then(|el| el.get_attribute(name))
            };
            if let Some(index) = attr("[data-index]", "data-index").and_then(|i| i.parse::<usize>().ok()) {
                select_index(index);
                active.set(Some(Node::Server(index)));
                *move_focus.borrow_mut() = true;
            } else if target.closest(".group-h").ok().flatten().is_some() {
                if let Some(p) = attr("[data-group]", "data-group").and_then(|s| Provider::from_slug(&s)) {
                    toggle_group(p, None);
                    active.set(Some(Node::Group(p)));
                    *move_focus.borrow_mut() = true;
                }
            }
        })
    };
    let onkeydown = {
        let (active, move_focus, typed) = (active.clone(), move_focus.clone(), typed.clone());
        let filtered = filtered.clone();
        let expanded_now = *expanded;
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            // The node the key was pressed on (focus may have come by a click or a script, not by a key).
            let Some(from) = node_of(e.target()).or(tab_stop) else { return };
            let tree = Tree { filtered: &filtered, expanded: expanded_now };
            let key = e.key();
            let go = |node: Option<Node>| {
                if let Some(node) = node {
                    active.set(Some(node));
                    *move_focus.borrow_mut() = true;
                }
            };
            // A page is what a group shows at a time.
            let page = 8;
            if let Some(mv) = tree_move(&key, page) {
                e.prevent_default();
                go(tree.step(from, mv));
                return;
            }
            match (key.as_str(), from) {
                ("ArrowRight", Node::Group(p)) => {
                    e.prevent_default();
                    if expanded_now[provider_slot(p)] {
                        go(tree.step(from, Move::FirstChild));
                    } else {
                        toggle_group(p, Some(true));
                    }
                }
                ("ArrowLeft", Node::Group(p)) => {
                    e.prevent_default();
                    toggle_group(p, Some(false));
                }
                ("ArrowLeft", Node::Server(_)) => {
                    e.prevent_default();
                    go(tree.step(from, Move::Parent));
                }
                ("Enter" | " ", Node::Group(p)) => {
                    e.prevent_default();
                    toggle_group(p, None);
                }
                ("Enter" | " ", Node::Server(index)) => {
                    e.prevent_default();
                    select_index(index);
                }
                (k, _) if k.chars().count() == 1 && k != " " => {
                    e.prevent_default();
                    let now = storage::wall();
                    let mut t = typed.borrow_mut();
                    if now - t.1 > TYPEAHEAD_MS {
                        t.0.clear();
                    }
                    t.0.push_str(k);
                    t.1 = now;
                    go(tree.find(Some(from), &t.0));
                }
                _ => {}
            }
        })
    };

    // Focus that arrives on a node by any way (a click, a screen reader, a script) moves the Tab stop there.
    let onfocusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some(node) = node_of(e.target()) {
                if *active != Some(node) {
                    active.set(Some(node));
                }
            }
        })
    };
    let on_text = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            filter.set(FleetFilter { text: super::event_value(&e), ..(*filter).clone() })
        })
    };
    let on_provider = {
        let filter = filter.clone();
        Callback::from(move |provider: Option<Provider>| {
            filter.set(FleetFilter { provider, ..(*filter).clone() })
        })
    };
    let on_family = {
        let filter = filter.clone();
        Callback::from(move |family: Option<StateFamily>| {
            filter.set(FleetFilter { family, ..(*filter).clone() })
        })
    };
    let providers = std::iter::once((None, "All".to_string(), filtered.by_provider.iter().sum()))
        .chain(
            Provider::ALL
                .into_iter()
                .map(|p| (Some(p), short(p).to_string(), filtered.by_provider[provider_slot(p)])),
        )
        .collect();
    let families = std::iter::once((None, "Any state".to_string(), filtered.by_family.iter().sum()))
        .chain(
            FAMILIES
                .into_iter()
                .enumerate()
                // "Other" only when something is in it: no provider's usual states are.
                .filter(|(i, f)| {
                    *f != StateFamily::Other || filtered.by_family[*i] > 0 || filter.family == Some(*f)
                })
                .map(|(i, f)| (Some(f), family_label(f).to_string(), filtered.by_family[i])),
        )
        .collect();

    let pulse_index = pulse
        .as_ref()
        .and_then(|(p, id, n)| fleet.iter().position(|s| s.provider == *p && &s.id == id).map(|i| (i, *n)));
    let setsize = filtered.groups.len();
    let groups = filtered.groups.iter().enumerate().map(|(g, (p, rows))| {
        let in_group = |node: Option<Node>| {
            node.filter(|n| match n {
                Node::Group(q) => q == p,
                Node::Server(i) => fleet.get(*i).is_some_and(|s| s.provider == *p),
            })
        };
        html! {
            <FleetGroup key={p.slug()} provider={*p} rows={rows.clone()}
                in_scenario={filtered.in_scenario[provider_slot(*p)]} expanded={expanded[provider_slot(*p)]}
                posinset={g + 1} {setsize} tab_stop={in_group(tab_stop)}
                selected={selected_index.filter(|i| fleet.get(*i).is_some_and(|s| s.provider == *p))}
                pulse={pulse_index.filter(|(i, _)| fleet.get(*i).is_some_and(|s| s.provider == *p))}
                clock={clock.clone()} filtered={filter.is_set()} />
        }
    });

    let running = filtered.running;
    let running_total: usize = running.iter().sum();
    let ask = {
        let (confirming, focus_after) = (confirming.clone(), focus_after.clone());
        Callback::from(move |_| {
            confirming.set(true);
            *focus_after.borrow_mut() = Some(&["#stop-all-yes"]);
        })
    };
    let cancel = {
        let (confirming, focus_after) = (confirming.clone(), focus_after.clone());
        move || {
            confirming.set(false);
            *focus_after.borrow_mut() = Some(&["#stop-all"]);
        }
    };
    let confirm = {
        let (confirming, on_stop_all, focus_after) =
            (confirming.clone(), on_stop_all.clone(), focus_after.clone());
        Callback::from(move |_| {
            confirming.set(false);
            on_stop_all.emit(());
            // The confirmation goes; the summary of what was sent (rendered in the same pass) takes focus, or,
            // while the page follows a server (whose answers arrive later), the Stop-all button.
            *focus_after.borrow_mut() = Some(&["#batch-h", "#stop-all"]);
        })
    };
    let on_cancel = {
        let cancel = cancel.clone();
        Callback::from(move |_: MouseEvent| cancel())
    };
    let confirm_keys = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            cancel();
        }
    });
    let per_provider: Vec<String> = Provider::ALL
        .into_iter()
        .filter(|p| running[provider_slot(*p)] > 0)
        .map(|p| format!("{} {}", count(running[provider_slot(p)]), p.title()))
        .collect();
    let shown = filtered.shown();
    html! {
        <section id="fleet" class="panel fleet" aria-labelledby="fleet-h" tabindex="-1">
            <div class="panel-h">
                <h2 id="fleet-h">{"Fleet"}</h2>
                <span class="sub">
                    if filter.is_set() {
                        {format!("{} of {} shown", count(shown), counted(fleet.len(), "server", "servers"))}
                    } else {
                        {counted(fleet.len(), "server", "servers")}
                    }
                </span>
            </div>
            <div class="fleet-filter">
                <input type="search" class="filter-text" aria-label="Filter servers by id or name"
                    placeholder="Filter by id or name" value={filter.text.clone()} oninput={on_text}
                    spellcheck="false" autocomplete="off" />
                {chips("Provider", "fleet-provider", providers, filter.provider, on_provider)}
                {chips("State", "fleet-state", families, filter.family, on_family)}
            </div>
            <ul role="tree" class="tree" aria-labelledby="fleet-h" {onclick} {onkeydown} {onfocusin}>
                {for groups}
            </ul>
            if *confirming {
                <div class="confirm" role="group" aria-labelledby="stop-all-q" onkeydown={confirm_keys}>
                    <p id="stop-all-q">
                        <strong>{format!("Stop {}?", counted(running_total, "running server", "running servers"))}</strong>
                        {format!(" One stop request each: {}.", per_provider.join(", "))}
                    </p>
                    <div class="row">
                        <button type="button" id="stop-all-yes" class="danger small" onclick={confirm}>
                            {format!("Stop {}", counted(running_total, "server", "servers"))}
                        </button>
                        <button type="button" class="ghost small" onclick={on_cancel}>{"Cancel"}</button>
                    </div>
                </div>
            } else {
                <button type="button" id="stop-all" class="ghost small" onclick={ask} disabled={running_total == 0}>
                    {"Stop all running servers"}
                </button>
            }
        </section>
    }
}
