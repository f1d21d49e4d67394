//! Virtual machine builds (`build_from_spec`).

use super::List;
use super::{KeyValue, TaskRef, VirtualMachineBuildState, VirtualMachineState};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// A build as `build_from_spec` returns it.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineBuildRef {
    /// Build id, for `getVirtualMachineBuild` / `waitForVirtualMachineBuild`.
    pub id: String,
    /// Build state.
    pub state: VirtualMachineBuildState,
}

/// The VM a build produced.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineBuildVirtualMachine {
    /// VM id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hostname.
    pub hostname: String,
    /// Fully qualified domain name.
    pub fqdn: String,
    /// State.
    pub state: VirtualMachineState,
}

/// A build in full (`GET /virtual_machines/builds/virtual_machine_build`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineBuild {
    /// Build id.
    pub id: String,
    /// The spec XML it was built from.
    pub spec_xml: String,
    /// Build state.
    pub state: VirtualMachineBuildState,
    /// The VM, once it exists (possibly while still `building`).
    pub virtual_machine: Option<VirtualMachineBuildVirtualMachine>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// Result of `buildVirtualMachineFromSpec`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct BuildVirtualMachineResponse {
    /// The build task.
    pub task: TaskRef,
    /// Deprecated alias of `virtual_machine_build`.
    pub build: VirtualMachineBuildRef,
    /// The build.
    pub virtual_machine_build: VirtualMachineBuildRef,
    /// Hostname the VM will get.
    pub hostname: String,
    /// Annotations given to the VM.
    #[tsify(type = "KeyValue[]")]
    pub annotations: List<KeyValue>,
}

/// Result of `getVirtualMachineBuild`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct GetVirtualMachineBuildResponse {
    /// The build.
    pub virtual_machine_build: VirtualMachineBuild,
    /// Annotations given to the VM.
    #[tsify(type = "KeyValue[]")]
    pub annotations: List<KeyValue>,
}
