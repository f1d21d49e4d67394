// Actions on a VM from the page: a power action with its progress, delete
// with its dialog and Undo, and how their toasts come and go.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, vmByFqdn, watchTexts, row, text, eventually } from "./harness.mjs";

useDemo();

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

test("Recently deleted and its Undo outlive a reload of the tab", async (t) => {
  const { page, done } = await openPage(t);
  const web3 = row(page, "web-3");
  await web3.getByRole("button", { name: "web-3", exact: true }).click();
  await page.locator('#details-actions button[data-action="delete"]').click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await web3.waitFor({ state: "detached" });
  assert.equal(await text(page.locator("#trash-list li strong")), "web-3");

  await page.reload();
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  await page.locator("#trash").waitFor();
  assert.equal(await text(page.locator("#trash-list li strong")), "web-3");
  assert.equal(await web3.count(), 0, "still deleted");
  await page.locator("#trash-list").getByRole("button", { name: "Undo" }).click();
  await web3.locator('.badge[data-state="started"]').waitFor();
  assert.equal((await vmByFqdn("web-3.acme.katapult.cloud")).status, 200);
  assert.ok(await page.locator("#trash").isHidden());

  // Restored: a reload no longer offers it.
  await page.reload();
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  await web3.waitFor();
  assert.ok(await page.locator("#trash").isHidden());
  await done();
});

test("toasts: a success closes by itself; an error stays, leads with a sentence, and repeats as ×N", async (t) => {
  const { page, done } = await openPage(t);
  // protected-1 (beyond the first page) refuses power actions: 403 permission_denied.
  await page.getByRole("button", { name: "Load all", exact: true }).click();
  await row(page, "protected-1").getByRole("button", { name: "protected-1", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  const shutDown = page.getByRole("button", { name: "Shut down", exact: true });
  await shutDown.click();
  const error = page.locator(".toast-error");
  await error.waitFor();
  assert.match(await text(error.locator(".error-lead")), /^Shut down — protected-1\. This is not allowed/);
  assert.equal(await text(error.locator(".error-code")), "permission_denied");
  await eventually(async () => assert.ok(await shutDown.isEnabled()));
  await shutDown.click();
  await error.locator(".toast-count", { hasText: "×2" }).waitFor();
  assert.equal(await error.count(), 1, "the same error twice is one toast");

  // A success toast (web-3 shut down) goes by itself after its 6 s; the error stays.
  await row(page, "web-3").getByRole("button", { name: "web-3", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  await page.getByRole("button", { name: "Shut down", exact: true }).click();
  const success = page.locator(".toast-success", { hasText: "web-3: completed." });
  await success.waitFor({ timeout: 15_000 });
  await page.mouse.move(0, 0);
  await success.waitFor({ state: "detached", timeout: 12_000 });
  assert.equal(await error.count(), 1, "the error is still there");

  // A second, different error: "Dismiss 2 errors" closes both.
  await row(page, "protected-1").getByRole("button", { name: "protected-1", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  await page.click('#details-actions button[data-action="reset"]');
  await page.locator("#confirm-ok").click();
  await eventually(async () => assert.equal(await error.count(), 2));
  await page.getByRole("button", { name: "Dismiss 2 errors" }).click();
  assert.equal(await error.count(), 0);
  // The browser logs each refused request (403): those and nothing else.
  await done([(p) => /status of 403/.test(p.text) && /\/virtual_machines\/virtual_machine\/(shutdown|reset)$/.test(p.url)]);
});
