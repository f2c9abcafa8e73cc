//! Scenario files: the fleet, the seed, the switchable behaviours and the injected faults.
//!
//! A scenario is JSON (format tag `fleetplay-scenario/1`). Every member has a default, so `{}` is a valid
//! (empty) scenario; unknown members are rejected so that typos are caught. [`Scenario::builtin`] is the
//! default fleet, which carries the example identifiers of the providers' own documentation and the spec's
//! test-vector fleets. [`Scenario::from_json`] parses and validates, naming the place of any problem.
//!
//! The format is the serde derive of these types: members in declaration order, enums as kebab-case strings,
//! `#[serde(default)]` everywhere except a timing's `min_ms` and `max_ms`, and `deny_unknown_fields`, so a
//! typo is an error that names its member (read through [`crate::decode`]).

use serde::{Deserialize, Serialize};

/// A rate (or any number a scenario holds) as text for explanations: at most six decimals, no trailing zeros
/// (`0`, `0.05`, `0.0001`, `1`, `-0.2`, `1.0004`), prefixed with "about " when six decimals do not hold it
/// exactly (`about 0.333333`). Written from whole millionths so that neither the simulator's explanations nor
/// the page need float formatting (it costs ~10 KB of wasm); where f64's own `Display` needs at most six
/// decimals the text is the same. Beyond ±10^12 it says so instead of printing digits.
pub fn rate_text(rate: f64) -> String {
    match rate_digits(rate) {
        Some((digits, true)) => digits,
        Some((digits, false)) => format!("about {digits}"),
        None if rate.is_nan() => "NaN".to_string(),
        None if rate > 0.0 => "more than 10^12".to_string(),
        None => "less than -10^12".to_string(),
    }
}

/// `rate` rounded to millionths as plain decimal digits (for a form field), and whether that is exact; `None`
/// for NaN and beyond ±10^12.
pub fn rate_digits(rate: f64) -> Option<(String, bool)> {
    let magnitude = rate.abs();
    if rate.is_nan() || magnitude >= 1e12 {
        return None;
    }
    // Below 10^12 the product fits a u64 with room to spare; `as` saturates and never panics.
    let millionths = (magnitude * 1e6 + 0.5).floor() as u64;
    let exact = millionths as f64 / 1e6 == magnitude;
    let sign = if rate < 0.0 && millionths > 0 { "-" } else { "" };
    let (whole, frac) = (millionths / 1_000_000, millionths % 1_000_000);
    let digits = if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", format!("{frac:06}").trim_end_matches('0'))
    };
    Some((digits, exact))
}

/// The format tag written into every scenario file.
pub const FORMAT: &str = "fleetplay-scenario/1";

/// A whole scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "a scenario object")]
pub struct Scenario {
    /// Format tag; must be `fleetplay-scenario/1` when present.
    pub format: String,
    /// Human title shown by the page.
    pub title: String,
    /// Seed of the simulation's one random generator.
    pub seed: u64,
    /// Behaviours the spec leaves unconfirmed, and timings.
    pub settings: Settings,
    /// Injected faults.
    pub faults: Faults,
    /// The servers.
    pub fleet: Fleet,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            format: FORMAT.to_string(),
            title: String::new(),
            seed: 1,
            settings: Settings::default(),
            faults: Faults::default(),
            fleet: Fleet::default(),
        }
    }
}

/// Which HTTP status codes AWS errors carry (spec §1.3, §2.3, open question 1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusProfile {
    /// The API reference's table: every client error 400, every server error 500.
    #[default]
    ApiReference,
    /// The Smithy service model's `httpError` codes (404, 429, 503, 403, 428 …).
    ServiceModel,
}

/// Wording and shape of the framework's `ValidationException` on both AWS services (spec §0.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValidationStyle {
    /// Coral flavour seen on real AWS services [U]: `1 validation error detected: Value at 'serverId' …`
    /// (botocore's unanchored pattern) in the service's own message member (`Message` for Transfer,
    /// `message` for Lightsail), and nothing else.
    #[default]
    Coral,
    /// The Smithy server framework's `smithy.framework#ValidationException` [P: SMITHY-VAL]: lowercase
    /// `message` worded `1 validation error detected. Value with length 18 at '/ServerId' …` (the model's
    /// anchored pattern), and `fieldList` with one `{path, message}` per broken constraint.
    Smithy,
}

