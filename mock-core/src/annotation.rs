//! An annotation: the `KeyValue` pair the API attaches to VMs, disks, load
//! balancers and other resources, given as `annotations[][key]` /
//! `annotations[][value]` or a JSON array of `{key, value}`.

/// One annotation (`value` may be absent, as in the `KeyValue` schema).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Key.
    pub key: String,
    /// Value.
    pub value: Option<String>,
}

impl Annotation {
    /// The `KeyValue` JSON of a list.
    pub fn to_json(list: &[Annotation]) -> serde_json::Value {
        serde_json::Value::Array(
            list.iter()
                .map(|a| serde_json::json!({"key": a.key, "value": a.value}))
                .collect(),
        )
    }

    /// Whether `list` carries every pair of `filter` (the list endpoints'
    /// `annotations` filter).
    pub fn all_in(filter: &[Annotation], list: &[Annotation]) -> bool {
        filter.iter().all(|f| list.contains(f))
    }
}
