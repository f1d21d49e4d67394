// A <select> of choices the API lists, with "Other…" and a text input for a
// value the list does not have (a spec written by hand, or a list that
// could not be loaded), so no value is ever lost or refused by the form.
// Choices and labels are API strings: they reach the page as text only.
import { h } from "./ui.js";

const OTHER = "\u0000other";

/**
 * @param {object} o
 * @param {HTMLSelectElement} o.select
 * @param {HTMLInputElement} o.other   the text input shown for "Other…"
 * @param {string|null} o.none         label of the "" choice (null: no such choice)
 * @param {string} o.noun              what is listed, for messages ("data centers")
 * @param {(text: string) => string} [o.fromText]  the value for text typed in "Other…"
 * @param {(value: string) => string} [o.toText]   the text "Other…" shows for a value
 */
export function picker({ select, other, none, noun, fromText = (t) => t, toText = (v) => v }) {
  let choices = []; // [{ value, label, group? }]
  let wanted = ""; // the value asked for, kept while choices load
  let status = "loading"; // "loading" | "ready" | "failed"
  let failure = "";

  const otherField = other.closest(".field") ?? other;

  function render() {
    const options = [];
    if (none != null) options.push(h("option", { value: "" }, none));
    if (status === "loading") options.push(h("option", { value: "", disabled: true }, `Loading ${noun}…`));
    if (status === "failed") options.push(h("option", { value: "", disabled: true }, `The ${noun} could not be loaded: ${failure}`));
    const groups = new Map();
    for (const c of choices) {
      const option = h("option", { value: c.value }, c.label);
      if (c.group == null) options.push(option);
      else {
        if (!groups.has(c.group)) {
          const group = h("optgroup", { label: c.group });
          groups.set(c.group, group);
          options.push(group);
        }
        groups.get(c.group).append(option);
      }
    }
    options.push(h("option", { value: OTHER }, "Other (type it)…"));
    select.replaceChildren(...options);
    show(wanted);
  }

  /** Selects `value`: its choice, "none" for "", else "Other…" with the text. */
  function show(value) {
    let pick;
    if (value === "") pick = none != null || status === "loading" ? "" : OTHER;
    else pick = choices.some((c) => c.value === value) ? value : OTHER;
    select.value = pick;
    other.value = pick === OTHER ? toText(value) : "";
    otherField.hidden = pick !== OTHER;
  }

  select.addEventListener("change", () => {
    if (select.value === OTHER) {
      otherField.hidden = false;
      wanted = fromText(other.value.trim());
      other.focus();
    } else {
      otherField.hidden = true;
      wanted = select.value;
    }
  });
  other.addEventListener("input", () => (wanted = fromText(other.value.trim())));
  render();

  return {
    /** The chosen value ("" for none). */
    get value() {
      return select.value === OTHER ? fromText(other.value.trim()) : select.value;
    },
    set value(v) {
      wanted = v ?? "";
      show(wanted);
    },
    /** The list arrived: `list` of { value, label, group? }. */
    setChoices(list) {
      choices = list;
      status = "ready";
      render();
    },
    /** The list could not be loaded; "Other…" stays usable. */
    setFailed(reason) {
      choices = [];
      status = "failed";
      failure = reason;
      render();
    },
    /** Back to "loading" (another organization). */
    setLoading() {
      choices = [];
      status = "loading";
      render();
    },
    get choices() {
      return choices;
    },
    get loaded() {
      return status === "ready";
    },
  };
}
