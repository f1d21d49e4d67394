// An outage in the middle of work: what was loaded stays on screen, marked
// as the last seen, and nothing pretends to be loading forever.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, call, eventually, row, text } from "./harness.mjs";

useDemo();

const unreachable = (p) => /net::ERR_EMPTY_RESPONSE|Failed to fetch/.test(p.text);

test("during an outage the list keeps its annotations and the details pane keeps its data", async (t) => {
  const { page, done } = await openPage(t);
  await page.setViewportSize({ width: 1280, height: 700 });
  const web1 = row(page, "web-1");
  await web1.locator(".annotations-cell .chip").first().waitFor();
  await web1.getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  const facts = await text(page.locator("#details-content .facts"));
  await call("POST", "/_mock/faults", { faults: Array.from({ length: 400 }, () => ({ kind: "drop" })) });
  await page.click("#refresh");
  await eventually(async () => assert.match(await text(page.locator("#conn-status")), /^Cannot reach/), 20_000);
  await eventually(async () => assert.match(await text(page.locator("#vm-error")), /the list below is as loaded at/), 20_000);
  // Selecting another VM and back again, as a person does while waiting.
  await row(page, "web-2").getByRole("button", { name: "web-2", exact: true }).click();
  await web1.getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  assert.equal(await text(page.locator("#details-content .facts")), facts, "the details as last loaded");
  assert.equal(await text(page.locator("#details-state .badge")), "started? (last seen; the API cannot be reached)");
  assert.deepEqual(await web1.locator(".annotations-cell .chip").allTextContents(), ["team=web", "env=prod"]);

  // A VM whose details were never loaded says so: not "—" (that is "none"), not "loading" forever.
  const last = page.locator("#vm-body tr[data-id]").last();
  const name = await text(last.locator("button.name"));
  await last.scrollIntoViewIfNeeded();
  await eventually(async () => assert.equal(await text(last.locator(".annotations-cell")), "not loaded"), 20_000);
  assert.equal(await text(last.locator(".state-cell .badge")), "unknown");
  await last.getByRole("button", { name, exact: true }).click();
  await eventually(async () => assert.match(await text(page.locator("#details-error")), /^Could not load the details\. The API could not be reached\./), 20_000);
  assert.equal(await text(page.locator("#details-state .badge")), "unknown");
  assert.doesNotMatch(await text(page.locator("#details-content")), /Loading/);
  assert.match(await text(page.locator("#details-content")), /not loaded/i);
  assert.match(await text(page.locator("#details-unreachable")), /^The API cannot be reached/);
  assert.doesNotMatch(await text(page.locator("#details-unreachable")), /state shown is the last one seen/);
  await done([unreachable]);
});
