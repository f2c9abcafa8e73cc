//! Lightsail on the wire: request checks in the order the service applies them, input validation, the
//! output shapes (serde structs with the model's member names, at the end of this file), response assembly,
//! and the diagnosis of every answer.
//!
//! Order of checks for a request: awsJson framing (→ `UnknownOperationException`), authentication
//! (`require_aws_auth` → the framework's `MissingAuthenticationTokenException` 403, shared with Transfer in
//! `aws_json`; `faults.lightsail.unauthenticated` → `UnauthenticatedException`), injected throttling
//! (→ `ThrottlingException`), account/Region setup faults, body parsing and member types
//! (→ `SerializationException`), required members (→ `ValidationException`), the `ResourceName` pattern
//! (→ `InvalidInputException` or `ValidationException` per `settings.lightsail.name_error`), the injected
//! `ServiceException` draw, then the operation itself (→ `NotFoundException`, state rules). The order of the
//! framework stages is the simulator's choice [U]; it follows how a service framework runs (authenticate,
//! throttle, deserialize, validate, dispatch).

use super::errors::{ErrorType, LightsailError};
use super::models::{blueprint, bundle, Instance, InstanceState};
use super::models::{Account, OpStatus, Operation, Refusal, StartKind, StopKind, StuckCause};
use super::routes::{self, Op, Unrouted, NOT_MODELLED, TARGET_PREFIX};
use super::{Backend, EPOCH_BASE_SECS};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::{self, Expected, Unclaimed, Unreadable, Violation};
use crate::providers::{json_body, Ctx, Outcome};
use crate::scenario::{LightsailNameError, ValidationStyle};
use crate::time::SimTime;
use crate::wire::WireRequest;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

/// Instances per `GetInstances` page (the real page size is unknown [U]).
pub const GET_INSTANCES_PAGE_SIZE: usize = 25;

/// The `Instance` shape of the instance at `index`.
fn instance_shape(b: &Backend, index: usize) -> Option<InstanceShape<'_>> {
    let (inst, fixed) = (b.account.instance(index)?, b.fixed.get(index)?);
    Some(InstanceShape::of(inst, fixed, &b.availability_zone, &b.region))
}

/// The `Operation` shape of `op`.
fn operation_shape<'b>(b: &'b Backend, op: &'b Operation) -> OperationShape<'b> {
    let resource_name = b.account.instance(op.instance).map_or("", |i| i.name.as_str());
    OperationShape::of(op, resource_name, &b.availability_zone, &b.region)
}

// ---------------------------------------------------------------------------------------------------------
// Request handling.

/// A refused request: the error and why (boxed: the success path stays small).
struct Fail(Box<Refused>);

struct Refused {
    error: LightsailError,
    diagnosis: Diagnosis,
}

impl Fail {
    fn new(error: LightsailError, diagnosis: Diagnosis) -> Self {
        Fail(Box::new(Refused { error, diagnosis }))
    }
}

/// Everything about the current request the stages need.
struct Request<'r> {
    op: Op,
    request_id: String,
    server: Option<String>,
    req: &'r WireRequest,
}

impl Request<'_> {
    fn success(self, body: String, diagnosis: Diagnosis) -> Outcome {
        Outcome {
            response: aws_json::success(&self.request_id, Some(body)),
            operation: Some(self.op.name().to_string()),
            server: self.server,
            diagnosis,
        }
    }

    /// Every refused request ends here, so every diagnosis says where its message text comes from.
    fn failure(self, fail: Fail, ctx: &Ctx) -> Outcome {
        let Refused { error, diagnosis } = *fail.0;
        let response = error.render(ctx.settings.status_profile, self.op.name(), &self.request_id);
        let mut diagnosis = diagnosis.with_message_text(error.message_text());
        if let Some(note) = error.members_note() {
            diagnosis.why.push_str(&note);
        }
        Outcome { response, operation: Some(self.op.name().to_string()), server: self.server, diagnosis }
    }
}

/// Answers one request (see the module doc for the order of checks).
pub fn handle(b: &mut Backend, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
    let request_id = ctx.rng.uuid();
    let op = match routes::route(req) {
        Ok(op) => op,
        Err(Unrouted::Unclaimed(unclaimed)) => return unclaimed_outcome(&unclaimed, &request_id),
        Err(Unrouted::UnknownOperation(name)) => {
            let target = Unclaimed::UnknownTarget(format!("{TARGET_PREFIX}{name}"));
            return unclaimed_outcome(&target, &request_id);
        }
    };
    let mut request = Request { op, request_id, server: None, req };
    match run(b, &mut request, ctx) {
        Ok((body, diagnosis)) => request.success(body, diagnosis),
        Err(fail) => request.failure(fail, ctx),
    }
}

fn unclaimed_outcome(unclaimed: &Unclaimed, request_id: &str) -> Outcome {
    let framework =
        " The awsJson framework answers UnknownOperationException before Lightsail sees the request.";
    let (why, vector) = match unclaimed {
        Unclaimed::UnknownTarget(target) => {
            let op = target.strip_prefix(TARGET_PREFIX).unwrap_or(target);
            let known = Op::ALL.map(Op::name);
            let (mut why, miss) =
                aws_json::explain_unknown_operation("Lightsail", target, op, &known, &NOT_MODELLED);
            why.push_str(framework);
            // The spec's vectors: L17 is the plural `StopInstances`, L18 a mis-cased `StopInstance`.
            let vector = match miss {
                Some(aws_json::NearMiss::Case("StopInstance")) => ", L18",
                Some(aws_json::NearMiss::Close("StopInstance")) if op == "StopInstances" => ", L17",
                _ => "",
            };
            (why, vector)
        }
        other => (format!("{}{framework}", other.explain()), ""),
    };
    Outcome {
        response: aws_json::unknown_operation(request_id),
        operation: None,
        server: None,
        diagnosis: Diagnosis::new(why, format!("stop-apis.md §0.1, §0.4{vector}"), Confidence::Unconfirmed),
    }
}

type Answer = Result<(String, Diagnosis), Fail>;

