// Details-pane section for a VM's network interfaces and their addresses:
// allocate a new IPv4 or IPv6 address, edit an address's reverse DNS, and
// unallocate one (confirmed first; the organization keeps the address).
import { state, record, patch, vmName } from "./state.js";
import { h, toast, withBusy, confirmDialog, describeError } from "./ui.js";
import { refreshVm } from "./actions.js";
import { section, field, problemAt, problemLine } from "./vm-manage.js";
import { reverseDnsProblem } from "./checks.js";

export function networkSection(id) {
  const s = section("Network interfaces", (body) => show(id, body, s.reload));
  return { el: s.el };
}

/** Re-reads the VM (its addresses) and the section. */
async function refreshed(id, reload) {
  const fresh = await refreshVm(id, state.session.signal);
  if (fresh.vm) patch(id, fresh);
  reload();
}

async function show(id, body, reload) {
  const signal = state.session.signal;
  const [{ virtual_machine_network_interfaces: nics = [] }, fresh] = await Promise.all([
    state.client.getVirtualMachineNetworkInterfaces({ id }, { signal, per_page: 100 }),
    refreshVm(id, signal),
  ]);
  if (fresh.vm) patch(id, fresh);
  // The interface list names its addresses; the VM's own list has their details.
  const full = new Map((record(id).vm?.ip_addresses ?? []).map((ip) => [ip.id ?? ip.address, ip]));
  if (!nics.length) {
    body.replaceChildren(h("p", { class: "muted" }, "This VM has no network interfaces."));
    return;
  }
  body.replaceChildren(...nics.map((nic) => nicItem(id, nic, full, reload)));
}

function nicItem(id, nic, full, reload) {
  const ips = nic.ip_addresses ?? [];
  const problem = problemLine();
  const allocate = (version) => {
    const button = h("button", { type: "button", class: "btn small" }, `New ${version === "ipv4" ? "IPv4" : "IPv6"} address`);
    button.addEventListener("click", () =>
      withBusy(button, async () => {
        problemAt(problem, null);
        try {
          const { ip_address: ip } = await state.client.postVirtualMachineNetworkInterfaceAllocateNewIp({ id: nic.id }, { address_version: version, signal: state.session.signal });
          toast(`${vmName(id)} has a new address: ${ip.address ?? "allocated"}.`, { kind: "success" });
          await refreshed(id, reload);
        } catch (e) {
          problemAt(problem, `No address was allocated: ${describeError(e).message}`);
        }
      }),
    );
    return button;
  };
  return h(
    "div",
    { class: "nic" },
    h("div", { class: "nic-head" }, h("strong", {}, nic.name ?? "Interface"), " ", h("span", { class: "muted" }, nic.network?.name ?? nic.virtual_network?.name ?? "")),
    ips.length ? h("ul", { class: "ip-list" }, ips.map((ip) => ipItem(id, full.get(ip.id ?? ip.address) ?? ip, reload))) : h("p", { class: "muted" }, "No addresses."),
    nic.id ? h("div", { class: "form-actions" }, allocate("ipv4"), allocate("ipv6")) : null,
    problem,
  );
}

function ipItem(id, ip, reload) {
  const address = ip.address ?? "—";
  const reverse = h("input", { type: "text", value: ip.reverse_dns ?? "", autocomplete: "off", spellcheck: "false" });
  const save = h("button", { type: "submit", class: "btn small" }, "Save");
  const problem = problemLine();
  const form = h("form", { class: "inline-form", novalidate: true }, field(`Reverse DNS of ${address}`, reverse), save, problem);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const value = reverse.value.trim();
    const bad = reverseDnsProblem(value);
    problemAt(problem, bad);
    if (bad) {
      reverse.focus();
      return;
    }
    withBusy(save, async () => {
      try {
        await state.client.patchIpAddress(ip.id ? { id: ip.id } : { address }, { reverse_dns: value, signal: state.session.signal });
        toast(`Reverse DNS of ${address} is now ${value}.`, { kind: "success" });
        const fresh = await refreshVm(id, state.session.signal);
        if (fresh.vm) patch(id, fresh);
      } catch (e) {
        const { message, lines } = describeError(e);
        problemAt(problem, `Not saved: ${lines.length ? lines.join(" ") : message}`);
      }
    });
  });
  const unallocate = h("button", { type: "button", class: "btn small danger" }, "Unallocate");
  unallocate.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: `Unallocate ${address} from ${vmName(id)}?`,
      message: "The VM stops answering on this address. The organization keeps it, so it can be allocated again.",
      confirmLabel: "Unallocate",
    });
    if (!ok) return;
    await withBusy(unallocate, async () => {
      try {
        await state.client.postIpAddressUnallocate(ip.id ? { id: ip.id } : { address }, { signal: state.session.signal });
        toast(`Unallocated ${address} from ${vmName(id)}.`, { kind: "success" });
        await refreshed(id, reload);
      } catch (e) {
        problemAt(problem, `Not unallocated: ${describeError(e).message}`);
      }
    });
  });
  return h(
    "li",
    { class: "ip" },
    h("div", { class: "ip-head" }, h("code", {}, ip.address_with_mask ?? address), ip.vip ? h("span", { class: "chip small" }, "VIP") : null, ip.label ? h("span", { class: "muted" }, ` ${ip.label}`) : null, unallocate),
    form,
  );
}
