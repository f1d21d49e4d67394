//! Waiting for tasks, builds and any state (`waitUntil` and the waits made
//! of it): the polling schedule, the arguments, and when a poll ends the
//! wait.
//!
//! The interval starts at `intervalMs` and grows ×1.5 after each poll up to
//! a cap (10 s, or `intervalMs` if larger); it never polls faster than
//! `intervalMs`. The wait fails with `timeout` once `timeoutMs` has passed.

use crate::args::{describe, object_arg, whole_number, RETRIES, SIGNAL};
use crate::error::{codes, Error};
use serde_json::Value;

/// Default first polling interval.
pub const DEFAULT_INTERVAL_MS: u32 = 1_000;
/// Default overall deadline.
pub const DEFAULT_TIMEOUT_MS: u32 = 600_000;
/// The interval stops growing here (unless `intervalMs` is larger).
pub const MAX_INTERVAL_MS: u32 = 10_000;
/// Largest accepted `intervalMs` / `timeoutMs` (what `setTimeout` can express).
pub const LIMIT_MS: u32 = i32::MAX as u32;

/// Validated options of `waitForTask` / `waitForVirtualMachineBuild`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitOptions {
    /// First (and smallest) polling interval.
    pub interval_ms: u32,
    /// Overall deadline, from the call.
    pub timeout_ms: u32,
}

impl WaitOptions {
    /// Validates `options` (absent, `null` and `undefined` mean defaults).
    pub fn parse(options: Option<&Value>) -> Result<Self, Error> {
        Self::parse_with(options, &[])
    }

    /// [`WaitOptions::parse`] for a wait whose options have `extra` keys
    /// too (`pendingOn`, `wait`), which the caller reads.
    pub fn parse_with(options: Option<&Value>, extra: &[&str]) -> Result<Self, Error> {
        let mut keys = vec!["intervalMs", "timeoutMs", "onProgress", SIGNAL, RETRIES];
        keys.extend_from_slice(extra);
        let obj = object_arg(options, "options", &keys)?;
        let get = |key: &str, default: u32| {
            let name = format!("options.{key}");
            Ok::<_, Error>(
                whole_number(obj.and_then(|o| o.get(key)), &name, 1, LIMIT_MS)?.unwrap_or(default),
            )
        };
        Ok(WaitOptions {
            interval_ms: get("intervalMs", DEFAULT_INTERVAL_MS)?,
            timeout_ms: get("timeoutMs", DEFAULT_TIMEOUT_MS)?,
        })
    }
}

/// The polling schedule: gently growing intervals within a deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    interval_ms: u32,
    max_ms: u32,
    deadline_ms: f64,
}

impl Schedule {
    /// A schedule starting at `now_ms`.
    pub fn new(options: WaitOptions, now_ms: f64) -> Self {
        Schedule {
            interval_ms: options.interval_ms,
            max_ms: options.interval_ms.max(MAX_INTERVAL_MS),
            deadline_ms: now_ms + f64::from(options.timeout_ms),
        }
    }

    /// How long to sleep before the next poll, or `None` when the deadline
    /// has passed. The last sleep is cut short to end at the deadline, so one
    /// final poll happens there.
    pub fn next_sleep(&mut self, now_ms: f64) -> Option<u32> {
        let left = self.deadline_ms - now_ms;
        if left <= 0.0 {
            return None;
        }
        let sleep = f64::from(self.interval_ms).min(left).ceil() as u32;
        self.interval_ms = ((f64::from(self.interval_ms) * 1.5) as u32).min(self.max_ms);
        Some(sleep)
    }

    /// The schedule as it stood after earlier sleeps, from its three
    /// numbers (a driver that keeps them between polls).
    pub fn resume(interval_ms: u32, max_ms: u32, deadline_ms: f64) -> Self {
        Schedule {
            interval_ms,
            max_ms,
            deadline_ms,
        }
    }

    /// The interval the next sleep starts from.
    pub fn interval_ms(&self) -> u32 {
        self.interval_ms
    }

