//! VM spec documents: the XML `buildVirtualMachineFromSpec` sends, built
//! from and parsed into spec objects ([`VirtualMachineSpec`]).
//!
//! [`build`] and [`parse`] work on JSON values (what JavaScript passes and
//! gets), walking the tables in [`schema`]; [`to_xml`] and [`from_xml`] are
//! the typed equivalents for Rust callers (the mock uses [`from_xml`]).
//! Both directions refuse bad input with `invalid_argument` errors that name
//! the path, e.g. `spec.network_interfaces[1].network`.

mod build;
pub mod model;
mod parse;
pub mod schema;
pub mod xml;

pub use build::build;
pub use model::*;
pub use parse::parse;

use crate::error::Error;
use serde_json::Value;

/// The document `buildVirtualMachineFromSpec` sends for its `spec`
/// argument: a non-empty XML string as given, or a spec object built.
pub fn document(spec: &Value) -> Result<String, Error> {
    match spec {
        Value::Object(_) => build(spec),
        other => xml_text(other),
    }
}

/// [`document`] for strings only. The npm package's client module leaves
/// the builder out: its entry writes spec objects with `katapult-wasm/spec`
/// before the call, so an object never reaches it.
pub fn xml_text(spec: &Value) -> Result<String, Error> {
    match spec {
        Value::String(_) => crate::args::id(spec, "spec"),
        other => Err(Error::invalid_argument(format!(
            "spec must be a spec XML string or a spec object, got {}",
            crate::args::describe(other)
        ))),
    }
}

/// The XML for a typed spec.
pub fn to_xml(spec: &VirtualMachineSpec) -> Result<String, Error> {
    let value = serde_json::to_value(spec)
        .map_err(|e| Error::invalid_argument(format!("spec cannot be written: {e}")))?;
    build(&value)
}

/// A typed spec from its XML.
pub fn from_xml(xml: &str) -> Result<VirtualMachineSpec, Error> {
    serde_json::from_value(parse(xml)?)
        .map_err(|e| Error::invalid_argument(format!("spec XML cannot be read: {e}")))
}

// Native only: the tests read the golden files and use roxmltree.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
