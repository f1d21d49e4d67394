//! Lookups: the API's "exactly one of these keys" objects, validated before
//! any request is sent.

use crate::args::{describe, quote};
use crate::error::Error;
use serde_json::{Map, Value};

/// Finds a virtual machine: `{ id }` or `{ fqdn }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VirtualMachineLookup {
    /// By id (`vm_…`).
    Id(String),
    /// By fully qualified domain name.
    Fqdn(String),
}

/// Finds an organization: `{ id }` or `{ sub_domain }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrganizationLookup {
    /// By id (`org_…`).
    Id(String),
    /// By sub-domain.
    SubDomain(String),
}

impl VirtualMachineLookup {
    /// Validates a caller's value; `arg` names it in error messages.
    pub fn parse(value: &Value, arg: &str) -> Result<Self, Error> {
        let (key, v) = exactly_one(value, arg, &["id", "fqdn"])?;
        Ok(match key {
            "id" => Self::Id(v),
            _ => Self::Fqdn(v),
        })
    }

    /// The `(key, value)` pair as the API names it.
    pub fn pair(&self) -> (&'static str, &str) {
        match self {
            Self::Id(v) => ("id", v),
            Self::Fqdn(v) => ("fqdn", v),
        }
    }
}

impl OrganizationLookup {
    /// Validates a caller's value; `arg` names it in error messages.
    pub fn parse(value: &Value, arg: &str) -> Result<Self, Error> {
        let (key, v) = exactly_one(value, arg, &["id", "sub_domain"])?;
        Ok(match key {
            "id" => Self::Id(v),
            _ => Self::SubDomain(v),
        })
    }

    /// The `(key, value)` pair as the API names it.
    pub fn pair(&self) -> (&'static str, &str) {
        match self {
            Self::Id(v) => ("id", v),
            Self::SubDomain(v) => ("sub_domain", v),
        }
    }
}

/// The lookup as a JSON object body part: `{"id":"vm_x"}`.
pub fn to_json((key, value): (&str, &str)) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(key.to_owned(), Value::String(value.to_owned()));
    Value::Object(map)
}

/// `{ "<key>": value }`.
pub fn wrap(key: &str, value: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// Query pairs for a lookup: `virtual_machine[id]=vm_x`.
pub fn to_query(arg: &str, (key, value): (&str, &str)) -> (String, String) {
    (format!("{arg}[{key}]"), value.to_owned())
}

/// Checks `value` is an object holding exactly one of `keys`, as a non-empty
/// string, and nothing else. `null`/`undefined` members count as absent.
pub fn exactly_one<'k>(
    value: &Value,
    arg: &str,
    keys: &[&'k str],
) -> Result<(&'k str, String), Error> {
    let expected = format!("exactly one of {}", quoted(keys, " or "));
    if value.is_null() {
        return Err(Error::invalid_argument(format!(
            "{arg} is required: an object with {expected}"
        )));
    }
    let Some(obj) = value.as_object() else {
        return Err(Error::invalid_argument(format!(
            "{arg} must be an object with {expected}, got {}",
            describe(value)
        )));
    };
    reject_unknown(obj, arg, keys, &expected)?;
    let present: Vec<&'k str> = keys
        .iter()
        .copied()
        .filter(|k| obj.get(*k).is_some_and(|v| !v.is_null()))
        .collect();
    match present.as_slice() {
        [key] => match obj.get(*key) {
            Some(Value::String(s)) if !s.is_empty() => Ok((key, s.clone())),
            Some(Value::String(_)) => Err(Error::invalid_argument(format!(
                "{arg}.{key} must be a non-empty string"
            ))),
            other => Err(Error::invalid_argument(format!(
                "{arg}.{key} must be a non-empty string, got {}",
                describe(other.unwrap_or(&Value::Null))
            ))),
        },
        [] => Err(Error::invalid_argument(format!(
            "{arg} must have {expected}, but has none"
        ))),
        many => Err(Error::invalid_argument(format!(
            "{arg} must have {expected}, but has {}",
            quoted(many, " and ")
        ))),
    }
}

fn reject_unknown(
    obj: &Map<String, Value>,
    arg: &str,
    keys: &[&str],
    expected: &str,
) -> Result<(), Error> {
    match obj.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(k) => Err(Error::invalid_argument(format!(
            "{arg} has an unknown key {}; it must have {expected}",
            quote(k)
        ))),
        None => Ok(()),
    }
}

/// `a`, `` `a` or `b` ``, `` `a`, `b` or `c` `` (with `conj` for "or").
fn quoted(keys: &[&str], conj: &str) -> String {
    let mut out = String::new();
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == keys.len() { conj } else { ", " });
        }
        out.push('`');
        out.push_str(k);
        out.push('`');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes::INVALID_ARGUMENT;
    use serde_json::json;

    fn vm(v: Value) -> Result<VirtualMachineLookup, Error> {
        VirtualMachineLookup::parse(&v, "vm")
    }

    #[test]
    fn accepts_exactly_one_key() {
        assert_eq!(
            vm(json!({"id": "vm_1"})),
            Ok(VirtualMachineLookup::Id("vm_1".into()))
        );
        assert_eq!(
            vm(json!({"fqdn": "web-1.acme.katapult.cloud"})),
            Ok(VirtualMachineLookup::Fqdn(
                "web-1.acme.katapult.cloud".into()
            ))
        );
        assert_eq!(
            OrganizationLookup::parse(&json!({"sub_domain": "acme"}), "org"),
            Ok(OrganizationLookup::SubDomain("acme".into()))
        );
    }

    #[test]
    fn null_members_count_as_absent() {
        assert_eq!(
            vm(json!({"id": "vm_1", "fqdn": null})),
            Ok(VirtualMachineLookup::Id("vm_1".into()))
        );
    }

    #[test]
    fn rejects_none_both_empty_wrong_types_and_unknown_keys() {
        let cases = [
            (
                json!({}),
                "vm must have exactly one of `id` or `fqdn`, but has none",
            ),
            (
                json!({"id": "a", "fqdn": "b"}),
                "vm must have exactly one of `id` or `fqdn`, but has `id` and `fqdn`",
            ),
            (json!({"id": ""}), "vm.id must be a non-empty string"),
            (
                json!({"id": 5}),
                "vm.id must be a non-empty string, got a number",
            ),
            (
                json!({"fqdn": ["x"]}),
                "vm.fqdn must be a non-empty string, got an array",
            ),
            (
                json!({"ID": "vm_1"}),
                "vm has an unknown key \"ID\"; it must have exactly one of `id` or `fqdn`",
            ),
            (
                json!(null),
                "vm is required: an object with exactly one of `id` or `fqdn`",
            ),
            (
                json!("vm_1"),
                "vm must be an object with exactly one of `id` or `fqdn`, got a string",
            ),
            (
                json!([]),
                "vm must be an object with exactly one of `id` or `fqdn`, got an array",
            ),
        ];
        for (input, message) in cases {
            let err = vm(input.clone()).unwrap_err();
            assert_eq!(err.code, INVALID_ARGUMENT, "{input}");
            assert_eq!(err.status, 0);
            assert_eq!(err.message, message, "{input}");
        }
    }

    #[test]
    fn query_and_body_forms() {
        let l = VirtualMachineLookup::Fqdn("a.b".into());
        assert_eq!(
            to_query("virtual_machine", l.pair()),
            ("virtual_machine[fqdn]".into(), "a.b".into())
        );
        assert_eq!(to_json(l.pair()), json!({"fqdn": "a.b"}));
    }
}
