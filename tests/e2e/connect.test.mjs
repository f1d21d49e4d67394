// Connecting: a wrong token, an organization list that fails, and where
// the token is (not) kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, call, eventually, text, TOKEN, origin } from "./harness.mjs";

useDemo();

/** Once connected the Connection card is folded: its button opens the form. */
const unfold = (page) => page.getByRole("button", { name: "Change connection", exact: true }).click();

test("a wrong token shows invalid_api_token on the page", async (t) => {
  const { page, done } = await openPage(t);
  await unfold(page);
  await page.fill("#token", "not-the-demo-token");
  await page.press("#token", "Enter");
  const error = page.locator("#connect-error");
  await error.waitFor();
  assert.match(await text(error.locator(".error-body > :first-child")), /The API token was not accepted: it may be wrong or expired\.$/);
  assert.equal(await text(error.locator(".error-code")), "invalid_api_token");
  assert.equal(await text(page.locator("#conn-status")), "Not connected");
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), 0);
  // Chromium logs the 403 of listOrganizations; nothing else may appear.
  await done([{ text: "Failed to load resource: the server responded with a status of 403 (Forbidden)", url: `${origin}/core/v1/organizations` }]);
});

test("when the organizations cannot be listed, a sub-domain can still be typed", async (t) => {
  const { page, done } = await openPage(t);
  // A proxy's error page, a path it does not serve, and no answer at all
  // (the client retries a GET twice and Chromium retries a dropped
  // connection itself, so plenty of drops; what is left is cleared).
  const drops = Array.from({ length: 9 }, () => ({ kind: "drop" }));
  for (const faults of [[{ kind: "html", status: 502 }], [{ kind: "html", status: 404 }], drops]) {
    await call("POST", "/_mock/faults", { path: "/organizations", faults });
    await unfold(page);
    await page.click("#connect-btn");
    await eventually(async () => assert.match(await text(page.locator("#conn-status")), /Type a sub-domain to carry on/), 20_000);
    assert.equal(await page.getByLabel("Sub-domain").isVisible(), true, JSON.stringify(faults));
    assert.equal(await page.locator("#vm-body tr[data-id]").count(), 0, "nothing is open until a sub-domain is given");
    // The table says what it waits for, not "Connecting…" forever.
    assert.equal(await text(page.locator("#vm-body")), "Type the organization's sub-domain above to list its virtual machines.");
    await call("DELETE", "/_mock/faults");
    await page.getByLabel("Sub-domain").fill("acme");
    await page.getByLabel("Sub-domain").press("Enter");
    await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  }
  await done([
    { text: "Failed to load resource: the server responded with a status of 502 (Bad Gateway)", url: `${origin}/core/v1/organizations` },
    { text: "Failed to load resource: the server responded with a status of 404 (Not Found)", url: `${origin}/core/v1/organizations` },
    { text: "Failed to load resource: net::ERR_EMPTY_RESPONSE", url: `${origin}/core/v1/organizations` },
  ]);
});

test("the token stays out of localStorage; 'remember for this tab' keeps it in sessionStorage", async (t) => {
  const { page, done } = await openPage(t);
  const storage = (kind) => page.evaluate((k) => JSON.stringify(Object.entries(window[k])), kind);
  assert.ok(!(await storage("localStorage")).includes(TOKEN));
  assert.ok(!(await storage("sessionStorage")).includes(TOKEN));

  await unfold(page);
  await page.check("#remember");
  await page.click("#connect-btn");
  await eventually(async () => assert.equal(await text(page.locator("#page-info")), "Page 1 of 2 · 41 virtual machines"));
  assert.ok((await storage("sessionStorage")).includes(TOKEN));
  assert.ok(!(await storage("localStorage")).includes(TOKEN));

  // A reload in the same tab restores it (and the box stays ticked).
  await page.reload();
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  await unfold(page);
  assert.ok(await page.isChecked("#remember"));
  assert.equal(await page.inputValue("#token"), TOKEN);

  await page.uncheck("#remember");
  assert.ok(!(await storage("sessionStorage")).includes(TOKEN));
  assert.ok(!(await storage("localStorage")).includes(TOKEN));
  await done();
});

test("when the API stops answering, the header says so, the list stays, and no state passes for current", async (t) => {
  const { page, done } = await openPage(t);
  await page.getByRole("button", { name: "web-1", exact: true }).click();
  await page.locator('#details-state .badge[data-state="started"]').waitFor();
  const rowsBefore = await page.locator("#vm-body tr[data-id]").count();
  // Every API request from now on gets its connection closed without an answer.
  await call("POST", "/_mock/faults", { faults: Array.from({ length: 200 }, () => ({ kind: "drop" })) });
  await page.click("#refresh");
  const status = page.locator("#conn-status");
  await eventually(async () => assert.match(await text(status), /^Cannot reach 127\.0\.0\.1:\d+: showing what was last loaded$/), 20_000);
  assert.equal(await status.getAttribute("data-tone"), "bad");
  await eventually(async () => assert.match(await text(page.locator("#vm-error")), /the list below is as loaded at/));
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), rowsBefore, "the last list stays");
  // The states on screen are marked as the last ones seen; the actions are off.
  assert.equal(await page.locator("#vm-body .badge.tone-ok").count(), 0);
  assert.ok((await page.locator('#vm-body .badge[data-stale="true"]').count()) > 0);
  assert.equal(await text(page.locator("#details-state .badge")), "started? (last seen; the API cannot be reached)");
  assert.ok(await page.locator("#details-unreachable").isVisible());
  for (const action of ["start", "shutdown", "stop", "reset", "delete"]) {
    assert.ok(await page.locator(`#details-actions button[data-action="${action}"]`).isDisabled(), action);
  }

  // The API answers again: one refresh and all is current.
  await call("POST", "/_mock/reset");
  await page.click("#refresh");
  await eventually(async () => assert.match(await text(status), /^Connected to /), 20_000);
  await eventually(async () => assert.equal(await page.locator('#vm-body .badge[data-stale="true"]').count(), 0));
  assert.ok(await page.locator("#details-unreachable").isHidden());
  assert.ok(await page.locator('#details-actions button[data-action="shutdown"]').isEnabled());
  await done([(p) => /net::ERR_EMPTY_RESPONSE|Failed to fetch/.test(p.text)]);
});
