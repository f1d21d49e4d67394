//! The /core/v1 endpoints the mock implements, one module per group.

use std::sync::Arc;

use katapult_mock_core::paging;
use serde_json::Value;

use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;

pub mod backups;
pub mod builds;
pub mod catalog;
pub mod disks;
pub mod network;
pub mod organizations;
pub mod power;
pub mod tasks;
pub mod trash;
pub mod virtual_machines;
pub mod vm_settings;

/// A successful answer.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status (200, 201).
    pub status: u16,
    /// JSON body.
    pub body: Value,
}

impl Reply {
    /// 200 with `body`.
    pub fn ok(body: Value) -> Self {
        Self { status: 200, body }
    }
}

/// The page `page` / `per_page` of the arguments asks for, of `items`, and
/// its `pagination` object (the engine's pagination: one for every list).
pub fn paginate(
    app: &App,
    args: &Args,
    route: &Route,
    items: Vec<Value>,
) -> Result<(Value, Vec<Value>), ApiError> {
    let (page, per_page) = page_args(app, args, route)?;
    Ok(paging::paginate(
        items,
        page,
        per_page,
        app.config.large_sets,
    ))
}

/// The `page` (default 1) and `per_page` (default 30, at most the mock's
/// `--max-per-page`) arguments of a paginated list, checked as Apia does.
pub fn page_args(app: &App, args: &Args, route: &Route) -> Result<(i64, i64), ApiError> {
    paging::page_args(args, route.endpoint_id, app.config.max_per_page)
}

/// An endpoint implementation.
pub type Handler = fn(&Arc<App>, &Args, &'static Route) -> Result<Reply, ApiError>;

/// One endpoint.
#[derive(Debug)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path relative to /core/v1, with a leading slash.
    pub path: &'static str,
    /// Apia endpoint id (used in argument error details).
    pub endpoint_id: &'static str,
    /// Scopes, any of which grants access.
    pub scopes: &'static [&'static str],
    /// Implementation.
    pub handler: Handler,
}

const VM_SCOPES: &[&str] = &["virtual_machines", "virtual_machines:read"];
const POWER_SCOPES: &[&str] = &["virtual_machines", "virtual_machines:power_actions"];