/// Switchable behaviours and timings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct Settings {
    /// HTTP status codes of AWS modeled errors.
    pub status_profile: StatusProfile,
    /// Wording of AWS framework validation messages.
    pub validation_style: ValidationStyle,
    /// When true, AWS requests without an `Authorization` header are refused (signatures are never checked).
    pub require_aws_auth: bool,
    /// AWS Transfer Family behaviours.
    pub transfer: TransferSettings,
    /// Amazon Lightsail behaviours.
    pub lightsail: LightsailSettings,
    /// OpenStack Nova behaviours.
    pub nova: NovaSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            status_profile: StatusProfile::ApiReference,
            validation_style: ValidationStyle::Coral,
            require_aws_auth: false,
            transfer: TransferSettings::default(),
            lightsail: LightsailSettings::default(),
            nova: NovaSettings::default(),
        }
    }
}

/// A duration range in milliseconds; the actual duration is drawn from the seeded generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a timing {\"min_ms\", \"max_ms\"}")]
pub struct Timing {
    /// Shortest duration.
    pub min_ms: u64,
    /// Longest duration.
    pub max_ms: u64,
}

impl Timing {
    /// A range from `min_ms` to `max_ms`.
    pub const fn new(min_ms: u64, max_ms: u64) -> Self {
        Timing { min_ms, max_ms }
    }
}

/// What StopServer does on an OFFLINE server (spec §1.5, T17: unconfirmed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferStopOffline {
    /// 200 and nothing changes (symmetry with StartServer's documented no-op).
    #[default]
    NoOp,
    /// 400 `InvalidRequestException`.
    InvalidRequest,
}

/// AWS Transfer Family settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct TransferSettings {
    /// StopServer on an OFFLINE server.
    pub stop_when_offline: TransferStopOffline,
    /// Send `{}` instead of an empty body on success of StopServer/StartServer.
    pub empty_object_body: bool,
    /// Time spent in STOPPING.
    pub stopping: Timing,
    /// Time spent in STARTING.
    pub starting: Timing,
    /// Region shown in ARNs.
    pub region: String,
    /// Account id shown in ARNs.
    pub account_id: String,
}

impl Default for TransferSettings {
    fn default() -> Self {
        TransferSettings {
            stop_when_offline: TransferStopOffline::NoOp,
            empty_object_body: false,
            stopping: Timing::new(30_000, 120_000),
            starting: Timing::new(60_000, 150_000),
            region: "us-east-1".to_string(),
            account_id: "123456789012".to_string(),
        }
    }
}

/// What StopInstance does on a stopped instance (spec §2.5, L19: unconfirmed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LightsailStopStopped {
    /// 400 `InvalidInputException`.
    #[default]
    InvalidInput,
    /// 200 with a new operation and no state change.
    NewOperation,
}

/// Which error a bad `instanceName` gets (spec §2.3, L8–L13: unconfirmed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LightsailNameError {
    /// The service's own `InvalidInputException`.
    #[default]
    InvalidInput,
    /// The framework's `ValidationException`.
    Validation,
}

/// Amazon Lightsail settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct LightsailSettings {
    /// StopInstance on a stopped instance.
    pub stop_when_stopped: LightsailStopStopped,
    /// Error type for an `instanceName` that breaks the pattern.
    pub name_error: LightsailNameError,
    /// Time spent in `stopping`.
    pub stopping: Timing,
    /// Time spent in `pending` after StartInstance.
    pub pending: Timing,
    /// Time a forced stop of a stuck instance takes.
    pub forced_stop: Timing,
    /// Region of every instance (`location.regionName`).
    pub region: String,
    /// Availability zone of every instance.
    pub availability_zone: String,
}

impl Default for LightsailSettings {
    fn default() -> Self {
        LightsailSettings {
            stop_when_stopped: LightsailStopStopped::InvalidInput,
            name_error: LightsailNameError::InvalidInput,
            stopping: Timing::new(10_000, 60_000),
            pending: Timing::new(20_000, 60_000),
            forced_stop: Timing::new(1_000, 5_000),
            region: "us-west-2".to_string(),
            availability_zone: "us-west-2a".to_string(),
        }
    }
}

