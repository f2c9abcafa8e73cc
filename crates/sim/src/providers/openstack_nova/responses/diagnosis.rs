//! Why Nova answered as it did: the diagnosis of every error (where its message comes from, the spec place
//! and confidence, the settings that chose it) and of an accepted `os-stop` / `os-start` (spec §3.3–§3.5).

use super::super::errors::NovaError;
use super::super::models::{power_state_name, PowerAction, Refusal, Server};
use super::super::routes::Api;
use crate::exchange::{Confidence, Diagnosis};
use serde_json::Value;

/// A one-line summary of a server's state for diagnoses: `vm_state stopped, task_state None, power_state 4
/// (SHUTDOWN)`.
pub fn state_summary(s: &Server) -> String {
    format!(
        "vm_state {}, task_state {}, power_state {} ({})",
        s.vm_state.as_str(),
        s.task_state.as_deref().unwrap_or("None"),
        s.power_state,
        power_state_name(s.power_state)
    )
}

/// Why Nova answered `error`: one or two sentences, the spec place, its confidence, doc notes, settings.
/// `accept` is the request's `Accept` header (webob's own pages are rendered by it).
pub fn diagnose_error(error: &NovaError, detail: &str, accept: Option<&str>) -> Diagnosis {
    diagnose_error_why(error, detail).with_message_text(error.answer_message_text(accept))
}

