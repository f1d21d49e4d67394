//! JSON trees the property tests take apart: paths to their nodes, bodies
//! written in any style with raw fragments spliced in, and mutations of
//! the tree and of the written bytes.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Number, Value};

use super::gen::{json, key, raw_fragments, text};

/// A step from the root to a node.
#[derive(Clone, Debug)]
pub enum Seg {
    Key(String),
    At(usize),
}

/// Paths of every node in `v` (pre-order, the root first) that `keep` accepts.
pub fn paths(v: &Value, keep: &dyn Fn(&[Seg], &Value) -> bool) -> Vec<Vec<Seg>> {
    fn walk(
        v: &Value,
        path: &mut Vec<Seg>,
        keep: &dyn Fn(&[Seg], &Value) -> bool,
        out: &mut Vec<Vec<Seg>>,
    ) {
        if keep(path, v) {
            out.push(path.clone());
        }
        match v {
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    path.push(Seg::At(i));
                    walk(x, path, keep, out);
                    path.pop();
                }
            }
            Value::Object(members) => {
                for (k, x) in members {
                    path.push(Seg::Key(k.clone()));
                    walk(x, path, keep, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), keep, &mut out);
    out
}

pub fn node_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get_mut(k.as_str()),
        Seg::At(i) => v.get_mut(*i),
    })
}

pub fn node<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::At(i) => v.get(*i),
    })
}

/// Removes the node at `path` from its parent; false for the root.
pub fn remove(v: &mut Value, path: &[Seg]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match (node_mut(v, parent), last) {
        (Some(Value::Object(m)), Seg::Key(k)) => m.remove(k).is_some(),
        (Some(Value::Array(a)), Seg::At(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// A body under construction: a JSON tree whose string leaves may stand for
/// raw byte fragments, written out in a chosen style.
pub struct Body {
    pub value: Value,
    raws: Vec<Vec<u8>>,
}

pub const RAW_TAG: &str = "\u{0}\u{0}raw fragment\u{0}";

impl Body {
    pub fn new(value: Value) -> Self {
        Body {
            value,
            raws: Vec::new(),
        }
    }

    /// A string leaf that `write` replaces with `raw`.
    pub fn placeholder(&mut self, raw: Vec<u8>) -> Value {
        self.raws.push(raw);
        Value::String(format!("{RAW_TAG}{}", self.raws.len() - 1))
    }

    pub fn write(&self, v: &Value, style: Style, depth: usize, out: &mut Vec<u8>) {
        let newline = |out: &mut Vec<u8>, depth: usize| {
            if style.pretty {
                out.push(b'\n');
                out.extend(std::iter::repeat_n(b' ', depth * 2));
            }
        };
        match v {
            Value::String(s) if s.starts_with(RAW_TAG) => {
                match s[RAW_TAG.len()..]
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| self.raws.get(i))
                {
                    Some(raw) => out.extend_from_slice(raw),
                    None => out.extend(serde_json::to_vec(v).expect("writes")),
                }
            }
            Value::Array(items) => {
                out.push(b'[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, depth + 1);
                    self.write(x, style, depth + 1, out);
                }
                newline(out, depth);
                out.push(b']');
            }
            Value::Object(members) => {
                out.push(b'{');
                let mut members: Vec<_> = members.iter().collect();
                if style.reverse {
                    members.reverse();
                }
                for (i, (k, x)) in members.into_iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    newline(out, depth + 1);
                    out.extend(serde_json::to_vec(k).expect("writes"));
                    out.extend_from_slice(if style.pretty { b": " } else { b":" });
                    self.write(x, style, depth + 1, out);
                }
                newline(out, depth);
                out.push(b'}');
            }
            other => out.extend(serde_json::to_vec(other).expect("writes")),
        }
    }

    pub fn bytes(&self, style: Style) -> Vec<u8> {
        if self.raws.is_empty() && !style.reverse {
            let plain = if style.pretty {
                serde_json::to_vec_pretty(&self.value)
            } else {
                serde_json::to_vec(&self.value)
            };
            return plain.expect("writes");
        }
        let mut out = Vec::new();
        self.write(&self.value, style, 0, &mut out);
        out
    }
}

/// Whitespace and member order of a written body.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub pretty: bool,
    pub reverse: bool,
}

pub fn style() -> impl Strategy<Value = Style> {
    (any::<bool>(), any::<bool>()).prop_map(|(pretty, reverse)| Style { pretty, reverse })
}

/// One change to a JSON tree; the `Index`es pick a node.
#[derive(Clone, Debug)]
pub enum Mutation {
    /// The node becomes `null`.
    Null(Index),
    /// The node disappears (a missing key or a shorter array).
    Remove(Index),
    /// The node becomes any JSON value.
    Replace(Index, Value),
    /// The node changes type, keeping its content where it can.
    Retype(Index),
    /// The node becomes a raw fragment (huge number, deep nesting, bad UTF-8…).
    Raw(Index, Index),
    /// An object gains a key (or an existing key a new value).
    Key(Index, String, Value),
    /// An object repeats one of its keys, with the same or another value.
    Duplicate(Index, Index, Option<Value>),
    /// A node becomes another string.
    Text(Index, String),
}

pub fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Null),
        3 => any::<Index>().prop_map(Mutation::Remove),
        2 => (any::<Index>(), json()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => any::<Index>().prop_map(Mutation::Retype),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(i, r)| Mutation::Raw(i, r)),
        2 => (any::<Index>(), key(), json()).prop_map(|(i, k, v)| Mutation::Key(i, k, v)),
        1 => (any::<Index>(), any::<Index>(), prop::option::of(json()))
            .prop_map(|(i, j, v)| Mutation::Duplicate(i, j, v)),
        2 => (any::<Index>(), text()).prop_map(|(i, s)| Mutation::Text(i, s)),
    ]
    .boxed()
}