/// OpenStack Nova settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct NovaSettings {
    /// Highest microversion the simulated cloud supports (master 2.104; 2026.1 2.103; 2025.x 2.100).
    pub max_microversion: String,
    /// Time spent in `powering-off` (clean shutdown waits up to 60 s upstream).
    pub powering_off: Timing,
    /// Time spent in `powering-on`.
    pub powering_on: Timing,
    /// The Keystone URI keystonemiddleware names in `WWW-Authenticate`.
    pub www_authenticate_uri: String,
}

impl Default for NovaSettings {
    fn default() -> Self {
        NovaSettings {
            max_microversion: "2.104".to_string(),
            powering_off: Timing::new(5_000, 60_000),
            powering_on: Timing::new(5_000, 30_000),
            www_authenticate_uri: "http://keystone.example.com/identity".to_string(),
        }
    }
}

/// Faults injected into a scenario. Rates are probabilities per request (0 to 1), drawn from the seeded
/// generator; `throttle_per_second` is a limit of requests per simulated second.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct Faults {
    /// AWS Transfer Family faults.
    pub transfer: TransferFaults,
    /// Amazon Lightsail faults.
    pub lightsail: LightsailFaults,
    /// OpenStack Nova faults.
    pub nova: NovaFaults,
}

/// AWS Transfer Family faults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct TransferFaults {
    /// Requests allowed per simulated second before `ThrottlingException`.
    pub throttle_per_second: Option<u32>,
    /// Probability of `InternalServiceError`.
    pub internal_error_rate: f64,
    /// Probability of `ServiceUnavailableException`.
    pub unavailable_rate: f64,
    /// Probability that a stop ends in STOP_FAILED instead of OFFLINE.
    pub stop_failure_rate: f64,
}

/// Amazon Lightsail faults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct LightsailFaults {
    /// Requests allowed per simulated second before throttling.
    pub throttle_per_second: Option<u32>,
    /// Probability of `ServiceException`.
    pub service_error_rate: f64,
    /// Probability that a stop gets stuck in `stopping` until `force: true`.
    pub stuck_rate: f64,
    /// Every request answers `AccountSetupInProgressException`.
    pub account_setup_in_progress: bool,
    /// Every request answers `RegionSetupInProgressException`.
    pub region_setup_in_progress: bool,
    /// Every request answers `UnauthenticatedException`.
    pub unauthenticated: bool,
}

/// OpenStack Nova faults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct NovaFaults {
    /// Requests allowed per simulated second before 429 `overLimit`.
    pub throttle_per_second: Option<u32>,
    /// Probability of 503 `serviceUnavailable`.
    pub unavailable_rate: f64,
}

/// The servers of each provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct Fleet {
    /// AWS Transfer Family servers.
    pub transfer: Vec<TransferServerDef>,
    /// Amazon Lightsail instances.
    pub lightsail: Vec<LightsailInstanceDef>,
    /// OpenStack Nova servers and tokens.
    pub nova: NovaFleet,
}

/// An AWS Transfer Family server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct TransferServerDef {
    /// `s-` followed by 17 lowercase hex digits.
    pub id: String,
    /// `ONLINE`, `OFFLINE`, `STARTING`, `STOPPING`, `START_FAILED` or `STOP_FAILED`.
    pub state: String,
    /// `PUBLIC`, `VPC` or `VPC_ENDPOINT`.
    pub endpoint_type: String,
    /// `SFTP`, `FTPS`, `FTP`, `AS2`.
    pub protocols: Vec<String>,
    /// `SERVICE_MANAGED`, `API_GATEWAY`, `AWS_DIRECTORY_SERVICE` or `AWS_LAMBDA`.
    pub identity_provider_type: String,
    /// Number of users configured.
    pub user_count: u32,
    /// This server's stops always fail (STOP_FAILED).
    pub stop_fails: bool,
}

impl Default for TransferServerDef {
    fn default() -> Self {
        TransferServerDef {
            id: String::new(),
            state: "ONLINE".to_string(),
            endpoint_type: "PUBLIC".to_string(),
            protocols: vec!["SFTP".to_string()],
            identity_provider_type: "SERVICE_MANAGED".to_string(),
            user_count: 0,
            stop_fails: false,
        }
    }
}

