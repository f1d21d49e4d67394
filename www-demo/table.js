// The VM table: one page at a time (listVirtualMachines) or everything
// (listAllVirtualMachines, with a progress bar); a search over every VM of
// the organization (it loads them all once), a state filter, sortable
// columns, a server-side annotation filter and an action menu per row.
//
// The live API's list items carry no state and no annotations (and may
// leave out any other field: absent ones show "—"). A row is completed
// from getVirtualMachine only once it is on screen (an IntersectionObserver
// with a small margin), at most 4 requests at a time, each row once per
// load; the tasks this page starts keep their VM current (actions.js). So
// a page costs one list request plus one per row the user actually sees.
import { state, on, emit, record, patch, isAbort, vmName, anySignal } from "./state.js";
import { $, h, stateBadge, loadingBadge, annotationChip, timeEl, describeError, showInlineError, toast, taskText, holdFocus, orDash } from "./ui.js";
import { POWER, powerAction, deleteVm } from "./actions.js";
import { rowMenu } from "./row-menu.js";

const DETAIL_CONCURRENCY = 4;
/** How far beyond the viewport a row counts as on screen. */
const ON_SCREEN_MARGIN = "120px 0px";
const COLUMNS = 9;

const view = {
  mode: "page", // "page" (one page) | "all" (listAllVirtualMachines)
  page: 1,
  perPage: 30,
  annotations: [], // server-side filter, [{ key, value }]
  pagination: null, // of the last page loaded
  count: 0, // rows in the table
  loading: false,
  sort: null, // { key, dir: 1 | -1 } of a column, or null: the API's order
  stateFilter: "", // "" | "started" | "stopped" | "busy" | "bad"
  searchedAll: false, // every VM was loaded for a search
};

const rows = new Map(); // vm id → { tr, stateCell, annotationsCell }
const pool = createPool(DETAIL_CONCURRENCY);
let loadCtl = null; // aborts the current list load and its detail fetches
let loadSignal = null;
let restoreFocus = () => {}; // puts the focus back on the control that started a load
let observer = null;
let els;

export function initTable() {
  els = {
    heading: $("#vms-org"),
    table: $("#vm-table"),
    body: $("#vm-body"),
    error: $("#vm-error"),
    filter: $("#text-filter"),
    filterForm: $("#filter-form"),
    filterStatus: $("#filter-status"),
    stateFilter: $("#state-filter"),
    head: $("#vm-table thead tr"),
    annForm: $("#ann-filter-form"),
    annInput: $("#ann-filter"),
    annApply: $("#ann-filter-form button[type=submit]"),
    annClear: $("#ann-filter-clear"),
    annError: $("#ann-filter-error"),
    perPage: $("#per-page"),
    prev: $("#prev-page"),
    next: $("#next-page"),
    pageInfo: $("#page-info"),
    loadAll: $("#load-all"),
    refresh: $("#refresh"),
    progressWrap: $("#load-progress"),
    progress: $("#load-progress progress"),
    progressText: $("#load-progress-text"),
    sortSelect: document.querySelector("#sort-select"),
  };
  view.perPage = Number(els.perPage.value);

  on("session", () => {
    abortLoad();
    Object.assign(view, { mode: "page", page: 1, pagination: null, loading: false });
    els.heading.textContent = "";
    showInlineError(els.error, null);
    clearRows("Connecting…");
    renderPager();
  });
  on("disconnected", () => clearRows("Not connected. Check the base URL and token above."));
  on("awaiting-org", () => clearRows("Type the organization's sub-domain above to list its virtual machines."));
  on("org", (org) => {
    els.heading.textContent = org.sub_domain ?? org.id;
    view.page = 1;
    view.searchedAll = false;
    if (needsEverything()) loadAll();
    else loadPage();
  });
  on("vm", updateRow);
  on("reach", () => {
    for (const [id, row] of rows) renderDynamic(row, record(id));
  });
  on("vm-removed", removeRow);
  on("select", ({ id }) => markSelected(id));
  on("reveal", reveal);

  els.filterForm.addEventListener("submit", (ev) => ev.preventDefault());
  els.filter.addEventListener("input", () => {
    applyFilter();
    coverEverything();
  });
  els.stateFilter.addEventListener("change", () => {
    view.stateFilter = els.stateFilter.value;
    if (view.stateFilter) fetchAllDetails();
    applyFilter();
    coverEverything();
  });
  for (const th of els.head.querySelectorAll("th[data-sort]")) {
    th.querySelector("button").addEventListener("click", () => sortBy(th.dataset.sort));
  }
  // Phones show cards, not column headers: this control sorts the same way.
  els.sortSelect?.addEventListener("change", () => {
    const [key, dir] = els.sortSelect.value.split(":");
    setSort(key ? { key, dir: Number(dir) === -1 ? -1 : 1 } : null);
  });
  els.annForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const parsed = parseAnnotations(els.annInput.value);
    if (parsed instanceof Error) {
      showInlineError(els.annError, parsed);
      els.annInput.setAttribute("aria-invalid", "true");
      return;
    }
    showInlineError(els.annError, null);
    els.annInput.removeAttribute("aria-invalid");
    view.annotations = parsed;
    reload(true);
  });
  els.annClear.addEventListener("click", () => {
    els.annInput.value = "";
    showInlineError(els.annError, null);
    els.annInput.removeAttribute("aria-invalid");
    if (view.annotations.length) {
      view.annotations = [];
      reload(true);
    }
  });
  els.perPage.addEventListener("change", () => {
    view.perPage = Number(els.perPage.value);
    view.page = 1;
    loadPage();
  });
  els.prev.addEventListener("click", () => {
    view.page = Math.max(1, view.page - 1);
    loadPage();
  });
  els.next.addEventListener("click", () => {
    view.page += 1;
    loadPage();
  });
  els.loadAll.addEventListener("click", () => {
    view.searchedAll = false; // asked for: stays when the search is cleared
    loadAll();
  });
  els.refresh.addEventListener("click", () => reload(false));
  clearRows("Connecting…");
  renderPager();
}

