// Entry point of the demo page: installs the page-wide error handlers, loads
// the client (./pkg/index.js, the package's browser ES module), wires the
// panels together and shows the view the URL names: the control panel, which
// connects with the defaults (this page's mock and its demo token, or what
// this tab remembered), or the pricing page (#pricing), which needs no token
// and connects to nothing until the control panel is opened.
import { api } from "./state.js";
import { $, toast, errorNode } from "./ui.js";
import { initConnect, coreBaseUrl } from "./connect.js";
import { initViews, currentView } from "./views.js";
import { showPricing } from "./pricing.js";
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

// The view shows at once; what it loads waits for the client.
let onView = () => {};
initViews((view) => onView(view));

try {
  const pkg = await import("./pkg/index.js");
  // The module loads on first use; loading it now shows a module that
  // cannot be fetched as the page's load failure, not the first call's.
  await pkg.ready();
  api.KatapultClient = pkg.KatapultClient;
  api.KatapultError = pkg.KatapultError;
  api.KatapultPublicClient = pkg.KatapultPublicClient;
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
  let connecting = false;
  onView = (view) => {
    if (view === "pricing") showPricing(coreBaseUrl());
    else if (!connecting) {
      connecting = true;
      connect();
    }
  };
  document.body.classList.add("ready");
} else {
  onView = (view) => view === "pricing" && showPricing(coreBaseUrl());
}
onView(currentView());
