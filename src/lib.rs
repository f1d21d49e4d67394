//! # katapult-wasm
//!
//! A client for the Katapult Core API v1, compiled to WebAssembly for
//! JavaScript and TypeScript. The crate is split in two:
//!
//! * a **sans-IO core** — [`config`], [`args`], [`lookup`], [`operation`]
//!   (every operation, and the one way a call is built from its
//!   arguments), [`request`], [`response`], [`schema`] (the tables of
//!   [`operation`] and [`schema`] are in [`generated`], written from the
//!   OpenAPI document), [`validate`], [`error`], [`retry`], [`wait`],
//!   [`paginate`], [`spec`] — plain Rust over data:
//!   argument validation, request building, response checking and
//!   decoding, error mapping, and the retry, polling and pagination
//!   decisions, all tested natively with `cargo test`;
//! * the module's **exports** ([`exports`], only on `wasm32`): synchronous
//!   functions over bytes that the package's JavaScript driver (`src/js/`)
//!   calls for every decision. The module imports nothing: it never calls
//!   JavaScript, and the driver does all the IO (`fetch`, timers, abort).

// The release module is built with a nightly-capable toolchain flag
// (scripts/build-pkg.sh): the answer check, run on every byte of every
// answer, is then optimized for speed inside a module optimized for size.
#![cfg_attr(katapult_speed, feature(optimize_attribute))]
// A panic aborts the WebAssembly instance and kills every later call on the
// page, so outside tests the crate may not contain the usual panic sources.
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

pub mod args;
pub mod config;
pub mod error;
pub mod generated;
pub mod json;
pub mod lookup;
pub mod operation;
pub mod paginate;
pub mod request;
pub mod response;
pub mod retry;
pub mod schema;
pub mod spec;
pub mod validate;
pub mod wait;

#[cfg(test)]
mod testdata;

// Only a module built for the client or the spec tools exports them: the
// mock's module (`mock-wasm/`) links this crate for its tables alone.
#[cfg(all(target_arch = "wasm32", any(feature = "client", feature = "spec")))]
pub mod exports;

pub use error::Error;

/// talc instead of the default dlmalloc: 7 KB less wasm, no slower.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
