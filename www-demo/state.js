// Shared page state: the client of the current connection, the open
// organization, one record per virtual machine seen so far, and a small event
// bus through which the panels (table, details, actions, build) stay in step.

/** The loaded client package (set once by app.js after pkg/ has loaded). */
export const api = { KatapultClient: null, KatapultError: null, KatapultPublicClient: null };

export const state = {
  /** KatapultClient of the current connection; it holds the token (memory only). */
  client: null,
  /** OrganizationLookup of the open organization, e.g. { sub_domain: "acme" }. */
  org: null,
  /** Aborted when the connection changes, so stale requests stop. */
  session: new AbortController(),
  /** vm id → VmRecord. */
  records: new Map(),
  /** The VM shown in the details pane. */
  selectedId: null,
  /** False from a request that could not reach the API until one that did. */
  reachable: true,
};

/** Codes of a request that did not reach the API (or got no answer in time). */
const UNREACHED = ["network_error", "timeout"];

/**
 * The client, watched: every call that returns a promise reports whether
 * the API was reached (event "reach", only when that changes), so the page
 * can say so in one place whichever panel made the call.
 */
export function watchClient(client) {
  const report = (reached, error) => {
    if (reached === state.reachable) return;
    state.reachable = reached;
    emit("reach", { reached, error });
  };
  return new Proxy(client, {
    get(target, key) {
      if (key === "__watched") return target;
      const value = Reflect.get(target, key, target);
      if (typeof value !== "function") return value;
      return function watched(...args) {
        const out = value.apply(target, args);
        if (out && typeof out.then === "function") {
          out.then(
            () => state.client?.__watched === target && report(true),
            (e) => state.client?.__watched === target && UNREACHED.includes(e?.code) && report(false, e),
          );
        }
        return out;
      };
    },
  });
}

/**
 * @typedef {object} VmRecord
 * @property {string} id
 * @property {object|null} summary      VirtualMachineSummary from the list
 * @property {object|null} vm           VirtualMachine from getVirtualMachine
 * @property {object[]|null} annotations KeyValue[] from getVirtualMachine
 * @property {Error|null} detailError   why getVirtualMachine failed
 * @property {object|null} task         the running power task { name, status, progress }
 * @property {boolean} busy             a request for this VM is running
 */

/** The record of a VM, created empty on first use. */
export function record(id) {
  let rec = state.records.get(id);
  if (!rec) {
    rec = { id, summary: null, vm: null, annotations: null, detailError: null, task: null, busy: false };
    state.records.set(id, rec);
  }
  return rec;
}

/** Changes a record and tells the panels (event "vm" with the id). */
export function patch(id, changes) {
  Object.assign(record(id), changes);
  emit("vm", id);
}

/** The VM's display name from whatever we know of it. */
export function vmName(id) {
  const rec = state.records.get(id);
  return rec?.vm?.name ?? rec?.summary?.name ?? id;
}

/** Starts a new connection: aborts everything of the old one. */
export function newSession(client) {
  state.session.abort();
  state.session = new AbortController();
  state.client = client && watchClient(client);
  state.reachable = true;
  state.org = null;
  state.records.clear();
  state.selectedId = null;
  emit("session");
  return state.session.signal;
}

const bus = new EventTarget();

/**
 * Events: "session" (new connection), "disconnected" (error: connecting failed),
 * "awaiting-org" (connected, but the organizations could not be listed: a sub-domain is asked for),
 * "org" (organization opened),
 * "vm" (id: record changed), "vm-removed" (id), "select" ({ id, focus }),
 * "reveal" ({ id, newest }: show this VM in the table after a build or an Undo),
 * "reach" ({ reached, error }: the API became unreachable, or reachable again),
 * "task-done" ({ id, label }: a task runTask followed ended).
 */
export function on(type, fn) {
  bus.addEventListener(type, (ev) => fn(ev.detail));
}

export function emit(type, detail) {
  bus.dispatchEvent(new CustomEvent(type, { detail }));
}

/** True for an error the user caused by moving on (a newer request replaced it). */
export function isAbort(e) {
  return e?.code === "aborted" || e?.name === "AbortError";
}

/** AbortSignal.any, with a fallback for browsers that lack it. */
export function anySignal(signals) {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const ctl = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      ctl.abort(s.reason);
      break;
    }
    s.addEventListener("abort", () => ctl.abort(s.reason), { once: true });
  }
  return ctl.signal;
}
