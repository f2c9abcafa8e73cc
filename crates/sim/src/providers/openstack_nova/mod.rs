//! OpenStack Compute (Nova), API v2.1 with microversions 2.1–2.104 (and the legacy `/v2/{project_id}`
//! endpoint): the `os-stop` server action, with `os-start`, `GET /servers/{id}`, `GET /servers` and
//! `GET /servers/detail` as companions, behind keystonemiddleware.
//!
//! Routing key: the path. `/servers…`, optionally behind `/v2.1`, `/v2.1/{project_id}` or
//! `/v2/{project_id}` (the project segment must match `[0-9a-f-]+`, else there is no route); `/v2.1` and
//! `/v2` alone are the version documents. State vocabulary: the API `status` (`ACTIVE`, `SHUTOFF`,
//! `ERROR`, `PAUSED`, `SHELVED_OFFLOADED` …) from `vm_state` + `task_state`; the fleet panel shows
//! `ACTIVE · powering-off` while a task runs.
//!
//! Sources: `stop-apis.md` §3 (request §3.1, success §3.2, processing order and every error §3.3, state
//! machine §3.4, edge cases §3.5, test vectors N1–N29 §3.6), §5 (error envelopes), §6 (open question 6),
//! §7 (the public-cloud and Rackspace-style documentation requests). The primary sources the spec cites,
//! read at nova master `00a03040`: `nova/api/openstack/compute/servers.py` (`_stop`, `_start`, `show`,
//! `_get_servers`, `_get_instance`), `compute/schemas/servers.py` (`stop_server`, `start_server`),
//! `nova/api/openstack/wsgi.py` (`action_peek`, `Resource.__call__`, `_process_stack`, `Fault`),
//! `nova/api/openstack/common.py` (`_STATE_MAP`, `raise_http_conflict_for_instance_invalid_state`),
//! `nova/compute/api.py` (`check_instance_lock`, `check_instance_host`, `check_instance_state`, `stop`,
//! `start`, `get`), `nova/exception.py`, `nova/policies/{base,servers}.py`, `compute/routes.py`,
//! `nova/api/openstack/__init__.py` (`ProjectMapper`, `LegacyV2CompatibleWrapper`), `urlmap.py`,
//! `etc/nova/api-paste.ini`, `api_version_request.py`, `compute/views/servers.py`, `compute/versions.py`;
//! keystonemiddleware `auth_token/__init__.py`; microversion-parse `get_version`; webob 1.8 `exc.py`
//! (error page rendering); oslo.utils `strutils.bool_from_string`.
//!
//! Files: `routes.rs` (which endpoint and route a path names), `models.rs` (servers, states, the
//! `compute.API` checks and transitions; no wire knowledge), `responses.rs` (microversions, content
//! types, `action_peek`, headers, JSON views, diagnoses), `errors.rs` (every error: status, fault name,
//! message, body), `text.rs` (Python-style JSON writing, percent-decoding, timestamps, SHA-224).
//!
//! Time: `created`/`updated`/`launched_at` are `2026-01-05T09:00:00Z` (= T+0, [`EPOCH_BASE_MS`]) plus
//! simulated time; fleet server *i* of *n* was created (n − i) × 10 minutes before T+0 and launched 45 s
//! later.
//!
//! Fidelity:
//! - [x] keystonemiddleware first: no/unknown `X-Auth-Token` (or `X-Storage-Token`) → 401 with its own
//!   body and `WWW-Authenticate: Keystone uri="…"` (`settings.nova.www_authenticate_uri`), even for a
//!   path with no route
//! - [x] routing: `/v2.1`, `/v2.1/{project_id}`, `/v2/{project_id}` (and `/v2`), bare `/servers…` read as
//!   `/v2.1`; bad method / bad project segment / unknown path → webob's own 404 page (plain text, HTML or
//!   webob JSON by `Accept`, never a Nova fault)
//! - [x] microversions: `OpenStack-API-Version: compute X.Y` (last compute item wins) or
//!   `X-OpenStack-Nova-API-Version`, `latest`; 400 bad format, 406 `computeFault` out of range (max from
//!   `settings.nova.max_microversion`); response version headers and `Vary` once a version is parsed
//!   (faults too); the legacy `/v2` endpoint ignores and strips them
//! - [x] 415 for a Content-Type other than (none, empty, `text/plain`) and the two JSON types
//! - [x] `action_peek` exactly: `Malformed request body`, `There is no such action: X`, and the 404 for
//!   `null`, numbers, booleans, one-character strings and one-element arrays
//! - [x] URL project ≠ token project → 400 with Nova's message
//! - [x] 404 `has no mapping to a cell.` (action on an id never created) vs `could not be found.`
//!   (deleted, another project's server for a non-admin, and every miss of `GET /servers/{id}`)
//! - [x] default policies: stop/start need `member` of the server's project or `admin`; show/list need
//!   `reader` (roles imply: admin → member → reader, manager → member); 403 with the rule's name
//! - [x] 409s in decorator order: locked (admins bypass), not ready (no host), vm_state, task_state,
//!   launched_at None; `os-start` only from `stopped`
//! - [x] success 202, empty body, `Content-Type: application/json` (or the vendor type by `Accept`),
//!   `x-openstack-request-id` = `x-compute-request-id` = `req-<uuid>` on every answer
//! - [x] the value of `os-stop` / `os-start` is unconstrained (`null`, `{}`, `"null"`, the vendor
//!   `{"force_shutdown": true}` — accepted and ignored, said in the diagnosis)
//! - [x] lifecycle: active/error → powering-off → stopped (power 4, SHUTOFF); stopped → powering-on →
//!   active (power 1); durations from `settings.nova.powering_off` / `powering_on`; servers that begin
//!   powering off/on complete on schedule
//! - [x] `GET /servers/{id}` and `/servers/detail` with the fields of `ViewBuilder.show` by microversion
//!   (`locked` ≥ 2.9, flavor body ≥ 2.47 …), admin-only `OS-EXT-SRV-ATTR:*` and `host_status`, real
//!   `hostId` (SHA-224); `GET /servers` with id, name, links; the caller's project only, `all_tenants`
//!   for admins (403 otherwise), `limit`/`marker` paging with `servers_links`, newest first
//! - [x] version documents for `/v2.1` and `/v2` (no token needed)
//! - [x] faults: `faults.nova.throttle_per_second` → 429 `overLimit` + `Retry-After`/`retryAfter` [U];
//!   `faults.nova.unavailable_rate` → 503 `serviceUnavailable` [U]; both after authentication and
//!   routing, before the microversion is read
//! - [x] every error's diagnosis says where its message comes from (`NovaError::message_text`): the §3.3
//!   texts are quoted by the spec (the policy text only for `servers:stop`, the `Cannot '…' instance` texts
//!   only for `'stop'`); os-start's state refusals, the policy texts of `servers:start`, `:show`, `:index`,
//!   `:detail` and `…:get_all_tenants`, `marker [...] not found`, the query-parameter texts, webob's JSON
//!   404 page and its 503 explanation are upstream's but not in the spec, and the 429 and 501 texts are the
//!   simulator's own: all marked [U] (checked on every story and random script in `tests/`)
//! - [ ] other actions (reboot, lock, …) and routes (create, update, delete, sub-resources) → 501
//!   `notImplemented`, which real Nova would not send (it would carry them out): the diagnosis says the
//!   simulator does not model them; `GET /` (the root version list) is not claimed
//! - [ ] instance faults (`fault` on ERROR servers), compute-side stop failures, the 500 race of §3.3
//!   step 14, list filters other than `all_tenants`, sort parameters, `changes-since`, addresses
//! - [ ] custom policy files, older releases' behaviour (e.g. legacy-v2's generic "invalid state" for a
//!   locked server), token expiry, `Content-Length` limits

