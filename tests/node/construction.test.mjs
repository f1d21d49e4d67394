// `new KatapultClient(config)` throws for a bad config even in a browser
// before the module has loaded (API.md, Construction): there the entry
// checks the config in JavaScript (configProblem in src/js/config-check.js), and
// that check must answer as the module's own (Config::parse), message for
// message. Both run here on generated configs; then the browser entry,
// whose module has not loaded, throws on construction.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { repo } from "./mock.mjs";

const require = createRequire(import.meta.url);
const pkg = require("katapult-wasm");
// The module's check, through the package; the browser entry's JavaScript
// check, from its source (the same file the browser bundle is built from).
const glue = { ...pkg.__internals, ...(await import("../../src/js/config-check.js")) };

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PREFIXES = ["http://", "https://", "HTTPS://", "hTtP://", "ftp://", "", "http:/", "https//"];
const AUTHORITIES = ["", "api.katapult.io", "127.0.0.1:8080", "host:", "host:8a", "[::1]:8080", "h::", ":", ":80", "a@b", "user:pw@host", "例え.jp", "HOST"];
const PATHS = ["", "/", "//", "/core/v1", "/core/v1/", "/x?y=1", "/#top", " /x", "/\u00a0", "/\u0085", "/\ufeff", "\t", "/\u2028", "/é"];
const TOKENS = ["demo-token", "", " ", "a b", "tok\n", "é", "\u007f", "~!#$%", "x".repeat(300)];
const NUMBERS = [0, -0, 1, 1.5, -1, 10, 11, 30000, 2147483647, 2147483648, 1e300, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER];
const KEYS = ["token", "baseUrl", "timeoutMs", "maxRetries", "signal", "onProgress", "tokens", "a", "Z", "é", "\u0000", '"', "\\", "\u{1f600}", "\uffff"];

function value(r, depth = 0) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  switch (Math.floor(r() * 12)) {
    case 0: return pick(PREFIXES) + pick(AUTHORITIES) + pick(PATHS);
    case 1: return pick(TOKENS);
    case 2: return pick(NUMBERS);
    case 3: return pick([true, false, null, undefined]);
    case 4: return () => "token";
    case 5: return pick([Symbol("s"), 10n, new Date(0), new Number(5), new String("ab")]);
    case 6: return depth > 14 ? null : [value(r, depth + 1), value(r, depth + 1)];
    case 7: return depth > 14 ? {} : { [pick(KEYS)]: value(r, depth + 1) };
    case 8: { // nested deep enough to be refused
      let v = "x";
      for (let i = 0; i < 10 + Math.floor(r() * 6); i++) v = [v];
      return v;
    }
    default: return pick(TOKENS.concat(PREFIXES.map((p) => p + pick(AUTHORITIES) + pick(PATHS))));
  }
}

function config(r) {
  const roll = r();
  if (roll < 0.04) return value(r); // not an object at all, sometimes
  const c = {};
  if (r() < 0.8) c.token = r() < 0.6 ? "demo-token" : value(r);
  if (r() < 0.6) c.baseUrl = r() < 0.7 ? PREFIXES[Math.floor(r() * 3)] + AUTHORITIES[Math.floor(r() * AUTHORITIES.length)] + PATHS[Math.floor(r() * PATHS.length)] : value(r);
  if (r() < 0.4) c.timeoutMs = r() < 0.6 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : value(r);
  if (r() < 0.4) c.maxRetries = r() < 0.6 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : value(r);
  while (r() < 0.2) c[KEYS[Math.floor(r() * KEYS.length)]] = value(r);
  return c;
}

/** What the module says of a config: null, or its error's message. */
function moduleSays(c, isPublic = false) {
  try {
    glue.checkConfig(c, isPublic);
    return null;
  } catch (e) {
    assert.ok(e instanceof pkg.KatapultError, `a KatapultError, not ${e}`);
    assert.equal(e.code, "invalid_argument");
    return e.message;
  }
}

