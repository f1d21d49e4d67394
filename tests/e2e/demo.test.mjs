// End-to-end test of the demo page (www-demo/ + pkg/) in headless Chromium,
// served by the real katapult-mock on one origin: the seeded table, filters
// and paging, a power action with progress, delete + Undo, a build from the
// XML editor and from the form (live preview, switching modes), a bad token,
// token storage, and that API and user strings never become markup.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TOKEN = "demo-token";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const XSS_NAME = '<img src=x onerror="window.__xss=1">';

let tmp, mockProcess, origin, browser;

/** Starts katapult-mock serving the assembled site; resolves with its origin. */
async function startMock(site) {
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
async function call(method, p, body) {
  const res = await fetch(`${origin}${p}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const api = (method, p, body) => call(method, `/core/v1${p}`, body);
const vmByFqdn = (fqdn) => api("GET", `/virtual_machines/virtual_machine?virtual_machine[fqdn]=${encodeURIComponent(fqdn)}`);

/** Retries an async assertion until it passes (expect-style polling). */
async function eventually(fn, timeoutMs = 10_000) {
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

/**
 * Opens the page in a new tab and waits for the first table row. Console
 * errors and page errors are collected; `done(allowed)` asserts there were
 * none except the `allowed` ones ({ text, url } exact matches), and that no
 * "Unexpected error" toast (the page's net for uncaught errors) appeared.
 */
async function openPage(t) {
  const page = await browser.newPage();
  t.after(() => page.close());
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push({ text: m.text(), url: m.location().url });
  });
  page.on("pageerror", (e) => problems.push({ text: `pageerror: ${e.message}`, url: "" }));
  await page.goto(`${origin}/`);
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  const done = async (allowed = []) => {
    const left = problems.filter((p) => !allowed.some((a) => a.text === p.text && a.url === p.url));
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
async function watchTexts(page, selector) {
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
const loadingOnScreen = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("#vm-body tr[data-id]")].filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.bottom > 0 && r.top < innerHeight && tr.querySelector(".tone-loading, .skeleton");
    }).length,
  );

/** The table row of the VM with this exact name. */
const row = (page, name) => page.locator("#vm-body tr[data-id]").filter({ has: page.getByRole("button", { name, exact: true }) });
const visibleNames = (page) => page.locator("#vm-body tr[data-id]:not([hidden]) button.name").allTextContents();
const text = (locator) => locator.textContent().then((s) => s.trim());

/** The build panel's live XML preview (form mode). */
const preview = (page) => page.getByRole("region", { name: "XML preview" });
const modeRadio = (page, name) => page.getByRole("radio", { name, exact: true });

/** Clicks a mode of the build panel's spec editor ("Form" or "XML") by its label, as a user would. */
const clickMode = (page, name) => page.locator("#build .segmented label", { hasText: new RegExp(`^${name}$`) }).click();

/** Switches the build panel to its XML editor (form mode is the default) and waits for it. */
async function xmlMode(page) {
  await clickMode(page, "XML");
  await page.locator("#spec-xml").waitFor();
  assert.ok(await modeRadio(page, "XML").isChecked());
}

/**
 * Records, in the page, each buildVirtualMachineFromSpec call of the client:
 * what kind of spec it got (a string or an object) and the build it started.
 */
async function recordBuilds(page) {
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

test("the table shows acme's 41 seeded VMs with state badges", async (t) => {
  const { page, done } = await openPage(t);
  assert.equal(await page.inputValue("#base-url"), `${origin}/core/v1`);
  assert.equal(await page.inputValue("#token"), TOKEN);
  assert.equal(await page.inputValue("#org-select"), "acme");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), 30);
  const web1 = row(page, "web-1");
  assert.equal(await text(web1.locator("td.fqdn-cell")), "web-1.acme.katapult.cloud");
  await web1.locator(".badge[data-state]").waitFor();
  assert.equal(await text(web1.locator(".badge[data-state]")), "started");
  assert.match(await web1.locator(".badge[data-state]").getAttribute("class"), /tone-ok/);
  await row(page, "web-6").locator('.badge[data-state="stopped"]').waitFor();
  assert.deepEqual(await web1.locator(".annotations-cell .chip").allTextContents(), ["team=web", "env=prod"]);
  assert.match(await text(page.locator("#conn-status")), /^Connected to 127\.0\.0\.1:\d+$/);
  await done();
});

test("the text filter, the annotation filter, paging and load all", async (t) => {
  const { page, done } = await openPage(t);
  await page.selectOption("#per-page", "10");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 5 · 41 virtual machines"));
  assert.equal((await visibleNames(page)).length, 10);
  assert.ok(await page.locator("#prev-page").isDisabled());

  await page.click("#next-page");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 2 of 5 · 41 virtual machines"));
  assert.deepEqual((await visibleNames(page)).slice(0, 3), ["cache-1", "cache-2", "worker-1"]);
  await page.click("#prev-page");
  await eventually(async () => assert.deepEqual((await visibleNames(page)).slice(0, 2), ["web-1", "web-2"]));

  await page.fill("#text-filter", "db-");
  await eventually(async () => assert.deepEqual(await visibleNames(page), ["db-1", "db-2", "db-3", "db-4"]));
  assert.equal(await text(page.locator("#filter-status")), "4 of 10 loaded rows match");
  await page.fill("#text-filter", "");
  await eventually(async () => assert.equal((await visibleNames(page)).length, 10));

  // Server-side: the request carries the annotation, the page shows what the API returns.
  await call("POST", "/_mock/stats/reset");
  await page.fill("#ann-filter", "team=db");
  await page.press("#ann-filter", "Enter");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 1 · 5 virtual machines"));
  assert.deepEqual(await visibleNames(page), ["db-1", "db-2", "db-3", "db-4", "staging-db-1"]);
  const { body: stats } = await call("GET", "/_mock/stats");
  const list = stats.log.find((l) => l.path === "/organizations/organization/virtual_machines");
  assert.match(decodeURIComponent(list.query), /annotations\[\]\[key\]=team&annotations\[\]\[value\]=db/);

  await page.click("#ann-filter-clear");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 5 · 41 virtual machines"));
  await page.click("#load-all");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "All 41 virtual machines"));
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), 41);
  assert.equal(await text(page.locator("#load-progress-text")), "All 41 loaded");
  assert.equal(await page.locator("#load-progress progress").evaluate((p) => [p.value, p.max].join("/")), "41/41");
  assert.ok(await page.locator("#next-page").isDisabled());
  await done();
});

test("shutdown on a started VM shows its progress, then stopped in its row", async (t) => {
  const { page, done } = await openPage(t);
  const web2 = row(page, "web-2");
  await web2.getByRole("button", { name: "web-2", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  const id = await web2.getAttribute("data-id");
  const rowProgress = await watchTexts(page, `#vm-body tr[data-id="${id}"] .row-task`);
  const paneProgress = await watchTexts(page, "#details-task:not([hidden]) #details-task-text");
  await page.getByRole("button", { name: "Shut down", exact: true }).click();
  assert.ok(await page.getByRole("button", { name: "Shut down", exact: true }).isDisabled(), "disabled while its request runs");
  await web2.locator('.badge[data-state="stopped"]').waitFor({ timeout: 15_000 });
  await web2.locator(".row-task").waitFor({ state: "detached" });
  // The task's progress was shown in the row and in the details pane while it ran.
  const inRow = await rowProgress();
  assert.ok(inRow.length > 0 && inRow.every((t) => /^(requesting|pending · \d+%|running · \d+%|completed · 100%)$/.test(t)), inRow.join(" | "));
  assert.ok(inRow.some((t) => /^(pending|running|completed) · \d+%$/.test(t)), inRow.join(" | "));
  const inPane = await paneProgress();
  assert.ok(inPane.some((t) => /^Shutdown virtual machine: (pending|running|completed) · \d+%$/.test(t)), inPane.join(" | "));
  await page.locator(".toast", { hasText: "Shutdown virtual machine — web-2: completed." }).waitFor();
  assert.equal((await vmByFqdn("web-2.acme.katapult.cloud")).body.virtual_machine.state, "stopped");
  // The state makes Shut down pointless now, Start possible.
  assert.ok(await page.getByRole("button", { name: "Shut down", exact: true }).isDisabled());
  assert.ok(await page.getByRole("button", { name: "Start", exact: true }).isEnabled());
  await done();
});

test("delete asks in a dialog, removes the row, and Undo brings it back", async (t) => {
  const { page, done } = await openPage(t);
  const web3 = row(page, "web-3");
  await web3.getByRole("button", { name: "web-3", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  const deleteButton = page.locator('#details-actions button[data-action="delete"]');

  // Escape cancels: nothing is deleted.
  await deleteButton.click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.equal(await text(dialog.locator("h2")), "Delete web-3?");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "confirm-cancel");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), "delete", "focus returns to the opener");
  assert.equal((await vmByFqdn("web-3.acme.katapult.cloud")).status, 200);

  await deleteButton.click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await web3.waitFor({ state: "detached" });
  assert.equal((await vmByFqdn("web-3.acme.katapult.cloud")).body.error.code, "object_in_trash");
  assert.equal(await text(page.locator("#trash-list li strong")), "web-3");

  await page.locator(".toast").getByRole("button", { name: "Undo" }).click();
  await web3.locator('.badge[data-state="started"]').waitFor();
  assert.equal((await vmByFqdn("web-3.acme.katapult.cloud")).status, 200);
  assert.ok(await page.locator("#trash").isHidden());
  await done();
});

