//! Session documents, read and written: a saved session (the scenario, the requests sent with their simulated
//! times, the current simulated time and the UI drafts), the exported session file, and share links. This
//! module knows the formats only; turning a document into page state (by replaying its requests, which gives
//! the same transcript because the simulator is deterministic) and back is the state's job
//! (`crate::state`).
//!
//! Share links carry the scenario and the composed request in the URL fragment as base64url JSON. Decoding
//! either never panics: anything unreadable (older format, tampering, truncation) is an `Err` with a reason.
//!
//! The formats are the serde derives of [`Session`], [`Share`] and what they hold (members in declaration
//! order, read through `sim::decode`, so a problem names its place): unknown members of a session or a share
//! are refused, `Option` members may be missing or `null`, every member of a draft may be missing (it keeps
//! its default) and unknown draft members are ignored. Sessions and share links written by earlier versions
//! read, and are written again, byte for byte (`tests/fixtures`).

use crate::draft::{Draft, Drafts};
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sim::decode::{self, Problem};
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sent {
    /// Simulated time of the send.
    pub at: SimTime,
    /// The request as sent.
    pub request: WireRequest,
    /// The wall-clock time of the send (milliseconds since 1970, the student's clock), for an instructor's
    /// table (`sim::grade`); replay never reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall: Option<u64>,
}

/// Everything that survives a reload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a saved session object")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The lesson's progress when exported, for people reading the file (recomputed by replay on import).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Value>,
}

impl Session {
    /// JSON text for storage.
    pub fn to_json(&self) -> String {
        // Every map key here is a string: writing cannot fail.
        sim::encode::to_string(self).unwrap_or_default()
    }

