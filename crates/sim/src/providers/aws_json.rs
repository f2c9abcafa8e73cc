//! What AWS Transfer Family and Amazon Lightsail share: the awsJson 1.1 protocol (spec §0).
//!
//! Framing (POST `/`, `Content-Type: application/x-amz-json-1.1` with optional parameters, `X-Amz-Target:
//! {Service}.{Operation}`) and routing to one of a service's modelled operations (each service's
//! `routes.rs` gives its table by implementing [`AwsJsonOperation`]; [`route`] is the same for all), body
//! parsing (an empty body means `{}`), the error envelope (`__type` with the bare shape name plus the
//! provider's own message member), the `x-amzn-RequestId` header, and the wording of framework validation
//! messages in the two flavours of §0.4 (and the Smithy flavour's members, `message` and `fieldList`), and
//! the diagnosis of an unknown operation: a real operation the service has and the simulator does not
//! model, or a "did you mean" hint (diagnosis only: the wire answer is the bare
//! `UnknownOperationException`). Status codes of framework errors (unknown operation, serialization,
//! validation) are not confirmed by any source: all are 400 here [U].

use crate::exchange::{Confidence, Diagnosis};
use crate::scenario::{Settings, StatusProfile, ValidationStyle};
use crate::wire::{WireRequest, WireResponse};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// The protocol's content type.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Why a request was not claimed as an operation of the service (answered `UnknownOperationException`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unclaimed {
    /// Method other than POST.
    Method(String),
    /// Path other than `/`.
    Path(String),
    /// Content type missing or not awsJson 1.1.
    ContentType(Option<String>),
    /// No `X-Amz-Target` header.
    NoTarget,
    /// The target names another service or an unknown operation.
    UnknownTarget(String),
}

impl Unclaimed {
    /// One sentence for the diagnosis.
    pub fn explain(&self) -> String {
        match self {
            Unclaimed::Method(m) => format!("awsJson 1.1 operations are POST requests; this one is {m}."),
            Unclaimed::Path(p) => format!("awsJson 1.1 operations are sent to the root path '/', not '{p}'."),
            Unclaimed::ContentType(None) => {
                "The request has no Content-Type; awsJson 1.1 requires application/x-amz-json-1.1.".to_string()
            }
            Unclaimed::ContentType(Some(ct)) => format!(
                "Content-Type '{ct}' is not application/x-amz-json-1.1, so the protocol does not claim the request."
            ),
            Unclaimed::NoTarget => "There is no X-Amz-Target header naming the operation. (A target placed in \
                the URL fragment, as some doc portals print it, is never sent by curl.)"
                .to_string(),
            Unclaimed::UnknownTarget(t) => {
                format!("X-Amz-Target '{t}' names no operation of this service (targets are case-sensitive).")
            }
        }
    }
}

