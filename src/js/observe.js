// What a client's `hooks` and `logger` see (API.md "Construction"): each
// attempt, each answer, each retry and each rejected call, named by the
// operation, method, URL, status, request id, attempt and duration; never
// the token, the Authorization header or a body. A hook or logger that
// throws (or rejects) changes nothing: it is reported to the logger, once
// per client and hook, and otherwise ignored.
import { LEVELS } from "./config.js";
import { methodOf } from "./errors.js";

/** `text` of an error a hook or logger threw, read safely. */
function textOf(e) {
  try {
    return String((e && e.message) || e);
  } catch {
    return "an unreadable value";
  }
}

/** Writes `line` to the logger when `level` is at least the client's. */
export function log(settings, level, line) {
  if (LEVELS.indexOf(level) < settings.logLevel) return;
  try {
    const write = settings.logger[level];
    if (typeof write === "function") write.call(settings.logger, `[katapult-wasm] ${line}`);
  } catch {
    // A logger that throws has nobody left to tell.
  }
}

/** Calls `hooks[name](info)`; what it throws or rejects with is logged, never raised. */
export function hook(settings, name, info) {
  const fn = settings.hooks[name];
  if (!fn) return;
  const report = (e) => log(settings, "warn", `hooks.${name} threw (ignored): ${textOf(e)}`);
  try {
    const result = fn(info);
    if (result !== null && typeof result === "object" && typeof result.then === "function") result.then(undefined, report);
  } catch (e) {
    report(e);
  }
}

/** The operationId and method of the operation at `op`. */
const callOf = (settings, op) => {
  const id = settings.table[op][0];
  return [id, methodOf(id)];
};

/** Before each attempt: `onRequest` and a debug line. */
export function sending(settings, op, url, attempt) {
  if (settings.quiet) return;
  const [operationId, method] = callOf(settings, op);
  hook(settings, "onRequest", { operationId, method, url, attempt });
  log(settings, "debug", `${operationId}: ${method} ${url} (attempt ${attempt})`);
}

/** After each answer (any status), sent at `sent` (ms): `onResponse` and an info line. */
export function answered(settings, op, url, attempt, status, requestId, sent) {
  if (settings.quiet) return;
  const durationMs = Date.now() - sent;
  const [operationId, method] = callOf(settings, op);
  hook(settings, "onResponse", { operationId, method, url, attempt, status, requestId, durationMs });
  log(settings, "info", `${operationId}: ${method} ${url} answered ${status} in ${durationMs} ms (attempt ${attempt}${requestId ? `, request id ${requestId}` : ""})`);
}

/** Before sleeping for a retry: a warn line. */
export function retrying(settings, op, url, attempt, error, delayMs) {
  if (settings.quiet) return;
  const [operationId, method] = callOf(settings, op);
  log(settings, "warn", `${operationId}: ${method} ${url} failed ${error.code} (attempt ${attempt}); retrying in ${delayMs} ms`);
}

/** Once per rejected call: `onError` with the caller's error, and an error line. */
export function failed(settings, error) {
  if (settings.quiet) return;
  hook(settings, "onError", error);
  log(settings, "error", `${error.operationId || "call"} rejected ${error.code}${error.status ? ` (${error.status})` : ""}: ${error.message}`);
}
