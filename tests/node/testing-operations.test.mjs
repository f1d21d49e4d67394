// Every operation of the client's table against the in-process mock
// (katapult-wasm/testing): `client.request(operationId, params)` with
// arguments built from the OpenAPI document resolves (a 2xx answer the
// client decoded) holding nothing the document does not list, and each
// lookup that names nothing rejects with one of the operation's documented
// 404 codes.
//
// The arguments are built as mock/tests/every_operation.rs builds them for
// the server, from the document (not from the package's tables): lookups
// name objects the mock answered before (listed ones, and ones earlier
// operations created), so an operation runs once everything it must name
// is known; deletes run last, each on an object created for it just
// before; what needs a deleted object (the trash) runs after them, and
// emptying the trash last. Objects no operation lists (an object storage
// cluster, named by its region) are the engine's catalogue, looked up by
// the value mock-core's seed gives them (`<kind with dashes>-1`). Tasks
// complete at once: the mock reads the time from Date.now(), which the
// test moves on after each task.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KatapultClient, operations } from "katapult-wasm";
import { createMockKatapult } from "katapult-wasm/testing";
import { argumentsOf, documentOperations, loadSpec, subjectsOf } from "../contract/examples.mjs";

const spec = loadSpec();
const byId = new Map(documentOperations(spec).map((d) => [d.id, d]));

/** The schema a node stands for ($refs followed, a one-element allOf unwrapped), and its $ref name. */
function resolve(node) {
  let n = node;
  let name = null;
  for (let i = 0; i < 32 && n; i++) {
    if (n.$ref) {
      name = n.$ref.split("/").pop();
      n = n.$ref.split("/").slice(1).reduce((o, k) => o?.[k], spec);
    } else if (Array.isArray(n.allOf) && n.allOf.length === 1) {
      n = n.allOf[0];
    } else if (n.type && typeof n.type === "object") {
      n = n.type;
    } else break;
  }
  return { schema: n ?? {}, name };
}

const isObject = (s) => !!s.properties || s.type === "object";

/** The object schema a node describes and whether it is a list of them; null for scalars. */
function objectOf(node) {
  const { schema } = resolve(node);
  if (schema.type === "array") {
    const items = resolve(schema.items).schema;
    return isObject(items) ? { object: items, array: true } : null;
  }
  return isObject(schema) ? { object: schema, array: false } : null;
}

/** `dns_zones` → `dns_zone`, `policies` → `policy`, `addresses` → `address` (mock-core's rule). */
function singular(key) {
  if (key.endsWith("ies")) return `${key.slice(0, -3)}y`;
  if (key.endsWith("sses")) return key.slice(0, -2);
  if (key.endsWith("s")) return key.slice(0, -1);
  return key;
}

/** The JSON schema of an operation's 2xx answer, or null for a text answer. */
function answerSchema(entry) {
  const [, ok] = Object.entries(entry.op.responses).find(([s]) => s.startsWith("2"));
  const content = resolve(ok).schema.content ?? {};
  return content["application/json"]?.schema ?? null;
}

// Kinds: the keys objects are answered under, and the keys each is looked up by.
const answered = new Set();
const lookupKeys = new Map();
for (const entry of byId.values()) {
  const schema = answerSchema(entry);
  for (const [key, node] of Object.entries(schema ? resolve(schema).schema.properties ?? {} : {})) {
    if (key === "pagination" || key === "annotations") continue;
    const o = objectOf(node);
    if (o) answered.add(o.array ? singular(key) : key);
  }
}
/** The kind a name stands for: itself when objects are answered under it, else the one answered kind ending with it. */
function kindOf(name) {
  if (answered.has(name)) return name;
  const matching = [...answered].filter((k) => k.endsWith(`_${name}`));
  return matching.length === 1 ? matching[0] : name;
}
for (const entry of byId.values()) {
  for (const a of argumentsOf(spec, entry.op).filter((a) => a.lookup)) {
    const keys = lookupKeys.get(kindOf(a.name)) ?? new Set();
    for (const k of a.keys) keys.add(k);
    lookupKeys.set(kindOf(a.name), keys);
  }
}
const keysOf = (kind) => [...(lookupKeys.get(kind) ?? [])].sort((a, b) => (a === "id" ? -1 : b === "id" ? 1 : 0));

