//! The simulated Transfer Family account as plain data: servers, their `State` (spelled as the service
//! spells it), and the lifecycle rules of spec §1.4–§1.5 (which requests start which transitions, which are
//! no-ops and which are refused).
//!
//! A server is split into its [`Profile`] (identity and configuration, never changed by a request; kept in a
//! catalogue that every copy of the simulation shares) and its status (state and transition in progress; a
//! small `Copy` value per server), so cloning a `Sim` and looking a server up stay cheap.
//!
//! Nothing here knows JSON, headers, status codes or error codes: a refusal is a [`StopVerdict`] or
//! [`StartVerdict`] variant that `responses.rs` turns into the wire answer. Randomness (durations, fault
//! draws) comes from the [`Ctx`] while the request is handled, never when a transition fires.

use crate::fleet::{Provider, ServerView, StateFamily, TransitionView};
use crate::providers::Ctx;
use crate::scenario::{TransferServerDef, TransferStopOffline};
use crate::time::SimTime;
use std::collections::BTreeMap;
use std::sync::Arc;

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

/// What never changes about a server: its identity and configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// `s-` and 17 lowercase hex digits.
    pub id: String,
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
    /// `arn:aws:transfer:{region}:{account}:server/{id}`.
    pub arn: String,
    /// `SHA256:…` fingerprint of the host key, for servers that speak SFTP.
    pub host_key_fingerprint: Option<String>,
    /// The VPC endpoint of a `VPC` server.
    pub vpc: Option<VpcEndpoint>,
}

/// Where a `VPC` server's endpoint lives. The identifiers are derived from the server id (not drawn from the
/// random generator), so they are the same under every seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VpcEndpoint {
    /// `vpc-…`.
    pub vpc_id: String,
    /// `subnet-…`.
    pub subnet_id: String,
    /// `sg-…`.
    pub security_group_id: String,
}

/// What requests and completions change: the state and the transition in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Status {
    state: State,
    transition: Option<Transition>,
}

/// One server as handlers see it: its profile and its current status.
#[derive(Clone, Copy, Debug)]
pub struct Server<'a> {
    /// Identity and configuration.
    pub profile: &'a Profile,
    /// Current state.
    pub state: State,
    /// The transition in progress, if any.
    pub transition: Option<Transition>,
}

/// The servers' profiles in scenario order and an index by id. Immutable once loaded, so every copy of a
/// simulation shares one.
#[derive(Debug, Default)]
struct Catalog {
    profiles: Vec<Profile>,
    by_id: BTreeMap<String, usize>,
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

/// The account: every server, looked up by id. Cloning it (as cloning a `Sim` does) copies only the
/// servers' statuses; the catalogue is shared.
#[derive(Clone, Debug, Default)]
pub struct Account {
    catalog: Arc<Catalog>,
    status: Vec<Status>,
}

impl Account {
    /// Loads the fleet and schedules completion of servers that begin in STOPPING or STARTING.
    ///
    /// A server that begins in STOPPING ends like any stop: STOP_FAILED when its definition says
    /// `stop_fails` or the `stop_failure_rate` draw comes up, OFFLINE otherwise. A repeated id keeps its
    /// first definition (scenario validation rejects duplicates anyway).
    pub fn load(defs: &[TransferServerDef], stop_failure_rate: f64, ctx: &mut Ctx) -> Account {
        let (region, account_id) = (&ctx.settings.transfer.region, &ctx.settings.transfer.account_id);
        let mut catalog = Catalog { profiles: Vec::with_capacity(defs.len()), by_id: BTreeMap::new() };
        let mut initial = Vec::with_capacity(defs.len());
        for def in defs {
            if catalog.by_id.contains_key(&def.id) {
                continue;
            }
            catalog.by_id.insert(def.id.clone(), catalog.profiles.len());
            initial.push(State::parse(&def.state).unwrap_or(State::Online));
            catalog.profiles.push(Profile {
                id: def.id.clone(),
                endpoint_type: def.endpoint_type.clone(),
                protocols: def.protocols.clone(),
                identity_provider_type: def.identity_provider_type.clone(),
                user_count: def.user_count,
                stop_fails: def.stop_fails,
                arn: format!("arn:aws:transfer:{region}:{account_id}:server/{}", def.id),
                host_key_fingerprint: def
                    .protocols
                    .iter()
                    .any(|p| p == "SFTP")
                    .then(|| format!("SHA256:{}=", derived_hex(&def.id, 4, 42))),
                vpc: (def.endpoint_type == "VPC").then(|| VpcEndpoint {
                    vpc_id: format!("vpc-{}", derived_hex(&def.id, 1, 17)),
                    subnet_id: format!("subnet-{}", derived_hex(&def.id, 2, 17)),
                    security_group_id: format!("sg-{}", derived_hex(&def.id, 3, 17)),
                }),
            });
        }
        let mut status = Vec::with_capacity(catalog.profiles.len());
        for (profile, &state) in catalog.profiles.iter().zip(&initial) {
            let transition = match state {
                State::Stopping => {
                    let failure = stop_failure(profile, stop_failure_rate, ctx);
                    Some(begin(&profile.id, State::Online, Direction::Stop, failure, ctx))
                }
                State::Starting => Some(begin(&profile.id, State::Offline, Direction::Start, None, ctx)),
                _ => None,
            };
            status.push(Status { state, transition });
        }
        Account { catalog: Arc::new(catalog), status }
    }

