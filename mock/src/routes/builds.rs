//! `POST /organizations/organization/virtual_machines/build_from_spec` and
//! `GET /virtual_machines/builds/virtual_machine_build`.
//!
//! The spec XML is read with the client's own parser
//! (`katapult_wasm::spec::from_xml`): anything it refuses is 400
//! `invalid_spec_xml` with its message (path, line, column) as
//! `detail.errors`. Semantic checks give 422 `validation_error`:
//! `<Resources>` with `<Package>` or both `<Memory>` and `<CPUCores>`, and a
//! `<Zone>` or `<DataCenter>` that exists (an id, or `by="permalink"` /
//! `by="name"` as the lookup says). `<Hostname><Hostname>name</Hostname></Hostname>`
//! sets the hostname (absent or `type="random"`: generated); `<Name>` sets
//! the name (else the hostname).

use std::sync::Arc;

use katapult_wasm::spec::{
    IdOrPermalink, IdPermalinkOrName, SpecHostname, SpecResources, VirtualMachineSpec,
};
use serde_json::{json, Value};

use super::organizations::{org_lookup, resolve_org};
use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::jobs;
use crate::json;
use crate::state::{now_unix, Build, BuildPlan, BuildState, State};

/// Parse the XML; anything the shared parser refuses is `invalid_spec_xml`.
pub fn parse_spec(xml: &str) -> Result<VirtualMachineSpec, ApiError> {
    katapult_wasm::spec::from_xml(xml).map_err(|e| ApiError::invalid_spec_xml(&e.message))
}

/// Whether a catalogue object is the one a lookup by id or permalink names.
fn by_permalink(l: &IdOrPermalink, object: &Value) -> bool {
    match l {
        IdOrPermalink::Id(v) => object["id"] == v.as_str(),
        IdOrPermalink::Permalink(v) => object["permalink"] == v.as_str(),
    }
}

fn lookup_text(l: &IdOrPermalink) -> &str {
    match l {
        IdOrPermalink::Id(v) | IdOrPermalink::Permalink(v) => v,
    }
}

