//! Entry point of the web app: replaces index.html's frame with [`App`].
//!
//! A panic is a bug. Yew's renderer installs `console_error_panic_hook`, so in every build the panic's message
//! and stack go to the browser console; the panic then aborts, which on wasm is a trap, and index.html shows the
//! page's failure notice instead of a frozen page.

#[cfg(target_arch = "wasm32")]
fn main() {
    // index.html's frame (what shows while the wasm loads) goes in the same task as the first render, so no
    // frame is painted between the two.
    if let Some(frame) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("frame"))
    {
        frame.remove();
    }
    yew::Renderer::<fleetplay::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fleetplay is a web app: run `trunk serve` (or `cargo xtask serve`) and open the page.");
}
