//! JSON rendering of the Lightsail shapes `Operation`, `Instance` and `InstanceState`, written by hand for speed.
//!
//! Member names and order follow the botocore model (BC-LS) and the AWS CLI examples (CLI-LS). Timestamps are
//! epoch-second numbers printed the way serde_json prints an `f64` (shortest round-trip form, `.0` for whole
//! seconds). The parts of an `Instance` that never change are rendered once per instance and cached by the
//! caller; only `publicIpAddress` and `state` are written per request.

use super::models::{blueprint, bundle, Instance, InstanceState, Operation};
use super::EPOCH_BASE_SECS;
use crate::providers::aws_json;
use crate::time::SimTime;
use std::fmt::Write;

/// Presents a simulated time as AWS epoch seconds: the fixed base [`EPOCH_BASE_SECS`] plus the time since
/// the scenario started, with millisecond fractions. (The writers below print the same value with integer
/// arithmetic; this is the reference they are tested against.)
#[cfg(test)]
pub fn epoch_seconds(t: SimTime) -> f64 {
    (EPOCH_BASE_SECS.saturating_mul(1000).saturating_add(t.as_millis())) as f64 / 1000.0
}

/// Writes epoch milliseconds `total_ms` as the epoch-seconds number serde_json would print for the `f64`
/// `total_ms / 1000` (shortest round-trip form: `1767225600.0`, `1767225600.5`, `1767225600.134`), using integer
/// arithmetic only.
fn push_epoch_ms(out: &mut String, total_ms: u64) {
    let (secs, ms) = (total_ms / 1000, total_ms % 1000);
    aws_json::push_u64(out, secs);
    out.push('.');
    if ms == 0 {
        out.push('0');
        return;
    }
    let digits = [b'0' + (ms / 100) as u8, b'0' + (ms / 10 % 10) as u8, b'0' + (ms % 10) as u8];
    let keep = if digits[2] != b'0' {
        3
    } else if digits[1] != b'0' {
        2
    } else {
        1
    };
    for &d in digits.iter().take(keep) {
        out.push(char::from(d));
    }
}

/// Writes a simulated time as epoch seconds (see [`epoch_seconds`]).
fn push_time(out: &mut String, t: SimTime) {
    push_epoch_ms(out, EPOCH_BASE_SECS.saturating_mul(1000).saturating_add(t.as_millis()));
}

/// Writes the epoch seconds of a moment `ms` milliseconds before the scenario started.
fn push_time_before(out: &mut String, ms: u64) {
    push_epoch_ms(out, EPOCH_BASE_SECS.saturating_mul(1000).saturating_sub(ms));
}

/// Writes a bundle's RAM as serde_json writes an `f32` (`0.5`, `1.0`, `32.0`). Every bundle's RAM is a whole
/// number of half gigabytes, so this needs none of core's float formatting (large in the web build).
fn push_ram(out: &mut String, ram: f32) {
    let halves = (ram * 2.0) as u32;
    let _ = write!(out, "{}.{}", halves / 2, if halves % 2 == 1 { 5 } else { 0 });
}

/// `"name":` followed by a JSON string.
fn member_str(out: &mut String, name: &str, value: &str) {
    out.push('"');
    out.push_str(name);
    out.push_str("\":");
    aws_json::push_json_str(out, value);
}

fn location(out: &mut String, availability_zone: &str, region: &str) {
    out.push_str("\"location\":{");
    member_str(out, "availabilityZone", availability_zone);
    out.push(',');
    member_str(out, "regionName", region);
    out.push('}');
}

/// An `InstanceState` object: `{"code":16,"name":"running"}`.
pub fn state(out: &mut String, state: InstanceState) {
    out.push_str(match state {
        InstanceState::Pending => "{\"code\":0,\"name\":\"pending\"}",
        InstanceState::Running => "{\"code\":16,\"name\":\"running\"}",
        InstanceState::Stopping => "{\"code\":64,\"name\":\"stopping\"}",
        InstanceState::Stopped => "{\"code\":80,\"name\":\"stopped\"}",
    });
}

/// An `Operation` object.
pub fn operation(
    out: &mut String,
    op: &Operation,
    resource_name: &str,
    availability_zone: &str,
    region: &str,
) {
    out.push('{');
    member_str(out, "id", &op.id);
    out.push(',');
    member_str(out, "resourceName", resource_name);
    out.push_str(",\"resourceType\":\"Instance\",\"createdAt\":");
    push_time(out, op.created);
    out.push(',');
    location(out, availability_zone, region);
    out.push_str(",\"isTerminal\":");
    out.push_str(if op.is_terminal() { "true" } else { "false" });
    out.push_str(",\"operationType\":\"");
    out.push_str(op.op_type.name());
    out.push_str("\",\"status\":\"");
    out.push_str(op.status.name());
    out.push_str("\",\"statusChangedAt\":");
    push_time(out, op.status_changed);
    out.push('}');
}

/// The parts of an `Instance` object that never change, with the places where the public IP and the state go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceJson {
    text: String,
    ip_at: usize,
    state_at: usize,
}

