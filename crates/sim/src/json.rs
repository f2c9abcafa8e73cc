//! The JSON reader and writer of the simulator and the page, in place of serde and serde_json.
//!
//! Why it exists: the page's wasm is over its size budget, and serde, serde_json, their derived code and the
//! float formatting they pull in were about 13 KB of it gzipped (BENCHMARKS.md has the current sizes and the
//! size breakdown, where this module is its own row). The playground uses a small part of them: one value
//! tree ([`Value`]), reading it from text, writing it back (compact or pretty), writing a few structs in
//! their field order ([`ToJson`]), and one struct read the derived way ([`struct_members`], Lightsail's
//! input, whose unknown members serde only checked for syntax).
//!
//! What it guarantees: it reads and writes as serde_json 1.0 did here, so nothing a user sees changed (the
//! services' answers, diagnoses, scenario files, sessions, share links):
//! - objects are a [`BTreeMap`]: keys are written sorted, and a member given twice keeps its last value;
//! - numbers are classed as serde_json classes them: a whole number that fits is a `u64` (or, negative, an
//!   `i64`), anything else (a fraction, an exponent, `-0`, beyond 64 bits) is an `f64`, and a number too
//!   large for an `f64` is an error. The `f64` is the correctly rounded value of the text, read by `core`'s
//!   parser: what serde_json gives with its `float_roundtrip` feature. Without that feature serde_json
//!   could land one step off for some numbers with many digits, so a hand-written file may read one step
//!   differently than before; files this module writes hold round-trip forms and read back exactly;
//! - floats are written in serde_json's shortest round-trip form (`0.5`, `1.0`, `1e-7`, `1.5e+300`), worked
//!   out without float formatting code (see `write_f64`);
//! - strings follow the JSON escaping rules; a lone surrogate in a `\u` escape and a raw control character
//!   are errors; the writer escapes exactly what serde_json escapes (`"`, `\`, and control characters, the
//!   common ones as `\n` and the rest as lowercase `\u00XX`);
//! - errors carry serde_json's message and its line and column (`expected value at line 1 column 2`);
//! - nesting deeper than 127 arrays or objects is an error (`recursion limit exceeded`), never a stack
//!   overflow, and no input panics.
//!
//! Floats stay `f64` because the scenario's rates are `f64`; the only float code used besides arithmetic is
//! `core`'s parser, which other parts of the page link anyway.
//!
//! The reader is this project's own: a byte-at-a-time recursive descent over the JSON grammar (RFC 8259),
//! with error messages and positions chosen to match serde_json's. `tests/json_oracle.rs` holds it to that:
//! it compares this module with serde_json (with `float_roundtrip`) on generated and hostile inputs.

use std::collections::BTreeMap;
use std::fmt;

/// A JSON object: members sorted by key.
pub type Map = BTreeMap<String, Value>;

/// Any JSON value.
#[derive(Clone, Default, PartialEq)]
pub enum Value {
    /// `null`
    #[default]
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number: a `u64`, a negative `i64`, or a finite `f64`, as serde_json classifies them.
#[derive(Clone, Copy, PartialEq)]
pub struct Number(N);

#[derive(Clone, Copy, PartialEq)]
enum N {
    PosInt(u64),
    /// Always negative.
    NegInt(i64),
    /// Always finite.
    Float(f64),
}

impl Number {
    /// The number as a `u64`, when it is a whole number written without fraction or exponent that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self.0 {
            N::PosInt(u) => Some(u),
            _ => None,
        }
    }

    /// The number as an `i64`, when it is a whole number written without fraction or exponent that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self.0 {
            N::PosInt(u) => i64::try_from(u).ok(),
            N::NegInt(i) => Some(i),
            N::Float(_) => None,
        }
    }

    /// The number as an `f64` (always `Some`, possibly rounded).
    pub fn as_f64(&self) -> Option<f64> {
        Some(match self.0 {
            N::PosInt(u) => u as f64,
            N::NegInt(i) => i as f64,
            N::Float(f) => f,
        })
    }

    /// Whether [`Number::as_u64`] is `Some`.
    pub fn is_u64(&self) -> bool {
        matches!(self.0, N::PosInt(_))
    }

    /// Whether the number is held as a float (it had a fraction or an exponent, was `-0` or too long).
    pub fn is_f64(&self) -> bool {
        matches!(self.0, N::Float(_))
    }

    /// A finite float as a number; `None` for NaN and the infinities.
    pub fn from_f64(f: f64) -> Option<Number> {
        f.is_finite().then_some(Number(N::Float(f)))
    }
}

impl From<u64> for Number {
    fn from(u: u64) -> Number {
        Number(N::PosInt(u))
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Number {
        match u64::try_from(i) {
            Ok(u) => Number(N::PosInt(u)),
            Err(_) => Number(N::NegInt(i)),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            N::PosInt(u) => write!(f, "{u}"),
            N::NegInt(i) => write!(f, "{i}"),
            N::Float(x) => {
                let mut s = String::new();
                write_f64(&mut s, x);
                f.write_str(&s)
            }
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

/// What [`Value::get`] and indexing accept: a key of an object or a position in an array.
pub trait Index {
    /// The member or element, if `value` has it.
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value>;
    /// The same, mutably.
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value>;
}

impl Index for str {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_object().and_then(|m| m.get(self))
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        value.as_object_mut().and_then(|m| m.get_mut(self))
    }
}

impl Index for String {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(value)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(value)
    }
}

impl Index for usize {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_array().and_then(|a| a.get(*self))
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        value.as_array_mut().and_then(|a| a.get_mut(*self))
    }
}

impl<T: Index + ?Sized> Index for &T {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        (**self).index_into(value)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        (**self).index_into_mut(value)
    }
}

static NULL: Value = Value::Null;

impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;
    /// The member or element, `null` when there is none (never panics).
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NULL)
    }
}

