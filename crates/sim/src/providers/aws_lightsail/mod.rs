//! Amazon Lightsail (`Lightsail_20161128`, API 2016-11-28, awsJson 1.1): `StopInstance` and its companions.
//!
//! # Sources
//!
//! The wire-level truth is `stop-apis.md` §2 (Lightsail `StopInstance`), with §0 (the shared awsJson 1.1
//! protocol: framing, `__type`, framework errors), §5 (error envelopes side by side), §6 (open questions) and §7
//! (requests as documentation prints them). That spec cites, and this module follows:
//!
//! - the botocore model `botocore/data/lightsail/2016-11-28/service-2.json` (BC-LS: operations, `ResourceName`
//!   pattern, `Operation`, `Instance`, `InstanceState`, the eight exception shapes with lowercase `code`,
//!   `docs`, `message`, `tip`);
//! - the Smithy model `lightsail/service/2016-11-28/lightsail-2016-11-28.json` (SM-LS: `httpError` codes,
//!   anchored pattern);
//! - the Smithy awsJson 1.1 protocol docs and protocol tests (SMITHY-JSON, SMITHY-T-*);
//! - the AWS CLI examples `awscli/examples/lightsail/{stop-instance,start-instance,get-instance,get-instances,
//!   get-instance-state,get-operation}.rst` (CLI-LS: concrete bodies, `{"code": 16, "name": "running"}`);
//! - the Lightsail API reference pages StopInstance, InstanceState, Operation (AWSDOC-LS).
//!
//! # Files
//!
//! As every provider's (ARCHITECTURE.md, "One shape for every provider"): `routes.rs` recognises the
//! operation (framing, `X-Amz-Target`), `models.rs` holds the account (instances, state machine, operation
//! records; no wire knowledge), `responses/` the order of checks (its `mod.rs`), validation (`input.rs`),
//! the operations (`operations.rs`), the output shapes (`shapes.rs`: `Operation`, `Instance`,
//! `InstanceState`, with the model's member names) and the diagnoses, `errors.rs`
//! the exception envelope and its status table, `tests.rs` the behaviour through a whole `Sim`.
//!
//! # Time on the wire
//!
//! Simulated time is milliseconds since the scenario started. Lightsail timestamps are epoch seconds, so they
//! are presented as [`EPOCH_BASE_SECS`] (2026-01-01T00:00:00Z) plus the simulated time, with millisecond
//! fractions: realistic-looking and fully deterministic. Instances of the fleet were created a seeded number of
//! days before that base.
//!
//! # Fidelity checklist
//!
//! - [x] awsJson 1.1 framing; unknown, mis-cased or foreign targets, wrong method/path/content type →
//!   `UnknownOperationException` (L17, L18) [U]; near misses of a modelled name get a "did you mean" in the
//!   diagnosis only, as for Transfer (`aws_json::explain_unknown_operation`), and the real operations of
//!   `routes::Route::NOT_MODELLED` are said to be real (never a typo: `GetOperations` is not `GetOperation`);
//!   only `StopInstances` is tagged L17 and a mis-cased `StopInstance` L18
//! - [x] `StopInstance` (`instanceName`, optional `force`) → 200 `{"operations":[Operation]}` with the
//!   Operation members of the CLI example (L1, L2, L12)
//! - [x] State machine running(16) → stopping(64) → stopped(80), stopped → pending(0) → running; codes other
//!   than 16 are EC2's [U]; durations from `settings.lightsail.{stopping,pending,forced_stop}` [U]
//! - [x] Operations become `Succeeded`/`isTerminal: true` with a new `statusChangedAt` when the instance reaches
//!   its target state (L4); `GetOperation`
//! - [x] `force: true` on a stopping (stuck) instance → fast stop (L3); on running → normal stop [U]
//! - [x] Stop on stopping without force → 200 new `Started` operation, no change (L21, L22) [U]
//! - [x] Stop on stopped → `settings.lightsail.stop_when_stopped` (400 `InvalidInputException` or 200) (L19) [U]
//! - [x] Stop on pending → 400 `InvalidInputException` (L20) [U]
//! - [x] Stuck stops: fleet `stuck` flag and `faults.lightsail.stuck_rate`, until `force: true`
//! - [x] `StartInstance`: new public IP (203.0.113.0/24) unless a static IP is attached; the public IP is
//!   released when a stop completes unless static [P]; start on running/stopping → `InvalidInputException` [U]
//! - [x] `GetInstance`, `GetInstances` (pages of 25 [U], opaque `pageToken`), `GetInstanceState`
//! - [x] Errors: `__type` + lowercase `code`/`docs`/`message`/`tip`; status per `settings.status_profile`;
//!   `NotFoundException` `code: "DoesNotExist"` [S] (L6); message, docs and tip texts are the simulator's [U]
//! - [x] Missing `instanceName` → `ValidationException` in `settings.validation_style` (L7) [U]; pattern
//!   `^\w[\w\-]*\w$` (ASCII) failures → `settings.lightsail.name_error` (L8–L11, L13) [U]
//! - [x] `settings.validation_style = smithy`: framework `ValidationException`s take the Smithy shape,
//!   `message` plus `fieldList` `[{path, message}]` (§0.4, SMITHY-VAL); `coral`: `message` only
//! - [x] Wrong JSON types, unparseable body → `SerializationException` (L14–L16) [U], worded by
//!   `aws_json::Unreadable` as Transfer words it
//! - [x] Every error's diagnosis marks its `message` text [U] (`LightsailError::message_text`): no Lightsail
//!   text is published, so every `message` (and every `tip` but the Region-setup one) is the simulator's own;
//!   validation messages follow §0.4's grammar
//! - [x] `settings.require_aws_auth` → the framework's `MissingAuthenticationTokenException` 403 (§0.4 [U]);
//!   `faults.lightsail.unauthenticated` → `UnauthenticatedException` (§2.3: account-level conditions only)
//!   (400 [U] / 401); `account_setup_in_progress` → `AccountSetupInProgressException` (400/428) (L23);
//!   `region_setup_in_progress` → `RegionSetupInProgressException` (400 [U] in both profiles);
//!   `service_error_rate` → `ServiceException` 500 (L24); `throttle_per_second` → framework
//!   `ThrottlingException` 400 [U] (Lightsail models no throttling error)
//! - [ ] SigV4 verification (never checked; only the presence of `Authorization` when required)
//! - [ ] `AccessDeniedException`, `OperationFailureException` (modeled, never produced: no IAM or failure model)
//! - [ ] Other operations (`RebootInstance`, `GetOperations`, `GetOperationsForResource`, static IPs, tags …)
//!   → `UnknownOperationException`, which real Lightsail would not send for them; the diagnosis says so (by
//!   name for the three listed in `routes::Route::NOT_MODELLED`, as a possibility for any other name)
//! - [ ] `operationDetails`, `errorCode`/`errorDetails`, `Failed` operations; IPv6 and dual-stack addresses;
//!   add-ons; attached data disks

