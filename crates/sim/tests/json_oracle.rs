//! `sim::json` against serde_json, its oracle: on generated and hostile inputs, valid and invalid, both must
//! accept the same texts, read them to the same values (written back byte for byte alike, compact and
//! pretty, with the same number classes), and refuse the rest with the same message at the same place.
//! The oracle runs with serde_json's `float_roundtrip` feature (crates/sim/Cargo.toml): both then read a
//! float as its correctly rounded value, so floats compare bit for bit.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use sim::json::{self, Value};

/// Reads `text` with both and checks they agree.
fn agree(text: &str) -> Result<(), TestCaseError> {
    let mine = json::from_str(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&mine, &theirs) {
        (Ok(m), Ok(t)) => {
            prop_assert_eq!(
                json::to_string(m),
                serde_json::to_string(t).unwrap(),
                "compact, input {:?}",
                text
            );
            prop_assert_eq!(
                json::to_string_pretty(m),
                serde_json::to_string_pretty(t).unwrap(),
                "pretty, input {:?}",
                text
            );
            same_numbers(m, t)?;
        }
        (Err(m), Err(t)) => {
            prop_assert_eq!(m.to_string(), t.to_string(), "error, input {:?}", text);
            prop_assert_eq!((m.line(), m.column()), (t.line(), t.column()));
        }
        _ => prop_assert!(false, "input {:?}: mine {:?}, serde_json {:?}", text, mine, theirs),
    }
    Ok(())
}

fn same_numbers(m: &Value, t: &serde_json::Value) -> Result<(), TestCaseError> {
    match (m, t) {
        (Value::Number(a), serde_json::Value::Number(b)) => {
            prop_assert_eq!(a.as_u64(), b.as_u64());
            prop_assert_eq!(a.as_i64(), b.as_i64());
            prop_assert_eq!(a.as_f64().map(f64::to_bits), b.as_f64().map(f64::to_bits));
            prop_assert_eq!(a.is_f64(), b.is_f64());
        }
        (Value::Array(a), serde_json::Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                same_numbers(x, y)?;
            }
        }
        (Value::Object(a), serde_json::Value::Object(b)) => {
            for ((_, x), (_, y)) in a.iter().zip(b) {
                same_numbers(x, y)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Pieces of JSON text, valid and not, to glue together.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "{", "}", "[", "]", ",", ":", " ", "\n", "\t", "\r", "null", "true", "false", "nul", "tru", "\"",
            "\"a\"", "\"b\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\udc00x\"", "\"\\ud800\\u0041\"",
            "\"\\ud800\\n\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"\u{1}\"", "\"\u{7f}\"", "\"é\"", "\\", "-",
            "0", "01", "-0", "1.", ".5", "1e", "1e+", "-", "+1", "NaN", "Infinity", "/", "'a'", "\u{feff}",
        ])
        .prop_map(str::to_string),
        2 => number_text(),
        1 => any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        1 => "[ -~]{0,4}",
    ]
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,24})(\\.[0-9]{0,22})?([eE][+-]?[0-9]{0,4})?",
        "-?[0-9]{1,3}(\\.[0-9]{1,3})?[eE][+-]?(30[0-9]|32[0-9]|[0-9]{10,12})",
        any::<u64>().prop_map(|u| u.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        any::<f64>().prop_map(|f| format!("{f}")),
    ]
}

/// A serde_json value, to write with both after converting.
fn value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[a-c]{0,2}|\\PC{0,3}", inner), 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What Lightsail's body reader used to derive: `json::struct_members` must succeed and fail with it.
#[derive(serde::Deserialize, Debug)]
struct FastBody<'a> {
    #[serde(rename = "instanceName", default, borrow)]
    instance_name: Option<&'a str>,
    #[serde(default)]
    force: Option<bool>,
    #[serde(rename = "pageToken", default, borrow)]
    page_token: Option<&'a str>,
    #[serde(rename = "operationId", default, borrow)]
    operation_id: Option<&'a str>,
}

