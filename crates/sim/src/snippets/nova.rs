//! OpenStack Nova: recognising a compute request, and writing it for the `openstack` CLI, openstacksdk and
//! python-novaclient.
//!
//! Against the playground, every client authenticates with the request's own token and a fixed endpoint
//! (keystoneauth's `admin_token` auth type, `token_endpoint.Token` in Python), so no Keystone is needed.
//! Against a real cloud they use the usual Keystone password login (clouds.yaml or `OS_*` variables).

use super::{body_object, lead_with, quote, NovaCall, NovaOp, Snippet, SnippetLanguage};
use crate::providers::aws_json::media_type;
use crate::scenario::is_project_id;
use crate::wire::WireRequest;
use serde_json::Value;

/// A path segment clients send unchanged (RFC 3986 unreserved characters).
fn is_plain_segment(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Splits `/v2.1/{project}/servers/…` into the endpoint path and the rest.
fn split_base(path: &str) -> Result<(String, Vec<&str>), String> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (base, rest): (String, &[&str]) = match segments.as_slice() {
        ["v2.1", p, rest @ ..] if *p != "servers" && is_project_id(p) => (format!("/v2.1/{p}"), rest),
        ["v2.1", rest @ ..] => ("/v2.1".to_string(), rest),
        ["v2", p, rest @ ..] if is_project_id(p) => (format!("/v2/{p}"), rest),
        ["servers", ..] => (String::new(), &segments[..]),
        _ => return Err(format!("{path} is not a compute API path a client builds.")),
    };
    Ok((base, rest.to_vec()))
}

/// The microversion a request asks for: `OpenStack-API-Version: compute X.Y` wins over the legacy header.
fn requested_microversion(req: &WireRequest) -> Option<String> {
    if let Some(v) = req.header("OpenStack-API-Version") {
        for part in v.split(',') {
            let mut words = part.split_whitespace();
            if words.next().is_some_and(|w| w.eq_ignore_ascii_case("compute")) {
                return Some(words.next().unwrap_or("").to_string());
            }
        }
    }
    req.header("X-OpenStack-Nova-API-Version").map(|v| v.trim().to_string())
}

/// Recognises a Nova request as a call clients can make.
pub(super) fn recognise(req: &WireRequest) -> Result<NovaCall, String> {
    let mut notes = Vec::new();
    let target = super::origin_form(req);
    if target.contains('?') {
        return Err(
            "query parameters are not mapped to client calls here; curl sends them as written.".into()
        );
    }
    let path = req.path();
    let (base, rest) = split_base(path)?;
    let mut locked_reason = None;
    let (op, server) = match (req.method.as_str(), rest.as_slice()) {
        ("GET", ["servers"]) => (NovaOp::List, None),
        ("GET", ["servers", "detail"]) => (NovaOp::ListDetail, None),
        ("GET", ["servers", id]) => (NovaOp::Show, Some(*id)),
        ("POST", ["servers", id, "action"]) => {
            let body = body_object(&req.body)?;
            let mut keys = body.iter();
            let (action, value) = match (keys.next(), keys.next()) {
                (Some(first), None) => first,
                _ => {
                    return Err(format!(
                        "Nova reads the action from a body with exactly one key; this body has {}.",
                        body.len()
                    ))
                }
            };
            let op = match action.as_str() {
                "os-stop" => NovaOp::Stop,
                "os-start" => NovaOp::Start,
                "lock" => NovaOp::Lock,
                "unlock" => NovaOp::Unlock,
                other => {
                    return Err(format!(
                    "{other:?} is not an action the playground simulates (os-stop, os-start, lock, unlock)."
                ))
                }
            };
            if op == NovaOp::Lock {
                let reads_reason = base.starts_with("/v2.1") || base.is_empty();
                locked_reason = lock_reason(value, requested_microversion(req).as_deref(), reads_reason)?;
                if locked_reason.is_none() && *value != Value::Null {
                    notes.push(format!(
                        "Clients send {{\"lock\": null}} for a lock without a reason; Nova reads {value} the same \
                         way here, so the answer is the same."
                    ));
                }
            } else if *value != Value::Null {
                notes.push(format!(
                    "Clients send {{\"{action}\": null}}; Nova ignores the value ({value} here), so the answer is \
                     the same."
                ));
            }
            (op, Some(*id))
        }
        (method, _) => {
            return Err(format!(
                "{method} {path} is not a request the playground simulates for Nova (os-stop, os-start, GET \
                 /servers/{{id}}, /servers, /servers/detail)."
            ))
        }
    };
    if let Some(id) = server {
        if !is_plain_segment(id) {
            return Err(format!(
                "the server id {id:?} has characters clients would percent-encode differently."
            ));
        }
    }
    if req.method == "GET" && !req.body.is_empty() {
        return Err("clients send no body with GET.".into());
    }
    if req.method == "POST" {
        if let Some(ct) = req.header("Content-Type") {
            let media = media_type(ct).to_ascii_lowercase();
            if !matches!(media.as_str(), "application/json" | "application/vnd.openstack.compute+json") {
                if media.is_empty() || media == "text/plain" {
                    notes.push(format!(
                        "Clients send Content-Type application/json; Nova treats {ct:?} as no type at all, so \
                         the answer is the same."
                    ));
                } else {
                    return Err(format!("clients always send application/json, not {ct:?}."));
                }
            }
        }
    }
    let token = req
        .header("X-Auth-Token")
        .or_else(|| req.header("X-Storage-Token"))
        .ok_or("the request has no X-Auth-Token, and every OpenStack client sends one.")?
        .to_string();
    let microversion =
        match requested_microversion(req) {
            None => None,
            Some(v) if v.eq_ignore_ascii_case("latest") => {
                notes.push(
                "The request asks for microversion `latest`; novaclient needs an explicit one, so 2.1 is \
                 used there (os-stop, os-start, unlock and a lock without a reason answer the same at every \
                 microversion)."
                    .into(),
            );
                None
            }
            Some(v) => match crate::providers::openstack_nova::parse_version(&v) {
                Some((2, 0)) => return Err(
                    "microversion 2.0 means \"no microversion\" to the clients, which then send no version \
                     header at all."
                        .into(),
                ),
                Some((2, _)) => Some(v),
                _ => {
                    return Err(format!(
                        "microversion {v:?} is not a 2.x version, and the clients refuse to send it."
                    ))
                }
            },
        };
    Ok(NovaCall { op, server: server.map(str::to_string), base, token, microversion, locked_reason, notes })
}

