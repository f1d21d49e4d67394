// The build panel: from XML and from the form (live preview, defaults,
// switching modes without losing anything), and build errors inline.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, api, eventually, watchTexts, row, text, preview, modeRadio, clickMode, xmlMode, recordBuilds, origin, XSS_NAME } from "./harness.mjs";

useDemo();

test("the build panel builds a VM from XML that then appears in the table", async (t) => {
  const { page, done } = await openPage(t);
  const builds = await recordBuilds(page);
  await xmlMode(page);
  await page.fill(
    "#spec-xml",
    `<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <Resources><Package by="permalink">rock-3</Package></Resources>
  <Hostname><Hostname>e2e-built-1</Hostname></Hostname>
</VirtualMachineSpec>`,
  );
  await page.getByRole("textbox", { name: "Annotation 1 key" }).fill("team");
  await page.getByRole("textbox", { name: "Annotation 1 value" }).fill("e2e");
  const progress = await watchTexts(page, "#build-progress-text");
  await page.click("#build-btn");
  const built = row(page, "e2e-built-1");
  await built.waitFor({ timeout: 15_000 });
  const seen = await progress();
  assert.equal(seen[0], "Submitting the spec…");
  assert.ok(seen.some((t) => /^Building e2e-built-1: (pending|building|running|completed)/.test(t)), seen.join(" | "));
  assert.equal(seen.at(-1), "Built e2e-built-1.acme.katapult.cloud: complete");
  await built.locator('.badge[data-state="started"]').waitFor();
  assert.deepEqual(await built.locator(".annotations-cell .chip").allTextContents(), ["team=e2e"]);
  assert.equal(await text(page.locator("#page-info")), "Page 2 of 2 · 42 virtual machines");
  assert.equal(await text(page.locator("#details-title")), "e2e-built-1");
  assert.deepEqual((await builds()).map((b) => b.kind), ["string"], "XML mode sends the text as it is");
  await done();
});

test("a build error says what happened first, then the API's messages and its code", async (t) => {
  const { page, done } = await openPage(t);
  await xmlMode(page);
  await page.fill("#spec-xml", '<VirtualMachineSpec><DataCenter by="permalink">nowhere</DataCenter></VirtualMachineSpec>');
  await page.click("#build-btn");
  const error = page.locator("#build-error");
  await error.waitFor();
  assert.equal(await text(error.locator(".error-body > :first-child")), "Build failed. The API did not accept the values.");
  assert.ok((await error.locator("li").allTextContents()).includes("Data center 'nowhere' could not be found"));
  assert.equal(await text(error.locator(".error-body > :last-child")), "Code: validation_error");
  await done([{ text: "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)", url: `${origin}/core/v1/organizations/organization/virtual_machines/build_from_spec` }]);
});

