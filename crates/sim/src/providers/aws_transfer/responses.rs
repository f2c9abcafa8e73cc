//! The Transfer Family wire: request members, their validation, the output DTOs with the model's exact
//! member names, and one handler per operation that calls the model and builds the response with its
//! [`Diagnosis`].
//!
//! Processing order for every request (spec §0, §1): awsJson framing (method, path, target, content type) →
//! `require_aws_auth` → injected throttling → body parsing and JSON types (`SerializationException`) →
//! modeled constraints (`ValidationException`) → injected `InternalServiceError` / `ServiceUnavailableException`
//! → the operation (lookup, state rules). Unknown body members are ignored.

use super::errors::TransferError;
use super::models::{Account, Server, StartVerdict, StopFailure, StopVerdict};
use super::TARGET_PREFIX;
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::{self, Unclaimed, Violation};
use crate::providers::{Ctx, Outcome, Throttle};
use crate::scenario::{StatusProfile, TransferFaults, ValidationStyle};
use crate::wire::WireRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The operations this simulator answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// `StopServer` (no output).
    StopServer,
    /// `StartServer` (no output).
    StartServer,
    /// `DescribeServer` → `{"Server": DescribedServer}`.
    DescribeServer,
    /// `ListServers` → `{"Servers": [ListedServer], "NextToken"?}`.
    ListServers,
}

impl Operation {
    /// The operation named after the target prefix, if it is one of ours.
    pub fn parse(name: &str) -> Option<Operation> {
        match name {
            "StopServer" => Some(Operation::StopServer),
            "StartServer" => Some(Operation::StartServer),
            "DescribeServer" => Some(Operation::DescribeServer),
            "ListServers" => Some(Operation::ListServers),
            _ => None,
        }
    }

    /// The operation's name as the model spells it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::StopServer => "StopServer",
            Operation::StartServer => "StartServer",
            Operation::DescribeServer => "DescribeServer",
            Operation::ListServers => "ListServers",
        }
    }
}

/// Default and largest page of ListServers (`MaxResults` is 1..1000 in the model; the default when it is
/// omitted is not documented [U]).
pub const MAX_RESULTS: u64 = 1000;

/// The request members of all four operations; each operation reads only its own. `null` counts as absent.
#[derive(Debug, Default, Deserialize)]
struct RawInput {
    #[serde(rename = "ServerId", default)]
    server_id: Option<Value>,
    #[serde(rename = "MaxResults", default)]
    max_results: Option<Value>,
    #[serde(rename = "NextToken", default)]
    next_token: Option<Value>,
}

/// Reads the body: empty means `{}` (spec §0.1); anything else must be one JSON object.
fn parse_body(body: &str) -> Result<RawInput, String> {
    let trimmed = body.trim_start();
    if trimmed.is_empty() {
        return Ok(RawInput::default());
    }
    if !trimmed.starts_with('{') {
        return Err(match serde_json::from_str::<Value>(body) {
            Ok(v) => {
                format!("The request body must be a JSON object, not a JSON {}.", aws_json::json_kind(&v))
            }
            Err(e) => format!("The request body is not valid JSON: {e}."),
        });
    }
    serde_json::from_str::<RawInput>(body).map_err(|e| format!("The request body is not valid JSON: {e}."))
}

fn wrong_type(member: &str, expected: &str, found: &Value) -> String {
    format!(
        "Member '{member}' must be a JSON {expected}, but the request has a {}.",
        aws_json::json_kind(found)
    )
}

/// A string member: absent, or its text; any other JSON type is a serialization error.
fn string_member<'a>(value: &'a Option<Value>, member: &str) -> Result<Option<&'a str>, String> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(wrong_type(member, "string", other)),
    }
}

/// An integer member: absent, or its value; a non-integer is a serialization error. Values beyond `i64`
/// are clamped (they break the range constraint either way).
fn integer_member(value: &Option<Value>, member: &str) -> Result<Option<i64>, String> {
    match value {
        None => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Ok(Some(i))
            } else if n.as_u64().is_some() {
                Ok(Some(i64::MAX))
            } else {
                Err(format!("Member '{member}' must be an integer, but the request has {n}."))
            }
        }
        Some(other) => Err(wrong_type(member, "number", other)),
    }
}

/// The printed pattern of `ServerId` in each flavour: botocore's unanchored text for Coral (as LocalStack
/// prints it), the Smithy model's anchored text for Smithy.
fn server_id_pattern(style: ValidationStyle) -> &'static str {
    match style {
        ValidationStyle::Coral => "s-([0-9a-f]{17})",
        ValidationStyle::Smithy => "^s-([0-9a-f]{17})$",
    }
}

