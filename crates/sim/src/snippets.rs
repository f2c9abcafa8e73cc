//! Ready-to-copy client code for a request: curl, the AWS CLI, boto3, the AWS SDKs for JavaScript v3 and Rust
//! for the two AWS services; curl, the `openstack` CLI, openstacksdk and python-novaclient for Nova.
//!
//! [`snippets`] first recognises the request ([`recognise`]): which service, which operation, which members
//! or path parts. A request that no client library could send as written (malformed JSON, an unknown
//! operation, a member of the wrong type, a missing token …) gets only the curl command, with a note saying
//! why. Every snippet either points its client at the playground (`endpoint: Some(url)`, with dummy AWS
//! credentials or the request's own Keystone token used directly) or is the code a user would run against
//! the real cloud (`endpoint: None`, credentials from the usual places).
//!
//! The curl command is the request itself: method, path and query, headers (except `Host` and
//! `Content-Length`, which curl derives) and the body, byte for byte, so that `sim::curl::parse_curl` reads it
//! back as the same request. Values are quoted for each language (shell words; Python, JavaScript and Rust
//! string literals), so a hostile value cannot break out of its quotes.
//!
//! Client facts used here were checked against the clients' own sources: botocore validates required
//! members, JSON types and minimum lengths before sending; the AWS CLI hides but accepts pagination members
//! and then sends one request; keystoneauth's `token_endpoint.Token` (the `admin_token` auth type) uses a
//! given token and endpoint for every service; python-novaclient sends `{"os-stop": null}` for
//! `servers.stop` without looking the server up; openstacksdk and the `openstack` CLI read the compute
//! version document at the endpoint before their first call. For locks: openstacksdk's `lock_server` sends
//! `{"lock": null}`, or `{"lock": {"locked_reason": …}}` when given a reason, whatever the microversion;
//! python-novaclient's `servers.lock` takes a reason only from microversion 2.73 (and sends none when it is
//! empty); `openstack server lock --reason` refuses below 2.73 before sending.

mod aws;
mod nova;
mod quote;

use crate::fleet::Provider;
use crate::provider_info::{Api, AwsService};
use crate::providers::{self, aws_json, Route};
use crate::wire::WireRequest;

/// A language (or tool) a snippet is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SnippetLanguage {
    /// A curl command line (POSIX shell).
    Curl,
    /// The AWS CLI (`aws transfer …`, `aws lightsail …`).
    AwsCli,
    /// boto3, the AWS SDK for Python.
    Boto3,
    /// The AWS SDK for JavaScript v3 (`@aws-sdk/client-*`).
    JsV3,
    /// The AWS SDK for Rust (`aws-sdk-*`).
    RustSdk,
    /// The `openstack` command line client (python-openstackclient).
    OpenStackCli,
    /// openstacksdk, the OpenStack SDK for Python.
    OpenStackSdk,
    /// python-novaclient, Nova's own Python client library.
    NovaClient,
}

impl SnippetLanguage {
    /// Every language, in display order.
    pub const ALL: [SnippetLanguage; 8] = [
        SnippetLanguage::Curl,
        SnippetLanguage::AwsCli,
        SnippetLanguage::Boto3,
        SnippetLanguage::JsV3,
        SnippetLanguage::RustSdk,
        SnippetLanguage::OpenStackCli,
        SnippetLanguage::OpenStackSdk,
        SnippetLanguage::NovaClient,
    ];

    /// The name people know, for a tab label.
    pub fn label(self) -> &'static str {
        match self {
            SnippetLanguage::Curl => "curl",
            SnippetLanguage::AwsCli => "AWS CLI",
            SnippetLanguage::Boto3 => "boto3 (Python)",
            SnippetLanguage::JsV3 => "AWS SDK for JavaScript v3",
            SnippetLanguage::RustSdk => "AWS SDK for Rust",
            SnippetLanguage::OpenStackCli => "openstack CLI",
            SnippetLanguage::OpenStackSdk => "openstacksdk (Python)",
            SnippetLanguage::NovaClient => "python-novaclient",
        }
    }

    /// Short machine name (`curl`, `aws-cli`, `boto3`, `js-v3`, `rust-sdk`, `openstack-cli`, `openstacksdk`,
    /// `novaclient`), as serialised.
    pub fn slug(self) -> &'static str {
        match self {
            SnippetLanguage::Curl => "curl",
            SnippetLanguage::AwsCli => "aws-cli",
            SnippetLanguage::Boto3 => "boto3",
            SnippetLanguage::JsV3 => "js-v3",
            SnippetLanguage::RustSdk => "rust-sdk",
            SnippetLanguage::OpenStackCli => "openstack-cli",
            SnippetLanguage::OpenStackSdk => "openstacksdk",
            SnippetLanguage::NovaClient => "novaclient",
        }
    }

    /// The syntax for highlighting: `bash`, `python`, `javascript` or `rust`.
    pub fn syntax(self) -> &'static str {
        match self {
            SnippetLanguage::Curl | SnippetLanguage::AwsCli | SnippetLanguage::OpenStackCli => "bash",
            SnippetLanguage::Boto3 | SnippetLanguage::OpenStackSdk | SnippetLanguage::NovaClient => "python",
            SnippetLanguage::JsV3 => "javascript",
            SnippetLanguage::RustSdk => "rust",
        }
    }
}