test("the build panel builds a VM from XML that then appears in the table", async (t) => {
  const { page, done } = await openPage(t);
  const builds = await recordBuilds(page);
  await xmlMode(page);
  await page.fill(
    "#spec-xml",
    `<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <Resources><Package by="permalink">rock-3</Package></Resources>
  <Hostname><Hostname>e2e-built-1</Hostname></Hostname>
</VirtualMachineSpec>`,
  );
  await page.getByRole("textbox", { name: "Annotation 1 key" }).fill("team");
  await page.getByRole("textbox", { name: "Annotation 1 value" }).fill("e2e");
  const progress = await watchTexts(page, "#build-progress-text");
  await page.click("#build-btn");
  const built = row(page, "e2e-built-1");
  await built.waitFor({ timeout: 15_000 });
  const seen = await progress();
  assert.equal(seen[0], "Submitting the spec…");
  assert.ok(seen.some((t) => /^Building e2e-built-1: (pending|building|running|completed)/.test(t)), seen.join(" | "));
  assert.equal(seen.at(-1), "Built e2e-built-1.acme.katapult.cloud: complete");
  await built.locator('.badge[data-state="started"]').waitFor();
  assert.deepEqual(await built.locator(".annotations-cell .chip").allTextContents(), ["team=e2e"]);
  assert.equal(await text(page.locator("#page-info")), "Page 2 of 2 · 42 virtual machines");
  assert.equal(await text(page.locator("#details-title")), "e2e-built-1");
  assert.deepEqual((await builds()).map((b) => b.kind), ["string"], "XML mode sends the text as it is");
  await done();
});

