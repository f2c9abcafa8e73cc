//! Nova's servers as data: vm/task/power states, the status the API derives from them, the checks
//! `compute.API.stop()` / `start()` run before anything changes, the transitions they start, and the lock
//! (`compute.API.lock`, `unlock`, `is_expected_locked_by`).
//!
//! No wire knowledge lives here: no field names, status codes or messages (those are in `responses/`
//! and `errors.rs`). Sources: `stop-apis.md` §3.3 (decorator order `check_instance_lock` →
//! `check_instance_host()` → `check_instance_state`), §3.4 (states, `_STATE_MAP`, power states), §3.7 and
//! nova's `compute/api.py` `lock`/`unlock`/`is_expected_locked_by` (read at `00a03040`) for the lock.

use crate::fleet::{Provider, ServerView, StateFamily, TransitionView};
use crate::providers::Ctx;
use crate::scenario::{NovaFleet, NovaLockedBy, NovaServerDef};
use crate::time::SimTime;
use sha2::{Digest, Sha224};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// `vm_state` values (`nova/compute/vm_states.py`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmState {
    /// `active`.
    Active,
    /// `building`.
    Building,
    /// `paused`.
    Paused,
    /// `suspended`.
    Suspended,
    /// `stopped`.
    Stopped,
    /// `rescued`.
    Rescued,
    /// `resized`.
    Resized,
    /// `soft-delete`.
    SoftDeleted,
    /// `deleted`.
    Deleted,
    /// `error`.
    Error,
    /// `shelved`.
    Shelved,
    /// `shelved_offloaded`.
    ShelvedOffloaded,
}

impl VmState {
    /// Reads a scenario's `vm_state` (unknown values are refused by scenario validation; `active` otherwise).
    pub fn parse(text: &str) -> VmState {
        match text {
            "building" => VmState::Building,
            "paused" => VmState::Paused,
            "suspended" => VmState::Suspended,
            "stopped" => VmState::Stopped,
            "rescued" => VmState::Rescued,
            "resized" => VmState::Resized,
            "soft-delete" => VmState::SoftDeleted,
            "deleted" => VmState::Deleted,
            "error" => VmState::Error,
            "shelved" => VmState::Shelved,
            "shelved_offloaded" => VmState::ShelvedOffloaded,
            _ => VmState::Active,
        }
    }

    /// The value as Nova spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            VmState::Active => "active",
            VmState::Building => "building",
            VmState::Paused => "paused",
            VmState::Suspended => "suspended",
            VmState::Stopped => "stopped",
            VmState::Rescued => "rescued",
            VmState::Resized => "resized",
            VmState::SoftDeleted => "soft-delete",
            VmState::Deleted => "deleted",
            VmState::Error => "error",
            VmState::Shelved => "shelved",
            VmState::ShelvedOffloaded => "shelved_offloaded",
        }
    }

    /// The `power_state` a server in this state has when a scenario does not say (§3.4 integers).
    pub fn default_power_state(self, launched: bool) -> u8 {
        match self {
            VmState::Active | VmState::Rescued | VmState::Resized => POWER_RUNNING,
            VmState::Paused => POWER_PAUSED,
            VmState::Suspended => POWER_SUSPENDED,
            VmState::Stopped | VmState::Shelved | VmState::SoftDeleted => POWER_SHUTDOWN,
            VmState::Error if launched => POWER_RUNNING,
            VmState::Error | VmState::Building | VmState::Deleted | VmState::ShelvedOffloaded => {
                POWER_NOSTATE
            }
        }
    }
}

/// `power_state` 0: NOSTATE (`pending`).
pub const POWER_NOSTATE: u8 = 0;
/// `power_state` 1: RUNNING.
pub const POWER_RUNNING: u8 = 1;
/// `power_state` 3: PAUSED.
pub const POWER_PAUSED: u8 = 3;
/// `power_state` 4: SHUTDOWN.
pub const POWER_SHUTDOWN: u8 = 4;
/// `power_state` 7: SUSPENDED.
pub const POWER_SUSPENDED: u8 = 7;

