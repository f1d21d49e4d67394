// JavaScript pieces of the client that wasm-bindgen cannot express.
//
// The error class every KatapultClient rejection is an instance of.
// Defined in JavaScript so that it truly extends Error (stack traces,
// `instanceof Error`, console formatting) — wasm-bindgen classes cannot.
// `instanceof` goes by a registered symbol, so an error from the package's
// ES module build is also an instance of its CommonJS build's class.
const BRAND = Symbol.for("katapult-wasm.KatapultError");

export class KatapultError extends Error {
  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === "object" && value[BRAND] === true;
  }

  constructor(code, status, message, detail, requestId) {
    super(message);
    Object.defineProperty(this, "name", { value: "KatapultError", enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: true });
    /** The API's error code or a client code such as `invalid_argument`. */
    this.code = code;
    /** HTTP status; 0 for client-side errors. */
    this.status = status;
    /** The API's `detail` object, or null. */
    this.detail = detail === undefined ? null : detail;
    /** The `X-Request-Id` response header when readable, else null. */
    this.requestId = requestId === undefined ? null : requestId;
  }

  toJSON() {
    return { name: this.name, code: this.code, status: this.status, message: this.message, detail: this.detail, requestId: this.requestId };
  }

  toString() {
    return `KatapultError [${this.code}]: ${this.message}`;
  }
}

// Makes a client iterator usable with `for await`: its class gets
// `[Symbol.asyncIterator]() { return this; }` (wasm-bindgen cannot declare
// symbol-named methods).
export function asyncIterable(iterator) {
  const proto = Object.getPrototypeOf(iterator);
  if (!Object.prototype.hasOwnProperty.call(proto, Symbol.asyncIterator)) {
    Object.defineProperty(proto, Symbol.asyncIterator, {
      value() { return this; },
      configurable: true,
      writable: true,
    });
    named(proto.constructor, "PageIterator");
  }
  return iterator;
}

// The package's JavaScript is minified without keeping names (1.1 KB gzip
// less); the classes users see are named here.
function named(cls, name) {
  Object.defineProperty(cls, "name", { value: name, configurable: true });
  return cls;
}
named(KatapultError, "KatapultError");

// One HTTP attempt: fetch with a per-attempt timeout tied to the caller's
// signal, the whole body read. Resolves with { status, buffer,
// requestId, retryAfter }; rejects with { reason: "aborted" | "timeout" |
// "network", message }. The Rust core decides everything else.
const METHODS = ["GET", "POST", "DELETE", "PATCH", "PUT"];

// Why an attempt got no response, and fetch's message (read safely: a
// polyfill's error may be anything).
class NoResponse {
  constructor(reason, error) {
    this.reason = reason;
    let message = "fetch failed";
    try {
      message = String((error && (error.message || error.name)) || message);
    } catch {
      // keep the default
    }
    this.message = message;
  }
}

export async function attempt(url, methodIndex, authorization, body, timeoutMs, signal) {
  const method = METHODS[methodIndex];
  if (signal && signal.aborted) throw new NoResponse("aborted", null);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  let requestSignal = timeout.signal;
  let unlink;
  if (signal) {
    if (typeof AbortSignal.any === "function") {
      // No listener per request (Node warns past ten on one signal).
      requestSignal = AbortSignal.any([signal, timeout.signal]);
    } else {
      const abort = () => timeout.abort();
      signal.addEventListener("abort", abort);
      unlink = () => signal.removeEventListener("abort", abort);
    }
  }
  const headers = { Authorization: authorization };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    const response = await fetch(url, { method, headers, body, signal: requestSignal });
    const buffer = await response.arrayBuffer();
    return {
      status: response.status,
      buffer,
      requestId: response.headers.get("x-request-id"),
      retryAfter: response.headers.get("retry-after"),
    };
  } catch (e) {
    const reason = signal && signal.aborted ? "aborted" : timeout.signal.aborted ? "timeout" : "network";
    throw new NoResponse(reason, e);
  } finally {
    clearTimeout(timer);
    if (unlink) unlink();
  }
}

