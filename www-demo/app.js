// Entry point of the demo page: installs the page-wide error handlers, loads
// the client (./pkg/index.js, the package's browser ES module), wires the
// panels together and connects with the defaults (this page's mock and its
// demo token, or what this tab remembered).
import { api } from "./state.js";
import { $, toast, errorNode } from "./ui.js";
import { initConnect } from "./connect.js";
import { initTable } from "./table.js";
import { initDetails } from "./details.js";
import { initTrash } from "./actions.js";
import { initBuild } from "./build.js";
import { initManage } from "./vm-manage.js";
import { consoleSection, settingsSection, resourcesSection } from "./vm-settings.js";
import { disksSection, backupsSection } from "./vm-disks.js";
import { networkSection } from "./vm-network.js";

// Nothing may end up uncaught: anything that slips through is shown as a toast.
function unexpected(error) {
  toast(errorNode(error, "Unexpected error"), { kind: "error unexpected", timeoutMs: 0 });
}
window.addEventListener("unhandledrejection", (ev) => {
  ev.preventDefault();
  unexpected(ev.reason);
});
window.addEventListener("error", (ev) => {
  ev.preventDefault();
  unexpected(ev.error ?? ev.message);
});

try {
  const pkg = await import("./pkg/index.js");
  // The module loads on first use; loading it now shows a module that
  // cannot be fetched as the page's load failure, not the first call's.
  await pkg.ready();
  api.KatapultClient = pkg.KatapultClient;
  api.KatapultError = pkg.KatapultError;
} catch (e) {
  $("#conn-status").textContent = "The client failed to load";
  unexpected(e);
}

if (api.KatapultClient) {
  initTable();
  initDetails();
  initManage([consoleSection, settingsSection, resourcesSection, disksSection, networkSection, backupsSection]);
  initTrash();
  initBuild();
  const connect = initConnect();
  document.body.classList.add("ready");
  connect();
}
