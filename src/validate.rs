//! Validation as you type: each form field checked by the simulator's own rule functions, so the page
//! shows exactly what the service's field rule would answer and the two cannot word a rule differently. (The
//! service checks other things first: credentials when the scenario requires them, throttling, injected
//! faults, Lightsail's account state; those show only in the answer after Send.) The Transfer `ServerId`
//! rules (`aws_transfer::server_id_violations`, worded by `aws_json::validation_message` in the scenario's
//! `validation_style`), Lightsail's input rules (`aws_lightsail::input_error`, which also follows
//! `lightsail.name_error`), Nova's microversion negotiation (`openstack_nova::microversion_error`) and the
//! lock's reason at the form's microversion (`openstack_nova::locked_reason_error`).
//! A boolean field holding anything else gets the framework's `SerializationException` wording
//! (`aws_json::Unreadable`). What only the page can know (a path segment that would change the route, a token
//! with spaces) is checked here.

use crate::ops::{FieldDef, FieldKind, Fields, OpDef};
use sim::providers::{aws_json, aws_lightsail, aws_transfer, openstack_nova};
use sim::scenario::Settings;
use sim::Provider;

/// One failed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The parameter, as the API names it.
    pub field: &'static str,
    /// The error the service would answer, in its own words.
    pub message: String,
}

/// Checks every field of `op` under the scenario's `settings`.
pub fn check(op: &OpDef, fields: &Fields, settings: &Settings) -> Vec<Issue> {
    op.fields
        .iter()
        .filter_map(|f| {
            let value = fields.get(f.name).map(String::as_str).unwrap_or("");
            check_field(op.provider, f, value, fields, settings)
                .map(|message| Issue { field: f.name, message })
        })
        .collect()
}

/// Checks one field; `None` when it is fine. An empty required field is checked as absent. `fields` is the
/// whole form, for a rule that depends on another field (the lock's reason on the microversion).
pub fn check_field(
    provider: Provider,
    field: &FieldDef,
    value: &str,
    fields: &Fields,
    settings: &Settings,
) -> Option<String> {
    if field.kind == FieldKind::Bool {
        // Any other value came from a JSON string in the raw request (the form only offers true and false;
        // `ops::extract` keeps such a string in quotes, `"true"` included), and the service refuses a string
        // there with the framework's SerializationException.
        return match value {
            "" | "true" | "false" => None,
            _ => {
                let found = serde_json::Value::from(value);
                let unreadable =
                    aws_json::Unreadable::wrong_type(field.name, &found, aws_json::Expected::Boolean);
                Some(format!("SerializationException: {}", unreadable.message))
            }
        };
    }
    let given = (!value.is_empty()).then_some(value);
    match (provider, field.name) {
        (Provider::Transfer, "ServerId") => {
            let style = settings.validation_style;
            let violations = aws_transfer::server_id_violations(style, given);
            (!violations.is_empty())
                .then(|| format!("ValidationException: {}", aws_json::validation_message(style, &violations)))
        }
        (Provider::Lightsail, "instanceName" | "operationId") => {
            aws_lightsail::input_error(settings, field.name, given).map(|(kind, message)| format!("{kind}: {message}"))
        }
        _ if value.is_empty() => field.required.then(|| match provider {
            Provider::Nova if field.name == "X-Auth-Token" => {
                "Required: without a token keystonemiddleware answers 401 before Nova sees the request.".into()
            }
            Provider::Nova => format!("Required: {} is part of the URL path.", field.name),
            Provider::Transfer | Provider::Lightsail => format!("{} is required.", field.name),
        }),
        (_, "server_id") => check_path_segment(value),
        (_, "project_id") => (!sim::scenario::is_project_id(value)).then(|| {
            format!(
                "Must match [0-9a-f-]+ (Nova's route token for {{project_id}}); {} would get a 404 with no route.",
                first_bad(value, |c| is_lower_hex(c) || c == '-')
                    .map_or("the value".to_string(), |(at, c)| format!("{c:?} at position {at}"))
            )
        }),
        (_, "X-Auth-Token") => value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
            .then(|| "A token is one word: no spaces or control characters.".into()),
        (_, "OpenStack-API-Version") => openstack_nova::microversion_error(value, &settings.nova.max_microversion),
        (Provider::Nova, "locked_reason") => {
            let header = fields.get("OpenStack-API-Version").map(|v| v.trim()).filter(|v| !v.is_empty());
            openstack_nova::locked_reason_error(value, header, &settings.nova.max_microversion)
        }
        _ => None,
    }
}

