//! The composer: which provider it shows, and the edits to that provider's draft (operation, form fields, raw
//! text, view, curl import), including a request put there by a lesson or a host page (`LoadDraft`) and the
//! fields a server pick fills in (`SelectServer`).

use super::{AppState, Change};
use crate::draft::{Draft, Mode};
use crate::{ops, presets, validate};
use sim::Provider;
use std::rc::Rc;

impl AppState {
    /// Why Send may not send the draft, or `None` when it may. Send sends the draft whichever tab is shown,
    /// so the form's validation gates it on the Form and curl tabs alike; only the Raw HTTP tab sends
    /// anything that parses, as written (the way to show the service's own answer to an invalid value).
    /// `embedded`: there is no fleet panel to point at.
    pub fn send_block(&self, embedded: bool) -> Option<String> {
        let draft = self.draft();
        let op = draft.op(self.provider);
        if draft.mode != Mode::Raw {
            let issues = validate::check(op, &draft.fields, &self.sim.scenario().settings);
            if !issues.is_empty() {
                let empty = issues.iter().all(|i| draft.fields.get(i.field).is_none_or(|v| v.is_empty()));
                let names: Vec<&str> = issues.iter().map(|i| i.field).collect();
                return Some(if empty && embedded {
                    format!("Fill in {} to send.", names.join(", "))
                } else if empty {
                    format!("Fill in {} to send, or pick a server in the fleet list.", names.join(", "))
                } else {
                    format!("Fix {} first, or send it as written from the Raw HTTP tab.", names.join(", "))
                });
            }
        }
        draft.request().err().map(|e| format!("The raw request cannot be read: {e}."))
    }

    /// `SelectProvider`.
    pub(super) fn select_provider(&mut self, p: Provider) -> Change {
        if self.provider == p {
            return Change::Nothing;
        }
        self.provider = p;
        Change::Saved
    }

    /// `SetOperation`: keeps the values of fields the two operations share.
    pub(super) fn set_operation(&mut self, name: &str) -> Change {
        let p = self.provider;
        self.drafts.get_mut(p).set_operation(p, name);
        Change::Saved
    }

    /// `SetField`.
    pub(super) fn set_field(&mut self, name: &str, value: &str) -> Change {
        let p = self.provider;
        self.drafts.get_mut(p).set_field(p, name, value);
        Change::Saved
    }

    /// `SetRaw`: the raw text of the draft shown, or of another provider's draft when the text is that
    /// provider's request.
    pub(super) fn set_raw(&mut self, text: &str) -> Change {
        let p = self.provider;
        match Draft::claimed_by(text).filter(|q| *q != p) {
            // Another provider's request (pasted, usually): the composer follows it to that provider's
            // tab and operation, in the Raw view, so the form never disagrees with what Send sends. That
            // provider's draft becomes this request, as a curl import for it would; the draft it was
            // typed into keeps its own request (as it was, or rebuilt from its form if the edit had
            // already broken it), so switching back finds it.
            Some(q) => {
                self.drafts.get_mut(p).restore_own(p);
                self.provider = q;
                let draft = self.drafts.get_mut(q);
                draft.set_raw(q, text);
                draft.mode = Mode::Raw;
                draft.notes.insert(
                    0,
                    format!(
                        "This is a request for {}, so the composer switched to it; your {} draft is kept.",
                        q.title(),
                        p.title()
                    ),
                );
            }
            None => self.drafts.get_mut(p).set_raw(p, text),
        }
        Change::Saved
    }

    /// `SetMode`.
    pub(super) fn set_mode(&mut self, mode: Mode) -> Change {
        let p = self.provider;
        self.drafts.get_mut(p).mode = mode;
        Change::Saved
    }

    /// `SetCurl`.
    pub(super) fn set_curl(&mut self, text: String) -> Change {
        let p = self.provider;
        self.drafts.get_mut(p).curl = text;
        Change::Saved
    }

    /// `ImportCurl` (a command that cannot be imported changes nothing but the toast saying why).
    pub(super) fn import_curl(&mut self) -> Change {
        self.import_curl_command();
        Change::Saved
    }

