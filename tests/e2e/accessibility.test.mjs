// axe-core (from npm) on the main views of the demo: no serious or critical
// violation on the page as loaded, with a VM's sections open, in the
// build form's XML mode, with a dialog open, on a phone (a VM's details,
// then the cards) and with a row's action menu open.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, row, xmlMode, violations } from "./harness.mjs";

useDemo();

test("axe finds no serious or critical violation on the main views", async (t) => {
  const { page, done } = await openPage(t);
  assert.deepEqual(await violations(page), [], "the page as loaded");

  await row(page, "db-1").getByRole("button", { name: "db-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  for (const summary of await page.locator("details.manage > summary").all()) await summary.click();
  await page.locator("details.manage .disk").first().waitFor();
  await page.locator("details.manage .policy").first().waitFor();
  assert.deepEqual(await violations(page), [], "a VM with every section open");

  await xmlMode(page);
  assert.deepEqual(await violations(page), [], "the build form in XML mode");

  await page.click('#details-actions button[data-action="reset"]');
  await page.locator("#confirm-dialog").waitFor();
  assert.deepEqual(await violations(page), [], "a confirmation dialog");
  await page.locator("#confirm-cancel").click();

  // On a phone the selected VM's details take the screen; back goes to the cards.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("#details-back").waitFor();
  assert.deepEqual(await violations(page), [], "a VM's details on a phone");
  await page.locator("#details-back").click();
  await page.getByRole("button", { name: "Actions for web-1" }).waitFor();
  assert.deepEqual(await violations(page), [], "the cards of a phone");
  await page.getByRole("button", { name: "Actions for web-1" }).click();
  await page.getByRole("menu").waitFor();
  assert.deepEqual(await violations(page), [], "a row's action menu");
  await page.keyboard.press("Escape");
  await done();
});
