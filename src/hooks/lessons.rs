//! The lessons that ship with the page, fetched when the lessons panel first shows.

use crate::presets::LESSONS as SHIPPED;
use crate::storage;
use sim::lesson::Lesson;
use std::rc::Rc;
use yew::prelude::*;

/// One shipped lesson as listed: its file name, the lesson (or why it cannot be used) and its text.
#[derive(Clone, PartialEq)]
pub struct Listed {
    /// The name under `lessons/` (without `.json`).
    pub name: &'static str,
    /// The parsed lesson, or why it could not be fetched or read.
    pub lesson: Result<Rc<Lesson>, String>,
    /// The file's text (empty when it could not be fetched).
    pub text: Rc<str>,
}

/// The shipped lessons (`presets::LESSONS`), in order; empty until they have all been fetched.
#[hook]
pub fn use_shipped_lessons() -> UseStateHandle<Vec<Listed>> {
    let listed = use_state(Vec::<Listed>::new);
    {
        let listed = listed.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::new();
                for name in SHIPPED {
                    let (lesson, text) = match storage::fetch_text(&format!("lessons/{name}.json")).await {
                        Ok(text) => (Lesson::from_json(&text).map(Rc::new).map_err(|e| e.to_string()), text),
                        Err(e) => (Err(e), String::new()),
                    };
                    out.push(Listed { name, lesson, text: text.into() });
                }
                listed.set(out);
            });
        });
    }
    listed
}
