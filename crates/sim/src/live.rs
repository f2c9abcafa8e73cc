//! The live stream of `fleetplay serve`: the messages that let a page follow a server's simulation exactly.
//!
//! The server owns the simulation; a page mirrors it by replaying, in order, what the server did to its
//! [`Sim`](crate::Sim): each request at the simulated time it was handled, and each move of the clock. The
//! simulator is deterministic (same scenario, same requests at the same times ⇒ the same transcript), so the
//! mirror's answers, events and fleet equal the server's, and the page draws them with its usual views. The
//! messages say only what is needed to replay; the [`fingerprint`] of each answer lets the mirror check,
//! exchange by exchange, that it did not drift.
//!
//! A subscriber first gets [`Message::Hello`] (the server process, its run, the scenario, the clock), then one
//! [`Message::Exchange`] for every request since the run began that the server's history still holds, then
//! [`Message::Synced`] with the server's time; from then on, as they happen: exchanges, [`Message::Time`]
//! when the clock moved (events fired, a control call, a speed change) and [`Message::Run`] when the
//! simulation starts again (reset, a scenario loaded). Time never moves backwards within a run, and the
//! mirror never moves its clock on its own: only these messages advance it, so it can never run ahead of
//! the server and handle a request "too late".
//!
//! On the wire each message is one JSON object with a `"type"` member (`hello`, `run`, `exchange`, `time`,
//! `synced`), carried as one Server-Sent Event's data. The server writes from borrowed values and the page
//! reads owned ones: the same type serves both through [`Cow`]. The writer puts `type` first, and the
//! reader, knowing the type, reads the members after it straight into that message's fields: serde's own
//! reading of such a tagged enum buffers the whole object first, and a mistake anywhere inside (a member
//! of the scenario, say) would then lose its place and be named only as `message`. Otherwise the reader
//! is serde's derived `#[serde(tag = "type", deny_unknown_fields)]` reading: it accepts the same texts
//! (`type` anywhere; only an array, which serde would also read as a message, is refused) and words a
//! wrong, repeated or missing `type` the same way, which the tests check against that derive.
//!
//! The other way, a page sends its requests through the control API's `POST /_fleetplay/send` (a browser
//! cannot put an arbitrary raw request on the wire): [`SendRequests`] is that call's body and [`SendAnswer`]
//! its answer, also shared by both sides.

use crate::scenario::Scenario;
use crate::wire::{WireRequest, WireResponse};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// One message of the live stream (see the module documentation for their order).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message<'a> {
    /// The first message of every subscription.
    Hello {
        /// Identifies the server process: a different one after the server restarted.
        instance: Cow<'a, str>,
        /// The server's simulation runs, counted from 1: a reset or a loaded scenario starts the next.
        run: u64,
        /// The scenario of this run.
        scenario: Cow<'a, Scenario>,
        /// Simulated seconds per wall-clock second (0: time moves only through the control API).
        speed: f64,
        /// Requests of this run that the server's bounded history no longer holds: when this is not 0 the
        /// run cannot be replayed, and a mirror can only follow the next one.
        missing: u64,
    },
    /// The simulation started again at T+0 (a reset, or a scenario loaded).
    Run {
        /// The new run's number.
        run: u64,
        /// Its scenario.
        scenario: Cow<'a, Scenario>,
        /// `reset` or `scenario`.
        cause: Cow<'a, str>,
    },
    /// A request the server's simulation handled: the mirror moves its clock to `at`, then handles `request`.
    Exchange {
        /// The exchange's sequence number in its run (from 1).
        seq: u64,
        /// Simulated milliseconds when it was handled.
        at: u64,
        /// The request exactly as the simulator received it.
        request: Cow<'a, WireRequest>,
        /// The answer's status (also inside the fingerprint; here for people reading the stream).
        status: u16,
        /// [`fingerprint`] of the answer.
        fingerprint: Cow<'a, str>,
    },
    /// The server's clock moved to `now` (or its speed changed): the mirror advances to `now`.
    Time {
        /// Simulated milliseconds.
        now: u64,
        /// Simulated seconds per wall-clock second.
        speed: f64,
    },
    /// The end of a subscription's replay: the mirror advances to `now` and shows the server's state.
    Synced {
        /// Simulated milliseconds.
        now: u64,
        /// Simulated seconds per wall-clock second.
        speed: f64,
    },
}

