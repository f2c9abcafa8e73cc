//! Entry point of the web app: in debug builds installs a panic hook that logs to the console, then mounts
//! [`App`]. (The release build compiles panics to a bare trap, so a hook would never run there; index.html
//! shows the page's failure notice instead.)

#[cfg(target_arch = "wasm32")]
fn main() {
    #[cfg(debug_assertions)]
    std::panic::set_hook(Box::new(|info| {
        gloo::console::error!(format!("fleetplay panicked: {info}"));
    }));
    yew::Renderer::<fleetplay::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fleetplay is a web app: run `trunk serve` (or `cargo xtask serve`) and open the page.");
}