// One call's exchange (see src/wasm/exchange.rs): the loop runs here, with
// no Rust future in between; the module decides what each outcome means.
// `settle`, `fail` and `bearer` return the answer, or a number (a retry after
// that many ms; no answer of the document is a number), or throw the call's
// KatapultError. `authorization` is the header, or a token function.
let settle, fail, bearer;

export function connectExchange(settleFn, failFn, bearerFn) {
  settle = settleFn;
  fail = failFn;
  bearer = bearerFn;
}

export async function drive(slot, url, methodIndex, authorization, body, timeoutMs, signal) {
  for (;;) {
    let header = authorization;
    if (typeof authorization === "function") {
      let value, how;
      try {
        value = authorization();
        if (value !== null && typeof value === "object" && typeof value.then === "function") {
          how = "rejected";
          value = await value;
        }
        how = undefined;
      } catch {
        how = how || "threw";
      }
      header = bearer(slot, value, how);
    }
    let next;
    try {
      const outcome = await attempt(url, methodIndex, header, body, timeoutMs, signal);
      next = settle(slot, outcome.status, outcome.buffer, outcome.requestId, outcome.retryAfter);
    } catch (e) {
      // A KatapultError from settle ends the call; an attempt that got no
      // response is the module's to judge; anything else (the module
      // trapped) ends the call too, without a retry.
      if (e instanceof KatapultError) throw e;
      next = e instanceof NoResponse ? fail(slot, e.reason, e.message) : fail(slot, "broken", "");
    }
    if (typeof next !== "number") return next;
    if (!(await sleep(next, signal)) || (signal && signal.aborted)) return fail(slot, "aborted", "");
  }
}

// Resolves true after `ms`, or false at once when `signal` fires.
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

// The checked body as JavaScript data, parsed by the engine itself (one
// decoder for every call: decode() without streaming keeps no state).
let decoder;
export function parseBody(buffer) {
  return JSON.parse((decoder || (decoder = new TextDecoder())).decode(buffer));
}

// The named methods of every operation, from the generated table
// (src/generated/operations.js: [operationId, path, items, task,
// ...subjects]): `getVirtualMachineDisks(vm, { page, signal })` calls
// `__invoke` with the subjects and the options. A method the class already
// has (one of the fifteen written by hand) is kept. Returns `operations`.
const camel = (id) =>
  id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join("");

export function installOperations(Client, table) {
  const proto = Client.prototype;
  // The core names an operation by its index in this table.
  const index = new Map(table.map((row, i) => [row[0], i]));
  const at = (id) => (typeof id === "string" && index.has(id) ? index.get(id) : -1);
  const define = (name, value) => Object.defineProperty(proto, name, { value, configurable: true, writable: true });
  define("request", function request(operationId, params, options) {
    return this.__request(at(operationId), operationId, params, options);
  });
  define("paginate", function paginate(operationId, params, options) {
    return this.__paginate(at(operationId), operationId, params, options);
  });
  define("iterate", function iterate(operationId, params, options) {
    return this.__iterate(at(operationId), operationId, params, options);
  });
  // Defined at import, not on first use: tools that list a class's methods
  // (sinon.createStubInstance, jest's automock) and frozen prototypes need
  // them there (a lazy proxy saved 2 ms of import and broke both).
  return Object.freeze(
    table.map(([operationId, path, items, task, ...subjects], i) => {
      const name = camel(operationId);
      if (!Object.prototype.hasOwnProperty.call(proto, name)) {
        const n = subjects.length;
        define(name, { [name](...args) { return this.__invoke(i, args.slice(0, n), args[n]); } }[name]);
      }
      const method = operationId.slice(0, operationId.indexOf(":")).toUpperCase();
      return Object.freeze({ operationId, method, path, name, items: items || null, task: task === 1 });
    }),
  );
}

