//! Response models, one module per resource, mirroring the OpenAPI schemas.
//!
//! Field names are the API's snake_case names. Fields the document marks
//! `nullable` are `Option` and reach JavaScript as `T | null` (a missing one
//! reads as `null`); a missing array reads as empty; every other field is
//! required. Unknown fields are ignored and unknown enum values are kept as
//! strings. The WebAssembly build checks bodies against [`crate::schema`]
//! instead of deserializing these structs; both accept the same bodies.

mod common;
mod enums;
mod organization;
mod spec;
mod task;
mod trash;
mod virtual_machine;
mod virtual_machine_build;

pub use common::*;
pub use enums::*;
pub use organization::*;
pub use spec::*;
pub use task::*;
pub use trash::*;
pub use virtual_machine::*;
pub use virtual_machine_build::*;
