//! Conversions at the JavaScript boundary: caller values into
//! `serde_json::Value` for the core to validate; checked response bodies
//! into JavaScript values with the engine's own `JSON.parse`; errors back
//! into `KatapultError`. Nothing here can panic or recurse without bound.

use crate::error::{codes, Error};
use js_sys::{Array, ArrayBuffer, Object, Reflect};
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    /// The JavaScript `KatapultError` class.
    #[wasm_bindgen(js_name = KatapultError)]
    pub type JsKatapultError;

    #[wasm_bindgen(constructor, js_class = "KatapultError")]
    fn new(
        code: &str,
        status: u16,
        message: &str,
        detail: &JsValue,
        request_id: Option<String>,
    ) -> JsKatapultError;

    /// Gives an iterator object `[Symbol.asyncIterator]() { return this; }`.
    #[wasm_bindgen(js_name = asyncIterable)]
    pub fn async_iterable(iterator: JsValue) -> JsValue;

    #[wasm_bindgen(js_name = parseBody, catch)]
    fn parse_body_js(buffer: &ArrayBuffer) -> Result<JsValue, JsValue>;
}

/// Caller objects nest a few levels at most (the deepest argument of the
/// document nests 4 levels); deeper (or cyclic) input is refused.
const MAX_DEPTH: usize = 12;

/// Options keys holding JavaScript objects rather than data.
const OPAQUE_KEYS: &[&str] = &["signal", "onProgress"];

/// Builds the JavaScript error for a core [`Error`].
pub fn to_js_error(err: Error) -> JsValue {
    let detail = err.detail.as_ref().map_or(JsValue::NULL, from_json);
    JsKatapultError::new(&err.code, err.status, &err.message, &detail, err.request_id).into()
}

/// A JSON value as the equivalent JavaScript value.
pub fn from_json(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(from_json).collect::<Array>().into(),
        Value::Object(map) => {
            let object = Object::new();
            for (k, v) in map {
                let _ = Reflect::set(&object, &JsValue::from_str(k), &from_json(v));
            }
            object.into()
        }
    }
}

/// A checked response body as JavaScript data: the engine's `JSON.parse`
/// of the very bytes the core validated, untouched (a field the API left
/// out stays out).
pub fn parse_body(body: &ArrayBuffer) -> Result<JsValue, Error> {
    parse_body_js(body).map_err(|_| {
        Error::client(
            codes::INVALID_RESPONSE,
            "The response body could not be parsed by JSON.parse",
        )
    })
}

/// `value[key]`, or `undefined`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads a caller's argument as JSON data, naming it `name` in errors.
/// `undefined` becomes `null`. Functions, symbols, bigints, non-finite
/// numbers and nesting deeper than a few levels are rejected.
pub fn to_json(value: &JsValue, name: &str) -> Result<Value, Error> {
    convert(value, name, 0, MAX_DEPTH, OPAQUE_KEYS)
}

/// JSON data the module itself made (an error's `detail` on its way back
/// from JavaScript): as deep as serde_json reads, no key set aside.
pub fn to_json_data(value: &JsValue) -> Result<Value, Error> {
    convert(value, "detail", 0, 128, &[])
}

fn convert(
    value: &JsValue,
    path: &str,
    depth: usize,
    max_depth: usize,
    opaque: &[&str],
) -> Result<Value, Error> {
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return Number::from_f64(n)
            .map(Value::Number)
            .ok_or_else(|| Error::invalid_argument(format!("{path} must be a finite number")));
    }
    if value.is_function() || value.is_symbol() || value.is_bigint() || !value.is_object() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return Err(Error::invalid_argument(format!(
            "{path} must not be a {kind}"
        )));
    }
    if depth >= max_depth {
        return Err(Error::invalid_argument(format!(
            "{path} is nested too deeply"
        )));
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut out = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            out.push(convert(
                &item,
                &format!("{path}[{i}]"),
                depth + 1,
                max_depth,
                opaque,
            )?);
        }
        return Ok(Value::Array(out));
    }
    let object: &Object = value.unchecked_ref();
    let mut out = Map::new();
    for key in Object::keys(object).iter() {
        let Some(k) = key.as_string() else { continue };
        // Signals and callbacks are checked by the IO layer, not as data.
        if depth == 0 && opaque.contains(&k.as_str()) {
            out.insert(k, Value::Object(Map::new()));
            continue;
        }
        let item = Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        // A member set to `undefined` is a member not given.
        if item.is_undefined() {
            continue;
        }
        out.insert(
            k.clone(),
            convert(&item, &format!("{path}.{k}"), depth + 1, max_depth, opaque)?,
        );
    }
    Ok(Value::Object(out))
}

/// The `onProgress` callback of an options object: `None` when absent, an
/// error when it is not a function.
pub fn callback_of(options: &JsValue, key: &str) -> Result<Option<js_sys::Function>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<js_sys::Function>()
        .map(Some)
        .map_err(|_| Error::invalid_argument(format!("options.{key} must be a function")))
}

/// The `signal` of an options object: `None` when absent, an error when it
/// is something other than an `AbortSignal`.
pub fn signal_of(options: &JsValue) -> Result<Option<AbortSignal>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let signal = Reflect::get(options, &JsValue::from_str("signal")).unwrap_or(JsValue::UNDEFINED);
    if signal.is_undefined() || signal.is_null() {
        return Ok(None);
    }
    signal
        .dyn_into::<AbortSignal>()
        .map(Some)
        .map_err(|_| Error::invalid_argument("options.signal must be an AbortSignal"))
}
