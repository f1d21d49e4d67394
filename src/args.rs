//! Validation of method arguments and option objects. Every check names the
//! offending argument, and nothing is sent until all of them pass.

use crate::error::Error;
use serde_json::{Map, Value};

/// A caller's object key, quoted for a message: `"perPage"`. Quotes,
/// backslashes and control characters are escaped.
pub fn quote(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 2);
    out.push('"');
    for c in key.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// "a string", "a number", "null"… for error messages (never the value itself,
/// which could be a secret pasted into the wrong field).
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// An annotation as callers pass it: `{ key, value }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// Options of `listVirtualMachines` (and, without `page`, of the list-all helpers).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Only VMs carrying every one of these annotations.
    pub annotations: Vec<Annotation>,
    /// Page number, from 1.
    pub page: Option<u32>,
    /// Page size, from 1.
    pub per_page: Option<u32>,
}

/// Options of `buildVirtualMachineFromSpec`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildOptions {
    /// Annotations to give the new VM.
    pub annotations: Vec<Annotation>,
}

/// The keys every method's options object may carry, read by the IO layer
/// (`timeoutMs` is the whole wait's deadline in a wait's options, read here).
pub const SIGNAL: &str = "signal";
/// See [`SIGNAL`].
pub const TIMEOUT: &str = "timeoutMs";
/// See [`SIGNAL`].
pub const RETRIES: &str = "maxRetries";

impl ListOptions {
    /// Validates `options` (absent, `null` and `undefined` mean "no options").
    pub fn parse(options: Option<&Value>) -> Result<Self, Error> {
        let keys = ["annotations", "page", "per_page", SIGNAL, TIMEOUT, RETRIES];
        let Some(obj) = object_arg(options, "options", &keys)? else {
            return Ok(Self::default());
        };
        Ok(ListOptions {
            annotations: annotations(obj.get("annotations"), "options.annotations")?,
            page: positive_int(obj.get("page"), "options.page")?,
            per_page: positive_int(obj.get("per_page"), "options.per_page")?,
        })
    }
}

impl BuildOptions {
    /// Validates `options` (absent, `null` and `undefined` mean "no options").
    pub fn parse(options: Option<&Value>) -> Result<Self, Error> {
        let Some(obj) = object_arg(
            options,
            "options",
            &["annotations", SIGNAL, TIMEOUT, RETRIES],
        )?
        else {
            return Ok(Self::default());
        };
        Ok(BuildOptions {
            annotations: annotations(obj.get("annotations"), "options.annotations")?,
        })
    }
}

/// Checks an optional object argument called `name` has no keys beyond
/// `keys`. `None` when it was not given (absent, `null` or `undefined`).
pub fn object_arg<'a>(
    value: Option<&'a Value>,
    name: &str,
    keys: &[&str],
) -> Result<Option<&'a Map<String, Value>>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(obj)) => match obj.keys().find(|k| !keys.contains(&k.as_str())) {
            Some(k) => Err(Error::invalid_argument(format!(
                "{name} has an unknown key {}; allowed: {}",
                quote(k),
                keys.join(", ")
            ))),
            None => Ok(Some(obj)),
        },
        Some(other) => Err(Error::invalid_argument(format!(
            "{name} must be an object, got {}",
            describe(other)
        ))),
    }
}

/// A whole number ≥ 1 that fits in `u32`, or absent/`null`.
pub fn positive_int(value: Option<&Value>, name: &str) -> Result<Option<u32>, Error> {
    whole_number(value, name, 1, u32::MAX)
}

/// A whole number in `min..=max`, or absent/`null`. JavaScript numbers such
/// as `50.0` count as whole; `1.5`, `NaN` and strings do not.
pub fn whole_number(
    value: Option<&Value>,
    name: &str,
    min: u32,
    max: u32,
) -> Result<Option<u32>, Error> {
    let range = || format!("{name} must be a whole number from {min} to {max}");
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => crate::json::integer(n)
            .and_then(|i| u32::try_from(i).ok())
            .filter(|i| (min..=max).contains(i))
            .map(Some)
            .ok_or_else(|| Error::invalid_argument(range())),
        Some(other) => Err(Error::invalid_argument(format!(
            "{}, got {}",
            range(),
            describe(other)
        ))),
    }
}

/// A non-empty string id, e.g. a task id.
pub fn id(value: &Value, name: &str) -> Result<String, Error> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::String(_) => Err(Error::invalid_argument(format!(
            "{name} must be a non-empty string"
        ))),
        Value::Null => Err(Error::invalid_argument(format!(
            "{name} is required: a non-empty string"
        ))),
        other => Err(Error::invalid_argument(format!(
            "{name} must be a non-empty string, got {}",
            describe(other)
        ))),
    }
}