    /// The text of an exported session file: the same JSON, pretty-printed for people to read.
    pub fn to_file_text(&self) -> String {
        sim::encode::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads and checks a saved session.
    pub fn from_json(text: &str) -> Result<Session, String> {
        let session = decode::from_str::<Session>(text, "session").map_err(|problem| {
            if problem.syntax {
                return format!(
                    "the saved data is not valid JSON ({} at {})",
                    problem.message, problem.place
                );
            }
            match format_tag(text) {
                Some(format) if format != SESSION_FORMAT => wrong_session_format(&format),
                _ => format!("the saved data does not fit ({problem})"),
            }
        })?;
        if session.format != SESSION_FORMAT {
            return Err(wrong_session_format(&session.format));
        }
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

fn wrong_session_format(format: &str) -> String {
    format!("it was saved in format {format:?}, and this version reads {SESSION_FORMAT:?}")
}

/// The `format` member of a document that does not read as this version's type (`""` when there is none).
fn format_tag(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Tagged {
        #[serde(default)]
        format: Value,
    }
    let tagged: Tagged = serde_json::from_str(text).ok()?;
    Some(tagged.format.as_str().unwrap_or_default().to_string())
}

/// A lesson's progress as the exported session spells it out for people reading the file (the page never
/// reads it back: importing recomputes progress by replay).
pub fn progress_document(lesson: &Lesson, progress: &[StepStatus]) -> Value {
    let steps: Vec<Value> = lesson
        .steps
        .iter()
        .zip(progress)
        .map(|(step, status)| {
            serde_json::json!({
                "goal": step.goal,
                "state": status.state,
                "proved_at": status.proof.as_ref().map(|p| p.at.to_string()),
            })
        })
        .collect();
    serde_json::json!({ "lesson": lesson.id, "steps": steps })
}

/// What a share link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a share link object")]
pub struct Share {
    /// Must be [`SHARE_FORMAT`].
    pub format: String,
    /// The built-in scenario with this seed (keeps links short) …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub builtin_seed: Option<u64>,
    /// … or a whole scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
    /// The composer's provider.
    pub provider: Provider,
    /// The operation picked.
    pub operation: String,
    /// The raw request text.
    pub request: String,
    /// The lesson open when the link was made, as its JSON text (a shipped lesson or an instructor's own
    /// file travel alike; the page reads it as it reads any lesson file, so a tampered one is refused with
    /// the place of the problem).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// The step (from 0) the class starts at: the steps before it are done by their solutions on opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson_step: Option<usize>,
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
            lesson: None,
            lesson_step: None,
        }
    }

    /// The same link carrying a lesson (its text made compact, which keeps the link short) and the step
    /// to start at.
    pub fn with_lesson(mut self, source: &str, step: Option<usize>) -> Share {
        let compact = serde_json::from_str::<Value>(source).map(|v| v.to_string());
        self.lesson = Some(compact.unwrap_or_else(|_| source.to_string()));
        self.lesson_step = step.filter(|n| *n > 0);
        self
    }

    /// The share link's JSON text.
    pub fn to_json(&self) -> String {
        sim::encode::to_string(self).unwrap_or_default()
    }

    /// The URL fragment (`#share=…`).
    pub fn to_fragment(&self) -> String {
        format!("{SHARE_PREFIX}{}", base64url_encode(self.to_json().as_bytes()))
    }

    /// Reads a fragment; `Ok(None)` when the fragment is not a share link at all.
    pub fn from_fragment(fragment: &str) -> Result<Option<Share>, String> {
        let Some(payload) = fragment.strip_prefix(SHARE_PREFIX) else { return Ok(None) };
        let bytes = base64url_decode(payload).ok_or("the link is damaged (it is not base64url)")?;
        let text = String::from_utf8(bytes).map_err(|_| "the link is damaged (it is not UTF-8 text)")?;
        let share = decode::from_str::<Share>(&text, "share")
            .map_err(|e: Problem| format!("the link does not fit ({})", share_problem(&e)))?;
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

/// A share link's problem as the reader words it (a syntax error as serde_json words it, with its position).
fn share_problem(problem: &Problem) -> String {
    if problem.syntax {
        format!("{} at {}", problem.message, problem.place)
    } else {
        problem.to_string()
    }
}

/// base64url as share links carry it: no padding written; on reading, padding, the standard alphabet's `+`
/// and `/` and unused trailing bits are tolerated, as links pasted through other tools may carry them.
const LINK: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    LINK.encode(bytes)
}

/// Decodes base64url (padding and standard `+/` tolerated); `None` on anything else.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=').replace('+', "-").replace('/', "_");
    LINK.decode(text).ok()
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
        // Padding, the standard alphabet and unused trailing bits are tolerated.
        assert_eq!(base64url_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64url_decode("-_+/"), base64url_decode("-_-_"));
        assert_eq!(base64url_decode("aGVsbG9"), Some(b"hello".to_vec()));
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
        let read = |text: &str| serde_json::from_str::<Value>(text).ok();
        assert_eq!(read(&session.to_json()), read(&session.to_file_text()));
        assert!(!session.to_json().contains('\n'));
    }