fn run(b: &mut Backend, r: &mut Request, ctx: &mut Ctx) -> Answer {
    framework_gates(b, r, ctx)?;
    let body = parse_body(&r.req.body)?;
    match r.op {
        Op::StopInstance => {
            let name = string_member(&body, "instanceName")?;
            let force = bool_member(&body, "force")?;
            let name = valid_name(name, "instanceName", r, ctx)?;
            service_fault(b, ctx)?;
            stop_instance(b, name, force.unwrap_or(false), force.is_some(), ctx)
        }
        Op::StartInstance => {
            let name = string_member(&body, "instanceName")?;
            let name = valid_name(name, "instanceName", r, ctx)?;
            service_fault(b, ctx)?;
            start_instance(b, name, ctx)
        }
        Op::GetInstance | Op::GetInstanceState => {
            let name = string_member(&body, "instanceName")?;
            let name = valid_name(name, "instanceName", r, ctx)?;
            service_fault(b, ctx)?;
            let index = find(&b.account, name, r.op)?;
            let Some(inst) = b.account.instance(index) else { return Err(not_found(name, r.op)) };
            let state = inst.state;
            let mut why = String::with_capacity(name.len() + 24);
            why.push_str(name);
            why.push_str(" is ");
            why.push_str(state.name());
            why.push_str(" (code ");
            aws_json::push_u64(&mut why, u64::from(state.code()));
            why.push_str(").");
            let body = if r.op == Op::GetInstance {
                let Some(instance) = instance_shape(b, index) else { return Err(not_found(name, r.op)) };
                json_body(&GetInstanceOutput { instance }, 1536)
            } else {
                json_body(&GetInstanceStateOutput { state: StateShape::of(state) }, 48)
            };
            Ok((body, instance_diagnosis(why)))
        }
        Op::GetInstances => {
            let token = string_member(&body, "pageToken")?;
            service_fault(b, ctx)?;
            get_instances(b, token)
        }
        Op::GetOperation => {
            let id = string_member(&body, "operationId")?;
            let id = valid_operation_id(id, r, ctx)?;
            service_fault(b, ctx)?;
            get_operation(b, id)
        }
    }
}

/// Authentication, throttling and account-level faults, before the body is read.
fn framework_gates(b: &mut Backend, r: &Request, ctx: &Ctx) -> Result<(), Fail> {
    let profile = ctx.settings.status_profile;
    if let Some(d) = aws_json::credentials_gate(r.req, ctx.settings, "Lightsail") {
        return Err(Fail::new(LightsailError::MissingAuthenticationToken, d));
    }
    if b.faults.unauthenticated {
        return Err(unauthenticated(
            "The scenario injects an authentication failure for every Lightsail request.",
            "faults.lightsail.unauthenticated, settings.status_profile",
            profile,
        ));
    }
    if b.throttle.over_limit(ctx.now, b.faults.throttle_per_second) {
        let limit = b.faults.throttle_per_second.unwrap_or(0);
        return Err(Fail::new(
            LightsailError::Throttling,
            Diagnosis::new(
                format!(
                    "More than {limit} Lightsail requests arrived within this simulated second, so the AWS \
                     framework throttles the request (400 ThrottlingException). Lightsail's model lists no \
                     throttling error; the name and status are the framework's usual ones [U]."
                ),
                "stop-apis.md §0.4, §2.3",
                Confidence::Unconfirmed,
            )
            .with_setting("faults.lightsail.throttle_per_second"),
        ));
    }
    if b.faults.account_setup_in_progress {
        let kind = ErrorType::AccountSetupInProgress;
        return Err(Fail::new(
            LightsailError::modeled(
                kind,
                "Your Lightsail account is still being set up. Wait a few minutes and try again.",
                "Account setup usually finishes within a few minutes of signing up. Retry the request later.",
            ),
            Diagnosis::new(
                format!(
                    "The scenario flags the account as still being set up, so every request answers \
                     AccountSetupInProgressException ({} under the {} status profile).",
                    kind.status(profile),
                    profile_name(profile)
                ),
                "stop-apis.md §2.3 (L23)",
                Confidence::Primary,
            )
            .with_doc_note(status_note(kind))
            .with_setting("faults.lightsail.account_setup_in_progress, settings.status_profile"),
        ));
    }
    if b.faults.region_setup_in_progress {
        let kind = ErrorType::RegionSetupInProgress;
        return Err(Fail::new(
            LightsailError::modeled(
                kind,
                format!("The Region {} is still being set up for your account.", b.region),
                super::errors::REGION_SETUP_TIP,
            ),
            Diagnosis::new(
                "The scenario flags the Region as still being set up (an opt-in Region just enabled), so every \
                 request answers RegionSetupInProgressException. No source gives its HTTP status: the simulator \
                 sends 400 under both profiles [U] (Smithy's default for a client error without an httpError \
                 code).",
                "stop-apis.md §2.3",
                Confidence::Unconfirmed,
            )
            .with_doc_note(
                "RegionSetupInProgressException appeared in botocore on 2025-08-01 and is absent from the \
                 2025-04 Smithy snapshot.",
            )
            .with_setting("faults.lightsail.region_setup_in_progress"),
        ));
    }
    Ok(())
}

fn unauthenticated(why: &str, setting: &str, profile: crate::scenario::StatusProfile) -> Fail {
    let kind = ErrorType::Unauthenticated;
    let status_why = if kind.status_unconfirmed(profile) {
        " The API reference's status for it is cut off in the retrieved page: the simulator sends 400 [U]; the \
         service model says 401."
    } else {
        " The service model gives it 401."
    };
    Fail::new(
        LightsailError::modeled(
            kind,
            "Request is not authenticated. Sign it with valid AWS credentials.",
            "Configure credentials (for example with `aws configure`) so your client signs requests with SigV4.",
        ),
        Diagnosis::new(
            format!("{why} Lightsail answers UnauthenticatedException.{status_why}"),
            "stop-apis.md §0.4, §2.3",
            if kind.status_unconfirmed(profile) { Confidence::Unconfirmed } else { Confidence::Primary },
        )
        .with_setting(setting),
    )
}

fn service_fault(b: &Backend, ctx: &mut Ctx) -> Result<(), Fail> {
    if ctx.rng.chance(b.faults.service_error_rate) {
        return Err(Fail::new(
            LightsailError::modeled(
                ErrorType::Service,
                "An internal error occurred while processing the request. Try again later.",
                "This is a transient service error. Retry the request with exponential backoff.",
            ),
            Diagnosis::new(
                format!(
                    "An injected service fault fired (probability {} per request): Lightsail answers 500 \
                     ServiceException, its only server-side error. Nothing changed.",
                    crate::scenario::rate_text(b.faults.service_error_rate)
                ),
                "stop-apis.md §2.3 (L24)",
                Confidence::Primary,
            )
            .with_setting("faults.lightsail.service_error_rate"),
        ));
    }
    Ok(())
}

