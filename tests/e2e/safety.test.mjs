// Untrusted strings (typed by the user or sent by the API) stay text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, api, eventually, text, preview, clickMode, xmlMode, row, XSS_NAME } from "./harness.mjs";

useDemo();

test("markup typed into the form or the XML stays text in the preview and messages", async (t) => {
  const { page, done } = await openPage(t);
  await page.getByLabel("Name (optional)").fill(XSS_NAME);
  await eventually(async () =>
    assert.ok((await preview(page).textContent()).includes("<Name>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</Name>")),
  );
  assert.equal(await preview(page).locator("*").count(), 0, "the preview holds only text");

  // An element named like markup: the parser's message names it, as text.
  await xmlMode(page);
  await page.fill("#spec-xml", '<VirtualMachineSpec><img src="x" onerror="window.__xss=1"/></VirtualMachineSpec>');
  await clickMode(page, "Form");
  const message = page.locator("#spec-mode-msg");
  await message.waitFor();
  assert.match(await text(message), /unknown element <img>/);
  assert.equal(await message.locator("*").count(), 0);

  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.locator("main img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await done();
});

test("a VM named like markup renders as text", async (t) => {
  // Create it through the API before the page loads.
  const xml = `<VirtualMachineSpec><Name>&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;</Name><DataCenter by="permalink">uk-lon</DataCenter><Resources><Package by="permalink">rock-3</Package></Resources><Hostname><Hostname>xss-1</Hostname></Hostname></VirtualMachineSpec>`;
  const created = await api("POST", "/organizations/organization/virtual_machines/build_from_spec", { organization: { sub_domain: "acme" }, xml });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const buildId = created.body.virtual_machine_build.id;
  const build = await eventually(async () => {
    const { body } = await api("GET", `/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=${buildId}`);
    assert.equal(body.virtual_machine_build.state, "complete");
    return body.virtual_machine_build;
  }, 20_000);
  const listed = await api("GET", "/organizations/organization/virtual_machines?organization[sub_domain]=acme&per_page=100");
  assert.deepEqual(listed.body.virtual_machines.filter((vm) => vm.name === XSS_NAME).map((vm) => vm.id), [build.virtual_machine.id]);

  const { page, done } = await openPage(t);
  await page.click("#load-all");
  const tr = page.locator(`#vm-body tr[data-id="${build.virtual_machine.id}"]`);
  await tr.waitFor();
  assert.equal(await tr.locator("td.name-cell").textContent(), XSS_NAME);
  await tr.locator("button.name").click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  assert.equal(await page.locator("#details-title").textContent(), XSS_NAME);
  await page.locator('#details-actions button[data-action="delete"]').click();
  assert.equal(await page.locator("#confirm-title").textContent(), `Delete ${XSS_NAME}?`);
  await page.keyboard.press("Escape");

  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.locator("main img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await done();
});

test("markup in every field the VM's sections show stays text", async (t) => {
  const { body: found } = await api("GET", "/virtual_machines/virtual_machine?virtual_machine[fqdn]=web-1.acme.katapult.cloud");
  const vm = found.virtual_machine;
  await api("PATCH", "/virtual_machines/virtual_machine", {
    virtual_machine: { id: vm.id },
    properties: { description: XSS_NAME, tag_names: [XSS_NAME] },
  });
  await api("PATCH", "/ip_addresses/ip_address", { ip_address: { id: vm.ip_addresses[0].id }, label: XSS_NAME });
  const { page, done } = await openPage(t);
  await row(page, "web-1").getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator("#details-content .facts").waitFor();
  for (const title of ["Console", "Settings", "Package and resources", "Disks", "Network interfaces", "Backup policies"]) {
    const section = page.locator("details.manage", { has: page.locator("summary", { hasText: title }) });
    await section.locator("summary").click();
    await section.locator(".manage-body > :not(.muted)").first().waitFor();
  }
  await eventually(async () => assert.equal(await page.locator("#details-manage").getByLabel("Description").inputValue(), XSS_NAME));
  assert.equal(await page.locator("#details-content .description").textContent(), XSS_NAME);
  assert.ok((await page.locator("#details-content .chips").first().textContent()).includes(XSS_NAME));
  assert.equal(await page.locator("#details-manage").getByLabel("Tags").inputValue(), XSS_NAME);
  assert.ok((await page.locator("#details-manage .ip-head").first().textContent()).includes(XSS_NAME));
  assert.equal(await page.locator("#details img").count(), 0, "no element was made from the markup");
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // A console address the API sent is only ever linked when it is http(s).
  const links = await page.evaluate(async () => {
    const { safeLink } = await import("/checks.js");
    return ["javascript:window.__xss=1", "data:text/html,<b>x</b>", "https://console.example/s/1", "not a url"].map(safeLink);
  });
  assert.deepEqual(links, [null, null, "https://console.example/s/1", null]);
  await done();
});
