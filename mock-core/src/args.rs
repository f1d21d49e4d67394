//! Endpoint arguments, validated the way Apia's `ArgumentSet` does it.
//!
//! Arguments come from the Rack-parsed query string deep-merged with the
//! JSON body (when the request's content type is `application/json`), as in
//! `Apia::ArgumentSet.create_from_request`. Errors reproduce Apia's
//! `invalid_argument` / `missing_required_argument` bodies.

use serde_json::{json, Map, Value};

use crate::annotation::Annotation;
use crate::error::ApiError;
use crate::query::{deep_merge, parse_nested_query};

/// The merged arguments of one request.
#[derive(Debug, Default, Clone)]
pub struct Args(pub Map<String, Value>);

/// Apia's `InvalidArgumentError::ISSUE_DESCRIPTIONS`.
fn issue_description(issue: &str) -> Option<&'static str> {
    Some(match issue {
        "invalid_scalar" => "The value provided was not of an appropriate type for the scalar that was requested. For example, you may have passed a string where an integer was required etc...",
        "parse_error" => "The value provided could not be parsed into an appropriate value by the server. For example, if a date was expected and the value could not be interpretted as such.",
        "validation_error" => "A validation rule that has been specified for this argument was not satisfied. See the further details in the response and in the documentation.",
        "invalid_enum_value" => "The value provided was not one of the options suitable for the enum.",
        "missing_lookup_value" => "A value for a lookup argument set has not been provided but at least one value is required.",
        "ambiguous_lookup_values" => "More than one value has been provided for a lookup argument set. Only one option may be provided.",
        _ => return None,
    })
}

