//! What one request did: the exchange, the events it caused, and why the service answered as it did.

use crate::fleet::Provider;
use crate::time::SimTime;
use crate::wire::{WireRequest, WireResponse};

/// How well a behaviour is established, as the spec's legend puts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// [P] stated by a primary source (service model, API reference, upstream code).
    Primary,
    /// [D] derived by reading upstream control flow.
    Derived,
    /// [S] secondary evidence only (emulators, Terraform …).
    Secondary,
    /// [U] unconfirmed: a documented choice of the simulator, often switchable in the scenario settings.
    Unconfirmed,
}

impl Confidence {
    /// The spec's one-letter tag.
    pub fn tag(self) -> &'static str {
        match self {
            Confidence::Primary => "P",
            Confidence::Derived => "D",
            Confidence::Secondary => "S",
            Confidence::Unconfirmed => "U",
        }
    }
}

/// Why the service answered this way, with the spec fact behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// One or two sentences a reader understands without the spec.
    pub why: String,
    /// Where the spec states it, e.g. `stop-apis.md §1.3, T3`.
    pub spec: String,
    /// How sure the spec is.
    pub confidence: Confidence,
    /// Where the provider's documentation disagrees with what the service does, what to watch for.
    pub doc_note: Option<String>,
    /// The scenario setting that chose this behaviour, when it is switchable (e.g. `status_profile`).
    pub setting: Option<String>,
}

impl Diagnosis {
    /// A diagnosis with no documentation note and no setting.
    pub fn new(why: impl Into<String>, spec: impl Into<String>, confidence: Confidence) -> Self {
        Diagnosis { why: why.into(), spec: spec.into(), confidence, doc_note: None, setting: None }
    }

    /// Adds a note about documentation that says otherwise.
    pub fn with_doc_note(mut self, note: impl Into<String>) -> Self {
        self.doc_note = Some(note.into());
        self
    }

    /// Says where the answer's message text comes from (appends [`MessageText::note`] to `why`).
    pub fn with_message_text(mut self, origin: MessageText) -> Self {
        self.why.push_str(&origin.note());
        self
    }

    /// Names the scenario setting that decided this behaviour.
    pub fn with_setting(mut self, setting: impl Into<String>) -> Self {
        self.setting = Some(setting.into());
        self
    }
}

/// Where the human-readable message of an error answer comes from. Every error type of every provider
/// says which (an exhaustive `match`), each provider's one error path appends [`MessageText::note`] to the
/// diagnosis, and a unit test per provider checks the claim against the spec's quoted texts: a text called
/// [`MessageText::Spec`] must appear in the spec word for word, any other must not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageText {
    /// The answer carries no message.
    None,
    /// The spec quotes this exact text (nothing to add).
    Spec,
    /// Built on the validation message grammar of spec §0.4; the exact text AWS sends is not documented.
    Grammar,
    /// An emulator's text the spec cites as secondary evidence (LocalStack's `Unknown server`).
    Secondary,
    /// Text upstream code produces (as read for the simulator), which the spec does not quote.
    Upstream(&'static str),
    /// The simulator's own wording: no source gives one.
    Own,
}

impl MessageText {
    /// The sentence a diagnosis gets for this origin, empty for [`MessageText::None`] and
    /// [`MessageText::Spec`]. Each non-empty one contains [`MessageText::MARK`].
    pub fn note(self) -> String {
        match self {
            MessageText::None | MessageText::Spec => String::new(),
            MessageText::Grammar => format!(
                " {} it follows the validation message grammar of §0.4; the exact text the service sends is \
                 not documented.",
                Self::MARK
            ),
            MessageText::Secondary => {
                format!(" {} it is LocalStack's [S]; the real service's text is not published.", Self::MARK)
            }
            MessageText::Upstream(source) => {
                format!(" {} it is {source}, which the spec does not quote.", Self::MARK)
            }
            MessageText::Own => {
                format!(" {} not documented; it is the simulator's own wording.", Self::MARK)
            }
        }
    }

    /// How every such note begins: the message text is unconfirmed.
    pub const MARK: &'static str = "[U] Message text:";
}

/// A state change of one server, stamped with simulated time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// When it happened.
    pub at: SimTime,
    /// Which service.
    pub provider: Provider,
    /// The server's identifier.
    pub server: String,
    /// State before, as the provider spells it.
    pub from: String,
    /// State after.
    pub to: String,
    /// What caused it (`StopServer`, `completed`, `failure injected` …).
    pub cause: String,
}

/// One request and everything it produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// Sequence number within the simulation, from 1.
    pub seq: u64,
    /// When the request was handled.
    pub at: SimTime,
    /// The service that claimed the request, if any did.
    pub provider: Option<Provider>,
    /// The operation it was recognised as (`StopServer`, `os-stop`, `GET /servers/{id}` …).
    pub operation: Option<String>,
    /// The server it addressed, when it named one.
    pub server: Option<String>,
    /// The request as received.
    pub request: WireRequest,
    /// The response as sent.
    pub response: WireResponse,
    /// State changes this request caused immediately (later ones come from advancing time).
    pub events: Vec<Event>,
    /// Why the service answered this way.
    pub diagnosis: Diagnosis,
}