/// The member that names a message's kind.
const TAG: &str = "type";

/// A message's `type`: read as serde reads the tag of a tagged enum, a string naming a variant (anything
/// else is `invalid type: …, expected variant identifier`, a string no variant has `unknown variant …`).
#[derive(Deserialize)]
#[serde(rename_all = "snake_case", variant_identifier)]
enum Kind {
    Hello,
    Run,
    Exchange,
    Time,
    Synced,
}

/// The members of each message but `type`, as the page reads them (see the module documentation).
///
/// These structs, not [`Message`], decide what the reader accepts: serde attributes on `Message` and its
/// members reach only the writer. A member renamed, given a default, added or removed there must be
/// renamed, defaulted, added or removed here too (the round-trip test catches a member the reader does
/// not know, not one it no longer requires), and in the tests' `SerdeMessage`, which holds the reader
/// to serde's own reading.
mod fields {
    use crate::scenario::Scenario;
    use crate::wire::WireRequest;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Hello {
        pub instance: String,
        pub run: u64,
        pub scenario: Scenario,
        pub speed: f64,
        pub missing: u64,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Run {
        pub run: u64,
        pub scenario: Scenario,
        pub cause: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Exchange {
        pub seq: u64,
        pub at: u64,
        pub request: WireRequest,
        pub status: u16,
        pub fingerprint: String,
    }

    /// `time` and `synced`.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Clock {
        pub now: u64,
        pub speed: f64,
    }
}

impl Kind {
    /// Reads the message's other members, from `members`, as this kind's fields.
    fn read<'de, D: Deserializer<'de>>(self, members: D) -> Result<Message<'static>, D::Error> {
        Ok(match self {
            Kind::Hello => {
                let fields::Hello { instance, run, scenario, speed, missing } =
                    Deserialize::deserialize(members)?;
                Message::Hello {
                    instance: instance.into(),
                    run,
                    scenario: Cow::Owned(scenario),
                    speed,
                    missing,
                }
            }
            Kind::Run => {
                let fields::Run { run, scenario, cause } = Deserialize::deserialize(members)?;
                Message::Run { run, scenario: Cow::Owned(scenario), cause: cause.into() }
            }
            Kind::Exchange => {
                let fields::Exchange { seq, at, request, status, fingerprint } =
                    Deserialize::deserialize(members)?;
                Message::Exchange {
                    seq,
                    at,
                    request: Cow::Owned(request),
                    status,
                    fingerprint: fingerprint.into(),
                }
            }
            Kind::Time => {
                let fields::Clock { now, speed } = Deserialize::deserialize(members)?;
                Message::Time { now, speed }
            }
            Kind::Synced => {
                let fields::Clock { now, speed } = Deserialize::deserialize(members)?;
                Message::Synced { now, speed }
            }
        })
    }
}

/// Reads a message from the members after its `type` (see the module documentation); when `type` is not
/// the first member, the other members are buffered (as serde's tagged enums buffer them all) and their
/// mistakes are then named only as the message's. `type` itself is read where it stands, as serde reads a
/// tag, so a wrong or repeated one is named and worded as serde's derived reading names it.
impl<'de> Deserialize<'de> for Message<'_> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Message<'static>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a live message: an object with a \"type\" member")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Message<'static>, A::Error> {
                let first: Option<String> = map.next_key()?;
                if first.as_deref() == Some(TAG) {
                    let kind: Kind = map.next_value()?;
                    return kind.read(de::value::MapAccessDeserializer::new(AfterTag(map)));
                }
                // Each value is kept as its text, read later as it would have been read in place (a
                // `serde_json::Value` would keep only the last of a member given twice inside it).
                let mut kind = None;
                let mut members: Vec<(String, Box<RawValue>)> = Vec::new();
                let mut name = first;
                while let Some(member) = name {
                    if member != TAG {
                        members.push((member, map.next_value()?));
                    } else if kind.is_some() {
                        return Err(de::Error::duplicate_field(TAG));
                    } else {
                        kind = Some(map.next_value::<Kind>()?);
                    }
                    name = map.next_key()?;
                }
                let kind = kind.ok_or_else(|| de::Error::missing_field(TAG))?;
                let members = de::value::MapDeserializer::<_, serde_json::Error>::new(
                    members.iter().map(|(name, value)| (name.as_str(), &**value)),
                );
                // A position inside one value's text would mislead: the message's own is added.
                kind.read(members).map_err(|e| de::Error::custom(crate::decode::message_without_position(&e)))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