/// One piece of code that sends the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    /// What it is written in.
    pub language: SnippetLanguage,
    /// A heading for the code block.
    pub title: String,
    /// The code, ready to copy (ends with a newline).
    pub code: String,
    /// Things worth knowing before running it, one sentence or two each.
    pub notes: Vec<String>,
}

impl Snippet {
    /// A snippet titled with its language's label.
    fn new(language: SnippetLanguage, code: String, notes: Vec<String>) -> Snippet {
        Snippet { language, title: language.label().to_string(), code, notes }
    }
}

/// Puts the notes that hold for the whole call before each snippet's own notes.
fn lead_with(notes: &[String], snippets: &mut [Snippet]) {
    for s in snippets {
        let mut all = notes.to_vec();
        all.append(&mut s.notes);
        s.notes = all;
    }
}

/// A member value of an AWS operation, already checked against the member's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// A string member.
    Str(String),
    /// A boolean member.
    Bool(bool),
    /// An integer member (within `i32`, as the SDKs type them).
    Int(i64),
}

/// An awsJson 1.1 operation call that every AWS client can make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsCall {
    /// `Provider::Transfer` or `Provider::Lightsail`.
    pub provider: Provider,
    /// The provider's awsJson service ([`crate::ProviderInfo::aws`]): names, regions, the model.
    pub service: &'static AwsService,
    /// The operation as the model names it (`StopServer`).
    pub operation: &'static str,
    /// The members sent, in the model's order, with their model names (`ServerId`, `instanceName`).
    pub params: Vec<(&'static str, Param)>,
    /// The region to sign for: from the request's host or SigV4 scope, else the service's usual one here.
    pub region: String,
    /// Whether the region came from the request itself.
    pub region_from_request: bool,
    /// Why botocore (boto3 and the AWS CLI) refuses the call before sending it, if it does.
    pub botocore_refuses: Option<String>,
    /// Differences between the request and what clients send that do not change the answer.
    pub notes: Vec<String>,
}

/// A Nova request the OpenStack clients can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NovaOp {
    /// `POST /servers/{id}/action` with `{"os-stop": null}`.
    Stop,
    /// `POST /servers/{id}/action` with `{"os-start": null}`.
    Start,
    /// `GET /servers/{id}`.
    Show,
    /// `GET /servers`.
    List,
    /// `GET /servers/detail`.
    ListDetail,
    /// `POST /servers/{id}/action` with `{"lock": null}`, or `{"lock": {"locked_reason": "…"}}` (the reason
    /// is in [`NovaCall::locked_reason`]).
    Lock,
    /// `POST /servers/{id}/action` with `{"unlock": null}`.
    Unlock,
}

/// A Nova call: operation, server, where the compute endpoint is and how to authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NovaCall {
    /// The operation.
    pub op: NovaOp,
    /// The server id from the path (for everything but the lists).
    pub server: Option<String>,
    /// The path of the compute endpoint (`/v2.1`, `/v2.1/{project_id}`, `/v2/{project_id}`, or empty when the
    /// request goes straight to `/servers…`).
    pub base: String,
    /// The Keystone token from `X-Auth-Token` (or `X-Storage-Token`).
    pub token: String,
    /// The compute microversion the request asks for, when it names one.
    pub microversion: Option<String>,
    /// The `locked_reason` a lock sends, if any.
    pub locked_reason: Option<String>,
    /// Differences between the request and what clients send that do not change the answer.
    pub notes: Vec<String>,
}

/// What a request asks for, in terms a client library understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Call {
    /// An AWS Transfer Family or Lightsail operation.
    Aws(AwsCall),
    /// An OpenStack Nova request.
    Nova(NovaCall),
}

