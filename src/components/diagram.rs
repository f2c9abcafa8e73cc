//! The state-machine diagram (SVG) of the selected server's provider: the stop/start loop on the corners of a
//! rectangle, other states inside and below it, every edge curved to its right so opposite edges do not
//! overlap, the current state lit, and the transition in progress animated along its edge (a still highlight
//! under `prefers-reduced-motion`).

use super::{badge, family_class};
use crate::app::StateHandle;
use crate::clock::clock_text;
use sim::{Provider, ServerView, Sim, StateMachine};
use yew::prelude::*;

const W: f64 = 440.0;
const NODE_W: f64 = 116.0;
const NODE_H: f64 = 30.0;
const ROW_H: f64 = 96.0;

/// The stop/start cycle through the first node (on → stopping → off → starting → on), if the machine has
/// one of four states; ties go to the states listed first.
fn main_cycle(sm: &StateMachine) -> Option<[usize; 4]> {
    let n = sm.nodes.len();
    let index = |id: &str| sm.nodes.iter().position(|(x, _, _)| *x == id);
    let edge =
        |a: usize, b: usize| sm.edges.iter().any(|(f, t, _)| index(f) == Some(a) && index(t) == Some(b));
    let mut best: Option<[usize; 4]> = None;
    for b in 1..n {
        for c in 1..n {
            for d in 1..n {
                if b == c || c == d || b == d {
                    continue;
                }
                if edge(0, b) && edge(b, c) && edge(c, d) && edge(d, 0) {
                    let cand = [0, b, c, d];
                    if best.is_none_or(|x| cand[1..] < x[1..]) {
                        best = Some(cand);
                    }
                }
            }
        }
    }
    best
}

/// Node centres: the main cycle on the corners of a rectangle (clockwise), other states in a row below; a
/// serpentine grid when there is no such cycle.
fn layout(sm: &StateMachine) -> (Vec<(f64, f64)>, f64) {
    let n = sm.nodes.len();
    if let Some(cycle) = main_cycle(sm) {
        let corners = [(70.0, 26.0), (W - 70.0, 26.0), (W - 70.0, 26.0 + ROW_H), (70.0, 26.0 + ROW_H)];
        let mut pos = vec![(0.0, 0.0); n];
        for (k, &i) in cycle.iter().enumerate() {
            pos[i] = corners[k];
        }
        // The first other state sits inside the loop, between the two rows (Transfer's STOP_FAILED, Nova's
        // ERROR: short edges to their neighbours, no crossing); any further ones go in a row below.
        let rest: Vec<usize> = (0..n).filter(|i| !cycle.contains(i)).collect();
        if let Some(&inside) = rest.first() {
            pos[inside] = (W / 2.0, 26.0 + ROW_H / 2.0);
        }
        let below = rest.get(1..).unwrap_or(&[]);
        let y = 26.0 + ROW_H * 1.85;
        for (k, &i) in below.iter().enumerate() {
            pos[i] = (W * (k as f64 + 0.5) / below.len() as f64, y);
        }
        let height = if below.is_empty() { 26.0 + ROW_H + 28.0 } else { y + 28.0 };
        return (pos, height);
    }
    let cols = if n <= 6 { 3 } else { 4 };
    let cell = W / cols as f64;
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let (r, c) = (i / cols, i % cols);
            let c = if r % 2 == 1 { cols - 1 - c } else { c };
            (cell * (c as f64 + 0.5), 26.0 + ROW_H * r as f64)
        })
        .collect();
    let rows = n.div_ceil(cols).max(1);
    (pos, 26.0 + ROW_H * (rows as f64 - 1.0) + 28.0)
}

fn matches(node: &str, label: &str, state: &str) -> bool {
    node.eq_ignore_ascii_case(state) || label.eq_ignore_ascii_case(state)
}

/// Where `from → to` leaves one box and enters the other, curved to the right by `bend`.
fn edge_path(a: (f64, f64), b: (f64, f64)) -> (String, (f64, f64)) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // Clip at the box edges: how far along the unit vector the box boundary is.
    let clip = |ux: f64, uy: f64| {
        let tx = if ux.abs() > 1e-6 { (NODE_W / 2.0 + 4.0) / ux.abs() } else { f64::INFINITY };
        let ty = if uy.abs() > 1e-6 { (NODE_H / 2.0 + 4.0) / uy.abs() } else { f64::INFINITY };
        tx.min(ty)
    };
    let t = clip(ux, uy);
    let start = (a.0 + ux * t, a.1 + uy * t);
    let end = (b.0 - ux * t, b.1 - uy * t);
    let bend = 18.0;
    let mid = ((start.0 + end.0) / 2.0 - uy * bend, (start.1 + end.1) / 2.0 + ux * bend);
    let d = format!("M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}", start.0, start.1, mid.0, mid.1, end.0, end.1);
    let label_at = ((start.0 + 2.0 * mid.0 + end.0) / 4.0, (start.1 + 2.0 * mid.1 + end.1) / 4.0);
    (d, label_at)
}

