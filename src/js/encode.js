// Caller values as JSON text for the module. Everything a caller passes is
// read here, once, in JavaScript: a getter or `Proxy` trap that throws, a
// revoked `Proxy`, a cycle or a function becomes an `invalid_argument`
// problem here, and the module only ever sees text. The rules are those
// the module's checks were written for: `undefined` is `null` (a member
// set to it is one not given), numbers must be finite, functions, symbols
// and bigints are refused, nesting stops at 12 levels, and an options
// object's `signal` and `onProgress` (which are not data) stand as `{}`.
import { invalidArgument } from "./errors.js";

const MAX_DEPTH = 12;
// No argument of the API is a list this long; a sparse array's length
// alone must not make a gigabyte of text.
const MAX_ITEMS = 100000;
const OPAQUE = new Set(["signal", "onProgress"]);

/** Why a value cannot be sent, with the path of the part that is wrong. */
class Problem {
  constructor(message) {
    this.message = message;
  }
}

/** A string without lone surrogates (the module reads UTF-8). */
// (With the u flag a surrogate class matches only an unpaired one.)
const wellFormed = (s) => (s.isWellFormed && s.isWellFormed() ? s : s.replace(/\p{Cs}/gu, "\ufffd"));

function encode(value, path, depth) {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(wellFormed(value));
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new Problem(`${path} must be a finite number`);
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw new Problem(`${path} must not be a ${typeof value}`);
  }
  if (depth >= MAX_DEPTH) throw new Problem(`${path} is nested too deeply`);
  if (Array.isArray(value)) {
    const length = value.length;
    if (length > MAX_ITEMS) throw new Problem(`${path} has more than ${MAX_ITEMS} items`);
    let out = "[";
    for (let i = 0; i < length; i++) out += (i ? "," : "") + encode(value[i], `${path}[${i}]`, depth + 1);
    return `${out}]`;
  }
  let out = "{";
  for (const key of Object.keys(value)) {
    let text;
    if (depth === 0 && OPAQUE.has(key)) {
      text = "{}";
    } else {
      const item = value[key];
      if (item === undefined) continue;
      text = encode(item, `${path}.${key}`, depth + 1);
    }
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(wellFormed(key))}:${text}`;
  }
  return `${out}}`;
}

/**
 * The JSON text of `value`, named `name` in problems; throws the
 * `invalid_argument` KatapultError for anything that cannot be sent,
 * including a value that throws when read.
 */
export function toJson(value, name) {
  try {
    return encode(value, name, 0);
  } catch (e) {
    throw invalidArgument(e instanceof Problem ? e.message : `${name} could not be read (reading it threw)`);
  }
}

/** `options[key]` of a caller's options object, read safely. */
export function member(options, key) {
  if (options === null || typeof options !== "object") return undefined;
  try {
    return options[key];
  } catch {
    throw invalidArgument(`options.${key} could not be read (reading it threw)`);
  }
}

// The brand check of a real AbortSignal: its `aborted` getter throws for
// anything else (a look-alike made with Object.create, a plain object).
const abortedGetter = typeof AbortSignal === "function"
  ? Object.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted")?.get
  : undefined;

/** The `signal` of an options object: undefined, or a real AbortSignal. */
export function signalOf(options) {
  const signal = member(options, "signal");
  if (signal === undefined || signal === null) return undefined;
  let real = false;
  try {
    if (abortedGetter) {
      abortedGetter.call(signal);
      real = true;
    } else {
      real = typeof signal.aborted === "boolean" && typeof signal.addEventListener === "function";
    }
  } catch {
    real = false;
  }
  if (!real) throw invalidArgument("options.signal must be an AbortSignal");
  return signal;
}

/** The `onProgress` of an options object: undefined, or a function. */
export function callbackOf(options, key = "onProgress") {
  const callback = member(options, key);
  if (callback === undefined || callback === null) return undefined;
  if (typeof callback !== "function") throw invalidArgument(`options.${key} must be a function`);
  return callback;
}
