//! Side by side: one "stop this server" intent run in the three dialects against copies of the current
//! simulation, so every column (request, answer, what happened next, stopping it again) comes from the
//! simulator itself. The page adds only the prose that explains the differences.

use crate::ops;
use crate::presets;
use sim::{Event, Exchange, Provider, ServerView, Sim, StateFamily};

/// Most transitions followed in a copy before giving up (a stuck stop never completes).
const FOLLOW_LIMIT: usize = 64;

/// One dialect's column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The provider.
    pub provider: Provider,
    /// The server stopped, before the request.
    pub before: ServerView,
    /// The stop request and its answer.
    pub stop: Exchange,
    /// State changes after the answer, until the server settles (or the limit).
    pub later: Vec<Event>,
    /// The server once it settled.
    pub after: ServerView,
    /// The same stop sent again once the server settled: what "already stopped" means here.
    pub again: Exchange,
}

/// The server of `provider` the intent addresses: the selected one, else the first running one, else the
/// first one.
pub fn pick<'a>(
    sim: &'a [ServerView],
    provider: Provider,
    selected: Option<&(Provider, String)>,
) -> Option<&'a ServerView> {
    let of = || sim.iter().filter(move |s| s.provider == provider);
    selected
        .filter(|(p, _)| *p == provider)
        .and_then(|(_, id)| of().find(|s| &s.id == id))
        .or_else(|| of().find(|s| s.family == StateFamily::Running))
        .or_else(|| of().next())
}

/// Runs the intent for every provider that has a server; `sim` itself is not touched.
pub fn run(sim: &Sim, selected: Option<&(Provider, String)>) -> Vec<Column> {
    let fleet = sim.fleet();
    Provider::ALL
        .into_iter()
        .filter_map(|p| {
            let before = pick(&fleet, p, selected)?.clone();
            let mut copy = sim.clone();
            let request = ops::build(ops::stop_op(p), &presets::stop_fields(copy.scenario(), &before));
            let stop = copy.handle(request.clone());
            let mut later = Vec::new();
            for _ in 0..FOLLOW_LIMIT {
                let settled = copy.server(p, &before.id).is_none_or(|s| s.transition.is_none());
                let Some(due) = copy.next_due().filter(|_| !settled) else { break };
                later.extend(
                    copy.advance_to(due).into_iter().filter(|e| e.provider == p && e.server == before.id),
                );
            }
            let after = copy.server(p, &before.id).unwrap_or_else(|| before.clone());
            let again = copy.handle(request);
            Some(Column { provider: p, before, stop, later, after, again })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sim::Scenario;

    #[test]
    fn three_dialects_from_the_builtin_fleet() {
        let sim = Sim::new(Scenario::builtin()).unwrap();
        let before = sim.fleet();
        let cols = run(&sim, None);
        let statuses: Vec<u16> = cols.iter().map(|c| c.stop.response.status).collect();
        assert_eq!(statuses, vec![200, 200, 202]);
        assert_eq!(cols[2].again.response.status, 409);
        assert!(
            cols.iter().all(|c| c.after.family == StateFamily::Stopped),
            "{:?}",
            cols.iter().map(|c| &c.after.state).collect::<Vec<_>>()
        );
        // The page's own simulation is untouched.
        assert_eq!(sim.fleet(), before);
    }
}
