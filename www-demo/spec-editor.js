// The spec editor of the build panel, in two modes: a form (fields → a spec
// object, with a live XML preview from buildSpecXml) and the raw XML. Form →
// XML writes the form's XML into the textarea; XML → form parses it
// (parseSpecXml) and fills the fields, unless the document holds something
// the form cannot show: then it stays in XML mode and says why, so nothing
// the user wrote is dropped. The spec tools (./pkg/spec.js, a WebAssembly
// module of their own) load on first use.
import { $, h, describeError } from "./ui.js";

let els;
let mode = "form";
let tools = null; // the loaded pkg/spec.js module
let toolsPromise = null;
let switchTurn = 0; // the latest mode switch asked for (older ones give way)
let exampleHostname = ""; // the hostname the page made up (replaced after a build if unedited)
let generatedXml = ""; // the XML the page last wrote into the textarea
let switchRefused = false; // the message says why the last switch did not happen

/** Loads pkg/spec.js once: { buildSpecXml, parseSpecXml }. */
function specTools() {
  toolsPromise ??= import("./pkg/spec.js").then(async (m) => {
    await m.ready(); // its functions are synchronous: the module must be loaded
    return (tools = m);
  });
  return toolsPromise;
}

function newHostname() {
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `demo-${suffix}`;
}

/** The example as XML without the spec tools (only used if they fail to load). */
function fallbackXml(hostname) {
  return `<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <Resources>
    <Package by="permalink">rock-3</Package>
  </Resources>
  <Hostname>
    <Hostname>${hostname}</Hostname>
  </Hostname>
</VirtualMachineSpec>`;
}

export function initSpecEditor() {
  els = {
    modeForm: $("#spec-mode-form"),
    modeXml: $("#spec-mode-xml"),
    message: $("#spec-mode-msg"),
    formPane: $("#spec-form-pane"),
    xmlPane: $("#spec-xml-pane"),
    xml: $("#spec-xml"),
    preview: $("#spec-preview"),
    dc: $("#spec-dc"),
    resPackage: $("#spec-res-package"),
    resCustom: $("#spec-res-custom"),
    packageFields: $("#spec-res-package-fields"),
    customFields: $("#spec-res-custom-fields"),
    package: $("#spec-package"),
    memory: $("#spec-memory"),
    cpu: $("#spec-cpu"),
    diskTemplate: $("#spec-disk-template"),
    hostname: $("#spec-hostname"),
    name: $("#spec-name"),
    network: $("#spec-network"),
    ip: $("#spec-ip"),
    tags: $("#spec-tags"),
    sshKeys: $("#spec-ssh-keys"),
    allUsers: $("#spec-all-users"),
  };
  exampleHostname = newHostname();
  writeValues({ ...emptyValues(), dataCenter: "uk-lon", package: "rock-3", hostname: exampleHostname });
  showMode("form");
  els.formPane.addEventListener("input", updatePreview);
  els.formPane.addEventListener("change", updatePreview);
  // Why a switch was refused stops being news once the user edits (to fix it).
  for (const pane of [els.formPane, els.xmlPane]) pane.addEventListener("input", () => switchRefused && showMessage(null));
  for (const radio of [els.modeForm, els.modeXml]) radio.addEventListener("change", () => radio.checked && switchTo(radio.value));
  specTools().then(updatePreview, (e) => {
    // Without the spec tools only the XML editor works.
    els.xml.value = generatedXml = fallbackXml(exampleHostname);
    showMode("xml");
    els.modeForm.disabled = true;
    showMessage(`The spec tools failed to load, so only the XML editor is available: ${describeError(e).message}`);
  });
}

// ---- the form's values ------------------------------------------------------

function emptyValues() {
  return {
    dataCenter: "", resources: "package", package: "", memory: "", cpu: "", diskTemplate: "",
    hostname: "", name: "", network: "", ip: "", tags: "", sshKeys: "", allUsers: false,
  };
}

/** A number input's text; "NaN" for text the browser could not read as a number. */
const numberText = (input) => (input.validity.badInput ? "NaN" : input.value);

/** The fields as they are: strings (and a boolean). */
function readValues() {
  return {
    dataCenter: els.dc.value,
    resources: els.resCustom.checked ? "custom" : "package",
    package: els.package.value,
    memory: numberText(els.memory),
    cpu: numberText(els.cpu),
    diskTemplate: els.diskTemplate.value,
    hostname: els.hostname.value,
    name: els.name.value,
    network: els.network.value,
    ip: els.ip.value,
    tags: els.tags.value,
    sshKeys: els.sshKeys.value,
    allUsers: els.allUsers.checked,
  };
}

