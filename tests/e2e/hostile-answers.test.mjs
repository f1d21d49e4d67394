// Answers a person would never expect, which the client still accepts:
// an error code that is also an Object.prototype name, a date beyond what
// JavaScript can show. The page says what it can and goes on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, call, eventually, loadingOnScreen, row, text } from "./harness.mjs";

useDemo();

const raw = (status, body) => ({ kind: "raw", status, content_type: "application/json", body: JSON.stringify(body) });

/** The browser's own console line for the 400 answer. */
const failedToLoad = (p) => /Failed to load resource: the server responded with a status of 400/.test(p.text);

/** Waits until the first page's own detail requests are done, so queued faults meet the request meant. */
async function settled(page) {
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  await page.waitForTimeout(200);
}

for (const code of ["constructor", "toString", "__proto__"]) {
  test(`an error code named "${code}" is shown as that code, not as a function's source`, async (t) => {
    const { page, done } = await openPage(t);
    await settled(page);
    await call("POST", "/_mock/faults", {
      path: "/virtual_machines/virtual_machine",
      faults: [raw(400, { error: { code, description: "Something odd happened", detail: {} } })],
    });
    await row(page, "web-2").getByRole("button", { name: "web-2", exact: true }).click();
    const error = page.locator("#details-error");
    await error.waitFor();
    const shown = await text(error);
    assert.doesNotMatch(shown, /function|native code|\[object/, shown);
    assert.match(shown, /^Could not load the details\./);
    assert.match(shown, /Something odd happened/);
    assert.equal(await text(error.locator(".error-code")), code);
    await done([failedToLoad]);
  });
}

test("a state named like an Object.prototype key gets the neutral badge", async (t) => {
  const { page, done } = await openPage(t);
  await settled(page);
  await call("POST", "/_mock/faults", {
    path: "/virtual_machines/virtual_machine",
    faults: Array.from({ length: 3 }, () => raw(200, { virtual_machine: { id: "vm_odd", name: "web-2", state: "constructor" }, annotations: [] })),
  });
  await row(page, "web-2").getByRole("button", { name: "web-2", exact: true }).click();
  const badge = page.locator('#details-state .badge[data-state="constructor"]');
  await badge.waitFor();
  assert.match(await badge.getAttribute("class"), /\btone-neutral\b/);
  await done();
});

test("a created_at beyond JavaScript's dates shows that one date as unknown; every row renders", async (t) => {
  const { page, done } = await openPage(t);
  await settled(page);
  const list = {
    pagination: { current_page: 1, per_page: 30, total: 3, total_pages: 1 },
    virtual_machines: [
      { id: "vm_date1", name: "far-future", created_at: 8640000000001 },
      { id: "vm_date2", name: "far-past", created_at: -8640000000001 },
      { id: "vm_date3", name: "ordinary", created_at: 1700000000 },
    ],
  };
  await call("POST", "/_mock/faults", { path: "/organizations/organization/virtual_machines", faults: [raw(200, list)] });
  await page.click("#refresh");
  await row(page, "ordinary").waitFor();
  assert.equal(await page.locator("#vm-body tr[data-id]").count(), 3);
  assert.equal(await text(row(page, "far-future").locator("td.col-created")), "unknown date");
  assert.equal(await text(row(page, "far-past").locator("td.col-created")), "unknown date");
  assert.match(await text(row(page, "ordinary").locator("td.col-created")), /2023/);
  // The page then asks for each listed VM's state; these three exist only in
  // the faked list, so the mock answers 404 (when they are done varies by machine).
  await eventually(async () => assert.equal(await loadingOnScreen(page), 0));
  await done([(p) => /status of 404/.test(p.text) && /virtual_machine\[id\]=vm_date\d$/.test(p.url ?? "")]);
});