/** "team=web, env=prod" → [{ key, value }], or an Error to show. */
function parseAnnotations(text) {
  const out = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    if (eq <= 0) return Object.assign(new Error(`“${part}” is not key=value. Separate pairs with commas.`), { name: "invalid_filter" });
    out.push({ key: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return out;
}

function withAnnotations(options) {
  return view.annotations.length ? { ...options, annotations: view.annotations } : options;
}

function abortLoad() {
  loadCtl?.abort();
  pool.clear();
}

/** Starts a list load: earlier loads and their detail fetches stop. */
function beginLoad() {
  abortLoad();
  loadCtl = new AbortController();
  loadSignal = anySignal([loadCtl.signal, state.session.signal]);
  const controls = [els.prev, els.next, els.loadAll, els.refresh, els.annApply, els.annClear];
  restoreFocus = holdFocus(controls, [els.next, els.prev, els.refresh]);
  view.loading = true;
  els.table.setAttribute("aria-busy", "true");
  showInlineError(els.error, null);
  renderPager();
  return loadSignal;
}

function endLoad(signal) {
  if (signal.aborted) return; // a newer load owns the table now
  view.loading = false;
  els.table.removeAttribute("aria-busy");
  renderPager();
  restoreFocus();
}

function reload(toFirstPage) {
  if (view.mode === "all") return loadAll();
  if (toFirstPage) view.page = 1;
  return loadPage();
}

/** Loads page `view.page` with listVirtualMachines. */
async function loadPage() {
  if (!state.client || !state.org) return;
  view.mode = "page";
  const signal = beginLoad();
  try {
    const res = await state.client.listVirtualMachines(state.org, withAnnotations({ page: view.page, per_page: view.perPage, signal }));
    const { pagination, virtual_machines: vms } = res;
    if (vms.length === 0 && view.page > 1 && pagination.total_pages) {
      // Past the end (the last VM of the last page went away): show the last page.
      view.page = pagination.total_pages;
      return await loadPage();
    }
    view.pagination = pagination;
    renderRows(vms, view.annotations.length ? "No virtual machine carries these annotations." : "This organization has no virtual machines.");
  } catch (e) {
    if (isAbort(e)) return;
    failedLoad(e, "Could not load the virtual machines");
  } finally {
    endLoad(signal);
  }
}

/** Loads every page with listAllVirtualMachines, showing its onProgress. */
async function loadAll() {
  if (!state.client || !state.org) return;
  view.mode = "all";
  const signal = beginLoad();
  els.progressWrap.hidden = false;
  els.progress.removeAttribute("value"); // indeterminate until the first page
  els.progressText.textContent = "Loading…";
  const onProgress = (loaded, total) => {
    if (signal.aborted) return;
    els.progress.max = Math.max(total ?? loaded, 1);
    els.progress.value = loaded;
    els.progressText.textContent = total == null ? `${loaded} loaded…` : `${loaded} of ${total} loaded`;
  };
  try {
    const vms = await state.client.listAllVirtualMachines(state.org, withAnnotations({ per_page: 100, signal, onProgress }));
    view.pagination = null;
    renderRows(vms, "No virtual machines.");
    els.progress.max = Math.max(vms.length, 1);
    els.progress.value = vms.length;
    renderLoadedAll(vms.length);
  } catch (e) {
    if (isAbort(e)) return;
    els.progressText.textContent = "Failed";
    failedLoad(e, "Could not load every virtual machine");
  } finally {
    endLoad(signal);
  }
}

/** The finished "load all" line, with why every page was loaded when a sort or filter needed it. */
function renderLoadedAll(count = view.count) {
  const why = view.sort ? "the API cannot sort" : view.stateFilter ? "the API cannot filter by state" : null;
  els.progressText.textContent = `All ${count} loaded${why && view.searchedAll ? `: ${why}, so every page is loaded` : ""}`;
}

/**
 * A list load failed. The rows of the same list (organization and filter)
 * stay on screen, saying when they were loaded; anything else is cleared.
 */
function failedLoad(e, context) {
  const same = view.shown && view.shown.key === listKey();
  if (same && rows.size) {
    showInlineError(els.error, e, `${context}; the list below is as loaded at ${view.shown.at.toLocaleTimeString()}`);
    return;
  }
  view.pagination = null;
  clearRows("Could not load the virtual machines.");
  showInlineError(els.error, e, context);
}

/** What the rows on screen are a list of. */
const listKey = () => JSON.stringify([state.org, view.annotations]);

// ---- rows -----------------------------------------------------------------

function messageRow(text) {
  return h("tr", { class: "message-row" }, h("td", { colspan: COLUMNS }, text));
}

function clearRows(message) {
  view.shown = null;
  observer?.disconnect();
  rows.clear();
  view.count = 0;
  els.body.replaceChildren(messageRow(message));
  applyFilter();
}

function renderRows(summaries, emptyMessage) {
  view.shown = { key: listKey(), at: new Date() };
  observer?.disconnect();
  rows.clear();
  // Fetch a row's state and annotations once it comes near the viewport.
  observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        fetchDetails(entry.target.dataset.id);
      }
    },
    { rootMargin: ON_SCREEN_MARGIN },
  );
  // An item without an id cannot be looked up or acted on; it is still shown.
  const trs = summaries.map((summary, i) => {
    const rec = record(summary.id ?? `#row-${i}`);
    rec.summary = summary;
    rec.detailError = null;
    const row = buildRow(rec);
    row.order = i; // the API's order, for "unsorted"
    rows.set(rec.id, row);
    return row.tr;
  });
  view.count = trs.length;
  els.body.replaceChildren(...(trs.length ? trs : [messageRow(emptyMessage)]));
  for (const tr of trs) if (record(tr.dataset.id).summary?.id) observer.observe(tr);
  markSelected(state.selectedId);
  if (view.sort) applySort();
  if (view.stateFilter || view.sort?.key === "state") fetchAllDetails();
  applyFilter();
}

