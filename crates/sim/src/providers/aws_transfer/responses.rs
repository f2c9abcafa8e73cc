//! The Transfer Family wire: request members, their validation, the output shapes with the model's exact
//! member names, and one handler per operation that calls the model and builds the response with its
//! [`Diagnosis`].
//!
//! Output shapes (`DescribedServer`, `ListedServer`) are serde structs with the model's member names,
//! borrowing from the server's profile. Diagnoses on the success paths are built by `push_str`, which keeps a
//! request to a few allocations (the core's throughput goal is 500,000 requests per second on one core).
//!
//! Processing order for every request (spec §0, §1): awsJson framing (method, path, target, content type) →
//! `require_aws_auth` → injected throttling → body parsing and JSON types (`SerializationException`) →
//! modeled constraints (`ValidationException`) → injected `InternalServiceError` / `ServiceUnavailableException`
//! → the operation (lookup, state rules). Unknown body members are ignored.

use super::errors::TransferError;
use super::models::{Account, Profile, StartVerdict, State, StopFailure, StopVerdict};
use super::routes::{self, Route};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::{
    self, AwsJsonOperation, Expected, Unclaimed, Unreadable, Unrouted, Violation,
};
use crate::providers::{json_body, Ctx, Outcome, Throttle};
use crate::scenario::{StatusProfile, TransferFaults, ValidationStyle};
use crate::wire::WireRequest;
use serde::Serialize;
use serde_json::Value;

/// Default and largest page of ListServers (`MaxResults` is 1..1000 in the model; the default when it is
/// omitted is not documented [U]).
pub const MAX_RESULTS: u64 = 1000;

/// The request members of all four operations; each operation reads only its own. `null` counts as absent.
#[derive(Debug, Default)]
struct RawInput {
    server_id: Option<Value>,
    max_results: Option<Value>,
    next_token: Option<Value>,
}

/// Reads the body as the framework does (`aws_json::parse_object`) and picks Transfer's input members.
fn parse_body(body: &str) -> Result<RawInput, Unreadable> {
    let map = aws_json::parse_object(body)?;
    let member = |name: &str| map.get(name).filter(|v| !v.is_null()).cloned();
    Ok(RawInput {
        server_id: member("ServerId"),
        max_results: member("MaxResults"),
        next_token: member("NextToken"),
    })
}

/// A string member: absent, or its text; any other JSON type is a serialization error.
fn string_member<'a>(value: &'a Option<Value>, member: &str) -> Result<Option<&'a str>, Unreadable> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(Unreadable::wrong_type(member, other, Expected::String)),
    }
}

/// An integer member: absent, or its value; a non-integer is a serialization error. Values beyond `i64`
/// (`u64`, or whole numbers beyond 64 bits) are clamped: they break the range constraint either way. A number
/// written with a fraction or an exponent (`1.5`, `1.0`, `1e2`) is not an integer to the framework [U].
fn integer_member(value: &Option<Value>, member: &str) -> Result<Option<i64>, Unreadable> {
    match value {
        None => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                return Ok(Some(i));
            }
            if n.as_u64().is_some() {
                return Ok(Some(i64::MAX));
            }
            // Beyond 64 bits a whole number is read as a float; it is clamped like the others.
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() >= 9_223_372_036_854_775_808.0 => {
                    Ok(Some(if f > 0.0 { i64::MAX } else { i64::MIN }))
                }
                _ => Err(Unreadable::wrong_type(
                    member,
                    value.as_ref().unwrap_or(&Value::Null),
                    Expected::Integer,
                )),
            }
        }
        Some(other) => Err(Unreadable::wrong_type(member, other, Expected::Integer)),
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

/// Appends `t` as `SimTime` displays it (`T+00:01:30`, `T+00:01:30.250`), without the formatting machinery.
fn push_time(out: &mut String, t: crate::time::SimTime) {
    let ms = t.as_millis();
    let secs = ms / 1000;
    let two = |out: &mut String, v: u64| {
        if v < 10 {
            out.push('0');
        }
        aws_json::push_u64(out, v);
    };
    out.push_str("T+");
    two(out, secs / 3600);
    out.push(':');
    two(out, (secs / 60) % 60);
    out.push(':');
    two(out, secs % 60);
    let frac = ms % 1000;
    if frac != 0 {
        out.push('.');
        if frac < 100 {
            out.push('0');
        }
        if frac < 10 {
            out.push('0');
        }
        aws_json::push_u64(out, frac);
    }
}

