//! Session documents, read and written: a saved session (the scenario, the requests sent with their simulated
//! times, the current simulated time and the UI drafts), the exported session file, and share links. This
//! module knows the formats only; turning a document into page state (by replaying its requests, which gives
//! the same transcript because the simulator is deterministic) and back is the state's job
//! (`crate::state`).
//!
//! Share links carry the scenario and the composed request in the URL fragment as base64url JSON. Decoding
//! either never panics: anything unreadable (older format, tampering, truncation) is an `Err` with a reason.

use crate::draft::{Draft, Drafts, Mode};
use sim::json::{Map, ToJson, Value, Writer};
use sim::lesson::{Lesson, StepStatus};
use sim::{Provider, Scenario, SimTime, WireRequest};

/// The format tag of saved sessions.
pub const SESSION_FORMAT: &str = "fleetplay-session/1";
/// The format tag of share links.
pub const SHARE_FORMAT: &str = "fleetplay-share/1";
/// The localStorage key of the session.
pub const STORAGE_KEY: &str = "fleetplay.session.v1";
/// Where unreadable saved data is moved so it is not lost.
pub const UNREADABLE_KEY: &str = "fleetplay.session.v1-unreadable";
/// The URL fragment prefix of share links.
pub const SHARE_PREFIX: &str = "#share=";
/// Longest replay accepted (a guard against a tampered file that would freeze the page).
pub const MAX_SENDS: usize = 20_000;

/// A request that was sent, for replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sent {
    /// Simulated time of the send.
    pub at: SimTime,
    /// The request as sent.
    pub request: WireRequest,
}

impl ToJson for Sent {
    fn write_json(&self, w: &mut Writer) {
        w.object(|m| {
            m.member("at", &self.at);
            m.member("request", &self.request);
        });
    }
}

/// Everything that survives a reload.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// Must be [`SESSION_FORMAT`].
    pub format: String,
    /// The scenario the simulation started from.
    pub scenario: Scenario,
    /// The requests sent, in order.
    pub sends: Vec<Sent>,
    /// Simulated time when saved.
    pub now: SimTime,
    /// Whether the clock was playing.
    pub playing: bool,
    /// Clock speed.
    pub speed: u32,
    /// Skip animations.
    pub skip: bool,
    /// Composer provider.
    pub provider: Provider,
    /// Composer drafts.
    pub drafts: Drafts,
    /// Selected server.
    pub selected: Option<(Provider, String)>,
    /// Exchange shown in the response panel.
    pub viewing: Option<u64>,
    /// The guided lesson being followed, as its JSON text.
    pub lesson: Option<String>,
    /// The lesson's progress when exported, for people reading the file (recomputed by replay on import).
    pub progress: Option<Value>,
}

impl Session {
    /// JSON text for storage.
    pub fn to_json(&self) -> String {
        self.to_json_string()
    }

    /// The text of an exported session file: the same JSON, pretty-printed for people to read.
    pub fn to_file_text(&self) -> String {
        self.to_json_pretty()
    }

    /// Reads and checks a saved session.
    pub fn from_json(text: &str) -> Result<Session, String> {
        let value =
            sim::json::from_str(text).map_err(|e| format!("the saved data is not valid JSON ({e})"))?;
        let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
        if format != SESSION_FORMAT {
            return Err(format!(
                "it was saved in format {format:?}, and this version reads {SESSION_FORMAT:?}"
            ));
        }
        let session = session_from(&value).map_err(|e| format!("the saved data does not fit ({e})"))?;
        session.scenario.validate().map_err(|e| format!("its scenario is invalid ({e})"))?;
        if session.sends.len() > MAX_SENDS {
            return Err(format!(
                "it holds {} requests, more than the {MAX_SENDS} replay allows",
                session.sends.len()
            ));
        }
        if session.sends.windows(2).any(|w| w[1].at < w[0].at)
            || session.sends.last().is_some_and(|s| s.at > session.now)
        {
            return Err("its requests are not in time order".to_string());
        }
        Ok(session)
    }
}

/// A lesson's progress as the exported session spells it out for people reading the file (the page never
/// reads it back: importing recomputes progress by replay).
pub fn progress_document(lesson: &Lesson, progress: &[StepStatus]) -> Value {
    let steps: Vec<Value> = lesson
        .steps
        .iter()
        .zip(progress)
        .map(|(step, status)| {
            sim::json::object([
                ("goal", step.goal.clone().into()),
                ("state", status.state.slug().into()),
                ("proved_at", status.proof.as_ref().map(|p| p.at.to_string()).into()),
            ])
        })
        .collect();
    sim::json::object([("lesson", lesson.id.clone().into()), ("steps", steps.into())])
}