// `buildVirtualMachineFromSpec` also takes a spec object. The client module
// leaves the XML builder out (it lives in katapult-wasm/spec, so pages that
// never build VMs do not download it); the package entry calls this to wrap
// the method: a spec object is written with the spec module's
// `buildSpecXml`, loaded by `load` on first use, then sent as XML.
export function acceptSpecObjects(Client, load) {
  const send = Client.prototype.buildVirtualMachineFromSpec;
  Object.defineProperty(Client.prototype, "buildVirtualMachineFromSpec", {
    value: async function buildVirtualMachineFromSpec(org, spec, options) {
      if (spec !== null && typeof spec === "object") {
        let tools;
        try {
          tools = await load();
        } catch (e) {
          throw new KatapultError("network_error", 0, `katapult-wasm/spec could not be loaded: ${e && e.message}`, null, null);
        }
        spec = tools.buildSpecXml(spec);
      }
      return send.call(this, org, spec, options);
    },
    configurable: true,
    writable: true,
  });
}

// ---- loading the WebAssembly module ---------------------------------------
//
// No entry instantiates the module when it is imported (no top-level
// await: bundlers, workers and require() all cope). A loader instantiates
// it on first use: at once where the bytes can be read synchronously
// (Node), else in the background, awaited by the first call (browsers);
// `ready()` starts it and tells when it is done. `imports` maps the
// module's import names to the wasm-bindgen glue modules.

function instantiate(module, imports, bindings) {
  const instance = new WebAssembly.Instance(module, imports);
  bindings.__wbg_set_wasm(instance.exports);
  if (typeof instance.exports.__wbindgen_start === "function") instance.exports.__wbindgen_start();
  return instance.exports;
}

/**
 * `readSync()` returns the module's bytes (Node); else `fetchAsync()`
 * resolves to a Response or the bytes (browsers).
 */
export function moduleLoader(bindings, imports, { readSync = null, fetchAsync = null }) {
  let loaded = false;
  let pending = null;
  let exports = null;
  const failed = (e) =>
    new KatapultError("network_error", 0, `The katapult-wasm WebAssembly module could not be loaded: ${(e && e.message) || e}`, null, null);
  const loader = {
    /** The instance's exports once loaded (its memory, for the resource tests). */
    get exports() {
      return exports;
    },
    /** Loads now if that can be done synchronously; true once loaded. */
    now() {
      if (!loaded && readSync) {
        try {
          exports = instantiate(new WebAssembly.Module(readSync()), imports, bindings);
        } catch (e) {
          throw failed(e);
        }
        loaded = true;
      }
      if (!loaded) loader.load().catch(() => {});
      return loaded;
    },
    /** Resolves once the module is loaded (a failed load is tried again on the next call). */
    load() {
      if (loaded) return Promise.resolve();
      if (readSync) return new Promise((resolve) => resolve(loader.now()));
      pending ??= (async () => {
        const source = await fetchAsync();
        let module;
        if (typeof Response !== "undefined" && source instanceof Response) {
          if (!source.ok) throw new Error(`HTTP ${source.status} for ${source.url}`);
          const streaming = typeof WebAssembly.compileStreaming === "function"
            && (source.headers.get("content-type") || "").startsWith("application/wasm");
          module = streaming ? await WebAssembly.compileStreaming(source) : await WebAssembly.compile(await source.arrayBuffer());
        } else {
          module = await WebAssembly.compile(source);
        }
        exports = instantiate(module, imports, bindings);
        loaded = true;
      })().catch((e) => {
        pending = null;
        throw failed(e);
      });
      return pending;
    },
  };
  return loader;
}

// ---- the client class users see -------------------------------------------
//
// `KatapultClient` forwards to the wasm-bindgen class. Once the module is
// loaded (always, in Node) the constructor checks its config and throws as
// the Rust constructor does. Before the module has loaded (in a browser,
// before `ready()` resolved) the constructor checks the config with
// configProblem (the same answers) and throws the same errors; the client
// keeps its config out of reach (in a WeakMap) and makes the real client
// when its first call runs (a config changed in between is checked again
// then, and a problem rejects that call). Iterators are handed out at once
// and wait for the module in their first next().
const ITERATORS = new Set(["virtualMachines", "__iterate"]);