/// The name of a power state integer (`nova/compute/power_state.py`).
pub fn power_state_name(state: u8) -> &'static str {
    match state {
        0 => "NOSTATE",
        1 => "RUNNING",
        3 => "PAUSED",
        4 => "SHUTDOWN",
        6 => "CRASHED",
        7 => "SUSPENDED",
        _ => "UNKNOWN",
    }
}

/// The two power actions the simulator models.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PowerAction {
    /// `os-stop`: `compute.API.stop()`.
    Stop,
    /// `os-start`: `compute.API.start()`.
    Start,
}

impl PowerAction {
    /// The method name Nova uses in messages and policy names (`stop`, `start`).
    pub fn method(self) -> &'static str {
        match self {
            PowerAction::Stop => "stop",
            PowerAction::Start => "start",
        }
    }

    /// The `task_state` the action sets while it runs.
    pub fn task_state(self) -> &'static str {
        match self {
            PowerAction::Stop => "powering-off",
            PowerAction::Start => "powering-on",
        }
    }
}

/// Why `compute.API` refuses a power action, in the order its decorators check (§3.3 steps 9–13).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `check_instance_lock`: locked and the caller is not an admin.
    Locked,
    /// `check_instance_host()`: no compute host.
    NotReady,
    /// `check_instance_state`: `vm_state` not allowed for the action.
    VmState(VmState),
    /// `check_instance_state`: a task is in progress.
    TaskState(String),
    /// `check_instance_state(must_have_launched=True)`: `launched_at` is None.
    NeverLaunched,
}

/// A power transition in progress, started by a request (or by the scenario).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    /// Stop or start.
    pub action: PowerAction,
    /// The display state when it began.
    pub from: Cow<'static, str>,
    /// When it began.
    pub started: SimTime,
    /// When the compute host finishes it.
    pub due: SimTime,
    /// The schedule entry that completes it.
    pub seq: u64,
}

/// One Nova instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Server {
    /// UUID (as the scenario spells it).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owning project.
    pub project_id: String,
    /// Owning user.
    pub user_id: String,
    /// `vm_state`.
    pub vm_state: VmState,
    /// `task_state` (None is JSON `null`); the two the simulator sets itself are borrowed.
    pub task_state: Option<Cow<'static, str>>,
    /// `power_state` integer.
    pub power_state: u8,
    /// Who holds the lock (Nova's `locked_by`; `locked` is true exactly when this is set).
    pub locked_by: Option<NovaLockedBy>,
    /// The reason given with the lock (Nova keeps it in `system_metadata['locked_reason']`).
    pub locked_reason: Option<String>,
    /// Compute host, if scheduled.
    pub host: Option<String>,
    /// `sha224(project_id + host)`, or empty without a host.
    pub host_id: String,
    /// Row deleted: the mapping exists but the instance is not visible.
    pub deleted: bool,
    /// Database id (for `instance-%08x`).
    pub db_id: u32,
    /// `created_at`, epoch milliseconds.
    pub created_ms: i64,
    /// `launched_at`, epoch milliseconds, if ever launched.
    pub launched_ms: Option<i64>,
    /// `updated_at`, epoch milliseconds.
    pub updated_ms: i64,
    /// The power transition in progress.
    pub transition: Option<Transition>,
}

impl Server {
    /// Builds a server from its scenario definition.
    pub fn from_def(def: &NovaServerDef, db_id: u32, created_ms: i64, user_id: String) -> Server {
        let vm_state = VmState::parse(&def.vm_state);
        let host = def.host.clone().filter(|h| !h.is_empty());
        let host_id = match &host {
            Some(h) => sha224_hex(format!("{}{}", def.project_id, h).as_bytes()),
            None => String::new(),
        };
        let launched_ms = def.launched.then_some(created_ms + 45_000);
        Server {
            id: def.id.clone(),
            name: def.name.clone(),
            project_id: def.project_id.clone(),
            user_id,
            vm_state,
            task_state: def.task_state.clone().filter(|t| !t.is_empty()).map(Cow::Owned),
            power_state: vm_state.default_power_state(def.launched),
            locked_by: def.locked.then(|| def.locked_by.unwrap_or_default()),
            locked_reason: def.locked_reason.clone().filter(|_| def.locked),
            host,
            host_id,
            deleted: def.deleted,
            db_id,
            created_ms,
            launched_ms,
            updated_ms: launched_ms.unwrap_or(created_ms),
            transition: None,
        }
    }