function writeValues(v) {
  els.dc.value = v.dataCenter;
  els.resPackage.checked = v.resources === "package";
  els.resCustom.checked = v.resources === "custom";
  els.package.value = v.package;
  els.memory.value = v.memory;
  els.cpu.value = v.cpu;
  els.diskTemplate.value = v.diskTemplate;
  els.hostname.value = v.hostname;
  els.name.value = v.name;
  els.network.value = v.network;
  els.ip.value = v.ip;
  els.tags.value = v.tags;
  els.sshKeys.value = v.sshKeys;
  els.allUsers.checked = v.allUsers;
  showResourceFields();
}

function showResourceFields() {
  els.packageFields.hidden = !els.resPackage.checked;
  els.customFields.hidden = !els.resCustom.checked;
}

const lines = (text, sep) => text.split(sep).map((s) => s.trim()).filter(Boolean);

/** The spec object for form values (empty fields are left out; no hostname = random). */
function specFromValues(v) {
  const spec = {};
  const dc = v.dataCenter.trim();
  if (dc) spec.data_center = { permalink: dc };
  if (v.resources === "package") {
    const pkg = v.package.trim();
    if (pkg) spec.resources = { package: { permalink: pkg } };
  } else {
    const res = {};
    if (v.memory.trim()) res.memory = Number(v.memory);
    if (v.cpu.trim()) res.cpu_cores = Number(v.cpu);
    if (Object.keys(res).length) spec.resources = res;
  }
  const template = v.diskTemplate.trim();
  if (template) spec.disk_template = { disk_template: { permalink: template } };
  const network = v.network.trim();
  if (network || v.ip) {
    const nic = {};
    if (network) nic.network = { permalink: network };
    if (v.ip) nic.ip_address_allocations = [{ type: "new", version: Number(v.ip) }];
    spec.network_interfaces = [nic];
  }
  const hostname = v.hostname.trim();
  spec.hostname = hostname || { random: true };
  if (v.name.trim()) spec.name = v.name;
  const tags = lines(v.tags, ",");
  if (tags.length) spec.tags = tags;
  const keys = lines(v.sshKeys, "\n");
  if (keys.length || v.allUsers) {
    spec.authorized_keys = {};
    if (v.allUsers) spec.authorized_keys.users = "all";
    if (keys.length) spec.authorized_keys.ssh_keys = keys;
  }
  return spec;
}

/** The spec the form shows, as an object for buildVirtualMachineFromSpec. */
export const specFromForm = () => specFromValues(readValues());

/** Form values for a parsed spec: what the form can show of it (checked by the caller). */
function valuesFromSpec(spec) {
  const v = emptyValues();
  v.dataCenter = spec.data_center?.permalink ?? "";
  const res = spec.resources;
  if (res && !res.package && ("memory" in res || "cpu_cores" in res)) {
    v.resources = "custom";
    v.memory = res.memory == null ? "" : String(res.memory);
    v.cpu = res.cpu_cores == null ? "" : String(res.cpu_cores);
  } else {
    v.package = res?.package?.permalink ?? "";
  }
  v.diskTemplate = spec.disk_template?.disk_template?.permalink ?? "";
  const nic = spec.network_interfaces?.[0];
  v.network = nic?.network?.permalink ?? "";
  const alloc = nic?.ip_address_allocations?.[0];
  if (alloc?.type === "new" && (alloc.version === 4 || alloc.version === 6)) v.ip = String(alloc.version);
  v.hostname = typeof spec.hostname === "string" ? spec.hostname : "";
  v.name = spec.name ?? "";
  v.tags = (spec.tags ?? []).join(", ");
  const keys = spec.authorized_keys;
  if (Array.isArray(keys?.ssh_keys)) v.sshKeys = keys.ssh_keys.join("\n");
  v.allUsers = keys?.users === "all";
  return v;
}

// ---- XML → form: what the form cannot show ------------------------------------

const ELEMENTS = {
  zone: "Zone", data_center: "DataCenter", resources: "Resources", disk_template: "DiskTemplate",
  system_disks: "SystemDisks", shared_disks: "SharedDisks", network_interfaces: "NetworkInterfaces",
  hostname: "Hostname", name: "Name", description: "Description", group: "Group",
  authorized_keys: "AuthorizedKeys", backup_policies: "BackupPolicies", tags: "Tags", iso: "ISO",
};

/** Words for a part of a spec (top-level key) the form cannot show as written. */
function unshown(key, value) {
  const el = `<${ELEMENTS[key] ?? key}>`;
  switch (key) {
    case "data_center":
      return value?.permalink ? `${el} as written` : `a ${el} by id or name`;
    case "resources":
      if (value?.package && ("memory" in value || "cpu_cores" in value)) return "a package together with memory or CPU cores";
      return value?.package && !value.package.permalink ? "a <Package> by id" : `${el} as written`;
    case "disk_template":
      return value?.version != null || value?.options?.length ? "a disk template version or options" : `a ${el} by id or without a template`;
    case "network_interfaces":
      if (value?.length > 1) return "several network interfaces";
      return "a network interface with more than a network permalink and one new IPv4 or IPv6 address";
    case "tags":
      return "tags that are empty or hold commas or surrounding spaces";
    case "authorized_keys":
      return "authorized keys of chosen users or all SSH keys";
    case "hostname":
      return `a ${el} with surrounding spaces`;
    case "name":
      return `an empty ${el}`;
    default:
      return el;
  }
}

