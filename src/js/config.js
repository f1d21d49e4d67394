// The client's configuration as the module checks it (Config::parse in
// src/config.rs). For browsers before the module has loaded the same check
// is written in JavaScript, in config-check.js.
import { invalidArgument } from "./errors.js";
import { toJson } from "./encode.js";
import { ask } from "./module.js";

/**
 * The config as the module is given it: the token function, if any, set
 * apart (the module never sees a function), the rest as JSON text. Throws
 * `invalid_argument` for a config that cannot be read.
 */
export function configInput(config) {
  let tokenFn = null;
  let data = config;
  let token;
  try {
    token = config !== null && typeof config === "object" ? config.token : undefined;
  } catch {
    throw invalidArgument("config.token could not be read (reading it threw)");
  }
  if (typeof token === "function") {
    tokenFn = token;
    try {
      data = Object.assign({}, config);
    } catch {
      throw invalidArgument("config could not be read (reading it threw)");
    }
    delete data.token;
  }
  return { tokenFn, data, text: `[${toJson(data, "config")}]` };
}

/** The module's check: the settings, or throws its KatapultError. */
export function checkConfig(host, input) {
  return JSON.parse(ask(host, "kw_config", input.text, input.tokenFn ? 1 : 0));
}
