//! Lightsail on the wire: request checks in the order the service applies them, input validation, the
//! operations, the output shapes (serde structs with the model's member names), response assembly, and the
//! diagnosis of every answer.
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
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`handle`]: routing, the framework's stages (authentication, throttling, injected faults), then the operation; every answer's `Outcome` |
//! | `input.rs` | the body: parsing, member types, required members, patterns, and [`input_error`] |
//! | `operations.rs` | `StopInstance`, `StartInstance`, `GetInstance(State)`, `GetInstances`, `GetOperation` |
//! | `shapes.rs` | the output shapes as serde structs, and epoch-second timestamps |

mod input;
mod operations;
mod shapes;

pub use input::input_error;
#[cfg(test)]
pub(super) use shapes::epoch_seconds;
pub use shapes::FixedParts;

use input::{bool_member, parse_body, string_member, valid_name, valid_operation_id};
use operations::{
    find, get_instances, get_operation, instance_diagnosis, not_found, start_instance, stop_instance,
};
use shapes::{instance_shape, GetInstanceOutput, GetInstanceStateOutput, StateShape};

use super::errors::{ErrorType, LightsailError};
use super::routes::{self, Route, TARGET_PREFIX};
use super::Backend;
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::{self, AwsJsonOperation, Unclaimed, Unrouted};
use crate::providers::{json_body, Ctx, Outcome};
use crate::wire::WireRequest;

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
    op: Route,
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
            let known = Route::names();
            let (mut why, miss) =
                aws_json::explain_unknown_operation("Lightsail", target, op, &known, Route::NOT_MODELLED);
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
        Route::StopInstance => {
            let name = string_member(&body, "instanceName")?;
            let force = bool_member(&body, "force")?;
            let name = valid_name(name, "instanceName", r, ctx)?;
            service_fault(b, ctx)?;
            stop_instance(b, name, force.unwrap_or(false), force.is_some(), ctx)
        }
        Route::StartInstance => {
            let name = string_member(&body, "instanceName")?;
            let name = valid_name(name, "instanceName", r, ctx)?;
            service_fault(b, ctx)?;
            start_instance(b, name, ctx)
        }
        Route::GetInstance | Route::GetInstanceState => {
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
            let body = if r.op == Route::GetInstance {
                let Some(instance) = instance_shape(b, index) else { return Err(not_found(name, r.op)) };
                json_body(&GetInstanceOutput { instance }, 1536)
            } else {
                json_body(&GetInstanceStateOutput { state: StateShape::of(state) }, 48)
            };
            Ok((body, instance_diagnosis(why)))
        }
        Route::GetInstances => {
            let token = string_member(&body, "pageToken")?;
            service_fault(b, ctx)?;
            get_instances(b, token)
        }
        Route::GetOperation => {
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

/// Converts a response for display in tests.
#[cfg(test)]
pub(super) fn body_json(r: &crate::wire::WireResponse) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null)
}
