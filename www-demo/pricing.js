// The pricing view (#pricing): what a reseller would embed. It calls the
// Katapult Public API with KatapultPublicClient, which takes no token, so it
// works without connecting: the VM packages with their monthly prices in a
// chosen currency, the data centers, and an estimate for a package, a
// quantity and extra storage. Every API string reaches the page as text
// (h() and textContent), never as markup.
import { api, isAbort } from "./state.js";
import { $, h, showInlineError, errorNode } from "./ui.js";

/** The live Public API, used unless the page is served by the mock. */
export const LIVE_PUBLIC_URL = "https://api.katapult.io/public/v1";
const PACKAGE_RESOURCE = "virtual_machine_package";
const STORAGE_RESOURCE = "storage_gb";
/** An estimate must name its customer; the page asks for no name. */
const CUSTOMER_NAME = "Pricing page estimate";

let els;
/** The client of the current base URL, and what it loaded. */
let client = null;
/** { packages: [{ pkg, resource, prices }], storage: { resource, prices } | null, currencies: Currency[] } once loaded. */
let catalogue = null;
/** Aborted when a newer load, or a newer estimate, takes over. */
let loading = null;
let estimating = null;
let estimateTimer = 0;

/**
 * The Public API's base URL for the Core API base URL the page uses: this
 * origin's /public/v1 when that is the page's own origin (the bundled mock
 * serves both), else the live Public API.
 */
export function publicBaseUrl(coreBaseUrl) {
  try {
    if (new URL(coreBaseUrl).origin === location.origin) return `${location.origin}/public/v1`;
  } catch {
    // Not a URL: the live API.
  }
  return LIVE_PUBLIC_URL;
}

/** Puts the view's content (its template) in the page and wires it; once. */
function mount() {
  const root = $("#pricing");
  root.replaceChildren($("#pricing-template", root).content.cloneNode(true));
  els = {
    base: $("#pricing-base"),
    currency: $("#pricing-currency"),
    status: $("#pricing-status"),
    error: $("#pricing-error"),
    table: $("#package-table"),
    body: $("#package-body"),
    storage: $("#storage-price"),
    form: $("#estimate-form"),
    pkg: $("#est-package"),
    quantity: $("#est-quantity"),
    quantityError: $("#est-quantity-error"),
    disk: $("#est-disk"),
    diskError: $("#est-disk-error"),
    country: $("#est-country"),
    customer: $("#est-customer"),
    button: $("#est-btn"),
    estStatus: $("#estimate-status"),
    estError: $("#estimate-error"),
    result: $("#estimate-result"),
    taxHead: $("#est-tax-h"),
    lines: $("#estimate-lines"),
    dcStatus: $("#dc-status"),
    dcError: $("#dc-error"),
    dcList: $("#dc-list"),
  };
  els.currency.addEventListener("change", () => {
    renderPrices();
    estimateSoon(0);
  });
  els.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    estimateSoon(0);
  });
  // Any change re-estimates (a number typed settles first).
  els.form.addEventListener("change", () => estimateSoon(0));
  els.form.addEventListener("input", (ev) => {
    if (ev.target.type === "number") estimateSoon(600);
  });
}

/**
 * Shows the view for the Public API beside `coreBaseUrl`: loads it the
 * first time, or again when that base URL changed.
 */
export function showPricing(coreBaseUrl) {
  if (!els) mount();
  const baseUrl = publicBaseUrl(coreBaseUrl);
  if (client && client.baseUrl === baseUrl.replace(/\/+$/, "")) return;
  els.base.textContent = baseUrl;
  if (!api.KatapultPublicClient) {
    els.status.textContent = "The client failed to load, so the prices cannot be shown.";
    return;
  }
  client = new api.KatapultPublicClient({ baseUrl });
  load();
}

/** Loads the price list with the packages, and the data centers, side by side. */
function load() {
  loading?.abort();
  loading = new AbortController();
  const { signal } = loading;
  loadCatalogue(signal);
  loadDataCenters(signal);
}