impl Value {
    /// A member of an object or an element of an array.
    pub fn get<I: Index>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }

    /// The same, mutably.
    pub fn get_mut<I: Index>(&mut self, index: I) -> Option<&mut Value> {
        index.index_into_mut(self)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// See [`Number::as_u64`].
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// See [`Number::as_i64`].
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// See [`Number::as_f64`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The members of an object, mutably.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The elements of an array, mutably.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is a number that [`Value::as_u64`] reads.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Whether this is an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// Whether this is `true` or `false`.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// The value at a JSON Pointer (RFC 6901: `/a/0/b`, `~1` for `/`, `~0` for `~`); `""` is the value itself.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut target = self;
        for token in rest.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            target = match target {
                Value::Object(map) => map.get(&token)?,
                Value::Array(list) => list.get(array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(target)
    }

    /// Takes the value out, leaving `null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// An array index in a JSON Pointer: digits without a leading zero (as serde_json reads them).
fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
        return None;
    }
    token.parse().ok()
}

impl fmt::Debug for Value {
    /// As serde_json's: `Null`, `Bool(true)`, `Number(1.5)`, `String("a")`, `Array [..]`, `Object {..}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Number(n) => fmt::Debug::fmt(n, f),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::Array(list) => {
                f.write_str("Array ")?;
                f.debug_list().entries(list).finish()
            }
            Value::Object(map) => {
                f.write_str("Object ")?;
                f.debug_map().entries(map).finish()
            }
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string(self))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

/// Whole numbers of every width the code writes, as a `u64` or an `i64` (a `usize` beyond 64 bits, on no
/// target this project builds for, would saturate).
macro_rules! from_integer {
    ($($t:ty => $wide:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(<$wide>::try_from(n).map_or(Number(N::PosInt(u64::MAX)), Number::from))
            }
        }
    )*};
}
from_integer!(u64 => u64, u32 => u64, u16 => u64, usize => u64, i64 => i64, i32 => i64);

impl From<f64> for Value {
    /// A finite float; NaN and the infinities become `null`, as serde_json makes them.
    fn from(f: f64) -> Value {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map_or(Value::Null, Into::into)
    }
}

impl<A: Into<Value>, B: Into<Value>> From<(A, B)> for Value {
    /// A pair is a two-element array, as serde writes tuples.
    fn from((a, b): (A, B)) -> Value {
        Value::Array(vec![a.into(), b.into()])
    }
}

/// An object of these members (a later member replaces an earlier one of the same key).
pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut map = Map::new();
    for (k, v) in members {
        map.insert(k.to_string(), v);
    }
    Value::Object(map)
}

macro_rules! eq_as {
    ($($t:ty => $as:ident as $wide:ty),* $(,)?) => {$(
        impl PartialEq<$t> for Value {
            /// As serde_json compares: the value read as this type equals `other`.
            fn eq(&self, other: &$t) -> bool {
                self.$as() == Some(<$wide>::from(*other))
            }
        }
    )*};
}

eq_as!(u64 => as_u64 as u64, u32 => as_u64 as u64, u16 => as_u64 as u64, i64 => as_i64 as i64,
    i32 => as_i64 as i64, bool => as_bool as bool);

impl PartialEq<usize> for Value {
    fn eq(&self, other: &usize) -> bool {
        self.as_u64() == Some(*other as u64)
    }
}

impl PartialEq<String> for Value {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/// A syntax error: serde_json's message and where it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: &'static str,
    line: usize,
    column: usize,
}

impl Error {
    /// The line, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column: bytes since the start of the line (0 right after a line break).
    pub fn column(&self) -> usize {
        self.column
    }

    /// The message without its position (`expected value`).
    pub fn message(&self) -> &'static str {
        self.message
    }
}

