// The README's "Every operation" examples compile against the published
// types in strict TypeScript, as written (so the docs cannot drift from
// the names and shapes the document gives).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repo } from "./mock.mjs";

/**
 * Compiles `files` (written under `dir`) in strict TypeScript against the
 * package's published types, or fails the test with tsc's report, saying
 * `what` did not compile.
 */
function typeCheck(dir, files, what) {
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "ES2022", module: "node16", moduleResolution: "node16",
        lib: ["ES2022", "DOM", "ESNext.Disposable"], types: [], skipLibCheck: true,
        typeRoots: [], baseUrl: ".", paths: { "katapult-wasm": [path.join(repo, "pkg", "index.d.ts")] },
      },
      files,
    }),
  );
  try {
    execFileSync(path.join(repo, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`${what} do not compile:\n${e.stdout}`);
  }
}

test("the README's examples of every operation type-check", () => {
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Every operation"), readme.indexOf("## Spec documents"));
  const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 2, "the section has its examples");
  const body = blocks
    .map((code) => code.replace(/^import .*$/gm, ""))
    .join("\n")
    // Each block declares `k` and `vm` again for the reader; once is enough here.
    .replace(/^const k = new KatapultClient\(\{ token \}\);$/gm, "")
    .replace(/^const vm = \{ id: "vm_…" \};$/gm, "");
  const dir = path.join(repo, "target", "readme-check");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "examples.mts"),
    `import { KatapultClient, operations } from "katapult-wasm";
declare const token: string;
declare const signal: AbortSignal;
export async function examples(): Promise<void> {
const k = new KatapultClient({ token });
const vm = { id: "vm_…" };
${body}
void operations;
}
`,
  );
  typeCheck(dir, ["examples.mts"], "the README's examples");
});

// "Using it with…": every snippet is a file (or an npm script) of the
// consumers suite, which builds and runs it, so the README shows what works.
test("the README's setup snippets are the consumers suite's files", () => {
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Using it with…"), readme.indexOf("## Methods"));
  const snippets = [...section.matchAll(/<!-- consumers: (\S+)(?: scripts\.(\S+))? -->\n```\w*\n([\s\S]*?)```/g)];
  const setups = path.join(repo, "consumers", "setups");
  const shown = new Set();
  for (const [, file, script, code] of snippets) {
    const text = readFileSync(path.join(setups, file), "utf8");
    const expected = script ? `${JSON.parse(text).scripts[script]}\n` : text;
    assert.equal(code, expected, `the README's ${file}${script ? ` script ${script}` : ""} is the suite's`);
    shown.add(file.split("/")[0]);
  }
  // One for each tool the section names (Vitest's and webpack's import are described, not shown).
  for (const setup of ["node-esm", "node-cjs", "vite", "vite-worker", "webpack-require", "esbuild-browser", "esbuild-node", "nextjs", "typescript"]) {
    assert.ok(shown.has(setup), `the README shows the ${setup} setup`);
  }
  // Markers that match no snippet would pass silently: there are none.
  assert.equal((section.match(/<!-- consumers: /g) ?? []).length, snippets.length, "every marker is followed by its snippet");
});

// Every ```ts block of the README compiles on its own in strict TypeScript
// against the published types: the examples a user copies first
// (Quickstart, construction, answers, errors) need no `?.` or `!` the
// types do not call for.
test("every TypeScript block of the README compiles under strict", () => {
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 4, `${blocks.length} TypeScript blocks`);
  const dir = path.join(repo, "target", "readme-ts");
  mkdirSync(dir, { recursive: true });
  const files = blocks.map((code, i) => {
    const declares = [
      "declare const process: { env: Record<string, string | undefined> };",
      "declare const auth: { currentAccessToken(): Promise<string> };",
      /^const k = /m.test(code) || !/\bk\./.test(code) ? "" : "declare const k: KatapultClient;",
    ];
    const imports = /^import /m.test(code) ? "" : 'import { KatapultClient, isKatapultError } from "katapult-wasm";\n';
    const text = `${imports}${code}\n${declares.join("\n")}\nexport {};\n`;
    const name = `block-${i + 1}.mts`;
    writeFileSync(path.join(dir, name), text);
    return name;
  });
  typeCheck(dir, files, "the README's TypeScript blocks");
});

// `make demo` listens on 8080 unless PORT says otherwise: the README says
// so beside the command, where a reader whose 8080 is taken looks.
test("the README gives PORT beside make demo", () => {
  const readme = readFileSync(path.join(repo, "README.md"), "utf8");
  const developing = readme.slice(readme.indexOf("## Developing"), readme.indexOf("## Layout"));
  const block = /```sh\n([\s\S]*?)```/.exec(developing)?.[1] ?? "";
  assert.match(block, /^make demo\b/m, "the Developing block shows make demo");
  assert.match(block, /^PORT=\d+ make demo\b.*\b8080\b/m, "and PORT=… make demo, saying what it replaces");
});
