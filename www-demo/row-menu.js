// A row's action menu: a menu button (aria-haspopup) opening a list of
// menu items for the VM's power actions, its console and delete. Arrow
// keys move between the items, Home and End go to the ends, Escape closes
// it and puts the focus back on the button; so does a click outside.
import { h } from "./ui.js";

let open = null; // { menu, button, close }

/**
 * The menu button of VM `id`. `items()` gives [{ label, run, disabled }]
 * as they are when the menu opens; `name` labels the button.
 */
export function rowMenu(id, name, items) {
  const button = h("button", { type: "button", class: "btn small ghost row-menu-btn", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": `Actions for ${name}` }, "⋯");
  button.addEventListener("click", (ev) => {
    ev.stopPropagation();
    if (open?.button === button) open.close(true);
    else show(button, items());
  });
  button.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      show(button, items(), ev.key === "ArrowUp" ? -1 : 0);
    }
  });
  return button;
}

function show(button, items, focusAt = 0) {
  open?.close(false);
  const entries = items.map(({ label, run, disabled }) => {
    const item = h("button", { type: "button", role: "menuitem", class: "row-menu-item", disabled, tabindex: "-1" }, label);
    item.addEventListener("click", (ev) => {
      ev.stopPropagation();
      close(false);
      run();
    });
    return item;
  });
  const menu = h("div", { class: "row-menu", role: "menu", "aria-label": button.getAttribute("aria-label") }, entries);
  const usable = () => entries.filter((e) => !e.disabled);
  menu.addEventListener("keydown", (ev) => {
    const list = usable();
    const at = list.indexOf(document.activeElement);
    const move = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 }[ev.key];
    if (move !== undefined) {
      ev.preventDefault();
      list[(move + list.length) % list.length]?.focus();
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close(true);
    } else if (ev.key === "Tab") {
      close(false);
    }
  });
  const outside = (ev) => !menu.contains(ev.target) && ev.target !== button && close(false);
  function close(refocus) {
    if (open?.menu !== menu) return;
    open = null;
    menu.remove();
    button.setAttribute("aria-expanded", "false");
    document.removeEventListener("click", outside, true);
    if (refocus) button.focus();
  }
  button.after(menu);
  button.setAttribute("aria-expanded", "true");
  document.addEventListener("click", outside, true);
  open = { menu, button, close };
  const list = usable();
  (focusAt < 0 ? list.at(-1) : list[0])?.focus();
}