/// What a share link carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Share {
    /// Must be [`SHARE_FORMAT`].
    pub format: String,
    /// The built-in scenario with this seed (keeps links short) …
    pub builtin_seed: Option<u64>,
    /// … or a whole scenario.
    pub scenario: Option<Scenario>,
    /// The composer's provider.
    pub provider: Provider,
    /// The operation picked.
    pub operation: String,
    /// The raw request text.
    pub request: String,
}

impl Share {
    /// The share link of `scenario` with `draft` (of `provider`) in the composer: a scenario that is the
    /// built-in one apart from its seed travels as that seed alone, which keeps links short.
    pub fn new(scenario: &Scenario, provider: Provider, draft: &Draft) -> Share {
        let seed = scenario.seed;
        let builtin = Scenario { seed, ..Scenario::builtin() };
        Share {
            format: SHARE_FORMAT.to_string(),
            builtin_seed: (*scenario == builtin).then_some(seed),
            scenario: (*scenario != builtin).then(|| scenario.clone()),
            provider,
            operation: draft.operation.clone(),
            request: draft.raw.clone(),
        }
    }

    /// The URL fragment (`#share=…`).
    pub fn to_fragment(&self) -> String {
        format!("{SHARE_PREFIX}{}", base64url_encode(self.to_json_string().as_bytes()))
    }

    /// Reads a fragment; `Ok(None)` when the fragment is not a share link at all.
    pub fn from_fragment(fragment: &str) -> Result<Option<Share>, String> {
        let Some(payload) = fragment.strip_prefix(SHARE_PREFIX) else { return Ok(None) };
        let bytes = base64url_decode(payload).ok_or("the link is damaged (it is not base64url)")?;
        let text = String::from_utf8(bytes).map_err(|_| "the link is damaged (it is not UTF-8 text)")?;
        let share = sim::json::from_str(&text)
            .map_err(|e| e.to_string())
            .and_then(|v| share_from(&v))
            .map_err(|e| format!("the link does not fit ({e})"))?;
        if share.format != SHARE_FORMAT {
            return Err(format!(
                "the link is in format {:?}, and this version reads {SHARE_FORMAT:?}",
                share.format
            ));
        }
        Ok(Some(share))
    }

    /// The scenario the link carries, whole or as the built-in one's seed.
    pub fn scenario(&self) -> Result<Scenario, String> {
        match (&self.scenario, self.builtin_seed) {
            (Some(s), _) => Ok(s.clone()),
            (None, Some(seed)) => Ok(Scenario { seed, ..Scenario::builtin() }),
            (None, None) => Err("the link carries no scenario".to_string()),
        }
    }
}

impl ToJson for Session {
    fn write_json(&self, w: &mut Writer) {
        w.object(|m| {
            m.member("format", &self.format);
            m.member("scenario", &self.scenario);
            m.list("sends", &self.sends);
            m.member("now", &self.now);
            m.member("playing", &self.playing);
            m.member("speed", &self.speed);
            m.member("skip", &self.skip);
            m.member("provider", &self.provider);
            m.member("drafts", &self.drafts);
            m.member("selected", &self.selected);
            m.member("viewing", &self.viewing);
            m.member_if_some("lesson", &self.lesson);
            m.member_if_some("progress", &self.progress);
        });
    }
}

impl ToJson for Share {
    fn write_json(&self, w: &mut Writer) {
        w.object(|m| {
            m.member("format", &self.format);
            m.member_if_some("builtin_seed", &self.builtin_seed);
            m.member_if_some("scenario", &self.scenario);
            m.member("provider", &self.provider);
            m.member("operation", &self.operation);
            m.member("request", &self.request);
        });
    }
}

// Reading saved sessions and share links by walking a `sim::json::Value` (the text is parsed into a `Value`
// anyway). Derived `Deserialize` impls for these types and everything inside them cost far more code in the
// web build than these few functions. The rules are the derived ones: unknown members of a session or a
// share are refused; `Option` members may be missing or `null`; every member of a draft may be missing
// (it keeps its default) and unknown draft members are ignored.

type Fit<T> = Result<T, String>;

fn invalid(value: &Value, expected: &str) -> String {
    let found = match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_string(),
        Value::Object(_) => "map".to_string(),
    };
    format!("invalid type: {found}, expected {expected}")
}

fn object<'a>(value: &'a Value, what: &str, known: &[&str]) -> Fit<&'a Map> {
    let map = value.as_object().ok_or_else(|| invalid(value, what))?;
    if !known.is_empty() {
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("unknown field `{k}`"));
        }
    }
    Ok(map)
}

