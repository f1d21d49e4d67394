// node10 resolution ("module": "commonjs"): the types are those of the
// CommonJS entry Node loads, which re-exports the spec tools.
import { KatapultClient, KatapultPublicClient, buildSpecXml } from "katapult-wasm";

export const client = new KatapultClient({ token: "t" });
export const pricing = new KatapultPublicClient().getPricingPrices();
export const xml: string = buildSpecXml({ hostname: "web-1" });
