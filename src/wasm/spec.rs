//! `buildSpecXml` and `parseSpecXml`: the spec document converters, as
//! synchronous functions that throw `KatapultError`.

use super::js::{from_json, to_js_error, to_json};
use crate::args::describe;
use crate::error::Error;
use crate::spec;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The spec XML for a spec object: elements in document order, every value
/// escaped. Throws `KatapultError` `invalid_argument` naming the bad path.
#[wasm_bindgen(js_name = buildSpecXml)]
pub fn build_spec_xml(
    #[wasm_bindgen(unchecked_param_type = "VirtualMachineSpec")] spec: JsValue,
) -> Result<String, JsValue> {
    to_json(&spec, "spec")
        .and_then(|value| spec::build(&value))
        .map_err(to_js_error)
}

/// The spec object for a spec XML document. Throws `KatapultError`
/// `invalid_argument` naming the bad path, line and column; refuses DTDs,
/// entities other than XML's five, and documents over 1 MiB.
#[wasm_bindgen(js_name = parseSpecXml, unchecked_return_type = "VirtualMachineSpec")]
pub fn parse_spec_xml(
    #[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue,
) -> Result<JsValue, JsValue> {
    let xml = match to_json(&xml, "xml").map_err(to_js_error)? {
        Value::String(s) => s,
        other => {
            return Err(to_js_error(Error::invalid_argument(format!(
                "xml must be a string, got {}",
                describe(&other)
            ))))
        }
    };
    spec::parse(&xml)
        .map(|value| from_json(&value))
        .map_err(to_js_error)
}
