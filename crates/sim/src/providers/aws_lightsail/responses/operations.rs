//! The operations themselves, once a request passed the framework's stages: `StopInstance` (with
//! `force`), `StartInstance`, `GetInstance`, `GetInstanceState`, `GetInstances` (its page tokens) and
//! `GetOperation`: the account's model called, `NotFoundException` and the state rules' refusals worded as
//! the service words them, each with its diagnosis.

use super::super::errors::{ErrorType, LightsailError};
use super::super::models::{Account, OpStatus, Refusal, StartKind, StopKind, StuckCause};
use super::super::routes::Route;
use super::super::Backend;
use super::input::shorten;
use super::shapes::{
    instance_shape, operation_shape, GetInstancesOutput, GetOperationOutput, OperationsOutput,
};
use super::{status_note, Answer, Fail};
use crate::exchange::{Confidence, Diagnosis};
use crate::providers::aws_json::AwsJsonOperation;
use crate::providers::{json_body, Ctx};
use crate::time::SimTime;

/// Instances per `GetInstances` page (the real page size is unknown [U]).
pub const GET_INSTANCES_PAGE_SIZE: usize = 25;

pub(super) fn not_found(name: &str, op: Route) -> Fail {
    Fail::new(
        LightsailError::modeled(
            ErrorType::NotFound,
            format!("The Instance does not exist: {}", shorten(name)),
            "Check the instance name (names are case-sensitive) and the AWS Region. GetInstances lists the \
             instances in this Region.",
        ),
        Diagnosis::new(
            format!(
                "No instance called '{}' exists in this Region, so {} answers NotFoundException with code \
                 DoesNotExist.{}",
                shorten(name),
                op.name(),
                if name == "string" {
                    " (\"string\" is the API reference's placeholder: use a real name such as WordPress-1.)"
                } else {
                    ""
                }
            ),
            "stop-apis.md §2.3 (L6)",
            Confidence::Primary,
        )
        .with_doc_note(status_note(ErrorType::NotFound))
        .with_setting("settings.status_profile"),
    )
}

pub(super) fn find(account: &Account, name: &str, op: Route) -> Result<usize, Fail> {
    account.find(name).ok_or_else(|| not_found(name, op))
}

pub(super) fn instance_diagnosis(why: String) -> Diagnosis {
    Diagnosis::new(why, "stop-apis.md §2.4", Confidence::Primary).with_doc_note(
        "Only code 16 (running) is confirmed for Lightsail; 0 pending, 64 stopping and 80 stopped are the EC2 \
         codes, assumed [U].",
    )
}

fn operations_body(b: &Backend, serial: u64) -> String {
    let operations = b.account.operation(serial).map(|op| operation_shape(b, op)).into_iter().collect();
    json_body(&OperationsOutput { operations }, 384)
}

fn seconds(from: SimTime, to: Option<SimTime>) -> String {
    match to {
        Some(t) => {
            let ms = t.as_millis().saturating_sub(from.as_millis());
            format!("{}.{:03} s", ms / 1000, ms % 1000)
        }
        None => "never (stuck)".to_string(),
    }
}

