//! Sending requests (`Send`, `SendRequest`, `StopAll`), showing an earlier exchange (`ViewExchange`), and
//! keeping the timeline and the fleet views in step with the simulation. While the page follows a server,
//! requests go to the server instead (`live.rs`). Every change to the [`Sim`] goes
//! through [`AppState::sim_mut`] (copy on write: the previous state may still share it).

use super::{AppState, Batch, Change, Entry};
use crate::draft::Mode;
use crate::presets;
use crate::pretty::counted;
use crate::session::Sent;
use sim::{Event, Exchange, Provider, Sim, SimTime, WireRequest};
use std::rc::Rc;

impl AppState {
    /// `Send`: sends the composer's raw request; a request that cannot be read is only explained (a toast).
    pub(super) fn send_draft(&mut self, wall: f64) -> Change {
        match self.draft().request() {
            Ok(request) => self.send_request(wall, request),
            Err(e) => {
                self.toast(format!("The raw request cannot be read ({e}); fix it before sending."));
                Change::Shown
            }
        }
    }

    /// `SendComposed`: on the curl tab with a command pasted, imports it and sends it if it imports; else
    /// sends the draft unless the composer blocks it ([`AppState::send_block`]), in which case a toast says
    /// why (from the keyboard, the reason under the Send button may be out of sight).
    pub(super) fn send_composed(&mut self, wall: f64) -> Change {
        let draft = self.draft();
        if draft.mode == Mode::Curl && !draft.curl.trim().is_empty() {
            return self.import_curl_and_send(wall);
        }
        match self.send_block(true) {
            Some(reason) => {
                self.toast(format!("Nothing sent. {reason}"));
                Change::Shown
            }
            None => self.send_draft(wall),
        }
    }

    /// `SendRequest`: sends `request` at the time shown at `wall`.
    pub(super) fn send_request(&mut self, wall: f64, request: WireRequest) -> Change {
        if self.live.is_some() {
            return self.send_to_server(vec![request]);
        }
        self.sync(wall);
        let stamp = self.wall_stamp(wall);
        let ex = self.send(request, stamp);
        self.after_send(&ex, wall);
        Change::Saved
    }

    /// `StopAll`: one stop request per running server, summed up in [`AppState::batch`].
    pub(super) fn stop_all(&mut self, wall: f64) -> Change {
        if self.live.is_some() {
            return self.send_to_server(presets::stop_all(self.sim.scenario(), &self.fleet));
        }
        self.sync(wall);
        let at = self.sim.now();
        let requests = presets::stop_all(self.sim.scenario(), &self.fleet);
        let n = requests.len();
        let stamp = self.wall_stamp(wall);
        let exchanges: Vec<Rc<Exchange>> = requests.into_iter().map(|r| self.send(r, stamp)).collect();
        self.viewing = None;
        self.batch = (n > 0).then(|| Rc::new(Batch::of("Stop all running servers", at, &exchanges)));
        self.settle(wall);
        self.refresh_fleet();
        self.toast(format!("Sent {}.", counted(n, "stop request", "stop requests")));
        Change::Saved
    }

    /// `ViewExchange`: shows exchange `seq` (the latest when there is no such exchange) and selects its server.
    pub(super) fn view_exchange(&mut self, seq: u64) -> Change {
        self.viewing = Some(seq);
        if self.shown_exchange().is_none() {
            self.viewing = None;
        }
        if let Some(ex) = self.shown_exchange().cloned() {
            if let (Some(p), Some(id)) = (ex.provider, ex.server.clone()) {
                if self.sim.server(p, &id).is_some() {
                    self.selected = Some((p, id));
                }
            }
        }
        Change::Saved
    }

    /// The wall-clock time (ms since 1970) of wall time `wall`, when the page knows its epoch.
    pub(super) fn wall_stamp(&self, wall: f64) -> Option<u64> {
        let ms = wall + self.epoch;
        (self.epoch > 0.0 && ms.is_finite() && ms > 0.0).then(|| ms.round() as u64)
    }

