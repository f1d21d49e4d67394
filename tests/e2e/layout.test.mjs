// The page's layout at the sizes people use: no horizontal scrolling at
// 1280×800 (every column, the annotations included, inside the table's
// card), and at 390×844 cards instead of the table, a VM's details on
// their own screen, and a way back to the list on the same VM.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, eventually, row } from "./harness.mjs";

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