/// How an unknown operation name relates to the operations the simulator models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NearMiss<'k> {
    /// The same name in other letter case (targets are case-sensitive).
    Case(&'k str),
    /// A close name: one or two letters added, dropped or changed (`StopServers`, `DescribeSever`).
    Close(&'k str),
}

/// The modelled operation `op` most likely meant, if any: same name in other case first, then the nearest
/// name within an edit distance of 2 (ties go to the earlier one in `known`).
pub fn near_miss<'k>(op: &str, known: &[&'k str]) -> Option<NearMiss<'k>> {
    if op.is_empty() {
        return None;
    }
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(op)) {
        return Some(NearMiss::Case(k));
    }
    known
        .iter()
        .map(|k| (edit_distance(op, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| NearMiss::Close(k))
}

/// Levenshtein distance over characters (names are short; anything longer than 64 characters is far).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

/// The diagnosis of an `X-Amz-Target` whose operation (after the service's prefix) the simulator does not
/// answer, the same for every awsJson service: why it is unclaimed; for an operation of `unmodelled` (real
/// operations of the service the simulator does not model), that the real service would carry it out;
/// else a "did you mean" for a near miss of a `known` (modelled) operation, and otherwise what the simulator
/// models. The real-operation check comes first, so a real operation is never called a typo of a modelled
/// one (`GetOperations` is not a misspelt `GetOperation`). The hint is for the reader only; the wire answer
/// is the framework's bare `UnknownOperationException` either way. Returns the sentence and the near miss
/// found.
pub fn explain_unknown_operation<'k>(
    service: &str,
    target: &str,
    op: &str,
    known: &[&'k str],
    unmodelled: &[&str],
) -> (String, Option<NearMiss<'k>>) {
    let mut why = Unclaimed::UnknownTarget(target.to_string()).explain();
    if unmodelled.contains(&op) {
        why = format!(
            "X-Amz-Target '{target}' names {op}, a real {service} operation the simulator does not model: the \
             real service would carry it out. The simulator models {} only, and answers as the framework does \
             for an unknown operation.",
            list_names(known)
        );
        return (why, None);
    }
    let miss = near_miss(op, known);
    match miss {
        Some(NearMiss::Case(k)) => why.push_str(&format!(" '{op}' differs from '{k}' only in letter case.")),
        Some(NearMiss::Close(k)) => why.push_str(&format!(" Did you mean '{k}'?")),
        None if op.is_empty() => {}
        None => why.push_str(&format!(
            " The simulator models {}. If '{op}' is another real {service} operation, the real service would \
             carry it out; the simulator does not model it and answers as the framework does for an unknown \
             one.",
            list_names(known)
        )),
    }
    (why, miss)
}

fn list_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One operation of an awsJson service that the simulator models, and the service's table of them: each
/// awsJson provider's `Route` enum (in its `routes.rs`) implements this, so that [`route`] and [`Unrouted`]
/// serve every service.
pub trait AwsJsonOperation: Copy + 'static {
    /// The service's `X-Amz-Target` prefix, up to and with its dot (`TransferService.`).
    const TARGET_PREFIX: &'static str;
    /// Every operation the simulator models, in the order the diagnoses list them.
    const ALL: &'static [Self];
    /// Real operations of the service the simulator does not model: the diagnosis says the real service
    /// would carry them out rather than calling them a typo of a modelled one.
    const NOT_MODELLED: &'static [&'static str];

    /// The operation's name, as the target spells it after the prefix (`StopServer`).
    fn name(self) -> &'static str;

    /// The modelled operation called `name` exactly (targets are case-sensitive).
    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|op| op.name() == name)
    }

    /// The names of [`AwsJsonOperation::ALL`], for the diagnoses.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|op| op.name()).collect()
    }
}

/// Why a request is not one of a service's modelled operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unrouted<'r> {
    /// Not an awsJson request for this service (method, path, content type, target prefix).
    Unclaimed(Unclaimed),
    /// A target with the service's prefix naming an operation the simulator does not model (the name after
    /// the prefix).
    UnknownOperation(&'r str),
}

/// The operation of `O`'s service that `req` asks for.
pub fn route<O: AwsJsonOperation>(req: &WireRequest) -> Result<O, Unrouted<'_>> {
    let name = claim(req, O::TARGET_PREFIX).map_err(Unrouted::Unclaimed)?;
    O::parse(name).ok_or(Unrouted::UnknownOperation(name))
}

/// Checks the awsJson framing and returns the operation name after `prefix`.
pub fn claim<'a>(req: &'a WireRequest, prefix: &str) -> Result<&'a str, Unclaimed> {
    if req.method != "POST" {
        return Err(Unclaimed::Method(req.method.clone()));
    }
    if req.path() != "/" {
        return Err(Unclaimed::Path(req.path().to_string()));
    }
    let target = req.header("X-Amz-Target").ok_or(Unclaimed::NoTarget)?;
    let op = target.strip_prefix(prefix).ok_or_else(|| Unclaimed::UnknownTarget(target.to_string()))?;
    match req.header("Content-Type") {
        Some(ct) if media_type(ct).eq_ignore_ascii_case(CONTENT_TYPE) => Ok(op),
        other => Err(Unclaimed::ContentType(other.map(str::to_string))),
    }
}

