//! The three simulated services and the routing that picks one for a raw request.
//!
//! Routing looks only at the request: a Nova path (`/servers…`, optionally behind `/v2.1`, `/v2.1/{project}`
//! or `/v2/{project}`) goes to Nova; otherwise the `X-Amz-Target` prefix picks an AWS service
//! (`TransferService.` or `Lightsail_20161128.`). An AWS request whose target names neither service is still
//! answered in the awsJson framework's words when its host or SigV4 scope names one of them.
//!
//! Providers never import each other; what both AWS services share (awsJson 1.1 framing and errors) lives in
//! [`aws_json`]. Each provider exposes the same small contract: `Backend::handle` turns a request into an
//! [`Outcome`] and may start transitions through [`Ctx`]; `Backend::fire` completes a due transition.

pub mod aws_json;
pub mod aws_lightsail;
pub mod aws_transfer;
pub mod openstack_nova;

use crate::exchange::{Diagnosis, Event};
use crate::fleet::Provider;
use crate::rng::SimRng;
use crate::scenario::Settings;
use crate::schedule::Schedule;
use crate::time::SimTime;
use crate::wire::WireResponse;

/// Everything a provider may touch while handling a request or firing a transition.
pub struct Ctx<'a> {
    /// Current simulated time.
    pub now: SimTime,
    /// The simulation's only random source.
    pub rng: &'a mut SimRng,
    /// Scenario settings.
    pub settings: &'a Settings,
    /// Where completions are scheduled.
    pub schedule: &'a mut Schedule,
    /// State changes caused so far (returned with the exchange or by `advance_to`).
    pub events: Vec<Event>,
}

impl Ctx<'_> {
    /// Records a state change at the current time.
    pub fn event(&mut self, provider: Provider, server: &str, from: &str, to: &str, cause: &str) {
        self.events.push(Event {
            at: self.now,
            provider,
            server: server.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            cause: cause.to_string(),
        });
    }

    /// Draws a duration from `timing` and schedules a completion for `key`; returns `(due, seq)`.
    pub fn schedule_in(
        &mut self,
        timing: crate::scenario::Timing,
        provider: Provider,
        key: &str,
    ) -> (SimTime, u64) {
        let ms = self.rng.range_inclusive(timing.min_ms, timing.max_ms);
        let due = self.now.plus_millis(ms);
        let seq = self.schedule.push(due, provider, key);
        (due, seq)
    }
}

/// What a provider answered.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The response on the wire.
    pub response: WireResponse,
    /// The operation the request was recognised as, if any.
    pub operation: Option<String>,
    /// The server it addressed, if it named one.
    pub server: Option<String>,
    /// Why.
    pub diagnosis: Diagnosis,
}

/// A JSON response body as serde_json writes `output` (a shape of the provider's model), into a buffer of
/// `capacity` bytes: answers are written per request, and a buffer that has to grow on the way costs about
/// as much as the writing.
pub fn json_body(output: &impl serde::Serialize, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    // The shapes hold strings, numbers and lists only: writing them cannot fail, and the text is UTF-8.
    match serde_json::to_writer(&mut out, output) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}
/// A requests-per-simulated-second limiter for injected throttling.
#[derive(Clone, Debug, Default)]
pub struct Throttle {
    second: u64,
    count: u32,
}

impl Throttle {
    /// Counts one request at `now`; true when it goes over `limit` in the current simulated second.
    pub fn over_limit(&mut self, now: SimTime, limit: Option<u32>) -> bool {
        let Some(limit) = limit else { return false };
        let second = now.as_millis() / 1000;
        if second != self.second {
            self.second = second;
            self.count = 0;
        }
        self.count = self.count.saturating_add(1);
        self.count > limit
    }
}

/// The spec's text, for tests that check the simulator's claims against it: the repository's copy in
/// `spec/stop-apis.md` (see `spec/README.md`), with its lines joined ([`unwrap_lines`]) so a quote the
/// Markdown wraps still reads as one sentence. A missing file fails the test rather than letting it pass
/// unchecked.
#[cfg(test)]
pub(crate) fn spec_text() -> String {
    let path =
        std::path::Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
            .join("../../spec/stop-apis.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the spec is needed to check message texts: {}: {e}", path.display()));
    unwrap_lines(&text)
}

