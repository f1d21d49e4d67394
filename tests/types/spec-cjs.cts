// katapult-wasm/spec through CommonJS `require` typings (spec.d.cts).
import spec = require("katapult-wasm/spec");

export function usage(): string {
  const value: spec.VirtualMachineSpec = spec.parseSpecXml("<VirtualMachineSpec/>");
  // @ts-expect-error buildSpecXml returns a string
  const n: number = spec.buildSpecXml(value);
  void n;
  return spec.buildSpecXml({ ...value, name: "x" });
}
