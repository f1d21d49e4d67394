// Details-pane sections for a VM's console, its settings (name, hostname,
// description, tags, group: one PATCH of what changed) and its package or
// flexible resources (tasks, confirmed first, followed to the end).
import { state, record, patch, vmName } from "./state.js";
import { h, toast, withBusy, confirmDialog, describeError, formatDateTime } from "./ui.js";
import { runTask } from "./actions.js";
import { section, field, problemAt, problemLine, orgList, packageLabel } from "./vm-manage.js";
import { hostnameProblem, safeLink, wholeNumber } from "./checks.js";

// ---- console ---------------------------------------------------------------

export function consoleSection(id) {
  const button = h("button", { type: "button", class: "btn" }, "Open console");
  const note = h("p", { class: "hint" });
  const link = h("p", { class: "console-link", hidden: true });
  const problem = problemLine();
  const s = section("Console", (body) => body.replaceChildren(note, button, link, problem));
  let vmState = null;
  const explain = () => {
    const started = vmState === "started";
    button.disabled = !started || record(id).busy;
    note.textContent = started
      ? "Opens the VM's screen and keyboard in a new tab. The session's address works for a few minutes."
      : `The console needs the VM to be started${vmState ? ` (it is ${vmState.replaceAll("_", " ")})` : ""}. Start it first, then open the console.`;
  };
  button.addEventListener("click", () =>
    withBusy(button, async () => {
      problemAt(problem, null);
      link.hidden = true;
      try {
        const { console_session: session } = await state.client.postVirtualMachineConsoleSessions({ id }, { signal: state.session.signal });
        const url = safeLink(session.url);
        if (!url) throw Object.assign(new Error("The API sent no console address the page can open."), { name: "no_console_url" });
        const a = h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, `Open the console of ${vmName(id)}`);
        const until = session.expires_at != null ? ` (until ${formatDateTime(session.expires_at)})` : "";
        link.replaceChildren(a, until);
        link.hidden = false;
        a.focus();
        // A new tab straight away where the browser allows it; the link stays for when it does not.
        window.open(url, "_blank", "noopener,noreferrer");
      } catch (e) {
        const { message } = describeError(e);
        problemAt(problem, e?.code === "virtual_machine_must_be_started" ? "The VM must be started before a console can be opened. Start it, then try again." : `The console could not be opened: ${message}`);
      }
    }),
  );
  return {
    el: s.el,
    update(vm) {
      vmState = vm?.state ?? null;
      explain();
    },
  };
}

// ---- settings ------------------------------------------------------------------

export function settingsSection(id) {
  const name = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const hostname = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const description = h("textarea", { rows: "2", spellcheck: "true" });
  const tags = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const group = h("select", {});
  const save = h("button", { type: "submit", class: "btn primary" }, "Save");
  const problem = problemLine();
  const form = h(
    "form",
    { class: "manage-form", novalidate: true },
    field("Name", name),
    field("Hostname", hostname, "Letters, digits and hyphens; the FQDN follows it."),
    field("Description", description),
    field("Tags", tags, "Comma-separated."),
    field("Group", group),
    h("div", { class: "form-actions" }, save),
    problem,
  );
  let shown = null; // the values the form was filled with

  const values = () => ({
    name: name.value.trim(),
    hostname: hostname.value.trim(),
    description: description.value.trim(),
    tags: tags.value.split(",").map((t) => t.trim()).filter(Boolean),
    group: group.value,
  });
  const fill = (vm) => {
    shown = {
      name: vm?.name ?? "",
      hostname: vm?.hostname ?? "",
      description: vm?.description ?? "",
      tags: vm?.tag_names ?? (vm?.tags ?? []).map((t) => t.name).filter(Boolean),
      group: vm?.group?.id ?? "",
    };
    name.value = shown.name;
    hostname.value = shown.hostname;
    description.value = shown.description;
    tags.value = shown.tags.join(", ");
    group.value = shown.group;
  };
  const dirty = () => shown && JSON.stringify(values()) !== JSON.stringify(shown);

  const s = section("Settings", async (body) => {
    const groups = await orgList("groups").catch(() => null);
    group.replaceChildren(
      h("option", { value: "" }, "No group"),
      ...(groups ?? []).filter((g) => g.id).map((g) => h("option", { value: g.id }, g.name ?? g.id)),
    );
    if (!groups) group.append(h("option", { value: "", disabled: true }, "The groups could not be loaded"));
    fill(record(id).vm);
    body.replaceChildren(form);
  });

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = values();
    const bad = v.name === "" ? "A VM needs a name." : hostnameProblem(v.hostname, false);
    problemAt(problem, bad);
    if (bad) {
      (v.name === "" ? name : hostname).focus();
      return;
    }
    // Only what changed is sent.
    const properties = {};
    if (v.name !== shown.name) properties.name = v.name;
    if (v.hostname !== shown.hostname) properties.hostname = v.hostname;
    if (v.description !== shown.description) properties.description = v.description;
    if (v.tags.join("\n") !== shown.tags.join("\n")) properties.tag_names = v.tags;
    if (v.group !== shown.group) properties.group = v.group ? { id: v.group } : null;
    if (!Object.keys(properties).length) {
      toast("Nothing changed.", { kind: "info" });
      return;
    }
    withBusy([save], async () => {
      try {
        const { virtual_machine: vm, annotations } = await state.client.patchVirtualMachine({ id }, { properties, signal: state.session.signal });
        patch(id, { vm, annotations, summary: { ...record(id).summary, name: vm.name ?? v.name, hostname: vm.hostname ?? v.hostname, fqdn: vm.fqdn ?? record(id).summary?.fqdn } });
        fill(vm);
        toast(`Saved the settings of ${vm.name ?? v.name}.`, { kind: "success" });
      } catch (e) {
        const { message, lines } = describeError(e);
        problemAt(problem, `The settings were not saved: ${lines.length ? lines.join(" ") : message}`);
      }
    });
  });
  return {
    el: s.el,
    update(vm) {
      // Fresh data shows unless the user is editing.
      if (shown && !dirty() && vm) fill(vm);
    },
  };
}

