// What the details pane offers for one VM beyond power and delete, as
// disclosure sections (each loads what it shows when first opened): the
// console, its settings, package and resources (vm-settings.js), its disks
// and backup policies (vm-disks.js), its network interfaces and addresses
// (vm-network.js). This module holds the sections' frame and what they
// share: form fields, inline problems, the organization's lists (cached).
import { state, on, record } from "./state.js";
import { $, h, showInlineError } from "./ui.js";

let root;
let builders = [];
let current = null; // { id, sections: [{ update }] }

/**
 * Registers the sections: `make(id)` returns { el, update?(vm),
 * taskDone?(done) } for the VM with that id; `update` runs whenever its
 * record changes, `taskDone` when a task of the VM ended (see runTask).
 */
export function initManage(sectionMakers) {
  root = $("#details-manage");
  builders = sectionMakers;
  on("select", ({ id }) => build(id));
  on("vm-removed", (id) => current?.id === id && build(null));
  on("session", () => {
    lists.clear();
    build(null);
  });
  on("org", () => lists.clear());
  // "Console…" in a row's menu: that VM's section, open, with the focus.
  on("open-section", ({ id, title }) => {
    if (current?.id !== id) return;
    const el = [...root.querySelectorAll("details.manage")].find((d) => d.querySelector("summary")?.textContent === title);
    if (!el) return;
    el.open = true;
    el.querySelector("summary").focus();
    el.scrollIntoView({ block: "nearest" });
  });
  on("task-done", (done) => {
    if (current?.id === done.id) for (const s of current.sections) s.taskDone?.(done);
  });
  on("vm", (id) => {
    if (current?.id !== id) return;
    const vm = record(id).vm;
    for (const s of current.sections) s.update?.(vm);
  });
}

function build(id) {
  current = null;
  root.replaceChildren();
  if (!id) return;
  const sections = builders.map((make) => make(id));
  current = { id, sections };
  root.append(...sections.map((s) => s.el));
  const vm = record(id).vm;
  for (const s of sections) s.update?.(vm);
}

/**
 * A disclosure section. `load(body)` fills it the first time it opens (and
 * when `reload()` is called while it is open); it may return a promise.
 */
export function section(title, load) {
  const body = h("div", { class: "manage-body" });
  const el = h("details", { class: "manage" }, h("summary", {}, title), body);
  let loaded = false;
  const run = async () => {
    loaded = true;
    body.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      await load(body);
    } catch (e) {
      const problem = h("div", { class: "inline-error", role: "alert" });
      showInlineError(problem, e, `Could not load ${title.toLowerCase()}`);
      body.replaceChildren(problem);
    }
  };
  el.addEventListener("toggle", () => el.open && !loaded && run());
  return { el, body, reload: () => (el.open ? run() : (loaded = false)) };
}

let fieldCount = 0;

/** A labelled field: `control` gets an id, the label points at it; `hint` below. */
export function field(label, control, hint) {
  fieldCount += 1;
  control.id ||= `manage-field-${fieldCount}`;
  const hintEl = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: control.type === "checkbox" ? "field check" : "field" }, control.type === "checkbox" ? [control, h("label", { for: control.id }, label)] : [h("label", { for: control.id }, label), control], hintEl);
}

/** Shows a problem under a form (role=alert), or clears it for null. */
export function problemAt(el, text) {
  el.textContent = text ?? "";
  el.hidden = !text;
}

/** A problem line for a form. */
export const problemLine = () => h("p", { class: "field-error", role: "alert", hidden: true });

// ---- the organization's lists, each fetched once per organization ---------

const lists = new Map(); // key → Promise

/** The organization's `what` list (packages, groups, io profiles), cached. */
export function orgList(what) {
  const org = state.org;
  const key = `${JSON.stringify(org)}:${what}`;
  if (!lists.has(key)) {
    const signal = state.session.signal;
    const load = {
      packages: () => state.client.paginate("get:virtual_machine_packages", { organization: org }, { signal }),
      groups: () => state.client.getOrganizationVirtualMachineGroups(org, { signal }).then((r) => r.virtual_machine_groups ?? []),
      ioProfiles: () => state.client.paginate("get:organization_disk_io_profiles", { organization: org }, { signal }),
    }[what];
    const promise = load();
    promise.catch(() => lists.delete(key)); // a failure is tried again next time
    lists.set(key, promise);
  }
  return lists.get(key);
}

/** "Rock 12 · 4 CPU · 12 GB RAM · 120 GB disk" for a package. */
export function packageLabel(p) {
  return [p.name ?? p.permalink ?? p.id, p.cpu_cores != null && `${p.cpu_cores} CPU`, p.memory_in_gb != null && `${p.memory_in_gb} GB RAM`, p.storage_in_gb != null && `${p.storage_in_gb} GB disk`]
    .filter(Boolean)
    .join(" · ");
}
