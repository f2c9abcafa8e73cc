//! The response panel: status line, headers and the pretty-printed body of the exchange shown, the error's
//! type and message headlined, why the service answered so (with the spec fact and its confidence), and
//! where the provider's documentation says otherwise. After a bulk action ("Stop all") it shows the summary
//! of what was sent instead ([`BatchSummary`]), each exchange a click away.

use super::code::{headers, json_block};
use super::{clock_text, short};
use crate::hooks::{use_app, StateHandle};
use crate::pretty::{count, counted, error_summary, status_class};
use crate::state::{Action, Batch};
use crate::storage;
use crate::wiretext;
use sim::provider_info::Api;
use sim::{Confidence, Exchange, Provider};
use std::rc::Rc;
use yew::prelude::*;

fn confidence_words(c: Confidence) -> &'static str {
    match c {
        Confidence::Primary => "stated by a primary source",
        Confidence::Derived => "derived from the upstream code",
        Confidence::Secondary => "secondary evidence only",
        Confidence::Unconfirmed => "unconfirmed: a documented choice of the simulator",
    }
}

/// The provider's own reference for an operation: an AWS operation's page (so one must be named), a Nova
/// call's section of the Compute API reference (the server actions' overview when none is named).
fn reference_url(p: Option<Provider>, operation: Option<&str>) -> Option<String> {
    let op = operation.unwrap_or("");
    match &p?.info().api {
        Api::AwsJson(service) => (!op.is_empty() && !op.contains(' ')).then(|| service.reference_url(op)),
        Api::Nova(nova) => Some(nova.reference_url(op)),
    }
}

/// The current value of the switchable settings the response panel names most often.
fn setting_value(scenario: &sim::Scenario, setting: &str) -> Option<&'static str> {
    use sim::scenario::{StatusProfile, ValidationStyle};
    match setting.trim().trim_start_matches("settings.") {
        "status_profile" => Some(match scenario.settings.status_profile {
            StatusProfile::ApiReference => "api-reference",
            StatusProfile::ServiceModel => "service-model",
        }),
        "validation_style" => Some(match scenario.settings.validation_style {
            ValidationStyle::Coral => "coral",
            ValidationStyle::Smithy => "smithy",
        }),
        _ => None,
    }
}

/// How the response panel is shown: on the full page, or in an embed (where no scenario controls are at
/// hand, and `compact` folds the explanations behind "Why this answer?").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResponseLook {
    /// In an embed.
    pub embedded: bool,
    /// Explanations folded.
    pub compact: bool,
}

/// The response panel of the full page.
pub fn response_panel(state: &StateHandle) -> Html {
    response_panel_in(state, ResponseLook::default())
}

/// The response panel, drawn for where it is.
pub fn response_panel_in(state: &StateHandle, look: ResponseLook) -> Html {
    let state = state.clone();
    let Some(ex) = state.shown_exchange().cloned() else {
        return html! {
            <section id="response" class="panel response" aria-labelledby="response-h" tabindex="-1">
                <div class="panel-h"><h2 id="response-h">{"Response"}</h2></div>
                <div class="empty-state">
                    <p><strong>{"Nothing sent yet."}</strong></p>
                    <p>{"Fill in the request (or import a curl command) and press Send. The simulated service answers exactly as the real one would, and the server shows what it did."}</p>
                </div>
            </section>
        };
    };
    if let (Some(batch), None) = (&state.batch, state.viewing) {
        return html! {
            <section id="response" class="panel response" aria-labelledby="response-h" tabindex="-1">
                <div class="panel-h">
                    <h2 id="response-h">{"Response"}</h2>
                    <span class="sub">{format!("{} · {}", batch.title, clock_text(batch.at))}</span>
                </div>
                <BatchSummary batch={batch.clone()} />
            </section>
        };
    }
    let latest = state.last_exchange().map(|x| x.seq) == Some(ex.seq);
    // Back to what the panel shows by default: the summary of the bulk action that is the latest, or the
    // latest exchange.
    let back = if state.batch.is_some() {
        Some("Back to the summary")
    } else if !latest {
        Some("Show latest")
    } else {
        None
    };
    html! {
        <section id="response" class="panel response" aria-labelledby="response-h" tabindex="-1">
            <div class="panel-h">
                <h2 id="response-h">{"Response"}</h2>
                <span class="sub">
                    {format!("#{} · {} · {}", ex.seq, clock_text(ex.at),
                        ex.provider.map_or("no service", short))}
                    {ex.operation.as_ref().map(|o| format!(" · {o}")).unwrap_or_default()}
                    {ex.server.as_ref().map(|s| format!(" · {s}")).unwrap_or_default()}
                </span>
                if let Some(label) = back {
                    <button type="button" class="ghost small" onclick={
                        let state = state.clone();
                        let to_summary = state.batch.is_some();
                        move |_| {
                            state.dispatch(Action::ViewExchange(u64::MAX));
                            // The button goes with the exchange: focus goes where the user returns to.
                            if to_summary {
                                storage::focus_soon("#batch-h");
                            }
                        }
                    }>{label}</button>
                }
            </div>
            {exchange_view(&state, &ex, look)}
        </section>
    }
}

