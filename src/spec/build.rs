//! Spec object (JSON) → XML, walking [`super::schema`]. Every problem is an
//! `invalid_argument` naming the offending path, e.g.
//! `spec.network_interfaces[1].network`.

use super::schema::{join, one_of, Field, Node, Struct, EXISTING_IP, NEW_IP, ROOT, SPEC};
use super::xml::{escape_into, is_xml_char, trim};
use crate::args::{describe, object_arg};
use crate::error::Error;
use serde_json::{Map, Value};

/// Writes the document for a spec object, elements in schema order,
/// indented by two spaces, after an XML declaration.
pub fn build(spec: &Value) -> Result<String, Error> {
    let mut w = Writer {
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        depth: 0,
        just_opened: false,
    };
    w.open(ROOT, &[]);
    w.fields(&SPEC, spec, "spec", &[])?;
    w.close(ROOT);
    Ok(w.out)
}

fn fail<T>(path: &str, message: impl std::fmt::Display) -> Result<T, Error> {
    Err(Error::invalid_argument(format!("{path} {message}")))
}

/// An object with no keys beyond `keys`.
fn object<'a>(
    value: &'a Value,
    path: &str,
    keys: &[&str],
) -> Result<&'a Map<String, Value>, Error> {
    match object_arg(Some(value), path, keys)? {
        Some(obj) => Ok(obj),
        None => fail(path, "must be an object, got null"),
    }
}

fn array<'a>(value: &'a Value, path: &str) -> Result<&'a [Value], Error> {
    match value {
        Value::Array(a) => Ok(a),
        other => fail(
            path,
            format_args!("must be an array, got {}", describe(other)),
        ),
    }
}

/// A string XML can carry; `non_empty` for lookups.
fn text<'a>(value: &'a Value, path: &str, non_empty: bool) -> Result<&'a str, Error> {
    match value {
        Value::String(s) if non_empty && trim(s).is_empty() => {
            fail(path, "must be a non-empty string")
        }
        Value::String(s) => match s.chars().find(|c| !is_xml_char(*c)) {
            Some(c) => fail(
                path,
                format_args!(
                    "contains U+{:04X}, a character XML cannot carry",
                    u32::from(c)
                ),
            ),
            None => Ok(s),
        },
        other => fail(
            path,
            format_args!("must be a string, got {}", describe(other)),
        ),
    }
}

/// A whole number (`None` for any other number), or an error for a non-number.
fn whole(value: &Value, path: &str) -> Result<Option<u64>, Error> {
    match value {
        Value::Number(n) => Ok(n.as_u64().or_else(|| {
            crate::json::integer(n)
                .and_then(|i| u64::try_from(i).ok())
                .filter(|i| *i <= 9_007_199_254_740_991)
        })),
        other => fail(
            path,
            format_args!("must be a whole number, got {}", describe(other)),
        ),
    }
}

struct Writer {
    out: String,
    depth: usize,
    /// The last thing written is an opening tag (so `close` stays on its line).
    just_opened: bool,
}

