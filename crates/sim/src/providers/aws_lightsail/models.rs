//! The simulated Lightsail account: instances, their state machine, and operation records (no wire knowledge).
//!
//! States are spelled as Lightsail spells them (`pending`, `running`, `stopping`, `stopped`) with the numeric
//! codes of the EC2 table (spec §2.4: `16 running` is confirmed for Lightsail, the others are [U]). Every
//! state-changing request records an [`Operation`] that starts as `Started` and becomes `Succeeded` when the
//! instance reaches the target state (spec §2.2, §2.4).
//!
//! This module decides *what happens* (may this instance be stopped now? which transition is scheduled? is it
//! stuck?); `responses/` decides how that looks on the wire and which error a [`Refusal`] becomes.

use crate::fleet::{Provider, StateFamily};
use crate::providers::Ctx;
use crate::scenario::{LightsailInstanceDef, LightsailStopStopped};
use crate::time::SimTime;
use std::collections::{BTreeMap, VecDeque};

/// How many operation records are kept; the oldest are forgotten beyond this (GetOperation then answers
/// NotFound for them). Bounds memory in long or high-volume sessions; the real retention is unknown [U].
pub const MAX_OPERATIONS: usize = 50_000;

/// An instance state (spec §2.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum InstanceState {
    /// `pending` (code 0 [U]): booting after StartInstance.
    Pending,
    /// `running` (code 16 [P]).
    Running,
    /// `stopping` (code 64 [U]).
    Stopping,
    /// `stopped` (code 80 [U]).
    Stopped,
}

impl InstanceState {
    /// The state name as Lightsail spells it.
    pub fn name(self) -> &'static str {
        match self {
            InstanceState::Pending => "pending",
            InstanceState::Running => "running",
            InstanceState::Stopping => "stopping",
            InstanceState::Stopped => "stopped",
        }
    }

    /// The numeric state code (EC2 table; only 16 is confirmed for Lightsail).
    pub fn code(self) -> u16 {
        match self {
            InstanceState::Pending => 0,
            InstanceState::Running => 16,
            InstanceState::Stopping => 64,
            InstanceState::Stopped => 80,
        }
    }

    /// Colour family for the fleet panel.
    pub fn family(self) -> StateFamily {
        match self {
            InstanceState::Running => StateFamily::Running,
            InstanceState::Pending | InstanceState::Stopping => StateFamily::Transitional,
            InstanceState::Stopped => StateFamily::Stopped,
        }
    }

    /// Parses a scenario state name.
    pub fn parse(name: &str) -> Option<InstanceState> {
        match name {
            "pending" => Some(InstanceState::Pending),
            "running" => Some(InstanceState::Running),
            "stopping" => Some(InstanceState::Stopping),
            "stopped" => Some(InstanceState::Stopped),
            _ => None,
        }
    }
}

/// A transition in progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// State when it began.
    pub from: InstanceState,
    /// State it will reach.
    pub to: InstanceState,
    /// When it began.
    pub started: SimTime,
    /// When it completes; `None` while stuck (only a forced stop ends it).
    pub due: Option<SimTime>,
    /// Schedule token; a completion carrying another seq is stale.
    pub seq: u64,
    /// Operations (by serial) that succeed when the transition completes.
    pub ops: Vec<u64>,
}

/// One Lightsail instance.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Instance name (the identifier every request uses).
    pub name: String,
    /// The UUID in the instance ARN.
    pub resource_id: String,
    /// `{account}/i-{17 hex}`, as support codes look.
    pub support_code: String,
    /// Milliseconds before the scenario start at which the instance was created.
    pub created_ms_before_start: u64,
    /// Blueprint id (`wordpress`).
    pub blueprint_id: String,
    /// Bundle id (`nano_3_0`).
    pub bundle_id: String,
    /// Private IPv4 address (kept across stop/start).
    pub private_ip: String,
    /// Public IPv4 address; `None` while stopped without a static IP.
    pub public_ip: Option<String>,
    /// A static IP is attached: the public IP survives stop/start.
    pub static_ip: bool,
    /// Stops of this instance get stuck in `stopping` until `force: true`.
    pub stuck: bool,
    /// Current state.
    pub state: InstanceState,
    /// Transition in progress.
    pub transition: Option<Transition>,
}

