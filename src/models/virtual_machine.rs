//! Virtual machines: the full record, the list summary and their parts.

use super::List;
use super::{
    Attachment, DataCenter, KeyValue, Organization, Pagination, PrivacyType, TagColor, TrashObject,
    VirtualMachineGpuPendingAction, VirtualMachineGpuStatus, VirtualMachineState, Zone,
};
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// `VirtualMachineGroup`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineGroup {
    /// Group id.
    pub id: String,
    /// Group name.
    pub name: String,
    /// Whether members are kept on separate hypervisors.
    pub segregate: bool,
    /// Whether segregation is automatic.
    pub auto_segregate: bool,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// `VirtualMachinePackageGroup`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachinePackageGroup {
    /// Package group id.
    pub id: String,
    /// Package group name.
    pub name: String,
}

/// `VirtualMachinePackage`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachinePackage {
    /// Package id.
    pub id: String,
    /// Package name.
    pub name: String,
    /// Package permalink.
    pub permalink: String,
    /// CPU cores.
    pub cpu_cores: i64,
    /// Included IPv4 addresses.
    pub ipv4_addresses: i64,
    /// Memory in GB.
    pub memory_in_gb: i64,
    /// Storage in GB.
    pub storage_in_gb: i64,
    /// Monthly bandwidth allowance in GB.
    pub monthly_bandwidth_allowance_in_gb: Option<i64>,
    /// Who may use it.
    pub privacy: PrivacyType,
    /// Package icon.
    pub icon: Option<Attachment>,
    /// Whether CPUs are dedicated.
    pub use_dedicated_cpus: bool,
    /// The package's group.
    pub group: VirtualMachinePackageGroup,
}

/// `OperatingSystem`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct OperatingSystem {
    /// Operating system id.
    pub id: String,
    /// Operating system name.
    pub name: String,
    /// Badge image.
    pub badge: Option<Attachment>,
}

/// `ISO`: an attached installation image.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Iso {
    /// ISO id.
    pub id: String,
    /// ISO name.
    pub name: String,
    /// Its operating system.
    pub operating_system: Option<OperatingSystem>,
}

/// The GPU type of a virtual machine (`GetVirtualMachinePartGPUType`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineGpuType {
    /// GPU type id.
    pub id: String,
    /// GPU type name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// GPU memory in GB.
    pub memory_in_gb: i64,
    /// GPU memory type.
    pub memory_type: String,
    /// GPU type permalink.
    pub permalink: String,
}

/// `GPUType`, with the data centers offering it.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct GpuType {
    /// GPU type id.
    pub id: String,
    /// GPU type name.
    pub name: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// GPU memory in GB.
    pub memory_in_gb: i64,
    /// GPU memory type.
    pub memory_type: String,
    /// GPU type permalink.
    pub permalink: String,
    /// Data centers offering it (entries may be null).
    #[tsify(type = "(DataCenter | null)[]")]
    pub data_centers: List<Option<DataCenter>>,
}

/// `VirtualMachineGPU`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineGpu {
    /// GPU id; `null` when detached.
    pub id: Option<String>,
    /// Attachment status.
    pub status: VirtualMachineGpuStatus,
    /// Pending attach/detach.
    pub pending_action: Option<VirtualMachineGpuPendingAction>,
    /// With a pending attach: whether a GPU of the type is available.
    pub available: bool,
    /// The GPU's type.
    #[serde(rename = "type")]
    pub gpu_type: GpuType,
}

/// `Tag`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Tag {
    /// Tag id.
    pub id: String,
    /// Tag name.
    pub name: String,
    /// Tag colour.
    pub color: TagColor,
    /// Creation time (Unix seconds).
    pub created_at: i64,
}

/// `Network`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Network {
    /// Network id (`netw_…`).
    pub id: String,
    /// Network name.
    pub name: String,
    /// Network permalink.
    pub permalink: Option<String>,
    /// Whether it is the data center's default network; `null` when the API omits it.
    pub default: Option<bool>,
    /// The network's data center.
    pub data_center: DataCenter,
}

/// `IPAddress`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct IpAddress {
    /// IP address id (`ip_…`).
    pub id: String,
    /// The address.
    pub address: String,
    /// Reverse DNS name.
    pub reverse_dns: String,
    /// Whether it is a virtual IP.
    pub vip: bool,
    /// Label.
    pub label: Option<String>,
    /// Address with prefix length.
    pub address_with_mask: String,
    /// The network it belongs to.
    pub network: Network,
    /// Id of what it is allocated to.
    pub allocation_id: Option<String>,
    /// Type of what it is allocated to.
    pub allocation_type: Option<String>,
}