/** Values the engine checks beyond the document's types (as mock/tests/every_operation.rs gives them; the spec names the empty seed's zone and package). */
const EXAMPLES = {
  "post:organization_ssh_keys": { ssh_key: { name: "laptop", key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx2 me@host" } },
  "post:organization_virtual_machines_build_from_spec": {
    xml: '<VirtualMachineSpec><Zone by="permalink">zone-1</Zone><Resources><Package by="permalink">virtual-machine-package-1</Package></Resources></VirtualMachineSpec>',
  },
  "put:disk_resize": { size_in_gb: 500 },
  "put:virtual_machine_flexible_resources": { resources: { cpu_cores: 2, memory_in_gb: 4 } },
  "post:virtual_machine_network_interface_allocate_new_ip": { address_version: "ipv4" },
  "post:virtual_machine_disk_backup_policies": { properties: { retention: 7, schedule: { interval: "daily", frequency: 1, time: 3, minute: 0 } } },
  "patch:ip_address": { reverse_dns: "mail.example.com" },
};

/** Objects answered so far, by kind, preferred first. */
class Pool {
  objects = new Map();

  /** Keeps the objects an answer's top-level key holds, under the kind the key names. */
  harvest(key, value) {
    const [kind, list] = Array.isArray(value) ? [kindOf(singular(key)), value] : [kindOf(key), [value]];
    const keys = keysOf(kind);
    for (const o of list) {
      if (!o || typeof o !== "object") continue;
      const k = keys.find((k) => typeof o[k] === "string");
      if (!k) continue;
      const known = this.objects.get(kind) ?? [];
      if (!known.some((x) => x[k] === o[k])) known.push(o);
      this.objects.set(kind, known);
    }
  }

  forget(kind, lookup) {
    const [[key, value]] = Object.entries(lookup);
    this.objects.set(kind, (this.objects.get(kind) ?? []).filter((o) => o[key] !== value));
  }

  preferNewest(kind) {
    const list = this.objects.get(kind);
    if (list?.length) list.unshift(list.pop());
  }

  /** A lookup of an object of `kind` by one of `keys`, else of the catalogue's first one (kinds no answer holds). */
  lookup(kind, keys) {
    const sorted = [...keys].sort((a, b) => (a === "id" ? -1 : b === "id" ? 1 : 0));
    for (const o of this.objects.get(kind) ?? []) {
      const k = sorted.find((k) => typeof o[k] === "string");
      if (k) return { [k]: o[k] };
    }
    const other = sorted.find((k) => k !== "id");
    if (!answered.has(kind) && other) return { [other]: `${kind.replace(/_/g, "-")}-1` };
    return null;
  }
}

class Unknown extends Error {}

/** An example of a value of `node` (`name` is its argument or field). */
function example(node, name, pool, depth = 0) {
  const { schema, name: ref } = resolve(node);
  if (ref?.endsWith("Lookup") && schema.properties) {
    const found = pool.lookup(kindOf(name), Object.keys(schema.properties));
    if (!found) throw new Unknown(`no ${kindOf(name)} known`);
    return found;
  }
  if (schema.oneOf) return example(schema.oneOf[0], name, pool, depth);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "string": return `example-${name.replace(/_/g, "-")}`;
    case "integer":
    case "number": return 1;
    case "boolean": return true;
    case "array": return [];
    default: {
      if (!schema.properties) return {};
      const out = {};
      for (const k of schema.required ?? []) out[k] = example(schema.properties[k], k, pool, depth + 1);
      return out;
    }
  }
}

/** The arguments of one operation: every lookup it can give, every required value; Unknown names what is not known yet. */
function params(entry, pool) {
  const subjects = subjectsOf(spec, entry);
  const out = {};
  for (const a of argumentsOf(spec, entry.op)) {
    if (!a.lookup && !a.schema) continue; // arrays of objects (annotations[][key])
    if (a.lookup) {
      const found = pool.lookup(kindOf(a.name), a.keys);
      if (found) out[a.name] = found;
      else if (a.required || subjects.includes(a.name)) throw new Unknown(`no ${kindOf(a.name)} known`);
      continue;
    }
    if (!a.required) continue;
    out[a.name] = example(a.schema, a.name, pool);
  }
  return { ...out, ...(EXAMPLES[entry.id] ?? {}) };
}

/** The error codes a response documents (every alternative's `code` enum). */
function codes(node, depth = 0) {
  if (!node || depth > 8) return [];
  const { schema } = resolve(node);
  const inner = schema.content?.["application/json"]?.schema;
  if (inner) return codes(inner, depth + 1);
  const alternatives = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].flatMap((alt) => codes(alt, depth + 1));
  const own = schema.properties?.code ? resolve(schema.properties.code).schema.enum ?? [] : [];
  return [...own, ...alternatives];
}

