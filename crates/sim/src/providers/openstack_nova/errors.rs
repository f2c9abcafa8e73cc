//! Every error Nova (and the middleware in front of it) answers, with its status, fault name and exact
//! message (spec §3.3, §5), and the three bodies that carry them: Nova's fault wrapper
//! `{"<faultName>": {"code": N, "message": "…"}}`, keystonemiddleware's 401, and webob's bare 404 page.

use super::models::{PowerAction, Refusal};
use super::responses::{accept_quality, parse_accept, python_json};
use crate::exchange::MessageText;
use crate::wire::WireResponse;
use serde::Serialize;
use std::collections::BTreeMap;

/// `Content-Type` of every Nova fault and of keystonemiddleware's 401.
pub const FAULT_CONTENT_TYPE: &str = "application/json; charset=UTF-8";

/// An error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NovaError {
    /// keystonemiddleware: no token, or a token Keystone does not know.
    Unauthorized,
    /// The router found no route: webob's `HTTPNotFound()` page.
    NoRoute,
    /// `InvalidAPIVersionString` (400).
    BadVersionString(String),
    /// `InvalidGlobalAPIVersion` (406 `computeFault`).
    VersionNotSupported {
        /// The version asked for, as Nova prints it.
        requested: String,
        /// The cloud's maximum.
        max: String,
    },
    /// `InvalidContentType` (415).
    UnsupportedContentType,
    /// `action_peek` could not read one key (400).
    MalformedBody,
    /// The body's one key is not a registered action (400).
    NoSuchAction(String),
    /// `action_peek` raised TypeError/AttributeError (`null`, numbers, booleans, one-character strings,
    /// one-element arrays): webob's default 404 explanation inside a fault.
    BodyNotFound,
    /// URL `{project_id}` is not the token's project (400).
    ProjectMismatch {
        /// From the URL.
        url: String,
        /// From the token.
        context: String,
    },
    /// `InstanceMappingNotFound` (404).
    NoMapping(String),
    /// `InstanceNotFound` (404).
    NotFound(String),
    /// `PolicyNotAuthorized` (403), naming the rule.
    Policy(&'static str),
    /// A `compute.API` check refused the action (409).
    Refused {
        /// Which action.
        action: PowerAction,
        /// The id from the URL.
        server_id: String,
        /// Which check.
        refusal: Refusal,
    },
    /// `MarkerNotFound` while listing (400).
    MarkerNotFound(String),
    /// A query parameter that fails its schema or parser (400), with the full message.
    BadQuery(String),
    /// An action body that fails its request schema (400 `ValidationError`), with the full message.
    InvalidBody(String),
    /// A route or action real Nova has and the simulator does not model (501).
    NotModelled(String),
    /// Injected throttling (429 `overLimit`), retry after this many seconds.
    OverLimit(u64),
    /// Injected unavailability (503).
    Unavailable,
}

