// codegen/presence.mjs: which answer fields are typed present (API.md
// "Decoding"), per place, against spec/live-presence.json; and that the
// generated declarations follow it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { repo } from "./mock.mjs";
import { load } from "../../codegen/openapi.mjs";
import { analyse, loadEvidence, parseEvidence, MIN_SEEN } from "../../codegen/presence.mjs";

const model = load(`${repo}/spec/katapult-core-openapi.json`);
const evidence = loadEvidence(`${repo}/spec/live-presence.json`);
const p = analyse(model, evidence);
const dts = readFileSync(`${repo}/src/generated/types.d.ts`, "utf8");
const place = (id, path) => {
  const found = p.places[id].filter((n) => n.path === path);
  assert.equal(found.length, 1, `${id} ${path}`);
  return found[0];
};

test("the project's evidence is shared/'s, byte for byte", { skip: !existsSync(`${repo}/../shared/live-presence.json`) }, () => {
  assert.ok(readFileSync(`${repo}/spec/live-presence.json`).equals(readFileSync(`${repo}/../shared/live-presence.json`)));
});

test("every evidence row has its place in the document", () => {
  assert.equal(p.summary.unmatchedEvidence, 0);
  assert.equal(p.summary.operations, model.operations.length);
  assert.equal(p.summary.recordedOperations, Object.keys(evidence.answers).length);
});

test("a field is typed present when the document requires it, or it was there in every one of at least 5 recorded objects", () => {
  let checked = 0;
  for (const [id, nodes] of Object.entries(p.places)) {
    for (const n of nodes) {
      if (n.recursive) {
        assert.deepEqual(n.present, n.required, `${id} ${n.path}: a recursive place has only the document's required`);
        continue;
      }
      const type = model.types.get([...model.types.keys()].find((k) => model.types.get(k).name === n.schema && model.types.get(k).kind === "obj"));
      for (const f of type.fields) {
        const row = evidence.rows.get(`${id} ${n.path} ${f.name}`);
        const live = !!row && row.seen >= MIN_SEEN && row.present === row.seen;
        assert.equal(n.present.includes(f.name), f.required || live, `${id} ${n.path} ${f.name}`);
        assert.equal(n.live.includes(f.name), !f.required && live, `${id} ${n.path} ${f.name}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 4000, `${checked} field-places`);
});

test("fewer than 5 recorded objects, or one without the field, leave it optional", () => {
  const rows = parseEvidence({
    columns: ["operationId", "path", "field", "seen", "present"],
    answers_per_operation: { "get:task": 4 },
    fields: [
      ["get:task", "$", "task", 4, 4],
      ["get:task", "$.task", "id", 4, 4],
    ],
  });
  const few = analyse(model, rows);
  assert.deepEqual(few.places["get:task"].find((n) => n.path === "$.task").present, []);
  const missing = analyse(model, parseEvidence({
    answers_per_operation: { "get:task": 9 },
    fields: [["get:task", "$.task", "id", 9, 9], ["get:task", "$.task", "name", 9, 8]],
  }));
  assert.deepEqual(missing.places["get:task"].find((n) => n.path === "$.task").present, ["id"]);
});

test("API.md's examples: a VM list item, a task, a trash object", () => {
  const item = place("get:organization_virtual_machines", "$.virtual_machines[]");
  for (const f of ["id", "name", "fqdn", "zone"]) assert.ok(item.present.includes(f), f);
  assert.ok(!item.present.includes("state"));
  assert.ok(place("get:organization_virtual_machines", "$.virtual_machines[].zone.data_center").present.includes("name"));
  assert.ok(!place("get:organization_virtual_machines", "$.virtual_machines[].zone.data_center").present.includes("country"));
  assert.ok(place("get:task", "$.task").present.includes("id"));
  assert.ok(place("delete:virtual_machine", "$.trash_object").present.includes("id"));
  // An operation never recorded: only the document's required.
  const never = model.operations.find((op) => !(op.id in evidence.answers) && op.response.json);
  for (const n of p.places[never.id]) assert.deepEqual(n.present, n.required);
});

test("a named type's base has only what every place has; each place's own type is a variant with more", () => {
  let variants = 0;
  for (const [key, d] of p.declarations) {
    const t = model.types.get(key);
    for (const v of d.variants) {
      variants++;
      for (const f of d.base.present) assert.ok(v.present.has(f), `${v.name} lacks ${f} of ${t.name}`);
      assert.match(dts, new RegExp(`\\nexport interface ${v.name} \\{`), v.name);
      for (const pl of v.places) assert.equal(place(pl.operationId, pl.path).name, v.name);
    }
    if (!d.base.uniform) {
      for (const nodes of Object.values(p.places)) {
        for (const n of nodes) if (n.schema === t.name) for (const f of d.base.present) assert.ok(n.present.includes(f), `${t.name}.${f} at ${n.path}`);
      }
    }
  }
  assert.equal(variants, p.summary.variants);
  assert.ok(variants > 0);
});

test("a type that arguments use keeps the document's required in its base", () => {
  const argTypes = new Set();
  const reach = (ref) => {
    const t = model.types.get(ref.type);
    if (argTypes.has(ref.type)) return;
    if (t.kind === "obj" || t.kind === "lookup") {
      argTypes.add(ref.type);
      t.fields.forEach((f) => reach(f.ref));
    } else if (t.kind === "arr") reach(t.items);
    else if (t.kind === "oneof") t.refs.forEach(reach);
    else if (t.kind === "alias") reach(t.target);
  };
  for (const op of model.operations) op.args.forEach((a) => reach(a.ref));
  for (const [key, d] of p.declarations) {
    if (!argTypes.has(key)) continue;
    const t = model.types.get(key);
    assert.deepEqual([...d.base.present].sort(), t.fields.filter((f) => f.required).map((f) => f.name).sort(), t.name);
  }
});

test("the generated declarations type present fields plainly", () => {
  const decl = (name) => new RegExp(`\\nexport interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(dts)?.[1] ?? "";
  const item = decl(place("get:organization_virtual_machines", "$.virtual_machines[]").name);
  assert.match(item, /\n {2}id: string;/);
  assert.match(item, /\n {2}hypervisor\?: /);
  const dc = decl(place("get:organization_virtual_machines", "$.virtual_machines[].zone.data_center").name);
  assert.match(dc, /\n {2}name: string;/);
  assert.match(dc, /\n {2}country\?: /);
  assert.match(decl(place("get:task", "$.task").name), /\n {2}id: string;/);
  assert.match(decl("Task"), /\n {2}id\?: string;/);
});