test("a build error shows its code and the API's messages inline", async (t) => {
  const { page, done } = await openPage(t);
  await xmlMode(page);
  await page.fill("#spec-xml", '<VirtualMachineSpec><DataCenter by="permalink">nowhere</DataCenter></VirtualMachineSpec>');
  await page.click("#build-btn");
  const error = page.locator("#build-error");
  await error.waitFor();
  assert.equal(await text(error.locator(".error-code")), "validation_error");
  assert.ok((await error.locator("li").allTextContents()).includes("Data center 'nowhere' could not be found"));
  await done([{ text: "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)", url: `${origin}/core/v1/organizations/organization/virtual_machines/build_from_spec` }]);
});

test("the build form previews its XML live and builds the VM from a spec object", async (t) => {
  const { page, done } = await openPage(t);
  const builds = await recordBuilds(page);
  assert.ok(await modeRadio(page, "Form").isChecked(), "form mode is the default");
  assert.ok(await page.locator("#spec-xml").isHidden());
  // The defaults: data center uk-lon, package rock-3, a made-up hostname.
  await eventually(async () => assert.match(await preview(page).textContent(), /<Hostname>demo-[0-9a-f]{4}<\/Hostname>/));
  assert.equal(await page.inputValue("#spec-dc"), "uk-lon");

  await page.getByLabel("Hostname", { exact: true }).fill("e2e-form-1");
  await page.getByLabel("Name (optional)").fill("E2E form 1");
  await page.getByLabel("Package (permalink)").fill("rock-6");
  await page.getByLabel("Tags").fill("web, e2e ,");
  await page.getByLabel("IP address").selectOption({ label: "New IPv4 address" });
  await page.getByLabel("SSH public keys (optional)").fill("ssh-ed25519 AAAAC3Nza e2e@test\n\n");
  await page.getByLabel("All users' keys").check();
  const xml = await eventually(async () => {
    const xml = await preview(page).textContent();
    for (const part of [
      '<DataCenter by="permalink">uk-lon</DataCenter>',
      '<Package by="permalink">rock-6</Package>',
      '<IPAddressAllocation type="new">\n        <Version>4</Version>\n      </IPAddressAllocation>',
      "<Hostname>e2e-form-1</Hostname>",
      "<Name>E2E form 1</Name>",
      "<Tags>\n    <Tag>web</Tag>\n    <Tag>e2e</Tag>\n  </Tags>",
      '<Users all="yes"></Users>',
      "<SSHKey>ssh-ed25519 AAAAC3Nza e2e@test</SSHKey>",
    ]) {
      assert.ok(xml.includes(part), `${part} in\n${xml}`);
    }
    assert.equal((xml.match(/<SSHKey>/g) ?? []).length, 1, "blank lines are no keys");
    assert.ok(!xml.includes("<Network by="), "no network given");
    return xml;
  });
  assert.ok(!(await preview(page).evaluate((el) => el.classList.contains("is-error"))));

  const progress = await watchTexts(page, "#build-progress-text");
  await page.click("#build-btn");
  const built = row(page, "E2E form 1");
  await built.waitFor({ timeout: 15_000 });
  const seen = await progress();
  assert.equal(seen[0], "Submitting the spec…");
  assert.ok(seen.some((t) => /^Building e2e-form-1: (pending|building|running|completed)/.test(t)), seen.join(" | "));
  assert.equal(seen.at(-1), "Built e2e-form-1.acme.katapult.cloud: complete");
  await built.locator('.badge[data-state="started"]').waitFor();
  assert.equal(await text(built.locator("td.fqdn-cell .host")), "e2e-form-1");
  assert.equal(await text(built.locator("td").nth(4)), "Rock 6");
  assert.deepEqual(await built.locator(".annotations-cell .chip").allTextContents(), ["team=demo"]);

  // The client got the spec object, and the API got exactly the XML the preview showed.
  const calls = await builds();
  assert.deepEqual(calls.map((b) => b.kind), ["object"]);
  const { body } = await api("GET", `/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=${calls[0].id}`);
  assert.equal(body.virtual_machine_build.spec_xml, xml);
  // The user chose the hostname, so it stays for the next build.
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-form-1");
  await done();
});