impl NovaError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            NovaError::Unauthorized => 401,
            NovaError::NoRoute
            | NovaError::BodyNotFound
            | NovaError::NoMapping(_)
            | NovaError::NotFound(_) => 404,
            NovaError::BadVersionString(_)
            | NovaError::MalformedBody
            | NovaError::NoSuchAction(_)
            | NovaError::ProjectMismatch { .. }
            | NovaError::MarkerNotFound(_)
            | NovaError::BadQuery(_)
            | NovaError::InvalidBody(_) => 400,
            NovaError::VersionNotSupported { .. } => 406,
            NovaError::UnsupportedContentType => 415,
            NovaError::Policy(_) => 403,
            NovaError::Refused { .. } => 409,
            NovaError::NotModelled(_) => 501,
            NovaError::OverLimit(_) => 429,
            NovaError::Unavailable => 503,
        }
    }

    /// The explanation Nova puts in `message`.
    pub fn message(&self) -> String {
        match self {
            NovaError::Unauthorized => "The request you have made requires authentication.".to_string(),
            NovaError::NoRoute | NovaError::BodyNotFound => "The resource could not be found.".to_string(),
            NovaError::BadVersionString(v) => {
                format!("API Version String {v} is of invalid format. Must be of format MajorNum.MinorNum.")
            }
            NovaError::VersionNotSupported { requested, max } => format!(
                "Version {requested} is not supported by the API. Minimum is 2.1 and maximum is {max}."
            ),
            NovaError::UnsupportedContentType => "Unsupported Content-Type".to_string(),
            NovaError::MalformedBody => "Malformed request body".to_string(),
            NovaError::NoSuchAction(a) => format!("There is no such action: {a}"),
            NovaError::ProjectMismatch { url, context } => format!(
                "Malformed request URL: URL's project_id '{url}' doesn't match Context's project_id '{context}'"
            ),
            NovaError::NoMapping(id) => format!("Instance {id} has no mapping to a cell."),
            NovaError::NotFound(id) => format!("Instance {id} could not be found."),
            NovaError::Policy(rule) => format!("Policy doesn't allow {rule} to be performed."),
            NovaError::Refused { action, server_id, refusal } => match refusal {
                Refusal::Locked => format!("Instance {server_id} is locked"),
                Refusal::NotReady => format!("Instance {server_id} is not ready"),
                Refusal::VmState(vm) => format!(
                    "Cannot '{}' instance {server_id} while it is in vm_state {}",
                    action.method(),
                    vm.as_str()
                ),
                Refusal::TaskState(task) => {
                    format!("Cannot '{}' instance {server_id} while it is in task_state {task}", action.method())
                }
                Refusal::NeverLaunched => {
                    format!("Cannot '{}' instance {server_id} while it is in launched_at None", action.method())
                }
            },
            NovaError::MarkerNotFound(m) => format!("marker [{m}] not found"),
            NovaError::BadQuery(message) | NovaError::InvalidBody(message) => message.clone(),
            NovaError::NotModelled(what) => format!(
                "The playground does not simulate {what}; only os-stop, os-start, lock, unlock and GET of servers."
            ),
            NovaError::OverLimit(_) => "This request was rate-limited.".to_string(),
            NovaError::Unavailable => {
                "The server is currently unavailable. Please try again at a later time.".to_string()
            }
        }
    }
}

impl NovaError {
    /// Where [`NovaError::message`] comes from. Documented ([`MessageText::Spec`]) only where §3.3 / §3.6
    /// quote the text word for word, by template or by example: the policy text only for
    /// `os_compute_api:servers:stop` (N15), the `Cannot '…' instance` refusals only for `'stop'` (steps 11–13;
    /// the task_state one only for `powering-off`, the one the spec quotes). The lock and not-ready texts
    /// name no action, so they are quoted for os-start too. Everything else is marked [U] in the diagnosis.
    pub fn message_text(&self) -> MessageText {
        match self {
            NovaError::Unauthorized
            | NovaError::NoRoute
            | NovaError::BadVersionString(_)
            | NovaError::VersionNotSupported { .. }
            | NovaError::UnsupportedContentType
            | NovaError::MalformedBody
            | NovaError::NoSuchAction(_)
            | NovaError::BodyNotFound
            | NovaError::ProjectMismatch { .. }
            | NovaError::NoMapping(_)
            | NovaError::NotFound(_) => MessageText::Spec,
            NovaError::Policy(rule) if *rule == STOP_POLICY || *rule == UNLOCK_OVERRIDE_POLICY => MessageText::Spec,
            NovaError::Policy(_) => MessageText::Upstream(
                "nova's PolicyNotAuthorized text (nova/exception.py) for a rule other than servers:stop and \
                 unlock_override",
            ),
            NovaError::Refused { refusal: Refusal::Locked | Refusal::NotReady, .. } => MessageText::Spec,
            NovaError::Refused { action: PowerAction::Stop, refusal, .. } => match refusal {
                Refusal::TaskState(task) if task != "powering-off" => MessageText::Upstream(
                    "nova's raise_http_conflict_for_instance_invalid_state text (nova/api/openstack/common.py) \
                     for a task_state other than powering-off",
                ),
                _ => MessageText::Spec,
            },
            NovaError::Refused { action: PowerAction::Start, .. } => MessageText::Upstream(
                "nova's raise_http_conflict_for_instance_invalid_state text (nova/api/openstack/common.py) for \
                 'start'; the spec quotes only the 'stop' forms",
            ),
            NovaError::MarkerNotFound(_) => {
                MessageText::Upstream("the text of nova's servers.py _get_servers")
            }
            NovaError::BadQuery(_) => MessageText::Upstream(
                "nova's query-parameter validation (jsonschema) or oslo.utils strutils wording",
            ),
            NovaError::InvalidBody(_) => MessageText::Upstream(
                "nova's request-body validation wording (nova/api/validation/validators.py around jsonschema's \
                 messages)",
            ),
            NovaError::Unavailable => MessageText::Upstream("webob's default explanation for a 503"),
            NovaError::NotModelled(_) | NovaError::OverLimit(_) => MessageText::Own,
        }
    }

