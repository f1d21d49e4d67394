// The demo page's end-to-end harness: the assembled site (www-demo/ + pkg/)
// served by the real katapult-mock on one origin, headless Chromium, and
// the helpers the tests share. A test file calls useDemo() once.
import { before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TOKEN = "demo-token";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
export const XSS_NAME = '<img src=x onerror="window.__xss=1">';

let tmp, mockProcess;
/** The mock's origin, and the browser (a persistent context), once useDemo's hooks ran. */
export let origin, browser;

/** Starts katapult-mock serving the assembled site; resolves with its origin. */
export async function startMock(site) {
  const bin = process.env.KATAPULT_MOCK_BIN ?? path.join(repo, "target/debug/katapult-mock");
  mockProcess = spawn(bin, ["--port", "0", "--static", site, "--task-ms", "600"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("katapult-mock did not start within 20 s")), 20_000);
    mockProcess.once("error", reject);
    mockProcess.once("exit", (code) => reject(new Error(`katapult-mock exited early with ${code}`)));
    createInterface({ input: mockProcess.stdout }).on("line", (line) => {
      const m = /^katapult-mock listening on (http:\/\/\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
}

/** A request to the mock with plain fetch (the API as `demo-token`, or /_mock). */
export async function call(method, p, body) {
  const res = await fetch(`${origin}${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export const api = (method, p, body) => call(method, `/core/v1${p}`, body);
export const vmByFqdn = (fqdn) => api("GET", `/virtual_machines/virtual_machine?virtual_machine[fqdn]=${encodeURIComponent(fqdn)}`);

/** Retries an async assertion until it passes (expect-style polling). */
export async function eventually(fn, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}



/**
 * Opens the page in a new tab (at `path`, default the control panel) and
 * waits for `ready` (default the first table row). Console
 * errors and page errors are collected; `done(allowed)` asserts there were
 * none except the `allowed` ones ({ text, url } exact matches), and that no
 * "Unexpected error" toast (the page's net for uncaught errors) appeared.
 */
export async function openPage(t, { path: at = "/", ready = "#vm-body tr[data-id]" } = {}) {
  const page = await browser.newPage();
  t.after(() => page.close());
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push({ text: m.text(), url: m.location().url });
  });
  page.on("pageerror", (e) => problems.push({ text: `pageerror: ${e.message}`, url: "" }));
  await page.goto(`${origin}${at}`);
  await page.locator(ready).first().waitFor();
  const done = async (allowed = []) => {
    // An allowed problem: { text, url } exactly, or a function of the problem.
    const ok = (a, p) => (typeof a === "function" ? a(p) : a.text === p.text && a.url === p.url);
    const left = problems.filter((p) => !allowed.some((a) => ok(a, p)));
    assert.deepEqual(left, [], "console errors");
    assert.equal(await page.locator(".toast.unexpected").count(), 0, "an uncaught error reached the page's handler");
  };
  return { page, done };
}

/**
 * Records every text the elements matching `selector` show from now on (a
 * MutationObserver in the page), so short-lived progress states are seen
 * however the timing falls. Returns a function that reads the texts.
 */
export async function watchTexts(page, selector) {
  await page.evaluate((sel) => {
    window.__seen ??= {};
    const seen = (window.__seen[sel] = []);
    const grab = () => {
      for (const el of document.querySelectorAll(sel)) {
        const t = el.textContent.trim();
        if (seen.at(-1) !== t) seen.push(t);
      }
    };
    new MutationObserver(grab).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  }, selector);
  return () => page.evaluate((sel) => window.__seen[sel], selector);
}

/** How many rows in the viewport still wait for their state. */
export const loadingOnScreen = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("#vm-body tr[data-id]")].filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight && tr.querySelector(".tone-loading, .skeleton");
    }).length,
  );

/**
 * Text that does not fit, measured in the page as it is now (visible
 * elements only): a box whose text overflows it (scrollWidth beyond
 * clientWidth, or clipped by overflow hidden), unless it is a scroller with
 * a visible scrollbar; a word broken across lines other than after a
 * hyphen, dot or slash (or at a <wbr>: each text node is measured alone);
 * a <select> narrower than its selected option's text.
 */
export const textProblems = (page, scope = "body") =>
  page.evaluate((scopeSelector) => {
    const root = document.querySelector(scopeSelector);
    const problems = new Set();
    const where = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
        parts.unshift(e.id ? `#${e.id}` : `${e.localName}${e.classList.length ? `.${[...e.classList].join(".")}` : ""}`);
        if (e.id) break;
      }
      return parts.join(" > ");
    };
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const hiddenText = (el) => el.closest(".sr-only, script, style, option, select, textarea, input, svg, noscript");
    const scrollerWithBar = (el) => {
      const cs = getComputedStyle(el);
      const x = /auto|scroll/.test(cs.overflowX) && el.offsetHeight - el.clientHeight - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth) > 0;
      return x || el.classList.contains("table-wrap");
    };
    const clips = (cs) => /hidden|clip/.test(cs.overflowX) || /hidden|clip/.test(cs.overflowY);
    // Boxes that hold text: the nearest non-inline ancestor of each text node.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const boxes = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.data.trim() || !el || hiddenText(el) || !visible(el)) continue;
      let box = el;
      while (box.parentElement && /^(inline|contents)$/.test(getComputedStyle(box).display)) box = box.parentElement;
      boxes.add(box);
      // Words broken across lines (a break is fine after - . / and at spaces).
      const range = document.createRange();
      const re = /[^\s\-./]+[\-./]*|[\-./]+/g;
      for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (rects.some((r) => r.top >= rects[0].bottom - 1)) problems.add(`word broken: "${m[0]}" in ${where(el)}`);
      }
    }
    // Each box and the boxes around it: nothing wider than its box, nothing clipped.
    for (const box of boxes) {
      for (let el = box; el && el !== document.documentElement; el = el.parentElement) {
        if (scrollerWithBar(el)) break;
        const cs = getComputedStyle(el);
        const wide = el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0;
        const tall = clips(cs) && el.scrollHeight > el.clientHeight + 1;
        if (wide || tall) {
          problems.add(`${wide ? "too wide" : "clipped"}: ${where(el)} (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}) "${el.textContent.trim().slice(0, 40)}"`);
          break;
        }
      }
    }
    // Selects: at least as wide as the same select showing only its selected option.
    for (const select of root.querySelectorAll("select")) {
      if (!visible(select) || select.selectedIndex < 0) continue;
      const cs = getComputedStyle(select);
      const probe = document.createElement("select");
      for (const p of ["font", "letterSpacing", "paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth", "borderStyle", "boxSizing", "appearance"]) probe.style[p] = cs[p];
      Object.assign(probe.style, { position: "absolute", left: "0", top: "0", width: "auto", minWidth: "0", maxWidth: "none", visibility: "hidden" });
      probe.append(new Option(select.selectedOptions[0].text));
      document.body.append(probe);
      const needs = probe.getBoundingClientRect().width;
      probe.remove();
      const has = select.getBoundingClientRect().width;
      if (has + 0.5 < needs) problems.add(`select too narrow: ${where(select)} "${select.selectedOptions[0].text}" (${Math.round(has)} < ${Math.round(needs)} px)`);
    }
    return [...problems];
  }, scope);

