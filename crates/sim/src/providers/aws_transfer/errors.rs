//! Every error the simulated Transfer Family service can answer, with its `__type`, its HTTP status under
//! each status profile and its body members (spec §0.3, §0.4, §1.3, §5).
//!
//! Modeled errors come from botocore's `service-2.json` for Transfer (2018-11-05): `ResourceNotFoundException`
//! (`Message`, `Resource`, `ResourceType`, all required), `InvalidRequestException` (`Message`),
//! `ThrottlingException` (`RetryAfterSeconds`, a string), `InternalServiceError` (`Message`),
//! `ServiceUnavailableException` (`Message`, optional) and, for ListServers, `InvalidNextTokenException`
//! (`Message`). Their status codes differ between the API reference (every client error 400, every server
//! error 500) and the Smithy model (404, 429, 503): [`StatusProfile`] picks one. Framework errors
//! (`UnknownOperationException`, `SerializationException`, `ValidationException`,
//! `MissingAuthenticationTokenException`) are not in the model; their names follow §0.4 [U].
//! Transfer spells the message member `Message`, with a capital M — except a `ValidationException` in the
//! Smithy style (`settings.validation_style = smithy`), which has the Smithy framework's lowercase `message`
//! and `fieldList` `[{path, message}]` (§0.4, SMITHY-VAL); `UnknownOperationException` and
//! `ThrottlingException` carry no message.

use crate::exchange::MessageText;
use crate::providers::aws_json::{self, MessageMember, Violation};
use crate::scenario::{StatusProfile, ValidationStyle};
use crate::wire::WireResponse;
use serde::Serialize;

/// One error answer of the Transfer Family service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferError {
    /// No server with this (well-formed) id in the account.
    ResourceNotFound {
        /// The id that was asked for.
        server_id: String,
    },
    /// The request is understood but cannot be carried out in the server's state.
    InvalidRequest {
        /// The `Message` member.
        message: String,
    },
    /// Too many requests (injected).
    Throttling {
        /// The `RetryAfterSeconds` member (a string in the model).
        retry_after_seconds: u32,
    },
    /// Injected internal failure.
    InternalServiceError,
    /// Injected unavailability.
    ServiceUnavailable,
    /// ListServers with a `NextToken` this service never issued.
    InvalidNextToken,
    /// A modeled constraint is broken (framework error, [U]).
    Validation {
        /// The scenario's `validation_style`: the wording, and the members (`Message`, or Smithy's
        /// `message` + `fieldList`).
        style: ValidationStyle,
        /// Every broken constraint.
        violations: Vec<Violation>,
    },
    /// The body is not JSON, not an object, or a member has the wrong JSON type (framework error, [U]).
    Serialization {
        /// What could not be read.
        message: String,
    },
    /// The request is not claimed by any operation of the service (framework error, [U]).
    UnknownOperation,
    /// `require_aws_auth` is on and the request has no `Authorization` header (framework error, [U]).
    MissingAuthenticationToken,
}

