//! Nova's wire side: the order of checks of a request (keystonemiddleware, the router, injected faults,
//! microversion negotiation, content type, `action_peek`, the URL's project, then the operation), the
//! headers every answer carries, the JSON views of servers, lists and version documents as Nova spells them
//! (serde with Python's `json.dumps` spelling, `PythonFormatter`), the `lock` action's request schema from
//! microversion 2.73 with jsonschema's wording (`PyValue`), and the diagnosis of each answer (spec
//! §3.1–§3.5, §3.7, §5, §7).
//!
//! | file | what |
//! |---|---|
//! | `mod.rs` | [`handle`]: the order of checks (keystonemiddleware's token, the router, injected faults, the microversion, the content type, the action body, the URL's project), then the operation; the version documents; every refusal's `Outcome` |
//! | `headers.rs` | microversion negotiation, content types, `Accept`, the [`Envelope`] of every answer's headers |
//! | `action_peek.rs` | `action_peek` and the actions known to the simulator |
//! | `power.rs` | `os-stop` and `os-start`, and the lookup and policy every server action shares |
//! | `lock.rs`, `lock_schema.rs` | `lock` and `unlock`; the lock's schema from 2.73 with jsonschema's wording |
//! | `read.rs` | `GET /servers/{id}`, `GET /servers`, `/servers/detail` |
//! | `views.rs` | the JSON views of servers, lists and version documents |
//! | `diagnosis.rs` | the diagnosis of every answer |
//! | `spelling.rs` | JSON, query strings and timestamps as Nova's Python writes them |

mod action_peek;
mod diagnosis;
mod headers;
mod lock;
mod lock_schema;
mod power;
mod read;
mod spelling;
mod views;

pub use headers::{
    accept_quality, negotiate_version, parse_accept, requested_version, MIN_VERSION, VERSION_HEADER,
};
pub use lock_schema::lock_schema_error;
pub use spelling::{days_from_civil, python_json};

use action_peek::{body_detail, is_modelled_action, is_unmodelled_action, peek_action};
use diagnosis::diagnose_error;
use headers::{check_content_type, Envelope};
use views::{base_url, version_body, ViewCtx};

use super::errors::NovaError;
use super::models::PowerAction;
use super::routes::{self, Api, Route, Target};
use super::{parse_version, Backend};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::{Ctx, Outcome};
use crate::wire::{WireRequest, WireResponse};

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
    let mut outcome = match (route, server_id, peeked) {
        (Route::Action(_), Some(id), Some(p)) => match p.action.as_str() {
            "os-stop" => b.fleet.power_action(req, env, ctx, token, PowerAction::Stop, id, &p.value),
            "os-start" => b.fleet.power_action(req, env, ctx, token, PowerAction::Start, id, &p.value),
            "lock" => b.fleet.lock(req, env, ctx, token, id, &p.value),
            "unlock" => b.fleet.unlock(req, env, ctx, token, id),
            other => {
                let what = format!("the '{other}' action");
                let e = NovaError::NotModelled(what.clone());
                fail(env, req, uri, e, Some(operation), Some(id), &what)
            }
        },
        (Route::Show(_), Some(id), _) => b.fleet.show(req, env, token, id, &view(), ctx),
        (Route::List, _, _) => b.fleet.list(req, env, token, false, &view(), ctx),
        (Route::Detail, _, _) => b.fleet.list(req, env, token, true, &view(), ctx),
        (Route::NotModelled(label, _), id, _) => {
            fail(env, req, uri, NovaError::NotModelled(label.to_string()), Some(operation), id, label)
        }
        (_, id, _) => fail(env, req, uri, NovaError::NoRoute, Some(operation), id, "no route"),
    };
    // An action that went through (202) on a path without a version prefix: the diagnosis ends by saying
    // how the path was read (a bare path is always v2.1's, so no legacy /v2 sentence follows it).
    if prefix.bare && outcome.response.status == 202 {
        outcome.diagnosis.why.push(' ');
        outcome.diagnosis.why.push_str(BARE_PATH_NOTE);
    }
    outcome
}

/// The last sentence of the diagnosis of an accepted action on a path without `/v2.1` (documentation style,
/// `POST /servers/{id}/action`).
pub(super) const BARE_PATH_NOTE: &str =
    "The path has no /v2.1 prefix; it is read as relative to the compute endpoint, which ends in /v2.1.";

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
