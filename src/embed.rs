//! Embed mode and the host-page protocol, the pure half: what an `?embed` URL asks for, which origins may
//! drive the embed, and what a host's `postMessage` means.
//!
//! The protocol (documented in `docs/embedding.md`): the host sends `fleetplay:load-scenario`,
//! `fleetplay:prefill` and `fleetplay:send`; the embed posts `fleetplay:ready`, then `fleetplay:exchange`
//! and `fleetplay:event` for everything that happens, and answers a message it cannot use with
//! `fleetplay:error`. Messages from origins outside the allow-list are dropped before they are read.
//!
//! Messages are serde types. A host message arrives as a `serde_json::Value` (the web half converts the
//! `MessageEvent`'s JS object with serde-wasm-bindgen, or reads a message sent as JSON text) and is read
//! through `sim::decode` as the type its `type` calls for; what the embed posts is an [`Outgoing`] message,
//! which the web half turns into a JS object with serde-wasm-bindgen. Members a host message does not need
//! are ignored, so later additions keep older embeds working.

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sim::decode::{self, Problem};
use sim::transcript::{EventRecord, ExchangeRecord};
use sim::{Provider, Scenario, WireRequest};
use std::collections::BTreeMap;

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

/// The message (or a part of it) as a `T`, or what is wrong, placed at its path.
fn read<T: DeserializeOwned>(data: &Value) -> Result<T, Problem> {
    decode::from_value(data, "message")
}

/// What kind of message it is.
#[derive(Deserialize)]
#[serde(expecting = "an object")]
struct Kind {
    #[serde(rename = "type")]
    kind: String,
}

/// `fleetplay:load-scenario`: a scenario object, its JSON text, or `"builtin"`.
#[derive(Deserialize)]
struct LoadScenario {
    scenario: Value,
}

/// `fleetplay:prefill`: exactly one of `request` and `raw`.
#[derive(Deserialize)]
struct Prefill {
    request: Option<RequestMessage>,
    raw: Option<String>,
}

/// `{method, target, headers, body}`, every member optional.
#[derive(Deserialize)]
struct RequestMessage {
    method: Option<String>,
    target: Option<String>,
    headers: Option<Headers>,
    body: Option<String>,
}

/// `[[name, value], …]` in order, or `{name: value}` (sorted by name).
struct Headers(Vec<(String, String)>);

const HEADERS_EXPECTED: &str = "[[name, value], …] or {name: value} with string values";

