//! # katapult-mock-wasm
//!
//! The Katapult mock for users' tests, in-process: `katapult-wasm/testing`'s
//! `createMockKatapult()` answers `fetch` with this module
//! (`pkg/katapult-mock.wasm`), with no server, port or binary. It is the
//! engine of `katapult-mock-core` (every operation of the document, sans
//! IO) with what the server's pipeline adds around it — authentication,
//! request ids, the rate-limit headers, faults by operationId — in
//! [`mock`], behind a byte boundary like the client's ([`boundary`]): the
//! module imports nothing, JavaScript writes bytes in and reads bytes out,
//! and the time comes in from JavaScript (`Date.now()`), so tasks
//! complete as that clock moves (fake timers included).
//!
//! A module of its own, so the client's `katapult.wasm` and entries do not
//! grow: only the testing entry loads it.

// A panic traps the instance and loses every mock in it, so outside tests
// the crate may not contain the usual panic sources (as in the client).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::indexing_slicing
    )
)]

pub mod boundary;
pub mod faults;
pub mod mock;

#[cfg(target_arch = "wasm32")]
mod exports;