test("a form left with the example hostname gets a fresh one after a build", async (t) => {
  const { page, done } = await openPage(t);
  const hostname = await page.inputValue("#spec-hostname");
  assert.match(hostname, /^demo-[0-9a-f]{4}$/);
  await eventually(async () => assert.ok((await preview(page).textContent()).includes(`<Hostname>${hostname}</Hostname>`)));
  await page.click("#build-btn");
  await row(page, hostname).waitFor({ timeout: 15_000 });
  await eventually(async () => assert.equal(await text(page.locator("#build-progress-text")), `Built ${hostname}.acme.katapult.cloud: complete`));
  const next = await page.inputValue("#spec-hostname");
  assert.match(next, /^demo-[0-9a-f]{4}$/);
  assert.notEqual(next, hostname);
  assert.ok((await preview(page).textContent()).includes(`<Hostname>${next}</Hostname>`));
  await done();
});

test("the form shows builder errors in the preview, and Form ⇄ XML round-trips without losing anything", async (t) => {
  const { page, done } = await openPage(t);
  const message = page.locator("#spec-mode-msg");
  await eventually(async () => assert.match(await preview(page).textContent(), /<VirtualMachineSpec>/));

  // Memory 0: the builder's error (naming the path) replaces the XML.
  await page.getByLabel("Memory and CPU cores").check();
  assert.ok(await page.getByLabel("Package (permalink)").isHidden());
  await page.getByLabel("Memory (GB)").fill("0");
  await page.getByLabel("CPU cores", { exact: true }).fill("2");
  await eventually(async () => assert.match(await preview(page).textContent(), /^Cannot make the XML: spec\.resources\.memory must be/));
  assert.ok(await preview(page).evaluate((el) => el.classList.contains("is-error")));
  assert.ok(!(await preview(page).textContent()).includes("<VirtualMachineSpec>"));
  // …and there is no XML to switch to: the form stays, saying why.
  await clickMode(page, "XML");
  await message.waitFor();
  assert.match(await text(message), /resources\.memory/);
  assert.ok(await modeRadio(page, "Form").isChecked());
  assert.ok(await page.locator("#spec-xml").isHidden());

  await page.getByLabel("Memory (GB)").fill("4");
  await message.waitFor({ state: "hidden" }); // editing the form to fix it retires the message
  const formXml = await eventually(async () => {
    const xml = await preview(page).textContent();
    assert.ok(xml.includes("<Resources>\n    <Memory>4</Memory>\n    <CPUCores>2</CPUCores>\n  </Resources>"), xml);
    return xml;
  });
  assert.ok(!(await preview(page).evaluate((el) => el.classList.contains("is-error"))));

  // Form → XML by keyboard: the textarea gets the very XML of the preview.
  await page.focus("#spec-mode-form");
  await page.keyboard.press("ArrowRight");
  await page.locator("#spec-xml").waitFor();
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.ok(await page.locator("#spec-form-pane").isHidden());
  assert.equal(await page.inputValue("#spec-xml"), formXml);

  // Edit the hostname in the XML; XML → form shows it (and keeps the rest).
  const edited = formXml.replace(/<Hostname>demo-[0-9a-f]{4}<\/Hostname>/, "<Hostname>e2e-edited</Hostname>");
  assert.notEqual(edited, formXml);
  await page.fill("#spec-xml", edited);
  await clickMode(page, "Form");
  await page.locator("#spec-form-pane").waitFor();
  assert.ok(await modeRadio(page, "Form").isChecked());
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-edited");
  assert.ok(await page.getByLabel("Memory and CPU cores").isChecked());
  assert.equal(await page.inputValue("#spec-memory"), "4");
  assert.equal(await page.inputValue("#spec-cpu"), "2");
  await eventually(async () => assert.equal(await preview(page).textContent(), edited));

  // A document the form cannot show stays in XML mode, untouched, with the reason.
  await xmlMode(page);
  const withDisks = `<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <SystemDisks><Disk><Name>data</Name><Size>20</Size></Disk></SystemDisks>
  <Hostname><Hostname>e2e-disks</Hostname></Hostname>
</VirtualMachineSpec>`;
  await page.fill("#spec-xml", withDisks);
  await clickMode(page, "Form");
  await message.waitFor();
  assert.match(await text(message), /^This spec uses <SystemDisks>, which the form cannot show/);
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.ok(await page.locator("#spec-form-pane").isHidden());
  assert.equal(await page.inputValue("#spec-xml"), withDisks);
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-edited", "the form is left as it was");

  await page.locator("#spec-xml").press("End");
  await page.keyboard.type(" ");
  await message.waitFor({ state: "hidden" }); // editing the XML retires it

  // So does a document with several interfaces, or one with a comment.
  const twoNics = `<VirtualMachineSpec><NetworkInterfaces><NetworkInterface><Network by="permalink">a</Network></NetworkInterface><NetworkInterface><Network by="permalink">b</Network></NetworkInterface></NetworkInterfaces></VirtualMachineSpec>`;
  await page.fill("#spec-xml", twoNics);
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /several network interfaces/));
  assert.ok(await modeRadio(page, "XML").isChecked());
  await page.fill("#spec-xml", "<VirtualMachineSpec><!-- keep me --><Name>x</Name></VirtualMachineSpec>");
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /XML comments/));
  assert.ok(await modeRadio(page, "XML").isChecked());

  // XML that does not parse: the parser's message, with the line and column.
  await page.fill("#spec-xml", "<VirtualMachineSpec>\n  <Hostname>");
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /^The XML cannot be read: .*\(line \d+, column \d+\)$/));
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.equal(await page.inputValue("#spec-xml"), "<VirtualMachineSpec>\n  <Hostname>");
  await done();
});

