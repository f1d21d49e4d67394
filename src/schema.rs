//! The documented shape of every response, as static data.
//!
//! The WebAssembly build does not deserialize responses into Rust structs:
//! it checks the bytes against these shapes (see [`crate::validate`]) and
//! hands JavaScript the result of its own `JSON.parse`, which is faster and
//! far smaller than building every object through the wasm boundary. The
//! shapes mirror the structs in [`crate::models`] field for field; a test
//! compares them with the TypeScript the structs generate, and the property
//! tests check that both accept exactly the same bodies.

use crate::models::*;

/// The kind of a JSON value in a response.
#[derive(Debug, PartialEq)]
pub enum Kind {
    /// A string.
    Str,
    /// A whole number that fits in `i64`.
    Int,
    /// `true` or `false`.
    Bool,
    /// A string enum: any string is accepted (unknown values are kept).
    Enum,
    /// An object with these fields; other fields are ignored.
    Obj(&'static [Field]),
    /// An array of this kind.
    Arr(&'static Kind),
    /// This kind or `null`; a missing field of this kind reads as `null`.
    Null(&'static Kind),
}

/// A field of an object.
#[derive(Debug, PartialEq)]
pub struct Field {
    /// The field's name on the wire.
    pub name: &'static str,
    /// Its kind.
    pub kind: &'static Kind,
}

/// A response type's documented shape.
pub trait Shape {
    /// The shape of the whole body.
    const SHAPE: &'static Kind;
}

const fn f(name: &'static str, kind: &'static Kind) -> Field {
    Field { name, kind }
}

const S: &Kind = &Kind::Str;
const I: &Kind = &Kind::Int;
const B: &Kind = &Kind::Bool;
const E: &Kind = &Kind::Enum;
const NS: &Kind = &Kind::Null(S);
const NI: &Kind = &Kind::Null(I);
const NB: &Kind = &Kind::Null(B);
const NE: &Kind = &Kind::Null(E);

static COUNTRY: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("iso_code2", S),
    f("iso_code3", S),
    f("time_zone", NS),
    f("eu", B),
]);
static DATA_CENTER: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("permalink", S),
    f("country", &COUNTRY),
]);
static ZONE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("permalink", NS),
    f("data_center", &DATA_CENTER),
]);
static ATTACHMENT: Kind = Kind::Obj(&[
    f("url", S),
    f("file_name", S),
    f("file_type", S),
    f("file_size", I),
    f("digest", S),
    f("token", S),
]);
static KEY_VALUE: Kind = Kind::Obj(&[f("key", S), f("value", NS)]);
static PAGINATION: Kind = Kind::Obj(&[
    f("current_page", I),
    f("total_pages", NI),
    f("total", NI),
    f("per_page", I),
    f("large_set", B),
]);
static ORGANIZATION_SUMMARY: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("sub_domain", S),
    f("infrastructure_domain", S),
    f("created_at", I),
    f("activated_at", NI),
    f("suspended", B),
    f("managed", B),
]);
static CURRENCY: Kind = Kind::Obj(&[f("id", S), f("name", S), f("iso_code", S), f("symbol", S)]);
static COUNTRY_STATE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("code", S),
    f("country", &COUNTRY),
]);
static ORGANIZATION: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("sub_domain", S),
    f("infrastructure_domain", S),
    f("created_at", I),
    f("activated_at", NI),
    f("suspended", B),
    f("managed", B),
    f("billing_name", NS),
    f("address1", NS),
    f("address2", NS),
    f("address3", NS),
    f("address4", NS),
    f("postcode", NS),
    f("vat_number", NS),
    f("phone_number", NS),
    f("currency", &CURRENCY),
    f("country", &Kind::Null(&COUNTRY)),
    f("country_state", &Kind::Null(&COUNTRY_STATE)),
]);
static TASK_REF: Kind = Kind::Obj(&[f("id", S), f("name", S), f("status", E)]);
static TASK: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("status", E),
    f("created_at", I),
    f("started_at", NI),
    f("finished_at", NI),
    f("progress", I),
]);
static TRASH_OBJECT: Kind = Kind::Obj(&[
    f("id", S),
    f("keep_until", I),
    f("object_id", S),
    f("object_type", S),
]);
static VM_GROUP: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("segregate", B),
    f("auto_segregate", B),
    f("created_at", I),
]);
static PACKAGE_GROUP: Kind = Kind::Obj(&[f("id", S), f("name", S)]);
static PACKAGE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("permalink", S),
    f("cpu_cores", I),
    f("ipv4_addresses", I),
    f("memory_in_gb", I),
    f("storage_in_gb", I),
    f("monthly_bandwidth_allowance_in_gb", NI),
    f("privacy", E),
    f("icon", &Kind::Null(&ATTACHMENT)),
    f("use_dedicated_cpus", B),
    f("group", &PACKAGE_GROUP),
]);
static OPERATING_SYSTEM: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("badge", &Kind::Null(&ATTACHMENT)),
]);
static ISO: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("operating_system", &Kind::Null(&OPERATING_SYSTEM)),
]);
static VM_GPU_TYPE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("manufacturer", S),
    f("memory_in_gb", I),
    f("memory_type", S),
    f("permalink", S),
]);
static GPU_TYPE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("manufacturer", S),
    f("memory_in_gb", I),
    f("memory_type", S),
    f("permalink", S),
    f("data_centers", &Kind::Arr(&Kind::Null(&DATA_CENTER))),
]);
static VM_GPU: Kind = Kind::Obj(&[
    f("id", NS),
    f("status", E),
    f("pending_action", NE),
    f("available", B),
    f("type", &GPU_TYPE),
]);
static TAG: Kind = Kind::Obj(&[f("id", S), f("name", S), f("color", E), f("created_at", I)]);
static NETWORK: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("permalink", NS),
    f("default", NB),
    f("data_center", &DATA_CENTER),
]);
static IP_ADDRESS: Kind = Kind::Obj(&[
    f("id", S),
    f("address", S),
    f("reverse_dns", S),
    f("vip", B),
    f("label", NS),
    f("address_with_mask", S),
    f("network", &NETWORK),
    f("allocation_id", NS),
    f("allocation_type", NS),
]);
static HYPERVISOR: Kind = Kind::Obj(&[f("id", S), f("name", S), f("ip_address", S)]);
static VIRTUAL_MACHINE: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("hostname", S),
    f("fqdn", S),
    f("description", NS),
    f("created_at", I),
    f("initial_root_password", NS),
    f("state", E),
    f("zone", &ZONE),
    f("organization", &ORGANIZATION),
    f("group", &Kind::Null(&VM_GROUP)),
    f("package", &Kind::Null(&PACKAGE)),
    f("attached_iso", &Kind::Null(&ISO)),
    f("memory_in_gb", NI),
    f("cpu_cores", NI),
    f("use_dedicated_cpus", NB),
    f("gpu_type", &Kind::Null(&VM_GPU_TYPE)),
    f("gpus", &Kind::Arr(&VM_GPU)),
    f("tags", &Kind::Arr(&TAG)),
    f("tag_names", &Kind::Arr(S)),
    f("ip_addresses", &Kind::Arr(&IP_ADDRESS)),
    f("hypervisor", &Kind::Null(&HYPERVISOR)),
]);
static SUMMARY_PACKAGE: Kind = Kind::Obj(&[f("name", S)]);
static SUMMARY_GPU_TYPE: Kind = Kind::Obj(&[f("id", S), f("name", S), f("permalink", S)]);
static SUMMARY_IP: Kind = Kind::Obj(&[f("address", S)]);
static SUMMARY_HYPERVISOR: Kind = Kind::Obj(&[f("id", S), f("name", S)]);
static VM_SUMMARY: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("hostname", S),
    f("fqdn", S),
    f("created_at", I),
    f("zone", &ZONE),
    f("package", &Kind::Null(&SUMMARY_PACKAGE)),
    f("gpu_type", &Kind::Null(&SUMMARY_GPU_TYPE)),
    f("ip_addresses", &Kind::Arr(&SUMMARY_IP)),
    f("hypervisor", &Kind::Null(&SUMMARY_HYPERVISOR)),
]);
static BUILD_REF: Kind = Kind::Obj(&[f("id", S), f("state", E)]);
static BUILD_VM: Kind = Kind::Obj(&[
    f("id", S),
    f("name", S),
    f("hostname", S),
    f("fqdn", S),
    f("state", E),
]);
static BUILD: Kind = Kind::Obj(&[
    f("id", S),
    f("spec_xml", S),
    f("state", E),
    f("virtual_machine", &Kind::Null(&BUILD_VM)),
    f("created_at", I),
]);