/// The SVG diagram for one server (`s`) on `provider`'s state machine.
pub fn machine(provider: Provider, s: &ServerView) -> Html {
    let sm: StateMachine = Sim::state_machine(provider);
    if sm.nodes.is_empty() {
        return html! { <p class="empty">{"This provider's state machine is not available yet."}</p> };
    }
    let (pos, height) = layout(&sm);
    let index = |id: &str| sm.nodes.iter().position(|(n, _, _)| *n == id);
    let current = sm.nodes.iter().position(|(n, l, _)| *n == s.node || matches(n, l, &s.node));
    let (tr_from, tr_to) = match &s.transition {
        Some(t) => (current, sm.nodes.iter().position(|(n, l, _)| matches(n, l, &t.to))),
        None => (None, None),
    };
    let edges = sm.edges.iter().filter_map(|(from, to, label)| {
        let (a, b) = (index(from)?, index(to)?);
        let (d, at) = edge_path(pos[a], pos[b]);
        let active = tr_from == Some(a) && tr_to == Some(b);
        let outgoing = current == Some(a);
        Some(html! {
            <g class={classes!("edge", active.then_some("active"), outgoing.then_some("out"))}>
                <title>{format!("{from} → {to}: {label}")}</title>
                <path d={d} marker-end={if active { "url(#arrow-on)" } else { "url(#arrow)" }} />
                if active || outgoing {
                    <text x={format!("{:.1}", at.0)} y={format!("{:.1}", at.1)} class="edge-label">{*label}</text>
                }
            </g>
        })
    });
    let nodes = sm.nodes.iter().enumerate().map(|(i, (id, label, family))| {
        let (x, y) = pos[i];
        let on = current == Some(i);
        let next = tr_to == Some(i);
        html! {
            <g class={classes!("node", family_class(*family), on.then_some("current"), next.then_some("next"))}
               data-node={*id}>
                <rect x={format!("{:.1}", x - NODE_W / 2.0)} y={format!("{:.1}", y - NODE_H / 2.0)}
                    width={NODE_W.to_string()} height={NODE_H.to_string()} rx="8" />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 4.0)}>{*label}</text>
            </g>
        }
    });
    let describe = match &s.transition {
        Some(t) => {
            format!("{} state machine. {} is in {}, moving to {}.", provider.title(), s.id, s.state, t.to)
        }
        None => format!("{} state machine. {} is in {}.", provider.title(), s.id, s.state),
    };
    html! {
        <svg class="machine-svg" viewBox={format!("0 0 {W} {height:.0}")} role="img" aria-label={describe}>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                </marker>
                <marker id="arrow-on" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M0,0 L10,5 L0,10 z" class="arrowhead on" />
                </marker>
            </defs>
            {for edges}
            {for nodes}
        </svg>
    }
}

/// The selected-server panel.
pub fn diagram(state: &StateHandle) -> Html {
    let state = state.clone();
    let Some(server) = state.selected_server().cloned() else {
        return html! {
            <section class="panel machine" aria-labelledby="machine-h">
                <div class="panel-h"><h2 id="machine-h">{"State machine"}</h2></div>
                <p class="empty-state">{"Pick a server to see its provider's state machine, with the server's state lit and its transitions moving as they happen."}</p>
            </section>
        };
    };
    let last = state.last_exchange();
    let pulse = last
        .filter(|x| x.provider == Some(server.provider) && x.server.as_deref() == Some(server.id.as_str()))
        .map(|x| if x.seq % 2 == 0 { "pulse-a" } else { "pulse-b" });
    let transition = server.transition.as_ref().map(|t| match t.due {
        Some(due) => format!("{} → {}, due at {}", t.from, t.to, clock_text(due)),
        None => format!("{} is stuck: it will not finish until something intervenes", t.from),
    });
    html! {
        <section class={classes!("panel", "machine", pulse)} aria-labelledby="machine-h">
            <div class="panel-h">
                <h2 id="machine-h">{"State machine"}</h2>
                <span class="sub">{server.provider.title()}</span>
            </div>
            <p class="who">
                <span class="mono">{if server.name != server.id && !server.name.is_empty() { format!("{} · {}", server.name, server.id) } else { server.id.clone() }}</span>
                {" "}{badge(&server.state, server.family, server.locked)}
            </p>
            if let Some(t) = transition { <p class="transition-line">{t}</p> }
            {machine(server.provider, &server)}
            if !server.details.is_empty() {
                <dl class="details">
                    { for server.details.iter().map(|(k, v)| html! { <><dt>{k}</dt><dd class="mono">{v}</dd></> }) }
                </dl>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn box_of(p: (f64, f64)) -> (f64, f64, f64, f64) {
        (p.0 - NODE_W / 2.0, p.1 - NODE_H / 2.0, p.0 + NODE_W / 2.0, p.1 + NODE_H / 2.0)
    }

    #[wasm_bindgen_test]
    fn no_two_state_boxes_overlap_for_any_provider() {
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            let (pos, height) = layout(&sm);
            for (i, &p) in pos.iter().enumerate() {
                let a = box_of(p);
                assert!(
                    a.0 >= 0.0 && a.2 <= W && a.1 >= 0.0 && a.3 <= height,
                    "{provider:?} node {i} leaves the canvas"
                );
                for (j, &q) in pos.iter().enumerate().skip(i + 1) {
                    let b = box_of(q);
                    let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
                    assert!(!overlap, "{provider:?}: {} overlaps {}", sm.nodes[i].0, sm.nodes[j].0);
                }
            }
        }
    }
}
