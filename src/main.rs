//! Entry point of the web app: mounts [`App`].
//!
//! A panic is a bug. Yew's renderer installs `console_error_panic_hook`, so in every build the panic's message
//! and stack go to the browser console; the panic then aborts, which on wasm is a trap, and index.html shows the
//! page's failure notice instead of a frozen page.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<fleetplay::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fleetplay is a web app: run `trunk serve` (or `cargo xtask serve`) and open the page.");
}
