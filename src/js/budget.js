// The rate-limit budget (API.md "Rate-limit budget"): every request of
// every client in this realm that uses the same token against the same
// origin takes its turn here, so that pacing, not 429s, keeps them under
// the API's limit. Direct calls go before background work (pages of a walk,
// polls of a wait).
//
// What is known of the limit, and how calls are paced:
// - "headers" (Node; browsers cannot read them): each answer says what is
//   left. Calls flow while something is left (less what is in flight, and
//   one in reserve); once nothing is, they go at the even rate below until
//   an answer says more is left (there is no reset header to wait for).
// - "429" or "option" (`rateLimit: { perMinute }`): a token bucket that
//   holds a tenth of the minute's budget for bursts and refills the other
//   nine tenths evenly, so no minute ever sees more than the budget.
// A 429 empties what is left, less what is still in flight (those that get
// through take the server's refill); the bucket then refills at once,
// evenly: it never stalls later calls for the rest of a minute.

/** A minute, in ms. Tests of the pacing shorten it (with the mock's `--rate-window-ms`). */
const minute = () => globalThis[Symbol.for("katapult-wasm.minute-ms")] ?? 60000;

/** The realm's budgets, by origin and a hash of the token (the token itself is kept nowhere). */
const budgets = new Map();

/** FNV-1a over the token, twice with different seeds: a key, not a secret. */
function tokenKey(token) {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** The budget of requests to `baseUrl` with `token` (one per realm). */
export function budgetFor(baseUrl, token) {
  let origin = baseUrl;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    // a base URL the module accepted parses; keep it whole otherwise
  }
  const key = `${origin} ${tokenKey(String(token))}`;
  let budget = budgets.get(key);
  if (!budget) budgets.set(key, (budget = new Budget()));
  return budget;
}

/** A request's place in the queue: direct calls before background work. */
export const DIRECT = 0;
export const BACKGROUND = 1;

class Budget {
  constructor() {
    /** Where the limit was learned: "headers", "429", "option" or null. */
    this.source = null;
    this.permitted = null;
    /** Requests that may go now (fractional while the bucket refills). */
    this.level = Infinity;
    this.capacity = Infinity;
    /** Refill per ms: nine tenths of the minute's budget, evenly. */
    this.rate = 0;
    this.at = Date.now();
    /** Headers: what the newest answer said was left. */
    this.remaining = null;
    this.inFlight = 0;
    /** Requests are numbered as sent; only the newest answer's headers count. */
    this.sent = 0;
    this.heard = 0;
    this.queues = [[], []];
    this.timer = null;
    this.due = 0;
  }

  /** `{ permitted, remaining, source }` as `client.rateLimit` reports it. */
  report() {
    this.refill();
    const remaining = this.source === "headers" ? this.remaining : this.source ? Math.floor(this.level) : null;
    return { permitted: this.permitted, remaining, source: this.source };
  }

  /** `rateLimit: { perMinute }`: a bucket from the start, unless answers said more already. */
  given(perMinute) {
    if (this.source === "headers" || this.source === "option") return;
    this.bucket(perMinute, "option", true);
  }

  bucket(perMinute, source, full) {
    this.refill();
    this.source = source;
    this.permitted = perMinute;
    this.capacity = Math.max(1, perMinute / 10);
    this.rate = (perMinute * 0.9) / minute();
    this.level = full ? this.capacity : Math.min(this.level, this.capacity);
  }

  refill() {
    const now = Date.now();
    // A clock that went back (fake timers restored, a clock change) refills nothing.
    if (this.rate > 0) this.level = Math.min(this.capacity, this.level + Math.max(0, now - this.at) * this.rate);
    this.at = now;
  }

  /**
   * Resolves when a request may be sent (`priority` DIRECT or BACKGROUND);
   * rejects with `abortError()` when `signal` fires first.
   */
  acquire(priority, signal, abortError) {
    if (this.source === null) {
      this.inFlight += 1;
      return Promise.resolve(++this.sent);
    }
    return new Promise((resolve, reject) => {
      const waiter = { resolve };
      if (signal) {
        const abort = () => {
          const queue = this.queues[priority];
          const i = queue.indexOf(waiter);
          if (i >= 0) queue.splice(i, 1);
          reject(abortError());
        };
        if (signal.aborted) return abort();
        signal.addEventListener("abort", abort, { once: true });
        waiter.resolve = (n) => {
          signal.removeEventListener("abort", abort);
          resolve(n);
        };
      }
      this.queues[priority].push(waiter);
      this.pump();
    });
  }

  pump() {
    this.refill();
    const [direct, background] = this.queues;
    while (this.level >= 1 && (direct.length || background.length)) {
      const waiter = direct.length ? direct.shift() : background.shift();
      this.level -= 1;
      this.inFlight += 1;
      waiter.resolve(++this.sent);
    }
    if (!(direct.length || background.length)) return;
    // A timer long overdue was lost (set under fake timers that were then restored): set another.
    if (this.timer && Date.now() < this.due + 1000) return;
    clearTimeout(this.timer);
    const wait = Math.max(1, Math.ceil((1 - this.level) / this.rate));
    this.due = Date.now() + wait;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, wait);
  }

  /**
   * Request `n` (as `acquire` numbered it) got its answer (`status`, its
   * `headers`, a 429's `total_permitted`) or none: learns what it says,
   * then lets waiting requests go if they may. An answer to an older
   * request than one already heard says nothing newer of the limit.
   */
  settle(n, status, headers, totalPermitted) {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const newest = n > this.heard;
    if (newest) this.heard = n;
    const permitted = Number(headers && headers.get("x-ratelimit-permitted"));
    const left = Number(headers && headers.get("x-ratelimit-remaining"));
    const read = headers && headers.get("x-ratelimit-remaining") !== null && Number.isFinite(permitted) && permitted > 0 && Number.isFinite(left);
    if (read && newest) {
      const now = Date.now();
      this.source = "headers";
      this.permitted = permitted;
      this.remaining = left;
      this.rate = (permitted * 0.9) / minute();
      this.capacity = permitted;
      // One kept in reserve: answers may reach the server in another order than sent.
      this.level = Math.max(0, left - this.inFlight - 1);
      this.at = now;
    } else if (status === 429) {
      const total = Number(totalPermitted);
      if (this.source === null || this.source === "429") {
        this.bucket(Number.isInteger(total) && total > 0 ? total : this.permitted ?? 60, "429", false);
      }
      // Nothing is left, and each request still in flight that gets
      // through takes what the server refills meanwhile: the bucket starts
      // that far below empty, so no request sent after this 429 draws another.
      this.level = Math.min(this.level, -this.inFlight);
    }
    if (this.queues[0].length || this.queues[1].length) this.pump();
  }
}
