//! Trash objects: where deleted resources wait until restored or purged.

use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `TrashObject`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct TrashObject {
    /// Trash object id (`trsh_…`), for `restoreTrashObject`.
    pub id: String,
    /// When it will be purged (Unix seconds).
    pub keep_until: i64,
    /// Id of the trashed object.
    pub object_id: String,
    /// Type of the trashed object, e.g. `VirtualMachine`.
    pub object_type: String,
}

/// Result of `restoreTrashObject`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct RestoreTrashObjectResponse {
    /// The restored trash object.
    pub trash_object: TrashObject,
}
