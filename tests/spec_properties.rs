//! Property tests of the spec document tools (`katapult_wasm::spec`):
//!
//! * round trip: for random typed specs `x`, `from_xml(to_xml(x)) == x`, the
//!   JSON form agrees (`parse(build(v)) == v`), and an independent XML
//!   parser (roxmltree) reads every document the builder writes;
//! * robustness: `parse` of random and mutated documents and `build` of
//!   random JSON return `Ok` or an `invalid_argument` error, never panic,
//!   and whatever `parse` accepts builds again and reads back the same.
//!
//! `PROPTEST_CASES=N` runs each property with N cases; each test prints its
//! case count to stderr.

#![cfg(not(target_arch = "wasm32"))]

use std::io::Write as _;

use katapult_wasm::spec::*;
use katapult_wasm::spec::{build, from_xml, parse, to_xml};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{Map, Number, Value};

mod common;

/// `common::check`, then the case count on stderr.
fn check<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let ran = common::check(name, cases, strategy, test);
    let _ = writeln!(std::io::stderr(), "properties: {name}: {ran} cases");
}

// ------------------------------------------------------------ generators

/// Text with everything XML must escape, non-ASCII, and the whitespace
/// XML normalises (`\r`, tabs, newlines): every `char` XML can carry.
fn text() -> BoxedStrategy<String> {
    let xml_char = prop_oneof![
        6 => proptest::char::range(' ', '~'),
        2 => prop::sample::select(&['<', '&', '>', '"', '\'', '\t', '\n', '\r', ']'][..]),
        1 => proptest::char::range('\u{80}', '\u{D7FF}'),
        1 => proptest::char::range('\u{E000}', '\u{FFFD}'),
        1 => proptest::char::range('\u{10000}', '\u{10FFFF}'),
    ];
    prop_oneof![
        1 => prop::sample::select(&["", "]]>", "&amp;", "<![CDATA[x]]>", "<!-- c -->", "\r\n", " "][..])
            .prop_map(str::to_owned),
        6 => prop::collection::vec(xml_char, 0..16).prop_map(String::from_iter),
    ]
    .boxed()
}

/// A lookup value: non-empty, no surrounding whitespace (lookups are trimmed).
fn ident() -> BoxedStrategy<String> {
    text()
        .prop_map(|s| s.trim_matches([' ', '\t', '\n', '\r']).to_owned())
        .prop_filter("non-empty", |s| !s.is_empty())
        .boxed()
}

fn opt<T: std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::of(s).boxed()
}

fn list<T: std::fmt::Debug + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Vec<T>> {
    prop::collection::vec(s, 0..3).boxed()
}

fn count() -> BoxedStrategy<u32> {
    prop_oneof![1u32..100, Just(1u32), Just(u32::MAX)].boxed()
}

fn id_or_permalink() -> BoxedStrategy<IdOrPermalink> {
    prop_oneof![
        ident().prop_map(IdOrPermalink::Id),
        ident().prop_map(IdOrPermalink::Permalink)
    ]
    .boxed()
}

fn id_or_name() -> BoxedStrategy<IdOrName> {
    prop_oneof![
        ident().prop_map(IdOrName::Id),
        ident().prop_map(IdOrName::Name)
    ]
    .boxed()
}

fn id_or_address() -> BoxedStrategy<IdOrAddress> {
    prop_oneof![
        ident().prop_map(IdOrAddress::Id),
        ident().prop_map(IdOrAddress::Address)
    ]
    .boxed()
}

fn policy() -> BoxedStrategy<SpecBackupPolicy> {
    let interval = prop::sample::select(
        &[
            SpecInterval::Daily,
            SpecInterval::Weekly,
            SpecInterval::Monthly,
            SpecInterval::Yearly,
        ][..],
    );
    let schedule =
        (opt(interval), opt(count()), opt(0u8..24)).prop_map(|(interval, frequency, time)| {
            SpecSchedule {
                interval,
                frequency,
                time,
            }
        });
    (opt(count()), opt(schedule))
        .prop_map(|(retention, schedule)| SpecBackupPolicy {
            retention,
            schedule,
        })
        .boxed()
}