impl Instance {
    /// True when the instance sits in `stopping` with no completion scheduled.
    pub fn is_stuck(&self) -> bool {
        self.transition.as_ref().is_some_and(|t| t.due.is_none())
    }
}

/// The kind of a recorded operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpType {
    /// `StopInstance`.
    StopInstance,
    /// `StartInstance`.
    StartInstance,
}

impl OpType {
    /// The `OperationType` enum value.
    pub fn name(self) -> &'static str {
        match self {
            OpType::StopInstance => "StopInstance",
            OpType::StartInstance => "StartInstance",
        }
    }
}

/// The status of a recorded operation (the subset of `OperationStatus` the simulator produces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpStatus {
    /// Accepted, not finished.
    Started,
    /// The instance reached the target state.
    Succeeded,
}

impl OpStatus {
    /// The `OperationStatus` enum value.
    pub fn name(self) -> &'static str {
        match self {
            OpStatus::Started => "Started",
            OpStatus::Succeeded => "Succeeded",
        }
    }
}

/// A recorded operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The operation id (a UUID).
    pub id: String,
    /// Index of the instance it acted on.
    pub instance: usize,
    /// What it did.
    pub op_type: OpType,
    /// When it was created.
    pub created: SimTime,
    /// Current status.
    pub status: OpStatus,
    /// When the status last changed.
    pub status_changed: SimTime,
}

impl Operation {
    /// `isTerminal`: the operation has finished.
    pub fn is_terminal(&self) -> bool {
        self.status == OpStatus::Succeeded
    }
}

/// Why a state-changing request is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// StopInstance on a `pending` instance (spec §2.5, L20).
    StopPending,
    /// StopInstance on a `stopped` instance with `stop_when_stopped = invalid-input` (spec §2.5, L19).
    StopStopped,
    /// StartInstance on a `running` instance [U].
    StartRunning,
    /// StartInstance on a `stopping` instance [U].
    StartStopping,
}

/// What a StopInstance did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopKind {
    /// running → stopping, completion scheduled (spec L1, L2; also `force: true` on running).
    Started,
    /// running → stopping, stuck: no completion until `force: true`.
    StartedStuck(StuckCause),
    /// Already stopping, no force: a new operation, no state change (spec L21, L22).
    AlreadyStopping {
        /// The instance is stuck (so this operation will not finish without force).
        stuck: bool,
    },
    /// Stopping and `force: true`: fast transition to stopped (spec L3).
    Forced {
        /// The instance was stuck before.
        was_stuck: bool,
        /// The normal completion was due earlier than the forced one, so it was kept.
        kept_earlier: bool,
    },
    /// Already stopped with `stop_when_stopped = new-operation`: an operation that is at once terminal.
    AlreadyStopped,
}

/// Why a stop got stuck.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StuckCause {
    /// The fleet definition marks the instance `stuck`.
    Fleet,
    /// The `stuck_rate` fault fired.
    Fault,
}

/// What a StartInstance did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartKind {
    /// stopped → pending, completion scheduled.
    Started {
        /// The public IP changed (no static IP).
        new_ip: bool,
    },
    /// Already pending: a new operation, no state change.
    AlreadyPending,
}

/// The result of a state-changing request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted<K> {
    /// What happened.
    pub kind: K,
    /// Serial of the new operation.
    pub op: u64,
    /// Index of the instance.
    pub instance: usize,
    /// When the transition completes, if it will.
    pub due: Option<SimTime>,
}

/// Static facts of a blueprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blueprint {
    /// Friendly name (`WordPress`).
    pub name: &'static str,
    /// Login user name.
    pub username: &'static str,
    /// Whether it is an application blueprint that opens HTTP/HTTPS by default.
    pub web: bool,
}

