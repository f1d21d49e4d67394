// KatapultPublicClient (API.md "Public API"): the same client over the
// Public API's operations, made by every entry over its own module host.
// No token; its operations sit in the module's table after the core's.
import { PUBLIC, makeClient } from "./client.js";
import { installMethods } from "./methods.js";
import { PUBLIC_TABLE } from "./operations.js";

/**
 * The KatapultPublicClient class over `host`, with `operations` (its own,
 * frozen) as a static member; `configProblem` and `agent` as makeClient's.
 */
export function publicClient(host, configProblem = null, agent = null) {
  const client = makeClient(host, PUBLIC_TABLE, configProblem, agent, null, PUBLIC);
  const operations = installMethods(client, PUBLIC_TABLE, null);
  Object.defineProperty(client.KatapultClient, "operations", { value: operations, enumerable: true });
  return client.KatapultClient;
}