fn profile_name(profile: crate::scenario::StatusProfile) -> &'static str {
    match profile {
        crate::scenario::StatusProfile::ApiReference => "api-reference",
        crate::scenario::StatusProfile::ServiceModel => "service-model",
    }
}

fn status_note(kind: ErrorType) -> String {
    let (api, model) = kind.statuses();
    format!(
        "The API reference lists {} as {api}; the Smithy service model gives it {model}. Neither is confirmed on \
         the wire; SDKs dispatch on __type, not on the status.",
        kind.type_name()
    )
}

// --- body parsing ---------------------------------------------------------------------------------------

fn serialization(Unreadable { message, why }: Unreadable, vector: &str) -> Fail {
    Fail::new(
        LightsailError::Serialization(message),
        Diagnosis::new(
            format!(
                "{why} The awsJson framework cannot deserialize the input, so it answers 400 \
                 SerializationException before Lightsail runs (name per the Smithy server docs; status \
                 [U])."
            ),
            format!("stop-apis.md §0.4{vector}"),
            Confidence::Unconfirmed,
        ),
    )
}

/// The input members of the modelled operations, read as the framework's derived input struct reads
/// them: members it does not know are skipped (checked for syntax only, so an out-of-range number or a lone
/// surrogate there is no error), `null` is absent, and the strings are borrowed from the body.
#[derive(Debug, Default, Deserialize)]
struct Input<'b> {
    #[serde(rename = "instanceName", borrow)]
    instance_name: Option<&'b str>,
    #[serde(rename = "pageToken", borrow)]
    page_token: Option<&'b str>,
    #[serde(rename = "operationId", borrow)]
    operation_id: Option<&'b str>,
    force: Option<bool>,
}

/// A parsed request body.
enum Body<'b> {
    /// Read as the input struct.
    Input(Input<'b>),
    /// Read as any JSON object, because the input struct could not read it (a member of the wrong type, a
    /// string with an escape, a member given twice): each operation checks the members it reads.
    Members(aws_json::Object),
}

fn parse_body(body: &str) -> Result<Body<'_>, Fail> {
    // When the struct cannot read the body, the body is read as the framework reads any input
    // (`aws_json::parse_object`: an empty body is `{}`), which finds and explains the problem, so both
    // readings answer alike wherever both succeed.
    if let Ok(input) = serde_json::from_str::<Input>(body) {
        return Ok(Body::Input(input));
    }
    aws_json::parse_object(body).map(Body::Members).map_err(|mut unreadable| {
        if serde_json::from_str::<Value>(body).is_err() {
            unreadable.why.push_str(request_syntax_hint(body));
        }
        serialization(unreadable, " (L16)")
    })
}

/// A hint when a body is the API reference's Request Syntax pasted as is (spec §7): its `boolean` is a
/// placeholder, not JSON.
fn request_syntax_hint(body: &str) -> &'static str {
    if body.contains("boolean") || body.contains("\"string\"") {
        " It looks like the API reference's Request Syntax pasted as is: `boolean` and \"string\" are \
         placeholders. Send real values, e.g. {\"instanceName\": \"WordPress-1\", \"force\": false}."
    } else {
        ""
    }
}

/// A string member; `null` counts as absent.
fn string_member<'a>(body: &'a Body, member: &str) -> Result<Option<&'a str>, Fail> {
    let members = match body {
        Body::Input(input) => {
            return Ok(match member {
                "instanceName" => input.instance_name,
                "pageToken" => input.page_token,
                _ => input.operation_id,
            })
        }
        Body::Members(members) => members,
    };
    match members.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(serialization(Unreadable::wrong_type(member, other, Expected::String), " (L15)")),
    }
}

/// A boolean member; `null` counts as absent.
fn bool_member(body: &Body, member: &str) -> Result<Option<bool>, Fail> {
    let members = match body {
        Body::Input(input) => return Ok(input.force),
        Body::Members(members) => members,
    };
    match members.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(v)) => Ok(Some(*v)),
        Some(other) => Err(serialization(Unreadable::wrong_type(member, other, Expected::Boolean), " (L14)")),
    }
}

/// The framework's required-member violation (`Member must not be null`).
fn required_violation(member: &str) -> Violation {
    Violation {
        coral_path: member.to_string(),
        smithy_path: format!("/{member}"),
        length: None,
        constraint: "Member must not be null".to_string(),
    }
}

/// The framework's pattern violation for `member`, printing the pattern as the flavour does (botocore's
/// unanchored text for Coral, the Smithy model's anchored one for Smithy).
fn pattern_violation(style: ValidationStyle, member: &str, (coral, smithy): (&str, &str)) -> Violation {
    let pattern = match style {
        ValidationStyle::Coral => coral,
        ValidationStyle::Smithy => smithy,
    };
    Violation {
        constraint: format!("Member must satisfy regular expression pattern: {pattern}"),
        ..required_violation(member)
    }
}

/// The `ResourceName` pattern as botocore prints it and as the Smithy model anchors it (spec §2.1).
const RESOURCE_NAME_PATTERN: (&str, &str) = (r"\w[\w\-]*\w", r"^\w[\w\-]*\w$");

/// The `operationId` pattern (`NonEmptyString`, the same text in both flavours).
const OPERATION_ID_PATTERN: (&str, &str) = (r".*\S.*", r".*\S.*");

/// Whether the value of `member` passes its pattern: `.*\S.*` for `operationId`, `ResourceName` for the
/// others (`instanceName`).
fn passes_pattern(member: &str, value: &str) -> bool {
    if member == "operationId" {
        !value.trim().is_empty()
    } else {
        super::is_valid_resource_name(value)
    }
}

/// The one rule for the value of a string input member (`instanceName`, `operationId`) before anything is
/// looked up (spec §0.4, §2.1, §2.2, §2.3): `None` when the value passes; else the error Lightsail answers
/// under `settings` (`validation_style`, `lightsail.name_error`). The request path wraps it in its diagnosis
/// ([`valid_name`], [`valid_operation_id`]); the page's validation as you type reads it through
/// [`input_error`].
fn input_rule(
    settings: &crate::scenario::Settings,
    member: &str,
    value: Option<&str>,
) -> Option<LightsailError> {
    let style = settings.validation_style;
    let violation = match value {
        None => required_violation(member),
        Some(v) if passes_pattern(member, v) => return None,
        Some(v) => match settings.lightsail.name_error {
            LightsailNameError::InvalidInput => {
                let tip = if member == "operationId" {
                    "Use the operation id exactly as a previous response returned it."
                } else {
                    "Resource names use letters, numbers, underscores and hyphens, at least two characters, \
                     and must start and end with a letter, number or underscore."
                };
                return Some(LightsailError::modeled(
                    ErrorType::InvalidInput,
                    invalid_value_message(member, v),
                    tip,
                ));
            }
            LightsailNameError::Validation => {
                let pattern =
                    if member == "operationId" { OPERATION_ID_PATTERN } else { RESOURCE_NAME_PATTERN };
                pattern_violation(style, member, pattern)
            }
        },
    };
    Some(LightsailError::Validation { style, violations: vec![violation] })
}

