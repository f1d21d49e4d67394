// Which answer fields are typed present (API.md "Decoding"): the document's
// `required`, plus every field that recorded live traffic
// (spec/live-presence.json) always carried, at least 5 times, at that place.
//
// A *place* is an operation and a JSON path in its 2xx answer
// (`$.virtual_machines[].zone`): arrays are followed as `[]`, the
// alternatives of a oneOf sit at the same path, and a type met again inside
// itself stops the walk (that inner place is typed by the type's base
// declaration and counts as a place with no evidence).
//
// One object type (a component schema such as `Task`, or an inline object)
// can serve several places. When every place has the same present fields,
// its children's included, its one declaration carries them. When they
// differ, its declaration (the *base*) keeps only the fields present at
// every place, with its children's base declarations, so that every place's
// type is assignable to it, and each other combination gets a *variant*
// declaration of its own (`TaskInGetTask`). A type that request arguments
// also use keeps the document's `required` in its base.

import { readFileSync } from "node:fs";
import { pascal } from "./openapi.mjs";

/** A field is typed present when recorded at least this often, and always there. */
export const MIN_SEEN = 5;

/** The evidence file: `{ fields: [[operationId, path, field, seen, present]], answers_per_operation }`. */
export function loadEvidence(path) {
  const text = readFileSync(path, "utf8");
  return { text, ...parseEvidence(JSON.parse(text)) };
}

export function parseEvidence(json) {
  const cols = json.columns ?? ["operationId", "path", "field", "seen", "present"];
  const at = (name) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`live-presence.json: no column ${name}`);
    return i;
  };
  const [iOp, iPath, iField, iSeen, iPresent] = ["operationId", "path", "field", "seen", "present"].map(at);
  /** `${operationId} ${path} ${field}` -> { seen, present } */
  const rows = new Map();
  for (const r of json.fields) rows.set(`${r[iOp]} ${r[iPath]} ${r[iField]}`, { seen: r[iSeen], present: r[iPresent] });
  return { rows, answers: json.answers_per_operation ?? {} };
}

/**
 * The presence analysis of `model` (codegen/openapi.mjs `load()`) against
 * `evidence` (`loadEvidence`/`parseEvidence`).
 *
 * Returns:
 * - `operations`: `{ [operationId]: { recorded, answers, tree } }`, `tree`
 *   the answer's place tree (null for a text answer). A tree is
 *   `{ object: Node } | { array: Tree } | { oneOf: Tree[] } | { value: true }`
 *   and a Node is
 *   `{ path, schema, name, present: string[], required: string[], live: string[], fields: { [field]: Tree }, recursive?: true }`:
 *   `schema` the document's name of the object's type, `name` the
 *   TypeScript declaration used there, `present` every field typed present
 *   (sorted), `required` those the document requires, `live` those typed
 *   present from recorded traffic alone (present minus required). `fields`
 *   holds only fields whose type contains objects. A `recursive` node is
 *   where the walk stopped: it is typed by the base declaration and has no
 *   `fields`.
 * - `places`: `{ [operationId]: [{ path, schema, name, present, required, live }] }`,
 *   the same nodes flat, in walk order (a oneOf gives several at one path).
 * - `declarations`: `Map<typeKey, { base, variants }>` for every object type
 *   at some place; `base` and each variant are
 *   `{ name, present: Set, fields: Map<field, tree> | null, places: [{ operationId, path }] }`
 *   (`fields` null: every field's type is written with its base names;
 *   `base.uniform`: every place has the same present fields, all the way down,
 *   so the base carries them and there are no variants).
 * - `trees`: `Map<operationId, tree>`, the place trees as the generator uses
 *   them (nodes also carry `typeKey`, the model's key of their type).
 * - `summary`: `{ operations, recordedOperations, objectTypes, places,
 *   recursivePlaces, typesWithDisagreeingPlaces, distinctPresentSetsAmongThem,
 *   variants, typesWithVariants, fieldsTypedPresent (at every non-recursive
 *   place, the document's required included), fieldsTypedPresentFromLiveTraffic,
 *   unmatchedEvidence }` (places and sets compared with their children's).
 */