fn violation(coral: &str, smithy: &str, length: Option<usize>, constraint: String) -> Violation {
    Violation { coral_path: coral.to_string(), smithy_path: smithy.to_string(), length, constraint }
}

/// Every constraint `ServerId` breaks: required, length 19..19, pattern `^s-([0-9a-f]{17})$`.
pub fn server_id_violations(style: ValidationStyle, value: Option<&str>) -> Vec<Violation> {
    let Some(id) = value else {
        return vec![violation("serverId", "/ServerId", None, "Member must not be null".to_string())];
    };
    let mut out = Vec::new();
    let len = id.chars().count();
    if len != 19 {
        let constraint = aws_json::length_constraint(style, len, 19, 19);
        out.push(violation("serverId", "/ServerId", Some(len), constraint));
    }
    if !super::is_valid_server_id(id) {
        let constraint =
            format!("Member must satisfy regular expression pattern: {}", server_id_pattern(style));
        out.push(violation("serverId", "/ServerId", None, constraint));
    }
    out
}

/// Constraints of ListServers: `MaxResults` 1..1000, `NextToken` length 1..6144.
fn list_violations(style: ValidationStyle, max: Option<i64>, token: Option<&str>) -> Vec<Violation> {
    let mut out = Vec::new();
    if let Some(m) = max {
        let constraint = match style {
            ValidationStyle::Smithy if !(1..=MAX_RESULTS as i64).contains(&m) => {
                Some(format!("Member must be between 1 and {MAX_RESULTS}, inclusive"))
            }
            ValidationStyle::Coral if m < 1 => {
                Some("Member must have value greater than or equal to 1".into())
            }
            ValidationStyle::Coral if m > MAX_RESULTS as i64 => {
                Some(format!("Member must have value less than or equal to {MAX_RESULTS}"))
            }
            _ => None,
        };
        if let Some(c) = constraint {
            out.push(violation("maxResults", "/MaxResults", None, c));
        }
    }
    if let Some(t) = token {
        let len = t.chars().count();
        if !(1..=6144).contains(&len) {
            let c = aws_json::length_constraint(style, len, 1, 6144);
            out.push(violation("nextToken", "/NextToken", Some(len), c));
        }
    }
    out
}

/// The `Server` member of DescribeServer (botocore shape `DescribedServer`; only `Arn` is required).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribedServer<'a> {
    arn: String,
    domain: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint_details: Option<EndpointDetails>,
    endpoint_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_key_fingerprint: Option<String>,
    identity_provider_type: &'a str,
    protocol_details: ProtocolDetails,
    protocols: &'a [String],
    s3_storage_options: S3StorageOptions,
    security_policy_name: &'static str,
    server_id: &'a str,
    state: &'static str,
    structured_log_destinations: [&'static str; 0],
    tags: [&'static str; 0],
    user_count: u32,
}

/// `EndpointDetails` (shown for VPC endpoints, as the DescribeServer documentation says).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EndpointDetails {
    security_group_ids: Vec<String>,
    subnet_ids: Vec<String>,
    vpc_id: String,
}

/// `ProtocolDetails` with the service defaults (`PassiveIp` AUTO, `TlsSessionResumptionMode` ENFORCED).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProtocolDetails {
    #[serde(skip_serializing_if = "Option::is_none")]
    as2_transports: Option<[&'static str; 1]>,
    passive_ip: &'static str,
    set_stat_option: &'static str,
    tls_session_resumption_mode: &'static str,
}

/// `S3StorageOptions` (directory listing optimisation is off by default).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct S3StorageOptions {
    directory_listing_optimization: &'static str,
}

/// One item of ListServers (botocore shape `ListedServer`; `Arn` required).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListedServer<'a> {
    arn: String,
    domain: &'static str,
    endpoint_type: &'a str,
    identity_provider_type: &'a str,
    server_id: &'a str,
    state: &'static str,
    user_count: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeServerResponse<'a> {
    server: DescribedServer<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListServersResponse<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
    servers: Vec<ListedServer<'a>>,
}

/// A stable pseudo-identifier derived from the server id (no randomness, so views stay stable).
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

