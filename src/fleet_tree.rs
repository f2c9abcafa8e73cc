//! The fleet panel's pure half: the filter (id or name, provider, state family) with the counts its controls
//! show, and moving through the tree of providers and servers the filter leaves, by key: arrows, Home/End,
//! Page Up/Down and type-ahead (the WAI-ARIA tree view pattern). Tested natively; `components::fleet` draws it,
//! only the rows in view (which is why positions here are numbers, not elements).
//!
//! Everything here walks the fleet at most once per call: it runs when the fleet or the filter changes, or on
//! a key press inside the fleet, never per keystroke in the composer (ARCHITECTURE.md, invariant 8).

use sim::{Provider, ServerView, StateFamily};
use std::rc::Rc;

/// The state families the filter offers, in its order.
pub const FAMILIES: [StateFamily; 5] = [
    StateFamily::Running,
    StateFamily::Transitional,
    StateFamily::Stopped,
    StateFamily::Failed,
    StateFamily::Other,
];

/// What the filter calls a family (the same words for every provider; each server still shows its
/// provider's own state name).
pub fn family_label(f: StateFamily) -> &'static str {
    match f {
        StateFamily::Running => "Running",
        StateFamily::Transitional => "In transition",
        StateFamily::Stopped => "Stopped",
        StateFamily::Failed => "Failed",
        StateFamily::Other => "Other",
    }
}

fn family_slot(f: StateFamily) -> usize {
    FAMILIES.iter().position(|x| *x == f).unwrap_or(FAMILIES.len() - 1)
}

/// The position of a provider in [`Provider::ALL`].
pub fn provider_slot(p: Provider) -> usize {
    Provider::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

/// What the user filters the fleet by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FleetFilter {
    /// Text the id or the name contains (any case); blank matches every server.
    pub text: String,
    /// Only this provider's servers.
    pub provider: Option<Provider>,
    /// Only servers in this state family.
    pub family: Option<StateFamily>,
}

impl FleetFilter {
    /// Whether any part of the filter is set.
    pub fn is_set(&self) -> bool {
        !self.text.trim().is_empty() || self.provider.is_some() || self.family.is_some()
    }
}

/// Whether `hay` contains `needle_lower` (already lowercase), ignoring ASCII case, without allocating.
pub fn contains_ignoring_case(hay: &str, needle_lower: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle_lower.as_bytes());
    needle.is_empty() || hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

fn starts_ignoring_case(hay: &str, prefix_lower: &str) -> bool {
    hay.len() >= prefix_lower.len()
        && hay.as_bytes()[..prefix_lower.len()].eq_ignore_ascii_case(prefix_lower.as_bytes())
}

/// One server the filter leaves, with its place in the whole fleet (stable while the fleet keeps its order).
#[derive(Clone, Debug)]
pub struct Row {
    /// Its index in `AppState::fleet`.
    pub index: usize,
    /// The server.
    pub server: Rc<ServerView>,
}

/// What the filter leaves of the fleet, and the counts its controls show.
#[derive(Clone, Debug)]
pub struct Filtered {
    /// The groups shown, in the page's provider order (one when a provider is chosen), each with the rows
    /// the filter leaves.
    pub groups: Vec<(Provider, Rc<Vec<Row>>)>,
    /// Per provider: servers that match the text and the family (what choosing that provider would show).
    pub by_provider: [usize; 3],
    /// Per family ([`FAMILIES`] order): servers that match the text and the provider.
    pub by_family: [usize; 5],
    /// Per provider: servers in the scenario, whatever the filter.
    pub in_scenario: [usize; 3],
    /// Per provider: running servers in the whole fleet (what "Stop all" stops).
    pub running: [usize; 3],
}

