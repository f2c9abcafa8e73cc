//! The JSON views as Nova's view builders write them: a server (`ViewBuilder.show`, its members by
//! microversion and the caller's role), the `GET /servers` and `/servers/detail` lists with their paging
//! links, and the version documents of `/v2.1` and `/v2` (spec §3.2, §3.4). Serde shapes written with
//! Python's spelling (`spelling.rs`).

use super::super::models::Server;
use super::super::routes::Api;
use super::spelling::{push_form_encoded, push_isotime, push_naive_micro, python_json};
use crate::wire::WireRequest;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The image every simulated server was booted from (the api-ref samples' image).
pub const IMAGE_ID: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
/// Host used in links when the request names none.
pub const DEFAULT_HOST: &str = "nova.example.com:8774";

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
