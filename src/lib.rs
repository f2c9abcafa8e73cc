//! fleetplay's playground page: a Yew app over the `sim` crate.
//!
//! The pure half (compiled and tested natively) holds the state and its reducer ([`state`]), the composer's
//! operations, drafts and validation ([`ops`], [`draft`], [`validate`]), the fleet panel's filter and tree
//! navigation ([`fleet_tree`]), pretty-printing ([`pretty`]),
//! session documents and share links ([`session`]) and scenario presets ([`presets`]). The web half
//! (wasm32 only) holds the root component (`app`), the components, the hooks (the reducer's context, the
//! clock loop, autosave and the other effects) and the browser edge (`storage`).

pub mod compare;
pub mod draft;
pub mod embed;
pub mod fleet_tree;
pub mod ops;
pub mod presets;
pub mod pretty;
pub mod session;
pub mod state;
pub mod validate;
pub mod wiretext;

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod test_rng;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod storage;
