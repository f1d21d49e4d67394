//! The VM spec document `buildVirtualMachineFromSpec` sends, as typed
//! objects. Keys are the elements' names in snake_case; repeated children
//! directly inside an element (`Option`, `IPAddressAllocation`) become plural
//! arrays. `crate::spec` converts to and from the XML; its tables and these
//! types describe the same shapes (tested by round trips).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
#[cfg(not(target_arch = "wasm32"))]
use tsify::Tsify;

macro_rules! lookup {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident,)+ }) => {
        $(#[$meta])*
        #[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant(String),)+
        }
    };
}

lookup! {
    /// An object by id (`{ id }`) or permalink (`{ permalink }`).
    IdOrPermalink {
        /// By id, e.g. `zone_…`.
        Id,
        /// By permalink, e.g. `uk-lon-01`.
        Permalink,
    }
}

lookup! {
    /// A data center by id, permalink or name.
    IdPermalinkOrName {
        /// By id.
        Id,
        /// By permalink.
        Permalink,
        /// By name.
        Name,
    }
}

lookup! {
    /// An object by id or name.
    IdOrName {
        /// By id.
        Id,
        /// By name.
        Name,
    }
}

lookup! {
    /// An IP address or subnet by id or address.
    IdOrAddress {
        /// By id.
        Id,
        /// By address, e.g. `185.1.2.3` or `185.1.2.0/24`.
        Address,
    }
}

lookup! {
    /// A user by id or email address.
    IdOrEmailAddress {
        /// By id.
        Id,
        /// By email address.
        EmailAddress,
    }
}

lookup! {
    /// An object by id only.
    IdOnly {
        /// By id.
        Id,
    }
}

/// A VM spec: every element optional, in document order.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct VirtualMachineSpec {
    /// `<Zone>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub zone: Option<IdOrPermalink>,
    /// `<DataCenter>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub data_center: Option<IdPermalinkOrName>,
    /// `<Resources>`: a package, or memory and CPU cores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub resources: Option<SpecResources>,
    /// `<DiskTemplate>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub disk_template: Option<SpecDiskTemplate>,
    /// `<SystemDisks>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub system_disks: Option<Vec<SpecSystemDisk>>,
    /// `<SharedDisks>`: disks by id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub shared_disks: Option<Vec<IdOrName>>,
    /// `<NetworkInterfaces>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub network_interfaces: Option<Vec<SpecNetworkInterface>>,
    /// `<Hostname>`: a name, or `{ random: true }` for a generated one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        tsify(optional, type = "string | { random: true }")
    )]
    pub hostname: Option<SpecHostname>,
    /// `<Name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub name: Option<String>,
    /// `<Description>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub description: Option<String>,
    /// `<Group>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub group: Option<IdOrName>,
    /// `<AuthorizedKeys>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub authorized_keys: Option<SpecAuthorizedKeys>,
    /// `<BackupPolicies>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub backup_policies: Option<Vec<SpecBackupPolicy>>,
    /// `<Tags>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub tags: Option<Vec<String>>,
    /// `<ISO>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub iso: Option<IdOnly>,
}

/// `<Resources>`: `package`, or `memory` (GB) with `cpu_cores`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecResources {
    /// `<Package>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub package: Option<IdOrPermalink>,
    /// `<Memory>` in GB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub memory: Option<u32>,
    /// `<CPUCores>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub cpu_cores: Option<u32>,
}

/// `<DiskTemplate>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecDiskTemplate {
    /// The inner `<DiskTemplate>`: the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub disk_template: Option<IdOrPermalink>,
    /// `<Version by="number">`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub version: Option<u32>,
    /// Repeated `<Option key="…">value</Option>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub options: Vec<SpecOption>,
}

/// A disk template option: `<Option key="…">value</Option>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecOption {
    /// The `key` attribute.
    pub key: String,
    /// The text.
    pub value: String,
}

/// A `<Disk>` of `<SystemDisks>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecSystemDisk {
    /// `<Name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub name: Option<String>,
    /// `<Size>` in GB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub size: Option<u32>,
    /// `<Speed>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub speed: Option<String>,
    /// `<IOProfile>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub io_profile: Option<IdOrPermalink>,
    /// `<FileSystemType>`, e.g. `ext4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub file_system_type: Option<String>,
    /// `<BackupPolicies>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub backup_policies: Option<Vec<SpecBackupPolicy>>,
}

/// A `<NetworkInterface>`: `network` or `virtual_network`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecNetworkInterface {
    /// `<Network>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub network: Option<IdOrPermalink>,
    /// `<VirtualNetwork>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub virtual_network: Option<IdOnly>,
    /// `<SpeedProfile>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub speed_profile: Option<IdOrPermalink>,
    /// Repeated `<IPAddressAllocation>`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub ip_address_allocations: Vec<SpecIpAddressAllocation>,
}

/// An `<IPAddressAllocation>`: a new address of a version (from a subnet),
/// or an existing address.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SpecIpAddressAllocation {
    /// `type="new"`.
    New {
        /// `<Version>`: 4 or 6.
        #[cfg_attr(not(target_arch = "wasm32"), tsify(type = "4 | 6"))]
        version: u8,
        /// `<Subnet>`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
        subnet: Option<IdOrAddress>,
    },
    /// `type="existing"`.
    Existing {
        /// `<IPAddress>`.
        ip_address: IdOrAddress,
    },
}

/// `<Hostname>`: a name, or a random one.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum SpecHostname {
    /// `<Hostname>name</Hostname>`.
    Name(String),
    /// `<Hostname type="random"></Hostname>`; JSON `{ random: true }`.
    Random {
        /// Always `true`.
        random: bool,
    },
}

/// `<AuthorizedKeys>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecAuthorizedKeys {
    /// `<Users>`: `"all"` or users by id or email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        tsify(optional, type = "\"all\" | IdOrEmailAddress[]")
    )]
    pub users: Option<AllOr<IdOrEmailAddress>>,
    /// `<SSHKeys>`: `"all"` or public keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        not(target_arch = "wasm32"),
        tsify(optional, type = "\"all\" | string[]")
    )]
    pub ssh_keys: Option<AllOr<String>>,
}

/// `"all"` (`all="yes"`) or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllOr<T> {
    /// Every one the organization has.
    All,
    /// These.
    Only(Vec<T>),
}

impl<T: Serialize> Serialize for AllOr<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AllOr::All => s.serialize_str("all"),
            AllOr::Only(items) => items.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for AllOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr<T> {
            Word(String),
            List(Vec<T>),
        }
        match Repr::deserialize(d)? {
            Repr::Word(w) if w == "all" => Ok(AllOr::All),
            Repr::Word(_) => Err(serde::de::Error::custom("expected \"all\" or an array")),
            Repr::List(items) => Ok(AllOr::Only(items)),
        }
    }
}

/// A `<BackupPolicy>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecBackupPolicy {
    /// `<Retention>`: how many backups to keep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub retention: Option<u32>,
    /// `<Schedule>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub schedule: Option<SpecSchedule>,
}

/// A backup `<Schedule>`.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecSchedule {
    /// `<Interval>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub interval: Option<SpecInterval>,
    /// `<Frequency>`: every how many intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub frequency: Option<u32>,
    /// `<Time>`: the hour, 0–23.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(not(target_arch = "wasm32"), tsify(optional))]
    pub time: Option<u8>,
}

/// A backup interval.
#[cfg_attr(not(target_arch = "wasm32"), derive(Tsify))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SpecInterval {
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// Every year.
    Yearly,
}
