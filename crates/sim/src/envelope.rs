//! Reading an error answer back, whichever dialect sent it: its error type and its human message. The page
//! headlines errors with these and lessons check them, so both read every envelope the same way (spec §0.3
//! for AWS types, §3.4 for Nova faults).

use crate::wire::WireResponse;
use serde_json::Value;

/// The error type of a response: the AWS `__type` without namespace or suffix (`ThrottlingException`), the
/// `X-Amzn-Errortype` header, the single key of a Nova fault body (`conflictingRequest`, `itemNotFound`), or
/// for keystonemiddleware's `{"error": {"title": "Unauthorized", …}}` its title. `None` for successes and
/// bodies with no error shape.
pub fn error_type(response: &WireResponse) -> Option<String> {
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&response.body) {
        if let Some(Value::String(t)) = map.get("__type") {
            return Some(sanitize_aws_type(t));
        }
        if map.len() == 1 && response.status >= 400 {
            if let Some((key, Value::Object(inner))) = map.iter().next() {
                if inner.contains_key("message") || inner.contains_key("code") {
                    return Some(match (key.as_str(), inner.get("title")) {
                        ("error", Some(Value::String(title))) => title.clone(),
                        _ => key.clone(),
                    });
                }
            }
        }
    }
    response.header("X-Amzn-Errortype").map(sanitize_aws_type)
}

/// Cuts an AWS error type at the first `:` and keeps what follows `#` (botocore's rule).
fn sanitize_aws_type(t: &str) -> String {
    let t = t.split(':').next().unwrap_or("");
    t.rsplit('#').next().unwrap_or("").trim().to_string()
}

/// The human message of an error response: AWS `Message`/`message`, or the Nova fault's `message`.
pub fn error_message(response: &WireResponse) -> Option<String> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&response.body) else { return None };
    for key in ["message", "Message"] {
        if let Some(Value::String(m)) = map.get(key) {
            return Some(m.clone());
        }
    }
    if map.len() == 1 {
        if let Some(Value::Object(inner)) = map.values().next() {
            if let Some(Value::String(m)) = inner.get("message") {
                return Some(m.clone());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keystone_401_is_named_by_its_title() {
        let r = WireResponse::new(401).with_body(
            r#"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#
                .to_string(),
        );
        assert_eq!(error_type(&r).as_deref(), Some("Unauthorized"));
        assert_eq!(error_message(&r).as_deref(), Some("The request you have made requires authentication."));
    }

    #[test]
    fn the_header_names_an_error_the_body_does_not() {
        let r = WireResponse::new(400)
            .with_header("X-Amzn-Errortype", "ThrottlingException:http://x")
            .with_body(String::new());
        assert_eq!(error_type(&r).as_deref(), Some("ThrottlingException"));
        assert_eq!(error_message(&r), None);
    }
}