impl InstanceJson {
    /// Renders the fixed parts of `inst`.
    pub fn build(inst: &Instance, account_id: &str, availability_zone: &str, region: &str) -> InstanceJson {
        let bp = blueprint(&inst.blueprint_id);
        let (cpus, ram, disk_gb, transfer_gb) = bundle(&inst.bundle_id);
        let created_ms = inst.created_ms_before_start;
        let mut out = String::with_capacity(1400);
        out.push('{');
        member_str(&mut out, "name", &inst.name);
        out.push(',');
        member_str(
            &mut out,
            "arn",
            &format!("arn:aws:lightsail:{region}:{account_id}:Instance/{}", inst.resource_id),
        );
        out.push(',');
        member_str(&mut out, "supportCode", &inst.support_code);
        out.push_str(",\"createdAt\":");
        push_time_before(&mut out, created_ms);
        out.push(',');
        location(&mut out, availability_zone, region);
        out.push_str(",\"resourceType\":\"Instance\",\"tags\":[],");
        member_str(&mut out, "blueprintId", &inst.blueprint_id);
        out.push(',');
        member_str(&mut out, "blueprintName", bp.name);
        out.push(',');
        member_str(&mut out, "bundleId", &inst.bundle_id);
        out.push_str(",\"isStaticIp\":");
        out.push_str(if inst.static_ip { "true" } else { "false" });
        out.push(',');
        member_str(&mut out, "privateIpAddress", &inst.private_ip);
        let ip_at = out.len();
        out.push_str(",\"ipAddressType\":\"ipv4\",\"hardware\":{");
        let _ = write!(out, "\"cpuCount\":{cpus},\"disks\":[{{\"createdAt\":");
        push_time_before(&mut out, created_ms);
        let _ = write!(
            out,
            ",\"sizeInGb\":{disk_gb},\"isSystemDisk\":true,\"iops\":{},\"path\":\"/dev/xvda\",",
            (disk_gb * 3).max(100)
        );
        member_str(&mut out, "attachedTo", &inst.name);
        out.push_str(",\"attachmentState\":\"attached\"}],\"ramSizeInGb\":");
        push_ram(&mut out, ram);
        let _ = write!(
            out,
            "}},\"networking\":{{\"monthlyTransfer\":{{\"gbPerMonthAllocated\":{transfer_gb}}},\"ports\":["
        );
        let ports: &[u16] = if bp.web { &[80, 22, 443] } else { &[22] };
        for (i, port) in ports.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"fromPort\":{port},\"toPort\":{port},\"protocol\":\"tcp\",\"accessFrom\":\"Anywhere (0.0.0.0/0)\",\
                 \"accessType\":\"public\",\"commonName\":\"\",\"accessDirection\":\"inbound\",\
                 \"cidrs\":[\"0.0.0.0/0\"]}}"
            );
        }
        out.push_str("]},\"state\":");
        let state_at = out.len();
        out.push(',');
        member_str(&mut out, "username", bp.username);
        out.push_str(
            ",\"sshKeyName\":\"LightsailDefaultKeyPair\",\"metadataOptions\":{\"state\":\"applied\",\
             \"httpTokens\":\"optional\",\"httpEndpoint\":\"enabled\",\"httpPutResponseHopLimit\":1,\
             \"httpProtocolIpv6\":\"disabled\"}}",
        );
        InstanceJson { text: out, ip_at, state_at }
    }

    /// Writes the whole `Instance` object, with the current public IP and state of `inst`.
    pub fn write(&self, out: &mut String, inst: &Instance) {
        let (head, rest) = self.text.split_at(self.ip_at.min(self.text.len()));
        let split = self.state_at.saturating_sub(self.ip_at).min(rest.len());
        let (mid, tail) = rest.split_at(split);
        out.push_str(head);
        if let Some(ip) = &inst.public_ip {
            out.push(',');
            member_str(out, "publicIpAddress", ip);
        }
        out.push_str(mid);
        state(out, inst.state);
        out.push_str(tail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn numbers_print_like_serde_json() {
        for ms in [0u64, 1, 10, 100, 120, 134, 500, 999, 1_000, 86_399_999, 31_536_000_123] {
            let mut mine = String::new();
            push_time(&mut mine, SimTime(ms));
            assert_eq!(mine, serde_json::to_string(&epoch_seconds(SimTime(ms))).unwrap_or_default(), "{ms}");
            let mut before = String::new();
            push_time_before(&mut before, ms);
            let v = (EPOCH_BASE_SECS * 1000 - ms) as f64 / 1000.0;
            assert_eq!(before, serde_json::to_string(&v).unwrap_or_default(), "-{ms}");
        }
        for ram in [0.5f32, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0] {
            assert_eq!(format!("{ram:?}"), serde_json::to_string(&ram).unwrap_or_default());
            let mut mine = String::new();
            push_ram(&mut mine, ram);
            assert_eq!(mine, format!("{ram:?}"));
        }
        for id in
            ["nano_3_0", "micro_3_0", "small_3_0", "medium_3_0", "large_3_0", "xlarge_3_0", "2xlarge_3_0"]
        {
            let ram = super::super::models::bundle(id).1;
            assert_eq!(ram * 2.0, (ram * 2.0).trunc(), "{id}");
        }
    }

    #[test]
    fn states_render_their_codes() {
        for st in
            [InstanceState::Pending, InstanceState::Running, InstanceState::Stopping, InstanceState::Stopped]
        {
            let mut out = String::new();
            state(&mut out, st);
            assert_eq!(out, format!("{{\"code\":{},\"name\":\"{}\"}}", st.code(), st.name()));
        }
        for v in [0u64, 9, 10, 1_767_225_600, u64::MAX] {
            let mut out = String::new();
            aws_json::push_u64(&mut out, v);
            assert_eq!(out, v.to_string());
        }
    }

    #[test]
    fn strings_are_escaped_when_needed() {
        let mut out = String::new();
        aws_json::push_json_str(&mut out, "a\"b\\c\n");
        assert_eq!(serde_json::from_str::<Value>(&out).ok(), Some(Value::from("a\"b\\c\n")));
    }
}
