//! The operations the composer offers, per provider, and the two-way mapping between a form (parameter
//! name → text) and a [`WireRequest`].
//!
//! Building starts from the current raw request when there is one, so a header or member the user added by
//! hand survives a form edit; extracting reads the form back from any raw request the simulator would route
//! to the same provider.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::ser::Formatter;
use serde_json::Value;
use sim::provider_info::{Api, AwsService, NovaService};
use sim::providers::route;
use sim::{Provider, WireRequest};
use std::collections::BTreeMap;
use std::io;

/// Form values by parameter name. Booleans use `""` (omitted), `"false"` and `"true"`; any other value of a
/// boolean field is JSON text taken from the raw request (a string such as `"\"true\""`), sent as written.
pub type Fields = BTreeMap<String, String>;

/// How a field is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A JSON boolean that may be omitted (or, taken from the raw request, another JSON value kept as written).
    Bool,
}

/// Where a field travels in the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A member of the JSON body.
    Body,
    /// A segment of the URL path.
    Path,
    /// A header.
    Header,
}

/// One parameter of an operation, named as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldDef {
    /// The API's own parameter name (`ServerId`, `instanceName`, `X-Auth-Token` …).
    pub name: &'static str,
    /// How it is edited.
    pub kind: FieldKind,
    /// Where it goes.
    pub place: Place,
    /// Whether the API requires it.
    pub required: bool,
    /// Example value shown as a placeholder.
    pub placeholder: &'static str,
    /// One line of help in the API's terms.
    pub help: &'static str,
}

/// One operation of one provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpDef {
    /// The provider.
    pub provider: Provider,
    /// The operation name as the API spells it (`StopServer`, `os-stop`, `GET server`).
    pub name: &'static str,
    /// What it does, in one sentence.
    pub summary: &'static str,
    /// Its parameters, in display order.
    pub fields: &'static [FieldDef],
}

const SERVER_ID: FieldDef = FieldDef {
    name: "ServerId",
    kind: FieldKind::Text,
    place: Place::Body,
    required: true,
    placeholder: "s-01234567890abcdef",
    help: "Required. Exactly 19 characters: s- followed by 17 lowercase hex digits.",
};
const INSTANCE_NAME: FieldDef = FieldDef {
    name: "instanceName",
    kind: FieldKind::Text,
    place: Place::Body,
    required: true,
    placeholder: "WordPress-1",
    help: "Required. Pattern \\w[\\w\\-]*\\w: letters, digits, _ and inner hyphens.",
};
const FORCE: FieldDef = FieldDef {
    name: "force",
    kind: FieldKind::Bool,
    place: Place::Body,
    required: false,
    placeholder: "",
    help: "Optional boolean. Forces an instance stuck in stopping to stop.",
};
const OPERATION_ID: FieldDef = FieldDef {
    name: "operationId",
    kind: FieldKind::Text,
    place: Place::Body,
    required: true,
    placeholder: "265357e2-2943-4d51-888a-1EXAMPLE7585",
    help: "Required. The id of an operation returned by StopInstance or StartInstance.",
};
const NOVA_SERVER_ID: FieldDef = FieldDef {
    name: "server_id",
    kind: FieldKind::Text,
    place: Place::Path,
    required: true,
    placeholder: "0199340e-0f3e-4612-96be-6f1861b192b5",
    help: "Required. The server's UUID, in the URL path.",
};
const PROJECT_ID: FieldDef = FieldDef {
    name: "project_id",
    kind: FieldKind::Text,
    place: Place::Path,
    required: false,
    placeholder: "(optional) aaaa1111",
    help: "Optional URL segment /v2.1/{project_id}; must match [0-9a-f-]+ and the token's project.",
};
const AUTH_TOKEN: FieldDef = FieldDef {
    name: "X-Auth-Token",
    kind: FieldKind::Text,
    place: Place::Header,
    required: true,
    placeholder: "member-token-aaaa1111",
    help: "Required. A Keystone token; its roles decide what the policy allows.",
};
const MICROVERSION: FieldDef = FieldDef {
    name: "OpenStack-API-Version",
    kind: FieldKind::Text,
    place: Place::Header,
    required: false,
    placeholder: "(optional) compute 2.1",
    help: "Optional microversion, e.g. compute 2.1; absent means 2.1.",
};
const LOCKED_REASON: FieldDef = FieldDef {
    name: "locked_reason",
    kind: FieldKind::Text,
    place: Place::Body,
    required: false,
    placeholder: "(optional) maintenance until Friday",
    help:
        "Optional, 1 to 255 characters, read from microversion 2.73 (OpenStack-API-Version: compute 2.73); \
           below that Nova locks the server and drops the reason.",
};

