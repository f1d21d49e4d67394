// Details-pane sections for a VM's disks (size, IO profile; a resize and an
// IO profile change are tasks, confirmed first) and its disk backup
// policies (list, add, change, delete).
import { state, vmName } from "./state.js";
import { h, toast, withBusy, confirmDialog, describeError, formatDateTime, orDash } from "./ui.js";
import { runTask } from "./actions.js";
import { section, field, problemAt, problemLine, orgList } from "./vm-manage.js";
import { wholeNumber } from "./checks.js";

// ---- disks ---------------------------------------------------------------------

export function disksSection(id) {
  const s = section("Disks", (body) => showDisks(id, body));
  return {
    el: s.el,
    // A resize or a profile change ended: show the disk as it is now.
    taskDone: (done) => /disk/i.test(done.label) && s.reload(),
  };
}

async function showDisks(id, body) {
  const signal = state.session.signal;
  const { disks = [] } = await state.client.getVirtualMachineDisks({ id }, { signal, per_page: 100 });
  // The list holds each disk's basics; its IO profile comes with the disk itself.
  const [full, profiles] = await Promise.all([
    Promise.all(disks.map((d) => (d.disk?.id ? state.client.getDisk({ id: d.disk.id }, { signal }).then((r) => r.disk, () => d.disk) : Promise.resolve(d.disk)))),
    orgList("ioProfiles").catch(() => []),
  ]);
  if (!disks.length) {
    body.replaceChildren(h("p", { class: "muted" }, "This VM has no disks."));
    return;
  }
  body.replaceChildren(h("ul", { class: "disk-list" }, disks.map((d, i) => diskItem(id, d, full[i] ?? d.disk ?? {}, profiles))));
}

function diskItem(id, attachment, disk, profiles) {
  const name = disk.name ?? disk.id ?? "Disk";
  const facts = [
    disk.size_in_gb != null ? `${disk.size_in_gb} GB` : null,
    disk.io_profile?.name ? `${disk.io_profile.name} IO` : null,
    attachment.boot ? "boot disk" : null,
    disk.state && disk.state !== "built" ? disk.state : null,
  ].filter(Boolean);

  const size = h("input", { type: "number", min: String((disk.size_in_gb ?? 0) + 1), step: "1", inputmode: "numeric", value: String((disk.size_in_gb ?? 0) + 10) });
  const resize = h("button", { type: "submit", class: "btn" }, "Resize");
  const resizeProblem = problemLine();
  const resizeForm = h("form", { class: "inline-form", novalidate: true }, field(`New size of ${name} (GB)`, size), resize, resizeProblem);
  resizeForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const [gb, problem] = wholeNumber(size.value, "The new size", (disk.size_in_gb ?? 0) + 1, 16384);
    problemAt(resizeProblem, problem && disk.size_in_gb != null && Number(size.value) <= disk.size_in_gb ? `A disk can only grow: give more than ${disk.size_in_gb} GB.` : problem);
    if (problem) {
      size.focus();
      return;
    }
    const ok = await confirmDialog({
      title: `Resize ${name} of ${vmName(id)} to ${gb} GB?`,
      message: "Disks can grow but not shrink. The operating system may need to extend its file system afterwards.",
      confirmLabel: "Resize",
      danger: false,
    });
    if (ok) await runTask(id, `Resize disk ${name}`, (signal) => state.client.putDiskResize({ id: disk.id }, { size_in_gb: gb, signal }), resizeForm);
  });

  const profile = h("select", {}, profiles.filter((p) => p.id || p.permalink).map((p) => h("option", { value: p.id ?? p.permalink, selected: (p.id ?? p.permalink) === (disk.io_profile?.id ?? disk.io_profile?.permalink) }, [p.name ?? p.permalink, p.speed_in_mb != null ? ` · ${p.speed_in_mb} MB/s` : "", p.iops != null ? ` · ${p.iops} IOPS` : ""].join(""))));
  const change = h("button", { type: "submit", class: "btn" }, "Change IO profile");
  const profileForm = h("form", { class: "inline-form", novalidate: true }, field(`IO profile of ${name}`, profile), change);
  profileForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const chosen = profiles.find((p) => (p.id ?? p.permalink) === profile.value);
    if (!chosen || (chosen.id && chosen.id === disk.io_profile?.id)) return;
    const ok = await confirmDialog({ title: `Give ${name} the ${chosen.name ?? chosen.permalink} IO profile?`, message: "The disk's speed limits change when the task completes.", confirmLabel: "Change", danger: false });
    if (ok) await runTask(id, `Change disk IO profile ${name}`, (signal) => state.client.putDiskIoProfile({ id: disk.id }, chosen.id ? { id: chosen.id } : { permalink: chosen.permalink }, { signal }), profileForm);
  });

  return h(
    "li",
    { class: "disk" },
    h("div", { class: "disk-head" }, h("strong", {}, name), " ", h("span", { class: "muted" }, facts.join(" · "))),
    disk.id ? resizeForm : null,
    disk.id && profiles.length ? profileForm : null,
  );
}

