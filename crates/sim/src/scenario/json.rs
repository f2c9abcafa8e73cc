//! Reading a scenario from JSON by walking a `crate::json::Value`, with errors that name the place.
//!
//! The derived `Deserialize` of some twenty nested types (with `deny_unknown_fields` and defaults) was the
//! single largest piece of the web build; this reader does the same job in a fraction of the code, and its
//! errors name the member (`fleet.transfer[2].id: expected a string`). The same macros write each type back
//! ([`ToJson`]), members in declaration order as serde's derived `Serialize` wrote them.
//!
//! Rules, as before: every member is optional (missing members keep their defaults), except `min_ms` and
//! `max_ms` of a timing; unknown members are errors; `null` is accepted only where the type is optional.

use super::*;
use crate::json::{ToJson, Value, Writer};

/// A type that can be read from a JSON value found at `path`.
pub(crate) trait FromJson: Sized {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError>;
}

fn wrong(path: &str, expected: &str, value: &Value) -> ScenarioError {
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    ScenarioError { place: display_path(path), message: format!("expected {expected}, found {found}") }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "scenario".to_string()
    } else {
        path.to_string()
    }
}

fn member_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl FromJson for String {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        value.as_str().map(str::to_string).ok_or_else(|| wrong(path, "a string", value))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        value.as_bool().ok_or_else(|| wrong(path, "true or false", value))
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        value.as_u64().ok_or_else(|| wrong(path, "a whole number ≥ 0", value))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| wrong(path, "a whole number from 0 to 4294967295", value))
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        value.as_f64().ok_or_else(|| wrong(path, "a number", value))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other, path).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        let items = value.as_array().ok_or_else(|| wrong(path, "an array", value))?;
        items.iter().enumerate().map(|(i, item)| T::from_json(item, &format!("{path}[{i}]"))).collect()
    }
}

/// The members of a JSON object, or an error naming `path`.
fn object<'a>(value: &'a Value, path: &str) -> Result<&'a crate::json::Map, ScenarioError> {
    value.as_object().ok_or_else(|| wrong(path, "an object", value))
}

fn unknown(path: &str, key: &str, known: &[&str]) -> ScenarioError {
    ScenarioError {
        place: member_path(path, key),
        message: format!("unknown member (known here: {})", known.join(", ")),
    }
}

/// Structs whose members all have defaults: start from `Default` and read the members present.
macro_rules! from_json_struct {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
                const KNOWN: &[&str] = &[$(stringify!($field)),*];
                let mut out = $ty::default();
                for (key, member) in object(value, path)? {
                    match key.as_str() {
                        $(stringify!($field) => {
                            out.$field = FromJson::from_json(member, &member_path(path, key))?
                        })*
                        _ => return Err(unknown(path, key, KNOWN)),
                    }
                }
                Ok(out)
            }
        }

        impl ToJson for $ty {
            fn write_json(&self, w: &mut Writer) {
                w.object(|m| {
                    $(m.member(stringify!($field), &self.$field);)*
                });
            }
        }
    )*};
}

/// Enums written as kebab-case strings.
macro_rules! from_json_enum {
    ($($ty:ident { $($variant:ident = $name:literal),* $(,)? })*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
                match value.as_str() {
                    $(Some($name) => Ok($ty::$variant),)*
                    _ => Err(wrong(path, concat!("one of", $(" \"", $name, "\""),*), value)),
                }
            }
        }

        impl ToJson for $ty {
            fn write_json(&self, w: &mut Writer) {
                w.str(match self {
                    $($ty::$variant => $name,)*
                });
            }
        }
    )*};
}

from_json_struct! {
    Scenario { format, title, seed, settings, faults, fleet }
    Settings { status_profile, validation_style, require_aws_auth, transfer, lightsail, nova }
    TransferSettings { stop_when_offline, empty_object_body, stopping, starting, region, account_id }
    LightsailSettings {
        stop_when_stopped, name_error, stopping, pending, forced_stop, region, availability_zone
    }
    NovaSettings { max_microversion, powering_off, powering_on, www_authenticate_uri }
    Faults { transfer, lightsail, nova }
    TransferFaults { throttle_per_second, internal_error_rate, unavailable_rate, stop_failure_rate }
    LightsailFaults {
        throttle_per_second, service_error_rate, stuck_rate, account_setup_in_progress,
        region_setup_in_progress, unauthenticated
    }
    NovaFaults { throttle_per_second, unavailable_rate }
    Fleet { transfer, lightsail, nova }
    TransferServerDef { id, state, endpoint_type, protocols, identity_provider_type, user_count, stop_fails }
    LightsailInstanceDef { name, state, blueprint_id, bundle_id, public_ip, static_ip, stuck }
    NovaFleet { tokens, servers }
    NovaTokenDef { token, project_id, roles, user_id, label }
    NovaServerDef { id, name, project_id, vm_state, task_state, locked, host, launched, deleted }
}

