//! serde_json under the names the page and the CLI used before the simulator moved to serde: the value, the
//! reader and the writer are serde_json's; [`ToJson`] writes any `Serialize` type, and lets the page's saved
//! formats that still write themselves member by member ([`Writer`]) embed simulator types.
//!
//! Transitional: it goes away when the page's session, share-link and draft types derive `Serialize`.

use serde::Serialize;

pub use serde_json::{Error, Number, Value};

/// A JSON object's members, sorted by name.
pub type Map = serde_json::Map<String, Value>;

/// Reads one JSON value; only whitespace may follow it.
pub fn from_str(text: &str) -> Result<Value, Error> {
    serde_json::from_str(text)
}

/// Compact JSON text.
pub fn to_string(value: &Value) -> String {
    value.to_string()
}

/// Pretty JSON text (two-space indent).
pub fn to_string_pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// An object of these members (a later member replaces an earlier one of the same key).
pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// Anything that writes itself as one JSON value: every `Serialize` type, and the page types that write their
/// members one by one with a [`Writer`].
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

    /// The value as a tree.
    fn to_json_value(&self) -> Value {
        from_str(&self.to_json_string()).unwrap_or(Value::Null)
    }
}

impl<T: Serialize + ?Sized> ToJson for T {
    fn write_json(&self, w: &mut Writer) {
        w.serde(self);
    }
}

/// Writes JSON text, compact or pretty (as serde_json writes it), value by value.
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

    /// A `Serialize` value, as serde_json writes it at this depth.
    pub fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        if self.pretty {
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            let indent = "  ".repeat(self.indent);
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    self.out.push('\n');
                    self.out.push_str(&indent);
                }
                self.out.push_str(line);
            }
        } else {
            self.out.push_str(&serde_json::to_string(value).unwrap_or_default());
        }
    }

    /// A string, quoted and escaped.
    pub fn str(&mut self, s: &str) {
        self.serde(s);
    }

    /// An object: `f` writes its members with [`Members::member`].
    pub fn object(&mut self, f: impl FnOnce(&mut Members<'_>)) {
        self.out.push('{');
        self.indent += 1;
        let mut members = Members { w: self, any: false };
        f(&mut members);
        let any = members.any;
        self.indent -= 1;
        if any {
            self.line_break();
        }
        self.out.push('}');
    }

    /// In pretty JSON, a line break and the indentation of the current depth.
    fn line_break(&mut self) {
        if self.pretty {
            self.out.push('\n');
            self.out.push_str(&"  ".repeat(self.indent));
        }
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

    fn key(&mut self, key: &str) {
        if self.any {
            self.w.out.push(',');
        }
        self.any = true;
        self.w.line_break();
        self.w.serde(key);
        self.w.out.push(':');
        if self.w.pretty {
            self.w.out.push(' ');
        }
    }

    /// Writes `"key": [item, …]`.
    pub fn list<T: ToJson>(&mut self, key: &str, items: &[T]) {
        self.key(key);
        let w = &mut *self.w;
        w.out.push('[');
        w.indent += 1;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                w.out.push(',');
            }
            w.line_break();
            item.write_json(w);
        }
        w.indent -= 1;
        if !items.is_empty() {
            w.line_break();
        }
        w.out.push(']');
    }

    /// Writes `"key": value` when `value` is `Some` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn member_if_some<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.member(key, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inner;
    impl ToJson for Inner {
        fn write_json(&self, w: &mut Writer) {
            w.object(|m| m.member("i", &true));
        }
    }

    #[test]
    fn members_written_one_by_one_read_as_serde_json_writes_them() {
        struct S;
        impl ToJson for S {
            fn write_json(&self, w: &mut Writer) {
                w.object(|m| {
                    m.member("z", &1u64);
                    m.member("a", &vec![(String::from("p"), 2u32)]);
                    m.member_if_some("n", &None::<u64>);
                    m.member("e", &Vec::<u64>::new());
                    m.list("l", &[Inner]);
                    m.member("o", &object([("k", Value::from(0.5))]));
                });
            }
        }
        assert_eq!(S.to_json_string(), r#"{"z":1,"a":[["p",2]],"e":[],"l":[{"i":true}],"o":{"k":0.5}}"#);
        let text = S.to_json_pretty();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string_pretty(&value).unwrap().len(), text.len());
        assert_eq!(
            text,
            "{\n  \"z\": 1,\n  \"a\": [\n    [\n      \"p\",\n      2\n    ]\n  ],\n  \"e\": [],\n  \"l\": [\n    {\n      \
             \"i\": true\n    }\n  ],\n  \"o\": {\n    \"k\": 0.5\n  }\n}"
        );
    }
}
