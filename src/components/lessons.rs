//! The lessons panel: the shipped lessons (static files under `lessons/`, fetched when the panel opens), an
//! instructor's own lesson from a URL or a file, "Make a lesson from this session", and the lesson in
//! progress: each step's goal and hint, confirmed only when `sim::lesson::progress` finds the proof in the
//! transcript, with the ways out of a dead end (Retry this step, Restart lesson, Show the solution) and
//! how to give the lesson to a class (a share link that carries it, from the step the instructor picks).

use super::event_value;
use crate::hooks::{dispatch_now, use_app, use_shipped_lessons, StateHandle};
use crate::state::{Action, AppState, Notice, NoticeKind};
use crate::storage;
use sim::lesson::{Action as Do, ClockNeed, Lesson, Step, StepState};
use std::rc::Rc;
use yew::prelude::*;

fn warn(state: &StateHandle, text: String) {
    state.dispatch(Action::ShowNotice(Notice { kind: NoticeKind::Warning, text, unreadable_kept: false }));
}

/// Starts the lesson in `text` (from `origin`, for messages), or says why it cannot.
fn start(state: &StateHandle, text: String, origin: &str) {
    match Lesson::from_json(&text) {
        Ok(lesson) => {
            let (lesson, source) = (Rc::new(lesson), Rc::from(text.as_str()));
            dispatch_now(state, |wall| Action::StartLesson { wall, lesson, source });
        }
        Err(e) => warn(state, format!("The lesson from {origin} cannot be used: {e}.")),
    }
}

/// Fetches a lesson from `url` (same origin or CORS-permitted) and starts it.
pub fn load_from_url(state: StateHandle, url: String) {
    wasm_bindgen_futures::spawn_local(async move {
        match storage::fetch_text(&url).await {
            Ok(text) => start(&state, text, &url),
            Err(e) => warn(&state, format!("The lesson at {url} cannot be loaded: {e}.")),
        }
    });
}

/// "Put it in the composer" for a raw request: in the provider it is for.
fn put_in_composer(state: &StateHandle, raw: String) -> Callback<MouseEvent> {
    let state = state.clone();
    let provider = crate::wiretext::parse_request(&raw)
        .ok()
        .and_then(|r| crate::ops::extract(&r))
        .map_or(state.provider, |x| x.provider);
    Callback::from(move |_| {
        state.dispatch(Action::LoadDraft { provider, raw: raw.clone() });
        storage::focus("composer-h");
    })
}

/// A duration as the page writes it: `2m`, `1m30s`, `10s`.
fn duration(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 60, s % 60, ms % 1000) {
        (0, 0, ms) => format!("{ms} ms"),
        (0, s, _) => format!("{s} s"),
        (m, 0, _) => format!("{m} min"),
        (m, s, _) => format!("{m} min {s} s"),
    }
}

/// The current step's solution, spelled out: each request (placeholders filled from the answers so far)
/// with a button that puts it in the composer, and the simulated time to let pass.
fn solution(state: &StateHandle, step: &Step) -> Html {
    if step.solution.is_empty() {
        return html! {
            <p class="hint">{format!("This lesson gives no solution for the step. It is done when: {}.", step.check.describe())}</p>
        };
    }
    let needs_answers =
        step.solution.iter().any(|a| matches!(a, Do::Send { request, .. } if request.contains("{{/")));
    let transcript = if needs_answers { state.transcript() } else { Vec::new() };
    let items = step.solution.iter().map(|action| match action {
        Do::Send { request, times } => match sim::lesson::fill_placeholders(request, &transcript) {
            Ok(raw) => {
                let put = put_in_composer(state, raw.clone());
                let what = if *times > 1 {
                    format!("Send this request, up to {times} times (Send again after each answer):")
                } else {
                    "Send this request:".to_string()
                };
                html! {
                    <li>
                        <p>{what}</p>
                        <pre class="code mono small-code">{raw}</pre>
                        <button type="button" class="ghost small" onclick={put}>{"Put it in the composer"}</button>
                    </li>
                }
            }
            Err(e) => html! { <li><p>{format!("Send the request once an earlier step's answer is there ({e}).")}</p></li> },
        },
        Do::Wait(ms) => html! {
            <li><p>{format!("Let {} of simulated time pass: press Play in the clock bar, or Step to the next transition.", duration(*ms))}</p></li>
        },
    });
    html! { <ol class="solution-steps">{for items}</ol> }
}

/// What the page says about a step's clock need.
fn clock_note(need: ClockNeed) -> &'static str {
    match need {
        ClockNeed::Pause => "This step's moment passes quickly, so the lesson pauses the clock while you work on it. Play again only when you want time to move.",
        ClockNeed::Slow => "The lesson runs the clock at 1× for this step, so you can watch it happen.",
    }
}

/// "Give this lesson to a class": the start step, the link, and what happens next.
#[derive(Properties, PartialEq)]
struct ClassLinkProps {
    steps: usize,
}

