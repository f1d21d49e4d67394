#!/usr/bin/env node
// Writes the decoders target's seed corpus (fuzz/corpus/decoders/) from the
// fixtures under tests/data/: each answer fixture at its operation's index
// in the generated OPERATIONS table and its status, each error body at the
// from_response selector. Run after adding fixtures; the files are committed.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The operations in the generated table's order (the document's), read the
// way the generator reads them.
const { load } = await import(join(root, "codegen/openapi.mjs"));
const answers = load(join(root, "spec/katapult-core-openapi.json")).operations.map((op) => ({ id: op.id, status: op.status }));
const out = join(root, "fuzz/corpus/decoders");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const seed = (name, selector, status, body) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(selector, 0);
  head.writeUInt16LE(status, 2);
  writeFileSync(join(out, name), Buffer.concat([head, body]));
};
const answersDir = join(root, "tests/data/answers");
for (const dir of readdirSync(answersDir).sort()) {
  const id = dir.replace(".", ":");
  const index = answers.findIndex((a) => a.id === id);
  if (index < 0) throw new Error(`no operation ${id}`);
  for (const file of readdirSync(join(answersDir, dir)).sort()) {
    seed(`${dir}.${file.replace(/\.json$/, "")}`, index, answers[index].status, readFileSync(join(answersDir, dir, file)));
  }
}
const errorsDir = join(root, "tests/data/errors");
for (const file of readdirSync(errorsDir).sort()) {
  const status = Number(/^\d{3}/.exec(file)?.[0] ?? 400);
  seed(`error.${file.replace(/\.json$/, "")}`, answers.length, status, readFileSync(join(errorsDir, file)));
}
seed("empty_200", 0, 200, Buffer.alloc(0));

// The arguments target: for each operation, no arguments and an empty object.
const args = join(root, "fuzz/corpus/arguments");
rmSync(args, { recursive: true, force: true });
mkdirSync(args, { recursive: true });
answers.forEach((a, i) => {
  const head = Buffer.alloc(2);
  head.writeUInt16LE(i, 0);
  writeFileSync(join(args, `${a.id.replace(":", ".")}`), Buffer.concat([head, Buffer.from("{}")]));
});
seed("html_502", answers.length, 502, Buffer.from("<html><body>Bad gateway</body></html>"));
console.log(`wrote ${readdirSync(out).length} seeds to fuzz/corpus/decoders, ${readdirSync(args).length} to fuzz/corpus/arguments`);