/// What Lightsail answers for the value of one string input member (`instanceName`, `operationId`) before
/// anything is looked up: `None` when the value passes; else the error type and the message the service
/// sends under `settings` — [`input_rule`], the rule the requests run through, so the page's validation as
/// you type shows exactly the answer a request would get.
pub fn input_error(
    settings: &crate::scenario::Settings,
    member: &str,
    value: Option<&str>,
) -> Option<(&'static str, String)> {
    input_rule(settings, member, value).map(|e| (e.type_name(), e.message().unwrap_or_default()))
}

/// `InvalidInputException`'s message for a value that breaks its pattern (the simulator's wording [U]).
fn invalid_value_message(member: &str, value: &str) -> String {
    format!("The {member} '{}' is not valid: {}.", shorten(value), explain_value(member, value))
}

/// Why `value` breaks the pattern of `member`: `.*\S.*` for `operationId` (spec §2.2), `ResourceName`
/// (spec §2.1) for the others.
fn explain_value(member: &str, value: &str) -> String {
    if member == "operationId" {
        if value.is_empty() {
            "it is empty, and an operation id must contain a non-whitespace character".to_string()
        } else {
            "it is only whitespace, and an operation id must contain a non-whitespace character".to_string()
        }
    } else {
        explain_name(value)
    }
}

/// The diagnosis of a missing member.
fn missing_diagnosis(member: &str, r: &Request, ctx: &Ctx) -> Diagnosis {
    let style = ctx.settings.validation_style;
    Diagnosis::new(
        format!(
            "{} requires '{member}' and the request has none (or null). The framework's model validation \
             answers 400 ValidationException before Lightsail runs, {} The Lightsail model lists no \
             ValidationException, and it might answer InvalidInputException instead [U].",
            r.op.name(),
            aws_json::validation_style_note(style, "message")
        ),
        "stop-apis.md §0.4, §2.3 (L7)",
        Confidence::Unconfirmed,
    )
    .with_setting("settings.validation_style")
}

/// The diagnosis of a value that breaks its pattern, answered as `error` ([`input_rule`]).
fn pattern_diagnosis(member: &str, value: &str, error: &LightsailError) -> Diagnosis {
    let operation_id = member == "operationId";
    let rule = if operation_id {
        format!("'{member}' must match .*\\S.* (spec §2.2): {}", explain_value(member, value))
    } else {
        format!(
            "'{member}' must match {} (anchored, ASCII \\w): {}",
            RESOURCE_NAME_PATTERN.0,
            explain_name(value)
        )
    };
    let (spec, setting) = match (operation_id, error) {
        (true, LightsailError::Validation { .. }) => {
            ("stop-apis.md §0.4, §2.2, §2.3", "settings.lightsail.name_error, settings.validation_style")
        }
        (true, _) => ("stop-apis.md §2.2, §2.3", "settings.lightsail.name_error"),
        (false, LightsailError::Validation { .. }) => (
            "stop-apis.md §0.4, §2.1, §2.3 (L8–L11, L13)",
            "settings.lightsail.name_error, settings.validation_style",
        ),
        (false, _) => ("stop-apis.md §2.1, §2.3 (L8–L11, L13)", "settings.lightsail.name_error"),
    };
    let why = match error {
        LightsailError::Validation { style, .. } => format!(
            "{rule}. The framework's model validation answers 400 ValidationException [U], {}",
            aws_json::validation_style_note(*style, "message")
        ),
        _ => format!(
            "{rule}. Lightsail rejects it with 400 InvalidInputException (whether the framework's \
             ValidationException comes first is unconfirmed)."
        ),
    };
    let diagnosis = Diagnosis::new(why, spec, Confidence::Unconfirmed).with_setting(setting);
    if operation_id {
        diagnosis
    } else {
        diagnosis.with_doc_note(
            "The API reference prints the pattern unanchored (\\w[\\w\\-]*\\w) while the Smithy model anchors \
             it; botocore does not check patterns client-side, so such names reach the service.",
        )
    }
}

/// Why a name breaks `\w[\w\-]*\w` (spec §2.1 consequences).
fn explain_name(name: &str) -> String {
    let w = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if name.chars().count() < 2 {
        return "names need at least two characters".to_string();
    }
    if let Some(c) = name.chars().find(|&c| !(w(c) || c == '-')) {
        return match c {
            ' ' => "spaces are not allowed".to_string(),
            '.' => "periods are not allowed".to_string(),
            c if !c.is_ascii() => format!("'{c}' is not an ASCII letter, digit or underscore"),
            c => format!("'{}' is not allowed", c.escape_default()),
        };
    }
    if name.starts_with('-') {
        return "names cannot start with a hyphen".to_string();
    }
    "names cannot end with a hyphen".to_string()
}

fn shorten(value: &str) -> String {
    if value.chars().count() <= 100 {
        value.to_string()
    } else {
        let cut: String = value.chars().take(100).collect();
        format!("{cut}…")
    }
}

fn valid_name<'a>(name: Option<&'a str>, member: &str, r: &mut Request, ctx: &Ctx) -> Result<&'a str, Fail> {
    if let Some(name) = name {
        r.server = Some(name.to_string());
    }
    checked(name, member, r, ctx)
}

fn valid_operation_id<'a>(id: Option<&'a str>, r: &Request, ctx: &Ctx) -> Result<&'a str, Fail> {
    checked(id, "operationId", r, ctx)
}

/// [`input_rule`] on the request path: the value, or the error with its diagnosis.
fn checked<'a>(value: Option<&'a str>, member: &str, r: &Request, ctx: &Ctx) -> Result<&'a str, Fail> {
    let Some(error) = input_rule(ctx.settings, member, value) else {
        // The rule passes only a present value.
        return Ok(value.unwrap_or_default());
    };
    let diagnosis = match value {
        Some(value) => pattern_diagnosis(member, value, &error),
        None => missing_diagnosis(member, r, ctx),
    };
    Err(Fail::new(error, diagnosis))
}

// --- operations -----------------------------------------------------------------------------------------

