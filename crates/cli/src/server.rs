//! The state behind `fleetplay serve`: the scenario, the simulation, the wall-clock mapping of simulated
//! time, and the bounded recent history. One `Server` sits behind one mutex; every request holds it only
//! while the simulator answers (microseconds), never while bytes move over the network.
//!
//! Simulated time follows the wall clock multiplied by the speed (0 freezes it: time then moves only
//! through the control API, which is what tests use). Requests under `/_fleetplay/` go to the control API
//! ([`crate::control`]); everything else is answered by the simulator exactly as the simulated service
//! would, and recorded in the history.

use crate::control::{self, Reply};
use crate::history::History;
use sim::transcript::Entry;
use sim::{Event, Scenario, Sim, SimTime, WireRequest};
use std::time::Instant;

/// The shared state of a running server.
pub struct Server {
    /// The scenario every reset returns to.
    pub scenario: Scenario,
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
    /// Whether `POST /_fleetplay/panic` panics (a hidden flag for the tests of panic handling).
    pub panic_endpoint: bool,
}

impl Server {
    /// A server at `T+0` of `scenario`.
    pub fn new(scenario: Scenario, speed: f64, history: History) -> Result<Server, sim::ScenarioError> {
        let sim = Sim::new(scenario.clone())?;
        Ok(Server {
            scenario,
            sim,
            speed,
            anchor_wall: Instant::now(),
            anchor_sim: SimTime::ZERO,
            history,
            panic_endpoint: false,
        })
    }

    /// Brings simulated time up to the wall clock (times the speed), recording the events that fire.
    pub fn sync(&mut self) {
        if self.speed <= 0.0 {
            return;
        }
        let elapsed = self.anchor_wall.elapsed().as_secs_f64() * 1000.0 * self.speed;
        let target = self.anchor_sim.plus_millis(elapsed as u64);
        if target > self.sim.now() {
            let events = self.sim.advance_to(target);
            self.record_events(events);
        }
    }

    /// Records state changes that time produced.
    pub fn record_events(&mut self, events: Vec<Event>) {
        for event in events {
            self.history.push(Entry::Event(event));
        }
    }

    /// Restarts the wall-clock correspondence from the current simulated time (after a manual jump).
    pub fn reanchor(&mut self) {
        self.anchor_wall = Instant::now();
        self.anchor_sim = self.sim.now();
    }

    /// Replaces the simulation (reset or new scenario) and forgets the history.
    pub fn restart(&mut self, scenario: Scenario) -> Result<(), sim::ScenarioError> {
        self.sim = Sim::new(scenario.clone())?;
        self.scenario = scenario;
        self.history.clear();
        self.reanchor();
        Ok(())
    }

    /// Answers one request: the control API under `/_fleetplay`, the simulator for everything else.
    pub fn handle(&mut self, request: WireRequest) -> Reply {
        self.sync();
        let path = request.path();
        if path == "/_fleetplay" || path.starts_with("/_fleetplay/") {
            return control::handle(self, &request);
        }
        let exchange = self.sim.handle(request);
        let response = exchange.response.clone();
        self.history.push(Entry::Exchange(exchange));
        Reply::Response(response)
    }
}