/**
 * What a row shows of a VM: its list item, with what a later read of the
 * VM changed (its name, hostname, package after a settings or package change).
 */
function shownOf(rec) {
  const s = rec.summary;
  const vm = rec.vm;
  if (!vm) return s;
  const shown = { ...s };
  for (const key of ["name", "hostname", "fqdn"]) if (vm[key] != null) shown[key] = vm[key];
  if (vm.package !== undefined) shown.package = vm.package === null ? null : { name: vm.package.name ?? s.package?.name };
  return shown;
}

/** A key of what the static cells show: a row is rebuilt when it changes. */
const shownKey = (s) => JSON.stringify([s.name, s.hostname, s.fqdn, s.package === null ? null : s.package?.name]);

function buildRow(rec) {
  const s = shownOf(rec);
  const stateCell = h("td", { class: "state-cell", dataset: { label: "State" } });
  const annotationsCell = h("td", { class: "annotations-cell", dataset: { label: "Annotations" } });
  const dash = () => h("span", { class: "muted" }, "—");
  const fqdn = s.fqdn && s.hostname && s.fqdn.startsWith(`${s.hostname}.`)
    ? [h("span", { class: "host" }, s.hostname), h("span", { class: "domain" }, dotBreaks(s.fqdn.slice(s.hostname.length)))]
    : [s.fqdn ?? dash()];
  const ips = (s.ip_addresses ?? []).filter((ip) => ip?.address);
  // A null package means custom resources; an absent one, that the API did not say.
  const pkg = s.package === null ? h("span", { class: "muted" }, "Custom") : s.package?.name ?? dash();
  const selectable = s.id != null;
  const tr = h(
    "tr",
    {
      dataset: { id: rec.id },
      // A click anywhere on the row selects it; the name button is the keyboard path.
      onclick: (ev) => {
        if (selectable && !ev.target.closest("button, a, input, select, textarea")) select(s.id, false);
      },
    },
    h(
      "td",
      { class: "name-cell" },
      selectable
        ? h("button", { type: "button", class: "link name", onclick: () => select(s.id, true) }, s.name ?? s.hostname ?? s.id)
        : orDash(s.name ?? s.hostname),
    ),
    h("td", { class: "fqdn-cell mono", dataset: { label: "Hostname" } }, fqdn),
    stateCell,
    h("td", { dataset: { label: "Zone" } }, s.zone?.name ?? dash(), s.zone?.permalink ? h("div", { class: "sub" }, s.zone.permalink) : null),
    h("td", { dataset: { label: "Package" } }, pkg),
    h("td", { class: "mono ips", dataset: { label: "IP addresses" } }, ips.length ? ips.map((ip) => h("div", {}, ip.address)) : dash()),
    h("td", { class: "nowrap col-created", dataset: { label: "Created" } }, timeEl(s.created_at)),
    annotationsCell,
    h("td", { class: "col-actions" }, selectable ? rowMenu(s.id, s.name ?? s.hostname ?? s.id, () => menuItems(s.id)) : null),
  );
  const row = { tr, stateCell, annotationsCell, key: shownKey(s) };
  renderDynamic(row, rec);
  return row;
}