fn not_found(name: &str, op: Op) -> Fail {
    Fail::new(
        LightsailError::modeled(
            ErrorType::NotFound,
            format!("The Instance does not exist: {}", shorten(name)),
            "Check the instance name (names are case-sensitive) and the AWS Region. GetInstances lists the \
             instances in this Region.",
        ),
        Diagnosis::new(
            format!(
                "No instance called '{}' exists in this Region, so {} answers NotFoundException with code \
                 DoesNotExist.{}",
                shorten(name),
                op.name(),
                if name == "string" {
                    " (\"string\" is the API reference's placeholder: use a real name such as WordPress-1.)"
                } else {
                    ""
                }
            ),
            "stop-apis.md §2.3 (L6)",
            Confidence::Primary,
        )
        .with_doc_note(status_note(ErrorType::NotFound))
        .with_setting("settings.status_profile"),
    )
}

fn find(account: &Account, name: &str, op: Op) -> Result<usize, Fail> {
    account.find(name).ok_or_else(|| not_found(name, op))
}

fn instance_diagnosis(why: String) -> Diagnosis {
    Diagnosis::new(why, "stop-apis.md §2.4", Confidence::Primary).with_doc_note(
        "Only code 16 (running) is confirmed for Lightsail; 0 pending, 64 stopping and 80 stopped are the EC2 \
         codes, assumed [U].",
    )
}

fn operations_body(b: &Backend, serial: u64) -> String {
    let operations = b.account.operation(serial).map(|op| operation_shape(b, op)).into_iter().collect();
    json_body(&OperationsOutput { operations }, 384)
}

fn seconds(from: SimTime, to: Option<SimTime>) -> String {
    match to {
        Some(t) => {
            let ms = t.as_millis().saturating_sub(from.as_millis());
            format!("{}.{:03} s", ms / 1000, ms % 1000)
        }
        None => "never (stuck)".to_string(),
    }
}

fn stop_instance(b: &mut Backend, name: &str, force: bool, force_given: bool, ctx: &mut Ctx) -> Answer {
    let index = find(&b.account, name, Op::StopInstance)?;
    let stuck_rate = b.faults.stuck_rate;
    let now = ctx.now;
    match b.account.stop(index, force, stuck_rate, ctx) {
        Ok(accepted) => {
            let body = operations_body(b, accepted.op);
            let after = seconds(now, accepted.due);
            let diagnosis = match accepted.kind {
                StopKind::Started if force => Diagnosis::new(
                    format!(
                        "{name} was running. force: true is documented for instances stuck in stopping only; on a \
                         running instance the simulator does a normal stop: running → stopping (64), stopped (80) \
                         after {after}. The public IP is released then unless a static IP is attached."
                    ),
                    "stop-apis.md §2.1, §2.5",
                    Confidence::Unconfirmed,
                ),
                StopKind::Started => Diagnosis::new(
                    format!(
                        "{name} was running, so the stop starts: running → stopping (64), stopped (80) after \
                         {after}. The response is the Started operation (isTerminal false); it becomes Succeeded \
                         when the instance is stopped.{}",
                        if force_given { " force: false is the same as omitting it." } else { "" }
                    ),
                    "stop-apis.md §2.2, §2.4 (L1, L2)",
                    Confidence::Primary,
                )
                .with_doc_note(
                    "Codes 64 and 80 are EC2's; only 16 (running) is confirmed for Lightsail [U]. The public IP is \
                     released when the stop completes unless a static IP is attached.",
                )
                .with_setting("settings.lightsail.stopping"),
                StopKind::StartedStuck(cause) => {
                    let (reason, setting) = match cause {
                        StuckCause::Fleet => {
                            ("the fleet definition marks this instance as one whose stops hang", "fleet.lightsail[].stuck")
                        }
                        StuckCause::Fault => ("the injected stuck-stop fault fired", "faults.lightsail.stuck_rate"),
                    };
                    Diagnosis::new(
                        format!(
                            "{name} was running and the stop starts (running → stopping), but {reason}: it stays \
                             in stopping until StopInstance is sent with force: true. The operation stays Started."
                        ),
                        "stop-apis.md §2.1, §2.4",
                        Confidence::Unconfirmed,
                    )
                    .with_setting(setting)
                }
                StopKind::AlreadyStopping { stuck } => Diagnosis::new(
                    format!(
                        "{name} is already stopping, and force is not set: Lightsail accepts the call with a new \
                         Started operation and nothing changes [U].{}",
                        if stuck {
                            " The instance is stuck: only StopInstance with force: true will finish the stop."
                        } else {
                            " The stop already in progress completes as scheduled; this operation succeeds with it."
                        }
                    ),
                    "stop-apis.md §2.5 (L21, L22)",
                    Confidence::Unconfirmed,
                ),
                StopKind::Forced { was_stuck, kept_earlier } => Diagnosis::new(
                    format!(
                        "{name} is {}in stopping and force: true is set — the documented use of force — so the \
                         stop is forced: stopped after {after}.{}",
                        if was_stuck { "stuck " } else { "" },
                        if kept_earlier { " (The normal completion was due sooner, so it was kept.)" } else { "" }
                    ),
                    "stop-apis.md §2.1, §2.5 (L3)",
                    Confidence::Primary,
                )
                .with_doc_note("The purpose of force is documented; how long a forced stop takes is not [U].")
                .with_setting("settings.lightsail.forced_stop"),
                StopKind::AlreadyStopped => Diagnosis::new(
                    format!(
                        "{name} is already stopped. The scenario answers 200 with a new operation that is \
                         complete at once (Succeeded, isTerminal true); nothing changes. No source says what \
                         Lightsail does here [U]."
                    ),
                    "stop-apis.md §2.5 (L19)",
                    Confidence::Unconfirmed,
                )
                .with_setting("settings.lightsail.stop_when_stopped"),
            };
            Ok((body, diagnosis))
        }
        Err(refusal) => Err(refused(name, refusal)),
    }
}

