// katapult-wasm/spec: buildSpecXml / parseSpecXml through the built package
// (ESM and CommonJS), their errors, hostile documents, and
// buildVirtualMachineFromSpec with a spec object against the real mock.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import { KatapultClient, KatapultError, buildSpecXml as buildFromMain, parseSpecXml as parseFromMain } from "katapult-wasm";
import { buildSpecXml, parseSpecXml } from "katapult-wasm/spec";
import { startMock, TOKEN, repo } from "./mock.mjs";

const require = createRequire(import.meta.url);
const golden = (name, ext) => readFileSync(path.join(repo, "tests/data/spec", `${name}.${ext}`), "utf8");

let mock, k;
before(async () => {
  mock = await startMock(["--task-ms", "50"]);
  k = new KatapultClient({ token: TOKEN, baseUrl: mock.baseUrl });
});
after(() => mock?.stop());

/** The KatapultError `fn` throws synchronously. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KatapultError, `expected a KatapultError, got ${e}`);
    assert.equal(e.code, "invalid_argument");
    assert.equal(e.status, 0);
    return e;
  }
  assert.fail("expected a throw");
}

test("buildSpecXml writes the golden documents byte for byte; parseSpecXml reads them back", () => {
  for (const name of ["full", "alternatives", "empty", "escaping"]) {
    const spec = JSON.parse(golden(name, "json"));
    assert.equal(buildSpecXml(spec), golden(name, "xml"), name);
    assert.deepEqual(parseSpecXml(golden(name, "xml")), spec, name);
  }
  assert.deepEqual(parseSpecXml(golden("foreign", "xml")), JSON.parse(golden("foreign", "json")));
});

test("in Node the main entry re-exports both (ESM and CommonJS)", () => {
  const spec = JSON.parse(golden("full", "json"));
  assert.equal(buildFromMain(spec), golden("full", "xml"));
  assert.deepEqual(parseFromMain(golden("full", "xml")), spec);
  const main = require("katapult-wasm");
  assert.equal(main.buildSpecXml({ tags: ["a"] }), buildSpecXml({ tags: ["a"] }));
  assert.throws(() => main.parseSpecXml("<x/>"), (e) => e instanceof KatapultError && e.code === "invalid_argument");
});

test("both are synchronous and the CommonJS entry shares them and the error class", () => {
  const cjs = require("katapult-wasm/spec");
  const main = require("katapult-wasm");
  assert.equal(typeof cjs.buildSpecXml, "function");
  const xml = cjs.buildSpecXml({ hostname: "a" });
  assert.equal(typeof xml, "string");
  assert.equal(xml, buildSpecXml({ hostname: "a" }));
  assert.equal(main.KatapultError, KatapultError, "one KatapultError class for ESM and CJS");
  try {
    cjs.parseSpecXml("<nope/>");
    assert.fail("expected a throw");
  } catch (e) {
    assert.ok(e instanceof KatapultError);
    assert.ok(e instanceof Error);
    assert.match(e.stack, /KatapultError/);
  }
});

test("every text field and attribute escapes <&>\"' and keeps non-ASCII", () => {
  const nasty = `<&>"' ünï 🚀 ]]> <!-- x --> &amp;`;
  const spec = {
    name: nasty,
    description: nasty,
    hostname: nasty,
    data_center: { name: nasty },
    disk_template: { options: [{ key: nasty, value: nasty }] },
    system_disks: [{ name: nasty, speed: nasty, file_system_type: nasty }],
    tags: [nasty],
    authorized_keys: { ssh_keys: [nasty], users: [{ email_address: nasty }] },
  };
  const xml = buildSpecXml(spec);
  assert.ok(!xml.includes("<&>"), "markup characters are escaped");
  assert.ok(!xml.includes("<!-- x -->"));
  assert.ok(xml.includes("&lt;&amp;&gt;&quot;&apos; ünï 🚀 ]]&gt;"));
  assert.ok(xml.includes(`<Option key="&lt;&amp;&gt;&quot;&apos; ünï 🚀 ]]&gt; &lt;!-- x --&gt; &amp;amp;">`));
  assert.deepEqual(parseSpecXml(xml), spec);
});

test("builder errors name the path", () => {
  const cases = [
    [{ network_interfaces: [{}, { network: { name: "x" } }] }, /^spec\.network_interfaces\[1\]\.network has an unknown key "name"; allowed: id, permalink$/],
    [{ network_interfaces: [{ ip_address_allocations: [{ type: "new", version: 5 }] }] }, /^spec\.network_interfaces\[0\]\.ip_address_allocations\[0\]\.version must be 4 or 6$/],
    [{ resources: { memory: 1.5 } }, /^spec\.resources\.memory must be a whole number from 1 to 4294967295$/],
    [{ resources: { memory: 2 ** 53 } }, /^spec\.resources\.memory must be a whole number/],
    [{ resources: { memory: NaN } }, /^spec\.resources\.memory must be a finite number$/],
    [{ resources: { package: { id: "p" }, cpu_cores: 2 } }, /^spec\.resources takes package or cpu_cores, not both$/],
    [{ hostname: { random: "yes" } }, /^spec\.hostname must be a hostname string or \{ random: true \}$/],
    [{ tags: ["ok", 3] }, /^spec\.tags\[1\] must be a string, got a number$/],
    [{ name: "a\u0001b" }, /^spec\.name contains U\+0001, a character XML cannot carry$/],
    [{ name: () => 1 }, /^spec\.name must not be a function$/],
    [{ zones: [] }, /^spec has an unknown key "zones"/],
    ["<VirtualMachineSpec/>", /^spec must be an object, got a string$/],
    [null, /^spec must be an object, got null$/],
  ];
  for (const [spec, message] of cases) assert.match(thrown(() => buildSpecXml(spec)).message, message, JSON.stringify(spec));
});

test("parser errors name the path, line and column", () => {
  const xml = `<?xml version="1.0"?>
<VirtualMachineSpec>
  <NetworkInterfaces>
    <NetworkInterface/>
    <NetworkInterface><Network by="name">x</Network></NetworkInterface>
  </NetworkInterfaces>
</VirtualMachineSpec>`;
  assert.equal(
    thrown(() => parseSpecXml(xml)).message,
    'spec.network_interfaces[1].network does not take by="name"; use no by (an id) or by="permalink" (line 5, column 23)',
  );
  assert.match(thrown(() => parseSpecXml("<Other/>")).message, /^spec XML must have the root element <VirtualMachineSpec>, not <Other>/);
  assert.match(thrown(() => parseSpecXml(42)).message, /^xml must be a string, got a number$/);
  assert.match(thrown(() => parseSpecXml()).message, /^xml must be a string, got null$/);
});

test("hostile documents are refused cleanly and the module stays usable", () => {
  const hostile = [
    [`<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><VirtualMachineSpec><Name>&lol2;</Name></VirtualMachineSpec>`, /DTDs/],
    [`<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><VirtualMachineSpec><Name>&xxe;</Name></VirtualMachineSpec>`, /DTDs/],
    [`<VirtualMachineSpec><Name>&xxe;</Name></VirtualMachineSpec>`, /entity &xxe; is not accepted/],
    [`<VirtualMachineSpec><Description>${"a".repeat(10 * 1024 * 1024)}</Description></VirtualMachineSpec>`, /larger than 1048576 bytes/],
    [`<VirtualMachineSpec>${"<Resources>".repeat(40_000)}${"</Resources>".repeat(40_000)}</VirtualMachineSpec>`, /nested more than 16 deep/],
    ["\u0000", /U\+0000/],
    ["<VirtualMachineSpec", /not closed/],
  ];
  for (const [xml, message] of hostile) assert.match(thrown(() => parseSpecXml(xml)).message, message);
  // A deeply nested spec object is refused by the argument reader too.
  let deep = {};
  for (let i = 0; i < 50; i++) deep = { tags: [deep] };
  assert.match(thrown(() => buildSpecXml(deep)).message, /nested too deeply/);
  // Still healthy afterwards.
  assert.deepEqual(parseSpecXml(buildSpecXml({ tags: ["ok"] })), { tags: ["ok"] });
});

test("buildVirtualMachineFromSpec takes a spec object and sends its XML", async () => {
  const spec = {
    data_center: { permalink: "uk-lon" },
    resources: { package: { permalink: "rock-3" } },
    hostname: "spec-object-1",
    name: "Built from an object",
    tags: ["node"],
  };
  await mock.resetStats();
  const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, spec, { annotations: [{ key: "via", value: "object" }] });
  assert.equal(build.hostname, "spec-object-1");
  const { log } = await mock.stats();
  const body = JSON.parse(log.at(-1).body);
  assert.equal(body.xml, buildSpecXml(spec));
  assert.deepEqual(body.annotations, [{ key: "via", value: "object" }]);
  const done = await k.waitForVirtualMachineBuild(build.virtual_machine_build.id, { intervalMs: 20 });
  assert.equal(done.state, "complete");
  const { virtual_machine } = await k.getVirtualMachine({ id: done.virtual_machine.id });
  assert.equal(virtual_machine.name, "Built from an object");
  assert.deepEqual(parseSpecXml(done.spec_xml), spec, "the build keeps the document, which reads back as the object");
});

test("a bad spec object rejects (never throws) and sends nothing; the mock's own checks still apply", async () => {
  await mock.resetStats();
  let result;
  assert.doesNotThrow(() => { result = k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, { zone: "uk-lon-01" }); });
  await assert.rejects(result, (e) => e instanceof KatapultError && e.code === "invalid_argument" && /^spec\.zone must be \{ id \} or \{ permalink \}, got a string$/.test(e.message));
  assert.equal((await mock.stats()).requests, 0);
  // Well-formed but incomplete: the API (mock) answers 422 validation_error.
  await assert.rejects(k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, { hostname: { random: true } }), (e) =>
    e.code === "validation_error" && e.status === 422 && e.detail.errors.includes("Resources must be specified"));
  // A document the shared parser refuses: 400 invalid_spec_xml with the parser's reason.
  await assert.rejects(k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, "<VirtualMachineSpec><Zone by=\"name\">x</Zone></VirtualMachineSpec>"), (e) =>
    e.code === "invalid_spec_xml" && e.status === 400 && /zone does not take by="name"/.test(e.detail.errors));
});

test("the README's spec example builds, reads back equal, and builds a VM", async () => {
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Spec documents"));
  const literal = /const spec = (\{[\s\S]*?\n\});/.exec(section)?.[1];
  assert.ok(literal, "the README has a `const spec = {…};` example");
  const spec = new Function(`return (${literal});`)();
  const xml = buildSpecXml(spec);
  for (const line of ['<DataCenter by="permalink">uk-lon</DataCenter>', '<Package by="permalink">rock-3</Package>', "<Hostname>web-01</Hostname>"]) {
    assert.ok(xml.includes(line), line);
    assert.ok(section.includes(line), `the README shows ${line}`);
  }
  assert.deepEqual(parseSpecXml(xml), spec);
  const build = await k.buildVirtualMachineFromSpec({ sub_domain: "globex" }, spec);
  assert.equal(build.hostname, "web-01");
});