fn field<'a>(map: &'a Map, name: &str) -> Fit<&'a Value> {
    map.get(name).ok_or_else(|| format!("missing field `{name}`"))
}

/// An optional member: missing and `null` are `None`.
fn optional<'a>(map: &'a Map, name: &str) -> Option<&'a Value> {
    map.get(name).filter(|v| !v.is_null())
}

fn string(value: &Value) -> Fit<String> {
    value.as_str().map(str::to_string).ok_or_else(|| invalid(value, "a string"))
}

fn boolean(value: &Value) -> Fit<bool> {
    value.as_bool().ok_or_else(|| invalid(value, "a boolean"))
}

fn unsigned(value: &Value) -> Fit<u64> {
    value.as_u64().ok_or_else(|| invalid(value, "u64"))
}

fn provider(value: &Value) -> Fit<Provider> {
    let slug = value.as_str().ok_or_else(|| invalid(value, "a provider"))?;
    Provider::ALL
        .into_iter()
        .find(|p| p.slug() == slug)
        .ok_or_else(|| format!("unknown variant `{slug}`, expected one of `transfer`, `lightsail`, `nova`"))
}

fn list<T>(value: &Value, item: impl Fn(&Value) -> Fit<T>) -> Fit<Vec<T>> {
    value.as_array().ok_or_else(|| invalid(value, "a sequence"))?.iter().map(item).collect()
}

fn pair(value: &Value) -> Fit<(String, String)> {
    match value.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok((string(a)?, string(b)?)),
        _ => Err(invalid(value, "a tuple of size 2")),
    }
}

fn wire_request(value: &Value) -> Fit<WireRequest> {
    let m = object(value, "struct WireRequest", &[])?;
    Ok(WireRequest {
        method: string(field(m, "method")?)?,
        target: string(field(m, "target")?)?,
        headers: list(field(m, "headers")?, pair)?,
        body: string(field(m, "body")?)?,
    })
}

fn sent(value: &Value) -> Fit<Sent> {
    let m = object(value, "struct Sent", &[])?;
    Ok(Sent { at: SimTime(unsigned(field(m, "at")?)?), request: wire_request(field(m, "request")?)? })
}

fn draft(value: &Value) -> Fit<Draft> {
    let m = object(value, "struct Draft", &[])?;
    let mut d = Draft::new(Provider::Transfer);
    if let Some(v) = m.get("operation") {
        d.operation = string(v)?;
    }
    if let Some(v) = m.get("fields") {
        let fields = v.as_object().ok_or_else(|| invalid(v, "a map"))?;
        d.fields = fields.iter().map(|(k, v)| Ok((k.clone(), string(v)?))).collect::<Fit<_>>()?;
    }
    if let Some(v) = m.get("raw") {
        d.raw = string(v)?;
    }
    if let Some(v) = m.get("mode") {
        d.mode = match v.as_str() {
            Some("form") => Mode::Form,
            Some("raw") => Mode::Raw,
            Some("curl") => Mode::Curl,
            Some(other) => {
                return Err(format!("unknown variant `{other}`, expected one of `form`, `raw`, `curl`"))
            }
            None => return Err(invalid(v, "a mode")),
        };
    }
    if let Some(v) = m.get("curl") {
        d.curl = string(v)?;
    }
    if let Some(v) = m.get("notes") {
        d.notes = list(v, string)?;
    }
    Ok(d)
}

fn drafts(value: &Value) -> Fit<Drafts> {
    let m = object(value, "struct Drafts", &[])?;
    let mut d = Drafts::default();
    if let Some(v) = m.get("transfer") {
        d.transfer = draft(v)?;
    }
    if let Some(v) = m.get("lightsail") {
        d.lightsail = draft(v)?;
    }
    if let Some(v) = m.get("nova") {
        d.nova = draft(v)?;
    }
    Ok(d)
}

fn scenario(value: &Value) -> Fit<Scenario> {
    Scenario::from_json_value(value).map_err(|e| e.to_string())
}

fn session_from(value: &Value) -> Fit<Session> {
    const KNOWN: &[&str] = &[
        "format", "scenario", "sends", "now", "playing", "speed", "skip", "provider", "drafts", "selected",
        "viewing", "lesson", "progress",
    ];
    let m = object(value, "struct Session", KNOWN)?;
    let speed = unsigned(field(m, "speed")?)?;
    Ok(Session {
        format: string(field(m, "format")?)?,
        scenario: scenario(field(m, "scenario")?)?,
        sends: list(field(m, "sends")?, sent)?,
        now: SimTime(unsigned(field(m, "now")?)?),
        playing: boolean(field(m, "playing")?)?,
        speed: u32::try_from(speed).map_err(|_| format!("invalid value: integer `{speed}`, expected u32"))?,
        skip: boolean(field(m, "skip")?)?,
        provider: provider(field(m, "provider")?)?,
        drafts: drafts(field(m, "drafts")?)?,
        selected: optional(m, "selected")
            .map(|v| match v.as_array().map(Vec::as_slice) {
                Some([p, id]) => Ok((provider(p)?, string(id)?)),
                _ => Err(invalid(v, "a tuple of size 2")),
            })
            .transpose()?,
        viewing: optional(m, "viewing").map(unsigned).transpose()?,
        lesson: optional(m, "lesson").map(string).transpose()?,
        progress: optional(m, "progress").cloned(),
    })
}

