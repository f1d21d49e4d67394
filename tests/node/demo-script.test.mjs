// scripts/demo.sh (what `make demo` runs): it says where to open the demo
// only once the mock listens there, and a busy port is a clear failure
// that says how to pick another. Runs the debug mock ($KATAPULT_MOCK_BIN)
// so the test does not wait for a release build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { repo, mockBin } from "./mock.mjs";

/**
 * Runs scripts/demo.sh with `PORT=port` in its own process group; collects
 * its output. `stop()` interrupts the group as Ctrl-C would.
 */
function runDemo(port) {
  const child = spawn(path.join(repo, "scripts/demo.sh"), [], {
    cwd: repo,
    env: { ...process.env, PORT: String(port), KATAPULT_MOCK_BIN: mockBin() },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (s) => (out.stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s) => (out.stderr += s));
  const exited = once(child, "exit").then(([code, signal]) => ({ code, signal }));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGINT");
      } catch {
        // Already gone.
      }
    }
    return exited;
  };
  return { child, out, exited, stop };
}

/** A TCP server holding a loopback port; resolves with it and its port. */
async function holdPort() {
  const server = net.createServer((socket) => socket.destroy());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: server.address().port };
}

test("with its port busy, the demo fails without saying where to open it, naming the port and how to pick another", { timeout: 600_000 }, async (t) => {
  const { server, port } = await holdPort();
  t.after(() => server.close());
  const demo = runDemo(port);
  t.after(() => demo.stop());
  const { code } = await demo.exited;
  const all = demo.out.stdout + demo.out.stderr;
  assert.notEqual(code, 0, `it fails:\n${all}`);
  assert.doesNotMatch(all, /open http:\/\//, "no address to open is printed");
  assert.match(demo.out.stderr, new RegExp(`\\bport ${port}\\b.*(in use|busy)`, "i"), `it names the busy port:\n${all}`);
  assert.match(demo.out.stderr, new RegExp(`PORT=${port + 1} make demo`), `it says how to pick another:\n${all}`);
});

test("the demo prints where to open it once the mock listens there (PORT=0: the port it got)", { timeout: 600_000 }, async (t) => {
  const demo = runDemo(0);
  t.after(() => demo.stop());
  const opened = await new Promise((resolve, reject) => {
    const check = () => {
      const m = /open (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(demo.out.stdout);
      if (m) resolve(m);
    };
    demo.child.stdout.on("data", check);
    demo.exited.then(({ code }) => reject(new Error(`demo.sh exited with ${code} before saying where to open:\n${demo.out.stdout}${demo.out.stderr}`)));
  });
  assert.notEqual(opened[2], "0", `the address has the port the mock got: ${opened[1]}`);
  // Printed once listening: the address answers at once.
  const res = await fetch(opened[1]);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<html/i);
  const { code } = await demo.stop();
  assert.equal(code, 0, "Ctrl-C stops the demo cleanly");
});