/// An Amazon Lightsail instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct LightsailInstanceDef {
    /// Instance name (pattern `\w[\w\-]*\w`).
    pub name: String,
    /// `running`, `stopping`, `stopped` or `pending`.
    pub state: String,
    /// Blueprint id, e.g. `wordpress`.
    pub blueprint_id: String,
    /// Bundle id, e.g. `nano_3_0`.
    pub bundle_id: String,
    /// Public IP while running.
    pub public_ip: Option<String>,
    /// Whether a static IP is attached (then the public IP survives stop/start).
    pub static_ip: bool,
    /// A `stopping` instance that never finishes without `force: true`; a running one gets stuck when stopped.
    pub stuck: bool,
}

impl Default for LightsailInstanceDef {
    fn default() -> Self {
        LightsailInstanceDef {
            name: String::new(),
            state: "running".to_string(),
            blueprint_id: "amazon_linux_2023".to_string(),
            bundle_id: "nano_3_0".to_string(),
            public_ip: None,
            static_ip: false,
            stuck: false,
        }
    }
}

/// Nova servers and the Keystone tokens that may call them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct NovaFleet {
    /// Valid tokens.
    pub tokens: Vec<NovaTokenDef>,
    /// Servers.
    pub servers: Vec<NovaServerDef>,
}

/// A Keystone token: the project it is scoped to and its roles.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct NovaTokenDef {
    /// The token string sent in `X-Auth-Token`.
    pub token: String,
    /// Project id (hex-like).
    pub project_id: String,
    /// Roles, e.g. `["member"]`, `["reader"]`, `["admin"]`.
    pub roles: Vec<String>,
    /// User id, for display.
    pub user_id: String,
    /// A short description for the page.
    pub label: String,
}

/// A Nova server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, expecting = "an object")]
pub struct NovaServerDef {
    /// UUID.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owning project id.
    pub project_id: String,
    /// `active`, `stopped`, `error`, `paused`, `shelved_offloaded` …
    pub vm_state: String,
    /// `powering-off`, `powering-on` … or none.
    pub task_state: Option<String>,
    /// Locked servers refuse non-admin actions with 409.
    pub locked: bool,
    /// Who locked it (Nova's `locked_by`), for a locked server: `admin` (the default) or `owner`. A member of
    /// the server's project may unlock only what the owner locked (spec §3.7, `unlock_override`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_by: Option<NovaLockedBy>,
    /// The reason given with the lock (`locked_reason`, shown from microversion 2.73), for a locked server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_reason: Option<String>,
    /// Compute host; none means not scheduled (409 "not ready").
    pub host: Option<String>,
    /// Whether the server was ever launched (`launched_at` set).
    pub launched: bool,
    /// Once created but since deleted: its mapping exists but the row is not visible (404 "could not be found").
    pub deleted: bool,
}

impl Default for NovaServerDef {
    fn default() -> Self {
        NovaServerDef {
            id: String::new(),
            name: String::new(),
            project_id: String::new(),
            vm_state: "active".to_string(),
            task_state: None,
            locked: false,
            locked_by: None,
            locked_reason: None,
            host: Some("compute-1".to_string()),
            launched: true,
            deleted: false,
        }
    }
}

/// Who locked a Nova server: Nova records `owner` when the caller's project is the server's, else `admin`
/// (`compute.API.lock`; spec §3.7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NovaLockedBy {
    /// Locked from outside the server's project: only an admin may unlock it (`unlock_override`).
    #[default]
    Admin,
    /// Locked by someone in the server's project: its members may unlock it.
    Owner,
}

impl NovaLockedBy {
    /// The value Nova stores: `admin` or `owner`.
    pub fn as_str(self) -> &'static str {
        match self {
            NovaLockedBy::Admin => "admin",
            NovaLockedBy::Owner => "owner",
        }
    }
}

/// A scenario that cannot be used, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// Where: `line 3 column 14` for a syntax error, or a path like `fleet.transfer[2].id`.
    pub place: String,
    /// What is wrong (serde_json's messages end with the line and column, where there is text).
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl std::error::Error for ScenarioError {}

const TRANSFER_STATES: [&str; 6] =
    ["ONLINE", "OFFLINE", "STARTING", "STOPPING", "START_FAILED", "STOP_FAILED"];
const LIGHTSAIL_STATES: [&str; 4] = ["running", "stopping", "stopped", "pending"];
const NOVA_VM_STATES: [&str; 12] = [
    "active",
    "building",
    "paused",
    "suspended",
    "stopped",
    "rescued",
    "resized",
    "soft-delete",
    "deleted",
    "error",
    "shelved",
    "shelved_offloaded",
];