fn struct_agrees(text: &str) -> Result<(), TestCaseError> {
    let theirs =
        if text.trim_start().starts_with('{') { serde_json::from_str::<FastBody>(text).ok() } else { None };
    let mine = json::struct_members(text, &["instanceName", "pageToken", "operationId"], &["force"]);
    match (&mine, &theirs) {
        (None, None) => {}
        (Some(m), Some(t)) => {
            let s = |k: &str| m.get(k).and_then(Value::as_str);
            prop_assert_eq!(s("instanceName"), t.instance_name, "{:?}", text);
            prop_assert_eq!(s("pageToken"), t.page_token, "{:?}", text);
            prop_assert_eq!(s("operationId"), t.operation_id, "{:?}", text);
            prop_assert_eq!(m.get("force").and_then(Value::as_bool), t.force, "{:?}", text);
        }
        _ => prop_assert!(false, "input {:?}: mine {:?}, serde {:?}", text, mine, theirs),
    }
    Ok(())
}

fn member() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            r#""instanceName":"WordPress-1""#,
            r#""instanceName": null"#,
            r#""instanceName":"a\"b""#,
            r#""instanceName":5"#,
            r#""instance\u004eame":"x""#,
            r#""force":true"#,
            r#""force": false"#,
            r#""force":null"#,
            r#""force":"true""#,
            r#""force":1"#,
            r#""pageToken":"t""#,
            r#""operationId":"o""#,
            r#""operationId":{}"#,
            r#""x":1e400"#,
            r#""x":-1e999999999999"#,
            r#""x":"\ud800""#,
            r#""x":"\udc00\ud800""#,
            r#""\ud800":1"#,
            r#""x":{"\ud800":[1e400]}"#,
            r#""x":[]"#,
            r#""x":{}"#,
            r#""x":[1,]"#,
            r#""x":{"a":1,}"#,
            r#""x":01"#,
            r#""x":1."#,
            r#""x":-"#,
            r#""x":"\x""#,
            "\"x\":\"\t\"",
            r#""x":nul"#,
            r#""x":[{"a":[true,false,null,"s",-0.5e+3]}]"#,
            r#""x" 1"#,
            r#"1:2"#,
            r#""y":tru"#,
        ])
        .prop_map(str::to_string),
        (1usize..300).prop_map(|d| format!("\"deep\":{}1{}", "[".repeat(d), "]".repeat(d))),
        (1usize..300).prop_map(|d| format!("\"deep\":{}1{}", "{\"a\":".repeat(d), "}".repeat(d))),
        (1usize..300).prop_map(|d| format!("\"deep\":{}", "[".repeat(d))),
        (any::<String>(), any::<String>()).prop_map(|(k, v)| format!(
            "{}:{}",
            serde_json::to_string(&k).unwrap(),
            serde_json::to_string(&v).unwrap()
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn struct_members_read_as_the_derived_struct(
        members in prop::collection::vec(member(), 0..5),
        sep in prop::sample::select(vec![",", ", ", " ,\n", ",,", ""]),
        open in prop::sample::select(vec!["{", " \n{", "[", "", "{{"]),
        close in prop::sample::select(vec!["}", "} ", "}\n", "", "},", "}x", "]"]),
    ) {
        let text = format!("{open}{}{close}", members.join(sep));
        struct_agrees(&text)?;
        agree(&text)?;
    }

    #[test]
    fn glued_tokens_read_alike(tokens in prop::collection::vec(token(), 0..12)) {
        agree(&tokens.concat())?;
    }

    #[test]
    fn numbers_read_alike(text in number_text(), pad in "[ \n]{0,2}") {
        agree(&text)?;
        agree(&format!("[{pad}{text}{pad}]"))?;
        agree(&format!("{{\"n\":{text}}}"))?;
    }

    #[test]
    fn floats_write_alike(bits in any::<u64>()) {
        let f = f64::from_bits(bits);
        prop_assert_eq!(json::to_string(&Value::from(f)), serde_json::to_string(&f).unwrap(), "{:e}", f);
    }

    #[test]
    fn strings_write_and_read_alike(s in any::<String>(), c in "[\u{0}-\u{7f}]{0,8}") {
        for s in [s, c] {
            let quoted = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(json::to_string(&Value::from(s.as_str())), quoted.clone());
            agree(&quoted)?;
        }
    }

    #[test]
    fn unicode_escapes_read_alike(a in 0u32..0x10000, b in 0u32..0x10000, tail in "[\"\\\\u0-9a-fA-F]{0,6}") {
        agree(&format!("\"\\u{a:04x}\\u{b:04X}{tail}"))?;
        agree(&format!("\"\\u{a:04x}{tail}"))?;
    }

    #[test]
    fn values_write_alike(v in value()) {
        let text = serde_json::to_string(&v).unwrap();
        agree(&text)?;
        agree(&serde_json::to_string_pretty(&v).unwrap())?;
    }

    #[test]
    fn damaged_values_fail_alike(v in value(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let text = serde_json::to_string_pretty(&v).unwrap();
        let mut bytes = text.into_bytes();
        let at = cut.index(bytes.len() + 1);
        bytes.truncate(at);
        agree(&String::from_utf8_lossy(&bytes))?;
        if at > 0 {
            bytes[at - 1] = byte;
            agree(&String::from_utf8_lossy(&bytes))?;
        }
    }
}

#[test]
fn hostile_inputs_fail_alike() {
    let mut cases: Vec<String> = vec![
        String::new(),
        " ".into(),
        "1e400".into(),
        "-1e400".into(),
        "1e-400".into(),
        "-1e999999999999".into(),
        "1e999999999999".into(),
        "0e999999999999".into(),
        "18446744073709551616".into(),
        "-9223372036854775809".into(),
        "123456789012345678901234567890e-10".into(),
        "0.000000000000000000000000000001e-300".into(),
        "{\"a\":1,\"a\":2}".into(),
        "{\"a\" 1}".into(),
        "{\n\"a\":\n}".into(),
        "[1,\n2,\n]".into(),
        "[1 2]".into(),
        "{\"a\":1 \"b\":2}".into(),
        "{1:2}".into(),
        "{,}".into(),
        "[,]".into(),
        "[1,,2]".into(),
        "\"\u{0}\"".into(),
        "\"a\nb\"".into(),
        "\"\\ud800\\udbff\"".into(),
        "\"\\ud800\\".into(),
        "\"\\ud800\\u".into(),
        "\"\\ud800\\u12".into(),
        "\"\\".into(),
        "\"abc".into(),
        "nulll".into(),
        "[".into(),
        "{".into(),
        "{\"a\"".into(),
        "{\"a\":".into(),
        "{\"a\":1,".into(),
        "[1,".into(),
    ];
    // A long run of digits offsetting an exponent beyond 65,535 (core's parser alone misreads these).
    let zeros = "0".repeat(700_000);
    cases.extend([
        format!("1{zeros}e-700000"),
        format!("[0.{zeros}1e700000]"),
        format!("1{zeros}e-699000"),
        format!("{{\"a\":-1{zeros}e-700320}}"),
    ]);
    for depth in [126, 127, 128, 129, 100_000] {
        cases.push("[".repeat(depth) + &"]".repeat(depth));
        cases.push("{\"a\":".repeat(depth) + "1" + &"}".repeat(depth));
        cases.push("[{\"a\":".repeat(depth / 2));
    }
    for case in cases {
        agree(&case).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn floats_near_ties_write_alike() {
    // Ties between two shortest forms need a short binary fraction: few low bits, every binade.
    let mut checked = 0;
    for exp in -1074i32..=971 {
        for m in [1u64, 3, 5, 7, 9, 11, 13, 15, 17, 25, 33, 63, 65, 127, 255, 1023, 4095] {
            for top in [0u64, 1 << 52, (1 << 53) - 1] {
                let mantissa = top | m;
                let f = mantissa as f64
                    * 2f64.powi(exp.max(-1022))
                    * if exp < -1022 { 2f64.powi(exp + 1022) } else { 1.0 };
                if f.is_finite() {
                    let mine = json::to_string(&Value::from(f));
                    assert_eq!(mine, serde_json::to_string(&f).unwrap(), "{f:e}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50_000);
    // And a sweep of raw bit patterns (a fixed linear congruential sequence).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300_000 {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let f = f64::from_bits(x);
        if f.is_finite() {
            assert_eq!(json::to_string(&Value::from(f)), serde_json::to_string(&f).unwrap(), "{f:e}");
        }
    }
}
