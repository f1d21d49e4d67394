// The spec editor of the build panel, in two modes: a form (fields → a spec
// object, with a live XML preview from buildSpecXml) and the raw XML. Form →
// XML writes the form's XML into the textarea; XML → form parses it
// (parseSpecXml) and fills the fields, unless the document holds something
// the form cannot show: then it stays in XML mode and says why, so nothing
// the user wrote is dropped. The spec tools (./pkg/spec.js, a WebAssembly
// module of their own) load on first use.
import { $, h, describeError } from "./ui.js";
import { picker } from "./picker.js";
import { hostnameProblem } from "./checks.js";

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

/** "app-1" → "app-2", "db09" → "db10", "app" → "app-2", "" stays "". */
function nextInSeries(hostname) {
  if (!hostname) return hostname;
  const m = /^(.*?)(\d+)$/.exec(hostname);
  return m ? `${m[1]}${String(BigInt(m[2]) + 1n).padStart(m[2].length, "0")}` : `${hostname}-2`;
}

/** The example as XML without the spec tools (only used if they fail to load). */
function fallbackXml(hostname) {
  const v = readValues();
  const location = v.location.startsWith("zone:")
    ? `  <Zone by="permalink">${escapeXml(v.location.slice(5))}</Zone>\n`
    : v.location ? `  <DataCenter by="permalink">${escapeXml(v.location.slice(3))}</DataCenter>\n` : "";
  const pkg = v.package ? `  <Resources>\n    <Package by="permalink">${escapeXml(v.package)}</Package>\n  </Resources>\n` : "";
  return `<VirtualMachineSpec>\n${location}${pkg}  <Hostname>\n    <Hostname>${escapeXml(hostname)}</Hostname>\n  </Hostname>\n</VirtualMachineSpec>`;
}

const escapeXml = (text) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);


export function initSpecEditor() {
  els = {
    modeForm: $("#spec-mode-form"),
    modeXml: $("#spec-mode-xml"),
    message: $("#spec-mode-msg"),
    formPane: $("#spec-form-pane"),
    xmlPane: $("#spec-xml-pane"),
    xml: $("#spec-xml"),
    preview: $("#spec-preview"),
    resPackage: $("#spec-res-package"),
    resCustom: $("#spec-res-custom"),
    packageFields: $("#spec-res-package-fields"),
    customFields: $("#spec-res-custom-fields"),
    location: picker({
      select: $("#spec-location"),
      other: $("#spec-location-other"),
      none: null,
      noun: "data centers",
      fromText: (t) => (t ? `dc:${t}` : ""),
      toText: (v) => v.replace(/^(dc|zone):/, ""),
    }),
    package: picker({ select: $("#spec-package"), other: $("#spec-package-other"), none: null, noun: "packages" }),
    memory: $("#spec-memory"),
    cpu: $("#spec-cpu"),
    diskTemplate: picker({ select: $("#spec-disk-template"), other: $("#spec-disk-template-other"), none: "None (an empty disk)", noun: "disk templates" }),
    hostname: $("#spec-hostname"),
    hostnameError: $("#spec-hostname-error"),
    name: $("#spec-name"),
    network: picker({ select: $("#spec-network"), other: $("#spec-network-other"), none: "The data center's default network", noun: "networks" }),
    ip: $("#spec-ip"),
    tags: $("#spec-tags"),
    allKeys: $("#spec-all-keys"),
    orgKeys: $("#spec-org-keys"),
    sshKeys: $("#spec-ssh-keys"),
    allUsers: $("#spec-all-users"),
  };
  exampleHostname = newHostname();
  writeValues({ ...emptyValues(), hostname: exampleHostname });
  $("#spec-location").addEventListener("change", () => showNetworks());
  els.hostname.addEventListener("input", () => checkHostname(false));
  els.hostname.addEventListener("blur", () => checkHostname(true));
  els.allKeys.addEventListener("change", () => (els.sshKeys.disabled = els.allKeys.checked));
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
    location: "", resources: "package", package: "", memory: "", cpu: "", diskTemplate: "",
    hostname: "", name: "", network: "", ip: "", tags: "", allKeys: false, sshKeys: "", allUsers: false,
  };
}