test("the build form previews its XML live and builds the VM from a spec object", async (t) => {
  const { page, done } = await openPage(t);
  const builds = await recordBuilds(page);
  assert.ok(await modeRadio(page, "Form").isChecked(), "form mode is the default");
  assert.ok(await page.locator("#spec-xml").isHidden());
  // The defaults: the first data center, package and template the API lists, a made-up hostname.
  await eventually(async () => assert.match(await preview(page).textContent(), /<Hostname>demo-[0-9a-f]{4}<\/Hostname>/));
  await eventually(async () => assert.equal(await page.inputValue("#spec-location"), "dc:uk-lon"));
  assert.equal(await page.locator("#spec-location option:checked").textContent(), "London (uk-lon), any zone");
  assert.equal(await page.inputValue("#spec-package"), "rock-3");
  assert.equal(await page.inputValue("#spec-disk-template"), "templates/ubuntu-24-04");

  await page.getByLabel("Hostname", { exact: true }).fill("e2e-form-1");
  await page.getByLabel("Name (optional)").fill("E2E form 1");
  await page.getByLabel("Package", { exact: true }).selectOption("rock-6");
  await page.getByLabel("Tags").fill("web, e2e ,");
  await page.getByLabel("IP address").selectOption({ label: "New IPv4 address" });
  await page.getByLabel("SSH public keys (optional)").fill("ssh-ed25519 AAAAC3Nza e2e@test\n\n");
  await page.getByLabel("All users' keys").check();
  const xml = await eventually(async () => {
    const xml = await preview(page).textContent();
    for (const part of [
      '<DataCenter by="permalink">uk-lon</DataCenter>',
      '<Package by="permalink">rock-6</Package>',
      '<DiskTemplate by="permalink">templates/ubuntu-24-04</DiskTemplate>',
      '<IPAddressAllocation type="new">\n        <Version>4</Version>\n      </IPAddressAllocation>',
      "<Hostname>e2e-form-1</Hostname>",
      "<Name>E2E form 1</Name>",
      "<Tags>\n    <Tag>web</Tag>\n    <Tag>e2e</Tag>\n  </Tags>",
      '<Users all="yes"></Users>',
      "<SSHKey>ssh-ed25519 AAAAC3Nza e2e@test</SSHKey>",
    ]) {
      assert.ok(xml.includes(part), `${part} in\n${xml}`);
    }
    assert.equal((xml.match(/<SSHKey>/g) ?? []).length, 1, "blank lines are no keys");
    assert.ok(!xml.includes("<Network by="), "no network given");
    return xml;
  });
  assert.ok(!(await preview(page).evaluate((el) => el.classList.contains("is-error"))));

  const progress = await watchTexts(page, "#build-progress-text");
  await page.click("#build-btn");
  const built = row(page, "E2E form 1");
  await built.waitFor({ timeout: 15_000 });
  const seen = await progress();
  assert.equal(seen[0], "Submitting the spec…");
  assert.ok(seen.some((t) => /^Building e2e-form-1: (pending|building|running|completed)/.test(t)), seen.join(" | "));
  assert.equal(seen.at(-1), "Built e2e-form-1.acme.katapult.cloud: complete");
  await built.locator('.badge[data-state="started"]').waitFor();
  assert.equal(await text(built.locator("td.fqdn-cell .host")), "e2e-form-1");
  assert.equal(await text(built.locator("td").nth(4)), "Rock 6");
  assert.deepEqual(await built.locator(".annotations-cell .chip").allTextContents(), ["team=demo"]);

  // The client got the spec object, and the API got exactly the XML the preview showed.
  const calls = await builds();
  assert.deepEqual(calls.map((b) => b.kind), ["object"]);
  const { body } = await api("GET", `/virtual_machines/builds/virtual_machine_build?virtual_machine_build[id]=${calls[0].id}`);
  assert.equal(body.virtual_machine_build.spec_xml, xml);
  // e2e-form-1 is taken now: the next build gets the next hostname of the
  // user's series, so a second Build works instead of being refused.
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-form-2");
  await eventually(async () => assert.ok((await preview(page).textContent()).includes("<Hostname>e2e-form-2</Hostname>")));
  await page.click("#build-btn");
  await eventually(async () => assert.equal(await text(page.locator("#build-progress-text")), "Built e2e-form-2.acme.katapult.cloud: complete"), 15_000);
  assert.ok(await page.locator("#build-error").isHidden());
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-form-3");
  await done();
});

test("a form left with the example hostname gets a fresh one after a build", async (t) => {
  const { page, done } = await openPage(t);
  const hostname = await page.inputValue("#spec-hostname");
  assert.match(hostname, /^demo-[0-9a-f]{4}$/);
  await eventually(async () => assert.ok((await preview(page).textContent()).includes(`<Hostname>${hostname}</Hostname>`)));
  await page.click("#build-btn");
  await row(page, hostname).waitFor({ timeout: 15_000 });
  await eventually(async () => assert.equal(await text(page.locator("#build-progress-text")), `Built ${hostname}.acme.katapult.cloud: complete`));
  const next = await page.inputValue("#spec-hostname");
  assert.match(next, /^demo-[0-9a-f]{4}$/);
  assert.notEqual(next, hostname);
  assert.ok((await preview(page).textContent()).includes(`<Hostname>${next}</Hostname>`));
  await done();
});