fn share_from(value: &Value) -> Fit<Share> {
    const KNOWN: &[&str] = &["format", "builtin_seed", "scenario", "provider", "operation", "request"];
    let m = object(value, "struct Share", KNOWN)?;
    Ok(Share {
        format: string(field(m, "format")?)?,
        builtin_seed: optional(m, "builtin_seed").map(unsigned).transpose()?,
        scenario: optional(m, "scenario").map(scenario).transpose()?,
        provider: provider(field(m, "provider")?)?,
        operation: string(field(m, "operation")?)?,
        request: string(field(m, "request")?)?,
    })
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url (padding and standard `+/` tolerated); `None` on anything else.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        } as u32)
    };
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..chunk.len() - 1]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::Lcg;

    /// The session of a fresh page on the built-in fleet, with these drafts.
    fn fresh(drafts: Drafts) -> Session {
        Session {
            format: SESSION_FORMAT.to_string(),
            scenario: Scenario::builtin(),
            sends: Vec::new(),
            now: SimTime(0),
            playing: true,
            speed: 10,
            skip: false,
            provider: Provider::Transfer,
            drafts,
            selected: None,
            viewing: None,
            lesson: None,
            progress: None,
        }
    }

    #[test]
    fn base64url_round_trips() {
        let mut rng = Lcg(1);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let enc = base64url_encode(&bytes);
            assert!(enc.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            assert_eq!(base64url_decode(&enc), Some(bytes));
        }
        assert_eq!(base64url_encode(b"hello"), "aGVsbG8");
        assert_eq!(base64url_decode("a"), None);
        assert_eq!(base64url_decode("a*bc"), None);
    }

    #[test]
    fn index_html_sets_sessions_aside_under_the_keys_this_page_reads() {
        // A guard against drift: the failure notice's "Start fresh" (index.html) moves the saved session to
        // the key the page offers for download; behaviour is tested end to end in e2e/playground.test.mjs.
        let html = include_str!("../index.html");
        assert!(html.contains(&format!("SESSION = '{STORAGE_KEY}'")), "index.html must use {STORAGE_KEY}");
        assert!(
            html.contains(&format!("SET_ASIDE = '{UNREADABLE_KEY}'")),
            "index.html must use {UNREADABLE_KEY}"
        );
    }

    #[test]
    fn compact_and_pretty_hold_the_same_value() {
        let mut drafts = Drafts::default();
        drafts.transfer.set_field(Provider::Transfer, "ServerId", "a \"b\" \\\" c\n d: [1, 2]");
        let session = fresh(drafts);
        assert_eq!(
            sim::json::from_str(&session.to_json()).ok(),
            sim::json::from_str(&session.to_json_pretty()).ok()
        );
        assert!(!session.to_json().contains('\n'));
        let share = Share::new(&session.scenario, session.provider, &session.drafts.transfer);
        assert_eq!(
            sim::json::from_str(&share.to_json_string()).ok(),
            sim::json::from_str(&share.to_json_pretty()).ok()
        );
    }

    #[test]
    fn session_reader_keeps_the_derived_rules() {
        let good: Value = sim::json::from_str(&fresh(Drafts::default()).to_json()).unwrap();
        let with = |key: &str, v: Value| {
            let mut g = good.clone();
            g.as_object_mut().unwrap().insert(key.into(), v);
            session_from(&g)
        };
        assert_eq!(session_from(&good).unwrap(), fresh(Drafts::default()));
        assert!(with("extra", Value::Null).unwrap_err().contains("unknown field `extra`"));
        assert_eq!(with("selected", Value::Null).unwrap().selected, None);
        assert_eq!(
            with("drafts", sim::json::from_str(r#"{"nova": {}}"#).unwrap()).unwrap().drafts.nova,
            Draft::default()
        );
        assert!(with("speed", Value::from(1u64 << 40)).is_err());
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("sends");
        assert_eq!(session_from(&missing).unwrap_err(), "missing field `sends`");
    }
}