impl TransferError {
    /// The `__type` discriminator (bare shape name, as awsJson 1.1 servers should send it).
    pub fn type_name(&self) -> &'static str {
        match self {
            TransferError::ResourceNotFound { .. } => "ResourceNotFoundException",
            TransferError::InvalidRequest { .. } => "InvalidRequestException",
            TransferError::Throttling { .. } => "ThrottlingException",
            TransferError::InternalServiceError => "InternalServiceError",
            TransferError::ServiceUnavailable => "ServiceUnavailableException",
            TransferError::InvalidNextToken => "InvalidNextTokenException",
            TransferError::Validation { .. } => "ValidationException",
            TransferError::Serialization { .. } => "SerializationException",
            TransferError::UnknownOperation => "UnknownOperationException",
            TransferError::MissingAuthenticationToken => "MissingAuthenticationTokenException",
        }
    }

    /// `(API reference status, Smithy model status)`.
    fn statuses(&self) -> (u16, u16) {
        match self {
            TransferError::ResourceNotFound { .. } => (400, 404),
            TransferError::InvalidRequest { .. } => (400, 400),
            TransferError::Throttling { .. } => (400, 429),
            TransferError::InternalServiceError => (500, 503),
            TransferError::ServiceUnavailable => (500, 503),
            TransferError::InvalidNextToken => (400, 400),
            TransferError::Validation { .. } => (400, 400),
            TransferError::Serialization { .. } => (400, 400),
            TransferError::UnknownOperation => (400, 400),
            // The Common Errors page lists MissingAuthenticationToken as 403 (AWSDOC-TR-CE).
            TransferError::MissingAuthenticationToken => {
                (aws_json::MISSING_AUTHENTICATION_TOKEN_STATUS, aws_json::MISSING_AUTHENTICATION_TOKEN_STATUS)
            }
        }
    }

    /// The HTTP status under `profile`.
    pub fn status(&self, profile: StatusProfile) -> u16 {
        let (api_reference, service_model) = self.statuses();
        aws_json::status_for(profile, api_reference, service_model)
    }

    /// True when the two status profiles disagree on this error, so `status_profile` decided it.
    pub fn status_depends_on_profile(&self) -> bool {
        let (a, b) = self.statuses();
        a != b
    }

    /// The `Message` member, if this error carries one.
    pub fn message(&self) -> Option<String> {
        match self {
            // LocalStack's text [S]; the real service's wording is not known [U].
            TransferError::ResourceNotFound { .. } => Some("Unknown server".to_string()),
            TransferError::InvalidRequest { message } | TransferError::Serialization { message } => {
                Some(message.clone())
            }
            TransferError::Validation { style, violations } => {
                Some(aws_json::validation_message(*style, violations))
            }
            TransferError::Throttling { .. } => None,
            TransferError::InternalServiceError => {
                Some("An internal error occurred while processing the request. Please try again.".to_string())
            }
            TransferError::ServiceUnavailable => {
                Some("The service is temporarily unavailable. Please try again later.".to_string())
            }
            TransferError::InvalidNextToken => Some("The NextToken is not valid.".to_string()),
            TransferError::UnknownOperation => None,
            TransferError::MissingAuthenticationToken => {
                Some(aws_json::MISSING_AUTHENTICATION_TOKEN_MESSAGE.to_string())
            }
        }
    }

    /// Where the `Message` text comes from (spec §1.3: "exact service message texts are not available from
    /// any primary source").
    pub fn message_text(&self) -> MessageText {
        match self {
            TransferError::ResourceNotFound { .. } => MessageText::Secondary,
            TransferError::Validation { .. } => MessageText::Grammar,
            TransferError::Throttling { .. } | TransferError::UnknownOperation => MessageText::None,
            TransferError::InvalidRequest { .. }
            | TransferError::InternalServiceError
            | TransferError::ServiceUnavailable
            | TransferError::InvalidNextToken
            | TransferError::Serialization { .. }
            | TransferError::MissingAuthenticationToken => MessageText::Own,
        }
    }

    /// The error on the wire: `{"__type": …, members…}` with the awsJson content type and request id.
    pub fn to_response(&self, profile: StatusProfile, request_id: &str) -> WireResponse {
        let (status, type_name) = (self.status(profile), self.type_name());
        if let TransferError::Validation { style, violations } = self {
            let members = aws_json::validation_members(*style, MessageMember::Capitalised, violations);
            return aws_json::error(status, request_id, type_name, &members);
        }
        let mut members = Members { message: self.message(), ..Members::default() };
        match self {
            TransferError::ResourceNotFound { server_id } => {
                members.resource = Some(server_id);
                members.resource_type = Some("Server");
            }
            TransferError::Throttling { retry_after_seconds } => {
                members.retry_after_seconds = Some(retry_after_seconds.to_string());
            }
            _ => {}
        }
        aws_json::error(status, request_id, type_name, &members)
    }
}

