//! Nova's wire side: the order of checks of a request (keystonemiddleware, the router, injected faults,
//! microversion negotiation, content type, `action_peek`, the URL's project, then the operation), the
//! headers every answer carries, the JSON views of servers, lists and version documents as Nova spells them
//! (serde with Python's `json.dumps` spelling, `PythonFormatter`), the `lock` action's request schema from
//! microversion 2.73 with jsonschema's wording (`PyValue`), and the diagnosis of each answer (spec
//! §3.1–§3.5, §3.7, §5, §7).

use super::errors::{self, fault_body, keystone_401, webob_404, NovaError, FAULT_CONTENT_TYPE};
use super::models::{self, power_state_name, Fleet, LockChange, PowerAction, Refusal, Server, Token};
use super::routes::{self, Api, Route, Target};
use super::{parse_version, Backend};
use crate::exchange::{Confidence, Diagnosis};
use crate::fleet::Provider;
use crate::providers::{Ctx, Outcome};
use crate::scenario::NovaLockedBy;
use crate::wire::{WireRequest, WireResponse};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::ser::Formatter;
use serde_json::Value;
use std::io;

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

/// Server actions the simulator carries out.
pub fn is_modelled_action(name: &str) -> bool {
    matches!(name, "os-stop" | "os-start" | "lock" | "unlock")
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
            m.serialize_entry("locked", &s.is_locked())?;
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
            m.serialize_entry("locked_reason", &s.locked_reason)?;
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

// ---------------------------------------------------------------------------------------------------------
// Handling a request: the order of checks, then the operation.
// ---------------------------------------------------------------------------------------------------------

/// Answers one request (in the order of checks of the module doc).
pub fn handle(b: &mut Backend, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
    let mut env = Envelope { request_id: format!("req-{}", ctx.rng.uuid()), api: Api::V21, version: None };
    let uri = ctx.settings.nova.www_authenticate_uri.as_str();
    let path = routes::path_of(req);
    let (prefix, rest) = match routes::parse_target(path) {
        Some(Target::Servers(prefix, rest)) => (prefix, rest),
        Some(Target::Version(api)) => return version_document(req, api, env, ctx),
        None => {
            return fail(env, req, uri, NovaError::NoRoute, None, None, "the path is not one Nova serves");
        }
    };
    env.api = prefix.api;

    // 1. keystonemiddleware.
    let presented = req.header("X-Auth-Token").or_else(|| req.header("X-Storage-Token")).map(str::trim);
    let Some(token) = presented.and_then(|t| b.tokens.get(t)) else {
        let detail = match presented {
            None => "the request has no X-Auth-Token header.",
            Some("") => "the X-Auth-Token header is empty.",
            Some(_) => {
                "Keystone does not know this token (the scenario's fleet.nova.tokens lists the valid ones)."
            }
        };
        return fail(env, req, uri, NovaError::Unauthorized, None, None, detail);
    };

    // 2. The router.
    let route = routes::route(&req.method, &prefix, rest);
    let (operation, raw_id) = match route {
        Route::List => ("GET /servers", None),
        Route::Detail => ("GET /servers/detail", None),
        Route::Show(id) => ("GET /servers/{id}", Some(id)),
        Route::Action(id) => ("POST /servers/{id}/action", Some(id)),
        Route::NotModelled(label, id) => (label, id),
        Route::Unmatched => {
            let detail = no_route_detail(&req.method, prefix.project, rest);
            return fail(env, req, uri, NovaError::NoRoute, None, None, &detail);
        }
    };
    let server_id = raw_id.map(|id| routes::percent_decode(id).into_owned());
    let mut operation = operation.to_string();

    // Injected faults (a rate limiter or outage in front of the API).
    if b.throttle.over_limit(ctx.now, b.faults.throttle_per_second) {
        let retry = 1 + (999 - ctx.now.as_millis() % 1000) / 1000;
        return fail(env, req, uri, NovaError::OverLimit(retry), Some(operation), server_id, "");
    }
    if ctx.rng.chance(b.faults.unavailable_rate) {
        return fail(env, req, uri, NovaError::Unavailable, Some(operation), server_id, "");
    }

    // 3. Microversion (the legacy wrapper deletes the request headers first).
    let version = match prefix.api {
        Api::LegacyV2 => MIN_VERSION,
        Api::V21 => {
            let max = parse_version(&ctx.settings.nova.max_microversion).unwrap_or((2, 104));
            match negotiate_version(requested_version(req).as_deref(), max) {
                Ok(v) => v,
                Err(e) => return fail(env, req, uri, e, Some(operation), server_id, ""),
            }
        }
    };
    env.version = Some(version);

    // 4. Content type.
    if let Err(e) = check_content_type(req) {
        let detail = format!("this request says Content-Type: {}.", req.header("Content-Type").unwrap_or(""));
        return fail(env, req, uri, e, Some(operation), server_id, &detail);
    }

    // 5. The action body.
    let mut peeked = None;
    if let Route::Action(_) = route {
        match peek_action(&req.body) {
            Ok(p) if is_modelled_action(&p.action) || is_unmodelled_action(&p.action) => {
                operation.clone_from(&p.action);
                peeked = Some(p);
            }
            Ok(p) => {
                return fail(
                    env,
                    req,
                    uri,
                    NovaError::NoSuchAction(p.action),
                    Some(operation),
                    server_id,
                    "",
                );
            }
            Err(e) => {
                let detail = body_detail(&req.body);
                return fail(env, req, uri, e, Some(operation), server_id, &detail);
            }
        }
    }

    // 6. URL project versus token project.
    if let Some(url_project) = prefix.project {
        if url_project != token.project_id {
            let e = NovaError::ProjectMismatch {
                url: url_project.to_string(),
                context: token.project_id.clone(),
            };
            return fail(env, req, uri, e, Some(operation), server_id, "");
        }
    }

    // 7. Dispatch.
    let view = || ViewCtx {
        base: base_url(req),
        script: if prefix.api == Api::LegacyV2 { "/v2" } else { "/v2.1" },
        link_project: req.target.contains(token.project_id.as_str()).then_some(token.project_id.as_str()),
        version,
        is_admin: token.is_admin,
    };
    let bare_note = prefix.bare.then_some(
        "The path has no /v2.1 prefix; it is read as relative to the compute endpoint, which ends in /v2.1.",
    );
    match (route, server_id, peeked) {
        (Route::Action(_), Some(id), Some(p)) => {
            let action = match p.action.as_str() {
                "os-stop" => PowerAction::Stop,
                "os-start" => PowerAction::Start,
                "lock" => return b.fleet.lock(req, env, ctx, token, id, &p.value, bare_note),
                "unlock" => return b.fleet.unlock(req, env, ctx, token, id, bare_note),
                other => {
                    let what = format!("the '{other}' action");
                    let e = NovaError::NotModelled(what.clone());
                    return fail(env, req, uri, e, Some(operation), Some(id), &what);
                }
            };
            b.fleet.power_action(req, env, ctx, token, action, id, &p.value, bare_note)
        }
        (Route::Show(_), Some(id), _) => b.fleet.show(req, env, token, id, &view(), ctx),
        (Route::List, _, _) => b.fleet.list(req, env, token, false, &view(), ctx),
        (Route::Detail, _, _) => b.fleet.list(req, env, token, true, &view(), ctx),
        (Route::NotModelled(label, _), id, _) => {
            fail(env, req, uri, NovaError::NotModelled(label.to_string()), Some(operation), id, label)
        }
        (_, id, _) => fail(env, req, uri, NovaError::NoRoute, Some(operation), id, "no route"),
    }
}

impl Fleet {
    #[allow(clippy::too_many_arguments)]
    fn power_action(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        action: PowerAction,
        id: String,
        value: &serde_json::Value,
        bare_note: Option<&str>,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some(action_name(action).to_string());
        let server = match self.instance_for_action(&id, token) {
            Ok(server) => server,
            Err((e, detail)) => {
                let server = matches!(e, NovaError::NotFound(_)).then(|| id.clone());
                return fail(env, req, uri, e, op, server, &detail);
            }
        };
        if !token.can_act_on(&server.project_id) {
            let rule = match action {
                PowerAction::Stop => errors::STOP_POLICY,
                PowerAction::Start => "os_compute_api:servers:start",
            };
            let detail = format!(
                "The token has the role(s) {} in project {}; {} needs member of the server's project or admin.",
                token.roles(),
                token.project_id,
                action_name(action)
            );
            return fail(env, req, uri, NovaError::Policy(rule), op, Some(id), &detail);
        }
        if let Err(refusal) = server.check(action, token.is_admin) {
            let detail = refusal_detail(&refusal, server, action);
            let e = NovaError::Refused { action, server_id: id.clone(), refusal };
            return fail(env, req, uri, e, op, Some(id), &detail);
        }
        let timing = match action {
            PowerAction::Stop => ctx.settings.nova.powering_off,
            PowerAction::Start => ctx.settings.nova.powering_on,
        };
        let (due, seq) = ctx.schedule_in(timing, Provider::Nova, &server.id);
        let before = server.display_state();
        server.begin(action, ctx.now, models::wall_ms(ctx.now), due, seq);
        let after = server.display_state();
        ctx.event(Provider::Nova, &server.id, &before, &after, action_name(action));
        let mut notes: Vec<&str> = Vec::new();
        if server.is_locked() && token.is_admin {
            notes.push("The server is locked, but the caller is an admin, and admins bypass the lock.");
        }
        if let Some(note) = bare_note {
            notes.push(note);
        }
        let diagnosis = diagnose_accepted(action, server, value, env.api, &notes);
        let response = WireResponse::new(202).with_header("Content-Type", success_content_type(req));
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    /// `common.get_instance` for an action: the instance mapping first (404 "has no mapping to a cell"),
    /// then the row as the caller may see it (404 "could not be found"), with the diagnosis's detail.
    fn instance_for_action(&mut self, id: &str, token: &Token) -> Result<&mut Server, (NovaError, String)> {
        let Some(server) = self.by_id.get(id).copied().and_then(|i| self.servers.get_mut(i)) else {
            return Err((NovaError::NoMapping(id.to_string()), format!("{id} is not in this cloud")));
        };
        if !token.sees(server) {
            let detail = if server.deleted {
                format!(
                    "Server {id} was deleted: its mapping still exists, but the instance row is not visible."
                )
            } else {
                format!(
                    "Server {id} belongs to project {}, and a non-admin token scoped to {} only sees its own \
                     project's instances (project_only=True).",
                    server.project_id, token.project_id
                )
            };
            return Err((NovaError::NotFound(id.to_string()), detail));
        }
        Ok(server)
    }

    /// The `lock` action (spec §3.7): from microversion 2.73 the body's schema (`lock_v273`), then the
    /// lookup, the `os-lock-server:lock` policy and `compute.API.lock`.
    #[allow(clippy::too_many_arguments)]
    fn lock(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        id: String,
        value: &Value,
        bare_note: Option<&str>,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some("lock".to_string());
        let version = env.version.unwrap_or(MIN_VERSION);
        // The 2.1–2.72 schema takes any value and the legacy /v2 validates nothing: the reason is read (and
        // the value checked) only from 2.73 on /v2.1.
        let reads_reason = env.api == Api::V21 && version >= (2, 73);
        if reads_reason {
            if let Some(message) = lock_schema_error(&req.body) {
                let e = NovaError::InvalidBody(message);
                let detail = "From microversion 2.73 the lock's value must be null or an object whose only \
                              member is locked_reason, a string of 1 to 255 characters (schema lock_v273); \
                              jsonschema's first complaint is the message.";
                return fail(env, req, uri, e, op, Some(id), detail);
            }
        }
        let server = match self.instance_for_action(&id, token) {
            Ok(server) => server,
            Err((e, detail)) => {
                let server = matches!(e, NovaError::NotFound(_)).then(|| id.clone());
                return fail(env, req, uri, e, op, server, &detail);
            }
        };
        if !token.can_act_on(&server.project_id) {
            let detail = format!(
                "The token has the role(s) {} in project {}; lock needs member of the server's project or admin.",
                token.roles(),
                token.project_id
            );
            return fail(env, req, uri, NovaError::Policy(errors::LOCK_POLICY), op, Some(id), &detail);
        }
        let given = value.get("locked_reason").and_then(Value::as_str);
        let reason = given.filter(|_| reads_reason);
        let before_reason = server.locked_reason.clone();
        let change = server.lock(&token.project_id, reason, models::wall_ms(ctx.now));
        if let LockChange::Locked { before, by } = change {
            if before != Some(by) {
                ctx.event(Provider::Nova, &server.id, lock_state(before), lock_state(Some(by)), "lock");
            }
        }
        let mut why = match change {
            LockChange::Unchanged => format!(
                "202 Accepted, empty body, and nothing changed: the server is already locked (locked_by {}), \
                 and compute.API.lock returns at once when the caller is in the server's project{}.",
                server.locked_by.map_or("none", NovaLockedBy::as_str),
                if reason.is_some() { "; the reason given is not stored either" } else { "" }
            ),
            LockChange::Locked { before, by } => {
                let whose = match by {
                    NovaLockedBy::Owner => format!(
                        "the caller's project {} is the server's, so Nova records locked_by owner{}",
                        token.project_id,
                        if token.is_admin { " (even for an admin: it is the project that counts)" } else { "" }
                    ),
                    NovaLockedBy::Admin => format!(
                        "the caller (project {}) is outside the server's project {}, so Nova records locked_by \
                         admin, and the server's own members will need unlock_override to lift it",
                        token.project_id, server.project_id
                    ),
                };
                let again = match before {
                    Some(b) => {
                        format!(" It was already locked by {}; the lock is now the caller's.", b.as_str())
                    }
                    None => String::new(),
                };
                format!(
                    "202 Accepted, empty body: the server is locked, and until it is unlocked only admins may stop \
                     or start it; {whose}.{again}"
                )
            }
        };
        match (given, reads_reason, change) {
            (Some(r), true, LockChange::Locked { .. }) => {
                why.push_str(&format!(" The reason {r:?} shows as locked_reason from microversion 2.73."))
            }
            (None, true, LockChange::Locked { .. }) if before_reason.is_some() => {
                why.push_str(" No reason was given, so the earlier locked_reason stays.")
            }
            (Some(_), false, _) => why.push_str(&format!(
                " The body names a locked_reason, but this request is at microversion {}.{}{}: Nova reads the \
                 reason only from 2.73, so it locks the server and drops the reason (locked_reason stays {}).",
                version.0,
                version.1,
                if env.api == Api::LegacyV2 { " (the legacy /v2 endpoint)" } else { "" },
                server.locked_reason.as_deref().map_or("null".to_string(), |r| format!("{r:?}"))
            )),
            _ => {}
        }
        if let Some(note) = bare_note {
            why.push(' ');
            why.push_str(note);
        }
        let diagnosis = Diagnosis::new(
            why,
            "stop-apis.md §3.7 (lock; nova lock_server.py, compute/api.py lock)",
            Confidence::Primary,
        )
        .with_doc_note(
            "Who counts as the owner is decided by the caller's project: an admin scoped to the server's own \
             project locks as owner, an admin of another project as admin (compute.API.lock).",
        );
        let response = WireResponse::new(202).with_header("Content-Type", success_content_type(req));
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    /// The `unlock` action (spec §3.7): the lookup, the `os-lock-server:unlock` policy, then
    /// `unlock_override` when the caller is not the kind that locked it, and `compute.API.unlock`.
    #[allow(clippy::too_many_arguments)]
    fn unlock(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        id: String,
        bare_note: Option<&str>,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some("unlock".to_string());
        let server = match self.instance_for_action(&id, token) {
            Ok(server) => server,
            Err((e, detail)) => {
                let server = matches!(e, NovaError::NotFound(_)).then(|| id.clone());
                return fail(env, req, uri, e, op, server, &detail);
            }
        };
        if !token.can_act_on(&server.project_id) {
            let detail = format!(
                "The token has the role(s) {} in project {}; unlock needs member of the server's project or \
                 admin.",
                token.roles(),
                token.project_id
            );
            return fail(env, req, uri, NovaError::Policy(errors::UNLOCK_POLICY), op, Some(id), &detail);
        }
        let overridden = !server.is_expected_locked_by(&token.project_id);
        if overridden && !token.is_admin {
            let detail = format!(
                "The server is locked by {}, and the caller (project {}, {}) is not that kind of locker, so \
                 unlocking it also needs unlock_override, which is for admins. (The unlock policy itself \
                 passed.)",
                server.locked_by.map_or("none", NovaLockedBy::as_str),
                token.project_id,
                token.roles()
            );
            let e = NovaError::Policy(errors::UNLOCK_OVERRIDE_POLICY);
            return fail(env, req, uri, e, op, Some(id), &detail);
        }
        let before = server.unlock(models::wall_ms(ctx.now));
        if before.is_some() {
            ctx.event(Provider::Nova, &server.id, lock_state(before), lock_state(None), "unlock");
        }
        let mut why = match before {
            None => "202 Accepted, empty body: the server was not locked, and unlocking never fails on state \
                     (tempest's cleanup relies on it)."
                .to_string(),
            Some(by) if overridden => format!(
                "202 Accepted, empty body: the lock was set by {} and the caller is an admin of another kind, so \
                 unlock_override was checked and passed; the server is unlocked and its locked_reason cleared.",
                by.as_str()
            ),
            Some(by) => format!(
                "202 Accepted, empty body: the lock was set by {} — the caller's own kind — so no override was \
                 needed; the server is unlocked and its locked_reason cleared.",
                by.as_str()
            ),
        };
        if let Some(note) = bare_note {
            why.push(' ');
            why.push_str(note);
        }
        let diagnosis = Diagnosis::new(
            why,
            "stop-apis.md §3.7 (unlock, unlock_override; nova lock_server.py, compute/api.py unlock)",
            Confidence::Primary,
        );
        let response = WireResponse::new(202).with_header("Content-Type", success_content_type(req));
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    fn show(
        &self,
        req: &WireRequest,
        env: Envelope,
        token: &Token,
        id: String,
        view: &ViewCtx,
        ctx: &Ctx,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some("GET /servers/{id}".to_string());
        let found = self.by_id.get(id.as_str()).and_then(|&i| self.servers.get(i));
        let server = match found {
            Some(s) if token.sees(s) => s,
            other => {
                let detail = match other {
                    None => format!(
                        "Server {id} does not exist; GET goes through compute.API.get(), which answers \
                                     InstanceNotFound whether or not a mapping exists."
                    ),
                    Some(s) if s.deleted => format!("Server {id} was deleted."),
                    Some(s) => format!(
                        "Server {id} belongs to project {}, which a non-admin token scoped to {} cannot see.",
                        s.project_id, token.project_id
                    ),
                };
                return fail(env, req, uri, NovaError::NotFound(id), op, None, &detail);
            }
        };
        if !token.can_read(&server.project_id) {
            let detail = format!("The token has {} in project {}.", token.roles(), token.project_id);
            return fail(
                env,
                req,
                uri,
                NovaError::Policy("os_compute_api:servers:show"),
                op,
                Some(id),
                &detail,
            );
        }
        let body = show_body(server, view);
        let why = format!(
            "200 with the server as ViewBuilder.show builds it at microversion {}.{}: status {} (vm_state {}, \
             task_state {}, power_state {} ({})).{}",
            view.version.0,
            view.version.1,
            server.status(),
            server.vm_state.as_str(),
            server.task_state.as_deref().unwrap_or("None"),
            server.power_state,
            power_state_name(server.power_state),
            if token.is_admin { " Admins also see the OS-EXT-SRV-ATTR fields (host …)." } else { "" }
        );
        let diagnosis =
            Diagnosis::new(why, "stop-apis.md §3.4 (fields of GET /servers/{id})", Confidence::Derived)
                .with_doc_note(
                "Clients poll this until OS-EXT-STS:task_state is null again (api-guide, Server Actions).",
            );
        let response =
            WireResponse::new(200).with_header("Content-Type", success_content_type(req)).with_body(body);
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    fn list(
        &self,
        req: &WireRequest,
        env: Envelope,
        token: &Token,
        detail: bool,
        view: &ViewCtx,
        ctx: &Ctx,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some(if detail { "GET /servers/detail" } else { "GET /servers" }.to_string());
        let kind = if detail { "detail" } else { "index" };
        if !token.reader && !token.is_admin {
            let rule = if detail { "os_compute_api:servers:detail" } else { "os_compute_api:servers:index" };
            let d = format!("The token has {} in project {}.", token.roles(), token.project_id);
            return fail(env, req, uri, NovaError::Policy(rule), op, None, &d);
        }
        let query = req.target.split_once('?').map(|(_, q)| q.split('#').next().unwrap_or("")).unwrap_or("");
        let params: Vec<(String, String)> =
            routes::query_pairs(query).into_iter().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let param = |name: &str| params.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let all_tenants = match param("all_tenants") {
            None => false,
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "" | "1" | "t" | "true" | "on" | "y" | "yes" => true,
                "0" | "f" | "false" | "off" | "n" | "no" => false,
                _ => {
                    let msg = format!(
                        "Invalid input received: Unrecognized value '{v}', acceptable values are: '0', '1', 'f', \
                         'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'"
                    );
                    return fail(env, req, uri, NovaError::BadQuery(msg.clone()), op, None, &msg);
                }
            },
        };
        if all_tenants && !token.is_admin {
            let rule = if detail {
                "os_compute_api:servers:detail:get_all_tenants"
            } else {
                "os_compute_api:servers:index:get_all_tenants"
            };
            let d = "Listing all projects' servers (all_tenants) is for admins.".to_string();
            return fail(env, req, uri, NovaError::Policy(rule), op, None, &d);
        }
        let limit_asked = match param("limit") {
            None => None,
            Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                Some(v.parse::<usize>().unwrap_or(usize::MAX))
            }
            Some(v) => {
                let msg = if v.is_empty() {
                    "Invalid input for query parameters limit. Value: . '' is too short".to_string()
                } else {
                    format!("Invalid input for query parameters limit. Value: {v}. '{v}' does not match '^[0-9]*$'")
                };
                return fail(env, req, uri, NovaError::BadQuery(msg.clone()), op, None, &msg);
            }
        };
        let limit = limit_asked.unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
        // Newest first: created_at desc, then id desc (the fleet is created in order).
        let visible = || {
            self.servers
                .iter()
                .rev()
                .filter(|s| !s.deleted && (all_tenants || s.project_id == token.project_id))
        };
        let skip = match param("marker") {
            None => 0,
            Some(marker) => match visible().position(|s| s.id == marker) {
                Some(pos) => pos + 1,
                None => {
                    let e = NovaError::MarkerNotFound(marker.to_string());
                    return fail(env, req, uri, e, op, None, "");
                }
            },
        };
        let page: Vec<&Server> = visible().skip(skip).take(limit).collect();
        let next = match (limit_asked, page.last()) {
            (Some(asked), Some(last)) if asked > 0 && asked == page.len() => Some(last.id.as_str()),
            _ => None,
        };
        let body = list_body(page.iter().copied(), view, detail, next.map(|m| (m, params.as_slice())));
        let scope = if all_tenants {
            "every project (all_tenants, admin)".to_string()
        } else {
            format!("project {}", token.project_id)
        };
        let why = format!(
            "200 with {} server(s) of {scope}, newest first ({kind} view{}).",
            page.len(),
            if next.is_some() { "; servers_links points at the next page" } else { "" }
        );
        let diagnosis = Diagnosis::new(
            why,
            "stop-apis.md §3.4 (listing; nova servers.py _get_servers)",
            Confidence::Derived,
        );
        let response =
            WireResponse::new(200).with_header("Content-Type", success_content_type(req)).with_body(body);
        Outcome { response: env.finish(response), operation: op, server: None, diagnosis }
    }
}

fn version_document(req: &WireRequest, api: Api, mut env: Envelope, ctx: &Ctx) -> Outcome {
    let uri = ctx.settings.nova.www_authenticate_uri.as_str();
    env.api = api;
    let max = parse_version(&ctx.settings.nova.max_microversion).unwrap_or((2, 104));
    let op = Some(format!("{} (version document)", if api == Api::V21 { "GET /v2.1" } else { "GET /v2" }));
    let version = match api {
        Api::LegacyV2 => MIN_VERSION,
        Api::V21 => match negotiate_version(requested_version(req).as_deref(), max) {
            Ok(v) => v,
            Err(e) => return fail(env, req, uri, e, op, None, ""),
        },
    };
    env.version = Some(version);
    let body = version_body(api, &base_url(req), max);
    let diagnosis = Diagnosis::new(
        "The version document needs no token (its paste pipeline has no authtoken); it names the \
         microversion range this cloud serves.",
        "stop-apis.md §3.1 (microversions); nova compute/versions.py",
        Confidence::Derived,
    )
    .with_setting("settings.nova.max_microversion");
    let response = WireResponse::new(200).with_header("Content-Type", "application/json").with_body(body);
    Outcome { response: env.finish(response), operation: op, server: None, diagnosis }
}

/// A server's lock as the timeline shows it.
fn lock_state(by: Option<NovaLockedBy>) -> &'static str {
    match by {
        None => "unlocked",
        Some(NovaLockedBy::Owner) => "locked by owner",
        Some(NovaLockedBy::Admin) => "locked by admin",
    }
}

fn action_name(action: PowerAction) -> &'static str {
    match action {
        PowerAction::Stop => "os-stop",
        PowerAction::Start => "os-start",
    }
}

fn fail(
    env: Envelope,
    req: &WireRequest,
    www_authenticate_uri: &str,
    error: NovaError,
    operation: Option<String>,
    server: Option<String>,
    detail: &str,
) -> Outcome {
    let response = env.error(&error, req, www_authenticate_uri);
    let detail = if detail.is_empty() { error.message() } else { detail.to_string() };
    let diagnosis = diagnose_error(&error, &detail, req.header("Accept"));
    Outcome { response, operation, server, diagnosis }
}

fn no_route_detail(method: &str, project: Option<&str>, rest: &str) -> String {
    if let Some(p) = project.filter(|p| !routes::is_project_token(p)) {
        return format!("the project segment '{p}' does not match [0-9a-f-]+, so neither route form matches");
    }
    if rest.ends_with("/action") {
        return format!("{method} {rest}: actions are POST only");
    }
    format!("{method} {rest}")
}

fn body_detail(body: &str) -> String {
    let t = body.trim();
    if t.is_empty() {
        return "the body is empty.".to_string();
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Err(_) if matches!(t, "NaN" | "Infinity" | "-Infinity") => {
            format!("the body {t} (a number to Python)")
        }
        Err(_) => "the body is not JSON (\"cannot understand JSON\").".to_string(),
        Ok(serde_json::Value::Object(m)) if m.is_empty() => "the body {} has no key.".to_string(),
        Ok(serde_json::Value::Object(m)) => {
            format!("the body has {} top-level keys (\"too many body keys\").", m.len())
        }
        Ok(serde_json::Value::Array(a)) if a.len() == 1 => "the body, a one-element array,".to_string(),
        Ok(serde_json::Value::Array(a)) => {
            format!("the body is an array of {} items, not one key.", a.len())
        }
        Ok(serde_json::Value::String(s)) if s.chars().count() == 1 => {
            "the body, a one-character string,".to_string()
        }
        Ok(serde_json::Value::String(_)) => {
            "the body is a JSON string, not an object with one key.".to_string()
        }
        Ok(serde_json::Value::Null) => "the body null".to_string(),
        Ok(serde_json::Value::Bool(_)) => "the body, a boolean,".to_string(),
        Ok(serde_json::Value::Number(_)) => "the body, a number,".to_string(),
    }
}

fn refusal_detail(refusal: &models::Refusal, s: &Server, action: PowerAction) -> String {
    let name = action_name(action);
    match refusal {
        Refusal::Locked => format!(
            "Server {} is locked and the caller is not an admin; check_instance_lock runs before every other \
             state check.",
            s.id
        ),
        Refusal::NotReady => format!(
            "Server {} has no compute host ({}), so check_instance_host refuses before vm_state is looked at.",
            s.id,
            state_summary(s)
        ),
        Refusal::VmState(vm) => match action {
            PowerAction::Stop => format!(
                "{name} is allowed only from vm_state active or error; server {} is {} ({}).",
                s.id,
                vm.as_str(),
                s.status()
            ),
            PowerAction::Start => format!(
                "{name} is allowed only from vm_state stopped; server {} is {} ({}).",
                s.id,
                vm.as_str(),
                s.status()
            ),
        },
        Refusal::TaskState(task) => format!(
            "Server {} is busy with task_state {task}; a new {name} waits until it returns to null.",
            s.id
        ),
        Refusal::NeverLaunched => format!("Server {} was never launched (launched_at is None).", s.id),
    }
}

// ---------------------------------------------------------------------------------------------------------
// The lock action's request schema from 2.73, as nova's validator and jsonschema word its complaints.
// ---------------------------------------------------------------------------------------------------------

/// A JSON value as Python's `json` module holds it, for messages that print it: an object keeps its
/// members in the body's order (a repeated key keeps its first place and takes its last value), where
/// `serde_json::Value` would sort them. Integers beyond 64 bits arrive as floats (Python would keep them
/// exact), the one place its printing can differ from Python's.
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None` (JSON null).
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An `int`.
    Int(i128),
    /// A `float`.
    Float(f64),
    /// A `str`.
    Str(String),
    /// A `list`.
    List(Vec<PyValue>),
    /// A `dict`, in insertion order.
    Dict(Vec<(String, PyValue)>),
}

impl<'de> Deserialize<'de> for PyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PyVisitor;
        impl<'de> Visitor<'de> for PyVisitor {
            type Value = PyValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<PyValue, E> {
                Ok(PyValue::None)
            }
            fn visit_bool<E>(self, v: bool) -> Result<PyValue, E> {
                Ok(PyValue::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<PyValue, E> {
                Ok(PyValue::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<PyValue, E> {
                Ok(PyValue::Int(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<PyValue, E> {
                Ok(PyValue::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<PyValue, E> {
                Ok(PyValue::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<PyValue, E> {
                Ok(PyValue::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PyValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(PyValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PyValue, A::Error> {
                let mut members: Vec<(String, PyValue)> = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, PyValue>()? {
                    match members.iter_mut().find(|(k, _)| *k == key) {
                        Some(member) => member.1 = value,
                        None => members.push((key, value)),
                    }
                }
                Ok(PyValue::Dict(members))
            }
        }
        deserializer.deserialize_any(PyVisitor)
    }
}

impl PyValue {
    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        match self {
            PyValue::Str(s) => python_str_repr(s),
            other => other.str(),
        }
    }

    /// Python's `str()` (what `%s` prints).
    pub fn str(&self) -> String {
        match self {
            PyValue::None => "None".to_string(),
            PyValue::Bool(true) => "True".to_string(),
            PyValue::Bool(false) => "False".to_string(),
            PyValue::Int(i) => i.to_string(),
            PyValue::Float(f) => python_float_repr(*f),
            PyValue::Str(s) => s.clone(),
            PyValue::List(items) => {
                let inner: Vec<String> = items.iter().map(PyValue::repr).collect();
                format!("[{}]", inner.join(", "))
            }
            PyValue::Dict(members) => {
                let inner: Vec<String> =
                    members.iter().map(|(k, v)| format!("{}: {}", python_str_repr(k), v.repr())).collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

/// Python's `repr()` of a `str`: single quotes unless the text has a `'` and no `"`; backslash escapes for
/// the quote, `\\`, `\t`, `\n`, `\r`, and `\xNN` / `\uNNNN` / `\UNNNNNNNN` for characters Python does not
/// print (control characters, and the separators and format characters listed in [`is_unprintable`]).
pub fn python_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_unprintable(c) => {
                let n = u32::from(c);
                if n < 0x100 {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n < 0x10000 {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Characters `str.isprintable()` refuses, as far as they can be told without Unicode's tables: control
/// characters, the space separators other than U+0020, the line and paragraph separators, the common
/// format characters, surrogates and private use. (Unassigned code points, which Python also escapes, are
/// printed as they are.)
fn is_unprintable(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || matches!(n, 0xa0 | 0xad | 0x1680 | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064)
        || matches!(n, 0x2066..=0x206f | 0x3000 | 0xfeff | 0xfff9..=0xfffb | 0x600..=0x605 | 0x61c | 0x6dd)
        || matches!(n, 0x70f | 0x180e | 0xe000..=0xf8ff | 0xe0001 | 0xe0020..=0xe007f | 0xf0000..)
}

/// Python's `repr()` of a float: the shortest digits that read back, in positional notation when the
/// decimal point falls within 16 digits of them (`0.0001`, `1e+16` and `1e-05` otherwise), always with a
/// fractional part or an exponent (`1.0`).
pub fn python_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    // Rust's `{:e}` gives the same shortest digits: `1.2345e3`, `-5e-7`, `0e0`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let decpt = exp + 1;
    let n = digits.len() as i32;
    let body = if (-4 < decpt) && (decpt <= 16) {
        if decpt <= 0 {
            format!("0.{}{digits}", "0".repeat((-decpt) as usize))
        } else if decpt >= n {
            format!("{digits}{}.0", "0".repeat((decpt - n) as usize))
        } else {
            format!("{}.{}", &digits[..decpt as usize], &digits[decpt as usize..])
        }
    } else {
        let rest = if n > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let e = decpt - 1;
        format!("{}{rest}e{}{:02}", &digits[..1], if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

/// The first complaint nova's validator has about a `lock` body under schema `lock_v273` (microversion
/// 2.73 and later), worded as nova words it: `Invalid input for field/attribute <name>. Value: <str()>.
/// <jsonschema's message>`. `None` when the body passes. jsonschema walks the schema's keywords in order
/// (`type`, then `properties`, then `additionalProperties`), so a bad `locked_reason` is reported before an
/// unexpected member, and unexpected members are listed sorted.
pub fn lock_schema_error(body: &str) -> Option<String> {
    let PyValue::Dict(top) = serde_json::from_str::<PyValue>(body).ok()? else { return None };
    let (_, lock) = top.iter().find(|(k, _)| k == "lock")?;
    let invalid = |field: &str, value: &PyValue, message: String| {
        format!("Invalid input for field/attribute {field}. Value: {}. {message}", value.str())
    };
    let members = match lock {
        PyValue::None => return None,
        PyValue::Dict(members) => members,
        other => {
            return Some(invalid("lock", other, format!("{} is not of type 'object', 'null'", other.repr())))
        }
    };
    if let Some((_, reason)) = members.iter().find(|(k, _)| k == "locked_reason") {
        match reason {
            PyValue::Str(text) if text.is_empty() => {
                return Some(invalid(
                    "locked_reason",
                    reason,
                    format!("{} should be non-empty", reason.repr()),
                ))
            }
            PyValue::Str(text) if text.chars().count() > 255 => {
                return Some(invalid("locked_reason", reason, format!("{} is too long", reason.repr())))
            }
            PyValue::Str(_) => {}
            other => {
                return Some(invalid(
                    "locked_reason",
                    other,
                    format!("{} is not of type 'string'", other.repr()),
                ))
            }
        }
    }
    let mut extras: Vec<&str> =
        members.iter().map(|(k, _)| k.as_str()).filter(|k| *k != "locked_reason").collect();
    if extras.is_empty() {
        return None;
    }
    extras.sort_unstable();
    let names: Vec<String> = extras.iter().map(|k| python_str_repr(k)).collect();
    let verb = if extras.len() == 1 { "was" } else { "were" };
    let message = format!("Additional properties are not allowed ({} {verb} unexpected)", names.join(", "));
    Some(invalid("lock", lock, message))
}

// ---------------------------------------------------------------------------------------------------------
// Spelling: JSON as Python writes it, URLs as Python encodes them, the Accept header, timestamps.
// ---------------------------------------------------------------------------------------------------------

/// serde_json's output spelled as Python's `json.dumps` (default arguments) spells it, which is what Nova
/// (through oslo.serialization) puts on the wire: `", "` between members and elements, `": "` after a
/// key, and `ensure_ascii`: every character outside printable ASCII escaped as `\uXXXX` (lowercase hex,
/// a surrogate pair above U+FFFF), DEL included. The escapes serde_json itself writes (`\"`, `\\`,
/// `\n` … and `\u00XX` for other control characters) are the ones Python writes too.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if first {
            Ok(())
        } else {
            writer.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        // Printable ASCII goes out as it is; the first byte outside it starts a character to escape.
        while let Some(at) = rest.bytes().position(|b| !(b' '..=b'~').contains(&b)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{fffd}');
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

/// `value` as JSON text the way Nova writes it ([`PythonFormatter`]), into a buffer of `capacity` bytes.
pub fn python_json(value: &impl Serialize, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Nova's shapes hold strings, numbers and lists only: writing them cannot fail, and the text is ASCII.
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// What Python's `urllib.parse.quote_plus` leaves as it is: letters, digits and `_.-~` (a space becomes `+`).
const QUOTE_PLUS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-').remove(b'~');

/// Appends `text` percent-encoded as Python's `urllib.parse.urlencode` does (`quote_plus`).
pub fn push_form_encoded(out: &mut String, text: &str) {
    for (i, words) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(words, QUOTE_PLUS));
    }
}

/// One media range of an `Accept` header: type, subtype, quality.
pub type AcceptRange<'a> = (&'a str, &'a str, f64);

/// Parses an `Accept` header as webob does; `None` when it is not valid (webob then accepts every offer).
/// Ranges with media-type parameters (before `q`) and `*/x` ranges are kept out: they match no
/// parameterless offer.
pub fn parse_accept(accept: &str) -> Option<Vec<AcceptRange<'_>>> {
    let mut ranges = Vec::new();
    for item in accept.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim();
        let (ty, sub) = media.split_once('/')?;
        if ty.is_empty() || sub.is_empty() {
            return None;
        }
        let mut q = 1.0;
        let mut media_params = false;
        let mut seen_q = false;
        for param in parts {
            let (name, value) = param.split_once('=')?;
            if name.trim().eq_ignore_ascii_case("q") && !seen_q {
                seen_q = true;
                match value.trim().parse::<f64>() {
                    Ok(v) if (0.0..=1.0).contains(&v) => q = v,
                    _ => return None,
                }
            } else if !seen_q {
                media_params = true;
            }
        }
        if !media_params && (ty != "*" || sub == "*") {
            ranges.push((ty, sub, q));
        }
    }
    Some(ranges)
}

/// The quality the most specific matching range gives the offer `ty/sub` (0 when none matches).
pub fn accept_quality(ranges: &[AcceptRange<'_>], ty: &str, sub: &str) -> f64 {
    let mut best: Option<(u8, f64)> = None;
    for &(rty, rsub, q) in ranges {
        let specificity = if rty.eq_ignore_ascii_case(ty) && rsub.eq_ignore_ascii_case(sub) {
            3
        } else if rty.eq_ignore_ascii_case(ty) && rsub == "*" {
            2
        } else if rty == "*" && rsub == "*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

fn split_epoch(epoch_ms: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let secs = epoch_ms.div_euclid(1000);
    let ms = epoch_ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    (y, mo, d, rem / 3600, (rem / 60) % 60, rem % 60, ms)
}

/// Nova's `utils.isotime`: `2026-01-05T09:00:00Z` (whole seconds, UTC).
#[cfg(test)]
pub fn isotime(epoch_ms: i64) -> String {
    let mut out = String::with_capacity(20);
    push_isotime(&mut out, epoch_ms);
    out
}

/// Appends [`isotime`] to `out`.
pub fn push_isotime(out: &mut String, epoch_ms: i64) {
    let (y, mo, d, h, mi, s, _) = split_epoch(epoch_ms);
    push_date_time(out, y, mo, d, h, mi, s);
    out.push('Z');
}

/// A naive datetime as oslo's JSON encoder prints it (`OS-SRV-USG:launched_at`):
/// `2026-01-05T09:00:00.000000`.
#[cfg(test)]
pub fn naive_micro(epoch_ms: i64) -> String {
    let mut out = String::with_capacity(26);
    push_naive_micro(&mut out, epoch_ms);
    out
}

/// Appends [`naive_micro`] to `out`.
pub fn push_naive_micro(out: &mut String, epoch_ms: i64) {
    let (y, mo, d, h, mi, s, ms) = split_epoch(epoch_ms);
    push_date_time(out, y, mo, d, h, mi, s);
    out.push('.');
    push_digits(out, ms, 3);
    out.push_str("000");
}

fn push_date_time(out: &mut String, y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) {
    push_digits(out, y, 4);
    out.push('-');
    push_digits(out, mo, 2);
    out.push('-');
    push_digits(out, d, 2);
    out.push('T');
    push_digits(out, h, 2);
    out.push(':');
    push_digits(out, mi, 2);
    out.push(':');
    push_digits(out, s, 2);
}

/// Appends `value` zero-padded to `width` digits (more digits when it is larger; a sign when negative).
fn push_digits(out: &mut String, value: i64, width: usize) {
    if value < 0 {
        out.push('-');
    }
    let mut v = value.unsigned_abs();
    let mut buf = [b'0'; 20];
    let mut n = 0;
    while v > 0 || n < width {
        if let Some(slot) = buf.get_mut(19 - n) {
            *slot = b'0' + (v % 10) as u8;
        }
        v /= 10;
        n += 1;
        if n >= 20 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(buf.get(20 - n..).unwrap_or(&[])).unwrap_or(""));
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

    #[test]
    fn json_matches_python_dumps() {
        let value = serde_json::json!({"a": 1, "b": ["x", null, {}], "c": "é\"\\\n\u{1}\t\u{7f}😀 ~"});
        // json.dumps({"a": 1, "b": ["x", None, {}], "c": "é\"\\\n\x01\t\x7f😀 ~"})
        assert_eq!(
            python_json(&value, 0),
            r#"{"a": 1, "b": ["x", null, {}], "c": "\u00e9\"\\\n\u0001\t\u007f\ud83d\ude00 ~"}"#
        );
    }

    #[test]
    fn links_encode_their_query_as_python_does() {
        let mut e = String::new();
        push_form_encoded(&mut e, "a b/c~d é%20");
        // urllib.parse.quote_plus("a b/c~d é%20")
        assert_eq!(e, "a+b%2Fc~d+%C3%A9%2520");
    }

    /// What CPython prints for the same values (`repr(1e16)`, `str({'b': 1, 'a': True})` …).
    #[test]
    fn values_print_as_python_prints_them() {
        let cases = [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-0.0, "-0.0"),
            (0.0001, "0.0001"),
            (1e-5, "1e-05"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (123456789.123, "123456789.123"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (2.5e-300, "2.5e-300"),
        ];
        for (f, python) in cases {
            assert_eq!(python_float_repr(f), python, "{f:?}");
        }
        assert_eq!(python_str_repr("plain"), "'plain'");
        assert_eq!(python_str_repr("it's"), "\"it's\"");
        assert_eq!(python_str_repr("'\""), "'\\'\"'");
        assert_eq!(python_str_repr("a\\b\tc\u{7}\u{a0}é\u{1f600}"), "'a\\\\b\\tc\\x07\\xa0é\u{1f600}'");
        let v: PyValue = serde_json::from_str(r#"{"b": 1, "a": true, "b": [null, 2.50, "x"]}"#).unwrap();
        assert_eq!(v.str(), "{'b': [None, 2.5, 'x'], 'a': True}");
    }

    /// Nova's answers to lock bodies under `lock_v273`, as its validator words them.
    #[test]
    fn lock_schema_complaints() {
        let cases = [
            (r#"{"lock": null}"#, None),
            (r#"{"lock": {}}"#, None),
            (r#"{"lock": {"locked_reason": "I don't want to work"}}"#, None),
            (
                r#"{"lock": "x"}"#,
                Some("Invalid input for field/attribute lock. Value: x. 'x' is not of type 'object', 'null'"),
            ),
            (
                r#"{"lock": [1, 2.5]}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: [1, 2.5]. [1, 2.5] is not of type 'object', \
                     'null'",
                ),
            ),
            (
                r#"{"lock": {"locked_reason": ""}}"#,
                Some("Invalid input for field/attribute locked_reason. Value: . '' should be non-empty"),
            ),
            (
                r#"{"lock": {"locked_reason": 5, "zzz": 1}}"#,
                Some("Invalid input for field/attribute locked_reason. Value: 5. 5 is not of type 'string'"),
            ),
            (
                r#"{"lock": {"b": 1, "a": true}}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: {'b': 1, 'a': True}. Additional properties \
                     are not allowed ('a', 'b' were unexpected)",
                ),
            ),
            (
                r#"{"lock": {"reason": "x"}}"#,
                Some(
                    "Invalid input for field/attribute lock. Value: {'reason': 'x'}. Additional properties are \
                     not allowed ('reason' was unexpected)",
                ),
            ),
        ];
        for (body, want) in cases {
            assert_eq!(lock_schema_error(body).as_deref(), want, "{body}");
        }
        let long = "é".repeat(256);
        let message = lock_schema_error(&format!(r#"{{"lock": {{"locked_reason": "{long}"}}}}"#));
        assert_eq!(
            message,
            Some(format!(
                "Invalid input for field/attribute locked_reason. Value: {long}. '{long}' is too long"
            ))
        );
        assert_eq!(
            lock_schema_error(&format!(r#"{{"lock": {{"locked_reason": "{}"}}}}"#, "é".repeat(255))),
            None
        );
    }

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(days_from_civil(2026, 1, 5)), (2026, 1, 5));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        let base = days_from_civil(2026, 1, 5) * 86_400_000 + 9 * 3_600_000;
        assert_eq!(isotime(base), "2026-01-05T09:00:00Z");
        assert_eq!(isotime(base - 600_000), "2026-01-05T08:50:00Z");
        assert_eq!(naive_micro(base + 1_250), "2026-01-05T09:00:01.250000");
        assert_eq!(isotime(days_from_civil(10_000, 1, 1) * 86_400_000), "10000-01-01T00:00:00Z");
        let mut out = String::new();
        push_digits(&mut out, -7, 2);
        assert_eq!(out, "-07");
    }
}
