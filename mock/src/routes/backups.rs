//! A VM's disk backup policies: the list, a new one, a change and removal.

use std::sync::Arc;

use serde_json::{json, Value};

use super::virtual_machines::{ensure_not_protected, ensure_not_trashed, vm_to_change, vm_to_read};
use super::{paginate, Reply, Route};
use crate::app::App;
use crate::args::Args;
use crate::errors::ApiError;
use crate::state::{now_unix, BackupPolicy, State};

const INTERVALS: &[&str] = &["hourly", "daily", "weekly", "monthly"];

/// When the policy runs next, after `now`: the next hour at its `minute`
/// (hourly), else the next day at its `time`:`minute` UTC (which weekday or
/// day of the month a weekly or monthly policy keeps is not modelled). Worked
/// out when asked, so a seeded policy's next run is ahead however long ago
/// the mock started or was reset.
pub fn next_run(p: &BackupPolicy, now: i64) -> i64 {
    let (period, offset) = match p.interval.as_str() {
        "hourly" => (3600, p.minute * 60),
        _ => (86_400, p.time * 3600 + p.minute * 60),
    };
    let at = now - now.rem_euclid(period) + offset;
    if at > now {
        at
    } else {
        at + period
    }
}

/// The full `DiskBackupPolicy` (without `auto_move_to_trash_at`, which
/// only some answers list: nothing is scheduled for the trash here).
pub fn policy_full(p: &BackupPolicy) -> Value {
    json!({
        "id": p.id,
        "retention": p.retention,
        "total_size": p.total_size,
        "schedule": {
            "frequency": p.frequency,
            "interval": p.interval,
            "minute": p.minute,
            "next_invocation_at": next_run(p, now_unix()),
            "time": p.time,
        },
    })
}

/// `GET /virtual_machines/virtual_machine/disk_backup_policies`.
pub fn list(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let st = app.state();
    let idx = vm_to_read(&st, args, route)?;
    let now = now_unix();
    let all = st.vms[idx]
        .backup_policies
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "retention": p.retention,
                "total_size": p.total_size,
                "schedule": { "interval": p.interval, "next_invocation_at": next_run(p, now) },
            })
        })
        .collect();
    let (pagination, list) = paginate(app, args, route, all)?;
    Ok(Reply::ok(
        json!({ "pagination": pagination, "disk_backup_policies": list }),
    ))
}

/// The policy's fields from `properties`, onto `p`; problems as messages.
fn apply(props: Option<&serde_json::Map<String, Value>>, p: &mut BackupPolicy) -> Vec<String> {
    let mut errors = Vec::new();
    let number =
        |v: Option<&Value>, label: &str, min: i64, max: i64, errors: &mut Vec<String>| match v {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some_and(|x| (min..=max).contains(&x)) => {
                n.as_i64()
            }
            Some(_) => {
                errors.push(format!(
                    "{label} must be a whole number from {min} to {max}"
                ));
                None
            }
        };
    let props = props.cloned().unwrap_or_default();
    if let Some(r) = number(props.get("retention"), "Retention", 1, 365, &mut errors) {
        p.retention = r;
    }
    let schedule = props
        .get("schedule")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    match schedule.get("interval") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if INTERVALS.contains(&s.as_str()) => p.interval = s.clone(),
        Some(_) => errors.push(format!("Interval must be one of {}", INTERVALS.join(", "))),
    }
    if let Some(f) = number(schedule.get("frequency"), "Frequency", 1, 365, &mut errors) {
        p.frequency = f;
    }
    if let Some(t) = number(schedule.get("time"), "Time", 0, 23, &mut errors) {
        p.time = t;
    }
    if let Some(m) = number(schedule.get("minute"), "Minute", 0, 59, &mut errors) {
        p.minute = m;
    }
    errors
}

/// `POST /virtual_machines/virtual_machine/disk_backup_policies`.
pub fn create(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let idx = vm_to_change(&st, args, route)?;
    let mut policy = BackupPolicy {
        id: app.ids.next("dbp"),
        retention: 7,
        interval: "daily".into(),
        frequency: 1,
        minute: 0,
        time: 0,
        total_size: 0.0,
    };
    let errors = apply(
        args.0.get("properties").and_then(Value::as_object),
        &mut policy,
    );
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let body = json!({ "disk_backup_policy": policy_full(&policy) });
    st.vms[idx].backup_policies.push(policy);
    Ok(Reply::ok(body))
}

/// The (VM, policy) indexes the `disk_backup_policy` lookup names.
fn find(st: &State, args: &Args, route: &Route) -> Result<(usize, usize), ApiError> {
    let key = args.lookup(
        route.endpoint_id,
        "disk_backup_policy",
        "DiskBackupPolicyLookup",
        &["id"],
    )?;
    let id = key.map(|(_, v)| v).unwrap_or_default();
    let found = st
        .vms
        .iter()
        .enumerate()
        .filter(|(_, vm)| !vm.removed)
        .find_map(|(v, vm)| {
            vm.backup_policies
                .iter()
                .position(|p| p.id == id)
                .map(|p| (v, p))
        })
        .ok_or_else(|| ApiError::not_found("disk_backup_policy_not_found"))?;
    ensure_not_trashed(st, found.0)?;
    ensure_not_protected(st, found.0)?;
    Ok(found)
}

/// `PATCH /disk_backup_policies/disk_backup_policy`.
pub fn update(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let (v, p) = find(&st, args, route)?;
    let mut policy = st.vms[v].backup_policies[p].clone();
    let errors = apply(
        args.0.get("properties").and_then(Value::as_object),
        &mut policy,
    );
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    // The document's answer to a change lists fewer fields than to a creation.
    let mut answer = policy_full(&policy);
    if let Some(o) = answer.as_object_mut() {
        o.remove("total_size");
    }
    let body = json!({ "disk_backup_policy": answer });
    st.vms[v].backup_policies[p] = policy;
    Ok(Reply::ok(body))
}

/// `DELETE /disk_backup_policies/disk_backup_policy`.
pub fn delete(app: &Arc<App>, args: &Args, route: &'static Route) -> Result<Reply, ApiError> {
    let mut st = app.state();
    let (v, p) = find(&st, args, route)?;
    let policy = st.vms[v].backup_policies.remove(p);
    Ok(Reply::ok(
        json!({ "disk_backup_policy": { "id": policy.id } }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(interval: &str, time: i64, minute: i64) -> BackupPolicy {
        BackupPolicy {
            id: "dbp_test".into(),
            retention: 7,
            interval: interval.into(),
            frequency: 1,
            minute,
            time,
            total_size: 0.0,
        }
    }

    #[test]
    fn the_next_run_is_the_schedules_next_moment_after_now() {
        // 2024-01-15 10:20:00 UTC.
        let now = 1_705_314_000;
        let day = now - now % 86_400;
        assert_eq!(
            next_run(&policy("daily", 3, 0), now),
            day + 86_400 + 3 * 3600,
            "03:00 has passed today: tomorrow"
        );
        assert_eq!(
            next_run(&policy("weekly", 23, 30), now),
            day + 23 * 3600 + 30 * 60
        );
        assert_eq!(
            next_run(&policy("hourly", 0, 45), now),
            now - now % 3600 + 45 * 60
        );
        assert_eq!(
            next_run(&policy("hourly", 0, 20), now),
            now + 3600,
            "not now: the next one"
        );
    }
}