    /// `ImportCurlAndSend`: imports, and sends only what imported.
    pub(super) fn import_curl_and_send(&mut self, wall: f64) -> Change {
        // The send's own outcome (even a request that cannot be read) must not skip the save of the
        // imported draft: the draft changed either way.
        if self.import_curl_command() {
            self.send_draft(wall);
        }
        Change::Saved
    }

    /// `LoadDraft`: `raw` becomes `provider`'s draft, shown in the form when the form can show all of it
    /// and would send it; otherwise in the Raw HTTP view (which sends anything that parses), with a note
    /// saying why (a lesson's request may leave out a required member on purpose).
    pub(super) fn load_draft(&mut self, provider: Provider, raw: &str) -> Change {
        self.provider = provider;
        let settings = self.sim.scenario().settings.clone();
        let draft = self.drafts.get_mut(provider);
        draft.set_raw(provider, raw);
        let issues = crate::validate::check(draft.op(provider), &draft.fields, &settings);
        draft.mode = if draft.request().is_err() || !draft.notes.is_empty() {
            Mode::Raw
        } else if !issues.is_empty() {
            let names: Vec<&str> = issues.iter().map(|i| i.field).collect();
            draft.notes.insert(
                0,
                format!(
                    "Shown as raw HTTP: the form would not send this request ({} {}), and Send sends it from here as written.",
                    names.join(", "),
                    if issues.iter().all(|i| draft.fields.get(i.field).is_none_or(|v| v.is_empty())) {
                        "is required there"
                    } else {
                        "is not valid there"
                    }
                ),
            );
            Mode::Raw
        } else {
            Mode::Form
        };
        Change::Saved
    }

    /// `SelectServer`: selects the server and addresses it in its provider's draft (with a token of its
    /// project for Nova). An unknown server selects nothing.
    pub(super) fn select_server(&mut self, p: Provider, id: String) -> Change {
        let Some(server) = self.fleet.iter().find(|s| s.provider == p && s.id == id).cloned() else {
            return Change::Saved;
        };
        self.selected = Some((p, id.clone()));
        self.provider = p;
        let sim = Rc::clone(&self.sim);
        let scenario = sim.scenario();
        let draft = self.drafts.get_mut(p);
        if draft.mode == Mode::Curl {
            draft.mode = Mode::Form;
        }
        draft.set_field(p, ops::id_field(p), &id);
        if p == Provider::Nova {
            // Keep a token that belongs to the server's project; otherwise offer a member token of it.
            let project = presets::nova_project(scenario, &server.id).unwrap_or_default().to_string();
            let current = draft.fields.get("X-Auth-Token").cloned().unwrap_or_default();
            let fits =
                scenario.fleet.nova.tokens.iter().any(|t| t.token == current && t.project_id == project);
            if !fits {
                if let Some(token) = presets::member_token(scenario, &project) {
                    draft.set_field(p, "X-Auth-Token", token);
                }
            }
        }
        Change::Saved
    }