    /// The API `status` (`nova/api/openstack/common.py` `_STATE_MAP`).
    pub fn status(&self) -> &'static str {
        let task = self.task_state.as_deref();
        match self.vm_state {
            VmState::Active => match task {
                Some("rebooting" | "reboot_pending" | "reboot_started") => "REBOOT",
                Some("rebooting_hard" | "reboot_pending_hard" | "reboot_started_hard") => "HARD_REBOOT",
                Some("updating_password") => "PASSWORD",
                Some("rebuilding" | "rebuild_block_device_mapping" | "rebuild_spawning") => "REBUILD",
                Some("migrating") => "MIGRATING",
                Some("resize_prep" | "resize_migrating" | "resize_migrated" | "resize_finish") => "RESIZE",
                _ => "ACTIVE",
            },
            VmState::Building => "BUILD",
            VmState::Stopped => match task {
                Some("resize_prep" | "resize_migrating" | "resize_migrated" | "resize_finish") => "RESIZE",
                Some("rebuilding" | "rebuild_block_device_mapping" | "rebuild_spawning") => "REBUILD",
                _ => "SHUTOFF",
            },
            VmState::Resized => match task {
                Some("resize_reverting") => "REVERT_RESIZE",
                _ => "VERIFY_RESIZE",
            },
            VmState::Paused => match task {
                Some("migrating") => "MIGRATING",
                _ => "PAUSED",
            },
            VmState::Suspended => "SUSPENDED",
            VmState::Rescued => "RESCUE",
            VmState::Error => match task {
                Some("rebuilding" | "rebuild_block_device_mapping" | "rebuild_spawning") => "REBUILD",
                _ => "ERROR",
            },
            VmState::Deleted => "DELETED",
            VmState::SoftDeleted => "SOFT_DELETED",
            VmState::Shelved => "SHELVED",
            VmState::ShelvedOffloaded => "SHELVED_OFFLOADED",
        }
    }

    /// The state as the fleet panel shows it: the status, plus ` · task` while a task runs
    /// (`ACTIVE · powering-off`); `DELETED` for a deleted row.
    pub fn display_state(&self) -> Cow<'static, str> {
        if self.deleted {
            return Cow::Borrowed("DELETED");
        }
        match &self.task_state {
            Some(task) => Cow::Owned(format!("{} · {task}", self.status())),
            None => Cow::Borrowed(self.status()),
        }
    }

    /// The node of [`super::state_machine`] the server is in.
    pub fn node(&self) -> &'static str {
        if self.deleted {
            return "other";
        }
        match (self.task_state.as_deref(), self.vm_state) {
            (Some("powering-off"), _) => "powering-off",
            (Some("powering-on"), _) => "powering-on",
            (Some(_), _) => "other",
            (None, VmState::Active) => "active",
            (None, VmState::Stopped) => "stopped",
            (None, VmState::Error) => "error",
            (None, _) => "other",
        }
    }

    /// The colour family of the display state.
    pub fn family(&self) -> StateFamily {
        if self.deleted {
            return StateFamily::Other;
        }
        if self.task_state.is_some() {
            return StateFamily::Transitional;
        }
        match self.vm_state {
            VmState::Active => StateFamily::Running,
            VmState::Stopped => StateFamily::Stopped,
            VmState::Error => StateFamily::Failed,
            _ => StateFamily::Other,
        }
    }

    /// The transition for the fleet panel.
    pub fn transition_view(&self) -> Option<TransitionView> {
        self.transition.as_ref().map(|t| TransitionView {
            from: t.from.to_string(),
            to: match t.action {
                PowerAction::Stop => "SHUTOFF".to_string(),
                PowerAction::Start => "ACTIVE".to_string(),
            },
            started: t.started,
            due: Some(t.due),
        })
    }

    /// Whether the server is locked (what `GET` shows as `locked`: `bool(locked_by)`).
    pub fn is_locked(&self) -> bool {
        self.locked_by.is_some()
    }

    /// `compute.API.lock`: a caller in the server's project locks as `owner`, anyone else (an admin of
    /// another project) as `admin`. Nova decides by project alone (`is_owner = instance.project_id ==
    /// context.project_id` in nova/compute/api.py), so an admin of the server's own project locks as `owner`;
    /// stop-apis.md §3.7 says "and not admin", which nova's code does not do (reported for the spec's owner). The owner locking a locked server changes nothing at all; otherwise the
    /// lock is (re)taken, and a given reason replaces the old one (without one, an old reason stays).
    pub fn lock(&mut self, caller_project: &str, reason: Option<&str>, now_ms: i64) -> LockChange {
        let is_owner = self.project_id == caller_project;
        if is_owner && self.is_locked() {
            return LockChange::Unchanged;
        }
        let before = self.locked_by;
        let by = if is_owner { NovaLockedBy::Owner } else { NovaLockedBy::Admin };
        self.locked_by = Some(by);
        if let Some(reason) = reason.filter(|r| !r.is_empty()) {
            self.locked_reason = Some(reason.to_string());
        }
        self.updated_ms = now_ms;
        LockChange::Locked { before, by }
    }

    /// `compute.API.is_expected_locked_by`: true when the lock (if any) is the caller's kind, `owner` for a
    /// caller in the server's project and `admin` for anyone else. When false, unlocking also needs
    /// `unlock_override`.
    pub fn is_expected_locked_by(&self, caller_project: &str) -> bool {
        let expected =
            if self.project_id == caller_project { NovaLockedBy::Owner } else { NovaLockedBy::Admin };
        self.locked_by.is_none_or(|by| by == expected)
    }

    /// `compute.API.unlock`: clears the lock and its reason (saving the instance even when it was not
    /// locked). Returns who held the lock.
    pub fn unlock(&mut self, now_ms: i64) -> Option<NovaLockedBy> {
        let before = self.locked_by.take();
        self.locked_reason = None;
        self.updated_ms = now_ms;
        before
    }

    /// The checks of `compute.API.stop()` / `start()`, in decorator order (§3.3 steps 9–13).
    pub fn check(&self, action: PowerAction, is_admin: bool) -> Result<(), Refusal> {
        if self.is_locked() && !is_admin {
            return Err(Refusal::Locked);
        }
        if self.host.is_none() {
            return Err(Refusal::NotReady);
        }
        let allowed = match action {
            PowerAction::Stop => matches!(self.vm_state, VmState::Active | VmState::Error),
            PowerAction::Start => self.vm_state == VmState::Stopped,
        };
        if !allowed {
            return Err(Refusal::VmState(self.vm_state));
        }
        if let Some(task) = &self.task_state {
            return Err(Refusal::TaskState(task.to_string()));
        }
        if self.launched_ms.is_none() {
            return Err(Refusal::NeverLaunched);
        }
        Ok(())
    }

    /// The API side of the action: sets the task state and records the transition (§3.4).
    pub fn begin(&mut self, action: PowerAction, now: SimTime, now_ms: i64, due: SimTime, seq: u64) {
        let from = self.display_state();
        self.task_state = Some(Cow::Borrowed(action.task_state()));
        self.updated_ms = now_ms;
        self.transition = Some(Transition { action, from, started: now, due, seq });
    }

    /// The compute side: the guest is off (or on); `vm_state`, `power_state` and `task_state` settle.
    /// Returns false (and changes nothing) when `seq` is not the transition in progress.
    pub fn complete(&mut self, seq: u64, now_ms: i64) -> bool {
        let Some(t) = &self.transition else { return false };
        if t.seq != seq {
            return false;
        }
        match t.action {
            PowerAction::Stop => {
                self.vm_state = VmState::Stopped;
                self.power_state = POWER_SHUTDOWN;
            }
            PowerAction::Start => {
                self.vm_state = VmState::Active;
                self.power_state = POWER_RUNNING;
            }
        }
        self.task_state = None;
        self.updated_ms = now_ms;
        self.transition = None;
        true
    }
}

