//! Which Nova endpoint and route a path names (spec §3.1 routing, §3.3 step 2).
//!
//! Nova's paste `urlmap` sends `/v2.1` and `/v2.1/` to the version document, `/v2.1/<anything>` to the API
//! (`/v2` and `/v2/…` likewise, through the legacy-v2 wrapper). Inside, `ProjectMapper` registers every
//! route twice: first with a leading `{project_id:[0-9a-f-]+}` segment, then without. A bare `/servers…`
//! path (as documentation prints it, relative to the endpoint) is read as if it followed `/v2.1`.
//!
//! Only the `/servers` space is claimed; everything claimed is answered (a route Nova does not have gets
//! webob's 404 page). Path segments and query strings are decoded as webob decodes them
//! (percent-encoding, form_urlencoded).

use std::borrow::Cow;

/// Which API stack serves the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `/v2.1`: microversions honoured, version headers sent.
    V21,
    /// `/v2`: `LegacyV2CompatibleWrapper` drops version headers both ways.
    LegacyV2,
}

/// The prefix before `/servers`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefix<'a> {
    /// Which stack.
    pub api: Api,
    /// Whether the path had no version segment at all (documentation style).
    pub bare: bool,
    /// The `{project_id}` segment, if the path has one (valid or not).
    pub project: Option<&'a str>,
}

/// A route inside the `/servers` space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route<'a> {
    /// `GET /servers`.
    List,
    /// `GET /servers/detail`.
    Detail,
    /// `GET /servers/{id}`.
    Show(&'a str),
    /// `POST /servers/{id}/action`.
    Action(&'a str),
    /// A route real Nova has that the simulator does not model (create, update, delete, sub-resources).
    NotModelled(&'static str, Option<&'a str>),
    /// Nova has no such route (wrong method, bad project segment, unknown path): webob's 404.
    Unmatched,
}

/// What a claimed path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// `/v2.1`, `/v2.1/`, `/v2`, `/v2/`: the version document of one API.
    Version(Api),
    /// Something under `/servers`.
    Servers(Prefix<'a>, &'a str),
}

/// The path of the request target; an origin-form target (the usual case) is cut at `?`/`#` directly.
pub fn path_of(req: &crate::wire::WireRequest) -> &str {
    let target = req.target.as_str();
    if target.starts_with('/') {
        let end = target.find(['?', '#']).unwrap_or(target.len());
        return &target[..end];
    }
    req.path()
}

/// Splits a path into endpoint, project and the `/servers…` rest; `None` when not Nova's.
pub fn parse_target(path: &str) -> Option<Target<'_>> {
    let (api, bare, rest) = if let Some(rest) = path.strip_prefix("/v2.1") {
        if rest.is_empty() || rest == "/" {
            return Some(Target::Version(Api::V21));
        }
        if !rest.starts_with('/') {
            return None;
        }
        (Api::V21, false, rest)
    } else if let Some(rest) = path.strip_prefix("/v2") {
        if rest.is_empty() || rest == "/" {
            return Some(Target::Version(Api::LegacyV2));
        }
        if !rest.starts_with('/') {
            return None;
        }
        (Api::LegacyV2, false, rest)
    } else {
        (Api::V21, true, path)
    };
    if is_servers(rest) {
        return Some(Target::Servers(Prefix { api, bare, project: None }, rest));
    }
    if bare {
        return None;
    }
    let after = &rest[1..];
    let end = after.find('/').unwrap_or(after.len());
    let (segment, tail) = after.split_at(end);
    if is_servers(tail) {
        return Some(Target::Servers(Prefix { api, bare, project: Some(segment) }, tail));
    }
    None
}

fn is_servers(rest: &str) -> bool {
    rest.strip_prefix("/servers").is_some_and(|t| t.is_empty() || t.starts_with('/'))
}

/// Nova's `{project_id}` route token: `[0-9a-f-]+`.
pub fn is_project_token(text: &str) -> bool {
    crate::scenario::is_project_id(text)
}

/// The route for `method` on `rest` (which starts with `/servers`).
pub fn route<'a>(method: &str, prefix: &Prefix<'_>, rest: &'a str) -> Route<'a> {
    if let Some(project) = prefix.project {
        if !is_project_token(project) {
            return Route::Unmatched;
        }
    }
    let tail = rest.strip_prefix("/servers").unwrap_or("");
    if tail.is_empty() {
        return match method {
            "GET" => Route::List,
            "POST" => Route::NotModelled("POST /servers (create)", None),
            _ => Route::Unmatched,
        };
    }
    let tail = &tail[1..];
    let (id, sub) = match tail.find('/') {
        Some(pos) => (&tail[..pos], Some(&tail[pos + 1..])),
        None => (tail, None),
    };
    if id.is_empty() {
        return Route::Unmatched;
    }
    match sub {
        None if id == "detail" && method == "GET" => Route::Detail,
        None => match method {
            "GET" => Route::Show(id),
            "PUT" => Route::NotModelled("PUT /servers/{id} (update)", Some(id)),
            "DELETE" => Route::NotModelled("DELETE /servers/{id} (delete)", Some(id)),
            _ => Route::Unmatched,
        },
        Some("action") => match method {
            "POST" => Route::Action(id),
            _ => Route::Unmatched,
        },
        Some(sub) if is_known_subresource(sub) => {
            Route::NotModelled("a server sub-resource (/servers/{id}/…)", Some(id))
        }
        Some(_) => Route::Unmatched,
    }
}

