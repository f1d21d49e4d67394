// Connect panel: base URL + token → a KatapultClient; the organization picker
// (from listOrganizations, or a typed sub-domain when the token may not list
// organizations). The token lives in memory; "Remember for this tab" copies
// it to sessionStorage (never localStorage). Once an organization is open the
// card folds to one line (organization and base URL) so the list has the
// screen; "Change connection" unfolds it.
import { api, state, on, emit, newSession, isAbort } from "./state.js";
import { $, h, showInlineError, withBusy } from "./ui.js";

const TOKEN_KEY = "katapult-demo:token";
const BASE_KEY = "katapult-demo:base-url";
const OTHER = "*other*"; // the "Other sub-domain…" option (not a valid sub-domain)
/** Codes that mean the token itself was refused: connecting cannot go on. */
const TOKEN_REFUSED = ["missing_api_token", "invalid_api_token", "invalid_capabilities_token", "unauthorized_network_for_api_token"];
/** The organizations of the last listing (those that can be opened). */
let listed = [];
/** An organization's option value: its sub-domain, else its id. */
const valueOf = (o) => o.sub_domain ?? `id:${o.id}`;

let els;

export function initConnect() {
  els = {
    form: $("#connect-form"),
    baseUrl: $("#base-url"),
    token: $("#token"),
    remember: $("#remember"),
    button: $("#connect-btn"),
    error: $("#connect-error"),
    orgSelect: $("#org-select"),
    subForm: $("#subdomain-form"),
    subInput: $("#subdomain"),
    status: $("#conn-status"),
    body: $("#connect-body"),
    summary: $("#connect-summary"),
    toggle: $("#connect-toggle"),
  };
  els.toggle.addEventListener("click", () => fold(els.toggle.getAttribute("aria-expanded") === "true"));
  // Defaults: the mock this page is served by, with its demo token, unless
  // this tab remembered something else.
  const savedToken = sessionStorage.getItem(TOKEN_KEY);
  els.baseUrl.value = sessionStorage.getItem(BASE_KEY) ?? `${location.origin}/core/v1`;
  els.token.value = savedToken ?? "demo-token";
  els.remember.checked = savedToken != null;

  els.form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    connect();
  });
  els.remember.addEventListener("change", rememberToken);
  // The header says when the API stopped answering, and when it is back.
  on("reach", ({ reached, error }) => {
    if (!state.client) return;
    const host = new URL(state.client.baseUrl).host;
    if (reached) setStatus(`Connected to ${host}`, "ok");
    else setStatus(`Cannot reach ${host}${error?.code === "timeout" ? " (no answer in time)" : ""}: showing what was last loaded`, "bad");
  });
  els.orgSelect.addEventListener("change", () => {
    const value = els.orgSelect.value;
    els.subForm.hidden = value !== OTHER;
    if (value === OTHER) els.subInput.focus();
    else {
      const org = listed.find((o) => valueOf(o) === value);
      if (org) openOrg(lookupOf(org), labelOf(org));
    }
  });
  els.subForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const sub = els.subInput.value.trim();
    if (sub) openOrg({ sub_domain: sub }, sub);
  });
  return connect;
}

/** The Core API base URL the page uses: the connection's, else the form's (remembered or the default). */
export function coreBaseUrl() {
  return state.client?.baseUrl ?? (els?.baseUrl.value.trim() || sessionStorage.getItem(BASE_KEY) || `${location.origin}/core/v1`);
}

/** Stores or forgets the token in this tab's sessionStorage. */
function rememberToken() {
  if (els.remember.checked && els.token.value.trim()) {
    sessionStorage.setItem(TOKEN_KEY, els.token.value.trim());
    sessionStorage.setItem(BASE_KEY, els.baseUrl.value.trim());
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(BASE_KEY);
  }
}

function setStatus(text, tone) {
  els.status.textContent = text;
  els.status.dataset.tone = tone;
}

/**
 * Folds the card to its summary line (true) or unfolds it (false). The
 * button is there only while an organization is open (something to fold
 * back to); the focus never stays on a control that was folded away.
 */
function fold(folded) {
  const canFold = !!(state.client && state.org);
  folded &&= canFold;
  const hadFocus = els.body.contains(document.activeElement);
  els.body.hidden = folded;
  els.summary.hidden = !folded;
  els.toggle.hidden = !canFold;
  els.toggle.setAttribute("aria-expanded", String(!folded));
  if (folded && hadFocus) els.toggle.focus();
}

/** The summary line: "Acme Corp (acme) at https://…/core/v1". */
function summarize(orgLabel) {
  els.summary.replaceChildren(
    h("span", { class: "org-pill" }, orgLabel),
    " at ",
    h("span", { class: "mono base-url" }, state.client.baseUrl),
  );
}