fn start_instance(b: &mut Backend, name: &str, ctx: &mut Ctx) -> Answer {
    let index = find(&b.account, name, Op::StartInstance)?;
    let now = ctx.now;
    match b.account.start(index, ctx) {
        Ok(accepted) => {
            let body = operations_body(b, accepted.op);
            let after = seconds(now, accepted.due);
            let diagnosis = match accepted.kind {
                StartKind::Started { new_ip } => {
                    let ip = b.account.instance(index).and_then(|i| i.public_ip.clone()).unwrap_or_default();
                    Diagnosis::new(
                        format!(
                            "{name} was stopped, so it starts: stopped → pending (0), running (16) after {after}. {}",
                            if new_ip {
                                format!("It gets a new public IP ({ip}) because no static IP is attached.")
                            } else {
                                format!("Its static IP {ip} stays attached.")
                            }
                        ),
                        "stop-apis.md §2.1, §2.4",
                        Confidence::Primary,
                    )
                    .with_doc_note("Code 0 for pending is EC2's, assumed for Lightsail [U].")
                    .with_setting("settings.lightsail.pending")
                }
                StartKind::AlreadyPending => Diagnosis::new(
                    format!(
                        "{name} is already starting (pending): the call is accepted with a new Started operation \
                         and nothing changes [U]."
                    ),
                    "stop-apis.md §2.4, §2.5",
                    Confidence::Unconfirmed,
                ),
            };
            Ok((body, diagnosis))
        }
        Err(refusal) => Err(refused(name, refusal)),
    }
}

fn refused(name: &str, refusal: Refusal) -> Fail {
    let (message, tip, why, spec, setting) = match refusal {
        Refusal::StopPending => (
            format!("The instance {name} is pending and cannot be stopped until it is running."),
            "Wait until the instance state is running (GetInstanceState), then stop it.",
            format!(
                "{name} is still starting (pending). Stopping a pending instance is refused with 400 \
                     InvalidInputException [U]."
            ),
            "stop-apis.md §2.3, §2.5 (L20)",
            None,
        ),
        Refusal::StopStopped => (
            format!("The instance {name} is already stopped."),
            "No action is needed. To start it again, use StartInstance.",
            format!(
                "{name} is already stopped. The scenario answers 400 InvalidInputException (the alternative \
                     is 200 with a new operation); no source says which Lightsail does [U]."
            ),
            "stop-apis.md §2.5 (L19)",
            Some("settings.lightsail.stop_when_stopped"),
        ),
        Refusal::StartRunning => (
            format!("The instance {name} is already running."),
            "No action is needed. To stop it, use StopInstance.",
            format!("{name} is already running; starting it is refused with 400 InvalidInputException [U]."),
            "stop-apis.md §2.3, §2.4",
            None,
        ),
        Refusal::StartStopping => (
            format!("The instance {name} is stopping and cannot be started until it is stopped."),
            "Wait until the instance state is stopped (GetInstanceState), then start it.",
            format!("{name} is still stopping; starting it is refused with 400 InvalidInputException [U]."),
            "stop-apis.md §2.3, §2.4",
            None,
        ),
    };
    let mut diagnosis = Diagnosis::new(why, spec, Confidence::Unconfirmed);
    if let Some(setting) = setting {
        diagnosis = diagnosis.with_setting(setting);
    }
    Fail::new(LightsailError::modeled(ErrorType::InvalidInput, message, tip), diagnosis)
}

fn page_token(offset: usize) -> String {
    format!("fleetplay-page-{offset:08x}")
}

fn parse_page_token(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("fleetplay-page-")?;
    // Eight hex digits exactly: the integer parser alone would also take a leading `+`.
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    usize::from_str_radix(hex, 16).ok()
}

fn get_instances(b: &Backend, token: Option<&str>) -> Answer {
    let total = b.account.instances.len();
    let start = match token {
        None => 0,
        Some(t) => match parse_page_token(t).filter(|&o| o > 0 && o < total) {
            Some(offset) => offset,
            None => return Err(Fail::new(
                LightsailError::modeled(
                    ErrorType::InvalidInput,
                    "The page token is not valid.",
                    "Use the nextPageToken value of the previous GetInstances response unchanged, or omit \
                         pageToken to get the first page.",
                ),
                Diagnosis::new(
                    "pageToken is not a token this simulated account issued; Lightsail rejects it with \
                         InvalidInputException [U].",
                    "stop-apis.md §2.4",
                    Confidence::Unconfirmed,
                ),
            )),
        },
    };
    let end = start.saturating_add(GET_INSTANCES_PAGE_SIZE).min(total);
    let next_page_token = (end < total).then(|| page_token(end));
    let instances = (start..end).filter_map(|index| instance_shape(b, index)).collect();
    let body = json_body(&GetInstancesOutput { instances, next_page_token }, 64 + 1536 * (end - start));
    let why = format!(
        "Instances {}–{} of {total} in this Region{}.",
        if end > start { start + 1 } else { 0 },
        end,
        if end < total { "; nextPageToken fetches the rest" } else { "" }
    );
    Ok((body, instance_diagnosis(why)))
}

