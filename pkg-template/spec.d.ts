// katapult-wasm/spec: build and parse the VM spec XML that
// `KatapultClient.buildVirtualMachineFromSpec` sends.
import type { VirtualMachineSpec } from "./index.js";

export type {
  VirtualMachineSpec, SpecResources, SpecDiskTemplate, SpecOption, SpecSystemDisk,
  SpecNetworkInterface, SpecIpAddressAllocation, SpecAuthorizedKeys, SpecBackupPolicy,
  SpecSchedule, SpecInterval, IdOrPermalink, IdPermalinkOrName, IdOrName, IdOrAddress,
  IdOrEmailAddress, IdOnly,
} from "./index.js";

/**
 * The spec XML for a spec object: an XML declaration, then the elements in
 * the document's order, indented, every text and attribute value escaped.
 * Synchronous. Throws `KatapultError` `invalid_argument` whose message names
 * the offending path, e.g. `network_interfaces[1].network`.
 */
export declare function buildSpecXml(spec: VirtualMachineSpec): string;

/**
 * The spec object for a spec XML document. Synchronous. Throws
 * `KatapultError` `invalid_argument` naming the path, line and column of the
 * first problem. Refuses DTDs, entities other than XML's five predefined
 * ones and numeric references, unknown elements and attributes, documents
 * over 1 MiB and nesting deeper than 16.
 */
export declare function parseSpecXml(xml: string): VirtualMachineSpec;

/**
 * Loads the spec tools' WebAssembly module now. In Node it loads on first
 * use; in a browser, await this before calling buildSpecXml or parseSpecXml
 * (which otherwise throw `KatapultError` `not_ready`).
 */
export declare function ready(): Promise<void>;