/** A domain that may wrap only after its dots, never inside a label. */
const dotBreaks = (text) => text.split(/(?<=\.)/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));

/** The row menu's items for VM `id`, as its state is now. */
function menuItems(id) {
  const rec = record(id);
  const vmState = rec.vm?.state;
  const off = rec.busy || !state.reachable || !rec.vm;
  return [
    ...["start", "shutdown", "stop", "reset"].map((kind) => [kind, POWER[kind]]).map(([kind, { label }]) => ({
      label: kind === "stop" || kind === "reset" ? `${label}…` : label,
      disabled: off || (kind === "start" && vmState === "started") || (kind !== "start" && vmState === "stopped"),
      run: () => powerAction(id, kind),
    })),
    { label: "Console…", disabled: !rec.vm, run: () => {
      select(id, false);
      emit("open-section", { id, title: "Console" });
    } },
    { label: "Delete…", disabled: off, run: () => deleteVm(id) },
  ];
}

/** The parts of a row that change: state badge, task progress, annotations. */
function renderDynamic(row, rec) {
  const parts = [];
  if (!rec.summary?.id && !rec.vm) parts.push(stateBadge(undefined));
  else if (rec.vm) parts.push(stateBadge(rec.vm.state));
  else if (rec.detailError) {
    const { code, message } = describeError(rec.detailError);
    parts.push(h("span", { class: "badge tone-bad", title: `${code}: ${message}` }, "unknown"));
  } else parts.push(loadingBadge());
  if (rec.task) {
    const t = rec.task;
    parts.push(
      h(
        "div",
        { class: "row-task" },
        h("progress", { max: 100, value: t.status === "requesting" ? null : (t.progress ?? 0), "aria-label": `${t.name}: ${taskText(t)}` }),
        h("span", { class: "row-task-text" }, taskText(t)),
      ),
    );
  }
  row.stateCell.replaceChildren(...parts);
  if (rec.annotations) {
    row.annotationsCell.replaceChildren(...(rec.annotations.length ? rec.annotations.map(annotationChip) : [h("span", { class: "muted" }, "—")]));
  } else if (rec.detailError) {
    // "—" would say "none": these were never loaded.
    row.annotationsCell.replaceChildren(h("span", { class: "muted", title: `Not loaded: ${describeError(rec.detailError).message}` }, "not loaded"));
  } else if (!rec.summary?.id) {
    row.annotationsCell.replaceChildren(h("span", { class: "muted" }, "—"));
  } else {
    row.annotationsCell.replaceChildren(h("span", { class: "skeleton", role: "img", "aria-label": "Loading annotations" }));
  }
  row.tr.classList.toggle("busy", rec.busy);
}

