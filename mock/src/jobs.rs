//! Background progress of tasks and builds.
//!
//! A task is `pending` for the first 20% of `--task-ms`, then `running`
//! (the VM enters its transitional state), then `completed` (the VM reaches
//! its end state) or `failed`. Timers check the state generation, so a
//! `/_mock/reset` makes outstanding timers do nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::state::{now_unix, BuildState, State, Task, TaskStatus, Vm};

/// A power action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerAction {
    /// ACPI shutdown.
    Shutdown,
    /// Hard stop.
    Stop,
    /// Start.
    Start,
    /// Hard reset.
    Reset,
}

impl PowerAction {
    /// The task's name.
    pub fn task_name(self) -> &'static str {
        match self {
            PowerAction::Shutdown => "Shutdown virtual machine",
            PowerAction::Stop => "Stop virtual machine",
            PowerAction::Start => "Start virtual machine",
            PowerAction::Reset => "Reset virtual machine",
        }
    }

    /// The VM state while the task runs.
    pub fn transitional(self) -> &'static str {
        match self {
            PowerAction::Shutdown => "shutting_down",
            PowerAction::Stop => "stopping",
            PowerAction::Start => "starting",
            PowerAction::Reset => "resetting",
        }
    }

    /// The VM state once the task completed.
    pub fn end_state(self) -> &'static str {
        match self {
            PowerAction::Shutdown | PowerAction::Stop => "stopped",
            PowerAction::Start | PowerAction::Reset => "started",
        }
    }
}

/// Create and store a pending task.
pub fn new_task(app: &App, st: &mut State, name: &str) -> Task {
    let task = Task {
        id: app.ids.next("task"),
        name: name.to_string(),
        status: TaskStatus::Pending,
        created_at: now_unix(),
        started_at: None,
        finished_at: None,
        started: Instant::now(),
        duration: Duration::from_millis(app.config.task_ms),
        final_progress: None,
    };
    st.tasks.insert(task.id.clone(), task.clone());
    task
}

fn phases(app: &App) -> (Duration, Duration) {
    let total = Duration::from_millis(app.config.task_ms);
    let first = total / 5;
    (first, total.saturating_sub(first))
}

fn set_task(st: &mut State, id: &str, status: TaskStatus) {
    if let Some(t) = st.tasks.get_mut(id) {
        match status {
            TaskStatus::Running => t.started_at = Some(now_unix()),
            TaskStatus::Completed => {
                t.finished_at = Some(now_unix());
                t.final_progress = Some(100);
            }
            TaskStatus::Failed => {
                t.finished_at = Some(now_unix());
                t.final_progress = Some(t.progress().max(1));
            }
            TaskStatus::Pending => {}
        }
        t.status = status;
    }
}

/// Run a power task against VM `vm` in the background: a change whose
/// VM is in the action's transitional state while it runs, in its end
/// state after, and back in `previous_state` when it fails.
pub fn spawn_power(
    app: Arc<App>,
    generation: u64,
    task_id: String,
    vm: usize,
    action: PowerAction,
    previous_state: String,
    fail: bool,
) {
    let set = move |state: String| {
        move |st: &mut State| {
            if let Some(v) = st.vms.get_mut(vm) {
                v.state = state;
            }
        }
    };
    let change = Change {
        during: Box::new(set(action.transitional().to_string())),
        done: Box::new(set(action.end_state().to_string())),
        undo: Box::new(set(previous_state)),
    };
    spawn_change(app, generation, task_id, vm, fail, change);
}