test("markup typed into the form or the XML stays text in the preview and messages", async (t) => {
  const { page, done } = await openPage(t);
  await page.getByLabel("Name (optional)").fill(XSS_NAME);
  await eventually(async () =>
    assert.ok((await preview(page).textContent()).includes("<Name>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</Name>")),
  );
  assert.equal(await preview(page).locator("*").count(), 0, "the preview holds only text");

  // An element named like markup: the parser's message names it, as text.
  await xmlMode(page);
  await page.fill("#spec-xml", '<VirtualMachineSpec><img src="x" onerror="window.__xss=1"/></VirtualMachineSpec>');
  await clickMode(page, "Form");
  const message = page.locator("#spec-mode-msg");
  await message.waitFor();
  assert.match(await text(message), /unknown element <img>/);
  assert.equal(await message.locator("*").count(), 0);

  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.locator("main img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await done();
});

test("a wrong token shows invalid_api_token on the page", async (t) => {
  const { page, done } = await openPage(t);
  await page.fill("#token", "not-the-demo-token");
  await page.press("#token", "Enter");
  const error = page.locator("#connect-error");
  await error.waitFor();
  assert.equal(await text(error.locator(".error-code")), "invalid_api_token");
  assert.equal(await text(page.locator("#conn-status")), "Not connected");
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), 0);
  // Chromium logs the 403 of listOrganizations; nothing else may appear.
  await done([{ text: "Failed to load resource: the server responded with a status of 403 (Forbidden)", url: `${origin}/core/v1/organizations` }]);
});

