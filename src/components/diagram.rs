//! The state-machine diagram (SVG) of the selected server's provider: the stop/start loop on the corners of a
//! rectangle, other states inside and below it with no two edges crossing, every edge curved to its right so
//! opposite edges do not overlap, all on whole SVG units; the current state lit, and the transition in progress
//! animated along its edge (a still highlight under `prefers-reduced-motion`).

use super::{badge, clock_text, family_class};
use crate::hooks::StateHandle;
use sim::{Provider, ServerView, Sim, StateMachine};
use yew::prelude::*;

/// Canvas width; every coordinate is a whole number of SVG units (no float formatting in the page).
const W: i32 = 440;
const NODE_W: i32 = 116;
const NODE_H: i32 = 30;
/// How wide one character of a state's label is, in SVG units: the CSS draws them in a 13.2-unit bold
/// monospace font, 7.9 units a character in DejaVu Sans Mono (`e2e/layout.test.mjs` measures them as drawn).
const NODE_CHAR_W: i32 = 8;

/// A state box's width: [`NODE_W`], or wider for a label that would not fit in it (Nova's
/// `PAUSED · SHELVED · …`), with 4 units to spare each side. Such a state has no edges, so edges are clipped
/// at [`NODE_W`] (a test checks it).
fn node_w(label: &str) -> i32 {
    let chars = i32::try_from(label.chars().count()).unwrap_or(W);
    NODE_W.max((chars * NODE_CHAR_W + 8).min(W))
}
const ROW_H: i32 = 96;
/// The centre line of the top row.
const TOP: i32 = 26;
/// Centres of the loop's left and right columns.
const LEFT: i32 = 70;
const RIGHT: i32 = W - LEFT;
/// Room under the lowest centre line.
const FOOT: i32 = 28;

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

/// The edges as pairs of node indices (edges naming an unknown state are left out).
fn edge_indices(sm: &StateMachine) -> Vec<(usize, usize)> {
    let index = |id: &str| sm.nodes.iter().position(|(x, _, _)| *x == id);
    sm.edges.iter().filter_map(|(f, t, _)| Some((index(f)?, index(t)?))).collect()
}

/// Node centres and the canvas height: the main cycle on the corners of a rectangle (clockwise); up to two
/// other states that have edges inside it; any further ones in a row below. A serpentine grid when there is
/// no such cycle.
///
/// One state inside sits near the middle (Nova's ERROR). Of two, the one whose edges lead mostly to the left
/// column (starting, on) goes left and a quarter row up, the other right and a quarter row down. For
/// Transfer, START_FAILED and STOP_FAILED both join STOPPING (top right) to STARTING (bottom left): the edge
/// between STOPPING and the upper left state runs wholly above the one between the lower right state and
/// STARTING, so no two edges cross, and the side edges' labels (halfway down) pass between the two boxes.
fn layout(sm: &StateMachine) -> (Vec<(i32, i32)>, i32) {
    let n = sm.nodes.len();
    if let Some(cycle) = main_cycle(sm) {
        let edges = edge_indices(sm);
        let rest: Vec<usize> = (0..n).filter(|i| !cycle.contains(i)).collect();
        let linked = |i: usize| edges.iter().any(|&(a, b)| a == i || b == i);
        let mut inside: Vec<usize> = rest.iter().copied().filter(|&i| linked(i)).take(2).collect();
        let below: Vec<usize> = rest.iter().copied().filter(|i| !inside.contains(i)).collect();
        // Edges to the right column count +1, to the left column -1.
        let lean = |i: usize| -> i32 {
            let side = |o: usize| match cycle.iter().position(|&c| c == o) {
                Some(1 | 2) => 1,
                Some(_) => -1,
                None => 0,
            };
            edges
                .iter()
                .map(|&(a, b)| {
                    if a == i {
                        side(b)
                    } else if b == i {
                        side(a)
                    } else {
                        0
                    }
                })
                .sum()
        };
        inside.sort_by_key(|&i| (lean(i), i));
        // Two states inside need a taller loop.
        let tall = if inside.len() > 1 { ROW_H + ROW_H * 5 / 6 } else { ROW_H };
        let bottom = TOP + tall;
        let corners = [(LEFT, TOP), (RIGHT, TOP), (RIGHT, bottom), (LEFT, bottom)];
        let mut pos = vec![(0, 0); n];
        for (k, &i) in cycle.iter().enumerate() {
            pos[i] = corners[k];
        }
        let middle = TOP + tall / 2;
        match inside.as_slice() {
            // Left of the middle, so the label of its edge up to the right keeps clear of its box.
            [one] => pos[*one] = (W / 2 - 24, middle),
            // The left one a little right of the column between the loop's, so the label of the left column's
            // edge up passes its box.
            [left, right] => {
                pos[*left] = (W / 2 - 52, middle - ROW_H / 4);
                pos[*right] = (W / 2 + 58, middle + ROW_H / 4);
            }
            _ => {}
        }
        let y = bottom + ROW_H * 85 / 100;
        let count = i32::try_from(below.len()).unwrap_or(i32::MAX).max(1);
        for (k, &i) in (0..).zip(below.iter()) {
            pos[i] = (W * (2 * k + 1) / (2 * count), y);
        }
        let height = if below.is_empty() { bottom + FOOT } else { y + FOOT };
        return (pos, height);
    }
    let cols: i32 = if n <= 6 { 3 } else { 4 };
    let pos: Vec<(i32, i32)> = (0i32..)
        .zip(&sm.nodes)
        .map(|(i, _)| {
            let (r, c) = (i / cols, i % cols);
            let c = if r % 2 == 1 { cols - 1 - c } else { c };
            (W * (2 * c + 1) / (2 * cols), TOP + ROW_H * r)
        })
        .collect();
    let height = pos.last().map_or(TOP, |p| p.1) + FOOT;
    (pos, height)
}

