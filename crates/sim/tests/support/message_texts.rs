//! The exchange-level check of every error answer's message text against the spec (shared by
//! `stories.rs` and `properties.rs`): the diagnosis calls a text documented (no [`MessageText::MARK`] in its
//! `why`) exactly when `spec/stop-apis.md` quotes it word for word. Two notes are allowed whichever way the
//! text falls, each with its own check: [`MessageText::Grammar`] (a text built on §0.4's validation grammar,
//! whose examples the spec quotes) and [`MessageText::Secondary`] (LocalStack's text, which must itself be in
//! the spec).
//!
//! "Quoted word for word" allows only the spec's own stand-ins: a letter `A`–`Z` or `<uuid>` /
//! `<server_id>` for a server id (§3.6: "letters A–Z stand for server UUIDs and appear verbatim in messages"),
//! and a `<placeholder>` inside a quoted (backticked) text for one word, e.g. `<vm_state>` in
//! `Cannot 'stop' instance <server_id> while it is in vm_state <vm_state>`. Three Nova texts the spec quotes
//! by one example (N19, N23, N24) also stand for their format, with the example's values as placeholders
//! ([`BY_EXAMPLE`]); each example must itself be in the spec.

use sim::envelope::error_message;
use sim::{Exchange, MessageText};
use std::path::Path;

/// The vendored spec (a missing file fails the test instead of passing it unchecked).
pub fn spec_text() -> String {
    let path = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../spec/stop-apis.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Texts the spec quotes through an example, with the values that vary: `There is no such action: os-stopp`
/// documents the text for any action name.
const BY_EXAMPLE: [(&str, &[&str]); 3] = [
    ("There is no such action: os-stopp", &["os-stopp"]),
    ("API Version String 2.x is of invalid format. Must be of format MajorNum.MinorNum.", &["2.x"]),
    ("Version 3.0 is not supported by the API. Minimum is 2.1 and maximum is 2.104.", &["3.0", "2.104"]),
];

/// The spec, read once into what the check needs: the text and its backticked spans with placeholders.
pub struct Spec {
    text: String,
    templates: Vec<String>,
}

impl Spec {
    /// Reads the vendored spec, its lines joined so a quote the Markdown wraps reads as one sentence.
    pub fn load() -> Spec {
        let text = sim::providers::unwrap_lines(&spec_text());
        let mut templates: Vec<String> = text
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|span| span.contains('<') && literal_len(span) >= 12)
            .map(str::to_string)
            .collect();
        for (example, values) in BY_EXAMPLE {
            assert!(text.contains(example), "the spec no longer quotes {example:?}");
            templates.push(values.iter().fold(example.to_string(), |t, v| t.replace(v, "<value>")));
        }
        Spec { text, templates }
    }

    /// True when the spec quotes `message` word for word, allowing its stand-ins for the ids in `ids`.
    pub fn quotes(&self, message: &str, ids: &[&str]) -> bool {
        let mut variants = vec![message.to_string()];
        for id in ids.iter().filter(|id| !id.is_empty() && message.contains(**id)) {
            let stand_ins = ["<uuid>", "<server_id>"].into_iter().map(str::to_string);
            let letters = ('A'..='Z').map(String::from);
            variants.extend(stand_ins.chain(letters).map(|s| message.replace(id, &s)));
        }
        variants.iter().any(|v| self.text.contains(v.as_str()))
            || self.templates.iter().any(|t| variants.iter().any(|v| template_matches(t, v)))
    }
}

/// Characters of a span outside its `<placeholders>`.
fn literal_len(span: &str) -> usize {
    let mut n = 0;
    let mut inside = false;
    for c in span.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            _ if !inside => n += 1,
            _ => {}
        }
    }
    n
}

/// Whether `text` is `template` with each `<placeholder>` standing for one word (no whitespace).
fn template_matches(template: &str, text: &str) -> bool {
    match template.find('<') {
        None => template == text,
        Some(open) => {
            let Some(close) = template[open..].find('>').map(|c| open + c) else { return template == text };
            let (literal, rest) = (&template[..open], &template[close + 1..]);
            let Some(after) = text.strip_prefix(literal) else { return false };
            // One or more non-whitespace characters, then the rest of the template.
            after
                .char_indices()
                .take_while(|(_, c)| !c.is_whitespace())
                .map(|(i, c)| i + c.len_utf8())
                .any(|end| template_matches(rest, &after[end..]))
        }
    }
}

/// The ids a message may name: the exchange's server and the path segment after `servers/`.
fn ids_of(ex: &Exchange) -> Vec<&str> {
    let mut ids: Vec<&str> = ex.server.as_deref().into_iter().collect();
    let path = ex.request.path();
    if let Some((_, rest)) = path.split_once("servers/") {
        ids.push(rest.split('/').next().unwrap_or(""));
    }
    ids
}

/// What is wrong with the message-text claim of one exchange, if anything.
pub fn problem(spec: &Spec, ex: &Exchange) -> Option<String> {
    if ex.response.status < 400 {
        return None;
    }
    let message = error_message(&ex.response)?;
    let why = &ex.diagnosis.why;
    let quoted = spec.quotes(&message, &ids_of(ex));
    let context =
        || format!("{:?} {:?}: message {message:?}\n    diagnosis: {why}", ex.provider, ex.operation);
    if why.ends_with(&MessageText::Grammar.note()) {
        return (!sim::providers::aws_json::follows_validation_grammar(&message))
            .then(|| format!("marked as §0.4's grammar, but not built on it: {}", context()));
    }
    if why.ends_with(&MessageText::Secondary.note()) {
        return (!quoted)
            .then(|| format!("marked as LocalStack's, but the spec does not quote it: {}", context()));
    }
    let marked = why.contains(MessageText::MARK);
    match (quoted, marked) {
        (true, true) => {
            Some(format!("the spec quotes this text, yet the diagnosis marks it [U]: {}", context()))
        }
        (false, false) => Some(format!(
            "the spec does not quote this text, yet the diagnosis does not mark it [U]: {}",
            context()
        )),
        _ => None,
    }
}

#[test]
fn templates_match_one_word_per_placeholder() {
    let t = "Cannot 'stop' instance <server_id> while it is in vm_state <vm_state>";
    assert!(template_matches(t, "Cannot 'stop' instance abc-1 while it is in vm_state paused"));
    assert!(!template_matches(t, "Cannot 'start' instance abc-1 while it is in vm_state active"));
    assert!(!template_matches(t, "Cannot 'stop' instance a b while it is in vm_state paused"));
    assert!(!template_matches(t, "Cannot 'stop' instance  while it is in vm_state paused"));
    let spec = Spec::load();
    assert!(spec.templates.len() > 10, "{}", spec.templates.len());
    let uuid = "d0000000-0000-4000-8000-00000000000d";
    assert!(spec.quotes(&format!("Instance {uuid} is locked"), &[uuid]));
    assert!(spec.quotes("Policy doesn't allow os_compute_api:servers:stop to be performed.", &[]));
    assert!(!spec.quotes("Policy doesn't allow os_compute_api:servers:start to be performed.", &[]));
    assert!(!spec.quotes(&format!("Cannot 'start' instance {uuid} while it is in vm_state active"), &[uuid]));
}
