//! Validation as you type: each form field checked against the constraint the spec gives for it, with the
//! failing rule named in the provider's own words, before anything is sent.

use crate::ops::{FieldDef, FieldKind, Fields, OpDef};
use sim::providers::openstack_nova::parse_version;
use sim::Provider;

/// One failed rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The parameter, as the API names it.
    pub field: &'static str,
    /// The rule in the provider's words, plus what in the value breaks it.
    pub message: String,
}

/// Checks every field of `op`. `max_microversion` is the simulated cloud's highest Nova version.
pub fn check(op: &OpDef, fields: &Fields, max_microversion: &str) -> Vec<Issue> {
    op.fields
        .iter()
        .filter_map(|f| {
            let value = fields.get(f.name).map(String::as_str).unwrap_or("");
            check_field(op.provider, f, value, max_microversion)
                .map(|message| Issue { field: f.name, message })
        })
        .collect()
}

/// Checks one field; `None` when it is fine.
pub fn check_field(
    provider: Provider,
    field: &FieldDef,
    value: &str,
    max_microversion: &str,
) -> Option<String> {
    if field.kind == FieldKind::Bool {
        return match value {
            "" | "true" | "false" => None,
            _ => Some("Must be a JSON boolean: true or false.".into()),
        };
    }
    if value.is_empty() {
        return field.required.then(|| match provider {
            Provider::Nova if field.name == "X-Auth-Token" => {
                "Required: without a token keystonemiddleware answers 401 before Nova sees the request."
                    .into()
            }
            Provider::Nova => format!("Required: {} is part of the URL path.", field.name),
            _ => format!("{} is required: Member must not be null.", field.name),
        });
    }
    match field.name {
        "ServerId" => check_server_id(value),
        "instanceName" => check_resource_name(value),
        "operationId" => (value.trim().is_empty()).then(|| "Member must satisfy regular expression pattern: .*\\S.*".into()),
        "server_id" => check_path_segment(value),
        "project_id" => (!sim::scenario::is_project_id(value)).then(|| {
            format!(
                "Must match [0-9a-f-]+ (Nova's route token for {{project_id}}); {} would get a 404 with no route.",
                first_bad(value, |c| c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-')
            )
        }),
        "X-Auth-Token" => value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
            .then(|| "A token is one word: no spaces or control characters.".into()),
        "OpenStack-API-Version" => check_microversion(value, max_microversion),
        _ => None,
    }
}

fn first_bad(value: &str, ok: impl Fn(char) -> bool) -> String {
    match value.char_indices().find(|(_, c)| !ok(*c)) {
        Some((i, c)) => format!("{c:?} at position {}", value[..i].chars().count() + 1),
        None => "the value".to_string(),
    }
}

/// Transfer `ServerId`: length 19 and pattern `s-([0-9a-f]{17})` (spec §1.1).
pub fn check_server_id(value: &str) -> Option<String> {
    let len = value.chars().count();
    if len != 19 {
        return Some(format!(
            "Value with length {len} failed to satisfy constraint: Member must have length 19 \
             (s- and 17 hex digits)."
        ));
    }
    if !sim::providers::aws_transfer::is_valid_server_id(value) {
        let detail = if !value.starts_with("s-") {
            "it must start with s-".to_string()
        } else {
            let bad = first_bad(&value[2..], |c| c.is_ascii_digit() || ('a'..='f').contains(&c));
            format!("{bad} after s- is not a lowercase hex digit")
        };
        return Some(format!(
            "Member must satisfy regular expression pattern: s-([0-9a-f]{{17}}) — {detail}."
        ));
    }
    None
}

/// Lightsail `ResourceName`: pattern `\w[\w\-]*\w` with ASCII `\w` (spec §2.1).
pub fn check_resource_name(value: &str) -> Option<String> {
    if sim::providers::aws_lightsail::is_valid_resource_name(value) {
        return None;
    }
    let w = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let detail = if value.chars().count() < 2 {
        "at least 2 characters are needed".to_string()
    } else if let Some((i, c)) = value.chars().enumerate().find(|(_, c)| !w(*c) && *c != '-') {
        format!("{c:?} at position {} is not a letter, digit, _ or -", i + 1)
    } else if !value.starts_with(w) {
        "the first character must be a letter, digit or _".to_string()
    } else {
        "the last character must be a letter, digit or _".to_string()
    };
    Some(format!("Member must satisfy regular expression pattern: \\w[\\w\\-]*\\w — {detail}."))
}

fn check_path_segment(value: &str) -> Option<String> {
    value
        .chars()
        .find(|c| matches!(c, '/' | '?' | '#') || c.is_whitespace() || c.is_control())
        .map(|c| format!("{c:?} cannot go in a URL path segment: the request would reach a different route."))
}

fn check_microversion(value: &str, max: &str) -> Option<String> {
    let version = value.strip_prefix("compute ").unwrap_or(value).trim();
    if version == "latest" {
        return None;
    }
    let Some(v) = parse_version(version) else {
        return Some(format!(
            "API Version String {version} is of invalid format. Must be of format MajorNum.MinorNum."
        ));
    };
    let max_v = parse_version(max).unwrap_or((2, 1));
    if v < (2, 1) || v > max_v {
        return Some(format!(
            "Version {version} is not supported by the API. Minimum is 2.1 and maximum is {max}."
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{find, stop_op};

    fn msg(op: &OpDef, pairs: &[(&str, &str)]) -> Vec<String> {
        let f: Fields = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        check(op, &f, "2.104").into_iter().map(|i| format!("{}: {}", i.field, i.message)).collect()
    }

    #[test]
    fn server_id_rules_name_the_constraint() {
        let op = stop_op(Provider::Transfer);
        assert!(msg(op, &[("ServerId", "s-01234567890abcdef")]).is_empty());
        assert!(msg(op, &[])[0].contains("Member must not be null"));
        assert!(msg(op, &[("ServerId", "s-0123456789abcdef")])[0].contains("length 18"));
        assert!(msg(op, &[("ServerId", "s-0123456789abcdef")])[0].contains("Member must have length 19"));
        let upper = msg(op, &[("ServerId", "s-0123456789ABCDEF0")]);
        assert!(
            upper[0].contains("s-([0-9a-f]{17})") && upper[0].contains("'A' at position 11"),
            "{upper:?}"
        );
        assert!(msg(op, &[("ServerId", "x-0123456789abcdef0")])[0].contains("must start with s-"));
    }

    #[test]
    fn resource_name_rules() {
        let op = stop_op(Provider::Lightsail);
        assert!(msg(op, &[("instanceName", "Amazon_Linux_2023-1")]).is_empty());
        for bad in ["a", "my instance", "-abc", "abc-", "café-1"] {
            let m = msg(op, &[("instanceName", bad)]);
            assert_eq!(m.len(), 1, "{bad}");
            assert!(m[0].contains("\\w[\\w\\-]*\\w"), "{m:?}");
        }
        assert!(msg(op, &[("instanceName", "my instance")])[0].contains("' ' at position 3"));
        assert!(msg(op, &[("instanceName", "WordPress-1"), ("force", "yes")])[0].starts_with("force"));
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
        assert!(v[0].contains("maximum is 2.104"), "{v:?}");
        let v =
            msg(op, &[("server_id", "a"), ("X-Auth-Token", "t"), ("OpenStack-API-Version", "compute 2.x")]);
        assert!(v[0].contains("invalid format"), "{v:?}");
    }
}