/// The media type of a Content-Type value, without parameters.
pub fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

/// The AWS service named by the request's host (`transfer.us-east-1.amazonaws.com`) or its SigV4 credential
/// scope (`Credential=AKID/20250101/us-east-1/lightsail/aws4_request`), if any.
pub fn service_hint(req: &WireRequest) -> Option<&'static str> {
    let named = |text: &str| {
        if text.contains("transfer") {
            Some("transfer")
        } else if text.contains("lightsail") {
            Some("lightsail")
        } else {
            None
        }
    };
    if let Some(auth) = req.header("Authorization") {
        if let Some(pos) = auth.find("Credential=") {
            let scope = auth[pos..].split([',', ' ']).next().unwrap_or("");
            if let Some(service) = scope.split('/').nth(3).and_then(named) {
                return Some(service);
            }
        }
    }
    req.host().and_then(|h| named(h.split('.').next().unwrap_or("")))
}

/// A JSON object's members, sorted by name.
pub type Object = serde_json::Map<String, Value>;

/// Reads an awsJson body as its input object: an empty (or all-whitespace) body is `{}` (spec §0.1); a
/// member given twice keeps its last value (duplicate names are valid JSON, and serde_json's `Value` keeps
/// the last); anything that is not one JSON object is the framework's `SerializationException`, described
/// by [`Unreadable`].
pub fn parse_object(body: &str) -> Result<Object, Unreadable> {
    if body.trim().is_empty() {
        return Ok(Object::new());
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Unreadable::not_an_object(&other)),
        Err(e) => Err(Unreadable::not_json(&e)),
    }
}

/// Why the awsJson framework cannot read a request's input: the message of its `SerializationException`
/// and the same in words for the diagnosis. Both AWS services answer this one framework error, so they word
/// it alike [U] (spec §0.4 gives the error's name and meaning, not its text): a value of the wrong JSON type
/// is named by its Coral token (`NUMBER_VALUE can not be converted to a String`), a body that does not parse
/// gets the reader's own error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The answer's message.
    pub message: String,
    /// What is wrong, in words, for the diagnosis.
    pub why: String,
}

/// What a member or body should have been, as the Coral message names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A JSON string.
    String,
    /// `true` or `false`.
    Boolean,
    /// A whole number.
    Integer,
    /// The input object itself.
    Structure,
}

impl Unreadable {
    /// `member` holds `value`, which is not the JSON type it must be.
    pub fn wrong_type(member: &str, value: &Value, expected: Expected) -> Unreadable {
        let (target, wanted) = match expected {
            Expected::String => ("a String", "a JSON string"),
            Expected::Boolean => ("a Boolean", "a JSON boolean (true or false)"),
            Expected::Integer => ("an Integer", "a JSON integer"),
            Expected::Structure => ("a Structure", "a JSON object"),
        };
        let found = match value {
            Value::Number(n) if expected == Expected::Integer => format!("the number {n}"),
            other => format!("a {}", json_kind(other)),
        };
        Unreadable {
            message: format!("{} can not be converted to {target}", token_name(value)),
            why: format!("Member '{member}' must be {wanted} but is {found}."),
        }
    }

    /// The body is JSON, but not an object.
    pub fn not_an_object(value: &Value) -> Unreadable {
        Unreadable {
            message: format!("{} can not be converted to a Structure", token_name(value)),
            why: format!("The body is a JSON {}, not an object.", json_kind(value)),
        }
    }

    /// The body does not parse.
    pub fn not_json(error: &serde_json::Error) -> Unreadable {
        Unreadable {
            message: format!("Could not parse the request body as JSON: {error}"),
            why: format!("The body is not valid JSON ({error})."),
        }
    }
}

/// The Coral framework's name of a JSON token, as its `SerializationException` messages print it [U].
fn token_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NULL_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::String(_) => "STRING_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

