// The first screen once connected: the Connection card folds to one line
// (and unfolds again, by mouse or keyboard), so at 1280×800 ten rows and
// more are above the fold and on a phone the cards come first; phones can
// sort; and a base URL without /core/v1 is named as the problem. axe-core
// checks each of these views.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { useDemo, openPage, eventually, loadingOnScreen, text, origin, repo } from "./harness.mjs";

useDemo();

const toggle = (page) => page.getByRole("button", { name: "Change connection", exact: true });

/** Opens the page at this size from the start (the first screen as a person sees it). */
async function openAt(t, width, height) {
  const opened = await openPage(t);
  await opened.page.setViewportSize({ width, height });
  await opened.page.reload();
  await opened.page.locator("#vm-body tr[data-id]").first().waitFor();
  return opened;
}

test("once connected the Connection card folds to one line; Change connection unfolds it, by keyboard too", async (t) => {
  const { page, done } = await openAt(t, 1280, 800);
  const button = toggle(page);
  await button.waitFor();
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.ok(await page.locator("#connect-form").isHidden(), "the form is folded away");
  const summary = await text(page.locator("#connect-summary"));
  assert.ok(summary.includes("acme"), `the summary names the organization: ${summary}`);
  assert.ok(summary.includes(`${origin}/core/v1`), `the summary names the base URL: ${summary}`);
  const card = await page.locator("#connect").boundingBox();
  assert.ok(card.height <= 64, `one line (${card.height} px)`);

  // The keyboard: Enter unfolds, the form is there; Space folds it again.
  await button.focus();
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  assert.equal(await page.getAttribute("#connect-body", "id"), await button.getAttribute("aria-controls"));
  assert.ok(await page.locator("#base-url").isVisible());
  assert.ok(await page.locator("#org-select").isVisible());
  await page.keyboard.press(" ");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.ok(await page.locator("#base-url").isHidden());

  // A connection that fails stays open with its error; one that works folds again.
  await button.click();
  await page.fill("#token", "not-the-demo-token");
  await page.press("#token", "Enter");
  await page.locator("#connect-error").waitFor();
  assert.ok(await page.locator("#connect-form").isVisible(), "the form stays open to fix the token");
  await page.fill("#token", "demo-token");
  await page.press("#token", "Enter");
  await eventually(async () => assert.equal(await button.getAttribute("aria-expanded"), "false"));
  assert.ok(await page.locator("#connect-form").isHidden());
  assert.ok(await button.evaluate((el) => el === document.activeElement), "the focus left the folded form for the button");
  await done([{ text: "Failed to load resource: the server responded with a status of 403 (Forbidden)", url: `${origin}/core/v1/organizations` }]);
});

test("at 1280×800 ten VM rows and more are above the fold once connected", async (t) => {
  const { page, done } = await openAt(t, 1280, 800);
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  const { inView, scrollY } = await page.evaluate(() => ({
    scrollY,
    inView: [...document.querySelectorAll("#vm-body tr[data-id]")].filter((tr) => {
      const r = tr.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= 800;
    }).length,
  }));
  assert.equal(scrollY, 0);
  assert.ok(inView >= 10, `${inView} rows entirely above the fold`);
  await done();
});

test("at 390×844 the first screen after connecting shows VM cards, not the connection form", async (t) => {
  const { page, done } = await openAt(t, 390, 844);
  await eventually(async () => assert.ok(await page.locator("#connect-form").isHidden(), "the form is folded away"), 3000);
  const tops = await page.locator("#vm-body tr[data-id]").evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().top));
  assert.ok(tops[0] < 844, `the first card starts on the first screen (top ${tops[0]})`);
  assert.equal(await page.evaluate(() => scrollY), 0);
  await done();
});

test("phones can sort: a Sort by select beside the filters, with the API's order and every column both ways", async (t) => {
  const { page, done } = await openAt(t, 390, 844);
  const select = page.getByLabel("Sort by", { exact: true });
  assert.equal(await select.getAttribute("id"), "sort-select");
  assert.ok(await select.isVisible(), "shown on a phone");
  assert.ok(await select.evaluate((el) => !!el.closest(".toolbar")), "with the search and the state filter");
  const keys = await page.locator("#vm-table th[data-sort]").evaluateAll((ths) => ths.map((th) => th.dataset.sort));
  assert.deepEqual(keys, ["name", "fqdn", "state", "zone", "package", "created"]);
  const options = await select.locator("option").evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
  assert.deepEqual(options.map((o) => o.value), ["", ...keys.flatMap((k) => [`${k}:1`, `${k}:-1`])]);
  assert.ok(options.every((o) => o.label), "every option has a label");
  assert.equal(new Set(options.map((o) => o.label)).size, options.length, "no two options read the same");
  assert.equal(await select.inputValue(), "", "the API's order to start with");
  await done();
});

test("a base URL without /core/v1 says it answered 404 and suggests /core/v1; the table does not wait forever", async (t) => {
  const { page, done } = await openPage(t);
  if (await toggle(page).isVisible()) await toggle(page).click();
  await page.fill("#base-url", origin);
  await page.click("#connect-btn");
  const error = page.locator("#connect-error");
  await eventually(async () => {
    const said = await text(error);
    assert.match(said, /404 \(not found\)/i);
    assert.ok(said.includes(`${origin}/core/v1`), `suggests /core/v1: ${said}`);
  });
  assert.match(await text(page.locator("#conn-status")), /^Not connected/);
  assert.ok(await page.locator("#subdomain-form").isHidden(), "a sub-domain would not help");
  await eventually(async () => assert.match(await text(page.locator("#vm-body")), /^Not connected/));
  // The suggestion is one click away.
  await error.getByRole("button", { name: `Use ${origin}/core/v1` }).click();
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  assert.equal(await page.inputValue("#base-url"), `${origin}/core/v1`);
  await done([{ text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: `${origin}/organizations` }]);
});

/** The serious and critical violations axe-core finds in the page now. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: path.join(repo, "node_modules/axe-core/axe.min.js") });
  }
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return found
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

test("axe finds nothing serious on these views: the card folded and unfolded, the 404 advice, an expanded error toast", async (t) => {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { page, done } = await openAt(t, width, height);
    await toggle(page).waitFor();
    assert.deepEqual(await violations(page), [], `${width}: folded`);
    await toggle(page).click();
    assert.deepEqual(await violations(page), [], `${width}: unfolded`);
    await page.fill("#base-url", origin);
    await page.click("#connect-btn");
    await page.getByRole("button", { name: `Use ${origin}/core/v1` }).waitFor();
    assert.deepEqual(await violations(page), [], `${width}: the 404 advice`);
    await page.evaluate(async () => {
      const { reportError } = await import("/ui.js");
      const lines = Array.from({ length: 6 }, (_, i) => `Line ${i + 1} of what the API did not accept`);
      reportError(Object.assign(new Error("Validation failed"), { name: "KatapultError", code: "validation_error", detail: { errors: lines } }), "Could not save");
    });
    await page.getByRole("button", { name: "More" }).click();
    assert.deepEqual(await violations(page), [], `${width}: an expanded error toast`);
    await done([{ text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: `${origin}/organizations` }]);
  }
});