    /// The cap the interval grows to.
    pub fn max_ms(&self) -> u32 {
        self.max_ms
    }

    /// When the whole wait must end (for aborting a poll in flight).
    pub fn deadline_ms(&self) -> f64 {
        self.deadline_ms
    }
}

/// Most entries a list argument of a wait takes (`states`, `pendingOn`).
const MAX_NAMES: usize = 64;

/// A list of names (`["started"]`, `["object_in_trash"]`): an array of 1 to
/// 64 non-empty strings (returned as given), or, when `optional`,
/// absent/`null` for none (an empty array).
pub fn names(value: Option<&Value>, name: &str, optional: bool) -> Result<Value, Error> {
    let bad = |got: &Value| {
        Error::invalid_argument(format!(
            "{name} must be an array of 1 to {MAX_NAMES} non-empty strings, got {}",
            describe(got)
        ))
    };
    match value {
        None | Some(Value::Null) if optional => Ok(Value::Array(Vec::new())),
        None => Err(bad(&Value::Null)),
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= MAX_NAMES => {
            match items
                .iter()
                .position(|i| !matches!(i, Value::String(s) if !s.is_empty()))
            {
                Some(i) => Err(Error::invalid_argument(format!(
                    "{name}[{i}] must be a non-empty string"
                ))),
                None => Ok(Value::Array(items.clone())),
            }
        }
        Some(other) => Err(bad(other)),
    }
}

/// The `timeout` error of a `waitUntil` (and the waits made of it): `what`
/// says what did not happen ("Virtual machine vm_x did not reach started").
pub fn until_timed_out(what: &str, timeout_ms: u32) -> Error {
    Error::client(
        codes::TIMEOUT,
        format!("{what} within timeoutMs ({timeout_ms} ms)"),
    )
}

/// The `timeout` error of a wait.
pub fn timed_out(what: &str, id: &str, timeout_ms: u32) -> Error {
    Error::client(
        codes::TIMEOUT,
        format!("{what} {id} did not finish within timeoutMs ({timeout_ms} ms)"),
    )
}

/// Whether a task with this `status` is finished: `Some(Ok)` when
/// completed, `Some(Err)` with `task_failed` (the task, from `task()`, in
/// `detail.task`) when failed, `None` while it still runs.
pub fn task_outcome(
    status: &str,
    id: &str,
    name: &str,
    task: impl FnOnce() -> Value,
) -> Option<Result<(), Error>> {
    match status {
        "completed" => Some(Ok(())),
        "failed" => Some(Err(Error::client(
            codes::TASK_FAILED,
            format!("Task {id} ({name}) failed"),
        )
        .with_detail(crate::lookup::wrap("task", task())))),
        _ => None,
    }
}

