//! The spec document as data: which elements exist, in which order, what
//! each holds and the JSON key it maps to. [`super::build`] and
//! [`super::parse`] both walk these tables, so the writer and the reader
//! cannot disagree, and [`crate::spec::VirtualMachineSpec`] is tested
//! against them.

/// What an element holds, and how it maps to JSON.
#[derive(Debug)]
pub enum Node {
    /// Text, as a JSON string.
    Text,
    /// A whole number in `min..=max`, as a JSON number.
    Int(u64, u64),
    /// A whole number from the list.
    IntOf(&'static [u64]),
    /// A whole number carried with a fixed attribute, e.g. `by="number"`.
    IntWith(&'static str, &'static str),
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A lookup: JSON `{ <key>: text }` with one of these keys; `id` has
    /// no `by` attribute, every other key is its `by` value.
    Lookup(&'static [&'static str]),
    /// Child elements, as a JSON object.
    Struct(&'static Struct),
    /// A container of repeated `<item>` children, as a JSON array.
    List(&'static str, &'static Node),
    /// `all="yes"` (JSON `"all"`) or a [`Node::List`].
    AllOr(&'static str, &'static Node),
    /// `<Hostname>name</Hostname>` (a string) or
    /// `<Hostname type="random"></Hostname>` (`{ random: true }`), inside
    /// the outer `<Hostname>`.
    Hostname,
    /// `<IPAddressAllocation type="new|existing">`, as `{ type, … }`.
    Allocation,
    /// `<Option key="k">v</Option>`, as `{ key, value }`.
    KeyValue,
}

impl Node {
    /// For a number element: `n` (the whole number given, `None` for any
    /// other text or value) if the element takes it, else what it must be.
    /// The builder and the parser both ask here.
    pub fn number(&self, n: Option<u64>) -> Result<u64, String> {
        let (min, max) = match self {
            Node::IntOf(only) => {
                return n.filter(|n| only.contains(n)).ok_or_else(|| {
                    let list: Vec<String> = only.iter().map(u64::to_string).collect();
                    format!("must be {}", list.join(" or "))
                })
            }
            Node::Int(min, max) => (*min, *max),
            _ => (0, u32::MAX.into()),
        };
        n.filter(|n| (min..=max).contains(n))
            .ok_or_else(|| format!("must be a whole number from {min} to {max}"))
    }
}

/// `path.key`, the path of a key inside `path`.
pub fn join(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// An element with child elements.
#[derive(Debug)]
pub struct Struct {
    /// The children, in document order.
    pub fields: &'static [Field],
    /// Pairs of keys that may not both be given.
    pub exclusive: &'static [(&'static str, &'static str)],
}

/// A child element of a [`Struct`].
#[derive(Debug)]
pub struct Field {
    /// The JSON key.
    pub key: &'static str,
    /// The element name.
    pub element: &'static str,
    /// What it holds.
    pub node: Node,
    /// Repeated directly in the parent (a JSON array; none = absent).
    pub repeated: bool,
    /// Must be present.
    pub required: bool,
}

const fn f(key: &'static str, element: &'static str, node: Node) -> Field {
    Field {
        key,
        element,
        node,
        repeated: false,
        required: false,
    }
}

const fn many(key: &'static str, element: &'static str, node: Node) -> Field {
    Field {
        repeated: true,
        ..f(key, element, node)
    }
}

const fn must(key: &'static str, element: &'static str, node: Node) -> Field {
    Field {
        required: true,
        ..f(key, element, node)
    }
}

const ID_PERMALINK: &[&str] = &["id", "permalink"];
const ID_PERMALINK_NAME: &[&str] = &["id", "permalink", "name"];
const ID_NAME: &[&str] = &["id", "name"];
const ID_ADDRESS: &[&str] = &["id", "address"];
const ID_EMAIL: &[&str] = &["id", "email_address"];
const ID: &[&str] = &["id"];

const COUNT: Node = Node::Int(1, u32::MAX as u64);

/// The root element's name.
pub const ROOT: &str = "VirtualMachineSpec";

/// `<VirtualMachineSpec>`.
pub static SPEC: Struct = Struct {
    fields: &[
        f("zone", "Zone", Node::Lookup(ID_PERMALINK)),
        f("data_center", "DataCenter", Node::Lookup(ID_PERMALINK_NAME)),
        f("resources", "Resources", Node::Struct(&RESOURCES)),
        f(
            "disk_template",
            "DiskTemplate",
            Node::Struct(&DISK_TEMPLATE),
        ),
        f(
            "system_disks",
            "SystemDisks",
            Node::List("Disk", &Node::Struct(&DISK)),
        ),
        f(
            "shared_disks",
            "SharedDisks",
            Node::List("Disk", &Node::Lookup(ID_NAME)),
        ),
        f(
            "network_interfaces",
            "NetworkInterfaces",
            Node::List("NetworkInterface", &Node::Struct(&INTERFACE)),
        ),
        f("hostname", "Hostname", Node::Hostname),
        f("name", "Name", Node::Text),
        f("description", "Description", Node::Text),
        f("group", "Group", Node::Lookup(ID_NAME)),
        f("authorized_keys", "AuthorizedKeys", Node::Struct(&KEYS)),
        f("backup_policies", "BackupPolicies", POLICIES),
        f("tags", "Tags", Node::List("Tag", &Node::Text)),
        f("iso", "ISO", Node::Lookup(ID)),
    ],
    exclusive: &[],
};

static RESOURCES: Struct = Struct {
    fields: &[
        f("package", "Package", Node::Lookup(ID_PERMALINK)),
        f("memory", "Memory", COUNT),
        f("cpu_cores", "CPUCores", COUNT),
    ],
    exclusive: &[("package", "memory"), ("package", "cpu_cores")],
};

static DISK_TEMPLATE: Struct = Struct {
    fields: &[
        f("disk_template", "DiskTemplate", Node::Lookup(ID_PERMALINK)),
        f("version", "Version", Node::IntWith("by", "number")),
        many("options", "Option", Node::KeyValue),
    ],
    exclusive: &[],
};

const POLICIES: Node = Node::List("BackupPolicy", &Node::Struct(&POLICY));

static DISK: Struct = Struct {
    fields: &[
        f("name", "Name", Node::Text),
        f("size", "Size", COUNT),
        f("speed", "Speed", Node::Text),
        f("io_profile", "IOProfile", Node::Lookup(ID_PERMALINK)),
        f("file_system_type", "FileSystemType", Node::Text),
        f("backup_policies", "BackupPolicies", POLICIES),
    ],
    exclusive: &[],
};

static INTERFACE: Struct = Struct {
    fields: &[
        f("network", "Network", Node::Lookup(ID_PERMALINK)),
        f("virtual_network", "VirtualNetwork", Node::Lookup(ID)),
        f("speed_profile", "SpeedProfile", Node::Lookup(ID_PERMALINK)),
        many(
            "ip_address_allocations",
            "IPAddressAllocation",
            Node::Allocation,
        ),
    ],
    exclusive: &[("network", "virtual_network")],
};

/// `<IPAddressAllocation type="new">`.
pub static NEW_IP: Struct = Struct {
    fields: &[
        must("version", "Version", Node::IntOf(&[4, 6])),
        f("subnet", "Subnet", Node::Lookup(ID_ADDRESS)),
    ],
    exclusive: &[],
};

/// `<IPAddressAllocation type="existing">`.
pub static EXISTING_IP: Struct = Struct {
    fields: &[must("ip_address", "IPAddress", Node::Lookup(ID_ADDRESS))],
    exclusive: &[],
};

static KEYS: Struct = Struct {
    fields: &[
        f(
            "users",
            "Users",
            Node::AllOr("User", &Node::Lookup(ID_EMAIL)),
        ),
        f("ssh_keys", "SSHKeys", Node::AllOr("SSHKey", &Node::Text)),
    ],
    exclusive: &[],
};

static POLICY: Struct = Struct {
    fields: &[
        f("retention", "Retention", COUNT),
        f("schedule", "Schedule", Node::Struct(&SCHEDULE)),
    ],
    exclusive: &[],
};

static SCHEDULE: Struct = Struct {
    fields: &[
        f(
            "interval",
            "Interval",
            Node::Enum(&["daily", "weekly", "monthly", "yearly"]),
        ),
        f("frequency", "Frequency", COUNT),
        f("time", "Time", Node::Int(0, 23)),
    ],
    exclusive: &[],
};

/// `"a", "b" or "c"` for messages.
pub fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("\"{one}\""),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|s| format!("\"{s}\"")).collect();
            format!("{} or \"{last}\"", init.join(", "))
        }
    }
}
