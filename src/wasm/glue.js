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
