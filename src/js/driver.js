// The driver: the one place where requests are sent. A call's request is
// built by the module (`kw_prepare`); the driver sends it with `fetch`,
// under the attempt's timeout and the caller's signal, reads the answer
// within `maxResponseBytes`, and asks the module what it means
// (`kw_judge`, or `kw_failure` when no usable answer came): the answer,
// the error, or a retry after a delay, which the driver sleeps. Page walks
// and waits (walks.js) are loops of these exchanges.
import { KatapultError, decodeText, moduleError } from "./errors.js";
import { ask, readText, writeBytes, writeText } from "./module.js";
import { answered, retrying, sending } from "./observe.js";
import { BACKGROUND, DIRECT, budgetFor } from "./budget.js";

const METHODS = ["GET", "POST", "DELETE", "PATCH", "PUT"];
// kw_judge / kw_failure outcomes (src/exports/calls.rs).
const JSON_ANSWER = -1;
const ERROR = -2;
const TEXT_ANSWER = -3;
// kw_failure reasons.
const NETWORK = 0;
const TIMEOUT = 1;
const ABORTED = 2;
const REDIRECT = 3;
const TOO_LARGE = 4;

/**
 * Builds the request of the operation at `op` from the arguments' JSON
 * text (laid out as `kind` says, src/exports/calls.rs): `{ method, path,
 * body }`, or throws the module's `invalid_argument` error.
 */
export function prepare(host, op, kind, text) {
  const line = ask(host, "kw_prepare", text, op, kind);
  const newline = line.indexOf("\n");
  return {
    method: METHODS[line.charCodeAt(0) - 48],
    path: newline < 0 ? line.slice(1) : line.slice(1, newline),
    body: newline < 0 ? undefined : line.slice(newline + 1),
  };
}

/**
 * The error the module describes: one `make` asks it for (an abort, a
 * wait's timeout), or, without `make`, the one its last answer left.
 */
export function coreError(host, make = () => {}) {
  return host.run((x) => {
    make(x);
    return moduleError(readText(x));
  });
}

/**
 * Sends `request` for the operation at `op` until the module says it is
 * done: resolves with the answer (JSON data, or the text of a text/plain
 * answer), rejects with its KatapultError. `settings` are the client's
 * (baseUrl, timeoutMs, maxRetries, maxResponseBytes, authorization or
 * tokenFn, fetch, hooks, logger), with the call's own timeoutMs and
 * maxRetries; `meta.response`, when `meta` is given, is set to what
 * `.withResponse()` reports of the answer.
 */
export async function exchange(host, settings, op, request, signal, meta, background = false) {
  const url = settings.baseUrl + request.path;
  const start = Date.now();
  for (let retries = 0; ; retries++) {
    // The budget's turn first: waiting for it is not part of any attempt's timeoutMs.
    const budget = budgetOf(settings);
    const turn = budget ? await budget.acquire(background ? BACKGROUND : DIRECT, signal, () => coreError(host, (x) => x.kw_aborted())) : 0;
    sending(settings, op, url, retries + 1);
    const sent = Date.now();
    let got;
    try {
      got = await attempt(host, settings, url, request, signal);
    } finally {
      if (budget) budget.settle(turn, got ? got.status : 0, got && got.headers, got && got.status === 429 ? totalPermitted(got.bytes) : null);
    }
    let next;
    let body;
    let headers = null;
    let requestId = null;
    if (got.reason === undefined) {
      body = got.bytes;
      headers = got.headers;
      requestId = headers.get("x-request-id");
      answered(settings, op, url, retries + 1, got.status, requestId, sent);
      next = host.run((x) => {
        // Only an error's delay can come from Retry-After.
        const retryAfter = (got.status >= 300 && headers.get("retry-after")) || "";
        if (!writeBytes(x, body, retryAfter)) {
          x.kw_input(0);
          return failure(x, op, TOO_LARGE, String(settings.maxResponseBytes), got.status, retries, settings);
        }
        return x.kw_judge(op, got.status, body.length, retryAfter.length, retries, settings.maxRetries, Math.random(), Date.now());
      });
    } else {
      next = host.run((x) => failure(x, op, got.reason, got.message, got.status || 0, retries, settings));
    }
    if (next === JSON_ANSWER || next === TEXT_ANSWER) {
      if (meta) meta.response = { status: got.status, headers, requestId, attempts: retries + 1, durationMs: Date.now() - start };
      const text = decodeText(body);
      if (next === TEXT_ANSWER) return text;
      const data = JSON.parse(text);
      if (settings.check) settings.check(settings, settings.table[op][0], data);
      return data;
    }
    const error = explained(host.run((x) => moduleError(readText(x), body, requestId)), request);
    // What fetch threw, for a network error (ECONNREFUSED, a DNS failure).
    if (got.cause !== undefined && error.code === "network_error") {
      Object.defineProperty(error, "cause", { value: got.cause, configurable: true, writable: true });
    }
    if (next === ERROR) throw error;
    retrying(settings, op, url, retries + 1, error, next);
    if (!(await sleep(next, signal))) throw coreError(host, (x) => x.kw_aborted());
  }
}

