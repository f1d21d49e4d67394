// The pricing page (#pricing): the Public API with no token, as a reseller
// would embed it. It loads without connecting (no Core API request, no
// Authorization header); the currency changes the prices; an estimate shows
// what the API computed; API strings stay text; an outage is said in words
// and Try again recovers; axe and the layout checks at 1280×800 and 390×844.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo, openPage, call, eventually, text, origin, violations, textProblems, XSS_NAME } from "./harness.mjs";

useDemo();

const ROWS = "#package-body tr:not(.message-row)";

/** The pricing page, opened by its URL, once its packages are listed (or `ready`). */
const openPricing = (t, ready = ROWS) => openPage(t, { path: "/#pricing", ready });

/** The Public API, asked directly (plain fetch, no token). */
async function pub(method, p, body) {
  const res = await fetch(`${origin}/public/v1${p}`, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(res.status, 200, `${method} ${p}`);
  return res.json();
}

/** { package name: price } in a currency, from the price list. */
async function listPrices(iso) {
  const { prices } = await pub("GET", "/pricing/prices");
  const packages = prices.find((p) => p.resource === "virtual_machine_package");
  return Object.fromEntries(packages.variants.map((v) => [v.description, v.prices.find((p) => p.currency[0].iso_code === iso).price]));
}

/** { package name: price } as the table shows it (the number it formatted, and its text). */
const shownPrices = (page) =>
  page.locator(ROWS).evaluateAll((trs) =>
    Object.fromEntries(trs.map((tr) => [tr.querySelector("th").textContent, { amount: Number(tr.querySelector("td.price").dataset.amount), text: tr.querySelector("td.price").textContent }])),
  );

/** How the page's own locale writes an amount in a currency (to two places, or four by the hour). */
const format = (page, amount, iso, hourly = false) =>
  page.evaluate(([a, c, h]) => new Intl.NumberFormat(undefined, { style: "currency", currency: c, minimumFractionDigits: 2, maximumFractionDigits: h ? 4 : 2 }).format(a), [amount, iso, hourly]);

/** The browser's console lines for requests the mock failed on purpose. */
const failedOnPurpose = (p) => /net::ERR_EMPTY_RESPONSE|status of 503/.test(p.text) && p.url.startsWith(`${origin}/public/v1/`);

test("the pricing page loads from the Public API with no token: no Core API request, no Authorization header", async (t) => {
  const { page, done } = await openPricing(t);
  const { packages } = await pub("GET", "/virtual_machine_packages?per_page=100");
  assert.deepEqual(await page.locator(`${ROWS} th`).allTextContents(), packages.map((p) => p.name));
  assert.equal(packages.length, 5);
  const rock6 = packages.find((p) => p.name === "Rock 6");
  const cells = await page.locator(ROWS, { hasText: "Rock 6" }).locator("td").allTextContents();
  assert.deepEqual(cells.slice(0, 4), [String(rock6.cpu_cores), `${rock6.memory_in_gb} GB`, `${rock6.storage_in_gb} GB`, `${rock6.monthly_bandwidth_allowance_in_gb.toLocaleString("en-US")} GB`]);
  const gbp = await listPrices("GBP");
  const shown = await shownPrices(page);
  for (const [name, price] of Object.entries(gbp)) {
    assert.equal(shown[name].amount, price, name);
    assert.equal(shown[name].text, await format(page, price, "GBP"), name);
  }
  assert.equal(await page.locator("#pricing-currency").inputValue(), "GBP");
  assert.deepEqual(await page.locator("#dc-list li .dc-name").allTextContents(), ["London", "Amsterdam", "New York"]);
  assert.match(await text(page.locator("#dc-list li").first()), /United Kingdom/);
  assert.equal(await text(page.locator("#pricing-base")), `${origin}/public/v1`);
  // The first estimate (the first package, once) is there too.
  await page.locator("#estimate-result:not([hidden])").waitFor();

  // What reached the mock: the Public API only, never with a token.
  const { log } = (await call("GET", "/_mock/stats")).body;
  assert.ok(log.length >= 4, `${log.length} requests`);
  for (const entry of log) {
    assert.match(entry.path, /^\/public\/v1\//, `${entry.method} ${entry.path}`);
    assert.equal(entry.auth, "missing", `${entry.method} ${entry.path} sent a token`);
  }
  // The top bar: Pricing is the current view; the Core API's status is not shown.
  assert.equal(await page.getByRole("link", { name: "Pricing" }).getAttribute("aria-current"), "page");
  assert.ok(await page.locator("#conn-status").isHidden());
  assert.ok(await page.locator("#vm-section").isHidden());
  await done();
});

test("the top bar's links switch views by keyboard, and the control panel connects only when opened", async (t) => {
  const { page, done } = await openPricing(t);
  const panel = page.getByRole("link", { name: "Control panel" });
  await panel.focus();
  await page.keyboard.press("Enter");
  await page.locator("#vm-body tr[data-id]").first().waitFor();
  assert.ok(await page.locator("#pricing").isHidden());
  assert.equal(await panel.getAttribute("aria-current"), "page");
  assert.ok(await page.evaluate(() => document.activeElement.id === "main"), "the focus moved to the control panel");
  const { log } = (await call("GET", "/_mock/stats")).body;
  assert.ok(log.some((e) => e.path === "/organizations"), "connected once the control panel was opened");

  const pricing = page.getByRole("link", { name: "Pricing" });
  await pricing.focus();
  await page.keyboard.press("Enter");
  await page.locator("#pricing").waitFor();
  assert.ok(await page.locator("#vm-section").isHidden());
  assert.equal(page.url(), `${origin}/#pricing`);
  assert.ok(await page.evaluate(() => document.activeElement.id === "pricing"), "the focus moved to the prices");
  assert.equal(await page.title(), "Katapult pricing · katapult-wasm demo");
  // Already loaded: the prices are there at once.
  assert.equal(await page.locator(ROWS).count(), 5);
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.id === "pricing-currency"), "Tab goes on to the currency");
  await done();
});