pub mod errors;
mod models;
mod responses;
// Seen by `aws_json`, whose tests hold every awsJson service's routing table to the same promises.
pub(super) mod routes;

pub use responses::input_error;
pub use routes::TARGET_PREFIX;

use super::{Ctx, Outcome, Throttle};
use crate::fleet::{Provider, ServerView, StateFamily, StateMachine, TransitionView};
use crate::scenario::{LightsailFaults, LightsailInstanceDef};
use crate::wire::WireRequest;

/// The epoch second that simulated time zero is presented as: 2026-01-01T00:00:00Z. Every Lightsail
/// timestamp on the wire is this base plus the simulated time (see the module doc).
pub const EPOCH_BASE_SECS: u64 = 1_767_225_600;

/// The AWS account id shown in ARNs and support codes.
pub const ACCOUNT_ID: &str = "123456789012";

/// True when `name` matches `^\w[\w\-]*\w$` with ASCII `\w`.
pub fn is_valid_resource_name(name: &str) -> bool {
    let w = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if bytes.len() >= 2 => {
            w(first) && w(last) && bytes.iter().all(|&b| w(b) || b == b'-')
        }
        _ => false,
    }
}

/// The simulated Lightsail account in one Region.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    account: models::Account,
    faults: LightsailFaults,
    throttle: Throttle,
    region: String,
    availability_zone: String,
    /// What never changes in each instance's JSON (index = instance index), written once.
    fixed: std::sync::Arc<Vec<responses::FixedParts>>,
}