/// The members of Transfer's modeled errors after `__type`, as the model names them: `Message` on every
/// exception, `Resource` and `ResourceType` on `ResourceNotFoundException`, `RetryAfterSeconds` (a string)
/// on `ThrottlingException`.
#[derive(Default, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Members<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_seconds: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn statuses_follow_the_profile() {
        let rnf = TransferError::ResourceNotFound { server_id: "s-fffffffffffffffff".into() };
        assert_eq!(rnf.status(StatusProfile::ApiReference), 400);
        assert_eq!(rnf.status(StatusProfile::ServiceModel), 404);
        assert!(rnf.status_depends_on_profile());
        let t = TransferError::Throttling { retry_after_seconds: 1 };
        assert_eq!(t.status(StatusProfile::ServiceModel), 429);
        assert_eq!(TransferError::InternalServiceError.status(StatusProfile::ApiReference), 500);
        assert_eq!(TransferError::ServiceUnavailable.status(StatusProfile::ServiceModel), 503);
        let ir = TransferError::InvalidRequest { message: "x".into() };
        assert!(!ir.status_depends_on_profile());
    }

    #[test]
    fn bodies_carry_the_model_members() {
        let rnf = TransferError::ResourceNotFound { server_id: "s-fffffffffffffffff".into() };
        let r = rnf.to_response(StatusProfile::ApiReference, "rid");
        let v: Value = serde_json::from_str::<Value>(&r.body).unwrap();
        assert_eq!(v["__type"], "ResourceNotFoundException");
        assert_eq!(v["Message"], "Unknown server");
        assert_eq!(v["Resource"], "s-fffffffffffffffff");
        assert_eq!(v["ResourceType"], "Server");
        assert_eq!(r.header("x-amzn-RequestId"), Some("rid"));
        let t = TransferError::Throttling { retry_after_seconds: 1 }
            .to_response(StatusProfile::ApiReference, "r");
        let v: Value = serde_json::from_str::<Value>(&t.body).unwrap();
        assert_eq!(v["RetryAfterSeconds"], "1");
        assert!(v.get("Message").is_none());
        let u = TransferError::UnknownOperation.to_response(StatusProfile::ApiReference, "r");
        assert_eq!(u.body, r#"{"__type":"UnknownOperationException"}"#);
    }

    /// Every error, with the texts the simulator sends: a text is called documented exactly when the spec
    /// quotes it; LocalStack's text must be one the spec quotes as such; a grammar text must be built on
    /// §0.4's grammar. A new error type must be classified (`message_text` is an exhaustive match). The
    /// exchange-level check over every story and random script is in `tests/stories.rs` and
    /// `tests/properties.rs`.
    #[test]
    fn message_texts_are_documented_only_where_the_spec_quotes_them() {
        let spec = crate::providers::spec_text();
        let validation = |style, id| TransferError::Validation {
            style,
            violations: super::super::server_id_violations(style, id),
        };
        let all = [
            TransferError::ResourceNotFound { server_id: "s-0123456789abcdef0".into() },
            TransferError::InvalidRequest {
                message: crate::providers::emitted_message(
                    "TransferService.StopServer",
                    r#"{"ServerId":"s-0000000000000000b"}"#,
                ),
            },
            TransferError::Throttling { retry_after_seconds: 1 },
            TransferError::InternalServiceError,
            TransferError::ServiceUnavailable,
            TransferError::InvalidNextToken,
            validation(ValidationStyle::Coral, Some("s-0123456789ABCDEF0")),
            validation(ValidationStyle::Smithy, Some("s-0123456789abcdef")),
            validation(ValidationStyle::Coral, None),
            TransferError::Serialization {
                message: crate::providers::emitted_message("TransferService.StopServer", r#"{"ServerId":"#),
            },
            TransferError::Serialization {
                message: crate::providers::emitted_message(
                    "TransferService.StopServer",
                    r#"{"ServerId":123}"#,
                ),
            },
            TransferError::UnknownOperation,
            TransferError::MissingAuthenticationToken,
        ];
        for e in all {
            let text = e.message();
            crate::providers::check_message_text(&spec, &format!("{e:?}"), e.message_text(), text.as_deref());
        }
    }
}