function updateRow(id) {
  let row = rows.get(id);
  if (!row) return;
  if (record(id).summary && shownKey(shownOf(record(id))) !== row.key) {
    // The name, hostname or package changed: the row is made again, in place.
    const fresh = buildRow(record(id));
    Object.assign(fresh, { order: row.order, fetched: row.fetched });
    const hadFocus = row.tr.contains(document.activeElement);
    row.tr.replaceWith(fresh.tr);
    rows.set(id, fresh);
    row = fresh;
    markSelected(state.selectedId);
    if (hadFocus) fresh.tr.querySelector("button.name")?.focus();
  }
  renderDynamic(row, record(id));
  filterRow(row, record(id), groups);
  updateFilterStatus();
  // Sorted by what just changed (a state that arrived): sorted again, once per frame.
  if (view.sort && !resortQueued) {
    resortQueued = true;
    requestAnimationFrame(() => {
      resortQueued = false;
      applySort();
    });
  }
}

let resortQueued = false;

function removeRow(id) {
  const row = rows.get(id);
  if (!row) return;
  observer?.unobserve(row.tr);
  row.tr.remove();
  rows.delete(id);
  view.count -= 1;
  if (view.pagination?.total != null) view.pagination.total -= 1;
  if (view.count === 0) els.body.replaceChildren(messageRow("No virtual machines on this page."));
  applyFilter();
  renderPager();
}

/** Completes a row from getVirtualMachine (queued; 6 at a time). */
function fetchDetails(id) {
  const signal = loadSignal;
  const row = rows.get(id);
  if (row) row.fetched = true;
  pool.run(async () => {
    if (signal.aborted || !rows.has(id)) return;
    try {
      const { virtual_machine, annotations } = await state.client.getVirtualMachine({ id }, { signal });
      patch(id, { vm: virtual_machine, annotations, detailError: null });
    } catch (e) {
      if (!isAbort(e)) patch(id, { detailError: e });
    }
  });
}

function select(id, focusDetails) {
  state.selectedId = id;
  emit("select", { id, focus: focusDetails });
}

function markSelected(id) {
  for (const [rowId, row] of rows) {
    const selected = rowId === id;
    row.tr.classList.toggle("selected", selected);
    if (selected) row.tr.setAttribute("aria-current", "true");
    else row.tr.removeAttribute("aria-current");
  }
}

/**
 * Shows a VM that was just built (`newest`) or restored: reloads the view
 * and selects it. The API lists in creation order, so a new VM is on the
 * last page.
 */
async function reveal({ id, newest = false }) {
  if (!state.client || !state.org) return;
  if (view.mode === "all") await loadAll();
  else {
    await loadPage();
    const last = view.pagination?.total_pages;
    if (newest && !rows.has(id) && last && view.page !== last) {
      view.page = last;
      await loadPage();
    }
  }
  const row = rows.get(id);
  if (!row) {
    toast(`${vmName(id)} is not in the current view (check the annotation filter).`);
    return;
  }
  if (row.tr.hidden) {
    els.filter.value = "";
    applyFilter();
  }
  select(id, false);
  // After an Undo the toast that held the focus is gone: continue from the row.
  if (document.activeElement === document.body || document.activeElement?.id === "main") row.tr.querySelector("button.name").focus();
  row.tr.scrollIntoView({ block: "nearest" });
  row.tr.classList.remove("flash");
  void row.tr.offsetWidth; // restart the highlight animation
  row.tr.classList.add("flash");
}

// ---- search, state filter, sorting ---------------------------------------

function filterTerms() {
  return els.filter.value.toLowerCase().split(/\s+/).filter(Boolean);
}

/**
 * What a search can match in a row: each field from its start, and runs of
 * words of names, hostnames, zones and packages from theirs, so "db" finds
 * db-1 and a zone "London" but not the address 2001:db8::1.
 */
