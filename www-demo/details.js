// Details pane: the selected VM from getVirtualMachine (resources, IPs, GPUs,
// tags, annotations), its action buttons and the progress of its task.
import { state, on, record, patch, isAbort, anySignal } from "./state.js";
import { $, h, stateBadge, annotationChip, tagChip, timeEl, showInlineError, taskText } from "./ui.js";
import { powerAction, deleteVm } from "./actions.js";

let els;
let fetchCtl = null;
let renderedVm = null; // the VirtualMachine object the content was built from
let actionFocus = null; // the action button that had the focus when the buttons were disabled

export function initDetails() {
  els = {
    empty: $("#details-empty"),
    body: $("#details-body"),
    title: $("#details-title"),
    state: $("#details-state"),
    fqdn: $("#details-fqdn"),
    actions: $("#details-actions"),
    task: $("#details-task"),
    taskText: $("#details-task-text"),
    taskProgress: $("#details-task progress"),
    error: $("#details-error"),
    unreachable: $("#details-unreachable"),
    content: $("#details-content"),
  };
  // The action buttons exist once (focus stays on them across updates).
  for (const button of els.actions.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", () => {
      const id = state.selectedId;
      if (!id) return;
      const action = button.dataset.action;
      if (action === "delete") deleteVm(id);
      else powerAction(id, action);
    });
  }
  on("select", ({ id, focus }) => {
    // On a phone the details take the screen (the list comes back with "All virtual machines").
    document.body.classList.toggle("show-details", !!id && narrow.matches);
    show(id, focus || (!!id && narrow.matches));
    if (id && narrow.matches) window.scrollTo({ top: 0 });
  });
  $("#details-back").addEventListener("click", back);
  narrow.addEventListener("change", () => document.body.classList.toggle("show-details", narrow.matches && !!state.selectedId));
  on("vm", (id) => id === state.selectedId && render());
  on("vm-removed", (id) => id === state.selectedId && show(null));
  on("session", () => show(null));
  on("reach", () => state.selectedId && render());
}

/** Phones (and narrow windows): cards instead of the table, details on their own. */
const narrow = window.matchMedia("(max-width: 900px)");

/** Back from a VM's details to the list, on its card. */
function back() {
  const id = state.selectedId;
  document.body.classList.remove("show-details");
  const card = id && document.querySelector(`#vm-body tr[data-id="${CSS.escape(id)}"]`);
  if (card) {
    card.scrollIntoView({ block: "center" });
    card.querySelector("button.name")?.focus();
  } else document.getElementById("vm-section")?.focus();
}

/** Shows a VM (cached data at once, then a fresh getVirtualMachine). */
async function show(id, focus = false) {
  fetchCtl?.abort();
  state.selectedId = id;
  renderedVm = null;
  actionFocus = null;
  showInlineError(els.error, null);
  render();
  if (!id) return;
  if (focus) els.title.focus();
  fetchCtl = new AbortController();
  const signal = anySignal([fetchCtl.signal, state.session.signal]);
  try {
    const { virtual_machine, annotations } = await state.client.getVirtualMachine({ id }, { signal });
    patch(id, { vm: virtual_machine, annotations, detailError: null });
  } catch (e) {
    if (isAbort(e)) return;
    showInlineError(els.error, e, "Could not load the details");
    if (!record(id).vm) patch(id, { detailError: e });
  }
}

function render() {
  const id = state.selectedId;
  els.empty.hidden = !!id;
  els.body.hidden = !id;
  if (!id) return;
  const rec = record(id);
  const vm = rec.vm;
  const s = rec.summary ?? vm;
  els.title.textContent = s?.name ?? s?.hostname ?? id;
  els.fqdn.textContent = s?.fqdn ?? "";
  // Never loaded and the last try failed: "unknown", not "loading" forever.
  els.state.replaceChildren(vm ? stateBadge(vm.state) : rec.detailError ? h("span", { class: "badge tone-bad" }, "unknown") : h("span", { class: "badge tone-loading" }, "loading"));

  // Buttons: off while a request for this VM runs, and where the state makes
  // the action pointless (start a started VM, stop a stopped one).
  const buttons = [...els.actions.querySelectorAll("button[data-action]")];
  if (buttons.includes(document.activeElement)) actionFocus = document.activeElement;
  for (const button of buttons) {
    const action = button.dataset.action;
    const pointless =
      (action === "start" && vm?.state === "started") ||
      (["stop", "shutdown", "reset"].includes(action) && vm?.state === "stopped");
    button.disabled = rec.busy || !vm || pointless || !state.reachable;
    if (rec.busy) button.setAttribute("aria-busy", "true");
    else button.removeAttribute("aria-busy");
  }
  restoreActionFocus(buttons);
  els.unreachable.hidden = state.reachable;
  els.unreachable.textContent = vm
    ? "The API cannot be reached, so the state shown is the last one seen and the actions are off until it answers again (Refresh tries)."
    : "The API cannot be reached, so this VM's details could not be loaded; the actions are off until it answers again (Refresh tries).";

  const task = rec.task;
  els.task.hidden = !task;
  if (task) {
    els.taskText.textContent = `${task.name}: ${taskText(task)}`;
    if (task.status === "requesting") els.taskProgress.removeAttribute("value");
    else els.taskProgress.value = task.progress ?? 0;
  }

  if (vm !== renderedVm || (!vm && rec.detailError)) {
    renderedVm = vm;
    const placeholder = rec.detailError ? "Details not loaded (the error above says why)." : "Loading details…";
    els.content.replaceChildren(...(vm ? content(vm, rec.annotations ?? []) : [h("p", { class: "muted" }, placeholder)]).filter(Boolean));
  }
  // What changed above (the task bar appearing, the facts re-read) moves
  // the form below: a task's line there stays in view while the user is there.
  const line = document.querySelector("#details .inline-task");
  if (line && line.closest("form")?.contains(document.activeElement)) line.scrollIntoView({ block: "nearest" });
}