impl fmt::Display for Error {
    /// `expected value at line 1 column 2`, as serde_json words it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for Error {}

const EOF_LIST: &str = "EOF while parsing a list";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_VALUE: &str = "EOF while parsing a value";
const EXPECTED_COLON: &str = "expected `:`";
const EXPECTED_LIST_COMMA_OR_END: &str = "expected `,` or `]`";
const EXPECTED_OBJECT_COMMA_OR_END: &str = "expected `,` or `}`";
const EXPECTED_IDENT: &str = "expected ident";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_ESCAPE: &str = "invalid escape";
const INVALID_NUMBER: &str = "invalid number";
const OUT_OF_RANGE: &str = "number out of range";
const CONTROL_CHARACTER: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const KEY_MUST_BE_A_STRING: &str = "key must be a string";
const LONE_SURROGATE: &str = "lone leading surrogate in hex escape";
const TRAILING_COMMA: &str = "trailing comma";
const TRAILING_CHARACTERS: &str = "trailing characters";
const END_OF_HEX_ESCAPE: &str = "unexpected end of hex escape";
const RECURSION_LIMIT: &str = "recursion limit exceeded";

/// Containers that may be open at once, plus one (serde_json's limit: 127 nested arrays/objects read).
const DEPTH: u8 = 128;

/// Reads one JSON value; only whitespace may follow it.
pub fn from_str(text: &str) -> Result<Value, Error> {
    let mut p = Parser { b: text.as_bytes(), i: 0, depth: DEPTH };
    let value = p.value()?;
    match p.whitespace() {
        Some(_) => Err(p.peek_error(TRAILING_CHARACTERS)),
        None => Ok(value),
    }
}

/// The members `strings` and `bools` of a JSON object, read as serde_json reads a struct of `Option<&str>`
/// and `Option<bool>` members that skips unknown members (`#[derive(Deserialize)]`, `#[serde(default)]`).
/// `None` where that derived reader fails: not an object, bad syntax, a member given twice, a wanted string
/// with an escape in it (it cannot be borrowed) or of another type, a wanted boolean of another type.
///
/// Skipped members are only checked for syntax, so their numbers may be out of range, their `\u` escapes
/// lone surrogates, and their nesting as deep as it likes: bodies [`from_str`] refuses but such a struct
/// reads. The values returned (strings, booleans, `null`) are what [`from_str`] would give for them.
pub fn struct_members(text: &str, strings: &[&str], bools: &[&str]) -> Option<Map> {
    let mut p = Parser { b: text.as_bytes(), i: 0, depth: DEPTH };
    if p.whitespace()? != b'{' {
        return None;
    }
    p.i += 1;
    let mut map = Map::new();
    let mut first = true;
    loop {
        let peek = p.whitespace()?;
        if peek == b'}' {
            p.i += 1;
            break;
        }
        if !first {
            if peek != b',' {
                return None;
            }
            p.i += 1;
            p.whitespace()?;
        }
        first = false;
        if p.peek()? != b'"' {
            return None;
        }
        p.i += 1;
        let key = p.string().ok()?;
        if p.whitespace()? != b':' {
            return None;
        }
        p.i += 1;
        let wanted_string = strings.contains(&key.as_str());
        if !(wanted_string || bools.contains(&key.as_str())) {
            p.skip_value()?;
            continue;
        }
        let value = match p.whitespace()? {
            b'n' => {
                p.i += 1;
                p.ident(b"ull").ok()?;
                Value::Null
            }
            b'"' if wanted_string => {
                let start = p.i;
                p.i += 1;
                let s = p.string().ok()?;
                if p.b[start..p.i].contains(&b'\\') {
                    return None;
                }
                Value::String(s)
            }
            b't' | b'f' if !wanted_string => {
                let v = p.peek()? == b't';
                p.i += 1;
                p.ident(if v { b"rue" } else { b"alse" }).ok()?;
                Value::Bool(v)
            }
            _ => return None,
        };
        if map.insert(key, value).is_some() {
            return None;
        }
    }
    match p.whitespace() {
        Some(_) => None,
        None => Some(map),
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: u8,
}

type Result<T, E = Error> = std::result::Result<T, E>;

impl Parser<'_> {
    fn position_of(&self, i: usize) -> Error {
        let before = &self.b[..i];
        let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        let line = 1 + before[..start].iter().filter(|&&c| c == b'\n').count();
        Error { message: "", line, column: i - start }
    }

    /// An error about a byte already consumed.
    fn error(&self, message: &'static str) -> Error {
        Error { message, ..self.position_of(self.i) }
    }

    /// An error about the byte not yet consumed.
    fn peek_error(&self, message: &'static str) -> Error {
        Error { message, ..self.position_of(self.b.len().min(self.i + 1)) }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn peek_or_null(&self) -> u8 {
        self.peek().unwrap_or(0)
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn whitespace(&mut self) -> Option<u8> {
        while let Some(c) = self.peek() {
            if !matches!(c, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(c);
            }
            self.i += 1;
        }
        None
    }

    fn value(&mut self) -> Result<Value> {
        let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_VALUE)) };
        match peek {
            b'n' => {
                self.i += 1;
                self.ident(b"ull")?;
                Ok(Value::Null)
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue")?;
                Ok(Value::Bool(true))
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse")?;
                Ok(Value::Bool(false))
            }
            b'-' => {
                self.i += 1;
                Ok(Value::Number(self.number(false)?))
            }
            b'0'..=b'9' => Ok(Value::Number(self.number(true)?)),
            b'"' => {
                self.i += 1;
                Ok(Value::String(self.string()?))
            }
            b'[' => {
                self.enter()?;
                self.i += 1;
                let list = self.array_items();
                self.depth += 1;
                let list = list?;
                self.end_array()?;
                Ok(Value::Array(list))
            }
            b'{' => {
                self.enter()?;
                self.i += 1;
                let map = self.object_members();
                self.depth += 1;
                let map = map?;
                self.end_object()?;
                Ok(Value::Object(map))
            }
            _ => Err(self.peek_error(EXPECTED_VALUE)),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.peek_error(RECURSION_LIMIT));
        }
        Ok(())
    }

    fn ident(&mut self, rest: &[u8]) -> Result<()> {
        for &want in rest {
            match self.next() {
                None => return Err(self.error(EOF_VALUE)),
                Some(c) if c != want => return Err(self.error(EXPECTED_IDENT)),
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn array_items(&mut self) -> Result<Vec<Value>> {
        let mut list = Vec::new();
        loop {
            let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_LIST)) };
            if peek == b']' {
                return Ok(list);
            }
            if !list.is_empty() {
                if peek != b',' {
                    return Err(self.peek_error(EXPECTED_LIST_COMMA_OR_END));
                }
                self.i += 1;
                match self.whitespace() {
                    Some(b']') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => {}
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            }
            list.push(self.value()?);
        }
    }

    fn object_members(&mut self) -> Result<Map> {
        let mut map = Map::new();
        let mut first = true;
        loop {
            let Some(peek) = self.whitespace() else { return Err(self.peek_error(EOF_OBJECT)) };
            if peek == b'}' {
                return Ok(map);
            }
            if first {
                first = false;
                if peek != b'"' {
                    return Err(self.peek_error(KEY_MUST_BE_A_STRING));
                }
            } else if peek == b',' {
                self.i += 1;
                match self.whitespace() {
                    Some(b'"') => {}
                    Some(b'}') => return Err(self.peek_error(TRAILING_COMMA)),
                    Some(_) => return Err(self.peek_error(KEY_MUST_BE_A_STRING)),
                    None => return Err(self.peek_error(EOF_VALUE)),
                }
            } else {
                return Err(self.peek_error(EXPECTED_OBJECT_COMMA_OR_END));
            }
            self.i += 1;
            let key = self.string()?;
            match self.whitespace() {
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.peek_error(EXPECTED_COLON)),
                None => return Err(self.peek_error(EOF_OBJECT)),
            }
            let value = self.value()?;
            map.insert(key, value);
        }
    }

    fn end_array(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b']') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => {
                self.i += 1;
                match self.whitespace() {
                    Some(b']') => Err(self.peek_error(TRAILING_COMMA)),
                    _ => Err(self.peek_error(TRAILING_CHARACTERS)),
                }
            }
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_LIST)),
        }
    }

    fn end_object(&mut self) -> Result<()> {
        match self.whitespace() {
            Some(b'}') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => Err(self.peek_error(TRAILING_COMMA)),
            Some(_) => Err(self.peek_error(TRAILING_CHARACTERS)),
            None => Err(self.peek_error(EOF_OBJECT)),
        }
    }

    /// Skips one value as serde_json's `ignore_value` does: syntax only, no limit on nesting (it keeps its
    /// own stack), numbers not evaluated, `\u` escapes not paired. `None` on a syntax error.
    fn skip_value(&mut self) -> Option<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            // A value.
            match self.whitespace()? {
                b'n' => {
                    self.i += 1;
                    self.ident(b"ull").ok()?;
                }
                b't' => {
                    self.i += 1;
                    self.ident(b"rue").ok()?;
                }
                b'f' => {
                    self.i += 1;
                    self.ident(b"alse").ok()?;
                }
                b'-' | b'0'..=b'9' => self.skip_number()?,
                b'"' => {
                    self.i += 1;
                    self.skip_string()?;
                }
                c @ (b'[' | b'{') => {
                    self.i += 1;
                    let close = if c == b'[' { b']' } else { b'}' };
                    if self.whitespace()? == close {
                        self.i += 1;
                    } else {
                        open.push(c);
                        if c == b'{' {
                            self.skip_key()?;
                        }
                        continue;
                    }
                }
                _ => return None,
            }
            // After a value: a comma and the next one, or the end of enclosing containers.
            loop {
                let Some(&frame) = open.last() else { return Some(()) };
                let close = if frame == b'[' { b']' } else { b'}' };
                match self.whitespace()? {
                    b',' => {
                        self.i += 1;
                        if frame == b'{' {
                            self.skip_key()?;
                        }
                        break;
                    }
                    c if c == close => {
                        self.i += 1;
                        open.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// `"key":` inside an object being skipped.
    fn skip_key(&mut self) -> Option<()> {
        if self.whitespace()? != b'"' {
            return None;
        }
        self.i += 1;
        self.skip_string()?;
        if self.whitespace()? != b':' {
            return None;
        }
        self.i += 1;
        Some(())
    }

    /// The rest of a string after its opening quote: escapes checked for form only.
    fn skip_string(&mut self) -> Option<()> {
        loop {
            match self.next()? {
                b'"' => return Some(()),
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        self.hex4().ok()?;
                    }
                    _ => return None,
                },
                0..=0x1f => return None,
                _ => {}
            }
        }
    }

    /// A number's syntax (`-`, digits without a leading zero, fraction, exponent), not its value.
    fn skip_number(&mut self) -> Option<()> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        self.lex_number().ok().map(|_| ())
    }

    fn skip_digits(&mut self) {
        while self.peek_or_null().is_ascii_digit() {
            self.i += 1;
        }
    }

    // Strings: bytes up to the closing quote, escapes decoded, raw control characters refused.

    fn string(&mut self) -> Result<String> {
        let mut out: Vec<u8> = Vec::new();
        let mut start = self.i;
        loop {
            while self.i < self.b.len() && !matches!(self.b[self.i], b'"' | b'\\' | 0..=0x1f) {
                self.i += 1;
            }
            let Some(c) = self.peek() else { return Err(self.error(EOF_STRING)) };
            match c {
                b'"' => {
                    out.extend_from_slice(&self.b[start..self.i]);
                    self.i += 1;
                    // The input is UTF-8 and escapes add whole scalar values, so this cannot fail.
                    return String::from_utf8(out).map_err(|_| self.error("invalid unicode code point"));
                }
                b'\\' => {
                    out.extend_from_slice(&self.b[start..self.i]);
                    self.i += 1;
                    self.escape(&mut out)?;
                    start = self.i;
                }
                _ => {
                    self.i += 1;
                    return Err(self.error(CONTROL_CHARACTER));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let Some(c) = self.next() else { return Err(self.error(EOF_STRING)) };
        let byte = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error(INVALID_ESCAPE)),
        };
        out.push(byte);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.error(EOF_STRING));
        };
        self.i += 4;
        let mut n: u16 = 0;
        for &d in digits {
            let v = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.error(INVALID_ESCAPE)),
            };
            n = n << 4 | u16::from(v);
        }
        Ok(n)
    }

    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.error(LONE_SURROGATE));
        }
        let code = if (0xD800..=0xDBFF).contains(&n) {
            for want in [b'\\', b'u'] {
                match self.peek() {
                    None => return Err(self.error(EOF_STRING)),
                    Some(c) => {
                        self.i += 1;
                        if c != want {
                            return Err(self.error(END_OF_HEX_ESCAPE));
                        }
                    }
                }
            }
            let n2 = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&n2) {
                return Err(self.error(LONE_SURROGATE));
            }
            ((u32::from(n - 0xD800) << 10) | u32::from(n2 - 0xDC00)) + 0x1_0000
        } else {
            u32::from(n)
        };
        let ch = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    // Numbers: the JSON grammar checked byte by byte, errors where serde_json reports them; then the value.
    // A whole number that fits 64 bits is an integer (`u64`, or `i64` when negative), as serde_json classes
    // it; anything else is an `f64`, read from the number's text by `core`'s correctly rounded parser.

    /// Reads a number; its `-`, when `positive` is false, is already consumed.
    fn number(&mut self, positive: bool) -> Result<Number> {
        let start = if positive { self.i } else { self.i - 1 };
        let lexed = self.lex_number()?;
        // Every byte of the number is ASCII, so this cannot fail; an error here is still no panic.
        let text = std::str::from_utf8(&self.b[start..self.i]).map_err(|_| self.error(INVALID_NUMBER))?;
        if let Some(overflow_at) = lexed.exponent_overflow_at {
            // An exponent beyond 32 bits: zero when the number shrinks (or is zero), else out of range
            // where the exponent overflowed.
            let nonzero =
                self.b[lexed.int.clone()].iter().chain(&self.b[lexed.frac.clone()]).any(|&d| d != b'0');
            if nonzero && lexed.exponent > 0 {
                return Err(Error { message: OUT_OF_RANGE, ..self.position_of(overflow_at) });
            }
            return Ok(Number(N::Float(if positive { 0.0 } else { -0.0 })));
        }
        if lexed.whole {
            let magnitude = text.trim_start_matches('-').parse::<u64>().ok();
            match magnitude {
                Some(u) if positive => return Ok(Number(N::PosInt(u))),
                Some(u) if u != 0 && u <= 1 << 63 => {
                    return Ok(Number(N::NegInt(0i64.wrapping_sub_unsigned(u))));
                }
                // `-0` and integers beyond 64 bits are floats.
                _ => {}
            }
        }
        let f = self.float_value(&lexed)?;
        Ok(Number(N::Float(if positive { f } else { -f })))
    }

    /// The correctly rounded magnitude of a lexed number, by `core`'s parser. It reads a rewritten text,
    /// `0.<significant digits>e<point>`, whose exponent is small: `core` stops counting a written exponent
    /// beyond 65,535, and a long run of digits can offset a large exponent (`1` and 700,000 zeros `e-700000`
    /// is 1).
    fn float_value(&self, lexed: &LexedNumber) -> Result<f64> {
        let (int, frac) = (&self.b[lexed.int.clone()], &self.b[lexed.frac.clone()]);
        let digits = || int.iter().chain(frac);
        let Some(first) = digits().position(|&d| d != b'0') else { return Ok(0.0) };
        let last = int.len() + frac.len() - digits().rev().position(|&d| d != b'0').unwrap_or(0);
        // The value is 0.<digits first..last> × 10^point.
        let point = int.len() as i64 - first as i64 + lexed.exponent;
        if point > 310 {
            return Err(self.error(OUT_OF_RANGE));
        }
        if point < -330 {
            return Ok(0.0);
        }
        let mut text = String::with_capacity(last - first + 8);
        text.push_str("0.");
        text.extend(digits().skip(first).take(last - first).map(|&d| char::from(d)));
        text.push('e');
        text.push_str(&point.to_string());
        let f: f64 = text.parse().map_err(|_| self.error(INVALID_NUMBER))?;
        if f.is_infinite() {
            return Err(self.error(OUT_OF_RANGE));
        }
        Ok(f)
    }

    /// Consumes one number's digits, point and exponent (after any `-`), checking the JSON grammar.
    fn lex_number(&mut self) -> Result<LexedNumber> {
        let mut lexed = LexedNumber {
            whole: true,
            int: self.i..self.i,
            frac: 0..0,
            exponent: 0,
            exponent_overflow_at: None,
        };
        let Some(first) = self.next() else { return Err(self.error(EOF_VALUE)) };
        match first {
            b'0' if self.peek_or_null().is_ascii_digit() => return Err(self.peek_error(INVALID_NUMBER)),
            b'0' => {}
            b'1'..=b'9' => self.skip_digits(),
            _ => return Err(self.error(INVALID_NUMBER)),
        }
        lexed.int.end = self.i;
        if self.peek_or_null() == b'.' {
            lexed.whole = false;
            self.i += 1;
            let digits = self.i;
            self.skip_digits();
            lexed.frac = digits..self.i;
            if self.i == digits {
                return Err(match self.peek() {
                    Some(_) => self.peek_error(INVALID_NUMBER),
                    None => self.peek_error(EOF_VALUE),
                });
            }
        }
        if matches!(self.peek_or_null(), b'e' | b'E') {
            lexed.whole = false;
            self.i += 1;
            let negative = match self.peek_or_null() {
                b'+' => {
                    self.i += 1;
                    false
                }
                b'-' => {
                    self.i += 1;
                    true
                }
                _ => false,
            };
            let Some(d) = self.next() else { return Err(self.error(EOF_VALUE)) };
            if !d.is_ascii_digit() {
                return Err(self.error(INVALID_NUMBER));
            }
            let mut exponent = u64::from(d - b'0');
            while let c @ b'0'..=b'9' = self.peek_or_null() {
                self.i += 1;
                exponent = exponent * 10 + u64::from(c - b'0');
                if exponent > i32::MAX as u64 {
                    lexed.exponent_overflow_at.get_or_insert(self.i);
                    exponent = i32::MAX as u64 + 1;
                }
            }
            // At most 2^31: exact in an i64.
            let exponent = exponent as i64;
            lexed.exponent = if negative { -exponent } else { exponent };
        }
        Ok(lexed)
    }
}