impl From<crate::decode::Problem> for ScenarioError {
    fn from(p: crate::decode::Problem) -> Self {
        ScenarioError { place: p.place, message: p.message }
    }
}

impl Scenario {
    /// Parses and validates a scenario file.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = crate::decode::from_str(text, "scenario")?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Reads a scenario from an already parsed JSON value (no validation; see [`Scenario::validate`]).
    pub fn from_json_value(value: &serde_json::Value) -> Result<Scenario, ScenarioError> {
        Ok(crate::decode::from_value(value, "scenario")?)
    }

    /// Pretty JSON, as `fleetplay scenario` prints it.
    pub fn to_json_pretty(&self) -> String {
        // Serialising these types cannot fail: every map key is a string.
        crate::encode::to_string_pretty(self).unwrap_or_default()
    }

    /// The scenario as a JSON value, by way of its pretty text: `serde_json::to_value` would compile one
    /// more serializer of every scenario type into the web build, where the text one is anyway (measured
    /// on the release build: 11.2 KB of wasm, 3.6 KB gzip). The same value: a test compares them.
    pub fn to_json_value(&self) -> serde_json::Value {
        // Our own text reads back (every number of a scenario prints as one that reads as itself).
        serde_json::from_str(&self.to_json_pretty()).unwrap_or_default()
    }

    /// Checks what JSON types alone cannot: formats, known states, unique ids, sane timings.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let fail = |place: String, message: String| Err(ScenarioError { place, message });
        if !self.format.is_empty() && self.format != FORMAT {
            return fail(
                "format".into(),
                format!("unsupported format {:?}, expected {FORMAT:?}", self.format),
            );
        }
        let timings = [
            ("settings.transfer.stopping", self.settings.transfer.stopping),
            ("settings.transfer.starting", self.settings.transfer.starting),
            ("settings.lightsail.stopping", self.settings.lightsail.stopping),
            ("settings.lightsail.pending", self.settings.lightsail.pending),
            ("settings.lightsail.forced_stop", self.settings.lightsail.forced_stop),
            ("settings.nova.powering_off", self.settings.nova.powering_off),
            ("settings.nova.powering_on", self.settings.nova.powering_on),
        ];
        for (place, t) in timings {
            if t.min_ms > t.max_ms {
                return fail(place.into(), "min_ms is greater than max_ms".into());
            }
            if t.max_ms > 366 * 24 * 3_600_000 {
                return fail(place.into(), "max_ms is longer than a year".into());
            }
        }
        if crate::providers::openstack_nova::parse_version(&self.settings.nova.max_microversion).is_none() {
            return fail(
                "settings.nova.max_microversion".into(),
                format!("{:?} is not a version like 2.104", self.settings.nova.max_microversion),
            );
        }
        let rates = [
            ("faults.transfer.internal_error_rate", self.faults.transfer.internal_error_rate),
            ("faults.transfer.unavailable_rate", self.faults.transfer.unavailable_rate),
            ("faults.transfer.stop_failure_rate", self.faults.transfer.stop_failure_rate),
            ("faults.lightsail.service_error_rate", self.faults.lightsail.service_error_rate),
            ("faults.lightsail.stuck_rate", self.faults.lightsail.stuck_rate),
            ("faults.nova.unavailable_rate", self.faults.nova.unavailable_rate),
        ];
        for (place, rate) in rates {
            if !(0.0..=1.0).contains(&rate) {
                return fail(
                    place.into(),
                    format!("{} is not a probability between 0 and 1", rate_text(rate)),
                );
            }
        }
        // Keys are "<kind>:<name>" in a map of a type the simulator already uses (one instantiation fewer in
        // the web build than a set of pairs).
        let mut seen = std::collections::BTreeMap::<String, usize>::new();
        for (i, s) in self.fleet.transfer.iter().enumerate() {
            let place = format!("fleet.transfer[{i}]");
            if !crate::providers::aws_transfer::is_valid_server_id(&s.id) {
                return fail(format!("{place}.id"), format!("{:?} does not match s-([0-9a-f]{{17}})", s.id));
            }
            if !TRANSFER_STATES.contains(&s.state.as_str()) {
                return fail(format!("{place}.state"), format!("unknown state {:?}", s.state));
            }
            if seen.insert(format!("t:{}", s.id), 0).is_some() {
                return fail(format!("{place}.id"), format!("duplicate server id {:?}", s.id));
            }
        }
        for (i, s) in self.fleet.lightsail.iter().enumerate() {
            let place = format!("fleet.lightsail[{i}]");
            if !crate::providers::aws_lightsail::is_valid_resource_name(&s.name) {
                return fail(format!("{place}.name"), format!("{:?} does not match \\w[\\w\\-]*\\w", s.name));
            }
            if !LIGHTSAIL_STATES.contains(&s.state.as_str()) {
                return fail(format!("{place}.state"), format!("unknown state {:?}", s.state));
            }
            if seen.insert(format!("l:{}", s.name), 0).is_some() {
                return fail(format!("{place}.name"), format!("duplicate instance name {:?}", s.name));
            }
        }
        for (i, t) in self.fleet.nova.tokens.iter().enumerate() {
            let place = format!("fleet.nova.tokens[{i}]");
            if t.token.is_empty() {
                return fail(format!("{place}.token"), "token must not be empty".into());
            }
            if !is_project_id(&t.project_id) {
                return fail(format!("{place}.project_id"), format!("{:?} is not hex-like", t.project_id));
            }
            if seen.insert(format!("k:{}", t.token), 0).is_some() {
                return fail(format!("{place}.token"), "duplicate token".into());
            }
        }
        for (i, s) in self.fleet.nova.servers.iter().enumerate() {
            let place = format!("fleet.nova.servers[{i}]");
            if s.id.is_empty() || s.id.len() > 64 || s.id.contains(['/', '?', '#']) {
                return fail(format!("{place}.id"), format!("{:?} is not a usable server id", s.id));
            }
            if !is_project_id(&s.project_id) {
                return fail(format!("{place}.project_id"), format!("{:?} is not hex-like", s.project_id));
            }
            if !NOVA_VM_STATES.contains(&s.vm_state.as_str()) {
                return fail(format!("{place}.vm_state"), format!("unknown vm_state {:?}", s.vm_state));
            }
            if seen.insert(format!("n:{}", s.id), 0).is_some() {
                return fail(format!("{place}.id"), format!("duplicate server id {:?}", s.id));
            }
            if !s.locked && s.locked_by.is_some() {
                return fail(format!("{place}.locked_by"), "only a locked server has a locked_by".into());
            }
            if let Some(reason) = &s.locked_reason {
                if !s.locked {
                    return fail(
                        format!("{place}.locked_reason"),
                        "only a locked server has a locked_reason".into(),
                    );
                }
                // Nova's schema for locked_reason (minLength 1, maxLength 255).
                let len = reason.chars().count();
                if !(1..=255).contains(&len) {
                    return fail(
                        format!("{place}.locked_reason"),
                        format!("{len} characters; Nova takes 1 to 255"),
                    );
                }
            }
        }
        Ok(())
    }
}