/// Run a build in the background: allocate the VM, then complete or fail.
pub fn spawn_build(app: Arc<App>, generation: u64, build_id: String) {
    let (first, rest) = phases(&app);
    tokio::spawn(async move {
        tokio::time::sleep(first).await;
        {
            let mut guard = app.state();
            let st = &mut *guard;
            if st.generation != generation {
                return;
            }
            let Some(build) = st.builds.get(&build_id).cloned() else {
                return;
            };
            set_task(st, &build.task, TaskStatus::Running);
            let org_domain = st
                .orgs
                .get(build.org)
                .map(|o| o.infrastructure_domain.clone())
                .unwrap_or_default();
            let plan = &build.plan;
            let fqdn = format!("{}.{}", plan.hostname, org_domain);
            let pkg = |field| {
                let p = plan.package?;
                st.catalog.int("virtual_machine_package", p, field)
            };
            let (memory, cpu, storage) =
                (pkg("memory_in_gb"), pkg("cpu_cores"), pkg("storage_in_gb"));
            let ips = st.allocate_ips(&app.ids, plan.zone, &fqdn);
            let hv = plan.zone * 3 + st.rng.below(3) as usize;
            let password = st.rng.alnum(20);
            let vm = Vm {
                id: app.ids.next("vm"),
                org: build.org,
                name: plan.name.clone(),
                hostname: plan.hostname.clone(),
                fqdn,
                description: plan.description.clone(),
                created_at: now_unix(),
                initial_root_password: Some(password),
                state: "allocating".into(),
                zone: plan.zone,
                group: None,
                package: plan.package,
                memory_in_gb: memory.or(plan.memory_in_gb),
                cpu_cores: cpu.or(plan.cpu_cores),
                use_dedicated_cpus: Some(false),
                attached_iso: None,
                gpu: None,
                tags: Vec::new(),
                ip_addresses: ips,
                hypervisor: Some(hv),
                annotations: build.annotations.clone(),
                trash: None,
                removed: false,
                busy_task: Some(build.task.clone()),
                disks: vec![crate::seed::system_disk(
                    &app.ids.next("disk"),
                    storage.unwrap_or(20),
                    now_unix(),
                )],
                nic_id: app.ids.next("vmnic"),
                backup_policies: Vec::new(),
            };
            let idx = st.insert_vm(vm);
            if let Some(b) = st.builds.get_mut(&build_id) {
                b.state = BuildState::Building;
                b.vm = Some(idx);
            }
        }
        tokio::time::sleep(rest).await;
        let mut guard = app.state();
        let st = &mut *guard;
        if st.generation != generation {
            return;
        }
        let Some(build) = st.builds.get(&build_id).cloned() else {
            return;
        };
        if build.plan.fail {
            set_task(st, &build.task, TaskStatus::Failed);
            if let Some(idx) = build.vm {
                st.remove_vm(idx);
            }
            if let Some(b) = st.builds.get_mut(&build_id) {
                b.state = BuildState::Failed;
                b.vm = None;
            }
        } else {
            set_task(st, &build.task, TaskStatus::Completed);
            if let Some(v) = build.vm.and_then(|i| st.vms.get_mut(i)) {
                v.state = "started".into();
                v.busy_task = None;
            }
            if let Some(b) = st.builds.get_mut(&build_id) {
                b.state = BuildState::Complete;
            }
        }
    });
}

/// What a change task does to the world at one of its steps.
pub type Effect = Box<dyn FnOnce(&mut State) + Send>;

/// A change task's effects: when it starts running, when it completes, and
/// when it fails instead.
pub struct Change {
    /// Applied when the task starts running.
    pub during: Effect,
    /// Applied when it completes.
    pub done: Effect,
    /// Applied when it fails (VMs named `fail-task…`).
    pub undo: Effect,
}

impl Change {
    /// A change that only does `done`.
    pub fn on_done(done: impl FnOnce(&mut State) + Send + 'static) -> Self {
        Self {
            during: Box::new(|_| {}),
            done: Box::new(done),
            undo: Box::new(|_| {}),
        }
    }
}

/// Run a change task (a package change, a disk resize, …) of VM `vm` in the
/// background: `pending`, then `running` (`during`), then `completed`
/// (`done`) or, when `fail`, `failed` (`undo`). The VM is busy until then.
pub fn spawn_change(
    app: Arc<App>,
    generation: u64,
    task_id: String,
    vm: usize,
    fail: bool,
    change: Change,
) {
    let (first, rest) = phases(&app);
    tokio::spawn(async move {
        tokio::time::sleep(first).await;
        {
            let mut st = app.state();
            if st.generation != generation {
                return;
            }
            set_task(&mut st, &task_id, TaskStatus::Running);
            (change.during)(&mut st);
        }
        tokio::time::sleep(rest).await;
        let mut st = app.state();
        if st.generation != generation {
            return;
        }
        if fail {
            set_task(&mut st, &task_id, TaskStatus::Failed);
            (change.undo)(&mut st);
        } else {
            set_task(&mut st, &task_id, TaskStatus::Completed);
            (change.done)(&mut st);
        }
        if let Some(v) = st.vms.get_mut(vm) {
            if v.busy_task.as_deref() == Some(task_id.as_str()) {
                v.busy_task = None;
            }
        }
    });
}
