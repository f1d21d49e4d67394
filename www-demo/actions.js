// Per-VM actions: power actions with live task progress, and delete with an
// in-page confirmation and an Undo (restoreTrashObject) that stays offered
// until the trash object's keep_until.
import { state, on, emit, record, patch, isAbort, vmName } from "./state.js";
import { $, h, toast, reportError, confirmDialog, withBusy, formatDateTime, taskText } from "./ui.js";
import { followTask } from "./tasks.js";

export const POWER = {
  start: { method: "startVirtualMachine", label: "Start" },
  stop: { method: "stopVirtualMachine", label: "Stop" },
  shutdown: { method: "shutdownVirtualMachine", label: "Shut down" },
  reset: { method: "resetVirtualMachine", label: "Reset" },
};

/** Re-reads a VM so its row and details show the current state. */
export async function refreshVm(id, signal) {
  try {
    const { virtual_machine, annotations } = await state.client.getVirtualMachine({ id }, { signal });
    return { vm: virtual_machine, annotations, detailError: null };
  } catch (e) {
    if (!isAbort(e)) reportError(e, `Could not refresh ${vmName(id)}`);
    return {};
  }
}

/**
 * Runs a change of VM `id` that answers with a task (`start(signal)`
 * resolves to `{ task, … }`) and follows the task to its end: its progress
 * in the VM's record (the details pane's header and the row show it), and,
 * given the `form` that started it, a progress line in that form with its
 * buttons off, where the user is looking; the VM re-read when the task runs
 * and when it ends, and a toast with the outcome. Resolves true when the
 * task completed.
 */
export async function runTask(id, label, start, form = null) {
  const rec = record(id);
  if (rec.busy || !state.client) return false;
  const signal = state.session.signal;
  const name = vmName(id);
  const inline = inlineTask(form);
  const show = (task) => {
    patch(id, { task });
    inline.show(task);
  };
  patch(id, { busy: true });
  show({ name: label, status: "requesting" });
  try {
    const { task } = await start(signal);
    show({ name: label, ...task, progress: task.progress ?? 0 });
    if (!task.id) {
      // The document promises a task object, not its id: nothing to follow.
      toast(`${label} — ${name}: queued.`, { kind: "success" });
      return true;
    }
    // Re-read the VM when the task starts running (it is then in its
    // transitional state, e.g. shutting_down) and as soon as the poll sees
    // it finish (the wait may resolve a little later: its interval grows).
    const seen = new Set();
    const finished = await followTask(
      task.id,
      (t) => {
        show({ name: label, ...t });
        const phase = t.status === "running" ? "running" : ["completed", "failed"].includes(t.status) ? "done" : null;
        if (phase && !seen.has(phase)) {
          seen.add(phase);
          refreshVm(id, signal).then((fresh) => record(id).task && fresh.vm && patch(id, fresh));
        }
      },
      signal,
    );
    toast(`${finished.name ?? label} — ${name}: ${finished.status ?? "finished"}.`, { kind: "success" });
    return true;
  } catch (e) {
    if (e?.code === "task_failed" && e.detail?.task) show({ name: label, ...e.detail.task });
    reportError(e, `${label} — ${name}`);
    return false;
  } finally {
    inline.end();
    if (!signal.aborted) {
      patch(id, { ...(await refreshVm(id, signal)), busy: false, task: null });
      emit("task-done", { id, label });
    }
  }
}

/**
 * A task's progress line at the end of `form`, scrolled into view, with the
 * form's buttons off until it ends (a second Resize would only be refused).
 */
function inlineTask(form) {
  if (!form) return { show() {}, end() {} };
  const bar = h("progress", { max: 100 });
  const text = h("span", { class: "inline-task-text" });
  const line = h("div", { class: "inline-task", role: "status", tabindex: "-1" }, bar, text);
  const buttons = [...form.querySelectorAll("button")].filter((b) => !b.disabled);
  const hadFocus = form.contains(document.activeElement) || document.activeElement === document.body;
  for (const b of buttons) b.disabled = true;
  form.append(line);
  if (hadFocus) line.focus({ preventScroll: true });
  line.scrollIntoView({ block: "nearest" });
  return {
    show(task) {
      text.textContent = `${task.name}: ${taskText(task)}`;
      // The VM re-read as the task runs can move the pane: keep the line in view while the user is there.
      if (form.contains(document.activeElement)) line.scrollIntoView({ block: "nearest" });
      if (task.status === "requesting") bar.removeAttribute("value");
      else bar.value = task.progress ?? 0;
    },
    end() {
      const focused = document.activeElement === line;
      line.remove();
      for (const b of buttons) b.disabled = false;
      if (focused && form.isConnected) buttons.find((b) => b.isConnected)?.focus();
    },
  };
}

/** What a power action does, for its confirmation: only the abrupt ones ask. */
const ABRUPT = {
  stop: "It is switched off at once, like pulling the plug: unsaved work in it is lost.",
  reset: "It is restarted at once, like pressing the reset button: unsaved work in it is lost.",
};

/** Runs start / stop / shutdown / reset (asking first for stop and reset). */
export async function powerAction(id, kind) {
  const action = POWER[kind];
  if (!action || record(id).busy) return false;
  if (ABRUPT[kind]) {
    const ok = await confirmDialog({ title: `${action.label} ${vmName(id)}?`, message: ABRUPT[kind], confirmLabel: action.label });
    if (!ok) return false;
  }
  return runTask(id, action.label, (signal) => state.client[action.method]({ id }, { signal }));
}

