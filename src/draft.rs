//! One composer draft per provider ([`Drafts`]): the operation, the form values and the raw request text,
//! kept in sync both ways (a form edit rewrites the raw text; a raw edit that still parses fills the form
//! back).

use crate::ops::{self, Fields, OpDef};
use crate::wiretext::{self, RawError};
use serde::{Deserialize, Serialize};
use sim::{Provider, WireRequest};

/// Which view of the draft the composer shows; saved as `"form"`, `"raw"` or `"curl"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The parameter form (Send is disabled while it is invalid).
    #[default]
    Form,
    /// The raw HTTP text (Send sends anything that parses).
    Raw,
    /// Import a curl command.
    Curl,
}

/// A draft request for one provider. In a saved session every member may be missing (it keeps the default
/// of [`Draft::default`]) and members this version does not know are ignored, so drafts saved by a newer
/// or older page still load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The operation picked (one of [`ops::ops`] for the provider).
    pub operation: String,
    /// Form values.
    pub fields: Fields,
    /// The raw request text.
    pub raw: String,
    /// The view shown.
    pub mode: Mode,
    /// The curl command being imported.
    pub curl: String,
    /// Notes from the last curl import or raw edit (what was fixed or cannot be shown in the form).
    pub notes: Vec<String>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft::new(Provider::Transfer)
    }
}

impl Draft {
    /// A fresh draft of `provider`'s stop operation with an empty form.
    pub fn new(provider: Provider) -> Self {
        let op = ops::stop_op(provider);
        let mut draft = Draft {
            operation: op.name.to_string(),
            fields: Fields::new(),
            raw: String::new(),
            mode: Mode::Form,
            curl: String::new(),
            notes: Vec::new(),
        };
        draft.raw = wiretext::render_request(&ops::build(op, &draft.fields));
        draft
    }

    /// The operation definition, falling back to the provider's stop operation.
    pub fn op(&self, provider: Provider) -> &'static OpDef {
        ops::find(provider, &self.operation).unwrap_or_else(|| ops::stop_op(provider))
    }

    /// The raw text as a request.
    pub fn request(&self) -> Result<WireRequest, RawError> {
        wiretext::parse_request(&self.raw)
    }

    fn rebuild(&mut self, provider: Provider) {
        let op = self.op(provider);
        let base = self.request().ok();
        self.raw = wiretext::render_request(&ops::build_on(op, &self.fields, base.as_ref()));
    }

    /// Sets one form field and rewrites the raw text.
    pub fn set_field(&mut self, provider: Provider, name: &str, value: &str) {
        self.fields.insert(name.to_string(), value.to_string());
        self.notes.clear();
        self.rebuild(provider);
    }

    /// Switches the operation, keeping the values of fields the two operations share.
    pub fn set_operation(&mut self, provider: Provider, name: &str) {
        if let Some(op) = ops::find(provider, name) {
            self.operation = op.name.to_string();
            self.notes.clear();
            self.rebuild(provider);
        }
    }

    /// Records the operation picked without touching the raw text (share links carry both).
    pub fn set_operation_name_only(&mut self, provider: Provider, name: &str) {
        if let Some(op) = ops::find(provider, name) {
            self.operation = op.name.to_string();
        }
    }

    /// Replaces the raw text; when it parses as a request for this provider, the form follows.
    pub fn set_raw(&mut self, provider: Provider, text: &str) {
        self.raw = text.to_string();
        self.notes.clear();
        let Ok(request) = self.request() else { return };
        match ops::extract(&request) {
            Some(x) if x.provider == provider => {
                if let Some(op) = x.operation {
                    self.operation = op.to_string();
                }
                self.fields = x.fields;
                self.notes = x.lossy.into_iter().map(|l| format!("The form cannot show this: {l}.")).collect();
            }
            Some(x) => self.notes.push(format!(
                "This request is for {}; it will be sent as written.",
                x.provider.title()
            )),
            None => self.notes.push(
                "No simulated service claims this request as written; sending it shows what the framework answers."
                    .to_string(),
            ),
        }
    }

    /// The provider whose request `text` is, when it is a request some simulated provider claims.
    pub fn claimed_by(text: &str) -> Option<Provider> {
        wiretext::parse_request(text).ok().and_then(|r| ops::extract(&r)).map(|x| x.provider)
    }

    /// Makes the raw text a request for `provider` again: kept when it already is one, else rebuilt from the
    /// form (which a raw edit only changes when the text is this provider's request).
    pub fn restore_own(&mut self, provider: Provider) {
        if Draft::claimed_by(&self.raw) != Some(provider) {
            let op = self.op(provider).name;
            self.set_operation(provider, op);
        }
    }

    /// Replaces the whole draft with an imported request (curl import, share link).
    pub fn load_request(&mut self, provider: Provider, request: &WireRequest, notes: Vec<String>) {
        self.set_raw(provider, &wiretext::render_request(request));
        let mut all = notes;
        all.append(&mut self.notes);
        self.notes = all;
    }
}

