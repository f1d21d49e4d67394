// DOM helpers shared by the panels. Every API string reaches the page as a
// text node (textContent / append of strings), never as markup.
import { api, isAbort } from "./state.js";

/**
 * Creates an element. `props`: `class`, `text`, `dataset`, `on<event>`
 * handlers, the properties `hidden disabled value checked selected`, and
 * any other key as an attribute. Children: nodes or strings (text nodes).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (["hidden", "disabled", "value", "checked", "selected"].includes(key)) el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false).map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// ---- formatting -----------------------------------------------------------

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A <time> for Unix seconds: "Jan 2, 2023" (full date and time on hover). */
export function timeEl(seconds, withTime = false) {
  if (seconds == null) return h("span", { class: "muted", text: "—" });
  const d = new Date(seconds * 1000);
  return h("time", { datetime: d.toISOString(), title: dateTimeFmt.format(d) }, (withTime ? dateTimeFmt : dateFmt).format(d));
}

export const formatDateTime = (seconds) => dateTimeFmt.format(new Date(seconds * 1000));

const STATE_TONES = {
  started: "ok",
  stopped: "off",
  failed: "bad",
  orphaned: "bad",
  starting: "busy",
  stopping: "busy",
  shutting_down: "busy",
  resetting: "busy",
  allocating: "busy",
  allocated: "busy",
  migrating: "busy",
  transferring: "busy",
};

/** A coloured badge for a VM state ("shutting_down" reads "shutting down"); "—" when the API did not say. */
export function stateBadge(vmState) {
  if (typeof vmState !== "string" || vmState === "") return h("span", { class: "badge tone-neutral", title: "The API did not send a state" }, "—");
  const tone = STATE_TONES[vmState] ?? "neutral";
  return h("span", { class: `badge tone-${tone}`, dataset: { state: vmState } }, vmState.replaceAll("_", " "));
}

/** A grey placeholder badge while the state is being fetched. */
export function loadingBadge() {
  return h("span", { class: "badge tone-loading" }, "loading");
}

/** An annotation chip, "key=value". */
export function annotationChip({ key, value }) {
  return h("span", { class: "chip" }, h("span", { class: "chip-key" }, key), value == null ? null : h("span", { class: "chip-value" }, `=${value}`));
}

// Tag colours are an API enum; unknown names fall back to grey (the name is
// only ever used as a lookup key here, never as CSS).
const TAG_COLORS = {
  red: "#d64545", pink: "#d6478f", purple: "#7c4dcc", dark_blue: "#2f4fa8", green: "#2f9e55",
  teal: "#1f8f8a", aqua: "#1aa3c2", light_blue: "#4a9be0", yellow: "#c9a300", orange: "#e07b1a",
  orange_red: "#e0531a", brown: "#8a5a36", black: "#222", dark_gray: "#555", light_gray: "#9aa1ad",
  light_brown: "#b08a62",
};

export function tagChip(tag) {
  const base = String(tag.color ?? "").replace(/^pastel_/, "");
  const color = TAG_COLORS[base] ?? "#8b93a3";
  const chip = h("span", { class: `chip tag${String(tag.color ?? "").startsWith("pastel_") ? " pastel" : ""}` }, tag.name ?? "—");
  chip.style.setProperty("--tag", color);
  return chip;
}

// ---- errors ---------------------------------------------------------------

export function isKatapultError(e) {
  return (api.KatapultError && e instanceof api.KatapultError) || e?.name === "KatapultError";
}

/** Extra lines from an error's `detail` (validation errors, needed scopes, …). */
function detailLines(e) {
  const d = e?.detail;
  if (!d || typeof d !== "object") return [];
  if (Array.isArray(d.errors)) return d.errors.map(String);
  if (typeof d.errors === "string") return [d.errors];
  if (Array.isArray(d.scopes)) return [`Needs one of the scopes: ${d.scopes.join(", ")}`];
  if (typeof d.details === "string") return [d.details];
  return [];
}

/** `{ code, message, lines }` for any thrown value. */
export function describeError(e) {
  if (isKatapultError(e)) return { code: e.code, message: e.message, lines: detailLines(e) };
  if (e instanceof Error) return { code: e.name || "Error", message: e.message, lines: [] };
  return { code: "error", message: String(e), lines: [] };
}

/** A node showing an error: the code, the message, detail lines. */
export function errorNode(e, context) {
  const { code, message, lines } = describeError(e);
  return h(
    "div",
    { class: "error-body" },
    context ? h("strong", { class: "error-context" }, context) : null,
    h("p", {}, h("code", { class: "error-code" }, code), " ", message),
    lines.length ? h("ul", { class: "error-lines" }, lines.map((l) => h("li", {}, l))) : null,
  );
}

