// Node entry (ES module). It shares the CommonJS build (the same classes
// for ESM and CJS users in one process) and names the modules with
// `new URL(…, import.meta.url)`, so bundlers of server code (Next.js,
// webpack, esbuild) see the files and where they put them.
import { readFileSync } from "node:fs";
import node from "./node.cjs";

/** Reads `file` of the package wherever it resolves from this module. */
const resolved = (file) => () => readFileSync(new URL(file, import.meta.resolve("katapult-wasm/package.json")));

node.__locate(() => readFileSync(new URL("./katapult.wasm", import.meta.url)), resolved("katapult.wasm"));
// The spec tools load when first used; these are where to look then.
node.__locateSpec(() => readFileSync(new URL("./katapult-spec.wasm", import.meta.url)), resolved("katapult-spec.wasm"));

export const { KatapultClient, KatapultPublicClient, publicOperations, KatapultError, isKatapultError, operations, ready, buildSpecXml, parseSpecXml } = node;
