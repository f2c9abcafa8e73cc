//! The lessons panel: the shipped lessons (static files under `lessons/`, fetched when the panel opens), an
//! instructor's own lesson from a URL or a file, and the lesson in progress with each step's goal and hint,
//! confirmed only when `sim::lesson::progress` finds the proof in the transcript.

use super::event_value;
use crate::hooks::{dispatch_now, use_app, use_shipped_lessons, StateHandle};
use crate::state::{Action, Notice, NoticeKind};
use crate::storage;
use sim::lesson::{Lesson, StepState};
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

/// The lessons panel.
#[component]
pub fn LessonsPanel() -> Html {
    let state_opt = use_app();
    let listed = use_shipped_lessons();
    let url = use_state(String::new);
    let progress = {
        let key = state_opt.as_ref().map(|s| {
            (Rc::as_ptr(&s.timeline) as usize, s.lesson.as_ref().map(|l| Rc::as_ptr(&l.lesson) as usize))
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
        let steps = lesson.steps.iter().zip(progress.iter()).enumerate().map(|(i, (step, status))| {
            let class = match status.state {
                StepState::Done => "done",
                StepState::Current => "current",
                StepState::Pending => "pending",
            };
            let example = step.request.clone().filter(|_| status.state == StepState::Current).map(|raw| {
                let state = state.clone();
                let provider = crate::wiretext::parse_request(&raw)
                    .ok()
                    .and_then(|r| crate::ops::extract(&r))
                    .map_or(state.provider, |x| x.provider);
                let onclick = Callback::from(move |_| {
                    state.dispatch(Action::LoadDraft { provider, raw: raw.clone() });
                });
                html! { <button type="button" class="ghost small" {onclick}>{"Put the example request in the composer"}</button> }
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
                <li class={classes!("step", class)} aria-current={(status.state == StepState::Current).then_some("step")}>
                    <p class="step-state">{label}</p>
                    <p class="goal">{&step.goal}</p>
                    if status.state == StepState::Current {
                        <p class="hint"><strong>{"Hint: "}</strong>{&step.hint}</p>
                        <p class="check-text">{format!("Confirmed when: {}.", step.check.describe())}</p>
                        {example}
                    }
                    if status.state == StepState::Done {
                        if let Some(explain) = &step.explain { <p class="explain">{explain}</p> }
                    }
                </li>
            }
        });
        return html! {
            <section id="lessons" class="panel lessons" aria-labelledby="lessons-h">
                <div class="panel-h">
                    <h2 id="lessons-h">{format!("Lesson: {}", lesson.title)}</h2>
                    <button type="button" class="ghost small" onclick={leave}>{"Leave lesson"}</button>
                </div>
                <p class="hint">{&lesson.summary}</p>
                <div class="lesson-progress">
                    <progress max={total.to_string()} value={done.to_string()} aria-label="Lesson progress"></progress>
                    <span role="status">{if done == total { format!("All {total} steps done.") } else { format!("{done} of {total} steps done") }}</span>
                </div>
                <ol class="steps">{for steps}</ol>
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
    html! {
        <section id="lessons" class="panel lessons" aria-labelledby="lessons-h">
            <div class="panel-h"><h2 id="lessons-h">{"Lessons"}</h2></div>
            <p class="hint">{"Each lesson loads its own scenario; a step is confirmed only when the transcript proves it."}</p>
            if listed.is_empty() {
                <p class="empty">{"Loading the lessons…"}</p>
            } else {
                <ul class="lesson-list" aria-label="Shipped lessons">{for items}</ul>
            }
            <form class="lesson-url" onsubmit={load_url}>
                <label for="lesson-url">{"Your own lesson (URL)"}</label>
                <input id="lesson-url" type="url" placeholder="https://…/lesson.json" value={(*url).clone()} oninput={on_url} />
                <button type="submit" class="ghost small">{"Load"}</button>
            </form>
            <label class="ghost file-btn small">{"Load a lesson file"}
                <input type="file" accept=".json,application/json" class="sr-only" onchange={file} />
            </label>
        </section>
    }
}
