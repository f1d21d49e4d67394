// The KatapultClient class users see. Its state (the checked settings, the
// token) lives in a WeakMap, out of reach of `console.log`, `util.inspect`
// and `JSON.stringify`. Every method runs the same path: read the caller's
// arguments into JSON text (encode.js), let the module check them and build
// the request (driver.js `prepare`), then the driver's exchange. Nothing
// throws synchronously: every failure rejects the returned promise (only
// the constructor throws). In a browser before the module has loaded, the
// constructor checks the config in JavaScript (config.js) and the first
// call waits for the module.
import { KatapultError, inCall, invalidArgument } from "./errors.js";
import { ask } from "./module.js";
import { callbackOf, member, signalOf, toJson } from "./encode.js";
import { checkConfig, configInput, wholeProblem } from "./config.js";
import { budgetOf, exchange, prepare } from "./driver.js";
import { collect, iterator, until, untilOf, wait, walkOf, UNTIL, WAITS } from "./walks.js";
import { failed } from "./observe.js";

/** The Core API's client (API.md): a token, and every operation of its document. */
export const CORE = Object.freeze({ name: "KatapultClient", isPublic: false, baseUrl: "https://api.katapult.io/core/v1", unknown: -1 });
/**
 * The Public API's (API.md "Public API"): no token, its own base URL and
 * operations; -2 is how the module is told an operationId is not one of them.
 */
export const PUBLIC = Object.freeze({ name: "KatapultPublicClient", isPublic: true, baseUrl: "https://api.katapult.io/public/v1", unknown: -2 });

/**
 * The client class over `host` (the module) and the operation table.
 * `configProblem(config)` (config-check.js) checks a config while the module
 * is still loading; only the browser entry, whose module loads in the
 * background, needs it. `agent` is the package's own User-Agent
 * (`katapult-wasm/<version>`), for the entries that may send one (Node's);
 * `check(settings, operationId, data)` looks over each answer (presence.js).
 * `api` is CORE or PUBLIC; the Public API's table has its operations at
 * the module's indices for them (after the core's).
 */
