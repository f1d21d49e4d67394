// The peers `make bench` measures our client against: openapi-fetch typed
// by openapi-typescript (generated at bench time from
// spec/katapult-core-openapi.json into target/bench/katapult-api.d.ts), and
// the same plus valibot checking each answer. Type-checked (tsc --strict)
// and bundled with esbuild by bench/peers-build.mjs into
// target/bench/peers.mjs.
import createClient from "openapi-fetch";
import type { paths } from "../target/bench/katapult-api";
import { any, array, boolean, check, integer, lazy, looseObject, nullable, number, optional, parse, pipe, safeParse, string } from "valibot";
import type { GenericSchema } from "valibot";

type Json<P extends keyof paths, M extends "get"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer T } } };
}
  ? T
  : never;
export type VirtualMachineAnswer = Json<"/virtual_machines/virtual_machine", "get">;
export type VirtualMachinesPage = Json<"/organizations/organization/virtual_machines", "get">;

export interface PeerOptions {
  baseUrl: string;
  token: string;
  /** The fetch to use; openapi-fetch otherwise takes globalThis.fetch when the client is created. */
  fetch?: typeof globalThis.fetch;
}

export interface Peer {
  getVirtualMachine(fqdn: string): Promise<VirtualMachineAnswer>;
  listVirtualMachines(subDomain: string, perPage: number, page?: number): Promise<VirtualMachinesPage>;
}

/** The valibot schemas of the two answers (built at bench start by bench/valibot-schemas.mjs). */
export interface AnswerSchemas {
  getVirtualMachine: GenericSchema;
  listVirtualMachines: GenericSchema;
}

/** openapi-fetch with `createClient<paths>({ baseUrl, headers })`. */
export function openapiFetch(options: PeerOptions): Peer {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { Authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    async getVirtualMachine(fqdn) {
      const { data, error, response } = await client.GET("/virtual_machines/virtual_machine", {
        params: { query: { "virtual_machine[fqdn]": fqdn } },
      });
      if (data === undefined) throw new Error(`getVirtualMachine: HTTP ${response.status} ${JSON.stringify(error)}`);
      return data;
    },
    async listVirtualMachines(subDomain, perPage, page) {
      const { data, error, response } = await client.GET("/organizations/organization/virtual_machines", {
        params: { query: { "organization[sub_domain]": subDomain, per_page: perPage, ...(page === undefined ? {} : { page }) } },
      });
      if (data === undefined) throw new Error(`listVirtualMachines: HTTP ${response.status} ${JSON.stringify(error)}`);
      return data;
    },
  };
}

/** The same, each answer checked with valibot (`parse` throws when it does not match). */
export function openapiFetchValibot(options: PeerOptions, schemas: AnswerSchemas): Peer {
  const peer = openapiFetch(options);
  return {
    async getVirtualMachine(fqdn) {
      return parse(schemas.getVirtualMachine, await peer.getVirtualMachine(fqdn)) as VirtualMachineAnswer;
    },
    async listVirtualMachines(subDomain, perPage, page) {
      return parse(schemas.listVirtualMachines, await peer.listVirtualMachines(subDomain, perPage, page)) as VirtualMachinesPage;
    },
  };
}

/** What bench/valibot-schemas.mjs builds schemas with: exactly the valibot this module bundles (and so tree-shakes to). */
export const valibot = { any, array, boolean, check, integer, lazy, looseObject, nullable, number, optional, pipe, string };

/** Whether `value` matches `schema` (for the bench's self-check). */
export function matches(schema: GenericSchema, value: unknown): { ok: boolean; issue?: string } {
  const r = safeParse(schema, value);
  if (r.success) return { ok: true };
  const issue = r.issues[0];
  const at = issue.path?.map((p) => String(p.key)).join(".") ?? "";
  return { ok: false, issue: `${at}: ${issue.message}` };
}