const TRANSFER_OPS: [OpDef; 4] = [
    OpDef {
        provider: Provider::Transfer,
        name: "StopServer",
        summary: "Stops an ONLINE server: STOPPING, then OFFLINE.",
        fields: &[SERVER_ID],
    },
    OpDef {
        provider: Provider::Transfer,
        name: "StartServer",
        summary: "Starts an OFFLINE server: STARTING, then ONLINE.",
        fields: &[SERVER_ID],
    },
    OpDef {
        provider: Provider::Transfer,
        name: "DescribeServer",
        summary: "Reads a server's properties, State included.",
        fields: &[SERVER_ID],
    },
    OpDef { provider: Provider::Transfer, name: "ListServers", summary: "Lists the servers.", fields: &[] },
];

const LIGHTSAIL_OPS: [OpDef; 5] = [
    OpDef {
        provider: Provider::Lightsail,
        name: "StopInstance",
        summary: "Stops a running instance: stopping, then stopped.",
        fields: &[INSTANCE_NAME, FORCE],
    },
    OpDef {
        provider: Provider::Lightsail,
        name: "StartInstance",
        summary: "Starts a stopped instance: pending, then running.",
        fields: &[INSTANCE_NAME],
    },
    OpDef {
        provider: Provider::Lightsail,
        name: "GetInstanceState",
        summary: "Reads an instance's state code and name.",
        fields: &[INSTANCE_NAME],
    },
    OpDef {
        provider: Provider::Lightsail,
        name: "GetInstance",
        summary: "Reads an instance.",
        fields: &[INSTANCE_NAME],
    },
    OpDef {
        provider: Provider::Lightsail,
        name: "GetOperation",
        summary: "Reads an operation's status.",
        fields: &[OPERATION_ID],
    },
];

const NOVA_OPS: [OpDef; 5] = [
    OpDef {
        provider: Provider::Nova,
        name: "os-stop",
        summary: "Stops an ACTIVE or ERROR server: powering-off, then SHUTOFF.",
        fields: &[NOVA_SERVER_ID, PROJECT_ID, AUTH_TOKEN, MICROVERSION],
    },
    OpDef {
        provider: Provider::Nova,
        name: "os-start",
        summary: "Starts a SHUTOFF server: powering-on, then ACTIVE.",
        fields: &[NOVA_SERVER_ID, PROJECT_ID, AUTH_TOKEN, MICROVERSION],
    },
    OpDef {
        provider: Provider::Nova,
        name: "GET server",
        summary: "Shows a server: status, vm_state, task_state, power_state.",
        fields: &[NOVA_SERVER_ID, PROJECT_ID, AUTH_TOKEN, MICROVERSION],
    },
    OpDef {
        provider: Provider::Nova,
        name: "lock",
        summary: "Locks a server: until unlocked, only admins may stop or start it.",
        fields: &[NOVA_SERVER_ID, PROJECT_ID, AUTH_TOKEN, MICROVERSION, LOCKED_REASON],
    },
    OpDef {
        provider: Provider::Nova,
        name: "unlock",
        summary: "Unlocks a server; a lock an admin set needs an admin to lift it.",
        fields: &[NOVA_SERVER_ID, PROJECT_ID, AUTH_TOKEN, MICROVERSION],
    },
];

/// The operations of `provider`, stop first.
pub fn ops(provider: Provider) -> &'static [OpDef] {
    match provider {
        Provider::Transfer => &TRANSFER_OPS,
        Provider::Lightsail => &LIGHTSAIL_OPS,
        Provider::Nova => &NOVA_OPS,
    }
}