/// What a lock request did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockChange {
    /// The owner locked a server that was already locked: nothing at all changed.
    Unchanged,
    /// The lock was taken (`before` is who held it until now, if anyone).
    Locked {
        /// Who held the lock before.
        before: Option<NovaLockedBy>,
        /// Who holds it now.
        by: NovaLockedBy,
    },
}

/// What a Keystone token stands for, roles already expanded by implication.
#[derive(Clone, Debug)]
pub struct Token {
    /// The project the token is scoped to.
    pub project_id: String,
    /// The admin role.
    pub is_admin: bool,
    /// Member (or manager, or admin).
    pub member: bool,
    /// Reader (or member).
    pub reader: bool,
}

impl Token {
    /// May act on servers of `project`.
    pub fn can_act_on(&self, project: &str) -> bool {
        self.is_admin || (self.member && self.project_id == project)
    }

    /// May read servers of `project`.
    pub fn can_read(&self, project: &str) -> bool {
        self.is_admin || (self.reader && self.project_id == project)
    }

    /// Sees `s` in lists and lookups.
    pub fn sees(&self, s: &Server) -> bool {
        !s.deleted && (self.is_admin || s.project_id == self.project_id)
    }

    /// The roles in words, for diagnoses.
    pub fn roles(&self) -> &'static str {
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
pub struct Fleet {
    /// In scenario order.
    pub servers: Vec<Server>,
    /// Index into `servers` by id.
    pub by_id: BTreeMap<String, usize>,
}

/// Loads the tokens and the servers of a scenario; schedules completion of servers that start with a task
/// in progress.
pub fn load(fleet: &NovaFleet, ctx: &mut Ctx) -> (Fleet, BTreeMap<String, Token>) {
    let mut tokens = BTreeMap::new();
    for t in &fleet.tokens {
        let has = |role: &str| t.roles.iter().any(|r| r.eq_ignore_ascii_case(role));
        let is_admin = has("admin");
        let member = is_admin || has("member") || has("manager");
        let reader = member || has("reader");
        tokens.insert(t.token.clone(), Token { project_id: t.project_id.clone(), is_admin, member, reader });
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
        let created = super::EPOCH_BASE_MS - (count - i as i64) * 600_000;
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
            server.transition = Some(Transition { action, from, started: ctx.now, due, seq });
        }
        by_id.insert(server.id.clone(), servers.len());
        servers.push(server);
    }
    (Fleet { servers, by_id }, tokens)
}

