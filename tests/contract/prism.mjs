// Helpers for the OpenAPI contract tests: start Prism (@stoplight/prism-cli,
// installed from the lockfile) on the Katapult Core API document, and decide
// whether a response shows a contract violation.
//
// How Prism (5.16) reports problems, found by hand against this spec:
//  * mock mode, invalid request (body, query type, content type): it still
//    answers with a response documented in the spec (400, or 422 where the
//    operation documents one; the body is that response's example, e.g.
//    {"code":"missing_api_token",…}) and adds a `sl-violations` header holding
//    a JSON array of {location, severity, code, message};
//  * anything Prism itself refuses (no/invalid bearer token → 401, unknown path
//    → 404, wrong method → 405, unsatisfiable Accept → 406, undocumented
//    `Prefer: code=` → 404, proxy-mode request violation → 422, proxy-mode
//    response violation → 500) is an `application/problem+json` body whose
//    `type` starts with https://stoplight.io/prism/errors# (and no header);
//  * a body that is not valid JSON gets NO answer at all: the connection hangs.
//    `prismFetch` puts a timeout on every request for that reason.
//  * NOT checked by Prism: unknown query parameters, a missing request body
//    (no operation marks its requestBody `required`), extra body properties,
//    a top-level body of the wrong JSON type (the schemas have no "type").
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The repository root (two levels above this file). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The OpenAPI document: $KATAPULT_OPENAPI (relative paths from the repo root),
 *  else the project's own copy, spec/katapult-core-openapi.json. */
export function specPath() {
  return path.resolve(repoRoot, process.env.KATAPULT_OPENAPI ?? "spec/katapult-core-openapi.json");
}

export function specExists() {
  return existsSync(specPath());
}

/** The Prism CLI entry point of the locally installed prism (node_modules/.bin/prism). */
export function prismBin() {
  const bin = path.join(repoRoot, "node_modules", ".bin", "prism");
  if (!existsSync(bin)) {
    throw new Error(`Prism is not installed (${bin} is missing): run \`npm ci\` in ${repoRoot}`);
  }
  return realpathSync(bin); // a JS file with a node shebang; run it with this node
}

const PRISM_ERROR = "https://stoplight.io/prism/errors#";
// Preloaded into Prism's node: exit when our end of its stdin closes, i.e.
// when this process dies, even by SIGKILL (Prism never reads stdin itself).
const ORPHAN_GUARD = "data:text/javascript,process.stdin.on('end',()=>process.exit(0));process.stdin.on('error',()=>process.exit(0));process.stdin.resume();";
const ANSI = /\x1b\[[0-9;]*m/g;
const LOG_LINES = 200;
const live = new Set();

function killAll() {
  for (const child of live) {
    try { child.kill("SIGKILL"); } catch { /* already gone */ }
  }
  live.clear();
}
process.once("exit", killAll);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  // Kill the children, then die of the same signal as we would have.
  process.once(sig, () => { killAll(); process.kill(process.pid, sig); });
}

/**
 * Starts `prism mock` (or `prism proxy` when `upstream` is given) and resolves
 * once it listens.
 * @param {object} [o]
 * @param {string} [o.spec] the OpenAPI document (default: specPath())
 * @param {number} [o.port] 0 = any free port
 * @param {boolean} [o.dynamic] -d: random schema-conforming responses
 * @param {boolean} [o.errors] --errors (in proxy mode: response violations → 500)
 * @param {string|number} [o.seed] --seed, to make dynamic responses repeatable
 * @param {string} [o.upstream] run `prism proxy SPEC UPSTREAM` instead of mock
 * @param {string[]} [o.args] extra CLI arguments
 * @param {number} [o.timeoutMs] how long to wait for "listening" (default 60 s)
 * @returns {Promise<{ url: string, pid: number, logs(): string, stop(): Promise<void> }>}
 *   url is the base URL to give the client (no /core/v1: Prism serves the
 *   spec's paths at the root).
 */
