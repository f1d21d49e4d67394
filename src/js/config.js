// The client's configuration as the module checks it (Config::parse in
// src/config.rs). For browsers before the module has loaded the same check
// is written in JavaScript, in config-check.js. What is not data (the
// token function, `fetch`, `hooks`, `logger`) and the logging settings are
// read and checked here, and never reach the module.
import { invalidArgument } from "./errors.js";
import { toJson } from "./encode.js";
import { ask } from "./module.js";

/** The members config.js reads itself; config-check.js leaves them out too. */
export const OWN_KEYS = ["fetch", "hooks", "logger", "logLevel", "userAgent", "rateLimit"];
const HOOKS = ["onRequest", "onResponse", "onError"];
/** Log levels, quietest last: a line is written when its level is at least the client's. */
export const LEVELS = ["debug", "info", "warn", "error", "off"];

/** A value's kind as the module's messages name it ("a string", "an array"). */
export const kind = (v) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);

/** Why `v` is not a whole number from `min` to `max` (named `name`), or null; absent is fine. */
export const wholeProblem = (v, name, min, max) => {
  if (v === undefined || v === null) return null;
  const range = `${name} must be a whole number from ${min} to ${max}`;
  if (typeof v !== "number") return `${range}, got ${kind(v)}`;
  return Number.isInteger(v) && v >= min && v <= max ? null : range;
};

/** What a config without `fetch`, `hooks`, `logger`, `logLevel` or `userAgent` means. */
const NONE = Object.freeze({ fetch: null, hooks: Object.freeze({}), logger: null, logLevel: LEVELS.length - 1, userAgent: null, rateLimit: null });

/** `fetch`, `hooks`, `logger`, `logLevel` and `userAgent` of a config, checked. */
function ownSettings(c) {
  const fetchFn = c.fetch ?? null;
  if (fetchFn !== null && typeof fetchFn !== "function") throw invalidArgument(`config.fetch must be a function, got ${kind(fetchFn)}`);
  const hooks = c.hooks ?? null;
  const taken = {};
  if (hooks !== null) {
    if (typeof hooks !== "object" || Array.isArray(hooks)) throw invalidArgument(`config.hooks must be an object, got ${kind(hooks)}`);
    for (const key of Object.keys(hooks)) {
      if (!HOOKS.includes(key)) throw invalidArgument(`config.hooks has an unknown key ${JSON.stringify(key)}; allowed: ${HOOKS.join(", ")}`);
      const hook = hooks[key] ?? null;
      if (hook !== null && typeof hook !== "function") throw invalidArgument(`config.hooks.${key} must be a function, got ${kind(hook)}`);
      if (hook) taken[key] = hook;
    }
  }
  const logger = c.logger ?? null;
  if (logger !== null && (typeof logger !== "object" && typeof logger !== "function")) throw invalidArgument(`config.logger must be an object with debug, info, warn and error methods (console will do), got ${kind(logger)}`);
  const level = c.logLevel ?? "warn";
  if (!LEVELS.includes(level)) throw invalidArgument(`config.logLevel must be one of ${LEVELS.join(", ")}`);
  const userAgent = c.userAgent ?? null;
  if (userAgent !== null && (typeof userAgent !== "string" || !/^[\x20-\x7e]{1,256}$/.test(userAgent))) {
    throw invalidArgument("config.userAgent must be a string of up to 256 printable ASCII characters");
  }
  return { fetch: fetchFn, hooks: taken, logger, logLevel: logger ? LEVELS.indexOf(level) : NONE.logLevel, userAgent, rateLimit: rateLimitOf(c.rateLimit) };
}

/** `rateLimit`: absent (learn it), `false` (no pacing) or `{ perMinute }`, checked. */
function rateLimitOf(given) {
  if (given === undefined || given === null) return null;
  if (given === false) return false;
  const shape = "config.rateLimit must be false or { perMinute } (a whole number from 1 to 1000000)";
  if (typeof given !== "object" || Array.isArray(given)) throw invalidArgument(`${shape}, got ${kind(given)}`);
  for (const key of Object.keys(given)) if (key !== "perMinute") throw invalidArgument(`config.rateLimit has an unknown key ${JSON.stringify(key)}; allowed: perMinute`);
  const problem = wholeProblem(given.perMinute, "config.rateLimit.perMinute", 1, 1000000);
  if (problem || given.perMinute === undefined || given.perMinute === null) throw invalidArgument(problem ?? shape);
  return { perMinute: given.perMinute };
}

/**
 * The config as the module is given it: the token function, if any, and
 * what `ownSettings` reads set apart (the module never sees a function),
 * the rest as JSON text. Throws `invalid_argument` for a config that
 * cannot be read.
 */
export function configInput(config, isPublic = false) {
  if (isPublic) {
    // The Public API needs no token: one given is a mistake, said at once.
    let token = null;
    try {
      token = config !== null && typeof config === "object" ? config.token : null;
    } catch {
      throw invalidArgument("config could not be read (reading it threw)");
    }
    if (token != null) throw invalidArgument(NO_TOKEN);
    config ??= {};
  }
  let tokenFn = null;
  let data = config;
  let own = NONE;
  if (config !== null && typeof config === "object" && !Array.isArray(config)) {
    try {
      data = Object.assign({}, config);
    } catch {
      throw invalidArgument("config could not be read (reading it threw)");
    }
    try {
      own = ownSettings(data);
    } catch (e) {
      if (e && e.code === "invalid_argument") throw e;
      throw invalidArgument("config could not be read (reading it threw)");
    }
    for (const k of OWN_KEYS) delete data[k];
    if (typeof data.token === "function") {
      tokenFn = data.token;
      delete data.token;
    }
  }
  return { tokenFn, own, data, isPublic, text: `[${toJson(data, "config")}]` };
}

/** What `new KatapultPublicClient({ token })` throws (as Config::parse_public in src/config.rs). */
export const NO_TOKEN = "KatapultPublicClient takes no token: the Public API needs none (use KatapultClient for the Core API)";

/** The module's check: the settings, or throws its KatapultError. */
export function checkConfig(host, input) {
  return JSON.parse(ask(host, "kw_config", input.text, input.isPublic ? 2 : input.tokenFn ? 1 : 0));
}
