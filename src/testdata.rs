//! Response bodies shaped like the OpenAPI document's examples, for tests.

/// A full virtual machine (every field of `GetVirtualMachine200ResponseVirtualMachine`).
pub const VM: &str = r#"{
  "id": "vm_1", "name": "web-1", "hostname": "web-1", "fqdn": "web-1.acme.katapult.cloud",
  "description": null, "created_at": 1700000000, "initial_root_password": null,
  "state": "started",
  "zone": {"id": "zone_1", "name": "London", "permalink": "uk-lon-01",
    "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01",
      "country": {"id": "ctry_1", "name": "United Kingdom", "iso_code2": "GB", "iso_code3": "GBR", "time_zone": "Europe/London", "eu": false}}},
  "organization": {"id": "org_1", "name": "Acme", "sub_domain": "acme", "infrastructure_domain": "acme.katapult.cloud",
    "created_at": 1600000000, "activated_at": 1600000001, "suspended": false, "managed": false,
    "billing_name": null, "address1": null, "address2": null, "address3": null, "address4": null,
    "postcode": null, "vat_number": null, "phone_number": null,
    "currency": {"id": "cur_1", "name": "Pound Sterling", "iso_code": "GBP", "symbol": "£"},
    "country": null, "country_state": null},
  "group": {"id": "grp_1", "name": "web", "segregate": true, "auto_segregate": false, "created_at": 1},
  "package": {"id": "pkg_1", "name": "Rock 3", "permalink": "rock-3", "cpu_cores": 1, "ipv4_addresses": 1,
    "memory_in_gb": 3, "storage_in_gb": 20, "monthly_bandwidth_allowance_in_gb": null, "privacy": "public",
    "icon": {"url": "https://x/i.png", "file_name": "i.png", "file_type": "image/png", "file_size": 10, "digest": "d", "token": "t"},
    "use_dedicated_cpus": false, "group": {"id": "pkgg_1", "name": "Rock"}},
  "attached_iso": null, "memory_in_gb": 3, "cpu_cores": 1, "use_dedicated_cpus": false,
  "gpu_type": {"id": "gput_1", "name": "A100", "manufacturer": "NVIDIA", "memory_in_gb": 40, "memory_type": "HBM2", "permalink": "a100"},
  "gpus": [{"id": null, "status": "detached", "pending_action": "attach", "available": true,
    "type": {"id": "gput_1", "name": "A100", "manufacturer": "NVIDIA", "memory_in_gb": 40, "memory_type": "HBM2", "permalink": "a100",
      "data_centers": [{"id": "dc_1", "name": "London", "permalink": "uk-lon-01",
        "country": {"id": "ctry_1", "name": "United Kingdom", "iso_code2": "GB", "iso_code3": "GBR", "time_zone": null, "eu": false}}]}}],
  "tags": [{"id": "tag_1", "name": "production", "color": "red", "created_at": 1}],
  "tag_names": ["production"],
  "ip_addresses": [{"id": "ip_1", "address": "185.1.1.1", "reverse_dns": "web-1.acme.katapult.cloud", "vip": false,
    "label": null, "address_with_mask": "185.1.1.1/24",
    "network": {"id": "netw_1", "name": "Public", "permalink": "uk-lon-01-public",
      "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01",
        "country": {"id": "ctry_1", "name": "United Kingdom", "iso_code2": "GB", "iso_code3": "GBR", "time_zone": "Europe/London", "eu": false}}},
    "allocation_id": "vm_1", "allocation_type": "VirtualMachine"}],
  "hypervisor": {"id": "hv_1", "name": "hv-1", "ip_address": "10.0.0.1"}
}"#;