// ---- package and resources ------------------------------------------------------

export function resourcesSection(id) {
  const current = h("p", { class: "current" });
  const packages = h("select", {});
  const changePackage = h("button", { type: "submit", class: "btn" }, "Change package");
  const packageProblem = problemLine();
  const packageForm = h("form", { class: "manage-form", novalidate: true }, field("Package", packages), h("div", { class: "form-actions" }, changePackage), packageProblem);
  const cpu = h("input", { type: "number", min: "1", max: "64", step: "1", inputmode: "numeric" });
  const memory = h("input", { type: "number", min: "1", max: "512", step: "1", inputmode: "numeric" });
  const dedicated = h("input", { type: "checkbox" });
  const changeResources = h("button", { type: "submit", class: "btn" }, "Change resources");
  const resourcesProblem = problemLine();
  const resourcesForm = h(
    "form",
    { class: "manage-form", novalidate: true },
    h("p", { class: "hint" }, "Or set the CPU cores and memory yourself (flexible resources, without a package), where the organization may use them."),
    h("div", { class: "pair" }, field("CPU cores", cpu), field("Memory (GB)", memory)),
    field("Dedicated CPUs", dedicated),
    h("div", { class: "form-actions" }, changeResources),
    resourcesProblem,
  );
  let list = [];

  const describe = (vm) => {
    const p = vm?.package;
    const res = [vm?.cpu_cores != null && `${vm.cpu_cores} CPU`, vm?.memory_in_gb != null && `${vm.memory_in_gb} GB RAM`, vm?.use_dedicated_cpus && "dedicated CPUs"].filter(Boolean).join(" · ");
    current.textContent = p ? `Now: ${p.name ?? p.permalink ?? "a package"}${res ? ` (${res})` : ""}.` : `Now: flexible resources${res ? ` (${res})` : ""}.`;
    if (vm?.cpu_cores != null && document.activeElement !== cpu) cpu.value = String(vm.cpu_cores);
    if (vm?.memory_in_gb != null && document.activeElement !== memory) memory.value = String(vm.memory_in_gb);
    dedicated.checked = !!vm?.use_dedicated_cpus;
    const busy = record(id).busy;
    changePackage.disabled = busy;
    changeResources.disabled = busy;
  };

  const s = section("Package and resources", async (body) => {
    list = (await orgList("packages")).filter((p) => p.permalink || p.id);
    const vm = record(id).vm;
    packages.replaceChildren(...list.map((p) => h("option", { value: p.id ?? p.permalink, selected: (p.id ?? p.permalink) === (vm?.package?.id ?? vm?.package?.permalink) }, packageLabel(p))));
    describe(vm);
    body.replaceChildren(current, packageForm, resourcesForm);
  });

  packageForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    problemAt(packageProblem, null);
    const chosen = list.find((p) => (p.id ?? p.permalink) === packages.value);
    if (!chosen) return;
    const vm = record(id).vm;
    if (chosen.id && chosen.id === vm?.package?.id) {
      problemAt(packageProblem, `${vmName(id)} already has ${chosen.name ?? "this package"}.`);
      return;
    }
    const ok = await confirmDialog({
      title: `Change ${vmName(id)} to ${chosen.name ?? chosen.permalink}?`,
      message: `${packageLabel(chosen)}. The VM gets the new resources when the task completes.`,
      confirmLabel: "Change package",
      danger: false,
    });
    if (!ok) return;
    const lookup = chosen.id ? { id: chosen.id } : { permalink: chosen.permalink };
    await runTask(id, "Change package", (signal) => state.client.putVirtualMachinePackage({ id }, { virtual_machine_package: lookup, signal }), packageForm);
  });

  resourcesForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const [cores, coresProblem] = wholeNumber(cpu.value, "CPU cores", 1, 64);
    const [gb, gbProblem] = wholeNumber(memory.value, "Memory", 1, 512);
    problemAt(resourcesProblem, coresProblem ?? gbProblem);
    if (coresProblem || gbProblem) {
      (coresProblem ? cpu : memory).focus();
      return;
    }
    const ok = await confirmDialog({
      title: `Give ${vmName(id)} ${cores} CPU and ${gb} GB?`,
      message: `${dedicated.checked ? "Dedicated CPUs. " : ""}The VM leaves its package and gets these resources when the task completes.`,
      confirmLabel: "Change resources",
      danger: false,
    });
    if (!ok) return;
    await runTask(id, "Change resources", (signal) =>
        state.client.putVirtualMachineFlexibleResources({ id }, { resources: { cpu_cores: cores, memory_in_gb: gb, use_dedicated_cpus: dedicated.checked }, signal }),
      resourcesForm,
    );
  });
  return { el: s.el, update: describe };
}