impl Filtered {
    /// Filters `fleet` (one pass).
    pub fn of(fleet: &[Rc<ServerView>], filter: &FleetFilter) -> Filtered {
        let text = filter.text.trim().to_ascii_lowercase();
        let mut rows: [Vec<Row>; 3] = Default::default();
        let mut by_provider = [0; 3];
        let mut by_family = [0; 5];
        let mut in_scenario = [0; 3];
        let mut running = [0; 3];
        for (index, s) in fleet.iter().enumerate() {
            let p = provider_slot(s.provider);
            in_scenario[p] += 1;
            if s.family == StateFamily::Running {
                running[p] += 1;
            }
            if !(contains_ignoring_case(&s.id, &text) || contains_ignoring_case(&s.name, &text)) {
                continue;
            }
            let provider_ok = filter.provider.is_none_or(|q| q == s.provider);
            let family_ok = filter.family.is_none_or(|f| f == s.family);
            if family_ok {
                by_provider[p] += 1;
            }
            if provider_ok {
                by_family[family_slot(s.family)] += 1;
            }
            if provider_ok && family_ok {
                rows[p].push(Row { index, server: Rc::clone(s) });
            }
        }
        let groups = Provider::ALL
            .into_iter()
            .zip(rows)
            .filter(|(p, _)| filter.provider.is_none_or(|q| q == *p))
            .map(|(p, rows)| (p, Rc::new(rows)))
            .collect();
        Filtered { groups, by_provider, by_family, in_scenario, running }
    }

    /// Servers shown.
    pub fn shown(&self) -> usize {
        self.groups.iter().map(|(_, rows)| rows.len()).sum()
    }

    /// Where server `index` is shown: its group and its position there.
    pub fn locate(&self, index: usize) -> Option<(usize, usize)> {
        self.groups
            .iter()
            .enumerate()
            .find_map(|(g, (_, rows))| rows.binary_search_by(|r| r.index.cmp(&index)).ok().map(|at| (g, at)))
    }
}

/// A node of the tree: a provider's group, or a server (by its index in the fleet).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// A provider's group.
    Group(Provider),
    /// A server.
    Server(usize),
}

/// A move the keyboard asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// Down: the next node shown.
    Next,
    /// Up: the previous node shown.
    Prev,
    /// Home.
    First,
    /// End.
    Last,
    /// Page Down: this many rows further in the group (or its last row).
    PageDown(usize),
    /// Page Up.
    PageUp(usize),
    /// Left on a server: its group.
    Parent,
    /// Right on an open group: its first server.
    FirstChild,
}

/// The tree as drawn: the filter's groups, each open or folded.
pub struct Tree<'a> {
    /// What the filter leaves.
    pub filtered: &'a Filtered,
    /// Per provider slot, whether its group is open.
    pub expanded: [bool; 3],
}

