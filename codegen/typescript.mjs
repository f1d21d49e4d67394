// The TypeScript side of the generated code: every schema an answer can
// contain as a named declaration, with required and optional fields as the
// document says (`field?: T`, `field?: T | null` where it is nullable).

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

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
      default: throw new Error(`no inline TypeScript for ${key}`);
    }
  };
  const tsRef = (ref) => (ref.nullable ? `${tsType(ref.type)} | null` : tsType(ref.type));
  return { nameOf, tsType, tsRef };
}

/** Every named declaration, sorted by name. */
export function declarations(model) {
  const { tsType, tsRef } = tsNames(model);
  const out = [];
  for (const [key, t] of model.types) {
    if (!t.name) continue;
    let body;
    switch (t.kind) {
      case "obj": {
        const fields = t.fields.map((f) => {
          const prop = IDENT.test(f.name) ? f.name : JSON.stringify(f.name);
          return `${doc(f.description, "  ")}  ${prop}${f.required ? "" : "?"}: ${tsRef(f.ref)};`;
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

/** `src/generated/typescript.rs`: the declarations as a wasm-bindgen custom section. */
export function typescriptRs(model, header) {
  const text = declarations(model).map((d) => d.text).join("\n\n");
  if (text.includes('"#')) throw new Error("the declarations contain the raw string's delimiter");
  return `${header}
//! The TypeScript declarations of every schema an answer can contain,
//! added to the package's \`.d.ts\` by wasm-bindgen (the custom section
//! costs the module nothing).

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(typescript_custom_section)]
const SCHEMAS: &'static str = r#"
${text}
"#;
`;
}