/// Either shape, or one message for anything else. Read as JSON values first and refused as a whole, so a
/// problem is placed at `request.headers` itself: serde's untagged enum would read the same, but buffers
/// every message's headers in its own form first, and fails only after the reader has left them.
impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = Headers;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(HEADERS_EXPECTED)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Headers, A::Error> {
                let pair = |item: Value| match <[Value; 2]>::try_from(item.as_array()?.clone()) {
                    Ok([Value::String(name), Value::String(value)]) => Some((name, value)),
                    _ => None,
                };
                let items = Vec::<Value>::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                let pairs: Option<Vec<_>> = items.into_iter().map(pair).collect();
                pairs.map(Headers).ok_or_else(|| de::Error::custom(HEADERS_EXPECTED))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Headers, A::Error> {
                let members =
                    BTreeMap::<String, Value>::deserialize(de::value::MapAccessDeserializer::new(map))?;
                let pairs: Option<Vec<_>> = members
                    .into_iter()
                    .map(|(name, value)| match value {
                        Value::String(value) => Some((name, value)),
                        _ => None,
                    })
                    .collect();
                pairs.map(Headers).ok_or_else(|| de::Error::custom(HEADERS_EXPECTED))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Headers, E> {
                Err(E::custom(HEADERS_EXPECTED))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

/// `fleetplay:theme`.
#[derive(Deserialize)]
struct Theme {
    theme: Option<String>,
}

/// The `id` of a message, when it has one.
#[derive(Deserialize)]
struct Tagged {
    #[serde(default)]
    id: Value,
}

/// The `id` a host put on its message (a string or a number), echoed on the answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Id(Value);

/// The message's `id`; `None` for any other value than a string or a number, so an answer never carries
/// back more than an identifier.
pub fn message_id(data: &Value) -> Option<Id> {
    match read::<Tagged>(data).ok()?.id {
        id @ (Value::String(_) | Value::Number(_)) => Some(Id(id)),
        _ => None,
    }
}

/// Reads a host message. `Ok(None)`: one of the embed's own message types, to be ignored. `Err`: what is
/// wrong, for a `fleetplay:error` reply.
pub fn parse_host_message(data: &Value) -> Result<Option<HostMessage>, String> {
    let Kind { kind } = read(data).map_err(|e| {
        format!("a message must be an object with a string \"type\" member ({})", problem(&e))
    })?;
    match kind.as_str() {
        "fleetplay:load-scenario" => {
            let LoadScenario { scenario } =
                read(data).map_err(|e| format!("fleetplay:load-scenario: {}", problem(&e)))?;
            let scenario = match &scenario {
                Value::String(text) if text == "builtin" => Ok(Scenario::builtin()),
                Value::String(text) => Scenario::from_json(text),
                Value::Object(_) => {
                    Scenario::from_json_value(&scenario).and_then(|s| s.validate().map(|()| s))
                }
                _ => {
                    return Err(
                        "\"scenario\" must be a scenario object, its JSON text or \"builtin\"".to_string()
                    )
                }
            }
            .map_err(|e| format!("the scenario is invalid: {e}"))?;
            Ok(Some(HostMessage::LoadScenario(Box::new(scenario))))
        }
        "fleetplay:prefill" => {
            let prefill: Prefill = read(data).map_err(|e| format!("fleetplay:prefill: {}", problem(&e)))?;
            match (prefill.request, prefill.raw) {
                (Some(r), None) => request_message(r).map(|r| Some(HostMessage::Prefill(Box::new(r)))),
                (None, Some(raw)) => sim::http::parse_request(&raw)
                    .map(|r| Some(HostMessage::Prefill(Box::new(r))))
                    .map_err(|e| format!("\"raw\" is not an HTTP request: line {}: {}", e.line, e.message)),
                _ => Err("fleetplay:prefill needs exactly one of \"request\" or \"raw\"".to_string()),
            }
        }
        "fleetplay:send" => Ok(Some(HostMessage::Send)),
        "fleetplay:theme" => {
            let theme_problem = || "fleetplay:theme needs \"theme\": \"light\", \"dark\" or null".to_string();
            let Theme { theme } = read(data).map_err(|_| theme_problem())?;
            match theme {
                None => Ok(Some(HostMessage::Theme(None))),
                Some(t) => THEMES
                    .into_iter()
                    .find(|x| *x == t)
                    .map(|t| Some(HostMessage::Theme(Some(t))))
                    .ok_or_else(theme_problem),
            }
        }
        k if OUTGOING.contains(&k) => Ok(None),
        k => Err(format!(
            "unknown message type {:?}; this embed reads {}",
            truncate(k, 60),
            INCOMING.join(", ")
        )),
    }
}

/// A problem inside a message: its path (when it is inside) and what is wrong.
fn problem(e: &Problem) -> String {
    if e.place == "message" {
        e.message.clone()
    } else {
        e.to_string()
    }
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The request of a `fleetplay:prefill`: `method` defaults to `POST`, `target` to `/`; `Content-Length` is
/// added when there is a body.
fn request_message(m: RequestMessage) -> Result<WireRequest, String> {
    let method = m.method.unwrap_or_else(|| "POST".to_string());
    let target = m.target.unwrap_or_else(|| "/".to_string());
    let body = m.body.unwrap_or_default();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err("request.method must be an HTTP method such as POST".into());
    }
    if target.is_empty() || target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("request.target must be a path (or URL) without spaces".into());
    }
    let mut request = WireRequest::new(&method, &target);
    let headers = m.headers.map(|Headers(pairs)| pairs).unwrap_or_default();
    for (k, v) in headers {
        if k.is_empty() || k.chars().any(|c| c == ':' || c.is_whitespace() || c.is_control()) {
            return Err(format!("request.headers: {:?} is not a header name", truncate(&k, 40)));
        }
        if v.chars().any(|c| c == '\r' || c == '\n') {
            return Err(format!("request.headers: the value of {k} spans lines"));
        }
        request.headers.push((k, v));
    }
    if !body.is_empty() && request.header("Content-Length").is_none() {
        request.headers.push(("Content-Length".to_string(), body.len().to_string()));
    }
    request.body = body;
    Ok(request)
}

/// A message the embed posts: `{"type": "fleetplay:…", …members}`.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum Outgoing<'a> {
    /// Once, when the embed can take messages; `provider` is the URL's `&provider`, or `null`.
    #[serde(rename = "fleetplay:ready")]
    Ready {
        /// The protocol version.
        protocol: u32,
        /// The URL's `&provider`.
        provider: Option<Provider>,
    },
    /// The embed's content height, in CSS pixels.
    #[serde(rename = "fleetplay:resize")]
    Resize {
        /// The height.
        height: u64,
    },
    /// A load or prefill was applied.
    #[serde(rename = "fleetplay:ack")]
    Ack {
        /// The message type answered.
        #[serde(rename = "for")]
        answers: &'static str,
        /// The provider the composer switched to (prefill only).
        #[serde(skip_serializing_if = "Option::is_none")]
        provider: Option<Provider>,
    },
    /// A request was sent.
    #[serde(rename = "fleetplay:exchange")]
    Exchange {
        /// As `fleetplay replay --format json` writes it.
        exchange: ExchangeRecord<'a>,
    },
    /// A state change.
    #[serde(rename = "fleetplay:event")]
    Event {
        /// As `fleetplay replay --format json` writes it.
        event: EventRecord<'a>,
    },
    /// A message could not be used.
    #[serde(rename = "fleetplay:error")]
    Error {
        /// The problem.
        error: String,
    },
}

/// An answer to a host message: the message, with the `id` of the one it answers when that had one.
#[derive(Debug, Serialize)]
pub struct Answer<'a> {
    /// The message.
    #[serde(flatten)]
    pub message: Outgoing<'a>,
    /// The host message's `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn parse(text: &str) -> Result<Option<HostMessage>, String> {
        parse_host_message(&json(text))
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
        let posting = [own, include_str!("hooks/embed.rs")].concat();
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
        let answer = |id| Answer { message: Outgoing::Error { error: "no".into() }, id };
        let with_id = json(r#"{"type":"fleetplay:send","id":"fp7"}"#);
        let text = serde_json::to_string(&answer(message_id(&with_id))).unwrap();
        assert_eq!(text, r#"{"type":"fleetplay:error","error":"no","id":"fp7"}"#);
        assert_eq!(message_id(&json(r#"{"id":7}"#)), Some(Id(Value::from(7))));
        assert_eq!(message_id(&json(r#"{"type":"fleetplay:send","id":{"a":1}}"#)), None);
        assert_eq!(
            serde_json::to_string(&answer(None)).unwrap(),
            r#"{"type":"fleetplay:error","error":"no"}"#
        );
        let e = parse("42").unwrap_err();
        assert_eq!(
            e,
            "a message must be an object with a string \"type\" member (invalid type: integer `42`, expected an \
             object)"
        );
        let e = parse(r#"{"type":7}"#).unwrap_err();
        assert!(e.ends_with("(type: invalid type: integer `7`, expected a string)"), "{e}");
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
        let e = parse(r#"{"type":"fleetplay:load-scenario","scenario":{"fleet":"nope"}}"#).unwrap_err();
        assert_eq!(e, "the scenario is invalid: fleet: invalid type: string \"nope\", expected an object");
        let e =
            parse(r#"{"type":"fleetplay:load-scenario","scenario":{"fleet":{"transfer":[{"id":"s-1"}]}}}"#);
        assert!(e
            .unwrap_err()
            .starts_with("the scenario is invalid: fleet.transfer[0].id: \"s-1\" does not match"));
        let e = parse(r#"{"type":"fleetplay:load-scenario","scenario":"{\"seed\": -1}"}"#).unwrap_err();
        assert!(e.starts_with("the scenario is invalid: seed: invalid value: integer `-1`"), "{e}");
        let e = parse(r#"{"type":"fleetplay:load-scenario","scenario":5}"#).unwrap_err();
        assert!(e.contains("must be a scenario object, its JSON text or \"builtin\""), "{e}");
        let msg = serde_json::json!({"type": "fleetplay:load-scenario", "scenario": Scenario::builtin()});
        assert!(matches!(parse_host_message(&msg), Ok(Some(HostMessage::LoadScenario(_)))));
        let e = parse(r#"{"type":"fleetplay:prefill","request":{"headers":[["a"]]}}"#).unwrap_err();
        assert!(e.ends_with("[[name, value], …] or {name: value} with string values"), "{e}");
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_message() {
        use sim::decode::oracle::check;
        let prefill = json(
            r#"{"type": "fleetplay:prefill", "id": 7, "request": {"method": "POST", "target": "/",
                "headers": [["Content-Type", "application/json"], ["X-A", "b"]], "body": "{}"}}"#,
        );
        for document in [
            prefill.clone(),
            json(
                r#"{"type": "fleetplay:prefill", "request": {"headers": {"a": "b", "c": "d"}, "body": "x"}}"#,
            ),
            json(r#"{"type": "fleetplay:prefill", "raw": "GET / HTTP/1.1"}"#),
        ] {
            assert!(check::<Prefill>(&document, "message").arrays_of_arrays.is_empty());
        }
        check::<Kind>(&prefill, "message");
        check::<Tagged>(&prefill, "message");
        check::<Theme>(&json(r#"{"type": "fleetplay:theme", "theme": "dark"}"#), "message");
        check::<LoadScenario>(
            &json(r#"{"type": "fleetplay:load-scenario", "scenario": "builtin"}"#),
            "message",
        );
    }
}
