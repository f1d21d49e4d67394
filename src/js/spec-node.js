// katapult-wasm/spec, Node entry (CommonJS; bundled as pkg/spec.cjs): the
// VM spec document tools, their module read and instantiated
// synchronously on first use.
// Written as an ES module so that esbuild joins the files into one scope.
import { moduleHost } from "./module.js";
import { specTools } from "./spec-tools.js";
import { locator } from "./locate.js";

const where = locator("katapult-spec.wasm", typeof __dirname === "string" ? __dirname : undefined);
const host = moduleHost("katapult-spec.wasm", { readSync: where.read });
const tools = specTools(host);

export const { buildSpecXml, parseSpecXml } = tools;
/** Loads the spec tools' module now (it loads on first use otherwise). */
export const ready = () => host.load();
/** Where spec.mjs and the main entry find the module. */
export const __locate = where.prefer;