fn described(account: &Account, s: &Server) -> String {
    let is_vpc = s.endpoint_type == "VPC";
    let sftp = s.protocols.iter().any(|p| p == "SFTP");
    let as2 = s.protocols.iter().any(|p| p == "AS2");
    let body = DescribeServerResponse {
        server: DescribedServer {
            arn: account.arn(&s.id),
            domain: "S3",
            endpoint_details: is_vpc.then(|| EndpointDetails {
                security_group_ids: vec![format!("sg-{}", derived_hex(&s.id, 3, 17))],
                subnet_ids: vec![format!("subnet-{}", derived_hex(&s.id, 2, 17))],
                vpc_id: format!("vpc-{}", derived_hex(&s.id, 1, 17)),
            }),
            endpoint_type: &s.endpoint_type,
            host_key_fingerprint: sftp.then(|| format!("SHA256:{}=", derived_hex(&s.id, 4, 42))),
            identity_provider_type: &s.identity_provider_type,
            protocol_details: ProtocolDetails {
                as2_transports: as2.then_some(["HTTP"]),
                passive_ip: "AUTO",
                set_stat_option: "DEFAULT",
                tls_session_resumption_mode: "ENFORCED",
            },
            protocols: &s.protocols,
            s3_storage_options: S3StorageOptions { directory_listing_optimization: "DISABLED" },
            security_policy_name: "TransferSecurityPolicy-2018-11",
            server_id: &s.id,
            state: s.state.as_str(),
            structured_log_destinations: [],
            tags: [],
            user_count: s.user_count,
        },
    };
    serde_json::to_string(&body).unwrap_or_default()
}

fn listed<'a>(account: &Account, s: &'a Server) -> ListedServer<'a> {
    ListedServer {
        arn: account.arn(&s.id),
        domain: "S3",
        endpoint_type: &s.endpoint_type,
        identity_provider_type: &s.identity_provider_type,
        server_id: &s.id,
        state: s.state.as_str(),
        user_count: s.user_count,
    }
}

/// ListServers' `NextToken`: the hex of the next server id (opaque to clients, deterministic here).
pub fn encode_token(server_id: &str) -> String {
    let mut out = String::with_capacity(server_id.len() * 2);
    for b in server_id.bytes() {
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// Inverse of [`encode_token`]; `None` unless it decodes to a well-formed server id.
pub fn decode_token(token: &str) -> Option<String> {
    if token.len() != 38 {
        return None;
    }
    let bytes = token.as_bytes();
    let mut out = String::with_capacity(19);
    for pair in bytes.chunks(2) {
        let hi = char::from(*pair.first()?).to_digit(16)?;
        let lo = char::from(*pair.get(1)?).to_digit(16)?;
        out.push(char::from((hi * 16 + lo) as u8));
    }
    super::is_valid_server_id(&out).then_some(out)
}

/// What an operation handler needs besides the account.
struct Request<'r, 'c, 'a> {
    /// The simulation context.
    ctx: &'c mut Ctx<'a>,
    /// The request id drawn for this exchange.
    request_id: &'r str,
}

fn spec_for(op: Option<Operation>) -> &'static str {
    match op {
        Some(Operation::StopServer) | None => "stop-apis.md §1",
        Some(_) => "stop-apis.md §1.4",
    }
}