    #[test]
    fn session_reader_keeps_the_derived_rules() {
        let good: Value = serde_json::from_str(&fresh(Drafts::default()).to_json()).unwrap();
        let with = |key: &str, v: Value| {
            let mut g = good.clone();
            g.as_object_mut().unwrap().insert(key.into(), v);
            Session::from_json(&g.to_string())
        };
        assert_eq!(Session::from_json(&good.to_string()).unwrap(), fresh(Drafts::default()));
        let e = with("extra", Value::Null).unwrap_err();
        assert!(
            e.starts_with("the saved data does not fit (extra: unknown field `extra`, expected one of"),
            "{e}"
        );
        assert_eq!(with("selected", Value::Null).unwrap().selected, None);
        let nova: Value = serde_json::from_str(r#"{"nova": {}, "other": 1}"#).unwrap();
        let drafts = with("drafts", nova).unwrap().drafts;
        assert_eq!((drafts.nova, drafts.lightsail), (Draft::default(), Draft::new(Provider::Lightsail)));
        let e = with("speed", Value::from(1u64 << 40)).unwrap_err();
        assert!(e.contains("speed: invalid value: integer `1099511627776`, expected u32 at line 1"), "{e}");
        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("sends");
        let e = Session::from_json(&missing.to_string()).unwrap_err();
        assert!(
            e.starts_with("the saved data does not fit (session: missing field `sends` at line 1"),
            "{e}"
        );
        assert!(Session::from_json("{").unwrap_err().starts_with("the saved data is not valid JSON (EOF"));
        let e = Session::from_json("42").unwrap_err();
        assert!(e.contains("session: invalid type: integer `42`, expected a saved session object"), "{e}");
        // Where serde's derived reader differs from the old hand-walked one: a member given twice is refused
        // (it kept the last value).
        let twice = good.to_string().replacen('{', r#"{"speed": 1, "#, 1);
        assert!(Session::from_json(&twice).unwrap_err().contains("duplicate field `speed`"));
        let old = r#"{"format": "fleetplay-session/0", "fleet": []}"#;
        assert!(Session::from_json(old)
            .unwrap_err()
            .contains("\"fleetplay-session/0\", and this version reads"));
    }

    /// What a user sees when a saved session, an exported session file or a share link holds a wrong value
    /// deep inside: its path, and the line and column in the text.
    #[test]
    fn deep_problems_name_their_path_line_and_column() {
        let saved = include_str!("../tests/fixtures/session-95fac11.json");
        let spoiled = saved.replacen("\"Stopped-1\"", "5", 1);
        let column = saved.find("\"Stopped-1\"").unwrap_or_default() + 1;
        assert_eq!(
            Session::from_json(&spoiled).err().unwrap_or_default(),
            format!(
                "the saved data does not fit (scenario.fleet.lightsail[1].name: invalid type: integer `5`, \
                 expected a string at line 1 column {column})"
            )
        );
        let spoiled = saved.replacen("[\"Host\",\"transfer", "[\"Host\",7,\"transfer", 1);
        let column = saved.find("[\"Host\",\"transfer").unwrap_or_default() + "[\"Host\",7".len();
        assert_eq!(
            Session::from_json(&spoiled).err().unwrap_or_default(),
            format!(
                "the saved data does not fit (sends[0].request.headers[0][1]: invalid type: integer `7`, \
                 expected a string at line 1 column {column})"
            )
        );

        // An exported file is pretty: the position is on the member's own line.
        let file = Session::from_json(saved).map(|s| s.to_file_text()).unwrap_or_default();
        let spoiled = file.replacen("\"Stuck-1\"", "null", 1);
        let at = file.find("\"Stuck-1\"").unwrap_or_default();
        let line = file[..at].matches('\n').count() + 1;
        let column = at - file[..at].rfind('\n').unwrap_or_default() + 3;
        assert!(line > 100, "{line}");
        assert_eq!(
            Session::from_json(&spoiled).err().unwrap_or_default(),
            format!(
                "the saved data does not fit (scenario.fleet.lightsail[2].name: invalid type: null, expected \
                 a string at line {line} column {column})"
            )
        );

        let link = include_str!("../tests/fixtures/share-95fac11.txt").trim();
        let text = base64url_decode(link.strip_prefix(SHARE_PREFIX).unwrap_or_default()).unwrap_or_default();
        let text = String::from_utf8(text).unwrap_or_default();
        let spoiled = text.replacen("\"min_ms\":10000", "\"min_ms\":-1", 1);
        let column = text.find("\"min_ms\":10000").unwrap_or_default() + "\"min_ms\":-1".len();
        let fragment = format!("{SHARE_PREFIX}{}", base64url_encode(spoiled.as_bytes()));
        assert_eq!(
            Share::from_fragment(&fragment).err().unwrap_or_default(),
            format!(
                "the link does not fit (scenario.settings.lightsail.stopping.min_ms: invalid value: integer \
                 `-1`, expected u64 at line 1 column {column})"
            )
        );
    }

    #[test]
    fn places_are_the_tracked_paths_in_every_place_of_a_session_and_a_share_link() {
        let session: Value =
            serde_json::from_str(include_str!("../tests/fixtures/session-95fac11.json")).unwrap();
        let checked = sim::decode::oracle::check::<Session>(&session, "session");
        assert!(checked.refused > 1_000 && checked.arrays_of_arrays.is_empty(), "{checked:?}");
        let link = include_str!("../tests/fixtures/share-95fac11.txt");
        let text = base64url_decode(link.trim().strip_prefix(SHARE_PREFIX).unwrap()).unwrap();
        let share: Value = serde_json::from_slice(&text).unwrap();
        let checked = sim::decode::oracle::check::<Share>(&share, "share");
        assert!(checked.refused > 100 && checked.arrays_of_arrays.is_empty(), "{checked:?}");
    }
}
