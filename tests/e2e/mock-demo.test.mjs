// The demo on the bundled mock, as a person sees it: what the mock seeds
// and serves must make sense in the page (a backup's next run is ahead,
// the console opens a page of the mock's own rather than an error page).
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openVm, openSection, openPage, api, vmByFqdn, row, text, origin, browser, XSS_NAME } from "./harness.mjs";

useDemo();

test("a seeded backup policy's next run is ahead of now, in the API and in the page", async (t) => {
  const vm = (await vmByFqdn("db-1.acme.katapult.cloud")).body.virtual_machine;
  const { body } = await api("GET", `/virtual_machines/virtual_machine/disk_backup_policies?virtual_machine[id]=${vm.id}`);
  assert.equal(body.disk_backup_policies.length, 1, "db-1 has its seeded policy");
  const next = body.disk_backup_policies[0].schedule.next_invocation_at;
  assert.ok(next * 1000 > Date.now(), `next_invocation_at ${new Date(next * 1000).toISOString()} is after now`);

  const { page, done } = await openPage(t);
  await openVm(page, "db-1");
  const section = await openSection(page, "Backup policies");
  const shown = await text(section.locator("li.policy > span:first-child").first());
  const m = /, next (.+)$/.exec(shown);
  assert.ok(m, `the policy shows its next run: ${JSON.stringify(shown)}`);
  // Parsed in the page, in the page's own time zone and clock.
  const ahead = await page.evaluate((s) => {
    const at = Date.parse(s.replace(/[\u202f\u00a0]/g, " "));
    return { at, now: Date.now() };
  }, m[1]);
  assert.ok(Number.isFinite(ahead.at), `the shown date parses: ${m[1]}`);
  assert.ok(ahead.at > ahead.now, `the shown next run (${m[1]}) is after now`);
  await done();
});

/** Clicks "Open console" in the VM's Console section; resolves with the tab it opens. */
async function openConsole(page, name) {
  await openVm(page, name);
  const section = await openSection(page, "Console");
  const [tab] = await Promise.all([browser.waitForEvent("page"), section.getByRole("button", { name: "Open console" }).click()]);
  await tab.waitForLoadState("domcontentloaded");
  return { section, tab };
}

test("the console opens the mock's own console page, on the mock's origin, naming the VM", async (t) => {
  const { page, done } = await openPage(t);
  const { section, tab } = await openConsole(page, "web-1");
  t.after(() => tab.close());
  const href = await section.getByRole("link", { name: "Open the console of web-1" }).getAttribute("href");
  assert.equal(tab.url(), href, "the new tab shows the session's address");
  assert.equal(new URL(href).origin, origin, "the console is served by the mock itself");

  const res = await fetch(href);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  const html = await res.text();
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i, "no external resources");
  assert.match(await tab.title(), /web-1/);
  assert.match(await text(tab.locator("body")), /console of web-1/i);
  assert.match(await text(tab.locator("body")), /web-1\.acme\.katapult\.cloud/);
  await done();
});

test("the console page shows a VM's name as text, and an unknown session says so", async (t) => {
  const vm = (await vmByFqdn("web-2.acme.katapult.cloud")).body.virtual_machine;
  const renamed = await api("PATCH", "/virtual_machines/virtual_machine", { virtual_machine: { id: vm.id }, properties: { name: XSS_NAME } });
  assert.equal(renamed.status, 200);
  const session = await api("POST", "/virtual_machines/virtual_machine/console_sessions", { virtual_machine: { id: vm.id } });
  assert.equal(session.status, 201);
  const { url } = session.body.console_session;
  assert.equal(new URL(url).origin, origin);

  const tab = await browser.newPage();
  t.after(() => tab.close());
  const res = await tab.goto(url);
  assert.equal(res.status(), 200);
  assert.equal(await text(tab.locator("h1")), `Console of ${XSS_NAME}`, "the name, as typed");
  assert.equal(await tab.title(), `Console of ${XSS_NAME} · katapult-mock`);
  assert.equal(await tab.locator("img").count(), 0);
  assert.equal(await tab.evaluate(() => window.__xss), undefined);

  const unknown = await fetch(`${new URL(url).origin}${new URL(url).pathname.replace(/[^/]+$/, "cons_nothing")}`);
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /no console session/i);
});
