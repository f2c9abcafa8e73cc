//! The simulated Transfer Family account as plain data: servers, their `State` (spelled as the service
//! spells it), and the lifecycle rules of spec §1.4–§1.5 (which requests start which transitions, which are
//! no-ops and which are refused).
//!
//! Nothing here knows JSON, headers, status codes or error codes: a refusal is a [`StopVerdict`] or
//! [`StartVerdict`] variant that `responses.rs` turns into the wire answer. Randomness (durations, fault
//! draws) comes from the [`Ctx`] while the request is handled, never when a transition fires.

use crate::fleet::{Provider, ServerView, StateFamily, TransitionView};
use crate::providers::Ctx;
use crate::scenario::{TransferServerDef, TransferStopOffline};
use crate::time::SimTime;
use std::collections::BTreeMap;

/// A server's state (botocore enum `State`, spec §1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Can accept and process file transfers.
    Online,
    /// Exists but cannot transfer files.
    Offline,
    /// Between OFFLINE and ONLINE.
    Starting,
    /// Between ONLINE and OFFLINE.
    Stopping,
    /// A start did not complete.
    StartFailed,
    /// A stop did not complete.
    StopFailed,
}

impl State {
    /// Every state, in the order the state diagram lists them.
    pub const ALL: [State; 6] = [
        State::Online,
        State::Stopping,
        State::Offline,
        State::StopFailed,
        State::Starting,
        State::StartFailed,
    ];

    /// The state as the service spells it (`ONLINE`, `STOP_FAILED` …).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Online => "ONLINE",
            State::Offline => "OFFLINE",
            State::Starting => "STARTING",
            State::Stopping => "STOPPING",
            State::StartFailed => "START_FAILED",
            State::StopFailed => "STOP_FAILED",
        }
    }

    /// Inverse of [`State::as_str`].
    pub fn parse(text: &str) -> Option<State> {
        State::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Colour family for the fleet panel.
    pub fn family(self) -> StateFamily {
        match self {
            State::Online => StateFamily::Running,
            State::Offline => StateFamily::Stopped,
            State::Starting | State::Stopping => StateFamily::Transitional,
            State::StartFailed | State::StopFailed => StateFamily::Failed,
        }
    }
}

/// Why a stop will end in STOP_FAILED.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopFailure {
    /// The fleet definition marks this server `stop_fails`.
    ServerDefinition,
    /// The draw against `faults.transfer.stop_failure_rate` came up.
    InjectedRate,
}

/// A transition in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    /// State when it began.
    pub from: State,
    /// State it ends in (decided when it began).
    pub to: State,
    /// When it began.
    pub started: SimTime,
    /// When it completes.
    pub due: SimTime,
    /// The schedule token; a completion with another token is stale.
    pub seq: u64,
    /// Set when `to` is STOP_FAILED.
    pub failure: Option<StopFailure>,
}

/// One Transfer Family server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// `s-` and 17 lowercase hex digits.
    pub id: String,
    /// Current state.
    pub state: State,
    /// `PUBLIC`, `VPC` or `VPC_ENDPOINT`.
    pub endpoint_type: String,
    /// `SFTP`, `FTPS`, `FTP`, `AS2`.
    pub protocols: Vec<String>,
    /// `SERVICE_MANAGED`, `API_GATEWAY` …
    pub identity_provider_type: String,
    /// Users configured on the server.
    pub user_count: u32,
    /// Every stop of this server ends in STOP_FAILED.
    pub stop_fails: bool,
    /// The transition in progress, if any.
    pub transition: Option<Transition>,
}

/// What a StopServer request does to a server (spec §1.4, §1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopVerdict {
    /// ONLINE (or a failed state) → STOPPING; `transition.to` says how it will end.
    Stopping(Transition),
    /// Already OFFLINE: nothing happens (`stop_when_offline = no-op`).
    NoOpOffline,
    /// Already STOPPING: nothing happens.
    NoOpStopping,
    /// OFFLINE and `stop_when_offline = invalid-request`.
    RefusedOffline,
    /// STARTING cannot be stopped.
    RefusedStarting,
}