impl Tree<'_> {
    fn open(&self, g: usize) -> bool {
        self.filtered.groups.get(g).is_some_and(|(p, _)| self.expanded[provider_slot(*p)])
    }

    fn rows(&self, g: usize) -> &[Row] {
        self.filtered.groups.get(g).map_or(&[], |(_, rows)| rows.as_slice())
    }

    /// Where `node` is drawn: its group, and its row there (`None` for the group itself). `None` when it is
    /// not drawn (filtered out, or in a folded group).
    pub fn locate(&self, node: Node) -> Option<(usize, Option<usize>)> {
        match node {
            Node::Group(p) => self.filtered.groups.iter().position(|(q, _)| *q == p).map(|g| (g, None)),
            Node::Server(index) => {
                let (g, at) = self.filtered.locate(index)?;
                self.open(g).then_some((g, Some(at)))
            }
        }
    }

    fn node(&self, g: usize, row: Option<usize>) -> Option<Node> {
        let (p, rows) = self.filtered.groups.get(g)?;
        Some(match row {
            None => Node::Group(*p),
            Some(r) => Node::Server(rows.get(r)?.index),
        })
    }

    /// The first node drawn (the first group), if any.
    pub fn first(&self) -> Option<Node> {
        self.node(0, None)
    }

    /// The node a move from `from` lands on (`None`: it stays where it is).
    pub fn step(&self, from: Node, mv: Move) -> Option<Node> {
        let (g, row) = self.locate(from)?;
        let groups = self.filtered.groups.len();
        let last_row = |g: usize| (self.open(g) && !self.rows(g).is_empty()).then(|| self.rows(g).len() - 1);
        match (mv, row) {
            (Move::Next, None) if self.open(g) && !self.rows(g).is_empty() => self.node(g, Some(0)),
            (Move::Next, Some(r)) if r + 1 < self.rows(g).len() => self.node(g, Some(r + 1)),
            (Move::Next, _) => (g + 1 < groups).then(|| self.node(g + 1, None)).flatten(),
            (Move::Prev, Some(0)) => self.node(g, None),
            (Move::Prev, Some(r)) => self.node(g, Some(r - 1)),
            (Move::Prev, None) if g > 0 => self.node(g - 1, last_row(g - 1)),
            (Move::Prev, None) => None,
            (Move::First, _) => self.first(),
            (Move::Last, _) => {
                let g = groups.checked_sub(1)?;
                self.node(g, last_row(g))
            }
            (Move::PageDown(n), Some(r)) => self.node(g, Some((r + n).min(self.rows(g).len() - 1))),
            (Move::PageDown(_), None) => self.step(from, Move::Next),
            (Move::PageUp(n), Some(r)) => self.node(g, Some(r.saturating_sub(n))),
            (Move::PageUp(_), None) => self.step(from, Move::Prev),
            (Move::Parent, Some(_)) => self.node(g, None),
            (Move::FirstChild, None) if self.open(g) => self.node(g, Some(0)),
            (Move::Parent | Move::FirstChild, _) => None,
        }
    }

    /// Type-ahead: the next node drawn after `from` (wrapping round) whose name, id or provider title starts
    /// with `typed` (any case). Typing one letter again and again goes from one match to the next.
    pub fn find(&self, from: Option<Node>, typed: &str) -> Option<Node> {
        let typed = typed.to_ascii_lowercase();
        let repeated = typed.chars().next().filter(|c| typed.chars().all(|x| x == *c));
        // Typing on (one letter again, or more letters) searches from the node after the current one for a
        // single repeated letter, and from the current one itself for a longer prefix that still fits it.
        let (prefix, include_current) = match repeated {
            Some(c) if typed.len() > 1 => (c.to_string(), false),
            _ => (typed.clone(), typed.chars().count() > 1),
        };
        let matches = |node: Node| match node {
            Node::Group(p) => {
                starts_ignoring_case(p.title(), &prefix) || starts_ignoring_case(p.info().short, &prefix)
            }
            Node::Server(index) => self.filtered.groups.iter().any(|(_, rows)| {
                rows.binary_search_by(|r| r.index.cmp(&index)).ok().is_some_and(|at| {
                    let s = &rows[at].server;
                    starts_ignoring_case(&s.name, &prefix) || starts_ignoring_case(&s.id, &prefix)
                })
            }),
        };
        let start = from.filter(|n| self.locate(*n).is_some()).or_else(|| self.first())?;
        if include_current && matches(start) {
            return Some(start);
        }
        let mut node = start;
        // At most every node once: groups, and the rows of the open ones.
        let total = self.filtered.groups.len()
            + (0..self.filtered.groups.len())
                .filter(|g| self.open(*g))
                .map(|g| self.rows(g).len())
                .sum::<usize>();
        for _ in 0..total {
            node = self.step(node, Move::Next).or_else(|| self.first())?;
            if matches(node) {
                return Some(node);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn fleet(n: u32) -> Vec<Rc<ServerView>> {
        let sim = sim::Sim::new(presets::large(n, 1)).expect("starts");
        sim.fleet().into_iter().map(Rc::new).collect()
    }

    #[test]
    fn the_filter_keeps_what_matches_and_counts_each_facet() {
        let fleet = fleet(30);
        let all = Filtered::of(&fleet, &FleetFilter::default());
        assert_eq!(all.shown(), 30);
        assert_eq!(all.by_provider, [10, 10, 10]);
        assert_eq!(all.by_family, [30, 0, 0, 0, 0]);
        assert_eq!(all.running, [10, 10, 10]);

        // Text matches the id or the name, any case; the provider counts ignore the provider choice.
        let f = FleetFilter { text: " VM-000 ".into(), provider: Some(Provider::Nova), ..Default::default() };
        let some = Filtered::of(&fleet, &f);
        assert_eq!(some.groups.len(), 1);
        let names: Vec<&str> = some.groups[0].1.iter().map(|r| r.server.name.as_str()).collect();
        assert_eq!(names, ["vm-0002", "vm-0005", "vm-0008"]);
        assert_eq!(some.by_provider, [0, 0, 3]);
        assert_eq!(some.by_family, [3, 0, 0, 0, 0]);
        assert_eq!(some.in_scenario, [10, 10, 10]);

        // A family nothing is in shows empty groups, and the counts say where the servers are.
        let f = FleetFilter { family: Some(StateFamily::Stopped), ..Default::default() };
        let none = Filtered::of(&fleet, &f);
        assert_eq!(none.shown(), 0);
        assert_eq!(none.groups.len(), 3);
        assert_eq!(none.by_family[0], 30);
        assert_eq!(none.by_provider, [0, 0, 0]);
        assert!(f.is_set() && !FleetFilter::default().is_set());
    }

    #[test]
    fn rows_keep_their_place_in_the_fleet() {
        let fleet = fleet(9);
        let f = Filtered::of(&fleet, &FleetFilter::default());
        for (g, (p, rows)) in f.groups.iter().enumerate() {
            for (at, row) in rows.iter().enumerate() {
                assert_eq!(fleet[row.index].id, row.server.id);
                assert_eq!(row.server.provider, *p);
                assert_eq!(f.locate(row.index), Some((g, at)));
            }
        }
    }

    #[test]
    fn the_keys_walk_the_tree_as_drawn() {
        let fleet = fleet(6); // two servers per provider
        let filtered = Filtered::of(&fleet, &FleetFilter::default());
        let id = |n: Node| match n {
            Node::Group(p) => p.slug().to_string(),
            Node::Server(i) => fleet[i].id.clone(),
        };
        let mut tree = Tree { filtered: &filtered, expanded: [true, false, true] };
        let mut walk = vec![];
        let mut node = tree.first();
        while let Some(n) = node {
            walk.push(id(n));
            node = tree.step(n, Move::Next);
        }
        let rows = |g: usize| filtered.groups[g].1.iter().map(|r| r.server.id.clone()).collect::<Vec<_>>();
        let mut expected = vec!["transfer".to_string()];
        expected.extend(rows(0));
        expected.push("lightsail".into());
        expected.push("nova".into());
        expected.extend(rows(2));
        assert_eq!(walk, expected, "down goes through open groups and skips folded ones");

        // Up from a group lands on the previous group's last row when it is open.
        let nova = Node::Group(Provider::Nova);
        assert_eq!(tree.step(nova, Move::Prev), Some(Node::Group(Provider::Lightsail)));
        let lightsail = Node::Group(Provider::Lightsail);
        assert_eq!(tree.step(lightsail, Move::Prev).map(id), Some(rows(0)[1].clone()));
        assert_eq!(tree.step(Node::Group(Provider::Transfer), Move::Prev), None);
        assert_eq!(tree.step(lightsail, Move::FirstChild), None, "a folded group has no child to go to");
        let first_nova = tree.step(nova, Move::FirstChild).expect("a child");
        assert_eq!(tree.step(first_nova, Move::Parent), Some(nova));
        assert_eq!(tree.step(first_nova, Move::Last).map(id), Some(rows(2)[1].clone()));
        assert_eq!(tree.step(first_nova, Move::First), Some(Node::Group(Provider::Transfer)));
        assert_eq!(tree.step(first_nova, Move::PageDown(10)).map(id), Some(rows(2)[1].clone()));
        assert_eq!(tree.step(first_nova, Move::PageUp(10)), Some(first_nova));
        // A server in a folded group is not drawn, so no move starts from it.
        let hidden = Node::Server(filtered.groups[1].1[0].index);
        assert_eq!(tree.locate(hidden), None);
        tree.expanded = [true; 3];
        assert_eq!(tree.locate(hidden), Some((1, Some(0))));
    }

    #[test]
    fn typing_jumps_to_the_next_match_and_repeats_cycle() {
        let fleet = fleet(12);
        let filtered = Filtered::of(&fleet, &FleetFilter::default());
        let tree = Tree { filtered: &filtered, expanded: [true; 3] };
        let name = |n: Option<Node>| match n {
            Some(Node::Server(i)) => fleet[i].name.clone(),
            Some(Node::Group(p)) => p.slug().to_string(),
            None => "none".into(),
        };
        let first = tree.find(None, "i");
        assert_eq!(name(first), "Instance-0001");
        assert_eq!(name(tree.find(first, "ii")), "Instance-0004", "the same letter again: the next match");
        assert_eq!(name(tree.find(first, "instance-0007")), "Instance-0007");
        assert_eq!(name(tree.find(first, "in")), "Instance-0001", "a longer prefix still fitting stays put");
        assert_eq!(name(tree.find(first, "o")), "nova", "group titles match too (OpenStack Nova)");
        assert_eq!(name(tree.find(first, "VM-0011")), "vm-0011");
        assert_eq!(tree.find(first, "zzz"), None);
        // Wraps round from the last node.
        let last = tree.step(first.unwrap(), Move::Last);
        assert_eq!(name(tree.find(last, "a")), "transfer");
    }
}