/** The serious and critical violations axe finds in the page now. */
export async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: path.join(repo, "node_modules/axe-core/axe.min.js") });
  }
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

/** The table row of the VM with this exact name. */
export const row = (page, name) => page.locator("#vm-body tr[data-id]").filter({ has: page.getByRole("button", { name, exact: true }) });
export const visibleNames = (page) => page.locator("#vm-body tr[data-id]:not([hidden]) button.name").allTextContents();
export const text = (locator) => locator.textContent().then((s) => s.trim());

/** Opens a VM's details and waits for its facts. */
export async function openVm(page, name) {
  await row(page, name).getByRole("button", { name, exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
}

/** A section of the details pane, opened. */
export async function openSection(page, title) {
  const section = page.locator("details.manage", { has: page.locator("summary", { hasText: title }) });
  await section.locator("summary").click();
  await section.locator(".manage-body > :not(.muted)").first().waitFor();
  return section;
}

/** The build panel's live XML preview (form mode). */
export const preview = (page) => page.getByRole("region", { name: "XML preview" });
export const modeRadio = (page, name) => page.getByRole("radio", { name, exact: true });

/** Clicks a mode of the build panel's spec editor ("Form" or "XML") by its label, as a user would. */
export const clickMode = (page, name) => page.locator("#build .segmented label", { hasText: new RegExp(`^${name}$`) }).click();

/** Switches the build panel to its XML editor (form mode is the default) and waits for it. */
export async function xmlMode(page) {
  await clickMode(page, "XML");
  await page.locator("#spec-xml").waitFor();
  assert.ok(await modeRadio(page, "XML").isChecked());
}

/**
 * Records, in the page, each buildVirtualMachineFromSpec call of the client:
 * what kind of spec it got (a string or an object) and the build it started.
 */
export async function recordBuilds(page) {
  await page.evaluate(async () => {
    const { KatapultClient } = await import("/pkg/index.js");
    const original = KatapultClient.prototype.buildVirtualMachineFromSpec;
    window.__builds = [];
    KatapultClient.prototype.buildVirtualMachineFromSpec = async function (org, spec, options) {
      const res = await original.call(this, org, spec, options);
      window.__builds.push({ kind: typeof spec, id: res.virtual_machine_build.id });
      return res;
    };
  });
  return () => page.evaluate(() => window.__builds);
}

/** Registers the file's hooks: the site and mock, the browser, seeded data for every test. */
export function useDemo() {
  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "katapult-demo-e2e-"));
    const site = path.join(tmp, "site");
    // Its stderr ends up in the error message when it fails (e.g. "pkg/ is not built").
    execFileSync(path.join(repo, "scripts/demo-site.sh"), [site], { cwd: repo, stdio: ["ignore", "ignore", "pipe"] });
    origin = await startMock(site);
    browser = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
    });
  });

  after(async () => {
    await browser?.close();
    if (mockProcess && mockProcess.exitCode === null) {
      const exited = new Promise((r) => mockProcess.once("exit", r));
      mockProcess.kill("SIGTERM");
      await exited;
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  // Every test starts from the seeded data.
  beforeEach(async () => {
    assert.equal((await call("POST", "/_mock/reset")).status, 200);
  });
}