/// What a StartServer request does to a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartVerdict {
    /// OFFLINE (or a failed state) → STARTING.
    Starting(Transition),
    /// Already ONLINE: documented no-op.
    NoOpOnline,
    /// Already STARTING: nothing happens.
    NoOpStarting,
    /// STOPPING cannot be started until the stop completes.
    RefusedStopping,
}

/// The account: every server, looked up by id.
#[derive(Clone, Debug, Default)]
pub struct Account {
    servers: BTreeMap<String, Server>,
    /// Ids in scenario order, for display.
    order: Vec<String>,
    /// Region shown in ARNs.
    pub region: String,
    /// Account id shown in ARNs.
    pub account_id: String,
}

impl Account {
    /// Loads the fleet and schedules completion of servers that begin in STOPPING or STARTING.
    ///
    /// A server that begins in STOPPING ends like any stop: STOP_FAILED when its definition says
    /// `stop_fails` or the `stop_failure_rate` draw comes up, OFFLINE otherwise.
    pub fn load(defs: &[TransferServerDef], stop_failure_rate: f64, ctx: &mut Ctx) -> Account {
        let mut account = Account {
            servers: BTreeMap::new(),
            order: Vec::with_capacity(defs.len()),
            region: ctx.settings.transfer.region.clone(),
            account_id: ctx.settings.transfer.account_id.clone(),
        };
        for def in defs {
            if account.servers.contains_key(&def.id) {
                continue;
            }
            let mut server = Server {
                id: def.id.clone(),
                state: State::parse(&def.state).unwrap_or(State::Online),
                endpoint_type: def.endpoint_type.clone(),
                protocols: def.protocols.clone(),
                identity_provider_type: def.identity_provider_type.clone(),
                user_count: def.user_count,
                stop_fails: def.stop_fails,
                transition: None,
            };
            match server.state {
                State::Stopping => {
                    let failure = stop_failure(&server, stop_failure_rate, ctx);
                    server.transition = Some(begin(&server.id, State::Online, Direction::Stop, failure, ctx));
                }
                State::Starting => {
                    server.transition = Some(begin(&server.id, State::Offline, Direction::Start, None, ctx));
                }
                _ => {}
            }
            account.order.push(def.id.clone());
            account.servers.insert(def.id.clone(), server);
        }
        account
    }

    /// The server with this id.
    pub fn get(&self, id: &str) -> Option<&Server> {
        self.servers.get(id)
    }