fn valid_hostname(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 63
        && !h.starts_with('-')
        && !h.ends_with('-')
        && h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

const ADJECTIVES: &[&str] = &[
    "quiet", "brave", "calm", "eager", "fancy", "gentle", "happy", "jolly", "lively", "misty",
    "proud", "silent", "swift", "witty", "bold", "bright",
];
const NOUNS: &[&str] = &[
    "river", "forest", "meadow", "mountain", "ocean", "canyon", "valley", "breeze", "harbor",
    "island", "glacier", "prairie", "summit", "lagoon", "delta", "ridge",
];

fn random_hostname(st: &mut State, org: usize) -> String {
    for _ in 0..1000 {
        let a = ADJECTIVES[st.rng.below(ADJECTIVES.len() as u64) as usize];
        let n = NOUNS[st.rng.below(NOUNS.len() as u64) as usize];
        let num = 10 + st.rng.below(90);
        let h = format!("{a}-{n}-{num}");
        if !st.hostname_taken(org, &h) {
            return h;
        }
    }
    format!("vm-{}", st.rng.alnum(10).to_ascii_lowercase())
}

/// Resolve the spec against the catalogue; problems are `validation_error`.
pub fn plan(st: &mut State, org: usize, spec: &VirtualMachineSpec) -> Result<BuildPlan, ApiError> {
    let mut errors = Vec::new();
    let cat = &st.catalog;

    let mut zone = None;
    match (&spec.zone, &spec.data_center) {
        (Some(z), _) => {
            zone = cat.position("zone", |x| by_permalink(z, x));
            if zone.is_none() {
                errors.push(format!("Zone '{}' could not be found", lookup_text(z)));
            }
        }
        (None, Some(d)) => {
            let (dc, text) = match d {
                IdPermalinkOrName::Id(v) => (cat.position("data_center", |x| x["id"] == *v), v),
                IdPermalinkOrName::Permalink(v) => {
                    (cat.position("data_center", |x| x["permalink"] == *v), v)
                }
                IdPermalinkOrName::Name(v) => (
                    cat.position("data_center", |x| {
                        x["name"]
                            .as_str()
                            .is_some_and(|n| n.eq_ignore_ascii_case(v))
                    }),
                    v,
                ),
            };
            match dc {
                Some(dc) => {
                    let zones = 0..cat.all("zone").len();
                    zone = zones
                        .into_iter()
                        .find(|z| cat.data_center_of(*z) == Some(dc));
                }
                None => errors.push(format!("Data center '{text}' could not be found")),
            }
        }
        (None, None) => errors.push("A zone or data center must be specified".into()),
    }

    let mut package = None;
    let mut memory = None;
    let mut cpu = None;
    match &spec.resources {
        None => errors.push("Resources must be specified".into()),
        Some(SpecResources {
            package: Some(p), ..
        }) => {
            package = cat.position("virtual_machine_package", |x| by_permalink(p, x));
            if package.is_none() {
                errors.push(format!("Package '{}' could not be found", lookup_text(p)));
            }
        }
        Some(SpecResources {
            memory: Some(m),
            cpu_cores: Some(c),
            ..
        }) => {
            memory = Some(i64::from(*m));
            cpu = Some(i64::from(*c));
        }
        Some(_) => {
            errors.push("Resources must include a package, or both memory and CPU cores".into())
        }
    }

    let requested = match &spec.hostname {
        Some(SpecHostname::Name(h)) => Some(h),
        Some(SpecHostname::Random { .. }) | None => None,
    };
    let hostname = match requested {
        Some(h) if !valid_hostname(h) => {
            errors.push("Hostname is invalid".into());
            h.clone()
        }
        Some(h) if st.hostname_taken(org, h) => {
            errors.push("Hostname has already been taken".into());
            h.clone()
        }
        Some(h) => h.clone(),
        None => String::new(),
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let hostname = if requested.is_some() {
        hostname
    } else {
        random_hostname(st, org)
    };
    let name = spec
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| hostname.clone());
    let fail = name.contains("fail-build") || hostname.contains("fail-build");
    Ok(BuildPlan {
        name,
        hostname,
        zone: zone.unwrap_or(0),
        package,
        memory_in_gb: memory,
        cpu_cores: cpu,
        description: spec.description.clone(),
        fail,
    })
}

/// `POST /organizations/organization/virtual_machines/build_from_spec`.
pub fn build_from_spec(
    app: &Arc<App>,
    args: &Args,
    route: &'static Route,
) -> Result<Reply, ApiError> {
    let key = org_lookup(args, route)?;
    let xml = args.required_string(route.endpoint_id, "xml")?;
    let annotations = args
        .annotations(route.endpoint_id, false)?
        .unwrap_or_default();

    let mut st = app.state();
    let org = resolve_org(&st, key)?;
    let spec = parse_spec(&xml)?;
    let plan = plan(&mut st, org, &spec)?;
    let task = jobs::new_task(app, &mut st, "Build virtual machine");
    let build = Build {
        id: app.ids.next("vmbuild"),
        org,
        spec_xml: xml,
        state: BuildState::Pending,
        vm: None,
        created_at: now_unix(),
        annotations,
        task: task.id.clone(),
        plan,
    };
    let body = json!({
        "task": json::task_short(&task),
        "build": json::build_short(&build),
        "virtual_machine_build": json::build_short(&build),
        "hostname": build.plan.hostname,
        "annotations": json::annotations(&build.annotations),
    });
    let id = build.id.clone();
    st.builds.insert(id.clone(), build);
    let generation = st.generation;
    drop(st);
    jobs::spawn_build(app.clone(), generation, id);
    Ok(Reply { status: 201, body })
}

/// `GET /virtual_machines/builds/virtual_machine_build`.
pub fn get(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "virtual_machine_build",
        "VirtualMachineBuildLookup",
        &["id"],
    )?;
    let st = app.state();
    let build = key
        .and_then(|(_, id)| st.builds.get(&id))
        .ok_or_else(|| ApiError::not_found("build_not_found"))?;
    Ok(Reply::ok(json!({
        "virtual_machine_build": json::build_full(&st, build),
        "annotations": json::annotations(&build.annotations),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spec_with_the_shared_parser() {
        let s = parse_spec(
            r#"<?xml version="1.0"?>
            <VirtualMachineSpec>
              <DataCenter by="permalink">uk-lon</DataCenter>
              <Resources><Package by="permalink">rock-3</Package></Resources>
              <Hostname><Hostname>my-vm</Hostname></Hostname>
              <Name>My VM</Name>
            </VirtualMachineSpec>"#,
        )
        .expect("parses");
        assert_eq!(s.name.as_deref(), Some("My VM"));
        assert_eq!(s.hostname, Some(SpecHostname::Name("my-vm".into())));
        assert_eq!(
            s.data_center,
            Some(IdPermalinkOrName::Permalink("uk-lon".into()))
        );
        let s = parse_spec(
            r#"<VirtualMachineSpec><Hostname><Hostname type="random"/></Hostname></VirtualMachineSpec>"#,
        )
        .expect("parses");
        assert_eq!(s.hostname, Some(SpecHostname::Random { random: true }));
        assert!(s.resources.is_none());
    }

    #[test]
    fn bad_xml_is_invalid_spec_xml_with_a_readable_reason() {
        for (xml, reason) in [
            ("<nope", "element <nope> is not closed"),
            ("", "expected the root element"),
            (
                "<Other/>",
                "must have the root element <VirtualMachineSpec>",
            ),
            (
                "<VirtualMachineSpec><Zone by=\"name\">x</Zone></VirtualMachineSpec>",
                "zone does not take by=\"name\"",
            ),
            ("<!DOCTYPE VirtualMachineSpec><VirtualMachineSpec/>", "DTDs"),
        ] {
            let e = parse_spec(xml).expect_err("bad");
            assert_eq!((e.status, e.code.as_str()), (400, "invalid_spec_xml"));
            let errors = e.detail["errors"].as_str().unwrap_or_default();
            assert!(errors.contains(reason), "{xml}: {errors}");
        }
    }

    #[test]
    fn plans() {
        let mut st = crate::seed::seeded(None, 0);
        let spec = parse_spec("<VirtualMachineSpec/>").expect("parses");
        let e = plan(&mut st, 0, &spec).expect_err("invalid");
        assert_eq!(e.status, 422);
        assert_eq!(e.detail["errors"].as_array().map(Vec::len), Some(2));
        let spec = parse_spec(
            r#"<VirtualMachineSpec><Zone by="permalink">nl-ams-01</Zone><Resources><Memory>4</Memory><CPUCores>2</CPUCores></Resources></VirtualMachineSpec>"#,
        )
        .expect("parses");
        let p = plan(&mut st, 0, &spec).expect("ok");
        assert_eq!(p.zone, 1);
        assert_eq!(p.memory_in_gb, Some(4));
        assert!(!p.hostname.is_empty());
        let spec = parse_spec(
            "<VirtualMachineSpec><Zone>nl-ams-01</Zone><Resources><Memory>4</Memory></Resources></VirtualMachineSpec>",
        )
        .expect("parses");
        let e = plan(&mut st, 0, &spec).expect_err("an id is not a permalink");
        assert_eq!(
            e.detail["errors"],
            json!([
                "Zone 'nl-ams-01' could not be found",
                "Resources must include a package, or both memory and CPU cores"
            ])
        );
        let spec = parse_spec(
            r#"<VirtualMachineSpec><Zone by="permalink">uk-lon-01</Zone><Resources><Package by="permalink">rock-3</Package></Resources><Hostname><Hostname>web-1</Hostname></Hostname></VirtualMachineSpec>"#,
        )
        .expect("parses");
        let e = plan(&mut st, 0, &spec).expect_err("taken");
        assert_eq!(e.detail["errors"][0], "Hostname has already been taken");
    }
}
