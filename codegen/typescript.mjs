// The TypeScript side of the generated code: every schema an answer can
// contain as a named declaration, with its fields typed present where the
// document requires them or recorded live traffic always had them
// (codegen/presence.mjs, API.md "Decoding"), optional otherwise
// (`field?: T`, `field?: T | null` where it is nullable); per operation its
// arguments, result and documented error codes; the error codes and the
// `detail` of each; and the JSDoc of all of it (summary, description,
// route, scopes, error codes).

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const prop = (name) => (IDENT.test(name) ? name : JSON.stringify(name));
const code = (s) => `\`${s}\``;

/** The codes the client itself produces (API.md "Errors"). */
export const CLIENT_ERROR_CODES = [
  "invalid_argument", "network_error", "timeout", "aborted", "invalid_response",
  "response_too_large", "task_failed", "build_failed",
];

/** A JSDoc block for `text` at `indent`, or "". */
export function doc(text, indent = "") {
  if (!text) return "";
  const lines = String(text).replace(/\*\//g, "*\\/").trim().split(/\r?\n/);
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ""}`).join("\n")}\n${indent} */\n`;
}

export function tsNames(model) {
  /** The declared name of a type key, or null for types written inline. */
  const nameOf = (key) => {
    const t = model.types.get(key);
    return t.name ?? null;
  };

  const tsType = (key) => {
    const t = model.types.get(key);
    const name = nameOf(key);
    if (name) return name;
    switch (t.kind) {
      case "any": return "unknown";
      case "str": return "string";
      case "int":
      case "num": return "number";
      case "bool": return "boolean";
      case "arr": return arrayOf(tsRef(t.items));
      case "oneof": return t.refs.map(tsRef).join(" | ");
      case "lookup": return lookupUnion(t);
      case "obj": return `{ ${t.fields.map((f) => `${prop(f.name)}${f.required ? "" : "?"}: ${tsRef(f.ref)};`).join(" ")} }`;
      default: throw new Error(`no inline TypeScript for ${key}`);
    }
  };
  const tsRef = (ref) => (ref.nullable ? `${tsType(ref.type)} | null` : tsType(ref.type));
  /** Exactly one key: `{ id: string; fqdn?: never } | { fqdn: string; id?: never }`. */
  const lookupUnion = (t) =>
    t.fields
      .map((f) => `{ ${[`${prop(f.name)}: ${tsRef(f.ref)};`, ...t.fields.filter((g) => g !== f).map((g) => `${prop(g.name)}?: never;`)].join(" ")} }`)
      .join(" | ");
  return { nameOf, tsType, tsRef, lookupUnion };
}

const arrayOf = (item) => (/[ |&]/.test(item) ? `(${item})[]` : `${item}[]`);

/**
 * A type reference written place-aware: `tree` is the place tree of
 * codegen/presence.mjs at that field (null: the base declarations).
 */
export function placeRenderer(model) {
  const { tsRef } = tsNames(model);
  const allBase = (tree) => {
    if (!tree || tree.value) return true;
    if (tree.object) return tree.object.name === model.types.get(tree.object.typeKey).name;
    if (tree.array) return allBase(tree.array);
    return tree.oneOf.every(allBase);
  };
  const render = (ref, tree) => {
    if (allBase(tree)) return tsRef(ref);
    const t = model.types.get(ref.type);
    let s;
    switch (t.kind) {
      case "obj": s = tree.object.name; break;
      case "arr": s = arrayOf(render(t.items, tree.array)); break;
      case "alias": return render({ type: t.target.type, nullable: t.target.nullable || ref.nullable }, tree);
      case "oneof": s = t.refs.map((r, i) => render(r, tree.oneOf[i])).join(" | "); break;
      default: throw new Error(`no place-aware type for ${ref.type}`);
    }
    return ref.nullable ? `${s} | null` : s;
  };
  return render;
}