/// The reason a `lock` action carries, as clients send it (spec §3.7): `None` for a lock without one, or why
/// no client sends this value as written. Nova reads `locked_reason` only from microversion 2.73 on the
/// `/v2.1` endpoint (`reads_reason`), where its schema also refuses any other shape; below that, and on the
/// legacy `/v2`, any value is a lock without a reason.
fn lock_reason(
    value: &Value,
    microversion: Option<&str>,
    reads_reason: bool,
) -> Result<Option<String>, String> {
    let minor = match microversion {
        Some(v) if v.eq_ignore_ascii_case("latest") => u32::MAX,
        Some(v) => crate::providers::openstack_nova::parse_version(v).map_or(1, |(_, minor)| minor),
        None => 1,
    };
    let from_2_73 = reads_reason && minor >= 73;
    let reason = match value {
        Value::Object(map) if map.len() == 1 => map.get("locked_reason").and_then(Value::as_str),
        _ => None,
    };
    let plain = match value {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        _ => false,
    };
    match (reason, from_2_73) {
        (Some(reason), true) => Ok(Some(reason.to_string())),
        (Some(_), false) => Err(format!(
            "Nova drops a locked_reason below microversion 2.73 ({}), and no client sends one there: the \
             openstack CLI and python-novaclient refuse a reason below 2.73, and openstacksdk sends it at its own \
             microversion, where Nova keeps it.",
            if reads_reason { "this request asks for an older one" } else { "the legacy /v2 endpoint is 2.0" }
        )),
        (None, true) if !plain => Err(format!(
            "from microversion 2.73 Nova's schema refuses the lock value {value}, and no client sends it."
        )),
        (None, _) => Ok(None),
    }
}

const DISCOVERY_NOTE: &str =
    "openstacksdk and the openstack CLI first read the compute version document at the \
                          endpoint (GET on it) to choose a microversion.";

/// The newest microversion python-novaclient accepts (`novaclient.API_MAX_VERSION`, release 18).
const NOVACLIENT_MAX_MINOR: u32 = 96;