/// Where a value breaks its rule, when the service's own message does not say (the awsJson validation grammar
/// names the rule, not the character): the page's pointer, shown after that message. `None` when the value
/// is fine or the message already says where.
pub fn pointer(provider: Provider, field: &FieldDef, value: &str) -> Option<String> {
    if provider != Provider::Transfer || field.name != "ServerId" || value.is_empty() {
        return None;
    }
    if aws_transfer::is_valid_server_id(value) {
        return None;
    }
    let len = value.chars().count();
    let Some(hex) = value.strip_prefix("s-") else {
        return Some("it must start with s-".to_string());
    };
    let mut parts = Vec::new();
    if len != 19 {
        parts.push(format!("it has {len} characters, and 19 are needed"));
    }
    if let Some((at, c)) = first_bad(hex, is_lower_hex) {
        parts.push(format!("{c:?} at position {} is not a lowercase hex digit", at + 2));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// The first character of `value` that `ok` refuses, with its position counted from 1.
fn first_bad(value: &str, ok: impl Fn(char) -> bool) -> Option<(usize, char)> {
    value.chars().enumerate().find(|(_, c)| !ok(*c)).map(|(i, c)| (i + 1, c))
}

fn is_lower_hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

fn check_path_segment(value: &str) -> Option<String> {
    value
        .chars()
        .find(|c| matches!(c, '/' | '?' | '#') || c.is_whitespace() || c.is_control())
        .map(|c| format!("{c:?} cannot go in a URL path segment: the request would reach a different route."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{find, stop_op};
    use sim::scenario::{LightsailNameError, Scenario, ValidationStyle};
    use sim::{Sim, WireRequest};

    fn msg_with(op: &OpDef, pairs: &[(&str, &str)], settings: &Settings) -> Vec<String> {
        let f: Fields = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        check(op, &f, settings).into_iter().map(|i| format!("{}: {}", i.field, i.message)).collect()
    }

    fn msg(op: &OpDef, pairs: &[(&str, &str)]) -> Vec<String> {
        msg_with(op, pairs, &Scenario::builtin().settings)
    }

    /// The service's own answer to `{member: value}` (or `{}`), as `__type: message`.
    fn answer(settings: &Settings, target: &str, member: &str, value: &str) -> String {
        let mut scenario = Scenario::builtin();
        scenario.settings = settings.clone();
        let body = if value.is_empty() {
            "{}".to_string()
        } else {
            serde_json::json!({ member: value }).to_string()
        };
        let ex = Sim::new(scenario).expect("loads").handle(
            WireRequest::new("POST", "/")
                .with_header("Content-Type", "application/x-amz-json-1.1")
                .with_header("X-Amz-Target", target)
                .with_body(&body),
        );
        let v: serde_json::Value = serde_json::from_str(&ex.response.body).unwrap_or_default();
        let message = v.get("Message").or_else(|| v.get("message")).and_then(|m| m.as_str()).unwrap_or("");
        format!("{}: {message}", v["__type"].as_str().unwrap_or(""))
    }

    #[test]
    fn the_pointer_says_where_a_server_id_breaks_its_rule() {
        let op = stop_op(Provider::Transfer);
        let f = &op.fields[0];
        assert_eq!(f.name, "ServerId");
        assert_eq!(pointer(Provider::Transfer, f, "s-01234567890abcdef"), None);
        assert_eq!(pointer(Provider::Transfer, f, ""), None);
        assert_eq!(
            pointer(Provider::Transfer, f, "s-0123456789ABCDEF0").as_deref(),
            Some("'A' at position 13 is not a lowercase hex digit")
        );
        assert_eq!(
            pointer(Provider::Transfer, f, "s-0123456789abcdef").as_deref(),
            Some("it has 18 characters, and 19 are needed")
        );
        assert_eq!(
            pointer(Provider::Transfer, f, "x-0123456789abcdef0").as_deref(),
            Some("it must start with s-")
        );
        assert_eq!(
            pointer(Provider::Transfer, f, "s-é").as_deref(),
            Some("it has 3 characters, and 19 are needed; 'é' at position 3 is not a lowercase hex digit")
        );
    }

    #[test]
    fn server_id_rules_are_the_services() {
        let op = stop_op(Provider::Transfer);
        assert!(msg(op, &[("ServerId", "s-01234567890abcdef")]).is_empty());
        assert!(msg(op, &[])[0].contains("Member must not be null"));
        let short = msg(op, &[("ServerId", "s-0123456789abcdef")]);
        assert!(short[0].contains("Member must have length greater than or equal to 19"), "{short:?}");
        let upper = msg(op, &[("ServerId", "s-0123456789ABCDEF0")]);
        assert!(upper[0].contains("s-([0-9a-f]{17})"), "{upper:?}");
        // Exactly what StopServer answers, in either validation style.
        for style in [ValidationStyle::Coral, ValidationStyle::Smithy] {
            let mut settings = Scenario::builtin().settings;
            settings.validation_style = style;
            for value in [
                "",
                "s-0123456789abcdef",
                "s-0123456789abcdef01",
                "x-0123456789abcdef0",
                "s-é123456789abcdef0",
            ] {
                let page = msg_with(op, &[("ServerId", value)], &settings);
                let service = answer(&settings, "TransferService.StopServer", "ServerId", value);
                assert_eq!(page, vec![format!("ServerId: {service}")], "{style:?} {value:?}");
            }
        }
        // The Smithy wording, against spec §0.4's grammar (`Value at '/string' …`, the anchored pattern).
        let mut smithy = Scenario::builtin().settings;
        smithy.validation_style = ValidationStyle::Smithy;
        assert_eq!(
            msg_with(op, &[("ServerId", "s-0123456789ABCDEF0")], &smithy),
            ["ServerId: ValidationException: 1 validation error detected. Value at '/ServerId' failed to satisfy \
              constraint: Member must satisfy regular expression pattern: ^s-([0-9a-f]{17})$"]
        );
    }

    #[test]
    fn resource_name_rules_are_the_services() {
        let op = stop_op(Provider::Lightsail);
        assert!(msg(op, &[("instanceName", "Amazon_Linux_2023-1")]).is_empty());
        for bad in ["a", "my instance", "-abc", "abc-", "café-1"] {
            let m = msg(op, &[("instanceName", bad)]);
            assert_eq!(m.len(), 1, "{bad}");
            assert!(m[0].starts_with("instanceName: InvalidInputException: The instanceName"), "{m:?}");
        }
        assert!(msg(op, &[("instanceName", "my instance")])[0].contains("spaces are not allowed"));
        // A `force` that is not a boolean: the framework's answer to {"force": "yes"}, word for word (L14).
        let settings = Scenario::builtin().settings;
        assert_eq!(
            msg(op, &[("instanceName", "WordPress-1"), ("force", "yes")]),
            [format!("force: {}", answer(&settings, "Lightsail_20161128.StopInstance", "force", "yes"))]
        );
        assert_eq!(
            msg(op, &[("instanceName", "WordPress-1"), ("force", "yes")]),
            ["force: SerializationException: STRING_VALUE can not be converted to a Boolean"]
        );
        // The string "true" in the raw request is not the boolean: the form keeps it quoted and flags it.
        let raw = WireRequest::new("POST", "/")
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", "Lightsail_20161128.StopInstance")
            .with_body(r#"{"instanceName":"WordPress-1","force":"true"}"#);
        let fields = crate::ops::extract(&raw).map(|x| x.fields).unwrap_or_default();
        assert_eq!(fields.get("force").map(String::as_str), Some("\"true\""));
        assert_eq!(
            check(op, &fields, &settings).into_iter().map(|i| i.message).collect::<Vec<_>>(),
            ["SerializationException: STRING_VALUE can not be converted to a Boolean"]
        );
        // Exactly what StopInstance answers, whatever name_error and validation_style say.
        for (style, name_error) in [
            (ValidationStyle::Coral, LightsailNameError::InvalidInput),
            (ValidationStyle::Coral, LightsailNameError::Validation),
            (ValidationStyle::Smithy, LightsailNameError::Validation),
        ] {
            let mut settings = Scenario::builtin().settings;
            settings.validation_style = style;
            settings.lightsail.name_error = name_error;
            for value in ["", "a", "my instance", "abc-", "café-1"] {
                let page = msg_with(op, &[("instanceName", value)], &settings);
                let service = answer(&settings, "Lightsail_20161128.StopInstance", "instanceName", value);
                assert_eq!(
                    page,
                    vec![format!("instanceName: {service}")],
                    "{style:?} {name_error:?} {value:?}"
                );
            }
        }
        let get_op = find(Provider::Lightsail, "GetOperation").expect("GetOperation");
        let settings = Scenario::builtin().settings;
        let page = msg_with(get_op, &[("operationId", "  ")], &settings);
        let service = answer(&settings, "Lightsail_20161128.GetOperation", "operationId", "  ");
        assert_eq!(page, vec![format!("operationId: {service}")]);
    }

    #[test]
    fn nova_rules() {
        let op = stop_op(Provider::Nova);
        let ok = [("server_id", "a0000000-0000-4000-8000-00000000000a"), ("X-Auth-Token", "member-token")];
        assert!(msg(op, &ok).is_empty());
        assert!(msg(op, &[("server_id", "a")])[0].contains("401"));
        let m = msg(op, &[("server_id", "a/b"), ("X-Auth-Token", "t"), ("project_id", "my-proj!")]);
        assert_eq!(m.len(), 2, "{m:?}");
        let v = msg(
            find(Provider::Nova, "os-stop").unwrap(),
            &[("server_id", "a"), ("X-Auth-Token", "t"), ("OpenStack-API-Version", "compute 3.0")],
        );
        assert_eq!(
            v,
            ["OpenStack-API-Version: Version 3.0 is not supported by the API. Minimum is 2.1 and maximum is 2.104."]
        );
        let v =
            msg(op, &[("server_id", "a"), ("X-Auth-Token", "t"), ("OpenStack-API-Version", "compute 2.x")]);
        assert!(v[0].contains("API Version String 2.x is of invalid format"), "{v:?}");
        // The cloud's maximum is the scenario's.
        let mut settings = Scenario::builtin().settings;
        settings.nova.max_microversion = "2.100".into();
        let v = msg_with(
            op,
            &[("server_id", "a"), ("X-Auth-Token", "t"), ("OpenStack-API-Version", "compute 2.103")],
            &settings,
        );
        assert!(v[0].contains("maximum is 2.100"), "{v:?}");
        assert!(msg(
            op,
            &[("server_id", "a"), ("X-Auth-Token", "t"), ("OpenStack-API-Version", "compute latest")]
        )
        .is_empty());
    }

    /// The lock's reason is checked as Nova checks it at the form's microversion: from 2.73 its schema
    /// (1 to 255 characters), below 2.73 not at all (Nova accepts and drops it).
    #[test]
    fn lock_reason_follows_the_microversion() {
        let op = find(Provider::Nova, "lock").expect("lock");
        let long = "x".repeat(256);
        let base = [("server_id", "a"), ("X-Auth-Token", "t"), ("locked_reason", long.as_str())];
        assert!(msg(op, &base).is_empty(), "at 2.1 Nova takes any reason");
        let at = |v: &str| {
            let mut f = base.to_vec();
            f.push(("OpenStack-API-Version", v));
            msg(op, &f)
        };
        assert!(at("compute 2.72").is_empty());
        let want = format!(
            "locked_reason: Invalid input for field/attribute locked_reason. Value: {long}. '{long}' is too long"
        );
        assert_eq!(at("compute 2.73"), std::slice::from_ref(&want));
        assert_eq!(at("compute latest"), [want]);
        // The same text as the simulator's answer to that request.
        let req = crate::ops::build(
            op,
            &[
                ("server_id", "a0000000-0000-4000-8000-00000000000a"),
                ("X-Auth-Token", "member-token-aaaa1111"),
            ]
            .iter()
            .chain([("OpenStack-API-Version", "compute 2.73"), ("locked_reason", long.as_str())].iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        );
        let ex = Sim::new(Scenario::builtin()).expect("loads").handle(req);
        assert_eq!(ex.response.status, 400);
        assert!(ex.response.body.contains("is too long"), "{}", ex.response.body);
        let fine = [("server_id", "a"), ("X-Auth-Token", "t"), ("locked_reason", "disk check")];
        assert!(msg(op, &fine).is_empty());
    }
}