function searchable(rec) {
  const s = shownOf(rec);
  const words = [s.name, s.hostname, s.fqdn, s.zone?.name, s.zone?.permalink, s.package === null ? "custom" : s.package?.name, rec.vm?.state];
  const fields = [
    ...words,
    ...(s.ip_addresses ?? []).map((ip) => ip?.address),
    ...(rec.annotations ?? []).flatMap((a) => [`${a.key}=${a.value ?? ""}`, a.value]),
  ].filter(Boolean).map((f) => String(f).toLowerCase());
  const phrases = words.filter(Boolean).map((w) => String(w).toLowerCase().split(/[\s._-]+/).filter(Boolean));
  return { fields, phrases };
}

/** Whether `group` (search words) runs through `words`: all whole but the last, which may be a start. */
function runsThrough(words, group) {
  const last = group.length - 1;
  for (let i = 0; i + last < words.length; i++) {
    if (group.every((g, j) => (j === last ? words[i + j].startsWith(g) : words[i + j] === g))) return true;
  }
  return false;
}

function matchesGroup({ fields, phrases }, group) {
  if (group.length === 1 && fields.some((f) => f.startsWith(group[0]))) return true;
  return phrases.some((words) => runsThrough(words, group));
}

/**
 * The search's words, grouped into the phrases the rows have: "rock 6" is
 * one group when some row's package is "Rock 6", so it does not also match
 * a Rock 3 VM named worker-6; "amsterdam rock 12" is two groups, a zone and
 * a package. Greedy, longest group first.
 */
function searchGroups(terms) {
  const all = [...rows.keys()].map((id) => searchable(record(id)));
  const groups = [];
  for (let k = 0; k < terms.length; ) {
    let len = terms.length - k;
    while (len > 1 && !all.some((r) => r.phrases.some((words) => runsThrough(words, terms.slice(k, k + len))))) len -= 1;
    groups.push(terms.slice(k, k + len));
    k += len;
  }
  return groups;
}

const STATE_GROUPS = {
  started: (st) => st === "started",
  stopped: (st) => st === "stopped",
  bad: (st) => st === "failed" || st === "orphaned",
  busy: (st) => st != null && !["started", "stopped", "failed", "orphaned"].includes(st),
};

function filterRow(row, rec, groups) {
  const found = searchable(rec);
  const textOk = groups.every((g) => matchesGroup(found, g));
  const stateOk = !view.stateFilter || (rec.vm ? STATE_GROUPS[view.stateFilter](rec.vm.state) : false);
  row.tr.hidden = !(textOk && stateOk);
}

let groups = [];

function applyFilter() {
  groups = searchGroups(filterTerms());
  for (const [id, row] of rows) filterRow(row, record(id), groups);
  updateFilterStatus();
}

/**
 * A search, a state filter or a sort is over every VM of the organization,
 * and the API can do none of them: when there is more than this page, every
 * page is loaded (once, with progress). When none of them is left, the
 * pages come back.
 */
function needsEverything() {
  return filterTerms().length > 0 || Boolean(view.stateFilter) || view.sort != null;
}

function coverEverything() {
  if (!needsEverything()) {
    if (view.searchedAll && view.mode === "all") {
      view.searchedAll = false;
      loadPage();
    }
    return;
  }
  if (view.mode === "all") {
    if (!view.loading && view.shown) renderLoadedAll();
    return;
  }
  const p = view.pagination;
  const morePages = !p || p.total_pages == null || p.total_pages > 1;
  if (morePages) {
    view.searchedAll = true;
    loadAll();
  }
}

/** A state filter needs every row's state: fetch those not on screen yet too. */
function fetchAllDetails() {
  for (const [id, row] of rows) {
    if (!row.fetched && record(id).summary?.id) {
      observer?.unobserve(row.tr);
      fetchDetails(id);
    }
  }
}

function updateFilterStatus() {
  const terms = filterTerms();
  let noMatch = els.body.querySelector(".no-match");
  if ((!terms.length && !view.stateFilter) || rows.size === 0) {
    els.filterStatus.textContent = "";
    noMatch?.remove();
    return;
  }
  const shown = [...rows.values()].filter((r) => !r.tr.hidden).length;
  const waiting = view.stateFilter ? [...rows.keys()].filter((id) => !record(id).vm && !record(id).detailError).length : 0;
  const scope = view.mode === "all" ? `${rows.size} virtual machine${rows.size === 1 ? "" : "s"}` : `${rows.size} on this page`;
  els.filterStatus.textContent = `${shown} of ${scope} match${waiting ? ` (checking the state of ${waiting} more…)` : ""}`;
  const what = [terms.length ? `“${els.filter.value.trim()}”` : null, view.stateFilter ? `the state “${els.stateFilter.selectedOptions[0]?.textContent ?? view.stateFilter}”` : null].filter(Boolean).join(" and ");
  const message = `No virtual machine matches ${what}.`;
  if (shown === 0 && !waiting && !noMatch) {
    noMatch = messageRow(message);
    noMatch.classList.add("no-match");
    els.body.append(noMatch);
  } else if (shown === 0 && !waiting) {
    noMatch.firstElementChild.textContent = message;
  } else noMatch?.remove();
}