// The checks of `new KatapultClient(config)` (Config::parse in
// src/config.rs over the config as src/wasm/js.rs reads it), for browsers
// before the module has loaded, so that a bad config still throws on
// construction as API.md says. tests/node/construction.test.mjs holds the
// two to the same answer, message for message, on generated configs.
const CONFIG_KEYS = ["token", "baseUrl", "timeoutMs", "maxRetries"];
const kind = (v) =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "boolean" ? "a boolean"
    : typeof v === "number" ? "a number" : typeof v === "string" ? "a string" : "an object";
let utf8;
const byBytes = (a, b) => {
  utf8 ??= new TextEncoder();
  const x = utf8.encode(a), y = utf8.encode(b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};
// Rust's char::is_control (category Cc) and, with it, char::is_whitespace
// (White_Space), written out: property escapes (\p{…}) cost the package's
// start-up about a millisecond.
const SPACE_OR_CONTROL = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const QUOTED = /["\\\u0000-\u001f\u007f-\u009f]/g;
const quote = (k) => `"${k.replace(QUOTED, (c) => (c === '"' || c === "\\" ? `\\${c}` : `\\u{${c.codePointAt(0).toString(16).padStart(4, "0")}}`))}"`;

/** js.rs's reading of an argument as JSON data: the problem, or null. */
function dataProblem(value, path, depth) {
  if (value === null || value === undefined || typeof value === "string" || typeof value === "boolean") return null;
  if (typeof value === "number") return Number.isFinite(value) ? null : `${path} must be a finite number`;
  if (typeof value !== "object") return `${path} must not be a ${typeof value}`;
  if (depth >= 12) return `${path} is nested too deeply`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = dataProblem(value[i], `${path}[${i}]`, depth + 1);
      if (p) return p;
    }
    return null;
  }
  for (const k of Object.keys(value)) {
    if (depth === 0 && (k === "signal" || k === "onProgress")) continue;
    const p = dataProblem(value[k], `${path}.${k}`, depth + 1);
    if (p) return p;
  }
  return null;
}

const wholeProblem = (v, name, min, max) => {
  if (v === undefined || v === null) return null;
  const range = `${name} must be a whole number from ${min} to ${max}`;
  if (typeof v !== "number") return `${range}, got ${kind(v)}`;
  return Number.isInteger(v) && v >= min && v <= max ? null : range;
};