/// Facts of a blueprint id; unknown ids get a generic Linux description.
pub fn blueprint(id: &str) -> Blueprint {
    let b = |name, username, web| Blueprint { name, username, web };
    match id {
        "wordpress" => b("WordPress", "bitnami", true),
        "wordpress_multisite" => b("WordPress Multisite", "bitnami", true),
        "lamp_8" | "lamp_8_bitnami" => b("LAMP (PHP 8)", "bitnami", true),
        "nodejs" => b("Node.js", "bitnami", true),
        "mean" => b("MEAN", "bitnami", true),
        "nginx" => b("Nginx", "bitnami", true),
        "django" => b("Django", "bitnami", true),
        "ubuntu_24_04" => b("Ubuntu", "ubuntu", false),
        "ubuntu_22_04" => b("Ubuntu", "ubuntu", false),
        "debian_12" => b("Debian", "admin", false),
        "amazon_linux_2023" => b("Amazon Linux 2023", "ec2-user", false),
        "amazon_linux_2" => b("Amazon Linux 2", "ec2-user", false),
        "centos_stream_9" => b("CentOS Stream 9", "ec2-user", false),
        "windows_server_2022" => b("Windows Server 2022", "Administrator", false),
        _ => b("Linux", "ec2-user", false),
    }
}

/// Hardware of a bundle: `(vCPUs, RAM GB, system disk GB, monthly transfer GB)`. Unknown ids count as nano.
pub fn bundle(id: &str) -> (u32, f32, u32, u32) {
    let size = id.split('_').next().unwrap_or("");
    match size {
        "micro" => (2, 1.0, 40, 2048),
        "small" => (2, 2.0, 60, 3072),
        "medium" => (2, 4.0, 80, 4096),
        "large" => (2, 8.0, 160, 5120),
        "xlarge" => (4, 16.0, 320, 6144),
        "2xlarge" => (8, 32.0, 640, 7168),
        _ => (2, 0.5, 20, 1024),
    }
}

/// All instances and operation records of the simulated account.
#[derive(Clone, Debug, Default)]
pub struct Account {
    /// Instances in fleet order.
    pub instances: Vec<Instance>,
    by_name: BTreeMap<String, usize>,
    /// Operation records in serial order; the first has serial `first_op`.
    ops: VecDeque<Operation>,
    first_op: u64,
    op_ids: BTreeMap<u128, u64>,
    next_op: u64,
}

/// A random public IPv4 address in the documentation range 203.0.113.0/24.
fn draw_public_ip(ctx: &mut Ctx) -> String {
    format!("203.0.113.{}", ctx.rng.range_inclusive(1, 254))
}

impl Account {
    /// Loads the fleet. Draws ids and addresses from the seeded generator and schedules the completion of
    /// instances that start `pending` or `stopping` (unless stuck).
    pub fn load(defs: &[LightsailInstanceDef], account_id: &str, ctx: &mut Ctx) -> Account {
        let mut account = Account::default();
        for def in defs {
            // Scenario validation rejects unknown states; fall back to running rather than panic.
            let state = InstanceState::parse(&def.state).unwrap_or(InstanceState::Running);
            let resource_id = ctx.rng.uuid();
            let support_code = format!("{account_id}/i-0{}", ctx.rng.hex(16));
            let created_ms_before_start = ctx.rng.range_inclusive(86_400_000, 400 * 86_400_000);
            let private_ip =
                format!("172.26.{}.{}", ctx.rng.range_inclusive(0, 15), ctx.rng.range_inclusive(1, 254));
            // A stopped instance holds no public IP unless a static one is attached; a stopping one still has
            // whatever it had (it is released when the stop completes).
            let public_ip = match (state, &def.public_ip) {
                (InstanceState::Stopped, _) if !def.static_ip => None,
                (InstanceState::Stopping, ip) => ip.clone(),
                (_, Some(ip)) => Some(ip.clone()),
                (_, None) => Some(draw_public_ip(ctx)),
            };
            let index = account.instances.len();
            let mut instance = Instance {
                name: def.name.clone(),
                resource_id,
                support_code,
                created_ms_before_start,
                blueprint_id: def.blueprint_id.clone(),
                bundle_id: def.bundle_id.clone(),
                private_ip,
                public_ip,
                static_ip: def.static_ip,
                stuck: def.stuck,
                state,
                transition: None,
            };
            let target = match state {
                InstanceState::Pending => Some((InstanceState::Running, ctx.settings.lightsail.pending)),
                InstanceState::Stopping => Some((InstanceState::Stopped, ctx.settings.lightsail.stopping)),
                _ => None,
            };
            if let Some((to, timing)) = target {
                let (due, seq) = if state == InstanceState::Stopping && def.stuck {
                    (None, ctx.schedule.token())
                } else {
                    let (due, seq) = ctx.schedule_in(timing, Provider::Lightsail, &def.name);
                    (Some(due), seq)
                };
                instance.transition =
                    Some(Transition { from: state, to, started: ctx.now, due, seq, ops: Vec::new() });
            }
            // Duplicate names are rejected by scenario validation; keep the first if one slips through.
            account.by_name.entry(def.name.clone()).or_insert(index);
            account.instances.push(instance);
        }
        account
    }