/** Shows an error inline in `el` (role=alert), or hides `el` for null. */
export function showInlineError(el, e, context) {
  if (e == null) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.replaceChildren(errorNode(e, context));
  el.hidden = false;
}

/** Shows an error as a toast. Aborts (a newer request took over) are not errors. */
export function reportError(e, context) {
  if (isAbort(e)) return;
  toast(errorNode(e, context), { kind: "error", timeoutMs: 12000 });
}

// ---- toasts ---------------------------------------------------------------

/**
 * Shows a toast in the aria-live region. `actions`: [{ label, onClick }]
 * buttons; `timeoutMs`: 0 keeps it until closed. It does not time out while
 * it holds the focus. Returns { el, close }.
 */
export function toast(content, { kind = "info", actions = [], timeoutMs = 6000 } = {}) {
  const region = $("#toasts");
  const el = h("div", { class: `toast toast-${kind}`, role: kind.startsWith("error") ? "alert" : "status" });
  const close = () => {
    if (!el.isConnected) return;
    const hadFocus = el.contains(document.activeElement);
    el.remove();
    if (hadFocus) document.getElementById("main")?.focus();
  };
  const buttons = actions.map(({ label, onClick, className }) =>
    h("button", { type: "button", class: `btn small ${className ?? ""}`, onclick: () => onClick(close, buttons) }, label),
  );
  el.append(
    h("div", { class: "toast-body" }, content),
    h("div", { class: "toast-actions" }, buttons, h("button", { type: "button", class: "btn small ghost", "aria-label": "Dismiss", onclick: close }, "✕")),
  );
  region.append(el);
  while (region.children.length > 5) region.firstElementChild.remove();
  if (timeoutMs > 0) {
    const tick = () => (el.contains(document.activeElement) || el.matches(":hover") ? setTimeout(tick, 2000) : close());
    setTimeout(tick, timeoutMs);
  }
  return { el, close, buttons };
}

// ---- busy buttons, dialogs, progress ---------------------------------------

/**
 * Disabling the focused control drops the focus to <body>. Call before
 * disabling; the returned function puts the focus back (on `fallback`
 * elements if the control stays disabled) unless the user moved it since.
 */
export function holdFocus(controls, fallback = []) {
  const focused = [controls].flat().find((c) => c && c === document.activeElement);
  return () => {
    if (!focused) return;
    const lost = document.activeElement === document.body || document.activeElement == null;
    if (!lost) return;
    const target = [focused, ...fallback].find((c) => c?.isConnected && !c.disabled && !c.closest("[hidden]"));
    target?.focus();
  };
}

/** Runs `fn` with the controls disabled (and aria-busy), restoring them after. */
export async function withBusy(controls, fn) {
  const list = [controls].flat().filter(Boolean);
  const before = list.map((c) => c.disabled);
  const restoreFocus = holdFocus(list);
  for (const c of list) {
    c.disabled = true;
    c.setAttribute("aria-busy", "true");
  }
  try {
    return await fn();
  } finally {
    list.forEach((c, i) => {
      c.disabled = before[i];
      c.removeAttribute("aria-busy");
    });
    restoreFocus();
  }
}

/**
 * An in-page confirmation (a modal <dialog>: focus moves into it, Escape
 * cancels, focus returns to the opener). Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel = "OK", danger = true }) {
  const dialog = $("#confirm-dialog");
  $("#confirm-title", dialog).textContent = title;
  $("#confirm-message", dialog).textContent = message;
  $("#confirm-ok", dialog).textContent = confirmLabel;
  $("#confirm-ok", dialog).className = danger ? "btn danger-solid" : "btn primary";
  const opener = document.activeElement;
  dialog.returnValue = "";
  dialog.showModal();
  $("#confirm-cancel", dialog).focus();
  return new Promise((resolve) => {
    dialog.addEventListener(
      "close",
      () => {
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
        resolve(dialog.returnValue === "confirm");
      },
      { once: true },
    );
  });
}

/** A sleep that rejects when the signal aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
  });
}

/** Text like "running · 40%" for a task. */
export function taskText(task) {
  const pct = typeof task.progress === "number" ? ` · ${task.progress}%` : "";
  return `${task.status ?? "in progress"}${pct}`;
}

/** A field's text, or "—" when the API left it out. */
export function orDash(value) {
  return value == null || value === "" ? "—" : String(value);
}
