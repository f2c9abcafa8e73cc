//! Nova's wire side: microversion negotiation, request content types, `action_peek`, the headers every
//! answer carries, the JSON views of servers, lists and version documents, and the diagnosis of each
//! answer (spec §3.1–§3.5, §5, §7).

use super::errors::{fault_body, keystone_401, webob_404, NovaError, FAULT_CONTENT_TYPE};
use super::models::{power_state_name, PowerAction, Refusal, Server};
use super::routes::Api;
use super::text::{
    accept_quality, parse_accept, push_form_encoded, push_isotime, push_naive_micro, python_json,
};
use crate::exchange::{Confidence, Diagnosis};
use crate::wire::{WireRequest, WireResponse};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
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
    /// `http://host` (scheme and authority of the request).
    pub base: String,
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

    /// `{base}[/v2.1][/{project}]/{collection}` and, for one resource, `/{id}`.
    fn href<'h>(&'h self, versioned: bool, collection: &'h str, id: Option<&'h str>) -> Href<'h> {
        Href { view: self, versioned, collection, id }
    }

    /// A resource's `links`: `self` (versioned) when asked for, then `bookmark`.
    fn links<'h>(&'h self, collection: &'h str, id: &'h str, with_self: bool) -> Links<'h> {
        Links {
            self_link: with_self.then(|| self.href(true, collection, Some(id))),
            bookmark: self.href(false, collection, Some(id)),
        }
    }
}

/// A link's target, written straight into the answer.
#[derive(Clone, Copy)]
struct Href<'a> {
    view: &'a ViewCtx<'a>,
    versioned: bool,
    collection: &'a str,
    id: Option<&'a str>,
}

impl std::fmt::Display for Href<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.view.base)?;
        if self.versioned {
            f.write_str(self.view.script)?;
        }
        if let Some(p) = self.view.link_project {
            write!(f, "/{p}")?;
        }
        write!(f, "/{}", self.collection)?;
        if let Some(id) = self.id {
            write!(f, "/{id}")?;
        }
        Ok(())
    }
}

impl Serialize for Href<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A resource's `links`: `[{"rel": "self", "href": …}, {"rel": "bookmark", "href": …}]`.
struct Links<'a> {
    self_link: Option<Href<'a>>,
    bookmark: Href<'a>,
}

impl Serialize for Links<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let links = self.self_link.map(|href| Link { rel: "self", href }).into_iter();
        serializer.collect_seq(links.chain([Link { rel: "bookmark", href: self.bookmark }]))
    }
}

/// One of a resource's `links`.
#[derive(Serialize)]
struct Link<H> {
    rel: &'static str,
    href: H,
}

/// `{}`.
#[derive(Serialize)]
struct Empty {}

/// `[]`.
const NONE: [(); 0] = [];

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

/// A time as Nova's `utils.isotime` prints it (`2026-01-05T09:00:00Z`).
struct IsoTime(i64);

impl Serialize for IsoTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(20);
        push_isotime(&mut out, self.0);
        serializer.serialize_str(&out)
    }
}

/// A naive datetime as oslo's JSON encoder prints it (`2026-01-05T09:00:00.000000`).
struct NaiveMicro(i64);

impl Serialize for NaiveMicro {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(26);
        push_naive_micro(&mut out, self.0);
        serializer.serialize_str(&out)
    }
}

/// The `flavor` of a server: embedded from 2.47, a link to flavor `1` before.
#[derive(Serialize)]
#[serde(untagged)]
enum Flavor<'a> {
    Embedded {
        vcpus: u32,
        ram: u32,
        disk: u32,
        ephemeral: u32,
        swap: u32,
        original_name: &'static str,
        extra_specs: Empty,
    },
    Linked {
        id: &'static str,
        links: Links<'a>,
    },
}

/// The server's `image`.
#[derive(Serialize)]
struct Image<'a> {
    id: &'static str,
    links: Links<'a>,
}

/// `[{"name": "default"}]`.
#[derive(Serialize)]
struct SecurityGroup {
    name: &'static str,
}

/// `ViewBuilder.show` for one server (`detail` = inside a `/servers/detail` list, which leaves out
/// `server_groups` and adds `security_groups` and `host_status` last). The members and their order depend
/// on the microversion and the caller's role, as in Nova's view builder: a Serialize that adds them one by
/// one.
pub struct ServerShape<'a> {
    /// The server.
    pub server: &'a Server,
    /// The request's view of it.
    pub view: &'a ViewCtx<'a>,
    /// Inside a `/servers/detail` list.
    pub detail: bool,
}

