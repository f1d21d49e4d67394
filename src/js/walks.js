// Calls that make many requests, each an exchange of the driver: walks
// over every page of a list (`paginate`, `iterate` and the VM list's
// `listAllVirtualMachines` and `virtualMachines`) and waits for a task or
// a build. The module checks their arguments (`kw_walk`, `kw_wait`) and
// decides at every step (`kw_page`: which pages, when the walk ends or the
// server is not to be believed; `kw_wait_*`: the polling schedule and when
// a poll ends the wait); this file keeps each one's state and does the IO.
import { KatapultError } from "./errors.js";
import { coreError, exchange, prepare, sleep } from "./driver.js";
import { ask, writeText } from "./module.js";

// kw_prepare's kinds (src/exports/calls.rs): one page of a checked walk,
// and an object by its id (a wait's poll).
const PAGE = 6;
const BY_ID = 5;

/** A walk's arguments checked by the module: `{ op, params, perPage, concurrency, maxPages, items }`. */
export function walkOf(host, op, kind, text) {
  return JSON.parse(ask(host, "kw_walk", text, op, kind));
}

/** Fetches page `page` of `walk`: `{ items, next }` (see kw_page), or throws. */
async function fetchPage(host, settings, walk, page, signal) {
  const request = prepare(host, walk.op, PAGE, `[${JSON.stringify(walk.params)},${page},${walk.perPage}]`);
  const answer = await exchange(host, settings, walk.op, request, signal, undefined, true);
  const items = Array.isArray(answer[walk.items]) ? answer[walk.items] : [];
  const p = answer.pagination || {};
  const number = (v) => (typeof v === "number" ? v : NaN);
  const next = host.run((x) =>
    x.kw_page(page, number(p.current_page), number(p.total_pages), number(p.per_page),
      typeof p.large_set === "boolean" ? Number(p.large_set) : NaN, items.length, walk.perPage, walk.maxPages));
  if (next === -2) throw coreError(host);
  const total = p.large_set !== true && typeof p.total === "number" ? p.total : null;
  return { items, next, total };
}

/** A signal that fires when `caller` fires or `stop()` is called. */
function scope(caller) {
  const controller = new AbortController();
  let unlink = () => {};
  if (caller) {
    const abort = () => controller.abort();
    caller.addEventListener("abort", abort);
    unlink = () => caller.removeEventListener("abort", abort);
  }
  return { signal: controller.signal, stop: () => controller.abort(), end: unlink };
}

/** Calls a caller's callback; what it throws is ignored. */
function tell(callback, ...args) {
  if (!callback) return;
  try {
    callback(...args);
  } catch {
    // a callback cannot change the call
  }
}

/**
 * Every item of every page, in API order: page 1, then the other pages
 * `concurrency` at a time (one by one when the count is unknown). The
 * first failure cancels the requests still in flight and is the result.
 */
export async function collect(host, settings, walk, signal, onProgress) {
  if (signal && signal.aborted) throw coreError(host, (x) => x.kw_aborted());
  const within = scope(signal);
  try {
    const first = await fetchPage(host, settings, walk, 1, within.signal);
    let loaded = first.items.length;
    tell(onProgress, loaded, first.total);
    const pages = [first.items];
    if (first.next === -1) {
      let page = 2;
      for (;;) {
        const got = await fetchPage(host, settings, walk, page, within.signal);
        loaded += got.items.length;
        tell(onProgress, loaded, first.total);
        pages.push(got.items);
        if (got.next === 0) break;
        page = got.next;
      }
    } else if (first.next > 1) {
      const last = first.next;
      let nextPage = 2;
      let failure = null;
      const worker = async () => {
        while (failure === null && nextPage <= last) {
          const page = nextPage++;
          try {
            const got = await fetchPage(host, settings, walk, page, within.signal);
            pages[page - 1] = got.items;
            loaded += got.items.length;
            tell(onProgress, loaded, first.total);
          } catch (e) {
            failure ??= e;
            within.stop();
          }
        }
      };
      const workers = [];
      for (let i = 0; i < Math.min(walk.concurrency, last - 1); i++) workers.push(worker());
      await Promise.all(workers);
      if (failure !== null) throw failure;
    }
    return pages.flat(1);
  } finally {
    within.end();
  }
}

/**
 * A lazy async iterator over the items of every page: a page is fetched
 * only when its items are needed; `return()` (a `break`) stops it. `start`
 * gives the checked walk (or throws: the first `next()` rejects with it).
 */