mod errors;
pub(crate) use errors::{webob_404, webob_404_message_text};
mod models;
mod responses;
mod routes;
mod text;

use super::{Ctx, Outcome, Throttle};
use crate::exchange::{Confidence, Diagnosis};
use crate::fleet::{Provider, ServerView, StateFamily, StateMachine};
use crate::scenario::{NovaFaults, NovaFleet};
use crate::time::SimTime;
use crate::wire::{WireRequest, WireResponse};
use errors::NovaError;
use models::{power_state_name, PowerAction, Server};
use responses::{Envelope, ViewCtx};
use routes::{Api, Route, Target};
use std::collections::BTreeMap;
use text::percent_decode;

/// `2026-01-05T09:00:00Z`, the wall-clock time shown for T+0, in epoch milliseconds.
pub const EPOCH_BASE_MS: i64 = text::days_from_civil(2026, 1, 5) * 86_400_000 + 9 * 3_600_000;

/// True when `path` is one Nova serves: `/servers…`, optionally behind `/v2.1`, `/v2.1/{project}` or
/// `/v2/{project}`, and the version documents `/v2.1` and `/v2`.
pub fn claims_path(path: &str) -> bool {
    routes::parse_target(path).is_some()
}

/// What Nova answers for a request carrying `OpenStack-API-Version: {header_value}` on a cloud whose
/// maximum microversion is `max` (spec §3.1, §3.3 step 3): `None` when the version is accepted (or the
/// header names no compute version, which Nova ignores), else the fault's message. The page's validation
/// as you type shows exactly this.
pub fn microversion_error(header_value: &str, max: &str) -> Option<String> {
    let req = WireRequest::new("GET", "/").with_header(responses::VERSION_HEADER, header_value);
    let max = parse_version(max).unwrap_or(responses::MIN_VERSION);
    responses::negotiate_version(responses::requested_version(&req).as_deref(), max)
        .err()
        .map(|e| e.message())
}

