// The TypeScript side of the generated code: every schema an answer can
// contain as a named declaration, with required and optional fields as the
// document says (`field?: T`, `field?: T | null` where it is nullable).

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const prop = (name) => (IDENT.test(name) ? name : JSON.stringify(name));

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
      case "arr": {
        const item = tsRef(t.items);
        return /[ |&]/.test(item) ? `(${item})[]` : `${item}[]`;
      }
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

/** Every named declaration, sorted by name. */
export function declarations(model) {
  const { tsType, tsRef, lookupUnion } = tsNames(model);
  const out = [];
  for (const [key, t] of model.types) {
    if (!t.name) continue;
    let body;
    switch (t.kind) {
      case "obj": {
        const fields = t.fields.map((f) => {
          return `${doc(f.description, "  ")}  ${prop(f.name)}${f.required ? "" : "?"}: ${tsRef(f.ref)};`;
        });
        body = fields.length ? `export interface ${t.name} {\n${fields.join("\n")}\n}` : `export interface ${t.name} {}`;
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
        break;
      default:
        throw new Error(`no declaration for ${key}`);
    }
    out.push({ name: t.name, text: `${doc(t.description)}${body}` });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set();
  for (const d of out) {
    if (seen.has(d.name)) throw new Error(`two declarations named ${d.name}`);
    seen.add(d.name);
  }
  void tsType;
  return out;
}

/**
 * The fifteen named methods API.md fixes (and the two iterators' siblings):
 * written by hand in src/wasm/, so an operation whose generated name is one
 * of them is served by that method and gets no generated declaration.
 */
export const HAND_WRITTEN = new Set([
  "listOrganizations", "listVirtualMachines", "listAllVirtualMachines", "virtualMachines",
  "getVirtualMachine", "deleteVirtualMachine", "shutdownVirtualMachine", "startVirtualMachine",
  "stopVirtualMachine", "resetVirtualMachine", "buildVirtualMachineFromSpec", "getTask",
  "waitForTask", "getVirtualMachineBuild", "waitForVirtualMachineBuild", "restoreTrashObject",
]);

/** Per operation: its params interface, and the maps `request`, `paginate` and the named methods are typed by. */
export function operationDeclarations(model) {
  const { tsRef, tsType } = tsNames(model);
  const out = [];
  const ops = model.operations;
  const taken = new Set(declarations(model).map((d) => d.name));
  const paramsName = (op) => `${op.name[0].toUpperCase()}${op.name.slice(1)}Params`;
  for (const op of ops) {
    const name = paramsName(op);
    if (taken.has(name)) throw new Error(`${name} is also a schema`);
    const fields = op.args.map((a) => `${doc(a.description, "  ")}  ${prop(a.name)}${a.required ? "" : "?"}: ${tsRef(a.ref)};`);
    out.push(`/** Arguments of \`${op.id}\` (${op.method} ${op.path}). */\nexport interface ${name} {${fields.length ? `\n${fields.join("\n")}\n` : ""}}`);
  }
  const result = (op) => (op.response.json ? tsRef(op.response.ref) : "string");
  out.push(`/** Every operation by operationId: its arguments and what it resolves to. */
export interface Operations {
${ops.map((op) => `  ${JSON.stringify(op.id)}: { params: ${paramsName(op)}; result: ${result(op)} };`).join("\n")}
}`);
  out.push(`/** The operationId of any operation. */\nexport type OperationId = keyof Operations;`);
  const itemType = (op) => {
    const answer = model.types.get(op.response.ref.type);
    const field = answer.fields.find((f) => f.name === op.items);
    const arr = model.types.get(field.ref.type);
    const item = tsRef(arr.items);
    void tsType;
    return item;
  };
  out.push(`/** The paginated operations (their answer has \`pagination\`) and the type of their items. */
export interface PaginatedOperations {
${ops.filter((op) => op.items).map((op) => `  ${JSON.stringify(op.id)}: ${itemType(op)};`).join("\n")}
}`);
  out.push(`/** The operationId of a paginated operation (for \`paginate\` and \`iterate\`). */\nexport type PaginatedOperationId = keyof PaginatedOperations;`);
  out.push(`/** The operations whose answer carries a \`task\` (for \`waitForTask\`). */\nexport type TaskOperationId = ${ops.filter((op) => op.task).map((op) => JSON.stringify(op.id)).join(" | ")};`);
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
    const summary = [op.summary, `\`${op.method} ${op.path}\` (\`${op.id}\`).`].filter(Boolean).join("\n\n");
    return `${doc(summary, "  ")}  ${op.name}(${[...subjects, `options${optional}: ${options}`].join(", ")}): Promise<${result(op)}>;`;
  });
  out.push(`/** The named method of every operation (merged into the class). */
export interface KatapultClient {
${methods.join("\n")}
}`);
  return out;
}

/** `src/generated/types.d.ts`: the declarations the package's `.d.ts` includes. */
export function typesDts(model, header) {
  const text = [...declarations(model).map((d) => d.text), ...operationDeclarations(model)].join("\n\n");
  return `${header}
// The TypeScript declarations of every schema an answer can contain, and
// the named method of every operation; scripts/build-pkg.sh puts them in
// the package's declarations.

${text}
`;
}