/// `string`, `number`, `object` … for messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Picks the status of a modeled error under the scenario's profile.
pub fn status_for(profile: StatusProfile, api_reference: u16, service_model: u16) -> u16 {
    match profile {
        StatusProfile::ApiReference => api_reference,
        StatusProfile::ServiceModel => service_model,
    }
}

/// A successful awsJson response. `body: None` sends an empty body (operations with no output, §0.2).
pub fn success(request_id: &str, body: Option<String>) -> WireResponse {
    WireResponse::new(200)
        .with_header("Content-Type", CONTENT_TYPE)
        .with_header("x-amzn-RequestId", request_id)
        .with_body(body.unwrap_or_default())
}

/// An awsJson error: `{"__type": type_name, …members}` with the protocol's content type. `__type` comes first,
/// as in the spec's and the protocol tests' examples; `members` (a struct or map) follow in their own order.
pub fn error(status: u16, request_id: &str, type_name: &str, members: &impl Serialize) -> WireResponse {
    let body = super::json_body(&ErrorBody { type_name, members }, 256);
    WireResponse::new(status)
        .with_header("Content-Type", CONTENT_TYPE)
        .with_header("x-amzn-RequestId", request_id)
        .with_body(body)
}

#[derive(Serialize)]
struct ErrorBody<'a, M> {
    #[serde(rename = "__type")]
    type_name: &'a str,
    #[serde(flatten)]
    members: M,
}

/// The members of an error that carries none.
#[derive(Serialize)]
pub struct NoMembers {}

/// How a service spells its message member: `Message` (Transfer) or `message` (Lightsail).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageMember {
    /// `Message`.
    Capitalised,
    /// `message`.
    Lowercase,
}

impl MessageMember {
    /// The member's name.
    pub fn name(self) -> &'static str {
        match self {
            MessageMember::Capitalised => "Message",
            MessageMember::Lowercase => "message",
        }
    }
}

/// An error's only member, its message, under the service's spelling.
pub struct Message<'a> {
    /// The spelling.
    pub member: MessageMember,
    /// The text.
    pub text: &'a str,
}

impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.member.name(), self.text)?;
        map.end()
    }
}

/// The AWS front end's opt-in credentials check (§0.4, [U]), the same for every awsJson service: with
/// `settings.require_aws_auth` on, a request without an `Authorization` header is refused before the service
/// runs. Signatures are never verified. `None` when the request may go on.
pub fn credentials_gate(req: &WireRequest, settings: &Settings, service: &str) -> Option<Diagnosis> {
    if !settings.require_aws_auth || req.header("Authorization").is_some() {
        return None;
    }
    Some(
        Diagnosis::new(
            format!(
                "The scenario requires AWS credentials and the request has no Authorization header, so the AWS \
                 front end refuses it before {service} runs: MissingAuthenticationTokenException, 403, with the \
                 message \"Missing Authentication Token\" (the Common Errors page lists MissingAuthenticationToken \
                 as 403; the exact name and body are unconfirmed). Signatures themselves are never checked."
            ),
            "stop-apis.md §0.4",
            Confidence::Unconfirmed,
        )
        .with_setting("require_aws_auth"),
    )
}

/// The answer to a request [`credentials_gate`] refused, with the service's own spelling of the message
/// member (`Message` for Transfer, `message` for Lightsail).
pub fn missing_authentication_token(request_id: &str, member: MessageMember) -> WireResponse {
    error(
        MISSING_AUTHENTICATION_TOKEN_STATUS,
        request_id,
        "MissingAuthenticationTokenException",
        &Message { member, text: MISSING_AUTHENTICATION_TOKEN_MESSAGE },
    )
}

/// The status of `MissingAuthenticationTokenException` under either profile (AWSDOC-TR-CE: 403).
pub const MISSING_AUTHENTICATION_TOKEN_STATUS: u16 = 403;
/// Its message, as AWS front ends word it [U].
pub const MISSING_AUTHENTICATION_TOKEN_MESSAGE: &str = "Missing Authentication Token";