/// Nova's `{project_id}` route token: `[0-9a-f-]+`.
pub fn is_project_id(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || b == b'-')
}

mod builtin;

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_json(text)
    }

    #[test]
    fn round_trips_the_builtin_scenario() {
        let builtin = Scenario::builtin();
        assert_eq!(read(&builtin.to_json_pretty()), Ok(builtin.clone()));
        let value = serde_json::to_value(&builtin).unwrap();
        assert_eq!(Scenario::from_json_value(&value), Ok(builtin));
    }

    /// `to_json_value` goes by way of the text (one serializer fewer in the web build): the same values as
    /// `to_value`, rates that print long included.
    #[test]
    fn a_scenario_read_back_from_its_text_is_the_value_it_serializes_to() {
        let mut scenario = Scenario::builtin();
        scenario.faults.transfer.internal_error_rate = 0.1 + 0.2;
        scenario.faults.lightsail.stuck_rate = 1.0 / 3.0;
        scenario.faults.nova.unavailable_rate = 5e-324;
        scenario.faults.lightsail.service_error_rate = 1.0;
        for s in [scenario, Scenario::default()] {
            assert_eq!(s.to_json_value(), serde_json::to_value(&s).unwrap());
        }
    }

    #[test]
    fn errors_name_the_member_and_where_it_is() {
        let e = read(r#"{"fleet": {"transfer": [{"id": 5}]}}"#).unwrap_err();
        assert_eq!(e.place, "fleet.transfer[0].id");
        assert_eq!(e.message, "invalid type: integer `5`, expected a string at line 1 column 32");
        let e = read("{\n  \"setings\": {}\n}").unwrap_err();
        assert_eq!(e.place, "setings");
        assert!(e.message.starts_with("unknown field `setings`, expected one of `format`, `title`"), "{e}");
        assert!(e.message.ends_with("at line 2 column 11"), "{e}");
        let e = read(r#"{"settings": {"status_profile": "docs"}}"#).unwrap_err();
        assert_eq!(e.place, "settings.status_profile");
        assert!(
            e.message.contains("unknown variant `docs`, expected `api-reference` or `service-model`"),
            "{e}"
        );
        let e = read(r#"{"settings": {"transfer": {"stopping": {"min_ms": 1}}}}"#).unwrap_err();
        assert_eq!(e.place, "settings.transfer.stopping");
        assert!(e.message.starts_with("missing field `max_ms`"), "{e}");
        let e = read("{\n  \"seed\": 1,\n  \"fleet\": oops\n}").unwrap_err();
        assert_eq!((e.place.as_str(), e.message.as_str()), ("line 3 column 12", "expected value"));
        let e = read("\"x\"").unwrap_err();
        assert_eq!(e.place, "scenario");
    }

    /// Where serde's derived reader reads a file differently from the simulator's own reader before it: a
    /// member given twice is an error (it used to keep the last value), and an array is read as a struct
    /// whose members come in declaration order (it used to be refused as not an object).
    #[test]
    fn duplicate_members_are_errors_and_arrays_read_as_structs() {
        let e = read(r#"{"seed": 1, "seed": 2}"#).unwrap_err();
        assert_eq!(
            (e.place.as_str(), e.message.as_str()),
            ("scenario", "duplicate field `seed` at line 1 column 18")
        );
        let s = read(r#"{"settings": {"transfer": {"stopping": [1000, 2000]}}}"#).unwrap();
        assert_eq!(s.settings.transfer.stopping, Timing::new(1000, 2000));
    }

    #[test]
    fn missing_members_keep_defaults_and_null_means_none() {
        let s = read(
            r#"{
            "seed": 9,
            "faults": {"nova": {"throttle_per_second": null}},
            "fleet": {"lightsail": [{"name": "Web-1", "public_ip": null}]}
        }"#,
        )
        .unwrap();
        assert_eq!(s.seed, 9);
        assert_eq!(s.settings, Settings::default());
        assert_eq!(s.faults.nova.throttle_per_second, None);
        assert_eq!(s.fleet.lightsail[0].state, "running");
        assert!(read(r#"{"seed": -1}"#).is_err());
        assert!(read(r#"{"seed": 1.5}"#).is_err());
        assert!(read(r#"{"title": null}"#).is_err());
    }

    #[test]
    fn rates_read_as_f64_would_print_them_where_six_decimals_suffice() {
        for k in (-2_000_000..=2_000_000i32).step_by(7) {
            let rate = f64::from(k) / 1e6;
            assert_eq!(rate_text(rate), rate.to_string(), "{k}");
        }
        for rate in [0.0, 1.0, 0.05, 0.0001, 0.000001, 1.0004, -0.0001, 12.5, 123456.75] {
            assert_eq!(rate_text(rate), rate.to_string());
        }
    }

    #[test]
    fn inexact_rates_say_about_and_huge_ones_are_named() {
        assert_eq!(rate_text(1.0 / 3.0), "about 0.333333");
        assert_eq!(rate_text(0.0000004), "about 0");
        assert_eq!(rate_text(-0.0000004), "about 0");
        assert_eq!(rate_text(1e13), "more than 10^12");
        assert_eq!(rate_text(f64::NEG_INFINITY), "less than -10^12");
        assert_eq!(rate_text(f64::NAN), "NaN");
        assert_eq!(super::rate_digits(1.0 / 3.0), Some(("0.333333".to_string(), false)));
    }

    #[test]
    fn an_out_of_range_rate_is_refused_with_its_value() {
        let err = super::Scenario::from_json(r#"{"faults": {"transfer": {"stop_failure_rate": 1.0004}}}"#)
            .expect_err("1.0004 is no probability");
        assert_eq!(err.place, "faults.transfer.stop_failure_rate");
        assert_eq!(err.message, "1.0004 is not a probability between 0 and 1");
    }
}
