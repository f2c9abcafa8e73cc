//! Amazon Lightsail (`Lightsail_20161128`, awsJson 1.1). STUB: to be written.

use super::{Ctx, Outcome};
use crate::fleet::{ServerView, StateMachine};
use crate::scenario::{LightsailFaults, LightsailInstanceDef};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "Lightsail_20161128.";

/// True when `name` matches `^\w[\w\-]*\w$` with ASCII `\w`.
pub fn is_valid_resource_name(name: &str) -> bool {
    let w = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = name.as_bytes();
    bytes.len() >= 2 && w(bytes[0]) && w(bytes[bytes.len() - 1]) && bytes.iter().all(|&b| w(b) || b == b'-')
}

/// The simulated Transfer Family account.
#[derive(Clone, Debug, Default)]
pub struct Backend {}

impl Backend {
    /// Loads the fleet; schedules completion of servers that start in a transitional state.
    pub fn new(_defs: &[LightsailInstanceDef], _faults: &LightsailFaults, _ctx: &mut Ctx) -> Self {
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

/// The Transfer Family server state machine (spec §1.4).
pub fn state_machine() -> StateMachine {
    StateMachine { nodes: vec![], edges: vec![] }
}