/** A "Try again" button for an error box. */
const retryButton = (onclick) => h("p", {}, h("button", { type: "button", class: "btn small", onclick }, "Try again"));

async function loadCatalogue(signal) {
  catalogue = null;
  showInlineError(els.error, null);
  els.status.textContent = "Loading the packages and their prices…";
  els.table.setAttribute("aria-busy", "true");
  els.body.replaceChildren(messageRow("Loading…"));
  els.currency.disabled = true;
  els.pkg.disabled = true;
  els.button.disabled = true;
  try {
    const [{ prices }, packages] = await Promise.all([
      client.getPricingPrices({ signal }),
      client.paginate("get:virtual_machine_packages", {}, { signal }),
    ]);
    if (signal.aborted) return;
    catalogue = catalogueOf(prices ?? [], packages ?? []);
    fillCurrencies();
    fillPackages();
    renderPrices();
    const n = catalogue.packages.length;
    els.status.textContent = `${n} package${n === 1 ? "" : "s"}.`;
    estimateSoon(0);
  } catch (e) {
    if (isAbort(e) || signal.aborted) return;
    els.status.textContent = "The packages and prices could not be loaded.";
    els.body.replaceChildren(messageRow("Not loaded."));
    showInlineError(els.error, e, "Could not load the packages and prices from the Public API");
    els.error.append(retryButton(() => loadCatalogue(loading.signal)));
  } finally {
    if (!signal.aborted) els.table.removeAttribute("aria-busy");
  }
}

async function loadDataCenters(signal) {
  showInlineError(els.dcError, null);
  els.dcStatus.textContent = "Loading the data centers…";
  els.dcList.replaceChildren();
  try {
    const { data_centers } = await client.getDataCenters({ signal });
    if (signal.aborted) return;
    const list = data_centers ?? [];
    els.dcList.replaceChildren(
      ...list.map((dc) => h("li", {}, h("span", { class: "dc-name" }, dc.name ?? dc.permalink ?? dc.id ?? "—"), h("span", { class: "muted" }, dc.country ?? "—"))),
    );
    els.dcStatus.textContent = list.length ? "" : "The API lists no data centers.";
  } catch (e) {
    if (isAbort(e) || signal.aborted) return;
    els.dcStatus.textContent = "";
    showInlineError(els.dcError, e, "Could not load the data centers from the Public API");
    els.dcError.append(retryButton(() => loadDataCenters(loading.signal)));
  }
}

// ---- the catalogue ---------------------------------------------------------

/** iso_code → price of a variant's prices (each price's currency is a list of one). */
function pricesOf(variant) {
  const out = new Map();
  for (const p of variant?.prices ?? []) {
    const currency = Array.isArray(p.currency) ? p.currency[0] : p.currency;
    if (typeof currency?.iso_code === "string" && typeof p.price === "number") out.set(currency.iso_code, { price: p.price, currency });
  }
  return out;
}

/** The estimate's name of a price list entry: "virtual_machine_package:rock-6", or "storage_gb". */
const resourceOf = (entry, variant) => (variant?.id ? `${entry.resource}:${variant.id}` : entry.resource);

/** The packages (in the API's order) with their prices, storage's price, and every currency priced. */
function catalogueOf(prices, packages) {
  const variants = new Map();
  let storage = null;
  const currencies = new Map();
  for (const entry of prices) {
    for (const variant of entry?.variants ?? []) {
      const priced = { resource: resourceOf(entry, variant), prices: pricesOf(variant) };
      for (const [iso, { currency }] of priced.prices) if (!currencies.has(iso)) currencies.set(iso, currency);
      if (entry.resource === PACKAGE_RESOURCE && typeof variant.id === "string") variants.set(variant.id, priced);
      else if (entry.resource === STORAGE_RESOURCE && !storage) storage = priced;
    }
  }
  return {
    packages: packages.map((pkg) => {
      const priced = variants.get(pkg.permalink) ?? variants.get(pkg.id);
      return { pkg, resource: priced?.resource ?? null, prices: priced?.prices ?? new Map() };
    }),
    storage,
    currencies: [...currencies.values()],
  };
}

