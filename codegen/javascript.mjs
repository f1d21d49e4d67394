// The JavaScript side of the generated code: the operation list the
// package exports as `operations` and installs named methods from
// (src/generated/operations.js, bundled into the package's entries).
//
// The table is what every page downloads, so a row is written short where
// it can be: most operationIds, paths and subjects say the same thing
// three times ("get:organization_api_tokens",
// "/organizations/organization/api_tokens", ["organization"]), so such a
// row holds the path once, its subjects marked ("organization*/api_tokens"),
// and src/js/operations.js expands it (checked here, row by row). A row
// names its method only where codegen/names.mjs renames it.

/** The camelCase src/js/operations.js gives a row that names no method. */
const camel = (id) => id.replace(/[:_]+(.)/g, (_, c) => c.toUpperCase());

/** A subject segment's plural and its mark, as the path writes them. */
const MARKS = [
  ["*", (s) => `${s}s`],
  ["^", (s) => `${s.slice(0, -1)}ies`],
];

/** The short form of an operation, or null when it cannot be written so. */
function short(op) {
  const segments = op.path.split("/").slice(1);
  const out = [];
  const subjects = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const next = segments[i + 1];
    const mark = next !== undefined && op.subjects.includes(next) && MARKS.find(([, plural]) => plural(next) === s);
    if (mark) {
      out.push(next + mark[0]);
      subjects.push(next);
      i++;
    } else if (op.subjects.includes(s)) {
      out.push(`${s}+`);
      subjects.push(s);
    } else {
      out.push(s);
    }
  }
  const text = `${op.method.toLowerCase()} ${out.join("/")}`;
  const back = expand(text);
  const same = back.id === op.id && back.path === op.path && JSON.stringify(back.subjects) === JSON.stringify(op.subjects);
  return same && JSON.stringify(subjects) === JSON.stringify(op.subjects) ? text : null;
}

/** What src/js/operations.js makes of a short form (the same rules). */
function expand(text) {
  const [method, rest] = text.split(" ");
  const subjects = [];
  const names = [];
  const path = rest.split("/").map((segment) => {
    const mark = MARKS.find(([m]) => segment.endsWith(m));
    if (!mark && !segment.endsWith("+")) {
      names.push(segment);
      return segment;
    }
    const s = segment.slice(0, -1);
    subjects.push(s);
    names.push(s);
    return mark ? `${mark[1](s)}/${s}` : s;
  });
  return { id: `${method}:${names.join("_")}`, path: `/${path.join("/")}`, subjects };
}

/** `src/generated/operations.js`. */
export function operationsJs(model, header) {
  let shortened = 0;
  const rows = model.operations.map((op) => {
    const tail = [op.items ?? 0, op.task ? 1 : 0];
    // The method's name only where it is not the id's camelCase.
    const name = op.name === camel(op.id) ? 0 : op.name;
    const s = short(op);
    if (s) shortened++;
    return JSON.stringify(s ? [s, ...tail, ...(name ? [name] : [])] : [op.id, op.path, ...tail, name, ...op.subjects]);
  });
  return `${header.replace(/^/gm, "").trim()}
//
// Every operation of the OpenAPI document, in its order, as
// [operationId, path, items key or 0, carries a task (1/0), method name or 0, ...subjects],
// or (${shortened} of ${rows.length}) as ["method path", items key or 0, task, method name?], where a
// subject segment of the path is marked: "x*" stands for "/xs/x", "y^" for
// "/ies/y" plurals, "x+" for a subject without its plural before it; the
// operationId is the method, ":" and the segments (subjects without their
// plurals) joined by "_". A method name left out or 0 is the operationId
// in camelCase. src/js/operations.js expands them.
export const OPERATIONS = [
${rows.map((r) => `  ${r},`).join("\n")}
];
`;
}
