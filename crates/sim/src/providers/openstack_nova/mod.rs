//! OpenStack Compute (Nova) server actions. STUB: to be written.

use super::{Ctx, Outcome};
use crate::fleet::{ServerView, StateMachine};
use crate::scenario::{NovaFaults, NovaFleet};
use crate::wire::WireRequest;

/// True when `path` is one Nova serves: `/servers…`, optionally behind `/v2.1`, `/v2.1/{project}` or
/// `/v2/{project}`.
pub fn claims_path(path: &str) -> bool {
    path.starts_with("/v2.1") || path.starts_with("/v2/") || path.starts_with("/servers")
}

/// Parses a microversion `X.Y` (`^([1-9]\d*)\.([1-9]\d*|0)$`).
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    let ok = |s: &str, allow_zero: bool| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (!s.starts_with('0') || (allow_zero && s == "0"))
    };
    if !ok(major, false) || !ok(minor, true) {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The simulated Nova cloud.
#[derive(Clone, Debug, Default)]
pub struct Backend {}

impl Backend {
    /// Loads the fleet; schedules completion of servers that start with a task in progress.
    pub fn new(_fleet: &NovaFleet, _faults: &NovaFaults, _ctx: &mut Ctx) -> Self {
        Backend {}
    }
    /// Answers one request.
    pub fn handle(&mut self, _req: &WireRequest, _ctx: &mut Ctx) -> Outcome {
        todo!()
    }
    /// Completes the transition scheduled as `seq` for server `key`, unless superseded.
    pub fn fire(&mut self, _key: &str, _seq: u64, _ctx: &mut Ctx) {}
    /// Every server.
    pub fn views(&self) -> Vec<ServerView> {
        Vec::new()
    }
    /// One server.
    pub fn view(&self, _id: &str) -> Option<ServerView> {
        None
    }
}

/// Nova's stop/start state machine (spec §3.4).
pub fn state_machine() -> StateMachine {
    StateMachine { nodes: vec![], edges: vec![] }
}