/// `GET /virtual_machines/virtual_machine` 200 body.
pub const GET_VM: &str = concat!(
    r#"{"virtual_machine": {"id":"vm_1","name":"web-1","hostname":"web-1","fqdn":"web-1.acme.katapult.cloud","#,
    r#""description":null,"created_at":1700000000,"initial_root_password":null,"state":"started","#,
    r#""zone":{"id":"zone_1","name":"London","permalink":null,"data_center":{"id":"dc_1","name":"London","permalink":"uk-lon-01","country":{"id":"ctry_1","name":"United Kingdom","iso_code2":"GB","iso_code3":"GBR","time_zone":"Europe/London","eu":false}}},"#,
    r#""organization":{"id":"org_1","name":"Acme","sub_domain":"acme","infrastructure_domain":"acme.katapult.cloud","created_at":1,"activated_at":null,"suspended":false,"managed":false,"currency":{"id":"cur_1","name":"Pound","iso_code":"GBP","symbol":"£"}},"#,
    r#""group":null,"package":null,"attached_iso":null,"memory_in_gb":null,"cpu_cores":null,"use_dedicated_cpus":null,"gpu_type":null,"#,
    r#""gpus":[{"id":"gpu_1","status":"attached","pending_action":null,"available":true,"type":{"id":"gput_1","name":"A100","manufacturer":"NVIDIA","memory_in_gb":40,"memory_type":"HBM2","permalink":"a100","data_centers":[null]}}],"#,
    r#""tags":[],"tag_names":[],"ip_addresses":[],"hypervisor":null},"#,
    r#""annotations":[{"key":"team","value":"web"}]}"#
);

/// `GET /organizations/organization/virtual_machines` 200 body, large set.
pub const LIST_VMS: &str = r#"{
  "pagination": {"current_page": 1, "total_pages": null, "total": null, "per_page": 30, "large_set": true},
  "virtual_machines": [
    {"id": "vm_1", "name": "web-1", "hostname": "web-1", "fqdn": "web-1.acme.katapult.cloud", "created_at": 1700000000,
     "zone": {"id": "zone_1", "name": "London", "permalink": "uk-lon-01",
       "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01",
         "country": {"id": "ctry_1", "name": "United Kingdom", "iso_code2": "GB", "iso_code3": "GBR", "time_zone": "Europe/London", "eu": false}}},
     "package": {"name": "rock-3"}, "gpu_type": {"id": "gput_1", "name": "A100", "permalink": "a100"},
     "ip_addresses": [{"address": "185.1.1.1"}], "hypervisor": {"id": "hv_1", "name": "hv-1"}},
    {"id": "vm_2", "name": "db-1", "hostname": "db-1", "fqdn": "db-1.acme.katapult.cloud", "created_at": 1700000001,
     "zone": {"id": "zone_1", "name": "London", "permalink": null,
       "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01",
         "country": {"id": "ctry_1", "name": "United Kingdom", "iso_code2": "GB", "iso_code3": "GBR", "time_zone": null, "eu": false}}},
     "package": null, "ip_addresses": []}
  ]
}"#;

/// A VM list page as the live API sends it (API.md, "Decoding"): items carry
/// only `id`, `name`, `hostname`, `fqdn`, `created_at`, `zone` (no
/// `country` in its data center), `package` (`name` only), `gpu_type` and
/// `ip_addresses` (`address` only); no `state`, no `hypervisor`.
pub const LIVE_LIST: &str = r#"{
  "pagination": {"current_page": 1, "total_pages": 1, "total": 2, "per_page": 30, "large_set": false},
  "virtual_machines": [
    {"id": "vm_1", "name": "web-1", "hostname": "web-1", "fqdn": "web-1.acme.katapult.cloud", "created_at": 1700000000,
     "zone": {"id": "zone_1", "name": "London", "permalink": "uk-lon-01",
       "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01"}},
     "package": {"name": "Rock 3"}, "gpu_type": null, "ip_addresses": [{"address": "185.1.1.1"}]},
    {"id": "vm_2", "name": "db-1", "hostname": "db-1", "fqdn": "db-1.acme.katapult.cloud", "created_at": 1700000001,
     "zone": {"id": "zone_1", "name": "London", "permalink": "uk-lon-01",
       "data_center": {"id": "dc_1", "name": "London", "permalink": "uk-lon-01"}},
     "package": {"name": "Rock 6"}, "gpu_type": null, "ip_addresses": []}
  ]
}"#;