/// What [`Parser::lex_number`] learnt of a number's shape.
struct LexedNumber {
    /// No point and no exponent.
    whole: bool,
    /// Where the digits before the point are.
    int: std::ops::Range<usize>,
    /// Where the digits after the point are (empty without a point).
    frac: std::ops::Range<usize>,
    /// The exponent's value (0 without one; past 32 bits its sign and ±2^31, see `exponent_overflow_at`).
    exponent: i64,
    /// Where an exponent too large for 32 bits overflowed (just after that digit).
    exponent_overflow_at: Option<usize>,
}

// ---------------------------------------------------------------------------------------------------------
// Writing

/// Compact JSON (`{"a":[1,2]}`), as serde_json's `to_string` writes it.
pub fn to_string(value: &Value) -> String {
    let mut w = Writer::compact();
    value.write_json(&mut w);
    w.finish()
}

/// Pretty JSON (two-space indent, `"key": value`), as serde_json's `to_string_pretty` writes it.
pub fn to_string_pretty(value: &Value) -> String {
    let mut w = Writer::pretty();
    value.write_json(&mut w);
    w.finish()
}

/// Anything that writes itself as one JSON value. Structs write their members in field order.
pub trait ToJson {
    /// Writes the value.
    fn write_json(&self, w: &mut Writer);

