//! Lightsail's errors: the eight modeled exceptions (spec §2.3) and the awsJson framework errors (spec §0.4).
//!
//! Every modeled Lightsail exception carries the same four optional members, all lowercase: `code`, `docs`,
//! `message`, `tip` [P: BC-LS, SM-LS], plus the `__type` discriminator (bare shape name) [P: SMITHY-JSON].
//! Their HTTP status depends on `settings.status_profile` (spec §2.3 table):
//!
//! | `__type` | api-reference | service-model |
//! |---|---|---|
//! | `AccessDeniedException` | 400 | 403 |
//! | `AccountSetupInProgressException` | 400 | 428 |
//! | `InvalidInputException` | 400 | 400 |
//! | `NotFoundException` | 400 | 404 |
//! | `OperationFailureException` | 400 | 400 |
//! | `RegionSetupInProgressException` | 400 [U] | 400 [U] (no `httpError` known; Smithy's default for a client error) |
//! | `ServiceException` | 500 | 500 |
//! | `UnauthenticatedException` | 400 [U] (cut off in the retrieved page) | 401 |
//!
//! The `code` values other than `DoesNotExist` [S: Terraform], and every `message`/`tip` text, are the
//! simulator's own [U]: the real texts are unknown. `docs` links to the API reference page of the operation.
//! Framework errors (`ValidationException`, `SerializationException`, `ThrottlingException`,
//! `MissingAuthenticationTokenException`) are not modeled by Lightsail and carry a lowercase `message` [U];
//! `UnknownOperationException` carries no member at all, and a `ValidationException` in the Smithy style
//! (`settings.validation_style = smithy`) also carries `fieldList` `[{path, message}]` (§0.4, SMITHY-VAL).

use crate::exchange::MessageText;
use crate::providers::aws_json::{self, Message, MessageMember, Violation};
use crate::scenario::{StatusProfile, ValidationStyle};
use crate::wire::WireResponse;
use serde::Serialize;

/// The tip `RegionSetupInProgressException` carries, as the documentation gives it (spec §2.3) [P].
pub const REGION_SETUP_TIP: &str =
    "Opt-in Regions typically take a few minutes to finish setting up before you \
                                    can work with them. Wait a few minutes and try again.";

/// The modeled Lightsail exceptions (spec §2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// `AccessDeniedException`.
    AccessDenied,
    /// `AccountSetupInProgressException`.
    AccountSetupInProgress,
    /// `InvalidInputException`.
    InvalidInput,
    /// `NotFoundException`.
    NotFound,
    /// `OperationFailureException`.
    OperationFailure,
    /// `RegionSetupInProgressException`.
    RegionSetupInProgress,
    /// `ServiceException` (server fault).
    Service,
    /// `UnauthenticatedException`.
    Unauthenticated,
}

impl ErrorType {
    /// The `__type` value.
    pub fn type_name(self) -> &'static str {
        match self {
            ErrorType::AccessDenied => "AccessDeniedException",
            ErrorType::AccountSetupInProgress => "AccountSetupInProgressException",
            ErrorType::InvalidInput => "InvalidInputException",
            ErrorType::NotFound => "NotFoundException",
            ErrorType::OperationFailure => "OperationFailureException",
            ErrorType::RegionSetupInProgress => "RegionSetupInProgressException",
            ErrorType::Service => "ServiceException",
            ErrorType::Unauthenticated => "UnauthenticatedException",
        }
    }

    /// The `code` member. `DoesNotExist` is suggested by Terraform [S]; the others are [U].
    pub fn code(self) -> &'static str {
        match self {
            ErrorType::AccessDenied => "AccessDenied",
            ErrorType::AccountSetupInProgress => "AccountSetupInProgress",
            ErrorType::InvalidInput => "InvalidInput",
            ErrorType::NotFound => "DoesNotExist",
            ErrorType::OperationFailure => "OperationFailure",
            ErrorType::RegionSetupInProgress => "RegionSetupInProgress",
            ErrorType::Service => "InternalFailure",
            ErrorType::Unauthenticated => "Unauthenticated",
        }
    }

    /// `(api-reference status, service-model status)` (module table).
    pub fn statuses(self) -> (u16, u16) {
        match self {
            ErrorType::AccessDenied => (400, 403),
            ErrorType::AccountSetupInProgress => (400, 428),
            ErrorType::InvalidInput => (400, 400),
            ErrorType::NotFound => (400, 404),
            ErrorType::OperationFailure => (400, 400),
            ErrorType::RegionSetupInProgress => (400, 400),
            ErrorType::Service => (500, 500),
            ErrorType::Unauthenticated => (400, 401),
        }
    }

    /// The status under `profile`.
    pub fn status(self, profile: StatusProfile) -> u16 {
        let (api_reference, service_model) = self.statuses();
        aws_json::status_for(profile, api_reference, service_model)
    }

    /// Whether the status under `profile` is itself unconfirmed (no source states it).
    pub fn status_unconfirmed(self, profile: StatusProfile) -> bool {
        matches!(
            (self, profile),
            (ErrorType::RegionSetupInProgress, _) | (ErrorType::Unauthenticated, StatusProfile::ApiReference)
        )
    }
}