/// Props of [`BatchSummary`].
#[derive(Properties, Clone)]
pub struct BatchProps {
    /// The summary (`AppState::batch`).
    pub batch: Rc<Batch>,
}

impl PartialEq for BatchProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.batch, &other.batch)
    }
}

/// Exchanges listed per outcome before "Show all": a few of what was accepted, and the refusals (what one
/// usually looks into) nearly always all of them.
const FIRST_ACCEPTED: usize = 12;
const FIRST_REFUSED: usize = 60;

/// What a bulk action did: per provider, accepted and refused (by status and error type), each outcome with
/// its exchanges as buttons that show that exchange. A component because it keeps which outcomes are
/// listed in full (and so it skips the renders the composer causes).
#[component]
pub fn BatchSummary(props: &BatchProps) -> Html {
    let state = use_app();
    let opened = use_state(Vec::<(usize, usize)>::new);
    let Some(state) = state else { return Html::default() };
    let batch = &props.batch;
    let (sent, accepted, refused) = (batch.sent(), batch.accepted(), batch.refused());
    let rows = batch.providers.iter().map(|p| {
        let name = p.provider.map_or("No service", Provider::title);
        html! {
            <tr>
                <th scope="row">{name}</th>
                <td>{count(p.sent())}</td>
                <td>{count(p.accepted())}</td>
                <td class={classes!((p.refused() > 0).then_some("bad"))}>{count(p.refused())}</td>
            </tr>
        }
    });
    let providers = batch.providers.iter().enumerate().map(|(pi, p)| {
        let name = p.provider.map_or("No service", Provider::title);
        let outcomes = p.outcomes.iter().enumerate().map(|(oi, o)| {
            let all = opened.contains(&(pi, oi));
            let n = o.exchanges.len();
            let first = if o.accepted() { FIRST_ACCEPTED } else { FIRST_REFUSED };
            let listed = if all { n } else { n.min(first) };
            let buttons = o.exchanges.iter().take(listed).map(|x| {
                let seq = x.seq;
                let onclick = {
                    let state = state.clone();
                    Callback::from(move |_| state.dispatch(Action::ViewExchange(seq)))
                };
                html! {
                    <li key={seq}><button type="button" class="ghost small x" {onclick}>
                        {format!("#{seq}")}{" "}<span class="mono">{x.server.clone().unwrap_or_default()}</span>
                    </button></li>
                }
            });
            let more = {
                let opened = opened.clone();
                Callback::from(move |_| {
                    let mut next = (*opened).clone();
                    next.push((pi, oi));
                    opened.set(next);
                })
            };
            html! {
                <li class={classes!("outcome", (!o.accepted()).then_some("refused"))}>
                    <p class="outcome-h">
                        <span class={classes!("code-pill", status_class(o.status))}>{o.status}</span>{" "}
                        <span>{o.reason.clone()}</span>{" · "}
                        if let Some(kind) = &o.error {
                            <span class="mono">{kind.clone()}</span>{" · "}
                        }
                        <strong>{format!("{} {}", count(n), if o.accepted() { "accepted" } else { "refused" })}</strong>
                    </p>
                    <ul class="xs" aria-label={format!("{name}: {} {}", o.status, o.reason)}>{for buttons}</ul>
                    if listed < n {
                        <button type="button" class="ghost small" onclick={more}>{format!("Show all {}", count(n))}</button>
                    }
                </li>
            }
        });
        html! {
            <div class="batch-provider">
                <h4 class="sub-h">{name}</h4>
                <ul class="outcomes">{for outcomes}</ul>
            </div>
        }
    });
    html! {
        <div class="batch">
            <h3 id="batch-h" class="batch-h" tabindex="-1">
                {format!("{}: {} accepted, {} refused", counted(sent, "request", "requests"), count(accepted), count(refused))}
            </h3>
            <table class="batch-table">
                <caption class="sr-only">{"Requests per provider"}</caption>
                <thead><tr><th scope="col">{"Provider"}</th><th scope="col">{"Sent"}</th><th scope="col">{"Accepted"}</th><th scope="col">{"Refused"}</th></tr></thead>
                <tbody>{for rows}</tbody>
            </table>
            <p class="hint">{"Each request below opens its exchange here; the timeline lists them too."}</p>
            {for providers}
        </div>
    }
}