// ---------------------------------------------------------------------------
// What the document says about an operation beyond its shapes: scopes and
// error codes, for the JSDoc and the error types.

const deref = (doc, node) => {
  const seen = new Set();
  while (node?.$ref) {
    if (seen.has(node.$ref)) throw new Error(`$ref cycle at ${node.$ref}`);
    seen.add(node.$ref);
    const parts = node.$ref.replace(/^#\//, "").split("/");
    node = parts.reduce((n, p) => n?.[p], doc);
    if (!node) throw new Error(`unresolvable $ref ${[...seen].pop()}`);
  }
  return node;
};

/**
 * The error model of the document: per operation its documented error
 * responses (`[{ status, codes }]`), and per code the `detail` schema(s) and
 * description.
 */
export function errorModel(model) {
  const d = model.doc;
  /** code -> { details: [schema node], description } */
  const codes = new Map();
  const byOp = new Map();
  const collect = (schema, fallback, out) => {
    const refName = schema.$ref ? schema.$ref.split("/").pop() : null;
    const node = deref(d, schema);
    if (node.oneOf) {
      for (const alt of node.oneOf) collect(alt, fallback, out);
      return;
    }
    const c = node.properties?.code;
    if (!c) throw new Error(`error schema without code${refName ? ` (${refName})` : ""}`);
    const values = deref(d, c).enum;
    if (!values) throw new Error(`error code without enum${refName ? ` (${refName})` : ""}`);
    for (const v of values) {
      out.push(v);
      let e = codes.get(v);
      if (!e) codes.set(v, (e = { details: [], description: null }));
      const detail = node.properties.detail ?? { type: "object" };
      if (!e.details.some((x) => JSON.stringify(x) === JSON.stringify(detail))) e.details.push(detail);
      e.description ??= node.description ?? fallback ?? null;
    }
  };
  for (const op of model.operations) {
    const raw = d.paths[op.path][op.method.toLowerCase()];
    const list = [];
    for (const [status, resp0] of Object.entries(raw.responses)) {
      if (/^2\d\d$/.test(status)) continue;
      const resp = deref(d, resp0);
      const schema = resp.content?.["application/json"]?.schema;
      if (!schema) continue;
      const out = [];
      collect(schema, /^\d+ error response$/.test(resp.description ?? "") ? null : resp.description, out);
      list.push({ status: Number(status), codes: [...new Set(out)] });
    }
    byOp.set(op.id, list);
  }
  return { byOp, codes };
}

/** The scopes an operation needs: `{ scopes: [...], prefix }` (any one of `scopes`; empty: any token). */
export function scopesOf(model, op) {
  const d = model.doc;
  const raw = d.paths[op.path][op.method.toLowerCase()];
  const security = raw.security ?? d.security ?? [];
  const scopes = [];
  for (const req of security) for (const s of req.Authenticator ?? []) if (!scopes.includes(s)) scopes.push(s);
  const prefix = d.components?.securitySchemes?.OAuth2?.["x-scope-prefix"] ?? null;
  return { scopes, prefix };
}

/** The operation's description without the scopes section the document appends (the JSDoc lists them itself). */
function description(op) {
  const text = (op.description ?? "")
    .replace(/## Scopes\n(?:- `[^`]+`\n)+\n?(?:### OAuth2 Scopes\n[^\n]*\n?)?/, "")
    .trim();
  return text === (op.summary ?? "").trim() ? "" : text;
}

/** The JSDoc text of an operation: summary, description, route, scopes and error codes. */
export function operationDoc(model, op, errors, lead = "") {
  const parts = [];
  const summary = (op.summary ?? "").trim();
  parts.push(lead ? `${lead}${summary ? ` ${summary}${/[.!?]$/.test(summary) ? "" : "."}` : ""}` : summary);
  const desc = description(op);
  if (desc) parts.push(desc);
  parts.push(`${code(`${op.method} ${op.path}`)} (${code(op.id)}).`);
  const { scopes, prefix } = scopesOf(model, op);
  // The Public API takes no token, so it has no scopes to list.
  if (!model.isPublic) {
    parts.push(
      scopes.length
        ? `Scopes: ${scopes.length > 1 ? "one of " : ""}${scopes.map(code).join(", ")}${prefix ? ` (OAuth2: ${code(`${prefix}${scopes[0]}`)}${scopes.length > 1 ? ", …" : ""})` : ""}.`
        : "Scopes: none listed.",
    );
  }
  const errs = errors.byOp.get(op.id) ?? [];
  if (errs.length) parts.push(`Errors: ${errs.map((e) => `${e.codes.map(code).join(", ")} (${e.status})`).join("; ")}.`);
  return parts.filter(Boolean).join("\n\n");
}

/** A JSON-schema node of an error `detail` as TypeScript (document names for the model's schemas). */
function detailTs(model, node, indent = "") {
  const d = model.doc;
  const nullable = (s, n) => (n.nullable ? `${s} | null` : s);
  if (node.$ref) {
    const name = node.$ref.split("/").pop();
    if (model.types.has(`ref:${name}`)) return model.types.get(`ref:${name}`).name;
    return detailTs(model, deref(d, node), indent);
  }
  if (node.allOf) {
    if (node.allOf.length !== 1) throw new Error("allOf in an error detail");
    return nullable(detailTs(model, node.allOf[0], indent), node);
  }
  if (node.oneOf) return nullable(node.oneOf.map((n) => detailTs(model, n, indent)).join(" | "), node);
  if (node.type === "array") return nullable(arrayOf(detailTs(model, node.items ?? {}, indent)), node);
  if (node.enum) return nullable(`${node.enum.map((v) => JSON.stringify(v)).join(" | ")} | (string & {})`, node);
  if (node.properties) {
    const req = new Set(node.required ?? []);
    const inner = `${indent}  `;
    const fields = Object.entries(node.properties).map(
      ([k, p]) => `${doc(p.description ?? deref(d, p).description, inner)}${inner}${prop(k)}${req.has(k) ? "" : "?"}: ${detailTs(model, p, inner)};`,
    );
    return nullable(`{\n${fields.join("\n")}\n${indent}}`, node);
  }
  if (node.type === "object" || node.type === undefined) return nullable("Record<string, unknown>", node);
  const p = { string: "string", integer: "number", number: "number", boolean: "boolean" }[node.type];
  if (!p) throw new Error(`unknown type ${node.type} in an error detail`);
  return nullable(p, node);
}

// ---------------------------------------------------------------------------

/** Which operations (by name) use each named type: in their answers and in their arguments. */
function usage(model) {
  const walk = (into) => {
    const reach = (ref, op, seen) => {
      const t = model.types.get(ref.type);
      if (!t || seen.has(ref.type)) return;
      seen.add(ref.type);
      if (t.name) {
        if (!into.has(ref.type)) into.set(ref.type, new Set());
        into.get(ref.type).add(op.name);
      }
      if (t.kind === "obj" || t.kind === "lookup") for (const f of t.fields) reach(f.ref, op, seen);
      else if (t.kind === "arr") reach(t.items, op, seen);
      else if (t.kind === "oneof") for (const r of t.refs) reach(r, op, seen);
      else if (t.kind === "alias") reach(t.target, op, seen);
    };
    return reach;
  };
  const args = new Map();
  const answers = new Map();
  const inArgs = walk(args);
  const inAnswers = walk(answers);
  for (const op of model.operations) {
    const seen = new Set();
    for (const a of op.args) inArgs(a.ref, op, seen);
    if (op.response.json) inAnswers(op.response.ref, op, new Set());
  }
  return { args, answers };
}

const listNames = (names, max = 8) => {
  const all = [...names].map(code);
  return all.length > max ? `${all.slice(0, max).join(", ")} and ${all.length - max} more` : all.join(", ");
};

/** Every named declaration, sorted by name: schemas (place-aware where answers use them) and their variants. */
export function declarations(model, presence, opDocs = new Map()) {
  const { tsRef, lookupUnion } = tsNames(model);
  const render = placeRenderer(model);
  const use = usage(model);
  const byId = new Map(model.operations.map((op) => [op.id, op]));
  const roots = new Map(model.operations.filter((op) => op.response.json).map((op) => [op.response.ref.type, op]));
  const out = [];
  const objectBody = (name, t, present, trees) => {
    const fields = t.fields.map((f) => {
      const req = present ? present.has(f.name) : f.required;
      const ty = trees?.has(f.name) ? render(f.ref, trees.get(f.name)) : tsRef(f.ref);
      return `${doc(f.description, "  ")}  ${prop(f.name)}${req ? "" : "?"}: ${ty};`;
    });
    return fields.length ? `export interface ${name} {\n${fields.join("\n")}\n}` : `export interface ${name} {}`;
  };
  const placeList = (places, max = 12) => {
    const lines = places.slice(0, max).map((p) => `- ${code(byId.get(p.operationId).name)}: ${code(p.path)}`);
    if (places.length > max) lines.push(`- … and ${places.length - max} more places`);
    return lines.join("\n");
  };
  for (const [key, t] of model.types) {
    if (!t.name) continue;
    const decl = presence.declarations.get(key);
    const notes = [];
    let body;
    switch (t.kind) {
      case "obj": {
        if (!decl) {
          body = objectBody(t.name, t, null, null);
        } else if (decl.base.uniform) {
          body = objectBody(t.name, t, decl.base.present, decl.base.fields);
        } else {
          body = objectBody(t.name, t, decl.base.present, null);
          if (decl.variants.length) {
            notes.push(
              `Where recorded live answers always carried more of its fields, the answer's type says so: ${decl.variants.map((v) => `{@link ${v.name}}`).join(", ")}.`,
            );
          }
        }
        break;
      }
      case "enum":
        // Known values autocomplete; a value a newer API adds still fits.
        body = `export type ${t.name} = ${t.values.map((v) => JSON.stringify(v)).join(" | ")} | (string & {});`;
        break;
      case "oneof":
        body = `export type ${t.name} = ${t.refs.map(tsRef).join(" | ")};`;
        break;
      case "alias":
        body = `export type ${t.name} = ${tsRef(t.target)};`;
        break;
      case "lookup":
        body = `export type ${t.name} = ${lookupUnion(t)};`;
        notes.push(`A lookup: exactly one of ${t.fields.map((f) => code(f.name)).join(", ")}.`);
        break;
      default:
        throw new Error(`no declaration for ${key}`);
    }
    const root = roots.get(key);
    const parts = [];
    if (root && opDocs.has(root.id)) parts.push(opDocs.get(root.id).result);
    else {
      if (t.description) parts.push(t.description);
      if (t.kind === "enum" && !t.description) parts.push(`One of the values the document lists; a value a newer API adds still fits.`);
      const inAnswers = use.answers.get(key);
      const inArgs = use.args.get(key);
      if (inAnswers?.size) parts.push(`In the answers of ${listNames(inAnswers)}.`);
      if (inArgs?.size) parts.push(`In the arguments of ${listNames(inArgs)}.`);
      if (!inAnswers?.size && !inArgs?.size && !t.description && t.kind !== "enum") parts.push(`The document's ${code(t.name)}.`);
    }
    parts.push(...notes);
    out.push({ name: t.name, text: `${doc(parts.join("\n\n"))}${body}` });
    for (const v of decl?.variants ?? []) {
      const vdoc = [
        `${code(t.name)} as recorded live answers send it, with the fields they always carried typed present, at:\n${placeList(v.places)}`,
        ...(t.description ? [t.description] : []),
        `Assignable to {@link ${t.name}}.`,
      ];
      out.push({ name: v.name, text: `${doc(vdoc.join("\n\n"))}${objectBody(v.name, t, v.present, v.fields)}` });
    }
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set();
  for (const d of out) {
    if (seen.has(d.name)) throw new Error(`two declarations named ${d.name}`);
    seen.add(d.name);
  }
  return out;
}

/**
 * The fifteen named methods API.md fixes (and the two iterators' siblings):
 * written by hand in src/js/ (methods.js, client.d.ts), so an operation
 * whose name is one of them is served by that method and gets no generated
 * declaration.
 */
export const HAND_WRITTEN = new Set([
  "listOrganizations", "listVirtualMachines", "listAllVirtualMachines", "virtualMachines",
  "getVirtualMachine", "deleteVirtualMachine", "shutdownVirtualMachine", "startVirtualMachine",
  "stopVirtualMachine", "resetVirtualMachine", "buildVirtualMachineFromSpec", "getTask",
  "waitForTask", "getVirtualMachineBuild", "waitForVirtualMachineBuild", "restoreTrashObject",
  "purgeTrashObject",
]);

/** Per operation: the JSDoc of its method, its params and its result. */
function operationDocs(model, errors) {
  const docs = new Map();
  for (const op of model.operations) {
    docs.set(op.id, {
      method: operationDoc(model, op, errors),
      params: operationDoc(model, op, errors, `The arguments of ${code(op.name)}:`),
      result: operationDoc(model, op, errors, `What ${code(op.name)} resolves to:`),
      brief: `${(op.summary ?? "").trim() || op.id}: ${code(`${op.method} ${op.path}`)}, the method ${code(op.name)}.`,
    });
  }
  return docs;
}

/** Per operation: its params interface, and the maps `request`, `paginate` and the named methods are typed by; the error types. */
export function operationDeclarations(model, presence, errors = errorModel(model), opDocs = operationDocs(model, errors), clientName = "KatapultClient") {
  const { tsRef } = tsNames(model);
  const render = placeRenderer(model);
  const out = [];
  const ops = model.operations;
  // The Public API's client has no waits, so neither do its codes; its
  // examples are its own operations.
  const clientCodes = model.isPublic ? CLIENT_ERROR_CODES.filter((c) => c !== "task_failed" && c !== "build_failed") : CLIENT_ERROR_CODES;
  const ex = model.isPublic ? "get:stats" : "get:disk";
  const taken = new Set(declarations(model, presence).map((d) => d.name));
  const paramsName = (op) => `${op.name[0].toUpperCase()}${op.name.slice(1)}Params`;
  const treeOf = (op) => presence.trees.get(op.id);
  for (const op of ops) {
    const name = paramsName(op);
    if (taken.has(name)) throw new Error(`${name} is also a schema`);
    const fields = op.args.map((a) => `${doc(a.description, "  ")}  ${prop(a.name)}${a.required ? "" : "?"}: ${tsRef(a.ref)};`);
    out.push(`${doc(opDocs.get(op.id).params)}export interface ${name} {${fields.length ? `\n${fields.join("\n")}\n` : ""}}`);
  }
  const result = (op) => (op.response.json ? render(op.response.ref, treeOf(op)) : "string");
  const errorUnion = (op) => {
    const all = [...new Set((errors.byOp.get(op.id) ?? []).flatMap((e) => e.codes))];
    return all.length ? all.map((c) => JSON.stringify(c)).join(" | ") : "never";
  };
  out.push(`/**
 * Every operation by operationId: its arguments, what it resolves to, and
 * the error codes the document lists for it.
 */
export interface Operations {
${ops.map((op) => `${doc(opDocs.get(op.id).brief, "  ")}  ${JSON.stringify(op.id)}: { params: ${paramsName(op)}; result: ${result(op)}; errors: ${errorUnion(op)} };`).join("\n")}
}`);
  out.push(`/** The operationId of any operation. */\nexport type OperationId = keyof Operations;`);
  out.push(`/** The arguments of an operation, as \`request\` takes them: \`Params<"${ex}">\`. */\nexport type Params<K extends OperationId> = Operations[K]["params"];`);
  out.push(`/** What an operation resolves to: \`Result<"${ex}">\`. */\nexport type Result<K extends OperationId> = Operations[K]["result"];`);
  out.push(`/**
 * The error codes a call of the operation can reject with: those the
 * document lists for it and the client's own (\`ErrorCode<"${ex}">\`).
 * A server may still send a code it does not document.
 */
export type ErrorCode<K extends OperationId> = Operations[K]["errors"] | ClientErrorCode;`);
  const itemTree = (op) => {
    const tree = treeOf(op);
    return tree?.object?.fields?.[op.items]?.array ?? null;
  };
  const itemType = (op) => {
    const answer = model.types.get(op.response.ref.type);
    const field = answer.fields.find((f) => f.name === op.items);
    const arr = model.types.get(field.ref.type);
    return render(arr.items, itemTree(op));
  };
  out.push(`/** The paginated operations (their answer has \`pagination\`) and the type of their items. */
export interface PaginatedOperations {
${ops.filter((op) => op.items).map((op) => `  ${JSON.stringify(op.id)}: ${itemType(op)};`).join("\n")}
}`);
  out.push(`/** The operationId of a paginated operation (for \`paginate\` and \`iterate\`). */\nexport type PaginatedOperationId = keyof PaginatedOperations;`);
  out.push(`/** The operations whose answer carries a \`task\` (for \`waitForTask\`). */\nexport type TaskOperationId = ${ops.filter((op) => op.task).map((op) => JSON.stringify(op.id)).join(" | ") || "never"};`);

  // Errors: the codes and the detail of each.
  const apiCodes = [...errors.codes.keys()].sort();
  out.push(`/** Every error code the document lists (the \`code\` of an error answer). */\nexport type ApiErrorCode =\n${apiCodes.map((c) => `  | ${JSON.stringify(c)}`).join("\n")};`);
  out.push(`/** The codes the client produces itself (API.md "Errors"). */\nexport type ClientErrorCode = ${clientCodes.map((c) => JSON.stringify(c)).join(" | ")};`);
  const byId = new Map(ops.map((op) => [op.id, op]));
  const placeType = (id, field) => {
    const op = byId.get(id);
    if (!op?.response.json) return "Record<string, unknown>";
    const answer = model.types.get(op.response.ref.type);
    const f = answer.fields.find((x) => x.name === field);
    if (!f) return "Record<string, unknown>";
    return render({ type: f.ref.type, nullable: false }, treeOf(op)?.object?.fields?.[field] ?? null);
  };
  const clientDetails = {
    task_failed: [`{ task: ${placeType("get:task", "task")} }`, "a task a wait polled finished `failed`: the task as `GET /tasks/task` last returned it."],
    build_failed: [
      `{ virtual_machine_build: ${placeType("get:virtual_machines_builds_virtual_machine_build", "virtual_machine_build")} }`,
      "a virtual machine build a wait polled ended `failed`: the build as the API last returned it.",
    ],
  };
  const detailLines = [];
  const detailCodes = [...new Set([...apiCodes, ...clientCodes])].sort();
  for (const c of detailCodes) {
    const e = errors.codes.get(c);
    const types = [];
    const notes = [];
    if (e) {
      types.push(...new Set(e.details.map((n) => detailTs(model, n, "  "))));
      if (e.description) notes.push(e.description);
    }
    if (clientDetails[c]) {
      types.push(clientDetails[c][0]);
      notes.push(`From the client: ${clientDetails[c][1]}`);
    } else if (clientCodes.includes(c)) {
      notes.push("From the client: no detail (`null`).");
      if (!types.length) types.push("null");
    }
    detailLines.push(`${doc(notes.join("\n\n"), "  ")}  ${prop(c)}: ${[...new Set(types)].join(" | ")};`);
  }
  out.push(`/**
 * The \`detail\` of an error, by code, as the document's error schemas
 * describe it (with their \`required\`); \`Record<string, unknown>\` where the
 * document gives no shape. A \`KatapultError\`'s \`detail\` is this or \`null\`
 * (the answer had none).
 */
export interface ErrorDetails {
${detailLines.join("\n")}
}`);
  out.push(`/** The \`detail\` of a \`KatapultError\` of code \`C\` (any object for an unknown code). */
export type ErrorDetail<C extends string> = string extends C ? Record<string, unknown> : C extends keyof ErrorDetails ? ErrorDetails[C] : ${model.isPublic ? "" : "C extends keyof Public.ErrorDetails ? Public.ErrorDetails[C] : "}Record<string, unknown>;`);

  // Named methods: the subjects first, then the other arguments and the signal.
  const methods = ops.filter((op) => !HAND_WRITTEN.has(op.name)).map((op) => {
    const subjects = op.subjects.map((s) => {
      const a = op.args.find((x) => x.name === s);
      return `${s}: ${tsRef(a.ref)}`;
    });
    const rest = op.args.filter((a) => !a.position);
    const options = rest.length
      ? `Omit<${paramsName(op)}, ${op.subjects.length ? op.subjects.map((s) => JSON.stringify(s)).join(" | ") : "never"}> & RequestOptions`
      : "RequestOptions";
    const optional = rest.every((a) => !a.required) ? "?" : "";
    return `${doc(opDocs.get(op.id).method, "  ")}  ${op.name}(${[...subjects, `options${optional}: ${options}`].join(", ")}): KatapultPromise<${result(op)}>;`;
  });
  out.push(`/** The named method of every operation (merged into the class). */
export interface ${clientName} {
${methods.join("\n")}
}`);
  return out;
}

/** `src/generated/types.d.ts`: the declarations the package's `.d.ts` includes. */
export function typesDts(model, header, presence, evidenceNote = "") {
  const errors = errorModel(model);
  const opDocs = operationDocs(model, errors);
  const text = [...declarations(model, presence, opDocs).map((d) => d.text), ...operationDeclarations(model, presence, errors, opDocs)].join("\n\n");
  const s = presence.summary;
  return `${header}
// The TypeScript declarations of every schema an answer can contain, and
// the named method of every operation; scripts/build-pkg.sh puts them in
// the package's declarations (from the first \`export\` on).
// Fields typed present: the document's \`required\`, and what recorded live
// traffic always had (${evidenceNote || "spec/live-presence.json"}): ${s.fieldsTypedPresent} fields
// at ${s.places} places, ${s.variants} place-specific variants of ${s.typesWithVariants} types.

export {};

${text}
`;
}

/**
 * \`src/generated/public-types.d.ts\`: the Public API's declarations, in the
 * namespace \`Public\` (both documents name schemas alike, and
 * \`DataCenter\` differs between them); scripts/build-pkg.sh puts them in
 * the package's declarations.
 */
export function publicTypesDts(model, header, presence) {
  const errors = errorModel(model);
  const opDocs = operationDocs(model, errors);
  const text = [
    ...declarations(model, presence, opDocs).map((d) => d.text),
    ...operationDeclarations(model, presence, errors, opDocs, "KatapultPublicClient"),
  ].join("\n\n");
  return `${header}
// The TypeScript declarations of the Public API's schemas and the named
// method of each of its operations, in the namespace \`Public\`. Its answers
// were not recorded live: fields are typed present where the document's
// \`required\` says so.

/** The Public API's types (\`Public.DataCenter\`, \`Public.Operations\`, …). */
export declare namespace Public {
${text.replace(/^(?=.)/gm, "  ")}
}
`;
}