fn diagnose_error_why(error: &NovaError, detail: &str) -> Diagnosis {
    let d = |why: String, spec: &str, c: Confidence| Diagnosis::new(why, spec, c);
    match error {
        NovaError::Unauthorized => d(
            format!(
                "keystonemiddleware (authtoken) runs before Nova routes anything: {detail} It answers 401 \
                 with its own JSON body (not a Nova fault) and a WWW-Authenticate header naming Keystone."
            ),
            "stop-apis.md §3.3 step 1, N14",
            Confidence::Primary,
        )
        .with_setting("settings.nova.www_authenticate_uri"),
        NovaError::NoRoute => d(
            format!(
                "Nova's router has no route for this request ({detail}), so webob's bare HTTPNotFound page \
                 comes back — not a Nova JSON fault. webob picks plain text, HTML or its own small JSON by \
                 the Accept header."
            ),
            "stop-apis.md §3.3 step 2, N27, N29",
            Confidence::Derived,
        ),
        NovaError::BadVersionString(_) => d(
            "The microversion must look like MajorNum.MinorNum (^([1-9]\\d*)\\.([1-9]\\d*|0)$) or be \
             'latest'; no version was parsed, so the fault carries no version headers."
                .to_string(),
            "stop-apis.md §3.1, §3.3 step 3, N23",
            Confidence::Primary,
        ),
        NovaError::VersionNotSupported { .. } => d(
            "The microversion is well formed but outside what this cloud serves, which Nova answers with \
             406 Not Acceptable as a computeFault (406 has no fault name of its own)."
                .to_string(),
            "stop-apis.md §3.3 step 3, N24",
            Confidence::Primary,
        )
        .with_doc_note(
            "Maximum microversions differ by release: master 2.104, 2026.1 2.103, 2025.1/2025.2 2.100.",
        )
        .with_setting("settings.nova.max_microversion"),
        NovaError::UnsupportedContentType => d(
            format!(
                "Nova reads only application/json and application/vnd.openstack.compute+json bodies; {detail} \
                 (a missing, empty or text/plain Content-Type would have been accepted)."
            ),
            "stop-apis.md §3.1, §3.3 step 4, N21, N22",
            Confidence::Primary,
        ),
        NovaError::MalformedBody => d(
            format!(
                "action_peek needs a JSON body with exactly one top-level key, the action name; {detail}"
            ),
            "stop-apis.md §3.3 step 5, N16, N17, N18",
            Confidence::Primary,
        ),
        NovaError::NoSuchAction(a) => d(
            format!("The body's one key '{a}' is not a server action Nova knows (action names are case-sensitive)."),
            "stop-apis.md §3.3 step 5, N19",
            Confidence::Primary,
        ),
        NovaError::BodyNotFound => d(
            format!(
                "action_peek calls len() and .keys() on the decoded body; {detail} raises TypeError or \
                 AttributeError, which _process_stack turns into webob's default 404 inside an itemNotFound \
                 fault."
            ),
            "stop-apis.md §3.3 step 5, N20",
            Confidence::Derived,
        ),
        NovaError::ProjectMismatch { .. } => d(
            "The {project_id} in the URL must be the project the token is scoped to; Nova checks this after \
             reading the body and before looking at the server."
                .to_string(),
            "stop-apis.md §3.3 step 6, N25, §7",
            Confidence::Primary,
        )
        .with_doc_note(
            "Some vendor docs (NTT SDPF) list this as \"invalid project_id\"; the message above is Nova's.",
        ),
        NovaError::NoMapping(_) => d(
            format!(
                "No instance mapping exists for this id ({detail}): the server never existed here (or was \
                 archived), so the action path answers InstanceMappingNotFound."
            ),
            "stop-apis.md §3.3 step 7, N12",
            Confidence::Derived,
        ),
        NovaError::NotFound(_) => d(
            format!(
                "{detail} Nova answers InstanceNotFound, the same as for a server that does not exist, so \
                 other projects' servers are not revealed."
            ),
            "stop-apis.md §3.3 step 7, N13",
            Confidence::Derived,
        ),
        NovaError::Policy(rule) => d(
            format!("{detail} The default policy for {rule} refuses it."),
            if rule.starts_with("os_compute_api:os-lock-server:") {
                "stop-apis.md §3.7 (nova policies/lock_server.py)"
            } else {
                "stop-apis.md §3.3 step 8, N15"
            },
            Confidence::Primary,
        )
        .with_doc_note(
            "Clouds with custom policy files (or the deprecated admin_or_owner rule) may decide differently.",
        ),
        NovaError::Refused { refusal, .. } => {
            let (spec, conf) = match refusal {
                Refusal::Locked => ("stop-apis.md §3.3 step 9, N6", Confidence::Primary),
                Refusal::NotReady => ("stop-apis.md §3.3 step 10, N9, N11", Confidence::Primary),
                Refusal::VmState(_) => ("stop-apis.md §3.3 step 11, §3.5, N4, N10, N28", Confidence::Primary),
                Refusal::TaskState(_) => ("stop-apis.md §3.3 step 12, §3.5, N8, N28", Confidence::Primary),
                Refusal::NeverLaunched => ("stop-apis.md §3.3 step 13", Confidence::Derived),
            };
            let diag = d(detail.to_string(), spec, conf);
            if *refusal == Refusal::Locked {
                diag.with_doc_note(
                    "A locked server is refused with 409 conflictingRequest, not 403; admins bypass the lock \
                     (the api-ref: \"you must have administrator privileges to stop the server\").",
                )
            } else {
                diag
            }
        }
        NovaError::InvalidBody(_) => d(
            detail.to_string(),
            "stop-apis.md §3.7 (nova schemas/lock_server.py lock_v273)",
            Confidence::Primary,
        ),
        NovaError::MarkerNotFound(_) => d(
            "Paging needs a marker that is a server of the listed set.".to_string(),
            "stop-apis.md §3.4 (listing; nova servers.py _get_servers)",
            Confidence::Derived,
        ),
        NovaError::BadQuery(_) => d(
            format!("A query parameter failed Nova's checks: {detail}"),
            "stop-apis.md §3.4 (listing; nova servers.py _get_servers)",
            Confidence::Unconfirmed,
        ),
        NovaError::NotModelled(_) => d(
            format!(
                "The simulator does not model {detail}. Real Nova would carry it out (or refuse it for a \
                 reason of its own); this 501 notImplemented is the simulator's answer, not Nova's: the \
                 playground only simulates os-stop, os-start, lock, unlock and reading servers, and says so rather than \
                 pretending."
            ),
            "stop-apis.md §3 (scope of the simulation)",
            Confidence::Unconfirmed,
        ),
        NovaError::OverLimit(_) => d(
            "Injected throttling: more requests in this simulated second than the scenario allows. The fault \
             is overLimit with retryAfter copied from the Retry-After header."
                .to_string(),
            "stop-apis.md §3.3 (fault names 429 overLimit, retryAfter), §5",
            Confidence::Unconfirmed,
        )
        .with_setting("faults.nova.throttle_per_second"),
        NovaError::Unavailable => d(
            "Injected outage: the scenario makes this share of requests fail with 503 serviceUnavailable."
                .to_string(),
            "stop-apis.md §3.3 (fault names 503 serviceUnavailable), §5",
            Confidence::Unconfirmed,
        )
        .with_setting("faults.nova.unavailable_rate"),
    }
}

