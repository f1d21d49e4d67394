//! The thin IO layer: JavaScript exports, `fetch`, timers and signals.
//! Everything it decides is delegated to the sans-IO core.

// The spec-only module uses a part of the shared helpers.
#![cfg_attr(not(feature = "client"), allow(dead_code, unused_imports))]

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod exchange;
mod js;
#[cfg(feature = "client")]
mod pages;
#[cfg(feature = "client")]
mod signal;
#[cfg(feature = "spec")]
mod spec;
#[cfg(feature = "client")]
mod types;
#[cfg(feature = "client")]
mod waiters;

#[cfg(feature = "client")]
pub use client::KatapultClient;

#[cfg(test)]
mod tests;
