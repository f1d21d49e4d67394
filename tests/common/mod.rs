//! The property-test runner shared by `tests/properties.rs` and
//! `tests/spec_properties.rs`.

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