const joinWords = (list) => (list.length < 2 ? list.join("") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`);

/**
 * The form values for an XML document, or { error } saying why the form
 * cannot show it. The form's spec must make the same XML (by buildSpecXml)
 * as the parsed document, part by part; a document without <Hostname> shows
 * as an empty hostname (random), which is what the API does without one.
 */
function valuesForXml(xml) {
  // The parser skips comments and processing instructions; the form would lose them.
  const body = xml.replace(/^\uFEFF?\s*<\?xml\s[^>]*\?>/, "");
  if (body.includes("<!--")) return { error: "This spec has XML comments, which the form cannot keep. Remove them to use the form." };
  if (body.includes("<?")) return { error: "This spec has processing instructions, which the form cannot keep. Remove them to use the form." };
  let parsed;
  try {
    parsed = tools.parseSpecXml(xml);
  } catch (e) {
    return { error: `The XML cannot be read: ${describeError(e).message}` };
  }
  const values = valuesFromSpec(parsed);
  const fromForm = specFromValues(values);
  const wanted = { hostname: { random: true }, ...parsed };
  const same = (key) => {
    try {
      return tools.buildSpecXml({ [key]: wanted[key] }) === tools.buildSpecXml({ [key]: fromForm[key] });
    } catch {
      return false;
    }
  };
  // In document order (ELEMENTS lists the elements so), unknown keys last.
  const order = Object.keys(ELEMENTS);
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  const keys = [...new Set([...Object.keys(wanted), ...Object.keys(fromForm)])].sort((a, b) => rank(a) - rank(b));
  const missing = keys.filter((k) => !same(k)).map((k) => unshown(k, wanted[k]));
  if (missing.length) {
    return { error: `This spec uses ${joinWords(missing)}, which the form cannot show, so it stays in XML mode (nothing is dropped).` };
  }
  return { values };
}

// ---- modes ----------------------------------------------------------------

function showMode(m) {
  mode = m;
  els.modeForm.checked = m === "form";
  els.modeXml.checked = m === "xml";
  els.formPane.hidden = m !== "form";
  els.xmlPane.hidden = m !== "xml";
}

function showMessage(text, refused = false) {
  els.message.textContent = text ?? "";
  els.message.hidden = text == null;
  switchRefused = refused;
}

async function switchTo(target) {
  const turn = ++switchTurn;
  const from = mode;
  try {
    await specTools();
  } catch {
    if (turn === switchTurn) showMode(from); // initSpecEditor says why
    return;
  }
  if (turn !== switchTurn || target === mode) return;
  if (target === "xml") {
    let xml;
    try {
      xml = tools.buildSpecXml(specFromForm());
    } catch (e) {
      showMode("form");
      showMessage(`The form has a problem, so it has no XML yet: ${describeError(e).message}`, true);
      return;
    }
    els.xml.value = generatedXml = xml;
    showMode("xml");
    showMessage(null);
  } else {
    const { values, error } = valuesForXml(els.xml.value);
    if (error) {
      showMode("xml");
      showMessage(error, true);
      return;
    }
    writeValues(values);
    showMode("form");
    showMessage(null);
    updatePreview();
  }
}

/** Rewrites the preview from the form: the XML, or the builder's error (as text). */
function updatePreview(ev) {
  if (ev?.target === els.resPackage || ev?.target === els.resCustom) showResourceFields();
  if (!tools) return;
  try {
    els.preview.textContent = tools.buildSpecXml(specFromForm());
    els.preview.classList.remove("is-error");
  } catch (e) {
    els.preview.replaceChildren(h("strong", {}, "Cannot make the XML: "), describeError(e).message);
    els.preview.classList.add("is-error");
  }
}

// ---- for the build ------------------------------------------------------------

/** What to build from: the form's spec object, or the XML text as it is. */
export function specToBuild() {
  return mode === "form" ? specFromForm() : els.xml.value;
}

/**
 * After a build: a fresh example hostname for the next one, unless the user
 * changed it (in XML mode: unless the XML was edited since the page wrote it).
 */
export function freshExample() {
  if (mode === "xml" && els.xml.value !== generatedXml) return;
  if (els.hostname.value !== exampleHostname) return;
  els.hostname.value = exampleHostname = newHostname();
  if (mode === "form") updatePreview();
  else els.xml.value = generatedXml = tools ? tools.buildSpecXml(specFromForm()) : fallbackXml(exampleHostname);
}