/// The operation called `name`, if `provider` has one.
pub fn find(provider: Provider, name: &str) -> Option<&'static OpDef> {
    ops(provider).iter().find(|op| op.name == name)
}

/// The stop operation of `provider`.
pub fn stop_op(provider: Provider) -> &'static OpDef {
    &ops(provider)[0]
}

/// The field that names the server, for filling the form from the fleet.
pub fn id_field(provider: Provider) -> &'static str {
    provider.info().server_param
}

fn route_provider(request: &WireRequest) -> Option<Provider> {
    route(request).provider()
}

fn set_header(request: &mut WireRequest, name: &str, value: Option<&str>) {
    let pos = request.headers.iter().position(|(k, _)| k.eq_ignore_ascii_case(name));
    match (pos, value) {
        (Some(i), Some(v)) => request.headers[i].1 = v.to_string(),
        (None, Some(v)) => request.headers.push((name.to_string(), v.to_string())),
        (Some(i), None) => {
            request.headers.remove(i);
        }
        (None, None) => {}
    }
}

fn sync_content_length(request: &mut WireRequest) {
    let len = request.body.len().to_string();
    let has_body = !request.body.is_empty() || request.method != "GET";
    let present = request.header("Content-Length").is_some();
    if present || has_body {
        set_header(request, "Content-Length", Some(&len));
    }
}

/// A fresh request for `op` with `fields`.
pub fn build(op: &OpDef, fields: &Fields) -> WireRequest {
    build_on(op, fields, None)
}

/// Builds the request for `op` from `fields`, keeping what `base` carries beyond the form (extra headers,
/// extra JSON members, the Nova URL style) when `base` is a request for the same provider.
pub fn build_on(op: &OpDef, fields: &Fields, base: Option<&WireRequest>) -> WireRequest {
    let base = base.filter(|b| route_provider(b) == Some(op.provider));
    match &op.provider.info().api {
        Api::AwsJson(service) => build_aws(service, op, fields, base),
        Api::Nova(nova) => build_nova(nova, op, fields, base),
    }
}

fn build_aws(service: &AwsService, op: &OpDef, fields: &Fields, base: Option<&WireRequest>) -> WireRequest {
    let mut request = match base {
        Some(b) => b.clone(),
        None => WireRequest::new("POST", "/")
            .with_header("Host", &service.host(service.default_region))
            .with_header("Content-Type", "application/x-amz-json-1.1"),
    };
    set_header(&mut request, "X-Amz-Target", Some(&format!("{}{}", service.target_prefix, op.name)));
    let mut members: Vec<(String, Value)> = Vec::new();
    for f in op.fields {
        let value = fields.get(f.name).map(String::as_str).unwrap_or("");
        match f.kind {
            FieldKind::Text if !value.is_empty() => members.push((f.name.to_string(), Value::from(value))),
            FieldKind::Bool if value == "true" || value == "false" => {
                members.push((f.name.to_string(), Value::Bool(value == "true")))
            }
            // Not a boolean (a string the raw request had there): sent as written, so editing another field
            // keeps it, and the service answers it as the form's validation says.
            FieldKind::Bool if !value.is_empty() => members.push((
                f.name.to_string(),
                serde_json::from_str(value).unwrap_or_else(|_| Value::from(value)),
            )),
            _ => {}
        }
    }
    // Members the form does not know about (typed in the raw view) are kept, after the form's own.
    let known: Vec<&str> = all_field_names(op.provider);
    if let Some(Ok(Value::Object(map))) = base.map(|b| serde_json::from_str::<Value>(&b.body)) {
        for (k, v) in map {
            if !known.contains(&k.as_str()) {
                members.push((k, v));
            }
        }
    }
    request.body = json_object(&members);
    sync_content_length(&mut request);
    request
}

fn all_field_names(provider: Provider) -> Vec<&'static str> {
    let mut names: Vec<&str> = ops(provider).iter().flat_map(|op| op.fields.iter().map(|f| f.name)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A request body of these members in the given order (serde_json's map would sort them), spelled as the
/// API references print request samples: `{"ServerId": "s-…", "force": true}`, with a space after the
/// top-level commas and colons; the values themselves are written compactly, as they were typed.
fn json_object(members: &[(String, Value)]) -> String {
    struct Members<'a>(&'a [(String, Value)]);
    impl Serialize for Members<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                map.serialize_entry(k, v)?;
            }
            map.end()
        }
    }
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, SpacedTopLevel::default());
    // Strings and JSON values only: writing them cannot fail, and the text is UTF-8.
    match Members(members).serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// serde_json's compact spelling, but `", "` and `": "` between the members of the outermost object.