/// An id given as the id itself or as its object (`{ id }`, or the task
/// as the calls that start one return it): `getTask`, `waitForTask`,
/// `getVirtualMachineBuild`, `restoreTrashObject` take either.
pub fn id_or_object(value: &Value, name: &str) -> Result<String, Error> {
    match value {
        Value::Object(obj) => match obj.get("id") {
            Some(id) if !id.is_null() => self::id(id, &format!("{name}.id")),
            _ => Err(Error::invalid_argument(format!(
                "{name} must be an id or an object with an id"
            ))),
        },
        other => self::id(other, name),
    }
}

/// `[{ key, value }, …]`, or absent/`null` for none.
pub fn annotations(value: Option<&Value>, name: &str) -> Result<Vec<Annotation>, Error> {
    let items = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(Error::invalid_argument(format!(
                "{name} must be an array of {{ key, value }} objects, got {}",
                describe(other)
            )))
        }
    };
    // A loop, not an iterator of Results collected: smaller in the module.
    let mut list = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{name}[{i}]");
        let Some(obj) = item.as_object() else {
            return Err(Error::invalid_argument(format!(
                "{at} must be a {{ key, value }} object, got {}",
                describe(item)
            )));
        };
        if let Some(k) = obj.keys().find(|k| *k != "key" && *k != "value") {
            return Err(Error::invalid_argument(format!(
                "{at} has an unknown key {}; allowed: key, value",
                quote(k)
            )));
        }
        let key = id(obj.get("key").unwrap_or(&Value::Null), &format!("{at}.key"))?;
        let value = match obj.get("value") {
            Some(Value::String(s)) => s.clone(),
            other => {
                return Err(Error::invalid_argument(format!(
                    "{at}.value must be a string, got {}",
                    describe(other.unwrap_or(&Value::Null))
                )))
            }
        };
        list.push(Annotation { key, value });
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn list_options_defaults_and_values() {
        assert_eq!(ListOptions::parse(None), Ok(ListOptions::default()));
        assert_eq!(
            ListOptions::parse(Some(&json!(null))),
            Ok(ListOptions::default())
        );
        let o = ListOptions::parse(Some(&json!({
            "page": 2, "per_page": 50.0, "signal": {},
            "annotations": [{"key": "team", "value": "web"}]
        })))
        .unwrap();
        assert_eq!(o.page, Some(2));
        assert_eq!(o.per_page, Some(50));
        assert_eq!(
            o.annotations,
            vec![Annotation {
                key: "team".into(),
                value: "web".into()
            }]
        );
    }

    #[test]
    fn list_options_rejections_name_the_argument() {
        let cases = [
            (json!({"page": 0}), "options.page must be a whole number from 1 to 4294967295"),
            (json!({"page": -1}), "options.page must be a whole number from 1 to 4294967295"),
            (json!({"per_page": 1.5}), "options.per_page must be a whole number from 1 to 4294967295"),
            (json!({"per_page": 1e12}), "options.per_page must be a whole number from 1 to 4294967295"),
            (json!({"page": "2"}), "options.page must be a whole number from 1 to 4294967295, got a string"),
            (json!({"perPage": 5}), "options has an unknown key \"perPage\"; allowed: annotations, page, per_page, signal, timeoutMs, maxRetries"),
            (json!("x"), "options must be an object, got a string"),
            (json!({"annotations": {}}), "options.annotations must be an array of { key, value } objects, got an object"),
            (json!({"annotations": [5]}), "options.annotations[0] must be a { key, value } object, got a number"),
            (json!({"annotations": [{"key": "", "value": "x"}]}), "options.annotations[0].key must be a non-empty string"),
            (json!({"annotations": [{"key": "a"}]}), "options.annotations[0].value must be a string, got null"),
            (json!({"annotations": [{"key": "a", "value": "b", "x": 1}]}), "options.annotations[0] has an unknown key \"x\"; allowed: key, value"),
        ];
        for (input, message) in cases {
            let err = ListOptions::parse(Some(&input)).unwrap_err();
            assert_eq!(err.code, "invalid_argument");
            assert_eq!(err.message, message, "{input}");
        }
    }

    #[test]
    fn ids_must_be_non_empty_strings() {
        assert_eq!(id(&json!("task_1"), "id"), Ok("task_1".into()));
        assert_eq!(
            id(&json!(""), "id").unwrap_err().message,
            "id must be a non-empty string"
        );
        assert_eq!(
            id(&json!({"id": "x"}), "id").unwrap_err().message,
            "id must be a non-empty string, got an object"
        );
    }

    #[test]
    fn quote_escapes_what_would_break_the_message() {
        assert_eq!(quote("perPage"), r#""perPage""#);
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\u{000a}""#);
        assert_eq!(quote("é"), "\"é\"");
    }

    #[test]
    fn describe_never_echoes_the_value() {
        assert_eq!(describe(&json!("secret-token")), "a string");
    }
}
