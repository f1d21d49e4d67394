use super::model::{IdOrPermalink, SpecHostname, SpecResources, VirtualMachineSpec};
use super::*;
use serde_json::{json, Value};

fn golden(name: &str, ext: &str) -> String {
    let path = format!(
        "{}/tests/data/spec/{name}.{ext}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn golden_json(name: &str) -> Value {
    serde_json::from_str(&golden(name, "json")).unwrap()
}

fn message(r: Result<impl std::fmt::Debug, Error>) -> String {
    let e = r.unwrap_err();
    assert_eq!((e.code.as_str(), e.status), ("invalid_argument", 0));
    e.message
}

/// Every element and attribute of the document, in the builder's layout.
#[test]
fn builds_the_golden_documents_byte_for_byte() {
    for name in ["full", "alternatives", "empty", "escaping"] {
        let json = golden_json(name);
        assert_eq!(build(&json).unwrap(), golden(name, "xml"), "{name}");
        assert_eq!(parse(&golden(name, "xml")).unwrap(), json, "{name}");
    }
}

#[test]
fn the_goldens_cover_every_element_and_attribute() {
    let docs: String = ["full", "alternatives", "escaping"]
        .iter()
        .map(|n| golden(n, "xml"))
        .collect();
    fn walk(st: &schema::Struct, out: &mut Vec<String>) {
        for f in st.fields {
            out.push(format!("<{}", f.element));
            match &f.node {
                schema::Node::Struct(s) => walk(s, out),
                schema::Node::List(item, inner) | schema::Node::AllOr(item, inner) => {
                    out.push(format!("<{item}"));
                    if let schema::Node::Struct(s) = inner {
                        walk(s, out);
                    }
                    if let schema::Node::Lookup(keys) = inner {
                        out.extend(
                            keys.iter()
                                .filter(|k| **k != "id")
                                .map(|k| format!("<{item} by=\"{k}\"")),
                        );
                    }
                }
                schema::Node::Lookup(keys) => out.extend(
                    keys.iter()
                        .filter(|k| **k != "id")
                        .map(|k| format!("<{} by=\"{k}\"", f.element)),
                ),
                schema::Node::Allocation => {
                    walk(&schema::NEW_IP, out);
                    walk(&schema::EXISTING_IP, out);
                }
                _ => {}
            }
        }
    }
    let mut wanted = vec![
        "<Users all=\"yes\">".to_owned(),
        "<SSHKeys all=\"yes\">".to_owned(),
        "<Hostname type=\"random\">".to_owned(),
        "<IPAddressAllocation type=\"new\">".to_owned(),
        "<IPAddressAllocation type=\"existing\">".to_owned(),
        "<Version by=\"number\">".to_owned(),
        "<Option key=".to_owned(),
    ];
    walk(&schema::SPEC, &mut wanted);
    for w in wanted {
        assert!(docs.contains(&w), "no golden document has {w}");
    }
}

#[test]
fn reads_documents_written_in_other_styles() {
    assert_eq!(
        parse(&golden("foreign", "xml")).unwrap(),
        golden_json("foreign")
    );
}

/// The builder's output reads back the same through an independent parser.
#[test]
fn escaped_values_survive_an_independent_parser() {
    let xml = golden("escaping", "xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let text = |name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name(name) && n.children().all(|c| c.is_text()))
            .map(|n| n.text().unwrap_or("").to_owned())
            .collect()
    };
    let spec = golden_json("escaping");
    assert_eq!(
        text("Name"),
        [
            spec["system_disks"][0]["name"].as_str().unwrap(),
            spec["name"].as_str().unwrap()
        ]
    );
    assert_eq!(text("Description"), [spec["description"].as_str().unwrap()]);
    assert_eq!(text("Tag"), ["<&>\"'", "日本語", "emoji 👍🏽", " spaced "]);
    let option = doc
        .descendants()
        .find(|n| n.has_tag_name("Option"))
        .unwrap();
    let want = &spec["disk_template"]["options"][0];
    assert_eq!(option.attribute("key"), want["key"].as_str());
    assert_eq!(option.text(), want["value"].as_str());
    // Nothing raw in the markup: every value character that is markup is escaped.
    for line in xml.lines().skip(1) {
        let inner = line.trim();
        if let Some(rest) = inner.strip_prefix('<') {
            let body = rest.split_once('>').map_or("", |(_, b)| b);
            let value = body.rsplit_once("</").map_or(body, |(v, _)| v);
            assert!(!value.contains(['<', '>', '"', '\'']), "{line}");
        }
    }
}

#[test]
fn build_errors_name_the_path() {
    let cases = [
        (json!([]), "spec must be an object, got an array"),
        (json!({"zones": 1}), "spec has an unknown key \"zones\""),
        (
            json!({"network_interfaces": [{}, {"network": {"name": "x"}}]}),
            "network_interfaces[1].network has an unknown key \"name\"; allowed: id, permalink",
        ),
        (
            json!({"network_interfaces": [{"network": "netw_1"}]}),
            "network_interfaces[0].network must be { id } or { permalink }, got a string",
        ),
        (
            json!({"zone": {"id": "a", "permalink": "b"}}),
            "zone must be exactly one of { id } or { permalink }",
        ),
        (json!({"zone": {"id": " "}}), "zone.id must be a non-empty string"),
        (
            json!({"resources": {"package": {"id": "p"}, "memory": 2}}),
            "resources takes package or memory, not both",
        ),
        (
            json!({"resources": {"memory": 1.5}}),
            "resources.memory must be a whole number from 1 to 4294967295",
        ),
        (
            json!({"resources": {"cpu_cores": 0}}),
            "resources.cpu_cores must be a whole number from 1",
        ),
        (
            json!({"resources": {"cpu_cores": "2"}}),
            "resources.cpu_cores must be a whole number, got a string",
        ),
        (
            json!({"network_interfaces": [{"ip_address_allocations": [{"type": "new", "version": 5}]}]}),
            "network_interfaces[0].ip_address_allocations[0].version must be 4 or 6",
        ),
        (
            json!({"network_interfaces": [{"ip_address_allocations": [{"type": "new"}]}]}),
            "network_interfaces[0].ip_address_allocations[0].version is required",
        ),
        (
            json!({"network_interfaces": [{"ip_address_allocations": [{"type": "old"}]}]}),
            "network_interfaces[0].ip_address_allocations[0].type must be \"new\" or \"existing\"",
        ),
        (
            json!({"network_interfaces": [{"ip_address_allocations": [{"type": "existing", "version": 4}]}]}),
            "ip_address_allocations[0] has an unknown key \"version\"; allowed: type, ip_address",
        ),
        (json!({"hostname": {"random": false}}), "hostname must be a hostname string or { random: true }"),
        (json!({"hostname": ""}), "hostname must be a non-empty string"),
        (json!({"tags": "web"}), "tags must be an array, got a string"),
        (json!({"tags": ["ok", 3]}), "tags[1] must be a string, got a number"),
        (json!({"name": "a\u{1}b"}), "name contains U+0001, a character XML cannot carry"),
        (
            json!({"authorized_keys": {"users": "everyone"}}),
            "authorized_keys.users must be \"all\" or an array, got a string",
        ),
        (
            json!({"backup_policies": [{"schedule": {"interval": "hourly"}}]}),
            "backup_policies[0].schedule.interval must be \"daily\", \"weekly\", \"monthly\" or \"yearly\"",
        ),
        (
            json!({"backup_policies": [{"schedule": {"time": 24}}]}),
            "backup_policies[0].schedule.time must be a whole number from 0 to 23",
        ),
        (
            json!({"disk_template": {"options": [{"key": "", "value": "v"}]}}),
            "disk_template.options[0].key must be a non-empty string",
        ),
        (
            json!({"disk_template": {"options": [{"key": "k"}]}}),
            "disk_template.options[0].value must be a string, got null",
        ),
        (
            json!({"network_interfaces": [{"network": {"id": "a"}, "virtual_network": {"id": "b"}}]}),
            "network_interfaces[0] takes network or virtual_network, not both",
        ),
    ];
    for (spec, want) in cases {
        let got = message(build(&spec));
        assert!(got.contains(want), "{spec}: {got}");
    }
}

#[test]
fn null_means_absent_when_building() {
    let xml = build(&json!({"zone": null, "tags": null, "resources": {"memory": null}})).unwrap();
    assert_eq!(parse(&xml).unwrap(), json!({"resources": {}}));
}

#[test]
fn parse_errors_name_the_path_and_position() {
    let wrap = |body: &str| format!("<VirtualMachineSpec>\n{body}\n</VirtualMachineSpec>");
    let cases = [
        ("<Spec/>".to_owned(), "spec XML must have the root element <VirtualMachineSpec>, not <Spec> (line 1, column 1)"),
        (wrap("<Zones/>"), "spec has an unknown element <Zones>; allowed: Zone, DataCenter"),
        (wrap("<Zone>a</Zone><Zone>b</Zone>"), "zone <Zone> appears twice (line 2, column 15)"),
        (
            wrap("<NetworkInterfaces><NetworkInterface/><NetworkInterface>\n  <Network by=\"name\">x</Network></NetworkInterface></NetworkInterfaces>"),
            "network_interfaces[1].network does not take by=\"name\"; use no by (an id) or by=\"permalink\" (line 3, column 3)",
        ),
        (wrap("<Zone by=\"id\">z</Zone>"), "zone does not take by=\"id\""),
        (wrap("<Zone>  </Zone>"), "zone is empty"),
        (wrap("<Zone><B/></Zone>"), "zone <Zone> may not contain <B>"),
        (wrap("<Resources>text</Resources>"), "resources <Resources> may not contain text"),
        (wrap("<Resources><Memory>-1</Memory></Resources>"), "resources.memory must be a whole number from 1"),
        (wrap("<Resources><Memory>+1</Memory></Resources>"), "resources.memory must be a whole number"),
        (wrap("<Resources><Memory>99999999999</Memory></Resources>"), "resources.memory must be a whole number from 1 to 4294967295"),
        (wrap("<Resources><Package>p</Package><CPUCores>1</CPUCores></Resources>"), "resources takes package or cpu_cores, not both"),
        (wrap("<Tags><Label/></Tags>"), "tags[0] must be an <Tag>, not <Label>"),
        (wrap("<Hostname>web</Hostname>"), "hostname needs exactly one inner <Hostname>"),
        (wrap("<Hostname><Hostname type=\"random\">x</Hostname></Hostname>"), "hostname is random and may not hold a name"),
        (wrap("<Hostname><Hostname type=\"fixed\">x</Hostname></Hostname>"), "hostname takes only type=\"random\""),
        (wrap("<DiskTemplate><Version>1</Version></DiskTemplate>"), "disk_template.version <Version> needs by=\"number\""),
        (wrap("<DiskTemplate><Option>v</Option></DiskTemplate>"), "disk_template.options[0] needs a non-empty key attribute"),
        (
            wrap("<NetworkInterfaces><NetworkInterface><IPAddressAllocation><Version>4</Version></IPAddressAllocation></NetworkInterface></NetworkInterfaces>"),
            "network_interfaces[0].ip_address_allocations[0] needs type=\"new\" or type=\"existing\"",
        ),
        (
            wrap("<NetworkInterfaces><NetworkInterface><IPAddressAllocation type=\"new\"/></NetworkInterface></NetworkInterfaces>"),
            "network_interfaces[0].ip_address_allocations[0] needs a <Version>",
        ),
        (
            wrap("<NetworkInterfaces><NetworkInterface><IPAddressAllocation type=\"new\"><Version>5</Version></IPAddressAllocation></NetworkInterface></NetworkInterfaces>"),
            "ip_address_allocations[0].version must be 4 or 6",
        ),
        (wrap("<AuthorizedKeys><Users all=\"no\"/></AuthorizedKeys>"), "authorized_keys.users takes all=\"yes\" or items"),
        (
            wrap("<AuthorizedKeys><Users all=\"yes\"><User>u</User></Users></AuthorizedKeys>"),
            "authorized_keys.users has all=\"yes\" and items",
        ),
        (wrap("<BackupPolicies><BackupPolicy><Schedule><Interval>hourly</Interval></Schedule></BackupPolicy></BackupPolicies>"), "backup_policies[0].schedule.interval must be \"daily\""),
        (wrap("<Name lang=\"en\">x</Name>"), "name <Name> has an unexpected attribute lang"),
        ("<VirtualMachineSpec xmlns=\"urn:x\"/>".to_owned(), "spec <VirtualMachineSpec> has an unexpected attribute xmlns"),
        (wrap("<Name>&bogus;</Name>"), "spec XML entity &bogus; is not accepted"),
        ("<!DOCTYPE VirtualMachineSpec><VirtualMachineSpec/>".to_owned(), "spec XML DTDs (<!DOCTYPE …>) are not accepted (line 1, column 1)"),
    ];
    for (xml, want) in cases {
        let got = message(parse(&xml));
        assert!(got.contains(want), "{xml}\n  got: {got}\n want: {want}");
    }
}

/// Billion laughs, external entities, a 10 MB document, deep nesting and
/// binary junk: refused with a message, never a panic or a blow-up.
#[test]
fn hostile_documents_are_refused_cleanly() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<VirtualMachineSpec><Name>&lol2;</Name></VirtualMachineSpec>"#;
    assert!(message(parse(laughs)).contains("DTDs"));
    let xxe = r#"<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><VirtualMachineSpec><Name>&xxe;</Name></VirtualMachineSpec>"#;
    assert!(message(parse(xxe)).contains("DTDs"));
    let undeclared = "<VirtualMachineSpec><Name>&xxe;</Name></VirtualMachineSpec>";
    assert!(message(parse(undeclared)).contains("entity &xxe; is not accepted"));
    let big = format!(
        "<VirtualMachineSpec><Description>{}</Description></VirtualMachineSpec>",
        "a".repeat(10 * 1024 * 1024)
    );
    assert!(message(parse(&big)).contains("larger than 1048576 bytes"));
    let deep = format!(
        "<VirtualMachineSpec>{}{}</VirtualMachineSpec>",
        "<Resources>".repeat(40_000),
        "</Resources>".repeat(40_000)
    );
    assert!(message(parse(&deep)).contains("nested more than 16 deep"));
    let deep_known = "<VirtualMachineSpec><Resources><Resources/></Resources></VirtualMachineSpec>";
    assert!(message(parse(deep_known)).contains("unknown element <Resources>"));
    for junk in [
        "",
        "\u{0}",
        "<",
        "<<<<",
        "<VirtualMachineSpec",
        "\u{FEFF}",
        "<?xml",
        "<!--",
        "<a><![CDATA[",
        "&#xFFFFFFFFF;",
    ] {
        assert!(!message(parse(junk)).is_empty());
    }
    let mut huge_spec = serde_json::Map::new();
    huge_spec.insert("tags".into(), Value::Array(vec![json!("t"); 200_000]));
    // Building has no size limit of its own (the API has one); it just works.
    assert!(build(&Value::Object(huge_spec)).unwrap().len() > 2_000_000);
}