    /// Compact JSON text.
    fn to_json_string(&self) -> String {
        let mut w = Writer::compact();
        self.write_json(&mut w);
        w.finish()
    }

    /// Pretty JSON text.
    fn to_json_pretty(&self) -> String {
        let mut w = Writer::pretty();
        self.write_json(&mut w);
        w.finish()
    }

    /// The value as a tree (through its text, so object keys end up sorted as in any [`Value`]).
    fn to_json_value(&self) -> Value {
        from_str(&self.to_json_string()).unwrap_or(Value::Null)
    }
}

/// Writes JSON text, compact or pretty, value by value.
pub struct Writer {
    out: String,
    pretty: bool,
    indent: usize,
}

impl Writer {
    /// A writer of compact JSON.
    pub fn compact() -> Writer {
        Writer { out: String::new(), pretty: false, indent: 0 }
    }

    /// A writer of pretty JSON.
    pub fn pretty() -> Writer {
        Writer { out: String::new(), pretty: true, indent: 0 }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    /// `null`
    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    /// `true` or `false`
    pub fn bool(&mut self, b: bool) {
        self.out.push_str(if b { "true" } else { "false" });
    }

    /// A whole number.
    pub fn u64(&mut self, u: u64) {
        use fmt::Write;
        let _ = write!(self.out, "{u}");
    }

    /// A float; NaN and the infinities are written `null`.
    pub fn f64(&mut self, f: f64) {
        if f.is_finite() {
            write_f64(&mut self.out, f);
        } else {
            self.null();
        }
    }

    /// A string, quoted and escaped.
    pub fn str(&mut self, s: &str) {
        write_str(&mut self.out, s);
    }

    /// An object: `f` writes its members with [`Members::member`].
    pub fn object(&mut self, f: impl FnOnce(&mut Members<'_>)) {
        self.out.push('{');
        self.indent += 1;
        let mut members = Members { w: self, any: false };
        f(&mut members);
        let any = members.any;
        self.close(any, '}');
    }

    /// An array of `items`.
    pub fn array<'t, T: ToJson + 't>(&mut self, items: impl IntoIterator<Item = &'t T>) {
        self.out.push('[');
        self.indent += 1;
        let mut any = false;
        for item in items {
            self.separate(any);
            any = true;
            item.write_json(self);
        }
        self.close(any, ']');
    }

    fn separate(&mut self, after_another: bool) {
        if after_another {
            self.out.push(',');
        }
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.indent {
                self.out.push_str("  ");
            }
        }
    }

    fn close(&mut self, any: bool, bracket: char) {
        self.indent -= 1;
        if any && self.pretty {
            self.out.push('\n');
            for _ in 0..self.indent {
                self.out.push_str("  ");
            }
        }
        self.out.push(bracket);
    }
}

/// The members of an object being written.
pub struct Members<'w> {
    w: &'w mut Writer,
    any: bool,
}

