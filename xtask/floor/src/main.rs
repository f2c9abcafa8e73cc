//! The floor of a first view: the smallest app that is still an interactive playground on fleetplay's
//! simulator, so `cargo xtask bench` can measure what any first view of the page must download and how soon
//! it can be interactive on the throttled profile. A bench fixture, not a product.
//!
//! It holds what a first view cannot do without: the page's default scenario (the demo fleet, started as the
//! page starts it), one text area pre-filled with a raw Transfer `StopServer` request, a Send button that runs
//! the text through the simulator (`sim::http::parse_request`, then `Sim::handle` at the simulated time, which
//! runs at the page's default 10× the wall clock), and the answer as raw text (status line, headers, body).
//! Nothing else: no page views, lessons, saved sessions, snippets or styles. It is built as the page is
//! (Cargo profile `web`, wasm-opt `-Oz`; see `index.html`) and sets `data-ready="true"` on `<body>` once
//! mounted, the moment the throttled bench counts as interactive.

#[cfg(target_arch = "wasm32")]
mod app {
    use sim::{Provider, Scenario, Sim, SimTime, WireRequest};
    use web_sys::HtmlTextAreaElement;
    use yew::prelude::*;

    /// Simulated milliseconds per wall-clock millisecond: the page's default speed.
    const SPEED: f64 = 10.0;

    /// The request the text area starts with, written by the simulator's own renderer.
    fn first_request() -> String {
        let Some(service) = Provider::Transfer.info().aws() else { return String::new() };
        let request = WireRequest::new("POST", "/")
            .with_header("Host", &service.host(service.default_region))
            .with_header("Content-Type", "application/x-amz-json-1.1")
            .with_header("X-Amz-Target", &format!("{}StopServer", service.target_prefix))
            .with_body(r#"{"ServerId":"s-01234567890abcdef"}"#);
        sim::http::render_request(&request)
    }

    #[function_component]
    pub fn Floor() -> Html {
        let sim = use_mut_ref(|| (Sim::builtin(Scenario::builtin().seed), js_sys::Date::now()));
        let text = use_state(first_request);
        let answer = use_state(String::new);
        use_effect_with((), |_| {
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-ready", "true");
            }
        });
        let oninput = {
            let text = text.clone();
            Callback::from(move |e: InputEvent| {
                text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
            })
        };
        let onclick = {
            let (text, answer) = (text.clone(), answer.clone());
            Callback::from(move |_: MouseEvent| {
                let reply = match sim::http::parse_request(&text) {
                    Ok(request) => {
                        let (sim, started) = &mut *sim.borrow_mut();
                        let elapsed = (js_sys::Date::now() - *started).max(0.0) * SPEED;
                        sim.advance_to(SimTime(elapsed as u64));
                        sim::http::render_response(&sim.handle(request).response)
                    }
                    Err(e) => format!("The raw request cannot be read (line {}: {}).", e.line, e.message),
                };
                answer.set(reply);
            })
        };
        html! {
            <main>
                <textarea rows="10" cols="60" aria-label="Raw HTTP request" value={(*text).clone()} {oninput} />
                <p><button {onclick}>{"Send"}</button></p>
                <pre aria-live="polite" style="white-space: pre-wrap">{(*answer).clone()}</pre>
            </main>
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<app::Floor>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fleetplay-floor is a wasm bench fixture: `cargo xtask bench throttled` builds it with Trunk.");
}
