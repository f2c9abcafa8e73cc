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

/// A rate from 0 to 1 as plain digits for the form field (`sim::scenario::rate_digits`: rounded to
/// millionths, no float formatting). Outside 0..=1 it is clamped; NaN is 0.
pub(crate) fn rate_text(rate: f64) -> String {
    let rate = if rate.is_nan() { 0.0 } else { rate.clamp(0.0, 1.0) };
    sim::scenario::rate_digits(rate).map_or_else(|| "0".to_string(), |(digits, _)| digits)
}

/// A scenario title short enough for the fleet picker: at most 32 characters, then an ellipsis.
fn short_title(title: &str) -> String {
    let title = if title.trim().is_empty() { "Custom fleet" } else { title.trim() };
    match title.char_indices().nth(32) {
        Some((cut, _)) => format!("{}…", &title[..cut]),
        None => title.to_string(),
    }
}

/// A probability input (0 to 1) bound to one fault rate.
fn rate_input(
    state: &StateHandle,
    id: &'static str,
    label: &'static str,
    value: f64,
    set: fn(&mut Scenario, f64),
) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let Ok(v) = event_value(&e).trim().parse::<f64>() else { return };
            if v.is_nan() {
                return;
            }
            let v = v.clamp(0.0, 1.0);
            let mut scenario = state.sim.scenario().clone();
            set(&mut scenario, v);
            load(
                &state,
                scenario,
                &format!("{label} set to {}: the simulation restarted.", sim::scenario::rate_text(v)),
            );
        })
    };
    html! {
        <div class="fault">
            <label for={id}>{label}</label>
            <input id={id} type="number" min="0" max="1" step="0.05" value={rate_text(value)} {onchange} />
        </div>
    }
}

fn throttle_input(
    state: &StateHandle,
    id: &'static str,
    value: Option<u32>,
    set: fn(&mut Scenario, Option<u32>),
) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let text = event_value(&e);
            let v = if text.trim().is_empty() { None } else { text.trim().parse::<u32>().ok() };
            let mut scenario = state.sim.scenario().clone();
            set(&mut scenario, v);
            load(&state, scenario, "Throttling changed: the simulation restarted.");
        })
    };
    html! {
        <div class="fault">
            <label for={id}>{"Requests per second before throttling"}</label>
            <input id={id} type="number" min="1" placeholder="no limit" value={value.map(|v| v.to_string()).unwrap_or_default()} {onchange} />
        </div>
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
                "large" => load(&state, presets::large(1000, seed), "Large fleet (1000 servers) loaded."),
                _ => {}
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
    let preset_kind = match scenario.title.as_str() {
        "Demo fleet" => "demo",
        t if t == presets::large_title(1000) => "large",
        _ => "other",
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
                <select onchange={preset} ~value={preset_kind} key={other_title.clone()}>
                    <option value="demo" selected={preset_kind == "demo"}>{"Demo fleet"}</option>
                    <option value="large" selected={preset_kind == "large"}>{"1,000 servers"}</option>
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
            <details class="faults">
                <summary>{"Faults"}</summary>
                <div class="fault-grid">
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
    use super::rate_text;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn rate_fields_show_the_clamped_rate_to_millionths() {
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (0.05, "0.05"),
            (0.125, "0.125"),
            (0.0125, "0.0125"),
            (0.0001, "0.0001"),
            (0.9996, "0.9996"),
            (0.0000004, "0"),
            (1.0 / 3.0, "0.333333"),
            (1.5, "1"),
            (-0.2, "0"),
            (f64::NAN, "0"),
            (f64::INFINITY, "1"),
        ];
        for (rate, text) in cases {
            assert_eq!(rate_text(rate), text, "{rate:?}");
        }
    }
}
