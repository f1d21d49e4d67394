// The WebAssembly module and the one way to talk to it. The module imports
// nothing: JavaScript writes a call's input into the module's input buffer,
// calls one export, and reads the text it left in its output buffer
// (src/exports/mod.rs). Nothing is loaded at import: the module is read
// and compiled on first use, synchronously where the bytes can be read so
// (Node), else fetched in the background and awaited by the first call
// (browsers); `ready()` starts it early. If the module ever traps (it is
// built to never do so), the call rejects and a fresh instance of the
// compiled module serves the next call: one failure cannot poison later
// calls.
import { KatapultError, moduleError } from "./errors.js";

// Made on first use: Node loads their implementation lazily.
let encoder, decoder;

const failedToLoad = (what, e) =>
  new KatapultError("network_error", 0, `The katapult-wasm WebAssembly module (${what}) could not be loaded: ${(e && e.message) || e}`, null, null);

/**
 * The module `what` compiled from the first of `urls` that serves it
 * (later ones are where a bundler or dev server may have left the
 * package's copy). An answer that is not WebAssembly (a dev server's HTML
 * page for a file it does not have, a 404) is said plainly: the URL, what
 * came back, and the line that fixes it.
 */
export async function fetchModule(what, urls) {
  let seen = "";
  for (const url of urls) {
    const response = await fetch(url);
    const bytes = new Uint8Array(await response.arrayBuffer());
    // "\0asm"; an HTML page starts with "<".
    if (response.ok && bytes[0] === 0 && bytes[1] === 97 && bytes[2] === 115 && bytes[3] === 109) return WebAssembly.compile(bytes);
    seen += `${url} answered HTTP ${response.status}${bytes[0] === 60 ? " with an HTML page" : ""}, not WebAssembly. `;
  }
  throw new Error(`${seen}To fix it, ${String(urls[0]).includes("/.vite/deps/")
    ? 'add optimizeDeps: { exclude: ["katapult-wasm"] } to vite.config'
    : `serve ${what} next to the script that imports katapult-wasm (esbuild: cp node_modules/katapult-wasm/${what} next to the bundle)`}.`);
}

/**
 * Where `what` may be besides next to the importing file: a dev server
 * that pre-bundled the package (Vite 6 and 7 put it in
 * node_modules/.vite/deps) still serves its own copy in node_modules.
 */
export function fallbackUrls(here, what) {
  const file = String(here).split(/[?#]/)[0];
  return /\/\.vite\/deps\/[^/]+$/.test(file) ? [file.replace(/\/\.vite\/deps\/[^/]+$/, `/katapult-wasm/${what}`)] : [];
}

/**
 * `readSync()` returns the module's bytes (Node); else `fetchAsync()`
 * resolves to the compiled module (browsers). `what` names the file.
 */
export function moduleHost(what, { readSync = null, fetchAsync = null }) {
  let compiled = null;
  let x = null; // the instance's exports
  let pending = null;
  const instantiate = () => {
    x = new WebAssembly.Instance(compiled, {}).exports;
  };
  const host = {
    /** The instance's exports once loaded (its memory, for the resource tests). */
    get exports() {
      return x;
    },
    /** Loads now if that can be done synchronously; true once loaded. */
    now() {
      if (x) return true;
      if (readSync) {
        try {
          // Bytes (Node), or a module the runtime compiled (Workers).
          const source = readSync();
          compiled = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source);
          instantiate();
        } catch (e) {
          throw failedToLoad(what, e);
        }
        return true;
      }
      host.load().catch(() => {});
      return false;
    },
    /** Resolves once the module is loaded (a failed load is tried again on the next call). */
    load() {
      if (x) return Promise.resolve();
      if (readSync) return new Promise((resolve) => resolve(host.now()));
      pending ??= (async () => {
        compiled = await fetchAsync();
        instantiate();
      })().catch((e) => {
        pending = null;
        throw failedToLoad(what, e);
      });
      return pending;
    },
    /**
     * Runs `fn(exports)`. A trap makes a fresh instance for later calls and
     * becomes a KatapultError of `code` (a retry would trap again).
     */
    run(fn) {
      try {
        return fn(x);
      } catch (e) {
        if (e instanceof KatapultError) throw e;
        try {
          instantiate();
        } catch {
          // the next call tries again
        }
        throw new KatapultError("invalid_response", 0, `The katapult-wasm module failed on this input and was restarted (${(e && e.message) || e})`, null, null);
      }
    },
  };
  return host;
}

/**
 * One question to the module: writes `text` as the input, calls export
 * `name` with `args` and the input's length, and returns the text it
 * answered; a non-zero return means that text is an error, thrown as the
 * KatapultError it describes.
 */
export function ask(host, name, text, ...args) {
  return host.run((x) => {
    const len = writeText(x, text);
    const failed = x[name](...args, len);
    const out = readText(x);
    if (failed) throw moduleError(out);
    return out;
  });
}

/** Writes `bytes` (a Uint8Array) as the input; false when it cannot fit. */
export function writeBytes(x, bytes, extra = "") {
  const ptr = x.kw_input(bytes.length + extra.length);
  if (ptr === 0 && bytes.length + extra.length > 0) return false;
  const view = new Uint8Array(x.memory.buffer, ptr, bytes.length + extra.length);
  view.set(bytes);
  // `extra` is a header value: ASCII, or its bytes' low halves.
  for (let i = 0; i < extra.length; i++) view[bytes.length + i] = extra.charCodeAt(i) & 0xff;
  return true;
}

/** Writes `text` as the input; returns its length in bytes. */
export function writeText(x, text) {
  const room = text.length * 3;
  const ptr = x.kw_input(room);
  if (ptr === 0 && room > 0) throw new KatapultError("invalid_argument", 0, "The arguments are too large to send", null, null);
  return (encoder ??= new TextEncoder()).encodeInto(text, new Uint8Array(x.memory.buffer, ptr, room)).written;
}

/** The text the last export left in the output buffer. */
export function readText(x) {
  return (decoder ??= new TextDecoder()).decode(new Uint8Array(x.memory.buffer, x.kw_output(), x.kw_output_len()));
}
