//! Embed mode and the host-page protocol, the pure half: what an `?embed` URL asks for, which origins may
//! drive the embed, and what a host's `postMessage` means.
//!
//! The protocol (documented in `docs/embedding.md`): the host sends `fleetplay:load-scenario`,
//! `fleetplay:prefill` and `fleetplay:send`; the embed posts `fleetplay:ready`, then `fleetplay:exchange`
//! and `fleetplay:event` for everything that happens, and answers a message it cannot use with
//! `fleetplay:error`. Messages from origins outside the allow-list are dropped before they are read.

use sim::json::{Map, Value};
use sim::{Provider, Scenario, WireRequest};

/// The attribute on `<html>` that an embed's `&theme=` sets, overriding `prefers-color-scheme`
/// (`static/style.css` styles `:root[data-theme="dark"]` and `:root[data-theme="light"]`).
pub const THEME_ATTRIBUTE: &str = "data-theme";

/// The attribute on `<html>` that `&transparent` sets (`static/style.css` then paints no page background).
pub const TRANSPARENT_ATTRIBUTE: &str = "data-transparent";

/// The values `&theme=` accepts; any other value leaves the visitor's `prefers-color-scheme` in charge.
///
/// `index.html` applies the same rule in a tiny inline script before the first paint (so a dark host page never
/// sees a light flash while the wasm loads); the app sets the attribute again when it mounts.
pub const THEMES: [&str; 2] = ["light", "dark"];

/// What an `?embed` URL asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedConfig {
    /// `&provider=transfer|lightsail|nova`.
    pub provider: Option<Provider>,
    /// `&op=StopServer` (any operation the composer offers for the provider).
    pub op: Option<String>,
    /// `&server=…`: the server the embed shows and the composer addresses.
    pub server: Option<String>,
    /// `&theme=light|dark` (otherwise the host's `prefers-color-scheme`).
    pub theme: Option<&'static str>,
    /// `&origin=https://…`, repeatable: the host origins allowed to drive the embed (besides its own).
    pub origins: Vec<String>,
    /// `&providers=transfer,nova`: the providers the composer offers (all of them when empty).
    pub providers: Vec<Provider>,
    /// `&transparent`: no page background, so the host's shows through around the cards.
    pub transparent: bool,
    /// `&compact`: the response's explanations folded behind "Why this answer?".
    pub compact: bool,
    /// `&accent=2f5bea` (or `%232f5bea`): the accent colour, as `#rrggbb`.
    pub accent: Option<String>,
    /// `&events=all`: `fleetplay:event` for every server, not only the ones the embed shows.
    pub all_events: bool,
    /// Settings that could not be used, each worded for the console (see [`EmbedConfig::warnings`]).
    pub problems: Vec<String>,
}

impl EmbedConfig {
    /// Reads the query parameters (name, value) in order; `None` when `embed` is absent.
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Option<EmbedConfig> {
        let mut embed = false;
        let mut c = EmbedConfig::default();
        for (name, value) in params {
            match name {
                "embed" => embed = value != "0" && value != "false",
                "provider" => c.provider = Provider::from_slug(value),
                "op" => c.op = Some(value.to_string()),
                "server" => c.server = Some(value.to_string()),
                "theme" => c.theme = THEMES.into_iter().find(|t| *t == value),
                "origin" => match normalize_origin(value) {
                    Some(o) if !c.origins.contains(&o) => c.origins.push(o),
                    Some(_) => {}
                    None => c.problems.push(origin_problem(value)),
                },
                "providers" => {
                    c.providers.clear();
                    for slug in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                        match Provider::from_slug(slug) {
                            Some(p) if !c.providers.contains(&p) => c.providers.push(p),
                            Some(_) => {}
                            None => c.problems.push(format!(
                                "&providers={value}: {:?} is not a provider; write a comma-separated list of \
                                 transfer, lightsail and nova, e.g. &providers=transfer,nova",
                                truncate(slug, 40)
                            )),
                        }
                    }
                }
                "transparent" => c.transparent = switch(value),
                "compact" => c.compact = switch(value),
                "accent" => match accent_colour(value) {
                    Some(hex) => c.accent = Some(hex),
                    None => c.problems.push(format!(
                        "&accent={}: not a colour; write six (or three) hex digits, e.g. &accent=2f5bea \
                         or &accent=%232f5bea",
                        truncate(value, 40)
                    )),
                },
                "events" => c.all_events = value == "all",
                _ => {}
            }
        }
        embed.then_some(c)
    }

    /// Whether a message from `origin` may be read (`own` is the embed's own origin).
    pub fn allows(&self, origin: &str, own: &str) -> bool {
        origin == own || self.origins.iter().any(|o| o == origin)
    }

    /// The providers the composer offers, in the usual order, the URL's `&provider` always among them.
    pub fn offered(&self) -> Vec<Provider> {
        Provider::ALL
            .into_iter()
            .filter(|p| self.providers.is_empty() || self.providers.contains(p) || self.provider == Some(*p))
            .collect()
    }

    /// The console warnings the settings call for, one per problem (`fleetplay embed: …`).
    pub fn warnings(&self) -> Vec<String> {
        self.problems.iter().map(|p| format!("fleetplay embed: {p}")).collect()
    }
}

