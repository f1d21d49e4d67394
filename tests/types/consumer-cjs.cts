// The same package through CommonJS `require` typings (index.d.cts).
import katapult = require("katapult-wasm");

export async function usage(): Promise<string> {
  const k = new katapult.KatapultClient({ token: "t" });
  const { virtual_machine } = await k.getVirtualMachine({ id: "vm_x" });
  // @ts-expect-error the state is not a number
  const n: number | undefined = virtual_machine.state;
  void n;
  return virtual_machine.fqdn ?? "";
}
