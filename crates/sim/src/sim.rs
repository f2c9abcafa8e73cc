//! The simulation: one fleet, one clock value, one random generator, three services.
//!
//! `Sim::handle` answers a raw request at the current simulated time and returns the [`Exchange`];
//! `Sim::advance_to` moves time forward and fires due transitions in `(due, seq)` order, returning the
//! [`Event`]s they produced. Nothing here reads a clock or draws entropy from outside.

use crate::exchange::{Confidence, Diagnosis, Event, Exchange};
use crate::fleet::{Provider, ServerView, StateMachine};
use crate::providers::{self, aws_json, aws_lightsail, aws_transfer, openstack_nova, Ctx, Outcome, Route};
use crate::rng::SimRng;
use crate::scenario::{Scenario, ScenarioError};
use crate::schedule::Schedule;
use crate::time::SimTime;
use crate::wire::{WireRequest, WireResponse};
use std::sync::Arc;

/// A running simulation.
#[derive(Clone, Debug)]
pub struct Sim {
    /// Shared, so cloning a `Sim` (the app's reducer does) does not copy the fleet definitions.
    scenario: Arc<Scenario>,
    now: SimTime,
    rng: SimRng,
    schedule: Schedule,
    exchanges: u64,
    transfer: aws_transfer::Backend,
    lightsail: aws_lightsail::Backend,
    nova: openstack_nova::Backend,
}

impl Sim {
    /// Starts a simulation of `scenario` at `T+0`. Initial transitional states are scheduled to complete.
    pub fn new(scenario: Scenario) -> Result<Sim, ScenarioError> {
        scenario.validate()?;
        Ok(Sim::start(scenario))
    }

    /// The built-in demo scenario with the given seed.
    pub fn builtin(seed: u64) -> Sim {
        let scenario = Scenario { seed, ..Scenario::builtin() };
        match scenario.validate() {
            Ok(()) => Sim::start(scenario),
            // The built-in scenario is validated by a unit test; an empty fleet is the safe fallback.
            Err(_) => Sim::start(Scenario { seed, ..Scenario::default() }),
        }
    }

    /// Builds the backends of an already validated scenario.
    fn start(scenario: Scenario) -> Sim {
        let mut rng = SimRng::new(scenario.seed);
        let mut schedule = Schedule::default();
        let mut ctx = Ctx {
            now: SimTime::ZERO,
            rng: &mut rng,
            settings: &scenario.settings,
            schedule: &mut schedule,
            events: Vec::new(),
        };
        let transfer =
            aws_transfer::Backend::new(&scenario.fleet.transfer, &scenario.faults.transfer, &mut ctx);
        let lightsail =
            aws_lightsail::Backend::new(&scenario.fleet.lightsail, &scenario.faults.lightsail, &mut ctx);
        let nova = openstack_nova::Backend::new(&scenario.fleet.nova, &scenario.faults.nova, &mut ctx);
        Sim {
            scenario: Arc::new(scenario),
            now: SimTime::ZERO,
            rng,
            schedule,
            exchanges: 0,
            transfer,
            lightsail,
            nova,
        }
    }

    /// The scenario this simulation started from.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Current simulated time.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// When the next scheduled transition completes, if any is pending.
    pub fn next_due(&self) -> Option<SimTime> {
        self.schedule.next_due()
    }

    /// Answers `request` at the current simulated time.
    pub fn handle(&mut self, request: WireRequest) -> Exchange {
        self.exchanges += 1;
        let route = providers::route(&request);
        let mut ctx = Ctx {
            now: self.now,
            rng: &mut self.rng,
            settings: &self.scenario.settings,
            schedule: &mut self.schedule,
            events: Vec::new(),
        };
        let (provider, outcome) = match route {
            Route::Transfer => (Some(Provider::Transfer), self.transfer.handle(&request, &mut ctx)),
            Route::Lightsail => (Some(Provider::Lightsail), self.lightsail.handle(&request, &mut ctx)),
            Route::Nova => (Some(Provider::Nova), self.nova.handle(&request, &mut ctx)),
            Route::AwsUnknown => (None, unclaimed_aws(&request, &mut ctx)),
            Route::Unknown => (None, unrecognised(&request)),
        };
        let events = ctx.events;
        let mut response = outcome.response;
        set_content_length(&mut response);
        Exchange {
            seq: self.exchanges,
            at: self.now,
            provider,
            operation: outcome.operation,
            server: outcome.server,
            request,
            response,
            events,
            diagnosis: outcome.diagnosis,
        }
    }