/**
 * The realm's budget for this client's requests (API.md "Rate-limit
 * budget"), or null with `rateLimit: false`. A token function's budget is
 * the token it last returned (before the first, the client's own).
 */
export function budgetOf(settings) {
  if (settings.rateLimit === false) return null;
  const t = settings.tokens;
  // A token function's budget follows the tokens it returned; a client with
  // no token at all (the Public API's) shares one budget per origin.
  const token = settings.authorization || (settings.tokenFn && t && (t.last || (t.own ??= `fn ${Math.random()}`))) || "";
  const budget = budgetFor(settings.baseUrl, token);
  if (settings.rateLimit) budget.given(settings.rateLimit.perMinute);
  return budget;
}

/** A 429's `detail.total_permitted`, or null. */
function totalPermitted(bytes) {
  try {
    return JSON.parse(decodeText(bytes)).error.detail.total_permitted;
  } catch {
    return null;
  }
}

/**
 * The message of an API error made complete on its own (API.md "Errors"):
 * a `validation_error` says what `detail.errors` says, and a lookup that
 * found nothing says which lookup it was.
 */
function explained(error, request) {
  const detail = error.detail;
  if (error.code === "validation_error" && detail && Array.isArray(detail.errors) && detail.errors.length) {
    error.message += `: ${detail.errors.map(String).join("; ")}`;
  } else if (error.status === 404 && error.code.endsWith("_not_found")) {
    const lookup = lookupOf(request, error.code.slice(0, -10));
    if (lookup) error.message += ` (looked up by ${lookup})`;
  }
  return error;
}

/** `virtual_machine[id]=vm_x` of the request's query or body, for the `resource` lookup. */
function lookupOf(request, resource) {
  try {
    if (request.body === undefined) {
      const query = request.path.slice(request.path.indexOf("?") + 1);
      const pairs = [...new URLSearchParams(query)].filter(([k]) => k.startsWith(`${resource}[`));
      return pairs.map(([k, v]) => `${k}=${v}`).join(", ");
    }
    const given = JSON.parse(request.body)[resource];
    return given && typeof given === "object" ? Object.entries(given).map(([k, v]) => `${resource}[${k}]=${v}`).join(", ") : "";
  } catch {
    return "";
  }
}

function failure(x, op, reason, message, status, retries, settings) {
  const len = writeText(x, message || "");
  return x.kw_failure(op, reason, len, status, retries, settings.maxRetries, settings.timeoutMs, Math.random());
}

/** Why an attempt got no usable answer, for kw_failure. */
const noAnswer = (reason, message = "", status = 0) => ({ reason, message, status });

/** fetch's message (read safely: a polyfill's error may be anything), with its cause's. */
function messageOf(e) {
  let message = "fetch failed";
  try {
    message = String((e && (e.message || e.name)) || message);
    const cause = e && e.cause;
    const why = cause && (cause.code || cause.message);
    if (why && !message.includes(String(why))) message += ` (${why})`;
  } catch {
    // keep what we have
  }
  return message;
}

/**
 * One attempt: the token (from the token function, raced against the
 * signal and the timeout), fetch, same-origin redirects, the body within
 * the limit. Resolves `{ status, bytes, headers }` or a
 * `noAnswer`; rejects only with a KatapultError (a token function's
 * failure).
 */