test("the control panel's page holds none of the pricing page until it is opened (its fields would share labels)", async (t) => {
  const { page, done } = await openPage(t);
  assert.equal(await page.locator("#pricing > :not(template)").count(), 0);
  assert.equal(await page.locator("#est-package").count(), 0);
  assert.equal(await page.getByLabel("Package", { exact: true }).count(), 1, "the build form's Package only");
  await page.getByRole("link", { name: "Pricing" }).click();
  await page.locator(ROWS).first().waitFor();
  assert.equal(await page.locator("#est-package").count(), 1);
  await done();
});

test("switching the currency changes the prices to that currency's", async (t) => {
  const { page, done } = await openPricing(t);
  const options = await page.locator("#pricing-currency option").evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options.toSorted(), ["EUR", "GBP", "USD"]);
  const before = await shownPrices(page);
  for (const iso of ["EUR", "USD"]) {
    await page.selectOption("#pricing-currency", iso);
    const expected = await listPrices(iso);
    const shown = await shownPrices(page);
    for (const [name, price] of Object.entries(expected)) {
      assert.equal(shown[name].amount, price, `${name} in ${iso}`);
      assert.equal(shown[name].text, await format(page, price, iso), `${name} in ${iso}`);
      assert.notEqual(shown[name].text, before[name].text, `${name}: ${iso} differs from GBP`);
    }
    const storage = (await pub("GET", "/pricing/prices")).prices.find((p) => p.resource === "storage_gb").variants[0].prices.find((p) => p.currency[0].iso_code === iso).price;
    assert.ok((await text(page.locator("#storage-price"))).includes(await format(page, storage, iso)), `storage per GB in ${iso}`);
  }
  await done();
});

