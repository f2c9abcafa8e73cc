//! Nova's wire side: microversion negotiation, request content types, `action_peek`, the headers every
//! answer carries, the JSON views of servers, lists and version documents, and the diagnosis of each
//! answer (spec §3.1–§3.5, §5, §7).

use super::errors::{fault_body, keystone_401, webob_404, NovaError, FAULT_CONTENT_TYPE};
use super::models::{power_state_name, PowerAction, Refusal, Server};
use super::routes::Api;
use super::text::{
    accept_quality, parse_accept, push_escaped, push_form_encoded, push_isotime, push_naive_micro, JsonOut,
};
use crate::exchange::{Confidence, Diagnosis};
use crate::wire::{WireRequest, WireResponse};
use serde_json::Value;

/// `OpenStack-API-Version`.
pub const VERSION_HEADER: &str = "OpenStack-API-Version";
/// `X-OpenStack-Nova-API-Version`.
pub const LEGACY_VERSION_HEADER: &str = "X-OpenStack-Nova-API-Version";
/// `Vary` on every answer that carries version headers.
pub const VARY: &str = "OpenStack-API-Version, X-OpenStack-Nova-API-Version";
/// The minimum (and default) microversion.
pub const MIN_VERSION: (u32, u32) = (2, 1);
/// `CONF.api.max_limit`.
pub const MAX_LIMIT: usize = 1000;
/// The image every simulated server was booted from (the api-ref samples' image).
pub const IMAGE_ID: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
/// Host used in links when the request names none.
pub const DEFAULT_HOST: &str = "nova.example.com:8774";

/// What the answer's headers depend on: the request id, the API stack and the negotiated version.
#[derive(Clone, Debug)]
pub struct Envelope {
    /// `req-<uuid>`, drawn for every request (the `compute_req_id` middleware sits in front of everything).
    pub request_id: String,
    /// Which stack answered.
    pub api: Api,
    /// The version in use, once one was parsed (then it goes on faults too).
    pub version: Option<(u32, u32)>,
}

impl Envelope {
    /// Adds the version headers (v2.1 stack, once parsed) and the two request-id headers.
    pub fn finish(&self, mut response: WireResponse) -> WireResponse {
        if let (Api::V21, Some(version)) = (self.api, self.version) {
            let mut number = String::with_capacity(8);
            push_version(&mut number, version);
            let mut compute = String::with_capacity(16);
            compute.push_str("compute ");
            compute.push_str(&number);
            response.headers.push((VERSION_HEADER.to_string(), compute));
            response.headers.push((LEGACY_VERSION_HEADER.to_string(), number));
            response.headers.push(("Vary".to_string(), VARY.to_string()));
        }
        response.headers.push(("x-openstack-request-id".to_string(), self.request_id.clone()));
        response.headers.push(("x-compute-request-id".to_string(), self.request_id.clone()));
        response
    }

    /// The wire form of an error: keystonemiddleware's 401, webob's 404 page, or a Nova fault.
    pub fn error(&self, error: &NovaError, req: &WireRequest, www_authenticate_uri: &str) -> WireResponse {
        let response = match error {
            NovaError::Unauthorized => keystone_401(www_authenticate_uri),
            NovaError::NoRoute => webob_404(req.header("Accept")),
            NovaError::OverLimit(seconds) => {
                let retry = seconds.to_string();
                WireResponse::new(429)
                    .with_header("Content-Type", FAULT_CONTENT_TYPE)
                    .with_header("Retry-After", &retry)
                    .with_body(fault_body(429, &error.message(), Some(&retry)))
            }
            _ => WireResponse::new(error.status())
                .with_header("Content-Type", FAULT_CONTENT_TYPE)
                .with_body(fault_body(error.status(), &error.message(), None)),
        };
        self.finish(response)
    }
}

/// Appends `X.Y`.
pub fn push_version(out: &mut String, (major, minor): (u32, u32)) {
    use std::fmt::Write as _;
    let _ = write!(out, "{major}.{minor}");
}