export async function startPrism({
  spec = specPath(), port = 0, dynamic = false, errors = true, seed, upstream, args = [],
  host = "127.0.0.1", timeoutMs = 60_000,
} = {}) {
  if (!existsSync(spec)) throw new Error(`OpenAPI document not found: ${spec}`);
  const argv = [prismBin(), upstream ? "proxy" : "mock", spec];
  if (upstream) argv.push(upstream);
  argv.push("--host", host, "--port", String(port));
  if (dynamic) argv.push("--dynamic");
  if (errors) argv.push("--errors");
  if (seed !== undefined) argv.push("--seed", String(seed));
  argv.push(...args);

  const child = spawn(process.execPath, ["--import", ORPHAN_GUARD, ...argv], {
    cwd: repoRoot,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", SCARF_ANALYTICS: "false" },
  });
  live.add(child);
  const lines = [];
  const keep = (line) => {
    lines.push(line.replace(ANSI, ""));
    if (lines.length > LOG_LINES) lines.shift();
  };
  const logs = () => lines.join("\n");
  let exited = null;
  const exit = new Promise((resolve) => child.once("exit", (code, signal) => {
    exited = { code, signal };
    live.delete(child);
    resolve(exited);
  }));
  // Always drain both pipes (Prism logs every request; a full pipe would block it).
  createInterface({ input: child.stderr }).on("line", keep);
  const stdout = createInterface({ input: child.stdout });

  const url = await new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`Prism ${why}\n  command: ${argv.join(" ")}\n  last output:\n${logs().split("\n").slice(-30).join("\n")}`));
    };
    const timer = setTimeout(() => fail(`did not start listening within ${timeoutMs} ms`), timeoutMs);
    child.once("error", (e) => fail(`could not be spawned: ${e.message}`));
    exit.then(({ code, signal }) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    stdout.on("line", (raw) => {
      keep(raw);
      const m = /Prism is listening on (https?:\/\/\S+)/.exec(raw.replace(ANSI, ""));
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/+$/, "")); }
    });
  });

  return {
    url,
    pid: child.pid,
    logs,
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exit;
      clearTimeout(t);
    },
  };
}

/**
 * fetch with a deadline: Prism never answers a body that is not valid JSON,
 * so a request must not be able to hang a test.
 */
export async function prismFetch(url, init = {}, timeoutMs = 10_000) {
  try {
    return await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    if (e?.name === "TimeoutError") {
      throw new Error(`${init.method ?? "GET"} ${url}: no answer from Prism within ${timeoutMs} ms `
        + "(Prism does not answer a request body that is not valid JSON)");
    }
    throw e;
  }
}

/**
 * The contract violations a Prism response shows: the `sl-violations` header
 * entries, plus Prism's own error (problem+json with a stoplight.io type) as
 * one entry with code = the error name (UNAUTHORIZED, NO_PATH_MATCHED_ERROR,
 * NO_METHOD_MATCHED_ERROR, NOT_ACCEPTABLE, UNPROCESSABLE_ENTITY, VIOLATIONS, …).
 * Reads a clone, so the caller can still read the body.
 * @returns {Promise<Array<{location?: string[], severity?: string, code: string|number, message: string}>>}
 */
export async function violations(res) {
  const out = [];
  const header = res.headers.get("sl-violations");
  if (header) {
    try {
      const parsed = JSON.parse(header);
      out.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    } catch {
      out.push({ code: "unparsable-sl-violations", message: header });
    }
  }
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("problem+json")) {
    let body = null;
    try { body = await res.clone().json(); } catch { /* not JSON */ }
    if (typeof body?.type === "string" && body.type.startsWith(PRISM_ERROR)) {
      out.push({
        location: ["prism"],
        severity: "Error",
        code: body.type.slice(PRISM_ERROR.length),
        message: `${body.status} ${body.title}: ${body.detail}`,
      });
      for (const v of body.validation ?? []) {
        if (!out.some((o) => o.message === v.message)) out.push(v);
      }
    }
  }
  return out;
}

/** Formats violations for an assertion message. */
export function describeViolations(list) {
  return list.map((v) => `  - [${v.severity ?? "?"}] ${(v.location ?? []).join(".")} ${v.code}: ${v.message}`).join("\n");
}

/**
 * Throws unless Prism found nothing wrong with the request behind `res`
 * (no sl-violations, no Prism-generated error).
 * @param {Response} res
 * @param {string} [what] e.g. "GET /organizations", for the message
 */
export async function assertNoViolations(res, what = res.url) {
  const list = await violations(res);
  if (list.length) {
    const err = new Error(`${what}: Prism reported ${list.length} contract violation(s) (HTTP ${res.status}):\n${describeViolations(list)}`);
    err.violations = list;
    throw err;
  }
  return res;
}

/** Throws unless Prism DID flag the request; returns the violations. */
export async function assertViolations(res, what = res.url) {
  const list = await violations(res);
  if (!list.length) throw new Error(`${what}: expected Prism to report a contract violation, got HTTP ${res.status} with none`);
  return list;
}
