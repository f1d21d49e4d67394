// katapult-wasm/spec through CommonJS `require` typings (spec.d.cts).
import spec = require("katapult-wasm/spec");
import katapult = require("katapult-wasm");

export function usage(): string {
  const value: spec.VirtualMachineSpec = spec.parseSpecXml("<VirtualMachineSpec/>");
  // @ts-expect-error buildSpecXml returns a string
  const n: number = spec.buildSpecXml(value);
  void n;
  const again: spec.VirtualMachineSpec = katapult.parseSpecXml(katapult.buildSpecXml(value));
  return spec.buildSpecXml({ ...again, name: "x" });
}