static ANNOTATIONS: Kind = Kind::Arr(&KEY_VALUE);

static LIST_ORGANIZATIONS: Kind =
    Kind::Obj(&[f("organizations", &Kind::Arr(&ORGANIZATION_SUMMARY))]);
static LIST_VIRTUAL_MACHINES: Kind = Kind::Obj(&[
    f("pagination", &PAGINATION),
    f("virtual_machines", &Kind::Arr(&VM_SUMMARY)),
]);
static GET_VIRTUAL_MACHINE: Kind = Kind::Obj(&[
    f("virtual_machine", &VIRTUAL_MACHINE),
    f("annotations", &ANNOTATIONS),
]);
static DELETE_VIRTUAL_MACHINE: Kind = Kind::Obj(&[
    f("trash_object", &TRASH_OBJECT),
    f("virtual_machine", &VIRTUAL_MACHINE),
]);
static TASK_RESPONSE: Kind = Kind::Obj(&[f("task", &TASK_REF)]);
static GET_TASK: Kind = Kind::Obj(&[f("task", &TASK)]);
static BUILD_VIRTUAL_MACHINE: Kind = Kind::Obj(&[
    f("task", &TASK_REF),
    f("build", &BUILD_REF),
    f("virtual_machine_build", &BUILD_REF),
    f("hostname", S),
    f("annotations", &ANNOTATIONS),
]);
static GET_VIRTUAL_MACHINE_BUILD: Kind = Kind::Obj(&[
    f("virtual_machine_build", &BUILD),
    f("annotations", &ANNOTATIONS),
]);
static RESTORE_TRASH_OBJECT: Kind = Kind::Obj(&[f("trash_object", &TRASH_OBJECT)]);