export function makeClient(host, table, configProblem = null, agent = null, check = null, api = CORE) {
  const states = new WeakMap(); // client -> { settings } | { input } | { freed }
  const index = new Map();
  table.forEach((row, i) => index.set(row[0], i));
  const opIndex = (id) => (typeof id === "string" && index.has(id) ? index.get(id) : api.unknown);

  /** The client's settings, once the module is loaded (it is, when called). */
  function settingsOf(client) {
    const s = states.get(client);
    if (!s) throw invalidArgument(`This method must be called on a ${api.name}`);
    if (s.freed) throw invalidArgument(`This ${api.name} was freed; make a new one`);
    if (!s.settings) {
      s.settings = settingsFrom(checkConfig(host, s.input), s.input, table, agent, check);
      s.input = null;
    }
    return s.settings;
  }

  /**
   * Runs `body(settings)` as a promise: at once when the module is loaded
   * (so the caller's arguments are read during the call), else once it is;
   * whatever it throws rejects the promise, with the call (the operation at
   * `op`) named on the error and reported to `hooks.onError`. An async
   * function awaited by the caller, so that an error's stack reaches the
   * caller's own line.
   */
  async function run(client, body, op = -1) {
    let settings = null;
    let sync = true;
    try {
      if (!host.now()) await host.load();
      settings = settingsOf(client);
      const result = body(settings);
      sync = false;
      return await result;
    } catch (e) {
      const error = inCall(e instanceof KatapultError || !sync ? e : invalidArgument(String((e && e.message) || e)), table[op]);
      if (settings && error instanceof KatapultError) failed(settings, error);
      throw error;
    }
  }

  /**
   * One request: the arguments' JSON text (built by `args()`, or a promise
   * of it), checked and sent. The promise has `.withResponse()`.
   */
  function call(client, op, kind, args, options) {
    const meta = {};
    const promise = run(client, (settings) => {
      const text = args();
      const signal = signalOf(options);
      const own = perCall(settings, options, false);
      const send = (t) => exchange(host, own, op, prepare(host, op, kind, t), signal, meta);
      return typeof text === "string" ? send(text) : text.then(send);
    }, op);
    promise.withResponse = () => promise.then((data) => ({ data, response: meta.response }));
    return promise;
  }

  class KatapultClient {
    constructor(config) {
      const input = configInput(config, api.isPublic);
      if (host.now()) {
        states.set(this, { settings: settingsFrom(checkConfig(host, input), input, table, agent, check) });
        return;
      }
      let problem = null;
      try {
        problem = configProblem && configProblem(config, api.isPublic);
      } catch {
        problem = "config could not be read (reading it threw)";
      }
      if (problem) throw invalidArgument(problem);
      states.set(this, { input });
    }

    /** The base URL requests go to (as given, until the module has loaded). */
    get baseUrl() {
      const s = states.get(this);
      if (!s) return undefined;
      if (s.settings) return s.settings.baseUrl;
      const given = s.input && s.input.data && s.input.data.baseUrl;
      return typeof given === "string" ? given.replace(/\/+$/, "") : api.baseUrl;
    }

    /**
     * What is known of the token's rate limit: `{ permitted, remaining,
     * source }` (API.md "Rate-limit budget"); shared by every client of the
     * token and origin in this realm.
     */
    get rateLimit() {
      const s = states.get(this);
      const settings = s && s.settings;
      const given = settings ? settings.rateLimit : s && s.input && s.input.own && s.input.own.rateLimit;
      if (settings && given !== false) return budgetOf(settings).report();
      return given ? { permitted: given.perMinute, remaining: null, source: "option" } : { permitted: null, remaining: null, source: null };
    }

    /** The settings without the token. */
    toJSON() {
      const s = states.get(this) || {};
      if (s.settings) {
        const { baseUrl, timeoutMs, maxRetries } = s.settings;
        return { baseUrl, timeoutMs, maxRetries };
      }
      const c = (s.input && s.input.data) || {};
      return { baseUrl: this.baseUrl, timeoutMs: c.timeoutMs ?? 30000, maxRetries: c.maxRetries ?? 2 };
    }

    /** Ends the client: later calls reject `invalid_argument`. (A client needs no freeing.) */
    free() {
      const s = states.get(this);
      if (s) states.set(this, { freed: true });
    }
  }
  Object.defineProperty(KatapultClient, "name", { value: api.name, configurable: true });

  /** Defines methods on the class: `define(name, fn)`, or `define(object of name → fn)` at once. */
  const define = (name, fn) => {
    const methods = typeof name === "string" ? { [name]: fn } : name;
    const descriptors = {};
    for (const key of Object.keys(methods)) descriptors[key] = { value: methods[key], configurable: true, writable: true };
    Object.defineProperties(KatapultClient.prototype, descriptors);
  };

  // request, paginate and iterate: any operation by its operationId. An
  // unknown one reads no argument: the module names the id it was given.
  const byId = (operationId, params, options) => {
    const op = opIndex(operationId);
    const id = typeof operationId === "string" ? JSON.stringify(operationId) : "null";
    return [op, () => (op < 0 ? `[null,null,${id}]` : `[${toJson(params, "params")},${toJson(options, "options")},${id}]`)];
  };
  define("request", function (operationId, params, options) {
    const [op, text] = byId(operationId, params, options);
    return call(this, op, 0, text, options);
  });
  const paginateWith = (client, op, kind, text, options) =>
    run(client, (settings) => {
      const args = text();
      const signal = signalOf(options);
      const walk = walkOf(host, op, kind, args);
      return collect(host, perCall(settings, options, false), walk, signal, callbackOf(options));
    }, op);
  const iterateWith = (client, op, kind, text, options) => {
    const start = (settings) => {
      const args = text();
      const signal = signalOf(options);
      return { walk: walkOf(host, op, kind, args), signal, settings: perCall(settings, options, false) };
    };
    let inner = null;
    const open = () =>
      (inner ??= run(client, (settings) => {
        let started;
        try {
          started = start(settings);
        } catch (e) {
          return iterator(host, settings, () => { throw e; }, undefined);
        }
        return iterator(host, started.settings, () => started.walk, started.signal);
      }));
    // A page's failure rejects a later next(), outside run(): it is named
    // and reported here (open()'s own failures already were, by run()).
    const named = (settings) => (e) => {
      const error = inCall(e, table[op]);
      if (error instanceof KatapultError) failed(settings, error);
      throw error;
    };
    return {
      next: () => open().then((it) => it.next().catch(named(states.get(client).settings))),
      return: () => open().then((it) => it.return()),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };
  define("paginate", function (operationId, params, options) {
    const [op, text] = byId(operationId, params, options);
    return paginateWith(this, op, 0, text, options);
  });
  define("iterate", function (operationId, params, options) {
    const [op, text] = byId(operationId, params, options);
    return iterateWith(this, op, 1, text, options);
  });
  if (api.isPublic) return { KatapultClient, call, opIndex, define, run };

  // What only the Core API has: its VM walks and the waits.
  const vmWalk = (org, options) => () => `[${toJson(org, "org")},${toJson(options, "options")}]`;
  define("listAllVirtualMachines", function (org, options) {
    return paginateWith(this, opIndex("get:organization_virtual_machines"), 2, vmWalk(org, options), options);
  });
  define("virtualMachines", function (org, options) {
    return iterateWith(this, opIndex("get:organization_virtual_machines"), 3, vmWalk(org, options), options);
  });

  // waitForTask and waitForVirtualMachineBuild.
  for (const [name, what, subject] of [["waitForTask", WAITS[0], "taskOrId"], ["waitForVirtualMachineBuild", WAITS[1], "id"]]) {
    const op = opIndex(what.operationId);
    define(name, function (resource, options) {
      return run(this, (settings) => {
        const text = `[${toJson(resource, subject)},${toJson(options, "options")}]`;
        const plan = JSON.parse(ask(host, "kw_wait", text, what.kind));
        const onProgress = callbackOf(options);
        const signal = signalOf(options);
        return wait(host, perCall(settings, options, true), what, op, plan, signal, onProgress);
      }, op);
    });
  }

  // waitUntil and the waits made of it (API.md "Waiting for resources"):
  // the module checks the arguments and keeps the schedule; the caller's
  // predicate runs here, on each answer.
  define("waitUntil", function (operationId, params, predicate, options) {
    const op = opIndex(operationId);
    return run(this, (settings) => {
      const id = typeof operationId === "string" ? JSON.stringify(operationId) : "null";
      const plan = untilOf(host, op, UNTIL.UNTIL, `[${id},${toJson(params, "params")},${toJson(options, "options")}]`);
      if (typeof predicate !== "function") throw invalidArgument("predicate must be a function of the answer (true ends the wait)");
      const what = `${table[plan.op][0]} did not answer as waited for`;
      return until(host, perCall(settings, options, true), plan, predicate, signalOf(options), callbackOf(options), what);
    }, op);
  });
  define("waitForVirtualMachineState", function (vm, states, options) {
    return run(this, async (settings) => {
      const plan = untilOf(host, -1, UNTIL.VM_STATE, `[${toJson(vm, "vm")},${toJson(states, "states")},${toJson(options, "options")}]`);
      const onProgress = callbackOf(options);
      const lookup = plan.params.virtual_machine;
      // A state the document does not list (allocating, …) is simply not yet one of `states`.
      const reached = (answer) => plan.states.includes(answer && answer.virtual_machine && answer.virtual_machine.state);
      const what = `Virtual machine ${lookup.id ?? lookup.fqdn} did not reach ${plan.states.join(" or ")}`;
      const progress = onProgress && ((answer) => onProgress(answer && answer.virtual_machine));
      const answer = await until(host, perCall(settings, options, true), plan, reached, signalOf(options), progress, what);
      return answer.virtual_machine;
    }, opIndex("get:virtual_machine"));
  });
  // Purging answers before the object is gone; `wait` polls until GET
  // answers trash_object_not_found. It resolves with the purge's answer.
  define("purgeTrashObject", function (id, options) {
    const op = opIndex("delete:trash_object");
    return run(this, async (settings) => {
      const plan = untilOf(host, -1, UNTIL.PURGE, `[${toJson(id, "id")},${toJson(options, "options")}]`);
      const signal = signalOf(options);
      const onProgress = callbackOf(options);
      const request = prepare(host, op, 5, `["trash_object",${JSON.stringify(plan.id)},null]`);
      const waits = member(options, "wait") === true; // a boolean or nothing, as the module checked
      const purged = await exchange(host, perCall(settings, options, waits), op, request, signal);
      if (!waits) return purged;
      const gone = (e) => (e.code === "trash_object_not_found" ? { done: null } : null);
      const progress = onProgress && ((answer) => onProgress(answer && answer.trash_object));
      await until(host, perCall(settings, options, true), plan, () => false, signal, progress, `Trash object ${plan.id} was not gone`, gone);
      return purged;
    }, op);
  });

  return { KatapultClient, call, opIndex, define, run };
}

/**
 * The settings the module checked, with what config.js read beside them
 * (the token function, fetch, hooks, logger, User-Agent) and the table the
 * hooks and log lines name operations from.
 */
function settingsFrom(checked, input, table, agent, check) {
  const own = input.own;
  return {
    baseUrl: checked.baseUrl,
    timeoutMs: checked.timeoutMs,
    maxRetries: checked.maxRetries,
    maxResponseBytes: checked.maxResponseBytes,
    authorization: checked.authorization,
    tokenFn: input.tokenFn,
    fetch: own.fetch,
    hooks: own.hooks,
    logger: own.logger,
    logLevel: own.logLevel,
    quiet: !own.logger && !Object.keys(own.hooks).length,
    userAgent: agent && (own.userAgent ? `${own.userAgent} ${agent}` : agent),
    rateLimit: own.rateLimit,
    // Shared by the per-call copies: the token a token function last returned.
    tokens: { last: null, own: null },
    check: own.logger ? check : null,
    table,
  };
}

/** A whole number option of one call, checked as the client's config is. */
function whole(options, key, min, max) {
  const value = member(options, key);
  const problem = wholeProblem(value, `options.${key}`, min, max);
  if (problem) throw invalidArgument(problem);
  return value ?? undefined;
}

/**
 * The settings of one call: the client's, with the call's own `timeoutMs`
 * (per attempt; a wait's is its deadline, read by the module) and `maxRetries`.
 */
function perCall(settings, options, isWait) {
  const timeoutMs = isWait ? undefined : whole(options, "timeoutMs", 1, 2147483647);
  const maxRetries = whole(options, "maxRetries", 0, 10);
  if (timeoutMs === undefined && maxRetries === undefined) return settings;
  return { ...settings, timeoutMs: timeoutMs ?? settings.timeoutMs, maxRetries: maxRetries ?? settings.maxRetries };
}