/// `&transparent` and `&compact` are on when present, unless written `=0` or `=false`.
fn switch(value: &str) -> bool {
    value != "0" && value != "false"
}

/// `2f5bea`, `#2f5bea`, `2fe` or `#2fe` as `#2f5bea` (lowercase).
pub fn accent_colour(value: &str) -> Option<String> {
    let hex = value.trim().strip_prefix('#').unwrap_or(value.trim());
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(hex.chars().flat_map(|c| [c, c]).fold("#".to_string(), |mut s, c| {
            s.push(c.to_ascii_lowercase());
            s
        })),
        _ => None,
    }
}

/// The text colour that reads on an accent background: near-black on light accents, white on dark ones,
/// whichever contrasts more by WCAG's formula. The channels are linearised with a square instead of sRGB's
/// exact curve (within 0.03 of it): the exact one needs `powf`, which would pull a `pow` implementation into
/// the wasm (several KB) for a choice between two colours that the approximation makes the same way.
pub fn accent_ink(hex: &str) -> &'static str {
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0)) / 255.0;
        v * v
    };
    let l = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast with white (1.05 / (l + 0.05)) against contrast with #0c1118 (l + 0.05) / 0.056.
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.056 {
        "#ffffff"
    } else {
        "#0c1118"
    }
}

/// The console text for an `&origin` that is not an origin: what was given, why it is refused, and the form
/// that works (the origin part of it, when there is one).
fn origin_problem(value: &str) -> String {
    let shown = truncate(value, 80);
    let suggestion = value
        .split_once("://")
        .map(|(scheme, rest)| (scheme, rest.split(['/', '?', '#']).next().unwrap_or("")))
        .filter(|(scheme, host)| {
            matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") && !host.is_empty()
        })
        .and_then(|(scheme, host)| normalize_origin(&format!("{scheme}://{host}")));
    let example = suggestion.map_or_else(
        || "e.g. &origin=https://docs.example.com".to_string(),
        |o| format!("here probably &origin={o}"),
    );
    format!(
        "&origin={shown} is not an origin, so it allows no page to drive this embed or hear from it; \
         write the host page's origin alone, scheme://host[:port] with no path ({example})"
    )
}