/// Recognises the request as a call a client library can make, or says why none can.
pub fn recognise(req: &WireRequest) -> Result<Call, String> {
    let route = providers::route(req);
    match route.provider().map(|p| (p, &p.info().api)) {
        Some((p, Api::AwsJson(service))) => aws::recognise(req, p, service).map(Call::Aws),
        Some((_, Api::Nova(_))) => nova::recognise(req).map(Call::Nova),
        None if route == Route::AwsUnknown => Err(format!(
            "X-Amz-Target {:?} names neither TransferService nor Lightsail_20161128, so no client library \
             has this operation.",
            req.header("X-Amz-Target").unwrap_or("")
        )),
        None => Err("no simulated service recognises it: AWS requests need an X-Amz-Target header, Nova \
                     requests a /servers path."
            .to_string()),
    }
}

/// Code that sends `req` in every language that can express it. The curl command always comes first.
///
/// `endpoint` is the playground's simulated endpoint (e.g. `http://127.0.0.1:8080`); `None` gives code for the
/// real cloud. Never panics.
pub fn snippets(req: &WireRequest, endpoint: Option<&str>) -> Vec<Snippet> {
    let endpoint = normalise_endpoint(endpoint);
    let mut curl = curl_snippet(req, endpoint.as_deref());
    match recognise(req) {
        Ok(Call::Aws(call)) => {
            let more = aws::snippets(&call, endpoint.as_deref(), &mut curl.notes);
            std::iter::once(curl).chain(more).collect()
        }
        Ok(Call::Nova(call)) => {
            let more = nova::snippets(&call, endpoint.as_deref(), &mut curl.notes);
            std::iter::once(curl).chain(more).collect()
        }
        Err(why) => {
            curl.notes.push(format!("Only curl can send this request as written: {why}"));
            vec![curl]
        }
    }
}

/// The snippet for one language, if that language can express the request.
pub fn snippet(req: &WireRequest, endpoint: Option<&str>, language: SnippetLanguage) -> Option<Snippet> {
    snippets(req, endpoint).into_iter().find(|s| s.language == language)
}

fn normalise_endpoint(endpoint: Option<&str>) -> Option<String> {
    let e = endpoint?.trim().trim_end_matches('/');
    if e.is_empty() {
        None
    } else {
        Some(e.to_string())
    }
}

/// The request target without scheme, authority and fragment: `/path?query`.
pub fn origin_form(req: &WireRequest) -> String {
    let mut t = req.target.as_str();
    if let Some(pos) = t.find("://") {
        let rest = &t[pos + 3..];
        t = rest.find(['/', '?']).map_or("", |i| &rest[i..]);
    }
    let t = t.split('#').next().unwrap_or("");
    if t.starts_with('/') {
        t.to_string()
    } else {
        format!("/{t}")
    }
}