    /// The index of the instance called `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The instance at `index`.
    pub fn instance(&self, index: usize) -> Option<&Instance> {
        self.instances.get(index)
    }

    /// The operation with serial `serial`.
    pub fn operation(&self, serial: u64) -> Option<&Operation> {
        let offset = usize::try_from(serial.checked_sub(self.first_op)?).ok()?;
        self.ops.get(offset)
    }

    fn operation_mut(&mut self, serial: u64) -> Option<&mut Operation> {
        let offset = usize::try_from(serial.checked_sub(self.first_op)?).ok()?;
        self.ops.get_mut(offset)
    }

    /// The operation with id `id`.
    pub fn operation_by_id(&self, id: &str) -> Option<&Operation> {
        uuid_key(id).and_then(|key| self.op_ids.get(&key)).and_then(|&serial| self.operation(serial))
    }

    fn record(&mut self, instance: usize, op_type: OpType, status: OpStatus, ctx: &mut Ctx) -> u64 {
        let id = ctx.rng.uuid();
        if self.ops.is_empty() {
            self.first_op = self.next_op + 1;
        }
        self.next_op += 1;
        let serial = self.next_op;
        if let Some(key) = uuid_key(&id) {
            self.op_ids.insert(key, serial);
        }
        self.ops.push_back(Operation {
            id,
            instance,
            op_type,
            created: ctx.now,
            status,
            status_changed: ctx.now,
        });
        while self.ops.len() > MAX_OPERATIONS {
            match self.ops.pop_front() {
                Some(old) => {
                    self.first_op += 1;
                    if let Some(key) = uuid_key(&old.id) {
                        self.op_ids.remove(&key);
                    }
                }
                None => break,
            }
        }
        serial
    }