    fn server(&self, index: usize) -> Option<Server<'_>> {
        let profile = self.catalog.profiles.get(index)?;
        let status = self.status.get(index)?;
        Some(Server { profile, state: status.state, transition: status.transition })
    }

    /// The server with this id.
    pub fn get(&self, id: &str) -> Option<Server<'_>> {
        self.server(*self.catalog.by_id.get(id)?)
    }

    /// Servers in id order, starting at `from` (inclusive) when given.
    pub fn iter_from<'a>(&'a self, from: Option<&str>) -> impl Iterator<Item = Server<'a>> + 'a {
        let range = match from {
            Some(from) => self
                .catalog
                .by_id
                .range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded)),
            None => self.catalog.by_id.range::<str, _>(..),
        };
        range.filter_map(|(_, &i)| self.server(i))
    }

    /// Number of servers.
    pub fn len(&self) -> usize {
        self.status.len()
    }

    fn parts_mut(&mut self, id: &str) -> Option<(&Profile, &mut Status)> {
        let &index = self.catalog.by_id.get(id)?;
        Some((self.catalog.profiles.get(index)?, self.status.get_mut(index)?))
    }

    /// StopServer on server `id` (`None` when there is no such server). Starts the transition when the
    /// verdict is [`StopVerdict::Stopping`], recording the request's state change as an event.
    pub fn stop_server(&mut self, id: &str, stop_failure_rate: f64, ctx: &mut Ctx) -> Option<StopVerdict> {
        let (profile, status) = self.parts_mut(id)?;
        let verdict = match status.state {
            State::Online | State::StopFailed | State::StartFailed => {
                let failure = stop_failure(profile, stop_failure_rate, ctx);
                let from = status.state;
                let t = begin(&profile.id, from, Direction::Stop, failure, ctx);
                *status = Status { state: State::Stopping, transition: Some(t) };
                ctx.event(
                    Provider::Transfer,
                    &profile.id,
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
        let (profile, status) = self.parts_mut(id)?;
        let verdict = match status.state {
            State::Offline | State::StartFailed | State::StopFailed => {
                let from = status.state;
                let t = begin(&profile.id, from, Direction::Start, None, ctx);
                *status = Status { state: State::Starting, transition: Some(t) };
                ctx.event(
                    Provider::Transfer,
                    &profile.id,
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
        let Some((profile, status)) = self.parts_mut(id) else { return };
        let Some(t) = status.transition else { return };
        if t.seq != seq {
            return;
        }
        let from = status.state;
        *status = Status { state: t.to, transition: None };
        let cause = match t.failure {
            Some(StopFailure::ServerDefinition) => "stop failed (server defined with stop_fails)",
            Some(StopFailure::InjectedRate) => "stop failed (injected: stop_failure_rate)",
            None => "completed",
        };
        ctx.event(Provider::Transfer, &profile.id, from.as_str(), t.to.as_str(), cause);
    }

    /// Every server, in scenario order.
    pub fn views(&self) -> Vec<ServerView> {
        (0..self.status.len()).filter_map(|i| self.server(i)).map(view_of).collect()
    }

    /// One server as the fleet panel shows it.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        self.get(id).map(view_of)
    }
}

fn view_of(s: Server) -> ServerView {
    let p = s.profile;
    let mut details = vec![
        ("ARN".to_string(), p.arn.clone()),
        ("Endpoint type".to_string(), p.endpoint_type.clone()),
        ("Protocols".to_string(), p.protocols.join(", ")),
        ("Identity provider".to_string(), p.identity_provider_type.clone()),
        ("Users".to_string(), p.user_count.to_string()),
    ];
    if p.stop_fails {
        details.push(("Fault".to_string(), "every stop ends in STOP_FAILED".to_string()));
    }
    ServerView {
        provider: Provider::Transfer,
        id: p.id.clone(),
        name: p.id.clone(),
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
    }
}

/// Decides, at request time, whether a stop of `server` will fail.
fn stop_failure(server: &Profile, rate: f64, ctx: &mut Ctx) -> Option<StopFailure> {
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

/// A stable pseudo-identifier of `digits` hex digits derived from the server id (FNV-1a, then mixed).
fn derived_hex(id: &str, salt: u64, digits: usize) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(digits);
    for i in 0..digits {
        let nibble = (h >> ((i % 16) * 4)) & 0xf;
        out.push(char::from_digit(nibble as u32, 16).unwrap_or('0'));
        if i % 16 == 15 {
            h = h.rotate_left(23).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    out
}