pub fn retype(v: &Value) -> Value {
    match v {
        Value::Null => json!({}),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) => match s.parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => json!([s]),
        },
        Value::Array(items) => Value::Object(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| (i.to_string(), x.clone()))
                .collect(),
        ),
        Value::Object(members) => Value::Array(members.values().cloned().collect()),
    }
}

pub fn any_node(_: &Value) -> bool {
    true
}

pub fn object_node(v: &Value) -> bool {
    v.is_object()
}

pub fn count_nodes(v: &Value, keep: fn(&Value) -> bool) -> usize {
    usize::from(keep(v))
        + match v {
            Value::Array(items) => items.iter().map(|x| count_nodes(x, keep)).sum(),
            Value::Object(members) => members.values().map(|x| count_nodes(x, keep)).sum(),
            _ => 0,
        }
}

/// Finds the `n`th node (pre-order) that `keep` accepts; its path is left in `path`.
pub fn nth_path(v: &Value, keep: fn(&Value) -> bool, n: &mut usize, path: &mut Vec<Seg>) -> bool {
    if keep(v) {
        if *n == 0 {
            return true;
        }
        *n -= 1;
    }
    match v {
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                path.push(Seg::At(i));
                if nth_path(x, keep, n, path) {
                    return true;
                }
                path.pop();
            }
        }
        Value::Object(members) => {
            for (k, x) in members {
                path.push(Seg::Key(k.clone()));
                if nth_path(x, keep, n, path) {
                    return true;
                }
                path.pop();
            }
        }
        _ => {}
    }
    false
}

/// The path of the node `i` picks among those `keep` accepts, if any.
pub fn pick_path(v: &Value, i: &Index, keep: fn(&Value) -> bool) -> Option<Vec<Seg>> {
    let count = count_nodes(v, keep);
    if count == 0 {
        return None;
    }
    let mut path = Vec::new();
    nth_path(v, keep, &mut i.index(count), &mut path).then_some(path)
}

