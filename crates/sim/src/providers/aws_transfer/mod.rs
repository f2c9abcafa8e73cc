//! AWS Transfer Family (`TransferService`, API 2018-11-05, awsJson 1.1). STUB: to be written.

use super::{Ctx, Outcome};
use crate::fleet::{ServerView, StateMachine};
use crate::scenario::{TransferFaults, TransferServerDef};
use crate::wire::WireRequest;

/// The `X-Amz-Target` prefix of this service.
pub const TARGET_PREFIX: &str = "TransferService.";

/// True when `id` matches `^s-([0-9a-f]{17})$`.
pub fn is_valid_server_id(id: &str) -> bool {
    id.len() == 19 && id.starts_with("s-") && id[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The simulated Transfer Family account.
#[derive(Clone, Debug, Default)]
pub struct Backend {}

impl Backend {
    /// Loads the fleet; schedules completion of servers that start in a transitional state.
    pub fn new(_defs: &[TransferServerDef], _faults: &TransferFaults, _ctx: &mut Ctx) -> Self {
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