    /// StopInstance on instance `index` (spec §2.4, §2.5). Draws the stuck fault (unless forced) and the
    /// duration; records the operation; emits the state change.
    pub fn stop(
        &mut self,
        index: usize,
        force: bool,
        stuck_rate: f64,
        ctx: &mut Ctx,
    ) -> Result<Accepted<StopKind>, Refusal> {
        let Some(inst) = self.instances.get(index) else { return Err(Refusal::StopPending) };
        let state = inst.state;
        let fleet_stuck = inst.stuck;
        match state {
            InstanceState::Pending => Err(Refusal::StopPending),
            InstanceState::Stopped => match ctx.settings.lightsail.stop_when_stopped {
                LightsailStopStopped::InvalidInput => Err(Refusal::StopStopped),
                LightsailStopStopped::NewOperation => {
                    let op = self.record(index, OpType::StopInstance, OpStatus::Succeeded, ctx);
                    Ok(Accepted { kind: StopKind::AlreadyStopped, op, instance: index, due: None })
                }
            },
            InstanceState::Running => {
                let cause = if force {
                    None
                } else if fleet_stuck {
                    Some(StuckCause::Fleet)
                } else if ctx.rng.chance(stuck_rate) {
                    Some(StuckCause::Fault)
                } else {
                    None
                };
                let op = self.record(index, OpType::StopInstance, OpStatus::Started, ctx);
                let (due, seq) = match cause {
                    Some(_) => (None, ctx.schedule.token()),
                    None => {
                        let timing = ctx.settings.lightsail.stopping;
                        let name = &self.instances[index].name;
                        let (due, seq) = ctx.schedule_in(timing, Provider::Lightsail, name);
                        (Some(due), seq)
                    }
                };
                let inst = &mut self.instances[index];
                inst.state = InstanceState::Stopping;
                inst.transition = Some(Transition {
                    from: InstanceState::Running,
                    to: InstanceState::Stopped,
                    started: ctx.now,
                    due,
                    seq,
                    ops: vec![op],
                });
                ctx.event(Provider::Lightsail, &inst.name, "running", "stopping", "StopInstance");
                let kind = match cause {
                    Some(c) => StopKind::StartedStuck(c),
                    None => StopKind::Started,
                };
                Ok(Accepted { kind, op, instance: index, due })
            }
            InstanceState::Stopping => {
                let op = self.record(index, OpType::StopInstance, OpStatus::Started, ctx);
                let was_stuck = self.instances[index].is_stuck();
                if !force {
                    let inst = &mut self.instances[index];
                    let due = attach_op(inst, op);
                    return Ok(Accepted {
                        kind: StopKind::AlreadyStopping { stuck: was_stuck },
                        op,
                        instance: index,
                        due,
                    });
                }
                let timing = ctx.settings.lightsail.forced_stop;
                let forced_ms = ctx.rng.range_inclusive(timing.min_ms, timing.max_ms);
                let forced_due = ctx.now.plus_millis(forced_ms);
                let existing_due = self.instances[index].transition.as_ref().and_then(|t| t.due);
                let kept_earlier = matches!(existing_due, Some(d) if d <= forced_due);
                let due = if kept_earlier {
                    attach_op(&mut self.instances[index], op)
                } else {
                    let seq = ctx.schedule.push(forced_due, Provider::Lightsail, &self.instances[index].name);
                    let inst = &mut self.instances[index];
                    let mut ops = inst.transition.take().map(|t| t.ops).unwrap_or_default();
                    ops.push(op);
                    inst.transition = Some(Transition {
                        from: InstanceState::Stopping,
                        to: InstanceState::Stopped,
                        started: ctx.now,
                        due: Some(forced_due),
                        seq,
                        ops,
                    });
                    Some(forced_due)
                };
                Ok(Accepted { kind: StopKind::Forced { was_stuck, kept_earlier }, op, instance: index, due })
            }
        }
    }

    /// StartInstance on instance `index`: stopped → pending → running with a new public IP unless a static
    /// IP is attached (spec §2.4, §2.5).
    pub fn start(&mut self, index: usize, ctx: &mut Ctx) -> Result<Accepted<StartKind>, Refusal> {
        let Some(inst) = self.instances.get(index) else { return Err(Refusal::StartRunning) };
        match inst.state {
            InstanceState::Running => Err(Refusal::StartRunning),
            InstanceState::Stopping => Err(Refusal::StartStopping),
            InstanceState::Pending => {
                let op = self.record(index, OpType::StartInstance, OpStatus::Started, ctx);
                let due = attach_op(&mut self.instances[index], op);
                Ok(Accepted { kind: StartKind::AlreadyPending, op, instance: index, due })
            }
            InstanceState::Stopped => {
                let op = self.record(index, OpType::StartInstance, OpStatus::Started, ctx);
                let static_ip = self.instances[index].static_ip;
                let new_ip = if static_ip && self.instances[index].public_ip.is_some() {
                    None
                } else {
                    Some(draw_public_ip(ctx))
                };
                let timing = ctx.settings.lightsail.pending;
                let (due, seq) = ctx.schedule_in(timing, Provider::Lightsail, &self.instances[index].name);
                let inst = &mut self.instances[index];
                let changed = new_ip.is_some();
                if let Some(ip) = new_ip {
                    inst.public_ip = Some(ip);
                }
                inst.state = InstanceState::Pending;
                inst.transition = Some(Transition {
                    from: InstanceState::Stopped,
                    to: InstanceState::Running,
                    started: ctx.now,
                    due: Some(due),
                    seq,
                    ops: vec![op],
                });
                ctx.event(Provider::Lightsail, &inst.name, "stopped", "pending", "StartInstance");
                Ok(Accepted {
                    kind: StartKind::Started { new_ip: changed },
                    op,
                    instance: index,
                    due: Some(due),
                })
            }
        }
    }