#[derive(Default)]
struct SpacedTopLevel {
    depth: usize,
}

impl Formatter for SpacedTopLevel {
    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        writer.write_all(b"}")
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        writer.write_all(b"]")
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        match (first, self.depth) {
            (true, _) => Ok(()),
            (false, 1) => writer.write_all(b", "),
            (false, _) => writer.write_all(b","),
        }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.depth == 1 { b": " } else { b":" })
    }
}

/// The parts of a Nova URL the form edits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NovaPath {
    /// `http://host:8774` when the target was in absolute form.
    pub origin: String,
    /// `v2.1` or `v2` or empty (bare `/servers`).
    pub version: String,
    /// The project segment, if any.
    pub project: String,
    /// The server id, if any.
    pub server: String,
    /// Whether the path ends in `/action`.
    pub action: bool,
}

/// Splits a Nova request target into its parts (`None` if it is not a `/servers…` path).
pub fn split_nova_target(target: &str) -> Option<NovaPath> {
    let (origin, rest) = match target.find("://") {
        Some(pos) => {
            let after = &target[pos + 3..];
            let slash = after.find('/').map_or(target.len(), |s| pos + 3 + s);
            (target[..slash].to_string(), &target[slash..])
        }
        None => (String::new(), target),
    };
    let path = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = NovaPath { origin, ..Default::default() };
    let mut i = 0;
    if let Some(first) = segments.first() {
        if *first == "v2.1" || *first == "v2" {
            out.version = first.to_string();
            i = 1;
            if segments.get(1).is_some_and(|s| *s != "servers") {
                out.project = segments[1].to_string();
                i = 2;
            }
        }
    }
    if segments.get(i) != Some(&"servers") {
        return None;
    }
    out.server = segments.get(i + 1).map(|s| s.to_string()).unwrap_or_default();
    out.action = segments.get(i + 2) == Some(&"action");
    Some(out)
}

fn build_nova(nova: &NovaService, op: &OpDef, fields: &Fields, base: Option<&WireRequest>) -> WireRequest {
    let get = |name: &str| fields.get(name).map(|s| s.trim()).unwrap_or("").to_string();
    let mut request = match base {
        Some(b) => b.clone(),
        None => WireRequest::new("POST", "/")
            .with_header("Host", nova.example_host)
            .with_header("Content-Type", "application/json")
            .with_header("Accept", "application/json"),
    };
    let old = base.and_then(|b| split_nova_target(&b.target)).unwrap_or_default();
    let project = get("project_id");
    let version = if old.version == "v2" && !project.is_empty() { "v2" } else { "v2.1" };
    let mut target = format!("{}/{version}", old.origin);
    if !project.is_empty() {
        target.push('/');
        target.push_str(&project);
    }
    target.push_str("/servers/");
    target.push_str(&get("server_id"));
    let action = is_nova_action(op);
    if action {
        target.push_str("/action");
        request.method = "POST".to_string();
        // Keep the action's value as the user wrote it (`null`, `{}`, `"null"` are all accepted), when the
        // raw request held this action.
        let value = base
            .and_then(|b| serde_json::from_str::<Value>(&b.body).ok())
            .and_then(|v| match v {
                Value::Object(map) if map.len() == 1 => map.into_iter().next().filter(|(k, _)| k == op.name),
                _ => None,
            })
            .map_or(Value::Null, |(_, v)| v);
        // The reason as typed: Nova keeps surrounding spaces, so the form does not trim them.
        let reason = fields.get("locked_reason").map(String::as_str).unwrap_or("");
        let value = if op.name == "lock" { with_locked_reason(value, reason) } else { value };
        request.body = json_object(&[(op.name.to_string(), value)]);
        if request.header("Content-Type").is_none() && base.is_none() {
            set_header(&mut request, "Content-Type", Some("application/json"));
        }
    } else {
        request.method = "GET".to_string();
        request.body.clear();
        set_header(&mut request, "Content-Type", None);
        set_header(&mut request, "Content-Length", None);
    }
    request.target = target;
    let token = get("X-Auth-Token");
    set_header(&mut request, "X-Auth-Token", (!token.is_empty()).then_some(token.as_str()));
    let version_header = get("OpenStack-API-Version");
    set_header(
        &mut request,
        "OpenStack-API-Version",
        (!version_header.is_empty()).then_some(version_header.as_str()),
    );
    sync_content_length(&mut request);
    request
}

