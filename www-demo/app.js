// Minimal demo (the full management page comes with the demo issue): lists
// the `acme` organization's VMs from the mock this page is served by. API
// data is rendered with textContent only.
import { KatapultClient, KatapultError } from "./pkg/index.js";

const status = document.getElementById("status");
const body = document.getElementById("vms");

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

try {
  const client = new KatapultClient({ token: "demo-token", baseUrl: `${location.origin}/core/v1` });
  const { pagination, virtual_machines } = await client.listVirtualMachines({ sub_domain: "acme" }, { per_page: 100 });
  for (const vm of virtual_machines) {
    const tr = document.createElement("tr");
    tr.append(
      cell(vm.name),
      cell(vm.fqdn),
      cell(vm.zone.name),
      cell(vm.package?.name ?? "custom"),
      cell(vm.ip_addresses.map((ip) => ip.address).join(", ")),
    );
    body.append(tr);
  }
  status.textContent = `${pagination.total ?? virtual_machines.length} virtual machines in acme`;
} catch (e) {
  status.className = "error";
  status.textContent = e instanceof KatapultError ? `${e.code}: ${e.message}` : String(e);
}