/// The version string a request asks for, as `microversion_parse.get_version` finds it: the last
/// `compute X.Y` item of `OpenStack-API-Version`, else the last item of `X-OpenStack-Nova-API-Version`.
pub fn requested_version(req: &WireRequest) -> Option<String> {
    let folded = |name: &str| {
        let values: Vec<&str> =
            req.headers.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()).collect();
        (!values.is_empty()).then(|| values.join(","))
    };
    if let Some(standard) = folded(VERSION_HEADER) {
        for item in standard.split(',').rev() {
            let item = item.trim();
            let Some(pos) = item.find(char::is_whitespace) else { continue };
            let (service, version) = item.split_at(pos);
            if service.eq_ignore_ascii_case("compute") {
                return Some(version.trim().to_string());
            }
        }
    }
    folded(LEGACY_VERSION_HEADER).map(|v| v.rsplit(',').next().unwrap_or("").trim().to_string())
}

/// `Request.set_api_version_request`: default 2.1, `latest` is the maximum, otherwise the string must
/// parse and lie within [2.1, max].
pub fn negotiate_version(asked: Option<&str>, max: (u32, u32)) -> Result<(u32, u32), NovaError> {
    match asked {
        None => Ok(MIN_VERSION),
        Some("latest") => Ok(max),
        Some(text) => {
            let version =
                super::parse_version(text).ok_or_else(|| NovaError::BadVersionString(text.to_string()))?;
            if version < MIN_VERSION || version > max {
                return Err(NovaError::VersionNotSupported {
                    requested: format!("{}.{}", version.0, version.1),
                    max: format!("{}.{}", max.0, max.1),
                });
            }
            Ok(version)
        }
    }
}

/// `Request.get_content_type`: a missing, empty or `text/plain` type is "none"; otherwise the media type
/// (parameters dropped, case kept, as webob reports it) must be one Nova reads.
pub fn check_content_type(req: &WireRequest) -> Result<(), NovaError> {
    let Some(value) = req.header("Content-Type") else { return Ok(()) };
    let media = value.split(';').next().unwrap_or("").trim();
    match media {
        "" | "text/plain" | "application/json" | "application/vnd.openstack.compute+json" => Ok(()),
        _ => Err(NovaError::UnsupportedContentType),
    }
}

/// The `Content-Type` of a successful answer: the best of Nova's two JSON types by `Accept`
/// (`application/json` unless the vendor type is preferred).
pub fn success_content_type(req: &WireRequest) -> &'static str {
    const VENDOR: &str = "application/vnd.openstack.compute+json";
    let Some(accept) = req.header("Accept").map(str::trim).filter(|a| !a.is_empty()) else {
        return "application/json";
    };
    let Some(ranges) = parse_accept(accept) else { return "application/json" };
    let json = accept_quality(&ranges, "application", "json");
    let vendor = accept_quality(&ranges, "application", "vnd.openstack.compute+json");
    if vendor > json {
        VENDOR
    } else {
        "application/json"
    }
}

/// What `action_peek` made of an action body.
#[derive(Clone, Debug, PartialEq)]
pub struct Peeked {
    /// The one top-level key.
    pub action: String,
    /// Its value.
    pub value: Value,
}

/// `action_peek`: the body must be JSON with exactly one top-level key. Like Python, `len()` of a number,
/// boolean or `null` raises TypeError, and `.keys()` of a one-element string or array AttributeError — both
/// become webob's 404 inside a fault; other lengths are "too many body keys".
pub fn peek_action(body: &str) -> Result<Peeked, NovaError> {
    let trimmed = body.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    // Python's json module also reads these three as numbers.
    if matches!(trimmed, "NaN" | "Infinity" | "-Infinity") {
        return Err(NovaError::BodyNotFound);
    }
    let value: Value = serde_json::from_str::<Value>(body).map_err(|_| NovaError::MalformedBody)?;
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => Err(NovaError::BodyNotFound),
        Value::String(s) if s.chars().count() == 1 => Err(NovaError::BodyNotFound),
        Value::Array(a) if a.len() == 1 => Err(NovaError::BodyNotFound),
        Value::Object(map) if map.len() == 1 => {
            let Some((action, value)) = map.into_iter().next() else { return Err(NovaError::MalformedBody) };
            Ok(Peeked { action, value })
        }
        _ => Err(NovaError::MalformedBody),
    }
}