export function analyse(model, evidence) {
  const { rows, answers } = evidence;
  const types = model.types;
  const opsById = new Map(model.operations.map((op) => [op.id, op]));

  // Object types reachable from request arguments keep the document's `required`.
  const inArgs = new Set();
  const reach = (ref) => {
    const t = types.get(ref.type);
    if (!t) return;
    if (t.kind === "obj" || t.kind === "lookup") {
      if (inArgs.has(ref.type)) return;
      inArgs.add(ref.type);
      for (const f of t.fields) reach(f.ref);
    } else if (t.kind === "arr") reach(t.items);
    else if (t.kind === "oneof") t.refs.forEach(reach);
    else if (t.kind === "alias") reach(t.target);
  };
  for (const op of model.operations) for (const a of op.args) reach(a.ref);

  // 1. The place trees.
  /** typeKey -> [Node] */
  const nodesOf = new Map();
  const usedRows = new Set();
  const walk = (op, ref, path, stack) => {
    const t = types.get(ref.type);
    switch (t.kind) {
      case "arr": {
        const inner = walk(op, t.items, `${path}[]`, stack);
        return inner.value ? inner : { array: inner };
      }
      case "alias":
        return walk(op, t.target, path, stack);
      case "oneof": {
        const alts = t.refs.map((r) => walk(op, r, path, stack));
        return alts.every((a) => a.value) ? { value: true } : { oneOf: alts };
      }
      case "obj":
        break;
      default:
        return { value: true };
    }
    const required = t.fields.filter((f) => f.required).map((f) => f.name);
    const node = { path, schema: t.name, typeKey: ref.type, operationId: op.id, name: null, present: null, required: [...required].sort(), live: [], fields: {} };
    if (!nodesOf.has(ref.type)) nodesOf.set(ref.type, []);
    nodesOf.get(ref.type).push(node);
    if (stack.includes(ref.type)) {
      node.recursive = true;
      node.present = [...required].sort();
      return { object: node };
    }
    const present = new Set(required);
    for (const f of t.fields) {
      const key = `${op.id} ${path} ${f.name}`;
      const r = rows.get(key);
      if (r) usedRows.add(key);
      if (!f.required && r && r.seen >= MIN_SEEN && r.present === r.seen) {
        present.add(f.name);
        node.live.push(f.name);
      }
      const child = walk(op, f.ref, `${path}.${f.name}`, [...stack, ref.type]);
      if (!child.value) node.fields[f.name] = child;
    }
    node.present = [...present].sort();
    node.live.sort();
    return { object: node };
  };
  const trees = new Map();
  for (const op of model.operations) {
    trees.set(op.id, op.response.json ? walk(op, op.response.ref, "$", []) : null);
  }
  const unmatched = [...rows.keys()].filter((k) => !usedRows.has(k));

  // 2. Deep signatures: a node's present fields and its children's, all the way down.
  const sigOf = new Map();
  const treeSig = (tree) => {
    if (tree.object) return nodeSig(tree.object);
    if (tree.array) return `[${treeSig(tree.array)}]`;
    if (tree.oneOf) return `(${tree.oneOf.map(treeSig).join("|")})`;
    return "";
  };
  const nodeSig = (node) => {
    if (sigOf.has(node)) return sigOf.get(node);
    const s = node.recursive
      ? `^${node.typeKey}`
      : `${node.typeKey}{${node.present.join(",")}|${Object.entries(node.fields).map(([k, v]) => `${k}=${treeSig(v)}`).join(",")}}`;
    sigOf.set(node, s);
    return s;
  };
  for (const nodes of nodesOf.values()) nodes.forEach(nodeSig);

  // 3. Per type: uniform (one declaration) or a base and variants.
  const baseName = (key) => types.get(key).name;
  const info = new Map();
  for (const [key, nodes] of nodesOf) {
    const sigs = new Set(nodes.map((n) => sigOf.get(n)));
    const uniform = sigs.size === 1 && !nodes[0].recursive && !inArgs.has(key);
    const t = types.get(key);
    let basePresent;
    if (inArgs.has(key)) basePresent = new Set(t.fields.filter((f) => f.required).map((f) => f.name));
    else basePresent = new Set(nodes[0].present.filter((f) => nodes.every((n) => n.present.includes(f))));
    info.set(key, { uniform, basePresent, sigs });
  }
  // Whether a node is typed exactly by its type's base declaration.
  const isBaseMemo = new Map();
  const treeIsBase = (tree) => {
    if (tree.object) return nodeIsBase(tree.object);
    if (tree.array) return treeIsBase(tree.array);
    if (tree.oneOf) return tree.oneOf.every(treeIsBase);
    return true;
  };
  const nodeIsBase = (node) => {
    if (isBaseMemo.has(node)) return isBaseMemo.get(node);
    const i = info.get(node.typeKey);
    let r;
    if (node.recursive || i.uniform) r = true;
    else {
      r = node.present.length === i.basePresent.size && node.present.every((f) => i.basePresent.has(f)) && Object.values(node.fields).every(treeIsBase);
    }
    isBaseMemo.set(node, r);
    return r;
  };

  // 4. Variants: one per type and distinct signature not typed by the base.
  const declarations = new Map();
  const opName = (id) => opsById.get(id).name;
  const taken = new Set([...types.values()].map((t) => t.name).filter(Boolean));
  for (const [key, nodes] of nodesOf) {
    const i = info.get(key);
    const t = types.get(key);
    const placesOf = (ns) => ns.map((n) => ({ operationId: n.operationId, path: n.path }));
    const rep = nodes.find((n) => !n.recursive);
    const base = i.uniform
      ? { name: t.name, uniform: true, present: new Set(rep.present), fields: new Map(Object.entries(rep.fields)), places: placesOf(nodes) }
      : { name: t.name, uniform: false, present: i.basePresent, fields: null, places: [] };
    const variants = [];
    const bySig = new Map();
    for (const n of nodes) {
      if (nodeIsBase(n)) {
        n.name = t.name;
        if (!i.uniform) base.places.push({ operationId: n.operationId, path: n.path });
        continue;
      }
      const s = sigOf.get(n);
      let v = bySig.get(s);
      if (!v) {
        v = { name: null, present: new Set(n.present), fields: new Map(Object.entries(n.fields)), places: [], nodes: [] };
        bySig.set(s, v);
        variants.push(v);
      }
      v.places.push({ operationId: n.operationId, path: n.path });
      v.nodes.push(n);
    }
    // Names: `${Type}In${Operation}`, after the operation of its most direct
    // place (the shortest path; a GET before others; then document order);
    // where that operation names two variants, its path too.
    const depth = (path) => path.split(/\.|\[\]/).length;
    const order = new Map(model.operations.map((op, i) => [op.id, i]));
    const rank = (pl) => [depth(pl.path), opsById.get(pl.operationId).method === "GET" ? 0 : 1, order.get(pl.operationId)];
    const cmp = (a, b) => {
      const x = rank(a), y = rank(b);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
      return 0;
    };
    for (const v of variants) v.home = [...v.places].sort(cmp)[0];
    const counts = new Map();
    for (const v of variants) counts.set(v.home.operationId, (counts.get(v.home.operationId) ?? 0) + 1);
    for (const v of variants) {
      let name = `${t.name}In${pascal(opName(v.home.operationId))}`;
      if (counts.get(v.home.operationId) > 1) {
        const segs = v.home.path.split(".").map((s) => s.replace(/\[\]$/, "")).filter((s) => s !== "$");
        name += `At${segs.map(pascal).join("")}`;
      }
      let n = name;
      for (let k = 2; taken.has(n); k++) n = `${name}${k}`;
      taken.add(n);
      v.name = n;
      for (const node of v.nodes) node.name = n;
      delete v.nodes;
      delete v.home;
    }
    declarations.set(key, { base, variants });
  }

  // 5. The exported views.
  const clean = (tree) => {
    if (!tree) return null;
    if (tree.object) {
      const n = tree.object;
      const out = { path: n.path, schema: n.schema, name: n.name, present: n.present, required: n.required, live: n.live, fields: {} };
      for (const [k, v] of Object.entries(n.fields)) out.fields[k] = clean(v);
      if (n.recursive) out.recursive = true;
      return { object: out };
    }
    if (tree.array) return { array: clean(tree.array) };
    if (tree.oneOf) return { oneOf: tree.oneOf.map(clean) };
    return { value: true };
  };
  const operations = {};
  const places = {};
  for (const op of model.operations) {
    const tree = clean(trees.get(op.id));
    operations[op.id] = { recorded: op.id in answers, answers: answers[op.id] ?? 0, tree };
    const flat = [];
    const visit = (tr) => {
      if (!tr) return;
      if (tr.object) {
        const { fields, ...rest } = tr.object;
        flat.push(rest);
        Object.values(fields).forEach(visit);
      } else if (tr.array) visit(tr.array);
      else if (tr.oneOf) tr.oneOf.forEach(visit);
    };
    visit(tree);
    places[op.id] = flat;
  }

  const allNodes = [...nodesOf.values()].flat();
  const live = allNodes.filter((n) => !n.recursive);
  const disagreeing = [...info.entries()].filter(([, i]) => i.sigs.size > 1);
  const summary = {
    operations: model.operations.length,
    recordedOperations: model.operations.filter((op) => op.id in answers).length,
    objectTypes: nodesOf.size,
    places: live.length,
    recursivePlaces: allNodes.length - live.length,
    typesWithDisagreeingPlaces: disagreeing.length,
    distinctPresentSetsAmongThem: disagreeing.reduce((s, [, i]) => s + i.sigs.size, 0),
    variants: [...declarations.values()].reduce((s, d) => s + d.variants.length, 0),
    typesWithVariants: [...declarations.values()].filter((d) => d.variants.length).length,
    fieldsTypedPresent: live.reduce((s, n) => s + n.present.length, 0),
    fieldsTypedPresentFromLiveTraffic: live.reduce((s, n) => s + n.live.length, 0),
    unmatchedEvidence: unmatched.length,
  };
  if (unmatched.length) throw new Error(`live-presence.json rows with no place in the document: ${unmatched.slice(0, 5).join("; ")}`);
  return { operations, places, declarations, trees, summary };
}