/// Parses a microversion `X.Y` (`^([1-9]\d*)\.([1-9]\d*|0)$`).
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    let ok = |s: &str, allow_zero: bool| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (!s.starts_with('0') || (allow_zero && s == "0"))
    };
    if !ok(major, false) || !ok(minor, true) {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// What a Keystone token stands for, roles already expanded by implication.
#[derive(Clone, Debug)]
struct Token {
    project_id: String,
    is_admin: bool,
    member: bool,
    reader: bool,
}

impl Token {
    fn can_act_on(&self, project: &str) -> bool {
        self.is_admin || (self.member && self.project_id == project)
    }

    fn can_read(&self, project: &str) -> bool {
        self.is_admin || (self.reader && self.project_id == project)
    }

    fn sees(&self, s: &Server) -> bool {
        !s.deleted && (self.is_admin || s.project_id == self.project_id)
    }

    fn roles(&self) -> &'static str {
        match (self.is_admin, self.member, self.reader) {
            (true, _, _) => "admin",
            (false, true, _) => "member",
            (false, false, true) => "reader only",
            _ => "no Nova role",
        }
    }
}

/// The servers, by position and by id.
#[derive(Clone, Debug, Default)]
struct Fleet {
    servers: Vec<Server>,
    by_id: BTreeMap<String, usize>,
}

/// The simulated Nova cloud.
#[derive(Clone, Debug, Default)]
pub struct Backend {
    fleet: Fleet,
    tokens: BTreeMap<String, Token>,
    faults: NovaFaults,
    throttle: Throttle,
}

