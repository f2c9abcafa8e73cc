//! What the page does once it has mounted: apply what the URL asks for, then say it is ready.

use super::StateHandle;
use crate::embed::EmbedConfig;
use crate::storage;
use std::rc::Rc;
use yew::prelude::*;

/// Once, after the first render: an embed's `&theme=`; on the full page a `?lesson=` address to fetch and
/// start (opening the lessons panel through `lessons_open`). Then marks the page interactive
/// (`<body data-ready="true">`), for tests and the load-time benchmark.
#[hook]
pub fn use_startup(
    embed: Rc<Option<Rc<EmbedConfig>>>,
    state: &StateHandle,
    lessons_open: UseStateHandle<bool>,
) {
    let state = state.clone();
    use_effect_with((), move |_| {
        match embed.as_ref() {
            Some(config) => {
                if let Some(theme) = config.theme {
                    storage::set_theme(theme);
                }
            }
            None => {
                if let Some(url) = storage::lesson_param() {
                    lessons_open.set(true);
                    crate::components::lessons::load_from_url(state, url);
                }
            }
        }
        storage::mark_ready();
    });
}