fn resources() -> BoxedStrategy<SpecResources> {
    prop_oneof![
        opt(id_or_permalink()).prop_map(|package| SpecResources {
            package,
            ..Default::default()
        }),
        (opt(count()), opt(count())).prop_map(|(memory, cpu_cores)| SpecResources {
            memory,
            cpu_cores,
            ..Default::default()
        }),
    ]
    .boxed()
}

fn disk_template() -> BoxedStrategy<SpecDiskTemplate> {
    let option = (
        text().prop_filter("key", |k| {
            !k.trim_matches([' ', '\t', '\n', '\r']).is_empty()
        }),
        text(),
    )
        .prop_map(|(key, value)| SpecOption { key, value });
    (
        opt(id_or_permalink()),
        opt(prop_oneof![0u32..10, Just(u32::MAX)]),
        list(option),
    )
        .prop_map(|(disk_template, version, options)| SpecDiskTemplate {
            disk_template,
            version,
            options,
        })
        .boxed()
}

fn system_disk() -> BoxedStrategy<SpecSystemDisk> {
    (
        opt(text()),
        opt(count()),
        opt(text()),
        opt(id_or_permalink()),
        opt(text()),
        opt(list(policy())),
    )
        .prop_map(
            |(name, size, speed, io_profile, file_system_type, backup_policies)| SpecSystemDisk {
                name,
                size,
                speed,
                io_profile,
                file_system_type,
                backup_policies,
            },
        )
        .boxed()
}

fn interface() -> BoxedStrategy<SpecNetworkInterface> {
    let allocation = prop_oneof![
        (prop::sample::select(&[4u8, 6][..]), opt(id_or_address()))
            .prop_map(|(version, subnet)| SpecIpAddressAllocation::New { version, subnet }),
        id_or_address().prop_map(|ip_address| SpecIpAddressAllocation::Existing { ip_address }),
    ];
    let network = prop_oneof![
        Just((None, None)),
        id_or_permalink().prop_map(|n| (Some(n), None)),
        ident().prop_map(|v| (None, Some(IdOnly::Id(v)))),
    ];
    (network, opt(id_or_permalink()), list(allocation))
        .prop_map(
            |((network, virtual_network), speed_profile, ip_address_allocations)| {
                SpecNetworkInterface {
                    network,
                    virtual_network,
                    speed_profile,
                    ip_address_allocations,
                }
            },
        )
        .boxed()
}

fn keys() -> BoxedStrategy<SpecAuthorizedKeys> {
    let user = prop_oneof![
        ident().prop_map(IdOrEmailAddress::Id),
        ident().prop_map(IdOrEmailAddress::EmailAddress)
    ];
    let users = prop_oneof![Just(AllOr::All), list(user).prop_map(AllOr::Only)];
    let ssh = prop_oneof![Just(AllOr::All), list(text()).prop_map(AllOr::Only)];
    (opt(users), opt(ssh))
        .prop_map(|(users, ssh_keys)| SpecAuthorizedKeys { users, ssh_keys })
        .boxed()
}