/// Server actions Nova registers that the simulator does not model (answered 501, never "no such action").
pub fn is_unmodelled_action(name: &str) -> bool {
    matches!(
        name,
        "reboot"
            | "resize"
            | "confirmResize"
            | "revertResize"
            | "rebuild"
            | "createImage"
            | "changePassword"
            | "createBackup"
            | "pause"
            | "unpause"
            | "suspend"
            | "resume"
            | "lock"
            | "unlock"
            | "shelve"
            | "shelveOffload"
            | "unshelve"
            | "rescue"
            | "unrescue"
            | "migrate"
            | "os-migrateLive"
            | "evacuate"
            | "forceDelete"
            | "restore"
            | "os-resetState"
            | "injectNetworkInfo"
            | "resetNetwork"
            | "addSecurityGroup"
            | "removeSecurityGroup"
            | "trigger_crash_dump"
            | "os-getConsoleOutput"
            | "os-getVNCConsole"
            | "os-getSPICEConsole"
            | "os-getSerialConsole"
            | "os-getRDPConsole"
            | "os-getMKSConsole"
            | "addFixedIp"
            | "removeFixedIp"
            | "addFloatingIp"
            | "removeFloatingIp"
    )
}

/// What the JSON views need to know about the request.
#[derive(Clone, Debug)]
pub struct ViewCtx<'a> {
    /// `http://host` (scheme and authority of the request), already escaped for a JSON string.
    pub base_json: String,
    /// `/v2.1` or `/v2` (the script name of the stack).
    pub script: &'static str,
    /// The caller's project when the request URL mentions it (`ViewBuilder._get_project_id`).
    pub link_project: Option<&'a str>,
    /// Microversion in use.
    pub version: (u32, u32),
    /// Whether the caller is an admin (extended attributes, host status).
    pub is_admin: bool,
}

impl ViewCtx<'_> {
    fn at_least(&self, major: u32, minor: u32) -> bool {
        self.version >= (major, minor)
    }

    /// Appends the inside of an href string: `{base}[/v2.1][/{project}]/{collection}/{id}`.
    fn push_href(&self, out: &mut String, versioned: bool, collection: &str, id: &str) {
        out.push_str(&self.base_json);
        if versioned {
            out.push_str(self.script);
        }
        if let Some(p) = self.link_project {
            out.push('/');
            push_escaped(out, p);
        }
        out.push('/');
        out.push_str(collection);
        out.push('/');
        push_escaped(out, id);
    }

    fn links(&self, j: &mut JsonOut, collection: &str, id: &str, with_self: bool) {
        j.begin_arr();
        if with_self {
            j.begin_obj().field_str("rel", "self").key("href");
            j.str_with(|out| self.push_href(out, true, collection, id)).end_obj();
        }
        j.begin_obj().field_str("rel", "bookmark").key("href");
        j.str_with(|out| self.push_href(out, false, collection, id)).end_obj();
        j.end_arr();
    }
}

/// The JSON-escaped form of `text` (no quotes), e.g. for [`ViewCtx::base_json`].
pub fn json_escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// `http://host` for links, from an absolute target or the `Host` header.
pub fn base_url(req: &WireRequest) -> String {
    let scheme = if req.target.starts_with("https://") { "https://" } else { "http://" };
    let host = req.host().map(str::trim).filter(|h| !h.is_empty()).unwrap_or(DEFAULT_HOST);
    let mut out = String::with_capacity(scheme.len() + host.len());
    out.push_str(scheme);
    out.push_str(host);
    out
}

fn hostname_of(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            'a'..='z' | '0'..='9' | '-' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            ' ' | '_' | '.' => out.push('-'),
            _ => {}
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "server".to_string()
    } else {
        trimmed.to_string()
    }
}

