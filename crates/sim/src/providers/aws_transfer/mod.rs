//! AWS Transfer Family (`TransferService`, API version 2018-11-05), protocol awsJson 1.1: `StopServer`,
//! with `StartServer`, `DescribeServer` and `ListServers` as companions.
//!
//! Routing key: `X-Amz-Target: TransferService.{Operation}` on `POST /` with
//! `Content-Type: application/x-amz-json-1.1` (a request that names Transfer only by its host or SigV4
//! scope also lands here and is refused in the framework's words). State vocabulary: `ONLINE`, `OFFLINE`,
//! `STARTING`, `STOPPING`, `START_FAILED`, `STOP_FAILED`.
//!
//! Sources: `stop-apis.md` §0 (awsJson 1.1 framing, errors, framework errors, validation wording), §1
//! (StopServer: request, success, errors, state machine, edge cases, test vectors T1–T23), §5 (envelope),
//! §6 (open questions), §7 (requests as documentation prints them). The primary sources the spec cites:
//! botocore `botocore/data/transfer/2018-11-05/service-2.json` and `waiters-2.json`; the Smithy model
//! `transfer/service/2018-11-05/transfer-2018-11-05.json` in aws/api-models-aws (status codes, anchored
//! pattern, `smithy.api#Unit` output); the Smithy awsJson 1.1 protocol page and protocol tests; botocore
//! `parsers.py` and `validate.py`; the AWS Transfer Family API Reference page "StopServer" and the User
//! Guide page "Common Errors". The output members of DescribeServer (`DescribedServer`) and ListServers
//! (`ListedServer`, `NextToken`) follow botocore's shapes.
//!
//! Files, as every provider's (ARCHITECTURE.md, "One shape for every provider"): `routes.rs` (which
//! operation a request is: framing, `X-Amz-Target`), `models.rs` (servers, states, lifecycle rules; no wire
//! knowledge), `responses.rs` (order of checks, members, validation, output shapes with the model's member
//! names, diagnoses), `errors.rs` (error types, statuses, bodies), `tests.rs` (state rules, faults and
//! settings through a whole `Sim`).
//!
//! Fidelity:
//! - [x] awsJson 1.1 framing: POST `/`, content type with parameters accepted, target prefix; anything else
//!   is `UnknownOperationException` (400, no message) [U]
//! - [x] StopServer/StartServer success: 200, empty body, `Content-Type`, `x-amzn-RequestId`; `{}` when
//!   `settings.transfer.empty_object_body`; the doc's `{"ServerId": …}` sample is flagged in the diagnosis
//! - [x] `ServerId` required / length 19 / pattern `^s-([0-9a-f]{17})$`, every broken constraint listed, in
//!   the Coral or Smithy wording (`settings.validation_style`) as `ValidationException` [U]; the Smithy style
//!   also has the Smithy shape: lowercase `message` and `fieldList` `[{path, message}]` (§0.4, SMITHY-VAL)
//! - [x] unparseable body, non-object body, wrong member type → `SerializationException` [U], worded as
//!   Lightsail words it (`aws_json::Unreadable`: `NUMBER_VALUE can not be converted to a String`); unknown
//!   members ignored; `null` counts as absent; empty body is `{}`
//! - [x] modeled errors with `Message` (capital M): `ResourceNotFoundException` (`Resource`,
//!   `ResourceType` "Server"), `InvalidRequestException`, `ThrottlingException` (`RetryAfterSeconds`
//!   string), `InternalServiceError`, `ServiceUnavailableException`, `InvalidNextTokenException`; statuses
//!   by `settings.status_profile` (API reference 400/500 vs model 404/429/503)
//! - [x] `settings.require_aws_auth`: no `Authorization` → `MissingAuthenticationTokenException` 403 [U]
//!   (signatures are never verified)
//! - [x] faults: `throttle_per_second`, `internal_error_rate`, `unavailable_rate` (every operation),
//!   `stop_failure_rate` and per-server `stop_fails` (decided when the stop is requested)
//! - [x] lifecycle ONLINE → STOPPING → OFFLINE / STOP_FAILED, OFFLINE → STARTING → ONLINE, durations from
//!   `settings.transfer.stopping` / `starting`; servers that begin mid-transition complete on schedule
//! - [x] edge cases [U]: stop on OFFLINE per `settings.transfer.stop_when_offline` (200 no-op or
//!   `InvalidRequestException`), on STOPPING 200 no-op, on STARTING `InvalidRequestException`, retry from
//!   STOP_FAILED / START_FAILED allowed; start on ONLINE is the documented no-op, on STARTING a no-op, on
//!   STOPPING `InvalidRequestException`, from either failed state allowed
//! - [x] DescribeServer `{"Server": DescribedServer}` (Arn, Domain, EndpointType, EndpointDetails for VPC,
//!   HostKeyFingerprint for SFTP, IdentityProviderType, ProtocolDetails, Protocols, S3StorageOptions,
//!   SecurityPolicyName, ServerId, State, StructuredLogDestinations, Tags, UserCount); diagnosis says what
//!   the ServerOffline / ServerOnline waiters would conclude
//! - [x] ListServers `{"Servers": [ListedServer], "NextToken"?}`, `MaxResults` 1..1000 (default 1000 [U]),
//!   opaque deterministic `NextToken`, unknown tokens → `InvalidNextTokenException`
//! - [x] the doc-portal curl of §7 (target in the URL fragment, `application/json`, no body) is refused as
//!   unclaimed, and the diagnosis lists what is wrong and the corrected request
//! - [x] every error's diagnosis says where its `Message` text comes from (`TransferError::message_text`):
//!   `Unknown server` is LocalStack's [S], validation messages follow §0.4's grammar, and the texts of
//!   `InternalServiceError`, `ServiceUnavailableException`, `InvalidNextTokenException`,
//!   `InvalidRequestException` (OFFLINE / STARTING / STOPPING refusals), `SerializationException` and
//!   `MissingAuthenticationTokenException` are the simulator's own, marked [U]
//! - [ ] START_FAILED is never reached by the simulation (no start fault is defined); a scenario may begin
//!   a server in it
//! - [ ] other operations (CreateServer, DeleteServer, UpdateServer, users, tags …) → `UnknownOperationException`,
//!   which the real service would not send for them; the diagnosis says so (by name for the three in
//!   `routes::Route::NOT_MODELLED`, checked first, as a possibility for any other name); a near miss of a
//!   modelled name (`StopServers`, `describeServer`) gets a "did you mean" in the diagnosis only
//!   (`aws_json`); only `StopServers` is tagged T12
//! - [ ] SigV4 signatures, regions and accounts other than the one in the settings, `LoggingRole`, real
//!   message texts (none is published)