impl Members<'_> {
    /// Writes `"key": value`.
    pub fn member(&mut self, key: &str, value: &(impl ToJson + ?Sized)) {
        self.key(key);
        value.write_json(self.w);
    }

    /// Writes `"key": value` when `value` is `Some` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn member_if_some<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.member(key, v);
        }
    }

    /// Writes `"key": ` and leaves the value to the caller.
    pub fn key(&mut self, key: &str) -> &mut Writer {
        self.w.separate(self.any);
        self.any = true;
        self.w.str(key);
        self.w.out.push(':');
        if self.w.pretty {
            self.w.out.push(' ');
        }
        self.w
    }
}

impl ToJson for Value {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) => match n.0 {
                N::PosInt(u) => w.u64(u),
                N::NegInt(i) => {
                    use fmt::Write;
                    let _ = write!(w.out, "{i}");
                }
                N::Float(f) => w.f64(f),
            },
            Value::String(s) => w.str(s),
            Value::Array(list) => w.array(list),
            Value::Object(map) => w.object(|m| {
                for (k, v) in map {
                    m.member(k, v);
                }
            }),
        }
    }
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.bool(*self);
    }
}

impl ToJson for u64 {
    fn write_json(&self, w: &mut Writer) {
        w.u64(*self);
    }
}

impl ToJson for u32 {
    fn write_json(&self, w: &mut Writer) {
        w.u64(u64::from(*self));
    }
}

impl ToJson for usize {
    fn write_json(&self, w: &mut Writer) {
        w.u64(*self as u64);
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut Writer) {
        w.f64(*self);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(v) => v.write_json(w),
            None => w.null(),
        }
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        w.array(self);
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.array(self);
    }
}