/// The members after a message's `type`, as its fields read them; a second `type` among them is refused
/// as a repeated member (`duplicate field `type``), as serde refuses a tag given twice, not as a member
/// the fields do not know.
struct AfterTag<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for AfterTag<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match self.0.next_key_seed(TagOr(seed))? {
            Some(Key::Tag) => Err(de::Error::duplicate_field(TAG)),
            Some(Key::Other(key)) => Ok(Some(key)),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A member name after `type`: `type` again, or a name the fields read.
enum Key<K> {
    Tag,
    Other(K),
}

/// Reads a member name: `type` is told apart, any other goes to the fields' own reading of names (inside
/// the reading of the name, so a name they do not know is the name's mistake, as without this). The
/// repeated `type` is refused once the name is read: a repeated member is the object's mistake.
struct TagOr<K>(K);

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for TagOr<K> {
    type Value = Key<K::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<K::Value>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for TagOr<K> {
    type Value = Key<K::Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Key<K::Value>, E> {
        if name == TAG {
            return Ok(Key::Tag);
        }
        self.0.deserialize(de::value::StrDeserializer::new(name)).map(Key::Other)
    }
}

impl Message<'_> {
    /// The message as one line of JSON (no line break inside: one Server-Sent Event data line).
    pub fn to_json(&self) -> String {
        // Strings, numbers and the scenario's own serde shape: writing them cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a message (errors name the place, as every document's do).
    pub fn from_json(text: &str) -> Result<Message<'static>, crate::decode::Problem> {
        crate::decode::from_str(text, "message")
    }
}

/// The body of `POST /_fleetplay/send`: one request (`{"request": {…}}`) or several (`{"requests": […]}`),
/// each as saved sessions write it (`{"method", "target", "headers": [[name, value], …], "body"}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an object {\"request\": {…}} or {\"requests\": [{…}, …]}")]
pub struct SendRequests<'a> {
    /// One request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Cow<'a, WireRequest>>,
    /// Several, handled in order.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub requests: Cow<'a, [WireRequest]>,
}

impl SendRequests<'_> {
    /// The body as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a body (errors name the place).
    pub fn from_json(text: &str) -> Result<SendRequests<'static>, crate::decode::Problem> {
        crate::decode::from_str(text, "body")
    }

    /// Every request, in order (`request` first).
    pub fn into_requests(self) -> Vec<WireRequest> {
        self.request.map(Cow::into_owned).into_iter().chain(self.requests.into_owned()).collect()
    }
}

/// The answer to `POST /_fleetplay/send`: what became of each request, in order (the whole exchange is in the
/// live stream and the transcript).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendAnswer {
    /// One entry per request.
    pub exchanges: Vec<SentExchange>,
}

/// One request's fate in a [`SendAnswer`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentExchange {
    /// Its sequence number in the run.
    pub seq: u64,
    /// Simulated milliseconds when it was handled.
    pub at: u64,
    /// The answer's status.
    pub status: u16,
    /// The operation it was recognised as.
    pub operation: Option<String>,
    /// The server it addressed.
    pub server: Option<String>,
}

impl SendAnswer {
    /// The answer as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an answer.
    pub fn from_json(text: &str) -> Result<SendAnswer, crate::decode::Problem> {
        crate::decode::from_str(text, "answer")
    }
}