    /// Sends one request at the current simulated time (replay uses the same path).
    pub(super) fn send(&mut self, request: WireRequest, wall: Option<u64>) -> Rc<Exchange> {
        // New work in this simulation: the set-aside one can no longer come back without losing it.
        self.undo = None;
        Rc::make_mut(&mut self.sends).push(Sent { at: self.sim.now(), request: request.clone(), wall });
        let exchange = Rc::new(self.sim_mut().handle(request));
        let timeline = Rc::make_mut(&mut self.timeline);
        timeline.push(Entry::Exchange(exchange.clone()));
        timeline.extend(exchange.events.iter().cloned().map(|e| Entry::Event(Rc::new(e))));
        exchange
    }

    /// After a send: the response panel shows it, its server is selected, the fleet views follow.
    fn after_send(&mut self, ex: &Exchange, wall: f64) {
        self.viewing = None;
        self.batch = None;
        if let (Some(p), Some(id)) = (ex.provider, ex.server.as_ref()) {
            if self.sim.server(p, id).is_some() {
                self.selected = Some((p, id.clone()));
            }
        }
        self.settle(wall);
        self.refresh_fleet();
    }

    /// Replays a request during session restore (keeping the wall time it was sent at).
    pub(super) fn replay_send(&mut self, at: SimTime, request: WireRequest, wall: Option<u64>) {
        let events = self.sim_mut().advance_to(at);
        self.push_events(events);
        self.send(request, wall);
    }

    /// Moves time during session restore.
    pub(super) fn replay_advance(&mut self, to: SimTime, wall: f64) {
        let events = self.sim_mut().advance_to(to);
        self.push_events(events);
        self.refresh_fleet();
        self.clock.reanchor(self.sim.now(), wall);
    }

    /// The simulation, to change it: copied first if the previous state still shares it.
    pub(super) fn sim_mut(&mut self) -> &mut Sim {
        Rc::make_mut(&mut self.sim)
    }

    /// Appends state changes to the timeline.
    pub(super) fn push_events(&mut self, events: Vec<Event>) {
        if !events.is_empty() {
            Rc::make_mut(&mut self.timeline).extend(events.into_iter().map(|e| Entry::Event(Rc::new(e))));
        }
    }

    /// Re-reads every server's view.
    pub(super) fn refresh_fleet(&mut self) {
        self.fleet = Rc::new(self.sim.fleet().into_iter().map(Rc::new).collect());
    }

    /// Re-reads only the servers named in `events` (a clock tick changes few servers of a large fleet), in
    /// one pass over the fleet: many servers can finish in the same tick, and a search of the fleet per
    /// event made that quadratic.
    pub(super) fn refresh_servers(&mut self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        let mut changed: Vec<(Provider, &str)> =
            events.iter().map(|e| (e.provider, e.server.as_str())).collect();
        changed.sort_unstable();
        changed.dedup();
        let fleet = Rc::make_mut(&mut self.fleet);
        for slot in fleet.iter_mut() {
            if changed.binary_search(&(slot.provider, slot.id.as_str())).is_err() {
                continue;
            }
            match self.sim.server(slot.provider, &slot.id) {
                Some(view) => *slot = Rc::new(view),
                None => {
                    self.fleet = Rc::new(self.sim.fleet().into_iter().map(Rc::new).collect());
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::presets;
    use crate::state::{Action, AppState};
    use sim::StateFamily;

    #[test]
    fn the_fleet_views_follow_the_simulation_through_a_stop_all() {
        let mut s = AppState::new(presets::large(300, 11), 0.0).unwrap();
        s.apply(Action::SetSpeed { wall: 0.0, speed: 100 });
        s.apply(Action::StopAll { wall: 0.0 });
        let same = |s: &AppState| s.fleet.iter().map(|v| (**v).clone()).collect::<Vec<_>>() == s.sim.fleet();
        assert!(same(&s));
        let mut wall = 0.0;
        let mut ticks = 0;
        while s.sim.next_due().is_some() {
            wall += 250.0;
            if s.apply(Action::Tick { wall }) {
                ticks += 1;
                assert!(same(&s), "after the tick at {wall} ms");
            }
            assert!(wall < 1e7, "transitions never finished");
        }
        assert!(ticks > 1, "servers finish over several ticks");
        assert!(s.fleet.iter().all(|v| v.family != StateFamily::Running));
    }
}
