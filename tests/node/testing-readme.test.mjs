// The README's "Testing your code" runs as written: its Vitest example is
// extracted and run with Vitest against the built package (installed the
// way a user's project has it, a copy in node_modules), and its msw
// program is the consumers suite's file (`make consumers` runs it with
// msw against the packed package).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { repo } from "./mock.mjs";

const readme = readFileSync(path.join(repo, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Testing your code"), readme.indexOf("## Running against the real API"));

test("the README's Vitest example passes under Vitest", async () => {
  const found = /<!-- vitest: (\S+) -->\n```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(found, "the section has its Vitest example");
  const [, file, code] = found;
  const tests = (code.match(/^test\(/gm) ?? []).length;
  assert.ok(tests >= 3, `${tests} tests`);
  assert.match(code, /mock\.fault\(/, "the example shows a fault");
  const dir = path.join(repo, "target", "readme-vitest");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  // A copy, not a link: Vitest runs a package from node_modules as Node
  // loads it, and would transform a linked one as the project's source.
  cpSync(path.join(repo, "pkg"), path.join(dir, "node_modules", "katapult-wasm"), { recursive: true, dereference: true });
  writeFileSync(path.join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(path.join(dir, file), code);
  let out;
  try {
    ({ stdout: out } = await promisify(execFile)(process.execPath, [path.join(repo, "node_modules/vitest/vitest.mjs"), "run", "--root", dir], {
      cwd: dir,
      env: { ...process.env, CI: "1", NO_COLOR: "1", NODE_OPTIONS: "" },
      timeout: 120_000,
    }));
  } catch (e) {
    assert.fail(`vitest failed:\n${e.stdout}\n${e.stderr}`);
  }
  const passed = /Tests\s+(\d+) passed/.exec(out);
  assert.equal(Number(passed?.[1]), tests, out);
});

test("the README's msw program is the consumers suite's, and its markers have their snippets", () => {
  const snippets = [...section.matchAll(/<!-- consumers: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
  assert.equal(snippets.length, (section.match(/<!-- consumers: /g) ?? []).length);
  assert.ok(snippets.some(([, file]) => file === "testing-msw/app.mjs"), "the msw program is shown");
  for (const [, file, code] of snippets) {
    assert.equal(code, readFileSync(path.join(repo, "consumers", "setups", file), "utf8"), file);
  }
  assert.match(section, /http\.all\("https:\/\/api\.katapult\.io\/core\/v1\/\*", \(\{ request \}\) => mock\.fetch\(request\)\)/);
});
