//! The thin IO layer: JavaScript exports, `fetch`, timers and signals.
//! Everything it decides is delegated to the sans-IO core.

mod client;
mod js;
mod pages;
mod signal;
mod transport;
mod types;
mod waiters;

pub use client::KatapultClient;

#[cfg(test)]
mod tests;
