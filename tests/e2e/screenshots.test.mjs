// The README's screenshots, taken from the running page (docs/ holds
// copies: copy target/{demo,vm-manage,build-form,phone,pricing}.png there).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { useDemo, openPage, eventually, loadingOnScreen, row, preview, repo } from "./harness.mjs";

useDemo();

test("screenshot: the table with a VM's details, its sections, and the build form", async (t) => {
  const { page, done } = await openPage(t);
  await row(page, "web-1").getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  // Rows on screen have their state (rows below the fold are fetched when scrolled to).
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  mkdirSync(path.join(repo, "target"), { recursive: true });
  await page.screenshot({ path: path.join(repo, "target/demo.png") });
  // The VM's sections: its disks and network interface open.
  for (const title of ["Disks", "Network interfaces"]) {
    const section = page.locator("details.manage", { has: page.locator("summary", { hasText: title }) });
    await section.locator("summary").click();
    await section.locator(".manage-body > :not(.muted)").first().waitFor();
  }
  await page.locator("details.manage", { has: page.locator("summary", { hasText: "Disks" }) }).scrollIntoViewIfNeeded();
  await page.locator("#details").screenshot({ path: path.join(repo, "target/vm-manage.png") });
  // The build panel in form mode, its preview written by buildSpecXml.
  await page.fill("#spec-hostname", "web-7");
  await page.fill("#spec-tags", "web, production");
  await page.selectOption("#spec-ip", "4");
  await eventually(async () => assert.match(await page.locator("#spec-preview").textContent(), /<Tag>production<\/Tag>/));
  await page.locator("#build").screenshot({ path: path.join(repo, "target/build-form.png") });
  // A phone: one card per VM, a row's action menu open.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator("#details-back").click();
  await page.getByRole("button", { name: "Actions for web-1" }).click();
  await page.getByRole("menu").waitFor();
  await page.getByRole("button", { name: "Actions for web-1" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(repo, "target/phone.png") });
  await done();
});

test("screenshot: the pricing page with an estimate", async (t) => {
  const { page, done } = await openPage(t, { path: "/#pricing", ready: "#package-body tr:not(.message-row)" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.selectOption("#pricing-currency", "EUR");
  await page.selectOption("#est-package", { label: "Rock 6" });
  await page.fill("#est-quantity", "2");
  await page.fill("#est-disk", "100");
  await page.click("#est-btn");
  await eventually(async () => assert.match(await page.locator("#estimate-lines").textContent(), /× 100/));
  await page.locator("#dc-list li").first().waitFor();
  mkdirSync(path.join(repo, "target"), { recursive: true });
  await page.screenshot({ path: path.join(repo, "target/pricing.png"), fullPage: true });
  await done();
});