/**
 * Disabling the focused button drops the focus to <body>: once a button is
 * usable again, put the focus back there (unless the user moved on).
 */
function restoreActionFocus(buttons) {
  if (!actionFocus) return;
  const active = document.activeElement;
  if (active && active !== document.body && active !== actionFocus) {
    actionFocus = null; // the user is elsewhere now
    return;
  }
  if (active === actionFocus && !actionFocus.disabled) return;
  const target = [actionFocus, ...buttons].find((b) => !b.disabled);
  if (target) {
    target.focus();
    actionFocus = null;
  }
}

/** A definition-list row; skipped when the value is null. */
function row(label, value) {
  if (value == null || value === "") return null;
  return [h("dt", {}, label), h("dd", {}, value)];
}

function section(title, ...children) {
  return h("section", { class: "details-section" }, h("h4", {}, title), ...children);
}

/** "a (b)", "a", "(b)" or null, for parts the API may leave out. */
function named(name, extra) {
  if (name == null && extra == null) return null;
  return [name, extra == null ? null : `(${extra})`].filter((x) => x != null).join(" ");
}

// Every field but the document's required keys may be absent (API.md,
// "Decoding"): absent ones are left out, or shown as "—".
function content(vm, annotations) {
  const pkg = vm.package;
  const resources = [
    vm.cpu_cores != null ? `${vm.cpu_cores} CPU${vm.cpu_cores === 1 ? "" : "s"}${vm.use_dedicated_cpus ? " (dedicated)" : ""}` : null,
    vm.memory_in_gb != null ? `${vm.memory_in_gb} GB RAM` : null,
    pkg?.storage_in_gb != null ? `${pkg.storage_in_gb} GB storage` : null,
  ].filter(Boolean).join(" · ");
  const dc = vm.zone?.data_center;
  const ips = vm.ip_addresses ?? [];
  const gpus = vm.gpus ?? [];
  const tags = vm.tags ?? [];
  return [
    vm.description ? h("p", { class: "description" }, vm.description) : null,
    h(
      "dl",
      { class: "facts" },
      row("ID", vm.id ? h("code", {}, vm.id) : null),
      row("Zone", vm.zone ? named(vm.zone.name, vm.zone.permalink) ?? "—" : null),
      row("Data center", dc ? [dc.name, dc.country?.name].filter(Boolean).join(", ") || "—" : null),
      row("Package", pkg ? named(pkg.name, pkg.permalink) ?? "—" : pkg === null ? "Custom resources" : null),
      row("Resources", resources || null),
      row("Hypervisor", vm.hypervisor ? named(vm.hypervisor.name, vm.hypervisor.ip_address) ?? "—" : vm.hypervisor === null ? "None" : null),
      row("Group", vm.group?.name),
      row("ISO", vm.attached_iso ? vm.attached_iso.name : null),
      row("Created", timeEl(vm.created_at, true)),
      row("Root password", vm.initial_root_password ? secret(vm.initial_root_password) : null),
    ),
    section(
      "IP addresses",
      ips.length
        ? h(
            "ul",
            { class: "ip-list" },
            ips.map((ip) =>
              h(
                "li",
                {},
                h("code", {}, ip.address_with_mask || ip.address || "—"),
                ip.vip ? h("span", { class: "chip small" }, "VIP") : null,
                h("div", { class: "sub" }, [ip.reverse_dns, ip.network?.name, ip.label].filter(Boolean).join(" · ")),
              ),
            ),
          )
        : h("p", { class: "muted" }, "None"),
    ),
    gpus.length || vm.gpu_type
      ? section(
          "GPUs",
          h(
            "ul",
            { class: "plain" },
            gpus.map((g) => h("li", {}, `${g.type?.name ?? "GPU"} — ${g.type?.memory_in_gb ?? "?"} GB ${g.type?.memory_type ?? ""}`, " ", g.status ? h("span", { class: "chip small" }, g.status) : null)),
            gpus.length === 0 && vm.gpu_type ? h("li", {}, `${vm.gpu_type.name ?? "GPU"} (none attached)`) : null,
          ),
        )
      : null,
    section("Tags", tags.length ? h("div", { class: "chips" }, tags.map(tagChip)) : h("p", { class: "muted" }, "None")),
    section("Annotations", annotations.length ? h("div", { class: "chips" }, annotations.map(annotationChip)) : h("p", { class: "muted" }, "None")),
  ];
}

/** A password hidden until asked for. */
function secret(value) {
  const text = h("code", { class: "secret" }, "••••••••");
  const button = h("button", { type: "button", class: "btn small ghost", "aria-pressed": "false" }, "Show");
  button.addEventListener("click", () => {
    const shown = button.getAttribute("aria-pressed") === "true";
    text.textContent = shown ? "••••••••" : value;
    button.textContent = shown ? "Show" : "Hide";
    button.setAttribute("aria-pressed", String(!shown));
  });
  return h("span", { class: "secret-wrap" }, text, " ", button);
}