/// Appends the decimal digits of `n` (cheaper than `write!` on the hot path of every response).
pub fn push_u64(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// `UnknownOperationException` for a request no awsJson service recognises, with no message member (the
/// framework error carries none) [U].
pub fn unknown_operation(request_id: &str) -> WireResponse {
    error(400, request_id, "UnknownOperationException", &NoMembers {})
}

/// One broken constraint of one member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The member as the Coral flavour names it (`serverId`).
    pub coral_path: String,
    /// The member as the Smithy flavour names it (`/ServerId`).
    pub smithy_path: String,
    /// Length of the value, for length constraints (the Smithy flavour prints it).
    pub length: Option<usize>,
    /// The constraint sentence, e.g. `Member must have length greater than or equal to 19`.
    pub constraint: String,
}

/// One violation as its flavour words it: `Value at 'serverId' failed to satisfy constraint: …` (Coral) or
/// `Value with length 18 at '/ServerId' failed to satisfy constraint: …` (Smithy).
pub fn violation_sentence(style: ValidationStyle, v: &Violation) -> String {
    match style {
        ValidationStyle::Coral => {
            format!("Value at '{}' failed to satisfy constraint: {}", v.coral_path, v.constraint)
        }
        ValidationStyle::Smithy => match v.length {
            Some(len) => format!(
                "Value with length {len} at '{}' failed to satisfy constraint: {}",
                v.smithy_path, v.constraint
            ),
            None => format!("Value at '{}' failed to satisfy constraint: {}", v.smithy_path, v.constraint),
        },
    }
}

/// Whether `message` is built on §0.4's validation grammar, as [`validation_message`] writes it in either
/// flavour (`1 validation error detected: …`, `2 validation errors detected. …`). The message-text checks use
/// it for texts that follow the documented grammar without being quoted word for word.
pub fn follows_validation_grammar(message: &str) -> bool {
    let Some((count, rest)) = message.split_once(' ') else { return false };
    let noun = if count == "1" { "validation error detected" } else { "validation errors detected" };
    count.parse::<usize>().is_ok_and(|n| n > 0)
        && rest.strip_prefix(noun).is_some_and(|after| after.starts_with(": ") || after.starts_with(". "))
}

/// `N validation error(s) detected…` in the chosen flavour (spec §0.4).
pub fn validation_message(style: ValidationStyle, violations: &[Violation]) -> String {
    let n = violations.len();
    let plural = if n == 1 { "" } else { "s" };
    let parts: Vec<String> = violations.iter().map(|v| violation_sentence(style, v)).collect();
    let sep = match style {
        ValidationStyle::Coral => ':',
        ValidationStyle::Smithy => '.',
    };
    format!("{n} validation error{plural} detected{sep} {}", parts.join("; "))
}

/// The members of a framework `ValidationException` after `__type`, by style (spec §0.4):
/// - Coral: the service's own message member (`Message` for Transfer, `message` for Lightsail) and nothing
///   else, as the LocalStack text the spec quotes [S];
/// - Smithy: the members of `smithy.framework#ValidationException` [P: SMITHY-VAL], lowercase `message` and
///   `fieldList`, one `{message, path}` per violation. The spec names these members without an example of a
///   field's `message`; here it is that violation's sentence of the full message [U].
pub enum ValidationMembers {
    /// `{"Message"|"message": …}`.
    Coral {
        /// The service's spelling.
        member: MessageMember,
        /// The whole message.
        message: String,
    },
    /// `{"message": …, "fieldList": [{"message", "path"}, …]}`.
    Smithy {
        /// The whole message.
        message: String,
        /// One entry per violation.
        field_list: Vec<ValidationField>,
    },
}

/// One entry of Smithy's `fieldList`.
#[derive(Serialize)]
pub struct ValidationField {
    /// The violation's sentence.
    pub message: String,
    /// The member, `/ServerId`.
    pub path: String,
}

impl Serialize for ValidationMembers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ValidationMembers::Coral { member, message } => {
                Message { member: *member, text: message }.serialize(serializer)
            }
            ValidationMembers::Smithy { message, field_list } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("message", message)?;
                map.serialize_entry("fieldList", field_list)?;
                map.end()
            }
        }
    }
}