async function attempt(host, settings, url, request, signal) {
  if (signal && signal.aborted) return noAnswer(ABORTED);
  // One controller per attempt: it cancels this attempt's request on the
  // timeout or the caller's abort.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, settings.timeoutMs);
  let own = controller.signal;
  let unlink = null;
  if (signal) {
    if (typeof AbortSignal.any === "function") {
      own = AbortSignal.any([signal, controller.signal]);
    } else {
      const abort = () => controller.abort();
      signal.addEventListener("abort", abort);
      unlink = () => signal.removeEventListener("abort", abort);
    }
  }
  const stopped = () => noAnswer(signal && signal.aborted ? ABORTED : TIMEOUT);
  try {
    let authorization = settings.authorization;
    if (settings.tokenFn) {
      const token = await raceAbort(callToken(settings.tokenFn), own);
      if (token === STOPPED) return stopped();
      authorization = bearer(host, token);
      if (settings.tokens) settings.tokens.last = authorization;
    }
    // The Public API's client has no token, and sends no Authorization.
    const headers = authorization ? { Authorization: authorization } : {};
    if (settings.userAgent) headers["User-Agent"] = settings.userAgent;
    let { method, body } = request;
    let at = url;
    const fetchFn = settings.fetch || fetch;
    for (let hops = 0; ; hops++) {
      if (body !== undefined) headers["Content-Type"] = "application/json";
      else delete headers["Content-Type"];
      const response = await fetchFn(at, { method, headers, body, signal: own, redirect: "manual" });
      const status = response.status;
      if (response.type === "opaqueredirect") return noAnswer(REDIRECT, "a browser cannot see where");
      if (status >= 300 && status < 400 && status !== 304 && response.headers.has("location")) {
        discard(response);
        let next;
        try {
          next = new URL(response.headers.get("location"), at);
        } catch {
          return noAnswer(REDIRECT, "an unreadable Location");
        }
        if (next.origin !== new URL(at).origin) return noAnswer(REDIRECT, next.origin);
        if (hops >= 20) return noAnswer(NETWORK, "too many redirects");
        if (status === 303 || ((status === 301 || status === 302) && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        at = next.href;
        continue;
      }
      const bytes = await readBody(response, settings.maxResponseBytes);
      if (bytes === null) return noAnswer(TOO_LARGE, String(settings.maxResponseBytes), status);
      return { status, bytes, headers: response.headers };
    }
  } catch (e) {
    if (e instanceof KatapultError) throw e;
    if ((signal && signal.aborted) || timedOut) return stopped();
    return { ...noAnswer(NETWORK, messageOf(e)), cause: e };
  } finally {
    clearTimeout(timer);
    if (unlink) unlink();
  }
}

const STOPPED = Symbol("stopped");

/** `promise`, or STOPPED as soon as `signal` aborts. */
function raceAbort(promise, signal) {
  if (signal.aborted) return Promise.resolve(STOPPED);
  return new Promise((resolve) => {
    const stop = () => resolve(STOPPED);
    signal.addEventListener("abort", stop);
    promise.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      () => {
        signal.removeEventListener("abort", stop);
        resolve(STOPPED);
      },
    );
  });
}

/** A token function's result: `{ value }` or `{ how }` (it threw or rejected); never rejects. */
async function callToken(fn) {
  let how = "threw";
  try {
    let value = fn();
    if (value !== null && typeof value === "object" && typeof value.then === "function") {
      how = "rejected";
      value = await value;
    }
    return { value };
  } catch {
    return { how };
  }
}

/** The Authorization header for a token function's result, or throws (the value never in the message). */
function bearer(host, { value, how }) {
  return ask(host, "kw_bearer", `[${typeof value === "string" ? JSON.stringify(value) : "null"},${how ? JSON.stringify(how) : "null"}]`);
}

function discard(response) {
  try {
    const cancelled = response.body && response.body.cancel();
    if (cancelled && typeof cancelled.catch === "function") cancelled.catch(() => {});
  } catch {
    // nothing to give back
  }
}

/**
 * The whole body, or null when it is larger than `max` (then it is not
 * read further). A body whose length the headers give truthfully (no
 * compression, not a browser's filtered CORS view) is read at once.
 */
async function readBody(response, max) {
  const headers = response.headers;
  const declared = headers.get("content-length");
  if (declared !== null && Number(declared) > max) {
    discard(response);
    return null;
  }
  const trusted = declared !== null && response.type !== "cors" && !headers.has("content-encoding");
  if (trusted || !response.body || typeof response.body.getReader !== "function") {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length > max ? null : bytes;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** Resolves true after `ms`, or false at once when `signal` fires. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) return resolve(false);
    const done = (finished) => {
      clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", stop);
      resolve(finished);
    };
    const stop = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    if (signal) signal.addEventListener("abort", stop);
  });
}
