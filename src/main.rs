//! Entry point of the web app: installs a panic hook that logs to the console, then mounts [`App`].

#[cfg(target_arch = "wasm32")]
fn main() {
    std::panic::set_hook(Box::new(|info| {
        gloo::console::error!(format!("fleetplay panicked: {info}"));
    }));
    yew::Renderer::<fleetplay::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("fleetplay is a web app: run `trunk serve` (or `cargo xtask serve`) and open the page.");
}
