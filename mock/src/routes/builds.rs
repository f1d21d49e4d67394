//! `POST /organizations/organization/virtual_machines/build_from_spec` and
//! `GET /virtual_machines/builds/virtual_machine_build`.
//!
//! The spec XML must parse and have the root `VirtualMachineSpec` (else 400
//! `invalid_spec_xml`). Semantic checks give 422 `validation_error`:
//! `<Resources>` with `<Package>` or both `<Memory>` and `<CPUCores>`, and a
//! `<Zone>` or `<DataCenter>` (matched by `permalink`, `id` or `name`
//! attribute, or text). `<Hostname><Hostname>name</Hostname></Hostname>` sets
//! the hostname (absent or `<Hostname type="random"/>`: generated); `<Name>`
//! sets the name (else the hostname).

use std::sync::Arc;

use roxmltree::{Document, Node};
use serde_json::json;

use super::organizations::{org_lookup, resolve_org};
use super::{Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::jobs;
use crate::json;
use crate::state::{now_unix, Build, BuildPlan, BuildState, State};

/// What the spec asks for, before resolving names against the catalogue.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SpecRequest {
    /// `<Name>`.
    pub name: Option<String>,
    /// `<Hostname><Hostname>…` (`None`: generate).
    pub hostname: Option<String>,
    /// `<Description>`.
    pub description: Option<String>,
    /// `<Zone>` reference (`Some("")` when present without a value).
    pub zone: Option<String>,
    /// `<DataCenter>` reference.
    pub data_center: Option<String>,
    /// `<Resources>` present.
    pub has_resources: bool,
    /// `<Resources><Package>` reference.
    pub package: Option<String>,
    /// `<Resources><Memory>` text.
    pub memory: Option<String>,
    /// `<Resources><CPUCores>` text.
    pub cpu_cores: Option<String>,
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_string()
}

/// The reference an element carries: `permalink`, `id` or `name`
/// attribute, else its text.
fn reference(node: Node<'_, '_>) -> String {
    ["permalink", "id", "name"]
        .iter()
        .find_map(|a| node.attribute(*a))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| text_of(node))
}