    /// Completes the transition of `name` scheduled as `seq`; stale or unknown entries are ignored.
    pub fn complete(&mut self, name: &str, seq: u64, ctx: &mut Ctx) {
        let Some(index) = self.find(name) else { return };
        let Some(inst) = self.instances.get_mut(index) else { return };
        let current = match &inst.transition {
            Some(t) if t.seq == seq && t.due.is_some() => t.clone(),
            _ => return,
        };
        let before = inst.state;
        inst.transition = None;
        inst.state = current.to;
        if current.to == InstanceState::Stopped && !inst.static_ip {
            inst.public_ip = None;
        }
        let cause = match current.to {
            InstanceState::Stopped => "stop completed",
            _ => "boot completed",
        };
        ctx.event(Provider::Lightsail, &inst.name, before.name(), current.to.name(), cause);
        for serial in current.ops {
            if let Some(op) = self.operation_mut(serial) {
                op.status = OpStatus::Succeeded;
                op.status_changed = ctx.now;
            }
        }
    }
}

/// The 128 bits of a UUID in canonical lowercase form (`8-4-4-4-12` hex digits); `None` for anything else.
pub fn uuid_key(id: &str) -> Option<u128> {
    let bytes = id.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let mut key: u128 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if b != b'-' {
                return None;
            }
            continue;
        }
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        key = (key << 4) | u128::from(digit);
    }
    Some(key)
}

