//! Reading the project's JSON documents (scenario files, lessons, saved sessions, share links, embed
//! messages) with serde, so that every error names its place.
//!
//! A document is read straight into its `#[derive(Deserialize)]` type by serde_json, and a problem is
//! placed like this:
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
//! A document written inside another (a lesson's inline scenario) is placed in the text around it:
//! [`span_at`] finds the bytes of the value at a path, [`from_str_within`] reads the value where it stands
//! (its lines and columns are the outer text's), and [`position_suffix`] words the position of any byte
//! as serde_json does, for a problem found after reading.
//!
//! Why the path is found from the position rather than tracked while reading: `serde_path_to_error`
//! tracks it by wrapping serde_json's deserializer and every visitor, so each document type is compiled
//! once more inside its wrappers. Measured on the release build (`trunk build --release`, gzip -9), the
//! same commit built back to back with `read` going through `serde_path_to_error` instead: the tracking
//! cost 60.7 KB of 1,488 KB of wasm, 22.6 KB of the 630 KB gzip download (3.6 %). When a value does not
//! fit, serde_json already says where it was (the last byte it had read); [`path_at`] walks the text up
//! to that byte and names the member or element holding it, which is the path the tracking reports (a
//! type that refused a list at its `[` would make one case ambiguous: see [`path_at`]). It runs only once
//! reading has failed, over text serde_json has read without a syntax error. The tests hold it to
//! `serde_path_to_error` (a dev-dependency only) at every place of every document format the project
//! reads ([`oracle`]), so a change in serde_json's positions or serde's derive fails them.

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

/// Reads the JSON value that starts at byte `start` of `text` as a `T`: a document written inside another
/// (a lesson's inline scenario). Its places are paths inside the value, and its positions are lines and
/// columns of the whole `text`, where its author finds them.
pub fn from_str_within<T: DeserializeOwned>(text: &str, start: usize, root: &str) -> Result<T, Problem> {
    let end = value_end(text, start).unwrap_or(text.len());
    let (Some(before), Some(value)) = (text.get(..start), text.get(start..end)) else {
        // Not a place in the text: the whole text is the document.
        return read(text, root);
    };
    // What comes before the value, blanked out but for its line breaks: serde_json then counts lines and
    // columns (in bytes) as in the whole text, and `path_at` walks from the value's first byte.
    let mut within: String = before.bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }).collect();
    within.push_str(value);
    read(&within, root)
}

/// The bytes of the value at `path` (`fleet.transfer[2].id`, as [`Problem::place`] names it; empty for the
/// value itself) inside the JSON value that starts at byte `start` of `text`; `None` when there is none.
/// A member given twice is found where it is given last, the one `serde_json::Value` keeps.
pub fn span_at(text: &str, start: usize, path: &str) -> Option<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let blank = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        at
    };
    let mut at = blank(start);
    for step in steps(path)? {
        let (open, close) = match step {
            Step::Member(_) => (b'{', b'}'),
            Step::Index(_) => (b'[', b']'),
        };
        if bytes.get(at) != Some(&open) {
            return None;
        }
        let mut found = None;
        let mut index = 0;
        let mut next = blank(at + 1);
        while bytes.get(next) != Some(&close) {
            let is_it = match step {
                Step::Member(name) => {
                    let name_end = value_end(text, next)?;
                    let key: String = serde_json::from_str(&text[next..name_end]).ok()?;
                    next = blank(name_end);
                    if bytes.get(next) != Some(&b':') {
                        return None;
                    }
                    next = blank(next + 1);
                    key == name
                }
                Step::Index(i) => {
                    index += 1;
                    index - 1 == i
                }
            };
            if is_it {
                found = Some(next);
                if matches!(step, Step::Index(_)) {
                    break;
                }
            }
            next = blank(value_end(text, next)?);
            match bytes.get(next) {
                Some(b',') => next = blank(next + 1),
                Some(b) if *b == close => {}
                _ => return None,
            }
        }
        at = found?;
    }
    Some(at..value_end(text, at)?)
}

/// ` at line L column C` for the byte at `offset` of `text`, as serde_json words the place where it
/// stopped reading (lines from 1; the column is the count of bytes read on the line, so it names that
/// byte).
pub fn position_suffix(text: &str, offset: usize) -> String {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    format!(" at line {line} column {}", offset + 1 - line_start)
}