/// The wall-clock epoch milliseconds shown for simulated time `t`.
pub fn wall_ms(t: SimTime) -> i64 {
    super::EPOCH_BASE_MS.saturating_add(i64::try_from(t.as_millis()).unwrap_or(i64::MAX / 2))
}

/// The server as the fleet panel shows it.
pub fn server_view(s: &Server) -> ServerView {
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
    if let Some(by) = s.locked_by {
        details.push(("locked_by".to_string(), by.as_str().to_string()));
    }
    if let Some(reason) = &s.locked_reason {
        details.push(("locked_reason".to_string(), reason.clone()));
    }
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
        locked: s.is_locked(),
        transition: s.transition_view(),
        details,
    }
}

/// SHA-224 of `data` as 56 lowercase hex digits (Nova's `hostId` is `sha224(project_id + host)`).
pub fn sha224_hex(data: &[u8]) -> String {
    hex::encode(Sha224::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(vm: &str) -> Server {
        let def = NovaServerDef {
            id: "a".into(),
            project_id: "aaaa1111".into(),
            vm_state: vm.into(),
            ..Default::default()
        };
        Server::from_def(&def, 1, 0, "u".into())
    }

    #[test]
    fn checks_run_in_decorator_order() {
        let mut s = server("stopped");
        s.locked_by = Some(NovaLockedBy::Admin);
        s.host = None;
        s.launched_ms = None;
        s.task_state = Some(Cow::Borrowed("powering-on"));
        assert_eq!(s.check(PowerAction::Stop, false), Err(Refusal::Locked));
        assert_eq!(s.check(PowerAction::Stop, true), Err(Refusal::NotReady));
        s.host = Some("h".into());
        assert_eq!(s.check(PowerAction::Stop, true), Err(Refusal::VmState(VmState::Stopped)));
        assert_eq!(s.check(PowerAction::Start, true), Err(Refusal::TaskState("powering-on".into())));
        s.task_state = None;
        assert_eq!(s.check(PowerAction::Start, true), Err(Refusal::NeverLaunched));
        s.launched_ms = Some(1);
        assert_eq!(s.check(PowerAction::Start, false), Err(Refusal::Locked));
        assert_eq!(s.check(PowerAction::Start, true), Ok(()));
    }

    /// `compute.API.lock` / `unlock` / `is_expected_locked_by` (spec §3.7): who locks is decided by the
    /// caller's project, not by the admin role.
    #[test]
    fn locks_record_owner_or_admin_by_project() {
        let mut s = server("active");
        assert!(s.is_expected_locked_by("aaaa1111") && s.is_expected_locked_by("bbbb2222"));
        let by = NovaLockedBy::Owner;
        assert_eq!(s.lock("aaaa1111", None, 5), LockChange::Locked { before: None, by });
        assert_eq!((s.is_locked(), s.updated_ms), (true, 5));
        // The owner locking again changes nothing, not even updated_at or the reason.
        assert_eq!(s.lock("aaaa1111", Some("again"), 6), LockChange::Unchanged);
        assert_eq!((s.locked_reason.as_deref(), s.updated_ms), (None, 5));
        assert!(s.is_expected_locked_by("aaaa1111"));
        assert!(!s.is_expected_locked_by("bbbb2222"), "an outsider expects an admin's lock");
        // Someone outside the project takes the lock over as admin, with a reason.
        let change = s.lock("bbbb2222", Some("disk check"), 7);
        assert_eq!(change, LockChange::Locked { before: Some(NovaLockedBy::Owner), by: NovaLockedBy::Admin });
        assert!(!s.is_expected_locked_by("aaaa1111"), "the owner now needs unlock_override");
        // Relocking without a reason keeps the old one.
        s.lock("bbbb2222", None, 8);
        assert_eq!(s.locked_reason.as_deref(), Some("disk check"));
        assert_eq!(s.unlock(9), Some(NovaLockedBy::Admin));
        assert_eq!((s.is_locked(), s.locked_reason.as_deref(), s.updated_ms), (false, None, 9));
        assert_eq!(s.unlock(10), None, "unlocking an unlocked server is fine");
    }

    #[test]
    fn stop_then_complete_reaches_shutoff() {
        let mut s = server("active");
        assert_eq!(s.status(), "ACTIVE");
        assert_eq!(s.power_state, POWER_RUNNING);
        s.begin(PowerAction::Stop, SimTime(0), 5, SimTime(10), 7);
        assert_eq!(s.display_state(), "ACTIVE · powering-off");
        assert_eq!(s.node(), "powering-off");
        assert!(!s.complete(6, 10), "a stale sequence number changes nothing");
        assert!(s.complete(7, 10));
        assert_eq!((&*s.display_state(), s.power_state, s.node()), ("SHUTOFF", POWER_SHUTDOWN, "stopped"));
        assert_eq!(s.check(PowerAction::Stop, false), Err(Refusal::VmState(VmState::Stopped)));
    }

    #[test]
    fn status_map_follows_nova() {
        let mut s = server("error");
        assert_eq!(s.status(), "ERROR");
        s.task_state = Some(Cow::Borrowed("powering-off"));
        assert_eq!(s.display_state(), "ERROR · powering-off");
        let mut s = server("active");
        s.task_state = Some(Cow::Borrowed("rebooting_hard"));
        assert_eq!(s.status(), "HARD_REBOOT");
        assert_eq!(server("shelved_offloaded").status(), "SHELVED_OFFLOADED");
        assert_eq!(server("soft-delete").status(), "SOFT_DELETED");
    }

    #[test]
    fn sha224_matches_reference_vectors() {
        assert_eq!(sha224_hex(b""), "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f");
        assert_eq!(sha224_hex(b"abc"), "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
        assert_eq!(
            sha224_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525"
        );
    }
}