/// Adds operation `op` to the transition in progress (it succeeds with it); returns the transition's due time.
fn attach_op(inst: &mut Instance, op: u64) -> Option<SimTime> {
    match inst.transition.as_mut() {
        Some(t) => {
            t.ops.push(op);
            t.due
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SimRng;
    use crate::scenario::Settings;
    use crate::schedule::Schedule;

    fn def(name: &str, state: &str) -> LightsailInstanceDef {
        LightsailInstanceDef { name: name.into(), state: state.into(), ..Default::default() }
    }

    struct World {
        rng: SimRng,
        schedule: Schedule,
        settings: Settings,
    }

    impl World {
        fn new() -> World {
            World { rng: SimRng::new(7), schedule: Schedule::default(), settings: Settings::default() }
        }
        fn ctx(&mut self, now: u64) -> Ctx<'_> {
            Ctx {
                now: SimTime(now),
                rng: &mut self.rng,
                settings: &self.settings,
                schedule: &mut self.schedule,
                events: Vec::new(),
            }
        }
    }

    #[test]
    fn stop_then_complete_releases_the_public_ip() {
        let mut w = World::new();
        let defs = [LightsailInstanceDef { public_ip: Some("192.0.2.1".into()), ..def("web-1", "running") }];
        let mut acct = Account::load(&defs, "123456789012", &mut w.ctx(0));
        let mut ctx = w.ctx(0);
        let ok = acct.stop(0, false, 0.0, &mut ctx).expect("running instance stops");
        assert_eq!(ok.kind, StopKind::Started);
        assert_eq!(ctx.events.len(), 1);
        let due = ok.due.expect("scheduled");
        assert_eq!(acct.instances[0].state, InstanceState::Stopping);
        let seq = acct.instances[0].transition.as_ref().map(|t| t.seq).unwrap_or(0);
        acct.complete("web-1", seq + 99, &mut w.ctx(due.0));
        assert_eq!(acct.instances[0].state, InstanceState::Stopping, "stale seq ignored");
        acct.complete("web-1", seq, &mut w.ctx(due.0));
        assert_eq!(acct.instances[0].state, InstanceState::Stopped);
        assert_eq!(acct.instances[0].public_ip, None);
        let op = acct.operation(ok.op).expect("recorded");
        assert_eq!(op.status, OpStatus::Succeeded);
        assert_eq!(op.status_changed, due);
    }

    #[test]
    fn refusals_follow_the_state_rules() {
        let mut w = World::new();
        let defs = [def("boot-1", "pending"), def("off-1", "stopped"), def("up-1", "running")];
        let mut acct = Account::load(&defs, "123456789012", &mut w.ctx(0));
        let mut ctx = w.ctx(0);
        assert_eq!(acct.stop(0, false, 0.0, &mut ctx), Err(Refusal::StopPending));
        assert_eq!(acct.stop(1, true, 0.0, &mut ctx), Err(Refusal::StopStopped));
        assert_eq!(acct.start(2, &mut ctx), Err(Refusal::StartRunning));
        assert!(ctx.events.is_empty());
        w.settings.lightsail.stop_when_stopped = LightsailStopStopped::NewOperation;
        let mut ctx = w.ctx(0);
        let ok = acct.stop(1, false, 0.0, &mut ctx).expect("new operation");
        assert_eq!(ok.kind, StopKind::AlreadyStopped);
        assert!(acct.operation(ok.op).is_some_and(Operation::is_terminal));
    }

    #[test]
    fn stuck_stop_needs_force() {
        let mut w = World::new();
        let defs = [LightsailInstanceDef { stuck: true, ..def("s-1", "running") }];
        let mut acct = Account::load(&defs, "123456789012", &mut w.ctx(0));
        let mut ctx = w.ctx(0);
        let ok = acct.stop(0, false, 0.0, &mut ctx).expect("stop accepted");
        assert_eq!(ok.kind, StopKind::StartedStuck(StuckCause::Fleet));
        assert!(acct.instances[0].is_stuck());
        let again = acct.stop(0, false, 0.0, &mut ctx).expect("second stop accepted");
        assert_eq!(again.kind, StopKind::AlreadyStopping { stuck: true });
        let forced = acct.stop(0, true, 0.0, &mut ctx).expect("forced");
        assert_eq!(forced.kind, StopKind::Forced { was_stuck: true, kept_earlier: false });
        let due = forced.due.expect("forced stop scheduled");
        let seq = acct.instances[0].transition.as_ref().map(|t| t.seq).unwrap_or(0);
        acct.complete("s-1", seq, &mut w.ctx(due.0));
        assert_eq!(acct.instances[0].state, InstanceState::Stopped);
        for op in [ok.op, again.op, forced.op] {
            assert!(acct.operation(op).is_some_and(Operation::is_terminal));
        }
    }

    #[test]
    fn start_draws_a_new_ip_unless_static() {
        let mut w = World::new();
        let defs = [
            def("a-1", "stopped"),
            LightsailInstanceDef {
                static_ip: true,
                public_ip: Some("198.51.100.9".into()),
                ..def("b-1", "stopped")
            },
        ];
        let mut acct = Account::load(&defs, "123456789012", &mut w.ctx(0));
        assert_eq!(acct.instances[0].public_ip, None);
        let mut ctx = w.ctx(0);
        let a = acct.start(0, &mut ctx).expect("starts");
        assert_eq!(a.kind, StartKind::Started { new_ip: true });
        assert!(acct.instances[0].public_ip.as_deref().is_some_and(|ip| ip.starts_with("203.0.113.")));
        let b = acct.start(1, &mut ctx).expect("starts");
        assert_eq!(b.kind, StartKind::Started { new_ip: false });
        assert_eq!(acct.instances[1].public_ip.as_deref(), Some("198.51.100.9"));
    }

    #[test]
    fn uuid_keys_are_strict() {
        let mut rng = SimRng::new(1);
        let id = rng.uuid();
        assert!(uuid_key(&id).is_some());
        assert_eq!(uuid_key(&id.to_uppercase()), None);
        assert_eq!(uuid_key("265357e2-2943-4d51-888a-1EXAMPLE7585"), None);
        assert_eq!(uuid_key(""), None);
        assert_eq!(uuid_key("265357e2x2943-4d51-888a-1e0000007585"), None);
    }

    #[test]
    fn operations_are_bounded() {
        let mut w = World::new();
        let defs = [LightsailInstanceDef { stuck: true, ..def("s-1", "stopping") }];
        let mut acct = Account::load(&defs, "123456789012", &mut w.ctx(0));
        let mut first = None;
        for _ in 0..(MAX_OPERATIONS + 5) {
            let ok = acct.stop(0, false, 0.0, &mut w.ctx(0)).expect("accepted");
            first.get_or_insert(ok.op);
        }
        assert_eq!(acct.ops.len(), MAX_OPERATIONS);
        assert_eq!(acct.op_ids.len(), MAX_OPERATIONS);
        assert!(first.and_then(|s| acct.operation(s)).is_none());
    }
}