impl Backend {
    /// Loads the fleet; schedules completion of servers that start with a task in progress.
    pub fn new(fleet: &NovaFleet, faults: &NovaFaults, ctx: &mut Ctx) -> Self {
        let mut tokens = BTreeMap::new();
        for t in &fleet.tokens {
            let has = |role: &str| t.roles.iter().any(|r| r.eq_ignore_ascii_case(role));
            let is_admin = has("admin");
            let member = is_admin || has("member") || has("manager");
            let reader = member || has("reader");
            tokens.insert(
                t.token.clone(),
                Token { project_id: t.project_id.clone(), is_admin, member, reader },
            );
        }
        let count = fleet.servers.len() as i64;
        let mut servers = Vec::with_capacity(fleet.servers.len());
        let mut by_id = BTreeMap::new();
        for (i, def) in fleet.servers.iter().enumerate() {
            let user_id = fleet
                .tokens
                .iter()
                .find(|t| t.project_id == def.project_id && !t.user_id.is_empty())
                .map(|t| t.user_id.clone())
                .unwrap_or_else(|| format!("user-{}", def.project_id.chars().take(8).collect::<String>()));
            let created = EPOCH_BASE_MS - (count - i as i64) * 600_000;
            let mut server = Server::from_def(def, i as u32 + 1, created, user_id);
            let action = match server.task_state.as_deref() {
                Some("powering-off") => Some(PowerAction::Stop),
                Some("powering-on") => Some(PowerAction::Start),
                _ => None,
            };
            if let (Some(action), false) = (action, server.deleted) {
                let timing = match action {
                    PowerAction::Stop => ctx.settings.nova.powering_off,
                    PowerAction::Start => ctx.settings.nova.powering_on,
                };
                let (due, seq) = ctx.schedule_in(timing, Provider::Nova, &server.id);
                let from = match action {
                    PowerAction::Stop => std::borrow::Cow::Borrowed(server.status()),
                    PowerAction::Start => std::borrow::Cow::Borrowed("SHUTOFF"),
                };
                server.transition = Some(models::Transition { action, from, started: ctx.now, due, seq });
            }
            by_id.insert(server.id.clone(), servers.len());
            servers.push(server);
        }
        Backend {
            fleet: Fleet { servers, by_id },
            tokens,
            faults: faults.clone(),
            throttle: Throttle::default(),
        }
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
        let mut env =
            Envelope { request_id: format!("req-{}", ctx.rng.uuid()), api: Api::V21, version: None };
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let path = routes::path_of(req);
        let (prefix, rest) = match routes::parse_target(path) {
            Some(Target::Servers(prefix, rest)) => (prefix, rest),
            Some(Target::Version(api)) => return version_document(req, api, env, ctx),
            None => {
                return fail(
                    env,
                    req,
                    uri,
                    NovaError::NoRoute,
                    None,
                    None,
                    "the path is not one Nova serves",
                );
            }
        };
        env.api = prefix.api;

        // 1. keystonemiddleware.
        let presented = req.header("X-Auth-Token").or_else(|| req.header("X-Storage-Token")).map(str::trim);
        let Some(token) = presented.and_then(|t| self.tokens.get(t)) else {
            let detail = match presented {
                None => "the request has no X-Auth-Token header.",
                Some("") => "the X-Auth-Token header is empty.",
                Some(_) => "Keystone does not know this token (the scenario's fleet.nova.tokens lists the valid ones).",
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
        let server_id = raw_id.map(|id| percent_decode(id).into_owned());
        let mut operation = operation.to_string();

        // Injected faults (a rate limiter or outage in front of the API).
        if self.throttle.over_limit(ctx.now, self.faults.throttle_per_second) {
            let retry = 1 + (999 - ctx.now.as_millis() % 1000) / 1000;
            return fail(env, req, uri, NovaError::OverLimit(retry), Some(operation), server_id, "");
        }
        if ctx.rng.chance(self.faults.unavailable_rate) {
            return fail(env, req, uri, NovaError::Unavailable, Some(operation), server_id, "");
        }

        // 3. Microversion (the legacy wrapper deletes the request headers first).
        let version = match prefix.api {
            Api::LegacyV2 => responses::MIN_VERSION,
            Api::V21 => {
                let max = parse_version(&ctx.settings.nova.max_microversion).unwrap_or((2, 104));
                match responses::negotiate_version(responses::requested_version(req).as_deref(), max) {
                    Ok(v) => v,
                    Err(e) => return fail(env, req, uri, e, Some(operation), server_id, ""),
                }
            }
        };
        env.version = Some(version);

        // 4. Content type.
        if let Err(e) = responses::check_content_type(req) {
            let detail =
                format!("this request says Content-Type: {}.", req.header("Content-Type").unwrap_or(""));
            return fail(env, req, uri, e, Some(operation), server_id, &detail);
        }

        // 5. The action body.
        let mut peeked = None;
        if let Route::Action(_) = route {
            match responses::peek_action(&req.body) {
                Ok(p)
                    if p.action == "os-stop"
                        || p.action == "os-start"
                        || responses::is_unmodelled_action(&p.action) =>
                {
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
            base: responses::base_url(req),
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
                    other => {
                        let what = format!("the '{other}' action");
                        let e = NovaError::NotModelled(what.clone());
                        return fail(env, req, uri, e, Some(operation), Some(id), &what);
                    }
                };
                self.fleet.power_action(req, env, ctx, token, action, id, &p.value, bare_note)
            }
            (Route::Show(_), Some(id), _) => self.fleet.show(req, env, token, id, &view(), ctx),
            (Route::List, _, _) => self.fleet.list(req, env, token, false, &view(), ctx),
            (Route::Detail, _, _) => self.fleet.list(req, env, token, true, &view(), ctx),
            (Route::NotModelled(label, _), id, _) => {
                fail(env, req, uri, NovaError::NotModelled(label.to_string()), Some(operation), id, label)
            }
            (_, id, _) => fail(env, req, uri, NovaError::NoRoute, Some(operation), id, "no route"),
        }
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
        let Some(&index) = self.by_id.get(id.as_str()) else {
            let detail = format!("{id} is not in this cloud");
            return fail(env, req, uri, NovaError::NoMapping(id), op, None, &detail);
        };
        let Some(server) = self.servers.get_mut(index) else {
            return fail(env, req, uri, NovaError::NoMapping(id), op, None, "");
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
            return fail(env, req, uri, NovaError::NotFound(id.clone()), op, Some(id), &detail);
        }
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
        server.begin(action, ctx.now, wall_ms(ctx.now), due, seq);
        let after = server.display_state();
        ctx.event(Provider::Nova, &server.id, &before, &after, action_name(action));
        let mut notes: Vec<&str> = Vec::new();
        if server.locked && token.is_admin {
            notes.push("The server is locked, but the caller is an admin, and admins bypass the lock.");
        }
        if let Some(note) = bare_note {
            notes.push(note);
        }
        let diagnosis = responses::diagnose_accepted(action, server, value, env.api, &notes);
        let response =
            WireResponse::new(202).with_header("Content-Type", responses::success_content_type(req));
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
        let body = responses::show_body(server, view);
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
        let response = WireResponse::new(200)
            .with_header("Content-Type", responses::success_content_type(req))
            .with_body(body);
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
            text::query_pairs(query).into_iter().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
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
        let limit = limit_asked.unwrap_or(responses::MAX_LIMIT).min(responses::MAX_LIMIT);
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
        let body =
            responses::list_body(page.iter().copied(), view, detail, next.map(|m| (m, params.as_slice())));
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
        let response = WireResponse::new(200)
            .with_header("Content-Type", responses::success_content_type(req))
            .with_body(body);
        Outcome { response: env.finish(response), operation: op, server: None, diagnosis }
    }
}

impl Backend {
    /// Completes the transition scheduled as `seq` for server `key`, unless superseded.
    pub fn fire(&mut self, key: &str, seq: u64, ctx: &mut Ctx) {
        let Some(&index) = self.fleet.by_id.get(key) else { return };
        let Some(server) = self.fleet.servers.get_mut(index) else { return };
        let before = server.display_state();
        if server.complete(seq, wall_ms(ctx.now)) {
            let after = server.display_state();
            ctx.event(Provider::Nova, &server.id, &before, &after, "completed");
        }
    }

    /// Every server.
    pub fn views(&self) -> Vec<ServerView> {
        self.fleet.servers.iter().map(server_view).collect()
    }

    /// One server.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        self.fleet.by_id.get(id).and_then(|&i| self.fleet.servers.get(i)).map(server_view)
    }
}

fn version_document(req: &WireRequest, api: Api, mut env: Envelope, ctx: &Ctx) -> Outcome {
    let uri = ctx.settings.nova.www_authenticate_uri.as_str();
    env.api = api;
    let max = parse_version(&ctx.settings.nova.max_microversion).unwrap_or((2, 104));
    let op = Some(format!("{} (version document)", if api == Api::V21 { "GET /v2.1" } else { "GET /v2" }));
    let version = match api {
        Api::LegacyV2 => responses::MIN_VERSION,
        Api::V21 => match responses::negotiate_version(responses::requested_version(req).as_deref(), max) {
            Ok(v) => v,
            Err(e) => return fail(env, req, uri, e, op, None, ""),
        },
    };
    env.version = Some(version);
    let body = responses::version_body(api, &responses::base_url(req), max);
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

/// The wall-clock epoch milliseconds shown for simulated time `t`.
fn wall_ms(t: SimTime) -> i64 {
    EPOCH_BASE_MS.saturating_add(i64::try_from(t.as_millis()).unwrap_or(i64::MAX / 2))
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
    let diagnosis = responses::diagnose_error(&error, &detail, req.header("Accept"));
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
    use models::Refusal;
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
            responses::state_summary(s)
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

fn server_view(s: &Server) -> ServerView {
    let mut details = vec![
        ("project".to_string(), s.project_id.clone()),
        ("vm_state".to_string(), s.vm_state.as_str().to_string()),
        ("task_state".to_string(), s.task_state.as_deref().unwrap_or("None").to_string()),
        ("power_state".to_string(), format!("{} ({})", s.power_state, power_state_name(s.power_state))),
        ("host".to_string(), s.host.clone().unwrap_or_else(|| "None".to_string())),
        (
            "launched".to_string(),
            if s.launched_ms.is_some() { "yes" } else { "no (launched_at None)" }.to_string(),
        ),
    ];
    if s.deleted {
        details.push(("deleted".to_string(), "yes (GET and actions answer 404)".to_string()));
    }
    ServerView {
        provider: Provider::Nova,
        id: s.id.clone(),
        name: s.name.clone(),
        state: s.display_state().into_owned(),
        node: s.node().to_string(),
        family: s.family(),
        locked: s.locked,
        transition: s.transition_view(),
        details,
    }
}

/// Nova's stop/start state machine (spec §3.4).
pub fn state_machine() -> StateMachine {
    StateMachine {
        nodes: vec![
            ("active", "ACTIVE", StateFamily::Running),
            ("powering-off", "powering-off", StateFamily::Transitional),
            ("stopped", "SHUTOFF", StateFamily::Stopped),
            ("powering-on", "powering-on", StateFamily::Transitional),
            ("error", "ERROR", StateFamily::Failed),
            ("other", "PAUSED · SHELVED · …", StateFamily::Other),
        ],
        edges: vec![
            ("active", "powering-off", "os-stop"),
            ("error", "powering-off", "os-stop"),
            ("powering-off", "stopped", "powered off"),
            ("stopped", "powering-on", "os-start"),
            ("powering-on", "active", "powered on"),
        ],
    }
}

#[cfg(test)]
mod tests;