/** Builds a client from the form and lists the token's organizations. */
export async function connect() {
  showInlineError(els.error, null);
  let client;
  try {
    client = new api.KatapultClient({ token: els.token.value.trim(), baseUrl: els.baseUrl.value.trim() });
  } catch (e) {
    // The constructor throws invalid_argument for a missing token or a bad URL.
    newSession(null);
    notConnected(e);
    return;
  }
  const signal = newSession(client);
  fold(false);
  rememberToken();
  const host = new URL(client.baseUrl).host;
  setStatus(`Connecting to ${host}…`, "busy");
  els.orgSelect.disabled = true;

  await withBusy(els.button, async () => {
    try {
      const { organizations } = await client.listOrganizations({ signal });
      fillOrganizations(organizations);
      setStatus(`Connected to ${host}`, "ok");
      const pick = listed.find((o) => !o.suspended && o.activated_at != null) ?? listed[0];
      if (pick) {
        els.orgSelect.value = valueOf(pick);
        openOrg(lookupOf(pick), labelOf(pick));
      } else {
        chooseSubDomain();
      }
    } catch (e) {
      if (isAbort(e)) return;
      if (TOKEN_REFUSED.includes(e.code)) {
        notConnected(e);
        return;
      }
      // Nothing at that address: most often a base URL without /core/v1.
      // A sub-domain would not help; say what the URL answered instead.
      if (e.status === 404 && !/\/core\/v1\/?$/.test(new URL(client.baseUrl).pathname)) {
        notConnected(e, { node: wrongBaseUrl(client.baseUrl, e), status: `Not connected: ${host} answered 404 (not found)` });
        return;
      }
      // Anything else (a token that may not list organizations, a proxy
      // that does not answer that path, a network error): the way forward
      // is to type the sub-domain.
      fillOrganizations([]);
      const why = e.code === "scope_not_granted" ? "this token cannot list organizations" : "the organizations could not be listed";
      setStatus(`${host}: ${why}. Type a sub-domain to carry on.`, "warn");
      if (e.code !== "scope_not_granted") showInlineError(els.error, e, "Could not list the organizations; you can still type a sub-domain");
      chooseSubDomain();
      // No organization is open yet: the list waits for the sub-domain.
      emit("awaiting-org");
    }
  });
}

/**
 * Shows why connecting failed; nothing is open until the next Connect.
 * `node` replaces the usual error box, `status` the header's words.
 */
function notConnected(error, { node, status = "Not connected" } = {}) {
  state.client = null;
  state.org = null;
  els.orgSelect.replaceChildren();
  els.orgSelect.disabled = true;
  els.subForm.hidden = true;
  if (node) {
    els.error.replaceChildren(node);
    els.error.hidden = false;
  } else showInlineError(els.error, error, "Cannot connect");
  setStatus(status, "bad");
  fold(false);
  emit("disconnected", error);
}

/** The base URL with the Core API's path added: …/core/v1 (or …/v1 after …/core). */
function withCoreV1(baseUrl) {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = /\/core$/.test(path) ? `${path}/v1` : `${path}/core/v1`;
  return url.href.replace(/\/$/, "");
}

/** What a 404 from a base URL without /core/v1 means, and a button that adds it. */
function wrongBaseUrl(baseUrl, error) {
  const suggested = withCoreV1(baseUrl);
  return h(
    "div",
    { class: "error-body" },
    h("p", { class: "error-lead" }, h("strong", {}, `Cannot connect: ${baseUrl} answered 404 (not found) when asked for the organizations.`)),
    h("p", {}, "The Katapult Core API lives under /core/v1, e.g. https://api.katapult.io/core/v1. Try ", h("span", { class: "mono" }, suggested), "."),
    h("p", {}, h("button", { type: "button", class: "btn small", onclick: () => {
      els.baseUrl.value = suggested;
      connect();
    } }, `Use ${suggested}`)),
    h("p", { class: "error-code-line" }, "Code: ", h("code", { class: "error-code" }, error.code ?? "error"), ` (HTTP ${error.status})`),
  );
}

/** How a listed organization reads: "Acme Corp (acme)". */
function labelOf(o) {
  return o.name && o.sub_domain ? `${o.name} (${o.sub_domain})` : o.name ?? o.sub_domain ?? o.id;
}

/** The lookup of a listed organization: by sub-domain, else by id. */
function lookupOf(o) {
  return o.sub_domain ? { sub_domain: o.sub_domain } : { id: o.id };
}

function fillOrganizations(organizations) {
  // Only what can be opened: the document requires none of the fields.
  listed = organizations.filter((o) => o?.sub_domain || o?.id);
  els.orgSelect.replaceChildren(
    ...listed.map((o) => {
      const note = o.suspended ? " — suspended" : o.activated_at === null ? " — not activated" : "";
      return h("option", { value: valueOf(o) }, `${labelOf(o)}${note}`);
    }),
    h("option", { value: OTHER }, "Other sub-domain…"),
  );
  els.orgSelect.disabled = false;
  els.subForm.hidden = true;
}

function chooseSubDomain() {
  els.orgSelect.value = OTHER;
  els.orgSelect.disabled = false;
  els.subForm.hidden = false;
  els.subInput.focus();
}

/** Opens an organization: the table loads its VMs; the card folds to its summary. */
function openOrg(lookup, label) {
  state.org = lookup;
  state.selectedId = null;
  showInlineError(els.error, null);
  summarize(label ?? lookup.sub_domain ?? lookup.id);
  fold(true);
  emit("select", { id: null });
  emit("org", lookup);
}