test("the JavaScript config check answers as the module's, on 20,000 generated configs", async () => {
  await pkg.ready();
  const r = random(0x5eed);
  const seen = { ok: 0, refused: new Set() };
  for (let i = 0; i < 20_000; i++) {
    const c = config(r);
    const expected = moduleSays(c);
    let actual;
    try {
      actual = glue.configProblem(c);
    } catch (e) {
      assert.fail(`configProblem threw ${e} for case ${i}`);
    }
    assert.equal(actual, expected, `case ${i}: ${String(Object.entries(c ?? {}).map(([k, v]) => `${k}=${typeof v === "string" ? JSON.stringify(v) : typeof v}`))}`);
    if (expected === null) seen.ok++;
    else seen.refused.add(expected.replace(/".*"|\d+/g, "…"));
  }
  // The generator reaches both answers and every kind of refusal.
  assert.ok(seen.ok > 1000, `${seen.ok} accepted configs`);
  assert.ok(seen.refused.size >= 15, `${seen.refused.size} kinds of refusal: ${[...seen.refused].join(" | ")}`);
});

test("KatapultPublicClient's config: the JavaScript check answers as the module's, on 20,000 generated configs", async () => {
  await pkg.ready();
  const r = random(0x9ab1c);
  const seen = { ok: 0, refused: new Set() };
  for (let i = 0; i < 20_000; i++) {
    // Most without a token (the Public API takes none), some with one.
    const c = config(r);
    if (c !== null && typeof c === "object" && r() < 0.85) delete c.token;
    const expected = moduleSays(c, true);
    assert.equal(glue.configProblem(c, true), expected, `case ${i}`);
    if (expected === null) seen.ok++;
    else seen.refused.add(expected.replace(/".*"|\d+/g, "…"));
  }
  assert.ok(seen.ok > 1000, `${seen.ok} accepted configs`);
  assert.ok([...seen.refused].some((m) => m.startsWith("KatapultPublicClient takes no token")), "a token is refused");
  assert.ok(seen.refused.size >= 12, `${seen.refused.size} kinds of refusal: ${[...seen.refused].join(" | ")}`);
  for (const good of [undefined, null, {}, { baseUrl: "http://127.0.0.1:8080/public/v1/" }]) {
    assert.equal(glue.configProblem(good, true), null);
    assert.equal(moduleSays(good, true), null);
  }
});

test("the cases API.md names, one by one", () => {
  const cases = [
    [undefined, /^KatapultClient needs a config object/],
    [{}, /^config\.token is required/],
    [{ token: "" }, /^config\.token is required/],
    [{ token: 5 }, /^config\.token must be a string or a function, got a number$/],
    [{ token: "t", baseUrl: "ftp://x" }, /^config\.baseUrl must start with http/],
    [{ token: "t", baseUrl: "https://" }, /^config\.baseUrl must name a host$/],
    [{ token: "t", baseUrl: "https://a b" }, /^config\.baseUrl must not contain whitespace$/],
    [{ token: "t", timeoutMs: 0 }, /^config\.timeoutMs must be a whole number from 1 to 2147483647$/],
    [{ token: "t", maxRetries: 11 }, /^config\.maxRetries must be a whole number from 0 to 10$/],
    [{ token: "t", tokn: 1 }, /^config has an unknown key "tokn"/],
  ];
  for (const [c, message] of cases) {
    assert.match(glue.configProblem(c), message);
    assert.match(moduleSays(c), message);
  }
  for (const good of [{ token: "t" }, { token: () => "t", baseUrl: "http://127.0.0.1:8080/core/v1/" }, { token: "t", timeoutMs: 1, maxRetries: 0 }]) {
    assert.equal(glue.configProblem(good), null);
    assert.equal(moduleSays(good), null);
  }
});

test("before the module has loaded, as in a browser, a bad config throws on construction", async () => {
  // The browser entry in Node: its module is fetched by URL, which Node's
  // fetch cannot do for a file, so it never loads.
  const browser = await import(pathToFileURL(path.join(repo, "pkg/index.js")).href);
  const Client = browser.KatapultClient;
  assert.throws(() => new Client({ token: "" }), (e) => e instanceof pkg.KatapultError && e.code === "invalid_argument" && /token is required/.test(e.message));
  assert.throws(() => new Client({ token: "t", baseUrl: "nope" }), (e) => e.code === "invalid_argument" && /baseUrl must start/.test(e.message));
  const k = new Client({ token: "t", baseUrl: "http://127.0.0.1:9/core/v1/" });
  assert.equal(k.baseUrl, "http://127.0.0.1:9/core/v1");
  // A call waits for the module, and rejects when it cannot be loaded.
  const e = await k.listOrganizations().catch((error) => error);
  assert.ok(e instanceof pkg.KatapultError && e.code === "network_error", String(e));
  assert.match(e.message, /katapult\.wasm/);
});