function fillCurrencies() {
  const before = els.currency.value;
  els.currency.replaceChildren(
    ...catalogue.currencies.map((c) => h("option", { value: c.iso_code }, c.name ? `${c.name} (${c.iso_code})` : c.iso_code)),
  );
  const codes = catalogue.currencies.map((c) => c.iso_code);
  els.currency.value = codes.includes(before) ? before : codes.includes("GBP") ? "GBP" : codes[0] ?? "";
  els.currency.disabled = codes.length === 0;
}

function fillPackages() {
  const before = els.pkg.value;
  const priced = catalogue.packages.filter((p) => p.resource);
  els.pkg.replaceChildren(...priced.map((p) => h("option", { value: p.resource }, p.pkg.name ?? p.pkg.permalink ?? p.resource)));
  if (priced.some((p) => p.resource === before)) els.pkg.value = before;
  els.pkg.disabled = priced.length === 0;
  els.button.disabled = priced.length === 0;
}

// ---- formatting ----------------------------------------------------------------

/**
 * An amount in a currency: "£12.00" (hourly amounts to a hundredth of a
 * penny). A currency Intl does not know is written with its own symbol or code.
 */
export function money(amount, currency, { hourly = false } = {}) {
  if (typeof amount !== "number" || !Number.isFinite(amount)) return "—";
  const digits = { minimumFractionDigits: 2, maximumFractionDigits: hourly ? 4 : 2 };
  const iso = currency?.iso_code;
  if (typeof iso === "string" && /^[A-Z]{3}$/.test(iso)) {
    try {
      return new Intl.NumberFormat(undefined, { style: "currency", currency: iso, ...digits }).format(amount);
    } catch {
      // Not a currency this browser knows: as below.
    }
  }
  const n = new Intl.NumberFormat(undefined, digits).format(amount);
  if (typeof currency?.symbol === "string" && currency.symbol) return `${currency.symbol}${n}`;
  return typeof iso === "string" ? `${n} ${iso}` : n;
}

const gb = (n) => (typeof n === "number" ? `${n.toLocaleString()} GB` : "—");

function messageRow(text) {
  return h("tr", { class: "message-row" }, h("td", { colspan: 6 }, text));
}

/** The table's rows and the storage line, in the chosen currency. */
function renderPrices() {
  if (!catalogue) return;
  const iso = els.currency.value;
  const rows = catalogue.packages.map(({ pkg, prices }) => {
    const p = prices.get(iso);
    const bandwidth = pkg.monthly_bandwidth_allowance_in_gb;
    return h(
      "tr",
      {},
      h("th", { scope: "row", class: "name-cell" }, pkg.name ?? pkg.permalink ?? "—"),
      h("td", { class: "num spec", "data-label": "CPU cores" }, pkg.cpu_cores ?? "—"),
      h("td", { class: "num spec", "data-label": "Memory" }, gb(pkg.memory_in_gb)),
      h("td", { class: "num spec", "data-label": "Storage" }, gb(pkg.storage_in_gb)),
      h("td", { class: "num spec", "data-label": "Bandwidth" }, bandwidth === null ? "Unmetered" : gb(bandwidth)),
      h("td", { class: "num price", dataset: { amount: p ? String(p.price) : "" } }, p ? money(p.price, p.currency) : h("span", { class: "muted", title: `No price in ${iso}` }, "—")),
    );
  });
  els.body.replaceChildren(...(rows.length ? rows : [messageRow("The API lists no packages.")]));
  const storage = catalogue.storage?.prices.get(iso);
  els.storage.hidden = !storage;
  if (storage) els.storage.textContent = `Extra block storage: ${money(storage.price, storage.currency)} per GB per month.`;
}

// ---- the estimate --------------------------------------------------------------

/** A whole number in [min, max] from a number field, or a message saying what is wrong (shown by the field). */
function wholeNumber(input, errorEl, min, max, what) {
  const value = input.value.trim() === "" ? NaN : Number(input.value);
  const ok = Number.isInteger(value) && value >= min && value <= max;
  errorEl.textContent = ok ? "" : `${what} must be a whole number from ${min} to ${max.toLocaleString()}.`;
  errorEl.hidden = ok;
  if (ok) input.removeAttribute("aria-invalid");
  else input.setAttribute("aria-invalid", "true");
  return ok ? value : null;
}