/// The members of a framework `ValidationException` for `violations` in `style` (see [`ValidationMembers`]).
pub fn validation_members(
    style: ValidationStyle,
    member: MessageMember,
    violations: &[Violation],
) -> ValidationMembers {
    let message = validation_message(style, violations);
    match style {
        ValidationStyle::Coral => ValidationMembers::Coral { member, message },
        ValidationStyle::Smithy => ValidationMembers::Smithy {
            message,
            field_list: violations
                .iter()
                .map(|v| ValidationField {
                    message: violation_sentence(style, v),
                    path: v.smithy_path.clone(),
                })
                .collect(),
        },
    }
}

/// What the scenario's `validation_style` made of a ValidationException, for its diagnosis;
/// `message_member` is how the service spells its message member in the Coral style.
pub fn validation_style_note(style: ValidationStyle, message_member: &str) -> String {
    match style {
        ValidationStyle::Coral => format!(
            "in the Coral wording real AWS services are seen to use (`detected:`, member names without a \
             slash), with only the service's {message_member} member [U]."
        ),
        ValidationStyle::Smithy => {
            "as the Smithy server framework shapes it (smithy.framework#ValidationException): \
             lowercase message in Smithy's wording (`detected.`, '/Member' paths, anchored patterns) and a \
             fieldList with one {path, message} per broken constraint [P: SMITHY-VAL]; whether this service \
             answers so is unconfirmed [U]."
                .to_string()
        }
    }
}

