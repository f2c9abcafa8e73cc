//! The page's custom hooks, all in one place: how the components reach the reducer, and every effect that
//! talks to the browser on the page's behalf (timers, the frame loop, storage, the URL).
//! Components call these; the reducer ([`crate::state`]) never does I/O.
//!
//! | hook | file | what |
//! |---|---|---|
//! | [`use_app_state`], [`use_app`] | `app_state.rs` | the one reducer (`impl Reducible for AppState`), published as a context; [`dispatch_now`] |
//! | [`use_clock_loop`] | `clock_loop.rs` | the animation-frame loop: clock text, `Tick` when a transition is due |
//! | [`use_autosave`] | `autosave.rs` | saves the session a moment after changes, and when the page goes away |
//! | [`use_startup`] | `startup.rs` | what the URL asks for once mounted (an embed's theme, `?lesson=`); marks the page ready |
//! | [`use_toast_timer`] | `toast_timer.rs` | clears each toast after a few seconds |
//! | [`use_select_server`], [`use_stop_all`] | `fleet.rs` | the fleet panel's callbacks, stable across renders |
//! | [`use_send_shortcut`] | `send_shortcut.rs` | Ctrl/⌘+Enter sends the composer's request from anywhere on the page |
//! | [`use_shipped_lessons`] | `lessons.rs` | fetches the lessons that ship with the page |
//! | [`use_escape_closes_popovers`] | `escape.rs` | Escape closes every popover and gives focus back to its button |
//! | [`use_focus_keeper`] | `focus_keeper.rs` | focus that loses its control goes to the nearest place that can take it, never to `<body>` |
//! | [`use_live_link`] | `live.rs` | following a `fleetplay serve`: its live stream and the page's commands to it |
//! | [`use_host_bridge`], [`use_fit_to_content`], [`use_page_options`], [`use_server_follows_provider`] | `embed.rs` | embed mode: the host page's messages in and the timeline out, `fleetplay:resize`, the URL's page options, a server for the provider switched to |

mod app_state;
mod autosave;
mod clock_loop;
mod embed;
mod escape;
mod fleet;
mod focus_keeper;
mod lessons;
mod live;
mod send_shortcut;
mod startup;
mod toast_timer;

pub use app_state::{dispatch_now, use_app, use_app_state, StateHandle};
pub use autosave::use_autosave;
pub use clock_loop::use_clock_loop;
pub use embed::{
    use_fit_to_content, use_host_bridge, use_page_options, use_server_follows_provider, ShownServers,
};
pub use escape::use_escape_closes_popovers;
pub use fleet::{use_select_server, use_stop_all};
pub use focus_keeper::use_focus_keeper;
pub use lessons::{use_shipped_lessons, Listed};
pub use live::use_live_link;
pub use send_shortcut::use_send_shortcut;
pub use startup::use_startup;
pub use toast_timer::use_toast_timer;
