//! Output shapes: `Instance`, `InstanceState` and `Operation` as serde structs.
//!
//! Member names and order follow the botocore model (BC-LS) and the AWS CLI examples (CLI-LS). Timestamps are
//! epoch seconds as an `f64` (serde_json prints the shortest round-trip form, `.0` for whole seconds), a
//! bundle's RAM an `f32` (`0.5`, `1.0`). What never changes in an `Instance` (its ARN and its `hardware` and
//! `networking` objects, about two thirds of its text) is written once per instance when the fleet loads
//! ([`FixedParts`]) and copied into every answer as a [`RawValue`]; a `GetInstance` then writes a dozen small
//! members (three times the simulator's throughput of writing the whole shape each time).

use super::super::models::{blueprint, bundle, Instance, InstanceState, Operation};
use super::super::{Backend, EPOCH_BASE_SECS};
use crate::time::SimTime;
use serde::Serialize;
use serde_json::value::RawValue;

/// The `Instance` shape of the instance at `index`.
pub(super) fn instance_shape(b: &Backend, index: usize) -> Option<InstanceShape<'_>> {
    let (inst, fixed) = (b.account.instance(index)?, b.fixed.get(index)?);
    Some(InstanceShape::of(inst, fixed, &b.availability_zone, &b.region))
}

/// The `Operation` shape of `op`.
pub(super) fn operation_shape<'b>(b: &'b Backend, op: &'b Operation) -> OperationShape<'b> {
    let resource_name = b.account.instance(op.instance).map_or("", |i| i.name.as_str());
    OperationShape::of(op, resource_name, &b.availability_zone, &b.region)
}

/// Presents a simulated time as AWS epoch seconds: the fixed base [`EPOCH_BASE_SECS`] plus the time since
/// the scenario started, with millisecond fractions.
pub fn epoch_seconds(t: SimTime) -> f64 {
    epoch_ms(EPOCH_BASE_SECS.saturating_mul(1000).saturating_add(t.as_millis()))
}

/// The epoch seconds of a moment `ms` milliseconds before the scenario started.
fn epoch_seconds_before(ms: u64) -> f64 {
    epoch_ms(EPOCH_BASE_SECS.saturating_mul(1000).saturating_sub(ms))
}

fn epoch_ms(total_ms: u64) -> f64 {
    total_ms as f64 / 1000.0
}

/// `{"code": 16, "name": "running"}`.
#[derive(Serialize)]
pub struct StateShape {
    code: u32,
    name: &'static str,
}