/**
 * `src/generated/presence.js`: per operation, the fields the live API
 * always sent where the document does not require them (the `live` fields
 * of each place), for the run-time check that warns when one is left out
 * (API.md "Decoding"). A place is its path below the answer, without the
 * leading `$.`; where oneOf alternatives share a path, only the fields
 * every alternative has live are listed.
 */
export function presenceJs(analysis, header) {
  const rows = [];
  for (const [operationId, places] of Object.entries(analysis.places)) {
    const byPath = new Map();
    for (const place of places) {
      const live = new Set(place.live);
      const before = byPath.get(place.path);
      byPath.set(place.path, before ? new Set([...before].filter((f) => live.has(f))) : live);
    }
    const text = [...byPath]
      .filter(([, fields]) => fields.size)
      .map(([path, fields]) => `${path.replace(/^\$\.?/, "")}:${[...fields].sort().join(",")}`)
      .join(";");
    if (text) rows.push(`  ${JSON.stringify(operationId)}: ${JSON.stringify(text)},`);
  }
  return `${header.trim()}
//
// The fields recorded live traffic always had where the document does not
// require them, per operation: "path:field,field;…" (path below the
// answer, "[]" for each item of a list). src/js/presence.js warns through
// the logger, once per field and place, when an answer leaves one out.
export const LIVE_FIELDS = {
${rows.join("\n")}
};
`;
}