pub(super) fn stop_instance(
    b: &mut Backend,
    name: &str,
    force: bool,
    force_given: bool,
    ctx: &mut Ctx,
) -> Answer {
    let index = find(&b.account, name, Route::StopInstance)?;
    let stuck_rate = b.faults.stuck_rate;
    let now = ctx.now;
    match b.account.stop(index, force, stuck_rate, ctx) {
        Ok(accepted) => {
            let body = operations_body(b, accepted.op);
            let after = seconds(now, accepted.due);
            let diagnosis = match accepted.kind {
                StopKind::Started if force => Diagnosis::new(
                    format!(
                        "{name} was running. force: true is documented for instances stuck in stopping only; on a \
                         running instance the simulator does a normal stop: running → stopping (64), stopped (80) \
                         after {after}. The public IP is released then unless a static IP is attached."
                    ),
                    "stop-apis.md §2.1, §2.5",
                    Confidence::Unconfirmed,
                ),
                StopKind::Started => Diagnosis::new(
                    format!(
                        "{name} was running, so the stop starts: running → stopping (64), stopped (80) after \
                         {after}. The response is the Started operation (isTerminal false); it becomes Succeeded \
                         when the instance is stopped.{}",
                        if force_given { " force: false is the same as omitting it." } else { "" }
                    ),
                    "stop-apis.md §2.2, §2.4 (L1, L2)",
                    Confidence::Primary,
                )
                .with_doc_note(
                    "Codes 64 and 80 are EC2's; only 16 (running) is confirmed for Lightsail [U]. The public IP is \
                     released when the stop completes unless a static IP is attached.",
                )
                .with_setting("settings.lightsail.stopping"),
                StopKind::StartedStuck(cause) => {
                    let (reason, setting) = match cause {
                        StuckCause::Fleet => {
                            ("the fleet definition marks this instance as one whose stops hang", "fleet.lightsail[].stuck")
                        }
                        StuckCause::Fault => ("the injected stuck-stop fault fired", "faults.lightsail.stuck_rate"),
                    };
                    Diagnosis::new(
                        format!(
                            "{name} was running and the stop starts (running → stopping), but {reason}: it stays \
                             in stopping until StopInstance is sent with force: true. The operation stays Started."
                        ),
                        "stop-apis.md §2.1, §2.4",
                        Confidence::Unconfirmed,
                    )
                    .with_setting(setting)
                }
                StopKind::AlreadyStopping { stuck } => Diagnosis::new(
                    format!(
                        "{name} is already stopping, and force is not set: Lightsail accepts the call with a new \
                         Started operation and nothing changes [U].{}",
                        if stuck {
                            " The instance is stuck: only StopInstance with force: true will finish the stop."
                        } else {
                            " The stop already in progress completes as scheduled; this operation succeeds with it."
                        }
                    ),
                    "stop-apis.md §2.5 (L21, L22)",
                    Confidence::Unconfirmed,
                ),
                StopKind::Forced { was_stuck, kept_earlier } => Diagnosis::new(
                    format!(
                        "{name} is {}in stopping and force: true is set — the documented use of force — so the \
                         stop is forced: stopped after {after}.{}",
                        if was_stuck { "stuck " } else { "" },
                        if kept_earlier { " (The normal completion was due sooner, so it was kept.)" } else { "" }
                    ),
                    "stop-apis.md §2.1, §2.5 (L3)",
                    Confidence::Primary,
                )
                .with_doc_note("The purpose of force is documented; how long a forced stop takes is not [U].")
                .with_setting("settings.lightsail.forced_stop"),
                StopKind::AlreadyStopped => Diagnosis::new(
                    format!(
                        "{name} is already stopped. The scenario answers 200 with a new operation that is \
                         complete at once (Succeeded, isTerminal true); nothing changes. No source says what \
                         Lightsail does here [U]."
                    ),
                    "stop-apis.md §2.5 (L19)",
                    Confidence::Unconfirmed,
                )
                .with_setting("settings.lightsail.stop_when_stopped"),
            };
            Ok((body, diagnosis))
        }
        Err(refusal) => Err(refused(name, refusal)),
    }
}

pub(super) fn start_instance(b: &mut Backend, name: &str, ctx: &mut Ctx) -> Answer {
    let index = find(&b.account, name, Route::StartInstance)?;
    let now = ctx.now;
    match b.account.start(index, ctx) {
        Ok(accepted) => {
            let body = operations_body(b, accepted.op);
            let after = seconds(now, accepted.due);
            let diagnosis = match accepted.kind {
                StartKind::Started { new_ip } => {
                    let ip = b.account.instance(index).and_then(|i| i.public_ip.clone()).unwrap_or_default();
                    Diagnosis::new(
                        format!(
                            "{name} was stopped, so it starts: stopped → pending (0), running (16) after {after}. {}",
                            if new_ip {
                                format!("It gets a new public IP ({ip}) because no static IP is attached.")
                            } else {
                                format!("Its static IP {ip} stays attached.")
                            }
                        ),
                        "stop-apis.md §2.1, §2.4",
                        Confidence::Primary,
                    )
                    .with_doc_note("Code 0 for pending is EC2's, assumed for Lightsail [U].")
                    .with_setting("settings.lightsail.pending")
                }
                StartKind::AlreadyPending => Diagnosis::new(
                    format!(
                        "{name} is already starting (pending): the call is accepted with a new Started operation \
                         and nothing changes [U]."
                    ),
                    "stop-apis.md §2.4, §2.5",
                    Confidence::Unconfirmed,
                ),
            };
            Ok((body, diagnosis))
        }
        Err(refusal) => Err(refused(name, refusal)),
    }
}