fn spec() -> BoxedStrategy<VirtualMachineSpec> {
    let data_center = prop_oneof![
        ident().prop_map(IdPermalinkOrName::Id),
        ident().prop_map(IdPermalinkOrName::Permalink),
        ident().prop_map(IdPermalinkOrName::Name),
    ];
    let hostname = prop_oneof![
        ident().prop_map(SpecHostname::Name),
        Just(SpecHostname::Random { random: true })
    ];
    let head = (
        opt(id_or_permalink()),
        opt(data_center),
        opt(resources()),
        opt(disk_template()),
        opt(list(system_disk())),
        opt(list(id_or_name())),
        opt(list(interface())),
        opt(hostname),
    );
    let tail = (
        opt(text()),
        opt(text()),
        opt(id_or_name()),
        opt(keys()),
        opt(list(policy())),
        opt(list(text())),
        opt(ident().prop_map(IdOnly::Id)),
    );
    (head, tail)
        .prop_map(
            |(
                (
                    zone,
                    data_center,
                    resources,
                    disk_template,
                    system_disks,
                    shared_disks,
                    network_interfaces,
                    hostname,
                ),
                (name, description, group, authorized_keys, backup_policies, tags, iso),
            )| VirtualMachineSpec {
                zone,
                data_center,
                resources,
                disk_template,
                system_disks,
                shared_disks,
                network_interfaces,
                hostname,
                name,
                description,
                group,
                authorized_keys,
                backup_policies,
                tags,
                iso,
            },
        )
        .boxed()
}

// ------------------------------------------------------------ properties

/// The texts of every leaf element, in document order, as roxmltree reads them.
fn leaf_texts(xml: &str) -> Result<Vec<String>, String> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| e.to_string())?;
    Ok(doc
        .descendants()
        .filter(|n| n.is_element() && !n.children().any(|c| c.is_element()))
        .map(|n| n.text().unwrap_or("").to_owned())
        .collect())
}

#[test]
fn typed_specs_round_trip_through_xml() {
    check("spec round trip", 4_000, spec(), |x| {
        let xml = to_xml(&x).map_err(|e| TestCaseError::fail(e.message))?;
        let back =
            from_xml(&xml).map_err(|e| TestCaseError::fail(format!("{}\n{xml}", e.message)))?;
        prop_assert_eq!(&back, &x);
        // The JSON form agrees with the typed one.
        let v = serde_json::to_value(&x).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(build(&v).ok(), Some(xml.clone()));
        prop_assert_eq!(parse(&xml).ok(), Some(v));
        // An independent parser reads the same document, with the same texts
        // as ours (every leaf's text: names, tags, keys, lookups, numbers).
        let theirs =
            leaf_texts(&xml).map_err(|e| TestCaseError::fail(format!("roxmltree: {e}\n{xml}")))?;
        let ours_again = leaf_texts(&to_xml(&back).unwrap_or_default()).unwrap_or_default();
        prop_assert_eq!(theirs, ours_again);
        Ok(())
    });
}

/// Escaping: a text holding anything XML can carry survives in every text
/// field and in the one free attribute (`Option key`).
#[test]
fn any_text_survives_every_text_field_and_attribute() {
    check(
        "spec escaping",
        4_000,
        (
            text(),
            text().prop_filter("key", |k| {
                !k.trim_matches([' ', '\t', '\n', '\r']).is_empty()
            }),
        ),
        |(t, k)| {
            let x = VirtualMachineSpec {
                name: Some(t.clone()),
                description: Some(t.clone()),
                tags: Some(vec![t.clone()]),
                disk_template: Some(SpecDiskTemplate {
                    options: vec![SpecOption {
                        key: k.clone(),
                        value: t.clone(),
                    }],
                    ..Default::default()
                }),
                system_disks: Some(vec![SpecSystemDisk {
                    name: Some(t.clone()),
                    speed: Some(t.clone()),
                    file_system_type: Some(t.clone()),
                    ..Default::default()
                }]),
                authorized_keys: Some(SpecAuthorizedKeys {
                    ssh_keys: Some(AllOr::Only(vec![t.clone()])),
                    users: None,
                }),
                ..Default::default()
            };
            let xml = to_xml(&x).map_err(|e| TestCaseError::fail(e.message))?;
            prop_assert_eq!(from_xml(&xml).ok(), Some(x));
            let doc =
                roxmltree::Document::parse(&xml).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let option = doc.descendants().find(|n| n.has_tag_name("Option"));
            prop_assert_eq!(option.and_then(|o| o.attribute("key")), Some(k.as_str()));
            for name in [
                "Name",
                "Description",
                "Tag",
                "Speed",
                "FileSystemType",
                "SSHKey",
                "Option",
            ] {
                for n in doc.descendants().filter(|n| n.has_tag_name(name)) {
                    prop_assert_eq!(n.text().unwrap_or(""), t.as_str(), "<{}>", name);
                }
            }
            Ok(())
        },
    );
}