/// A digest of an answer (status, headers in order, body): the first 16 hex digits of a SHA-256 over them,
/// each part length-prefixed so that no two different answers are written the same way.
pub fn fingerprint(response: &WireResponse) -> String {
    let mut hash = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    part(&response.status.to_le_bytes());
    for (name, value) in &response.headers {
        part(name.as_bytes());
        part(value.as_bytes());
    }
    part(response.body.as_bytes());
    let digest = hash.finalize();
    hex::encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(message: Message<'_>) {
        let text = message.to_json();
        assert!(!text.contains('\n'), "one line: {text}");
        let back = Message::from_json(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(back, message);
    }

    #[test]
    fn every_message_reads_back_as_written() {
        let scenario = Scenario::builtin();
        let request = WireRequest::new("POST", "/")
            .with_header("x-amz-target", "TransferService.StopServer")
            .with_body("{\"ServerId\": \"s-0123456789abcdef0\"}\n");
        round_trip(Message::Hello {
            instance: "abc".into(),
            run: 3,
            scenario: Cow::Borrowed(&scenario),
            speed: 1.5,
            missing: 0,
        });
        round_trip(Message::Run { run: 4, scenario: Cow::Borrowed(&scenario), cause: "reset".into() });
        round_trip(Message::Exchange {
            seq: 1,
            at: 90_000,
            request: Cow::Borrowed(&request),
            status: 200,
            fingerprint: "0011223344556677".into(),
        });
        round_trip(Message::Time { now: 5, speed: 0.0 });
        round_trip(Message::Synced { now: 7, speed: 100.0 });
    }

    #[test]
    fn send_bodies_read_back_and_name_their_mistakes() {
        let one = WireRequest::new("GET", "/v2.1/servers").with_header("X-Auth-Token", "t");
        let body = SendRequests { request: Some(Cow::Borrowed(&one)), ..Default::default() };
        let text = body.to_json();
        assert!(!text.contains("\"requests\""), "{text}");
        assert_eq!(SendRequests::from_json(&text).unwrap().into_requests(), std::slice::from_ref(&one));
        let many = vec![one.clone(), WireRequest::new("POST", "/")];
        let text = SendRequests { requests: Cow::Borrowed(&many), ..Default::default() }.to_json();
        assert_eq!(SendRequests::from_json(&text).unwrap().into_requests(), many);
        let e = SendRequests::from_json(r#"{"request": {"method": "GET"}}"#).unwrap_err();
        assert!(e.to_string().contains("target"), "{e}");
        assert!(SendRequests::from_json(r#"{"reqest": {}}"#).is_err());
        let answer = SendAnswer {
            exchanges: vec![SentExchange {
                seq: 4,
                at: 9,
                status: 409,
                operation: None,
                server: Some("x".into()),
            }],
        };
        assert_eq!(SendAnswer::from_json(&answer.to_json()).unwrap(), answer);
    }

    #[test]
    fn unknown_types_and_members_are_refused_with_their_place() {
        assert!(Message::from_json(r#"{"type": "teleport"}"#).is_err());
        let e = Message::from_json(r#"{"type": "time", "now": 1, "speed": 1, "extra": true}"#).unwrap_err();
        assert!(e.to_string().contains("extra"), "{e}");
        assert!(Message::from_json(r#"{"type": "time", "now": -1, "speed": 1}"#).is_err());
    }

    /// serde's own reading of the live messages: `Message` as serde derived it before it had a reader of
    /// its own (the same variants and members, the same attributes). The reader is held to it.
    #[derive(Debug, Deserialize)]
    #[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
    enum SerdeMessage {
        Hello { instance: String, run: u64, scenario: Scenario, speed: f64, missing: u64 },
        Run { run: u64, scenario: Scenario, cause: String },
        Exchange { seq: u64, at: u64, request: WireRequest, status: u16, fingerprint: String },
        Time { now: u64, speed: f64 },
        Synced { now: u64, speed: f64 },
    }

    impl From<SerdeMessage> for Message<'static> {
        fn from(message: SerdeMessage) -> Message<'static> {
            match message {
                SerdeMessage::Hello { instance, run, scenario, speed, missing } => Message::Hello {
                    instance: instance.into(),
                    run,
                    scenario: Cow::Owned(scenario),
                    speed,
                    missing,
                },
                SerdeMessage::Run { run, scenario, cause } => {
                    Message::Run { run, scenario: Cow::Owned(scenario), cause: cause.into() }
                }
                SerdeMessage::Exchange { seq, at, request, status, fingerprint } => Message::Exchange {
                    seq,
                    at,
                    request: Cow::Owned(request),
                    status,
                    fingerprint: fingerprint.into(),
                },
                SerdeMessage::Time { now, speed } => Message::Time { now, speed },
                SerdeMessage::Synced { now, speed } => Message::Synced { now, speed },
            }
        }
    }

    /// `text` read by serde's derived reading, its problem placed as the page places the reader's.
    fn serde_reading(text: &str) -> Result<Message<'static>, crate::decode::Problem> {
        crate::decode::from_str::<SerdeMessage>(text, "message").map(Message::from)
    }

    /// What the page shows for a `type` that is not a message's, first or after other members: a wrong
    /// value at `type`, worded and placed as serde's tagged enum words it (not as malformed JSON), and
    /// refused whatever its JSON type (an enum's `{"time": null}` form is no `type`).
    #[test]
    fn a_wrong_type_is_refused_as_serde_refuses_it() {
        let shown = [
            ("5", "invalid type: integer `5`, expected variant identifier"),
            ("null", "invalid type: null, expected variant identifier"),
            ("true", "invalid type: boolean `true`, expected variant identifier"),
            ("[]", "invalid type: sequence, expected variant identifier"),
            ("{\"time\": null}", "invalid type: map, expected variant identifier"),
            (
                "\"teleport\"",
                "unknown variant `teleport`, expected one of `hello`, `run`, `exchange`, `time`, `synced`",
            ),
        ];
        for (kind, message) in shown {
            for text in [
                format!("{{\"type\": {kind}, \"now\": 1, \"speed\": 1}}"),
                format!("{{\"now\": 1, \"speed\": 1, \"type\": {kind}}}"),
            ] {
                let e = Message::from_json(&text).unwrap_err();
                assert_eq!((e.place.as_str(), e.syntax), ("type", false), "{text}: {e}");
                assert!(e.message.starts_with(&format!("{message} at line 1 column ")), "{text}: {e}");
                assert_eq!(Err(e), serde_reading(&text), "{text}");
            }
        }
        let e = Message::from_json(r#"{"type": 5, "now": 1, "speed": 1}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "type: invalid type: integer `5`, expected variant identifier at line 1 column 10"
        );
    }

    /// One message of each kind, as the server writes them.
    fn one_of_each(scenario: &Scenario, request: &WireRequest) -> Vec<Message<'static>> {
        vec![
            Message::Hello {
                instance: "abc".into(),
                run: 3,
                scenario: Cow::Owned(scenario.clone()),
                speed: 1.5,
                missing: 0,
            },
            Message::Run { run: 4, scenario: Cow::Owned(scenario.clone()), cause: "reset".into() },
            Message::Exchange {
                seq: 1,
                at: 90_000,
                request: Cow::Owned(request.clone()),
                status: 200,
                fingerprint: "0011223344556677".into(),
            },
            Message::Time { now: 5, speed: 0.0 },
            Message::Synced { now: 7, speed: 100.0 },
        ]
    }

    /// The message `text` (an object, `type` first) with its `type` moved to each place among the other
    /// members: first (as written), after the first, …, last.
    fn with_type_at_each_place(text: &str) -> Vec<String> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Vec<(String, Box<serde_json::value::RawValue>)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(members)
            }
        }
        let members = serde_json::Deserializer::from_str(text).deserialize_map(InOrder).expect("an object");
        let (tag, others) = members.split_first().expect("members");
        assert_eq!(tag.0, TAG, "{text}");
        (0..=others.len())
            .map(|at| {
                let mut order: Vec<_> = others.iter().collect();
                order.insert(at, tag);
                let order: Vec<String> = order
                    .iter()
                    .map(|(name, value)| {
                        format!("{}:{}", serde_json::Value::from(name.as_str()), value.get())
                    })
                    .collect();
                format!("{{{}}}", order.join(","))
            })
            .collect()
    }

    /// Whatever the place of `type`, and for every text the decode oracle makes of each message (every
    /// value replaced by each JSON type, members removed, repeated, renamed and added, arrays longer and
    /// shorter, texts cut short), the reader accepts exactly what serde's derived reading accepts, as the
    /// same message.
    #[test]
    fn the_reader_accepts_what_serdes_derived_reading_accepts() {
        let scenario = Scenario::default();
        let request = WireRequest::new("POST", "/")
            .with_header("x-amz-target", "TransferService.StopServer")
            .with_body("{\"ServerId\": \"s-0123456789abcdef0\"}");
        let (mut read, mut differ) = (0, Vec::new());
        let (mut accepted, mut accepted_type_later) = (0, 0);
        for message in one_of_each(&scenario, &request) {
            let orders = with_type_at_each_place(&message.to_json());
            // With `type` last, the places shown are also held to the tracked ones (as with `type` first,
            // in decode's tests).
            let last = orders.last().cloned().unwrap_or_default();
            crate::decode::oracle::check_entry(&last, "message", Message::from_json);
            for (place, text) in orders.into_iter().enumerate() {
                assert_eq!(Message::from_json(&text).as_ref(), Ok(&message), "{text}");
                for variant in crate::decode::oracle::variants_of_text(&text) {
                    read += 1;
                    match (Message::from_json(&variant), serde_reading(&variant)) {
                        (Ok(ours), Ok(theirs)) if ours == theirs => {
                            accepted += 1;
                            accepted_type_later += usize::from(place > 0);
                        }
                        (Err(_), Err(_)) => {}
                        (ours, theirs) => {
                            differ.push(format!("{variant}\n  ours:   {ours:?}\n  serde's: {theirs:?}"))
                        }
                    }
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {read} texts read differently:\n{}",
            differ.len(),
            differ.iter().take(6).cloned().collect::<Vec<_>>().join("\n")
        );
        // Both ways of reading ran, on texts that one accepts: `type` first, and `type` after other members.
        assert!(
            accepted_type_later > 100 && accepted > accepted_type_later + 100,
            "{accepted}, {accepted_type_later}"
        );
    }

    /// What the page shows for a `type` given late, twice or not at all, and for a message that is not an
    /// object: what serde's derived reading shows, whether `type` came first or not.
    #[test]
    fn a_late_repeated_or_missing_type_reads_as_serde_reads_it() {
        let late = r#"{"now": 1, "speed": 2, "type": "time"}"#;
        assert_eq!(Message::from_json(late), Ok(Message::Time { now: 1, speed: 2.0 }));
        assert_eq!(serde_reading(late), Ok(Message::Time { now: 1, speed: 2.0 }));
        let shown = [
            (
                r#"{"type": "time", "now": 1, "type": "time", "speed": 2}"#,
                "message: duplicate field `type` at line 1 column 33",
            ),
            (
                r#"{"now": 1, "type": "time", "type": "time", "speed": 2}"#,
                "message: duplicate field `type` at line 1 column 33",
            ),
            (
                r#"{"type": "time", "now": 1, "speed": 2, "type": 5}"#,
                "message: duplicate field `type` at line 1 column 45",
            ),
            (r#"{"now": 1, "speed": 2}"#, "message: missing field `type` at line 1 column 22"),
        ];
        for (text, page) in shown {
            let e = Message::from_json(text).unwrap_err();
            assert_eq!(e.to_string(), page, "{text}");
            assert_eq!(Err(e), serde_reading(text), "{text}");
        }
        // Not an object: both refuse it; the reader says what a message is.
        for (text, page) in [
            ("[]", "invalid type: sequence, {} at line 1 column 0"),
            ("5", "invalid type: integer `5`, {} at line 1 column 1"),
            ("null", "invalid type: null, {} at line 1 column 4"),
        ] {
            let page = page.replace("{}", "expected a live message: an object with a \"type\" member");
            assert_eq!(Message::from_json(text).unwrap_err().to_string(), format!("message: {page}"));
            assert!(serde_reading(text).is_err(), "{text}");
        }
        // The one text serde's reading accepts and the reader does not: a message written as an array.
        assert_eq!(serde_reading(r#"["time", 5, 1]"#), Ok(Message::Time { now: 5, speed: 1.0 }));
        assert!(Message::from_json(r#"["time", 5, 1]"#).is_err());
    }

    #[test]
    fn fingerprints_tell_answers_apart() {
        let a = WireResponse::new(200).with_header("Content-Type", "application/json").with_body("{}".into());
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_eq!(fingerprint(&a).len(), 16);
        let differ = [
            WireResponse::new(400).with_header("Content-Type", "application/json").with_body("{}".into()),
            WireResponse::new(200).with_header("Content-Type", "application/jsonx").with_body("{}".into()),
            WireResponse::new(200).with_header("Content-Typ", "eapplication/json").with_body("{}".into()),
            WireResponse::new(200).with_header("Content-Type", "application/json").with_body("{} ".into()),
            WireResponse::new(200).with_body("{}".into()),
        ];
        for other in differ {
            assert_ne!(fingerprint(&a), fingerprint(&other), "{other:?}");
        }
    }
}