export function iterator(host, settings, start, signal) {
  let walk = null;
  let problem = null;
  try {
    walk = start();
  } catch (e) {
    problem = e;
  }
  const buffer = [];
  let page = 1;
  let exhausted = false;
  let closed = false;
  let tail = Promise.resolve();
  const step = async () => {
    for (;;) {
      if (closed) return { value: undefined, done: true };
      if (buffer.length) return { value: buffer.shift(), done: false };
      if (exhausted) return { value: undefined, done: true };
      if (problem) {
        closed = true;
        throw problem;
      }
      try {
        const got = await fetchPage(host, settings, walk, page, signal);
        buffer.push(...got.items);
        // After page 1 the walk goes on at page 2 whatever the plan; after
        // a later page the module names the next one.
        if (got.next === 0) exhausted = true;
        else page = page === 1 ? 2 : got.next;
      } catch (e) {
        closed = true;
        throw e;
      }
    }
  };
  return {
    next() {
      const result = tail.then(step, step);
      tail = result.catch(() => {});
      return result;
    },
    return() {
      closed = true;
      buffer.length = 0;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** What waits poll: the operation, the argument's key and the answer's. */
export const WAITS = [
  { kind: 0, operationId: "get:task", key: "task", state: "status" },
  { kind: 1, operationId: "get:virtual_machines_builds_virtual_machine_build", key: "virtual_machine_build", state: "state" },
];

/**
 * Polls `request` (of operation `op`) on the module's schedule (`plan`:
 * `{ intervalMs, maxIntervalMs, timeoutMs }`) until `judge(answer)`
 * returns `{ done: value }` (resolves with the value); `judge` may throw to
 * end the wait. A failed poll ends it well when `settle(error)` returns
 * `{ done: value }` (a purge waits for a 404), is "not yet" when
 * `missed(error)`, and otherwise rejects. `timedOut()` is the error
 * once `timeoutMs` passed; `aborted` when the signal fires.
 */
async function poll(host, settings, op, request, plan, signal, { judge, missed, timedOut, settle = () => null }) {
  if (signal && signal.aborted) throw coreError(host, (x) => x.kw_aborted());
  const within = scope(signal);
  let deadlinePassed = false;
  const deadline = Date.now() + plan.timeoutMs;
  const timer = setTimeout(() => {
    deadlinePassed = true;
    within.stop();
  }, plan.timeoutMs);
  // Cut short by the deadline rather than by the caller: a timeout.
  const explain = (e) => (e instanceof KatapultError && e.code === "aborted" && deadlinePassed && !(signal && signal.aborted) ? timedOut() : e);
  let interval = plan.intervalMs;
  try {
    for (;;) {
      let verdict;
      try {
        // A poll is background work: direct calls go first when the budget is short.
        verdict = await judge(await exchange(host, settings, op, request, within.signal, undefined, true));
      } catch (e) {
        const error = explain(e);
        if (error !== e) throw error;
        const settled = settle(e);
        if (settled) return settled.done;
        if (!missed(e)) throw error;
      }
      if (verdict) return verdict.done;
      const ms = host.run((x) => x.kw_wait_sleep(interval, plan.maxIntervalMs, deadline, Date.now()));
      if (ms < 0) throw timedOut();
      interval = host.run((x) => x.kw_wait_interval(interval, plan.maxIntervalMs));
      if (!(await sleep(ms, within.signal))) throw explain(coreError(host, (x) => x.kw_aborted()));
    }
  } finally {
    clearTimeout(timer);
    within.end();
  }
}

/**
 * Polls until the module says the task or build finished: resolves with
 * it, rejects `task_failed`/`build_failed` (it in the detail), `timeout`
 * once `timeoutMs` passed, `aborted` when the signal fires.
 */
export function wait(host, settings, what, op, plan, signal, onProgress) {
  const request = prepare(host, op, BY_ID, `[${JSON.stringify(what.key)},${JSON.stringify(plan.id)},null]`);
  return poll(host, settings, op, request, plan, signal, {
    judge(answer) {
      const resource = answer[what.key];
      tell(onProgress, resource);
      const state = resource && typeof resource[what.state] === "string" ? resource[what.state] : "";
      const name = resource && typeof resource.name === "string" ? resource.name : "";
      const outcome = host.run((x) =>
        x.kw_wait_outcome(what.kind, writeText(x, JSON.stringify([state, plan.id, name]))));
      if (outcome === 1) return { done: resource };
      if (outcome === 2) {
        const failed = coreError(host);
        failed.detail = { [what.key]: resource };
        throw failed;
      }
      return null;
    },
    missed: () => false,
    timedOut: () => coreError(host, (x) => x.kw_wait_timeout(what.kind, writeText(x, `[${JSON.stringify(plan.id)},${plan.timeoutMs}]`))),
  });
}

/** `kw_wait_until` kinds (src/exports/walks.rs). */
export const UNTIL = { UNTIL: 0, VM_STATE: 1, PURGE: 2 };

/** A wait's checked arguments (see kw_wait_until), or throws the module's error. */
export function untilOf(host, op, kind, text) {
  return JSON.parse(ask(host, "kw_wait_until", text, op, kind));
}

/**
 * Polls the checked wait `plan` (its `op` and `params`) until
 * `test(answer)` is true, resolving with that answer; a poll that fails
 * with a code of `plan.pendingOn`, or for which `pending(error)` holds, is
 * "not yet"; `settle(error)` may end it well instead (see poll). `what`
 * names the wait in a timeout's message.
 */
export function until(host, settings, plan, test, signal, onProgress, what, settle) {
  const request = prepare(host, plan.op, 0, `[${JSON.stringify(plan.params)},null,null]`);
  return poll(host, settings, plan.op, request, plan, signal, {
    async judge(answer) {
      tell(onProgress, answer);
      return (await test(answer)) ? { done: answer } : null;
    },
    missed: (e) => e instanceof KatapultError && plan.pendingOn.includes(e.code),
    settle,
    timedOut: () => coreError(host, (x) => x.kw_until_timeout(writeText(x, JSON.stringify([what, plan.timeoutMs])))),
  });
}
