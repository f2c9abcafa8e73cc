//! The banner: a restored session that could not be read, a share link that could not be opened, a
//! scenario that was refused, requests set aside by a restart. Unreadable saved data stays retrievable
//! (download or copy); set-aside requests come back with "Undo".

use crate::hooks::{dispatch_now, StateHandle};
use crate::state::{Action, NoticeKind};
use crate::storage;
use yew::prelude::*;

/// The banner, when there is something to say.
pub fn notice_banner(state: &StateHandle) -> Html {
    let state = state.clone();
    let Some(notice) = state.notice.clone() else { return Html::default() };
    let dismiss = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::DismissNotice))
    };
    let download = Callback::from(|_| {
        if let Some(text) = storage::unreadable() {
            storage::download("fleetplay-unreadable-session.json", &text, "application/json");
        }
    });
    let copy = {
        let state = state.clone();
        Callback::from(move |_| {
            if let Some(text) = storage::unreadable() {
                storage::copy(&text);
                state.dispatch(Action::Toast("Unreadable data copied.".into()));
            }
        })
    };
    let (class, role) = match notice.kind {
        NoticeKind::Warning | NoticeKind::Refused => ("notice warn", "alert"),
        NoticeKind::Info => ("notice info", "status"),
    };
    html! {
        <div class={class} role={role}>
            <p>{notice.text}</p>
            <div class="row">
                if notice.unreadable_kept {
                    <button type="button" class="ghost small" onclick={download}>{"Download unreadable data"}</button>
                    <button type="button" class="ghost small" onclick={copy}>{"Copy unreadable data"}</button>
                }
                <button type="button" class="ghost small" onclick={dismiss}>{"Dismiss"}</button>
            </div>
        </div>
    }
}

/// The offer to bring back what a restart set aside (`AppState::undo`), shown for as long as it stands,
/// whatever banner is up.
pub fn set_aside_bar(state: &StateHandle) -> Html {
    let Some(before) = state.undo.as_ref() else { return Html::default() };
    let n = before.sends.len();
    let requests = if n == 1 { "request" } else { "requests" };
    let lesson = match (&before.lesson, &state.lesson) {
        (was, now) if was == now => String::new(),
        (Some(run), _) => format!(" Undo also goes back to the lesson {}.", run.lesson.title),
        (None, Some(run)) => format!(" Undo also leaves the lesson {}.", run.lesson.title),
        (None, None) => String::new(),
    };
    let undo = {
        let state = state.clone();
        Callback::from(move |_| {
            dispatch_now(&state, |wall| Action::UndoRestart { wall });
            // The button goes with the bar: keep keyboard focus on the page, at the history that came back.
            storage::focus("timeline-h");
        })
    };
    let forget = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ForgetSetAside))
    };
    html! {
        <div class="notice info set-aside" role="status">
            <p>{format!(
                "The simulation restarted: the {} {requests} sent before, the timeline and the fleet's states \
                 were set aside. Undo brings them back.{lesson}",
                crate::pretty::count(n)
            )}</p>
            <div class="row">
                <button type="button" class="small" onclick={undo}>{"Undo"}</button>
                <button type="button" class="ghost small" onclick={forget}>{"Dismiss"}</button>
            </div>
        </div>
    }
}