fn camelize(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Apia argument id: `{argument set id}/{Name}Argument`.
fn argument_id(set_id: &str, name: &str) -> String {
    format!("{set_id}/{}Argument", camelize(name))
}

/// The argument set id of an endpoint's own arguments.
fn endpoint_set(endpoint_id: &str) -> String {
    format!("{endpoint_id}/BaseArgumentSet")
}

/// Apia's `InvalidArgumentError#hash`.
pub fn invalid(
    path: &[&str],
    set_id: &str,
    name: &str,
    index: Option<usize>,
    issue: &str,
    errors: Vec<Value>,
) -> ApiError {
    ApiError::new(
        400,
        "invalid_argument",
        json!({
            "path": path,
            "index": index,
            "issue": issue,
            "issue_description": issue_description(issue),
            "errors": errors,
            "argument": {
                "id": argument_id(set_id, name),
                "name": name,
                "description": null,
            },
        }),
    )
    .with_description(Some(format!(
        "The '{}' argument is invalid",
        path.join(".")
    )))
}

/// Apia's `MissingArgumentError#hash`.
pub fn missing(path: &[&str], name: &str) -> ApiError {
    ApiError::new(
        400,
        "missing_required_argument",
        json!({
            "path": path,
            "argument": {"name": name, "description": null},
        }),
    )
    .with_description(Some(format!(
        "The '{}' argument is required but has not been provided",
        path.join(".")
    )))
}

impl Args {
    /// Build the arguments of a request: query string, then the JSON body
    /// deep-merged over it (only for `application/json` bodies).
    pub fn from_request(
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Self, ApiError> {
        let mut map = match query {
            Some(q) => parse_nested_query(q).map_err(|_| ApiError::unhandled())?,
            None => Map::new(),
        };
        let is_json = content_type
            .map(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            })
            .unwrap_or(false);
        if is_json && !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(obj)) => deep_merge(&mut map, obj),
                Ok(_) => return Err(ApiError::invalid_json("The JSON body must be an object")),
                Err(e) => return Err(ApiError::invalid_json(&e.to_string())),
            }
        }
        Ok(Args(map))
    }

    /// A required lookup argument (`virtual_machine`, `organization`, …).
    /// See [`finds`] for matching it against an object.
    /// Returns the one `(key, value)` given, or `None` when the only values
    /// given were `null` (which resolves to nothing, i.e. not found).
    pub fn lookup(
        &self,
        endpoint_id: &str,
        name: &str,
        lookup_set: &str,
        keys: &[&'static str],
    ) -> Result<Option<(&'static str, String)>, ApiError> {
        let set_id = endpoint_set(endpoint_id);
        let obj = match self.0.get(name) {
            None | Some(Value::Null) => return Err(missing(&[name], name)),
            Some(Value::Object(obj)) => obj,
            Some(_) => {
                return Err(invalid(
                    &[name],
                    &set_id,
                    name,
                    None,
                    "object_expected",
                    vec![],
                ))
            }
        };
        let inner_set = format!("CoreAPI/ArgumentSets/{lookup_set}");
        let mut present = 0usize;
        let mut given: Vec<(&'static str, String)> = Vec::new();
        for key in keys {
            match obj.get(*key) {
                None => {}
                Some(Value::Null) => present += 1,
                Some(Value::String(s)) => {
                    present += 1;
                    given.push((key, s.clone()));
                }
                Some(_) => {
                    return Err(invalid(
                        &[name, key],
                        &inner_set,
                        key,
                        None,
                        "invalid_scalar",
                        vec![],
                    ))
                }
            }
        }
        if present == 0 {
            return Err(invalid(
                &[name],
                &set_id,
                name,
                None,
                "missing_lookup_value",
                vec![],
            ));
        }
        if given.len() > 1 {
            return Err(invalid(
                &[name],
                &set_id,
                name,
                None,
                "ambiguous_lookup_values",
                vec![],
            ));
        }
        Ok(given.pop())
    }

    /// An optional integer argument with a default and named validations
    /// (Apia's `Scalars::Integer` plus `validation(:name) { … }`).
    pub fn integer(
        &self,
        endpoint_id: &str,
        name: &str,
        default: i64,
        validations: &[(&str, &dyn Fn(i64) -> bool)],
    ) -> Result<i64, ApiError> {
        let set_id = endpoint_set(endpoint_id);
        let value = match self.0.get(name) {
            None | Some(Value::Null) => default,
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
            Some(Value::String(s)) if is_integer_text(s) => parse_saturating(s),
            Some(_) => {
                let errors = vec![json!(INTEGER_PARSE_ERROR)];
                return Err(invalid(&[name], &set_id, name, None, "parse_error", errors));
            }
        };
        let failed: Vec<Value> = validations
            .iter()
            .filter(|(_, ok)| !ok(value))
            .map(|(n, _)| json!(n))
            .collect();
        if !failed.is_empty() {
            return Err(invalid(
                &[name],
                &set_id,
                name,
                None,
                "validation_errors",
                failed,
            ));
        }
        Ok(value)
    }

    /// A required string argument (e.g. `xml`).
    pub fn required_string(&self, endpoint_id: &str, name: &str) -> Result<String, ApiError> {
        match self.0.get(name) {
            None | Some(Value::Null) => Err(missing(&[name], name)),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(invalid(
                &[name],
                &endpoint_set(endpoint_id),
                name,
                None,
                "invalid_scalar",
                vec![],
            )),
        }
    }

    /// An optional `annotations` argument (`[KeyValue]`). With
    /// `require_pairs`, the numbers of keys and values given must match
    /// (the list endpoint's "All `annotations[]` params should have the same
    /// amount of elements").
    pub fn annotations(
        &self,
        endpoint_id: &str,
        require_pairs: bool,
    ) -> Result<Option<Vec<Annotation>>, ApiError> {
        let name = "annotations";
        let set_id = endpoint_set(endpoint_id);
        let items = match self.0.get(name) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(invalid(
                    &[name],
                    &set_id,
                    name,
                    None,
                    "array_expected",
                    vec![],
                ))
            }
        };
        if require_pairs {
            let keys = items
                .iter()
                .filter(|v| v.get("key").is_some_and(|k| !k.is_null()))
                .count();
            let values = items
                .iter()
                .filter(|v| v.get("value").is_some_and(|k| !k.is_null()))
                .count();
            if keys != values {
                return Err(invalid(
                    &[name],
                    &set_id,
                    name,
                    None,
                    "validation_errors",
                    vec![json!(
                        "All annotations[] params should have the same amount of elements"
                    )],
                ));
            }
        }
        let kv_set = "CoreAPI/ArgumentSets/KeyValue";
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let obj = match item {
                Value::Null => continue,
                Value::Object(obj) => obj,
                _ => {
                    return Err(invalid(
                        &[name],
                        &set_id,
                        name,
                        Some(i),
                        "object_expected",
                        vec![],
                    ))
                }
            };
            let key = match obj.get("key") {
                None | Some(Value::Null) => return Err(missing(&[name, "key"], "key")),
                Some(Value::String(s)) => s.clone(),
                Some(_) => {
                    return Err(invalid(
                        &[name, "key"],
                        kv_set,
                        "key",
                        None,
                        "invalid_scalar",
                        vec![],
                    ))
                }
            };
            let value = match obj.get("value") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => {
                    return Err(invalid(
                        &[name, "value"],
                        kv_set,
                        "value",
                        None,
                        "invalid_scalar",
                        vec![],
                    ))
                }
            };
            out.push(Annotation { key, value });
        }
        Ok(Some(out))
    }
}

