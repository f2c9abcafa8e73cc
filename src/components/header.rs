//! The page header: product name, the scenario in use, and the share link (copied, and shown so it can be
//! selected by hand when the clipboard is not available).

use crate::app::use_app;
use crate::session::Share;
use crate::state::Action;
use crate::storage;
use yew::prelude::*;

/// The header.
#[component]
pub fn Header() -> Html {
    let Some(state) = use_app() else { return Html::default() };
    let link = use_state(|| None::<String>);
    let share = {
        let state = state.clone();
        let link = link.clone();
        Callback::from(move |_| {
            let url = storage::url_with_fragment(&Share::of(&state).to_fragment());
            storage::copy(&url);
            link.set(Some(url));
            state.dispatch(Action::Toast("Share link copied: it opens this fleet with this request.".into()));
        })
    };
    let scenario = state.sim.scenario();
    let title =
        if scenario.title.is_empty() { "Custom scenario".to_string() } else { scenario.title.clone() };
    html! {
        <header class="top">
            <div class="brand">
                <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" class="logo">
                    <rect x="3" y="4" width="18" height="6" rx="2" />
                    <rect x="3" y="14" width="18" height="6" rx="2" />
                    <circle cx="7" cy="7" r="1.3" class="dot-on" />
                    <circle cx="7" cy="17" r="1.3" class="dot-off" />
                </svg>
                <h1>{"fleetplay"}</h1>
                <span class="tag">{"Stop-server API playground · AWS Transfer · Lightsail · OpenStack Nova"}</span>
            </div>
            <div class="share">
                <span class="scn">{format!("{title} · seed {}", scenario.seed)}</span>
                <button type="button" class="ghost" onclick={share}>{"Copy share link"}</button>
                if let Some(url) = (*link).clone() {
                    <input class="share-url mono" readonly=true aria-label="Share link" value={url} />
                }
            </div>
        </header>
    }
}
