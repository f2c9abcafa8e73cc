//! The state behind `fleetplay serve`: the scenario, the simulation, the wall-clock mapping of simulated
//! time, the bounded recent history, and the live channel. One `Server` sits behind one mutex; every request
//! holds it only while the simulator answers (microseconds), never while bytes move over the network.
//!
//! Simulated time follows the wall clock multiplied by the speed (0 freezes it: time then moves only
//! through the control API, which is what tests use). Requests under `/_fleetplay/` go to the control API
//! ([`crate::control`]); everything else is answered by the simulator exactly as the simulated service
//! would, and recorded in the history. Everything that changes the simulation (an exchange, a clock move, a
//! restart) is published on the live channel ([`crate::live`]) right where it happens, under the lock, so
//! the subscribers see the changes in the order the simulation saw them.

use crate::control::{self, Reply};
use crate::history::History;
use crate::live::{Hub, Item};
use sim::transcript::Entry;
use sim::{Event, Scenario, Sim, SimTime, WireRequest};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The shared state of a running server.
pub struct Server {
    /// The scenario every reset returns to.
    pub scenario: Arc<Scenario>,
    /// The simulation.
    pub sim: Sim,
    /// Simulated milliseconds per wall-clock millisecond.
    pub speed: f64,
    /// Wall-clock instant that corresponds to `anchor_sim`.
    anchor_wall: Instant,
    /// Simulated time at `anchor_wall`.
    anchor_sim: SimTime,
    /// The most recent exchanges and events.
    pub history: History,
    /// The live channel and this server's identity.
    pub live: Hub,
    /// Whether `POST /_fleetplay/panic` panics (a hidden flag for the tests of panic handling).
    pub panic_endpoint: bool,
}

impl Server {
    /// A server at `T+0` of `scenario`.
    pub fn new(scenario: Scenario, speed: f64, history: History) -> Result<Server, sim::ScenarioError> {
        let sim = Sim::new(scenario.clone())?;
        Ok(Server {
            scenario: Arc::new(scenario),
            sim,
            speed,
            anchor_wall: Instant::now(),
            anchor_sim: SimTime::ZERO,
            history,
            live: Hub::new(),
            panic_endpoint: false,
        })
    }

    /// Simulated time on the wall clock now (the simulation itself catches up on [`Server::sync`]).
    fn wall_time(&self) -> SimTime {
        let elapsed = self.anchor_wall.elapsed().as_secs_f64() * 1000.0 * self.speed;
        self.anchor_sim.plus_millis(elapsed as u64)
    }

    /// Brings simulated time up to the wall clock (times the speed), recording the events that fire.
    pub fn sync(&mut self) {
        if self.speed <= 0.0 {
            return;
        }
        let target = self.wall_time();
        if target > self.sim.now() {
            let events = self.sim.advance_to(target);
            if !events.is_empty() {
                self.record_events(events);
                self.publish_time();
            }
        }
    }

    /// How long on the wall clock until the next scheduled change is due (at most `longest`); `None` when
    /// nothing is scheduled or time is frozen.
    pub fn until_next_due(&self, longest: Duration) -> Option<Duration> {
        if self.speed <= 0.0 {
            return None;
        }
        let due = self.sim.next_due()?;
        let ahead = due.as_millis().saturating_sub(self.wall_time().as_millis()) as f64 / self.speed;
        // One millisecond more, so that the wall clock has passed the due time when the sleep ends. A tiny
        // speed makes the wait astronomical: capped, as a timer cannot be set that far.
        Some(Duration::from_millis((ahead.ceil() as u64).saturating_add(1)).min(longest))
    }

    /// Records state changes that time produced.
    pub fn record_events(&mut self, events: Vec<Event>) {
        for event in events {
            self.history.push(Entry::Event(event));
        }
    }

    /// Tells the live subscribers where the clock is (after it moved, or the speed changed).
    pub fn publish_time(&self) {
        self.live.publish(Item::Time { now: self.sim.now(), speed: self.speed });
    }

    /// Restarts the wall-clock correspondence from the current simulated time (after a manual jump).
    pub fn reanchor(&mut self) {
        self.anchor_wall = Instant::now();
        self.anchor_sim = self.sim.now();
        self.live.wake.notify_one();
    }

    /// Replaces the simulation (reset or new scenario; `cause` says which) and forgets the history.
    pub fn restart(&mut self, scenario: Scenario, cause: &'static str) -> Result<(), sim::ScenarioError> {
        self.sim = Sim::new(scenario.clone())?;
        self.scenario = Arc::new(scenario);
        self.history.clear();
        self.reanchor();
        self.live.run += 1;
        self.live.publish(Item::Run { run: self.live.run, scenario: Arc::clone(&self.scenario), cause });
        Ok(())
    }

    /// Answers one request: the control API under `/_fleetplay`, the simulator for everything else.
    pub fn handle(&mut self, request: WireRequest) -> Reply {
        self.sync();
        let path = request.path();
        if path == "/_fleetplay" || path.starts_with("/_fleetplay/") {
            return control::handle(self, &request);
        }
        let due_before = self.sim.next_due();
        let exchange = self.sim.handle(request);
        let response = exchange.response.clone();
        self.record(exchange, due_before);
        Reply::Response(response)
    }

    /// Records an exchange the simulator just answered and publishes it; `due_before` is
    /// [`Sim::next_due`] before the request, to wake the clock when the request changed it.
    pub fn record(&mut self, exchange: sim::Exchange, due_before: Option<SimTime>) {
        let entry = Arc::new(Entry::Exchange(exchange));
        self.history.push_shared(Arc::clone(&entry));
        self.live.publish(Item::Exchange(entry));
        if self.sim.next_due() != due_before {
            self.live.wake.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_for_the_next_change_follows_the_speed_and_is_capped() {
        let mut server = Server::new(Scenario::builtin(), 0.0, History::new(10, 1 << 20)).unwrap();
        let longest = Duration::from_secs(3600);
        assert_eq!(server.until_next_due(longest), None, "frozen");
        let due = server.sim.next_due().expect("the built-in fleet has transitions in progress").as_millis();
        server.speed = 1000.0;
        server.reanchor();
        let wait = server.until_next_due(longest).unwrap();
        assert!(wait <= Duration::from_millis(due / 1000 + 2), "{wait:?} for {due} ms at 1000×");
        // At a speed this small the due time is millennia away on the wall clock.
        server.speed = 1e-9;
        assert_eq!(server.until_next_due(longest), Some(longest));
    }
}
