// JavaScript pieces of the client that wasm-bindgen cannot express.
//
// The error class every KatapultClient rejection is an instance of.
// Defined in JavaScript so that it truly extends Error (stack traces,
// `instanceof Error`, console formatting) — wasm-bindgen classes cannot.
export class KatapultError extends Error {
  constructor(code, status, message, detail, requestId) {
    super(message);
    Object.defineProperty(this, "name", { value: "KatapultError", enumerable: false, configurable: true, writable: true });
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
  }
  return iterator;
}

// One HTTP attempt: fetch with a per-attempt timeout tied to the caller's
// signal, the whole body read. Resolves with { status, bytes, buffer,
// requestId, retryAfter }; rejects with { reason: "aborted" | "timeout" |
// "network", message }. The Rust core decides everything else.
const METHODS = ["GET", "POST", "DELETE", "PATCH", "PUT"];

export async function attempt(url, methodIndex, authorization, body, timeoutMs, signal) {
  const method = METHODS[methodIndex];
  if (signal && signal.aborted) throw { reason: "aborted", message: "" };
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
      bytes: new Uint8Array(buffer),
      buffer,
      requestId: response.headers.get("x-request-id"),
      retryAfter: response.headers.get("retry-after"),
    };
  } catch (e) {
    const reason = signal && signal.aborted ? "aborted" : timeout.signal.aborted ? "timeout" : "network";
    throw { reason, message: String((e && (e.message || e.name)) || "fetch failed") };
  } finally {
    clearTimeout(timer);
    if (unlink) unlink();
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

// The checked body as JavaScript data, parsed by the engine itself.
export function parseBody(buffer) {
  return JSON.parse(new TextDecoder().decode(buffer));
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