/** A number input's text; "NaN" for text the browser could not read as a number. */
const numberText = (input) => (input.validity.badInput ? "NaN" : input.value);

/** The fields as they are: strings (and a boolean). */
function readValues() {
  return {
    location: els.location.value,
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
    allKeys: els.allKeys.checked,
    sshKeys: els.sshKeys.value,
    allUsers: els.allUsers.checked,
  };
}

function writeValues(v) {
  els.location.value = v.location;
  showNetworks();
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
  els.allKeys.checked = v.allKeys;
  els.sshKeys.value = v.sshKeys;
  els.sshKeys.disabled = v.allKeys;
  els.allUsers.checked = v.allUsers;
  showResourceFields();
  checkHostname(true);
}

function showResourceFields() {
  els.packageFields.hidden = !els.resPackage.checked;
  els.customFields.hidden = !els.resCustom.checked;
}

const lines = (text, sep) => text.split(sep).map((s) => s.trim()).filter(Boolean);

/** The spec object for form values (empty fields are left out; no hostname = random). */
function specFromValues(v) {
  const spec = {};
  if (v.location.startsWith("zone:")) spec.zone = { permalink: v.location.slice(5) };
  else if (v.location.startsWith("dc:")) spec.data_center = { permalink: v.location.slice(3) };
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
  const keys = v.allKeys ? "all" : lines(v.sshKeys, "\n");
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
  if (spec.zone?.permalink) v.location = `zone:${spec.zone.permalink}`;
  else if (spec.data_center?.permalink) v.location = `dc:${spec.data_center.permalink}`;
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
  v.allKeys = keys?.ssh_keys === "all";
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
    case "zone":
      return value?.permalink ? `${el} as written` : `a ${el} by id`;
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
      return "authorized keys of chosen users";
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
  // The hostname just built is taken: a made-up one is made up again, the
  // user's own continues its series (app-1 → app-2, app → app-2).
  const used = els.hostname.value.trim();
  if (used === exampleHostname) els.hostname.value = exampleHostname = newHostname();
  else els.hostname.value = nextInSeries(used);
  if (mode === "form") updatePreview();
  else els.xml.value = generatedXml = tools ? tools.buildSpecXml(specFromForm()) : fallbackXml(els.hostname.value);
}

// ---- the pickers: what the API lists for the organization ------------------

let catalog = { networks: [] }; // the last lists loaded (networks are filtered by location)
let catalogTurn = 0;

/** The data center permalink of the location value ("dc:x" or "zone:y"), if known. */
function dataCenterOf(location) {
  if (location.startsWith("dc:")) return location.slice(3);
  if (location.startsWith("zone:")) return catalog.zones?.find((z) => z.permalink === location.slice(5))?.data_center?.permalink ?? null;
  return null;
}

/** The network choices of the location's data center (all of them when it is not known). */
function showNetworks() {
  if (!els.network.loaded && !catalog.networksLoaded) return;
  const dc = dataCenterOf(els.location.value);
  const current = els.network.value;
  const list = catalog.networks
    .filter((n) => n.permalink && (dc == null || n.data_center?.permalink == null || n.data_center.permalink === dc))
    .map((n) => ({ value: n.permalink, label: n.name ?? n.permalink }));
  els.network.setChoices(list);
  // A network of another data center no longer fits: back to the default one.
  const wasListed = catalog.networks.some((n) => n.permalink === current);
  els.network.value = wasListed && !list.some((n) => n.value === current) ? "" : current;
}

const label = (name, permalink) => (name && permalink && name !== permalink ? `${name} (${permalink})` : name ?? permalink);

/**
 * Loads what the form picks from, for `org`: data centers and zones,
 * packages, disk templates, networks and SSH keys. Each list on its own: one
 * that fails leaves its picker with "Other…" (and says why in the list).
 * A field still at its starting value gets the first choice.
 */
