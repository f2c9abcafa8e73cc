//! fleetplay's simulation core: a deterministic fleet simulator that answers AWS Transfer Family
//! `StopServer`, Amazon Lightsail `StopInstance` and OpenStack Nova `os-stop` requests (and their companion
//! operations) exactly as the real services would, wire format included.
//!
//! The contract:
//! - input is a raw HTTP request ([`WireRequest`]), output a raw HTTP response plus the state changes it
//!   caused and the reason behind the answer ([`Exchange`]);
//! - time is a value ([`SimTime`]) the caller passes in by advancing the [`Sim`]; nothing reads a clock;
//! - randomness comes from one seeded generator inside the [`Sim`];
//! - same scenario, same requests, same times ⇒ the same transcript, byte for byte, on every target;
//! - no input makes it panic: bad requests get the provider's own error response.
//!
//! This crate knows nothing about browsers: no yew, web-sys, js-sys, gloo or wasm-bindgen.

#![warn(missing_docs)]

pub mod curl;
pub mod decode;
pub mod encode;
pub mod envelope;
pub mod exchange;
pub mod fleet;
pub mod grade;
pub mod http;
pub mod lesson;
pub mod live;
pub mod provider_info;
pub mod providers;
pub mod rng;
pub mod scenario;
pub mod schedule;
pub mod sim;
pub mod snippets;
pub mod time;
pub mod transcript;
pub mod wire;

pub use exchange::{Confidence, Diagnosis, Event, Exchange, MessageText};
pub use fleet::{Provider, ServerView, StateFamily, StateMachine, TransitionView};
pub use provider_info::ProviderInfo;
pub use scenario::{Scenario, ScenarioError};
pub use sim::Sim;
pub use time::SimTime;
pub use wire::{WireRequest, WireResponse};