/// `scheme://host[:port]` of an origin as browsers spell `MessageEvent.origin` (no path, no trailing slash,
/// lowercase scheme and host); `None` for anything else, so a typo never widens the allow-list.
pub fn normalize_origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/');
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !(scheme == "http" || scheme == "https") || rest.is_empty() {
        return None;
    }
    if rest.chars().any(|c| matches!(c, '/' | '?' | '#' | '@' | '*') || c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some(format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

/// The console text for a `fleetplay:` message from a page the embed does not allow: who sent it, what is
/// allowed, and the setting that would allow it.
pub fn refused_origin_warning(origin: &str, allowed: &[String]) -> String {
    let allowed = if allowed.is_empty() {
        "no host page is allowed (the URL has no valid &origin)".to_string()
    } else {
        format!("allowed: {}", allowed.join(", "))
    };
    let fix = if normalize_origin(origin).is_some() {
        format!("add &origin={origin} to the embed's URL to let that page drive it")
    } else {
        "a page must be served over http(s) to drive an embed".to_string()
    };
    format!(
        "fleetplay embed: ignored a message from {origin}, which &origin does not allow ({allowed}); {fix}"
    )
}

/// A host message the embed understood.
#[derive(Clone, Debug, PartialEq)]
pub enum HostMessage {
    /// Start again from this scenario.
    LoadScenario(Box<Scenario>),
    /// Put this request in the composer.
    Prefill(Box<WireRequest>),
    /// Send the composer's request.
    Send,
    /// Follow the host page's theme: `light`, `dark`, or `None` for the visitor's `prefers-color-scheme`.
    Theme(Option<&'static str>),
}

/// Message types a host may send.
pub const INCOMING: [&str; 4] =
    ["fleetplay:load-scenario", "fleetplay:prefill", "fleetplay:send", "fleetplay:theme"];

/// Message types the embed itself posts: a host echoing them back (or a same-origin page listening to its
/// own frame) gets no error reply, so two embeds can never answer each other forever.
pub const OUTGOING: [&str; 6] = [
    "fleetplay:ready",
    "fleetplay:ack",
    "fleetplay:exchange",
    "fleetplay:event",
    "fleetplay:error",
    "fleetplay:resize",
];

/// Reads a host message (the `data` of a `MessageEvent`, as JSON). `Ok(None)`: one of the embed's own
/// message types, to be ignored. `Err`: what is wrong, for a `fleetplay:error` reply.
pub fn parse_host_message(data: &Value) -> Result<Option<HostMessage>, String> {
    let Value::Object(map) = data else {
        return Err("a message must be a JSON object with a \"type\" member".to_string());
    };
    let Some(kind) = map.get("type").and_then(Value::as_str) else {
        return Err("the message has no string \"type\" member".to_string());
    };
    match kind {
        "fleetplay:load-scenario" => {
            let scenario =
                map.get("scenario").ok_or("fleetplay:load-scenario needs a \"scenario\" member")?;
            let scenario = match scenario {
                Value::String(s) if s == "builtin" => Scenario::builtin(),
                Value::String(s) => {
                    Scenario::from_json(s).map_err(|e| format!("the scenario is invalid: {e}"))?
                }
                Value::Object(_) => Scenario::from_json(&scenario.to_string())
                    .map_err(|e| format!("the scenario is invalid: {e}"))?,
                _ => {
                    return Err("\"scenario\" must be a scenario object, its JSON text or \"builtin\"".into())
                }
            };
            Ok(Some(HostMessage::LoadScenario(Box::new(scenario))))
        }
        "fleetplay:prefill" => match (map.get("request"), map.get("raw")) {
            (Some(r), None) => request_from_json(r).map(|r| Some(HostMessage::Prefill(Box::new(r)))),
            (None, Some(Value::String(raw))) => sim::http::parse_request(raw)
                .map(|r| Some(HostMessage::Prefill(Box::new(r))))
                .map_err(|e| format!("\"raw\" is not an HTTP request: line {}: {}", e.line, e.message)),
            (None, Some(_)) => Err("\"raw\" must be a string holding an HTTP request".to_string()),
            _ => Err("fleetplay:prefill needs exactly one of \"request\" or \"raw\"".to_string()),
        },
        "fleetplay:send" => Ok(Some(HostMessage::Send)),
        "fleetplay:theme" => match map.get("theme") {
            None | Some(Value::Null) => Ok(Some(HostMessage::Theme(None))),
            Some(Value::String(t)) if THEMES.contains(&t.as_str()) => {
                Ok(Some(HostMessage::Theme(THEMES.into_iter().find(|x| x == t))))
            }
            Some(_) => Err("fleetplay:theme needs \"theme\": \"light\", \"dark\" or null".to_string()),
        },
        k if OUTGOING.contains(&k) => Ok(None),
        k => Err(format!(
            "unknown message type {:?}; this embed reads {}",
            truncate(k, 60),
            INCOMING.join(", ")
        )),
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// `{method, target, headers, body}`: headers as `[[name, value], …]` or `{name: value}`.
fn request_from_json(v: &Value) -> Result<WireRequest, String> {
    let Value::Object(m) = v else {
        return Err("\"request\" must be an object {method, target, headers, body}".into());
    };
    let text = |k: &str, default: &str| -> Result<String, String> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(default.to_string()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(format!("request.{k} must be a string")),
        }
    };
    let method = text("method", "POST")?;
    let target = text("target", "/")?;
    let body = text("body", "")?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err("request.method must be an HTTP method such as POST".into());
    }
    if target.is_empty() || target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("request.target must be a path (or URL) without spaces".into());
    }
    let mut request = WireRequest::new(&method, &target);
    let bad = || "request.headers must be [[name, value], …] or {name: value} with string values".to_string();
    let mut add = |k: &str, v: &Value| -> Result<(), String> {
        let v = v.as_str().ok_or_else(bad)?;
        if k.is_empty() || k.chars().any(|c| c == ':' || c.is_whitespace() || c.is_control()) {
            return Err(format!("request.headers: {:?} is not a header name", truncate(k, 40)));
        }
        if v.chars().any(|c| c == '\r' || c == '\n') {
            return Err(format!("request.headers: the value of {k} spans lines"));
        }
        request.headers.push((k.to_string(), v.to_string()));
        Ok(())
    };
    match m.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for pair in list {
                match pair.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), v]) => add(k, v)?,
                    _ => return Err(bad()),
                }
            }
        }
        Some(Value::Object(obj)) => {
            for (k, v) in obj {
                add(k, v)?;
            }
        }
        Some(_) => return Err(bad()),
    }
    if !body.is_empty() && request.header("Content-Length").is_none() {
        request.headers.push(("Content-Length".to_string(), body.len().to_string()));
    }
    request.body = body;
    Ok(request)
}