/// Answers one request (see the module doc for the order of checks).
pub fn handle(
    account: &mut Account,
    throttle: &mut Throttle,
    faults: &TransferFaults,
    req: &WireRequest,
    ctx: &mut Ctx,
) -> Outcome {
    let request_id = ctx.rng.uuid();
    let profile = ctx.settings.status_profile;
    let error =
        |e: TransferError, op: Option<Operation>, server: Option<&str>, diagnosis: Diagnosis| Outcome {
            response: e.to_response(profile, &request_id),
            operation: op.map(|o| o.name().to_string()),
            server: server.map(str::to_string),
            diagnosis,
        };

    // 1. Framing: is this an awsJson 1.1 request for one of our operations?
    let op = match aws_json::claim(req, TARGET_PREFIX) {
        Ok(name) => match Operation::parse(name) {
            Some(op) => op,
            None => {
                let target = req.header("X-Amz-Target").unwrap_or("").to_string();
                let why = format!(
                    "{} The simulator models TransferService.StopServer, StartServer, DescribeServer and \
                     ListServers; the awsJson framework answers UnknownOperationException for anything else.",
                    Unclaimed::UnknownTarget(target).explain()
                );
                let d = Diagnosis::new(why, "stop-apis.md §0.4 (T12)", Confidence::Unconfirmed);
                return error(TransferError::UnknownOperation, None, None, d);
            }
        },
        Err(unclaimed) => {
            let d = Diagnosis::new(
                unclaimed_why(req, &unclaimed),
                unclaimed_spec(&unclaimed),
                Confidence::Unconfirmed,
            );
            return error(TransferError::UnknownOperation, None, None, d);
        }
    };

    // 2. Authentication (opt-in; signatures are never verified).
    if ctx.settings.require_aws_auth && req.header("Authorization").is_none() {
        let d = Diagnosis::new(
            "The scenario requires AWS credentials and the request has no Authorization header, so the AWS \
             front end refuses it before the operation runs (MissingAuthenticationToken, 403, per the Transfer \
             Family Common Errors page). Signatures themselves are never checked by the simulator.",
            "stop-apis.md §0.4",
            Confidence::Unconfirmed,
        )
        .with_setting("require_aws_auth");
        return error(TransferError::MissingAuthenticationToken, Some(op), None, d);
    }

    // 3. Injected throttling.
    if throttle.over_limit(ctx.now, faults.throttle_per_second) {
        let limit = faults.throttle_per_second.unwrap_or(0);
        let listed = matches!(op, Operation::StopServer | Operation::StartServer);
        let why = format!(
            "Injected throttling: more than {limit} Transfer request(s) in this simulated second. The error \
             type is the model's ThrottlingException with RetryAfterSeconds as a string in the body (awsJson \
             ignores the model's Retry-After header binding); its status is 400 in the API reference and 429 \
             in the service model.{}",
            if listed {
                ""
            } else {
                " The model does not list ThrottlingException for this operation; the Common Errors page \
                 lists it for every action."
            }
        );
        let d = Diagnosis::new(why, "stop-apis.md §1.3 (T21)", Confidence::Primary)
            .with_setting("status_profile");
        return error(TransferError::Throttling { retry_after_seconds: 1 }, Some(op), None, d);
    }

    // 4. Body: JSON object, member types.
    let input = match parse_body(&req.body) {
        Ok(i) => i,
        Err(message) => return serialization(&error, op, message),
    };
    let style = ctx.settings.validation_style;
    match op {
        Operation::StopServer | Operation::StartServer | Operation::DescribeServer => {
            let id = match string_member(&input.server_id, "ServerId") {
                Ok(id) => id,
                Err(message) => return serialization(&error, op, message),
            };
            // 5. Modeled constraints.
            let violations = server_id_violations(style, id);
            if !violations.is_empty() {
                return validation(&error, op, id, style, &violations);
            }
            let id = id.unwrap_or("");
            // 6. Injected server-side faults.
            if let Some(out) = injected_fault(&error, faults, op, Some(id), ctx) {
                return out;
            }
            let mut r = Request { ctx, request_id: &request_id };
            match op {
                Operation::StopServer => stop_server(account, faults, &mut r, id, &error),
                Operation::StartServer => start_server(account, &mut r, id, &error),
                _ => describe_server(account, &r, id, &error),
            }
        }
        Operation::ListServers => {
            let max = match integer_member(&input.max_results, "MaxResults") {
                Ok(m) => m,
                Err(message) => return serialization(&error, op, message),
            };
            let token = match string_member(&input.next_token, "NextToken") {
                Ok(t) => t,
                Err(message) => return serialization(&error, op, message),
            };
            let violations = list_violations(style, max, token);
            if !violations.is_empty() {
                return validation(&error, op, None, style, &violations);
            }
            if let Some(out) = injected_fault(&error, faults, op, None, ctx) {
                return out;
            }
            list_servers(account, &request_id, max, token, &error)
        }
    }
}

type ErrorFn<'e> = dyn Fn(TransferError, Option<Operation>, Option<&str>, Diagnosis) -> Outcome + 'e;

fn serialization(error: &ErrorFn, op: Operation, message: String) -> Outcome {
    let why = format!(
        "{message} A body that does not parse, or a member of the wrong JSON type, is rejected before \
         validation with the framework's SerializationException."
    );
    let d = Diagnosis::new(why, "stop-apis.md §0.4 (T10, T11)", Confidence::Unconfirmed);
    error(TransferError::Serialization { message }, Some(op), None, d)
}

fn validation(
    error: &ErrorFn,
    op: Operation,
    id: Option<&str>,
    style: ValidationStyle,
    violations: &[Violation],
) -> Outcome {
    let message = aws_json::validation_message(style, violations);
    let constraints: Vec<&str> = violations.iter().map(|v| v.constraint.as_str()).collect();
    let why = format!(
        "The request breaks {} modeled constraint(s): {}. Neither Transfer's model nor its documentation says \
         which error the service sends for this; the simulator answers the framework's ValidationException \
         in the {} wording. (botocore checks only required members and minimum length before sending, so \
         SDK requests with a too-long or mis-patterned id do reach the service.)",
        violations.len(),
        constraints.join("; "),
        match style {
            ValidationStyle::Coral => "Coral (real AWS services)",
            ValidationStyle::Smithy => "Smithy server framework",
        }
    );
    let d = Diagnosis::new(why, "stop-apis.md §0.4, §1.1 (T4–T9)", Confidence::Unconfirmed)
        .with_setting("validation_style");
    error(TransferError::Validation { message }, Some(op), id, d)
}

