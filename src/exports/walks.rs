//! The decisions of calls that make many requests: walks over every page
//! of a list (which pages, when it ends, when the server is not to be
//! believed) and waits for a task or a build (the arguments, the polling
//! schedule, when a poll ends the wait). The driver keeps each walk's and
//! wait's state; it asks here at every step.

use super::calls::{annotations_arg, org_lookup};
use super::{answer, arg, arguments, fail, object, with_input};
use crate::args::{self, annotations};
use crate::error::Error;
use crate::generated::operations as ops;
use crate::operation::{self, Naming, Operation};
use crate::paginate::{
    check_page, is_last_page, next_page, page_params, plan, walkable, PageOptions, Pagination, Plan,
};
use crate::wait::{build_outcome, task_outcome, timed_out, Schedule, WaitOptions};
use serde_json::{Map, Value};

/// `kw_walk` kinds.
mod kind {
    /// `paginate(operationId, params, options)`: `[params, options, id]`.
    pub const PAGINATE: u32 = 0;
    /// `iterate(operationId, params, options)`: `[params, options, id]`.
    pub const ITERATE: u32 = 1;
    /// `listAllVirtualMachines(org, options)`: `[org, options]`.
    pub const ALL_VMS: u32 = 2;
    /// `virtualMachines(org, options)`: `[org, options]`.
    pub const VM_ITERATOR: u32 = 3;
}