/// `ViewBuilder.show` for one server, as an object value (`detail` = inside a `/servers/detail` list, which
/// leaves out `server_groups` and adds `security_groups` and `host_status` last).
pub fn write_server(j: &mut JsonOut, s: &Server, v: &ViewCtx<'_>, detail: bool) {
    let status = s.status();
    j.begin_obj();
    j.field_str("accessIPv4", "").field_str("accessIPv6", "").field_raw("addresses", "{}");
    j.key("created").str_with(|out| push_isotime(out, s.created_ms));
    j.key("flavor").begin_obj();
    if v.at_least(2, 47) {
        j.key("vcpus").int(1).key("ram").int(512).key("disk").int(1).key("ephemeral").int(0);
        j.key("swap").int(0).field_str("original_name", "m1.tiny").field_raw("extra_specs", "{}");
    } else {
        j.field_str("id", "1").key("links");
        v.links(j, "flavors", "1", false);
    }
    j.end_obj();
    j.field_str("hostId", &s.host_id).field_str("id", &s.id);
    j.key("image").begin_obj().field_str("id", IMAGE_ID).key("links");
    v.links(j, "images", IMAGE_ID, false);
    j.end_obj();
    j.key("links");
    v.links(j, "servers", &s.id, true);
    j.field_raw("metadata", "{}").field_str("name", &s.name).field_str("status", status);
    j.field_str("tenant_id", &s.project_id).field_str("user_id", &s.user_id);
    j.key("updated").str_with(|out| push_isotime(out, s.updated_ms));
    j.field_str("OS-DCF:diskConfig", "MANUAL");
    if matches!(status, "ACTIVE" | "BUILD" | "REBUILD" | "RESIZE" | "VERIFY_RESIZE" | "MIGRATING") {
        j.key("progress").int(0);
    }
    j.field_str("OS-EXT-AZ:availability_zone", "nova").field_str("config_drive", "");
    j.field_raw("key_name", "null");
    match s.launched_ms {
        Some(ms) => j.key("OS-SRV-USG:launched_at").str_with(|out| push_naive_micro(out, ms)),
        None => j.field_raw("OS-SRV-USG:launched_at", "null"),
    };
    j.field_raw("OS-SRV-USG:terminated_at", "null");
    if !detail {
        j.field_raw("security_groups", "[{\"name\": \"default\"}]");
    }
    let hostname = hostname_of(&s.name);
    if v.is_admin {
        j.key("OS-EXT-SRV-ATTR:host").opt_str(s.host.as_deref());
        j.field_str("OS-EXT-SRV-ATTR:instance_name", &format!("instance-{:08x}", s.db_id));
        j.key("OS-EXT-SRV-ATTR:hypervisor_hostname").opt_str(s.host.as_deref());
        if v.at_least(2, 3) {
            j.field_str("OS-EXT-SRV-ATTR:hostname", &hostname).field_str("OS-EXT-SRV-ATTR:kernel_id", "");
            j.key("OS-EXT-SRV-ATTR:launch_index").int(0).field_str("OS-EXT-SRV-ATTR:ramdisk_id", "");
            j.field_str("OS-EXT-SRV-ATTR:reservation_id", &format!("r-{:08x}", s.db_id));
            j.field_str("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda");
            j.field_raw("OS-EXT-SRV-ATTR:user_data", "null");
        }
    }
    j.key("OS-EXT-STS:task_state").opt_str(s.task_state.as_deref());
    j.field_str("OS-EXT-STS:vm_state", s.vm_state.as_str());
    j.key("OS-EXT-STS:power_state").int(i64::from(s.power_state));
    j.field_raw("os-extended-volumes:volumes_attached", "[]");
    if v.at_least(2, 9) {
        j.field_raw("locked", if s.locked { "true" } else { "false" });
    }
    let host_status = if s.host.is_some() { "UP" } else { "" };
    if v.at_least(2, 16) && v.is_admin && !detail {
        j.field_str("host_status", host_status);
    }
    if v.at_least(2, 19) {
        j.field_raw("description", "null");
    }
    if v.at_least(2, 26) {
        j.field_raw("tags", "[]");
    }
    if v.at_least(2, 63) {
        j.field_raw("trusted_image_certificates", "null");
    }
    if v.at_least(2, 71) && !detail {
        j.field_raw("server_groups", "[]");
    }
    if v.at_least(2, 73) {
        j.field_raw("locked_reason", "null");
    }
    if v.at_least(2, 90) && !v.is_admin {
        j.field_str("OS-EXT-SRV-ATTR:hostname", &hostname);
    }
    if v.at_least(2, 96) {
        j.field_raw("pinned_availability_zone", "null");
    }
    if v.at_least(2, 100) {
        j.field_raw("scheduler_hints", "{}");
    }
    if detail {
        j.field_raw("security_groups", "[{\"name\": \"default\"}]");
        if v.at_least(2, 16) && v.is_admin {
            j.field_str("host_status", host_status);
        }
    }
    j.end_obj();
}