/// One step of a path.
#[derive(Clone, Copy)]
enum Step<'p> {
    /// `.name` (or the first name).
    Member(&'p str),
    /// `[index]`.
    Index(usize),
}

/// The steps of a path as [`Problem::place`] names it; `None` when it does not read as one.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    if path.is_empty() {
        return Some(steps);
    }
    for part in path.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !name.is_empty() {
            steps.push(Step::Member(name));
        } else if steps.is_empty() || rest.is_empty() {
            return None;
        }
        while let Some(inside) = rest.strip_prefix('[') {
            let (index, after) = inside.split_once(']')?;
            steps.push(Step::Index(index.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The byte just after the JSON value that starts (after blanks) at byte `start` of `text`.
fn value_end(text: &str, start: usize) -> Option<usize> {
    let mut values =
        serde_json::Deserializer::from_str(text.get(start..)?).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    Some(start + values.byte_offset())
}

/// The one reader (see the module doc).
fn read<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, Problem> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(&mut reader).map_err(|e| problem(text, e, root))?;
    // Only whitespace may follow the value.
    reader.end().map_err(|e| problem(text, e, root))?;
    Ok(value)
}

/// A reading error of `text`, placed (see the module doc).
fn problem(text: &str, inner: serde_json::Error, root: &str) -> Problem {
    if matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof) {
        return Problem {
            place: format!("line {} column {}", inner.line(), inner.column()),
            message: message_without_position(&inner),
            syntax: true,
        };
    }
    let message = inner.to_string();
    // serde_json's column counts the bytes read on the line, so it names the last byte read (none: 0).
    let last_read = line_start(text, inner.line()).and_then(|start| (start + inner.column()).checked_sub(1));
    let path = last_read.map(|at| path_at(text, at, &message)).unwrap_or_default();
    Problem { place: if path.is_empty() { root.to_string() } else { path }, message, syntax: false }
}

/// The byte offset where line `line` (from 1) of `text` starts; `None` for line 0 (no position).
fn line_start(text: &str, line: usize) -> Option<usize> {
    match line {
        0 => None,
        1 => Some(0),
        _ => text.bytes().enumerate().filter(|(_, b)| *b == b'\n').nth(line - 2).map(|(i, _)| i + 1),
    }
}

/// Where the walk of [`path_at`] is inside one object or array.
enum Frame {
    /// An object: the member being read, once its name has been read.
    Object { member: Option<String>, value_begun: bool },
    /// An array, at element `index` (from the `[` or `,` before an element on, the bytes belong to it).
    Array { index: usize, value_begun: bool },
}

/// The path (`fleet.transfer[2].id`; empty for the whole document) of what byte `at` of `text` belongs
/// to when reading failed there with `message`, as serde_json and serde's derive meet it:
/// - a member's name and the bytes up to its value belong to the member; but a repeated member or an
///   enum written as `{"variant": …}` with an unknown variant is the object's problem;
/// - a `[` or `,` and the blanks after it belong to the element that follows (serde_json reads the blanks
///   before it sees that an element that should not be an object or array is one); but a type that takes
///   any JSON and refuses arrays refuses one with the `[` read, so a sequence refused there is the array's
///   problem, unless its first element is itself an array (then the two cannot be told apart, and the
///   element is named: no document type of the project refuses a list at its `[` any more, and the
///   [`oracle`] tests list any that would);
/// - a closing `}` or `]` belongs to its object or array.
///
/// `text` up to `at` is JSON that serde_json has read without a syntax error, which is all this relies on.
fn path_at(text: &str, at: usize, message: &str) -> String {
    let mut frames: Vec<Frame> = Vec::new();
    // While inside a string: the offset of its opening quote, and whether it is a member name.
    let mut string: Option<(usize, bool)> = None;
    let mut escaped = false;
    let mut closes_at = false;
    for (i, &b) in text.as_bytes().iter().enumerate().take(at.saturating_add(1)) {
        if let Some((start, name)) = string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                string = None;
                if let (true, Some(Frame::Object { member, .. })) = (name, frames.last_mut()) {
                    let quoted = &text[start..=i];
                    *member = Some(serde_json::from_str(quoted).unwrap_or_else(|_| quoted.to_string()));
                }
            }
            continue;
        }
        match b {
            b' ' | b'\n' | b'\t' | b'\r' | b':' => {}
            b'"' => {
                let name = matches!(frames.last(), Some(Frame::Object { member: None, .. }));
                if !name {
                    value_begins(&mut frames);
                }
                string = Some((i, name));
            }
            b'{' => {
                value_begins(&mut frames);
                frames.push(Frame::Object { member: None, value_begun: false });
            }
            b'[' => {
                value_begins(&mut frames);
                frames.push(Frame::Array { index: 0, value_begun: false });
            }
            b'}' | b']' if i == at => closes_at = true,
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { member, value_begun }) => {
                    *member = None;
                    *value_begun = false;
                }
                Some(Frame::Array { index, value_begun }) => {
                    *index += 1;
                    *value_begun = false;
                }
                None => {}
            },
            _ => value_begins(&mut frames),
        }
    }
    let about_holder = message.starts_with("duplicate field `") || message.starts_with("unknown variant `");
    let array_refused = message.starts_with("invalid type: sequence,")
        && text.as_bytes().iter().skip(at.saturating_add(1)).find(|b| !b.is_ascii_whitespace())
            != Some(&b'[');
    let innermost = frames.len().saturating_sub(1);
    let mut path = String::new();
    for (depth, frame) in frames.iter().enumerate() {
        let here = depth == innermost;
        match frame {
            _ if here && closes_at => {}
            Frame::Object { member: Some(_), value_begun: false } if here && about_holder => {}
            Frame::Array { index: 0, value_begun: false } if here && array_refused => {}
            Frame::Object { member: Some(name), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(name);
            }
            Frame::Object { member: None, .. } => {}
            Frame::Array { index, .. } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// A value begins inside the innermost object or array.
fn value_begins(frames: &mut [Frame]) {
    if let Some(Frame::Object { value_begun, .. } | Frame::Array { value_begun, .. }) = frames.last_mut() {
        *value_begun = true;
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

/// What the tests hold [`from_str`] to: the places `serde_path_to_error` reports, tried on every place of
/// a document. Built for this crate's tests, and for the page's with the `decode-oracle` feature (a
/// dev-dependency there), never into the app.
#[cfg(any(test, feature = "decode-oracle"))]
pub mod oracle {
    use super::{from_str, from_value, message_without_position, Problem};
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// Reads `text` as `T` with the places tracked by `serde_path_to_error` while reading.
    pub fn tracked<T: DeserializeOwned>(text: &str, root: &str) -> Result<T, Problem> {
        let mut reader = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(&mut reader)
            .map_err(|e| placed(e.path().to_string(), e.into_inner(), root))?;
        reader.end().map_err(|e| placed(".".to_string(), e, root))?;
        Ok(value)
    }

    fn placed(path: String, inner: serde_json::Error, root: &str) -> Problem {
        if inner.is_syntax() || inner.is_eof() {
            let place = format!("line {} column {}", inner.line(), inner.column());
            return Problem { place, message: message_without_position(&inner), syntax: true };
        }
        Problem {
            place: if path == "." { root.to_string() } else { path },
            message: inner.to_string(),
            syntax: false,
        }
    }

    /// A JSON tree whose objects keep their members in order and may repeat a name.
    #[derive(Clone)]
    enum Node {
        Object(Vec<(String, Node)>),
        Array(Vec<Node>),
        Leaf(Value),
    }

    impl Node {
        fn of(value: &Value) -> Node {
            match value {
                Value::Object(map) => {
                    Node::Object(map.iter().map(|(k, v)| (k.clone(), Node::of(v))).collect())
                }
                Value::Array(items) => Node::Array(items.iter().map(Node::of).collect()),
                leaf => Node::Leaf(leaf.clone()),
            }
        }

        fn at(&mut self, path: &[usize]) -> &mut Node {
            match (path.split_first(), self) {
                (None, node) => node,
                (Some((i, rest)), Node::Object(members)) => members[*i].1.at(rest),
                (Some((i, rest)), Node::Array(items)) => items[*i].at(rest),
                (Some(_), leaf) => leaf,
            }
        }

        /// Keeps the first two elements of every array: the places of a third are no different.
        fn shorten(&mut self) {
            match self {
                Node::Object(members) => members.iter_mut().for_each(|(_, node)| node.shorten()),
                Node::Array(items) => {
                    items.truncate(2);
                    items.iter_mut().for_each(Node::shorten);
                }
                Node::Leaf(_) => {}
            }
        }

        /// Every place in the tree, as indices from the root.
        fn places(&self, here: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            out.push(here.clone());
            let children = match self {
                Node::Object(members) => members.len(),
                Node::Array(items) => items.len(),
                Node::Leaf(_) => 0,
            };
            for i in 0..children {
                here.push(i);
                match self {
                    Node::Object(members) => members[i].1.places(here, out),
                    Node::Array(items) => items[i].places(here, out),
                    Node::Leaf(_) => {}
                }
                here.pop();
            }
        }

        /// The text, compact (`layout` 0), indented like serde_json's pretty printer (1), or with blanks
        /// around every token (2).
        fn write(&self, layout: u8, depth: usize, out: &mut String) {
            let (open_gap, colon, comma) = match layout {
                0 => ("", ":", ","),
                1 => ("\n", ": ", ",\n"),
                _ => (" ", " : ", " , "),
            };
            let indent = |out: &mut String, depth: usize| {
                if layout == 1 {
                    out.push_str(&"  ".repeat(depth));
                }
            };
            let (open, close, len) = match self {
                Node::Object(m) => ('{', '}', m.len()),
                Node::Array(a) => ('[', ']', a.len()),
                Node::Leaf(v) => return out.push_str(&v.to_string()),
            };
            out.push(open);
            if len > 0 {
                out.push_str(open_gap);
            }
            for i in 0..len {
                if i > 0 {
                    out.push_str(comma);
                }
                indent(out, depth + 1);
                match self {
                    Node::Object(members) => {
                        out.push_str(&Value::from(members[i].0.as_str()).to_string());
                        out.push_str(colon);
                        members[i].1.write(layout, depth + 1, out);
                    }
                    Node::Array(items) => items[i].write(layout, depth + 1, out),
                    Node::Leaf(_) => {}
                }
            }
            if len > 0 {
                out.push_str(open_gap);
                indent(out, depth);
            }
            out.push(close);
        }
    }

    /// Values put in place of each value of a document: every JSON type, numbers out of each range, and
    /// strings no enum has.
    fn replacements() -> Vec<Value> {
        let texts = [
            "5",
            "-1",
            "1.5",
            "1e300",
            "18446744073709551616",
            "\"x\"",
            "\"\"",
            "true",
            "null",
            "[]",
            "{}",
            "[1, \"a\"]",
            "[[\"a\"]]",
            "{\"a\": 1}",
            "{\"coral\": null}",
            "{\"coral\": 5}",
            "\"bogus\"",
        ];
        texts.iter().filter_map(|t| serde_json::from_str(t).ok()).collect()
    }

    /// Texts made from `document` (its arrays cut to two elements): at every place, each replacement
    /// value; every member removed, repeated and renamed; an unknown member and a comment member added to
    /// every object; every array one element longer and shorter; each in three layouts; and the compact
    /// text cut short every few bytes.
    pub fn variants(document: &Value) -> Vec<String> {
        let mut base = Node::of(document);
        base.shorten();
        let mut places = Vec::new();
        base.places(&mut Vec::new(), &mut places);
        let mut trees = vec![base.clone()];
        for place in &places {
            for value in replacements() {
                let mut tree = base.clone();
                *tree.at(place) = Node::Leaf(value);
                trees.push(tree);
            }
            let mut tree = base.clone();
            match tree.at(place) {
                Node::Object(members) => {
                    let first = members.first().cloned();
                    for edit in 0..6 {
                        let mut members = members.clone();
                        match (edit, &first) {
                            (0, _) => members.push(("zz".into(), Node::Leaf(Value::from(1)))),
                            (1, _) => members.insert(0, ("_note".into(), Node::Leaf(Value::from("x")))),
                            (2, Some(m)) => members.push(m.clone()),
                            (3, Some(_)) => drop(members.remove(0)),
                            (4, Some(_)) => members[0].0 = "zz".into(),
                            (5, Some(m)) => members.insert(1.min(members.len()), m.clone()),
                            _ => continue,
                        }
                        let mut tree = base.clone();
                        *tree.at(place) = Node::Object(members);
                        trees.push(tree);
                    }
                }
                Node::Array(items) if !items.is_empty() => {
                    for longer in [true, false] {
                        let mut items = items.clone();
                        if longer {
                            items.push(items[0].clone());
                        } else {
                            items.pop();
                        }
                        let mut tree = base.clone();
                        *tree.at(place) = Node::Array(items);
                        trees.push(tree);
                    }
                }
                _ => {}
            }
        }
        let mut texts = Vec::new();
        for tree in &trees {
            for layout in 0..3 {
                let mut text = String::new();
                tree.write(layout, 0, &mut text);
                texts.push(text);
            }
        }
        let mut compact = String::new();
        base.write(0, 0, &mut compact);
        texts.extend((0..compact.len()).step_by(7).filter_map(|cut| compact.get(..cut).map(str::to_string)));
        texts
    }

    /// The text around the position a problem's message ends with (the start when there is none).
    fn excerpt(text: &str, problem: &Option<Problem>) -> String {
        let position = problem.as_ref().and_then(|p| {
            let (_, at) = p.message.rsplit_once(" at line ")?;
            let (line, column) = at.split_once(" column ")?;
            Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
        });
        let at = position.map_or(0, |(line, column)| {
            let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
            start + column
        });
        let from = text.floor_char_boundary(at.saturating_sub(60));
        let to = text.ceil_char_boundary((at + 20).min(text.len()));
        format!(
            "…{}⟨here⟩{}…",
            &text[from..text.floor_char_boundary(at.min(text.len()))],
            &text[text.floor_char_boundary(at.min(text.len()))..to]
        )
    }

    /// The one difference [`super::path_at`] documents: an array whose first element is an array,
    /// refused whole by a type that reads any JSON, is placed at that first element.
    fn refused_array_of_arrays(ours: &Problem, theirs: &Problem) -> bool {
        ours.message == theirs.message
            && ours.message.starts_with("invalid type: sequence,")
            && ours.place == format!("{}[0]", theirs.place)
    }

    /// What [`check`] found.
    #[derive(Debug)]
    pub struct Checked {
        /// Texts read.
        pub read: usize,
        /// Texts refused.
        pub refused: usize,
        /// The places of refused arrays of arrays, which [`from_str`] names by their first element.
        pub arrays_of_arrays: Vec<String>,
    }

    /// Reads every variant of `document` as a `T` with [`from_str`] (and the parsed ones with
    /// [`from_value`]) and with [`tracked`], and panics listing the texts where the outcomes differ
    /// (but for the documented difference, which it reports).
    pub fn check<T: DeserializeOwned>(document: &Value, root: &str) -> Checked {
        let texts = variants(document);
        let mut failed = 0;
        let (mut differ, mut ambiguous) = (Vec::new(), Vec::new());
        for text in &texts {
            let (ours, theirs) = (from_str::<T>(text, root).err(), tracked::<T>(text, root).err());
            if let (Some(ours), Some(theirs)) = (&ours, &theirs) {
                if refused_array_of_arrays(ours, theirs) {
                    ambiguous.push(theirs.place.clone());
                    continue;
                }
            }
            if ours != theirs {
                differ.push(format!("{}\n  ours:   {ours:?}\n  theirs: {theirs:?}", excerpt(text, &theirs)));
                continue;
            }
            failed += usize::from(ours.is_some());
            if let Ok(value) = serde_json::from_str::<Value>(text) {
                let ours = from_value::<T>(&value, root).err();
                let theirs = tracked::<T>(&value.to_string(), root).err().map(|mut p| {
                    p.message = super::strip_position(&p.message).to_string();
                    p
                });
                if let (Some(ours), Some(theirs)) = (&ours, &theirs) {
                    if refused_array_of_arrays(ours, theirs) {
                        continue;
                    }
                }
                if ours != theirs {
                    differ.push(format!(
                        "value: {}\n  ours:   {ours:?}\n  theirs: {theirs:?}",
                        excerpt(&value.to_string(), &None)
                    ));
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {} texts read differently:\n{}",
            differ.len(),
            texts.len(),
            differ.iter().take(12).cloned().collect::<Vec<_>>().join("\n")
        );
        ambiguous.sort();
        ambiguous.dedup();
        Checked { read: texts.len(), refused: failed, arrays_of_arrays: ambiguous }
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

    /// A document inside another (a lesson's inline scenario): found by its path, read with the positions
    /// of the whole text.
    #[test]
    fn documents_inside_a_text_are_found_by_path_and_placed_in_it() {
        let text = "{\"a\": [1, {\"b\": \"x\", \"b\" : [true]}], \"c\": {}}";
        // A member given twice is the last one, as `serde_json::Value` keeps it.
        assert_eq!(span_at(text, 0, "a[1].b").map(|r| &text[r]), Some("[true]"));
        assert_eq!(span_at(text, 0, "a[0]").map(|r| &text[r]), Some("1"));
        assert_eq!(span_at(text, 0, "c").map(|r| &text[r]), Some("{}"));
        assert_eq!(span_at(text, 0, "").map(|r| &text[r]), Some(text));
        for absent in ["a[2]", "c.d", "a.b", "a[1].b[0].x", "a[x]", "[0]", "a..b", "a[1", "b"] {
            assert_eq!(span_at(text, 0, absent), None, "{absent}");
        }
        let outer = "{\"doc\":\n  {\"items\": [{\"id\": 5}]}, \"more\": 1}";
        let start = span_at(outer, 0, "doc").map_or(0, |r| r.start);
        assert_eq!(position_suffix(outer, start), " at line 2 column 3");
        let e = from_str_within::<Doc>(outer, start, "doc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "items[0].id: invalid type: integer `5`, expected a string at line 2 column 21"
        );
        assert_eq!(from_str_within::<Doc>("[{\"items\": []}]", 1, "doc"), Ok(Doc { items: Vec::new() }));
    }

    /// A document of the project's own, from the repository.
    fn repo_file(path: &str) -> String {
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
        let path = std::path::Path::new(&manifest).join("../..").join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn json(text: &str) -> Value {
        serde_json::from_str(text).expect("the document is JSON")
    }

    /// `text` with its one `needle` replaced by `with`, and ` at line L column C` of the replacement's
    /// last byte: where serde_json stops when that value or member name is wrong.
    fn spoil(text: &str, needle: &str, with: &str) -> (String, String) {
        assert_eq!(text.matches(needle).count(), 1, "{needle} is not unique");
        let at = text.find(needle).unwrap_or_default();
        let line = text[..at].matches('\n').count() + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let column = at + with.len() - line_start;
        (text.replacen(needle, with, 1), format!(" at line {line} column {column}"))
    }

    /// What a user reading a file sees: a wrong value or member deep inside names its path, and the line
    /// and column where it is.
    #[test]
    fn deep_problems_in_files_name_their_path_line_and_column() {
        let scenario = crate::Scenario::builtin().to_json_pretty();
        let (text, position) = spoil(&scenario, "\"Stopped-1\"", "5");
        let e = crate::Scenario::from_json(&text).unwrap_err();
        assert_eq!(e.place, "fleet.lightsail[1].name");
        assert_eq!(e.message, format!("invalid type: integer `5`, expected a string{position}"));
        let line: usize =
            position[" at line ".len()..].split(' ').next().and_then(|n| n.parse().ok()).unwrap();
        assert!(line > 1, "the spoiled value is deep in the pretty file, not on its first line: {position}");

        let lesson = repo_file("lessons/transfer-error-families.json");
        let (text, position) = spoil(&lesson, "\"error\": \"ValidationException\"", "\"error\": true");
        let e = crate::lesson::Lesson::from_json(&text).unwrap_err();
        assert_eq!(e.place, "steps[1].check.response.error");
        assert_eq!(e.message, format!("invalid type: boolean `true`, expected a string{position}"));
        assert_eq!(position, " at line 29 column 69");

        let session = repo_file("tests/fixtures/grade/alice.json");
        let (text, _) = spoil(&session, "\"Stopped-1\"", "[]");
        let e = crate::grade::replay_session(&text).err().unwrap_or_default();
        // serde_json refuses the list before reading its `[`: the position is the blank before it.
        assert_eq!(
            e,
            "it is not a session file (scenario.fleet.lightsail[1].name: invalid type: sequence, \
             expected a string at line 168 column 18)"
        );
        // The first `min_ms` is the one of settings.transfer.stopping, on line 15.
        let text = session.replacen("\"min_ms\"", "\"min_mss\"", 1);
        let e = crate::grade::replay_session(&text).err().unwrap_or_default();
        assert_eq!(
            e,
            "it is not a session file (scenario.settings.transfer.stopping.min_mss: unknown field `min_mss`, \
             expected `min_ms` or `max_ms` at line 15 column 19)"
        );
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_scenario() {
        let builtin = json(&crate::Scenario::builtin().to_json_pretty());
        let checked = oracle::check::<crate::Scenario>(&builtin, "scenario");
        assert!(checked.read > 5_000 && checked.refused > checked.read / 2, "{checked:?}");
        assert!(checked.arrays_of_arrays.is_empty(), "{checked:?}");
        let checked =
            oracle::check::<crate::Scenario>(&json(&crate::Scenario::default().to_json_pretty()), "scenario");
        assert!(checked.arrays_of_arrays.is_empty(), "{checked:?}");
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_lesson() {
        for name in ["lessons/transfer-error-families.json", "lessons/lightsail-stop-and-force.json"] {
            let checked = oracle::check::<crate::lesson::file::LessonFile>(&json(&repo_file(name)), "lesson");
            // `scenario` and `base` refuse a list after reading it, so even a list of lists is placed at
            // the member (see path_at's doc).
            assert!(checked.arrays_of_arrays.is_empty(), "{name}: {checked:?}");
        }
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_graded_session() {
        let checked = oracle::check::<crate::grade::SessionFile>(
            &json(&repo_file("tests/fixtures/grade/alice.json")),
            "session",
        );
        assert!(checked.arrays_of_arrays.is_empty(), "{checked:?}");
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_live_message_and_a_send_body() {
        use crate::live::{Message, SendRequests};
        use crate::WireRequest;
        use std::borrow::Cow;
        let scenario = crate::Scenario::default();
        let request = WireRequest::new("POST", "/")
            .with_header("x-amz-target", "TransferService.StopServer")
            .with_body("{\"ServerId\": \"s-0123456789abcdef0\"}");
        let messages = [
            Message::Hello {
                instance: "abc".into(),
                run: 3,
                scenario: Cow::Borrowed(&scenario),
                speed: 1.5,
                missing: 0,
            },
            Message::Exchange {
                seq: 1,
                at: 90_000,
                request: Cow::Borrowed(&request),
                status: 200,
                fingerprint: "0011".into(),
            },
            Message::Time { now: 5, speed: 0.0 },
        ];
        for message in messages {
            let checked = oracle::check::<Message<'static>>(&json(&message.to_json()), "message");
            assert!(checked.refused > 10 && checked.arrays_of_arrays.is_empty(), "{checked:?}");
        }
        let body = SendRequests {
            request: Some(Cow::Borrowed(&request)),
            requests: Cow::Owned(vec![request.clone(), WireRequest::new("GET", "/v2.1/servers")]),
        };
        let checked = oracle::check::<SendRequests<'static>>(&json(&body.to_json()), "body");
        assert!(checked.refused > 100 && checked.arrays_of_arrays.is_empty(), "{checked:?}");
    }

    #[test]
    fn places_are_the_tracked_paths_of_the_small_cases() {
        oracle::check::<Doc>(&json(r#"{"items": [{"id": "a"}, {"id": "b"}]}"#), "doc");
        // Names with escapes and with characters that mean something in a path; blanks everywhere.
        let text = "{ \"items\" :\n [ {\"id\" : \"a\" } ,\n{ \"i\\u0064\" : 5 } ] }";
        assert_eq!(
            from_str::<Doc>(text, "doc").unwrap_err(),
            oracle::tracked::<Doc>(text, "doc").unwrap_err()
        );
        assert_eq!(from_str::<Doc>(text, "doc").unwrap_err().place, "items[1].id");
        let text = "{\"items\": [{\"id\": \"a\", \"id\" : \"b\"}]}";
        assert_eq!(from_str::<Doc>(text, "doc").unwrap_err().place, "items[0]");
        let text = "{\"items\": [{\"a.b[0]\": 1}]}";
        assert_eq!(from_str::<Doc>(text, "doc").unwrap_err().place, "items[0].a.b[0]");
    }
}