/// A component: it keeps the start step chosen and the link last made.
#[component]
fn ClassLink(props: &ClassLinkProps) -> Html {
    let step = use_state(|| 0usize);
    let link = use_state(|| None::<String>);
    let Some(state) = use_app() else { return Html::default() };
    let on_step = {
        let step = step.clone();
        Callback::from(move |e: Event| step.set(event_value(&e).parse().unwrap_or(0)))
    };
    let copy = {
        let state = state.clone();
        let link = link.clone();
        let step = *step;
        Callback::from(move |_| {
            let url = storage::url_with_fragment(&state.share_at(Some(step)).to_fragment());
            storage::copy(&url);
            link.set(Some(url));
            state.dispatch(Action::Toast(if step == 0 {
                "Lesson link copied: it opens this lesson at its first step.".to_string()
            } else {
                format!(
                    "Lesson link copied: it opens this lesson at step {}, the steps before done.",
                    step + 1
                )
            }));
        })
    };
    html! {
        <details class="class-link">
            <summary>{"Give this lesson to a class"}</summary>
            <p class="hint">{"Send your students this link: it opens the page with this lesson (the lesson travels inside the link, your own lesson file too), on its own fresh fleet. When they are done, they press Export session and send you the file; open the Instructor view to see everyone's progress, proven by replaying each file."}</p>
            <div class="row">
                <label for="class-step">{"Start at"}</label>
                <select id="class-step" onchange={on_step}>
                    { for (0..props.steps).map(|i| html! {
                        <option value={i.to_string()} selected={i == *step}>
                            {if i == 0 { "step 1 (the beginning)".to_string() } else { format!("step {} (steps before it done for them)", i + 1) }}
                        </option>
                    }) }
                </select>
                <button type="button" class="ghost small" onclick={copy}>{"Copy lesson link"}</button>
            </div>
            if let Some(url) = (*link).clone() {
                <input class="share-url mono" readonly=true aria-label="Lesson link" value={url} />
            }
        </details>
    }
}

/// Downloads a lesson file made from the session so far, or says why none can be made.
fn make_lesson(state: &AppState) -> Result<(), String> {
    let text = sim::lesson::author::lesson_from_session(state.sim.scenario(), &state.transcript())?;
    storage::download("lesson-from-session.json", &text, "application/json");
    Ok(())
}