/// `GET /servers/{id}`: `{"server": {…}}`.
pub fn show_body(s: &Server, v: &ViewCtx<'_>) -> String {
    let mut j = JsonOut::with_capacity(1600);
    j.begin_obj().key("server");
    write_server(&mut j, s, v, false);
    j.end_obj();
    j.finish()
}

/// `GET /servers` and `/servers/detail`: `{"servers": […]}` plus `servers_links` (`rel: next`) when the
/// page is as long as the `limit` asked for.
pub fn list_body<'s>(
    servers: impl Iterator<Item = &'s Server>,
    v: &ViewCtx<'_>,
    detail: bool,
    next: Option<(&str, &[(String, String)])>,
) -> String {
    let mut j = JsonOut::with_capacity(if detail { 4096 } else { 1024 });
    j.begin_obj().key("servers").begin_arr();
    for s in servers {
        if detail {
            write_server(&mut j, s, v, true);
        } else {
            j.begin_obj().field_str("id", &s.id).field_str("name", &s.name).key("links");
            v.links(&mut j, "servers", &s.id, true);
            j.end_obj();
        }
    }
    j.end_arr();
    if let Some((marker, params)) = next {
        // `OrderedDict(sorted(request.params.items()))`, then `params["marker"] = id`, url-encoded.
        let mut sorted: Vec<(&str, &str)> = Vec::with_capacity(params.len() + 1);
        for (k, val) in params {
            match sorted.iter_mut().find(|(key, _)| *key == k.as_str()) {
                Some(slot) => slot.1 = val.as_str(),
                None => sorted.push((k.as_str(), val.as_str())),
            }
        }
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        match sorted.iter_mut().find(|(key, _)| *key == "marker") {
            Some(slot) => slot.1 = marker,
            None => sorted.push(("marker", marker)),
        }
        j.key("servers_links").begin_arr().begin_obj().field_str("rel", "next").key("href");
        j.str_with(|href| {
            href.push_str(&v.base_json);
            href.push_str(v.script);
            if let Some(p) = v.link_project {
                href.push('/');
                push_escaped(href, p);
            }
            href.push_str(if detail { "/servers/detail?" } else { "/servers?" });
            for (i, (k, val)) in sorted.iter().enumerate() {
                if i > 0 {
                    href.push('&');
                }
                push_form_encoded(href, k);
                href.push('=');
                push_form_encoded(href, val);
            }
        });
        j.end_obj().end_arr();
    }
    j.end_obj();
    j.finish()
}

/// The version document of `/v2.1` (or `/v2`, `v2.0`, deprecated), as `VersionsV2.index` builds it.
pub fn version_body(api: Api, base: &str, max: (u32, u32)) -> String {
    let (id, status, version, min, updated, media) = match api {
        Api::V21 => (
            "v2.1",
            "CURRENT",
            format!("{}.{}", max.0, max.1),
            "2.1",
            "2013-07-23T11:33:21Z",
            "application/vnd.openstack.compute+json;version=2.1",
        ),
        Api::LegacyV2 => (
            "v2.0",
            "DEPRECATED",
            String::new(),
            "",
            "2025-07-04T12:00:00Z",
            "application/vnd.openstack.compute+json;version=2",
        ),
    };
    let script = if api == Api::V21 { "/v2.1/" } else { "/v2/" };
    let mut j = JsonOut::with_capacity(512);
    j.begin_obj().key("version").begin_obj();
    j.field_str("id", id).field_str("status", status).field_str("version", &version);
    j.field_str("min_version", min).field_str("updated", updated);
    j.key("links").begin_arr();
    j.begin_obj().field_str("rel", "self").field_str("href", &format!("{base}{script}")).end_obj();
    j.begin_obj().field_str("rel", "describedby").field_str("type", "text/html");
    j.field_str("href", "http://docs.openstack.org/").end_obj();
    j.end_arr();
    j.key("media-types").begin_arr().begin_obj().field_str("base", "application/json");
    j.field_str("type", media).end_obj().end_arr();
    j.end_obj().end_obj();
    j.finish()
}

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
            "stop-apis.md §3.3 step 8, N15",
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
                 playground only simulates os-stop, os-start and reading servers, and says so rather than \
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