/// The constraint sentence for a length rule (Smithy wording; `between … inclusive` when both bounds exist
/// and the value breaks one of them in the Smithy flavour).
pub fn length_constraint(style: ValidationStyle, len: usize, min: usize, max: usize) -> String {
    match style {
        ValidationStyle::Smithy => format!("Member must have length between {min} and {max}, inclusive"),
        ValidationStyle::Coral if len < min => {
            format!("Member must have length greater than or equal to {min}")
        }
        ValidationStyle::Coral => format!("Member must have length less than or equal to {max}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-framed awsJson request with `target` as its `X-Amz-Target`.
    fn target_request(target: &str) -> WireRequest {
        req("POST", Some(CONTENT_TYPE), Some(target))
    }

    /// What routing promises for every service `O` (`provider`'s): each modelled operation is found under
    /// the service's prefix and only spelt exactly; they are the operations the page's descriptor of the
    /// service offers (`Provider::info`), no more and no fewer; a real operation the simulator does not model
    /// is unknown (never modelled by mistake); a target of `other_service` is not claimed at all.
    fn assert_routes<O: AwsJsonOperation + std::fmt::Debug + PartialEq>(
        provider: crate::fleet::Provider,
        other_service: &str,
    ) {
        // The operation, or the unknown name `Unrouted` borrows from the request (`None`: unclaimed).
        let route_of = |name: &str| {
            let req = target_request(&format!("{}{name}", O::TARGET_PREFIX));
            match route::<O>(&req) {
                Ok(op) => Ok(op),
                Err(Unrouted::UnknownOperation(unknown)) => Err(Some(unknown.to_string())),
                Err(Unrouted::Unclaimed(_)) => Err(None),
            }
        };
        assert!(!O::ALL.is_empty());
        for (i, op) in O::ALL.iter().enumerate() {
            let name = op.name();
            assert_eq!(route_of(name), Ok(*op), "{name}");
            assert!(!O::ALL[..i].iter().any(|earlier| earlier.name() == name), "{name} twice");
            let recased = name.to_ascii_lowercase();
            assert_eq!(route_of(&recased), Err(Some(recased.clone())), "{name}");
        }
        let described = provider.info().aws().expect("an awsJson service");
        assert_eq!(described.target_prefix, O::TARGET_PREFIX);
        let mut offered: Vec<&str> = described.operations.iter().map(|op| op.name).collect();
        let mut routed = O::names();
        offered.sort_unstable();
        routed.sort_unstable();
        assert_eq!(routed, offered, "{provider:?}: the operations routed and those the page offers");
        for name in O::NOT_MODELLED {
            assert_eq!(route_of(name), Err(Some(name.to_string())));
        }
        let other = target_request(other_service);
        assert_eq!(
            route::<O>(&other),
            Err(Unrouted::Unclaimed(Unclaimed::UnknownTarget(other_service.into())))
        );
        let framing = WireRequest::new("GET", "/")
            .with_header("X-Amz-Target", &format!("{}{}", O::TARGET_PREFIX, O::ALL[0].name()));
        assert_eq!(route::<O>(&framing), Err(Unrouted::Unclaimed(Unclaimed::Method("GET".into()))));
    }

    #[test]
    fn every_service_routes_its_modelled_operations() {
        use crate::fleet::Provider;
        use crate::providers::{aws_lightsail, aws_transfer};
        assert_routes::<aws_transfer::routes::Route>(Provider::Transfer, aws_lightsail::TARGET_PREFIX);
        assert_routes::<aws_lightsail::routes::Route>(Provider::Lightsail, aws_transfer::TARGET_PREFIX);
    }

    fn req(method: &str, ct: Option<&str>, target: Option<&str>) -> WireRequest {
        let mut r = WireRequest::new(method, "/");
        if let Some(ct) = ct {
            r = r.with_header("Content-Type", ct);
        }
        if let Some(t) = target {
            r = r.with_header("X-Amz-Target", t);
        }
        r
    }

    #[test]
    fn claims_only_proper_framing() {
        let ok = req(
            "POST",
            Some("application/x-amz-json-1.1; charset=utf-8"),
            Some("TransferService.StopServer"),
        );
        assert_eq!(claim(&ok, "TransferService."), Ok("StopServer"));
        let json = req("POST", Some("application/json"), Some("TransferService.StopServer"));
        assert!(matches!(claim(&json, "TransferService."), Err(Unclaimed::ContentType(_))));
        assert_eq!(claim(&req("GET", None, None), "TransferService."), Err(Unclaimed::Method("GET".into())));
        let none = req("POST", Some(CONTENT_TYPE), None);
        assert_eq!(claim(&none, "TransferService."), Err(Unclaimed::NoTarget));
    }

    #[test]
    fn empty_body_is_an_empty_object() {
        assert_eq!(parse_object("  "), Ok(Object::new()));
        assert_eq!(parse_object("[1]").unwrap_err().why, "The body is a JSON array, not an object.");
        assert_eq!(
            parse_object("{\"ServerId\":").unwrap_err().message,
            "Could not parse the request body as JSON: EOF while parsing a value at line 1 column 12"
        );
        assert_eq!(parse_object(r#"{"a":1,"a":2}"#).map(|m| m["a"] == 2), Ok(true));
    }

    #[test]
    fn validation_messages_in_both_flavours() {
        let v = Violation {
            coral_path: "serverId".into(),
            smithy_path: "/ServerId".into(),
            length: Some(18),
            constraint: length_constraint(ValidationStyle::Coral, 18, 19, 19),
        };
        assert_eq!(
            validation_message(ValidationStyle::Coral, std::slice::from_ref(&v)),
            "1 validation error detected: Value at 'serverId' failed to satisfy constraint: \
             Member must have length greater than or equal to 19"
        );
        let v = Violation { constraint: length_constraint(ValidationStyle::Smithy, 18, 19, 19), ..v };
        assert_eq!(
            validation_message(ValidationStyle::Smithy, &[v.clone(), v.clone()]),
            "2 validation errors detected. Value with length 18 at '/ServerId' failed to satisfy constraint: \
             Member must have length between 19 and 19, inclusive; Value with length 18 at '/ServerId' failed \
             to satisfy constraint: Member must have length between 19 and 19, inclusive"
        );
        // The grammar check the message-text tests use: both flavours, and the spec's own example.
        let v = Violation { constraint: "Member must not be null".into(), length: None, ..v };
        for style in [ValidationStyle::Coral, ValidationStyle::Smithy] {
            assert!(follows_validation_grammar(&validation_message(style, std::slice::from_ref(&v))));
            assert!(follows_validation_grammar(&validation_message(style, &[v.clone(), v.clone()])));
        }
        assert!(follows_validation_grammar(
            "1 validation error detected. Value at '/string' failed to satisfy constraint: Member must not be null"
        ));
        for not in [
            "",
            "1 validation errors detected: x",
            "2 validation error detected: x",
            "0 validation errors \
                     detected: x",
            "validation error detected: x",
            "An error: 1 validation error detected: x",
        ] {
            assert!(!follows_validation_grammar(not), "{not}");
        }
    }

    #[test]
    fn smithy_validation_carries_message_and_field_list() {
        let v = Violation {
            coral_path: "serverId".into(),
            smithy_path: "/ServerId".into(),
            length: None,
            constraint: "Member must not be null".into(),
        };
        let coral =
            validation_members(ValidationStyle::Coral, MessageMember::Capitalised, std::slice::from_ref(&v));
        assert_eq!(
            error(400, "r", "ValidationException", &coral).body,
            "{\"__type\":\"ValidationException\",\"Message\":\"1 validation error detected: Value at 'serverId' \
             failed to satisfy constraint: Member must not be null\"}"
        );
        let r = error(
            400,
            "r",
            "ValidationException",
            &validation_members(ValidationStyle::Smithy, MessageMember::Capitalised, &[v]),
        );
        assert_eq!(
            r.body,
            "{\"__type\":\"ValidationException\",\"message\":\"1 validation error detected. Value at '/ServerId' \
             failed to satisfy constraint: Member must not be null\",\"fieldList\":[{\"message\":\"Value at \
             '/ServerId' failed to satisfy constraint: Member must not be null\",\"path\":\"/ServerId\"}]}"
        );
    }

    #[test]
    fn near_misses_suggest_the_modelled_operation() {
        let known = ["StopServer", "StartServer", "DescribeServer", "ListServers"];
        assert_eq!(near_miss("stopServer", &known), Some(NearMiss::Case("StopServer")));
        assert_eq!(near_miss("StopServers", &known), Some(NearMiss::Close("StopServer")));
        assert_eq!(near_miss("DescribeSever", &known), Some(NearMiss::Close("DescribeServer")));
        assert_eq!(near_miss("ListServer", &known), Some(NearMiss::Close("ListServers")));
        assert_eq!(near_miss("CreateServer", &known), None);
        assert_eq!(near_miss("", &known), None);
        assert_eq!(near_miss(&"x".repeat(500), &known), None);
        let (why, _) = explain_unknown_operation(
            "Transfer",
            "TransferService.CreateServers",
            "CreateServers",
            &known,
            &[],
        );
        assert!(why.contains("StopServer, StartServer, DescribeServer and ListServers"), "{why}");
        assert!(why.contains("the real service would carry it out"), "{why}");
        // A real operation the simulator does not model is not a near miss, even one letter away.
        let known = ["GetOperation", "GetInstance"];
        let target = "Lightsail_20161128.GetOperations";
        let (why, miss) =
            explain_unknown_operation("Lightsail", target, "GetOperations", &known, &["GetOperations"]);
        assert_eq!(miss, None);
        assert!(!why.contains("Did you mean"), "{why}");
        assert!(why.contains("a real Lightsail operation the simulator does not model"), "{why}");
        let (why, miss) = explain_unknown_operation("Lightsail", target, "GetOperations", &known, &[]);
        assert_eq!(miss, Some(NearMiss::Close("GetOperation")), "{why}");
    }

    #[test]
    fn service_hint_reads_host_and_sigv4_scope() {
        let r = WireRequest::new("POST", "http://transfer.us-east-1.amazonaws.com/");
        assert_eq!(service_hint(&r), Some("transfer"));
        let r = WireRequest::new("POST", "/").with_header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/lightsail/aws4_request, SignedHeaders=host",
        );
        assert_eq!(service_hint(&r), Some("lightsail"));
    }
}
