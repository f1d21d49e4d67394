//! `GET /organizations/organization/virtual_machines` and
//! `GET`/`DELETE /virtual_machines/virtual_machine`.

use crate::args::ListOptions;
use crate::generated::schema as shapes;
use crate::lookup::{self, OrganizationLookup, VirtualMachineLookup};
use crate::request::{Call, HttpRequest, Method};
use serde_json::json;

/// The path of a single virtual machine.
pub const VIRTUAL_MACHINE: &str = "/virtual_machines/virtual_machine";

/// `GET /organizations/organization/virtual_machines`: one page of an
/// organization's VMs, optionally filtered by annotations.
pub fn list(org: &OrganizationLookup, options: &ListOptions) -> Call {
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
    Call::new(
        HttpRequest::get("/organizations/organization/virtual_machines", query),
        shapes::GET_ORGANIZATION_VIRTUAL_MACHINES,
    )
}

/// `GET /virtual_machines/virtual_machine`: one VM with its annotations.
pub fn get(vm: &VirtualMachineLookup) -> Call {
    Call::new(
        HttpRequest::get(
            VIRTUAL_MACHINE,
            vec![lookup::to_query("virtual_machine", vm.pair())],
        ),
        shapes::GET_VIRTUAL_MACHINE,
    )
}

/// `DELETE /virtual_machines/virtual_machine`: moves a VM to the trash.
pub fn delete(vm: &VirtualMachineLookup) -> Call {
    let body = json!({ "virtual_machine": lookup::to_json(vm.pair()) });
    Call::new(
        HttpRequest::with_body(Method::Delete, VIRTUAL_MACHINE, &body),
        shapes::DELETE_VIRTUAL_MACHINE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Annotation;
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
    fn list_decodes_the_spec_example_and_the_live_shape_as_sent() {
        let c = list(&OrganizationLookup::Id("o".into()), &ListOptions::default());
        for body in [testdata::LIST_VMS, testdata::LIVE_LIST] {
            let r = c.decode(200, body.as_bytes(), None).unwrap();
            assert_eq!(r, serde_json::from_str::<serde_json::Value>(body).unwrap());
        }
        let live = c.decode(200, testdata::LIVE_LIST.as_bytes(), None).unwrap();
        let vm = &live["virtual_machines"][0];
        assert_eq!(vm["zone"]["data_center"]["name"], "London");
        assert!(vm["zone"]["data_center"].get("country").is_none());
        assert!(vm.get("state").is_none() && vm.get("hypervisor").is_none());
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
        assert_eq!(r["virtual_machine"]["state"], "started");
        assert_eq!(r["annotations"][0]["key"], "team");
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
        assert_eq!(r["trash_object"]["id"], "trsh_1");
        assert_eq!(r["virtual_machine"]["id"], "vm_1");
    }

    #[test]
    fn only_required_keys_must_be_present_and_types_still_count() {
        let c = get(&VirtualMachineLookup::Id("vm_1".into()));
        // `virtual_machine` and `annotations` are required; nothing inside is.
        let sparse = br#"{"virtual_machine":{"id":"vm_1"},"annotations":[]}"#;
        assert!(c.decode(200, sparse, None).is_ok());
        for (body, message) in [
            (
                &br#"{"virtual_machine":{"id":"vm_1"}}"#[..],
                "missing field `annotations`",
            ),
            (br#"{"annotations":[]}"#, "missing field `virtual_machine`"),
            (
                br#"{"virtual_machine":{"id":5},"annotations":[]}"#,
                "at virtual_machine.id: expected a string, got a whole number",
            ),
            (
                br#"{"virtual_machine":{"id":null},"annotations":[]}"#,
                "at virtual_machine.id: expected a string, got null",
            ),
        ] {
            let e = c.decode(200, body, None).unwrap_err();
            assert_eq!(e.code, "invalid_response");
            assert!(e.message.contains(message), "{}", e.message);
        }
        // Nullable fields take null.
        let nulls = br#"{"virtual_machine":{"id":"vm_1","description":null,"package":null},"annotations":[]}"#;
        assert!(c.decode(200, nulls, None).is_ok());
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
        assert_eq!(r["virtual_machine"]["state"], "hibernating");
    }
}