/// Sub-resources under `/servers/{server_id}/` that Nova routes (`compute/routes.py`).
fn is_known_subresource(sub: &str) -> bool {
    let first = sub.split('/').next().unwrap_or("");
    matches!(
        first,
        "ips"
            | "metadata"
            | "os-instance-actions"
            | "os-interface"
            | "os-security-groups"
            | "os-server-password"
            | "os-volume_attachments"
            | "diagnostics"
            | "migrations"
            | "remote-consoles"
            | "tags"
            | "topology"
            | "share"
            | "shares"
    )
}

/// Decodes the `%XX` escapes of a path segment (invalid escapes are kept as written; bytes that are not
/// UTF-8 are replaced).
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy()
}

/// The query string's `(name, value)` pairs, decoded as a form (`+` is a space), in order; empty names are
/// skipped.
pub fn query_pairs(query: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| !k.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers(path: &str) -> Option<(Prefix<'_>, &str)> {
        match parse_target(path)? {
            Target::Servers(p, rest) => Some((p, rest)),
            Target::Version(_) => None,
        }
    }

    #[test]
    fn prefixes_and_projects() {
        assert_eq!(parse_target("/v2.1"), Some(Target::Version(Api::V21)));
        assert_eq!(parse_target("/v2.1/"), Some(Target::Version(Api::V21)));
        assert_eq!(parse_target("/v2/"), Some(Target::Version(Api::LegacyV2)));
        let (p, rest) = servers("/v2.1/servers/A/action").unwrap();
        assert_eq!((p.api, p.bare, p.project, rest), (Api::V21, false, None, "/servers/A/action"));
        let (p, rest) = servers("/v2/aaaa1111/servers/A/action").unwrap();
        assert_eq!((p.api, p.project, rest), (Api::LegacyV2, Some("aaaa1111"), "/servers/A/action"));
        let (p, _) = servers("/servers").unwrap();
        assert!(p.bare);
        let (p, _) = servers("/v2/my-proj!/servers/A/action").unwrap();
        assert_eq!(p.project, Some("my-proj!"));
        assert_eq!(parse_target("/v2.1/flavors"), None);
        assert_eq!(parse_target("/v2.10/servers"), None);
        assert_eq!(parse_target("/serversx"), None);
        assert_eq!(parse_target("/aaaa/servers"), None);
        assert_eq!(parse_target("/"), None);
        assert_eq!(parse_target("/v2.1/a/b/servers"), None);
    }

    #[test]
    fn routes_by_method() {
        let v21 = Prefix { api: Api::V21, bare: false, project: None };
        assert_eq!(route("POST", &v21, "/servers/A/action"), Route::Action("A"));
        assert_eq!(route("GET", &v21, "/servers/A/action"), Route::Unmatched);
        assert_eq!(route("GET", &v21, "/servers/A"), Route::Show("A"));
        assert_eq!(route("GET", &v21, "/servers/detail"), Route::Detail);
        assert_eq!(route("GET", &v21, "/servers"), Route::List);
        assert_eq!(route("HEAD", &v21, "/servers"), Route::Unmatched);
        assert_eq!(route("GET", &v21, "/servers/"), Route::Unmatched);
        assert_eq!(route("GET", &v21, "/servers/A/nothing"), Route::Unmatched);
        assert!(matches!(route("DELETE", &v21, "/servers/A"), Route::NotModelled(_, Some("A"))));
        assert!(matches!(route("GET", &v21, "/servers/A/ips"), Route::NotModelled(_, Some("A"))));
        let bad = Prefix { api: Api::LegacyV2, bare: false, project: Some("my-proj!") };
        assert_eq!(route("POST", &bad, "/servers/A/action"), Route::Unmatched);
        let upper = Prefix { api: Api::LegacyV2, bare: false, project: Some("AAAA") };
        assert_eq!(route("GET", &upper, "/servers"), Route::Unmatched);
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("/servers/%41"), "/servers/A");
        assert_eq!(percent_decode("a%zz%4"), "a%zz%4");
        assert_eq!(percent_decode("a+b%20c"), "a+b c");
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%%41"), "%A");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
        let pairs = query_pairs("limit=2&marker=a%2Db+c&&all_tenants&=x");
        assert_eq!(pairs.len(), 3);
        assert_eq!(pairs[1].1, "a-b c");
        assert_eq!(pairs[2], ("all_tenants".into(), "".into()));
    }
}