/// The `openstack` CLI, openstacksdk and python-novaclient snippets for `call`.
pub(super) fn snippets(
    call: &NovaCall,
    endpoint: Option<&str>,
    curl_notes: &mut Vec<String>,
) -> Vec<Snippet> {
    let compute = endpoint.map(|e| format!("{e}{}", call.base));
    let minor = call
        .microversion
        .as_deref()
        .and_then(crate::providers::openstack_nova::parse_version)
        .map_or(1, |(_, minor)| minor);
    // `openstack server lock --reason ""` and novaclient's `lock(reason="")` send no reason at all.
    let empty_reason = call.locked_reason.as_deref() == Some("");
    let mut out = Vec::new();
    if empty_reason {
        curl_notes.push(
            "No openstack CLI snippet: `server lock --reason \"\"` sends the lock without a reason."
                .to_string(),
        );
    } else {
        out.push(openstack_cli(call, compute.as_deref()));
    }
    out.push(openstacksdk(call, compute.as_deref()));
    if minor > NOVACLIENT_MAX_MINOR {
        curl_notes.push(format!(
            "No python-novaclient snippet: it refuses microversions above 2.{NOVACLIENT_MAX_MINOR} before \
             sending anything."
        ));
    } else if call.locked_reason.is_some() && minor < 73 {
        curl_notes.push(
            "No python-novaclient snippet: its servers.lock takes a reason only from microversion 2.73, and \
             this request names none (`latest` is sent as 2.1 there)."
                .to_string(),
        );
    } else if empty_reason {
        curl_notes.push(
            "No python-novaclient snippet: servers.lock(reason=\"\") sends the lock without a reason."
                .to_string(),
        );
    } else {
        out.push(novaclient(call, compute.as_deref()));
    }
    lead_with(&call.notes, &mut out);
    out
}

fn server_arg(call: &NovaCall) -> String {
    let id = call.server.as_deref().unwrap_or("");
    if id.starts_with('-') {
        format!("-- {}", quote::shell(id))
    } else {
        quote::shell(id)
    }
}

fn openstack_cli(call: &NovaCall, compute: Option<&str>) -> Snippet {
    let mut notes = Vec::new();
    let mut lines = vec!["openstack".to_string()];
    match compute {
        Some(url) => {
            lines.push("--os-auth-type admin_token".to_string());
            lines.push(format!("--os-endpoint {}", quote::shell(url)));
            lines.push(format!("--os-token {}", quote::shell(&call.token)));
            notes.push(
                "admin_token authentication uses the token and endpoint as given: no Keystone login, no \
                 service catalog."
                    .to_string(),
            );
        }
        None => notes.push(
            "Credentials come from clouds.yaml (--os-cloud NAME or OS_CLOUD) or the OS_* variables of an \
             openrc file."
                .to_string(),
        ),
    }
    if let Some(v) = &call.microversion {
        lines.push(format!("--os-compute-api-version {}", quote::shell(v)));
    }
    let command = match call.op {
        NovaOp::Stop => format!("server stop {}", server_arg(call)),
        NovaOp::Start => format!("server start {}", server_arg(call)),
        NovaOp::Show => format!("server show {}", server_arg(call)),
        NovaOp::List => {
            notes.push("`openstack server list` asks for GET /servers/detail, not /servers.".to_string());
            "server list".to_string()
        }
        NovaOp::ListDetail => "server list --long".to_string(),
        NovaOp::Lock => match &call.locked_reason {
            Some(reason) => format!("server lock --reason {} {}", quote::shell(reason), server_arg(call)),
            None => format!("server lock {}", server_arg(call)),
        },
        NovaOp::Unlock => format!("server unlock {}", server_arg(call)),
    };
    if call.locked_reason.is_some() {
        notes.push(
            "--reason needs microversion 2.73 or later: the CLI refuses it below that before sending."
                .to_string(),
        );
    }
    if matches!(call.op, NovaOp::Stop | NovaOp::Start | NovaOp::Lock | NovaOp::Unlock) {
        notes.push(
            "The CLI looks the server up first (GET /servers/{id}, then by name) and sends the action only if \
             it finds it."
                .to_string(),
        );
    }
    lines.push(command);
    notes.push(DISCOVERY_NOTE.to_string());
    let code = if compute.is_some() || call.microversion.is_some() {
        format!("{}\n", lines.join(" \\\n  "))
    } else {
        format!("{}\n", lines.join(" "))
    };
    Snippet::new(SnippetLanguage::OpenStackCli, code, notes)
}

