//! Side by side: one "stop this server" intent run in the three dialects against copies of the current
//! simulation, so every column (request, answer, stopping it again while it is still moving, what happened
//! next, stopping it again once settled) comes from the simulator itself. The page adds only the prose that
//! explains the differences.

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
    /// The same stop sent again at once, while the server is still in its transitional state; `None` when the
    /// first stop started no transition (refused, already stopped, or done at once).
    pub midway: Option<Midway>,
    /// State changes after the answer, until the server settles (or the limit).
    pub later: Vec<Event>,
    /// The server once it settled.
    pub after: ServerView,
    /// The same stop sent again once the server settled: what "already stopped" means here.
    pub again: Exchange,
}

/// The same stop sent a second time right after the first answer, on its own copy of the simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Midway {
    /// The server as the second stop found it: in the transitional state the first stop started.
    pub during: ServerView,
    /// The second stop and its answer.
    pub again: Exchange,
}

/// Sends `stop`'s request again on a copy of `sim` if it started a transition of `server`: it changed that
/// server's state, and the change is still in progress.
fn stop_midway(sim: &Sim, stop: &Exchange, server: &ServerView) -> Option<Midway> {
    let (provider, id) = (server.provider, server.id.as_str());
    let started = stop.events.iter().any(|e| e.provider == provider && e.server == id);
    let during = sim.server(provider, id).filter(|s| started && s.transition.is_some())?;
    let again = sim.clone().handle(stop.request.clone());
    Some(Midway { during, again })
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
            let midway = stop_midway(&copy, &stop, &before);
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
            Some(Column { provider: p, before, stop, midway, later, after, again })
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

    /// The column of `provider` when `id` is the selected server.
    fn column_for(sim: &Sim, provider: Provider, id: &str) -> Option<Column> {
        run(sim, Some(&(provider, id.to_string()))).into_iter().find(|c| c.provider == provider)
    }

    #[test]
    fn a_second_stop_while_still_moving_gets_each_clouds_own_answer() {
        let sim = Sim::new(Scenario::builtin()).unwrap();
        let cols = run(&sim, None);
        let midway: Vec<&Midway> = cols.iter().filter_map(|c| c.midway.as_ref()).collect();
        assert_eq!(midway.len(), 3, "every first stop started a transition");
        let during: Vec<&str> = midway.iter().map(|m| m.during.state.as_str()).collect();
        assert_eq!(during, ["STOPPING", "stopping", "ACTIVE · powering-off"]);
        assert!(midway.iter().all(|m| m.during.family == StateFamily::Transitional));
        let statuses: Vec<u16> = midway.iter().map(|m| m.again.response.status).collect();
        // Transfer: a no-op (spec T18); Lightsail: a new Started operation (L21/L22); Nova: 409 (N8/N28).
        assert_eq!(statuses, [200, 200, 409]);
        assert_eq!(midway[0].again.response.body, "");
        assert!(midway[0].again.events.is_empty(), "{:?}", midway[0].again.events);
        let lightsail = &midway[1].again;
        assert!(lightsail.response.body.contains("\"status\":\"Started\""), "{}", lightsail.response.body);
        assert!(lightsail.events.is_empty(), "{:?}", lightsail.events);
        let nova = crate::pretty::error_summary(&midway[2].again.response);
        assert_eq!(nova.as_ref().map(|e| e.kind.as_str()), Some("conflictingRequest"));
        let message = nova.and_then(|e| e.message).unwrap_or_default();
        assert!(message.ends_with("while it is in task_state powering-off"), "{message}");
        // The column's own follow-up is not affected by the extra stop (it ran on another copy).
        assert!(cols.iter().all(|c| c.after.family == StateFamily::Stopped));
        assert_eq!(cols[2].again.response.status, 409);
        assert!(cols[2].again.response.body.contains("vm_state stopped"), "{}", cols[2].again.response.body);
    }

    #[test]
    fn no_second_stop_while_moving_when_the_first_started_nothing() {
        let sim = Sim::new(Scenario::builtin()).unwrap();
        for (provider, id, status) in [
            (Provider::Transfer, "s-00000000000000001", 200), // OFFLINE: a no-op
            (Provider::Transfer, "s-0000000000000000a", 200), // already STOPPING: a no-op
            (Provider::Lightsail, "Stopped-1", 400),          // refused
            (Provider::Nova, "b0000000-0000-4000-8000-00000000000b", 409), // SHUTOFF: refused
        ] {
            let col = column_for(&sim, provider, id);
            assert_eq!(col.as_ref().map(|c| c.before.id.as_str()), Some(id));
            assert_eq!(col.as_ref().map(|c| c.stop.response.status), Some(status), "{id}");
            assert_eq!(col.and_then(|c| c.midway), None, "{id}");
        }
    }
}