function baseUrlProblem(raw) {
  const bad = (why) => `config.baseUrl ${why}`;
  const lower = raw.slice(0, 8).replace(/[A-Z]/g, (c) => c.toLowerCase());
  const restAt = lower.startsWith("https://") ? 8 : lower.startsWith("http://") ? 7 : 0;
  if (!restAt) return bad("must start with http:// or https://");
  if (SPACE_OR_CONTROL.test(raw)) return bad("must not contain whitespace");
  if (/[?#]/.test(raw)) return bad("must not contain a query (?) or fragment (#)");
  const authority = raw.slice(restAt).split("/")[0];
  if (authority.includes("@")) return bad("must not contain credentials; pass the token as config.token");
  const colon = authority.lastIndexOf(":");
  let host = authority;
  if (colon >= 0) {
    const h = authority.slice(0, colon);
    if (/^[0-9]*$/.test(authority.slice(colon + 1)) && !h.endsWith(":")) host = h;
  }
  return host ? null : bad("must name a host");
}

/** The message `new KatapultClient(config)` throws for this config, or null. */
export function configProblem(config) {
  const tokenFunction = config !== null && typeof config === "object" && typeof config.token === "function";
  let data = config;
  if (tokenFunction) {
    data = Object.assign({}, config);
    delete data.token;
  }
  const problem = dataProblem(data, "config", 0);
  if (problem) return problem;
  if (data === null || data === undefined) return "KatapultClient needs a config object: new KatapultClient({ token })";
  if (typeof data !== "object" || Array.isArray(data)) return `config must be an object, got ${kind(data)}`;
  // A member set to undefined is one not given, but signal and onProgress count as given.
  const given = Object.keys(data).filter((k) => data[k] !== undefined || k === "signal" || k === "onProgress");
  const unknown = given.filter((k) => !CONFIG_KEYS.includes(k)).sort(byBytes)[0];
  if (unknown !== undefined) return `config has an unknown key ${quote(unknown)}; allowed: ${CONFIG_KEYS.join(", ")}`;
  const value = (k) => (data[k] === undefined ? null : data[k]);
  const token = value("token");
  if (!tokenFunction) {
    if (token === null || token === "") return "config.token is required: an API token string, or a function that returns one";
    if (typeof token !== "string") return `config.token must be a string or a function, got ${kind(token)}`;
    if (!/^[\x21-\x7e]+$/.test(token)) return "config.token contains spaces or characters that cannot be sent in an HTTP header";
  }
  const baseUrl = value("baseUrl");
  if (baseUrl !== null) {
    if (typeof baseUrl !== "string") return `config.baseUrl must be a string, got ${kind(baseUrl)}`;
    const p = baseUrlProblem(baseUrl);
    if (p) return p;
  }
  return wholeProblem(value("timeoutMs"), "config.timeoutMs", 1, 2147483647) ?? wholeProblem(value("maxRetries"), "config.maxRetries", 0, 10);
}

export function lazyClient(Raw, loader) {
  const state = new WeakMap(); // client -> { raw } | { config, pending }
  const realise = (client) => {
    const s = state.get(client);
    if (s.raw) return s.raw;
    s.pending ??= loader.load().then(() => {
      s.raw ??= new Raw(s.config);
      s.config = null;
      return s.raw;
    });
    return s.pending;
  };
  class KatapultClient {
    constructor(config) {
      if (loader.now()) {
        state.set(this, { raw: new Raw(config) });
        return;
      }
      const problem = configProblem(config);
      if (problem) throw new KatapultError("invalid_argument", 0, problem, null, null);
      state.set(this, { config, pending: null });
    }

    /** The base URL requests go to (as given, until the module has loaded). */
    get baseUrl() {
      const s = state.get(this);
      if (s.raw) return s.raw.baseUrl;
      const given = s.config && s.config.baseUrl;
      return typeof given === "string" ? given.replace(/\/+$/, "") : "https://api.katapult.io/core/v1";
    }

    /** The settings without the token. */
    toJSON() {
      const s = state.get(this);
      if (s.raw) return s.raw.toJSON();
      const c = s.config || {};
      return { baseUrl: this.baseUrl, timeoutMs: c.timeoutMs ?? 30000, maxRetries: c.maxRetries ?? 2 };
    }

    /** Releases the client's memory in the module now (else the garbage collector does). */
    free() {
      const s = state.get(this);
      if (s.raw) s.raw.free();
    }
  }
  named(KatapultClient, "KatapultClient");
  const proto = KatapultClient.prototype;
  for (const name of Object.getOwnPropertyNames(Raw.prototype)) {
    const d = Object.getOwnPropertyDescriptor(Raw.prototype, name);
    if (Object.prototype.hasOwnProperty.call(proto, name) || typeof d.value !== "function" || name.startsWith("__destroy")) continue;
    const method = ITERATORS.has(name)
      ? { [name](...args) {
          const raw = realise(this);
          return raw instanceof Promise ? lazyIterator(raw.then((r) => r[name](...args))) : raw[name](...args);
        } }[name]
      : { [name](...args) {
          const raw = realise(this);
          return raw instanceof Promise ? raw.then((r) => r[name](...args)) : raw[name](...args);
        } }[name];
    Object.defineProperty(proto, name, { value: method, configurable: true, writable: true });
  }
  return KatapultClient;
}

/** An async iterator over the one `later` resolves to. */
function lazyIterator(later) {
  return {
    next: () => later.then((it) => it.next()),
    return: () => later.then((it) => it.return()),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A synchronous function of a module that loads asynchronously in browsers. */
export function whenLoaded(loader, name, fn) {
  return { [name](...args) {
    if (!loader.now()) {
      throw new KatapultError("not_ready", 0, `katapult-wasm/spec is still loading: await ready() from "katapult-wasm/spec" before calling ${name}`, null, null);
    }
    return fn(...args);
  } }[name];
}