/// Apia's `Scalars::Integer` parse error message.
const INTEGER_PARSE_ERROR: &str =
    "Integer must be provided as an integer or a string only containing numbers";

fn is_integer_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn parse_saturating(s: &str) -> i64 {
    s.parse::<i64>().unwrap_or(if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// Whether a lookup of `{id}` or of one other key (`permalink`, `address`)
/// names the object with this `id` and `other` value.
pub fn finds(key: &Option<(&'static str, String)>, id: &str, other: &str) -> bool {
    match key {
        Some(("id", v)) => id == v,
        Some((_, v)) => other == v,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(q: &str) -> Args {
        Args::from_request(Some(q), None, b"").expect("args")
    }

    #[test]
    fn lookup_rules() {
        let keys = ["id", "fqdn"];
        let a = args("virtual_machine[id]=vm_1");
        assert_eq!(
            a.lookup("E", "virtual_machine", "VirtualMachineLookup", &keys)
                .expect("ok"),
            Some(("id", "vm_1".to_string()))
        );
        let e = args("x=1")
            .lookup("E", "virtual_machine", "L", &keys)
            .expect_err("missing");
        assert_eq!(e.code, "missing_required_argument");
        let e = args("virtual_machine[other]=1")
            .lookup("E", "virtual_machine", "L", &keys)
            .expect_err("empty");
        assert_eq!(e.detail["issue"], "missing_lookup_value");
        let e = args("virtual_machine[id]=1&virtual_machine[fqdn]=2")
            .lookup("E", "virtual_machine", "L", &keys)
            .expect_err("two");
        assert_eq!(e.detail["issue"], "ambiguous_lookup_values");
        assert_eq!(e.detail["path"], json!(["virtual_machine"]));
        let e = args("virtual_machine=1")
            .lookup("E", "virtual_machine", "L", &keys)
            .expect_err("scalar");
        assert_eq!(e.detail["issue"], "object_expected");
    }

    #[test]
    fn integers() {
        let a = args("page=2&per_page=abc&big=99999999999999999999999");
        assert_eq!(a.integer("E", "page", 1, &[]).expect("ok"), 2);
        assert_eq!(a.integer("E", "missing", 30, &[]).expect("ok"), 30);
        let e = a.integer("E", "per_page", 30, &[]).expect_err("bad");
        assert_eq!(e.detail["issue"], "parse_error");
        let e = a
            .integer(
                "E",
                "big",
                30,
                &[("less_than_or_equal_to_one_hundred", &|v| v <= 200)],
            )
            .expect_err("big");
        assert_eq!(
            e.detail["errors"],
            json!(["less_than_or_equal_to_one_hundred"])
        );
        assert_eq!(
            e.description.as_deref(),
            Some("The 'big' argument is invalid")
        );
    }

    #[test]
    fn json_body_merges_and_rejects_garbage() {
        let a = Args::from_request(
            Some("virtual_machine[id]=q"),
            Some("application/json; charset=utf-8"),
            br#"{"virtual_machine":{"fqdn":"x"}}"#,
        )
        .expect("ok");
        assert_eq!(a.0["virtual_machine"], json!({"id":"q","fqdn":"x"}));
        let e = Args::from_request(None, Some("application/json"), b"{nope").expect_err("bad");
        assert_eq!(e.code, "invalid_json_body");
        // Not JSON content type: the body is ignored, as in Apia.
        let a = Args::from_request(None, Some("text/plain"), b"{nope").expect("ignored");
        assert!(a.0.is_empty());
    }

    #[test]
    fn annotation_pairs() {
        let a = args("annotations[][key]=a&annotations[][key]=b&annotations[][value]=1");
        assert_eq!(
            a.annotations("E", true).expect_err("unequal").code,
            "invalid_argument"
        );
        let a = args("annotations[][key]=a&annotations[][value]=1");
        assert_eq!(
            a.annotations("E", true).expect("ok"),
            Some(vec![Annotation {
                key: "a".into(),
                value: Some("1".into())
            }])
        );
    }
}