#[cfg(test)]
mod tests {
    use super::*;

    fn req(headers: &[(&str, &str)]) -> WireRequest {
        let mut r = WireRequest::new("POST", "/v2.1/servers/A/action");
        for (k, v) in headers {
            r = r.with_header(k, v);
        }
        r
    }

    #[test]
    fn versions_are_found_like_microversion_parse() {
        assert_eq!(requested_version(&req(&[])), None);
        assert_eq!(
            requested_version(&req(&[("OpenStack-API-Version", "compute 2.65")])).as_deref(),
            Some("2.65")
        );
        assert_eq!(
            requested_version(&req(&[("openstack-api-version", "volume 3.0, COMPUTE  2.7 ")])).as_deref(),
            Some("2.7")
        );
        assert_eq!(
            requested_version(&req(&[
                ("OpenStack-API-Version", "volume 3.0"),
                ("X-OpenStack-Nova-API-Version", "2.3")
            ]))
            .as_deref(),
            Some("2.3")
        );
        assert_eq!(requested_version(&req(&[("OpenStack-API-Version", "compute")])), None);
        let max = (2, 104);
        assert_eq!(negotiate_version(None, max), Ok((2, 1)));
        assert_eq!(negotiate_version(Some("latest"), max), Ok(max));
        assert_eq!(negotiate_version(Some("2.x"), max), Err(NovaError::BadVersionString("2.x".into())));
        assert_eq!(negotiate_version(Some("2.01"), max), Err(NovaError::BadVersionString("2.01".into())));
        assert!(matches!(negotiate_version(Some("3.0"), max), Err(NovaError::VersionNotSupported { .. })));
        assert!(matches!(negotiate_version(Some("2.0"), max), Err(NovaError::VersionNotSupported { .. })));
        assert_eq!(negotiate_version(Some("2.104"), max), Ok((2, 104)));
    }

    #[test]
    fn content_types() {
        assert!(check_content_type(&req(&[])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "text/plain")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "application/json; charset=utf-8")])).is_ok());
        assert!(check_content_type(&req(&[("Content-Type", "application/xml")])).is_err());
        assert_eq!(
            success_content_type(&req(&[("Accept", "application/vnd.openstack.compute+json")])),
            "application/vnd.openstack.compute+json"
        );
        assert_eq!(success_content_type(&req(&[("Accept", "*/*")])), "application/json");
    }

    #[test]
    fn action_peek_like_python() {
        assert_eq!(peek_action(r#"{"os-stop": null}"#).map(|p| p.action), Ok("os-stop".to_string()));
        assert_eq!(peek_action(r#"{"os-stop":null,"foo":1}"#), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("{}"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("[]"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action(""), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("not json"), Err(NovaError::MalformedBody));
        assert_eq!(peek_action("\"ab\""), Err(NovaError::MalformedBody));
        for body in ["null", "5", "true", "\"x\"", "[1]", "NaN", " -Infinity ", "\"é\""] {
            assert_eq!(peek_action(body), Err(NovaError::BodyNotFound), "{body}");
        }
        assert_eq!(
            peek_action(r#"{"os-stop": 1, "os-stop": null}"#).map(|p| p.value),
            Ok(Value::Null),
            "duplicate keys: the last one wins, as in Python"
        );
    }
}
