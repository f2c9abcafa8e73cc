//! Escape closes popovers: every open `<details data-popover>` (the Faults panel) closes, and focus goes back
//! to its button (the `<summary>`), as for any menu. A disclosure that is part of the page's flow (the
//! lessons' "Show the solution", the response's "Why?") is not a popover and stays as it is.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Listens for Escape on the document for as long as the root component lives.
#[hook]
pub fn use_escape_closes_popovers() {
    use_effect_with((), |_| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|document| {
            // Not passive: an Escape that closed a popover is consumed.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if e.key() == "Escape" && close_popovers() {
                    e.prevent_default();
                }
            })
        });
        move || drop(listener)
    });
}

/// Closes every open popover; focus returns to the button of the one it was in (else of the last one).
/// True when one was open.
fn close_popovers() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(open) = document.query_selector_all("details[data-popover][open]") else { return false };
    let active = document.active_element();
    let mut focus_to = None;
    for i in 0..open.length() {
        let Some(details) = open.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else {
            continue;
        };
        let _ = details.remove_attribute("open");
        let summary = details.query_selector("summary").ok().flatten();
        let inside = active.as_ref().is_some_and(|a| details.contains(Some(a)));
        if inside || focus_to.is_none() {
            focus_to = summary;
        }
    }
    if let Some(summary) = focus_to.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = summary.focus();
    }
    open.length() > 0
}