/// Every implemented endpoint.
pub static ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/organizations",
        endpoint_id: "CoreAPI/Endpoints/Organizations/ListEndpoint",
        scopes: &["organizations:read"],
        handler: organizations::list,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/virtual_machines",
        endpoint_id: "CoreAPI/Endpoints/Organizations/VirtualMachinesEndpoint",
        scopes: VM_SCOPES,
        handler: organizations::virtual_machines,
    },
    Route {
        method: "POST",
        path: "/organizations/organization/virtual_machines/build_from_spec",
        endpoint_id: "CoreAPI/Endpoints/Organizations/BuildFromSpecEndpoint",
        scopes: &["virtual_machines"],
        handler: builds::build_from_spec,
    },
    Route {
        method: "GET",
        path: "/virtual_machines/virtual_machine",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/InfoEndpoint",
        scopes: VM_SCOPES,
        handler: virtual_machines::get,
    },
    Route {
        method: "DELETE",
        path: "/virtual_machines/virtual_machine",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/DeleteEndpoint",
        scopes: &["virtual_machines"],
        handler: virtual_machines::delete,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/shutdown",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/ShutdownEndpoint",
        scopes: POWER_SCOPES,
        handler: power::shutdown,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/stop",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/StopEndpoint",
        scopes: POWER_SCOPES,
        handler: power::stop,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/start",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/StartEndpoint",
        scopes: POWER_SCOPES,
        handler: power::start,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/reset",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/ResetEndpoint",
        scopes: POWER_SCOPES,
        handler: power::reset,
    },
    Route {
        method: "GET",
        path: "/tasks/task",
        endpoint_id: "CoreAPI/Endpoints/Tasks/InfoEndpoint",
        scopes: &["tasks", "tasks:read"],
        handler: tasks::get,
    },
    Route {
        method: "GET",
        path: "/virtual_machines/builds/virtual_machine_build",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/Builds/InfoEndpoint",
        scopes: VM_SCOPES,
        handler: builds::get,
    },
    Route {
        method: "GET",
        path: "/data_centers",
        endpoint_id: "CoreAPI/Endpoints/DataCenters/ListEndpoint",
        scopes: &[],
        handler: catalog::data_centers,
    },
    Route {
        method: "GET",
        path: "/zones",
        endpoint_id: "CoreAPI/Endpoints/Zones/ListEndpoint",
        scopes: &[],
        handler: catalog::zones,
    },
    Route {
        method: "GET",
        path: "/virtual_machine_packages",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachinePackages/ListEndpoint",
        scopes: &["virtual_machine_packages:read"],
        handler: catalog::packages,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/disk_templates",
        endpoint_id: "CoreAPI/Endpoints/Organizations/DiskTemplatesEndpoint",
        scopes: &["disk_templates", "disk_templates:read"],
        handler: catalog::disk_templates,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/ssh_keys",
        endpoint_id: "CoreAPI/Endpoints/Organizations/SSHKeysEndpoint",
        scopes: &[],
        handler: catalog::ssh_keys,
    },
    Route {
        method: "POST",
        path: "/organizations/organization/ssh_keys",
        endpoint_id: "CoreAPI/Endpoints/Organizations/SSHKeysCreateEndpoint",
        scopes: &["ssh_keys"],
        handler: catalog::add_ssh_key,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/available_networks",
        endpoint_id: "CoreAPI/Endpoints/Organizations/AvailableNetworksEndpoint",
        scopes: &[],
        handler: catalog::available_networks,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/console_sessions",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/ConsoleSessionsEndpoint",
        scopes: &["virtual_machines", "virtual_machines:console"],
        handler: vm_settings::console_session,
    },
    Route {
        method: "PUT",
        path: "/virtual_machines/virtual_machine/package",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/ChangePackageEndpoint",
        scopes: &["virtual_machines"],
        handler: vm_settings::change_package,
    },
    Route {
        method: "PUT",
        path: "/virtual_machines/virtual_machine/flexible_resources",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/FlexibleResourcesEndpoint",
        scopes: &["virtual_machines"],
        handler: vm_settings::flexible_resources,
    },
    Route {
        method: "PATCH",
        path: "/virtual_machines/virtual_machine",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/UpdateEndpoint",
        scopes: &["virtual_machines"],
        handler: vm_settings::update,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/virtual_machine_groups",
        endpoint_id: "CoreAPI/Endpoints/Organizations/VirtualMachineGroupsEndpoint",
        scopes: &["virtual_machine_groups", "virtual_machine_groups:read"],
        handler: vm_settings::groups,
    },
    Route {
        method: "GET",
        path: "/virtual_machines/virtual_machine/disks",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/DisksEndpoint",
        scopes: &["disks", "disks:read"],
        handler: disks::list,
    },
    Route {
        method: "GET",
        path: "/disks/disk",
        endpoint_id: "CoreAPI/Endpoints/Disks/InfoEndpoint",
        scopes: &["disks", "disks:read"],
        handler: disks::get,
    },
    Route {
        method: "PUT",
        path: "/disks/disk/resize",
        endpoint_id: "CoreAPI/Endpoints/Disks/ResizeEndpoint",
        scopes: &["disks"],
        handler: disks::resize,
    },
    Route {
        method: "PUT",
        path: "/disks/disk/io_profile",
        endpoint_id: "CoreAPI/Endpoints/Disks/IOProfileEndpoint",
        scopes: &["disks"],
        handler: disks::change_io_profile,
    },
    Route {
        method: "GET",
        path: "/organizations/organization/disk_io_profiles",
        endpoint_id: "CoreAPI/Endpoints/Organizations/DiskIOProfilesEndpoint",
        scopes: &[],
        handler: disks::io_profiles,
    },
    Route {
        method: "GET",
        path: "/virtual_machines/virtual_machine/network_interfaces",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/NetworkInterfacesEndpoint",
        scopes: &["virtual_machines", "virtual_machines:read"],
        handler: network::list,
    },
    Route {
        method: "GET",
        path: "/virtual_machine_network_interfaces/virtual_machine_network_interface",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachineNetworkInterfaces/InfoEndpoint",
        scopes: &["virtual_machines", "virtual_machines:read"],
        handler: network::get,
    },
    Route {
        method: "POST",
        path:
            "/virtual_machine_network_interfaces/virtual_machine_network_interface/allocate_new_ip",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachineNetworkInterfaces/AllocateNewIPEndpoint",
        scopes: &["ip_addresses"],
        handler: network::allocate_new_ip,
    },
    Route {
        method: "GET",
        path: "/ip_addresses/ip_address",
        endpoint_id: "CoreAPI/Endpoints/IPAddresses/InfoEndpoint",
        scopes: &["ip_addresses", "ip_addresses:read"],
        handler: network::get_ip,
    },
    Route {
        method: "PATCH",
        path: "/ip_addresses/ip_address",
        endpoint_id: "CoreAPI/Endpoints/IPAddresses/UpdateEndpoint",
        scopes: &["ip_addresses"],
        handler: network::update_ip,
    },
    Route {
        method: "POST",
        path: "/ip_addresses/ip_address/unallocate",
        endpoint_id: "CoreAPI/Endpoints/IPAddresses/UnallocateEndpoint",
        scopes: &["ip_addresses"],
        handler: network::unallocate,
    },
    Route {
        method: "GET",
        path: "/virtual_machines/virtual_machine/disk_backup_policies",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/DiskBackupPoliciesEndpoint",
        scopes: &["disk_backup_policies", "disk_backup_policies:read"],
        handler: backups::list,
    },
    Route {
        method: "POST",
        path: "/virtual_machines/virtual_machine/disk_backup_policies",
        endpoint_id: "CoreAPI/Endpoints/VirtualMachines/DiskBackupPoliciesCreateEndpoint",
        scopes: &["disk_backup_policies"],
        handler: backups::create,
    },
    Route {
        method: "PATCH",
        path: "/disk_backup_policies/disk_backup_policy",
        endpoint_id: "CoreAPI/Endpoints/DiskBackupPolicies/UpdateEndpoint",
        scopes: &["disk_backup_policies"],
        handler: backups::update,
    },
    Route {
        method: "DELETE",
        path: "/disk_backup_policies/disk_backup_policy",
        endpoint_id: "CoreAPI/Endpoints/DiskBackupPolicies/DeleteEndpoint",
        scopes: &["disk_backup_policies"],
        handler: backups::delete,
    },
    Route {
        method: "POST",
        path: "/trash_objects/trash_object/restore",
        endpoint_id: "CoreAPI/Endpoints/TrashObjects/RestoreEndpoint",
        scopes: &["trash_objects:restore"],
        handler: trash::restore,
    },
];

/// The route for `method` and `path` (relative, leading slash).
pub fn find(method: &str, path: &str) -> Option<&'static Route> {
    ROUTES.iter().find(|r| r.method == method && r.path == path)
}

/// Is there any route at `path`?
pub fn path_exists(path: &str) -> bool {
    ROUTES.iter().any(|r| r.path == path)
}