/// The documentation link for an operation's API reference page.
pub fn docs_url(operation: &str) -> String {
    format!("https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_{operation}.html")
}

/// An error response of the Lightsail service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LightsailError {
    /// A modeled exception with its `message` and `tip` texts [U].
    Modeled {
        /// Which exception.
        kind: ErrorType,
        /// The `message` member.
        message: String,
        /// The `tip` member.
        tip: String,
    },
    /// Framework `ValidationException` (required member missing, or a pattern under
    /// `name_error = validation`), worded and shaped by `settings.validation_style`.
    Validation {
        /// The scenario's `validation_style`.
        style: ValidationStyle,
        /// Every broken constraint.
        violations: Vec<Violation>,
    },
    /// Framework `SerializationException` (unparseable body or a member of the wrong JSON type).
    Serialization(String),
    /// Framework `ThrottlingException` (injected rate limit) [U]: Lightsail models no throttling error.
    Throttling,
    /// Framework `UnknownOperationException` (request not claimed; no message member).
    UnknownOperation,
    /// Framework `MissingAuthenticationTokenException` (`require_aws_auth`, no `Authorization`) [U].
    MissingAuthenticationToken,
}

impl LightsailError {
    /// A modeled exception.
    pub fn modeled(kind: ErrorType, message: impl Into<String>, tip: impl Into<String>) -> Self {
        LightsailError::Modeled { kind, message: message.into(), tip: tip.into() }
    }

