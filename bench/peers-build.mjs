// Prepares `make bench`'s peers (bench/peers.ts), failing loudly at any step:
//   1. openapi-typescript: spec/katapult-core-openapi.json -> target/bench/katapult-api.d.ts
//   2. tsc --noEmit --strict on bench/peers.ts (which imports those types)
//   3. esbuild: bench/peers.ts -> target/bench/peers.mjs (bundled, for the
//      bench to import) and target/bench/peers.min.mjs (bundled, minified,
//      for the payload figure), plus valibot alone as the peer module
//      tree-shakes it -> target/bench/valibot.min.mjs, and openapi-fetch
//      alone, minified -> target/bench/openapi-fetch.min.mjs
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(repo, "target/bench");
const bin = (name) => path.join(repo, "node_modules/.bin", name);

function run(step, cmd, args) {
  const r = spawnSync(cmd, args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new Error(`bench peers: ${step} failed (${[cmd, ...args].map((a) => path.relative(repo, a) || a).join(" ")}; exit ${r.status ?? r.signal})`);
  }
  return r.stdout;
}

export async function buildPeers() {
  mkdirSync(out, { recursive: true });
  run("openapi-typescript", bin("openapi-typescript"), ["spec/katapult-core-openapi.json", "-o", "target/bench/katapult-api.d.ts"]);
  run("typecheck", bin("tsc"), [
    "--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler",
    "--lib", "es2022,dom", "--pretty", "false", "bench/peers.ts",
  ]);
  const esbuild = await import("esbuild");
  const common = { entryPoints: [path.join(repo, "bench/peers.ts")], bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "error" };
  await esbuild.build({ ...common, outfile: path.join(out, "peers.mjs") });
  const min = await esbuild.build({ ...common, outfile: path.join(out, "peers.min.mjs"), minify: true, metafile: true });
  // valibot's share of the peer bundle: the same imports, nothing else.
  writeFileSync(path.join(out, "valibot-entry.mjs"),
    `export { any, array, boolean, check, integer, lazy, looseObject, nullable, number, optional, parse, pipe, safeParse, string } from "valibot";\n`);
  await esbuild.build({ ...common, entryPoints: [path.join(out, "valibot-entry.mjs")], outfile: path.join(out, "valibot.min.mjs"), minify: true });
  // openapi-fetch alone, minified the same way (it is published unminified).
  writeFileSync(path.join(out, "openapi-fetch-entry.mjs"), `export { default } from "openapi-fetch";\n`);
  await esbuild.build({ ...common, entryPoints: [path.join(out, "openapi-fetch-entry.mjs")], outfile: path.join(out, "openapi-fetch.min.mjs"), minify: true });
  return {
    openapiFetchMin: path.join(out, "openapi-fetch.min.mjs"),
    peers: path.join(out, "peers.mjs"),
    peersMin: path.join(out, "peers.min.mjs"),
    valibotMin: path.join(out, "valibot.min.mjs"),
    inputs: min.metafile.outputs[Object.keys(min.metafile.outputs)[0]].inputs,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildPeers();
  console.log(`built ${path.relative(repo, r.peers)}`);
}
