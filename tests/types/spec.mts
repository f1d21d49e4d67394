// A strict TypeScript consumer of katapult-wasm/spec (ESM): the spec object
// types are what the document allows, lookups are one-key unions restricted
// per element, and the client's build method takes a spec object too.
import { KatapultClient, buildSpecXml as buildFromMain } from "katapult-wasm"; // Node's main entry re-exports them
import {
  buildSpecXml,
  parseSpecXml,
  type IdOrPermalink,
  type SpecIpAddressAllocation,
  type VirtualMachineSpec,
} from "katapult-wasm/spec";
import { type Equals, assertType } from "./assert.mjs";

export async function usage(k: KatapultClient): Promise<string> {
  const spec: VirtualMachineSpec = {
    data_center: { permalink: "uk-lon" },
    resources: { package: { permalink: "rock-3" } },
    disk_template: { disk_template: { permalink: "templates/ubuntu-24-04" }, version: 3, options: [{ key: "k", value: "v" }] },
    network_interfaces: [
      {
        network: { permalink: "uk-lon-01-public" },
        ip_address_allocations: [{ type: "new", version: 4 }, { type: "existing", ip_address: { address: "10.0.0.1" } }],
      },
    ],
    hostname: { random: true },
    authorized_keys: { users: "all", ssh_keys: ["ssh-ed25519 AAAA"] },
    backup_policies: [{ retention: 7, schedule: { interval: "daily", frequency: 1, time: 3 } }],
    tags: ["web"],
  };
  const xml: string = buildSpecXml(spec);
  const same: string = buildFromMain(spec);
  void same;
  const back: VirtualMachineSpec = parseSpecXml(xml);
  const build = await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, back);
  await k.buildVirtualMachineFromSpec({ sub_domain: "acme" }, xml);
  assertType<Equals<IdOrPermalink, { id: string } | { permalink: string }>>();
  const alloc: SpecIpAddressAllocation = { type: "new", version: 6, subnet: { address: "2a03::/64" } };
  void alloc;

  // @ts-expect-error a zone cannot be looked up by name
  buildSpecXml({ zone: { name: "London" } });
  // @ts-expect-error a lookup is an object, not a bare string
  buildSpecXml({ zone: "uk-lon-01" });
  // @ts-expect-error unknown keys are refused
  buildSpecXml({ zones: [] });
  // @ts-expect-error an existing allocation needs ip_address
  buildSpecXml({ network_interfaces: [{ ip_address_allocations: [{ type: "existing" }] }] });
  // @ts-expect-error the interval is one of four words
  buildSpecXml({ backup_policies: [{ schedule: { interval: "hourly" } }] });
  // @ts-expect-error IP version 4 or 6
  buildSpecXml({ network_interfaces: [{ ip_address_allocations: [{ type: "new", version: 5 }] }] });
  // @ts-expect-error users is "all" or a list
  buildSpecXml({ authorized_keys: { users: "everyone" } });
  // @ts-expect-error parseSpecXml takes a string
  parseSpecXml({});
  return build.hostname;
}