test("the estimate for Rock 6 ×2 and 100 GB in EUR for a GB customer shows what the API computes", async (t) => {
  const { page, done } = await openPricing(t);
  await page.selectOption("#pricing-currency", "EUR");
  await page.selectOption("#est-package", { label: "Rock 6" });
  await page.fill("#est-quantity", "2");
  await page.fill("#est-disk", "100");
  await page.selectOption("#est-country", "GB");
  await page.selectOption("#est-customer", "business");
  await page.click("#est-btn");
  const { estimate } = await pub("POST", "/pricing/estimate", {
    customer_name: "Test",
    customer_type: "business",
    currency: { iso_code: "EUR" },
    country: { iso_code2: "GB" },
    resources: [{ resource: "virtual_machine_package:rock-6", quantity: 2 }, { resource: "storage_gb", quantity: 100 }],
  });
  assert.equal(estimate.tax_rate, 0.2);
  const cell = (name) => page.locator(`#estimate-totals [data-total="${name}"]`);
  await eventually(async () => assert.equal(Number(await cell("per_month").getAttribute("data-amount")), estimate.per_month));
  const expected = {
    per_month: estimate.per_month,
    tax_month: Math.round((estimate.per_month_inc_tax - estimate.per_month) * 100) / 100,
    per_month_inc_tax: estimate.per_month_inc_tax,
    per_hour: estimate.per_hour,
    tax_hour: Math.round((estimate.per_hour_inc_tax - estimate.per_hour) * 10_000) / 10_000,
    per_hour_inc_tax: estimate.per_hour_inc_tax,
  };
  for (const [name, amount] of Object.entries(expected)) {
    assert.equal(Number(await cell(name).getAttribute("data-amount")), amount, name);
    assert.equal(await text(cell(name)), await format(page, amount, "EUR", name.includes("hour")), name);
  }
  assert.equal(await text(page.locator("#est-tax-h")), "Tax (20%)");
  const lines = page.locator("#estimate-lines li");
  assert.equal(await lines.count(), 2);
  assert.match(await text(lines.nth(0).locator(".line-what")), /^Rock 6 × 2$/);
  assert.match(await text(lines.nth(1).locator(".line-what")), /× 100$/);
  for (const [i, line] of estimate.resources.entries()) {
    assert.equal(await text(lines.nth(i).locator(".line-total")), await format(page, line.per_month, "EUR"));
    assert.equal(await text(lines.nth(i).locator(".line-each")), `${await format(page, line.per_month_each, "EUR")} each`);
  }
  assert.equal(await text(page.locator("#estimate-status")), `Estimate: ${await format(page, estimate.per_month_inc_tax, "EUR")} per month including tax.`);

  // A country without tax: the same amounts, no tax on top.
  await page.selectOption("#est-country", "NL");
  await eventually(async () => assert.equal(await text(page.locator("#est-tax-h")), "Tax (0%)"));
  assert.equal(Number(await cell("per_month_inc_tax").getAttribute("data-amount")), estimate.per_month);
  // A quantity the form cannot send is named at the field, and nothing is shown as if estimated.
  await page.fill("#est-quantity", "0");
  await page.click("#est-btn");
  await page.locator("#est-quantity-error:not([hidden])").waitFor();
  assert.equal(await page.locator("#est-quantity").getAttribute("aria-invalid"), "true");
  assert.ok(await page.locator("#estimate-result").isHidden());
  await done();
});

test("markup in the packages and the price list is shown as text, never parsed", async (t) => {
  const raw = (body) => ({ kind: "raw", status: 200, content_type: "application/json", body: JSON.stringify(body) });
  const symbol = "<b>£</b>";
  const currencyName = '<script>window.__xss=2</script>Pounds';
  await call("POST", "/_mock/faults", {
    path: "/public/v1/virtual_machine_packages",
    faults: [raw({
      pagination: { current_page: 1, total_pages: 1, total: 1, per_page: 30, large_set: false },
      packages: [{ id: "vmpkg_xss", name: XSS_NAME, permalink: "rock-3", cpu_cores: 1, memory_in_gb: 2, storage_in_gb: 20, monthly_bandwidth_allowance_in_gb: null }],
    })],
  });
  await call("POST", "/_mock/faults", {
    path: "/public/v1/pricing/prices",
    faults: [raw({
      prices: [{
        resource: "virtual_machine_package",
        variants: [{ id: "rock-3", description: XSS_NAME, prices: [{ price: 12, currency: [{ iso_code: "<i>x</i>", name: currencyName, symbol }] }] }],
      }],
    })],
  });
  const { page, done } = await openPricing(t);
  assert.equal(await text(page.locator(`${ROWS} th`)), XSS_NAME);
  assert.equal(await text(page.locator(`${ROWS} td.price`)), `${symbol}12.00`);
  assert.equal(await page.locator("#pricing-currency option").textContent(), `${currencyName} (<i>x</i>)`);
  assert.equal(await page.locator("#est-package option").textContent(), XSS_NAME);
  assert.equal(await page.locator("#pricing :is(img, script, b, i)").count(), 0, "no element was made from the API's strings");
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // The mock knows no currency "<i>x</i>": the estimate is refused, in words, and as text too.
  await page.locator("#estimate-error .error-lead").waitFor();
  assert.match(await text(page.locator("#estimate-error")), /^Could not estimate the price\./);
  await done([(p) => /status of 404/.test(p.text) && p.url === `${origin}/public/v1/pricing/estimate`]);
});

