//! Provider-neutral views of the fleet, for the page, the CLI and tests.
//!
//! Each provider keeps its own state vocabulary (ONLINE, running, ACTIVE …); this module only adds what the
//! UI needs to draw them the same way: a colour family, the transition in progress, and the shape of each
//! provider's state machine.

use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// The three simulated services; in JSON, their slugs (`"transfer"`, `"lightsail"`, `"nova"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// AWS Transfer Family (`TransferService`, awsJson1.1).
    Transfer,
    /// Amazon Lightsail (`Lightsail_20161128`, awsJson1.1).
    Lightsail,
    /// OpenStack Compute (Nova) server actions.
    Nova,
}

impl Provider {
    /// Every provider, in display order.
    pub const ALL: [Provider; 3] = [Provider::Transfer, Provider::Lightsail, Provider::Nova];

    /// The product name people know (from [`Provider::info`]).
    pub fn title(self) -> &'static str {
        self.info().title
    }

    /// Short machine name (`transfer`, `lightsail`, `nova`), as used in URLs and scenario files.
    pub fn slug(self) -> &'static str {
        self.info().slug
    }

    /// Inverse of [`Provider::slug`].
    pub fn from_slug(slug: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_their_slugs_in_json() {
        for p in Provider::ALL {
            let text = serde_json::to_string(&p).unwrap();
            assert_eq!(text, format!("\"{}\"", p.slug()));
            assert_eq!(serde_json::from_str::<Provider>(&text).unwrap(), p);
        }
    }
}

/// Colour family of a state, the same across providers (design guide); in JSON, `"running"`,
/// `"transitional"`, `"stopped"`, `"failed"` or `"other"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StateFamily {
    /// ONLINE, running, ACTIVE.
    Running,
    /// STOPPING, stopping, powering-off, STARTING, pending, powering-on.
    Transitional,
    /// OFFLINE, stopped, SHUTOFF.
    Stopped,
    /// STOP_FAILED, START_FAILED, ERROR.
    Failed,
    /// Anything else (paused, shelved …).
    Other,
}

/// A transition in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransitionView {
    /// State shown when the transition began.
    pub from: String,
    /// State the server will reach.
    pub to: String,
    /// When the transition began.
    pub started: SimTime,
    /// When it completes, or `None` when it is stuck until something intervenes.
    pub due: Option<SimTime>,
}

/// One server as the fleet panel shows it (and `fleetplay serve`'s state answer, members in this order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerView {
    /// Which service holds it.
    pub provider: Provider,
    /// The identifier a request uses (`s-…`, the instance name, the Nova UUID).
    pub id: String,
    /// A friendly name (same as `id` where the provider has no separate name).
    pub name: String,
    /// The state as the provider spells it (`STOPPING`, `stopping`, `ACTIVE · powering-off`).
    pub state: String,
    /// The node of the provider's state machine this server is in (see [`StateMachine`]).
    pub node: String,
    /// Colour family of `state`.
    pub family: StateFamily,
    /// Whether a lock prevents non-admin actions (Nova).
    pub locked: bool,
    /// The transition in progress, if any.
    pub transition: Option<TransitionView>,
    /// Provider-specific facts worth showing (project, region, IP …), as label/value pairs.
    pub details: Vec<(String, String)>,
}

/// A provider's state machine, for drawing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateMachine {
    /// Nodes in layout order: `(node id, label, family)`.
    pub nodes: Vec<(&'static str, &'static str, StateFamily)>,
    /// Edges: `(from, to, label)`.
    pub edges: Vec<(&'static str, &'static str, &'static str)>,
}