/** Keys of `value` the schema does not list, anywhere (the live API sends no more). */
function unlisted(value, node, at = "$") {
  const { schema } = resolve(node);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const tries = alternatives.map((alt) => unlisted(value, alt, at));
    return tries.find((t) => t.length === 0) ?? tries[0] ?? [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => (schema.items ? unlisted(v, schema.items, `${at}[${i}]`) : []));
  if (value && typeof value === "object" && schema.properties) {
    return Object.entries(value).flatMap(([k, v]) => (k in schema.properties ? unlisted(v, schema.properties[k], `${at}.${k}`) : [`${at}.${k}`]));
  }
  return [];
}

test("every operation of the table answers the client in-process: 2xx decoded, and its lookups' documented 404s", async (t) => {
  const mock = createMockKatapult({ seed: "empty" });
  const k = new KatapultClient({ token: mock.token, fetch: mock.fetch, maxRetries: 0 });
  const realNow = Date.now;
  let offset = 0;
  Date.now = () => realNow() + offset;
  t.after(() => {
    Date.now = realNow;
  });
  const pool = new Pool();
  const outcomes = new Map();
  let lookupsChecked = 0;

  /** Runs one operation with these arguments; keeps what it answered. */
  async function run(o, p) {
    const entry = byId.get(o.operationId);
    // A console session needs a started VM (else 406
    // virtual_machine_must_be_started, as the live API answers): an earlier
    // power action may have stopped the one it names.
    if (o.operationId === "post:virtual_machine_console_sessions") {
      await k.request("post:virtual_machine_start", { virtual_machine: p.virtual_machine }).catch(() => {});
      offset += 60_000;
    }
    let body;
    try {
      body = await k.request(o.operationId, p);
    } catch (e) {
      outcomes.set(o.operationId, `${e.code} (${e.status}) for ${JSON.stringify(p)}: ${e.message}`);
      return;
    }
    const schema = answerSchema(entry);
    if (schema === null) {
      if (typeof body !== "string") return outcomes.set(o.operationId, `a text answer resolved to ${typeof body}`);
    } else {
      const extra = unlisted(body, schema);
      if (extra.length) return outcomes.set(o.operationId, `sent what the document lacks: ${extra.join(", ")}`);
      for (const [key, value] of Object.entries(body)) pool.harvest(key, value);
    }
    // A restored trash object is gone, as a deleted object is.
    if (o.method === "DELETE" || o.operationId === "post:trash_object_restore") {
      for (const s of subjectsOf(spec, entry)) if (p[s]) pool.forget(kindOf(s), p[s]);
    }
    // Tasks finish: the mock's clock is Date.now().
    if (body && body.task) offset += 60_000;
    outcomes.set(o.operationId, (await notFound(o, p)) ?? "passed");
  }

  /** For each lookup, the same request naming nothing rejects with a documented 404 code. */
  async function notFound(o, p) {
    const documented = codes(byId.get(o.operationId).op.responses["404"]);
    for (const a of argumentsOf(spec, byId.get(o.operationId).op).filter((a) => a.lookup && p[a.name])) {
      const [key] = Object.keys(p[a.name]);
      const e = await k.request(o.operationId, { ...p, [a.name]: { [key]: "nothing-here" } }).then(() => null, (e) => e);
      lookupsChecked++;
      if (!e || e.status !== 404 || !documented.includes(e.code)) {
        return `${a.name} naming nothing: ${e ? `${e.status} ${e.code}` : "resolved"}`;
      }
    }
    return null;
  }

  /** Runs each operation once all it names is known, while that makes progress; the rest. */
  async function runWhenKnown(pending) {
    for (;;) {
      let ran = false;
      const later = [];
      for (const o of pending) {
        let p;
        try {
          p = params(byId.get(o.operationId), pool);
        } catch (e) {
          if (!(e instanceof Unknown)) throw e;
          later.push(o);
          continue;
        }
        await run(o, p);
        ran = true;
      }
      if (!ran || later.length === 0) return later;
      pending = later;
    }
  }

  /**
   * The kind a POST creates, if it creates (mock-core's plan.rs rule): what
   * the list at its path lists, else the one object of its answer that it
   * does not look up.
   */
  function created(o) {
    const entry = byId.get(o.operationId);
    const schema = answerSchema(entry);
    const objects = Object.entries(schema ? resolve(schema).schema.properties ?? {} : {})
      .filter(([, node]) => objectOf(node)?.array === false)
      .map(([key]) => kindOf(key));
    const list = operations.find((l) => l.path === o.path && l.method === "GET" && l.items);
    if (list && objects.includes(kindOf(singular(list.items)))) return kindOf(singular(list.items));
    const looked = new Set(argumentsOf(spec, entry.op).filter((a) => a.lookup).map((a) => kindOf(a.name)));
    const fresh = objects.filter((k) => k !== "task" && !looked.has(k));
    fresh.sort((a, b) => Number(!lookupKeys.has(a)) - Number(!lookupKeys.has(b)));
    return fresh[0] ?? null;
  }

  /** The POST that creates objects of `kind`. */
  const creator = (kind) => operations.find((o) => o.method === "POST" && created(o) === kind);

  /** Each delete on an object of its kind created for it just before. */
  async function deleteEach(deletes) {
    for (const o of deletes) {
      const entry = byId.get(o.operationId);
      const subjects = subjectsOf(spec, entry);
      const kind = kindOf(subjects[subjects.length - 1] ?? "");
      const create = creator(kind);
      if (create) {
        try {
          await run(create, params(byId.get(create.operationId), pool));
          pool.preferNewest(kind);
        } catch (e) {
          if (!(e instanceof Unknown)) throw e;
        }
      }
      try {
        await run(o, params(entry, pool));
      } catch (e) {
        if (!(e instanceof Unknown)) throw e;
        outcomes.set(o.operationId, e.message);
      }
    }
  }

  assert.equal(operations.length, 189);
  let pending = await runWhenKnown(operations.filter((o) => o.method !== "DELETE"));
  const deletes = operations.filter((o) => o.method === "DELETE" && o.operationId !== "delete:trash_object");
  await deleteEach(deletes);
  pending = await runWhenKnown(pending);
  await deleteEach(operations.filter((o) => o.operationId === "delete:trash_object"));
  for (const o of pending) {
    try {
      params(byId.get(o.operationId), pool);
    } catch (e) {
      outcomes.set(o.operationId, e.message);
    }
  }

  const failed = [...outcomes].filter(([, why]) => why !== "passed").map(([id, why]) => `${id}: ${why}`);
  console.log(`# ${outcomes.size - failed.length} of ${operations.length} operations answered 2xx in-process, decoded, and found nothing where told to (${lookupsChecked} lookups checked); ${mock.calls.length} requests`);
  assert.deepEqual(failed, []);
  assert.equal(outcomes.size, operations.length, "every operation ran");
});
