//! One module per endpoint group. Each function turns validated arguments
//! into a [`Call`](crate::request::Call): the exact request the OpenAPI
//! document describes, paired with the type its response decodes into.

pub mod organizations;
pub mod power;
pub mod tasks;
pub mod trash;
pub mod virtual_machine_builds;
pub mod virtual_machines;
