//! The reading operations (spec §3.4): `GET /servers/{id}` and `GET /servers` / `/servers/detail`, with
//! the `show`, `index` and `detail` policies, what a caller may see, `all_tenants`, and `limit`/`marker`
//! paging, newest first.

use super::super::errors::NovaError;
use super::super::models::{power_state_name, Fleet, Server, Token};
use super::super::routes;
use super::fail;
use super::headers::{success_content_type, Envelope};
use super::views::{list_body, show_body, ViewCtx};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::{Ctx, Outcome};
use crate::wire::{WireRequest, WireResponse};

/// `CONF.api.max_limit`: the longest page a list answers.
const MAX_LIMIT: usize = 1000;

impl Fleet {
    pub(super) fn show(
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
        let body = show_body(server, view);
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
        let response =
            WireResponse::new(200).with_header("Content-Type", success_content_type(req)).with_body(body);
        Outcome { response: env.finish(response), operation: op, server: Some(id), diagnosis }
    }

    pub(super) fn list(
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
            routes::query_pairs(query).into_iter().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
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
        let limit = limit_asked.unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
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
        let body = list_body(page.iter().copied(), view, detail, next.map(|m| (m, params.as_slice())));
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
        let response =
            WireResponse::new(200).with_header("Content-Type", success_content_type(req)).with_body(body);
        Outcome { response: env.finish(response), operation: op, server: None, diagnosis }
    }
}
