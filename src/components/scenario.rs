//! Scenario controls: reset, new seed, preset fleets, the status-code profile, faults per provider, and
//! loading or saving a scenario file. Every change restarts the simulation from the new scenario.

use super::{event_checked, event_value};
use crate::hooks::{dispatch_now, StateHandle};
use crate::presets;
use crate::state::Action;
use crate::storage;
use sim::scenario::StatusProfile;
use sim::Scenario;
use yew::prelude::*;

fn load(state: &StateHandle, scenario: Scenario, message: &str) {
    let message = message.to_string();
    dispatch_now(state, move |wall| Action::LoadScenario {
        wall,
        scenario: Box::new(scenario),
        message,
        undoable: true,
    });
}

/// A rate from 0 to 1 as a percentage for the form field: `0.5` is `50`, `1/3` is `33.3333` (rounded to
/// millionths of the rate, written with integer arithmetic: no float formatting). Outside 0..=1 (never in a
/// valid scenario) it is clamped; NaN is 0.
pub(crate) fn percent_text(rate: f64) -> String {
    let rate = if rate.is_nan() { 0.0 } else { rate.clamp(0.0, 1.0) };
    let millionths = (rate * 1e6).round() as u64;
    let (whole, part) = (millionths / 10_000, millionths % 10_000);
    if part == 0 {
        return whole.to_string();
    }
    let digits = format!("{part:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Reads a percentage typed into a fault field: the rate (0 to 1), or the message that refuses it. Out of
/// range is refused, never clamped: 150 is a mistake to show, not a 100 % to apply silently.
pub(crate) fn parse_percent(text: &str) -> Result<f64, String> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Err("Enter a percentage from 0 to 100 (0 turns this fault off).".to_string());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok(v / 100.0),
        Ok(v) if v.is_finite() => Err(format!("{text} % is outside 0–100 %: not applied.")),
        _ => Err(format!("\u{201c}{text}\u{201d} is not a number: enter a percentage from 0 to 100.")),
    }
}

/// Reads a throttle limit: `None` for no limit (empty), requests per simulated second, or a message.
pub(crate) fn parse_throttle(text: &str) -> Result<Option<u32>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(format!(
            "\u{201c}{text}\u{201d} is not a limit: enter a whole number of requests, 1 or more (empty: no limit)."
        )),
    }
}

/// A scenario title short enough for the fleet picker: at most 32 characters, then an ellipsis.
fn short_title(title: &str) -> String {
    let title = if title.trim().is_empty() { "Custom fleet" } else { title.trim() };
    match title.char_indices().nth(32) {
        Some((cut, _)) => format!("{}…", &title[..cut]),
        None => title.to_string(),
    }
}

/// What a fault field needs: its id and label, the value shown, and what to do with a value accepted.
#[derive(Properties, PartialEq, Clone)]
pub struct FaultFieldProps {
    /// The input's id.
    pub id: &'static str,
    /// The label (the fault's name).
    pub label: &'static str,
    /// The value as the field shows it (`percent_text`, or the throttle limit).
    pub value: String,
    /// Called with the text when it is accepted (the field has already checked it).
    pub on_set: Callback<String>,
    /// `true`: a percentage (0–100 %); `false`: requests per simulated second.
    pub percent: bool,
}

