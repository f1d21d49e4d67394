// The operation table (src/generated/operations.js) as rows of
// [operationId, path, items key or null, carries a task, method name, ...subjects],
// expanding the short rows the generator wrote (codegen/javascript.mjs
// has the rules and checks each row it shortens against this reading).
import { OPERATIONS } from "../generated/operations.js";
import { OPERATIONS as PUBLIC_OPERATIONS } from "../generated/public-operations.js";

const PLURALS = { "*": (s) => `${s}s`, "^": (s) => `${s.slice(0, -1)}ies` };

/** `get:virtual_machine_disks` → `getVirtualMachineDisks`. */
const camel = (id) => id.replace(/[:_]+(.)/g, (_, c) => c.toUpperCase());

function expand(row) {
  if (row[0].includes(":")) return [...row.slice(0, 4), row[4] || camel(row[0]), ...row.slice(5)];
  const [method, rest] = row[0].split(" ");
  const subjects = [];
  const names = [];
  const path = rest.split("/").map((segment) => {
    const mark = segment.slice(-1);
    if (!PLURALS[mark] && mark !== "+") return names.push(segment), segment;
    const s = segment.slice(0, -1);
    subjects.push(s);
    names.push(s);
    return PLURALS[mark] ? `${PLURALS[mark](s)}/${s}` : s;
  });
  const id = `${method}:${names.join("_")}`;
  return [id, `/${path.join("/")}`, row[1], row[2], row[3] || camel(id), ...subjects];
}

/** Every operation, in the document's order. */
export const TABLE = OPERATIONS.map(expand);

/**
 * The Public API's operations, at the indices the module knows them by:
 * after the core's (the array has no entries below them).
 */
export const PUBLIC_TABLE = PUBLIC_OPERATIONS.reduce((table, row, i) => {
  table[TABLE.length + i] = expand(row);
  return table;
}, []);