test("live-shaped list: a VM's state is fetched only for rows on screen, each once", async (t) => {
  await call("POST", "/_mock/stats/reset");
  const { page, done } = await openPage(t);
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  await page.waitForTimeout(300); // let any stray request land
  const details = async () =>
    (await call("GET", "/_mock/stats")).body.log.filter((l) => l.method === "GET" && l.path === "/virtual_machines/virtual_machine");
  const onScreen = await page.evaluate(() =>
    [...document.querySelectorAll("#vm-body tr[data-id]")].filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.bottom > -120 && r.top < innerHeight + 120;
    }).length,
  );
  const first = await details();
  assert.ok(first.length > 0 && first.length <= onScreen, `${first.length} detail requests for ${onScreen} rows on screen`);
  assert.ok(first.length < 30, "not one per row of the page");
  // The list itself carries no state: the badges came from those requests.
  const { body } = await api("GET", "/organizations/organization/virtual_machines?organization[sub_domain]=acme");
  assert.ok(body.virtual_machines.every((vm) => !("state" in vm)));
  console.log(`# a page of 30 rows at 1600x1000 cost 1 list + ${first.length} detail requests`);
  // Scrolling on fetches the rest, each row once.
  await page.locator("#vm-body tr[data-id]").last().scrollIntoViewIfNeeded();
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  await page.waitForTimeout(300);
  const ids = (await details()).map((l) => l.query);
  assert.equal(new Set(ids).size, ids.length, "no row fetched twice");
  await done();
});