test("an outage is said in words, and Try again recovers (no answer, then 503)", async (t) => {
  // Every attempt of the client (it retries twice; the browser may resend a
  // request whose connection closed unanswered) draws a fault; the rest are
  // dropped before Try again.
  await call("POST", "/_mock/faults", { path: "/public/v1/pricing/prices", faults: Array.from({ length: 20 }, () => ({ kind: "drop" })) });
  await call("POST", "/_mock/faults", { path: "/public/v1/data_centers", faults: Array.from({ length: 20 }, () => ({ status: 503, code: "service_unavailable" })) });
  const { page, done } = await openPricing(t, "#pricing-error .error-lead");
  assert.match(await text(page.locator("#pricing-error")), /^Could not load the packages and prices from the Public API\. The API could not be reached\./);
  assert.equal(await text(page.locator("#pricing-status")), "The packages and prices could not be loaded.");
  assert.equal(await text(page.locator("#package-body")), "Not loaded.");
  assert.ok(await page.locator("#est-package").isDisabled());
  const dcError = page.locator("#dc-error");
  await dcError.locator(".error-lead").waitFor();
  assert.match(await text(dcError), /^Could not load the data centers from the Public API\. The API is unavailable for a moment: try again shortly\./);
  assert.equal(await page.locator("#dc-list li").count(), 0);
  // Whatever the client did not use is gone: the next requests are answered.
  await call("DELETE", "/_mock/faults");

  await page.locator("#pricing-error").getByRole("button", { name: "Try again" }).click();
  await page.locator(ROWS).first().waitFor();
  assert.ok(await page.locator("#pricing-error").isHidden());
  assert.equal(await page.locator(ROWS).count(), 5);
  assert.equal(await text(page.locator("#pricing-status")), "5 packages.");
  await dcError.getByRole("button", { name: "Try again" }).click();
  await page.locator("#dc-list li").first().waitFor();
  assert.ok(await dcError.isHidden());
  assert.equal(await page.locator("#dc-list li").count(), 3);
  await page.locator("#estimate-result:not([hidden])").waitFor();
  await done([failedOnPurpose]);
});

test("axe finds no serious or critical violation on the pricing page (loaded, estimated, failed, on a phone)", async (t) => {
  await call("POST", "/_mock/faults", { path: "/public/v1/data_centers", faults: Array.from({ length: 20 }, () => ({ status: 503, code: "service_unavailable" })) });
  const { page, done } = await openPricing(t);
  await page.locator("#estimate-result:not([hidden])").waitFor();
  await page.locator("#dc-error .error-lead").waitFor();
  assert.deepEqual(await violations(page), [], "loaded, an estimate, an error");
  await page.fill("#est-quantity", "");
  await page.click("#est-btn");
  await page.locator("#est-quantity-error:not([hidden])").waitFor();
  assert.deepEqual(await violations(page), [], "a field's error");
  await page.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await violations(page), [], "on a phone");
  await done([failedOnPurpose]);
});

for (const [width, height] of [[1280, 800], [390, 844]]) {
  test(`at ${width}×${height} the pricing page fits: nothing scrolls sideways, no text is cut off or broken mid-word`, async (t) => {
    const { page, done } = await openPricing(t);
    await page.setViewportSize({ width, height });
    await page.selectOption("#pricing-currency", "EUR");
    await page.selectOption("#est-package", { label: "Rock 48" });
    await page.fill("#est-quantity", "12");
    await page.fill("#est-disk", "2500");
    await page.selectOption("#est-country", "US");
    await page.click("#est-btn");
    await eventually(async () => assert.match(await text(page.locator("#estimate-lines")), /× 12.*× 2500/s));
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.equal(wide, 0, "no sideways scrolling");
    const found = { topbar: await textProblems(page, ".topbar"), pricing: await textProblems(page, "#pricing") };
    assert.deepEqual(found, { topbar: [], pricing: [] });
    // Every part is inside the window's width.
    const outside = await page.locator("#pricing *").evaluateAll((els) =>
      els.filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > innerWidth + 0.5).map((el) => el.id || el.className || el.localName),
    );
    assert.deepEqual(outside, []);
    if (width === 390) assert.ok(await page.locator("#package-table thead").isHidden(), "a card per package on a phone");
    await done();
  });
}