    /// The `__type` value.
    pub fn type_name(&self) -> &'static str {
        match self {
            LightsailError::Modeled { kind, .. } => kind.type_name(),
            LightsailError::Validation { .. } => "ValidationException",
            LightsailError::Serialization(_) => "SerializationException",
            LightsailError::Throttling => "ThrottlingException",
            LightsailError::UnknownOperation => "UnknownOperationException",
            LightsailError::MissingAuthenticationToken => "MissingAuthenticationTokenException",
        }
    }

    /// The HTTP status under `profile`. Framework errors are 400 [U], but for the missing token's 403.
    pub fn status(&self, profile: StatusProfile) -> u16 {
        match self {
            LightsailError::Modeled { kind, .. } => kind.status(profile),
            LightsailError::MissingAuthenticationToken => aws_json::MISSING_AUTHENTICATION_TOKEN_STATUS,
            _ => 400,
        }
    }

    /// Where the `message` text comes from: no Lightsail message text is published (spec §2.3: "The real
    /// `message`, `docs` and `tip` texts are unknown").
    pub fn message_text(&self) -> MessageText {
        match self {
            LightsailError::Validation { .. } => MessageText::Grammar,
            LightsailError::UnknownOperation => MessageText::None,
            LightsailError::Modeled { .. }
            | LightsailError::Serialization(_)
            | LightsailError::Throttling
            | LightsailError::MissingAuthenticationToken => MessageText::Own,
        }
    }

    /// Where a modeled error's other members come from, for the diagnosis (spec §2.3: the four members are
    /// documented, their real texts are not; `DoesNotExist` is Terraform's [S]; only
    /// `RegionSetupInProgressException`'s tip is documented). `None` for the framework errors.
    pub fn members_note(&self) -> Option<String> {
        let LightsailError::Modeled { kind, tip, .. } = self else { return None };
        let code = match kind {
            ErrorType::NotFound => "code DoesNotExist is the value Terraform matches [S]",
            _ => "code is the simulator's choice [U]",
        };
        let tip = if tip == REGION_SETUP_TIP {
            "tip is the one the documentation gives for this exception [P]"
        } else {
            "tip is the simulator's own wording [U]"
        };
        Some(format!(" Other members: {code}; docs links the operation's API reference page [U]; {tip}."))
    }

    /// The `message` member, if the answer carries one.
    pub fn message(&self) -> Option<String> {
        match self {
            LightsailError::Modeled { message, .. } | LightsailError::Serialization(message) => {
                Some(message.clone())
            }
            LightsailError::Validation { style, violations } => {
                Some(aws_json::validation_message(*style, violations))
            }
            LightsailError::Throttling => Some(THROTTLING_MESSAGE.to_string()),
            LightsailError::UnknownOperation => None,
            LightsailError::MissingAuthenticationToken => {
                Some(aws_json::MISSING_AUTHENTICATION_TOKEN_MESSAGE.to_string())
            }
        }
    }

    /// Renders the response; `operation` names the API reference page `docs` links to.
    pub fn render(&self, profile: StatusProfile, operation: &str, request_id: &str) -> WireResponse {
        let (status, type_name) = (self.status(profile), self.type_name());
        let message =
            |text: &str| aws_json::error(status, request_id, type_name, &Message { member: LOWER, text });
        match self {
            LightsailError::Modeled { kind, message, tip } => aws_json::error(
                status,
                request_id,
                type_name,
                &ModeledMembers { code: kind.code(), docs: docs_url(operation), message, tip },
            ),
            LightsailError::Validation { style, violations } => aws_json::error(
                status,
                request_id,
                type_name,
                &aws_json::validation_members(*style, LOWER, violations),
            ),
            LightsailError::Serialization(text) => message(text),
            LightsailError::Throttling => message(THROTTLING_MESSAGE),
            LightsailError::UnknownOperation => aws_json::unknown_operation(request_id),
            LightsailError::MissingAuthenticationToken => {
                aws_json::missing_authentication_token(request_id, LOWER)
            }
        }
    }
}

/// Lightsail spells its message member in lowercase.
const LOWER: MessageMember = MessageMember::Lowercase;

/// The four members of every modeled Lightsail exception after `__type`.
#[derive(Serialize)]
struct ModeledMembers<'a> {
    code: &'a str,
    docs: String,
    message: &'a str,
    tip: &'a str,
}