mod errors;
mod models;
mod responses;
// Seen by `aws_json`, whose tests hold every awsJson service's routing table to the same promises.
pub(super) mod routes;

pub use errors::TransferError;
pub use models::State;
pub use responses::server_id_violations;
pub use routes::TARGET_PREFIX;

use super::{Ctx, Outcome, Throttle};
use crate::fleet::{ServerView, StateFamily, StateMachine};
use crate::scenario::{TransferFaults, TransferServerDef};
use crate::wire::WireRequest;

/// True when `id` matches `^s-([0-9a-f]{17})$`.
pub fn is_valid_server_id(id: &str) -> bool {
    id.len() == 19
        && id.starts_with("s-")
        && id.bytes().skip(2).all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The simulated Transfer Family account.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    account: models::Account,
    faults: TransferFaults,
    throttle: Throttle,
}

impl Backend {
    /// Loads the fleet; schedules completion of servers that start in a transitional state.
    pub fn new(defs: &[TransferServerDef], faults: &TransferFaults, ctx: &mut Ctx) -> Self {
        let account = models::Account::load(defs, faults.stop_failure_rate, ctx);
        Backend { account, faults: faults.clone(), throttle: Throttle::default() }
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
        responses::handle(&mut self.account, &mut self.throttle, &self.faults, req, ctx)
    }

    /// Completes the transition scheduled as `seq` for server `key`, unless superseded.
    pub fn fire(&mut self, key: &str, seq: u64, ctx: &mut Ctx) {
        self.account.complete(key, seq, ctx);
    }

    /// Every server.
    pub fn views(&self) -> Vec<ServerView> {
        self.account.views()
    }

    /// One server.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        self.account.view(id)
    }
}

/// The Transfer Family server state machine (spec §1.4); node ids are the state names.
pub fn state_machine() -> StateMachine {
    StateMachine {
        nodes: vec![
            ("ONLINE", "ONLINE", StateFamily::Running),
            ("STOPPING", "STOPPING", StateFamily::Transitional),
            ("OFFLINE", "OFFLINE", StateFamily::Stopped),
            ("STOP_FAILED", "STOP_FAILED", StateFamily::Failed),
            ("STARTING", "STARTING", StateFamily::Transitional),
            ("START_FAILED", "START_FAILED", StateFamily::Failed),
        ],
        edges: vec![
            ("ONLINE", "STOPPING", "StopServer"),
            ("STOPPING", "OFFLINE", "stopped"),
            ("STOPPING", "STOP_FAILED", "stop fails"),
            ("STOP_FAILED", "STOPPING", "StopServer (retry)"),
            ("OFFLINE", "STARTING", "StartServer"),
            ("STARTING", "ONLINE", "started"),
            ("STARTING", "START_FAILED", "start fails"),
            ("START_FAILED", "STARTING", "StartServer (retry)"),
            ("START_FAILED", "STOPPING", "StopServer"),
            ("STOP_FAILED", "STARTING", "StartServer"),
        ],
    }
}

#[cfg(test)]
mod tests;