export function loadCatalog(client, org, signal) {
  const turn = ++catalogTurn;
  const initial = !els.location.value;
  for (const p of [els.location, els.package, els.diskTemplate, els.network]) p.setLoading();
  catalog = { networks: [] };
  els.orgKeys.replaceChildren(h("li", {}, "Loading the organization's SSH keys…"));
  const settle = (promise, use, picker) =>
    promise.then(
      (value) => turn === catalogTurn && use(value),
      (e) => {
        if (turn !== catalogTurn || signal?.aborted) return;
        picker?.setFailed(describeError(e).message);
        if (!picker) use(null, e);
      },
    ).finally(() => turn === catalogTurn && updatePreview());

  const places = Promise.all([client.getDataCenters({ signal }), client.getZones({ signal }).catch(() => ({ zones: [] }))]);
  settle(places, ([{ data_centers: dcs = [] }, { zones = [] }]) => {
    catalog.zones = zones;
    const choices = [];
    for (const dc of dcs) {
      if (!dc.permalink) continue;
      const group = dc.name ?? dc.permalink;
      choices.push({ value: `dc:${dc.permalink}`, label: `${label(dc.name, dc.permalink)}, any zone`, group });
      for (const z of zones) {
        if (z.permalink && z.data_center?.permalink === dc.permalink) choices.push({ value: `zone:${z.permalink}`, label: `Zone ${z.permalink}`, group });
      }
    }
    els.location.setChoices(choices);
    if (initial && choices.length) els.location.value = choices[0].value;
    showNetworks();
  }, els.location);

  settle(client.paginate("get:virtual_machine_packages", { organization: org }, { signal }), (packages) => {
    const choices = packages.filter((p) => p.permalink).map((p) => ({
      value: p.permalink,
      label: [label(p.name, p.permalink), p.cpu_cores != null && `${p.cpu_cores} CPU`, p.memory_in_gb != null && `${p.memory_in_gb} GB`, p.storage_in_gb != null && `${p.storage_in_gb} GB disk`].filter(Boolean).join(" · "),
    }));
    els.package.setChoices(choices);
    if (initial && choices.length && !els.package.value) els.package.value = choices[0].value;
  }, els.package);

  settle(client.paginate("get:organization_disk_templates", { organization: org }, { signal }), (templates) => {
    const choices = templates.filter((t) => t.permalink).map((t) => ({ value: t.permalink, label: label(t.name, t.permalink), group: t.operating_system?.name ?? null }));
    els.diskTemplate.setChoices(choices);
    if (initial && choices.length && !els.diskTemplate.value) els.diskTemplate.value = choices[0].value;
  }, els.diskTemplate);

  settle(client.getOrganizationAvailableNetworks(org, { signal }), ({ networks = [] }) => {
    catalog.networks = networks;
    catalog.networksLoaded = true;
    showNetworks();
  }, els.network);

  settle(client.paginate("get:organization_ssh_keys", { organization: org }, { signal }), (keys, error) => {
    if (error) {
      els.orgKeys.replaceChildren(h("li", {}, `The organization's SSH keys could not be loaded: ${describeError(error).message}`));
      return;
    }
    els.orgKeys.replaceChildren(
      ...(keys.length
        ? keys.map((k) => h("li", {}, k.name ?? "(no name)", k.fingerprint ? h("span", { class: "mono" }, ` ${k.fingerprint}`) : null))
        : [h("li", {}, "The organization has no SSH keys yet.")]),
    );
  });
}

// ---- the hostname, checked before anything is sent ---------------------------

/** Shows (or clears) the hostname's problem; `strict` also shows it while typing stops. */
function checkHostname(strict) {
  const problem = hostnameProblem(els.hostname.value.trim());
  const shown = problem && (strict || !els.hostnameError.hidden);
  els.hostname.setAttribute("aria-invalid", problem ? "true" : "false");
  els.hostnameError.textContent = shown ? problem : "";
  els.hostnameError.hidden = !shown;
  return problem;
}

/**
 * Why the spec cannot be sent as it is, or null: a hostname the API would
 * refuse (in XML mode, the document's, when it can be read). Focuses the
 * field in form mode.
 */
export function specProblem() {
  if (mode === "form") {
    const problem = checkHostname(true);
    if (problem) els.hostname.focus();
    return problem;
  }
  if (!tools) return null;
  let spec;
  try {
    spec = tools.parseSpecXml(els.xml.value);
  } catch {
    return null; // the API says what is wrong with the XML
  }
  return typeof spec.hostname === "string" ? hostnameProblem(spec.hostname) : null;
}