    /// Imports the curl command into the composer; false (and a toast saying why) when it cannot be.
    fn import_curl_command(&mut self) -> bool {
        let command = self.draft().curl.clone();
        match crate::wiretext::import_curl(&command) {
            Ok((request, mut notes)) => {
                notes.extend(crate::wiretext::request_notes(&request));
                let provider = ops::extract(&request).map_or(self.provider, |x| x.provider);
                let curl = std::mem::take(&mut self.drafts.get_mut(self.provider).curl);
                self.provider = provider;
                let draft = self.drafts.get_mut(provider);
                draft.load_request(provider, &request, notes);
                draft.mode = Mode::Raw;
                draft.curl = curl;
                self.toast("Imported the curl command as the request.");
                true
            }
            Err(e) => {
                self.toast(format!("That curl command cannot be imported: {e}"));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::draft::Mode;
    use crate::state::{Action, AppState};
    use sim::Provider;

    #[test]
    fn editing_and_selecting_fill_the_composer() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SelectProvider(Provider::Lightsail));
        s.apply(Action::SetField("instanceName".into(), "WordPress-1".into()));
        assert!(s.draft().raw.contains("\"instanceName\": \"WordPress-1\""));
        s.apply(Action::SetOperation("GetInstanceState".into()));
        assert!(s.draft().raw.contains("Lightsail_20161128.GetInstanceState"));
        // Drafts are per provider.
        s.apply(Action::SelectProvider(Provider::Transfer));
        assert!(!s.draft().raw.contains("WordPress-1"));
    }

    /// Ctrl+Enter on the curl tab sends what was pasted, not the request from before the paste; a command that
    /// cannot be imported sends nothing and says why.
    #[test]
    fn import_and_send_sends_the_pasted_curl_or_nothing() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SetMode(Mode::Curl));
        s.apply(Action::SetCurl(
            "curl -X POST https://lightsail.us-west-2.amazonaws.com/ -H 'X-Amz-Target: Lightsail_20161128.StopInstance' \
             -H 'Content-Type: application/x-amz-json-1.1' -d '{\"instanceName\":\"WordPress-1\"}'"
                .into(),
        ));
        s.apply(Action::ImportCurlAndSend { wall: 0.0 });
        let sent = &s.sends.last().expect("one request sent").request;
        assert_eq!(sent.header("X-Amz-Target"), Some("Lightsail_20161128.StopInstance"));
        assert_eq!(sent.body, r#"{"instanceName":"WordPress-1"}"#);
        assert_eq!(s.provider, Provider::Lightsail);
        assert_eq!(s.last_exchange().map(|x| x.response.status), Some(200));
        // The curl tab of the Lightsail draft now holds a command that cannot be imported.
        s.apply(Action::SetMode(Mode::Curl));
        s.apply(Action::SetCurl("curl -X 'PO ST' https://lightsail.us-west-2.amazonaws.com/".into()));
        s.apply(Action::ImportCurlAndSend { wall: 0.0 });
        assert_eq!(s.sends.len(), 1, "nothing more was sent");
        let toast = s.toast.as_ref().map(|(_, t)| t.as_str()).unwrap_or("");
        assert!(
            toast.starts_with("That curl command cannot be imported: -X 'PO ST' is not an HTTP method"),
            "{toast}"
        );
    }

    /// A Lightsail request pasted into the Transfer tab's raw editor takes the composer to Lightsail and its
    /// operation; the Transfer draft is still there when the user switches back.
    #[test]
    fn raw_text_for_another_provider_takes_the_composer_there() {
        let mut s = AppState::builtin(0.0);
        s.apply(Action::SetField("ServerId".into(), "s-0123456789abcdef0".into()));
        s.apply(Action::SetMode(Mode::Raw));
        let transfer = s.draft().raw.clone();
        let lightsail = "POST / HTTP/1.1\nHost: lightsail.us-west-2.amazonaws.com\n\
                         X-Amz-Target: Lightsail_20161128.GetInstanceState\n\
                         Content-Type: application/x-amz-json-1.1\n\n{\"instanceName\": \"WordPress-1\"}";
        s.apply(Action::SetRaw(lightsail.into()));
        assert_eq!(s.provider, Provider::Lightsail);
        assert_eq!(s.draft().operation, "GetInstanceState");
        assert_eq!(s.draft().fields.get("instanceName").map(String::as_str), Some("WordPress-1"));
        assert_eq!((s.draft().raw.as_str(), s.draft().mode), (lightsail, Mode::Raw));
        assert!(s.draft().notes[0].contains("switched to it; your AWS Transfer Family draft is kept"));
        s.apply(Action::SelectProvider(Provider::Transfer));
        assert_eq!(s.draft().raw, transfer, "the Transfer draft is as it was before the paste");
        // Typed over key by key, the Transfer draft passes through text no provider claims; when the text
        // becomes a Nova request, the Transfer draft is its form's request again, not the half-typed text.
        s.apply(Action::SetRaw("POST /v2.1/serv".into()));
        assert_eq!(s.provider, Provider::Transfer);
        s.apply(Action::SetRaw(
            "POST /v2.1/servers/x/action HTTP/1.1\nX-Auth-Token: t\n\n{\"os-stop\": null}".into(),
        ));
        assert_eq!((s.provider, s.draft().operation.as_str()), (Provider::Nova, "os-stop"));
        assert_eq!(s.drafts.transfer.raw, transfer);
    }
}