    /// Moves time forward to `t` (no-op if `t` is not later than now), firing due transitions in order.
    pub fn advance_to(&mut self, t: SimTime) -> Vec<Event> {
        let mut events = Vec::new();
        while let Some(due) = self.schedule.pop_due(t) {
            let at = due.at.max(self.now);
            self.now = at;
            let mut ctx = Ctx {
                now: at,
                rng: &mut self.rng,
                settings: &self.scenario.settings,
                schedule: &mut self.schedule,
                events: Vec::new(),
            };
            match due.provider {
                Provider::Transfer => self.transfer.fire(&due.key, due.seq, &mut ctx),
                Provider::Lightsail => self.lightsail.fire(&due.key, due.seq, &mut ctx),
                Provider::Nova => self.nova.fire(&due.key, due.seq, &mut ctx),
            }
            events.append(&mut ctx.events);
        }
        if t > self.now {
            self.now = t;
        }
        events
    }

    /// Moves time forward by `ms` milliseconds.
    pub fn advance_by(&mut self, ms: u64) -> Vec<Event> {
        self.advance_to(self.now.plus_millis(ms))
    }

    /// Jumps to the next scheduled completion (if any) and fires everything due then.
    pub fn step(&mut self) -> Vec<Event> {
        match self.schedule.next_due() {
            Some(t) => self.advance_to(t),
            None => Vec::new(),
        }
    }

    /// Every server, grouped by provider in display order.
    pub fn fleet(&self) -> Vec<ServerView> {
        let mut out = self.transfer.views();
        out.extend(self.lightsail.views());
        out.extend(self.nova.views());
        out
    }

    /// One server's view.
    pub fn server(&self, provider: Provider, id: &str) -> Option<ServerView> {
        match provider {
            Provider::Transfer => self.transfer.view(id),
            Provider::Lightsail => self.lightsail.view(id),
            Provider::Nova => self.nova.view(id),
        }
    }

    /// The state machine of a provider, for drawing.
    pub fn state_machine(provider: Provider) -> StateMachine {
        match provider {
            Provider::Transfer => aws_transfer::state_machine(),
            Provider::Lightsail => aws_lightsail::state_machine(),
            Provider::Nova => openstack_nova::state_machine(),
        }
    }
}

fn set_content_length(response: &mut WireResponse) {
    let len = response.body.len().to_string();
    match response.headers.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("Content-Length")) {
        Some((_, v)) => *v = len,
        None => response.headers.push(("Content-Length".to_string(), len)),
    }
}

fn unclaimed_aws(request: &WireRequest, ctx: &mut Ctx) -> Outcome {
    let target = request.header("X-Amz-Target").unwrap_or("");
    let request_id = ctx.rng.uuid();
    Outcome {
        response: aws_json::unknown_operation(&request_id),
        operation: None,
        server: None,
        diagnosis: Diagnosis::new(
            format!(
                "X-Amz-Target '{target}' names neither TransferService nor Lightsail_20161128, so no simulated \
                 AWS service claims the request and the awsJson framework answers UnknownOperationException."
            ),
            "stop-apis.md §0.4",
            Confidence::Unconfirmed,
        ),
    }
}

fn unrecognised(request: &WireRequest) -> Outcome {
    Outcome {
        // The page a webob-based router (Nova's) sends for a path it has no route for, in the flavour
        // `Accept` asks for.
        response: crate::providers::openstack_nova::webob_404(request.header("Accept")),
        operation: None,
        server: None,
        diagnosis: Diagnosis::new(
            format!(
                "No simulated service recognises {} {}: AWS requests need an X-Amz-Target header (POST /), \
                 Nova requests a /servers path (optionally under /v2.1 or /v2/{{project_id}}).",
                request.method,
                request.path()
            ),
            "stop-apis.md §0.1, §3.1",
            Confidence::Derived,
        )
        .with_message_text(crate::providers::openstack_nova::webob_404_message_text(
            request.header("Accept"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenario_is_valid() {
        Scenario::builtin().validate().expect("built-in scenario must validate");
        let sim = Sim::new(Scenario::builtin()).expect("built-in scenario loads");
        assert!(sim.fleet().len() >= 20);
    }

    #[test]
    fn unknown_requests_get_404_not_a_panic() {
        let mut sim = Sim::builtin(1);
        let ex = sim.handle(WireRequest::new("GET", "/favicon.ico"));
        assert_eq!(ex.response.status, 404);
        assert_eq!(ex.provider, None);
        assert_eq!(ex.response.header("Content-Length"), Some(ex.response.body.len().to_string().as_str()));
    }
}