/// Whether `op` is a Nova server action (`POST /servers/{id}/action`), not a GET.
fn is_nova_action(op: &OpDef) -> bool {
    op.provider == Provider::Nova && op.name != "GET server"
}

/// The value of a `lock` action with the form's `locked_reason` (empty means none): `null` becomes
/// `{"locked_reason": …}`, an object gains or changes the member, and clearing the field takes the member out
/// again (leaving `null` rather than an empty object it did not have before).
fn with_locked_reason(value: Value, reason: &str) -> Value {
    match (value, reason.is_empty()) {
        (Value::Object(mut map), false) => {
            map.insert("locked_reason".into(), Value::from(reason));
            Value::Object(map)
        }
        (Value::Object(mut map), true) => match map.remove("locked_reason") {
            Some(_) if map.is_empty() => Value::Null,
            _ => Value::Object(map),
        },
        (_, false) => serde_json::json!({ "locked_reason": reason }),
        (other, true) => other,
    }
}

/// What the form can read back from a raw request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The provider that would answer it.
    pub provider: Provider,
    /// The operation, when it is one the composer offers.
    pub operation: Option<&'static str>,
    /// Form values.
    pub fields: Fields,
    /// Parts the form cannot show (a non-string `ServerId`, an unknown operation …), in words.
    pub lossy: Vec<String>,
}

/// Reads the form back from `request`; `None` when no simulated service would claim it.
pub fn extract(request: &WireRequest) -> Option<Extracted> {
    let provider = route_provider(request)?;
    match &provider.info().api {
        Api::AwsJson(service) => Some(extract_aws(provider, service, request)),
        Api::Nova(_) => Some(extract_nova(request)),
    }
}

fn extract_aws(provider: Provider, service: &AwsService, request: &WireRequest) -> Extracted {
    let mut out = Extracted { provider, operation: None, fields: Fields::new(), lossy: Vec::new() };
    match request.header("X-Amz-Target") {
        None => {
            out.lossy.push("the X-Amz-Target header is missing, so the request names no operation".into())
        }
        Some(target) => {
            let name = target.strip_prefix(service.target_prefix).unwrap_or("");
            out.operation = find(provider, name).map(|op| op.name);
            if out.operation.is_none() {
                out.lossy.push(format!("X-Amz-Target {target:?} is not an operation the form offers"));
            }
        }
    }
    let fields = all_field_names(provider);
    if request.body.trim().is_empty() {
        return out;
    }
    match serde_json::from_str::<Value>(&request.body) {
        Ok(Value::Object(map)) => {
            for (k, v) in map {
                if !fields.contains(&k.as_str()) {
                    continue;
                }
                match v {
                    // A string where the boolean goes stays quoted, so `"true"` is not taken for `true`.
                    Value::String(s) if k == "force" => {
                        out.fields.insert(k, Value::String(s).to_string());
                    }
                    Value::String(s) => {
                        out.fields.insert(k, s);
                    }
                    Value::Bool(b) if k == "force" => {
                        out.fields.insert(k, b.to_string());
                    }
                    other => out.lossy.push(format!("{k} is {other}, which the form cannot show as typed")),
                }
            }
        }
        _ => out.lossy.push("the body is not a JSON object".to_string()),
    }
    out
}