/// One fault field: a percentage (or a throttle limit) with its unit shown, refused with a message next to
/// it when out of range. A component because it keeps the message (and the text the user typed) until a
/// value is accepted.
#[component]
pub fn FaultField(props: &FaultFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let error = error.clone();
        let on_set = props.on_set.clone();
        let percent = props.percent;
        Callback::from(move |e: Event| {
            let text = event_value(&e);
            let checked =
                if percent { parse_percent(&text).map(|_| ()) } else { parse_throttle(&text).map(|_| ()) };
            match checked {
                Ok(()) => {
                    error.set(None);
                    on_set.emit(text);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let err_id = format!("{}-err", props.id);
    let unit_id = format!("{}-unit", props.id);
    let described = if error.is_some() { format!("{unit_id} {err_id}") } else { unit_id.clone() };
    html! {
        <div class={classes!("fault", error.is_some().then_some("invalid"))}>
            <label for={props.id}>{props.label}</label>
            <span class="fault-input">
                if props.percent {
                    <input id={props.id} type="number" min="0" max="100" step="any" inputmode="decimal"
                        value={props.value.clone()} {onchange} aria-invalid={error.is_some().to_string()}
                        aria-describedby={described} />
                    <span id={unit_id} class="unit">{"% of requests"}</span>
                } else {
                    <input id={props.id} type="number" min="1" step="1" placeholder="no limit"
                        value={props.value.clone()} {onchange} aria-invalid={error.is_some().to_string()}
                        aria-describedby={described} />
                    <span id={unit_id} class="unit">{"per simulated second"}</span>
                }
            </span>
            if let Some(message) = (*error).clone() {
                <p id={err_id} class="field-err" role="alert">{message}</p>
            }
        </div>
    }
}

/// A fault rate field (shown as a percentage) bound to one rate of the scenario.
fn rate_input(
    state: &StateHandle,
    id: &'static str,
    label: &'static str,
    value: f64,
    set: fn(&mut Scenario, f64),
) -> Html {
    let on_set = {
        let state = state.clone();
        Callback::from(move |text: String| {
            let Ok(rate) = parse_percent(&text) else { return };
            let mut scenario = state.sim.scenario().clone();
            set(&mut scenario, rate);
            load(
                &state,
                scenario,
                &format!("{label} set to {} %: the simulation restarted.", percent_text(rate)),
            );
        })
    };
    html! { <FaultField {id} {label} value={percent_text(value)} {on_set} percent=true /> }
}

fn throttle_input(
    state: &StateHandle,
    id: &'static str,
    value: Option<u32>,
    set: fn(&mut Scenario, Option<u32>),
) -> Html {
    let on_set = {
        let state = state.clone();
        Callback::from(move |text: String| {
            let Ok(limit) = parse_throttle(&text) else { return };
            let mut scenario = state.sim.scenario().clone();
            set(&mut scenario, limit);
            let message = match limit {
                Some(n) => format!("Throttling set to {n} per simulated second: the simulation restarted."),
                None => "Throttling off: the simulation restarted.".to_string(),
            };
            load(&state, scenario, &message);
        })
    };
    let value = value.map(|v| v.to_string()).unwrap_or_default();
    html! {
        <FaultField {id} label="Requests before throttling" {value} {on_set} percent=false />
    }
}

fn flag_input(state: &StateHandle, label: &'static str, value: bool, set: fn(&mut Scenario, bool)) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let mut scenario = state.sim.scenario().clone();
            set(&mut scenario, event_checked(&e));
            load(&state, scenario, &format!("{label}: the simulation restarted."));
        })
    };
    html! { <label class="check"><input type="checkbox" checked={value} {onchange} />{label}</label> }
}

/// The scenario controls.
pub fn scenario_bar(state: &StateHandle) -> Html {
    let state = state.clone();
    // Borrowed, not cloned: this runs on every render of the page, and a 5,000-server scenario is big.
    let scenario = state.sim.scenario();
    let reset = {
        let state = state.clone();
        Callback::from(move |_| dispatch_now(&state, |wall| Action::Reset { wall, seed: None }))
    };
    let reseed = {
        let state = state.clone();
        Callback::from(move |_| {
            let seed = storage::random_seed();
            dispatch_now(&state, |wall| Action::Reset { wall, seed: Some(seed) })
        })
    };
    let preset = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let seed = state.sim.scenario().seed;
            match event_value(&e).as_str() {
                "demo" => load(&state, Scenario { seed, ..Scenario::builtin() }, "Demo fleet loaded."),
                value => {
                    let Some(n) = presets::LARGE_SIZES.into_iter().find(|n| value == format!("large-{n}"))
                    else {
                        return;
                    };
                    load(&state, presets::large(n, seed), &format!("{} loaded.", presets::large_title(n)));
                }
            }
        })
    };
    let profile = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let mut scenario = state.sim.scenario().clone();
            scenario.settings.status_profile = match event_value(&e).as_str() {
                "service-model" => StatusProfile::ServiceModel,
                _ => StatusProfile::ApiReference,
            };
            load(&state, scenario, "Status-code profile changed: the simulation restarted.");
        })
    };
    let save = {
        let state = state.clone();
        Callback::from(move |_| {
            let text = state.sim.scenario().to_json_pretty();
            storage::download("fleetplay-scenario.json", &text, "application/json")
        })
    };
    let file = {
        let state = state.clone();
        storage::on_file_picked(move |name, text| match text.map(|t| Scenario::from_json(&t)) {
            Some(Ok(scenario)) => {
                load(&state, scenario, &format!("Loaded {name}: the simulation restarted."))
            }
            Some(Err(err)) => state.dispatch(Action::ShowNotice(crate::state::Notice {
                kind: crate::state::NoticeKind::Refused,
                text: format!("{name} is not a usable scenario: {err}. The current one is unchanged."),
                unreadable_kept: false,
            })),
            None => state.dispatch(Action::Toast(format!("{name} could not be read."))),
        })
    };
    // Which fleet the picker shows: one of its presets, or the title of whatever else is loaded (a file,
    // a lesson, `?fleet=N`), so it never claims a preset that is not there.
    let preset_kind = match (scenario.title.as_str(), presets::large_size(&scenario.title)) {
        ("Demo fleet", _) => "demo".to_string(),
        (_, Some(n)) if presets::LARGE_SIZES.contains(&n) => format!("large-{n}"),
        _ => "other".to_string(),
    };
    let other_title = if preset_kind == "other" { short_title(&scenario.title) } else { String::new() };
    let profile_value = match scenario.settings.status_profile {
        StatusProfile::ApiReference => "api-reference",
        StatusProfile::ServiceModel => "service-model",
    };
    let f = &scenario.faults;
    html! {
        <div class="scenario" role="group" aria-label="Scenario">
            <span class="seed mono" title="Seed of the simulation's random generator">{format!("seed {}", scenario.seed)}</span>
            <button type="button" class="ghost" onclick={reset}>{"Reset"}</button>
            <button type="button" class="ghost" onclick={reseed}>{"New seed"}</button>
            <label class="inline">{"Fleet "}
                // `~value` sets the select's value property on every change: once a user has picked an
                // option, the browser no longer follows `selected` attributes (an Undo would leave the picker
                // showing the wrong fleet). The key re-creates it when its set of options changes.
                <select onchange={preset} ~value={preset_kind.clone()} key={other_title.clone()}>
                    <option value="demo" selected={preset_kind == "demo"}>{"Demo fleet"}</option>
                    { for presets::LARGE_SIZES.into_iter().map(|n| {
                        let value = format!("large-{n}");
                        let selected = preset_kind == value;
                        html! {
                            <option {selected} {value}>
                                {crate::pretty::counted(n as usize, "server", "servers")}
                            </option>
                        }
                    }) }
                    if preset_kind == "other" {
                        <option value="other" selected=true disabled=true>{other_title.clone()}</option>
                    }
                </select>
            </label>
            <label class="inline">{"Status codes "}
                <select onchange={profile} ~value={profile_value}>
                    <option value="api-reference" selected={scenario.settings.status_profile == StatusProfile::ApiReference}>{"API reference (400/500)"}</option>
                    <option value="service-model" selected={scenario.settings.status_profile == StatusProfile::ServiceModel}>{"Service model (404/429/503…)"}</option>
                </select>
            </label>
            <details class="faults" data-popover="">
                <summary>{"Faults"}</summary>
                <div class="fault-grid">
                    <p class="fault-help">
                        {"Rates are percentages of requests (50 means half of them fail). Throttling counts requests per "}
                        <strong>{"simulated"}</strong>
                        {format!(" second: at {}× one simulated second passes in {} of real time, so clicks rarely land in the same one. Pause the clock and every request lands in the same simulated second: the second one is over a limit of 1. Esc closes this panel.",
                            state.clock.speed, match state.clock.speed { 1 => "1 s", 10 => "0.1 s", _ => "0.01 s" })}
                    </p>
                    <fieldset>
                        <legend>{"AWS Transfer Family"}</legend>
                        {throttle_input(&state, "ft-throttle", f.transfer.throttle_per_second, |s, v| s.faults.transfer.throttle_per_second = v)}
                        {rate_input(&state, "ft-internal", "InternalServiceError rate", f.transfer.internal_error_rate, |s, v| s.faults.transfer.internal_error_rate = v)}
                        {rate_input(&state, "ft-unavail", "ServiceUnavailableException rate", f.transfer.unavailable_rate, |s, v| s.faults.transfer.unavailable_rate = v)}
                        {rate_input(&state, "ft-stopfail", "Stop ends in STOP_FAILED rate", f.transfer.stop_failure_rate, |s, v| s.faults.transfer.stop_failure_rate = v)}
                    </fieldset>
                    <fieldset>
                        <legend>{"Amazon Lightsail"}</legend>
                        {throttle_input(&state, "fl-throttle", f.lightsail.throttle_per_second, |s, v| s.faults.lightsail.throttle_per_second = v)}
                        {rate_input(&state, "fl-service", "ServiceException rate", f.lightsail.service_error_rate, |s, v| s.faults.lightsail.service_error_rate = v)}
                        {rate_input(&state, "fl-stuck", "Stop gets stuck in stopping rate", f.lightsail.stuck_rate, |s, v| s.faults.lightsail.stuck_rate = v)}
                        {flag_input(&state, "Account setup in progress", f.lightsail.account_setup_in_progress, |s, v| s.faults.lightsail.account_setup_in_progress = v)}
                        {flag_input(&state, "Region setup in progress", f.lightsail.region_setup_in_progress, |s, v| s.faults.lightsail.region_setup_in_progress = v)}
                        {flag_input(&state, "Unauthenticated", f.lightsail.unauthenticated, |s, v| s.faults.lightsail.unauthenticated = v)}
                    </fieldset>
                    <fieldset>
                        <legend>{"OpenStack Nova"}</legend>
                        {throttle_input(&state, "fn-throttle", f.nova.throttle_per_second, |s, v| s.faults.nova.throttle_per_second = v)}
                        {rate_input(&state, "fn-unavail", "503 serviceUnavailable rate", f.nova.unavailable_rate, |s, v| s.faults.nova.unavailable_rate = v)}
                    </fieldset>
                </div>
            </details>
            <button type="button" class="ghost" onclick={save}>{"Save scenario"}</button>
            <label class="ghost file-btn">{"Load scenario"}
                <input type="file" accept=".json,application/json" class="sr-only" onchange={file} />
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_percent, parse_throttle, percent_text};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn rates_show_as_percentages_to_millionths_of_the_rate() {
        let cases = [
            (0.0, "0"),
            (1.0, "100"),
            (0.5, "50"),
            (0.05, "5"),
            (0.125, "12.5"),
            (0.0125, "1.25"),
            (0.0001, "0.01"),
            (0.9996, "99.96"),
            (0.0000004, "0"),
            (1.0 / 3.0, "33.3333"),
            (1.5, "100"),
            (-0.2, "0"),
            (f64::NAN, "0"),
            (f64::INFINITY, "100"),
        ];
        for (rate, text) in cases {
            assert_eq!(percent_text(rate), text, "{rate:?}");
        }
    }

    #[wasm_bindgen_test]
    fn typed_percentages_are_read_or_refused_never_clamped() {
        assert_eq!(parse_percent("50"), Ok(0.5));
        assert_eq!(parse_percent(" 12.5 % "), Ok(0.125));
        assert_eq!(parse_percent("0"), Ok(0.0));
        assert_eq!(parse_percent("100"), Ok(1.0));
        assert_eq!(parse_percent("150").unwrap_err(), "150 % is outside 0–100 %: not applied.");
        assert!(parse_percent("-1").unwrap_err().contains("outside"));
        assert!(parse_percent("").unwrap_err().contains("from 0 to 100"));
        assert!(parse_percent("half").unwrap_err().contains("is not a number"));
        assert!(parse_percent("NaN").is_err());
        assert_eq!(parse_throttle(""), Ok(None));
        assert_eq!(parse_throttle("2"), Ok(Some(2)));
        assert!(parse_throttle("0").unwrap_err().contains("1 or more"));
        assert!(parse_throttle("1.5").is_err());
    }
}
