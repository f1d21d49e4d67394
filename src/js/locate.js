// Finding a WebAssembly file of the package in Node, synchronously. The
// ES module entry names places first (next to itself, or where a bundler
// that followed its `new URL(…, import.meta.url)` put it; wherever the
// package resolves from there); then next to this file; then wherever the
// package resolves from the working directory (a bundle that left
// node_modules in place). Nothing is required before it is needed: in an
// ES module bundle `require` may not exist.
// (Bundled into each Node build, which is CommonJS: `require` is there.)

export function locator(file, dir) {
  const fs = () => require("node:fs");
  const path = () => require("node:path");
  const inDir = (d) => () => fs().readFileSync(path().join(d, file));
  // Resolved at run time from the working directory with a require of its
  // own: bundlers rewrite `require.resolve`, and this must see the real
  // node_modules (Next.js server bundles, for one, run from the project).
  const fromWorkingDirectory = () => {
    const requireHere = require("node:module").createRequire(path().join(process.cwd(), "noop.js"));
    return inDir(path().dirname(requireHere.resolve(["katapult-wasm", "package.json"].join("/"))))();
  };
  const candidates = [fromWorkingDirectory];
  if (typeof dir === "string") candidates.unshift(inDir(dir));
  return {
    /**
     * Readers tried before the others, in the order given (from the ES
     * module entry: in an ES module bundle this build's `require` may not
     * reach node:fs, so that entry reads the files itself).
     */
    prefer(...readers) {
      candidates.unshift(...readers);
    },
    /** The file's bytes, from the first place that has it. */
    read() {
      const tried = [];
      for (const read of candidates) {
        try {
          return read();
        } catch (e) {
          tried.push((e && e.message) || String(e));
        }
      }
      throw new Error(`${file} not found (${tried.join("; ")})`);
    },
  };
}