test("sparse answers render as '—', never as undefined or null", async (t) => {
  const { page, done } = await openPage(t);
  const sparseList = {
    pagination: { current_page: 1, per_page: 30 },
    virtual_machines: [
      { id: "vm_sparse1" },
      { id: "vm_sparse2", name: "only-a-name" },
      { id: "vm_sparse3", zone: { data_center: {} }, package: {}, ip_addresses: [{}] },
      { name: "no-id-at-all" },
    ],
  };
  const raw = (body) => ({ kind: "raw", status: 200, content_type: "application/json", body: JSON.stringify(body) });
  // The first page's own detail requests are done before the sparse answers are queued.
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  await page.waitForTimeout(200);
  await call("POST", "/_mock/faults", { path: "/organizations/organization/virtual_machines", faults: [raw(sparseList)] });
  await call("POST", "/_mock/faults", {
    path: "/virtual_machines/virtual_machine",
    faults: Array.from({ length: 10 }, () => raw({ virtual_machine: { id: "vm_sparse1", zone: {}, package: null }, annotations: [{ key: "k" }] })),
  });
  await page.click("#refresh");
  await row(page, "only-a-name").waitFor();
  await eventually(async () => assert.equal(await page.locator("#vm-body tr[data-id]").count(), 4));
  await page.getByRole("button", { name: "vm_sparse1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  const shown = await page.locator("main").innerText();
  assert.doesNotMatch(shown, /undefined|null|NaN|\[object Object\]/);
  assert.ok((await text(page.locator("#vm-body"))).includes("—"));
  assert.equal(await text(page.locator("#details-title")), "vm_sparse1");
  assert.match(await text(page.locator("#details-content")), /Custom resources/);
  await done();
});

test("when the organizations cannot be listed, a sub-domain can still be typed", async (t) => {
  const { page, done } = await openPage(t);
  // A proxy's error page, a path it does not serve, and no answer at all
  // (the client retries a GET twice and Chromium retries a dropped
  // connection itself, so plenty of drops; what is left is cleared).
  const drops = Array.from({ length: 9 }, () => ({ kind: "drop" }));
  for (const faults of [[{ kind: "html", status: 502 }], [{ kind: "html", status: 404 }], drops]) {
    await call("POST", "/_mock/faults", { path: "/organizations", faults });
    await page.click("#connect-btn");
    await eventually(async () => assert.match(await text(page.locator("#conn-status")), /Type a sub-domain to carry on/), 20_000);
    assert.equal(await page.getByLabel("Sub-domain").isVisible(), true, JSON.stringify(faults));
    assert.equal(await page.locator("#vm-body tr[data-id]").count(), 0, "nothing is open until a sub-domain is given");
    await call("DELETE", "/_mock/faults");
    await page.getByLabel("Sub-domain").fill("acme");
    await page.getByLabel("Sub-domain").press("Enter");
    await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  }
  await done([
    { text: "Failed to load resource: the server responded with a status of 502 (Bad Gateway)", url: `${origin}/core/v1/organizations` },
    { text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: `${origin}/core/v1/organizations` },
    { text: "Failed to load resource: net::ERR_EMPTY_RESPONSE", url: `${origin}/core/v1/organizations` },
  ]);
});

test("the token stays out of localStorage; 'remember for this tab' keeps it in sessionStorage", async (t) => {
  const { page, done } = await openPage(t);
  const storage = (kind) => page.evaluate((k) => JSON.stringify(Object.entries(window[k])), kind);
  assert.ok(!(await storage("localStorage")).includes(TOKEN));
  assert.ok(!(await storage("sessionStorage")).includes(TOKEN));

  await page.check("#remember");
  await page.click("#connect-btn");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  assert.ok((await storage("sessionStorage")).includes(TOKEN));
  assert.ok(!(await storage("localStorage")).includes(TOKEN));

  // A reload in the same tab restores it (and the box stays ticked).
  await page.reload();
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  assert.ok(await page.isChecked("#remember"));
  assert.equal(await page.inputValue("#token"), TOKEN);

  await page.uncheck("#remember");
  assert.ok(!(await storage("sessionStorage")).includes(TOKEN));
  assert.ok(!(await storage("localStorage")).includes(TOKEN));
  await done();
});

test("a VM named like markup renders as text", async (t) => {
  // Create it through the API before the page loads.
  const xml = `<VirtualMachineSpec><Name>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</Name><DataCenter by="permalink">uk-lon</DataCenter><Resources><Package by="permalink">rock-3</Package></Resources><Hostname><Hostname>xss-1</Hostname></Hostname></VirtualMachineSpec>`;
  const created = await api("POST", "/organizations/organization/virtual_machines/build_from_spec", { organization: { sub_domain: "acme" }, xml });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const buildId = created.body.virtual_machine_build.id;
  const build = await eventually(async () => {
    const { body } = await api("GET", `/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=${buildId}`);
    assert.equal(body.virtual_machine_build.state, "complete");
    return body.virtual_machine_build;
  }, 20_000);
  const listed = await api("GET", "/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=100");
  assert.deepEqual(listed.body.virtual_machines.filter((vm) => vm.name === XSS_NAME).map((vm) => vm.id), [build.virtual_machine.id]);

  const { page, done } = await openPage(t);
  await page.click("#load-all");
  const tr = page.locator(`#vm-body tr[data-id="${build.virtual_machine.id}"]`);
  await tr.waitFor();
  assert.equal(await tr.locator("td.name-cell").textContent(), XSS_NAME);
  await tr.locator("button.name").click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  assert.equal(await page.locator("#details-title").textContent(), XSS_NAME);
  await page.locator('#details-actions button[data-action="delete"]').click();
  assert.equal(await page.locator("#confirm-title").textContent(), `Delete ${XSS_NAME}?`);
  await page.keyboard.press("Escape");

  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.locator("main img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await done();
});

test("screenshot: the table with a VM's details, and the build form", async (t) => {
  const { page, done } = await openPage(t);
  await row(page, "web-1").getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  // Rows on screen have their state (rows below the fold are fetched when scrolled to).
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  mkdirSync(path.join(repo, "target"), { recursive: true });
  await page.screenshot({ path: path.join(repo, "target/demo.png") });
  // The build panel in form mode, its preview written by buildSpecXml.
  await page.fill("#spec-hostname", "web-7");
  await page.fill("#spec-tags", "web, production");
  await page.selectOption("#spec-ip", "4");
  await eventually(async () => assert.match(await page.locator("#spec-preview").textContent(), /<Tag>production<\/Tag>/));
  await page.locator("#build").screenshot({ path: path.join(repo, "target/build-form.png") });
  await done();
});