/// The region the request names in its host (`transfer.us-east-2.amazonaws.com`) or SigV4 credential scope.
fn region_in_request(req: &WireRequest) -> Option<String> {
    let plausible = |r: &str| {
        r.len() >= 4
            && r.len() <= 32
            && r.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if let Some(auth) = req.header("Authorization") {
        if let Some(pos) = auth.find("Credential=") {
            let scope = auth[pos..].split([',', ' ']).next().unwrap_or("");
            if let Some(region) = scope.split('/').nth(2).filter(|r| plausible(r)) {
                return Some(region.to_string());
            }
        }
    }
    let host = req.host()?;
    let host = host.split(':').next().unwrap_or("");
    let mut labels = host.split('.');
    let _service = labels.next()?;
    let region = labels.next()?;
    if host.ends_with(".amazonaws.com") && plausible(region) {
        Some(region.to_string())
    } else {
        None
    }
}

/// The region a call to `service` signs for, and whether the request itself named it.
fn region_for(req: &WireRequest, service: &AwsService) -> (String, bool) {
    match region_in_request(req) {
        Some(r) => (r, true),
        None => (service.default_region.to_string(), false),
    }
}

/// Where the request would go on the real cloud: the target's own origin, the `Host` header, or the
/// service's public endpoint. The second value says whether it is a placeholder to replace.
fn real_origin(req: &WireRequest, route: Route) -> (String, bool) {
    if let Some(pos) = req.target.find("://") {
        let rest = &req.target[pos + 3..];
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        return (format!("{}://{}", &req.target[..pos], &rest[..end]), false);
    }
    let aws = matches!(route, Route::Transfer | Route::Lightsail | Route::AwsUnknown);
    if let Some(host) = req.header("Host").map(str::trim).filter(|h| !h.is_empty()) {
        let https = aws || host.ends_with(":443") || !host.contains(':');
        return (format!("{}://{host}", if https { "https" } else { "http" }), false);
    }
    match route.provider().map(|p| &p.info().api) {
        Some(Api::AwsJson(service)) => {
            (format!("https://{}", service.host(&region_for(req, service).0)), false)
        }
        Some(Api::Nova(nova)) => (format!("https://{}", nova.example_host), true),
        None if route == Route::AwsUnknown => ("https://SERVICE.us-east-1.amazonaws.com".to_string(), true),
        None => ("https://api.example.com".to_string(), true),
    }
}

/// Headers curl computes itself (or that --aws-sigv4 replaces).
fn curl_skips(name: &str, signing: bool) -> bool {
    let n = name.to_ascii_lowercase();
    n == "host"
        || n == "content-length"
        || (signing
            && matches!(
                n.as_str(),
                "authorization" | "x-amz-date" | "x-amz-security-token" | "x-amz-content-sha256"
            ))
}

/// The curl command for `req`: the request itself, aimed at `endpoint` or at the real service.
pub fn curl_snippet(req: &WireRequest, endpoint: Option<&str>) -> Snippet {
    let endpoint = normalise_endpoint(endpoint);
    let route = providers::route(req);
    let mut notes = Vec::new();
    let origin = match &endpoint {
        Some(e) => e.clone(),
        None => {
            let (origin, placeholder) = real_origin(req, route);
            if placeholder {
                notes.push(format!(
                    "{origin} stands for your endpoint: the request does not say which host it is for."
                ));
            }
            origin
        }
    };
    let aws = matches!(route, Route::Transfer | Route::Lightsail | Route::AwsUnknown);
    let signing = aws && endpoint.is_none();
    let url = format!("{origin}{}", origin_form(req));
    let mut lines: Vec<String> = Vec::new();
    let mut first = String::from("curl");
    if req.method != "GET" || !req.body.is_empty() {
        first.push_str(" -X ");
        first.push_str(&quote::shell(&req.method));
    }
    first.push(' ');
    first.push_str(&quote::shell_quoted(&url));
    lines.push(first);
    // An AWS request for a service the playground does not simulate is signed as Transfer's: its URL is a
    // placeholder to replace anyway.
    let signer = match route {
        Route::AwsUnknown => Some(Provider::Transfer),
        route => route.provider(),
    };
    if let (true, Some(aws)) = (signing, signer.and_then(|p| p.info().aws())) {
        let service = aws.name;
        let (region, named) = region_for(req, aws);
        if !named {
            notes.push(format!(
                "{region} is the playground's region for {service}; put yours in the URL and in --aws-sigv4."
            ));
        }
        lines.push(format!("--aws-sigv4 {}", quote::shell_quoted(&format!("aws:amz:{region}:{service}"))));
        lines.push("--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\"".to_string());
        notes.push(
            "curl signs the request with SigV4 from your AWS keys (--aws-sigv4, curl 7.75 or later); add \
             -H \"X-Amz-Security-Token: $AWS_SESSION_TOKEN\" for temporary credentials."
                .to_string(),
        );
    }
    for (name, value) in &req.headers {
        if curl_skips(name, signing) {
            continue;
        }
        // `Name;` is curl's way to send an empty header (`Name:` would remove it).
        let header = if value.trim().is_empty() { format!("{name};") } else { format!("{name}: {value}") };
        lines.push(format!("-H {}", quote::shell_quoted(&header)));
    }
    if !req.body.is_empty() && req.header("Content-Type").is_none() {
        lines.push(format!("-H {}", quote::shell_quoted("Content-Type:")));
        notes.push(
            "The request has a body but no Content-Type; `-H 'Content-Type:'` stops curl from adding \
             application/x-www-form-urlencoded."
                .to_string(),
        );
    }
    if !req.body.is_empty() {
        lines.push(format!("--data-raw {}", quote::shell_quoted(&req.body)));
    }
    if endpoint.is_none() && route == Route::Nova && req.header("X-Auth-Token").is_some() {
        notes.push(
            "X-Auth-Token is the token from the request; against your cloud use one of yours (openstack token \
             issue)."
                .to_string(),
        );
    }
    if endpoint.is_some() {
        if let Some(host) = req.host() {
            notes.push(format!("Sent to the playground instead of {host}."));
        }
    }
    notes.extend(crate::http::request_notes(req));
    let code = format!("{}\n", lines.join(" \\\n  "));
    Snippet { language: SnippetLanguage::Curl, title: SnippetLanguage::Curl.label().to_string(), code, notes }
}

/// The JSON body as an object, or why clients could not have sent it.
fn body_object(body: &str) -> Result<aws_json::Object, String> {
    aws_json::parse_object(body).map_err(|e| format!("{} Every client sends a JSON object.", e.why))
}

#[cfg(test)]
mod tests;
