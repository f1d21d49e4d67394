//! What the engine asks of whoever runs it about the objects that are not
//! the engine's own.
//!
//! The mock server still keeps some kinds in its own model (organizations,
//! VMs, disks, addresses, the catalogue…), because hand-written routes
//! serve them. The engine must not keep a second copy that drifts: when an
//! operation it answers names such an object (`organization[sub_domain]`,
//! `virtual_machine[id]`) or lists such objects, it asks the host. The
//! host answers with the object as JSON in the document's shape (the
//! engine projects it onto each answer and fills what the host lacks), and
//! may refuse it (a VM in the trash, a suspended organization) with the
//! error the API gives.
//!
//! Objects the engine creates are always its own, of any kind. Changes the
//! engine answers for a host's object stay in the engine's overlay (seen by
//! every operation the engine answers); a delete goes to the host, which
//! may decline (the engine then hides the object). A host that owns nothing
//! ([`NoHost`]) leaves every kind to the engine.

use serde_json::Value;

use crate::annotation::Annotation;
use crate::error::ApiError;

/// One of the host's objects.
#[derive(Debug, Clone)]
pub struct HostObject {
    /// The object in the document's shape; at least its `id`.
    pub object: Value,
    /// Its annotations.
    pub annotations: Vec<Annotation>,
    /// The error the API gives when an operation names it (a trashed VM's
    /// `object_in_trash`, a suspended organization's
    /// `organization_suspended`); applied where the operation documents it.
    pub refusal: Option<ApiError>,
}

impl HostObject {
    /// An object with no annotations and no refusal.
    pub fn new(object: Value) -> Self {
        HostObject {
            object,
            annotations: Vec::new(),
            refusal: None,
        }
    }

    /// Its id.
    pub fn id(&self) -> &str {
        self.object["id"].as_str().unwrap_or("")
    }
}

/// The engine's view of the host's model. Kinds are the API's names
/// (`organization`, `virtual_machine`, `disk_io_profile`).
pub trait Host {
    /// Whether the host keeps objects of this kind.
    fn owns(&self, kind: &str) -> bool;

    /// The object of an owned kind whose `key` (`id`, `sub_domain`, …) is
    /// `value`.
    fn find(&self, kind: &str, key: &str, value: &str) -> Option<HostObject>;

    /// The owned objects of `kind` that belong to the object `parent`
    /// (`("organization", "org_…")`), or all of them for `None`, in the
    /// host's order. Catalogue kinds that belong to no one are listed for
    /// any parent.
    fn list(&self, kind: &str, parent: Option<(&str, &str)>) -> Vec<HostObject>;

    /// Deletes an owned object; `false` when the host cannot (the engine
    /// then hides it from what it answers).
    fn remove(&mut self, kind: &str, id: &str) -> bool;
}

/// A host that owns nothing: the engine keeps every kind itself.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHost;

impl Host for NoHost {
    fn owns(&self, _kind: &str) -> bool {
        false
    }

    fn find(&self, _kind: &str, _key: &str, _value: &str) -> Option<HostObject> {
        None
    }

    fn list(&self, _kind: &str, _parent: Option<(&str, &str)>) -> Vec<HostObject> {
        Vec::new()
    }

    fn remove(&mut self, _kind: &str, _id: &str) -> bool {
        false
    }
}
