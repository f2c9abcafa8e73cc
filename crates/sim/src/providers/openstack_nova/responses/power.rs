//! `os-stop` and `os-start` (spec §3.3, §3.4): the lookup and policy every server action shares
//! (`common.get_instance`, then member of the server's project or admin), the `compute.API` state checks in
//! decorator order, then the transition scheduled on the simulated clock.

use super::super::errors::{self, NovaError};
use super::super::models::{self, Fleet, PowerAction, Refusal, Server, Token};
use super::diagnosis::{diagnose_accepted, state_summary};
use super::fail;
use super::headers::{success_content_type, Envelope};
use crate::fleet::Provider;
use crate::providers::{Ctx, Outcome};
use crate::wire::{WireRequest, WireResponse};

impl Fleet {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn power_action(
        &mut self,
        req: &WireRequest,
        env: Envelope,
        ctx: &mut Ctx,
        token: &Token,
        action: PowerAction,
        id: String,
        value: &serde_json::Value,
    ) -> Outcome {
        let uri = ctx.settings.nova.www_authenticate_uri.as_str();
        let op = Some(action_name(action).to_string());
        let rule = match action {
            PowerAction::Stop => errors::STOP_POLICY,
            PowerAction::Start => "os_compute_api:servers:start",
        };
        let server = match self.instance_to_act_on(&id, token, action_name(action), rule) {
            Ok(server) => server,
            Err(denied) => return fail(env, req, uri, denied.error, op, denied.server, &denied.detail),
        };
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
        let diagnosis = diagnose_accepted(action, server, value, env.api, &notes);
        let response = WireResponse::new(202).with_header("Content-Type", success_content_type(req));
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    /// The instance the action `name` may act on, as Nova looks it up and authorises it: `common.get_instance`
    /// (the instance mapping first, 404 "has no mapping to a cell"; then the row as the caller may see it,
    /// 404 "could not be found"), then the action's policy `rule`, which needs member of the server's project
    /// or admin (403).
    pub(super) fn instance_to_act_on(
        &mut self,
        id: &str,
        token: &Token,
        name: &str,
        rule: &'static str,
    ) -> Result<&mut Server, Denied> {
        let Some(server) = self.by_id.get(id).copied().and_then(|i| self.servers.get_mut(i)) else {
            // An id never created: the answer names no server.
            let detail = format!("{id} is not in this cloud");
            return Err(Denied { error: NovaError::NoMapping(id.to_string()), server: None, detail });
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
            return Err(Denied {
                error: NovaError::NotFound(id.to_string()),
                server: Some(id.to_string()),
                detail,
            });
        }
        if !token.can_act_on(&server.project_id) {
            let detail = format!(
                "The token has the role(s) {} in project {}; {name} needs member of the server's project or admin.",
                token.roles(),
                token.project_id,
            );
            return Err(Denied { error: NovaError::Policy(rule), server: Some(id.to_string()), detail });
        }
        Ok(server)
    }
}

/// Why an action goes no further than [`Fleet::instance_to_act_on`]: the error, the server the answer names,
/// and the diagnosis's detail.
pub(super) struct Denied {
    pub error: NovaError,
    pub server: Option<String>,
    pub detail: String,
}

fn action_name(action: PowerAction) -> &'static str {
    match action {
        PowerAction::Stop => "os-stop",
        PowerAction::Start => "os-start",
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
