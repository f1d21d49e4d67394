// The page's two views, chosen by the URL's hash so each can be linked (and
// the pricing view embedded): #pricing is the pricing page, anything else the
// control panel. The top bar's links switch between them; the skip link and
// the title follow the view.
import { $ } from "./ui.js";

const VIEWS = {
  panel: { title: "Katapult virtual machines · katapult-wasm demo", skip: ["#vm-section", "Skip to the virtual machines"], focus: "#main" },
  pricing: { title: "Katapult pricing · katapult-wasm demo", skip: ["#pricing", "Skip to the prices"], focus: "#pricing" },
};

/** The view the URL names. */
export const currentView = () => (location.hash === "#pricing" ? "pricing" : "panel");

/**
 * Calls `onView(view)` now and whenever the hash changes view. A change
 * (not the first view) moves the focus to the new view's start, so a
 * keyboard or screen reader user goes on from there.
 */
export function initViews(onView) {
  let shown = null;
  const show = (first) => {
    const view = currentView();
    if (view === shown) return;
    shown = view;
    document.body.dataset.view = view;
    document.title = VIEWS[view].title;
    for (const a of document.querySelectorAll(".views a[data-view]")) {
      if (a.dataset.view === view) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    const skip = $("#skip-link");
    skip.setAttribute("href", VIEWS[view].skip[0]);
    skip.textContent = VIEWS[view].skip[1];
    if (!first) $(VIEWS[view].focus)?.focus({ preventScroll: false });
    onView(view);
  };
  window.addEventListener("hashchange", () => show(false));
  show(true);
}
