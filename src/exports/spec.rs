//! `buildSpecXml` and `parseSpecXml` (`katapult-wasm/spec`): the spec
//! document converters over JSON text.

use super::{answer, arg, arguments, fail, with_input};
use crate::args::describe;
use crate::error::Error;
use crate::spec;
use serde_json::Value;

/// The spec XML for a spec object (`[spec]`): 0 and the XML, or 1 and the
/// error naming the bad path.
#[no_mangle]
pub extern "C" fn kw_build_spec(len: usize) -> i32 {
    let built = with_input(len, |input| {
        let args = arguments(input)?;
        spec::build(arg(&args, 0))
    });
    finish(built)
}

/// The spec object for a spec XML document (`[xml]`): 0 and the object as
/// JSON, or 1 and the error naming the bad path, line and column.
#[no_mangle]
pub extern "C" fn kw_parse_spec(len: usize) -> i32 {
    let parsed = with_input(len, |input| {
        let args = arguments(input)?;
        match arg(&args, 0) {
            Value::String(xml) => spec::parse(xml).map(|value| crate::json::write(&value)),
            other => Err(Error::invalid_argument(format!(
                "xml must be a string, got {}",
                describe(other)
            ))),
        }
    });
    finish(parsed)
}

fn finish(result: Result<String, Error>) -> i32 {
    match result {
        Ok(text) => {
            answer(&text);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}
