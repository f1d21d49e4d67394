// The checks of `new KatapultClient(config)` in JavaScript: Config::parse
// in src/config.rs over the config as src/js/encode.js writes it, for
// browsers before the module has loaded, so that a bad config still throws
// on construction as API.md says (only the browser entry has it: in Node
// the module loads at once). tests/node/construction.test.mjs holds the two
// to the same answer, message for message, on generated configs.
import { toJson } from "./encode.js";
import { NO_TOKEN, OWN_KEYS, kind, wholeProblem } from "./config.js";

const CONFIG_KEYS = ["token", "baseUrl", "timeoutMs", "maxRetries", "maxResponseBytes", ...OWN_KEYS];
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

/** What the module would be refused as data (encode.js's rules): the problem, or null. */
function dataProblem(value) {
  try {
    toJson(value, "config");
    return null;
  } catch (e) {
    return e.message;
  }
}

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

/**
 * The message `new KatapultClient(config)` throws for this config, or null;
 * with `isPublic`, `new KatapultPublicClient(config)` (no token, none needed).
 */
export function configProblem(config, isPublic = false) {
  if (isPublic) {
    if (config !== null && typeof config === "object" && config.token != null) return NO_TOKEN;
    config ??= {};
  }
  const tokenFunction = config !== null && typeof config === "object" && typeof config.token === "function";
  let data = config;
  if (config !== null && typeof config === "object" && !Array.isArray(config)) {
    // The token function and what config.js reads itself are not data.
    data = Object.assign({}, config);
    if (tokenFunction) delete data.token;
    for (const k of OWN_KEYS) delete data[k];
  }
  const problem = dataProblem(data);
  if (problem) return problem;
  if (data === null || data === undefined) return "KatapultClient needs a config object: new KatapultClient({ token })";
  if (typeof data !== "object" || Array.isArray(data)) return `config must be an object, got ${kind(data)}`;
  // A member set to undefined is one not given, but signal and onProgress count as given.
  const given = Object.keys(data).filter((k) => data[k] !== undefined || k === "signal" || k === "onProgress");
  const keys = isPublic ? CONFIG_KEYS.slice(1) : CONFIG_KEYS;
  const unknown = given.filter((k) => !keys.includes(k)).sort(byBytes)[0];
  if (unknown !== undefined) return `config has an unknown key ${quote(unknown)}; allowed: ${keys.join(", ")}`;
  const value = (k) => (data[k] === undefined ? null : data[k]);
  const token = value("token");
  if (!tokenFunction && !isPublic) {
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
  return wholeProblem(value("timeoutMs"), "config.timeoutMs", 1, 2147483647)
    ?? wholeProblem(value("maxRetries"), "config.maxRetries", 0, 10)
    ?? wholeProblem(value("maxResponseBytes"), "config.maxResponseBytes", 1, 1073741824);
}

