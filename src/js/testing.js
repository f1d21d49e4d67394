// katapult-wasm/testing: createMockKatapult(), the package's Katapult mock
// in-process for users' tests, over its own WebAssembly module
// (katapult-mock.wasm, built from mock-wasm/). The module decides every
// answer (routes, authentication, faults, the engine); this file does
// the IO around it, as the client's driver does around katapult.wasm:
// it reads a fetch's arguments into a Request (so what fetch refuses is
// refused the same way), writes the request's bytes into the module,
// waits a fault's latency with a timer, and makes the Response. The
// module never calls JavaScript, and the time reaches it from here
// (Date.now()), so tasks complete as that clock moves, fake timers
// included.
import { KatapultError, invalidArgument, decodeText } from "./errors.js";
import { toJson } from "./encode.js";

/** The token every mock accepts (API.md: `mock.token`). */
const TOKEN = "katapult-mock-token";
/** Statuses whose Response has no body. */
const NO_BODY = new Set([101, 103, 204, 205, 304]);
const EMPTY = new Uint8Array(0);

let encoder;
const encode = (text) => (encoder ??= new TextEncoder()).encode(text);

/** What `fetch` rejects with when the network fails (undici's own words). */
function networkError(why) {
  return new TypeError("fetch failed", { cause: new Error(why) });
}

/** What `fetch` rejects with when its signal aborts. */
function aborted(signal) {
  const reason = signal.reason;
  if (reason !== undefined) return reason;
  return typeof DOMException === "function" ? new DOMException("This operation was aborted", "AbortError") : new Error("aborted");
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", stop, { once: true });
  });
}

/** Writes `parts` (Uint8Arrays) one after the other as the module's input; false when it cannot take them. */
function write(x, ...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const at = x.km_input(length) >>> 0;
  if (at === 0 && length > 0) return false;
  const view = new Uint8Array(x.memory.buffer, at, length);
  let offset = 0;
  for (const p of parts) {
    view.set(p, offset);
    offset += p.length;
  }
  return true;
}

/** The module's last output (a view: copy what is kept past the next call). */
const output = (x) => new Uint8Array(x.memory.buffer, x.km_output() >>> 0, x.km_output_len() >>> 0);

