//! The page's pieces, one per file, and the small view helpers they share. A piece is a component when it
//! keeps something between renders (its own state, a memo or an effect) or must skip renders while its
//! inputs are unchanged; otherwise it is a view function (ARCHITECTURE.md, "Components and view functions").

pub mod clockbar;
pub mod code;
pub mod compare;
pub mod composer;
pub mod diagram;
pub mod embed;
pub mod fleet;
pub mod header;
pub mod instructor;
pub mod lessons;
pub mod live;
pub mod notice;
pub mod response;
pub mod scenario;
pub mod snippets;
pub mod timeline;
pub mod toast;

use sim::{Provider, SimTime, StateFamily};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// CSS class of a state's colour family.
pub fn family_class(f: StateFamily) -> &'static str {
    match f {
        StateFamily::Running => "f-run",
        StateFamily::Transitional => "f-trans",
        StateFamily::Stopped => "f-stop",
        StateFamily::Failed => "f-fail",
        StateFamily::Other => "f-other",
    }
}

/// Simulated time as the page writes it: `T+00:01:30` (whole seconds).
pub fn clock_text(t: SimTime) -> String {
    SimTime(t.as_millis() / 1000 * 1000).to_string()
}

/// Short provider label for tight spaces.
pub fn short(p: Provider) -> &'static str {
    p.info().short
}

/// The value of the input, text area or select that raised `e`.
pub fn event_value(e: &Event) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return a.value();
    }
    if let Some(s) = t.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    String::new()
}

/// Whether the checkbox that raised `e` is checked.
pub fn event_checked(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

/// A state badge: colour family, lock glyph, and the state's name always written.
#[derive(Properties, PartialEq, Clone)]
pub struct BadgeProps {
    /// The state as the provider spells it.
    pub state: AttrValue,
    /// Its colour family.
    pub family: StateFamily,
    /// Whether the server is locked.
    #[prop_or_default]
    pub locked: bool,
}

/// A coloured state badge (the component form of [`badge`], for tests that mount it alone).
#[component]
pub fn Badge(props: &BadgeProps) -> Html {
    badge(&props.state, props.family, props.locked)
}

/// A coloured state badge. A view function (it keeps nothing between renders), which the page calls;
/// [`Badge`] wraps it so a test can mount it alone.
pub fn badge(state: &str, family: StateFamily, locked: bool) -> Html {
    html! {
        <span class={classes!("badge", family_class(family))}>
            if locked {
                {lock_icon()}
            }
            {state.to_string()}
        </span>
    }
}

/// A small padlock drawn inline (no icon font, no emoji font needed).
pub fn lock_icon() -> Html {
    html! {
        <svg class="lock" viewBox="0 0 12 14" width="10" height="12" role="img" aria-label="locked">
            <title>{"locked"}</title>
            <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
            <rect x="1.5" y="6" width="9" height="7" rx="1.5" fill="currentColor" />
        </svg>
    }
}
