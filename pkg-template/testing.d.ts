// katapult-wasm/testing: the package's Katapult mock in-process, for
// users' tests: no server, no port, no binary.
import type { FetchFunction, OperationId, PublicOperationId } from "./index.js";

/** Options of {@link createMockKatapult}. */
export interface MockKatapultOptions {
    /**
     * The objects the mock starts with (and `reset()` restores).
     * `"default"`: the mock's seed. `"empty"`: only what answering every
     * operation needs (the catalogue: organizations, data centers,
     * packages, …), nothing a test did not create. Default `"default"`.
     */
    seed?: "default" | "empty";
    /** Wait this long (a timer) before every answer, in milliseconds. Default 0. */
    latencyMs?: number;
}

/**
 * A fault for the mock's next answers (`mock.fault(…)`). Give `status`,
 * `body`, `drop`, `latencyMs` or `failTask`; an unknown option or a
 * contradiction throws `invalid_argument`. Faults that name the operation
 * apply before those that do not; among either, the oldest with answers
 * left.
 */
export type MockFault = MockFaultOptions & (
    | {
        /** The operation it applies to (the Core document's operationId). Default: every request. */
        operationId?: OperationId;
        /** The API: the Core API (the default), or any API when no operationId is given. */
        api?: "core";
    }
    | {
        /** The operation it applies to (the Public document's operationId). Default: every Public API request. */
        operationId?: PublicOperationId;
        /** The Public API (`…/public/v1/…`). */
        api: "public";
    });

/** What a {@link MockFault} does, whichever API it is for. */
export interface MockFaultOptions {
    /** How many answers it changes. Default: every one, until `reset()`. */
    times?: number;
    /** Wait this long before answering (added to the mock's `latencyMs`). */
    latencyMs?: number;
    /**
     * Answer with this status (400–599) and the error the document lists
     * for the operation at that status (`rate_limit_reached` with
     * `detail.total_permitted` for 429), wrapped as the live API wraps it.
     * With `body`: that body's status (any from 200; default 502).
     */
    status?: number;
    /** The error code instead of the documented one (with `status`). */
    code?: string;
    /** The error's `detail` instead of the documented one (with `status`). */
    detail?: Record<string, unknown>;
    /** Answer with exactly this body (an HTML page from a proxy, a wrong-shaped JSON). */
    body?: string;
    /** The body's `Content-Type`. Default: `text/html` for markup, `application/json` for JSON, else `text/plain`. */
    contentType?: string;
    /** No answer: the fetch rejects as on a network failure (`TypeError: fetch failed`). */
    drop?: boolean;
    /** The operation answers as usual, and the task it starts fails. */
    failTask?: boolean;
}

/** One request the mock received. */
export interface MockCall {
    /** Its operation (of the Core or the Public API, as its URL says), or null when the method and path are none. */
    readonly operationId: OperationId | PublicOperationId | null;
    /** Which API that operation is of (both have `get:virtual_machine_packages`); null with no operation. */
    readonly api: "core" | "public" | null;
    readonly method: string;
    /** The full URL, query included. */
    readonly url: string;
    /** The request body: its JSON, else its text; null when there was none. */
    readonly body: unknown;
}

/** A mock made by {@link createMockKatapult}. */
export interface MockKatapult {
    /** The token it accepts: any other gets the live API's `invalid_api_token` (403), none `missing_api_token` (400). */
    readonly token: string;
    /** A token with read scopes only, as the mock server's `readonly-token`: reads answer, writes get the live API's `scope_not_granted` (403) with the scopes they need. */
    readonly readOnlyToken: string;
    /**
     * A standard `fetch` that answers `…/core/v1/…` and `…/public/v1/…` on any origin with real
     * `Response`s (`X-Request-Id` and a generous `X-Ratelimit-Permitted`
     * and `X-Ratelimit-Remaining` on each). Pass it as the client's `fetch`
     * option, or answer an msw handler with it.
     */
    readonly fetch: FetchFunction;
    /** Adds a fault. Throws `invalid_argument` naming what is wrong with it. */
    fault(fault: MockFault): void;
    /** Back to the seed's objects, with no faults and no calls. */
    reset(): void;
    /** Every request it received, oldest first (`reset()` empties it). */
    readonly calls: readonly MockCall[];
}

/**
 * The package's Katapult mock, in-process: it answers every operation of
 * the Core API v1 (and the Public API v1's six, at `/public/v1`) in the
 * live API's shapes, keeping state (a created disk
 * is then listed and found; a deleted VM goes to the trash), and its
 * tasks complete as `Date.now()` moves on (fake timers included). In a
 * browser, `await ready()` first (else it throws `not_ready`).
 */
export declare function createMockKatapult(options?: MockKatapultOptions): MockKatapult;

/** Loads the mock's WebAssembly module (in Node it loads on first use). */
export declare function ready(): Promise<void>;
