//! Spec XML → spec object (JSON), walking [`super::schema`]. Every problem
//! is an `invalid_argument` naming the path in the spec object and the line
//! and column in the document.

use super::schema::{join, one_of, Node, Struct, EXISTING_IP, NEW_IP, ROOT, SPEC};
use super::xml::{normalise_line_ends, position, read, trim, Element};
use crate::error::Error;
use serde_json::{Map, Value};

/// Reads a spec document into a spec object. Lookups, numbers and hostnames
/// are trimmed; other text is kept exactly.
pub fn parse(xml: &str) -> Result<Value, Error> {
    let doc = normalise_line_ends(xml);
    let p = Parser { doc: &doc };
    let root = read(&doc).map_err(|e| p.error(e.at, "spec XML", &e.message))?;
    if root.name != ROOT {
        return Err(p.error(
            root.at,
            "spec XML",
            &format!("must have the root element <{ROOT}>, not <{}>", root.name),
        ));
    }
    p.attrs(&root, &[], "spec")?;
    p.structure(&SPEC, &root, "spec").map(Value::Object)
}

struct Parser<'a> {
    doc: &'a str,
}

impl Parser<'_> {
    fn error(&self, at: usize, path: &str, message: &str) -> Error {
        let (line, column) = position(self.doc, at);
        Error::invalid_argument(format!("{path} {message} (line {line}, column {column})"))
    }

    fn fail<T>(&self, el: &Element, path: &str, message: &str) -> Result<T, Error> {
        Err(self.error(el.at, path, message))
    }

    /// Refuses attributes other than `allowed`.
    fn attrs(&self, el: &Element, allowed: &[&str], path: &str) -> Result<(), Error> {
        match el
            .attrs
            .iter()
            .find(|(k, _)| !allowed.contains(&k.as_str()))
        {
            Some((k, _)) => self.fail(
                el,
                path,
                &format!("<{}> has an unexpected attribute {k}", el.name),
            ),
            None => Ok(()),
        }
    }

    /// A leaf: no child elements; its text.
    fn leaf<'e>(&self, el: &'e Element, path: &str) -> Result<&'e str, Error> {
        match el.children.first() {
            Some(child) => self.fail(
                child,
                path,
                &format!("<{}> may not contain <{}>", el.name, child.name),
            ),
            None => Ok(&el.text),
        }
    }

    /// A container: only whitespace between its child elements.
    fn no_text(&self, el: &Element, path: &str) -> Result<(), Error> {
        if trim(&el.text).is_empty() {
            Ok(())
        } else {
            self.fail(el, path, &format!("<{}> may not contain text", el.name))
        }
    }

    /// A number element's value, as `node` allows it.
    fn number(&self, node: &Node, el: &Element, path: &str) -> Result<u64, Error> {
        let t = trim(self.leaf(el, path)?);
        let digits = t.bytes().all(|b| b.is_ascii_digit());
        let n = t.parse::<u64>().ok().filter(|_| digits);
        node.number(n).or_else(|must| self.fail(el, path, &must))
    }

    fn structure(
        &self,
        st: &Struct,
        el: &Element,
        path: &str,
    ) -> Result<Map<String, Value>, Error> {
        self.no_text(el, path)?;
        let mut out = Map::new();
        for child in &el.children {
            let Some(field) = st.fields.iter().find(|f| f.element == child.name) else {
                let names: Vec<&str> = st.fields.iter().map(|f| f.element).collect();
                return self.fail(
                    child,
                    path,
                    &format!(
                        "has an unknown element <{}>; allowed: {}",
                        child.name,
                        names.join(", ")
                    ),
                );
            };
            let at = join(path, field.key);
            if field.repeated {
                let list = out
                    .entry(field.key)
                    .or_insert_with(|| Value::Array(Vec::new()));
                let i = list.as_array().map_or(0, Vec::len);
                let value = self.node(&field.node, child, &format!("{at}[{i}]"))?;
                if let Value::Array(items) = list {
                    items.push(value);
                }
            } else if out.contains_key(field.key) {
                return self.fail(child, &at, &format!("<{}> appears twice", child.name));
            } else {
                let value = self.node(&field.node, child, &at)?;
                out.insert(field.key.to_owned(), value);
            }
        }
        for field in st.fields.iter().filter(|f| f.required) {
            if !out.contains_key(field.key) {
                return self.fail(el, path, &format!("needs a <{}>", field.element));
            }
        }
        for (a, b) in st.exclusive {
            if out.contains_key(*a) && out.contains_key(*b) {
                return self.fail(el, path, &format!("takes {a} or {b}, not both"));
            }
        }
        Ok(out)
    }

    fn node(&self, node: &Node, el: &Element, path: &str) -> Result<Value, Error> {
        let with = |allowed: &[&str]| self.attrs(el, allowed, path);
        Ok(match node {
            Node::Text => {
                with(&[])?;
                Value::String(self.leaf(el, path)?.to_owned())
            }
            Node::Int(..) | Node::IntOf(_) => {
                with(&[])?;
                self.number(node, el, path)?.into()
            }
            Node::IntWith(k, v) => {
                with(&[k])?;
                if el.attr(k) != Some(v) {
                    return self.fail(el, path, &format!("<{}> needs {k}=\"{v}\"", el.name));
                }
                self.number(node, el, path)?.into()
            }
            Node::Enum(allowed) => {
                with(&[])?;
                let t = trim(self.leaf(el, path)?);
                if !allowed.contains(&t) {
                    return self.fail(el, path, &format!("must be {}", one_of(allowed)));
                }
                Value::String(t.to_owned())
            }
            Node::Lookup(keys) => {
                with(&["by"])?;
                let key = el.attr("by").unwrap_or("id");
                if key == "id" && el.attr("by").is_some() || !keys.contains(&key) {
                    let forms: Vec<String> = keys
                        .iter()
                        .map(|k| match *k {
                            "id" => "no by (an id)".to_owned(),
                            k => format!("by=\"{k}\""),
                        })
                        .collect();
                    return self.fail(
                        el,
                        path,
                        &format!("does not take by=\"{key}\"; use {}", forms.join(" or ")),
                    );
                }
                let t = trim(self.leaf(el, path)?);
                if t.is_empty() {
                    return self.fail(el, path, "is empty");
                }
                let mut obj = Map::new();
                obj.insert(key.to_owned(), Value::String(t.to_owned()));
                Value::Object(obj)
            }
            Node::Struct(st) => {
                with(&[])?;
                Value::Object(self.structure(st, el, path)?)
            }
            Node::List(item, inner) => {
                with(&[])?;
                self.list(el, item, inner, path)?
            }
            Node::AllOr(item, inner) => {
                with(&["all"])?;
                match el.attr("all") {
                    Some("yes") if el.children.is_empty() => {
                        self.no_text(el, path)?;
                        Value::String("all".into())
                    }
                    Some("yes") => {
                        return self.fail(el, path, "has all=\"yes\" and items; give one")
                    }
                    Some(_) => return self.fail(el, path, "takes all=\"yes\" or items"),
                    None => self.list(el, item, inner, path)?,
                }
            }
            Node::Hostname => {
                with(&[])?;
                let inner = match el.children.as_slice() {
                    [one] if one.name == "Hostname" => one,
                    _ => {
                        return self.fail(
                            el,
                            path,
                            "needs exactly one inner <Hostname> (a name, or type=\"random\")",
                        )
                    }
                };
                self.no_text(el, path)?;
                self.attrs(inner, &["type"], path)?;
                let t = trim(self.leaf(inner, path)?);
                match inner.attr("type") {
                    Some("random") if t.is_empty() => {
                        let mut obj = Map::new();
                        obj.insert("random".into(), Value::Bool(true));
                        Value::Object(obj)
                    }
                    Some("random") => {
                        return self.fail(inner, path, "is random and may not hold a name")
                    }
                    Some(_) => return self.fail(inner, path, "takes only type=\"random\""),
                    None if t.is_empty() => return self.fail(inner, path, "is empty"),
                    None => Value::String(t.to_owned()),
                }
            }
            Node::Allocation => {
                with(&["type"])?;
                let (kind, st) = match el.attr("type") {
                    Some("new") => ("new", &NEW_IP),
                    Some("existing") => ("existing", &EXISTING_IP),
                    _ => return self.fail(el, path, "needs type=\"new\" or type=\"existing\""),
                };
                let mut obj = self.structure(st, el, path)?;
                obj.insert("type".into(), Value::String(kind.into()));
                Value::Object(obj)
            }
            Node::KeyValue => {
                with(&["key"])?;
                let key = match el.attr("key") {
                    Some(k) if !trim(k).is_empty() => k,
                    _ => return self.fail(el, path, "needs a non-empty key attribute"),
                };
                let mut obj = Map::new();
                obj.insert("key".into(), Value::String(key.to_owned()));
                obj.insert(
                    "value".into(),
                    Value::String(self.leaf(el, path)?.to_owned()),
                );
                Value::Object(obj)
            }
        })
    }

    fn list(&self, el: &Element, item: &str, inner: &Node, path: &str) -> Result<Value, Error> {
        self.no_text(el, path)?;
        let mut items = Vec::with_capacity(el.children.len());
        for (i, child) in el.children.iter().enumerate() {
            let at = format!("{path}[{i}]");
            if child.name != item {
                return self.fail(
                    child,
                    &at,
                    &format!("must be an <{item}>, not <{}>", child.name),
                );
            }
            items.push(self.node(inner, child, &at)?);
        }
        Ok(Value::Array(items))
    }
}