/// Whether a build in this `state` is finished: `Some(Ok)` once `complete`
/// (the live API attaches the VM while still `building`, so the state
/// decides), `Some(Err)` with `build_failed` (the build in
/// `detail.virtual_machine_build`) when failed, `None` meanwhile.
pub fn build_outcome(
    state: &str,
    id: &str,
    build: impl FnOnce() -> Value,
) -> Option<Result<(), Error>> {
    match state {
        "complete" => Some(Ok(())),
        "failed" => Some(Err(Error::client(
            codes::BUILD_FAILED,
            format!("Virtual machine build {id} failed"),
        )
        .with_detail(crate::lookup::wrap("virtual_machine_build", build())))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schedule(interval: u32, timeout: u32) -> Schedule {
        Schedule::new(
            WaitOptions {
                interval_ms: interval,
                timeout_ms: timeout,
            },
            0.0,
        )
    }

    #[test]
    fn intervals_grow_by_half_up_to_the_cap_and_never_below_the_start() {
        let mut s = schedule(1000, u32::MAX / 2);
        let mut now = 0.0;
        let sleeps: Vec<u32> = (0..10)
            .map(|_| {
                let d = s.next_sleep(now).unwrap();
                now += f64::from(d);
                d
            })
            .collect();
        assert_eq!(
            sleeps,
            [1000, 1500, 2250, 3375, 5062, 7593, 10000, 10000, 10000, 10000]
        );
        assert!(sleeps.iter().all(|d| *d >= 1000));
    }

    #[test]
    fn a_large_interval_is_its_own_cap() {
        let mut s = schedule(20_000, u32::MAX / 2);
        assert_eq!(s.next_sleep(0.0), Some(20_000));
        assert_eq!(s.next_sleep(20_000.0), Some(20_000));
    }

    #[test]
    fn the_last_sleep_ends_at_the_deadline_then_the_wait_times_out() {
        let mut s = schedule(1000, 2500);
        assert_eq!(s.next_sleep(0.0), Some(1000));
        assert_eq!(s.next_sleep(1000.0), Some(1500));
        assert_eq!(s.next_sleep(2300.0), Some(200));
        assert_eq!(s.next_sleep(2500.0), None);
        assert_eq!(s.next_sleep(9999.0), None);
        assert_eq!(s.deadline_ms(), 2500.0);
    }

    #[test]
    fn options_defaults_and_validation() {
        assert_eq!(
            WaitOptions::parse(None),
            Ok(WaitOptions {
                interval_ms: DEFAULT_INTERVAL_MS,
                timeout_ms: DEFAULT_TIMEOUT_MS
            })
        );
        assert_eq!(
            WaitOptions::parse(Some(
                &json!({"intervalMs": 50, "timeoutMs": 2000, "signal": {}})
            )),
            Ok(WaitOptions {
                interval_ms: 50,
                timeout_ms: 2000
            })
        );
        for (bad, message) in [
            (
                json!({"intervalMs": 0}),
                "options.intervalMs must be a whole number from 1 to 2147483647",
            ),
            (
                json!({"timeoutMs": -1}),
                "options.timeoutMs must be a whole number from 1 to 2147483647",
            ),
            (
                json!({"timeoutMs": 1e12}),
                "options.timeoutMs must be a whole number from 1 to 2147483647",
            ),
            (
                json!({"intervalMs": "1s"}),
                "options.intervalMs must be a whole number from 1 to 2147483647, got a string",
            ),
            (
                json!({"interval": 5}),
                "options has an unknown key \"interval\"; allowed: intervalMs, timeoutMs, onProgress, signal, maxRetries",
            ),
        ] {
            assert_eq!(
                WaitOptions::parse(Some(&bad)).unwrap_err().message,
                message,
                "{bad}"
            );
        }
    }

    #[test]
    fn task_outcomes() {
        let task = || json!({"id": "task_1", "status": "failed"});
        for running in ["pending", "running", "queued", ""] {
            assert_eq!(
                task_outcome(running, "task_1", "Shutdown", task),
                None,
                "{running}"
            );
        }
        assert_eq!(
            task_outcome("completed", "task_1", "Shutdown", task),
            Some(Ok(()))
        );
        let e = task_outcome("failed", "task_1", "Shutdown", task)
            .unwrap()
            .unwrap_err();
        assert_eq!((e.code.as_str(), e.status), ("task_failed", 0));
        assert_eq!(e.message, "Task task_1 (Shutdown) failed");
        assert_eq!(e.detail.unwrap()["task"]["id"], "task_1");
    }

    #[test]
    fn build_outcomes_follow_the_state_not_the_vm() {
        let build = || json!({"id": "vmbuild_1", "state": "failed", "virtual_machine": null});
        // A VM attached while building does not make the build done: only the state counts.
        for running in ["draft", "pending", "building", "queued"] {
            assert_eq!(
                build_outcome(running, "vmbuild_1", build),
                None,
                "{running}"
            );
        }
        assert_eq!(build_outcome("complete", "vmbuild_1", build), Some(Ok(())));
        let e = build_outcome("failed", "vmbuild_1", build)
            .unwrap()
            .unwrap_err();
        assert_eq!(e.code, "build_failed");
        assert_eq!(
            e.detail.unwrap()["virtual_machine_build"]["state"],
            "failed"
        );
    }
}