/// One exchange: status, why, spec, headers, body and effects.
fn exchange_view(state: &StateHandle, ex: &Exchange, look: ResponseLook) -> Html {
    let state = state.clone();
    let r = &ex.response;
    let status = format!("HTTP/1.1 {} {}", r.status, r.reason());
    // An error answer always gets a card: its type and message, or its status line when the body has no
    // error shape (webob's plain 404 page, an empty body).
    let error = (r.status >= 400).then(|| error_summary(r));
    let d = &ex.diagnosis;
    let copy = {
        let state = state.clone();
        let text = wiretext::render_response(r);
        Callback::from(move |_| {
            storage::copy(&text);
            state.dispatch(Action::Toast("Response copied.".into()));
        })
    };
    let reference = reference_url(ex.provider, ex.operation.as_deref());
    let setting = d.setting.as_ref().map(|s| {
        let now: Vec<String> = s
            .split(',')
            .filter_map(|name| {
                setting_value(state.sim.scenario(), name).map(|v| format!("{} is {v}", name.trim()))
            })
            .collect();
        (s.clone(), now.join(", "))
    });
    // Where the scenario's settings can be changed: on this page, or (from an embed) in the full playground.
    let change_it =
        if look.embedded { "the full playground can change it" } else { "change it in the scenario" };
    let explanations = html! { <>
        <div class="why">
            <p><strong>{if r.status >= 400 { "Why: " } else { "What happened: " }}</strong>{&d.why}</p>
            <p class="spec">
                <span class="conf" title={confidence_words(d.confidence)}>{format!("[{}]", d.confidence.tag())}</span>
                {" Spec: "}<span class="mono">{&d.spec}</span>
                {format!(" — {}", confidence_words(d.confidence))}
                if let Some(url) = reference {
                    {" · "}<a href={url} target="_blank" rel="noopener noreferrer">{"provider reference"}</a>
                }
            </p>
            if let Some((name, value)) = setting {
                <p class="setting">{"Chosen by the scenario setting "}<code>{name}</code>
                    {if value.is_empty() { format!("; {change_it}.") } else { format!(" (now: {value}); {change_it}.") }}</p>
            }
        </div>
        if let Some(note) = &d.doc_note {
            <div class="doc-note" role="note" aria-label="Documentation says otherwise">
                <p><strong>{"The documentation says otherwise. "}</strong>{note}</p>
            </div>
        }
    </> };
    html! {
        <div class="exchange">
            <div class={classes!("status", status_class(r.status))}>
                <span class="mono">{status}</span>
                <button type="button" class="ghost small" onclick={copy}>{"Copy"}</button>
            </div>
            if let Some(summary) = error {
                <div class="error-card" role="note" aria-label="Error">
                    { match summary {
                        Some(s) => html! { <>
                            <p class="err-type mono">{s.kind}</p>
                            if let Some(m) = s.message { <p class="err-msg">{m}</p> }
                        </> },
                        None => html! { <p class="err-type mono">{format!("{} {}", r.status, r.reason())}</p> },
                    } }
                </div>
            }
            if look.compact {
                <details class="why-more">
                    <summary>{"Why this answer?"}</summary>
                    {explanations}
                </details>
            } else {
                {explanations}
            }
            <h3 class="sub-h">{"Headers"}</h3>
            {headers(&r.headers)}
            <h3 class="sub-h">{"Body"}</h3>
            if r.body.is_empty() {
                <p class="empty-body">{"(empty body — Content-Length: 0)"}</p>
            } else {
                {json_block(&r.body, "Response body".into())}
            }
            if !ex.events.is_empty() {
                <h3 class="sub-h">{"What it did"}</h3>
                <ul class="effects">
                    { for ex.events.iter().map(|e| html! {
                        <li><span class="mono">{&e.server}</span>{format!(": {} → {} ({})", e.from, e.to, e.cause)}</li>
                    }) }
                </ul>
            }
            <details class="sent">
                <summary>{"Request as sent"}</summary>
                <pre class="code mono">{wiretext::render_request(&ex.request)}</pre>
            </details>
        </div>
    }
}
