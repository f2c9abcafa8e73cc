//! Reading the project's JSON documents (scenario files, lessons, saved sessions, share links, embed
//! messages) with serde, so that every error names its place.
//!
//! A document is read straight into its `#[derive(Deserialize)]` type, through `serde_path_to_error`, which
//! records where the reader was when it failed:
//! - a syntax error has no meaningful path: its place is `line 3 column 14`, and the message is serde_json's
//!   without the position (`expected value`);
//! - any other error (a wrong type, an unknown or missing member, a bad enum value) is placed at its path
//!   inside the document (`fleet.transfer[2].id`, or the document's own name for the whole), and the message
//!   is serde_json's, which ends with the line and column when there is text to point into
//!   (`invalid type: integer `5`, expected a string at line 4 column 16`).
//!
//! [`from_value`] reads an already parsed [`serde_json::Value`] (a document that arrives as an object, or
//! one assembled in code) the same way, from the value's own text: its places are paths, without positions.
//!
//! Why everything goes through text: `serde_path_to_error` wraps the deserializer, so every document type
//! is compiled once more for each kind of deserializer it is read from. Reading scenarios, lessons,
//! sessions and embed messages from text, from values and from JS objects made its wrappers a quarter of the
//! web build (245 KB of 1,120 KB of wasm, measured with `cargo xtask bench`'s names-kept build); with one
//! reader, each type is compiled once. Turning a value back into text costs microseconds.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A document that cannot be read as its type: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// `line 3 column 14` for a syntax error, else a path like `fleet.transfer[2].id`.
    pub place: String,
    /// What is wrong.
    pub message: String,
    /// The text is not JSON at all (or breaks off): `place` is its line and column.
    pub syntax: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for Problem {}

/// Reads JSON text as a `T`. `root` names the whole document in a place (`scenario`, `lesson`).
pub fn from_str<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, Problem> {
    read(text, root)
}

/// Reads a parsed JSON value as a `T` (the places are paths; there are no positions).
pub fn from_value<T: DeserializeOwned>(value: &Value, root: &str) -> Result<T, Problem> {
    read(&value.to_string(), root).map_err(|mut problem| {
        // The positions are in the value's text, which nobody wrote.
        problem.message = strip_position(&problem.message).to_string();
        problem
    })
}

/// The one path-tracked reader (see the module doc).
fn read<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, Problem> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut reader)
        .map_err(|e| problem(e.path().to_string(), e.into_inner(), root))?;
    // Only whitespace may follow the value.
    reader.end().map_err(|e| problem(".".to_string(), e, root))?;
    Ok(value)
}

/// `path` as `serde_path_to_error` prints it: `.` for the whole document.
fn problem(path: String, inner: serde_json::Error, root: &str) -> Problem {
    if matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof) {
        return Problem {
            place: format!("line {} column {}", inner.line(), inner.column()),
            message: message_without_position(&inner),
            syntax: true,
        };
    }
    Problem {
        place: if path == "." { root.to_string() } else { path },
        message: inner.to_string(),
        syntax: false,
    }
}

/// `message` without a trailing ` at line L column C`.
fn strip_position(message: &str) -> &str {
    let Some(at) = message.rfind(" at line ") else { return message };
    let rest = &message[at + " at line ".len()..];
    let position = rest.split_once(" column ").is_some_and(|(line, column)| {
        [line, column].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if position {
        &message[..at]
    } else {
        message
    }
}

/// serde_json's message without the ` at line L column C` it appends when it knows the position.
pub fn message_without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) if error.line() > 0 => message.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
    }

    #[test]
    fn syntax_errors_are_placed_by_line_and_column() {
        let e = from_str::<Doc>("{\n  \"items\": oops\n}", "doc").unwrap_err();
        assert_eq!(
            e,
            Problem { place: "line 2 column 12".into(), message: "expected value".into(), syntax: true }
        );
        let e = from_str::<Doc>("{\"items\": []} x", "doc").unwrap_err();
        assert_eq!(e.to_string(), "line 1 column 15: trailing characters");
        let e = from_str::<Doc>("", "doc").unwrap_err();
        assert_eq!(e.to_string(), "line 1 column 0: EOF while parsing a value");
    }

    #[test]
    fn other_errors_are_placed_by_path_and_keep_the_position() {
        let e = from_str::<Doc>("{\"items\": [{\"id\": \"a\"}, {\"id\": 5}]}", "doc").unwrap_err();
        assert_eq!(e.place, "items[1].id");
        assert!(!e.syntax);
        assert_eq!(e.message, "invalid type: integer `5`, expected a string at line 1 column 32");
        let e = from_str::<Doc>("{\"itms\": []}", "doc").unwrap_err();
        assert_eq!(e.place, "itms");
        assert!(e.message.starts_with("unknown field `itms`, expected `items`"), "{e}");
        let e = from_str::<Doc>("{}", "doc").unwrap_err();
        assert_eq!(
            (e.place.as_str(), e.message.as_str()),
            ("doc", "missing field `items` at line 1 column 2")
        );
        let value: Value = serde_json::from_str("{\"items\": [{\"id\": true}]}").unwrap();
        let e = from_value::<Doc>(&value, "doc").unwrap_err();
        assert_eq!(e.to_string(), "items[0].id: invalid type: boolean `true`, expected a string");
        let value: Value =
            serde_json::from_str("{\"items\": [{\"id\": \"x\", \"at line 1 column 2\": 1}]}").unwrap();
        let e = from_value::<Doc>(&value, "doc").unwrap_err();
        assert!(e.message.ends_with("expected `id`"), "{e}");
    }
}