fn refused(name: &str, refusal: Refusal) -> Fail {
    let (message, tip, why, spec, setting) = match refusal {
        Refusal::StopPending => (
            format!("The instance {name} is pending and cannot be stopped until it is running."),
            "Wait until the instance state is running (GetInstanceState), then stop it.",
            format!(
                "{name} is still starting (pending). Stopping a pending instance is refused with 400 \
                     InvalidInputException [U]."
            ),
            "stop-apis.md §2.3, §2.5 (L20)",
            None,
        ),
        Refusal::StopStopped => (
            format!("The instance {name} is already stopped."),
            "No action is needed. To start it again, use StartInstance.",
            format!(
                "{name} is already stopped. The scenario answers 400 InvalidInputException (the alternative \
                     is 200 with a new operation); no source says which Lightsail does [U]."
            ),
            "stop-apis.md §2.5 (L19)",
            Some("settings.lightsail.stop_when_stopped"),
        ),
        Refusal::StartRunning => (
            format!("The instance {name} is already running."),
            "No action is needed. To stop it, use StopInstance.",
            format!("{name} is already running; starting it is refused with 400 InvalidInputException [U]."),
            "stop-apis.md §2.3, §2.4",
            None,
        ),
        Refusal::StartStopping => (
            format!("The instance {name} is stopping and cannot be started until it is stopped."),
            "Wait until the instance state is stopped (GetInstanceState), then start it.",
            format!("{name} is still stopping; starting it is refused with 400 InvalidInputException [U]."),
            "stop-apis.md §2.3, §2.4",
            None,
        ),
    };
    let mut diagnosis = Diagnosis::new(why, spec, Confidence::Unconfirmed);
    if let Some(setting) = setting {
        diagnosis = diagnosis.with_setting(setting);
    }
    Fail::new(LightsailError::modeled(ErrorType::InvalidInput, message, tip), diagnosis)
}

fn page_token(offset: usize) -> String {
    format!("fleetplay-page-{offset:08x}")
}

fn parse_page_token(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("fleetplay-page-")?;
    // Eight hex digits exactly: the integer parser alone would also take a leading `+`.
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    usize::from_str_radix(hex, 16).ok()
}

pub(super) fn get_instances(b: &Backend, token: Option<&str>) -> Answer {
    let total = b.account.instances.len();
    let start = match token {
        None => 0,
        Some(t) => match parse_page_token(t).filter(|&o| o > 0 && o < total) {
            Some(offset) => offset,
            None => return Err(Fail::new(
                LightsailError::modeled(
                    ErrorType::InvalidInput,
                    "The page token is not valid.",
                    "Use the nextPageToken value of the previous GetInstances response unchanged, or omit \
                         pageToken to get the first page.",
                ),
                Diagnosis::new(
                    "pageToken is not a token this simulated account issued; Lightsail rejects it with \
                         InvalidInputException [U].",
                    "stop-apis.md §2.4",
                    Confidence::Unconfirmed,
                ),
            )),
        },
    };
    let end = start.saturating_add(GET_INSTANCES_PAGE_SIZE).min(total);
    let next_page_token = (end < total).then(|| page_token(end));
    let instances = (start..end).filter_map(|index| instance_shape(b, index)).collect();
    let body = json_body(&GetInstancesOutput { instances, next_page_token }, 64 + 1536 * (end - start));
    let why = format!(
        "Instances {}–{} of {total} in this Region{}.",
        if end > start { start + 1 } else { 0 },
        end,
        if end < total { "; nextPageToken fetches the rest" } else { "" }
    );
    Ok((body, instance_diagnosis(why)))
}

pub(super) fn get_operation(b: &Backend, id: &str) -> Answer {
    match b.account.operation_by_id(id) {
        Some(op) => {
            let body = json_body(&GetOperationOutput { operation: operation_shape(b, op) }, 384);
            let resource = b.account.instance(op.instance).map_or("", |i| i.name.as_str());
            let why = match op.status {
                OpStatus::Started => format!(
                    "Operation {} ({} of {resource}) has not finished: status Started, isTerminal false.",
                    op.id,
                    op.op_type.name(),
                ),
                OpStatus::Succeeded => format!(
                    "Operation {} ({} of {resource}) finished: status Succeeded, isTerminal true, statusChangedAt \
                     is when the instance reached its target state.",
                    op.id,
                    op.op_type.name(),
                ),
            };
            Ok((
                body,
                Diagnosis::new(why, "stop-apis.md §2.2, §2.4 (L4)", Confidence::Primary).with_doc_note(
                    "That an operation succeeds exactly when the instance reaches its target state is the \
                     simulator's pairing [U].",
                ),
            ))
        }
        None => Err(Fail::new(
            LightsailError::modeled(
                ErrorType::NotFound,
                format!("The Operation does not exist: {}", shorten(id)),
                "Use an operation id returned by a recent request in this AWS Region.",
            ),
            Diagnosis::new(
                format!("No operation with id '{}' is known in this Region.", shorten(id)),
                "stop-apis.md §2.3",
                Confidence::Unconfirmed,
            )
            .with_doc_note(status_note(ErrorType::NotFound))
            .with_setting("settings.status_profile"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_tokens_are_eight_hex_digits() {
        assert_eq!(parse_page_token(&page_token(25)), Some(25));
        assert_eq!(parse_page_token("fleetplay-page-+0000019"), None);
        assert_eq!(parse_page_token("fleetplay-page-0000019"), None);
    }
}