macro_rules! shapes {
    ($($ty:ty => $kind:ident,)+) => {
        $(impl Shape for $ty {
            const SHAPE: &'static Kind = &$kind;
        })+
    };
}

shapes! {
    ListOrganizationsResponse => LIST_ORGANIZATIONS,
    ListVirtualMachinesResponse => LIST_VIRTUAL_MACHINES,
    GetVirtualMachineResponse => GET_VIRTUAL_MACHINE,
    DeleteVirtualMachineResponse => DELETE_VIRTUAL_MACHINE,
    TaskResponse => TASK_RESPONSE,
    GetTaskResponse => GET_TASK,
    BuildVirtualMachineResponse => BUILD_VIRTUAL_MACHINE,
    GetVirtualMachineBuildResponse => GET_VIRTUAL_MACHINE_BUILD,
    RestoreTrashObjectResponse => RESTORE_TRASH_OBJECT,
}

#[cfg(test)]
mod tests {
    use super::*;
    use tsify::Tsify;

    /// `(name, TypeScript type)` of each field in a tsify declaration.
    fn ts_fields(decl: &str) -> Vec<(String, String)> {
        decl.lines()
            .filter_map(|l| l.trim().strip_suffix(';'))
            .filter_map(|l| l.split_once(": "))
            .map(|(n, t)| (n.to_owned(), t.to_owned()))
            .collect()
    }

    /// Whether a TypeScript field type describes `kind`.
    fn matches(kind: &Kind, ts: &str) -> bool {
        match kind {
            Kind::Null(inner) => ts
                .strip_suffix(" | null")
                .is_some_and(|t| matches(inner, t)),
            Kind::Arr(item) => ts.strip_suffix("[]").is_some_and(|t| {
                let t = t
                    .strip_prefix('(')
                    .and_then(|t| t.strip_suffix(')'))
                    .unwrap_or(t);
                matches(item, t)
            }),
            Kind::Str => ts == "string",
            Kind::Int => ts == "number",
            Kind::Bool => ts == "boolean",
            Kind::Enum => ts.chars().next().is_some_and(char::is_uppercase),
            Kind::Obj(_) => ts.chars().next().is_some_and(char::is_uppercase) && !ts.contains(' '),
        }
    }