function estimateSoon(delayMs) {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(estimate, delayMs);
}

async function estimate() {
  if (!catalogue || !els.pkg.value) return;
  const quantity = wholeNumber(els.quantity, els.quantityError, 1, 1000, "The quantity");
  const disk = wholeNumber(els.disk, els.diskError, 0, 100000, "Extra storage");
  if (quantity == null || disk == null) {
    estimating?.abort();
    els.estStatus.textContent = "Correct the values to see an estimate.";
    els.result.hidden = true;
    return;
  }
  const resources = [{ resource: els.pkg.value, quantity }];
  if (disk > 0) {
    if (!catalogue.storage) {
      els.diskError.textContent = "The price list has no price for storage.";
      els.diskError.hidden = false;
      return;
    }
    resources.push({ resource: catalogue.storage.resource, quantity: disk });
  }
  estimating?.abort();
  estimating = new AbortController();
  const { signal } = estimating;
  els.estStatus.textContent = "Estimating…";
  els.result.setAttribute("aria-busy", "true");
  try {
    const { estimate } = await client.postPricingEstimate(
      {
        customer_name: CUSTOMER_NAME,
        customer_type: els.customer.value,
        currency: { iso_code: els.currency.value },
        country: { iso_code2: els.country.value },
        resources,
      },
      { signal },
    );
    if (signal.aborted) return;
    showInlineError(els.estError, null);
    renderEstimate(estimate);
  } catch (e) {
    if (isAbort(e) || signal.aborted) return;
    els.result.hidden = true;
    els.estStatus.textContent = "";
    els.estError.replaceChildren(errorNode(e, "Could not estimate the price"), retryButton(() => estimateSoon(0)));
    els.estError.hidden = false;
  } finally {
    if (!signal.aborted) els.result.removeAttribute("aria-busy");
  }
}

/** Sets a total's cell: the amount as text, the number in data-amount (for tests and scripts). */
function total(name, amount, currency, hourly) {
  const cell = els.result.querySelector(`[data-total="${name}"]`);
  cell.textContent = money(amount, currency, { hourly });
  cell.dataset.amount = typeof amount === "number" ? String(amount) : "";
}

/** The difference of two amounts, rounded as they are (pennies; hundredths of a penny by the hour). */
const minus = (a, b, places) => (typeof a === "number" && typeof b === "number" ? Math.round((a - b) * 10 ** places) / 10 ** places : null);

function renderEstimate(est) {
  const currency = est.currency ?? catalogue.currencies.find((c) => c.iso_code === els.currency.value);
  total("per_month", est.per_month, currency, false);
  total("tax_month", minus(est.per_month_inc_tax, est.per_month, 2), currency, false);
  total("per_month_inc_tax", est.per_month_inc_tax, currency, false);
  total("per_hour", est.per_hour, currency, true);
  total("tax_hour", minus(est.per_hour_inc_tax, est.per_hour, 4), currency, true);
  total("per_hour_inc_tax", est.per_hour_inc_tax, currency, true);
  const rate = typeof est.tax_rate === "number" ? est.tax_rate : null;
  els.taxHead.textContent = rate == null ? "Tax" : `Tax (${new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 2 }).format(rate)})`;
  els.lines.replaceChildren(
    ...(est.resources ?? []).map((line) =>
      h(
        "li",
        {},
        h("span", { class: "line-what" }, line.package?.name ?? line.description ?? line.resource ?? "—", ` × ${line.quantity ?? 1}`),
        h("span", { class: "line-each muted" }, `${money(line.per_month_each, currency)} each`),
        h("span", { class: "line-total", dataset: { amount: String(line.per_month ?? "") } }, money(line.per_month, currency)),
      ),
    ),
  );
  els.result.hidden = false;
  els.estStatus.textContent = `Estimate: ${money(est.per_month_inc_tax, currency)} per month including tax.`;
}