/// The `message` of the framework's `ThrottlingException` (the simulator's wording [U]).
const THROTTLING_MESSAGE: &str = "Rate exceeded";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn modeled_errors_carry_four_lowercase_members() {
        let e = LightsailError::modeled(ErrorType::NotFound, "gone", "look elsewhere");
        let r = e.render(StatusProfile::ServiceModel, "StopInstance", "rid");
        assert_eq!(r.status, 404);
        let v: Value = serde_json::from_str::<Value>(&r.body).expect("json body");
        assert_eq!(v["__type"], "NotFoundException");
        assert_eq!(v["code"], "DoesNotExist");
        assert_eq!(
            v["docs"],
            "https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_StopInstance.html"
        );
        assert_eq!(v["message"], "gone");
        assert_eq!(v["tip"], "look elsewhere");
        assert_eq!(v.as_object().map(|o| o.len()), Some(5));
        assert_eq!(e.render(StatusProfile::ApiReference, "StopInstance", "rid").status, 400);
    }

    #[test]
    fn status_profiles_follow_the_table() {
        use ErrorType::*;
        for (kind, api, model) in [
            (AccessDenied, 400, 403),
            (AccountSetupInProgress, 400, 428),
            (InvalidInput, 400, 400),
            (NotFound, 400, 404),
            (OperationFailure, 400, 400),
            (RegionSetupInProgress, 400, 400),
            (Service, 500, 500),
            (Unauthenticated, 400, 401),
        ] {
            assert_eq!(kind.status(StatusProfile::ApiReference), api, "{kind:?}");
            assert_eq!(kind.status(StatusProfile::ServiceModel), model, "{kind:?}");
        }
    }

    #[test]
    fn framework_errors_have_only_a_message() {
        let r =
            LightsailError::Serialization("x".into()).render(StatusProfile::ServiceModel, "GetInstance", "r");
        assert_eq!(r.status, 400);
        assert_eq!(r.body, r#"{"__type":"SerializationException","message":"x"}"#);
        let r = LightsailError::UnknownOperation.render(StatusProfile::ApiReference, "", "r");
        assert_eq!(r.body, r#"{"__type":"UnknownOperationException"}"#);
    }

    /// The tip the documentation gives is the spec's word for word, and the diagnosis says which of a
    /// modeled error's other members are documented.
    #[test]
    fn members_say_where_they_come_from() {
        assert!(crate::providers::spec_text().contains(REGION_SETUP_TIP));
        let region = LightsailError::modeled(ErrorType::RegionSetupInProgress, "m", REGION_SETUP_TIP);
        let note = region.members_note().unwrap_or_default();
        assert!(note.contains("tip is the one the documentation gives for this exception [P]"), "{note}");
        let not_found = LightsailError::modeled(ErrorType::NotFound, "m", "Check the name.");
        let note = not_found.members_note().unwrap_or_default();
        assert!(note.contains("DoesNotExist is the value Terraform matches [S]"), "{note}");
        assert!(note.contains("tip is the simulator's own wording [U]"), "{note}");
        assert_eq!(LightsailError::Throttling.members_note(), None);
    }

    /// Every answer with a message, with the texts the simulator sends: Lightsail publishes none of its texts,
    /// so none may be called documented, a text the spec does quote must be classified as such
    /// (`message_text` is an exhaustive match), and a grammar text must be built on §0.4's grammar. The
    /// exchange-level check over every story and random script is in `tests/stories.rs` and
    /// `tests/properties.rs`.
    #[test]
    fn message_texts_are_documented_only_where_the_spec_quotes_them() {
        let spec = crate::providers::spec_text();
        let modeled = |kind, message| LightsailError::modeled(kind, message, "tip");
        let violation = |constraint: &str| Violation {
            coral_path: "instanceName".into(),
            smithy_path: "/instanceName".into(),
            length: None,
            constraint: constraint.into(),
        };
        let all = [
            modeled(
                ErrorType::NotFound,
                crate::providers::emitted_message(
                    "Lightsail_20161128.StopInstance",
                    r#"{"instanceName":"Nope-1"}"#,
                ),
            ),
            modeled(
                ErrorType::InvalidInput,
                crate::providers::emitted_message(
                    "Lightsail_20161128.StopInstance",
                    r#"{"instanceName":"Stopped-1"}"#,
                ),
            ),
            modeled(
                ErrorType::InvalidInput,
                crate::providers::emitted_message(
                    "Lightsail_20161128.StopInstance",
                    r#"{"instanceName":"my instance"}"#,
                ),
            ),
            LightsailError::Validation {
                style: ValidationStyle::Smithy,
                violations: vec![violation("Member must not be null")],
            },
            LightsailError::Validation {
                style: ValidationStyle::Coral,
                violations: vec![violation(r"Member must satisfy regular expression pattern: \w[\w\-]*\w")],
            },
            LightsailError::Serialization(crate::providers::emitted_message(
                "Lightsail_20161128.StopInstance",
                r#"{"instanceName":"WordPress-1","force":"yes"}"#,
            )),
            LightsailError::Serialization(crate::providers::emitted_message(
                "Lightsail_20161128.StopInstance",
                r#"{"instanceName":"#,
            )),
            LightsailError::Throttling,
            LightsailError::UnknownOperation,
            LightsailError::MissingAuthenticationToken,
        ];
        for e in all {
            let text = e.message();
            crate::providers::check_message_text(&spec, &format!("{e:?}"), e.message_text(), text.as_deref());
        }
    }
}