/// A message the embed posts: `{"type": kind, …members}`.
pub fn outgoing(kind: &str, members: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), Value::from(kind));
    for (k, v) in members {
        m.insert(k.into(), v);
    }
    Value::Object(m)
}

/// The `id` a host put on its message (a string or a number), to be echoed on the answer; `None` for any
/// other value, so an answer never carries back more than an identifier.
pub fn message_id(data: &Value) -> Option<Value> {
    match data.get("id")? {
        id @ (Value::String(_) | Value::Number(_)) => Some(id.clone()),
        _ => None,
    }
}

/// `answer` carrying the `id` of the message it answers, if that had one.
pub fn answering(answer: Value, id: Option<&Value>) -> Value {
    match (answer, id) {
        (Value::Object(mut map), Some(id)) => {
            map.insert("id".into(), id.clone());
            Value::Object(map)
        }
        (answer, _) => answer,
    }
}

/// The `fleetplay:error` reply naming the problem.
pub fn error_message(problem: &str) -> Value {
    outgoing("fleetplay:error", vec![("error", Value::from(problem))])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<HostMessage>, String> {
        parse_host_message(&sim::json::from_str(text).unwrap())
    }

    #[test]
    fn embed_urls() {
        let c = EmbedConfig::from_params([
            ("embed", ""),
            ("provider", "lightsail"),
            ("op", "StopInstance"),
            ("server", "WordPress-1"),
            ("theme", "dark"),
            ("origin", "https://Docs.Example.com/"),
            ("origin", "javascript:alert(1)"),
            ("origin", "https://docs.example.com"),
        ])
        .unwrap();
        assert_eq!(c.provider, Some(Provider::Lightsail));
        assert_eq!(c.theme, Some("dark"));
        assert_eq!(c.origins, vec!["https://docs.example.com".to_string()]);
        assert!(c.allows("https://docs.example.com", "http://127.0.0.1:8080"));
        assert!(c.allows("http://127.0.0.1:8080", "http://127.0.0.1:8080"));
        assert!(!c.allows("https://evil.example", "http://127.0.0.1:8080"));
        assert!(!c.allows("null", "http://127.0.0.1:8080"));
        assert_eq!(EmbedConfig::from_params([("provider", "nova")]), None);
        assert_eq!(normalize_origin("https://a.example/path"), None);
        assert_eq!(normalize_origin("*"), None);
    }

    #[test]
    fn host_options_and_their_warnings() {
        let c = EmbedConfig::from_params([
            ("embed", ""),
            ("providers", "nova, transfer,nova"),
            ("transparent", ""),
            ("compact", "false"),
            ("accent", "#2F5"),
            ("events", "all"),
        ])
        .unwrap();
        assert_eq!(c.providers, vec![Provider::Nova, Provider::Transfer]);
        assert_eq!(c.offered(), vec![Provider::Transfer, Provider::Nova]);
        assert!(c.transparent && !c.compact && c.all_events);
        assert_eq!(c.accent.as_deref(), Some("#22ff55"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        // The URL's own provider is always offered; no list means all of them.
        let c = EmbedConfig::from_params([("embed", ""), ("provider", "lightsail"), ("providers", "nova")])
            .unwrap();
        assert_eq!(c.offered(), vec![Provider::Lightsail, Provider::Nova]);
        assert_eq!(EmbedConfig::from_params([("embed", "")]).unwrap().offered(), Provider::ALL.to_vec());

        // Each setting that cannot be used is one warning naming it and the form that works.
        let c = EmbedConfig::from_params([
            ("embed", ""),
            ("origin", "http://127.0.0.1:8090/docs/"),
            ("origin", "docs.example.com"),
            ("accent", "blue"),
            ("providers", "aws,nova"),
        ])
        .unwrap();
        let w = c.warnings();
        assert_eq!(w.len(), 4, "{w:#?}");
        assert!(
            w[0].starts_with("fleetplay embed: &origin=http://127.0.0.1:8090/docs/ is not an origin"),
            "{}",
            w[0]
        );
        assert!(
            w[0].contains("scheme://host[:port] with no path (here probably &origin=http://127.0.0.1:8090)")
        );
        assert!(
            w[1].contains("&origin=docs.example.com is not an origin")
                && w[1].contains("e.g. &origin=https://")
        );
        assert!(w[2].starts_with("fleetplay embed: &accent=blue: not a colour"), "{}", w[2]);
        assert!(w[3].contains("\"aws\" is not a provider"), "{}", w[3]);
        assert!(c.origins.is_empty() && c.accent.is_none());
        assert_eq!(c.providers, vec![Provider::Nova]);

        let refused = refused_origin_warning("http://127.0.0.1:8091", &["http://127.0.0.1:8090".into()]);
        assert_eq!(
            refused,
            "fleetplay embed: ignored a message from http://127.0.0.1:8091, which &origin does not allow \
             (allowed: http://127.0.0.1:8090); add &origin=http://127.0.0.1:8091 to the embed's URL to let \
             that page drive it"
        );
        assert!(refused_origin_warning("null", &[]).contains("served over http(s)"));
    }

    #[test]
    fn accent_ink_reads_on_the_accent() {
        assert_eq!(accent_ink("#2f5bea"), "#ffffff");
        assert_eq!(accent_ink("#ffd400"), "#0c1118");
        assert_eq!(accent_ink("#000000"), "#ffffff");
        assert_eq!(accent_colour("zzz"), None);
        assert_eq!(accent_colour("12345"), None);
    }

    /// A guard against drift between `index.html`'s theme script and `from_params`: the script names the same
    /// attribute and values and never throws; the rule itself (`embed` present and not `0`/`false`, the last
    /// `theme` winning) is checked on the Rust side here and on the script's side by the e2e suite
    /// (e2e/embedding.test.mjs, the theme at DOMContentLoaded).
    #[test]
    fn index_html_theme_script_names_the_same_attribute_and_values() {
        let html = include_str!("../index.html");
        let script = html.split("<script>").nth(1).and_then(|s| s.split("</script>").next()).unwrap_or("");
        assert!(script.contains(&format!("'{THEME_ATTRIBUTE}'")), "{script}");
        assert!(script.contains(&format!("'{TRANSPARENT_ATTRIBUTE}'")), "{script}");
        for theme in THEMES {
            assert!(script.contains(&format!("'{theme}'")), "{theme}: {script}");
        }
        assert!(script.contains("'0'") && script.contains("'false'"), "{script}");
        assert!(script.contains("try") && script.contains("catch"), "it must never throw: {script}");
        assert!(!script.contains("fetch") && !script.contains("import"), "no network: {script}");
        let theme =
            |q: &[(&'static str, &'static str)]| EmbedConfig::from_params(q.iter().copied()).map(|c| c.theme);
        assert_eq!(theme(&[("embed", ""), ("theme", "dark")]), Some(Some("dark")));
        assert_eq!(theme(&[("embed", ""), ("theme", "dark"), ("theme", "Dark")]), Some(None));
        assert_eq!(theme(&[("theme", "light"), ("embed", "1")]), Some(Some("light")));
        assert_eq!(theme(&[("embed", "false"), ("theme", "dark")]), None);
    }

    #[test]
    fn host_messages() {
        assert_eq!(parse(r#"{"type":"fleetplay:send"}"#), Ok(Some(HostMessage::Send)));
        assert_eq!(parse(r#"{"type":"fleetplay:ready"}"#), Ok(None));
        // Every type the embed posts comes back ignored, however the page spells the call that posts it.
        let own = include_str!("embed.rs");
        let own = own.split("#[cfg(test)]").next().unwrap_or(own);
        let posting = [own, include_str!("components/embed.rs")].concat();
        let posted: Vec<&str> = posting
            .split('"')
            .filter_map(|s| Some((s, s.strip_prefix("fleetplay:")?)))
            .filter(|(_, name)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
            .map(|(s, _)| s)
            .collect();
        assert!(posted.contains(&"fleetplay:ack"), "{posted:?}");
        for kind in posted.iter().filter(|k| !INCOMING.contains(k)) {
            assert!(OUTGOING.contains(kind), "{kind} is posted but not in OUTGOING");
            assert_eq!(parse(&format!(r#"{{"type":"{kind}"}}"#)), Ok(None), "{kind}");
        }
        assert!(parse(r#"{"type":"fleetplay:nope"}"#).unwrap_err().contains("unknown message type"));
        assert_eq!(
            parse(r#"{"type":"fleetplay:theme","theme":"dark"}"#),
            Ok(Some(HostMessage::Theme(Some("dark"))))
        );
        assert_eq!(parse(r#"{"type":"fleetplay:theme","theme":null}"#), Ok(Some(HostMessage::Theme(None))));
        assert!(parse(r#"{"type":"fleetplay:theme","theme":"sepia"}"#).unwrap_err().contains("\"light\""));
        let with_id = sim::json::from_str(r#"{"type":"fleetplay:send","id":"fp7"}"#).unwrap();
        let answer = answering(error_message("no"), message_id(&with_id).as_ref());
        assert_eq!(answer.to_string(), r#"{"error":"no","id":"fp7","type":"fleetplay:error"}"#);
        let object_id = sim::json::from_str(r#"{"type":"fleetplay:send","id":{"a":1}}"#).unwrap();
        assert_eq!(message_id(&object_id), None);
        assert!(parse("42").unwrap_err().contains("JSON object"));
        assert!(parse(r#"{"type":7}"#).is_err());
        let Ok(Some(HostMessage::Prefill(r))) = parse(
            r#"{"type":"fleetplay:prefill","request":{"method":"POST","target":"/","headers":[["X-Amz-Target","TransferService.StopServer"]],"body":"{}"}}"#,
        ) else {
            panic!("prefill")
        };
        assert_eq!(r.header("Content-Length"), Some("2"));
        assert!(parse(r#"{"type":"fleetplay:prefill","raw":"POST / HTTP/1.1\n\n{}"}"#).is_ok());
        assert!(parse(r#"{"type":"fleetplay:prefill","request":{"headers":{"a b":"x"}}}"#).is_err());
        assert!(parse(r#"{"type":"fleetplay:prefill","request":{"headers":{"a":"x\ny"}}}"#).is_err());
        assert!(parse(r#"{"type":"fleetplay:prefill"}"#).is_err());
        assert!(parse(r#"{"type":"fleetplay:load-scenario","scenario":"builtin"}"#).is_ok());
        assert!(parse(r#"{"type":"fleetplay:load-scenario","scenario":{"nope":1}}"#)
            .unwrap_err()
            .contains("invalid"));
        let text = Scenario::builtin().to_json_pretty();
        let msg = sim::json::object([
            ("type", "fleetplay:load-scenario".into()),
            ("scenario", sim::json::from_str(&text).unwrap()),
        ]);
        assert!(matches!(parse_host_message(&msg), Ok(Some(HostMessage::LoadScenario(_)))));
    }
}