test("the form shows builder errors in the preview, and Form ⇄ XML round-trips without losing anything", async (t) => {
  const { page, done } = await openPage(t);
  const message = page.locator("#spec-mode-msg");
  await eventually(async () => assert.match(await preview(page).textContent(), /<VirtualMachineSpec>/));

  // Memory 0: the builder's error (naming the path) replaces the XML.
  await page.getByLabel("Memory and CPU cores").check();
  assert.ok(await page.getByLabel("Package", { exact: true }).isHidden());
  await page.getByLabel("Memory (GB)").fill("0");
  await page.getByLabel("CPU cores", { exact: true }).fill("2");
  await eventually(async () => assert.match(await preview(page).textContent(), /^Cannot make the XML: spec\.resources\.memory must be/));
  assert.ok(await preview(page).evaluate((el) => el.classList.contains("is-error")));
  assert.ok(!(await preview(page).textContent()).includes("<VirtualMachineSpec>"));
  // …and there is no XML to switch to: the form stays, saying why.
  await clickMode(page, "XML");
  await message.waitFor();
  assert.match(await text(message), /resources\.memory/);
  assert.ok(await modeRadio(page, "Form").isChecked());
  assert.ok(await page.locator("#spec-xml").isHidden());

  await page.getByLabel("Memory (GB)").fill("4");
  await message.waitFor({ state: "hidden" }); // editing the form to fix it retires the message
  const formXml = await eventually(async () => {
    const xml = await preview(page).textContent();
    assert.ok(xml.includes("<Resources>\n    <Memory>4</Memory>\n    <CPUCores>2</CPUCores>\n  </Resources>"), xml);
    return xml;
  });
  assert.ok(!(await preview(page).evaluate((el) => el.classList.contains("is-error"))));

  // Form → XML by keyboard: the textarea gets the very XML of the preview.
  await page.focus("#spec-mode-form");
  await page.keyboard.press("ArrowRight");
  await page.locator("#spec-xml").waitFor();
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.ok(await page.locator("#spec-form-pane").isHidden());
  assert.equal(await page.inputValue("#spec-xml"), formXml);

  // Edit the hostname in the XML; XML → form shows it (and keeps the rest).
  const edited = formXml.replace(/<Hostname>demo-[0-9a-f]{4}<\/Hostname>/, "<Hostname>e2e-edited</Hostname>");
  assert.notEqual(edited, formXml);
  await page.fill("#spec-xml", edited);
  await clickMode(page, "Form");
  await page.locator("#spec-form-pane").waitFor();
  assert.ok(await modeRadio(page, "Form").isChecked());
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-edited");
  assert.ok(await page.getByLabel("Memory and CPU cores").isChecked());
  assert.equal(await page.inputValue("#spec-memory"), "4");
  assert.equal(await page.inputValue("#spec-cpu"), "2");
  await eventually(async () => assert.equal(await preview(page).textContent(), edited));

  // A document the form cannot show stays in XML mode, untouched, with the reason.
  await xmlMode(page);
  const withDisks = `<VirtualMachineSpec>
  <DataCenter by="permalink">uk-lon</DataCenter>
  <SystemDisks><Disk><Name>data</Name><Size>20</Size></Disk></SystemDisks>
  <Hostname><Hostname>e2e-disks</Hostname></Hostname>
</VirtualMachineSpec>`;
  await page.fill("#spec-xml", withDisks);
  await clickMode(page, "Form");
  await message.waitFor();
  assert.match(await text(message), /^This spec uses <SystemDisks>, which the form cannot show/);
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.ok(await page.locator("#spec-form-pane").isHidden());
  assert.equal(await page.inputValue("#spec-xml"), withDisks);
  assert.equal(await page.inputValue("#spec-hostname"), "e2e-edited", "the form is left as it was");

  await page.locator("#spec-xml").press("End");
  await page.keyboard.type(" ");
  await message.waitFor({ state: "hidden" }); // editing the XML retires it

  // So does a document with several interfaces, or one with a comment.
  const twoNics = `<VirtualMachineSpec><NetworkInterfaces><NetworkInterface><Network by="permalink">a</Network></NetworkInterface><NetworkInterface><Network by="permalink">b</Network></NetworkInterface></NetworkInterfaces></VirtualMachineSpec>`;
  await page.fill("#spec-xml", twoNics);
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /several network interfaces/));
  assert.ok(await modeRadio(page, "XML").isChecked());
  await page.fill("#spec-xml", "<VirtualMachineSpec><!-- keep me --><Name>x</Name></VirtualMachineSpec>");
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /XML comments/));
  assert.ok(await modeRadio(page, "XML").isChecked());

  // XML that does not parse: the parser's message, with the line and column.
  await page.fill("#spec-xml", "<VirtualMachineSpec>\n  <Hostname>");
  await clickMode(page, "Form");
  await eventually(async () => assert.match(await text(message), /^The XML cannot be read: .*\(line \d+, column \d+\)$/));
  assert.ok(await modeRadio(page, "XML").isChecked());
  assert.equal(await page.inputValue("#spec-xml"), "<VirtualMachineSpec>\n  <Hostname>");
  await done();
});