// ---- backup policies --------------------------------------------------------------

const INTERVALS = ["hourly", "daily", "weekly", "monthly"];

export function backupsSection(id) {
  const s = section("Backup policies", (body) => showPolicies(id, body, s.reload));
  return { el: s.el };
}

async function showPolicies(id, body, reload) {
  const { disk_backup_policies: policies = [] } = await state.client.getVirtualMachineDiskBackupPolicies({ id }, { signal: state.session.signal, per_page: 100 });
  const items = policies.map((p) =>
    h(
      "li",
      { class: "policy" },
      h("span", {}, describePolicy(p)),
      h("span", { class: "policy-actions" }, editButton(id, p, body, reload), deleteButton(id, p, reload)),
    ),
  );
  body.replaceChildren(
    items.length ? h("ul", { class: "policy-list" }, items) : h("p", { class: "muted" }, "No backup policies: the VM's disks are not backed up."),
    policyForm(id, null, reload),
  );
}

function describePolicy(p) {
  const every = p.schedule?.interval ? `${p.schedule.interval}${p.schedule.frequency > 1 ? ` (every ${p.schedule.frequency})` : ""}` : "on a schedule";
  const next = p.schedule?.next_invocation_at != null ? `, next ${formatDateTime(p.schedule.next_invocation_at)}` : "";
  return `Backs up ${every}, keeps ${orDash(p.retention)}${next}`;
}

/** The form that adds a policy, or changes `policy`. */
function policyForm(id, policy, reload) {
  const retention = h("input", { type: "number", min: "1", max: "365", step: "1", inputmode: "numeric", value: String(policy?.retention ?? 7) });
  const interval = h("select", {}, INTERVALS.map((i) => h("option", { value: i, selected: i === (policy?.schedule?.interval ?? "daily") }, i)));
  const hour = h("input", { type: "number", min: "0", max: "23", step: "1", inputmode: "numeric", value: String(policy?.schedule?.time ?? 3) });
  const submit = h("button", { type: "submit", class: "btn" }, policy ? "Save policy" : "Add backup policy");
  const problem = problemLine();
  const form = h(
    "form",
    { class: "manage-form policy-form", novalidate: true },
    h("div", { class: "pair" }, field("Backups kept", retention), field("Every", interval)),
    field("Hour (0–23)", hour, "When daily, weekly or monthly backups run."),
    h("div", { class: "form-actions" }, submit),
    problem,
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const [kept, keptProblem] = wholeNumber(retention.value, "Backups kept", 1, 365);
    const [time, timeProblem] = wholeNumber(hour.value, "The hour", 0, 23);
    problemAt(problem, keptProblem ?? timeProblem);
    if (keptProblem || timeProblem) return;
    const properties = { retention: kept, schedule: { interval: interval.value, frequency: 1, time, minute: 0 } };
    withBusy(submit, async () => {
      try {
        const signal = state.session.signal;
        if (policy) await state.client.patchDiskBackupPolicy({ id: policy.id }, { properties, signal });
        else await state.client.postVirtualMachineDiskBackupPolicies({ id }, { properties, signal });
        toast(`${policy ? "Changed" : "Added"} a backup policy of ${vmName(id)}.`, { kind: "success" });
        reload();
      } catch (e) {
        const { message, lines } = describeError(e);
        problemAt(problem, `The policy was not saved: ${lines.length ? lines.join(" ") : message}`);
      }
    });
  });
  return form;
}

function editButton(id, policy, body, reload) {
  if (!policy.id) return null;
  const button = h("button", { type: "button", class: "btn small" }, "Edit");
  button.addEventListener("click", () => {
    const form = policyForm(id, policy, reload);
    button.closest("li").after(h("li", { class: "policy-edit" }, form));
    button.disabled = true;
    form.querySelector("input")?.focus();
  });
  return button;
}

function deleteButton(id, policy, reload) {
  if (!policy.id) return null;
  const button = h("button", { type: "button", class: "btn small danger" }, "Delete");
  button.addEventListener("click", async () => {
    const ok = await confirmDialog({ title: `Delete this backup policy of ${vmName(id)}?`, message: `${describePolicy(policy)}. New backups stop; existing ones follow the policy's retention.`, confirmLabel: "Delete" });
    if (!ok) return;
    await withBusy(button, async () => {
      try {
        await state.client.deleteDiskBackupPolicy({ id: policy.id }, { signal: state.session.signal });
        toast(`Deleted a backup policy of ${vmName(id)}.`, { kind: "success" });
        reload();
      } catch (e) {
        toast(`The policy was not deleted: ${describeError(e).message}`, { kind: "error" });
      }
    });
  });
  return button;
}