/// The diagnosis of an accepted `os-stop` / `os-start`.
pub fn diagnose_accepted(
    action: PowerAction,
    s: &Server,
    value: &Value,
    api: Api,
    notes: &[&str],
) -> Diagnosis {
    let mut why = match action {
        PowerAction::Stop => format!(
            "202 Accepted, empty body: the API set task_state powering-off (status stays {}) and cast the stop \
             to the compute host, which shuts the guest down cleanly and then sets vm_state stopped, \
             power_state 4, status SHUTOFF.",
            if s.vm_state.as_str() == "error" { "ERROR" } else { "ACTIVE" }
        ),
        PowerAction::Start => "202 Accepted, empty body: the API set task_state powering-on and cast the start \
             to the compute host, which boots the guest and then sets vm_state active, power_state 1, status \
             ACTIVE."
            .to_string(),
    };
    for note in notes {
        why.push(' ');
        why.push_str(note);
    }
    if api == Api::LegacyV2 {
        why.push_str(
            " This is the legacy /v2 endpoint: request version headers are ignored and the response carries no \
             version headers.",
        );
    }
    let spec = match (action, api) {
        (PowerAction::Stop, Api::V21) => "stop-apis.md §3.2, §3.4, N1, N2, N3, N5, N7",
        (PowerAction::Stop, Api::LegacyV2) => "stop-apis.md §3.2, §3.4, N26, §7",
        (PowerAction::Start, _) => "stop-apis.md §3.4, §3.5",
    };
    let mut diag = Diagnosis::new(why, spec, Confidence::Primary);
    let doc_note = match value {
        Value::Null => None,
        Value::Object(map) if map.contains_key("force_shutdown") => Some(
            "Z.com/ConoHa document {\"os-stop\": {\"force_shutdown\": true}} as a forced power-off. Upstream \
             Nova does not constrain the value of os-stop and ignores it: this is accepted, but the stop is the \
             same clean shutdown as any other.",
        ),
        Value::String(text) if text == "null" => Some(
            "The body has the string \"null\", not JSON null (as a Rackspace-style page prints it). Nova's \
             schema leaves the value of the action unconstrained, so it is accepted.",
        ),
        _ => Some(
            "The api-ref documents the value as null; Nova's schema does not constrain it (a TODO plans to \
             require null in a future microversion), so this value is accepted and ignored.",
        ),
    };
    if let Some(note) = doc_note {
        diag = diag.with_doc_note(note);
    } else if api == Api::V21 {
        diag = diag.with_doc_note(
            "The api-guide says the OpenStack-API-Version pair appears from 2.27 and x-openstack-request-id from \
             2.46; current Nova sends both version headers and both request ids on every v2.1 response.",
        );
    }
    diag.with_setting(match action {
        PowerAction::Stop => "settings.nova.powering_off",
        PowerAction::Start => "settings.nova.powering_on",
    })
}