test("the form picks from what the API lists for the organization, and Other… takes any permalink", async (t) => {
  // An SSH key whose name is markup, added through the API before the page loads.
  await api("POST", "/organizations/organization/ssh_keys", {
    organization: { sub_domain: "acme" },
    ssh_key: { name: XSS_NAME, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 x@y" },
  });
  const { page, done } = await openPage(t);
  await eventually(async () => assert.equal(await page.inputValue("#spec-location"), "dc:uk-lon"));
  const xml = () => preview(page).textContent();

  // A zone: the network list narrows to its data center's networks.
  await page.getByLabel("Location").selectOption("zone:nl-ams-01");
  await eventually(async () => assert.ok((await xml()).includes('<Zone by="permalink">nl-ams-01</Zone>'), await xml()));
  assert.ok(!(await xml()).includes("<DataCenter"));
  assert.deepEqual(await page.locator("#spec-network option").allTextContents(), ["The data center's default network", "Public Network (Amsterdam)", "Other (type it)…"]);
  await page.getByLabel("Network", { exact: true }).selectOption("nl-ams-public");
  await eventually(async () => assert.ok((await xml()).includes('<Network by="permalink">nl-ams-public</Network>')));
  // Another data center: its network is not Amsterdam's, so the default one it is.
  await page.getByLabel("Location").selectOption("dc:us-nyc");
  await eventually(async () => assert.ok((await xml()).includes('<DataCenter by="permalink">us-nyc</DataCenter>')));
  assert.equal(await page.inputValue("#spec-network"), "");
  assert.ok(!(await xml()).includes("<Network "));

  // Other…: a permalink the list does not have.
  assert.ok(await page.getByLabel("Package (permalink)").isHidden());
  await page.getByLabel("Package", { exact: true }).selectOption({ label: "Other (type it)…" });
  await page.getByLabel("Package (permalink)").fill("rock-custom");
  await eventually(async () => assert.ok((await xml()).includes('<Package by="permalink">rock-custom</Package>')));
  await page.getByLabel("Disk template", { exact: true }).selectOption("");
  await eventually(async () => assert.ok(!(await xml()).includes("<DiskTemplate>")));

  // All of the organization's keys: listed by name, the markup one as text.
  const keys = page.locator("#spec-org-keys li");
  await eventually(async () => assert.equal(await keys.count(), 3));
  assert.ok((await keys.nth(2).textContent()).startsWith(XSS_NAME));
  await page.getByLabel("All of the organization's SSH keys").check();
  assert.ok(await page.getByLabel("SSH public keys (optional)").isDisabled());
  await eventually(async () => assert.ok((await xml()).includes('<SSHKeys all="yes"></SSHKeys>')));
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // XML → form: a zone shows in the picker, a permalink it does not list in Other….
  await xmlMode(page);
  await page.fill("#spec-xml", '<VirtualMachineSpec><Zone by="permalink">us-nyc-01</Zone><Resources><Package by="permalink">rock-12</Package></Resources><DiskTemplate><DiskTemplate by="permalink">templates/private-1</DiskTemplate></DiskTemplate><Hostname><Hostname>x-1</Hostname></Hostname></VirtualMachineSpec>');
  await clickMode(page, "Form");
  await page.locator("#spec-form-pane").waitFor();
  assert.equal(await page.inputValue("#spec-location"), "zone:us-nyc-01");
  assert.equal(await page.inputValue("#spec-package"), "rock-12");
  assert.equal(await page.inputValue("#spec-disk-template-other"), "templates/private-1");
  assert.ok(await page.getByLabel("Disk template (permalink)").isVisible());
  await done();
});

test("a hostname the API would refuse is caught before anything is sent, in both modes", async (t) => {
  const { page, done } = await openPage(t);
  const sent = [];
  page.on("request", (r) => r.url().includes("build_from_spec") && sent.push(r.url()));
  const hostname = page.getByLabel("Hostname", { exact: true });
  await hostname.fill("bad host name!");
  await hostname.blur();
  const problem = page.locator("#spec-hostname-error");
  await problem.waitFor();
  assert.match(await text(problem), /letters, digits and hyphens/);
  assert.equal(await hostname.getAttribute("aria-invalid"), "true");
  await page.click("#build-btn");
  await eventually(async () => assert.match(await text(page.locator("#build-error")), /hostname cannot be used/));
  assert.ok(await hostname.evaluate((el) => el === document.activeElement), "the field has the focus");
  for (const bad of ["-web", "web-", "a".repeat(64), "web.example"]) {
    await hostname.fill(bad);
    await hostname.blur();
    await page.click("#build-btn");
    await eventually(async () => assert.ok(await problem.isVisible(), bad));
  }
  // In XML mode, the document's hostname is checked too.
  await hostname.fill("bad_host");
  await xmlMode(page);
  await page.click("#build-btn");
  await eventually(async () => assert.match(await text(page.locator("#build-error")), /hostname cannot be used/));
  assert.deepEqual(sent, [], "no build was requested");

  await clickMode(page, "Form");
  await hostname.fill("good-host-1");
  await hostname.blur();
  await problem.waitFor({ state: "hidden" });
  await page.click("#build-btn");
  await eventually(async () => assert.equal(sent.length, 1));
  await row(page, "good-host-1").waitFor({ timeout: 15_000 });
  await done();
});