#[test]
fn typed_specs_convert_both_ways() {
    let spec = VirtualMachineSpec {
        zone: Some(IdOrPermalink::Permalink("uk-lon-01".into())),
        resources: Some(SpecResources {
            package: Some(IdOrPermalink::Id("pkg_1".into())),
            ..SpecResources::default()
        }),
        hostname: Some(SpecHostname::Random { random: true }),
        ..VirtualMachineSpec::default()
    };
    let xml = to_xml(&spec).unwrap();
    assert!(xml.contains("<Zone by=\"permalink\">uk-lon-01</Zone>"));
    assert!(xml.contains("<Hostname type=\"random\"></Hostname>"));
    assert_eq!(from_xml(&xml).unwrap(), spec);
    assert_eq!(
        from_xml(&golden("full", "xml")).unwrap(),
        serde_json::from_value(golden_json("full")).unwrap()
    );
    let bad = VirtualMachineSpec {
        hostname: Some(SpecHostname::Random { random: false }),
        ..VirtualMachineSpec::default()
    };
    assert!(message(to_xml(&bad)).contains("{ random: true }"));
}

/// The TypeScript declarations tsify generates for the typed model.
#[test]
fn typescript_declarations_have_the_documented_shapes() {
    use crate::spec::model::*;
    use tsify::Tsify;
    let spec = VirtualMachineSpec::DECL;
    for want in [
        "zone?: IdOrPermalink;",
        "data_center?: IdPermalinkOrName;",
        "hostname?: string | { random: true };",
        "shared_disks?: IdOrName[];",
        "iso?: IdOnly;",
    ] {
        assert!(spec.contains(want), "{want} in {spec}");
    }
    assert!(
        IdOrPermalink::DECL.contains("{ id: string } | { permalink: string }"),
        "{}",
        IdOrPermalink::DECL
    );
    assert!(SpecAuthorizedKeys::DECL.contains("users?: \"all\" | IdOrEmailAddress[];"));
    let alloc = SpecIpAddressAllocation::DECL;
    assert!(alloc.contains("type: \"new\""), "{alloc}");
    assert!(alloc.contains("subnet?: IdOrAddress"), "{alloc}");
    assert!(alloc.contains("version: 4 | 6"), "{alloc}");
    assert!(SpecInterval::DECL.contains("\"daily\" | \"weekly\" | \"monthly\" | \"yearly\""));
}

