//! Rack-style query string parsing (`Rack::QueryParser#parse_nested_query`).
//!
//! Keys and values are percent-decoded (and `+` turned into a space) before
//! the key is interpreted, so `organization%5Bsub_domain%5D=acme` and
//! `organization[sub_domain]=acme` are the same parameter. Nesting follows
//! Rack 3: `a[b]=1` → `{a:{b:"1"}}`, `a[]=1&a[]=2` → `{a:["1","2"]}`,
//! `a[][k]=1&a[][v]=2&a[][k]=3` → `{a:[{k:"1",v:"2"},{k:"3"}]}` (a new element
//! starts when the last one already has the key). A parameter without `=`
//! has a `null` value. Conflicting shapes (`a=1&a[b]=2`) are an error, as
//! they are in Rack.

use serde_json::{Map, Value};

/// Rack's default `param_depth_limit`.
const DEPTH_LIMIT: usize = 32;

/// The query string could not be turned into parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

/// Percent-decode a query component (`+` is a space). Invalid escapes are
/// kept literally; invalid UTF-8 is replaced.
pub fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| hex(*b));
                let lo = bytes.get(i + 2).and_then(|b| hex(*b));
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Parse a raw query string (without `?`) into nested parameters.
pub fn parse_nested_query(raw: &str) -> Result<Map<String, Value>, QueryError> {
    let mut params = Map::new();
    for piece in raw.split('&') {
        let piece = piece.trim_start_matches(' ');
        if piece.is_empty() {
            continue;
        }
        let (k, v) = match piece.split_once('=') {
            Some((k, v)) => (unescape(k), Value::String(unescape(v))),
            None => (unescape(piece), Value::Null),
        };
        normalize(&mut params, &k, v, 0)?;
    }
    Ok(params)
}

/// What `_normalize_params` handed back to its caller.
enum Ret {
    /// The hash passed in (modified in place).
    Params,
    /// `[v]` (a bare `[]` key below the top level).
    Array(Value),
    /// `nil` (an empty key).
    Nil,
}

fn type_error(expected: &str, k: &str) -> QueryError {
    QueryError(format!("expected {expected} for param `{k}'"))
}

fn normalize(
    params: &mut Map<String, Value>,
    name: &str,
    v: Value,
    depth: usize,
) -> Result<Ret, QueryError> {
    if depth >= DEPTH_LIMIT {
        return Err(QueryError("parameters nested too deeply".into()));
    }
    let (k, after): (String, String) = if depth == 0 {
        match name.get(1..).and_then(|rest| rest.find('[')) {
            Some(pos) => {
                let start = pos + 1;
                (name[..start].to_string(), name[start..].to_string())
            }
            None => (name.to_string(), String::new()),
        }
    } else if let Some(rest) = name.strip_prefix("[]") {
        ("[]".to_string(), rest.to_string())
    } else if name.starts_with('[') && name.get(1..).and_then(|r| r.find(']')).is_some() {
        let close = name[1..].find(']').map(|p| p + 1).unwrap_or(name.len());
        (name[1..close].to_string(), name[close + 1..].to_string())
    } else {
        (name.to_string(), String::new())
    };

    if k.is_empty() {
        return Ok(Ret::Nil);
    }

    if after.is_empty() {
        if k == "[]" && depth != 0 {
            return Ok(Ret::Array(v));
        }
        params.insert(k, v);
    } else if after == "[" {
        params.insert(name.to_string(), v);
    } else if after == "[]" {
        let slot = params
            .entry(k.clone())
            .or_insert_with(|| Value::Array(vec![]));
        match slot {
            Value::Array(items) => items.push(v),
            _ => return Err(type_error("Array", &k)),
        }
    } else if let Some(tail) = after.strip_prefix("[]") {
        // x[][y] (a hash inside an array) or other nested array parameters.
        let child_key = match tail.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            Some(inner) if !inner.is_empty() && !inner.contains('[') && !inner.contains(']') => {
                inner.to_string()
            }
            _ => tail.to_string(),
        };
        let slot = params
            .entry(k.clone())
            .or_insert_with(|| Value::Array(vec![]));
        let items = match slot {
            Value::Array(items) => items,
            _ => return Err(type_error("Array", &k)),
        };
        let reuse_last = match items.last() {
            Some(Value::Object(last)) => !hash_has_key(last, &child_key),
            _ => false,
        };
        if reuse_last {
            if let Some(Value::Object(last)) = items.last_mut() {
                normalize(last, &child_key, v, depth + 1)?;
            }
        } else {
            let mut fresh = Map::new();
            let pushed = match normalize(&mut fresh, &child_key, v, depth + 1)? {
                Ret::Params => Value::Object(fresh),
                Ret::Array(x) => Value::Array(vec![x]),
                Ret::Nil => Value::Null,
            };
            items.push(pushed);
        }
    } else {
        let slot = params
            .entry(k.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        let ret = match slot {
            Value::Object(inner) => normalize(inner, &after, v, depth + 1)?,
            _ => return Err(type_error("Hash", &k)),
        };
        match ret {
            Ret::Params => {}
            Ret::Array(x) => {
                params.insert(k, Value::Array(vec![x]));
            }
            Ret::Nil => {
                params.insert(k, Value::Null);
            }
        }
    }
    Ok(Ret::Params)
}