fn matches(node: &str, label: &str, state: &str) -> bool {
    node.eq_ignore_ascii_case(state) || label.eq_ignore_ascii_case(state)
}

/// How far an edge stays from the boxes it joins.
const GAP: f64 = 4.0;
/// How far an edge's curve bends to its right (at the control point), so opposite edges do not overlap.
const BEND: f64 = 18.0;

/// A quadratic curve `start`, `control`, `end` from box `a` to box `b`: it leaves one box and enters the other
/// (clipped at the box edges plus [`GAP`]), curved to the right by [`BEND`], on whole SVG units.
fn edge_curve(a: (i32, i32), b: (i32, i32)) -> [(i32, i32); 3] {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // Clip at the box edges: how far along the unit vector the box boundary is.
    let tx = if ux.abs() > 1e-6 { (f64::from(NODE_W) / 2.0 + GAP) / ux.abs() } else { f64::INFINITY };
    let ty = if uy.abs() > 1e-6 { (f64::from(NODE_H) / 2.0 + GAP) / uy.abs() } else { f64::INFINITY };
    let t = tx.min(ty).min(len / 2.0);
    // Rounded to the nearest unit (`as` saturates and maps NaN to 0: never a panic).
    let at = |x: f64, y: f64| ((x + 0.5).floor() as i32, (y + 0.5).floor() as i32);
    let (sx, sy) = (f64::from(a.0) + ux * t, f64::from(a.1) + uy * t);
    let (ex, ey) = (f64::from(b.0) - ux * t, f64::from(b.1) - uy * t);
    [at(sx, sy), at((sx + ex) / 2.0 - uy * BEND, (sy + ey) / 2.0 + ux * BEND), at(ex, ey)]
}

/// The SVG path of a curve and where its label goes (the curve's midpoint).
fn edge_path(a: (i32, i32), b: (i32, i32)) -> (String, (i32, i32)) {
    let [start, mid, end] = edge_curve(a, b);
    let d = format!("M{},{} Q{},{} {},{}", start.0, start.1, mid.0, mid.1, end.0, end.1);
    let label_at = ((start.0 + 2 * mid.0 + end.0) / 4, (start.1 + 2 * mid.1 + end.1) / 4);
    (d, label_at)
}

/// The most one character of an edge label takes, in SVG units: the active edge's label is bold, and
/// measured in Chromium with DejaVu Sans (Debian's `sans-serif`) the labels take 5.1 to 7.1 units a
/// character, and 6.0 to 8.0 in bold (`e2e/layout.test.mjs` measures them as drawn).
const LABEL_CHAR_W_MAX: i32 = 8;