fn injected_fault(
    error: &ErrorFn,
    faults: &TransferFaults,
    op: Operation,
    id: Option<&str>,
    ctx: &mut Ctx,
) -> Option<Outcome> {
    let (e, rate_name) = if ctx.rng.chance(faults.internal_error_rate) {
        (TransferError::InternalServiceError, "internal_error_rate")
    } else if ctx.rng.chance(faults.unavailable_rate) {
        (TransferError::ServiceUnavailable, "unavailable_rate")
    } else {
        return None;
    };
    let why = format!(
        "Injected fault (faults.transfer.{rate_name}): the service answers {} and nothing changes. Server \
         errors are 500 in the API reference and 503 in the service model.",
        e.type_name()
    );
    let d =
        Diagnosis::new(why, "stop-apis.md §1.3 (T22)", Confidence::Primary).with_setting("status_profile");
    Some(error(e, Some(op), id, d))
}

fn not_found(error: &ErrorFn, op: Operation, id: &str, profile: StatusProfile) -> Outcome {
    let e = TransferError::ResourceNotFound { server_id: id.to_string() };
    let why = format!(
        "{id} is a well-formed server id but no such server exists in this account and region, so the \
         service answers ResourceNotFoundException with Message, Resource and ResourceType \"Server\". The \
         status is 400 in the API reference and 404 in the service model (now {}); the message text is \
         LocalStack's, the real one is not published.",
        e.status(profile)
    );
    let d = Diagnosis::new(why, "stop-apis.md §1.3 (T3)", Confidence::Primary).with_setting("status_profile");
    error(e, Some(op), Some(id), d)
}

fn empty_success(r: &Request, op: Operation, id: &str, diagnosis: Diagnosis) -> Outcome {
    let body = r.ctx.settings.transfer.empty_object_body.then(|| "{}".to_string());
    Outcome {
        response: aws_json::success(r.request_id, body),
        operation: Some(op.name().to_string()),
        server: Some(id.to_string()),
        diagnosis,
    }
}

fn body_note(r: &Request) -> &'static str {
    if r.ctx.settings.transfer.empty_object_body {
        " The body is {} because the scenario asks for it (SDKs accept either an empty body or {})."
    } else {
        " The operation has no output, so the body is empty (the protocol still sends its Content-Type)."
    }
}

const SAMPLE_RESPONSE_NOTE: &str = "The StopServer API reference shows a sample response \
    {\"ServerId\": \"s-01234567890abcdef\"}, but the same page's Response Elements section says the body is \
    empty, botocore has no output shape for StopServer and the Smithy model declares smithy.api#Unit: the \
    sample is a documentation error, and SDKs return only ResponseMetadata.";