impl Backend {
    /// Loads the fleet; schedules completion of instances that start in a transitional state (except stuck
    /// ones, which wait for a forced stop).
    pub fn new(defs: &[LightsailInstanceDef], faults: &LightsailFaults, ctx: &mut Ctx) -> Self {
        let account = models::Account::load(defs, ACCOUNT_ID, ctx);
        let region = ctx.settings.lightsail.region.clone();
        let availability_zone = ctx.settings.lightsail.availability_zone.clone();
        let fixed =
            account.instances.iter().map(|i| responses::FixedParts::of(i, ACCOUNT_ID, &region)).collect();
        Backend {
            fixed: std::sync::Arc::new(fixed),
            account,
            faults: faults.clone(),
            throttle: Throttle::default(),
            region,
            availability_zone,
        }
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
        responses::handle(self, req, ctx)
    }

    /// Completes the transition scheduled as `seq` for instance `key`, unless superseded.
    pub fn fire(&mut self, key: &str, seq: u64, ctx: &mut Ctx) {
        self.account.complete(key, seq, ctx);
    }

    /// Every instance, in fleet order.
    pub fn views(&self) -> Vec<ServerView> {
        self.account.instances.iter().map(|i| self.view_of(i)).collect()
    }

    /// One instance, by name.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        self.account.find(id).and_then(|index| self.account.instance(index)).map(|i| self.view_of(i))
    }

    fn view_of(&self, inst: &models::Instance) -> ServerView {
        let bp = models::blueprint(&inst.blueprint_id);
        let mut details = vec![
            ("Region".to_string(), self.region.clone()),
            ("Availability Zone".to_string(), self.availability_zone.clone()),
            ("State code".to_string(), inst.state.code().to_string()),
            ("Blueprint".to_string(), format!("{} ({})", bp.name, inst.blueprint_id)),
            ("Bundle".to_string(), inst.bundle_id.clone()),
            ("Public IP".to_string(), inst.public_ip.clone().unwrap_or_else(|| "none".to_string())),
            ("Static IP".to_string(), if inst.static_ip { "attached" } else { "no" }.to_string()),
            ("Private IP".to_string(), inst.private_ip.clone()),
        ];
        if inst.is_stuck() {
            details.push(("Stuck".to_string(), "yes: send StopInstance with force: true".to_string()));
        } else if inst.stuck {
            details.push(("Stuck".to_string(), "its stops hang until forced".to_string()));
        }
        ServerView {
            provider: Provider::Lightsail,
            id: inst.name.clone(),
            name: inst.name.clone(),
            state: inst.state.name().to_string(),
            node: inst.state.name().to_string(),
            family: inst.state.family(),
            locked: false,
            transition: inst.transition.as_ref().map(|t| TransitionView {
                from: t.from.name().to_string(),
                to: t.to.name().to_string(),
                started: t.started,
                due: t.due,
            }),
            details,
        }
    }
}

/// The Lightsail instance state machine (spec §2.4), with the state codes in the labels.
pub fn state_machine() -> StateMachine {
    StateMachine {
        nodes: vec![
            ("running", "running (16)", StateFamily::Running),
            ("stopping", "stopping (64)", StateFamily::Transitional),
            ("stopped", "stopped (80)", StateFamily::Stopped),
            ("pending", "pending (0)", StateFamily::Transitional),
        ],
        edges: vec![
            ("running", "stopping", "StopInstance"),
            ("stopping", "stopped", "completes · force: true if stuck"),
            ("stopped", "pending", "StartInstance (new public IP)"),
            ("pending", "running", "boot completes"),
        ],
    }
}

#[cfg(test)]
mod tests;
