// A recording proxy between the client and Prism: the client cannot show
// response headers, so the proxy keeps each answer's contract violations.
// It can also add headers to the forwarded request (e.g. Prism's `Prefer`).
import http from "node:http";
import { violations } from "./prism.mjs";

/**
 * @param {string} upstream Prism's base URL
 * @returns {Promise<{ url: string, seen: Array<{method: string, url: string, headers: object, violations: object[]}>,
 *   setExtraHeaders(h: object): void, close(): Promise<void> }>}
 */
export async function startProxy(upstream) {
  const seen = [];
  let extra = {};
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = { ...req.headers, ...extra };
    delete headers.host;
    delete headers.connection;
    try {
      const answer = await fetch(upstream + req.url, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      seen.push({
        method: req.method, url: req.url, headers: req.headers, violations: await violations(answer),
        status: answer.status, contentType: answer.headers.get("content-type") ?? "",
      });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(body);
    } catch (e) {
      // Prism gave no answer (it hung or dropped the connection): that is
      // Prism failing, as its own 500s are, not a verdict on the request.
      seen.push({
        method: req.method, url: req.url, headers: req.headers, status: 599, contentType: "",
        violations: [{ code: "proxy", location: ["prism"], message: String(e) }],
      });
      res.writeHead(599).end();
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    seen,
    setExtraHeaders(h) { extra = h; },
    close: () => new Promise((r) => server.close(r)),
  };
}
