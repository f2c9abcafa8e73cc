//! The action body (spec §3.3 step 5): `action_peek` as Nova does it (one top-level key, Python's `len()`
//! and `.keys()` failures become webob's 404), which actions the simulator carries out and which it knows
//! but does not model, and the diagnosis's words for a body it could not read.

use super::super::errors::NovaError;
use serde_json::Value;

/// What `action_peek` made of an action body.
#[derive(Clone, Debug, PartialEq)]
pub struct Peeked {
    /// The one top-level key.
    pub action: String,
    /// Its value.
    pub value: Value,
}

/// `action_peek`: the body must be JSON with exactly one top-level key. Like Python, `len()` of a number,
/// boolean or `null` raises TypeError, and `.keys()` of a one-element string or array AttributeError — both
/// become webob's 404 inside a fault; other lengths are "too many body keys".
pub fn peek_action(body: &str) -> Result<Peeked, NovaError> {
    let trimmed = body.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    // Python's json module also reads these three as numbers.
    if matches!(trimmed, "NaN" | "Infinity" | "-Infinity") {
        return Err(NovaError::BodyNotFound);
    }
    let value: Value = serde_json::from_str::<Value>(body).map_err(|_| NovaError::MalformedBody)?;
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => Err(NovaError::BodyNotFound),
        Value::String(s) if s.chars().count() == 1 => Err(NovaError::BodyNotFound),
        Value::Array(a) if a.len() == 1 => Err(NovaError::BodyNotFound),
        Value::Object(map) if map.len() == 1 => {
            let Some((action, value)) = map.into_iter().next() else { return Err(NovaError::MalformedBody) };
            Ok(Peeked { action, value })
        }
        _ => Err(NovaError::MalformedBody),
    }
}

/// Server actions the simulator carries out.
pub fn is_modelled_action(name: &str) -> bool {
    matches!(name, "os-stop" | "os-start" | "lock" | "unlock")
}

/// Server actions Nova registers that the simulator does not model (answered 501, never "no such action").
pub fn is_unmodelled_action(name: &str) -> bool {
    matches!(
        name,
        "reboot"
            | "resize"
            | "confirmResize"
            | "revertResize"
            | "rebuild"
            | "createImage"
            | "changePassword"
            | "createBackup"
            | "pause"
            | "unpause"
            | "suspend"
            | "resume"
            | "shelve"
            | "shelveOffload"
            | "unshelve"
            | "rescue"
            | "unrescue"
            | "migrate"
            | "os-migrateLive"
            | "evacuate"
            | "forceDelete"
            | "restore"
            | "os-resetState"
            | "injectNetworkInfo"
            | "resetNetwork"
            | "addSecurityGroup"
            | "removeSecurityGroup"
            | "trigger_crash_dump"
            | "os-getConsoleOutput"
            | "os-getVNCConsole"
            | "os-getSPICEConsole"
            | "os-getSerialConsole"
            | "os-getRDPConsole"
            | "os-getMKSConsole"
            | "addFixedIp"
            | "removeFixedIp"
            | "addFloatingIp"
            | "removeFloatingIp"
    )
}

pub(super) fn body_detail(body: &str) -> String {
    let t = body.trim();
    if t.is_empty() {
        return "the body is empty.".to_string();
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Err(_) if matches!(t, "NaN" | "Infinity" | "-Infinity") => {
            format!("the body {t} (a number to Python)")
        }
        Err(_) => "the body is not JSON (\"cannot understand JSON\").".to_string(),
        Ok(serde_json::Value::Object(m)) if m.is_empty() => "the body {} has no key.".to_string(),
        Ok(serde_json::Value::Object(m)) => {
            format!("the body has {} top-level keys (\"too many body keys\").", m.len())
        }
        Ok(serde_json::Value::Array(a)) if a.len() == 1 => "the body, a one-element array,".to_string(),
        Ok(serde_json::Value::Array(a)) => {
            format!("the body is an array of {} items, not one key.", a.len())
        }
        Ok(serde_json::Value::String(s)) if s.chars().count() == 1 => {
            "the body, a one-character string,".to_string()
        }
        Ok(serde_json::Value::String(_)) => {
            "the body is a JSON string, not an object with one key.".to_string()
        }
        Ok(serde_json::Value::Null) => "the body null".to_string(),
        Ok(serde_json::Value::Bool(_)) => "the body, a boolean,".to_string(),
        Ok(serde_json::Value::Number(_)) => "the body, a number,".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_peek_like_python() {
        assert_eq!(peek_action(r#"{"os-stop": null}"#).map(|p| p.action), Ok("os-stop".to_string()));
        assert_eq!(peek_action(r#"{"os-stop":null,"foo":1}"#), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("{}"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("[]"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action(""), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("not json"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("\"ab\""), Err(NovaError::MalformedBody));
        for body in ["null", "5", "true", "\"x\"", "[1]", "NaN", " -Infinity ", "\"é\""] {
            assert_eq!(peek_action(body), Err(NovaError::BodyNotFound), "{body}");
        }
        assert_eq!(
            peek_action(r#"{"os-stop": 1, "os-stop": null}"#).map(|p| p.value),
            Ok(Value::Null),
            "duplicate keys: the last one wins, as in Python"
        );
    }
}
