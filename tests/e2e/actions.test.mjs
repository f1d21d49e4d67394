// Actions on a VM from the page: a power action with its progress, delete
// with its dialog and Undo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, vmByFqdn, watchTexts, row, text } from "./harness.mjs";

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