from_json_enum! {
    StatusProfile { ApiReference = "api-reference", ServiceModel = "service-model" }
    ValidationStyle { Coral = "coral", Smithy = "smithy" }
    TransferStopOffline { NoOp = "no-op", InvalidRequest = "invalid-request" }
    LightsailStopStopped { InvalidInput = "invalid-input", NewOperation = "new-operation" }
    LightsailNameError { InvalidInput = "invalid-input", Validation = "validation" }
}

impl FromJson for Timing {
    fn from_json(value: &Value, path: &str) -> Result<Self, ScenarioError> {
        let (mut min_ms, mut max_ms) = (None, None);
        for (key, member) in object(value, path)? {
            match key.as_str() {
                "min_ms" => min_ms = Some(u64::from_json(member, &member_path(path, key))?),
                "max_ms" => max_ms = Some(u64::from_json(member, &member_path(path, key))?),
                _ => return Err(unknown(path, key, &["min_ms", "max_ms"])),
            }
        }
        let missing = |name: &str| ScenarioError {
            place: member_path(path, name),
            message: "missing (a timing needs min_ms and max_ms)".to_string(),
        };
        Ok(Timing {
            min_ms: min_ms.ok_or_else(|| missing("min_ms"))?,
            max_ms: max_ms.ok_or_else(|| missing("max_ms"))?,
        })
    }
}

impl Scenario {
    /// Reads a scenario from an already parsed JSON value (no validation; see [`Scenario::validate`]).
    pub fn from_json_value(value: &Value) -> Result<Scenario, ScenarioError> {
        <Scenario as FromJson>::from_json(value, "")
    }
}

impl ToJson for Timing {
    fn write_json(&self, w: &mut Writer) {
        w.object(|m| {
            m.member("min_ms", &self.min_ms);
            m.member("max_ms", &self.max_ms);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jv(text: &str) -> Value {
        crate::json::from_str(text).unwrap()
    }

    #[test]
    fn round_trips_the_builtin_scenario() {
        let builtin = Scenario::builtin();
        let value = builtin.to_json_value();
        assert_eq!(Scenario::from_json_value(&value).unwrap(), builtin);
        let text = builtin.to_json_pretty();
        assert_eq!(Scenario::from_json(&text).unwrap(), builtin);
    }

    #[test]
    fn errors_name_the_member() {
        let e = Scenario::from_json_value(&jv(r#"{"fleet": {"transfer": [{"id": 5}]}}"#)).unwrap_err();
        assert_eq!(e.place, "fleet.transfer[0].id");
        assert_eq!(e.message, "expected a string, found a number");
        let e = Scenario::from_json_value(&jv(r#"{"setings": {}}"#)).unwrap_err();
        assert_eq!(e.place, "setings");
        assert!(e.message.contains("unknown member"), "{}", e.message);
        let e = Scenario::from_json_value(&jv(r#"{"settings": {"status_profile": "docs"}}"#)).unwrap_err();
        assert_eq!(e.place, "settings.status_profile");
        assert!(e.message.contains("\"api-reference\" \"service-model\""), "{}", e.message);
        let e = Scenario::from_json_value(&jv(r#"{"settings": {"transfer": {"stopping": {"min_ms": 1}}}}"#))
            .unwrap_err();
        assert_eq!(e.place, "settings.transfer.stopping.max_ms");
        let e = Scenario::from_json_value(&jv(r#"[]"#)).unwrap_err();
        assert_eq!(e.place, "scenario");
    }

    #[test]
    fn missing_members_keep_defaults_and_null_means_none() {
        let s = Scenario::from_json_value(&jv(r#"{
            "seed": 9,
            "faults": {"nova": {"throttle_per_second": null}},
            "fleet": {"lightsail": [{"name": "Web-1", "public_ip": null}]}
        }"#))
        .unwrap();
        assert_eq!(s.seed, 9);
        assert_eq!(s.settings, Settings::default());
        assert_eq!(s.faults.nova.throttle_per_second, None);
        assert_eq!(s.fleet.lightsail[0].state, "running");
        assert!(Scenario::from_json_value(&jv(r#"{"seed": -1}"#)).is_err());
        assert!(Scenario::from_json_value(&jv(r#"{"seed": 1.5}"#)).is_err());
    }
}