/** What a column sorts by, for a row. */
function sortValue(rec, key) {
  const s = shownOf(rec);
  switch (key) {
    case "name": return (s.name ?? s.hostname ?? "").toLowerCase();
    case "fqdn": return (s.fqdn ?? s.hostname ?? "").toLowerCase();
    case "state": return rec.vm?.state ?? null;
    case "zone": return (s.zone?.name ?? s.zone?.permalink ?? "").toLowerCase() || null;
    case "package": return s.package === null ? "custom" : (s.package?.name ?? "").toLowerCase() || null;
    case "created": return s.created_at ?? null;
    default: return null;
  }
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Sorts by a column: ascending, then descending, then back to the API's order. */
function sortBy(key) {
  if (view.sort?.key !== key) setSort({ key, dir: 1 });
  else if (view.sort.dir === 1) setSort({ key, dir: -1 });
  else setSort(null);
}

function setSort(sort) {
  view.sort = sort;
  if (view.sort?.key === "state") fetchAllDetails();
  applySort();
  coverEverything();
}

function applySort() {
  for (const th of els.head.querySelectorAll("th[data-sort]")) {
    const on = view.sort?.key === th.dataset.sort;
    th.setAttribute("aria-sort", on ? (view.sort.dir === 1 ? "ascending" : "descending") : "none");
  }
  if (els.sortSelect) els.sortSelect.value = view.sort ? `${view.sort.key}:${view.sort.dir}` : "";
  const ordered = [...rows.entries()];
  if (view.sort) {
    const { key, dir } = view.sort;
    ordered.sort(([a], [b]) => {
      const x = sortValue(record(a), key);
      const y = sortValue(record(b), key);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1; // unknown last
      return dir * (typeof x === "number" ? x - y : collator.compare(x, y));
    });
  } else {
    ordered.sort(([, a], [, b]) => a.order - b.order);
  }
  const noMatch = els.body.querySelector(".no-match");
  els.body.append(...ordered.map(([, row]) => row.tr));
  if (noMatch) els.body.append(noMatch);
}

// ---- pager ----------------------------------------------------------------

function renderPager() {
  const p = view.pagination;
  const paged = view.mode === "page";
  let info = "";
  if (!paged) info = view.loading ? "Loading every page…" : `All ${view.count} virtual machine${view.count === 1 ? "" : "s"}`;
  else if (p && (p.large_set || p.total == null)) info = `Page ${p.current_page ?? view.page}${p.large_set ? " (a large set: no total)" : ""}`;
  else if (p) info = `Page ${p.current_page ?? view.page} of ${Math.max(p.total_pages ?? 1, 1)} · ${p.total} virtual machine${p.total === 1 ? "" : "s"}`;
  else if (view.loading) info = "Loading…";
  els.pageInfo.textContent = info;
  const idle = !view.loading && state.client && state.org;
  els.prev.disabled = !idle || !paged || !p || view.page <= 1;
  els.next.disabled = !idle || !paged || !p || (p.total_pages != null ? view.page >= p.total_pages : view.count < view.perPage);
  els.loadAll.disabled = !idle;
  els.refresh.disabled = !idle;
  els.annApply.disabled = !idle;
  els.annClear.disabled = !idle;
  els.progressWrap.hidden = paged;
}

/** A tiny promise pool: at most `limit` jobs run at once, in queue order. */
function createPool(limit) {
  const queue = [];
  let active = 0;
  const pump = () => {
    while (active < limit && queue.length) {
      const job = queue.shift();
      active += 1;
      Promise.resolve()
        .then(job)
        .catch(() => {})
        .finally(() => {
          active -= 1;
          pump();
        });
    }
  };
  return {
    run(job) {
      queue.push(job);
      pump();
    },
    clear() {
      queue.length = 0;
    },
  };
}