/// Rack's `params_hash_has_key?`.
fn hash_has_key(hash: &Map<String, Value>, key: &str) -> bool {
    if key.contains("[]") {
        return false;
    }
    let mut current = hash;
    let parts: Vec<&str> = key.split(['[', ']']).filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        match current.get(*part) {
            None => return false,
            Some(next) => {
                if i + 1 < parts.len() {
                    match next {
                        Value::Object(m) => current = m,
                        _ => return false,
                    }
                }
            }
        }
    }
    true
}

/// Deep-merge `overlay` into `base` (Apia's `DeepMerge.merge(params, json_body)`):
/// hashes merge recursively, anything else from `overlay` wins.
pub fn deep_merge(base: &mut Map<String, Value>, overlay: Map<String, Value>) {
    for (k, v) in overlay {
        match (base.get_mut(&k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => deep_merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(s: &str) -> Value {
        Value::Object(parse_nested_query(s).expect("parses"))
    }

    #[test]
    fn flat_and_nested() {
        assert_eq!(p("a=1&b=2"), json!({"a":"1","b":"2"}));
        assert_eq!(
            p("organization[sub_domain]=acme"),
            json!({"organization":{"sub_domain":"acme"}})
        );
        assert_eq!(
            p("organization%5Bsub_domain%5D=acme"),
            json!({"organization":{"sub_domain":"acme"}})
        );
        assert_eq!(p("a=x+y%20z"), json!({"a":"x y z"}));
        assert_eq!(p("a"), json!({"a":null}));
        assert_eq!(p("a=1&a=2"), json!({"a":"2"}));
        assert_eq!(p("&&a=1&"), json!({"a":"1"}));
    }

    #[test]
    fn arrays_of_hashes() {
        assert_eq!(
            p("annotations[][key]=a&annotations[][value]=1&annotations[][key]=b&annotations[][value]=2"),
            json!({"annotations":[{"key":"a","value":"1"},{"key":"b","value":"2"}]})
        );
        assert_eq!(
            p("annotations%5B%5D%5Bkey%5D=a&annotations%5B%5D%5Bvalue%5D=1"),
            json!({"annotations":[{"key":"a","value":"1"}]})
        );
        assert_eq!(p("a[]=1&a[]=2"), json!({"a":["1","2"]}));
        assert_eq!(
            p("a[][k]=1&a[][k]=2&a[][v]=3"),
            json!({"a":[{"k":"1"},{"k":"2","v":"3"}]})
        );
    }

    #[test]
    fn conflicts_are_errors() {
        assert!(parse_nested_query("a=1&a[b]=2").is_err());
        assert!(parse_nested_query("a[b]=1&a[]=2").is_err());
        let deep = format!("a{}=1", "[x]".repeat(40));
        assert!(parse_nested_query(&deep).is_err());
    }

    #[test]
    fn bad_escapes_are_literal() {
        assert_eq!(p("a=%zz%4"), json!({"a":"%zz%4"}));
        assert_eq!(p("a=%"), json!({"a":"%"}));
    }

    #[test]
    fn merge() {
        let mut a = parse_nested_query("x[a]=1&y=2").expect("parses");
        let b = json!({"x":{"b":"3"},"y":"4"});
        if let Value::Object(b) = b {
            deep_merge(&mut a, b);
        }
        assert_eq!(Value::Object(a), json!({"x":{"a":"1","b":"3"},"y":"4"}));
    }
}