fn stop_server(
    account: &mut Account,
    faults: &TransferFaults,
    r: &mut Request,
    id: &str,
    error: &ErrorFn,
) -> Outcome {
    let op = Operation::StopServer;
    let profile = r.ctx.settings.status_profile;
    let Some(verdict) = account.stop_server(id, faults.stop_failure_rate, r.ctx) else {
        return not_found(error, op, id, profile);
    };
    match verdict {
        StopVerdict::Stopping(t) => {
            let ending = match t.failure {
                None => "then OFFLINE".to_string(),
                Some(StopFailure::ServerDefinition) => {
                    "then STOP_FAILED (this server is defined with stop_fails; the ServerOffline waiter treats \
                     STOP_FAILED as failure)"
                        .to_string()
                }
                Some(StopFailure::InjectedRate) => format!(
                    "then STOP_FAILED (injected by faults.transfer.stop_failure_rate = {}; the ServerOffline \
                     waiter treats STOP_FAILED as failure)",
                    faults.stop_failure_rate
                ),
            };
            let retry = if t.from == super::models::State::Online {
                String::new()
            } else {
                format!(" Stopping from {} is allowed as a retry [U].", t.from.as_str())
            };
            let why = format!(
                "{id} was {} and goes to STOPPING at once, {ending} at {}.{retry}{}",
                t.from.as_str(),
                t.due,
                body_note(r)
            );
            let confidence = if t.from == super::models::State::Online {
                Confidence::Primary
            } else {
                Confidence::Unconfirmed
            };
            let d = Diagnosis::new(why, "stop-apis.md §1.2, §1.4 (T1, T23)", confidence)
                .with_doc_note(SAMPLE_RESPONSE_NOTE)
                .with_setting("transfer.empty_object_body");
            empty_success(r, op, id, d)
        }
        StopVerdict::NoOpOffline => {
            let why = format!(
                "{id} is already OFFLINE. Nothing documents StopServer on an OFFLINE server; the simulator \
                 answers 200 and changes nothing, mirroring StartServer's documented no-op on an ONLINE \
                 server (switchable to InvalidRequestException).{}",
                body_note(r)
            );
            let d = Diagnosis::new(why, "stop-apis.md §1.5 (T17)", Confidence::Unconfirmed)
                .with_doc_note(SAMPLE_RESPONSE_NOTE)
                .with_setting("transfer.stop_when_offline");
            empty_success(r, op, id, d)
        }
        StopVerdict::NoOpStopping => {
            let due =
                account.get(id).and_then(|s| s.transition).map(|t| t.due.to_string()).unwrap_or_default();
            let why = format!(
                "{id} is already STOPPING (due {due}); a repeated StopServer is answered 200 and changes \
                 nothing [U].{}",
                body_note(r)
            );
            let d = Diagnosis::new(why, "stop-apis.md §1.5 (T18)", Confidence::Unconfirmed)
                .with_doc_note(SAMPLE_RESPONSE_NOTE)
                .with_setting("transfer.empty_object_body");
            empty_success(r, op, id, d)
        }
        StopVerdict::RefusedOffline => {
            let message = format!("Server {id} is OFFLINE and cannot be stopped.");
            let d = Diagnosis::new(
                format!(
                    "{id} is already OFFLINE and the scenario makes StopServer refuse it with \
                     InvalidRequestException (the default is a 200 no-op; neither is documented)."
                ),
                "stop-apis.md §1.5 (T17)",
                Confidence::Unconfirmed,
            )
            .with_setting("transfer.stop_when_offline");
            error(TransferError::InvalidRequest { message }, Some(op), Some(id), d)
        }
        StopVerdict::RefusedStarting => {
            let message = format!("Server {id} is STARTING and cannot be stopped until it is ONLINE.");
            let d = Diagnosis::new(
                format!(
                    "{id} is STARTING. The simulator refuses to stop a server that is still starting with \
                     the model's InvalidRequestException (status 400 in both profiles); the real behaviour and \
                     message text are not documented."
                ),
                "stop-apis.md §1.5 (T19)",
                Confidence::Unconfirmed,
            );
            error(TransferError::InvalidRequest { message }, Some(op), Some(id), d)
        }
    }
}

fn start_server(account: &mut Account, r: &mut Request, id: &str, error: &ErrorFn) -> Outcome {
    let op = Operation::StartServer;
    let profile = r.ctx.settings.status_profile;
    let Some(verdict) = account.start_server(id, r.ctx) else {
        return not_found(error, op, id, profile);
    };
    match verdict {
        StartVerdict::Starting(t) => {
            let (why_more, confidence) = if t.from == super::models::State::Offline {
                (String::new(), Confidence::Primary)
            } else {
                (
                    format!(" Starting from {} is allowed as a retry [U].", t.from.as_str()),
                    Confidence::Unconfirmed,
                )
            };
            let why = format!(
                "{id} was {} and goes to STARTING at once, then ONLINE at {} (starting \"can take a couple of \
                 minutes\").{why_more}{}",
                t.from.as_str(),
                t.due,
                body_note(r)
            );
            let d = Diagnosis::new(why, "stop-apis.md §1.4", confidence)
                .with_setting("transfer.empty_object_body");
            empty_success(r, op, id, d)
        }
        StartVerdict::NoOpOnline => {
            let why = format!(
                "{id} is already ONLINE; StartServer \"has no impact on a server that is already ONLINE\", so \
                 the answer is 200 and nothing changes.{}",
                body_note(r)
            );
            let d = Diagnosis::new(why, "stop-apis.md §1.5", Confidence::Primary)
                .with_setting("transfer.empty_object_body");
            empty_success(r, op, id, d)
        }
        StartVerdict::NoOpStarting => {
            let why = format!(
                "{id} is already STARTING; a repeated StartServer is answered 200 and changes nothing [U].{}",
                body_note(r)
            );
            let d = Diagnosis::new(why, "stop-apis.md §1.5", Confidence::Unconfirmed)
                .with_setting("transfer.empty_object_body");
            empty_success(r, op, id, d)
        }
        StartVerdict::RefusedStopping => {
            let message = format!("Server {id} is STOPPING and cannot be started until it is OFFLINE.");
            let d = Diagnosis::new(
                format!(
                    "{id} is STOPPING. The simulator refuses to start a server that is still stopping with \
                     InvalidRequestException, the mirror image of StopServer on a STARTING server [U]."
                ),
                "stop-apis.md §1.5",
                Confidence::Unconfirmed,
            );
            error(TransferError::InvalidRequest { message }, Some(op), Some(id), d)
        }
    }
}