fn get_operation(b: &Backend, id: &str) -> Answer {
    match b.account.operation_by_id(id) {
        Some(op) => {
            let body = json_body(&GetOperationOutput { operation: operation_shape(b, op) }, 384);
            let resource = b.account.instance(op.instance).map_or("", |i| i.name.as_str());
            let why = match op.status {
                OpStatus::Started => format!(
                    "Operation {} ({} of {resource}) has not finished: status Started, isTerminal false.",
                    op.id,
                    op.op_type.name(),
                ),
                OpStatus::Succeeded => format!(
                    "Operation {} ({} of {resource}) finished: status Succeeded, isTerminal true, statusChangedAt \
                     is when the instance reached its target state.",
                    op.id,
                    op.op_type.name(),
                ),
            };
            Ok((
                body,
                Diagnosis::new(why, "stop-apis.md §2.2, §2.4 (L4)", Confidence::Primary).with_doc_note(
                    "That an operation succeeds exactly when the instance reaches its target state is the \
                     simulator's pairing [U].",
                ),
            ))
        }
        None => Err(Fail::new(
            LightsailError::modeled(
                ErrorType::NotFound,
                format!("The Operation does not exist: {}", shorten(id)),
                "Use an operation id returned by a recent request in this AWS Region.",
            ),
            Diagnosis::new(
                format!("No operation with id '{}' is known in this Region.", shorten(id)),
                "stop-apis.md §2.3",
                Confidence::Unconfirmed,
            )
            .with_doc_note(status_note(ErrorType::NotFound))
            .with_setting("settings.status_profile"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Output shapes: `Instance`, `InstanceState` and `Operation` as serde structs.
//
// Member names and order follow the botocore model (BC-LS) and the AWS CLI examples (CLI-LS). Timestamps are
// epoch seconds as an `f64` (serde_json prints the shortest round-trip form, `.0` for whole seconds), a
// bundle's RAM an `f32` (`0.5`, `1.0`). What never changes in an `Instance` (its ARN and its `hardware` and
// `networking` objects, about two thirds of its text) is written once per instance when the fleet loads
// ([`FixedParts`]) and copied into every answer as a [`RawValue`]; a `GetInstance` then writes a dozen small
// members (three times the simulator's throughput of writing the whole shape each time).
// ---------------------------------------------------------------------------------------------------------

/// Presents a simulated time as AWS epoch seconds: the fixed base [`EPOCH_BASE_SECS`] plus the time since
/// the scenario started, with millisecond fractions.
pub(super) fn epoch_seconds(t: SimTime) -> f64 {
    epoch_ms(EPOCH_BASE_SECS.saturating_mul(1000).saturating_add(t.as_millis()))
}

/// The epoch seconds of a moment `ms` milliseconds before the scenario started.
fn epoch_seconds_before(ms: u64) -> f64 {
    epoch_ms(EPOCH_BASE_SECS.saturating_mul(1000).saturating_sub(ms))
}

fn epoch_ms(total_ms: u64) -> f64 {
    total_ms as f64 / 1000.0
}

/// `{"code": 16, "name": "running"}`.
#[derive(Serialize)]
pub struct StateShape {
    code: u32,
    name: &'static str,
}

impl StateShape {
    /// The shape of `state`.
    pub fn of(state: InstanceState) -> Self {
        StateShape { code: state.code().into(), name: state.name() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    availability_zone: &'a str,
    region_name: &'a str,
}

/// An `Operation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationShape<'a> {
    id: &'a str,
    resource_name: &'a str,
    resource_type: &'static str,
    created_at: f64,
    location: Location<'a>,
    is_terminal: bool,
    operation_type: &'static str,
    status: &'static str,
    status_changed_at: f64,
}

impl<'a> OperationShape<'a> {
    /// The shape of `op`, which acted on the instance `resource_name`.
    pub fn of(
        op: &'a Operation,
        resource_name: &'a str,
        availability_zone: &'a str,
        region: &'a str,
    ) -> Self {
        OperationShape {
            id: &op.id,
            resource_name,
            resource_type: "Instance",
            created_at: epoch_seconds(op.created),
            location: Location { availability_zone, region_name: region },
            is_terminal: op.is_terminal(),
            operation_type: op.op_type.name(),
            status: op.status.name(),
            status_changed_at: epoch_seconds(op.status_changed),
        }
    }
}

/// An `Instance`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceShape<'a> {
    name: &'a str,
    arn: &'a str,
    support_code: &'a str,
    created_at: f64,
    location: Location<'a>,
    resource_type: &'static str,
    tags: [&'static str; 0],
    blueprint_id: &'a str,
    blueprint_name: &'static str,
    bundle_id: &'a str,
    is_static_ip: bool,
    private_ip_address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_ip_address: Option<&'a str>,
    ip_address_type: &'static str,
    hardware: &'a RawValue,
    networking: &'a RawValue,
    state: StateShape,
    username: &'static str,
    ssh_key_name: &'static str,
    metadata_options: MetadataOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hardware<'a> {
    cpu_count: u32,
    disks: [Disk<'a>; 1],
    ram_size_in_gb: f32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Disk<'a> {
    created_at: f64,
    size_in_gb: u32,
    is_system_disk: bool,
    iops: u32,
    path: &'static str,
    attached_to: &'a str,
    attachment_state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Networking {
    monthly_transfer: MonthlyTransfer,
    ports: Vec<Port>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MonthlyTransfer {
    gb_per_month_allocated: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Port {
    from_port: u16,
    to_port: u16,
    protocol: &'static str,
    access_from: &'static str,
    access_type: &'static str,
    common_name: &'static str,
    access_direction: &'static str,
    cidrs: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataOptions {
    state: &'static str,
    http_tokens: &'static str,
    http_endpoint: &'static str,
    http_put_response_hop_limit: u32,
    http_protocol_ipv6: &'static str,
}

/// The parts of an `Instance` that never change, written once.
#[derive(Clone, Debug)]
pub struct FixedParts {
    arn: String,
    hardware: Box<RawValue>,
    networking: Box<RawValue>,
}

impl FixedParts {
    /// The fixed parts of `inst`.
    pub fn of(inst: &Instance, account_id: &str, region: &str) -> FixedParts {
        let bp = blueprint(&inst.blueprint_id);
        let (cpus, ram, disk_gb, transfer_gb) = bundle(&inst.bundle_id);
        let ports: &[u16] = if bp.web { &[80, 22, 443] } else { &[22] };
        let hardware = Hardware {
            cpu_count: cpus,
            disks: [Disk {
                created_at: epoch_seconds_before(inst.created_ms_before_start),
                size_in_gb: disk_gb,
                is_system_disk: true,
                iops: (disk_gb * 3).max(100),
                path: "/dev/xvda",
                attached_to: &inst.name,
                attachment_state: "attached",
            }],
            ram_size_in_gb: ram,
        };
        let networking = Networking {
            monthly_transfer: MonthlyTransfer { gb_per_month_allocated: transfer_gb },
            ports: ports
                .iter()
                .map(|&port| Port {
                    from_port: port,
                    to_port: port,
                    protocol: "tcp",
                    access_from: "Anywhere (0.0.0.0/0)",
                    access_type: "public",
                    common_name: "",
                    access_direction: "inbound",
                    cidrs: ["0.0.0.0/0"],
                })
                .collect(),
        };
        FixedParts {
            arn: format!("arn:aws:lightsail:{region}:{account_id}:Instance/{}", inst.resource_id),
            hardware: raw(&hardware),
            networking: raw(&networking),
        }
    }
}

/// `value` written as JSON text, to be copied as it is.
fn raw(value: &impl Serialize) -> Box<RawValue> {
    // Writing these shapes cannot fail, and serde_json's own text is valid JSON.
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

impl<'a> InstanceShape<'a> {
    /// The shape of `inst` as it is now, around its fixed parts.
    pub fn of(
        inst: &'a Instance,
        fixed: &'a FixedParts,
        availability_zone: &'a str,
        region: &'a str,
    ) -> Self {
        let bp = blueprint(&inst.blueprint_id);
        InstanceShape {
            name: &inst.name,
            arn: &fixed.arn,
            support_code: &inst.support_code,
            created_at: epoch_seconds_before(inst.created_ms_before_start),
            location: Location { availability_zone, region_name: region },
            resource_type: "Instance",
            tags: [],
            blueprint_id: &inst.blueprint_id,
            blueprint_name: bp.name,
            bundle_id: &inst.bundle_id,
            is_static_ip: inst.static_ip,
            private_ip_address: &inst.private_ip,
            public_ip_address: inst.public_ip.as_deref(),
            ip_address_type: "ipv4",
            hardware: &fixed.hardware,
            networking: &fixed.networking,
            state: StateShape::of(inst.state),
            username: bp.username,
            ssh_key_name: "LightsailDefaultKeyPair",
            metadata_options: MetadataOptions {
                state: "applied",
                http_tokens: "optional",
                http_endpoint: "enabled",
                http_put_response_hop_limit: 1,
                http_protocol_ipv6: "disabled",
            },
        }
    }
}

/// `GetInstance`'s output.
#[derive(Serialize)]
pub struct GetInstanceOutput<'a> {
    /// The instance.
    pub instance: InstanceShape<'a>,
}

/// `GetInstanceState`'s output.
#[derive(Serialize)]
pub struct GetInstanceStateOutput {
    /// The state.
    pub state: StateShape,
}

/// `GetInstances`' output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetInstancesOutput<'a> {
    /// One page of instances.
    pub instances: Vec<InstanceShape<'a>>,
    /// Where the next page starts, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// `StopInstance`'s and `StartInstance`'s output.
#[derive(Serialize)]
pub struct OperationsOutput<'a> {
    /// The operation the request started (one).
    pub operations: Vec<OperationShape<'a>>,
}

/// `GetOperation`'s output.
#[derive(Serialize)]
pub struct GetOperationOutput<'a> {
    /// The operation.
    pub operation: OperationShape<'a>,
}

/// Converts a response for display in tests.
#[cfg(test)]
pub(super) fn body_json(r: &crate::wire::WireResponse) -> Value {
    serde_json::from_str::<Value>(&r.body).unwrap_or(Value::Null)
}

#[cfg(test)]
mod input_error_tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::Sim;

    /// `input_error` (what the page shows) and the answer to a real request never disagree.
    #[test]
    fn input_error_is_what_the_service_answers() {
        for (style, name_error) in [
            (ValidationStyle::Coral, LightsailNameError::InvalidInput),
            (ValidationStyle::Coral, LightsailNameError::Validation),
            (ValidationStyle::Smithy, LightsailNameError::InvalidInput),
            (ValidationStyle::Smithy, LightsailNameError::Validation),
        ] {
            let mut scenario = Scenario::builtin();
            scenario.settings.validation_style = style;
            scenario.settings.lightsail.name_error = name_error;
            let settings = scenario.settings.clone();
            let mut sim = Sim::new(scenario).expect("loads");
            for (op, member, value) in [
                ("StopInstance", "instanceName", None),
                ("StopInstance", "instanceName", Some("my instance")),
                ("StopInstance", "instanceName", Some("-abc")),
                ("StopInstance", "instanceName", Some("WordPress-1")),
                ("StopInstance", "instanceName", Some("a")),
                ("GetOperation", "operationId", Some("   ")),
                ("GetOperation", "operationId", Some("")),
                ("GetOperation", "operationId", None),
            ] {
                let body = match value {
                    Some(v) => serde_json::json!({ member: v }).to_string(),
                    None => "{}".to_string(),
                };
                let ex = sim.handle(
                    WireRequest::new("POST", "/")
                        .with_header("Content-Type", aws_json::CONTENT_TYPE)
                        .with_header("X-Amz-Target", &format!("{TARGET_PREFIX}{op}"))
                        .with_body(&body),
                );
                let answer: Value = serde_json::from_str::<Value>(&ex.response.body).unwrap_or(Value::Null);
                match input_error(&settings, member, value) {
                    Some((kind, message)) => {
                        assert_eq!(answer["__type"], kind, "{body}");
                        assert_eq!(answer["message"], message.as_str(), "{body}");
                    }
                    None => assert_eq!(ex.response.status, 200, "{body}"),
                }
            }
        }
    }

    /// `operationId`'s pattern is `.*\S.*` (spec §2.2): its refusal says so, not the `ResourceName` rules.
    #[test]
    fn operation_id_is_explained_by_its_own_pattern() {
        for name_error in [LightsailNameError::InvalidInput, LightsailNameError::Validation] {
            let mut scenario = Scenario::builtin();
            scenario.settings.lightsail.name_error = name_error;
            let mut sim = Sim::new(scenario).expect("loads");
            for id in ["   ", ""] {
                let ex = sim.handle(
                    WireRequest::new("POST", "/")
                        .with_header("Content-Type", aws_json::CONTENT_TYPE)
                        .with_header("X-Amz-Target", &format!("{TARGET_PREFIX}GetOperation"))
                        .with_body(&format!("{{\"operationId\":\"{id}\"}}")),
                );
                let text = format!("{}\n{}", ex.response.body, ex.diagnosis.why);
                assert!(text.contains("non-whitespace character"), "{text}");
                for wrong in ["spaces are not allowed", "two characters", "ASCII \\w", "hyphen"] {
                    assert!(!text.contains(wrong), "{wrong:?} in {text}");
                }
                assert!(
                    ex.diagnosis.spec.contains("§2.2") && !ex.diagnosis.spec.contains("L8"),
                    "{}",
                    ex.diagnosis.spec
                );
            }
        }
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_with_milliseconds() {
        let text = |v: f64| serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(text(epoch_seconds(SimTime(0))), format!("{EPOCH_BASE_SECS}.0"));
        assert_eq!(text(epoch_seconds(SimTime(1_500))), format!("{}.5", EPOCH_BASE_SECS + 1));
        assert_eq!(text(epoch_seconds(SimTime(134))), format!("{EPOCH_BASE_SECS}.134"));
        assert_eq!(text(epoch_seconds_before(120)), format!("{}.88", EPOCH_BASE_SECS - 1));
        for ram in [0.5f32, 1.0, 32.0] {
            assert_eq!(serde_json::to_string(&ram).unwrap_or_default(), format!("{ram:?}"));
        }
    }

    #[test]
    fn states_render_their_codes() {
        for st in
            [InstanceState::Pending, InstanceState::Running, InstanceState::Stopping, InstanceState::Stopped]
        {
            assert_eq!(
                serde_json::to_string(&StateShape::of(st)).unwrap_or_default(),
                format!("{{\"code\":{},\"name\":\"{}\"}}", st.code(), st.name())
            );
        }
    }

    #[test]
    fn page_tokens_are_eight_hex_digits() {
        assert_eq!(parse_page_token(&page_token(25)), Some(25));
        assert_eq!(parse_page_token("fleetplay-page-+0000019"), None);
        assert_eq!(parse_page_token("fleetplay-page-0000019"), None);
    }
}