    /// Servers in id order, starting at `from` (inclusive) when given.
    pub fn iter_from<'a>(&'a self, from: Option<&str>) -> impl Iterator<Item = &'a Server> + 'a {
        let range = match from {
            Some(from) => {
                self.servers.range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded))
            }
            None => self.servers.range::<str, _>(..),
        };
        range.map(|(_, s)| s)
    }

    /// StopServer on server `id` (`None` when there is no such server). Starts the transition when the
    /// verdict is [`StopVerdict::Stopping`], recording the request's state change as an event.
    pub fn stop_server(&mut self, id: &str, stop_failure_rate: f64, ctx: &mut Ctx) -> Option<StopVerdict> {
        let server = self.servers.get_mut(id)?;
        let verdict = match server.state {
            State::Online | State::StopFailed | State::StartFailed => {
                let failure = stop_failure(server, stop_failure_rate, ctx);
                let from = server.state;
                let t = begin(&server.id, from, Direction::Stop, failure, ctx);
                server.state = State::Stopping;
                server.transition = Some(t);
                ctx.event(
                    Provider::Transfer,
                    &server.id,
                    from.as_str(),
                    State::Stopping.as_str(),
                    "StopServer",
                );
                StopVerdict::Stopping(t)
            }
            State::Offline => match ctx.settings.transfer.stop_when_offline {
                TransferStopOffline::NoOp => StopVerdict::NoOpOffline,
                TransferStopOffline::InvalidRequest => StopVerdict::RefusedOffline,
            },
            State::Stopping => StopVerdict::NoOpStopping,
            State::Starting => StopVerdict::RefusedStarting,
        };
        Some(verdict)
    }

    /// StartServer on server `id` (`None` when there is no such server).
    pub fn start_server(&mut self, id: &str, ctx: &mut Ctx) -> Option<StartVerdict> {
        let server = self.servers.get_mut(id)?;
        let verdict = match server.state {
            State::Offline | State::StartFailed | State::StopFailed => {
                let from = server.state;
                let t = begin(&server.id, from, Direction::Start, None, ctx);
                server.state = State::Starting;
                server.transition = Some(t);
                ctx.event(
                    Provider::Transfer,
                    &server.id,
                    from.as_str(),
                    State::Starting.as_str(),
                    "StartServer",
                );
                StartVerdict::Starting(t)
            }
            State::Online => StartVerdict::NoOpOnline,
            State::Starting => StartVerdict::NoOpStarting,
            State::Stopping => StartVerdict::RefusedStopping,
        };
        Some(verdict)
    }

    /// Completes the transition scheduled as `seq` on server `id`; stale or unknown entries are ignored.
    pub fn complete(&mut self, id: &str, seq: u64, ctx: &mut Ctx) {
        let Some(server) = self.servers.get_mut(id) else { return };
        let Some(t) = server.transition else { return };
        if t.seq != seq {
            return;
        }
        let from = server.state;
        server.state = t.to;
        server.transition = None;
        let cause = match t.failure {
            Some(StopFailure::ServerDefinition) => "stop failed (server defined with stop_fails)",
            Some(StopFailure::InjectedRate) => "stop failed (injected: stop_failure_rate)",
            None => "completed",
        };
        ctx.event(Provider::Transfer, &server.id, from.as_str(), t.to.as_str(), cause);
    }

    /// The server's ARN, `arn:aws:transfer:{region}:{account}:server/{id}`.
    pub fn arn(&self, id: &str) -> String {
        format!("arn:aws:transfer:{}:{}:server/{}", self.region, self.account_id, id)
    }

    /// Every server, in scenario order.
    pub fn views(&self) -> Vec<ServerView> {
        self.order.iter().filter_map(|id| self.view(id)).collect()
    }

    /// One server as the fleet panel shows it.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        let s = self.servers.get(id)?;
        let mut details = vec![
            ("ARN".to_string(), self.arn(&s.id)),
            ("Endpoint type".to_string(), s.endpoint_type.clone()),
            ("Protocols".to_string(), s.protocols.join(", ")),
            ("Identity provider".to_string(), s.identity_provider_type.clone()),
            ("Users".to_string(), s.user_count.to_string()),
        ];
        if s.stop_fails {
            details.push(("Fault".to_string(), "every stop ends in STOP_FAILED".to_string()));
        }
        Some(ServerView {
            provider: Provider::Transfer,
            id: s.id.clone(),
            name: s.id.clone(),
            state: s.state.as_str().to_string(),
            node: s.state.as_str().to_string(),
            family: s.state.family(),
            locked: false,
            transition: s.transition.map(|t| TransitionView {
                from: t.from.as_str().to_string(),
                to: t.to.as_str().to_string(),
                started: t.started,
                due: Some(t.due),
            }),
            details,
        })
    }

    /// Number of servers.
    pub fn len(&self) -> usize {
        self.servers.len()
    }
}

/// Decides, at request time, whether a stop of `server` will fail.
fn stop_failure(server: &Server, rate: f64, ctx: &mut Ctx) -> Option<StopFailure> {
    if server.stop_fails {
        Some(StopFailure::ServerDefinition)
    } else if ctx.rng.chance(rate) {
        Some(StopFailure::InjectedRate)
    } else {
        None
    }
}

/// Which way a transition goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Stop,
    Start,
}

/// Starts a transition out of `from` and schedules its completion with a duration drawn from the scenario's
/// timing for that direction. A stop ends in STOP_FAILED when `failure` is set, OFFLINE otherwise; a start
/// ends ONLINE.
fn begin(
    id: &str,
    from: State,
    direction: Direction,
    failure: Option<StopFailure>,
    ctx: &mut Ctx,
) -> Transition {
    let (timing, to) = match direction {
        Direction::Stop => (
            ctx.settings.transfer.stopping,
            if failure.is_some() { State::StopFailed } else { State::Offline },
        ),
        Direction::Start => (ctx.settings.transfer.starting, State::Online),
    };
    let (due, seq) = ctx.schedule_in(timing, Provider::Transfer, id);
    Transition { from, to, started: ctx.now, due, seq, failure }
}