impl StateShape {
    /// The shape of `state`.
    pub fn of(state: InstanceState) -> Self {
        StateShape { code: state.code().into(), name: state.name() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    availability_zone: &'a str,
    region_name: &'a str,
}

/// An `Operation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationShape<'a> {
    id: &'a str,
    resource_name: &'a str,
    resource_type: &'static str,
    created_at: f64,
    location: Location<'a>,
    is_terminal: bool,
    operation_type: &'static str,
    status: &'static str,
    status_changed_at: f64,
}

impl<'a> OperationShape<'a> {
    /// The shape of `op`, which acted on the instance `resource_name`.
    pub fn of(
        op: &'a Operation,
        resource_name: &'a str,
        availability_zone: &'a str,
        region: &'a str,
    ) -> Self {
        OperationShape {
            id: &op.id,
            resource_name,
            resource_type: "Instance",
            created_at: epoch_seconds(op.created),
            location: Location { availability_zone, region_name: region },
            is_terminal: op.is_terminal(),
            operation_type: op.op_type.name(),
            status: op.status.name(),
            status_changed_at: epoch_seconds(op.status_changed),
        }
    }
}

/// An `Instance`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceShape<'a> {
    name: &'a str,
    arn: &'a str,
    support_code: &'a str,
    created_at: f64,
    location: Location<'a>,
    resource_type: &'static str,
    tags: [&'static str; 0],
    blueprint_id: &'a str,
    blueprint_name: &'static str,
    bundle_id: &'a str,
    is_static_ip: bool,
    private_ip_address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_ip_address: Option<&'a str>,
    ip_address_type: &'static str,
    hardware: &'a RawValue,
    networking: &'a RawValue,
    state: StateShape,
    username: &'static str,
    ssh_key_name: &'static str,
    metadata_options: MetadataOptions,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hardware<'a> {
    cpu_count: u32,
    disks: [Disk<'a>; 1],
    ram_size_in_gb: f32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Disk<'a> {
    created_at: f64,
    size_in_gb: u32,
    is_system_disk: bool,
    iops: u32,
    path: &'static str,
    attached_to: &'a str,
    attachment_state: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Networking {
    monthly_transfer: MonthlyTransfer,
    ports: Vec<Port>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MonthlyTransfer {
    gb_per_month_allocated: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Port {
    from_port: u16,
    to_port: u16,
    protocol: &'static str,
    access_from: &'static str,
    access_type: &'static str,
    common_name: &'static str,
    access_direction: &'static str,
    cidrs: [&'static str; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetadataOptions {
    state: &'static str,
    http_tokens: &'static str,
    http_endpoint: &'static str,
    http_put_response_hop_limit: u32,
    http_protocol_ipv6: &'static str,
}

/// The parts of an `Instance` that never change, written once.
#[derive(Clone, Debug)]
pub struct FixedParts {
    arn: String,
    hardware: Box<RawValue>,
    networking: Box<RawValue>,
}

impl FixedParts {
    /// The fixed parts of `inst`.
    pub fn of(inst: &Instance, account_id: &str, region: &str) -> FixedParts {
        let bp = blueprint(&inst.blueprint_id);
        let (cpus, ram, disk_gb, transfer_gb) = bundle(&inst.bundle_id);
        let ports: &[u16] = if bp.web { &[80, 22, 443] } else { &[22] };
        let hardware = Hardware {
            cpu_count: cpus,
            disks: [Disk {
                created_at: epoch_seconds_before(inst.created_ms_before_start),
                size_in_gb: disk_gb,
                is_system_disk: true,
                iops: (disk_gb * 3).max(100),
                path: "/dev/xvda",
                attached_to: &inst.name,
                attachment_state: "attached",
            }],
            ram_size_in_gb: ram,
        };
        let networking = Networking {
            monthly_transfer: MonthlyTransfer { gb_per_month_allocated: transfer_gb },
            ports: ports
                .iter()
                .map(|&port| Port {
                    from_port: port,
                    to_port: port,
                    protocol: "tcp",
                    access_from: "Anywhere (0.0.0.0/0)",
                    access_type: "public",
                    common_name: "",
                    access_direction: "inbound",
                    cidrs: ["0.0.0.0/0"],
                })
                .collect(),
        };
        FixedParts {
            arn: format!("arn:aws:lightsail:{region}:{account_id}:Instance/{}", inst.resource_id),
            hardware: raw(&hardware),
            networking: raw(&networking),
        }
    }
}

/// `value` written as JSON text, to be copied as it is.
fn raw(value: &impl Serialize) -> Box<RawValue> {
    // Writing these shapes cannot fail, and serde_json's own text is valid JSON.
    let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_string());
    RawValue::from_string(text).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

impl<'a> InstanceShape<'a> {
    /// The shape of `inst` as it is now, around its fixed parts.
    pub fn of(
        inst: &'a Instance,
        fixed: &'a FixedParts,
        availability_zone: &'a str,
        region: &'a str,
    ) -> Self {
        let bp = blueprint(&inst.blueprint_id);
        InstanceShape {
            name: &inst.name,
            arn: &fixed.arn,
            support_code: &inst.support_code,
            created_at: epoch_seconds_before(inst.created_ms_before_start),
            location: Location { availability_zone, region_name: region },
            resource_type: "Instance",
            tags: [],
            blueprint_id: &inst.blueprint_id,
            blueprint_name: bp.name,
            bundle_id: &inst.bundle_id,
            is_static_ip: inst.static_ip,
            private_ip_address: &inst.private_ip,
            public_ip_address: inst.public_ip.as_deref(),
            ip_address_type: "ipv4",
            hardware: &fixed.hardware,
            networking: &fixed.networking,
            state: StateShape::of(inst.state),
            username: bp.username,
            ssh_key_name: "LightsailDefaultKeyPair",
            metadata_options: MetadataOptions {
                state: "applied",
                http_tokens: "optional",
                http_endpoint: "enabled",
                http_put_response_hop_limit: 1,
                http_protocol_ipv6: "disabled",
            },
        }
    }
}

/// `GetInstance`'s output.
#[derive(Serialize)]
pub struct GetInstanceOutput<'a> {
    /// The instance.
    pub instance: InstanceShape<'a>,
}

/// `GetInstanceState`'s output.
#[derive(Serialize)]
pub struct GetInstanceStateOutput {
    /// The state.
    pub state: StateShape,
}

/// `GetInstances`' output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetInstancesOutput<'a> {
    /// One page of instances.
    pub instances: Vec<InstanceShape<'a>>,
    /// Where the next page starts, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

/// `StopInstance`'s and `StartInstance`'s output.
#[derive(Serialize)]
pub struct OperationsOutput<'a> {
    /// The operation the request started (one).
    pub operations: Vec<OperationShape<'a>>,
}

/// `GetOperation`'s output.
#[derive(Serialize)]
pub struct GetOperationOutput<'a> {
    /// The operation.
    pub operation: OperationShape<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_epoch_seconds_with_milliseconds() {
        let text = |v: f64| serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(text(epoch_seconds(SimTime(0))), format!("{EPOCH_BASE_SECS}.0"));
        assert_eq!(text(epoch_seconds(SimTime(1_500))), format!("{}.5", EPOCH_BASE_SECS + 1));
        assert_eq!(text(epoch_seconds(SimTime(134))), format!("{EPOCH_BASE_SECS}.134"));
        assert_eq!(text(epoch_seconds_before(120)), format!("{}.88", EPOCH_BASE_SECS - 1));
        for ram in [0.5f32, 1.0, 32.0] {
            assert_eq!(serde_json::to_string(&ram).unwrap_or_default(), format!("{ram:?}"));
        }
    }

    #[test]
    fn states_render_their_codes() {
        for st in
            [InstanceState::Pending, InstanceState::Running, InstanceState::Stopping, InstanceState::Stopped]
        {
            assert_eq!(
                serde_json::to_string(&StateShape::of(st)).unwrap_or_default(),
                format!("{{\"code\":{},\"name\":\"{}\"}}", st.code(), st.name())
            );
        }
    }
}