/// The composer drafts, one per provider (each keeps its own request while another provider is shown). In
/// a saved session a missing draft is the provider's fresh one; unknown members are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Drafts {
    /// AWS Transfer Family.
    pub transfer: Draft,
    /// Amazon Lightsail.
    pub lightsail: Draft,
    /// OpenStack Nova.
    pub nova: Draft,
}

impl Default for Drafts {
    fn default() -> Self {
        Drafts {
            transfer: Draft::new(Provider::Transfer),
            lightsail: Draft::new(Provider::Lightsail),
            nova: Draft::new(Provider::Nova),
        }
    }
}

impl Drafts {
    /// The draft of `provider`.
    pub fn get(&self, provider: Provider) -> &Draft {
        match provider {
            Provider::Transfer => &self.transfer,
            Provider::Lightsail => &self.lightsail,
            Provider::Nova => &self.nova,
        }
    }

    /// The draft of `provider`, to edit.
    pub fn get_mut(&mut self, provider: Provider) -> &mut Draft {
        match provider {
            Provider::Transfer => &mut self.transfer,
            Provider::Lightsail => &mut self.lightsail,
            Provider::Nova => &mut self.nova,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_raw_stay_in_sync() {
        let mut d = Draft::new(Provider::Transfer);
        d.set_field(Provider::Transfer, "ServerId", "s-01234567890abcdef");
        assert!(d.raw.contains(r#"{"ServerId": "s-01234567890abcdef"}"#), "{}", d.raw);
        let edited = d.raw.replace("s-01234567890abcdef", "s-0123456789abcdef0");
        d.set_raw(Provider::Transfer, &edited);
        assert_eq!(d.fields.get("ServerId").map(String::as_str), Some("s-0123456789abcdef0"));
        d.set_operation(Provider::Transfer, "DescribeServer");
        assert!(d.raw.contains("TransferService.DescribeServer"));
        assert!(d.raw.contains("s-0123456789abcdef0"));
    }

    /// A string where `force` goes survives editing another field, exactly as written, so what is sent is
    /// what the form's validation describes.
    #[test]
    fn a_string_force_survives_editing_another_field() {
        let mut d = Draft::new(Provider::Lightsail);
        let raw = "POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\n\
                   X-Amz-Target: Lightsail_20161128.StopInstance\n\n{\"instanceName\":\"Stuck-1\",\"force\":\"true\"}";
        d.set_raw(Provider::Lightsail, raw);
        assert_eq!(d.fields.get("force").map(String::as_str), Some("\"true\""));
        d.set_field(Provider::Lightsail, "instanceName", "Stuck-2");
        assert!(d.raw.contains(r#""force": "true""#), "{}", d.raw);
        assert!(d.raw.contains(r#""instanceName": "Stuck-2""#), "{}", d.raw);
        d.set_field(Provider::Lightsail, "force", "true");
        assert!(d.raw.contains(r#""force": true"#), "{}", d.raw);
        d.set_field(Provider::Lightsail, "force", "");
        assert!(!d.raw.contains("force"), "{}", d.raw);
    }

    #[test]
    fn raw_for_another_provider_is_noted_not_lost() {
        let mut d = Draft::new(Provider::Transfer);
        let nova = "POST /v2.1/servers/x/action HTTP/1.1\nX-Auth-Token: t\n\n{\"os-stop\": null}";
        d.set_raw(Provider::Transfer, nova);
        assert_eq!(d.raw, nova);
        assert!(d.notes[0].contains("OpenStack Nova"));
    }

    #[test]
    fn unparseable_raw_keeps_the_form() {
        let mut d = Draft::new(Provider::Lightsail);
        d.set_field(Provider::Lightsail, "instanceName", "WordPress-1");
        d.set_raw(Provider::Lightsail, "");
        assert!(d.request().is_err());
        assert_eq!(d.fields.get("instanceName").map(String::as_str), Some("WordPress-1"));
    }
}
