// KatapultError, the one class every rejection is an instance of, and the
// way the driver makes one from the module's answer. Defined in
// JavaScript so that it truly extends Error (stack traces, `instanceof
// Error`, console formatting). `instanceof` goes by a registered symbol, so
// an error of one of the package's bundles (ESM, CommonJS, spec) is an
// instance of every bundle's class.
const BRAND = Symbol.for("katapult-wasm.KatapultError");

export class KatapultError extends Error {
  static [Symbol.hasInstance](value) {
    // A Proxy whose traps throw is no KatapultError, and must not throw here:
    // the driver asks this of whatever a caller's fetch rejected with.
    try {
      return value !== null && typeof value === "object" && value[BRAND] === true;
    } catch {
      return false;
    }
  }

  constructor(code, status, message, detail, requestId) {
    // Node prints an uncaught error with the source line of its first
    // frame: in the minified bundle, the whole bundle. This directive on
    // that line (kept by scripts/build-pkg.sh) is Node's own marker for
    // "leave the line out"; the stack still names the caller.
    "node-do-not-add-exception-line";
    // Room for the package's own frames and still the caller's (the
    // `at async main (…/app.mjs:12:3)` of an awaited call), unless the
    // user turned stacks off.
    const limit = Error.stackTraceLimit;
    if (typeof limit === "number" && limit > 0) Error.stackTraceLimit = limit + 20;
    super(message);
    Error.stackTraceLimit = limit;
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
    /** The call that failed (`"get:virtual_machine"`, `"GET"`, its path), or null (the constructor). */
    this.operationId = null;
    this.method = null;
    this.path = null;
  }

  toJSON() {
    return { name: this.name, code: this.code, status: this.status, message: this.message, detail: this.detail, requestId: this.requestId };
  }

  toString() {
    return `KatapultError [${this.code}]: ${this.message}`;
  }
}
// The package's JavaScript is minified without keeping names.
Object.defineProperty(KatapultError, "name", { value: "KatapultError", configurable: true });

/** Whether `value` is a KatapultError (of `code`, when given). */
export function isKatapultError(value, code) {
  return value instanceof KatapultError && (code === undefined || value.code === code);
}

/** The HTTP method an operationId starts with: `get:task` → `GET`. */
export const methodOf = (operationId) => operationId.slice(0, operationId.indexOf(":")).toUpperCase();

/** Names the call on an error that does not name one yet: `row` is its operation's [id, path]. */
export function inCall(error, row) {
  if (error instanceof KatapultError && error.operationId === null && row) {
    error.operationId = row[0];
    error.method = methodOf(row[0]);
    error.path = row[1];
  }
  return error;
}

/** `invalid_argument`, status 0: the caller passed something unusable. */
export const invalidArgument = (message) => new KatapultError("invalid_argument", 0, message, null, null);

/**
 * The error the module described (`{ code, status, message, detail, at }`,
 * src/exports/mod.rs): `at` says where the API's `detail` is in the
 * answer's `body` (bytes), which is read here with `JSON.parse`, so a
 * `__proto__` key in it stays an own property.
 */
export function moduleError(text, body, requestId) {
  const e = JSON.parse(text);
  let detail = e.detail;
  if (e.at && body) {
    try {
      const parsed = JSON.parse(decodeText(body));
      const holder = e.at.startsWith("error") ? parsed.error : parsed;
      detail = e.at.endsWith("-value") ? { value: holder.detail } : holder.detail;
    } catch {
      detail = null;
    }
  }
  return new KatapultError(e.code, e.status, e.message, detail, requestId === undefined ? null : requestId);
}

let decoder;
/** UTF-8 bytes as text (one decoder for every call: no streaming, no state). */
export function decodeText(bytes) {
  return (decoder ??= new TextDecoder()).decode(bytes);
}