fn extract_nova(request: &WireRequest) -> Extracted {
    let mut out =
        Extracted { provider: Provider::Nova, operation: None, fields: Fields::new(), lossy: Vec::new() };
    let Some(path) = split_nova_target(&request.target) else {
        out.lossy.push("the path is not /servers/{server_id}…".to_string());
        return out;
    };
    out.fields.insert("server_id".into(), path.server.clone());
    if !path.project.is_empty() {
        out.fields.insert("project_id".into(), path.project.clone());
    }
    for name in ["X-Auth-Token", "OpenStack-API-Version"] {
        if let Some(v) = request.header(name) {
            out.fields.insert(name.into(), v.to_string());
        }
    }
    if request.method == "GET" && !path.action {
        out.operation = Some("GET server");
    } else if path.action {
        let key = match serde_json::from_str::<Value>(&request.body) {
            Ok(Value::Object(map)) if map.len() == 1 => map.keys().next().cloned(),
            _ => None,
        };
        out.operation = key
            .as_deref()
            .and_then(|k| find(Provider::Nova, k))
            .filter(|op| is_nova_action(op))
            .map(|op| op.name);
        if out.operation.is_none() {
            out.lossy.push("the body does not name an action the form offers".to_string());
        }
        if out.operation == Some("lock") {
            let reason = serde_json::from_str::<Value>(&request.body)
                .ok()
                .and_then(|v| v.get("lock").and_then(|l| l.get("locked_reason")).cloned());
            match reason {
                None => {}
                Some(Value::String(r)) => {
                    out.fields.insert("locked_reason".into(), r);
                }
                Some(other) => {
                    out.lossy.push(format!("locked_reason is {other}, which the form cannot show as typed"))
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn transfer_stop_round_trips() {
        let op = stop_op(Provider::Transfer);
        let req = build(op, &fields(&[("ServerId", "s-01234567890abcdef")]));
        assert_eq!(req.header("X-Amz-Target"), Some("TransferService.StopServer"));
        assert_eq!(req.body, r#"{"ServerId": "s-01234567890abcdef"}"#);
        assert_eq!(req.header("Content-Length"), Some("35"));
        let back = extract(&req).unwrap();
        assert_eq!(back.provider, Provider::Transfer);
        assert_eq!(back.operation, Some("StopServer"));
        assert_eq!(back.fields.get("ServerId").map(String::as_str), Some("s-01234567890abcdef"));
    }

    #[test]
    fn lightsail_force_is_a_boolean_and_extra_members_survive() {
        let op = stop_op(Provider::Lightsail);
        let mut base = build(op, &fields(&[("instanceName", "Stuck-1")]));
        base.body = r#"{"instanceName": "Stuck-1", "extra": 1, "nested": {"a": [1, {"b": "é"}]}}"#.into();
        let req = build_on(op, &fields(&[("instanceName", "Stuck-1"), ("force", "true")]), Some(&base));
        // The top level spaced, nested values compact, members in the form's order then the others'.
        assert_eq!(
            req.body,
            r#"{"instanceName": "Stuck-1", "force": true, "extra": 1, "nested": {"a":[1,{"b":"é"}]}}"#
        );
        assert_eq!(extract(&req).unwrap().fields.get("force").map(String::as_str), Some("true"));
    }

    #[test]
    fn nova_paths_keep_their_style() {
        let op = stop_op(Provider::Nova);
        let f = fields(&[("server_id", "abc"), ("X-Auth-Token", "t")]);
        let req = build(op, &f);
        assert_eq!(req.target, "/v2.1/servers/abc/action");
        assert_eq!(req.body, r#"{"os-stop": null}"#);
        let mut base = req.clone();
        base.target = "http://h:8774/v2/aaaa1111/servers/abc/action".into();
        base.body = r#"{"os-stop": "null"}"#.into();
        let f2 = fields(&[("server_id", "xyz"), ("project_id", "aaaa1111"), ("X-Auth-Token", "t")]);
        let req2 = build_on(op, &f2, Some(&base));
        assert_eq!(req2.target, "http://h:8774/v2/aaaa1111/servers/xyz/action");
        assert_eq!(req2.body, r#"{"os-stop": "null"}"#);
        let back = extract(&req2).unwrap();
        assert_eq!(back.operation, Some("os-stop"));
        assert_eq!(back.fields.get("project_id").map(String::as_str), Some("aaaa1111"));
    }

    #[test]
    fn nova_get_has_no_body() {
        let op = find(Provider::Nova, "GET server").unwrap();
        let req = build(op, &fields(&[("server_id", "abc"), ("X-Auth-Token", "t")]));
        assert_eq!(req.method, "GET");
        assert!(req.body.is_empty());
        assert_eq!(req.header("Content-Length"), None);
        assert_eq!(extract(&req).unwrap().operation, Some("GET server"));
    }

    /// A request the host name routes to Transfer but without X-Amz-Target says the header is missing, not
    /// that an empty name is not an operation.
    #[test]
    fn a_missing_target_is_called_missing() {
        let req = WireRequest::new("POST", "http://transfer.us-east-1.amazonaws.com").with_body("{}");
        let x = extract(&req).unwrap();
        assert_eq!((x.provider, x.operation), (Provider::Transfer, None));
        assert_eq!(x.lossy, ["the X-Amz-Target header is missing, so the request names no operation"]);
        let req = req.with_header("X-Amz-Target", "TransferService.Nope");
        assert_eq!(
            extract(&req).unwrap().lossy,
            [r#"X-Amz-Target "TransferService.Nope" is not an operation the form offers"#]
        );
    }

    /// The page's AWS operations are the service models' that the snippets read (the provider descriptor):
    /// the same names, and every body field a member of its operation.
    #[test]
    fn aws_operations_are_the_models() {
        for p in Provider::ALL {
            let Some(service) = p.info().aws() else { continue };
            for op in ops(p) {
                let model =
                    service.operation(op.name).unwrap_or_else(|| panic!("{p:?} {} is not modelled", op.name));
                for f in op.fields.iter().filter(|f| f.place == Place::Body) {
                    assert!(model.members.iter().any(|m| m.name == f.name), "{p:?} {}.{}", op.name, f.name);
                }
            }
        }
    }

    /// Spec §3.7: the lock's reason goes in `{"lock": {"locked_reason": …}}`, comes back out of it, and
    /// clearing it leaves the plain `{"lock": null}`; a value typed by hand (tempest's `{}`) survives.
    #[test]
    fn nova_lock_carries_its_reason() {
        let lock = find(Provider::Nova, "lock").unwrap();
        let base = [("server_id", "abc"), ("X-Auth-Token", "t")];
        let req = build(lock, &fields(&base));
        assert_eq!((req.method.as_str(), req.target.as_str()), ("POST", "/v2.1/servers/abc/action"));
        assert_eq!(req.body, r#"{"lock": null}"#);
        let with = [("server_id", "abc"), ("X-Auth-Token", "t"), ("locked_reason", " I don't want to work")];
        let req = build_on(lock, &fields(&with), Some(&req));
        assert_eq!(req.body, r#"{"lock": {"locked_reason":" I don't want to work"}}"#);
        let back = extract(&req).unwrap();
        assert_eq!(back.operation, Some("lock"));
        assert_eq!(back.fields.get("locked_reason").map(String::as_str), Some(" I don't want to work"));
        assert_eq!(build_on(lock, &fields(&base), Some(&req)).body, r#"{"lock": null}"#);
        let mut tempest = req.clone();
        tempest.body = r#"{"lock": {}}"#.into();
        assert_eq!(build_on(lock, &fields(&base), Some(&tempest)).body, r#"{"lock": {}}"#);
        let mut odd = req.clone();
        odd.body = r#"{"lock": {"locked_reason": 5}}"#.into();
        assert_eq!(extract(&odd).unwrap().lossy, ["locked_reason is 5, which the form cannot show as typed"]);
        // Switching to unlock does not carry the lock's value over.
        let unlock = find(Provider::Nova, "unlock").unwrap();
        assert_eq!(build_on(unlock, &fields(&with), Some(&req)).body, r#"{"unlock": null}"#);
        assert_eq!(extract(&build(unlock, &fields(&base))).unwrap().operation, Some("unlock"));
    }

    #[test]
    fn every_provider_has_stop_first() {
        assert_eq!(stop_op(Provider::Transfer).name, "StopServer");
        assert_eq!(stop_op(Provider::Lightsail).name, "StopInstance");
        assert_eq!(stop_op(Provider::Nova).name, "os-stop");
    }
}
