//! `POST /organizations/organization/virtual_machines/build_from_spec` and
//! `GET /virtual_machines/builds/virtual_machine_build`.

use crate::args::BuildOptions;
use crate::generated::schema as shapes;
use crate::lookup::{self, OrganizationLookup};
use crate::request::{Call, HttpRequest, Method};
use serde_json::{json, Map, Value};

/// `POST …/build_from_spec` with the organization, the spec XML and
/// optional annotations for the new VM.
pub fn build_from_spec(org: &OrganizationLookup, xml: &str, options: &BuildOptions) -> Call {
    let mut body = Map::new();
    body.insert("organization".into(), lookup::to_json(org.pair()));
    body.insert("xml".into(), Value::String(xml.to_owned()));
    if !options.annotations.is_empty() {
        let list = options
            .annotations
            .iter()
            .map(|a| json!({ "key": a.key, "value": a.value }))
            .collect();
        body.insert("annotations".into(), Value::Array(list));
    }
    Call::new(
        HttpRequest::with_body(
            Method::Post,
            "/organizations/organization/virtual_machines/build_from_spec",
            &Value::Object(body),
        ),
        shapes::POST_ORGANIZATION_VIRTUAL_MACHINES_BUILD_FROM_SPEC,
    )
}

/// `GET /virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=…`.
pub fn get(id: &str) -> Call {
    Call::new(
        HttpRequest::get(
            "/virtual_machines/builds/virtual_machine_build",
            vec![("virtual_machine_build[id]".into(), id.to_owned())],
        ),
        shapes::GET_VIRTUAL_MACHINES_BUILDS_VIRTUAL_MACHINE_BUILD,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Annotation;

    #[test]
    fn build_body_matches_the_spec() {
        let options = BuildOptions {
            annotations: vec![Annotation {
                key: "team".into(),
                value: "web".into(),
            }],
        };
        let c = build_from_spec(
            &OrganizationLookup::SubDomain("acme".into()),
            "<VirtualMachineSpec/>",
            &options,
        );
        assert_eq!(c.request.method, Method::Post);
        assert_eq!(
            c.request.path,
            "/organizations/organization/virtual_machines/build_from_spec"
        );
        let body: Value = serde_json::from_str(c.request.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"organization":{"sub_domain":"acme"},"xml":"<VirtualMachineSpec/>",
                   "annotations":[{"key":"team","value":"web"}]})
        );
        let plain = build_from_spec(
            &OrganizationLookup::Id("org_1".into()),
            "<x/>",
            &BuildOptions::default(),
        );
        let body: Value = serde_json::from_str(plain.request.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({"organization":{"id":"org_1"},"xml":"<x/>"}));
    }

    #[test]
    fn build_decodes_201_and_maps_spec_errors() {
        let c = build_from_spec(
            &OrganizationLookup::Id("o".into()),
            "x",
            &BuildOptions::default(),
        );
        let r = c
            .decode(
                201,
                br#"{"task":{"id":"task_1","name":"Build","status":"pending"},
                     "build":{"id":"vmbuild_1","state":"pending"},
                     "virtual_machine_build":{"id":"vmbuild_1","state":"pending"},
                     "hostname":"quiet-river","annotations":[{"key":"team","value":"web"}]}"#,
                None,
            )
            .unwrap();
        assert_eq!(r["virtual_machine_build"]["state"], "pending");
        assert_eq!(r["hostname"], "quiet-river");
        let e = c
            .decode(400, br#"{"error":{"code":"invalid_spec_xml","description":"bad","detail":{"errors":"line 1"}}}"#, None)
            .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("invalid_spec_xml", 400));
        let e = c
            .decode(422, br#"{"code":"validation_error","description":"bad","detail":{"errors":["Package is missing"]}}"#, None)
            .unwrap_err();
        assert_eq!(e.detail.unwrap()["errors"][0], "Package is missing");
    }

    #[test]
    fn get_build_while_building_carries_the_vm() {
        let c = get("vmbuild_1");
        assert_eq!(
            c.request.url(""),
            "/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=vmbuild_1"
        );
        let r = c
            .decode(
                200,
                br#"{"virtual_machine_build":{"id":"vmbuild_1","spec_xml":"<x/>","state":"building",
                     "virtual_machine":{"id":"vm_1","name":"n","hostname":"h","fqdn":"h.d","state":"allocating"},
                     "created_at":1},"annotations":[]}"#,
                None,
            )
            .unwrap();
        assert_eq!(r["virtual_machine_build"]["state"], "building");
        assert_eq!(
            r["virtual_machine_build"]["virtual_machine"]["state"],
            "allocating"
        );
    }
}