/// `Hypervisor`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct Hypervisor {
    /// Hypervisor id.
    pub id: String,
    /// Hypervisor name.
    pub name: String,
    /// Hypervisor IP address.
    pub ip_address: String,
}

/// A virtual machine, in full (`GetVirtualMachine200ResponseVirtualMachine`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachine {
    /// VM id (`vm_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hostname.
    pub hostname: String,
    /// Fully qualified domain name, usable as a lookup.
    pub fqdn: String,
    /// Description.
    pub description: Option<String>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Root password set at build time, if still readable.
    pub initial_root_password: Option<String>,
    /// Power/lifecycle state.
    pub state: VirtualMachineState,
    /// Where it runs.
    pub zone: Zone,
    /// Owning organization.
    pub organization: Organization,
    /// Group.
    pub group: Option<VirtualMachineGroup>,
    /// Package; `null` for custom resources.
    pub package: Option<VirtualMachinePackage>,
    /// Attached ISO.
    pub attached_iso: Option<Iso>,
    /// Memory in GB.
    pub memory_in_gb: Option<i64>,
    /// CPU cores.
    pub cpu_cores: Option<i64>,
    /// Whether CPUs are dedicated.
    pub use_dedicated_cpus: Option<bool>,
    /// GPU type.
    pub gpu_type: Option<VirtualMachineGpuType>,
    /// GPUs.
    #[tsify(type = "VirtualMachineGpu[]")]
    pub gpus: List<VirtualMachineGpu>,
    /// Tags.
    #[tsify(type = "Tag[]")]
    pub tags: List<Tag>,
    /// Tag names.
    #[tsify(type = "string[]")]
    pub tag_names: List<String>,
    /// IP addresses.
    #[tsify(type = "IpAddress[]")]
    pub ip_addresses: List<IpAddress>,
    /// Hypervisor it runs on.
    pub hypervisor: Option<Hypervisor>,
}

/// The package of a listed VM.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineSummaryPackage {
    /// Package name.
    pub name: String,
}

/// The GPU type of a listed VM.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineSummaryGpuType {
    /// GPU type id.
    pub id: String,
    /// GPU type name.
    pub name: String,
    /// GPU type permalink.
    pub permalink: String,
}

/// An IP address of a listed VM.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineSummaryIpAddress {
    /// The address.
    pub address: String,
}

/// The hypervisor of a listed VM.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineSummaryHypervisor {
    /// Hypervisor id.
    pub id: String,
    /// Hypervisor name.
    pub name: String,
}

/// A virtual machine as the list endpoint returns it
/// (`GetOrganizationVirtualMachines200ResponseVirtualMachines`).
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct VirtualMachineSummary {
    /// VM id (`vm_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Hostname.
    pub hostname: String,
    /// Fully qualified domain name.
    pub fqdn: String,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// Where it runs.
    pub zone: Zone,
    /// Package name, `null` for custom resources.
    pub package: Option<VirtualMachineSummaryPackage>,
    /// GPU type.
    pub gpu_type: Option<VirtualMachineSummaryGpuType>,
    /// IP addresses.
    #[tsify(type = "VirtualMachineSummaryIpAddress[]")]
    pub ip_addresses: List<VirtualMachineSummaryIpAddress>,
    /// Hypervisor.
    pub hypervisor: Option<VirtualMachineSummaryHypervisor>,
}

/// Result of `listVirtualMachines`: one page.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct ListVirtualMachinesResponse {
    /// Where this page sits.
    pub pagination: Pagination,
    /// The page's VMs, in API order.
    #[tsify(type = "VirtualMachineSummary[]")]
    pub virtual_machines: List<VirtualMachineSummary>,
}

/// Result of `getVirtualMachine`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct GetVirtualMachineResponse {
    /// The VM.
    pub virtual_machine: VirtualMachine,
    /// Its annotations.
    #[tsify(type = "KeyValue[]")]
    pub annotations: List<KeyValue>,
}

/// Result of `deleteVirtualMachine`.
#[derive(Tsify, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[tsify(missing_as_null)]
pub struct DeleteVirtualMachineResponse {
    /// The trash entry; pass its `id` to `restoreTrashObject` to undo.
    pub trash_object: TrashObject,
    /// The VM as it was deleted.
    pub virtual_machine: VirtualMachine,
}