/** Asks, deletes (to the trash), and offers Undo. */
export async function deleteVm(id) {
  const rec = record(id);
  if (rec.busy || !state.client) return;
  const name = vmName(id);
  const fqdn = rec.vm?.fqdn ?? rec.summary?.fqdn ?? "";
  const ok = await confirmDialog({
    title: `Delete ${name}?`,
    message: `${fqdn} moves to the trash and is purged later. You can undo this until then.`,
    confirmLabel: "Delete",
  });
  if (!ok) return;
  const signal = state.session.signal;
  patch(id, { busy: true });
  try {
    const { trash_object } = await state.client.deleteVirtualMachine({ id }, { signal });
    patch(id, { busy: false });
    emit("vm-removed", id);
    if (trash_object.id) offerUndo(trash_object, name);
    else toast(`Deleted ${name}.`, { kind: "success" });
  } catch (e) {
    patch(id, { busy: false });
    reportError(e, `Delete ${name}`);
  }
}

// ---- trash: Undo until keep_until -----------------------------------------

const trash = new Map(); // trash object id → { trashObject, name, scope, li, toast, timer }

/**
 * "Recently deleted" outlives a reload of the tab (sessionStorage: this tab
 * only, gone with it), per API and organization, as long as the trash keeps
 * each object.
 */
const STORE_KEY = "katapult-demo.recently-deleted";
const scopeNow = () => JSON.stringify([state.client?.baseUrl ?? null, state.org]);

function stored() {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((e) => e && typeof e.scope === "string" && typeof e.trashObject?.id === "string") : [];
  } catch {
    return []; // storage off or garbled: start afresh
  }
}

function store(list) {
  try {
    if (list.length) sessionStorage.setItem(STORE_KEY, JSON.stringify(list));
    else sessionStorage.removeItem(STORE_KEY);
  } catch {
    // Storage off or full: the list lives for this page only.
  }
}

/** Writes this scope's entries, keeping other scopes' and dropping expired ones. */
function save() {
  const scope = scopeNow();
  const now = Date.now() / 1000;
  const mine = [...trash.values()].map(({ trashObject, name }) => ({ scope, trashObject, name }));
  store([...stored().filter((e) => e.scope !== scope && !(e.trashObject.keep_until < now)), ...mine]);
}

export function initTrash() {
  on("session", () => {
    for (const entry of [...trash.values()]) forget(entry, false);
    renderTrash();
  });
  on("org", () => {
    for (const entry of [...trash.values()]) forget(entry, false);
    const scope = scopeNow();
    const now = Date.now() / 1000;
    for (const e of stored()) if (e.scope === scope && !(e.trashObject.keep_until < now)) offerUndo(e.trashObject, String(e.name ?? e.trashObject.id), false);
    renderTrash();
  });
}

function offerUndo(trashObject, name, fresh = true) {
  const until = trashObject.keep_until != null ? formatDateTime(trashObject.keep_until) : "it is purged";
  const undoButton = h("button", { type: "button", class: "btn small" }, "Undo");
  const li = h("li", {}, h("span", {}, h("strong", {}, name), ` — in the trash until ${until}`), undoButton);
  const entry = { trashObject, name, li, toast: null, timer: null };
  // The Undo stays offered while the API keeps the object (capped to what setTimeout can hold).
  const ms = Math.min((trashObject.keep_until ?? Infinity) * 1000 - Date.now(), 2 ** 31 - 1);
  entry.timer = setTimeout(() => forget(entry), Math.max(ms, 0));
  trash.set(trashObject.id, entry);
  undoButton.addEventListener("click", () => undo(entry));
  if (!fresh) return; // restored after a reload: the list offers it, no toast
  save();
  entry.toast = toast(`Deleted ${name}. It stays in the trash until ${until}.`, {
    kind: "success",
    timeoutMs: 15000,
    actions: [{ label: "Undo", onClick: () => undo(entry) }],
  });
  renderTrash();
  entry.toast.buttons[0].focus(); // the deleted row is gone: focus the way back
}

async function undo(entry) {
  const buttons = [entry.li.querySelector("button"), ...(entry.toast?.buttons ?? [])];
  await withBusy(buttons, async () => {
    try {
      await state.client.restoreTrashObject(entry.trashObject.id, { signal: state.session.signal });
      forget(entry);
      toast(`Restored ${entry.name}.`, { kind: "success" });
      if (entry.trashObject.object_id) emit("reveal", { id: entry.trashObject.object_id });
    } catch (e) {
      reportError(e, `Restore ${entry.name}`);
    }
  });
}

/** Drops an entry from the page, and from the tab's storage unless `drop` is false (a connection change). */
function forget(entry, drop = true) {
  clearTimeout(entry.timer);
  entry.toast?.close();
  entry.li.remove();
  trash.delete(entry.trashObject.id);
  if (drop) save();
  renderTrash();
}

function renderTrash() {
  const list = $("#trash-list");
  for (const entry of trash.values()) if (!entry.li.isConnected) list.append(entry.li);
  $("#trash").hidden = trash.size === 0;
}