    /// Where the message of the answer to a request with this `Accept` header comes from: as
    /// [`NovaError::message_text`], except that webob's 404 page has a `message` member only in its JSON
    /// rendering, which adds webob's `<br />` tail to the sentence the spec quotes.
    pub fn answer_message_text(&self, accept: Option<&str>) -> MessageText {
        match self {
            NovaError::NoRoute if page_flavor(accept) == PageFlavor::Json => {
                MessageText::Upstream("webob 1.8's JSON rendering of its HTTPNotFound page")
            }
            _ => self.message_text(),
        }
    }
}

/// Where the message of webob's 404 page for this `Accept` comes from (for requests no service claims,
/// which get the same page).
pub fn webob_404_message_text(accept: Option<&str>) -> MessageText {
    NovaError::NoRoute.answer_message_text(accept)
}

/// The policy rule of `os-stop`, one of the two whose refusal text the spec quotes (N15).
pub const STOP_POLICY: &str = "os_compute_api:servers:stop";

/// The policy rule of the `lock` action (`nova/policies/lock_server.py`, project member or admin).
pub const LOCK_POLICY: &str = "os_compute_api:os-lock-server:lock";

/// The policy rule of the `unlock` action (project member or admin).
pub const UNLOCK_POLICY: &str = "os_compute_api:os-lock-server:unlock";

/// The rule for unlocking a lock the caller did not set (admin only; §3.7 quotes its refusal text).
pub const UNLOCK_OVERRIDE_POLICY: &str = "os_compute_api:os-lock-server:unlock:unlock_override";

/// The fault name `Fault._fault_names` gives a status (anything unlisted is `computeFault`).
pub fn fault_name(status: u16) -> &'static str {
    match status {
        400 => "badRequest",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "itemNotFound",
        405 => "badMethod",
        409 => "conflictingRequest",
        413 | 429 => "overLimit",
        415 => "badMediaType",
        501 => "notImplemented",
        503 => "serviceUnavailable",
        _ => "computeFault",
    }
}

/// Nova's fault body, as `json.dumps` writes it: `{"itemNotFound": {"code": 404, "message": "…"}}`,
/// plus `retryAfter` (a string, copied from the `Retry-After` header) on 413/429.
pub fn fault_body(status: u16, message: &str, retry_after: Option<&str>) -> String {
    #[derive(Serialize)]
    struct Fault<'a> {
        code: u16,
        message: &'a str,
        #[serde(rename = "retryAfter", skip_serializing_if = "Option::is_none")]
        retry_after: Option<&'a str>,
    }
    let body = BTreeMap::from([(fault_name(status), Fault { code: status, message, retry_after })]);
    python_json(&body, 64 + message.len())
}

/// keystonemiddleware's refusal body: `{"error": {"code": 401, "title": "Unauthorized", "message": …}}`.
#[derive(Serialize)]
struct KeystoneRefusal {
    error: KeystoneError,
}

#[derive(Serialize)]
struct KeystoneError {
    code: u16,
    title: &'static str,
    message: &'static str,
}

const KEYSTONE_401: KeystoneRefusal = KeystoneRefusal {
    error: KeystoneError {
        code: 401,
        title: "Unauthorized",
        message: "The request you have made requires authentication.",
    },
};