fn openstacksdk(call: &NovaCall, compute: Option<&str>) -> Snippet {
    let mut notes = Vec::new();
    let mut code = String::from("import openstack\n\n");
    match compute {
        Some(url) => {
            code.push_str("conn = openstack.connect(\n");
            code.push_str("    auth_type=\"admin_token\",\n");
            code.push_str(&format!(
                "    auth={{\"endpoint\": {}, \"token\": {}}},\n",
                quote::python(url),
                quote::python(&call.token)
            ));
            code.push_str(")\n");
        }
        None => {
            code.push_str("# Reads clouds.yaml (OS_CLOUD) or the OS_* variables of an openrc file.\n");
            code.push_str("conn = openstack.connect()\n");
        }
    }
    let id = quote::python(call.server.as_deref().unwrap_or(""));
    code.push_str(&match call.op {
        NovaOp::Stop => format!("response = conn.compute.stop_server({id})\n"),
        NovaOp::Start => format!("response = conn.compute.start_server({id})\n"),
        NovaOp::Show => format!("response = conn.compute.get_server({id})\n"),
        NovaOp::List => "response = list(conn.compute.servers(details=False))\n".to_string(),
        NovaOp::ListDetail => "response = list(conn.compute.servers(details=True))\n".to_string(),
        NovaOp::Lock => match &call.locked_reason {
            Some(reason) => {
                format!(
                    "response = conn.compute.lock_server({id}, locked_reason={})\n",
                    quote::python(reason)
                )
            }
            None => format!("response = conn.compute.lock_server({id})\n"),
        },
        NovaOp::Unlock => format!("response = conn.compute.unlock_server({id})\n"),
    });
    code.push_str("print(response)\n");
    if call.microversion.is_some() {
        notes.push(
            "openstacksdk picks its own microversion (the highest both it and the cloud support) instead of \
             the one in the request."
                .to_string(),
        );
    }
    notes.push(
        "An error answer raises openstack.exceptions.HttpException (ConflictException for 409, \
         NotFoundException for 404 …) carrying the status code and Nova's message."
            .to_string(),
    );
    notes.push(DISCOVERY_NOTE.to_string());
    Snippet::new(SnippetLanguage::OpenStackSdk, code, notes)
}

fn novaclient(call: &NovaCall, compute: Option<&str>) -> Snippet {
    let version = call.microversion.clone().unwrap_or_else(|| "2.1".to_string());
    let mut code = String::new();
    match compute {
        Some(url) => {
            code.push_str("from keystoneauth1 import session\n");
            code.push_str("from keystoneauth1.token_endpoint import Token\n");
            code.push_str("from novaclient import client\n\n");
            code.push_str(&format!(
                "auth = Token(endpoint={}, token={})\n",
                quote::python(url),
                quote::python(&call.token)
            ));
        }
        None => {
            code.push_str("import os\n\n");
            code.push_str("from keystoneauth1 import loading, session\n");
            code.push_str("from novaclient import client\n\n");
            code.push_str("auth = loading.get_plugin_loader(\"password\").load_from_options(\n");
            code.push_str("    auth_url=os.environ[\"OS_AUTH_URL\"],\n");
            code.push_str("    username=os.environ[\"OS_USERNAME\"],\n");
            code.push_str("    password=os.environ[\"OS_PASSWORD\"],\n");
            code.push_str("    project_name=os.environ[\"OS_PROJECT_NAME\"],\n");
            code.push_str("    user_domain_name=os.environ.get(\"OS_USER_DOMAIN_NAME\", \"Default\"),\n");
            code.push_str(
                "    project_domain_name=os.environ.get(\"OS_PROJECT_DOMAIN_NAME\", \"Default\"),\n",
            );
            code.push_str(")\n");
        }
    }
    code.push_str(&format!(
        "nova = client.Client({}, session=session.Session(auth=auth))\n",
        quote::python(&version)
    ));
    let id = quote::python(call.server.as_deref().unwrap_or(""));
    code.push_str(&match call.op {
        NovaOp::Stop => format!("response = nova.servers.stop({id})\n"),
        NovaOp::Start => format!("response = nova.servers.start({id})\n"),
        NovaOp::Show => format!("response = nova.servers.get({id})\n"),
        NovaOp::List => "response = nova.servers.list(detailed=False)\n".to_string(),
        NovaOp::ListDetail => "response = nova.servers.list()\n".to_string(),
        NovaOp::Lock => match &call.locked_reason {
            Some(reason) => format!("response = nova.servers.lock({id}, reason={})\n", quote::python(reason)),
            None => format!("response = nova.servers.lock({id})\n"),
        },
        NovaOp::Unlock => format!("response = nova.servers.unlock({id})\n"),
    });
    code.push_str("print(response)\n");
    let notes = vec![
        format!(
            "novaclient sends the microversion header X-OpenStack-Nova-API-Version: {version} with every request."
        ),
        "An error answer raises a novaclient.exceptions.ClientException subclass (Conflict, NotFound …) whose \
         .code is the status and .message Nova's message."
            .to_string(),
    ];
    Snippet::new(SnippetLanguage::NovaClient, code, notes)
}