impl Writer {
    fn indent(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn start(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.just_opened = false;
        if self.depth > 0 {
            self.indent();
        }
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true);
            self.out.push('"');
        }
        self.out.push('>');
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start(name, attrs);
        self.depth += 1;
        self.just_opened = true;
    }

    fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        if !self.just_opened {
            self.indent();
        }
        self.just_opened = false;
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        if self.depth == 0 {
            self.out.push('\n');
        }
    }

    /// `<name attrs>text</name>` on one line.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.start(name, attrs);
        escape_into(&mut self.out, text, false);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    /// The fields of `st` from `value`, an object that may also hold the
    /// keys in `also` (written by the caller).
    fn fields(
        &mut self,
        st: &Struct,
        value: &Value,
        path: &str,
        also: &[&str],
    ) -> Result<(), Error> {
        let keys: Vec<&str> = also
            .iter()
            .copied()
            .chain(st.fields.iter().map(|f| f.key))
            .collect();
        let obj = object(value, path, &keys)?;
        let given = |key: &str| obj.get(key).is_some_and(|v| !v.is_null());
        for (a, b) in st.exclusive {
            if given(a) && given(b) {
                return fail(path, format_args!("takes {a} or {b}, not both"));
            }
        }
        for field in st.fields {
            let at = join(path, field.key);
            match obj.get(field.key) {
                None | Some(Value::Null) if field.required => return fail(&at, "is required"),
                None | Some(Value::Null) => {}
                Some(value) if field.repeated => {
                    for (i, item) in array(value, &at)?.iter().enumerate() {
                        self.node(field, item, &format!("{at}[{i}]"))?;
                    }
                }
                Some(value) => self.node(field, value, &at)?,
            }
        }
        Ok(())
    }

    fn node(&mut self, field: &Field, value: &Value, path: &str) -> Result<(), Error> {
        self.write(field.element, &field.node, value, path)
    }

    fn write(&mut self, name: &str, node: &Node, value: &Value, path: &str) -> Result<(), Error> {
        match node {
            Node::Text => {
                let t = text(value, path, false)?;
                self.leaf(name, &[], t);
            }
            Node::Int(..) | Node::IntOf(_) | Node::IntWith(..) => {
                let n = match node.number(whole(value, path)?) {
                    Ok(n) => n,
                    Err(must) => return fail(path, must),
                };
                let attr = match node {
                    Node::IntWith(k, v) => Some((*k, *v)),
                    _ => None,
                };
                self.leaf(name, attr.as_slice(), &n.to_string());
            }
            Node::Enum(allowed) => {
                let t = text(value, path, false)?;
                if !allowed.contains(&t) {
                    return fail(path, format_args!("must be {}", one_of(allowed)));
                }
                self.leaf(name, &[], t);
            }
            Node::Lookup(keys) => {
                let obj = lookup_object(value, path, keys)?;
                let Some((key, v)) = obj.iter().next() else {
                    return fail(path, format_args!("must have one of {}", one_of(keys)));
                };
                let t = trim(text(v, &join(path, key), true)?);
                if key == "id" {
                    self.leaf(name, &[], t);
                } else {
                    self.leaf(name, &[("by", key)], t);
                }
            }
            Node::Struct(st) => {
                self.open(name, &[]);
                self.fields(st, value, path, &[])?;
                self.close(name);
            }
            Node::List(item, inner) => {
                let items = array(value, path)?;
                self.open(name, &[]);
                for (i, v) in items.iter().enumerate() {
                    self.write(item, inner, v, &format!("{path}[{i}]"))?;
                }
                self.close(name);
            }
            Node::AllOr(item, inner) => match value {
                Value::String(s) if s == "all" => {
                    self.open(name, &[("all", "yes")]);
                    self.close(name);
                }
                Value::Array(_) => self.write(name, &Node::List(item, inner), value, path)?,
                other => {
                    return fail(
                        path,
                        format_args!("must be \"all\" or an array, got {}", describe(other)),
                    )
                }
            },
            Node::Hostname => {
                self.open(name, &[]);
                match value {
                    Value::Object(o) => {
                        let random = o.get("random");
                        if o.len() != 1 || random != Some(&Value::Bool(true)) {
                            return fail(path, "must be a hostname string or { random: true }");
                        }
                        self.open("Hostname", &[("type", "random")]);
                        self.close("Hostname");
                    }
                    other => {
                        let t = trim(text(other, path, true)?);
                        self.leaf("Hostname", &[], t);
                    }
                }
                self.close(name);
            }
            Node::Allocation => {
                let kind = value.get("type").and_then(Value::as_str);
                let st = match kind {
                    Some("new") => &NEW_IP,
                    Some("existing") => &EXISTING_IP,
                    _ if !value.is_object() => return object(value, path, &[]).map(|_| ()),
                    _ => return fail(&join(path, "type"), "must be \"new\" or \"existing\""),
                };
                self.open(name, &[("type", kind.unwrap_or_default())]);
                self.fields(st, value, path, &["type"])?;
                self.close(name);
            }
            Node::KeyValue => {
                let obj = object(value, path, &["key", "value"])?;
                let key = text(
                    obj.get("key").unwrap_or(&Value::Null),
                    &join(path, "key"),
                    true,
                )?;
                let val = text(
                    obj.get("value").unwrap_or(&Value::Null),
                    &join(path, "value"),
                    false,
                )?;
                self.leaf(name, &[("key", key)], val);
            }
        }
        Ok(())
    }
}

/// A lookup object with exactly one key, from `keys`.
fn lookup_object<'a>(
    value: &'a Value,
    path: &str,
    keys: &[&str],
) -> Result<&'a Map<String, Value>, Error> {
    let shape = || {
        let forms: Vec<String> = keys.iter().map(|k| format!("{{ {k} }}")).collect();
        forms.join(" or ")
    };
    if !value.is_object() {
        return fail(
            path,
            format_args!("must be {}, got {}", shape(), describe(value)),
        );
    }
    let obj = object(value, path, keys)?;
    if obj.len() != 1 {
        return fail(path, format_args!("must be exactly one of {}", shape()));
    }
    Ok(obj)
}