/// keystonemiddleware's refusal: 401, its own JSON body and `WWW-Authenticate: Keystone uri="…"`.
pub fn keystone_401(www_authenticate_uri: &str) -> WireResponse {
    WireResponse::new(401)
        .with_header("Content-Type", FAULT_CONTENT_TYPE)
        .with_header("WWW-Authenticate", &format!("Keystone uri=\"{www_authenticate_uri}\""))
        .with_body(python_json(&KEYSTONE_401, 128))
}

/// Which rendering webob picks for its own error pages, by the `Accept` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageFlavor {
    /// `text/plain` (no `Accept`, or nothing acceptable).
    Plain,
    /// `text/html`.
    Html,
    /// `application/json` (webob's own JSON, not a Nova fault).
    Json,
}

/// webob's choice between its offers `text/html` and `application/json` (`acceptable_offers`; the first
/// offer wins ties). No header, an empty one, or one accepting neither → plain text; an unparseable header
/// accepts everything → HTML.
pub fn page_flavor(accept: Option<&str>) -> PageFlavor {
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return PageFlavor::Plain;
    };
    let Some(ranges) = parse_accept(accept) else { return PageFlavor::Html };
    let html = accept_quality(&ranges, "text", "html");
    let json = accept_quality(&ranges, "application", "json");
    if html <= 0.0 && json <= 0.0 {
        PageFlavor::Plain
    } else if json > html {
        PageFlavor::Json
    } else {
        PageFlavor::Html
    }
}