/// DescribeServer's output `{"Server": DescribedServer}`.
#[derive(Serialize)]
struct DescribeServerOutput<'a> {
    #[serde(rename = "Server")]
    server: DescribedServer<'a>,
}

/// The botocore shape `DescribedServer` (only `Arn` is required). Members in the model's order: `Arn`,
/// `ProtocolDetails`, `Domain`, `EndpointDetails` (VPC servers, as the operation's documentation says),
/// `EndpointType`, `HostKeyFingerprint` (SFTP servers), `IdentityProviderType`, `Protocols`,
/// `SecurityPolicyName`, `ServerId`, `State`, `Tags`, `UserCount`, `StructuredLogDestinations`,
/// `S3StorageOptions`. `LoggingRole` and the other optional members are omitted (the simulated servers have
/// none).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DescribedServer<'a> {
    arn: &'a str,
    protocol_details: ProtocolDetails,
    domain: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint_details: Option<EndpointDetails<'a>>,
    endpoint_type: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    host_key_fingerprint: Option<&'a str>,
    identity_provider_type: &'a str,
    protocols: &'a [String],
    security_policy_name: &'static str,
    server_id: &'a str,
    state: &'static str,
    tags: [&'static str; 0],
    user_count: u32,
    structured_log_destinations: [&'static str; 0],
    s3_storage_options: S3StorageOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ProtocolDetails {
    passive_ip: &'static str,
    tls_session_resumption_mode: &'static str,
    set_stat_option: &'static str,
    /// AS2 servers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    as2_transports: Option<[&'static str; 1]>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EndpointDetails<'a> {
    subnet_ids: [&'a str; 1],
    vpc_id: &'a str,
    security_group_ids: [&'a str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct S3StorageOptions {
    directory_listing_optimization: &'static str,
}

impl<'a> DescribedServer<'a> {
    fn of(p: &'a Profile, state: State) -> Self {
        DescribedServer {
            arn: &p.arn,
            protocol_details: ProtocolDetails {
                passive_ip: "AUTO",
                tls_session_resumption_mode: "ENFORCED",
                set_stat_option: "DEFAULT",
                as2_transports: p.protocols.iter().any(|x| x == "AS2").then_some(["HTTP"]),
            },
            domain: "S3",
            endpoint_details: p.vpc.as_ref().map(|vpc| EndpointDetails {
                subnet_ids: [&vpc.subnet_id],
                vpc_id: &vpc.vpc_id,
                security_group_ids: [&vpc.security_group_id],
            }),
            endpoint_type: &p.endpoint_type,
            host_key_fingerprint: p.host_key_fingerprint.as_deref(),
            identity_provider_type: &p.identity_provider_type,
            protocols: &p.protocols,
            security_policy_name: "TransferSecurityPolicy-2018-11",
            server_id: &p.id,
            state: state.as_str(),
            tags: [],
            user_count: p.user_count,
            structured_log_destinations: [],
            s3_storage_options: S3StorageOptions { directory_listing_optimization: "DISABLED" },
        }
    }
}

/// ListServers' output `{"Servers": [ListedServer], "NextToken"?}`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListServersOutput<'a> {
    servers: Vec<ListedServer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// The botocore shape `ListedServer` (`Arn` required): `Arn`, `Domain`, `IdentityProviderType`,
/// `EndpointType`, `ServerId`, `State`, `UserCount`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListedServer<'a> {
    arn: &'a str,
    domain: &'static str,
    identity_provider_type: &'a str,
    endpoint_type: &'a str,
    server_id: &'a str,
    state: &'static str,
    user_count: u32,
}

/// ListServers' `NextToken`: the hex of the next server id (opaque to clients, deterministic here).
pub fn encode_token(server_id: &str) -> String {
    hex::encode(server_id)
}

/// Inverse of [`encode_token`]; `None` unless it decodes to a well-formed server id.
pub fn decode_token(token: &str) -> Option<String> {
    let id = String::from_utf8(hex::decode(token).ok()?).ok()?;
    super::is_valid_server_id(&id).then_some(id)
}

/// What an operation handler needs besides the account.
struct Request<'r, 'c, 'a> {
    /// The simulation context.
    ctx: &'c mut Ctx<'a>,
    /// The request id drawn for this exchange.
    request_id: &'r str,
}

fn spec_for(op: Option<Route>) -> &'static str {
    match op {
        Some(Route::StopServer) | None => "stop-apis.md §1",
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
    // Every error answer goes through here, so every diagnosis says where its message text comes from.
    let error = |e: TransferError, op: Option<Route>, server: Option<&str>, diagnosis: Diagnosis| Outcome {
        response: e.to_response(profile, &request_id),
        operation: op.map(|o| o.name().to_string()),
        server: server.map(str::to_string),
        diagnosis: diagnosis.with_message_text(e.message_text()),
    };

    // 1. Framing: is this an awsJson 1.1 request for one of our operations?
    let op = match routes::route(req) {
        Ok(op) => op,
        Err(Unrouted::UnknownOperation(name)) => {
            let target = req.header("X-Amz-Target").unwrap_or("");
            let known = Route::names();
            let (mut why, _) =
                aws_json::explain_unknown_operation("Transfer", target, name, &known, Route::NOT_MODELLED);
            why.push_str(
                " The awsJson framework answers UnknownOperationException (status 400, no message).",
            );
            // The spec's vector T12 is the plural `StopServers`.
            let spec = if name == "StopServers" { "stop-apis.md §0.4 (T12)" } else { "stop-apis.md §0.4" };
            let d = Diagnosis::new(why, spec, Confidence::Unconfirmed);
            return error(TransferError::UnknownOperation, None, None, d);
        }
        Err(Unrouted::Unclaimed(unclaimed)) => {
            let d = Diagnosis::new(
                unclaimed_why(req, &unclaimed),
                unclaimed_spec(&unclaimed),
                Confidence::Unconfirmed,
            );
            return error(TransferError::UnknownOperation, None, None, d);
        }
    };

    // 2. Authentication (opt-in; signatures are never verified).
    if let Some(d) = aws_json::credentials_gate(req, ctx.settings, "Transfer Family") {
        return error(TransferError::MissingAuthenticationToken, Some(op), None, d);
    }

    // 3. Injected throttling.
    if throttle.over_limit(ctx.now, faults.throttle_per_second) {
        let limit = faults.throttle_per_second.unwrap_or(0);
        let listed = matches!(op, Route::StopServer | Route::StartServer);
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
        Err(unreadable) => return serialization(&error, op, unreadable),
    };
    let style = ctx.settings.validation_style;
    match op {
        Route::StopServer | Route::StartServer | Route::DescribeServer => {
            let id = match string_member(&input.server_id, "ServerId") {
                Ok(id) => id,
                Err(unreadable) => return serialization(&error, op, unreadable),
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
                Route::StopServer => stop_server(account, faults, &mut r, id, &error),
                Route::StartServer => start_server(account, &mut r, id, &error),
                _ => describe_server(account, &r, id, &error),
            }
        }
        Route::ListServers => {
            let max = match integer_member(&input.max_results, "MaxResults") {
                Ok(m) => m,
                Err(unreadable) => return serialization(&error, op, unreadable),
            };
            let token = match string_member(&input.next_token, "NextToken") {
                Ok(t) => t,
                Err(unreadable) => return serialization(&error, op, unreadable),
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

type ErrorFn<'e> = dyn Fn(TransferError, Option<Route>, Option<&str>, Diagnosis) -> Outcome + 'e;

fn serialization(error: &ErrorFn, op: Route, Unreadable { message, why }: Unreadable) -> Outcome {
    let why = format!(
        "{why} A body that does not parse, or a member of the wrong JSON type, is rejected before \
         validation with the framework's SerializationException."
    );
    let d = Diagnosis::new(why, "stop-apis.md §0.4 (T10, T11)", Confidence::Unconfirmed);
    error(TransferError::Serialization { message }, Some(op), None, d)
}

fn validation(
    error: &ErrorFn,
    op: Route,
    id: Option<&str>,
    style: ValidationStyle,
    violations: &[Violation],
) -> Outcome {
    let constraints: Vec<&str> = violations.iter().map(|v| v.constraint.as_str()).collect();
    let why = format!(
        "The request breaks {} modeled constraint(s): {}. Neither Transfer's model nor its documentation says \
         which error the service sends for this; the simulator answers the framework's ValidationException \
         {} (botocore checks only required members and minimum length before sending, so SDK requests with \
         a too-long or mis-patterned id do reach the service.)",
        violations.len(),
        constraints.join("; "),
        aws_json::validation_style_note(style, "Message")
    );
    let d = Diagnosis::new(why, "stop-apis.md §0.4, §1.1 (T4–T9)", Confidence::Unconfirmed)
        .with_setting("validation_style");
    let violations = violations.to_vec();
    error(TransferError::Validation { style, violations }, Some(op), id, d)
}

fn injected_fault(
    error: &ErrorFn,
    faults: &TransferFaults,
    op: Route,
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

fn not_found(error: &ErrorFn, op: Route, id: &str, profile: StatusProfile) -> Outcome {
    let e = TransferError::ResourceNotFound { server_id: id.to_string() };
    let why = format!(
        "{id} is a well-formed server id but no such server exists in this account and region, so the \
         service answers ResourceNotFoundException with Message, Resource and ResourceType \"Server\". The \
         status is 400 in the API reference and 404 in the service model (now {}).",
        e.status(profile)
    );
    let d = Diagnosis::new(why, "stop-apis.md §1.3 (T3)", Confidence::Primary).with_setting("status_profile");
    error(e, Some(op), Some(id), d)
}

fn empty_success(r: &Request, op: Route, id: &str, diagnosis: Diagnosis) -> Outcome {
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
    let op = Route::StopServer;
    let profile = r.ctx.settings.status_profile;
    let Some(verdict) = account.stop_server(id, faults.stop_failure_rate, r.ctx) else {
        return not_found(error, op, id, profile);
    };
    match verdict {
        StopVerdict::Stopping(t) => {
            // Built with push_str rather than format!: this is the hottest success path.
            let mut why = String::with_capacity(320);
            why.push_str(id);
            why.push_str(" was ");
            why.push_str(t.from.as_str());
            why.push_str(" and goes to STOPPING at once, then ");
            match t.failure {
                None => why.push_str("OFFLINE"),
                Some(StopFailure::ServerDefinition) => why.push_str(
                    "STOP_FAILED (this server is defined with stop_fails; the ServerOffline waiter treats \
                     STOP_FAILED as failure)",
                ),
                Some(StopFailure::InjectedRate) => why.push_str(&format!(
                    "STOP_FAILED (injected by faults.transfer.stop_failure_rate = {}; the ServerOffline waiter \
                     treats STOP_FAILED as failure)",
                    crate::scenario::rate_text(faults.stop_failure_rate)
                )),
            }
            why.push_str(" at ");
            push_time(&mut why, t.due);
            why.push('.');
            if t.from != State::Online {
                why.push_str(" Stopping from ");
                why.push_str(t.from.as_str());
                why.push_str(" is allowed as a retry [U].");
            }
            why.push_str(body_note(r));
            let confidence =
                if t.from == State::Online { Confidence::Primary } else { Confidence::Unconfirmed };
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
                     the model's InvalidRequestException (status 400 in both profiles); the real behaviour is not \
                     documented."
                ),
                "stop-apis.md §1.5 (T19)",
                Confidence::Unconfirmed,
            );
            error(TransferError::InvalidRequest { message }, Some(op), Some(id), d)
        }
    }
}

fn start_server(account: &mut Account, r: &mut Request, id: &str, error: &ErrorFn) -> Outcome {
    let op = Route::StartServer;
    let profile = r.ctx.settings.status_profile;
    let Some(verdict) = account.start_server(id, r.ctx) else {
        return not_found(error, op, id, profile);
    };
    match verdict {
        StartVerdict::Starting(t) => {
            let (why_more, confidence) = if t.from == State::Offline {
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
    let op = Route::DescribeServer;
    let Some(server) = account.get(id) else {
        return not_found(error, op, id, r.ctx.settings.status_profile);
    };
    let output = DescribeServerOutput { server: DescribedServer::of(server.profile, server.state) };
    let body = json_body(&output, 768);
    let waiter = match server.state {
        State::Offline => " The ServerOffline waiter would succeed now.",
        State::StopFailed => " The ServerOffline waiter would stop with a failure now.",
        State::Online => " The ServerOnline waiter would succeed now.",
        State::StartFailed => " The ServerOnline waiter would stop with a failure now.",
        _ => " Waiters keep polling (every 30 s, up to 120 times).",
    };
    let mut why = String::with_capacity(160);
    why.push_str(id);
    why.push_str(" exists; DescribeServer returns its properties under \"Server\" with State ");
    why.push_str(server.state.as_str());
    why.push('.');
    why.push_str(waiter);
    let d = Diagnosis::new(why, spec_for(Some(op)), Confidence::Primary);
    Outcome {
        response: aws_json::success(r.request_id, Some(body)),
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
    let op = Route::ListServers;
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
    let servers: Vec<ListedServer> = iter
        .by_ref()
        .take(page)
        .map(|s| ListedServer {
            arn: &s.profile.arn,
            domain: "S3",
            identity_provider_type: &s.profile.identity_provider_type,
            endpoint_type: &s.profile.endpoint_type,
            server_id: &s.profile.id,
            state: s.state.as_str(),
            user_count: s.profile.user_count,
        })
        .collect();
    let count = servers.len();
    let next_token = iter.next().map(|s| encode_token(&s.profile.id));
    let has_next = next_token.is_some();
    let body = json_body(&ListServersOutput { servers, next_token }, 64 + 256 * count);
    let why = format!(
        "ListServers returns {count} server(s) of {} in id order{}.",
        account.len(),
        if has_next { "; NextToken continues the listing" } else { "; this is the last page" }
    );
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
        let message = |body: &str| parse_body(body).map(|_| ()).unwrap_err().message;
        assert_eq!(
            message("{\"ServerId\":"),
            "Could not parse the request body as JSON: EOF while parsing a value at line 1 column 12"
        );
        assert_eq!(message("[1]"), "START_ARRAY can not be converted to a Structure");
        assert_eq!(message("\"x\""), "STRING_VALUE can not be converted to a Structure");
        assert!(parse_body("{} x").is_err());
        let i = parse_body(r#"{"ServerId":"s-0123456789abcdef0","Foo":1}"#).unwrap();
        assert_eq!(string_member(&i.server_id, "ServerId"), Ok(Some("s-0123456789abcdef0")));
        let i = parse_body(r#"{"ServerId":null}"#).unwrap();
        assert_eq!(string_member(&i.server_id, "ServerId"), Ok(None));
        let i = parse_body(r#"{"ServerId":123}"#).unwrap();
        let wrong = string_member(&i.server_id, "ServerId").unwrap_err();
        assert_eq!(wrong.message, "NUMBER_VALUE can not be converted to a String");
        assert_eq!(wrong.why, "Member 'ServerId' must be a JSON string but is a number.");
        let i = parse_body(r#"{"MaxResults":1.5}"#).unwrap();
        let fraction = integer_member(&i.max_results, "MaxResults").unwrap_err();
        assert_eq!(fraction.message, "NUMBER_VALUE can not be converted to an Integer");
        assert_eq!(fraction.why, "Member 'MaxResults' must be a JSON integer but is the number 1.5.");
        for (huge, clamped) in [("18446744073709551616", i64::MAX), ("-9223372036854775809", i64::MIN)] {
            let i = parse_body(&format!(r#"{{"MaxResults":{huge}}}"#)).unwrap();
            assert_eq!(integer_member(&i.max_results, "MaxResults"), Ok(Some(clamped)), "{huge}");
        }
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
        assert!(integer_member(&Some(serde_json::from_str::<Value>("2.5").unwrap()), "MaxResults").is_err());
        assert_eq!(integer_member(&Some(Value::from(u64::MAX)), "MaxResults"), Ok(Some(i64::MAX)));
    }

    #[test]
    fn hand_written_numbers_and_times_match_display() {
        for ms in [0u64, 7, 90_000, 3_723_250, 45_000_010, 360_000_000_001, u64::MAX] {
            let t = crate::time::SimTime(ms);
            let mut out = String::new();
            push_time(&mut out, t);
            assert_eq!(out, t.to_string());
        }
        for n in [0u64, 9, 10, 4_294_967_295, u64::MAX] {
            let mut out = String::new();
            aws_json::push_u64(&mut out, n);
            assert_eq!(out, n.to_string());
        }
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