impl Serialize for ServerShape<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (s, v, detail) = (self.server, self.view, self.detail);
        let status = s.status();
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("accessIPv4", "")?;
        m.serialize_entry("accessIPv6", "")?;
        m.serialize_entry("addresses", &Empty {})?;
        m.serialize_entry("created", &IsoTime(s.created_ms))?;
        let flavor = if v.at_least(2, 47) {
            Flavor::Embedded {
                vcpus: 1,
                ram: 512,
                disk: 1,
                ephemeral: 0,
                swap: 0,
                original_name: "m1.tiny",
                extra_specs: Empty {},
            }
        } else {
            Flavor::Linked { id: "1", links: v.links("flavors", "1", false) }
        };
        m.serialize_entry("flavor", &flavor)?;
        m.serialize_entry("hostId", &s.host_id)?;
        m.serialize_entry("id", &s.id)?;
        m.serialize_entry("image", &Image { id: IMAGE_ID, links: v.links("images", IMAGE_ID, false) })?;
        m.serialize_entry("links", &v.links("servers", &s.id, true))?;
        m.serialize_entry("metadata", &Empty {})?;
        m.serialize_entry("name", &s.name)?;
        m.serialize_entry("status", status)?;
        m.serialize_entry("tenant_id", &s.project_id)?;
        m.serialize_entry("user_id", &s.user_id)?;
        m.serialize_entry("updated", &IsoTime(s.updated_ms))?;
        m.serialize_entry("OS-DCF:diskConfig", "MANUAL")?;
        if matches!(status, "ACTIVE" | "BUILD" | "REBUILD" | "RESIZE" | "VERIFY_RESIZE" | "MIGRATING") {
            m.serialize_entry("progress", &0)?;
        }
        m.serialize_entry("OS-EXT-AZ:availability_zone", "nova")?;
        m.serialize_entry("config_drive", "")?;
        m.serialize_entry("key_name", &())?;
        m.serialize_entry("OS-SRV-USG:launched_at", &s.launched_ms.map(NaiveMicro))?;
        m.serialize_entry("OS-SRV-USG:terminated_at", &())?;
        let security_groups = [SecurityGroup { name: "default" }];
        if !detail {
            m.serialize_entry("security_groups", &security_groups)?;
        }
        let hostname = hostname_of(&s.name);
        if v.is_admin {
            m.serialize_entry("OS-EXT-SRV-ATTR:host", &s.host)?;
            m.serialize_entry("OS-EXT-SRV-ATTR:instance_name", &format!("instance-{:08x}", s.db_id))?;
            m.serialize_entry("OS-EXT-SRV-ATTR:hypervisor_hostname", &s.host)?;
            if v.at_least(2, 3) {
                m.serialize_entry("OS-EXT-SRV-ATTR:hostname", &hostname)?;
                m.serialize_entry("OS-EXT-SRV-ATTR:kernel_id", "")?;
                m.serialize_entry("OS-EXT-SRV-ATTR:launch_index", &0)?;
                m.serialize_entry("OS-EXT-SRV-ATTR:ramdisk_id", "")?;
                m.serialize_entry("OS-EXT-SRV-ATTR:reservation_id", &format!("r-{:08x}", s.db_id))?;
                m.serialize_entry("OS-EXT-SRV-ATTR:root_device_name", "/dev/vda")?;
                m.serialize_entry("OS-EXT-SRV-ATTR:user_data", &())?;
            }
        }
        m.serialize_entry("OS-EXT-STS:task_state", &s.task_state)?;
        m.serialize_entry("OS-EXT-STS:vm_state", s.vm_state.as_str())?;
        m.serialize_entry("OS-EXT-STS:power_state", &s.power_state)?;
        m.serialize_entry("os-extended-volumes:volumes_attached", &NONE)?;
        if v.at_least(2, 9) {
            m.serialize_entry("locked", &s.locked)?;
        }
        let host_status = if s.host.is_some() { "UP" } else { "" };
        if v.at_least(2, 16) && v.is_admin && !detail {
            m.serialize_entry("host_status", host_status)?;
        }
        if v.at_least(2, 19) {
            m.serialize_entry("description", &())?;
        }
        if v.at_least(2, 26) {
            m.serialize_entry("tags", &NONE)?;
        }
        if v.at_least(2, 63) {
            m.serialize_entry("trusted_image_certificates", &())?;
        }
        if v.at_least(2, 71) && !detail {
            m.serialize_entry("server_groups", &NONE)?;
        }
        if v.at_least(2, 73) {
            m.serialize_entry("locked_reason", &())?;
        }
        if v.at_least(2, 90) && !v.is_admin {
            m.serialize_entry("OS-EXT-SRV-ATTR:hostname", &hostname)?;
        }
        if v.at_least(2, 96) {
            m.serialize_entry("pinned_availability_zone", &())?;
        }
        if v.at_least(2, 100) {
            m.serialize_entry("scheduler_hints", &Empty {})?;
        }
        if detail {
            m.serialize_entry("security_groups", &security_groups)?;
            if v.at_least(2, 16) && v.is_admin {
                m.serialize_entry("host_status", host_status)?;
            }
        }
        m.end()
    }
}

