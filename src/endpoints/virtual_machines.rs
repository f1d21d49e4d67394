//! `GET /organizations/organization/virtual_machines` and
//! `GET`/`DELETE /virtual_machines/virtual_machine`.

use crate::args::ListOptions;
use crate::lookup::{self, OrganizationLookup, VirtualMachineLookup};
use crate::models::{
    DeleteVirtualMachineResponse, GetVirtualMachineResponse, ListVirtualMachinesResponse,
};
use crate::request::{Call, HttpRequest, Method};
use serde_json::json;

/// The path of a single virtual machine.
pub const VIRTUAL_MACHINE: &str = "/virtual_machines/virtual_machine";

/// `GET /organizations/organization/virtual_machines`: one page of an
/// organization's VMs, optionally filtered by annotations.
pub fn list(org: &OrganizationLookup, options: &ListOptions) -> Call<ListVirtualMachinesResponse> {
    let mut query = vec![lookup::to_query("organization", org.pair())];
    for a in &options.annotations {
        query.push(("annotations[][key]".into(), a.key.clone()));
        query.push(("annotations[][value]".into(), a.value.clone()));
    }
    if let Some(page) = options.page {
        query.push(("page".into(), page.to_string()));
    }
    if let Some(per_page) = options.per_page {
        query.push(("per_page".into(), per_page.to_string()));
    }
    Call::new(HttpRequest::get(
        "/organizations/organization/virtual_machines",
        query,
    ))
}

/// `GET /virtual_machines/virtual_machine`: one VM with its annotations.
pub fn get(vm: &VirtualMachineLookup) -> Call<GetVirtualMachineResponse> {
    Call::new(HttpRequest::get(
        VIRTUAL_MACHINE,
        vec![lookup::to_query("virtual_machine", vm.pair())],
    ))
}

/// `DELETE /virtual_machines/virtual_machine`: moves a VM to the trash.
pub fn delete(vm: &VirtualMachineLookup) -> Call<DeleteVirtualMachineResponse> {
    let body = json!({ "virtual_machine": lookup::to_json(vm.pair()) });
    Call::new(HttpRequest::with_body(
        Method::Delete,
        VIRTUAL_MACHINE,
        &body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Annotation;
    use crate::models::VirtualMachineState;
    use crate::testdata;

    const BASE: &str = "https://api.katapult.io/core/v1";

    #[test]
    fn list_query_follows_the_spec() {
        let org = OrganizationLookup::SubDomain("acme".into());
        assert_eq!(
            list(&org, &ListOptions::default()).request.url(BASE),
            "https://api.katapult.io/core/v1/organizations/organization/virtual_machines?organization[sub_domain]=acme"
        );
        let options = ListOptions {
            annotations: vec![
                Annotation {
                    key: "team".into(),
                    value: "web".into(),
                },
                Annotation {
                    key: "env".into(),
                    value: "prod".into(),
                },
            ],
            page: Some(2),
            per_page: Some(50),
        };
        let c = list(&OrganizationLookup::Id("org_1".into()), &options);
        assert_eq!(c.request.method, Method::Get);
        assert_eq!(c.request.body, None);
        assert_eq!(
            c.request.url(BASE),
            "https://api.katapult.io/core/v1/organizations/organization/virtual_machines?organization[id]=org_1\
             &annotations[][key]=team&annotations[][value]=web\
             &annotations[][key]=env&annotations[][value]=prod&page=2&per_page=50"
        );
    }

    #[test]
    fn list_decodes_the_spec_example_and_nulls() {
        let r = list(&OrganizationLookup::Id("o".into()), &ListOptions::default())
            .decode(200, testdata::LIST_VMS.as_bytes(), None)
            .unwrap();
        assert_eq!(r.pagination.total_pages, None);
        assert!(r.pagination.large_set);
        assert_eq!(r.virtual_machines.len(), 2);
        assert_eq!(
            r.virtual_machines[0].package.as_ref().unwrap().name,
            "rock-3"
        );
        assert_eq!(r.virtual_machines[0].ip_addresses[0].address, "185.1.1.1");
        assert_eq!(r.virtual_machines[1].package, None);
        assert_eq!(r.virtual_machines[1].hypervisor, None);
        assert!(r.virtual_machines[1].ip_addresses.is_empty());
    }

    #[test]
    fn get_by_id_and_fqdn() {
        let c = get(&VirtualMachineLookup::Fqdn(
            "web-1.acme.katapult.cloud".into(),
        ));
        assert_eq!(
            c.request.url(BASE),
            "https://api.katapult.io/core/v1/virtual_machines/virtual_machine?virtual_machine[fqdn]=web-1.acme.katapult.cloud"
        );
        let r = c.decode(200, testdata::GET_VM.as_bytes(), None).unwrap();
        assert_eq!(r.virtual_machine.state, VirtualMachineState::Started);
        assert_eq!(r.virtual_machine.zone.data_center.country.iso_code2, "GB");
        assert_eq!(r.virtual_machine.gpus[0].gpu_type.data_centers.len(), 1);
        assert_eq!(r.annotations[0].key, "team");
    }

    #[test]
    fn delete_sends_the_lookup_as_a_json_body() {
        let c = delete(&VirtualMachineLookup::Id("vm_1".into()));
        assert_eq!(c.request.method, Method::Delete);
        assert_eq!(
            c.request.url(BASE),
            "https://api.katapult.io/core/v1/virtual_machines/virtual_machine"
        );
        assert_eq!(
            c.request.body.as_deref(),
            Some(r#"{"virtual_machine":{"id":"vm_1"}}"#)
        );
        let body = format!(
            r#"{{"trash_object":{{"id":"trsh_1","keep_until":1700000000,"object_id":"vm_1","object_type":"VirtualMachine"}},"virtual_machine":{}}}"#,
            testdata::VM
        );
        let r = c.decode(200, body.as_bytes(), None).unwrap();
        assert_eq!(r.trash_object.id, "trsh_1");
        assert_eq!(r.virtual_machine.id, "vm_1");
    }

    #[test]
    fn missing_nullable_fields_are_null_and_missing_required_ones_are_invalid() {
        let c = get(&VirtualMachineLookup::Id("vm_1".into()));
        let without_nullable = testdata::GET_VM.replace(r#""hypervisor":null"#, r#""x":null"#);
        assert_eq!(
            c.decode(200, without_nullable.as_bytes(), None)
                .unwrap()
                .virtual_machine
                .hypervisor,
            None
        );
        let without_required = testdata::GET_VM.replace(r#""hostname":"web-1","#, "");
        let e = c
            .decode(200, without_required.as_bytes(), None)
            .unwrap_err();
        assert_eq!(e.code, "invalid_response");
        assert!(
            e.message.contains("missing field `hostname`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn unknown_state_and_extra_fields_are_tolerated() {
        let body = testdata::GET_VM.replace(
            "\"state\":\"started\"",
            "\"state\":\"hibernating\",\"brand_new\":{\"x\":1}",
        );
        let r = get(&VirtualMachineLookup::Id("vm_1".into()))
            .decode(200, body.as_bytes(), None)
            .unwrap();
        assert_eq!(
            r.virtual_machine.state,
            VirtualMachineState::Other("hibernating".into())
        );
    }
}