/// `text` with every line break and the indentation after it turned into one space.
pub fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.push_str(first);
    }
    for line in lines {
        out.push(' ');
        out.push_str(line.trim_start_matches(' '));
    }
    out
}

/// The message an awsJson service sends for `body` to `target` (`TransferService.StopServer` …) on the
/// built-in scenario: the message-text tests use texts taken from real answers, not written by hand.
#[cfg(test)]
pub(crate) fn emitted_message(target: &str, body: &str) -> String {
    let mut sim = crate::Sim::builtin(1);
    let ex = sim.handle(
        crate::wire::WireRequest::new("POST", "/")
            .with_header("Content-Type", aws_json::CONTENT_TYPE)
            .with_header("X-Amz-Target", target)
            .with_body(body),
    );
    crate::envelope::error_message(&ex.response).unwrap_or_else(|| panic!("no message: {}", ex.response.body))
}

/// Checks one error's claim about its message text against the spec (`spec_text`): a text called
/// documented is quoted there word for word, any other is not and its note carries [`MessageText::MARK`];
/// LocalStack's text must be one the spec quotes as such, and a grammar text must be built on §0.4's grammar.
/// `what` names the error in a failure. Each provider's unit test feeds it every error it can answer.
#[cfg(test)]
pub(crate) fn check_message_text(
    spec: &str,
    what: &str,
    origin: crate::exchange::MessageText,
    text: Option<&str>,
) {
    use crate::exchange::MessageText;
    let Some(text) = text else {
        assert_eq!(origin, MessageText::None, "{what}: no message, yet it claims a message text");
        return;
    };
    let quoted = spec.contains(text);
    match origin {
        MessageText::Spec => {
            assert!(quoted, "{what}: called documented, but the spec does not quote {text:?}")
        }
        MessageText::None => panic!("{what}: has the message {text:?} but claims none"),
        MessageText::Secondary => assert!(quoted, "{what}: LocalStack's text {text:?} is not in the spec"),
        MessageText::Grammar => assert!(
            aws_json::follows_validation_grammar(text),
            "{what}: {text:?} is not built on the §0.4 grammar"
        ),
        MessageText::Upstream(_) | MessageText::Own => {
            assert!(!quoted, "{what}: the spec quotes {text:?}; call it documented")
        }
    }
    if origin != MessageText::Spec {
        assert!(origin.note().contains(MessageText::MARK), "{what}: its note lacks the [U] mark");
    }
}

/// Which service a raw request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// AWS Transfer Family (by target prefix, or by host / SigV4 scope when the target is unusable).
    Transfer,
    /// Amazon Lightsail (same rules).
    Lightsail,
    /// OpenStack Nova (by path).
    Nova,
    /// Looks like an AWS JSON request, but nothing says which service.
    AwsUnknown,
    /// Nothing recognisable.
    Unknown,
}

impl Route {
    /// The provider that answers, when the route names one.
    pub fn provider(self) -> Option<Provider> {
        match self {
            Route::Transfer => Some(Provider::Transfer),
            Route::Lightsail => Some(Provider::Lightsail),
            Route::Nova => Some(Provider::Nova),
            Route::AwsUnknown | Route::Unknown => None,
        }
    }
}

/// Picks the service for a request, from the request alone.
pub fn route(req: &crate::wire::WireRequest) -> Route {
    if openstack_nova::claims_path(req.path()) {
        return Route::Nova;
    }
    if let Some(target) = req.header("X-Amz-Target") {
        if target.starts_with(aws_transfer::TARGET_PREFIX) {
            return Route::Transfer;
        }
        if target.starts_with(aws_lightsail::TARGET_PREFIX) {
            return Route::Lightsail;
        }
    }
    match aws_json::service_hint(req) {
        Some("transfer") => Route::Transfer,
        Some("lightsail") => Route::Lightsail,
        _ if req.header("X-Amz-Target").is_some() => Route::AwsUnknown,
        _ => Route::Unknown,
    }
}
