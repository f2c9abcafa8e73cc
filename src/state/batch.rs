//! What a bulk action did, summed up once when it runs: "Stop all" sends one request per running server,
//! and the response panel shows this summary (per provider: accepted, and refused by status and error type)
//! instead of the last of a thousand answers. Each outcome keeps its exchanges (shared with the timeline), so
//! every one of them is a click away. Built in the reducer, never per render: at 10,000 servers walking the
//! exchanges costs milliseconds.

use crate::pretty::error_summary;
use sim::{Exchange, Provider, SimTime};
use std::rc::Rc;

/// Every exchange of a bulk action that got the same status and error type, for one provider.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The status code.
    pub status: u16,
    /// Its reason phrase (`OK`, `Bad Request`).
    pub reason: String,
    /// The error type the body names (`ThrottlingException`, `conflictingRequest`), for a refusal.
    pub error: Option<String>,
    /// The exchanges, in the order they were sent.
    pub exchanges: Vec<Rc<Exchange>>,
}

impl Outcome {
    /// Whether the service took the request (a 2xx answer).
    pub fn accepted(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// One provider's part of a bulk action.
#[derive(Clone, Debug)]
pub struct ProviderOutcomes {
    /// The provider (`None`: requests no service claimed).
    pub provider: Option<Provider>,
    /// Accepted outcomes first, then refusals by status and error type.
    pub outcomes: Vec<Outcome>,
}

impl ProviderOutcomes {
    /// Requests sent to this provider.
    pub fn sent(&self) -> usize {
        self.outcomes.iter().map(|o| o.exchanges.len()).sum()
    }

    /// Requests it accepted.
    pub fn accepted(&self) -> usize {
        self.outcomes.iter().filter(|o| o.accepted()).map(|o| o.exchanges.len()).sum()
    }

    /// Requests it refused.
    pub fn refused(&self) -> usize {
        self.sent() - self.accepted()
    }
}

/// The summary of one bulk action.
#[derive(Clone, Debug)]
pub struct Batch {
    /// What it was ("Stop all running servers").
    pub title: String,
    /// When it was sent (simulated time).
    pub at: SimTime,
    /// Per provider, in the page's provider order.
    pub providers: Vec<ProviderOutcomes>,
}

impl Batch {
    /// Sums up `exchanges` (in the order they were sent).
    pub fn of(title: &str, at: SimTime, exchanges: &[Rc<Exchange>]) -> Batch {
        let order = Provider::ALL.into_iter().map(Some).chain([None]);
        let providers = order
            .filter_map(|provider| {
                let mut outcomes: Vec<Outcome> = Vec::new();
                for x in exchanges.iter().filter(|x| x.provider == provider) {
                    let status = x.response.status;
                    let error = error_summary(&x.response).map(|e| e.kind);
                    match outcomes.iter_mut().find(|o| o.status == status && o.error == error) {
                        Some(o) => o.exchanges.push(Rc::clone(x)),
                        None => outcomes.push(Outcome {
                            status,
                            reason: x.response.reason().to_string(),
                            error,
                            exchanges: vec![Rc::clone(x)],
                        }),
                    }
                }
                outcomes.sort_by(|a, b| {
                    (!a.accepted(), a.status, &a.error).cmp(&(!b.accepted(), b.status, &b.error))
                });
                (!outcomes.is_empty()).then_some(ProviderOutcomes { provider, outcomes })
            })
            .collect();
        Batch { title: title.to_string(), at, providers }
    }

    /// Requests sent.
    pub fn sent(&self) -> usize {
        self.providers.iter().map(ProviderOutcomes::sent).sum()
    }

    /// Requests accepted.
    pub fn accepted(&self) -> usize {
        self.providers.iter().map(ProviderOutcomes::accepted).sum()
    }

    /// Requests refused.
    pub fn refused(&self) -> usize {
        self.sent() - self.accepted()
    }
}

#[cfg(test)]
mod tests {
    use crate::presets;
    use crate::state::{Action, AppState};
    use sim::{Provider, StateFamily};

    #[test]
    fn stop_all_sums_up_per_provider_with_refusals_by_status_and_error_type() {
        // Lightsail throttled to 2 requests per second: of its 4 running instances in this fleet of 12,
        // the first 2 stop and the rest are refused with a ThrottlingException.
        let mut scenario = presets::large(12, 5);
        scenario.faults.lightsail.throttle_per_second = Some(2);
        let mut s = AppState::new(scenario, 0.0).unwrap();
        let running = |p: Provider, s: &AppState| {
            s.fleet.iter().filter(|v| v.provider == p && v.family == StateFamily::Running).count()
        };
        let before: Vec<usize> = Provider::ALL.iter().map(|p| running(*p, &s)).collect();
        s.apply(Action::StopAll { wall: 0.0 });
        let batch = s.batch.clone().expect("a summary");
        assert_eq!(batch.sent(), before.iter().sum::<usize>());
        assert_eq!(batch.sent(), s.sends.len());
        let sent: Vec<usize> = batch.providers.iter().map(|p| p.sent()).collect();
        assert_eq!(sent, before, "per provider, in the page's order");
        let lightsail = &batch.providers[1];
        assert_eq!(lightsail.provider, Some(Provider::Lightsail));
        assert_eq!((lightsail.accepted(), lightsail.refused()), (2, 2));
        let refused = &lightsail.outcomes[1];
        assert_eq!((refused.status, refused.error.as_deref()), (400, Some("ThrottlingException")));
        assert_eq!(refused.exchanges.len(), 2);
        assert!(lightsail.outcomes[0].accepted());
        assert_eq!(batch.refused(), 2);
        // Every exchange of the summary is one of the timeline's, in the order sent.
        let seqs: Vec<u64> = batch
            .providers
            .iter()
            .flat_map(|p| &p.outcomes)
            .flat_map(|o| &o.exchanges)
            .map(|x| x.seq)
            .collect();
        let mut sorted = seqs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), s.sends.len());
        // The next single send is the latest answer again.
        s.apply(Action::SelectServer(Provider::Transfer, s.fleet[0].id.clone()));
        s.apply(Action::Send { wall: 0.0 });
        assert!(s.batch.is_none());
    }
}