/// `GET /servers/{id}`: `{"server": {…}}`.
pub fn show_body(s: &Server, v: &ViewCtx<'_>) -> String {
    #[derive(Serialize)]
    struct Show<'a> {
        server: ServerShape<'a>,
    }
    python_json(&Show { server: ServerShape { server: s, view: v, detail: false } }, 1600)
}

/// An entry of `GET /servers` (without `detail`): id, name and links.
#[derive(Serialize)]
struct ServerSummary<'a> {
    id: &'a str,
    name: &'a str,
    links: Links<'a>,
}

/// An entry of a list: the summary, or the whole view for `/servers/detail`.
#[derive(Serialize)]
#[serde(untagged)]
enum ListEntry<'a> {
    Summary(ServerSummary<'a>),
    Detail(ServerShape<'a>),
}

/// `GET /servers` and `/servers/detail`: `{"servers": […]}` plus `servers_links` (`rel: next`) when the
/// page is as long as the `limit` asked for.
pub fn list_body<'s>(
    servers: impl Iterator<Item = &'s Server>,
    v: &ViewCtx<'_>,
    detail: bool,
    next: Option<(&str, &[(String, String)])>,
) -> String {
    #[derive(Serialize)]
    struct List<'a> {
        servers: Vec<ListEntry<'a>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        servers_links: Option<[Link<String>; 1]>,
    }
    let servers = servers
        .map(|s| match detail {
            true => ListEntry::Detail(ServerShape { server: s, view: v, detail: true }),
            false => ListEntry::Summary(ServerSummary {
                id: &s.id,
                name: &s.name,
                links: v.links("servers", &s.id, true),
            }),
        })
        .collect::<Vec<_>>();
    let servers_links = next.map(|(marker, params)| {
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
        let mut href = v.href(true, if detail { "servers/detail" } else { "servers" }, None).to_string();
        href.push('?');
        for (i, (k, val)) in sorted.iter().enumerate() {
            if i > 0 {
                href.push('&');
            }
            push_form_encoded(&mut href, k);
            href.push('=');
            push_form_encoded(&mut href, val);
        }
        [Link { rel: "next", href }]
    });
    let capacity = if detail { 1600 * servers.len() } else { 256 * servers.len() } + 64;
    python_json(&List { servers, servers_links }, capacity)
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
    #[derive(Serialize)]
    struct Document<'a> {
        version: Version<'a>,
    }
    #[derive(Serialize)]
    struct Version<'a> {
        id: &'static str,
        status: &'static str,
        version: String,
        min_version: &'static str,
        updated: &'static str,
        links: [VersionLink; 2],
        #[serde(rename = "media-types")]
        media_types: [MediaType<'a>; 1],
    }
    #[derive(Serialize)]
    struct VersionLink {
        rel: &'static str,
        #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
        kind: Option<&'static str>,
        href: String,
    }
    #[derive(Serialize)]
    struct MediaType<'a> {
        base: &'static str,
        #[serde(rename = "type")]
        kind: &'a str,
    }
    let document = Document {
        version: Version {
            id,
            status,
            version,
            min_version: min,
            updated,
            links: [
                VersionLink { rel: "self", kind: None, href: format!("{base}{script}") },
                VersionLink {
                    rel: "describedby",
                    kind: Some("text/html"),
                    href: "http://docs.openstack.org/".to_string(),
                },
            ],
            media_types: [MediaType { base: "application/json", kind: media }],
        },
    };
    python_json(&document, 512)
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
