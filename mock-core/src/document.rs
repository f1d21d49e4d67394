//! The OpenAPI document, read once, and what the engine asks of it that
//! the client's operation table does not carry: named schemas with their
//! enums, each operation's documented error codes by status, its scopes
//! and summary, and the description of every error code.
//!
//! The document is the project's own copy (`spec/katapult-core-openapi.json`,
//! the one the client's tables are generated from), compiled in: the engine
//! runs without a file system, in WebAssembly too. Nothing here restates
//! the document by hand.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

/// The document's text.
const TEXT: &str = include_str!("../../spec/katapult-core-openapi.json");
/// The Public API's document (`crate::public`).
const PUBLIC_TEXT: &str = include_str!("../../spec/katapult-public-openapi.json");

/// The parsed document with indexes by operationId and error code.
#[derive(Debug)]
pub struct Document {
    doc: Value,
    /// operationId → (path, method) in `paths`.
    operations: BTreeMap<String, (String, String)>,
    /// error code → its documented description.
    descriptions: BTreeMap<String, String>,
}

/// An operation's own documentation.
#[derive(Debug, Clone, Copy)]
pub struct OperationDoc<'a> {
    node: &'a Value,
    doc: &'a Document,
}

impl Document {
    /// The document (parsed on first use).
    pub fn get() -> &'static Document {
        static DOC: OnceLock<Document> = OnceLock::new();
        DOC.get_or_init(|| Document::parse(TEXT))
    }

    /// The Public API's document (parsed on first use).
    pub fn public() -> &'static Document {
        static PUBLIC: OnceLock<Document> = OnceLock::new();
        PUBLIC.get_or_init(|| Document::parse(PUBLIC_TEXT))
    }

    fn parse(text: &str) -> Document {
        let doc: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let mut operations = BTreeMap::new();
        if let Some(paths) = doc["paths"].as_object() {
            for (path, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                for (method, op) in item {
                    if let Some(id) = op["operationId"].as_str() {
                        operations.insert(id.to_owned(), (path.clone(), method.clone()));
                    }
                }
            }
        }
        let mut document = Document {
            doc,
            operations,
            descriptions: BTreeMap::new(),
        };
        document.descriptions = document.error_descriptions();
        document
    }

    /// code → description of every error the document describes: the
    /// `description` of each error schema, and of each error response, whose
    /// `code` is a one-value enum.
    fn error_descriptions(&self) -> BTreeMap<String, String> {
        let components = &self.doc["components"];
        let schemas = components["schemas"].as_object();
        let responses = components["responses"].as_object();
        let described = schemas
            .into_iter()
            .flatten()
            .map(|(_, s)| (&s["description"], &s["properties"]["code"]))
            .chain(responses.into_iter().flatten().map(|(_, r)| {
                (
                    &r["description"],
                    &r["content"]["application/json"]["schema"]["properties"]["code"],
                )
            }));
        let mut table = BTreeMap::new();
        for (description, code) in described {
            let Some(description) = description.as_str() else {
                continue;
            };
            if let [Value::String(code)] = self.enum_values(code) {
                table
                    .entry(code.clone())
                    .or_insert_with(|| description.to_owned());
            }
        }
        table
    }

    /// The named schema `#/components/schemas/{name}`.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.doc["components"]["schemas"].get(name)
    }

    /// The schema a node stands for: `$ref`s followed, a one-element
    /// `allOf` (the document's way of adding a description to a `$ref`)
    /// unwrapped, and a `type` that is itself a `$ref` read as that `$ref`.
    pub fn resolve<'a>(&'a self, mut node: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let next = if let Some(r) = node["$ref"].as_str() {
                self.by_ref(r)
            } else if let Some([only]) = node["allOf"].as_array().map(Vec::as_slice) {
                Some(only)
            } else if node["type"].is_object() {
                Some(&node["type"])
            } else {
                None
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    }

    /// The name of the component schema a node refers to, if it does.
    pub fn ref_name<'a>(&'a self, node: &'a Value) -> Option<&'a str> {
        let mut node = node;
        for _ in 0..32 {
            if let Some(r) = node["$ref"].as_str() {
                return r.rsplit('/').next();
            }
            match node["allOf"].as_array().map(Vec::as_slice) {
                Some([only]) => node = only,
                _ => return None,
            }
        }
        None
    }

    fn by_ref(&self, r: &str) -> Option<&Value> {
        let mut parts = r.strip_prefix("#/")?.split('/');
        let mut node = &self.doc;
        for part in parts.by_ref() {
            node = node.get(part)?;
        }
        Some(node)
    }

    /// A node's enum values (after resolving it).
    pub fn enum_values<'a>(&'a self, node: &'a Value) -> &'a [Value] {
        self.resolve(node)["enum"]
            .as_array()
            .map_or(&[], Vec::as_slice)
    }

    /// Whether a node allows `null`: on itself or on what it resolves to.
    pub fn nullable(&self, node: &Value) -> bool {
        node["nullable"].as_bool().unwrap_or(false)
            || self.resolve(node)["nullable"].as_bool().unwrap_or(false)
    }

    /// The documentation of one operation.
    pub fn operation(&self, id: &str) -> Option<OperationDoc<'_>> {
        let (path, method) = self.operations.get(id)?;
        let node = self.doc["paths"].get(path)?.get(method)?;
        Some(OperationDoc { node, doc: self })
    }

    /// The documented description of an error code.
    pub fn describe(&self, code: &str) -> Option<&str> {
        self.descriptions.get(code).map(String::as_str)
    }
}

