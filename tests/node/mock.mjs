// Starts the real katapult-mock binary on a free loopback port for a test
// file, and talks to its /_mock control endpoints.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TOKEN = "demo-token";

/** The mock binary: $KATAPULT_MOCK_BIN, else the debug build. */
export function mockBin() {
  return process.env.KATAPULT_MOCK_BIN ?? path.join(repo, "target/debug/katapult-mock");
}

/**
 * Starts the mock with extra CLI args. Resolves once it prints its URL.
 * @returns {Promise<{ url: string, baseUrl: string, stop(): Promise<void>,
 *   stats(): Promise<any>, resetStats(): Promise<void>, reset(): Promise<void>,
 *   faults(faults: object[], filter?: { method?: string, path?: string }): Promise<void> }>}
 */
export async function startMock(args = []) {
  const child = spawn(mockBin(), ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("katapult-mock did not start within 20 s")), 20_000);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`katapult-mock exited early with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const control = async (method, p, body) => {
    const res = await fetch(`${url}/_mock${p}`, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`mock control ${method} ${p}: HTTP ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    baseUrl: `${url}/core/v1`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
    stats: () => control("GET", "/stats"),
    resetStats: () => control("POST", "/stats/reset"),
    reset: () => control("POST", "/reset"),
    faults: (faults, filter = {}) => control("POST", "/faults", { faults, ...filter }),
  };
}
