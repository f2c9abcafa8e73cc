//! OpenStack Compute (Nova), API v2.1 with microversions 2.1–2.104 (and the legacy `/v2/{project_id}`
//! endpoint): the `os-stop` server action, with `os-start`, `lock`, `unlock`, `GET /servers/{id}`,
//! `GET /servers` and `GET /servers/detail` as companions, behind keystonemiddleware.
//!
//! Routing key: the path. `/servers…`, optionally behind `/v2.1`, `/v2.1/{project_id}` or
//! `/v2/{project_id}` (the project segment must match `[0-9a-f-]+`, else there is no route); `/v2.1` and
//! `/v2` alone are the version documents. State vocabulary: the API `status` (`ACTIVE`, `SHUTOFF`,
//! `ERROR`, `PAUSED`, `SHELVED_OFFLOADED` …) from `vm_state` + `task_state`; the fleet panel shows
//! `ACTIVE · powering-off` while a task runs.
//!
//! Sources: `stop-apis.md` §3 (request §3.1, success §3.2, processing order and every error §3.3, state
//! machine §3.4, edge cases §3.5, test vectors N1–N29 §3.6, lock and unlock §3.7), §5 (error envelopes),
//! §6 (open question 6),
//! §7 (the public-cloud and Rackspace-style documentation requests). The primary sources the spec cites,
//! read at nova master `00a03040`: `nova/api/openstack/compute/servers.py` (`_stop`, `_start`, `show`,
//! `_get_servers`, `_get_instance`), `compute/schemas/servers.py` (`stop_server`, `start_server`),
//! `nova/api/openstack/wsgi.py` (`action_peek`, `Resource.__call__`, `_process_stack`, `Fault`),
//! `nova/api/openstack/common.py` (`_STATE_MAP`, `raise_http_conflict_for_instance_invalid_state`),
//! `nova/compute/api.py` (`check_instance_lock`, `check_instance_host`, `check_instance_state`, `stop`,
//! `start`, `get`, `lock`, `unlock`, `is_expected_locked_by`), `compute/lock_server.py` and
//! `compute/schemas/lock_server.py`, `nova/api/validation/validators.py` (how a schema error is worded),
//! `nova/exception.py`, `nova/policies/{base,servers,lock_server}.py`, `compute/routes.py`,
//! `nova/api/openstack/__init__.py` (`ProjectMapper`, `LegacyV2CompatibleWrapper`), `urlmap.py`,
//! `etc/nova/api-paste.ini`, `api_version_request.py`, `compute/views/servers.py`, `compute/versions.py`;
//! keystonemiddleware `auth_token/__init__.py`; microversion-parse `get_version`; webob 1.8 `exc.py`
//! (error page rendering); oslo.utils `strutils.bool_from_string`; jsonschema's `_keywords.py` (the
//! wording of `type`, `minLength`, `maxLength` and `additionalProperties` complaints).
//!
//! Files, as every provider's (ARCHITECTURE.md, "One shape for every provider"): `routes.rs` (which
//! endpoint and route a path names; path segments and query strings decoded), `models.rs` (tokens,
//! servers, states, the `compute.API` checks and transitions, `hostId`; no wire knowledge),
//! `responses/` (the order of checks of a request in its `mod.rs`, then a file per concern: microversions,
//! content types and headers, `action_peek`, stop/start, lock/unlock, show and list, the JSON views as Nova
//! spells them, diagnoses, Python's spelling), `errors.rs` (every error: status, fault name, message,
//! body), `tests.rs` (behaviour through a whole `Sim`).
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
//! - [x] `lock` / `unlock` (§3.7): 202 with an empty body in any state; from 2.73 (on `/v2.1`) the value
//!   must be null or `{"locked_reason": 1–255 characters}` (else 400 in jsonschema's words, before the
//!   lookup) and the reason is kept; below 2.73 and on `/v2` any value locks and a reason is dropped
//!   (nova's 2.1–2.72 schema `lock: {}` and `_lock` reading the reason only from 2.73); `locked_by` owner
//!   when the caller's project is the server's (admins included), else admin; the owner's relock changes
//!   nothing; unlocking never fails on state, but a lock of the other kind needs `unlock_override`
//!   (admins) → 403 with the rule's name; `locked` ≥ 2.9, `locked_reason` ≥ 2.73 in the views; the
//!   scenario's `locked_by` / `locked_reason` seed it; events `unlocked → locked by owner` …
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
//!   texts are quoted by the spec (the policy text only for `servers:stop` and §3.7's `unlock_override`,
//!   the `Cannot '…' instance` texts only for `'stop'`); os-start's state refusals, the policy texts of
//!   `servers:start`, `:show`, `:index`, `:detail`, `…:get_all_tenants`, `os-lock-server:lock` and `:unlock`,
//!   `marker [...] not found`, the query-parameter and lock-schema texts, webob's JSON
//!   404 page and its 503 explanation are upstream's but not in the spec, and the 429 and 501 texts are the
//!   simulator's own: all marked [U] (checked on every story and random script in `tests/`)
//! - [ ] other actions (reboot, pause, shelve, …) and routes (create, update, delete, sub-resources) → 501
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