/// webob's `HTTPNotFound()` page in the flavor `Accept` asks for (byte for byte as webob 1.8 renders it; the
/// three renderings are kept as captured, the JSON one with webob's member order).
pub fn webob_404(accept: Option<&str>) -> WireResponse {
    let (content_type, body) = match page_flavor(accept) {
        PageFlavor::Plain => {
            ("text/plain; charset=UTF-8", "404 Not Found\n\nThe resource could not be found.\n\n   ")
        }
        PageFlavor::Html => (
            "text/html; charset=UTF-8",
            "<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  \
             The resource could not be found.<br /><br />\n\n\n\n </body>\n</html>",
        ),
        PageFlavor::Json => (
            "application/json",
            "{\"message\": \"The resource could not be found.<br /><br />\\n\\n\\n\", \"code\": \"404 Not Found\", \
             \"title\": \"Not Found\"}",
        ),
    };
    WireResponse::new(404).with_header("Content-Type", content_type).with_body(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::openstack_nova::models::VmState;

    #[test]
    fn fault_bodies_match_nova() {
        assert_eq!(
            fault_body(409, "Instance x is locked", None),
            r#"{"conflictingRequest": {"code": 409, "message": "Instance x is locked"}}"#
        );
        assert_eq!(
            fault_body(429, "This request was rate-limited.", Some("1")),
            r#"{"overLimit": {"code": 429, "message": "This request was rate-limited.", "retryAfter": "1"}}"#
        );
        assert_eq!(fault_name(406), "computeFault");
        assert_eq!(fault_name(500), "computeFault");
    }

    #[test]
    fn refusal_messages() {
        let e = NovaError::Refused {
            action: PowerAction::Start,
            server_id: "A".into(),
            refusal: Refusal::VmState(VmState::Active),
        };
        assert_eq!(e.message(), "Cannot 'start' instance A while it is in vm_state active");
        let e = NovaError::Refused {
            action: PowerAction::Stop,
            server_id: "F".into(),
            refusal: Refusal::NeverLaunched,
        };
        assert_eq!(e.message(), "Cannot 'stop' instance F while it is in launched_at None");
    }

    #[test]
    fn webob_negotiates_like_webob() {
        assert_eq!(page_flavor(None), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("*/*")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("application/json")), PageFlavor::Json);
        assert_eq!(page_flavor(Some("application/json, */*")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("application/*")), PageFlavor::Json);
        assert_eq!(page_flavor(Some("application/xml")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("text/plain")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("text/*;q=0")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("application/json;q=0")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("garbage;;")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("application/json;q=0.5, text/html")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("text/html;q=0.2, application/json")), PageFlavor::Json);
        assert_eq!(page_flavor(Some("text/*")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("text")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("*/*;q=0.5, application/json;q=0.4")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("application/json;charset=utf-8")), PageFlavor::Plain);
        assert_eq!(page_flavor(Some("APPLICATION/JSON")), PageFlavor::Json);
        assert_eq!(page_flavor(Some("application/json;q=2")), PageFlavor::Html);
        assert_eq!(page_flavor(Some("*/json")), PageFlavor::Plain);
        assert_eq!(webob_404(None).body.len(), 52);
        assert_eq!(webob_404(Some("text/html")).body.len(), 154);
        assert_eq!(webob_404(Some("application/json")).body.len(), 112);
    }

    /// Every error, with the spec's example values: documented exactly when the spec quotes the text.
    #[test]
    fn message_texts_are_documented_only_where_the_spec_quotes_them() {
        use crate::providers::openstack_nova::models::VmState;
        let spec = crate::providers::spec_text();
        let refused = |server_id: &str, refusal| NovaError::Refused {
            action: PowerAction::Stop,
            server_id: server_id.into(),
            refusal,
        };
        let all = [
            NovaError::Unauthorized,
            NovaError::NoRoute,
            NovaError::BadVersionString("2.x".into()),
            NovaError::VersionNotSupported { requested: "3.0".into(), max: "2.104".into() },
            NovaError::UnsupportedContentType,
            NovaError::MalformedBody,
            NovaError::NoSuchAction("os-stopp".into()),
            NovaError::BodyNotFound,
            NovaError::ProjectMismatch { url: "bbbb2222".into(), context: "aaaa1111".into() },
            NovaError::NoMapping("Z".into()),
            NovaError::NotFound("J".into()),
            NovaError::Policy("os_compute_api:servers:stop"),
            NovaError::Policy(UNLOCK_OVERRIDE_POLICY),
            refused("D", Refusal::Locked),
            NovaError::Refused {
                action: PowerAction::Start,
                server_id: "D".into(),
                refusal: Refusal::Locked,
            },
            refused("F", Refusal::NotReady),
            refused("B", Refusal::VmState(VmState::Stopped)),
            refused("E", Refusal::TaskState("powering-off".into())),
            refused("<server_id>", Refusal::NeverLaunched),
            // What the spec does not quote: os-start's refusals, other task_states, other policy rules.
            NovaError::Refused {
                action: PowerAction::Start,
                server_id: "A".into(),
                refusal: Refusal::VmState(VmState::Active),
            },
            NovaError::Refused {
                action: PowerAction::Start,
                server_id: "B".into(),
                refusal: Refusal::TaskState("powering-on".into()),
            },
            refused("B", Refusal::TaskState("powering-on".into())),
            NovaError::Policy("os_compute_api:servers:start"),
            NovaError::Policy("os_compute_api:servers:show"),
            NovaError::Policy("os_compute_api:servers:index"),
            NovaError::Policy("os_compute_api:servers:detail"),
            NovaError::Policy("os_compute_api:servers:index:get_all_tenants"),
            NovaError::Policy("os_compute_api:servers:detail:get_all_tenants"),
            NovaError::Policy(LOCK_POLICY),
            NovaError::Policy(UNLOCK_POLICY),
            NovaError::InvalidBody(
                "Invalid input for field/attribute locked_reason. Value: . '' should be non-empty".into(),
            ),
            NovaError::MarkerNotFound("m".into()),
            NovaError::BadQuery(
                "Invalid input for query parameters limit. Value: x. 'x' does not match '^[0-9]*$'".into(),
            ),
            NovaError::NotModelled("the 'reboot' action".into()),
            NovaError::OverLimit(1),
            NovaError::Unavailable,
        ];
        for e in all {
            let text = e.message();
            crate::providers::check_message_text(&spec, &format!("{e:?}"), e.message_text(), Some(&text));
        }
    }
}