impl<V: ToJson> ToJson for BTreeMap<String, V> {
    /// An object, keys sorted.
    fn write_json(&self, w: &mut Writer) {
        w.object(|m| {
            for (k, v) in self {
                m.member(k, v);
            }
        });
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    /// A pair is a two-element array, as serde writes tuples.
    fn write_json(&self, w: &mut Writer) {
        w.out.push('[');
        w.indent += 1;
        w.separate(false);
        self.0.write_json(w);
        w.separate(true);
        self.1.write_json(w);
        w.close(true, ']');
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends a finite `f` in serde_json's form: the shortest digits that read back as `f` (the nearer of two,
/// halfway cases to even), plainly written when the decimal exponent is within -5..=15 (`0.00001`, `123.5`,
/// `1e15` as `1000000000000000.0`), else as `1.5e+16` / `1e-7`.
///
/// No float formatting code is involved (`core`'s costs the page about 6 KB gzip): the digits are rounded from
/// the exact decimal expansion of `f`, and a candidate is kept when `core`'s float parser (linked anyway)
/// reads it back as `f`.
fn write_f64(out: &mut String, f: f64) {
    if f.is_sign_negative() {
        out.push('-');
    }
    let (digits, exp) = shortest_digits(f.abs());
    let n = digits.len() as i32;
    if (-5..=15).contains(&exp) {
        if n - 1 <= exp {
            out.push_str(&digits);
            for _ in 0..(exp - (n - 1)) {
                out.push('0');
            }
            out.push_str(".0");
        } else if exp >= 0 {
            let (whole, frac) = digits.split_at(exp as usize + 1);
            out.push_str(whole);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        push_u64(out, u64::from(exp.unsigned_abs()));
    }
}

/// Appends the decimal digits of `u` (no formatting machinery: the writer's and every answer's numbers).
pub fn push_u64(out: &mut String, mut u: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    out.extend(buf[i..].iter().map(|&b| char::from(b)));
}

/// The shortest significant digits of a finite `f ≥ 0` that read back as `f`, and the decimal exponent of
/// the first one (`0.0125` → `("125", -2)`); zero is `("0", 0)`.
fn shortest_digits(f: f64) -> (String, i32) {
    if f == 0.0 {
        return ("0".to_string(), 0);
    }
    let (exact, point) = exact_decimal(f);
    // `exact` × 10^`point` is `f`, with no trailing zeros.
    let len = exact.len();
    let exp_of = |carried: bool| len as i32 - 1 + point + i32::from(carried);
    let reads_back = |digits: &[u8], exp: i32| {
        let mut text = String::from_utf8_lossy(digits).into_owned();
        text.push('e');
        text.push_str(&(exp - (digits.len() as i32 - 1)).to_string());
        text.parse::<f64>() == Ok(f)
    };
    for n in 1..len {
        let down = &exact[..n];
        let (up, carried) = increment(down);
        let first_dropped = exact[n];
        let rest_zero = exact[n + 1..].iter().all(|&d| d == b'0');
        let up_is_nearer =
            first_dropped > b'5' || (first_dropped == b'5' && (!rest_zero || (down[n - 1] - b'0') % 2 == 1));
        let down = (down.to_vec(), exp_of(false));
        let up = (up, exp_of(carried));
        let (nearer, farther) = if up_is_nearer { (up, down) } else { (down, up) };
        for (digits, exp) in [nearer, farther] {
            if reads_back(&digits, exp) {
                let digits = String::from_utf8_lossy(&digits).trim_end_matches('0').to_string();
                return (digits, exp);
            }
        }
    }
    (String::from_utf8_lossy(&exact).into_owned(), exp_of(false))
}

/// `digits` plus one in the last place; `true` when that carried into a new leading digit (`99` → `10`,
/// exponent one higher, same length).
fn increment(digits: &[u8]) -> (Vec<u8>, bool) {
    let mut out = digits.to_vec();
    for d in out.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return (out, false);
        }
    }
    out.insert(0, b'1');
    out.pop();
    (out, true)
}

/// The exact value of a finite `f > 0` as decimal digits without trailing zeros and the power of ten they
/// are multiplied by: `f` = mantissa × 2^e = (mantissa × 2^e) or (mantissa × 5^-e) × 10^e, in base-10^9
/// limbs.
fn exact_decimal(f: f64) -> (Vec<u8>, i32) {
    let bits = f.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, mut e) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    let mut limbs: Vec<u64> = vec![mantissa % 1_000_000_000, mantissa / 1_000_000_000 % 1_000_000_000];
    limbs.push(mantissa / 1_000_000_000_000_000_000);
    let multiply = |limbs: &mut Vec<u64>, by: u64| {
        let mut carry = 0;
        for limb in limbs.iter_mut() {
            let v = *limb * by + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    };
    let point = e.min(0);
    while e > 0 {
        let step = e.min(30);
        multiply(&mut limbs, 1 << step);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(13);
        multiply(&mut limbs, 5u64.pow(step as u32));
        e += step;
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut text = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        let part = limb.to_string();
        if i > 0 {
            text.extend(std::iter::repeat_n('0', 9 - part.len()));
        }
        text.push_str(&part);
    }
    let kept = text.trim_end_matches('0');
    let point = point + (text.len() - kept.len()) as i32;
    (kept.as_bytes().to_vec(), point)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        from_str(text).map(|v| to_string(&v)).unwrap_err().to_string()
    }

    #[test]
    fn reads_and_writes_like_serde_json() {
        let v =
            from_str(r#" {"b": [1, -2, 2.5, true, null], "a": "x\u00e9\ud83d\ude00\n", "b": {}} "#).unwrap();
        assert_eq!(to_string(&v), "{\"a\":\"xé😀\\n\",\"b\":{}}");
        let v = from_str(r#"{"k":[1,{"z":[]}],"e":{}}"#).unwrap();
        assert_eq!(
            to_string_pretty(&v),
            "{\n  \"e\": {},\n  \"k\": [\n    1,\n    {\n      \"z\": []\n    }\n  ]\n}"
        );
        assert_eq!(to_string(&Value::from("\u{1}\u{7f}\"\\/")), "\"\\u0001\u{7f}\\\"\\\\/\"");
    }

    #[test]
    fn numbers_keep_serde_jsons_classes() {
        let n = |t: &str| from_str(t).unwrap();
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(to_string(&n("18446744073709551616")), "1.8446744073709552e+19");
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(to_string(&n("-9223372036854775809")), "-9.223372036854776e+18");
        assert_eq!(n("-0").as_u64(), None);
        assert_eq!(n("-0").as_i64(), None);
        assert_eq!(to_string(&n("-0")), "-0.0");
        assert_eq!(n("1.0").as_u64(), None);
        assert_eq!(to_string(&n("1e2")), "100.0");
        assert_eq!(to_string(&n("1E-7")), "1e-7");
        assert_eq!(to_string(&n("0.00001")), "0.00001");
        assert_eq!(to_string(&n("1e16")), "1e+16");
        assert_eq!(to_string(&n("123456789012345.6")), "123456789012345.6");
        assert_eq!(to_string(&n("1e-400")), "0.0");
        assert_eq!(err("1e400"), "number out of range at line 1 column 5");
        assert_eq!(err("-1e999999999999"), "number out of range at line 1 column 13");
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(err(""), "EOF while parsing a value at line 1 column 0");
        assert_eq!(err("{\"a\":}"), "expected value at line 1 column 6");
        assert_eq!(err("[1,]"), "trailing comma at line 1 column 4");
        assert_eq!(err("{\"a\":1,}"), "trailing comma at line 1 column 8");
        assert_eq!(err("{\n  \"a\" 1"), "expected `:` at line 2 column 7");
        assert_eq!(err("\"\\ud800\""), "unexpected end of hex escape at line 1 column 8");
        assert_eq!(err("\"\\udc00\""), "lone leading surrogate in hex escape at line 1 column 7");
        assert_eq!(err("\"\\ud800\\u0041\""), "lone leading surrogate in hex escape at line 1 column 13");
        assert_eq!(
            err("\"a\tb\""),
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3"
        );
        assert_eq!(err("[1] x"), "trailing characters at line 1 column 5");
        assert_eq!(err("01"), "invalid number at line 1 column 2");
        assert_eq!(err("nul"), "EOF while parsing a value at line 1 column 3");
        assert_eq!(err("nulx"), "expected ident at line 1 column 4");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(from_str(&ok).is_ok());
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep), "recursion limit exceeded at line 1 column 128");
        let deep = "{\"a\":".repeat(100_000);
        assert!(err(&deep).starts_with("recursion limit exceeded"));
    }

    #[test]
    fn ordered_structs_write_in_field_order() {
        struct S;
        impl ToJson for S {
            fn write_json(&self, w: &mut Writer) {
                w.object(|m| {
                    m.member("z", &1u64);
                    m.member("a", &vec![(String::from("p"), 2u32)]);
                    m.member_if_some("n", &None::<u64>);
                    m.member("e", &Vec::<u64>::new());
                });
            }
        }
        assert_eq!(S.to_json_string(), r#"{"z":1,"a":[["p",2]],"e":[]}"#);
        assert_eq!(
            S.to_json_pretty(),
            "{\n  \"z\": 1,\n  \"a\": [\n    [\n      \"p\",\n      2\n    ]\n  ],\n  \"e\": []\n}"
        );
    }

    #[test]
    fn numbers_are_classed_and_correctly_rounded() {
        let n = |t: &str| match from_str(t) {
            Ok(Value::Number(n)) => n,
            other => panic!("{t}: {other:?}"),
        };
        assert!(matches!(n("18446744073709551615").0, N::PosInt(u64::MAX)));
        assert!(matches!(n("-9223372036854775808").0, N::NegInt(i64::MIN)));
        assert_eq!(n("-9223372036854775809").as_f64(), Some(-9223372036854775809f64));
        assert_eq!(n("18446744073709551616").as_f64(), Some(18446744073709551616f64));
        assert_eq!(n("-0").as_f64().map(f64::to_bits), Some((-0.0f64).to_bits()));
        // Correctly rounded, digits beyond 19 included (a sum of parts would be one step off here).
        assert_eq!(n("9007199254740993.0000000000000000001").as_f64(), Some(9007199254740994.0));
        assert_eq!(n("2.2250738585072011e-308").as_f64(), Some(f64::from_bits(0x000F_FFFF_FFFF_FFFF)));
        // A long run of digits offsets a large exponent (core's parser alone stops counting at 65,535).
        let long = format!("1{}e-700000", "0".repeat(700_000));
        assert_eq!(n(&long).as_f64(), Some(1.0));
        let tiny = format!("0.{}1e700000", "0".repeat(700_000));
        assert_eq!(n(&tiny).as_f64(), Some(0.1));
        assert_eq!(n(&format!("1{}e-700308", "0".repeat(700_000))).as_f64(), Some(1e-308));
        assert_eq!(
            err(&format!("1{}e-699000", "0".repeat(700_000))),
            "number out of range at line 1 column 700009"
        );
        assert_eq!(n("1e-400").as_f64(), Some(0.0));
        assert_eq!(n("0e99999999999").as_f64(), Some(0.0));
        assert_eq!(n("-1e-99999999999").as_f64().map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(err("1e400"), "number out of range at line 1 column 5");
        assert_eq!(err("1e99999999999"), "number out of range at line 1 column 12");
        assert_eq!(err("-"), "EOF while parsing a value at line 1 column 1");
        assert_eq!(err("1.e5"), "invalid number at line 1 column 3");
        assert_eq!(err("1e+"), "EOF while parsing a value at line 1 column 3");
    }

    #[test]
    fn debug_reads_like_serde_jsons() {
        let v = from_str(r#"{"a": [null, true, 1.5, -2, "x"]}"#).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(r#"{"a": [null, true, 1.5, -2, "x"]}"#).unwrap();
        assert_eq!(format!("{v:?}"), format!("{theirs:?}"));
        assert_eq!(format!("{v:#?}"), format!("{theirs:#?}"));
    }

    #[test]
    fn pointers_and_indexing() {
        let v = from_str(r#"{"a/b": [10, {"~": true}]}"#).unwrap();
        assert_eq!(v.pointer("/a~1b/1/~0"), Some(&Value::Bool(true)));
        assert_eq!(v.pointer("/a~1b/01"), None);
        assert_eq!(v["a/b"][0].as_u64(), Some(10));
        assert!(v["nope"][3].is_null());
    }
}
