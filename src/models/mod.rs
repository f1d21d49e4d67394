//! Response models, one module per resource, mirroring the OpenAPI schemas.
//!
//! Field names are the API's snake_case names. Fields the document marks
//! `nullable` are `Option` and reach JavaScript as `T | null` (a missing one
//! decodes as `null`); arrays that are missing decode as empty. Unknown
//! fields are ignored and unknown enum values are kept as strings.

mod common;
mod enums;
mod organization;
mod task;
mod trash;
mod virtual_machine;
mod virtual_machine_build;

pub use common::*;
pub use enums::*;
pub use organization::*;
pub use task::*;
pub use trash::*;
pub use virtual_machine::*;
pub use virtual_machine_build::*;
