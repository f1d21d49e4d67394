// DOM helpers shared by the panels. Every API string reaches the page as a
// text node (textContent / append of strings), never as markup.
import { api, state, isAbort } from "./state.js";

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

/**
 * The Date of Unix seconds, or null: any whole number is a valid answer,
 * but JavaScript's dates end at ±8.64e12 seconds.
 */
function dateOf(seconds) {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A <time> for Unix seconds: "Jan 2, 2023" (full date and time on hover); "unknown date" beyond JavaScript's dates. */
export function timeEl(seconds, withTime = false) {
  if (seconds == null) return h("span", { class: "muted", text: "—" });
  const d = dateOf(seconds);
  if (!d) return h("span", { class: "muted", title: `The API sent ${seconds}, beyond the dates this browser can show` }, "unknown date");
  return h("time", { datetime: d.toISOString(), title: dateTimeFmt.format(d) }, (withTime ? dateTimeFmt : dateFmt).format(d));
}

/** Unix seconds as date and time, or "an unknown date". */
export const formatDateTime = (seconds) => {
  const d = dateOf(seconds);
  return d ? dateTimeFmt.format(d) : "an unknown date";
};

/** `table[key]` when `key` is the table's own: an API string such as "constructor" finds nothing. */
export const own = (table, key) => (typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined);

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
  const text = vmState.replaceAll("_", " ");
  // While the API cannot be reached a state is only the last one seen: it says so.
  if (!state.reachable) {
    return h(
      "span",
      { class: "badge tone-stale", dataset: { state: vmState, stale: "true" }, title: "The last state seen: the API cannot be reached now" },
      `${text}?`,
      h("span", { class: "sr-only" }, " (last seen; the API cannot be reached)"),
    );
  }
  const tone = own(STATE_TONES, vmState) ?? "neutral";
  return h("span", { class: `badge tone-${tone}`, dataset: { state: vmState } }, text);
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

/**
 * A sentence a person understands for the codes this page meets most (the
 * API's own message and the code follow it).
 */
const SENTENCES = {
  network_error: "The API could not be reached.",
  timeout: "The API took too long to answer.",
  aborted: "The request was stopped.",
  invalid_api_token: "The API token was not accepted: it may be wrong or expired.",
  missing_api_token: "No API token was sent.",
  scope_not_granted: "The API token is not allowed to do this (it lacks a scope).",
  permission_denied: "This is not allowed for this virtual machine or token.",
  rate_limit_reached: "Too many requests in a short time: wait a moment, then try again.",
  validation_error: "The API did not accept the values.",
  invalid_argument: "A value is not one the API accepts.",
  invalid_spec_xml: "The spec XML is not valid.",
  task_failed: "The task failed. The API does not say why; the VM's state shows what it is now.",
  task_queueing_error: "Another task is still running for this virtual machine: wait for it to finish.",
  object_in_trash: "The virtual machine is in the trash: restore it first.",
  virtual_machine_not_found: "The virtual machine was not found (it may have been deleted).",
  organization_not_found: "The organization was not found.",
  organization_suspended: "The organization is suspended.",
  organization_not_activated: "The organization is not activated yet.",
  virtual_machine_must_be_started: "The virtual machine must be started first.",
  flexible_resources_unavailable_to_organization: "This organization cannot use flexible resources: choose a package.",
  invalid_response: "The API sent an answer the client could not read.",
  service_unavailable: "The API is unavailable for a moment: try again shortly.",
  no_available_addresses: "No address of that kind is available right now.",
  no_allocation: "That address is not allocated to anything.",
  currency_not_found: "The API has no prices in that currency.",
  country_not_found: "The API does not know that country.",
  invalid_estimate_resource: "The API cannot price one of the items.",
};

/** `{ code, sentence, message, lines }` for any thrown value. */
export function describeError(e) {
  let out;
  if (isKatapultError(e)) out = { code: e.code, message: e.message, lines: detailLines(e) };
  else if (e instanceof Error) out = { code: e.name || "Error", message: e.message, lines: [] };
  else out = { code: "error", message: String(e), lines: [] };
  out.sentence = own(SENTENCES, out.code) ?? null;
  return out;
}

/**
 * A node showing an error: what happened as a sentence (with the context,
 * e.g. "Could not load the details"), the API's message and detail lines,
 * then the code, last and small.
 */
export function errorNode(e, context) {
  const { code, sentence, message, lines } = describeError(e);
  const lead = [context && `${context}.`, sentence].filter(Boolean).join(" ") || message;
  return h(
    "div",
    { class: "error-body" },
    h("p", { class: "error-lead" }, h("strong", {}, lead)),
    lead !== message && message ? h("p", { class: "error-message" }, message) : null,
    lines.length ? h("ul", { class: "error-lines" }, lines.map((l) => h("li", {}, l))) : null,
    h("p", { class: "error-code-line" }, "Code: ", h("code", { class: "error-code" }, code)),
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

/** Shows an error as a toast that stays until dismissed. Aborts (a newer request took over) are not errors. */
export function reportError(e, context) {
  if (isAbort(e)) return;
  toast(errorNode(e, context), { kind: "error" });
}

// ---- toasts ---------------------------------------------------------------

/**
 * Shows a toast in the aria-live region. `actions`: [{ label, onClick }]
 * buttons; `timeoutMs`: 0 keeps it until closed. Errors stay until
 * dismissed (their default timeout is 0); the same error again counts up
 * on the one already shown instead of stacking another. Others close by
 * themselves, though not while they hold the focus or the pointer.
 * An error too long for its compact box gets a "More" button (a
 * disclosure: click, tap, Enter or Space) that shows all of it.
 * Returns { el, close, buttons }.
 */
export function toast(content, { kind = "info", actions = [], timeoutMs } = {}) {
  const region = $("#toasts");
  const isError = kind.startsWith("error");
  timeoutMs ??= isError ? 0 : 6000;
  const text = typeof content === "string" ? content : content.textContent;
  if (isError) {
    const same = [...region.querySelectorAll(".toast-error")].find((t) => t.dataset.text === text);
    if (same) {
      const count = Number(same.dataset.count ?? 1) + 1;
      same.dataset.count = String(count);
      same.querySelector(".toast-count").textContent = `×${count}`;
      same.querySelector(".toast-count").hidden = false;
      region.append(same); // the newest last
      return { el: same, close: () => same.remove(), buttons: [] };
    }
  }
  const el = h("div", { class: `toast toast-${kind}`, role: isError ? "alert" : "status", dataset: { text } });
  const close = () => {
    if (!el.isConnected) return;
    const hadFocus = el.contains(document.activeElement);
    el.remove();
    updateDismissAll(region);
    if (hadFocus) document.getElementById("main")?.focus();
  };
  const buttons = actions.map(({ label, onClick, className }) =>
    h("button", { type: "button", class: `btn small ${className ?? ""}`, onclick: () => onClick(close, buttons) }, label),
  );
  const body = h("div", { class: "toast-body", id: `toast-body-${(toast.count = (toast.count ?? 0) + 1)}` }, content, isError ? h("span", { class: "toast-count", hidden: true }) : null);
  const dismiss = h("button", { type: "button", class: "btn small ghost", "aria-label": "Dismiss", onclick: close }, "✕");
  el.append(body, h("div", { class: "toast-actions" }, buttons, dismiss));
  region.append(el);
  // Compact unless asked: the rest is one button away (no hover needed).
  if (isError && body.scrollHeight > body.clientHeight + 1) {
    const more = h("button", {
      type: "button", class: "btn small toast-more", "aria-expanded": "false", "aria-controls": body.id,
      onclick: () => {
        const open = more.getAttribute("aria-expanded") !== "true";
        more.setAttribute("aria-expanded", String(open));
        el.classList.toggle("expanded", open);
      },
    }, "More");
    dismiss.before(more);
  }
  // At most 5 of the others; errors are never dropped unseen.
  const others = [...region.querySelectorAll(".toast:not(.toast-error)")];
  for (const t of others.slice(0, Math.max(0, others.length - 5))) t.remove();
  updateDismissAll(region);
  if (timeoutMs > 0) {
    const tick = () => (el.contains(document.activeElement) || el.matches(":hover") ? setTimeout(tick, 2000) : close());
    setTimeout(tick, timeoutMs);
  }
  return { el, close, buttons };
}

/** With two errors or more, one button dismisses them all. */
function updateDismissAll(region) {
  const errors = region.querySelectorAll(".toast-error");
  let all = region.querySelector(".toasts-dismiss-all");
  if (errors.length < 2) {
    all?.remove();
    return;
  }
  if (!all) {
    all = h("button", { type: "button", class: "btn small toasts-dismiss-all", onclick: () => {
      for (const t of region.querySelectorAll(".toast-error")) t.remove();
      all.remove();
      document.getElementById("main")?.focus();
    } });
    region.prepend(all);
  }
  all.textContent = `Dismiss ${errors.length} errors`;
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