use super::{Ctx, Outcome, Throttle};
use crate::fleet::{Provider, ServerView, StateFamily, StateMachine};
use crate::scenario::{NovaFaults, NovaFleet};
use crate::wire::WireRequest;
use models::{Fleet, Token};
use std::collections::BTreeMap;

/// `2026-01-05T09:00:00Z`, the wall-clock time shown for T+0, in epoch milliseconds.
pub const EPOCH_BASE_MS: i64 = responses::days_from_civil(2026, 1, 5) * 86_400_000 + 9 * 3_600_000;

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

/// What Nova answers to a `lock` whose `locked_reason` is `reason`, sent with `OpenStack-API-Version:
/// {header}` (or none) to a cloud whose maximum microversion is `max` (spec §3.7): `None` when it is
/// accepted — below 2.73 any reason is, and dropped — else the 400's message (schema `lock_v273`). An
/// unusable header is [`microversion_error`]'s to report. The page's validation as you type shows this.
pub fn locked_reason_error(reason: &str, header: Option<&str>, max: &str) -> Option<String> {
    let mut req = WireRequest::new("POST", "/");
    if let Some(h) = header {
        req = req.with_header(responses::VERSION_HEADER, h);
    }
    let max = parse_version(max).unwrap_or(responses::MIN_VERSION);
    let version = responses::negotiate_version(responses::requested_version(&req).as_deref(), max).ok()?;
    if version < (2, 73) {
        return None;
    }
    responses::lock_schema_error(&serde_json::json!({ "lock": { "locked_reason": reason } }).to_string())
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
        let (fleet, tokens) = models::load(fleet, ctx);
        Backend { fleet, tokens, faults: faults.clone(), throttle: Throttle::default() }
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &WireRequest, ctx: &mut Ctx) -> Outcome {
        responses::handle(self, req, ctx)
    }
}

impl Backend {
    /// Completes the transition scheduled as `seq` for server `key`, unless superseded.
    pub fn fire(&mut self, key: &str, seq: u64, ctx: &mut Ctx) {
        let Some(&index) = self.fleet.by_id.get(key) else { return };
        let Some(server) = self.fleet.servers.get_mut(index) else { return };
        let before = server.display_state();
        if server.complete(seq, models::wall_ms(ctx.now)) {
            let after = server.display_state();
            ctx.event(Provider::Nova, &server.id, &before, &after, "completed");
        }
    }

    /// Every server.
    pub fn views(&self) -> Vec<ServerView> {
        self.fleet.servers.iter().map(models::server_view).collect()
    }

    /// One server.
    pub fn view(&self, id: &str) -> Option<ServerView> {
        self.fleet.by_id.get(id).and_then(|&i| self.fleet.servers.get(i)).map(models::server_view)
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
