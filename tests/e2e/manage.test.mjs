// The details pane's sections for one VM, end to end against the mock:
// each action makes its request, shows its task's progress where it has
// one, and its result is visible afterwards (and in the API). The console
// and a resize are also done with the keyboard alone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openVm, openSection, openPage, api, vmByFqdn, eventually, watchTexts, row, text } from "./harness.mjs";

useDemo();

/** Confirms the open confirmation dialog, returning its title. */
async function confirm(page) {
  const dialog = page.locator("#confirm-dialog");
  await dialog.waitFor();
  const title = await text(dialog.locator("#confirm-title"));
  await dialog.locator("#confirm-ok").click();
  await dialog.waitFor({ state: "hidden" });
  return title;
}

const fact = (page, label) => page.locator("#details-content .facts dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");

/**
 * Records, in the page, each state of a task's progress line in the details
 * sections: its text, whether it was inside the viewport, and whether the
 * buttons of the form it is in were off.
 */
async function watchInlineTask(page) {
  await page.evaluate(() => {
    window.__inline = [];
    const grab = () => {
      const line = document.querySelector("details.manage .inline-task");
      if (!line) return;
      const r = line.getBoundingClientRect();
      const form = line.closest("form");
      const seen = {
        text: line.textContent.trim(),
        // Within a pixel: scrolled to the bottom edge, a line may end a fraction past it.
        inView: r.top >= -1 && r.bottom <= innerHeight + 1 && r.height > 0,
        buttonsOff: !!form && [...form.querySelectorAll("button")].every((b) => b.disabled),
      };
      if (JSON.stringify(window.__inline.at(-1)) !== JSON.stringify(seen)) window.__inline.push(seen);
    };
    new MutationObserver(grab).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return () => page.evaluate(() => window.__inline);
}

/** Presses Tab until `locator` has the focus (at most `max` times). */
async function tabTo(page, locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${locator}`);
}

test("the console opens for a started VM, by keyboard alone, and a stopped VM says why not", async (t) => {
  const { page, done } = await openPage(t);
  await page.evaluate(() => {
    window.__opened = [];
    window.open = (url) => (window.__opened.push(url), null);
  });
  await openVm(page, "web-1");
  // Keyboard only: from the VM's title to the Console section, open it, open a session.
  await page.locator("#details-title").focus();
  const summary = page.locator("details.manage summary", { hasText: "Console" });
  await tabTo(page, summary);
  await page.keyboard.press("Enter");
  const button = page.getByRole("button", { name: "Open console" });
  await button.waitFor();
  await tabTo(page, button);
  await page.keyboard.press("Enter");
  const link = page.getByRole("link", { name: "Open the console of web-1" });
  await link.waitFor();
  assert.ok(await link.evaluate((el) => el === document.activeElement), "the link has the focus");
  const href = await link.getAttribute("href");
  assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/_mock\/console\/[A-Za-z0-9_]+$/, "the mock's own console page");
  assert.equal(await link.getAttribute("target"), "_blank");
  assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
  assert.deepEqual(await page.evaluate(() => window.__opened), [href], "a new tab was asked for");

  await openVm(page, "web-6"); // stopped
  const section = await openSection(page, "Console");
  assert.ok(await section.getByRole("button", { name: "Open console" }).isDisabled());
  assert.match(await text(section.locator(".hint")), /needs the VM to be started \(it is stopped\)\. Start it first/);
  await done();
});

test("settings: name, description, tags and group are saved and shown; a bad hostname is caught first", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-2");
  const section = await openSection(page, "Settings");
  const sent = [];
  page.on("request", (r) => r.method() === "PATCH" && sent.push(r.postDataJSON()));
  await section.getByLabel("Hostname").fill("not ok!");
  await section.getByRole("button", { name: "Save" }).click();
  await eventually(async () => assert.match(await text(section.locator(".field-error")), /letters, digits and hyphens/));
  assert.deepEqual(sent, [], "nothing sent");

  await section.getByLabel("Hostname").fill("web-2");
  await section.getByLabel("Name", { exact: true }).fill("Web two");
  await section.getByLabel("Description").fill("The second web server");
  await section.getByLabel("Tags").fill("frontend, e2e");
  await section.getByLabel("Group").selectOption({ label: "Databases" });
  await section.getByRole("button", { name: "Save" }).click();
  await eventually(async () => assert.equal(await text(page.locator("#details-title")), "Web two"));
  assert.deepEqual(Object.keys(sent[0].properties).sort(), ["description", "group", "name", "tag_names"], "only what changed");
  assert.equal(await text(fact(page, "Group")), "Databases");
  assert.equal(await text(page.locator("#details-content .description")), "The second web server");
  await eventually(async () => assert.ok(await row(page, "Web two").isVisible(), "the table row shows the new name"));
  const { body } = await vmByFqdn("web-2.acme.katapult.cloud");
  assert.deepEqual(body.virtual_machine.tag_names, ["frontend", "e2e"]);
  await done();
});

test("a package change is confirmed, shows its task's progress, and the new package after", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-5");
  const section = await openSection(page, "Package and resources");
  assert.match(await text(section.locator(".current")), /^Now: Rock 3/);
  await section.getByLabel("Package").selectOption({ label: "Rock 12 · 4 CPU · 12 GB RAM · 120 GB disk" });
  const progress = await watchTexts(page, "#details-task-text");
  const inline = await watchInlineTask(page);
  await section.getByRole("button", { name: "Change package" }).click();
  assert.equal(await confirm(page), "Change web-5 to Rock 12?");
  await eventually(async () => assert.match(await text(fact(page, "Package")), /^Rock 12/), 15_000);
  const seen = await progress();
  // The task as the API names it, with its progress.
  assert.ok(seen.some((s) => /^Change virtual machine package: running · \d+%/.test(s)), seen.join(" | "));
  // And where the change was asked for: in the form, in view, its buttons off.
  const lines = await inline();
  const running = lines.filter((l) => /^Change virtual machine package: running · \d+%/.test(l.text));
  assert.ok(running.length > 0, JSON.stringify(lines));
  assert.ok(running.every((l) => l.inView && l.buttonsOff), JSON.stringify(running));
  // The facts, the form's line and its buttons are redrawn one after the
  // other once the task ends: on a loaded machine not in the same instant.
  await eventually(async () => {
    assert.equal(await section.locator(".inline-task").count(), 0, "gone once the task ended");
    assert.ok(await section.getByRole("button", { name: "Change package" }).isEnabled());
    assert.match(await text(section.locator(".current")), /^Now: Rock 12 \(4 CPU · 12 GB RAM\)/);
  });
  const { body } = await vmByFqdn("web-5.acme.katapult.cloud");
  assert.equal(body.virtual_machine.package.permalink, "rock-12");
  await done();
});

test("flexible resources are confirmed and applied; an organization without them is told", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "db-4");
  const section = await openSection(page, "Package and resources");
  await section.getByLabel("CPU cores").fill("12");
  await section.getByLabel("Memory (GB)").fill("0");
  await section.getByRole("button", { name: "Change resources" }).click();
  await eventually(async () => assert.match(await text(section.locator(".field-error").last()), /Memory must be from 1 to 512/));
  await section.getByLabel("Memory (GB)").fill("48");
  await section.getByRole("button", { name: "Change resources" }).click();
  assert.equal(await confirm(page), "Give db-4 12 CPU and 48 GB?");
  await eventually(async () => assert.match(await text(fact(page, "Resources")), /^12 CPUs .*48 GB RAM/), 15_000);
  await done();
});

test("a disk resize by keyboard alone: confirmed, its progress shown, the new size after", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-1");
  await page.locator("#details-title").focus();
  await tabTo(page, page.locator("details.manage summary", { hasText: "Disks" }));
  await page.keyboard.press("Enter");
  const size = page.getByLabel("New size of System Disk (GB)");
  await size.waitFor();
  await tabTo(page, size);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("80");
  const progress = await watchTexts(page, "#details-task-text");
  const inline = await watchInlineTask(page);
  await page.keyboard.press("Enter"); // submits the resize form
  const dialog = page.locator("#confirm-dialog");
  await dialog.waitFor();
  assert.equal(await text(dialog.locator("#confirm-title")), "Resize System Disk of web-1 to 80 GB?");
  // The dialog opens on Cancel; Tab reaches Resize.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "confirm-ok");
  await page.keyboard.press("Enter");
  const disk = page.locator(".disk-head", { hasText: "System Disk" });
  await eventually(async () => assert.match(await text(disk), /80 GB/), 15_000);
  const seen = await progress();
  assert.ok(seen.some((s) => /^Resize disk: running · \d+%/.test(s)), seen.join(" | "));
  // The progress shows in the disk's own form, in view, with Resize off until it ends.
  const lines = await inline();
  const running = lines.filter((l) => /^Resize disk: running · \d+%/.test(l.text));
  assert.ok(running.length > 0, JSON.stringify(lines));
  assert.ok(running.every((l) => l.inView && l.buttonsOff), JSON.stringify(running));
  // A size that is not larger is refused in the page.
  await page.getByLabel("New size of System Disk (GB)").fill("40");
  await page.getByLabel("New size of System Disk (GB)").press("Enter");
  await eventually(async () => assert.match(await text(page.locator(".disk .field-error").first()), /can only grow: give more than 80 GB/));
  await done();
});

test("a disk's IO profile change is confirmed and shown after its task", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-3");
  const section = await openSection(page, "Disks");
  await section.getByLabel("IO profile of System Disk").selectOption({ label: "NVMe Max" });
  await section.getByRole("button", { name: "Change IO profile" }).click();
  assert.equal(await confirm(page), "Give System Disk the NVMe Max IO profile?");
  await eventually(async () => assert.match(await text(section.locator(".disk-head")), /NVMe Max IO/), 15_000);
  await done();
});

test("addresses: a new IPv6 one, its reverse DNS, and unallocating it after a confirmation", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-4");
  const section = await openSection(page, "Network interfaces");
  const before = await section.locator("li.ip").count();
  await section.getByRole("button", { name: "New IPv6 address" }).click();
  await eventually(async () => assert.equal(await section.locator("li.ip").count(), before + 1));
  const added = section.locator("li.ip").last();
  const address = (await text(added.locator("code"))).split("/")[0];
  assert.match(address, /:/);
  // The details' address list shows it too.
  await eventually(async () => assert.ok((await text(page.locator("#details-content .ip-list"))).includes(address)));

  const reverse = added.getByLabel(`Reverse DNS of ${address}`);
  await reverse.fill("bad name");
  await added.getByRole("button", { name: "Save" }).click();
  await eventually(async () => assert.match(await text(added.locator(".field-error")), /not a valid part of a host name/));
  await reverse.fill("v6.web-4.example.com");
  await added.getByRole("button", { name: "Save" }).click();
  await eventually(async () => {
    const { body } = await api("GET", `/ip_addresses/ip_address?ip_address[address]=${encodeURIComponent(address)}`);
    assert.equal(body.ip_address.reverse_dns, "v6.web-4.example.com");
  });

  await added.getByRole("button", { name: "Unallocate" }).click();
  assert.equal(await confirm(page), `Unallocate ${address} from web-4?`);
  await eventually(async () => assert.equal(await section.locator("li.ip").count(), before));
  const { body } = await api("GET", `/ip_addresses/ip_address?ip_address[address]=${encodeURIComponent(address)}`);
  assert.equal(body.allocation, null, "the organization keeps it, unallocated");
  await done();
});

test("backup policies: added, changed and deleted", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-1");
  const section = await openSection(page, "Backup policies");
  assert.match(await text(section.locator(".manage-body > p.muted")), /No backup policies/);
  await section.getByLabel("Backups kept").fill("14");
  await section.getByLabel("Every").selectOption("weekly");
  await section.getByLabel("Hour (0–23)").fill("2");
  await section.getByRole("button", { name: "Add backup policy" }).click();
  const policy = section.locator("li.policy");
  await eventually(async () => assert.match(await text(policy), /^Backs up weekly, keeps 14/));

  await policy.getByRole("button", { name: "Edit" }).click();
  const edit = section.locator("li.policy-edit");
  await edit.getByLabel("Backups kept").fill("3");
  await edit.getByRole("button", { name: "Save policy" }).click();
  await eventually(async () => assert.match(await text(section.locator("li.policy")), /keeps 3/));

  await section.locator("li.policy").getByRole("button", { name: "Delete" }).click();
  assert.match(await confirm(page), /^Delete this backup policy of web-1\?/);
  await eventually(async () => assert.equal(await section.locator("li.policy").count(), 0));
  const { body } = await api("GET", `/virtual_machines/virtual_machine/disk_backup_policies?virtual_machine[fqdn]=web-1.acme.katapult.cloud`);
  assert.deepEqual(body.disk_backup_policies, []);
  await done();
});

test("stop and reset ask first; cancelling sends nothing", async (t) => {
  const { page, done } = await openPage(t);
  await openVm(page, "web-1");
  const sent = [];
  page.on("request", (r) => /\/(stop|reset)$/.test(new URL(r.url()).pathname) && sent.push(r.url()));
  for (const action of ["stop", "reset"]) {
    await page.click(`#details-actions button[data-action="${action}"]`);
    const dialog = page.locator("#confirm-dialog");
    await dialog.waitFor();
    assert.match(await text(dialog.locator("#confirm-message")), /unsaved work in it is lost/);
    await dialog.locator("#confirm-cancel").click();
    await dialog.waitFor({ state: "hidden" });
  }
  assert.deepEqual(sent, []);
  await page.click('#details-actions button[data-action="stop"]');
  await confirm(page);
  await eventually(async () => assert.equal(await page.locator("#details-state .badge").getAttribute("data-state"), "stopped"), 15_000);
  assert.equal(sent.length, 1);
  await done();
});