impl Body {
    pub fn apply(&mut self, m: &Mutation) {
        let pick = pick_path;
        match m {
            Mutation::Null(i) => self.set(pick(&self.value, i, any_node), Value::Null),
            Mutation::Remove(i) => {
                if let Some(p) = pick(&self.value, i, any_node) {
                    remove(&mut self.value, &p);
                }
            }
            Mutation::Replace(i, v) => self.set(pick(&self.value, i, any_node), v.clone()),
            Mutation::Retype(i) => {
                let p = pick(&self.value, i, any_node);
                let new = p.as_ref().and_then(|p| node(&self.value, p)).map(retype);
                if let Some(new) = new {
                    self.set(p, new);
                }
            }
            Mutation::Raw(i, r) => {
                let raw = r.get(raw_fragments()).0.clone();
                let v = self.placeholder(raw);
                self.set(pick(&self.value, i, any_node), v);
            }
            Mutation::Key(i, k, v) => {
                if let Some(p) = pick(&self.value, i, object_node) {
                    if let Some(Value::Object(o)) = node_mut(&mut self.value, &p) {
                        o.insert(k.clone(), v.clone());
                    }
                }
            }
            Mutation::Duplicate(i, j, v) => {
                let Some(p) = pick(&self.value, i, object_node) else {
                    return;
                };
                let Some(Value::Object(o)) = node(&self.value, &p) else {
                    return;
                };
                if o.is_empty() {
                    return;
                }
                let (k, old) = o.iter().nth(j.index(o.len())).expect("in range");
                let mut raw = self.bytes_of(&Value::Object(o.clone()));
                raw.pop(); // the closing brace
                if raw.len() > 1 {
                    raw.push(b',');
                }
                raw.extend(serde_json::to_vec(k).expect("writes"));
                raw.push(b':');
                raw.extend(self.bytes_of(v.as_ref().unwrap_or(old)));
                raw.push(b'}');
                let placeholder = self.placeholder(raw);
                self.set(Some(p), placeholder);
            }
            Mutation::Text(i, s) => {
                self.set(pick(&self.value, i, any_node), Value::String(s.clone()))
            }
        }
    }

    pub fn set(&mut self, path: Option<Vec<Seg>>, new: Value) {
        if let Some(slot) = path.and_then(|p| node_mut(&mut self.value, &p)) {
            *slot = new;
        }
    }

    pub fn bytes_of(&self, v: &Value) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(
            v,
            Style {
                pretty: false,
                reverse: false,
            },
            0,
            &mut out,
        );
        out
    }
}

/// A change to the written bytes.
#[derive(Clone, Debug)]
pub enum Edit {
    Keep,
    Truncate(Index),
    Flip(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Bom,
    Trailing(Vec<u8>),
}

pub const TRAILING: &[&[u8]] = &[b" \n\t\r", b"x", b"{}", b"\0", b"]"];

pub fn edit() -> BoxedStrategy<Edit> {
    prop_oneof![
        8 => Just(Edit::Keep),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => (any::<Index>(), 1u8..).prop_map(|(i, x)| Edit::Flip(i, x)),
        1 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => (any::<Index>(), 1usize..32).prop_map(|(i, n)| Edit::Delete(i, n)),
        1 => Just(Edit::Bom),
        1 => prop::sample::select(TRAILING).prop_map(|b| Edit::Trailing(b.to_vec())),
    ]
    .boxed()
}

pub fn apply_edit(bytes: &mut Vec<u8>, e: &Edit) {
    let at = |i: &Index, len: usize| i.index(len + 1);
    match e {
        Edit::Keep => {}
        Edit::Truncate(i) => bytes.truncate(at(i, bytes.len())),
        Edit::Flip(i, x) => {
            if !bytes.is_empty() {
                let i = i.index(bytes.len());
                bytes[i] ^= x;
            }
        }
        Edit::Insert(i, b) => {
            let i = at(i, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Edit::Delete(i, n) => {
            let i = at(i, bytes.len());
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Edit::Bom => {
            bytes.splice(0..0, [0xef, 0xbb, 0xbf]);
        }
        Edit::Trailing(b) => bytes.extend_from_slice(b),
    }
}

/// A mutated body: which valid body, what changes, how it is written.
#[derive(Clone, Debug)]
pub struct Mutated {
    pub body: Index,
    pub mutations: Vec<Mutation>,
    pub style: Style,
    pub edit: Edit,
}

pub fn mutated() -> impl Strategy<Value = Mutated> {
    (
        any::<Index>(),
        prop::collection::vec(mutation(), 1..5),
        style(),
        edit(),
    )
        .prop_map(|(body, mutations, style, edit)| Mutated {
            body,
            mutations,
            style,
            edit,
        })
}

impl Mutated {
    pub fn bytes(&self, bodies: &[Value]) -> Vec<u8> {
        let mut body = Body::new(self.body.get(bodies).clone());
        for m in &self.mutations {
            body.apply(m);
        }
        let mut bytes = body.bytes(self.style);
        apply_edit(&mut bytes, &self.edit);
        bytes
    }
}