fn describe_server(account: &Account, r: &Request, id: &str, error: &ErrorFn) -> Outcome {
    let op = Operation::DescribeServer;
    let Some(server) = account.get(id) else {
        return not_found(error, op, id, r.ctx.settings.status_profile);
    };
    let waiter = match server.state {
        super::models::State::Offline => " The ServerOffline waiter would succeed now.",
        super::models::State::StopFailed => " The ServerOffline waiter would stop with a failure now.",
        super::models::State::Online => " The ServerOnline waiter would succeed now.",
        super::models::State::StartFailed => " The ServerOnline waiter would stop with a failure now.",
        _ => " Waiters keep polling (every 30 s, up to 120 times).",
    };
    let why = format!(
        "{id} exists; DescribeServer returns its properties under \"Server\" with State {}.{waiter}",
        server.state.as_str()
    );
    let d = Diagnosis::new(why, spec_for(Some(op)), Confidence::Primary);
    Outcome {
        response: aws_json::success(r.request_id, Some(described(account, server))),
        operation: Some(op.name().to_string()),
        server: Some(id.to_string()),
        diagnosis: d,
    }
}

fn list_servers(
    account: &Account,
    request_id: &str,
    max: Option<i64>,
    token: Option<&str>,
    error: &ErrorFn,
) -> Outcome {
    let op = Operation::ListServers;
    let start = match token {
        None => None,
        Some(t) => match decode_token(t) {
            Some(id) => Some(id),
            None => {
                let d = Diagnosis::new(
                    "The NextToken was not issued by this service (tokens are opaque: pass back exactly the \
                     NextToken a previous ListServers returned), so the model's InvalidNextTokenException is \
                     answered.",
                    "stop-apis.md §1.4",
                    Confidence::Unconfirmed,
                );
                return error(TransferError::InvalidNextToken, Some(op), None, d);
            }
        },
    };
    let page = max.map_or(MAX_RESULTS, |m| m.clamp(1, MAX_RESULTS as i64) as u64) as usize;
    let mut iter = account.iter_from(start.as_deref());
    let servers: Vec<ListedServer> = iter.by_ref().take(page).map(|s| listed(account, s)).collect();
    let next_token = iter.next().map(|s| encode_token(&s.id));
    let why = format!(
        "ListServers returns {} server(s) of {} in id order{}.",
        servers.len(),
        account.len(),
        if next_token.is_some() { "; NextToken continues the listing" } else { "; this is the last page" }
    );
    let body = serde_json::to_string(&ListServersResponse { next_token, servers }).unwrap_or_default();
    Outcome {
        response: aws_json::success(request_id, Some(body)),
        operation: Some(op.name().to_string()),
        server: None,
        diagnosis: Diagnosis::new(why, spec_for(Some(op)), Confidence::Primary),
    }
}

fn unclaimed_spec(unclaimed: &Unclaimed) -> &'static str {
    match unclaimed {
        Unclaimed::Method(_) | Unclaimed::Path(_) => "stop-apis.md §0.4 (T16)",
        Unclaimed::ContentType(_) => "stop-apis.md §0.1, §0.4 (T15)",
        Unclaimed::NoTarget => "stop-apis.md §0.4, §7 (T14)",
        Unclaimed::UnknownTarget(_) => "stop-apis.md §0.4 (T12, T13)",
    }
}