/// The lessons panel.
#[component]
pub fn LessonsPanel() -> Html {
    let state_opt = use_app();
    let listed = use_shipped_lessons();
    let url = use_state(String::new);
    let progress = {
        let key = state_opt.as_ref().map(|s| {
            (
                Rc::as_ptr(&s.timeline) as usize,
                s.timeline.len(),
                s.lesson.as_ref().map(|l| Rc::as_ptr(&l.lesson) as usize),
            )
        });
        let state = state_opt.clone();
        use_memo(key, move |_| state.and_then(|s| s.lesson_progress()))
    };
    let Some(state) = state_opt else { return Html::default() };

    if let (Some(run), Some(progress)) = (state.lesson.as_ref(), progress.as_ref()) {
        let lesson = run.lesson.clone();
        let done = progress.iter().filter(|s| s.state == StepState::Done).count();
        let total = lesson.steps.len();
        let leave = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::EndLesson))
        };
        let restart = {
            let state = state.clone();
            Callback::from(move |_| dispatch_now(&state, |wall| Action::RestartLesson { wall }))
        };
        let steps = lesson.steps.iter().zip(progress.iter()).enumerate().map(|(i, (step, status))| {
            let class = match status.state {
                StepState::Done => "done",
                StepState::Current => "current",
                StepState::Pending => "pending",
            };
            let current = status.state == StepState::Current;
            let example = step.request.clone().filter(|_| current).map(|raw| {
                let onclick = put_in_composer(&state, raw);
                html! { <button type="button" class="ghost small" {onclick}>{"Put the example request in the composer"}</button> }
            });
            let retry = current.then(|| {
                let state = state.clone();
                let onclick = Callback::from(move |_| dispatch_now(&state, |wall| Action::RetryStep { wall }));
                let start = sim::lesson::step_start(progress, i).map(|(_, at)| at).unwrap_or_default();
                html! {
                    <button type="button" class="ghost small" {onclick}
                        title={format!("Back to {start}, where this step began; later requests are set aside (Undo)")}>
                        {"Retry this step"}
                    </button>
                }
            });
            let label = match status.state {
                StepState::Done => format!(
                    "Step {}, done{}",
                    i + 1,
                    status.proof.as_ref().map(|p| format!(" at {}", p.at)).unwrap_or_default()
                ),
                StepState::Current => format!("Step {}, to do now", i + 1),
                StepState::Pending => format!("Step {}, later", i + 1),
            };
            html! {
                <li class={classes!("step", class)} aria-current={current.then_some("step")}>
                    <p class="step-state">{label}</p>
                    <p class="goal">{&step.goal}</p>
                    if current {
                        if let Some(need) = step.clock {
                            <p class="clock-note">{clock_note(need)}</p>
                        }
                        <p class="hint"><strong>{"Hint: "}</strong>{&step.hint}</p>
                        <p class="check-text">{format!("Confirmed when: {}.", step.check.describe())}</p>
                        <div class="step-actions">{example}{retry}</div>
                        <details class="solution">
                            <summary>{"Show the solution"}</summary>
                            {solution(&state, step)}
                        </details>
                    }
                    if status.state == StepState::Done {
                        if let Some(explain) = &step.explain { <p class="explain">{explain}</p> }
                    }
                </li>
            }
        });
        return html! {
            <section id="lessons" class="panel lessons" aria-labelledby="lessons-h" tabindex="-1">
                <div class="panel-h">
                    <h2 id="lessons-h">{format!("Lesson: {}", lesson.title)}</h2>
                    <span class="lesson-buttons">
                        <button type="button" class="ghost small" onclick={restart}>{"Restart lesson"}</button>
                        <button type="button" class="ghost small" onclick={leave}>{"Leave lesson"}</button>
                    </span>
                </div>
                <p class="hint">{&lesson.summary}</p>
                <div class="lesson-progress">
                    <progress max={total.to_string()} value={done.to_string()} aria-label="Lesson progress"></progress>
                    <span role="status">{if done == total { format!("All {total} steps done.") } else { format!("{done} of {total} steps done") }}</span>
                </div>
                <ol class="steps">{for steps}</ol>
                <ClassLink steps={total} />
            </section>
        };
    }

    let items = listed.iter().map(|l| match &l.lesson {
        Ok(lesson) => {
            let onclick = {
                let state = state.clone();
                let text = l.text.to_string();
                let name = l.name;
                Callback::from(move |_| start(&state, text.clone(), name))
            };
            html! {
                <li key={l.name}>
                    <div>
                        <p class="lesson-title">{&lesson.title}</p>
                        <p class="hint">{format!("{} steps · {}", lesson.steps.len(), lesson.provider.map_or("all providers", |p| p.title()))}</p>
                    </div>
                    <button type="button" class="ghost small" {onclick} aria-label={format!("Start lesson: {}", lesson.title)}>{"Start"}</button>
                </li>
            }
        }
        Err(e) => html! { <li key={l.name}><p class="hint">{format!("{}: {e}", l.name)}</p></li> },
    });
    let on_url = {
        let url = url.clone();
        Callback::from(move |e: InputEvent| url.set(event_value(&e)))
    };
    let load_url = {
        let state = state.clone();
        let url = url.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let u = url.trim().to_string();
            if !u.is_empty() {
                load_from_url(state.clone(), u);
            }
        })
    };
    let file = {
        let state = state.clone();
        storage::on_file_picked(move |name, text| match text {
            Some(text) => start(&state, text, &name),
            None => warn(&state, format!("{name} could not be read.")),
        })
    };
    let make = {
        let state = state.clone();
        Callback::from(move |_| {
            match make_lesson(&state) {
            Ok(()) => state.dispatch(Action::Toast(
                "Lesson file downloaded: edit its goals and hints, check it (fleetplay lesson check), then load it here or give it to a class.".into(),
            )),
            Err(e) => state.dispatch(Action::Toast(format!("No lesson made: {e}."))),
        }
        })
    };
    html! {
        <section id="lessons" class="panel lessons" aria-labelledby="lessons-h" tabindex="-1">
            <div class="panel-h"><h2 id="lessons-h">{"Lessons"}</h2></div>
            <p class="hint">{"Each lesson loads its own scenario; a step is confirmed only when the transcript proves it. A step you miss can be retried, and every step has a solution to show."}</p>
            if listed.is_empty() {
                <p class="empty">{"Loading the lessons…"}</p>
            } else {
                <ul class="lesson-list" aria-label="Shipped lessons">{for items}</ul>
            }
            <p class="hint class-hint">{"To give a lesson to a class: start it, then use Give this lesson to a class at the bottom of the lesson (or Copy share link): the link carries the lesson, your own file too. Students export their session when done, and the Instructor view grades the files by replaying them."}</p>
            <form class="lesson-url" onsubmit={load_url}>
                <label for="lesson-url">{"Your own lesson (URL)"}</label>
                <input id="lesson-url" type="url" placeholder="https://…/lesson.json" value={(*url).clone()} oninput={on_url} />
                <button type="submit" class="ghost small">{"Load"}</button>
            </form>
            <div class="row">
                <label class="ghost file-btn small">{"Load a lesson file"}
                    <input type="file" accept=".json,application/json" class="sr-only" onchange={file} />
                </label>
                <button type="button" class="ghost small" onclick={make} disabled={state.sends.is_empty()}
                    title="One step per new kind of answer in this session, with checks from the answers">
                    {"Make a lesson from this session"}
                </button>
            </div>
        </section>
    }
}
