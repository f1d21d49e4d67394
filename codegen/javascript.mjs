// The JavaScript side of the generated code: the operation list the
// package exports as `operations` and installs named methods from
// (src/generated/operations.js, copied into the package by build-pkg.sh).

/** `src/generated/operations.js`. */
export function operationsJs(model, header) {
  const rows = model.operations.map((op) =>
    JSON.stringify([op.id, op.path, op.items ?? 0, op.task ? 1 : 0, ...op.subjects]));
  return `${header.replace(/^/gm, "").trim()}
//
// Every operation of the OpenAPI document, in its order, as
// [operationId, path, items key or 0, carries a task (1/0), ...subjects].
// The method is the operationId's prefix; the named method's name is the
// operationId in camelCase (the same rule as the generator's).
export const OPERATIONS = [
${rows.map((r) => `  ${r},`).join("\n")}
];
`;
}
