// Checks of what the user types, made before anything is sent, with the
// sentence the page shows. Each returns the problem, or null.

/**
 * A hostname: a DNS label (RFC 1123) of letters, digits and hyphens, 1–63
 * long, no hyphen first or last. Empty is fine where `optional` (the API
 * then picks a random one).
 */
export function hostnameProblem(hostname, optional = true) {
  if (hostname === "") return optional ? null : "A hostname is needed.";
  if (hostname.length > 63) return `A hostname is at most 63 characters; this one has ${hostname.length}.`;
  if (!/^[A-Za-z0-9-]+$/.test(hostname)) return "A hostname can only hold letters, digits and hyphens (no spaces, dots or other signs).";
  if (hostname.startsWith("-") || hostname.endsWith("-")) return "A hostname cannot start or end with a hyphen.";
  return null;
}

/** A host name for reverse DNS: labels as above, joined by dots, 253 at most. */
export function reverseDnsProblem(name) {
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare === "") return "Reverse DNS needs a host name, such as web-1.example.com.";
  if (bare.length > 253) return "A host name is at most 253 characters.";
  const bad = bare.split(".").find((label) => hostnameProblem(label, false));
  return bad === undefined ? null : `“${bad || "(empty)"}” is not a valid part of a host name: letters, digits and hyphens only.`;
}

/** A whole number from `min` to `max` in a field's text: [value, problem]. */
export function wholeNumber(text, label, min, max) {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value)) return [null, `${label} must be a whole number.`];
  if (value < min || value > max) return [null, `${label} must be from ${min} to ${max}.`];
  return [value, null];
}

/**
 * A URL the API sent that the page may link to: http(s) only, so an API
 * string can never become a javascript: or data: link.
 */
export function safeLink(url) {
  try {
    const u = new URL(url);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}