/** A call's recorded body: its JSON, else its text; null when it had none. */
function recorded(bytes) {
  if (!bytes.length) return null;
  const text = decodeText(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

// Mocks no test can reach any more give their objects back (where the
// runtime runs finalizers). A mock is reachable through its object and
// each of its functions (a test may keep `mock.fetch` alone), so it is
// freed once all of them are gone.
const finalizers =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry((life) => {
        if (--life.left === 0) life.free();
      })
    : null;

/**
 * createMockKatapult over `host` (module.js's loader of
 * katapult-mock.wasm). Until the module has loaded (a browser, before
 * `await ready()`), creating a mock throws `not_ready`.
 */
export function mockFactory(host) {
  /** The instance's exports, loading the module where that can be done at once. */
  const loaded = () => {
    if (!host.now()) {
      throw new KatapultError("not_ready", 0, 'katapult-wasm/testing is still loading: await ready() from "katapult-wasm/testing" before calling createMockKatapult', null, null);
    }
    return host.exports;
  };

  /** A new mock in `x`: its handle, or throws the module's refusal of the options. */
  const make = (x, optionsText) => {
    const bytes = encode(`{"options":${optionsText},"token":"${TOKEN}"}`);
    if (!write(x, bytes)) throw invalidArgument("The options are too large");
    const handle = x.km_create(bytes.length) >>> 0;
    if (handle === 0) throw invalidArgument(`createMockKatapult: ${decodeText(output(x))}`);
    return handle;
  };

  function createMockKatapult(options) {
    const optionsText = toJson(options === undefined ? {} : options, "options");
    if (!optionsText.startsWith("{")) throw invalidArgument("options must be an object: { seed?, latencyMs? }");
    let x = loaded();
    let handle = make(x, optionsText);
    const life = {
      left: 4,
      free: () => {
        if (host.exports === x) x.km_drop(handle);
      },
    };
    /**
     * Runs `fn(x, handle)`. If the module ever trapped (it is built never
     * to), the loader made a fresh instance: the mock starts again there,
     * from its seed.
     */
    const use = (fn) => {
      if (host.exports !== x) {
        x = loaded();
        handle = make(x, optionsText);
      }
      return host.run(() => fn(x, handle));
    };
    const calls = [];

    async function fetch(input, init) {
      // Read as fetch reads its arguments: a URL, string or Request, and
      // init; what fetch refuses throws the same TypeError here.
      const request = new Request(input, init);
      const signal = request.signal;
      if (signal.aborted) throw aborted(signal);
      const url = new URL(request.url);
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw networkError(`katapult-wasm/testing answers http(s) URLs, not ${url.protocol}`);
      }
      let body = EMPTY;
      if (request.body !== null) {
        try {
          body = new Uint8Array(await request.arrayBuffer());
        } catch (e) {
          // As fetch reports a body that failed while it was being sent.
          if (signal.aborted) throw aborted(signal);
          throw e instanceof TypeError ? e : new TypeError("fetch failed", { cause: e });
        }
      }
      if (signal.aborted) throw aborted(signal);
      const head = encode(
        JSON.stringify({
          method: request.method,
          path: url.pathname,
          query: url.search.slice(1),
          authorization: request.headers.get("authorization"),
          content_type: request.headers.get("content-type"),
        }),
      );
      // (Inside `use` nothing throws but a trap: the loader takes any
      // other exception for one and replaces the instance.)
      let step;
      try {
        step = use((x, h) => {
          const fits = body.length <= x.km_body_limit() >>> 0;
          if (!write(x, head, fits ? body : EMPTY)) return null;
          const failed = x.km_receive(h, head.length, body.length);
          return { failed, text: decodeText(output(x)) };
        });
      } catch (e) {
        throw networkError(`katapult-wasm/testing failed: ${(e && e.message) || e}`);
      }
      if (step === null) throw networkError("the request is too large for katapult-wasm/testing");
      if (step.failed) throw networkError(`katapult-wasm/testing could not read the request: ${step.text}`);
      const received = JSON.parse(step.text);
      calls.push({ operationId: received.operationId, api: received.api, method: request.method, url: request.url, body: recorded(body) });
      const { ticket } = received;
      if (received.delayMs > 0 && !(await sleep(received.delayMs, signal))) {
        if (ticket) use((x, h) => x.km_abandon(h, ticket));
        throw aborted(signal);
      }
      if (received.drop) throw networkError("katapult-wasm/testing dropped the connection (a drop fault)");
      let answer;
      try {
        answer = use((x, h) => {
          const headLength = x.km_answer(h, ticket, Date.now());
          const out = output(x);
          return headLength < 0 ? { lost: decodeText(out) } : { head: decodeText(out.subarray(0, headLength)), body: out.slice(headLength) };
        });
      } catch (e) {
        throw networkError(`katapult-wasm/testing failed: ${(e && e.message) || e}`);
      }
      if (answer.lost !== undefined) throw networkError(`katapult-wasm/testing lost the request: ${answer.lost}`);
      const { status, headers } = JSON.parse(answer.head);
      const empty = NO_BODY.has(status) || request.method === "HEAD";
      const response = new Response(empty ? null : answer.body, { status, headers });
      // As fetch's own answers say where they came from.
      Object.defineProperty(response, "url", { value: request.url, enumerable: true });
      return response;
    }

    function fault(spec) {
      const bytes = encode(toJson(spec, "fault"));
      const refused = use((x, h) => {
        if (!write(x, bytes)) return "the fault is too large";
        return x.km_fault(h, bytes.length) ? decodeText(output(x)) : null;
      });
      if (refused !== null) throw invalidArgument(`mock.fault: ${refused}`);
    }

    function reset() {
      use((x, h) => x.km_reset(h));
      calls.length = 0;
    }

    const mock = Object.freeze({
      /** The token the mock accepts; any other gets the API's 403 `invalid_api_token`. */
      token: TOKEN,
      /** A token with read scopes only: writes get the API's 403 `scope_not_granted`. */
      readOnlyToken: "readonly-token",
      fetch,
      fault,
      reset,
      /** Every request the mock received, oldest first: `{ operationId, api, method, url, body }`. */
      calls,
    });
    if (finalizers) for (const target of [mock, fetch, fault, reset]) finalizers.register(target, life);
    return mock;
  }

  return createMockKatapult;
}
