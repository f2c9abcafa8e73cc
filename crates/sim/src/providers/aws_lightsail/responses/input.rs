//! Reading a request's body: awsJson parsing and member types (`SerializationException`), required
//! members (`ValidationException`), and the `ResourceName` and operation-id patterns in the style
//! `settings.lightsail.name_error` and `settings.validation_style` choose, each with its diagnosis; and
//! [`input_error`], the same answer for the page's validation as you type.

use super::super::errors::{ErrorType, LightsailError};
use super::{Fail, Request};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::{self, AwsJsonOperation, Expected, Unreadable, Violation};
use crate::providers::Ctx;
use crate::scenario::{LightsailNameError, ValidationStyle};
use serde::Deserialize;
use serde_json::Value;

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
pub(super) struct Input<'b> {
    #[serde(rename = "instanceName", borrow)]
    instance_name: Option<&'b str>,
    #[serde(rename = "pageToken", borrow)]
    page_token: Option<&'b str>,
    #[serde(rename = "operationId", borrow)]
    operation_id: Option<&'b str>,
    force: Option<bool>,
}

/// A parsed request body.
pub(super) enum Body<'b> {
    /// Read as the input struct.
    Input(Input<'b>),
    /// Read as any JSON object, because the input struct could not read it (a member of the wrong type, a
    /// string with an escape, a member given twice): each operation checks the members it reads.
    Members(aws_json::Object),
}

pub(super) fn parse_body(body: &str) -> Result<Body<'_>, Fail> {
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
pub(super) fn string_member<'a>(body: &'a Body, member: &str) -> Result<Option<&'a str>, Fail> {
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
pub(super) fn bool_member(body: &Body, member: &str) -> Result<Option<bool>, Fail> {
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
        super::super::is_valid_resource_name(value)
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

pub(super) fn shorten(value: &str) -> String {
    if value.chars().count() <= 100 {
        value.to_string()
    } else {
        let cut: String = value.chars().take(100).collect();
        format!("{cut}…")
    }
}

pub(super) fn valid_name<'a>(
    name: Option<&'a str>,
    member: &str,
    r: &mut Request,
    ctx: &Ctx,
) -> Result<&'a str, Fail> {
    if let Some(name) = name {
        r.server = Some(name.to_string());
    }
    checked(name, member, r, ctx)
}

pub(super) fn valid_operation_id<'a>(id: Option<&'a str>, r: &Request, ctx: &Ctx) -> Result<&'a str, Fail> {
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

#[cfg(test)]
mod tests {
    use super::super::super::routes::TARGET_PREFIX;
    use super::*;
    use crate::scenario::Scenario;
    use crate::wire::WireRequest;
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
