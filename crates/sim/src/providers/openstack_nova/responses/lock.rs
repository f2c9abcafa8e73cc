//! `lock` and `unlock` (spec §3.7): the lock's schema from microversion 2.73, the lookup, the
//! `os-lock-server` policies (and `unlock_override`), `compute.API.lock` / `unlock`, and the timeline's
//! words for a server's lock.

use super::super::errors::{self, NovaError};
use super::super::models::{self, Fleet, LockChange, Token};
use super::super::routes::Api;
use super::fail;
use super::headers::{success_content_type, Envelope, MIN_VERSION};
use super::lock_schema::lock_schema_error;
use crate::exchange::{Confidence, Diagnosis};
use crate::fleet::Provider;
use crate::providers::{Ctx, Outcome};
use crate::scenario::NovaLockedBy;
use crate::wire::{WireRequest, WireResponse};
use serde_json::Value;

impl Fleet {
    /// The `lock` action (spec §3.7): from microversion 2.73 the body's schema (`lock_v273`), then the
    /// lookup, the `os-lock-server:lock` policy and `compute.API.lock`.
    pub(super) fn lock(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        id: String,
        value: &Value,
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
        let server = match self.instance_to_act_on(&id, token, "lock", errors::LOCK_POLICY) {
            Ok(server) => server,
            Err(denied) => return fail(env, req, uri, denied.error, op, denied.server, &denied.detail),
        };
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
        let diagnosis = Diagnosis::new(
            why,
            "stop-apis.md §3.7 (lock; nova lock_server.py, compute/api.py lock)",
            Confidence::Primary,
        )
        .with_doc_note(
            "Who counts as the owner is decided by the caller's project: an admin scoped to the server's own \
             project locks as owner, an admin of another project as admin (compute.API.lock).",
        );
        accepted(req, env, op, id, diagnosis)
    }

    /// The `unlock` action (spec §3.7): the lookup, the `os-lock-server:unlock` policy, then
    /// `unlock_override` when the caller is not the kind that locked it, and `compute.API.unlock`.
    pub(super) fn unlock(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        id: String,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some("unlock".to_string());
        let server = match self.instance_to_act_on(&id, token, "unlock", errors::UNLOCK_POLICY) {
            Ok(server) => server,
            Err(denied) => return fail(env, req, uri, denied.error, op, denied.server, &denied.detail),
        };
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
        let why = match before {
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
        let diagnosis = Diagnosis::new(
            why,
            "stop-apis.md §3.7 (unlock, unlock_override; nova lock_server.py, compute/api.py unlock)",
            Confidence::Primary,
        );
        accepted(req, env, op, id, diagnosis)
    }
}

/// A lock or unlock that went through: 202 with no body, and its diagnosis.
fn accepted(
    req: &WireRequest,
    env: Envelope,
    operation: Option<String>,
    id: String,
    diagnosis: Diagnosis,
) -> Outcome {
    let response = WireResponse::new(202).with_header("Content-Type", success_content_type(req));
    Outcome { response: env.finish(response), operation, server: Some(id), diagnosis }
}

/// A server's lock as the timeline shows it.
fn lock_state(by: Option<NovaLockedBy>) -> &'static str {
    match by {
        None => "unlocked",
        Some(NovaLockedBy::Owner) => "locked by owner",
        Some(NovaLockedBy::Admin) => "locked by admin",
    }
}
