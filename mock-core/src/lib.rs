//! # katapult-mock-core
//!
//! The engine of the Katapult mock, sans IO: given a request (method, path,
//! query string, JSON body) and the time, it returns the answer (status,
//! headers, JSON body). It reads the OpenAPI document and the client's
//! operation table instead of restating them, so it answers every
//! operation of the document. It never touches a socket, a clock or a
//! file: the mock server (`katapult-mock`) wraps it in HTTP, and the same
//! crate compiles to `wasm32-unknown-unknown`.
//!
//! The seed data is a fixture ([`fixture`], `seed/default.json`): the
//! server reads it into its model, and the engine loads it into its own
//! store when it runs with no host ([`Seed`]), so the in-process mock
//! answers with the same organizations and VMs as the server.
//!
//! Besides the engine, the crate holds the parts of the mock that were
//! never about IO and that both the server's hand-written routes and the
//! engine use: Rack's query parsing ([`query`]), Apia's argument rules
//! ([`args`]), the wrapped error bodies ([`error`]) and ids ([`ids`]).

pub mod annotation;
pub mod args;
pub mod document;
pub mod engine;
pub mod error;
pub mod fixture;
mod generate;
pub mod host;
pub mod ids;
pub mod kinds;
pub mod paging;
pub mod plan;
pub mod presence;
pub mod public;
pub mod query;
mod run;
pub mod seed;
pub mod seeding;
pub mod shape;
pub mod store;
pub mod tasks;
pub mod values;

pub use annotation::Annotation;
pub use engine::{read_only_may, Answer, Config, Engine, Request, Route, READ_ONLY_TOKEN};
pub use error::ApiError;
pub use host::{Host, HostObject, NoHost};
pub use public::Public;
pub use seeding::Seed;
