// The page's layout at the sizes people use: no horizontal scrolling at
// 1280×800 (every column, the annotations included, inside the table's
// card), and at 390×844 cards instead of the table, a VM's details on
// their own screen, and a way back to the list on the same VM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, eventually, row, loadingOnScreen, textProblems } from "./harness.mjs";

useDemo();

/** How far the page, and anything in the VM card, sticks out sideways. */
const overflow = (page) =>
  page.evaluate(() => {
    const card = document.querySelector("#vm-section").getBoundingClientRect();
    const cells = [...document.querySelectorAll("#vm-table th, #vm-body tr[data-id] td")].filter((el) => el.getClientRects().length);
    return {
      page: document.documentElement.scrollWidth - innerWidth,
      cells: Math.max(0, ...cells.map((el) => el.getBoundingClientRect().right - card.right)),
    };
  });

test("at 1280×800 nothing scrolls sideways and the annotations are in view", async (t) => {
  const { page, done } = await openPage(t);
  await page.setViewportSize({ width: 1280, height: 800 });
  await row(page, "web-1").locator(".annotations-cell .chip").first().waitFor();
  assert.deepEqual(await overflow(page), { page: 0, cells: 0 });
  const annotations = page.locator('#vm-table th:has-text("Annotations")');
  assert.ok(await annotations.isVisible());
  // With a VM's details open too.
  await row(page, "web-1").getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  assert.deepEqual(await overflow(page), { page: 0, cells: 0 });
  await done();
});

test("at 390×844 VMs are cards, a VM's details have the screen, and Back returns to its card", async (t) => {
  const { page, done } = await openPage(t);
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.locator("#vm-table thead").isHidden(), "no table header");
  const card = row(page, "worker-5");
  assert.equal(await card.evaluate((tr) => getComputedStyle(tr).display), "grid");
  assert.equal((await overflow(page)).page, 0, "no sideways scrolling");
  await card.scrollIntoViewIfNeeded();
  await card.getByRole("button", { name: "worker-5", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  assert.ok(await page.locator("#vm-section").isHidden(), "the list makes way");
  assert.ok(await page.locator("#details").isVisible());
  await eventually(async () => assert.ok((await page.evaluate(() => scrollY)) < 50, "the details start at the top, no jump far down"));
  const back = page.getByRole("button", { name: "← All virtual machines" });
  assert.ok(await back.isVisible());
  await back.click();
  assert.ok(await page.locator("#vm-section").isVisible());
  assert.ok(await page.locator("#details").isHidden());
  assert.ok(await card.getByRole("button", { name: "worker-5", exact: true }).evaluate((el) => el === document.activeElement), "the focus is on the VM's card");
  const box = await card.boundingBox();
  assert.ok(box.y >= 0 && box.y < 844, `its card is on screen (y=${box.y})`);
  await done();
});

/** Opens the build panel (by its button, where it has one) and brings it on screen. */
async function openBuild(page) {
  const opener = page.getByRole("button", { name: /^(New virtual machine|Build a virtual machine)/ });
  if ((await opener.count()) && (await opener.first().isVisible())) await opener.first().click();
  await page.locator("#spec-location option").first().waitFor({ state: "attached" });
  await page.locator("#spec-disk-template option").first().waitFor({ state: "attached" });
  await page.locator("#build").scrollIntoViewIfNeeded();
}

/** A VM's details with every section open, and what they load. */
async function openDetails(page, name) {
  await row(page, name).scrollIntoViewIfNeeded();
  await row(page, name).getByRole("button", { name, exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  for (const section of await page.locator("details.manage").all()) {
    if (!(await section.evaluate((el) => el.open))) await section.locator("> summary").click();
  }
  await page.locator("details.manage .disk").first().waitFor();
  await page.locator("details.manage .policy").first().waitFor();
  await page.locator("details.manage select").first().waitFor();
}

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`at ${width}×${height} no text is cut off or broken mid-word: the list, the build panel, a VM's details`, async (t) => {
    const { page, done } = await openPage(t);
    await page.setViewportSize({ width, height });
    await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
    const found = {};
    found.list = await textProblems(page, "#vm-section");
    // The second page holds the longest names (ci-runner-1, monitoring-1, …).
    await page.click("#next-page");
    await row(page, "monitoring-1").waitFor();
    await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
    found.secondPage = await textProblems(page, "#vm-section");
    await page.click("#prev-page");
    await row(page, "web-1").waitFor();

    await openBuild(page);
    await page.fill("#spec-hostname", "web-7");
    await page.fill("#spec-tags", "web, production");
    await page.selectOption("#spec-ip", "4");
    await eventually(async () => assert.match(await page.locator("#spec-preview").textContent(), /<Tag>production<\/Tag>/));
    found.build = await textProblems(page, "#build");

    await openDetails(page, "db-1");
    found.details = await textProblems(page);
    assert.deepEqual(found, { list: [], secondPage: [], build: [], details: [] });
    await done();
  });
}

test("the sticky table header covers every column, the actions column too", async (t) => {
  const { page, done } = await openPage(t);
  await page.setViewportSize({ width: 1280, height: 800 });
  await row(page, "worker-6").scrollIntoViewIfNeeded();
  await page.evaluate(() => scrollBy(0, 200));
  const cover = await page.evaluate(() =>
    [...document.querySelectorAll("#vm-table thead th")].filter((th) => th.getClientRects().length).map((th) => {
      const r = th.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return { top: Math.round(r.top), covered: !!hit?.closest("thead") };
    }),
  );
  const head = await page.locator("#vm-table thead").evaluate((el) => el.getBoundingClientRect().top);
  assert.ok(head < 0 || cover.every((c) => c.top === 0), "scrolled past the header's place");
  assert.deepEqual(cover.map((c) => c.top), cover.map(() => 0), "every header cell is stuck at the top");
  assert.deepEqual(cover.map((c) => c.covered), cover.map(() => true), "no row shows through");
  await done();
});

test("an error toast too long for its box has a More button that shows all of it (click or keyboard)", async (t) => {
  const { page, done } = await openPage(t);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.evaluate(async () => {
    const { reportError } = await import("/ui.js");
    const lines = Array.from({ length: 8 }, (_, i) => `Line ${i + 1} of what the API did not accept, said in full`);
    reportError(Object.assign(new Error("Validation failed"), { name: "KatapultError", code: "validation_error", detail: { errors: lines } }), "Could not save the settings");
    reportError(new Error("Short"), "Could not load");
  });
  const long = page.locator(".toast-error", { hasText: "Line 8" });
  const short = page.locator(".toast-error", { hasText: "Could not load" });
  const body = long.locator(".toast-body");
  const fits = () => body.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
  assert.equal(await short.getByRole("button", { name: "More" }).count(), 0, "a short error shows whole, no More");
  assert.equal(await fits(), false, "the long one starts compact");
  const more = long.getByRole("button", { name: "More" });
  assert.equal(await more.getAttribute("aria-expanded"), "false");
  // No hover on a touch screen: hovering changes nothing, the button does.
  await long.hover();
  assert.equal(await fits(), false, "hover alone does not expand it");
  await more.focus();
  await page.keyboard.press("Enter");
  assert.equal(await more.getAttribute("aria-expanded"), "true");
  assert.ok(await fits(), "the whole message is shown");
  assert.ok(await long.getByText("Line 8 of what the API did not accept, said in full").isVisible());
  const box = await long.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, "the toast stays on screen");
  await more.click();
  assert.equal(await more.getAttribute("aria-expanded"), "false");
  assert.equal(await fits(), false, "and folds again");
  await done();
});
