// The spec model's TypeScript declarations, as tsify writes them from
// src/spec/model.rs (a native test keeps this file current).

/**
 * A VM spec: every element optional, in document order.
 */
export interface VirtualMachineSpec {
    /**
     * `<Zone>`.
     */
    zone?: IdOrPermalink;
    /**
     * `<DataCenter>`.
     */
    data_center?: IdPermalinkOrName;
    /**
     * `<Resources>`: a package, or memory and CPU cores.
     */
    resources?: SpecResources;
    /**
     * `<DiskTemplate>`.
     */
    disk_template?: SpecDiskTemplate;
    /**
     * `<SystemDisks>`.
     */
    system_disks?: SpecSystemDisk[];
    /**
     * `<SharedDisks>`: disks by id or name.
     */
    shared_disks?: IdOrName[];
    /**
     * `<NetworkInterfaces>`.
     */
    network_interfaces?: SpecNetworkInterface[];
    /**
     * `<Hostname>`: a name, or `{ random: true }` for a generated one.
     */
    hostname?: string | { random: true };
    /**
     * `<Name>`.
     */
    name?: string;
    /**
     * `<Description>`.
     */
    description?: string;
    /**
     * `<Group>`.
     */
    group?: IdOrName;
    /**
     * `<AuthorizedKeys>`.
     */
    authorized_keys?: SpecAuthorizedKeys;
    /**
     * `<BackupPolicies>`.
     */
    backup_policies?: SpecBackupPolicy[];
    /**
     * `<Tags>`.
     */
    tags?: string[];
    /**
     * `<ISO>`.
     */
    iso?: IdOnly;
}

/**
 * A `<BackupPolicy>`.
 */
export interface SpecBackupPolicy {
    /**
     * `<Retention>`: how many backups to keep.
     */
    retention?: number;
    /**
     * `<Schedule>`.
     */
    schedule?: SpecSchedule;
}

/**
 * A `<Disk>` of `<SystemDisks>`.
 */
export interface SpecSystemDisk {
    /**
     * `<Name>`.
     */
    name?: string;
    /**
     * `<Size>` in GB.
     */
    size?: number;
    /**
     * `<Speed>`.
     */
    speed?: string;
    /**
     * `<IOProfile>`.
     */
    io_profile?: IdOrPermalink;
    /**
     * `<FileSystemType>`, e.g. `ext4`.
     */
    file_system_type?: string;
    /**
     * `<BackupPolicies>`.
     */
    backup_policies?: SpecBackupPolicy[];
}

/**
 * A `<NetworkInterface>`: `network` or `virtual_network`.
 */
export interface SpecNetworkInterface {
    /**
     * `<Network>`.
     */
    network?: IdOrPermalink;
    /**
     * `<VirtualNetwork>`.
     */
    virtual_network?: IdOnly;
    /**
     * `<SpeedProfile>`.
     */
    speed_profile?: IdOrPermalink;
    /**
     * Repeated `<IPAddressAllocation>`.
     */
    ip_address_allocations?: SpecIpAddressAllocation[];
}

/**
 * A backup `<Schedule>`.
 */
export interface SpecSchedule {
    /**
     * `<Interval>`.
     */
    interval?: SpecInterval;
    /**
     * `<Frequency>`: every how many intervals.
     */
    frequency?: number;
    /**
     * `<Time>`: the hour, 0–23.
     */
    time?: number;
}

/**
 * A backup interval.
 */
export type SpecInterval = "daily" | "weekly" | "monthly" | "yearly";

/**
 * A data center by id, permalink or name.
 */
export type IdPermalinkOrName = { id: string } | { permalink: string } | { name: string };

/**
 * A disk template option: `<Option key="…">value</Option>`.
 */
export interface SpecOption {
    /**
     * The `key` attribute.
     */
    key: string;
    /**
     * The text.
     */
    value: string;
}

/**
 * A user by id or email address.
 */
export type IdOrEmailAddress = { id: string } | { email_address: string };

/**
 * An IP address or subnet by id or address.
 */
export type IdOrAddress = { id: string } | { address: string };

/**
 * An `<IPAddressAllocation>`: a new address of a version (from a subnet),
 * or an existing address.
 */
export type SpecIpAddressAllocation = { type: "new"; version: 4 | 6; subnet?: IdOrAddress } | { type: "existing"; ip_address: IdOrAddress };

/**
 * An object by id (`{ id }`) or permalink (`{ permalink }`).
 */
export type IdOrPermalink = { id: string } | { permalink: string };

/**
 * An object by id only.
 */
export type IdOnly = { id: string };

/**
 * An object by id or name.
 */
export type IdOrName = { id: string } | { name: string };

/**
 * `<AuthorizedKeys>`.
 */
export interface SpecAuthorizedKeys {
    /**
     * `<Users>`: `"all"` or users by id or email address.
     */
    users?: "all" | IdOrEmailAddress[];
    /**
     * `<SSHKeys>`: `"all"` or public keys.
     */
    ssh_keys?: "all" | string[];
}

/**
 * `<DiskTemplate>`.
 */
export interface SpecDiskTemplate {
    /**
     * The inner `<DiskTemplate>`: the template.
     */
    disk_template?: IdOrPermalink;
    /**
     * `<Version by="number">`.
     */
    version?: number;
    /**
     * Repeated `<Option key="…">value</Option>`.
     */
    options?: SpecOption[];
}

/**
 * `<Resources>`: `package`, or `memory` (GB) with `cpu_cores`.
 */
export interface SpecResources {
    /**
     * `<Package>`.
     */
    package?: IdOrPermalink;
    /**
     * `<Memory>` in GB.
     */
    memory?: number;
    /**
     * `<CPUCores>`.
     */
    cpu_cores?: number;
}

