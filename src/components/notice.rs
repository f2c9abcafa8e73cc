//! The banner: a restored session that could not be read, a share link that could not be opened, a
//! scenario that was refused, requests set aside by a restart. Unreadable saved data stays retrievable
//! (download or copy); set-aside requests come back with "Undo".

use crate::app::{dispatch_now, StateHandle};
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
    let undo = {
        let state = state.clone();
        Callback::from(move |_| dispatch_now(&state, |wall| Action::UndoRestart { wall }))
    };
    let can_undo = notice.kind == NoticeKind::SetAside && state.undo.is_some();
    let (class, role) = match notice.kind {
        NoticeKind::Warning => ("notice warn", "alert"),
        NoticeKind::Info | NoticeKind::SetAside => ("notice info", "status"),
    };
    html! {
        <div class={class} role={role}>
            <p>{notice.text}</p>
            <div class="row">
                if notice.unreadable_kept {
                    <button type="button" class="ghost small" onclick={download}>{"Download unreadable data"}</button>
                    <button type="button" class="ghost small" onclick={copy}>{"Copy unreadable data"}</button>
                }
                if can_undo {
                    <button type="button" class="small" onclick={undo}>{"Undo"}</button>
                }
                <button type="button" class="ghost small" onclick={dismiss}>{"Dismiss"}</button>
            </div>
        </div>
    }
}
