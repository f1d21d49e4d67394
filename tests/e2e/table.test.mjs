// The VM table: the seeded list with state badges, the filters and paging,
// state fetched only for rows on screen, sparse answers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, call, api, eventually, loadingOnScreen, row, visibleNames, text, watchTexts, TOKEN, origin } from "./harness.mjs";

useDemo();

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

test("search, the annotation filter, paging and load all", async (t) => {
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

  // A search looks at every VM (it loads them all), and gives the pages back when cleared.
  await page.fill("#text-filter", "worker-6");
  await eventually(async () => assert.deepEqual(await visibleNames(page), ["worker-6"]));
  assert.equal(await text(page.locator("#filter-status")), "1 of 41 virtual machines match");
  await page.fill("#text-filter", "db-");
  await eventually(async () => assert.deepEqual(await visibleNames(page), ["db-1", "db-2", "db-3", "db-4"]));
  assert.equal(await text(page.locator("#filter-status")), "4 of 41 virtual machines match");
  await page.fill("#text-filter", "");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 5 · 41 virtual machines"));
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

test("a search matches the start of words and addresses: 'db' finds databases, not 2001:db8::", async (t) => {
  const { page, done } = await openPage(t);
  await page.fill("#text-filter", "db");
  await eventually(async () => assert.equal(await text(page.locator("#filter-status")), "5 of 41 virtual machines match"));
  assert.deepEqual(await visibleNames(page), ["db-1", "db-2", "db-3", "db-4", "staging-db-1"]);
  // Addresses from their start, zones and packages by their words.
  await page.fill("#text-filter", "203.0.113.10");
  await eventually(async () => assert.deepEqual(await visibleNames(page), ["web-1"]));
  await page.fill("#text-filter", "2001:db8:12");
  await eventually(async () => assert.ok((await visibleNames(page)).includes("web-5")));
  const ips = await page.locator("#vm-body tr[data-id]:not([hidden]) td.ips").allTextContents();
  assert.ok(ips.length > 0 && ips.every((t) => t.includes("2001:db8:12:")), ips.join(" | "));
  assert.ok(!(await visibleNames(page)).includes("web-1"), "2001:db8:10::1 does not start with 2001:db8:12");
  await page.fill("#text-filter", "amsterdam rock 12");
  await eventually(async () => assert.ok((await visibleNames(page)).includes("db-3")));
  for (const tr of await page.locator("#vm-body tr[data-id]:not([hidden])").all()) {
    const cells = await tr.locator("td").allTextContents();
    assert.ok(cells[3].startsWith("Amsterdam") && cells[4] === "Rock 12", cells.join(" | "));
  }
  // Words that are one phrase somewhere ("Rock 6") are that phrase, not two
  // words anywhere in the row (a Rock 3 VM named worker-6 is not a match).
  await page.fill("#text-filter", "rock 6");
  await eventually(async () => assert.ok((await visibleNames(page)).length > 0));
  const packages = await page.locator("#vm-body tr[data-id]:not([hidden]) td:nth-child(5)").allTextContents();
  assert.deepEqual([...new Set(packages)], ["Rock 6"], packages.join(" | "));
  await page.fill("#text-filter", "nothing-like-this");
  await eventually(async () => assert.equal(await text(page.locator(".no-match")), "No virtual machine matches “nothing-like-this”."));
  await done();
});

test("the state filter looks at every page: it loads them all, with progress, and says so", async (t) => {
  const { page, done } = await openPage(t);
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  const progress = await watchTexts(page, "#load-progress-text");
  await page.getByLabel("State", { exact: true }).selectOption("bad");
  // legacy-app-1 (failed) is on page 2.
  await eventually(async () => assert.deepEqual(await visibleNames(page), ["legacy-app-1"]));
  await eventually(async () => assert.equal(await text(page.locator("#filter-status")), "1 of 41 virtual machines match"));
  assert.equal(await text(page.locator("#page-info")), "All 41 virtual machines");
  assert.equal(await text(page.locator("#load-progress-text")), "All 41 loaded: the API cannot filter by state, so every page is loaded");
  assert.ok((await progress()).some((s) => /^\d+ of 41 loaded/.test(s)), "progress while the pages load");
  await page.getByLabel("State", { exact: true }).selectOption("stopped");
  await eventually(async () => assert.match(await text(page.locator("#filter-status")), /^\d+ of 41 virtual machines match$/));
  const states = await page.locator("#vm-body tr[data-id]:not([hidden]) .state-cell .badge").evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.ok(states.length > 0);
  assert.deepEqual([...new Set(states)], ["stopped"]);
  assert.ok((await visibleNames(page)).includes("web-6"));
  // Cleared: the pages come back.
  await page.getByLabel("State", { exact: true }).selectOption("");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  await eventually(async () => assert.equal((await visibleNames(page)).length, 30));
  await done();
});

test("the columns sort every VM, not one page: ascending, descending, then the API's pages again", async (t) => {
  const { page, done } = await openPage(t);
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  const { body } = await api("GET", "/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=100");
  const all = body.virtual_machines.map((vm) => vm.name);
  assert.equal(all.length, 41);
  const header = page.locator('#vm-table th[data-sort="name"]');
  await header.getByRole("button").click();
  assert.equal(await header.getAttribute("aria-sort"), "ascending");
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  await eventually(async () => assert.deepEqual(await visibleNames(page), [...all].sort(collator.compare)));
  assert.equal(await text(page.locator("#load-progress-text")), "All 41 loaded: the API cannot sort, so every page is loaded");
  await header.getByRole("button").click();
  assert.equal(await header.getAttribute("aria-sort"), "descending");
  assert.deepEqual(await visibleNames(page), [...all].sort(collator.compare).reverse());
  await header.getByRole("button").click();
  assert.equal(await header.getAttribute("aria-sort"), "none");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  await eventually(async () => assert.deepEqual(await visibleNames(page), all.slice(0, 30)));

  // The "Sort by" control (phones have no column headers) sorts the same way.
  await page.getByLabel("Sort by").selectOption("name:-1");
  await eventually(async () => assert.deepEqual(await visibleNames(page), [...all].sort(collator.compare).reverse()));
  assert.equal(await header.getAttribute("aria-sort"), "descending");
  await page.getByLabel("Sort by").selectOption("");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));

  // By state: every VM's state is fetched, started ones first.
  await page.locator('#vm-table th[data-sort="state"] button').click();
  assert.equal(await page.getByLabel("Sort by").inputValue(), "state:1");
  await eventually(async () => {
    const states = await page.locator("#vm-body tr[data-id] .state-cell .badge").evaluateAll((els) => els.map((e) => e.dataset.state ?? ""));
    assert.equal(states.length, 41);
    assert.ok(!states.includes(""), "all known");
    assert.deepEqual(states, [...states].sort(collator.compare));
  });
  await done();
});

test("a row's action menu works by keyboard: arrows, Enter, Escape", async (t) => {
  const { page, done } = await openPage(t);
  await row(page, "web-1").locator('.badge[data-state="started"]').waitFor();
  const button = page.getByRole("button", { name: "Actions for web-1" });
  await button.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu", { name: "Actions for web-1" });
  await menu.waitFor();
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  const items = await menu.getByRole("menuitem").evaluateAll((els) => els.map((e) => [e.textContent, e.disabled]));
  assert.deepEqual(items, [["Start", true], ["Shut down", false], ["Stop…", false], ["Reset…", false], ["Console…", false], ["Delete…", false]]);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Shut down", "the first usable item has the focus");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Stop…");
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Delete…");
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "detached" });
  assert.ok(await button.evaluate((el) => el === document.activeElement), "back on the button");
  // Enter on an item runs it: Stop asks first.
  await page.keyboard.press("ArrowDown");
  await menu.waitFor();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator("#confirm-dialog").waitFor();
  assert.equal(await text(page.locator("#confirm-title")), "Stop web-1?");
  await page.locator("#confirm-cancel").click();
  await done();
});
