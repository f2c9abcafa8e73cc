//! The bottom bar: the simulated clock (play/pause, speed, step to the next transition, skip animations)
//! and the scenario controls.

use super::scenario::scenario_bar;
use super::{clock_text, event_checked};
use crate::hooks::{dispatch_now, StateHandle};
use crate::state::{speed_text, Action, SPEEDS};
use yew::prelude::*;

/// The clock and scenario bar; the clock loop writes the time into `time_ref`.
pub fn clock_bar(state: &StateHandle, time_ref: &NodeRef) -> Html {
    let state = state.clone();
    let playing = state.clock.playing;
    let speed = state.clock.speed;
    let toggle = {
        let state = state.clone();
        Callback::from(move |_| dispatch_now(&state, |wall| Action::SetPlaying { wall, playing: !playing }))
    };
    let step = {
        let state = state.clone();
        Callback::from(move |_| dispatch_now(&state, |wall| Action::Step { wall }))
    };
    let skip = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let skip = event_checked(&e);
            dispatch_now(&state, |wall| Action::SetSkip { wall, skip })
        })
    };
    let next = state.sim.next_due();
    // Following a server: its speed when the buttons cannot show it, and no "skip animations" (it would
    // complete transitions on the page alone).
    let live = state.live.as_ref();
    let server_speed = live.filter(|l| l.speed > 0.0 && !SPEEDS.iter().any(|s| f64::from(*s) == l.speed));
    html! {
        <footer class="bar">
            <div class="clock" role="group" aria-label="Clock">
                <button type="button" class="icon" onclick={toggle} aria-label={if playing { "Pause" } else { "Play" }}
                    title={if playing { "Pause the simulated clock" } else { "Run the simulated clock" }}>
                    if playing {
                        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><rect x="3" y="2" width="3.5" height="12" rx="1"/><rect x="9.5" y="2" width="3.5" height="12" rx="1"/></svg>
                    } else {
                        <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d="M4 2 L14 8 L4 14 z"/></svg>
                    }
                </button>
                <span class="time mono" ref={time_ref.clone()} aria-label="Simulated time"></span>
                <fieldset class="speeds">
                    <legend class="sr-only">{"Speed"}</legend>
                    { for SPEEDS.into_iter().map(|s| {
                        let on = s == speed;
                        let state = state.clone();
                        let onchange = Callback::from(move |_| dispatch_now(&state, |wall| Action::SetSpeed { wall, speed: s }));
                        html! {
                            <label class={classes!("seg", on.then_some("on"))}>
                                <input type="radio" name="speed" value={s.to_string()} checked={on} {onchange} />
                                <span>{format!("{s}×")}</span>
                            </label>
                        }
                    }) }
                </fieldset>
                if let Some(l) = server_speed {
                    <span class="server-speed">{format!("server at {}", speed_text(l.speed))}</span>
                }
                <button type="button" class="ghost" onclick={step} disabled={next.is_none()}
                    title={next.map(|t| format!("Next transition completes at {}", clock_text(t))).unwrap_or_else(|| "Nothing is in transition".into())}>
                    {"Step to next transition"}
                </button>
                <label class="check">
                    <input type="checkbox" checked={state.clock.skip} onchange={skip} disabled={live.is_some()}
                        title={live.map(|_| "Not while following a server: the server's clock decides")} />
                    {"Skip animations"}
                </label>
                <span class="paused-tag">{if playing { "" } else { "paused" }}</span>
            </div>
            {scenario_bar(&state)}
        </footer>
    }
}
