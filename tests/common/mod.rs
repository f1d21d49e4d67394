//! What the property-test suites share: the runner ([`check`], [`report`])
//! and, in submodules, the input generators, JSON tree surgery and the
//! model of errors made from answers. Each suite uses a part of it.
#![allow(dead_code)]

pub mod errors;
pub mod gen;
pub mod tree;

use std::cell::Cell;
use std::io::Write as _;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config as RunConfig, RngAlgorithm, TestCaseError, TestRunner};

/// Runs `test` on `cases` inputs drawn from `strategy` (or `PROPTEST_CASES`
/// of them) and returns how many ran. A failure panics with the shrunk input.
pub fn check<S: Strategy>(
    name: &str,
    cases: u32,
    strategy: S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> u64 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let mut runner = TestRunner::new(RunConfig {
        cases,
        failure_persistence: None,
        // ChaCha, the default, is several times slower in a debug build.
        rng_algorithm: RngAlgorithm::XorShift,
        ..RunConfig::default()
    });
    let ran = Cell::new(0u64);
    let t0 = std::time::Instant::now();
    let result = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        test(input)
    });
    if let Err(e) = result {
        panic!("property {name} failed: {e}");
    }
    if std::env::var("PROPERTIES_TIMING").is_ok() {
        let _ = writeln!(std::io::stderr(), "timing: {name}: {:?}", t0.elapsed());
    }
    ran.get()
}

/// Prints the case counts of one test to stderr, past the test harness's
/// output capture, and returns the total.
pub fn report(name: &str, counts: &[(&str, u64)]) -> u64 {
    let total = counts.iter().map(|c| c.1).sum();
    let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(
        std::io::stderr(),
        "properties: {name}: {total} cases ({})",
        parts.join(", ")
    );
    total
}
