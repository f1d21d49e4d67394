// Build panel: the spec (form or XML, see spec-editor.js) + annotation rows →
// buildVirtualMachineFromSpec, then the build's progress (its task, polled)
// until waitForVirtualMachineBuild resolves; the new VM is then shown in the table.
import { state, on, emit, isAbort, anySignal } from "./state.js";
import { $, h, showInlineError, toast, withBusy, taskText } from "./ui.js";
import { followTask } from "./tasks.js";
import { initSpecEditor, specToBuild, freshExample, loadCatalog, specProblem } from "./spec-editor.js";

let els;
let rowCount = 0;

export function initBuild() {
  els = {
    form: $("#build-form"),
    rows: $("#ann-rows"),
    add: $("#ann-add"),
    button: $("#build-btn"),
    org: $("#build-org"),
    progress: $("#build-progress"),
    progressText: $("#build-progress-text"),
    progressBar: $("#build-progress progress"),
    error: $("#build-error"),
  };
  initSpecEditor();
  addAnnotationRow("team", "demo");
  els.add.addEventListener("click", () => addAnnotationRow("", "", true));
  els.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    build();
  });
  // Enter makes new lines in the text areas (XML, SSH keys); Ctrl/Cmd+Enter builds.
  els.form.addEventListener("keydown", (ev) => {
    if (ev.target instanceof HTMLTextAreaElement && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      els.form.requestSubmit();
    }
  });
  on("org", (org) => {
    els.org.textContent = org.sub_domain ?? org.id;
    loadCatalog(state.client, org, state.session.signal);
  });
  on("session", () => (els.org.textContent = "—"));
}

function addAnnotationRow(key, value, focus = false) {
  rowCount += 1;
  const n = rowCount;
  const keyInput = h("input", { type: "text", class: "ann-key", placeholder: "key", value: key, autocomplete: "off", spellcheck: "false" });
  const valueInput = h("input", { type: "text", class: "ann-value", placeholder: "value", value, autocomplete: "off", spellcheck: "false" });
  const remove = h("button", { type: "button", class: "btn small ghost", "aria-label": `Remove annotation ${n}` }, "Remove");
  const row = h(
    "div",
    { class: "ann-row" },
    h("label", {}, h("span", { class: "sr-only" }, `Annotation ${n} key`), keyInput),
    h("label", {}, h("span", { class: "sr-only" }, `Annotation ${n} value`), valueInput),
    remove,
  );
  remove.addEventListener("click", () => {
    // Keep the focus in the list: on the next row's key, or on "Add annotation".
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    (next?.querySelector(".ann-key") ?? els.add).focus();
  });
  els.rows.append(row);
  if (focus) keyInput.focus();
}

/** The annotation rows as [{ key, value }], or an Error for a row without a key. */
function annotations() {
  const out = [];
  for (const row of els.rows.querySelectorAll(".ann-row")) {
    const key = row.querySelector(".ann-key").value.trim();
    const value = row.querySelector(".ann-value").value;
    if (!key && !value) continue;
    if (!key) return Object.assign(new Error("An annotation needs a key."), { name: "invalid_annotation" });
    out.push({ key, value });
  }
  return out;
}

function showProgress(text, percent) {
  els.progress.hidden = false;
  els.progressText.textContent = text;
  if (percent == null) els.progressBar.removeAttribute("value");
  else els.progressBar.value = percent;
}

async function build() {
  showInlineError(els.error, null);
  if (!state.client || !state.org) {
    showInlineError(els.error, Object.assign(new Error("Connect and pick an organization first."), { name: "not_connected" }));
    return;
  }
  const anns = annotations();
  if (anns instanceof Error) {
    showInlineError(els.error, anns);
    return;
  }
  const problem = specProblem();
  if (problem) {
    showInlineError(els.error, Object.assign(new Error(`The hostname cannot be used. ${problem}`), { name: "invalid_hostname" }));
    return;
  }
  const spec = specToBuild(); // a spec object in form mode, the XML text in XML mode
  const org = state.org;
  const signal = state.session.signal;
  await withBusy(els.button, async () => {
    const stopPoll = new AbortController();
    try {
      showProgress("Submitting the spec…", null);
      const res = await state.client.buildVirtualMachineFromSpec(org, spec, anns.length ? { annotations: anns, signal } : { signal });
      const label = `Building ${res.hostname}`;
      showProgress(`${label}: ${res.virtual_machine_build.state ?? "pending"}`, 0);
      // The document promises the build and task objects, not their fields.
      const buildId = res.virtual_machine_build.id ?? res.build.id;
      if (!buildId) throw Object.assign(new Error("The API accepted the build but sent no build id to follow."), { name: "no_build_id" });
      // The build's task reports its progress while the build is waited for.
      if (res.task.id) {
        followTask(res.task.id, (t) => showProgress(`${label}: ${taskText(t)}`, t.progress), anySignal([signal, stopPoll.signal])).catch(() => {});
      }
      const done = await state.client.waitForVirtualMachineBuild(buildId, { intervalMs: 500, signal });
      stopPoll.abort();
      const vm = done.virtual_machine;
      showProgress(`Built ${vm?.fqdn ?? res.hostname}: ${done.state}`, 100);
      toast(`Built ${vm?.fqdn ?? res.hostname}.`, { kind: "success" });
      // The hostname is taken now: the next build gets another.
      freshExample();
      if (vm?.id && state.org === org) emit("reveal", { id: vm.id, newest: true });
    } catch (e) {
      stopPoll.abort();
      if (isAbort(e)) return;
      els.progress.hidden = true;
      showInlineError(els.error, e, "Build failed");
    }
  });
}
