//! Ctrl+Enter (⌘+Enter on a Mac) sends the composer's request from anywhere on the page: from the fleet after
//! picking a server, from a lesson after "Put the example request in the composer", from a button that just
//! imported a curl command. One listener on the document, so no widget has to forward the keys.

use super::{dispatch_now, StateHandle};
use crate::state::Action;
use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Whether the key press belongs to the field it was typed in rather than to the page: a text area or an
/// editable element outside the composer, or a text field inside a form (Enter submits that form). Inside the
/// composer the shortcut always sends: its fields are the request.
fn field_keeps_the_keys(target: &web_sys::Element) -> bool {
    if target.closest(".composer").ok().flatten().is_some() {
        return false;
    }
    match target.tag_name().to_ascii_lowercase().as_str() {
        "textarea" => true,
        "input" => target.closest("form").ok().flatten().is_some(),
        _ => target.dyn_ref::<web_sys::HtmlElement>().is_some_and(|e| e.is_content_editable()),
    }
}

/// Listens for Ctrl/⌘+Enter on the document for the page's lifetime and dispatches
/// [`Action::SendComposed`], which sends, imports and sends a pasted curl command, or says why not.
#[hook]
pub fn use_send_shortcut(state: &StateHandle) {
    let state = state.clone();
    use_effect_with((), move |_| {
        let listener = web_sys::window().and_then(|w| w.document()).map(|document| {
            // Not passive: the shortcut's default action (a newline in a text area) is prevented.
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&document, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if e.key() != "Enter" || !(e.ctrl_key() || e.meta_key()) || e.alt_key() || e.shift_key() {
                    return;
                }
                if e.repeat() || e.is_composing() || e.default_prevented() {
                    return;
                }
                let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                if target.as_ref().is_some_and(field_keeps_the_keys) {
                    return;
                }
                e.prevent_default();
                dispatch_now(&state, |wall| Action::SendComposed { wall });
            })
        });
        move || drop(listener)
    });
}
