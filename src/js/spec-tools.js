// buildSpecXml and parseSpecXml over their module (katapult-spec.wasm):
// the caller's value read into JSON text here, converted by the module
// (src/exports/spec.rs). Synchronous; in a browser the module must have
// loaded first (`await ready()`).
import { KatapultError } from "./errors.js";
import { toJson } from "./encode.js";
import { ask } from "./module.js";

/** The two functions over `host`. */
export function specTools(host) {
  const convert = (name, input, exported, parse) => {
    if (!host.now()) {
      throw new KatapultError("not_ready", 0, `katapult-wasm/spec is still loading: await ready() from "katapult-wasm/spec" before calling ${name}`, null, null);
    }
    const out = ask(host, exported, `[${input}]`);
    return parse ? JSON.parse(out) : out;
  };
  return {
    buildSpecXml: { buildSpecXml: (spec) => convert("buildSpecXml", toJson(spec, "spec"), "kw_build_spec", false) }.buildSpecXml,
    parseSpecXml: { parseSpecXml: (xml) => convert("parseSpecXml", toJson(xml, "xml"), "kw_parse_spec", true) }.parseSpecXml,
  };
}