/// Where an edge's label goes, for the widest it can be drawn ([`LABEL_CHAR_W_MAX`]): the curve's midpoint,
/// moved sideways as far as it takes to keep the whole label on the canvas (the SVG clips a label at the
/// canvas's edge, and a label's end is what it says: `force: true if stuck`). On an edge between two states
/// of one row, a label longer than the room between their boxes (Lightsail's `StartInstance (new public
/// IP)`) is moved off the curve, to the side the curve bends to, until it clears the boxes: its halo would
/// otherwise blot out their outlines. (Edges join only boxes [`NODE_W`] wide: see [`node_w`].)
fn label_at(a: (i32, i32), b: (i32, i32), label: &str) -> (i32, i32) {
    let (_, at) = edge_path(a, b);
    let half = (i32::try_from(label.chars().count()).unwrap_or(W) * LABEL_CHAR_W_MAX / 2).min(W / 2);
    let x = at.0.clamp(half, W - half);
    // The label's text runs from 10 units above its baseline to 3 below (12-unit text).
    let covers = |p: (i32, i32)| {
        (p.0 - x).abs() < NODE_W / 2 + half && at.1 - 10 < p.1 + NODE_H / 2 && p.1 - NODE_H / 2 < at.1 + 3
    };
    if a.1 != b.1 || !(covers(a) || covers(b)) {
        return (x, at.1);
    }
    let [_, control, _] = edge_curve(a, b);
    let y = if control.1 < a.1 { a.1 - NODE_H / 2 - 4 } else { a.1 + NODE_H / 2 + 11 };
    (x, y)
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
        let (d, _) = edge_path(pos[a], pos[b]);
        let at = label_at(pos[a], pos[b], label);
        let active = tr_from == Some(a) && tr_to == Some(b);
        let outgoing = current == Some(a);
        Some(html! {
            <g class={classes!("edge", active.then_some("active"), outgoing.then_some("out"))}>
                <title>{format!("{from} → {to}: {label}")}</title>
                <path d={d} marker-end={if active { "url(#arrow-on)" } else { "url(#arrow)" }} />
                if active || outgoing {
                    <text x={at.0.to_string()} y={at.1.to_string()} class="edge-label">{*label}</text>
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
                <rect x={(x - node_w(label) / 2).to_string()} y={(y - NODE_H / 2).to_string()}
                    width={node_w(label).to_string()} height={NODE_H.to_string()} rx="8" />
                <text x={x.to_string()} y={(y + 4).to_string()}>{*label}</text>
            </g>
        }
    });
    let describe = match &s.transition {
        Some(t) => {
            format!("{} state machine. {} is in {}, moving to {}.", provider.title(), s.id, s.state, t.to)
        }
        None => format!("{} state machine. {} is in {}.", provider.title(), s.id, s.state),
    };
    // The box scrolls sideways when the panel is narrower than the diagram's legible minimum (static/style.css).
    html! {
        <div class="machine-scroll" tabindex="0" role="group" aria-label="State diagram">
        <svg class="machine-svg" viewBox={format!("0 0 {W} {height}")} role="img" aria-label={describe}>
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
        </div>
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

    /// State `i`'s box, as drawn.
    fn box_of(sm: &StateMachine, pos: &[(i32, i32)], i: usize) -> (i32, i32, i32, i32) {
        let (p, w) = (pos[i], node_w(sm.nodes[i].1));
        (p.0 - w / 2, p.1 - NODE_H / 2, p.0 + w / 2, p.1 + NODE_H / 2)
    }

    /// A box wider than [`NODE_W`] has no edges (they are clipped at [`NODE_W`]). Whether each label fits
    /// its box is measured as drawn, in the page's fonts, by `e2e/layout.test.mjs`.
    #[wasm_bindgen_test]
    fn wide_boxes_have_no_edges() {
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            for (id, label, _) in &sm.nodes {
                if node_w(label) > NODE_W {
                    assert!(
                        !sm.edges.iter().any(|(from, to, _)| from == id || to == id),
                        "{provider:?}: {id} has edges"
                    );
                }
            }
        }
    }

    #[wasm_bindgen_test]
    fn no_two_state_boxes_overlap_for_any_provider() {
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            let (pos, height) = layout(&sm);
            assert_eq!(pos.len(), sm.nodes.len());
            for i in 0..pos.len() {
                let a = box_of(&sm, &pos, i);
                assert!(
                    a.0 >= 0 && a.2 <= W && a.1 >= 0 && a.3 <= height,
                    "{provider:?} node {i} leaves the canvas"
                );
                for j in i + 1..pos.len() {
                    let b = box_of(&sm, &pos, j);
                    let overlap = a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3;
                    assert!(!overlap, "{provider:?}: {} overlaps {}", sm.nodes[i].0, sm.nodes[j].0);
                }
            }
        }
    }

    /// Twice the signed area of `o a b`: which side of `o → a` the point `b` is on.
    fn turn(o: (i64, i64), a: (i64, i64), b: (i64, i64)) -> i64 {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    }

    fn wide(p: (i32, i32)) -> (i64, i64) {
        (i64::from(p.0), i64::from(p.1))
    }

    /// Whether segments `p q` and `r s` have any point in common (touching counts).
    fn segments_meet(p: (i32, i32), q: (i32, i32), r: (i32, i32), s: (i32, i32)) -> bool {
        let (p, q, r, s) = (wide(p), wide(q), wide(r), wide(s));
        let (d1, d2, d3, d4) = (turn(r, s, p), turn(r, s, q), turn(p, q, r), turn(p, q, s));
        let within = |a: (i64, i64), b: (i64, i64), c: (i64, i64)| {
            a.0.min(b.0) <= c.0 && c.0 <= a.0.max(b.0) && a.1.min(b.1) <= c.1 && c.1 <= a.1.max(b.1)
        };
        (d1.signum() * d2.signum() < 0 && d3.signum() * d4.signum() < 0)
            || (d1 == 0 && within(r, s, p))
            || (d2 == 0 && within(r, s, q))
            || (d3 == 0 && within(p, q, r))
            || (d4 == 0 && within(p, q, s))
    }

    /// The drawn curve as a polyline of `k` + 1 points.
    fn polyline(a: (i32, i32), b: (i32, i32), k: i32) -> Vec<(f64, f64)> {
        let [s, m, e] = edge_curve(a, b).map(|p| (f64::from(p.0), f64::from(p.1)));
        (0..=k)
            .map(|i| {
                let t = f64::from(i) / f64::from(k);
                let (u, v, w) = ((1.0 - t) * (1.0 - t), 2.0 * (1.0 - t) * t, t * t);
                (u * s.0 + v * m.0 + w * e.0, u * s.1 + v * m.1 + w * e.1)
            })
            .collect()
    }

    fn polylines_cross(a: &[(f64, f64)], b: &[(f64, f64)]) -> bool {
        let turn = |o: (f64, f64), p: (f64, f64), q: (f64, f64)| {
            (p.0 - o.0) * (q.1 - o.1) - (p.1 - o.1) * (q.0 - o.0)
        };
        a.windows(2).any(|x| {
            b.windows(2).any(|y| {
                let (p, q, r, s) = (x[0], x[1], y[0], y[1]);
                turn(r, s, p) * turn(r, s, q) < 0.0 && turn(p, q, r) * turn(p, q, s) < 0.0
            })
        })
    }

    /// No two edges cross, for every provider: the straight segments between the states' centres of edges with
    /// no state in common never meet (and two edges out of one state never run along each other), and the
    /// curves as drawn never cross, except an edge and its reverse, which bend apart between the same boxes.
    #[wasm_bindgen_test]
    fn no_two_edges_cross_for_any_provider() {
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            let (pos, _) = layout(&sm);
            let edges = edge_indices(&sm);
            assert_eq!(edges.len(), sm.edges.len(), "{provider:?}: an edge names an unknown state");
            let name = |(a, b): (usize, usize)| format!("{} → {}", sm.nodes[a].0, sm.nodes[b].0);
            for (k, &e) in edges.iter().enumerate() {
                for &f in &edges[k + 1..] {
                    let same_pair = (e.0 == f.1 && e.1 == f.0) || e == f;
                    let shared = [e.0, e.1].into_iter().filter(|x| *x == f.0 || *x == f.1).count();
                    if shared == 0 {
                        assert!(
                            !segments_meet(pos[e.0], pos[e.1], pos[f.0], pos[f.1]),
                            "{provider:?}: {} crosses {}",
                            name(e),
                            name(f)
                        );
                    } else if !same_pair {
                        // One shared state: the other ends must not lie on the line through both edges.
                        let (o, p) = if e.0 == f.0 || e.0 == f.1 { (e.0, e.1) } else { (e.1, e.0) };
                        let q = if f.0 == o { f.1 } else { f.0 };
                        let collinear = turn(wide(pos[o]), wide(pos[p]), wide(pos[q])) == 0;
                        let (v, w) = (
                            (pos[p].0 - pos[o].0, pos[p].1 - pos[o].1),
                            (pos[q].0 - pos[o].0, pos[q].1 - pos[o].1),
                        );
                        let same_way = i64::from(v.0) * i64::from(w.0) + i64::from(v.1) * i64::from(w.1) > 0;
                        assert!(!(collinear && same_way), "{provider:?}: {} runs along {}", name(e), name(f));
                    }
                    if !same_pair {
                        let (a, b) = (polyline(pos[e.0], pos[e.1], 48), polyline(pos[f.0], pos[f.1], 48));
                        assert!(
                            !polylines_cross(&a, &b),
                            "{provider:?}: the curve {} crosses {}",
                            name(e),
                            name(f)
                        );
                    }
                }
            }
        }
    }

    /// No drawn edge passes through (or within a few units of) a state box other than the two it joins.
    #[wasm_bindgen_test]
    fn edges_keep_clear_of_other_states() {
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            let (pos, _) = layout(&sm);
            for (a, b) in edge_indices(&sm) {
                for k in 0..pos.len() {
                    if k == a || k == b {
                        continue;
                    }
                    let (x0, y0, x1, y1) = box_of(&sm, &pos, k);
                    let near = polyline(pos[a], pos[b], 64).into_iter().any(|(x, y)| {
                        x > f64::from(x0 - 6)
                            && x < f64::from(x1 + 6)
                            && y > f64::from(y0 - 6)
                            && y < f64::from(y1 + 6)
                    });
                    assert!(
                        !near,
                        "{provider:?}: {} → {} passes by {}",
                        sm.nodes[a].0, sm.nodes[b].0, sm.nodes[k].0
                    );
                }
            }
        }
    }

    /// No edge label (at its widest, [`LABEL_CHAR_W_MAX`] units a character, 13 high, centred on its point)
    /// covers a state box, and every label stays on the canvas. `e2e/layout.test.mjs` measures the labels as
    /// drawn, but only against the states' labels, not their boxes.
    #[wasm_bindgen_test]
    fn edge_labels_leave_the_state_boxes_readable() {
        let mut problems = Vec::new();
        for provider in Provider::ALL {
            let sm = Sim::state_machine(provider);
            let (pos, _) = layout(&sm);
            let index = |id: &str| sm.nodes.iter().position(|(n, _, _)| *n == id);
            for (from, to, label) in &sm.edges {
                let (Some(a), Some(b)) = (index(from), index(to)) else { continue };
                let at = label_at(pos[a], pos[b], label);
                let half =
                    i32::try_from(label.chars().count()).unwrap_or(i32::MAX / 8) * LABEL_CHAR_W_MAX / 2;
                let text = (at.0 - half, at.1 - 10, at.0 + half, at.1 + 3);
                if text.0 < 0 || text.2 > W {
                    problems.push(format!("{provider:?}: the label of {from} → {to} leaves the canvas"));
                }
                for k in 0..pos.len() {
                    let b = box_of(&sm, &pos, k);
                    if text.0 < b.2 && b.0 < text.2 && text.1 < b.3 && b.1 < text.3 {
                        problems.push(format!(
                            "{provider:?}: the label of {from} → {to} {text:?} covers {} {b:?}",
                            sm.nodes[k].0
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// The path and the label sit on whole units, so the page never formats a float.
    #[wasm_bindgen_test]
    fn edge_paths_are_whole_numbers() {
        let (d, at) = edge_path((LEFT, TOP), (RIGHT, TOP));
        assert_eq!(d, "M132,26 Q220,44 308,26");
        assert_eq!(at, (220, 35));
        assert!(d.chars().all(|c| c.is_ascii_digit() || "MQ, -".contains(c)), "{d}");
        let (d, _) = edge_path((5, 5), (5, 5));
        assert!(!d.contains("NaN") && !d.contains('.'), "{d}");
    }
}