impl<'a> OperationDoc<'a> {
    /// Its summary ("Start virtual machine"): the engine names its tasks so.
    pub fn summary(&self) -> &'a str {
        self.node["summary"].as_str().unwrap_or("")
    }

    /// The scopes that grant it (`Authenticator` security), any one of which
    /// suffices; empty when the document names none.
    pub fn scopes(&self) -> Vec<&'a str> {
        self.node["security"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["Authenticator"].as_array())
            .flatten()
            .filter_map(Value::as_str)
            .collect()
    }

    /// The schema of its JSON success answer (`None` for a text answer).
    pub fn answer(&self) -> Option<&'a Value> {
        let responses = self.node["responses"].as_object()?;
        let (_, ok) = responses.iter().find(|(s, _)| s.starts_with('2'))?;
        ok["content"].get("application/json").map(|c| &c["schema"])
    }

    /// The schema of its JSON request body.
    pub fn body(&self) -> Option<&'a Value> {
        self.node["requestBody"]["content"]
            .get("application/json")
            .map(|c| self.doc.resolve(&c["schema"]))
    }

    /// The error codes it documents for `status`, in the document's order.
    pub fn errors(&self, status: u16) -> Vec<&'a str> {
        let response = &self.node["responses"][status.to_string()];
        let schema = &self.doc.resolve(response)["content"]["application/json"]["schema"];
        let mut codes = Vec::new();
        self.collect_codes(schema, &mut codes, 0);
        codes
    }

    fn collect_codes(&self, schema: &'a Value, codes: &mut Vec<&'a str>, depth: usize) {
        let schema = self.doc.resolve(schema);
        if depth > 8 {
            return;
        }
        for alternatives in [&schema["oneOf"], &schema["anyOf"]] {
            for alt in alternatives.as_array().into_iter().flatten() {
                self.collect_codes(alt, codes, depth + 1);
            }
        }
        for code in self.doc.enum_values(&schema["properties"]["code"]) {
            if let Some(code) = code.as_str() {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
    }

    /// The documented schema of the `detail` of error `code` at `status`
    /// (`None` when the operation does not document that error there), so
    /// an error made on purpose (a test's fault) has the documented body.
    pub fn error_detail(&self, status: u16, code: &str) -> Option<&'a Value> {
        let response = &self.node["responses"][status.to_string()];
        let schema = &self.doc.resolve(response)["content"]["application/json"]["schema"];
        self.find_detail(schema, code, 0)
    }

    fn find_detail(&self, schema: &'a Value, code: &str, depth: usize) -> Option<&'a Value> {
        let schema = self.doc.resolve(schema);
        if depth > 8 {
            return None;
        }
        let names_code = self
            .doc
            .enum_values(&schema["properties"]["code"])
            .iter()
            .any(|c| c.as_str() == Some(code));
        if names_code {
            return schema["properties"].get("detail");
        }
        [&schema["oneOf"], &schema["anyOf"]]
            .into_iter()
            .filter_map(Value::as_array)
            .flatten()
            .find_map(|alt| self.find_detail(alt, code, depth + 1))
    }

    /// Every error code it documents, with its status.
    pub fn all_errors(&self) -> Vec<(u16, &'a str)> {
        let Some(responses) = self.node["responses"].as_object() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for status in responses.keys().filter_map(|s| s.parse::<u16>().ok()) {
            if status >= 400 {
                out.extend(self.errors(status).into_iter().map(|c| (status, c)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_errors_scopes_and_summaries() {
        let doc = Document::get();
        let op = doc.operation("get:dns_zone").expect("get:dns_zone");
        assert_eq!(op.errors(404), ["dns_zone_not_found"]);
        assert!(op.errors(403).contains(&"scope_not_granted"));
        assert_eq!(op.scopes(), ["dns", "dns:read"]);
        assert_eq!(op.summary(), "Get DNS zone");
        assert!(doc.describe("dns_zone_not_found").is_some());
        let vm = doc.operation("post:virtual_machine_start").expect("start");
        assert_eq!(vm.summary(), "Start virtual machine");
        assert!(doc.operation("get:nope").is_none());
        let rate = op
            .error_detail(429, "rate_limit_reached")
            .expect("429 detail");
        assert!(doc.resolve(rate)["properties"]["total_permitted"].is_object());
        assert!(op.error_detail(403, "scope_not_granted").is_some());
        assert!(op.error_detail(404, "scope_not_granted").is_none());
    }
}
