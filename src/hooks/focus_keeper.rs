//! Focus never drops to the page: when an action removes (or disables, or hides) the control that had
//! keyboard focus — "Import curl", a lesson's Start and Leave, an exchange opened from the Stop-all summary,
//! a fleet row that leaves the filter — the browser moves focus to `<body>`, and a keyboard user would have
//! to start again from the top. Actions with an obvious next place move focus there themselves (the
//! composer after Edit, the summary after Stop all); this hook is the rule for every other one, so no action
//! can forget it: focus goes to the nearest place that is still there, among the removed control's
//! ancestors, that can take it —
//!
//! - a composite widget with a roving Tab stop (the fleet tree, a tab list): its current stop;
//! - a panel that takes focus (`section[tabindex]`, such as the composer, the response, the fleet, the
//!   lessons), or a heading that does;
//! - when the whole panel went too (a lesson's panel closing with the lesson), the composer.
//!
//! It watches the document with a `MutationObserver` (child lists, and the `disabled` and `hidden`
//! attributes), whose callback runs after Yew has patched the page and queues the check as a task of its
//! own, after any `focus_soon` the action queued, so an action that placed focus itself is left alone: the
//! hook acts only while focus is still on `<body>`, and not after a click on blank space (which puts focus
//! there on purpose).

use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What can take focus back, tried from the removed control outwards.
const ROVING: &str = "[role=tree], [role=tablist], [role=radiogroup]";
const TAKES_FOCUS: &str = "section[tabindex], [role=region][tabindex], h2[tabindex], h3[tabindex]";

/// Whether `el` can hold focus now: in the document, enabled, rendered.
fn can_hold_focus(el: &web_sys::Element) -> bool {
    el.is_connected() && !el.matches(":disabled").unwrap_or(false) && el.get_client_rects().length() > 0
}

/// Where focus goes when the control and every panel around it are gone (a lesson's panel closing with the
/// lesson): the request, the user's work.
const LAST_RESORT: &str = "#composer";

/// The place focus goes to when `chain[0]` (the control that had it, followed by its ancestors as they were
/// when it got focus) can no longer hold it.
fn fallback(document: &web_sys::Document, chain: &[web_sys::Element]) -> Option<web_sys::HtmlElement> {
    for el in chain.iter().skip(1).filter(|el| can_hold_focus(el)) {
        if el.matches(ROVING).unwrap_or(false) {
            let stop = el.query_selector("[tabindex=\"0\"]").ok().flatten().filter(can_hold_focus);
            if let Some(stop) = stop {
                return stop.dyn_into().ok();
            }
        }
        if el.matches(TAKES_FOCUS).unwrap_or(false) {
            return el.clone().dyn_into().ok();
        }
    }
    document.query_selector(LAST_RESORT).ok().flatten().filter(can_hold_focus)?.dyn_into().ok()
}

/// Keeps keyboard focus on the page for as long as the root component lives.
#[hook]
pub fn use_focus_keeper() {
    use_effect_with((), |_| {
        let document = web_sys::window().and_then(|w| w.document());
        let kept = document.map(|document| {
            // The control that last got focus and its ancestors, outermost last.
            let chain = Rc::new(RefCell::new(Vec::<web_sys::Element>::new()));
            let on_focus = {
                let chain = chain.clone();
                EventListener::new(&document, "focusin", move |e| {
                    let mut links = Vec::new();
                    let mut at = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                    while let Some(el) = at {
                        at = el.parent_element();
                        links.push(el);
                    }
                    *chain.borrow_mut() = links;
                })
            };
            // A press of the pointer puts focus where the pointer says (on `<body>` for a click on blank
            // space): nothing to keep until a control gets focus again.
            let on_press = {
                let chain = chain.clone();
                EventListener::new(&document, "pointerdown", move |_| chain.borrow_mut().clear())
            };
            let check = {
                let document = document.clone();
                Closure::<dyn FnMut()>::new(move || {
                    let on_body =
                        document.active_element().is_none_or(|a| a.tag_name().eq_ignore_ascii_case("body"));
                    if !on_body {
                        return;
                    }
                    // The borrow ends before `focus()`, whose `focusin` records the new chain.
                    let to = {
                        let chain = chain.borrow();
                        match chain.first() {
                            Some(lost) if !can_hold_focus(lost) => fallback(&document, &chain),
                            _ => None,
                        }
                    };
                    if let Some(to) = to {
                        let _ = to.focus();
                    }
                })
            };
            // The check waits for a task of its own: actions that place focus themselves do it in a
            // `setTimeout(0)` queued by their handler (`focus_soon`), which then runs first, so focus moves once.
            let deferred = {
                let check: js_sys::Function = check.as_ref().unchecked_ref::<js_sys::Function>().clone();
                Closure::<dyn FnMut()>::new(move || {
                    if let Some(window) = web_sys::window() {
                        let _ = window.set_timeout_with_callback(&check);
                    }
                })
            };
            let observer = web_sys::MutationObserver::new(deferred.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(body)) = (&observer, document.body()) {
                let options = web_sys::MutationObserverInit::new();
                options.set_child_list(true);
                options.set_subtree(true);
                options.set_attribute_filter(&js_sys::Array::of2(&"disabled".into(), &"hidden".into()));
                let _ = observer.observe_with_options(&body, &options);
            }
            (on_focus, on_press, check, deferred, observer)
        });
        move || {
            if let Some((_, _, _, _, Some(observer))) = &kept {
                observer.disconnect();
            }
            drop(kept);
        }
    });
}