    fn same(kind: &Kind, decl: &str) {
        let Kind::Obj(fields) = kind else {
            panic!("not an object: {decl}")
        };
        let ts = ts_fields(decl);
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        let ts_names: Vec<&str> = ts.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ts_names, "{decl}");
        for (field, (_, t)) in fields.iter().zip(&ts) {
            assert!(
                matches(field.kind, t),
                "{}: {:?} vs {t} in {decl}",
                field.name,
                field.kind
            );
        }
    }

    #[test]
    fn every_shape_matches_its_model() {
        let pairs: [(&Kind, &str); 41] = [
            (&COUNTRY, Country::DECL),
            (&DATA_CENTER, DataCenter::DECL),
            (&ZONE, Zone::DECL),
            (&ATTACHMENT, Attachment::DECL),
            (&KEY_VALUE, KeyValue::DECL),
            (&PAGINATION, Pagination::DECL),
            (&ORGANIZATION_SUMMARY, OrganizationSummary::DECL),
            (&CURRENCY, Currency::DECL),
            (&COUNTRY_STATE, CountryState::DECL),
            (&ORGANIZATION, Organization::DECL),
            (&TASK_REF, TaskRef::DECL),
            (&TASK, Task::DECL),
            (&TRASH_OBJECT, TrashObject::DECL),
            (&VM_GROUP, VirtualMachineGroup::DECL),
            (&PACKAGE_GROUP, VirtualMachinePackageGroup::DECL),
            (&PACKAGE, VirtualMachinePackage::DECL),
            (&OPERATING_SYSTEM, OperatingSystem::DECL),
            (&ISO, Iso::DECL),
            (&VM_GPU_TYPE, VirtualMachineGpuType::DECL),
            (&GPU_TYPE, GpuType::DECL),
            (&VM_GPU, VirtualMachineGpu::DECL),
            (&TAG, Tag::DECL),
            (&NETWORK, Network::DECL),
            (&IP_ADDRESS, IpAddress::DECL),
            (&HYPERVISOR, Hypervisor::DECL),
            (&VIRTUAL_MACHINE, VirtualMachine::DECL),
            (&SUMMARY_PACKAGE, VirtualMachineSummaryPackage::DECL),
            (&SUMMARY_GPU_TYPE, VirtualMachineSummaryGpuType::DECL),
            (&SUMMARY_IP, VirtualMachineSummaryIpAddress::DECL),
            (&SUMMARY_HYPERVISOR, VirtualMachineSummaryHypervisor::DECL),
            (&VM_SUMMARY, VirtualMachineSummary::DECL),
            (&BUILD_REF, VirtualMachineBuildRef::DECL),
            (&BUILD_VM, VirtualMachineBuildVirtualMachine::DECL),
            (&BUILD, VirtualMachineBuild::DECL),
            (
                ListOrganizationsResponse::SHAPE,
                ListOrganizationsResponse::DECL,
            ),
            (
                ListVirtualMachinesResponse::SHAPE,
                ListVirtualMachinesResponse::DECL,
            ),
            (
                GetVirtualMachineResponse::SHAPE,
                GetVirtualMachineResponse::DECL,
            ),
            (
                DeleteVirtualMachineResponse::SHAPE,
                DeleteVirtualMachineResponse::DECL,
            ),
            (TaskResponse::SHAPE, TaskResponse::DECL),
            (GetTaskResponse::SHAPE, GetTaskResponse::DECL),
            (
                BuildVirtualMachineResponse::SHAPE,
                BuildVirtualMachineResponse::DECL,
            ),
        ];
        for (kind, decl) in pairs {
            same(kind, decl);
        }
        same(
            GetVirtualMachineBuildResponse::SHAPE,
            GetVirtualMachineBuildResponse::DECL,
        );
        same(
            RestoreTrashObjectResponse::SHAPE,
            RestoreTrashObjectResponse::DECL,
        );
    }

    #[test]
    fn the_comparison_can_fail() {
        assert!(std::panic::catch_unwind(|| same(&TASK_REF, Task::DECL)).is_err());
        assert!(!matches(&Kind::Null(&Kind::Str), "string"));
        assert!(!matches(&Kind::Int, "string"));
    }
}