/// Parse the XML; structural problems are `invalid_spec_xml`.
pub fn parse_spec(xml: &str) -> Result<SpecRequest, ApiError> {
    let doc = Document::parse(xml).map_err(|e| ApiError::invalid_spec_xml(&e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "VirtualMachineSpec" {
        return Err(ApiError::invalid_spec_xml(&format!(
            "The root element must be <VirtualMachineSpec>, not <{}>",
            root.tag_name().name()
        )));
    }
    let mut spec = SpecRequest {
        name: child(root, "Name").map(text_of).filter(|s| !s.is_empty()),
        description: child(root, "Description")
            .map(text_of)
            .filter(|s| !s.is_empty()),
        zone: child(root, "Zone").map(reference),
        data_center: child(root, "DataCenter").map(reference),
        ..SpecRequest::default()
    };
    if let Some(h) = child(root, "Hostname") {
        let random = h.attribute("type") == Some("random");
        if !random {
            let inner = child(h, "Hostname")
                .map(text_of)
                .unwrap_or_else(|| text_of(h));
            if !inner.is_empty() {
                spec.hostname = Some(inner);
            }
        }
    }
    if let Some(r) = child(root, "Resources") {
        spec.has_resources = true;
        spec.package = child(r, "Package").map(reference);
        spec.memory = child(r, "Memory").map(text_of);
        spec.cpu_cores = child(r, "CPUCores").map(text_of);
    }
    Ok(spec)
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
pub fn plan(st: &mut State, org: usize, spec: &SpecRequest) -> Result<BuildPlan, ApiError> {
    let mut errors = Vec::new();
    let cat = &st.catalog;

    let mut zone = None;
    match (&spec.zone, &spec.data_center) {
        (Some(z), _) => {
            zone = cat
                .zones
                .iter()
                .position(|x| x.permalink == *z || x.id == *z || x.name.eq_ignore_ascii_case(z));
            if zone.is_none() {
                errors.push(format!("Zone '{z}' could not be found"));
            }
        }
        (None, Some(d)) => {
            let dc = cat
                .data_centers
                .iter()
                .position(|x| x.permalink == *d || x.id == *d || x.name.eq_ignore_ascii_case(d));
            match dc {
                Some(dc) => zone = cat.zones.iter().position(|z| z.data_center == dc),
                None => errors.push(format!("Data center '{d}' could not be found")),
            }
        }
        (None, None) => errors.push("A zone or data center must be specified".into()),
    }

    let mut package = None;
    let mut memory = None;
    let mut cpu = None;
    if !spec.has_resources {
        errors.push("Resources must be specified".into());
    } else if let Some(p) = &spec.package {
        package = cat
            .packages
            .iter()
            .position(|x| x.permalink == *p || x.id == *p || x.name.eq_ignore_ascii_case(p));
        if package.is_none() {
            errors.push(format!("Package '{p}' could not be found"));
        }
    } else {
        match (&spec.memory, &spec.cpu_cores) {
            (Some(m), Some(c)) => {
                match m.parse::<i64>() {
                    Ok(v) if v > 0 => memory = Some(v),
                    _ => errors.push("Memory must be a positive integer".into()),
                }
                match c.parse::<i64>() {
                    Ok(v) if v > 0 => cpu = Some(v),
                    _ => errors.push("CPU cores must be a positive integer".into()),
                }
            }
            _ => {
                errors.push("Resources must include a package, or both memory and CPU cores".into())
            }
        }
    }

    let hostname = match &spec.hostname {
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
    let hostname = if spec.hostname.is_some() {
        hostname
    } else {
        random_hostname(st, org)
    };
    let name = spec.name.clone().unwrap_or_else(|| hostname.clone());
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
    fn parses_spec() {
        let s = parse_spec(
            r#"<?xml version="1.0"?>
            <VirtualMachineSpec>
              <Name>My VM</Name>
              <Hostname><Hostname>my-vm</Hostname></Hostname>
              <DataCenter permalink="uk-lon"/>
              <Resources><Package permalink="rock-3"/></Resources>
            </VirtualMachineSpec>"#,
        )
        .expect("parses");
        assert_eq!(s.name.as_deref(), Some("My VM"));
        assert_eq!(s.hostname.as_deref(), Some("my-vm"));
        assert_eq!(s.data_center.as_deref(), Some("uk-lon"));
        assert_eq!(s.package.as_deref(), Some("rock-3"));
        let s = parse_spec(r#"<VirtualMachineSpec><Hostname type="random"/></VirtualMachineSpec>"#)
            .expect("parses");
        assert_eq!(s.hostname, None);
        assert!(!s.has_resources);
    }

    #[test]
    fn bad_xml() {
        assert_eq!(
            parse_spec("<nope").expect_err("bad").code,
            "invalid_spec_xml"
        );
        assert_eq!(parse_spec("").expect_err("bad").code, "invalid_spec_xml");
        let e = parse_spec("<Other/>").expect_err("root");
        assert_eq!(e.status, 400);
        assert!(e.detail["errors"].is_string());
    }

    #[test]
    fn plans() {
        let mut st = crate::seed::seeded(None, 0);
        let spec = parse_spec("<VirtualMachineSpec/>").expect("parses");
        let e = plan(&mut st, 0, &spec).expect_err("invalid");
        assert_eq!(e.status, 422);
        assert_eq!(e.detail["errors"].as_array().map(Vec::len), Some(2));
        let spec = parse_spec(
            "<VirtualMachineSpec><Zone>nl-ams-01</Zone><Resources><Memory>4</Memory><CPUCores>2</CPUCores></Resources></VirtualMachineSpec>",
        )
        .expect("parses");
        let p = plan(&mut st, 0, &spec).expect("ok");
        assert_eq!(p.zone, 1);
        assert_eq!(p.memory_in_gb, Some(4));
        assert!(!p.hostname.is_empty());
        let spec = parse_spec(
            "<VirtualMachineSpec><Zone>uk-lon-01</Zone><Hostname><Hostname>web-1</Hostname></Hostname><Resources><Package>rock-3</Package></Resources></VirtualMachineSpec>",
        )
        .expect("parses");
        let e = plan(&mut st, 0, &spec).expect_err("taken");
        assert_eq!(e.detail["errors"][0], "Hostname has already been taken");
    }
}