fn is_invalid_argument(e: &katapult_wasm::Error) -> bool {
    e.code == "invalid_argument" && e.status == 0 && !e.message.is_empty()
}

/// Random edits of valid documents, and random junk: `Ok` or a clean
/// error; what parses builds and reads back the same.
#[test]
fn parse_never_panics_and_what_it_accepts_is_stable() {
    let docs: Vec<String> = ["full", "alternatives", "escaping", "foreign", "empty"]
        .iter()
        .map(|n| {
            std::fs::read_to_string(format!(
                "{}/tests/data/spec/{n}.xml",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap_or_default()
        })
        .collect();
    static FRAGMENTS: &[&str] = &[
        "<",
        ">",
        "&",
        "&lt;",
        "&#0;",
        "&#x110000;",
        "&e;",
        "<!DOCTYPE x>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?xml version='1.0'?>",
        "/>",
        "</",
        "\"",
        "'",
        "=",
        " by=\"name\"",
        " by=\"permalink\"",
        "<Zone>z</Zone>",
        "<Tags><Tag/></Tags>",
        "\u{0}",
        "\u{FEFF}",
        "\r",
        "é",
        "<VirtualMachineSpec>",
    ];
    let edit = (
        any::<prop::sample::Index>(),
        0usize..8,
        prop_oneof![
            prop::sample::select(FRAGMENTS).prop_map(str::to_owned),
            text(),
        ],
    );
    let input = prop_oneof![
        3 => (prop::sample::select(docs.clone()), prop::collection::vec(edit, 1..4)).prop_map(|(mut doc, edits)| {
            for (at, cut, insert) in edits {
                let mut i = at.index(doc.len() + 1);
                while !doc.is_char_boundary(i) { i -= 1; }
                let mut end = (i + cut).min(doc.len());
                while !doc.is_char_boundary(end) { end -= 1; }
                doc.replace_range(i..end.max(i), &insert);
            }
            doc
        }),
        1 => text(),
    ];
    check("spec parse", 20_000, input, |doc| {
        match parse(&doc) {
            Ok(v) => {
                let xml = build(&v).map_err(|e| {
                    TestCaseError::fail(format!("accepted but not buildable: {}", e.message))
                })?;
                prop_assert_eq!(parse(&xml).ok(), Some(v));
            }
            Err(e) => prop_assert!(is_invalid_argument(&e), "{:?}", e),
        }
        Ok(())
    });
}

fn json() -> BoxedStrategy<Value> {
    let words = prop::sample::select(
        &[
            "zone",
            "id",
            "permalink",
            "name",
            "type",
            "new",
            "existing",
            "version",
            "random",
            "all",
            "resources",
            "memory",
            "tags",
            "network_interfaces",
            "ip_address_allocations",
            "hostname",
            "options",
            "key",
            "value",
            "authorized_keys",
            "users",
            "ssh_keys",
            "schedule",
            "interval",
        ][..],
    )
    .prop_map(str::to_owned);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            (0u64..10).prop_map(Number::from),
            any::<f64>().prop_filter_map("finite", Number::from_f64)
        ]
        .prop_map(Value::Number),
        prop_oneof![words.clone(), text()].prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 48, 5, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop_oneof![3 => words.clone(), 1 => text()], inner), 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

#[test]
fn build_never_panics_and_what_it_writes_parses() {
    check("spec build", 20_000, json(), |v| {
        match build(&v) {
            Ok(xml) => {
                prop_assert!(parse(&xml).is_ok(), "{}", xml);
                prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{}", xml);
            }
            Err(e) => prop_assert!(is_invalid_argument(&e), "{:?}", e),
        }
        Ok(())
    });
}