/// Checks a walk's arguments for the operation at `op` (-1: none was
/// found). 0 and `{ op, params, perPage, concurrency, maxPages, items }`
/// (`op` the index of the walked operation), or 1 and the error.
#[no_mangle]
pub extern "C" fn kw_walk(op: i32, kind: u32, len: usize) -> i32 {
    let checked = with_input(len, |input| {
        let args = arguments(input)?;
        let op = operation::named_by(op);
        walk(op, kind, &args)
    });
    match checked {
        Ok(walk) => {
            answer(&walk);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

fn walk(
    (op, public): (Option<&'static Operation>, bool),
    kind: u32,
    args: &[Value],
) -> Result<String, Error> {
    let concurrent = matches!(kind, kind::PAGINATE | kind::ALL_VMS);
    let (index, op, params, pages) = match kind {
        kind::PAGINATE | kind::ITERATE => {
            let (index, op) = match (op, arg(args, 2)) {
                (Some(op), _) => (index_of(op), op),
                (None, Value::String(id)) => return Err(operation::unknown(id, public)),
                (None, _) => {
                    return Err(Error::invalid_argument(
                        "operationId must be a string such as \"get:virtual_machine\" (see `operations`)",
                    ))
                }
            };
            let pages = PageOptions::parse(Some(arg(args, 1)), concurrent, &[])?;
            (index, op, arg(args, 0).clone(), pages)
        }
        kind::ALL_VMS | kind::VM_ITERATOR => {
            let op = ops::GET_ORGANIZATION_VIRTUAL_MACHINES;
            let org = org_lookup(arg(args, 0))?;
            let options = arg(args, 1);
            let pages = PageOptions::parse(Some(options), concurrent, &["annotations"])?;
            let list = annotations(options.get("annotations"), "options.annotations")?;
            let mut params = Map::new();
            params.insert("organization".into(), org);
            if !list.is_empty() {
                params.insert("annotations".into(), annotations_arg(&list));
            }
            (index_of(op), op, Value::Object(params), pages)
        }
        _ => return Err(Error::invalid_argument("unknown kind of walk")),
    };
    let items = walkable(op, &params)?;
    // The arguments are checked now, not at the first page.
    op.call(&page_params(&params, 1, pages.per_page), &Naming::PARAMS)?;
    Ok(object(&[
        ("op", index.into()),
        ("params", params),
        ("perPage", pages.per_page.into()),
        ("concurrency", pages.concurrency.into()),
        ("maxPages", pages.max_pages.into()),
        ("items", items.into()),
    ]))
}

/// An operation's index in the table.
fn index_of(op: &'static Operation) -> usize {
    op.index()
}

/// What to do after page `requested` of a walk arrived, from its
/// `pagination` (each number NaN when absent; `large_set` 1, 0 or NaN)
/// and `items` items (`asked` per page). After page 1: 0 when it was all,
/// -1 to walk on one page at a time, or n to fetch pages 2 to n (any
/// order, at once). After a later page: 0 when it was the last, else the
/// next page's number. -2 when the walk must end with the error (the text
/// answer): a page other than the one asked for, or more than `max_pages`.
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub extern "C" fn kw_page(
    requested: u32,
    current_page: f64,
    total_pages: f64,
    per_page: f64,
    large_set: f64,
    items: u32,
    asked: u32,
    max_pages: u32,
) -> f64 {
    let int = |n: f64| (n.is_finite() && n.fract() == 0.0).then_some(n as i64);
    let pagination = Pagination {
        current_page: int(current_page),
        total_pages: int(total_pages),
        total: None,
        per_page: int(per_page),
        large_set: (!large_set.is_nan()).then_some(large_set != 0.0),
    };
    let items = usize::try_from(items).unwrap_or(usize::MAX);
    let decided = check_page(requested, &pagination).and_then(|()| {
        if requested == 1 {
            return plan(&pagination, items, asked, max_pages).map(|plan| match plan {
                Plan::Done => 0.0,
                Plan::Sequential => -1.0,
                Plan::Pages(pages) => f64::from(*pages.end()),
            });
        }
        match is_last_page(&pagination, items, asked) {
            true => Ok(0.0),
            false => next_page(requested, max_pages).map(f64::from),
        }
    });
    decided.unwrap_or_else(|e| {
        fail(&e);
        -2.0
    })
}

/// `kw_wait` kinds.
mod wait_kind {
    /// `waitForTask(taskOrId, options)`.
    pub const TASK: u32 = 0;
    /// `waitForVirtualMachineBuild(id, options)`.
    pub const BUILD: u32 = 1;
}

/// Checks a wait's arguments (`[taskOrId or id, options]`). 0 and
/// `{ id, intervalMs, maxIntervalMs, timeoutMs }`, or 1 and the error.
#[no_mangle]
pub extern "C" fn kw_wait(kind: u32, len: usize) -> i32 {
    let checked = with_input(len, |input| {
        let args = arguments(input)?;
        let id = match kind {
            wait_kind::TASK => args::id_or_object(arg(&args, 0), "taskOrId")?,
            _ => args::id_or_object(arg(&args, 0), "id")?,
        };
        let options = WaitOptions::parse(Some(arg(&args, 1)))?;
        let schedule = Schedule::new(options, 0.0);
        Ok::<_, Error>(object(&[
            ("id", Value::String(id)),
            ("intervalMs", schedule.interval_ms().into()),
            ("maxIntervalMs", schedule.max_ms().into()),
            ("timeoutMs", options.timeout_ms.into()),
        ]))
    });
    match checked {
        Ok(wait) => {
            answer(&wait);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

/// The sleep before a wait's next poll: `interval` the current interval,
/// `max_interval` its cap, `deadline` and `now` in ms. Returns the sleep in
/// ms (the next interval is [`kw_wait_interval`]), or -1 when the deadline
/// has passed.
#[no_mangle]
pub extern "C" fn kw_wait_sleep(interval: u32, max_interval: u32, deadline: f64, now: f64) -> f64 {
    Schedule::resume(interval, max_interval, deadline)
        .next_sleep(now)
        .map_or(-1.0, f64::from)
}

/// The interval after `interval` (it grows gently up to `max_interval`).
#[no_mangle]
pub extern "C" fn kw_wait_interval(interval: u32, max_interval: u32) -> u32 {
    let mut schedule = Schedule::resume(interval, max_interval, f64::INFINITY);
    let _ = schedule.next_sleep(0.0);
    schedule.interval_ms()
}

/// Whether a poll ends the wait: the input is `[status or state, id, name]`.
/// 0 while it runs, 1 when it finished well, 2 when it failed (the error,
/// without its detail, is the text answer: the driver attaches the task or
/// build it polled).
#[no_mangle]
pub extern "C" fn kw_wait_outcome(kind: u32, len: usize) -> i32 {
    let outcome = with_input(len, |input| {
        let args = arguments(input).unwrap_or_default();
        let text = |i| arg(&args, i).as_str().unwrap_or_default().to_owned();
        let (state, id, name) = (text(0), text(1), text(2));
        match kind {
            wait_kind::TASK => task_outcome(&state, &id, &name, || Value::Null),
            _ => build_outcome(&state, &id, || Value::Null),
        }
    });
    match outcome {
        None => 0,
        Some(Ok(())) => 1,
        Some(Err(mut e)) => {
            e.detail = None;
            fail(&e);
            2
        }
    }
}

/// The `timeout` error of a wait (`[id, timeoutMs]`), as the text answer.
#[no_mangle]
pub extern "C" fn kw_wait_timeout(kind: u32, len: usize) {
    let error = with_input(len, |input| {
        let args = arguments(input).unwrap_or_default();
        let id = arg(&args, 0).as_str().unwrap_or_default().to_owned();
        let ms = arg(&args, 1).as_u64().and_then(|n| u32::try_from(n).ok());
        let what = match kind {
            wait_kind::TASK => "Task",
            wait_kind::BUILD => "Virtual machine build",
            _ => "The wait",
        };
        timed_out(what, &id, ms.unwrap_or(0))
    });
    fail(&error);
}

/// The `aborted` error, as the text answer (a walk or wait cut short).
#[no_mangle]
pub extern "C" fn kw_aborted() {
    fail(&super::calls::aborted());
}

/// `kw_wait_until` kinds: the waits made of polling one GET operation.
mod until_kind {
    /// `waitUntil(operationId, params, predicate, options)`: `[id, params, options]`.
    pub const UNTIL: u32 = 0;
    /// `waitForVirtualMachineState(vm, states, options)`: `[vm, states, options]`.
    pub const VM_STATE: u32 = 1;
    /// `purgeTrashObject(id, options)`: `[id, options]`.
    pub const PURGE: u32 = 2;
}

/// Checks the arguments of a wait that polls one GET operation until the
/// driver's test holds (`waitUntil`, `waitForVirtualMachineState`, and
/// `purgeTrashObject`'s `wait`); `op` is the operation's index for
/// `waitUntil` (-1: none was found). 0 and `{ op, params, intervalMs,
/// maxIntervalMs, timeoutMs, pendingOn, … }` (`states` for a VM state,
/// `id` and `wait` for a purge), or 1 and the error.
#[no_mangle]
pub extern "C" fn kw_wait_until(op: i32, kind: u32, len: usize) -> i32 {
    let checked = with_input(len, |input| {
        let args = arguments(input)?;
        let op = operation::named_by(op);
        until(op, kind, &args)
    });
    match checked {
        Ok(plan) => {
            answer(&plan);
            0
        }
        Err(e) => {
            fail(&e);
            1
        }
    }
}

fn until(
    (op, public): (Option<&'static Operation>, bool),
    kind: u32,
    args: &[Value],
) -> Result<String, Error> {
    let mut extra: [(&str, Value); 2] = [("states", Value::Null), ("id", Value::Null)];
    let (op, params, options) = match kind {
        until_kind::UNTIL => {
            let op = match (op, arg(args, 0)) {
                (Some(op), _) => op,
                (None, Value::String(id)) => return Err(operation::unknown(id, public)),
                (None, _) => {
                    return Err(Error::invalid_argument(
                        "operationId must be a string such as \"get:virtual_machine\" (see `operations`)",
                    ))
                }
            };
            // The id as the caller gave it: `Operation::id` would pull the
            // id table into the module.
            if op.method() != crate::request::Method::Get {
                return Err(Error::invalid_argument(format!(
                    "waitUntil polls a GET operation, and {} is not one",
                    arg(args, 0).as_str().unwrap_or("this")
                )));
            }
            (op, arg(args, 1).clone(), arg(args, 2))
        }
        until_kind::VM_STATE => {
            let vm = crate::lookup::VirtualMachineLookup::parse(arg(args, 0), "vm")?;
            extra[0].1 = crate::wait::names(Some(arg(args, 1)), "states", false)?;
            let params = crate::lookup::wrap("virtual_machine", crate::lookup::to_json(vm.pair()));
            (ops::GET_VIRTUAL_MACHINE, params, arg(args, 2))
        }
        until_kind::PURGE => {
            let id = args::id_or_object(arg(args, 0), "id")?;
            let params = crate::lookup::wrap("trash_object", crate::lookup::to_json(("id", &id)));
            extra[1].1 = Value::String(id);
            (ops::GET_TRASH_OBJECT, params, arg(args, 1))
        }
        _ => return Err(Error::invalid_argument("unknown kind of wait")),
    };
    // A purge's options take `wait` (read by the driver: a boolean), the
    // others' `pendingOn`.
    let purge = kind == until_kind::PURGE;
    let wait = WaitOptions::parse_with(Some(options), &[if purge { "wait" } else { "pendingOn" }])?;
    let pending_on = crate::wait::names(options.get("pendingOn"), "options.pendingOn", true)?;
    if purge
        && !matches!(
            options.get("wait"),
            None | Some(Value::Null | Value::Bool(_))
        )
    {
        return Err(Error::invalid_argument(
            "options.wait must be true or false",
        ));
    }
    // The arguments are checked now, not at the first poll.
    op.call(&params, &Naming::PARAMS)?;
    let schedule = Schedule::new(wait, 0.0);
    Ok(object(&[
        ("op", index_of(op).into()),
        ("params", params),
        ("intervalMs", schedule.interval_ms().into()),
        ("maxIntervalMs", schedule.max_ms().into()),
        ("timeoutMs", wait.timeout_ms.into()),
        ("pendingOn", pending_on),
        (extra[0].0, extra[0].1.take()),
        (extra[1].0, extra[1].1.take()),
    ]))
}

/// The `timeout` error of a wait made by polling (`[what, timeoutMs]`,
/// `what` in words), as the text answer.
#[no_mangle]
pub extern "C" fn kw_until_timeout(len: usize) {
    let error = with_input(len, |input| {
        let args = arguments(input).unwrap_or_default();
        let what = arg(&args, 0).as_str().unwrap_or("The wait").to_owned();
        let ms = arg(&args, 1).as_u64().and_then(|n| u32::try_from(n).ok());
        crate::wait::until_timed_out(&what, ms.unwrap_or(0))
    });
    fail(&error);
}
