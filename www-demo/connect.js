// Connect panel: base URL + token → a KatapultClient; the organization picker
// (from listOrganizations, or a typed sub-domain when the token may not list
// organizations). The token lives in memory; "Remember for this tab" copies
// it to sessionStorage (never localStorage).
import { api, state, emit, newSession, isAbort } from "./state.js";
import { $, h, showInlineError, withBusy } from "./ui.js";

const TOKEN_KEY = "katapult-demo:token";
const BASE_KEY = "katapult-demo:base-url";
const OTHER = "*other*"; // the "Other sub-domain…" option (not a valid sub-domain)

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
  };
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
  els.orgSelect.addEventListener("change", () => {
    const value = els.orgSelect.value;
    els.subForm.hidden = value !== OTHER;
    if (value === OTHER) els.subInput.focus();
    else openOrg({ sub_domain: value });
  });
  els.subForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const sub = els.subInput.value.trim();
    if (sub) openOrg({ sub_domain: sub });
  });
  return connect;
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
  rememberToken();
  const host = new URL(client.baseUrl).host;
  setStatus(`Connecting to ${host}…`, "busy");
  els.orgSelect.disabled = true;

  await withBusy(els.button, async () => {
    try {
      const { organizations } = await client.listOrganizations({ signal });
      fillOrganizations(organizations);
      setStatus(`Connected to ${host}`, "ok");
      const usable = organizations.find((o) => !o.suspended && o.activated_at != null) ?? organizations[0];
      if (usable) {
        els.orgSelect.value = usable.sub_domain;
        openOrg({ sub_domain: usable.sub_domain });
      } else {
        chooseSubDomain();
      }
    } catch (e) {
      if (isAbort(e)) return;
      if (e.code === "scope_not_granted") {
        // A token without organizations:read can still manage VMs: ask for the sub-domain.
        fillOrganizations([]);
        setStatus(`Connected to ${host} (this token cannot list organizations)`, "ok");
        chooseSubDomain();
        return;
      }
      notConnected(e);
    }
  });
}

/** Shows why connecting failed; nothing is open until the next Connect. */
function notConnected(error) {
  state.client = null;
  els.orgSelect.replaceChildren();
  els.orgSelect.disabled = true;
  els.subForm.hidden = true;
  showInlineError(els.error, error, "Cannot connect");
  setStatus("Not connected", "bad");
  emit("disconnected", error);
}

function fillOrganizations(organizations) {
  els.orgSelect.replaceChildren(
    ...organizations.map((o) => {
      const note = o.suspended ? " — suspended" : o.activated_at == null ? " — not activated" : "";
      return h("option", { value: o.sub_domain }, `${o.name} (${o.sub_domain})${note}`);
    }),
    h("option", { value: OTHER }, "Other sub-domain…"),
  );
  els.orgSelect.disabled = false;
  els.subForm.hidden = true;
}

function chooseSubDomain() {
  els.orgSelect.value = OTHER;
  els.subForm.hidden = false;
}

/** Opens an organization: the table loads its VMs. */
function openOrg(lookup) {
  state.org = lookup;
  state.selectedId = null;
  emit("select", { id: null });
  emit("org", lookup);
}