/// The explanation for a request the protocol does not claim; the doc-portal curl of §7 gets the full list
/// of what is wrong with it and the corrected request.
fn unclaimed_why(req: &WireRequest, unclaimed: &Unclaimed) -> String {
    let mut why = unclaimed.explain();
    why.push_str(" The awsJson framework answers UnknownOperationException (status 400, no message).");
    let fragment_target = req.target.contains("#X-Amz-Target=");
    if *unclaimed == Unclaimed::NoTarget && fragment_target {
        let mut wrong = vec!["the X-Amz-Target sits in the URL fragment, which curl never sends".to_string()];
        if req.target.contains('{') {
            wrong.push("the host still holds a {region} placeholder".to_string());
        }
        match req.header("Content-Type") {
            Some(ct) if aws_json::media_type(ct).eq_ignore_ascii_case(aws_json::CONTENT_TYPE) => {}
            Some(ct) => wrong.push(format!("the content type is {ct}, not application/x-amz-json-1.1")),
            None => wrong.push("there is no Content-Type".to_string()),
        }
        if req.body.trim().is_empty() {
            wrong.push("there is no body, so no ServerId".to_string());
        }
        why.push_str(&format!(
            " This is the request as a documentation portal prints it; what is wrong: {}. The request that \
             works: POST / with headers Content-Type: application/x-amz-json-1.1 and X-Amz-Target: \
             TransferService.StopServer, body {{\"ServerId\": \"s-01234567890abcdef\"}}; it answers 200 with \
             an empty body, not the portal's generic {{\"success\": true, …}} sample.",
            wrong.join("; ")
        ));
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_odd_bodies() {
        assert!(parse_body("").unwrap().server_id.is_none());
        assert!(parse_body(" \n ").unwrap().server_id.is_none());
        assert!(parse_body("{\"ServerId\":").unwrap_err().contains("not valid JSON"));
        assert!(parse_body("[1]").unwrap_err().contains("array"));
        assert!(parse_body("\"x\"").unwrap_err().contains("string"));
        assert!(parse_body("{} x").is_err());
        let i = parse_body(r#"{"ServerId":"s-0123456789abcdef0","Foo":1}"#).unwrap();
        assert_eq!(string_member(&i.server_id, "ServerId"), Ok(Some("s-0123456789abcdef0")));
        let i = parse_body(r#"{"ServerId":null}"#).unwrap();
        assert_eq!(string_member(&i.server_id, "ServerId"), Ok(None));
        let i = parse_body(r#"{"ServerId":123}"#).unwrap();
        assert!(string_member(&i.server_id, "ServerId").unwrap_err().contains("number"));
    }

    #[test]
    fn server_id_constraints_are_all_listed() {
        let c = ValidationStyle::Coral;
        assert_eq!(server_id_violations(c, Some("s-0123456789abcdef0")), vec![]);
        assert_eq!(server_id_violations(c, None)[0].constraint, "Member must not be null");
        // 18 characters: both length and pattern.
        let v = server_id_violations(c, Some("s-0123456789abcdef"));
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].constraint, "Member must have length greater than or equal to 19");
        assert!(v[1].constraint.ends_with("pattern: s-([0-9a-f]{17})"));
        let v = server_id_violations(c, Some("s-0123456789abcdef01"));
        assert_eq!(v[0].constraint, "Member must have length less than or equal to 19");
        assert_eq!(server_id_violations(c, Some("s-0123456789ABCDEF0")).len(), 1);
        assert_eq!(server_id_violations(c, Some("x-0123456789abcdef0")).len(), 1);
        // Multi-byte text never panics and counts characters.
        let v = server_id_violations(c, Some("s-é123456789abcdef0"));
        assert_eq!(v.len(), 1);
        let v = server_id_violations(ValidationStyle::Smithy, Some(""));
        assert_eq!(v[0].length, Some(0));
        assert!(v[1].constraint.ends_with("^s-([0-9a-f]{17})$"));
    }

    #[test]
    fn list_constraints() {
        let c = ValidationStyle::Coral;
        assert!(list_violations(c, Some(1), Some("x")).is_empty());
        assert!(list_violations(c, Some(1000), None).is_empty());
        assert_eq!(list_violations(c, Some(0), None).len(), 1);
        assert_eq!(list_violations(c, Some(1001), Some("")).len(), 2);
        assert_eq!(
            list_violations(ValidationStyle::Smithy, Some(-5), None)[0].constraint,
            "Member must be between 1 and 1000, inclusive"
        );
        assert!(integer_member(&Some(serde_json::json!(2.5)), "MaxResults").is_err());
        assert_eq!(integer_member(&Some(serde_json::json!(u64::MAX)), "MaxResults"), Ok(Some(i64::MAX)));
    }

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        let t = encode_token("s-0000000000000000a");
        assert_eq!(t.len(), 38);
        assert_eq!(decode_token(&t).as_deref(), Some("s-0000000000000000a"));
        assert_eq!(decode_token("abc"), None);
        assert_eq!(decode_token(&"zz".repeat(19)), None);
        assert_eq!(decode_token(&encode_token("s-XYZ0000000000000a")), None);
        assert_eq!(decode_token(&"é".repeat(19)), None);
    }
}