#[test]
fn the_build_call_takes_xml_or_a_spec_object() {
    assert_eq!(
        document(&json!("<VirtualMachineSpec/>")).unwrap(),
        "<VirtualMachineSpec/>"
    );
    assert_eq!(document(&json!({})).unwrap(), golden("empty", "xml"));
    assert_eq!(
        message(document(&json!(""))),
        "spec must be a non-empty string"
    );
    assert_eq!(
        message(document(&json!(3))),
        "spec must be a spec XML string or a spec object, got a number"
    );
    assert_eq!(
        message(document(&Value::Null)),
        "spec must be a spec XML string or a spec object, got null"
    );
    assert!(message(document(&json!({"zone": 1}))).starts_with("spec.zone must be"));
    assert_eq!(
        message(xml_text(&json!({}))),
        "spec must be a spec XML string or a spec object, got an object"
    );
    assert_eq!(xml_text(&json!("<x/>")).unwrap(), "<x/>");
}

/// The package's declarations of the spec model (src/js/spec-types.d.ts)
/// are tsify's, type by type.
#[test]
fn the_packaged_declarations_are_tsifys() {
    use crate::spec::model::*;
    use tsify::Tsify;
    let file = include_str!("../js/spec-types.d.ts");
    for decl in [
        VirtualMachineSpec::DECL,
        SpecResources::DECL,
        SpecDiskTemplate::DECL,
        SpecOption::DECL,
        SpecSystemDisk::DECL,
        SpecNetworkInterface::DECL,
        SpecIpAddressAllocation::DECL,
        SpecAuthorizedKeys::DECL,
        SpecBackupPolicy::DECL,
        SpecSchedule::DECL,
        SpecInterval::DECL,
        IdOrPermalink::DECL,
        IdPermalinkOrName::DECL,
        IdOrName::DECL,
        IdOrAddress::DECL,
        IdOrEmailAddress::DECL,
        IdOnly::DECL,
    ] {
        assert!(file.contains(decl), "src/js/spec-types.d.ts lacks:\n{decl}");
    }
}
