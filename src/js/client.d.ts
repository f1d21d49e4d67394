// The hand-written part of the package's declarations: the client's
// options, the class, its error and the entry's other exports. The
// generated part is src/generated/types.d.ts; the spec model's is
// src/js/spec-types.d.ts. scripts/build-pkg.sh joins the three.

/** Settings for `new KatapultClient(config)`. */
export interface KatapultClientConfig {
    /**
     * API token, sent only as `Authorization: Bearer …`. Required. A function
     * (for short-lived OAuth2 access tokens) is called before every attempt,
     * retries included; if it throws, rejects or returns an empty value the
     * call rejects with `invalid_argument` and nothing is sent.
     */
    token: string | (() => string | Promise<string>);
    /** API base URL, http(s) only. Default `https://api.katapult.io/core/v1`. */
    baseUrl?: string;
    /** Timeout of each attempt in milliseconds. Default 30000. */
    timeoutMs?: number;
    /** Retries after the first attempt for 429/503 (and network errors on GET). Default 2. */
    maxRetries?: number;
    /** A larger answer (after decompression) rejects `response_too_large` unread. Default 33554432 (32 MiB). */
    maxResponseBytes?: number;
    /**
     * The `fetch` every attempt goes through (a proxy's, a test double).
     * Default: the global `fetch` at call time, so msw and nock still intercept.
     */
    fetch?: FetchFunction;
    /** Observe every attempt (logging, tracing, metrics). A hook that throws is logged and otherwise ignored. */
    hooks?: KatapultHooks;
    /** Where log lines go (`console` will do). Lines never hold the token, the Authorization header or a body. Default: none. */
    logger?: KatapultLogger;
    /** The least severe level written. Default `"warn"` when a logger is given. */
    logLevel?: "debug" | "info" | "warn" | "error" | "off";
    /** Node only: sent as the User-Agent before `katapult-wasm/<version>` (browsers send their own). */
    userAgent?: string;
    /**
     * The rate-limit budget (API.md "Rate-limit budget"). By default the
     * client learns the limit from the answers' headers (Node) or a 429, and
     * paces itself instead of drawing 429s. `{ perMinute }` gives it up front
     * (a browser widget that knows its token's limit); `false` turns pacing
     * off (a 429 is still retried).
     */
    rateLimit?: false | { perMinute: number };
}

/** What a client knows of its token's rate limit (`client.rateLimit`). */
export interface RateLimitInfo {
    /** Requests per minute, once known. */
    permitted: number | null;
    /** What is left: the last answer's header, or what the budget allows now. */
    remaining: number | null;
    /** Where it was learned: the answers' headers, a 429, the `rateLimit` option, or nothing yet. */
    source: "headers" | "429" | "option" | null;
}

/**
 * A `fetch` for `config.fetch`: the global `fetch`'s type where the DOM or
 * Node's types declare one, else what the client calls it with.
 */
export type FetchFunction = typeof globalThis extends { fetch: infer F }
    ? F
    : (input: string, init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignalLike; redirect: "manual" }) => Promise<unknown>;

/** What `hooks.onRequest` is told before each attempt. */
export interface RequestInfo {
    readonly operationId: OperationId | PublicOperationId;
    readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
    /** The full URL (it never holds the token). */
    readonly url: string;
    /** 1 for the first attempt, 2 for the first retry, … */
    readonly attempt: number;
}

/** What `hooks.onResponse` is told after each answer, whatever its status. */
export interface ResponseInfo extends RequestInfo {
    readonly status: number;
    /** `X-Request-Id` when readable (Node; not in browsers), else null. */
    readonly requestId: string | null;
    readonly durationMs: number;
}

/** Callbacks that observe the client's requests. */
export interface KatapultHooks {
    /** Before each attempt, retries included. */
    onRequest?(info: RequestInfo): void;
    /** After each answer of any status. */
    onResponse?(info: ResponseInfo): void;
    /** Once per rejected call, with the error the caller gets. */
    onError?(error: KatapultError): void;
}

/** The logger the client writes to: `console`, pino, winston… */
export interface KatapultLogger {
    debug(message: string): void;
    info(message: string): void;
    warn(message: string): void;
    error(message: string): void;
}

/** A response's `Headers`, described by what it offers, so the declarations compile without the DOM library too. */
export interface HeadersLike {
    get(name: string): string | null;
    has(name: string): boolean;
    forEach(callback: (value: string, name: string) => void): void;
}

/** The answer behind a resolved call, as `.withResponse()` gives it. */
export interface KatapultResponse {
    readonly status: number;
    /** The response's `Headers` (in browsers only the CORS-safelisted ones are readable). */
    readonly headers: HeadersLike;
    /** `X-Request-Id` when readable, else null. */
    readonly requestId: string | null;
    /** How many attempts the call took (1 without retries). */
    readonly attempts: number;
    /** From the call's start to its answer, retries included. */
    readonly durationMs: number;
}

/** The promise of a method that makes one request: `await` it, or `.withResponse()` for the answer's status and headers too. */
export interface KatapultPromise<T> extends Promise<T> {
    withResponse(): Promise<{ data: T; response: KatapultResponse }>;
}

/** An annotation filter or value: `{ key, value }`. */
export interface Annotation {
    key: string;
    value: string;
}

/**
 * An `AbortSignal` (the DOM's, or Node's): described by what the client
 * uses, so the declarations compile without the DOM library too.
 */
export interface AbortSignalLike {
    readonly aborted: boolean;
    addEventListener(type: "abort", listener: () => void): void;
    removeEventListener(type: "abort", listener: () => void): void;
}

/** Options every method accepts. */
export interface RequestOptions {
    /** Aborting rejects the call with code `aborted` at once. */
    signal?: AbortSignalLike;
    /** This call's timeout of each attempt in ms (a wait's: its whole deadline). Default: the client's. */
    timeoutMs?: number;
    /** This call's retries. Default: the client's. */
    maxRetries?: number;
}

/** Options of `listVirtualMachines`. */
export interface ListVirtualMachinesOptions extends RequestOptions {
    /** Only VMs carrying every one of these annotations. */
    annotations?: Annotation[];
    /** Page number, from 1. Default 1. */
    page?: number;
    /** Page size, from 1. Default 30 (the API caps it, at 200 by default). */
    per_page?: number;
}

/** Options of `listAllVirtualMachines`. */
export interface ListAllVirtualMachinesOptions extends RequestOptions {
    /** Only VMs carrying every one of these annotations. */
    annotations?: Annotation[];
    /** Page size of each request, from 1. Default 100. */
    per_page?: number;
    /** Requests in flight at once, 1–32. Default 4. */
    concurrency?: number;
    /** Pages fetched at most; a walk with more pages left rejects `invalid_response`. Default 10000. */
    maxPages?: number;
    /** Called after each page with the VMs loaded so far and the total (null for a large set). Errors it throws are ignored. */
    onProgress?: (loaded: number, total: number | null) => void;
}

/** Options of the `virtualMachines` iterator. */
export interface VirtualMachinesIteratorOptions extends RequestOptions {
    /** Only VMs carrying every one of these annotations. */
    annotations?: Annotation[];
    /** Page size of each request, from 1. Default 100. */
    per_page?: number;
    /** Pages fetched at most; a walk with more pages left rejects `invalid_response`. Default 10000. */
    maxPages?: number;
}

/** Options of `waitForTask` and `waitForVirtualMachineBuild`. */
export interface WaitOptions<T = Task> extends RequestOptions {
    /** First polling interval in ms; later ones grow ×1.5 up to 10 s. Default 1000. */
    intervalMs?: number;
    /** Give up with `timeout` after this many ms. Default 600000 (10 minutes). */
    timeoutMs?: number;
    /** Called after each poll with what it read. Errors it throws are ignored. */
    onProgress?: (current: T) => void;
}

/** The operations `waitUntil` can poll: every GET. */
export type GetOperationId = Extract<OperationId, `get:${string}`>;

/** Options of `waitUntil` and `waitForVirtualMachineState`. */
export interface WaitUntilOptions<T> extends WaitOptions<T> {
    /**
     * Error codes that mean "not yet" rather than failure (a VM that is not
     * visible yet: `["virtual_machine_not_found"]`): the wait polls on.
     */
    pendingOn?: readonly string[];
}

/** Options of `purgeTrashObject`. */
export interface PurgeTrashObjectOptions extends WaitOptions<TrashObject> {
    /**
     * Resolve only once the object is gone (GET answers
     * `trash_object_not_found`): the API answers the purge before that.
     * With it, `timeoutMs` is the whole wait's deadline, as for `waitForTask`.
     */
    wait?: boolean;
}

/** Options of `paginate`. */
export interface PaginateOptions extends RequestOptions {
    /** Page size of each request, from 1. Default 100. */
    per_page?: number;
    /** Requests in flight at once, 1–32. Default 4. */
    concurrency?: number;
    /** Pages fetched at most; a walk with more pages left rejects `invalid_response`. Default 10000. */
    maxPages?: number;
    /** Called after each page with the items loaded so far and the total (null for a large set). Errors it throws are ignored. */
    onProgress?: (loaded: number, total: number | null) => void;
}

/** Options of `iterate`. */
export interface IterateOptions extends RequestOptions {
    /** Page size of each request, from 1. Default 100. */
    per_page?: number;
    /** Pages fetched at most; a walk with more pages left rejects `invalid_response`. Default 10000. */
    maxPages?: number;
}

/** `request`'s arguments: `params` may be left out when the operation requires none. */
export type RequestArgs<K extends OperationId> = {} extends Operations[K]["params"]
    ? [params?: Operations[K]["params"], options?: RequestOptions]
    : [params: Operations[K]["params"], options?: RequestOptions];

/** The arguments of a walk over every page: the operation's, without `page` and `per_page`. */
export type WalkParams<K extends PaginatedOperationId> = Omit<Operations[K]["params"], "page" | "per_page">;

/** The generic entry points (merged into the class). */
export interface KatapultClient {
    /**
     * Any operation by its operationId, with the API's own argument names
     * (lookups take exactly one key). Resolves to the 2xx body, checked
     * against the document (the text of a `text/plain` answer).
     */
    request<K extends OperationId>(operationId: K, ...args: RequestArgs<K>): KatapultPromise<Operations[K]["result"]>;
    /** Every item of every page of a paginated operation, in API order. */
    paginate<K extends PaginatedOperationId>(operationId: K, params?: WalkParams<K>, options?: PaginateOptions): Promise<PaginatedOperations[K][]>;
    /** A lazy async iterator over the items of a paginated operation (`break` stops it). */
    iterate<K extends PaginatedOperationId>(operationId: K, params?: WalkParams<K>, options?: IterateOptions): AsyncIterableIterator<PaginatedOperations[K]>;
}

/** One operation of the document, as `operations` lists it. */
export interface OperationInfo {
    readonly operationId: OperationId;
    readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
    readonly path: string;
    /** The named method that calls it. */
    readonly name: string;
    /** For a paginated answer, the array key of its items. */
    readonly items: string | null;
    /** Whether its answer carries a `task` (for `waitForTask`). */
    readonly task: boolean;
}

/** Every operation of the Core API v1 (frozen), in the document's order. */
export declare const operations: readonly OperationInfo[];

/** Settings for `new KatapultPublicClient(config?)`: the core client's, without a token (the Public API needs none). */
export type KatapultPublicClientConfig = Omit<KatapultClientConfig, "token">;

/** The operationId of any Public API operation. */
export type PublicOperationId = Public.OperationId;

/** `request`'s arguments for a Public API operation. */
export type PublicRequestArgs<K extends Public.OperationId> = {} extends Public.Operations[K]["params"]
    ? [params?: Public.Operations[K]["params"], options?: RequestOptions]
    : [params: Public.Operations[K]["params"], options?: RequestOptions];

/** One Public API operation, as `KatapultPublicClient.operations` lists it. */
export interface PublicOperationInfo extends Omit<OperationInfo, "operationId"> {
    readonly operationId: PublicOperationId;
}

/** The named method of every Public API operation (merged into the class). */
export interface KatapultPublicClient extends Public.KatapultPublicClient {}

/**
 * A Katapult Public API v1 client (`https://api.katapult.io/public/v1`:
 * data centers, prices, price estimates, sign-ups, stats, VM packages),
 * for pre-sale pages and pricing widgets. No token; otherwise the same
 * options, errors, retries and rate-limit budget as `KatapultClient`.
 */
export declare class KatapultPublicClient {
    /** Creates a client. Throws `KatapultError` (`invalid_argument`) for a token (none is needed), a malformed `baseUrl` or out-of-range numbers. */
    constructor(config?: KatapultPublicClientConfig | null);
    /** Every operation of the Public API v1 (frozen), in the document's order. */
    static readonly operations: readonly PublicOperationInfo[];
    /** Any Public API operation by its operationId (the Public document's ids). */
    request<K extends PublicOperationId>(operationId: K, ...args: PublicRequestArgs<K>): KatapultPromise<Public.Operations[K]["result"]>;
    /** Every item of every page of a paginated operation, in API order. */
    paginate<K extends Public.PaginatedOperationId>(operationId: K, params?: Omit<Public.Operations[K]["params"], "page" | "per_page">, options?: PaginateOptions): Promise<Public.PaginatedOperations[K][]>;
    /** A lazy async iterator over the items of a paginated operation (`break` stops it). */
    iterate<K extends Public.PaginatedOperationId>(operationId: K, params?: Omit<Public.Operations[K]["params"], "page" | "per_page">, options?: IterateOptions): AsyncIterableIterator<Public.PaginatedOperations[K]>;
    /** The base URL requests go to. */
    readonly baseUrl: string;
    /** What is known of the rate limit at this origin, shared in this realm. */
    readonly rateLimit: RateLimitInfo;
    /** The settings, for logging. */
    toJSON(): { baseUrl: string; timeoutMs: number; maxRetries: number };
    /** Ends the client: later calls reject `invalid_argument`. */
    free(): void;
}

/** Every operation of the Public API v1 (`KatapultPublicClient.operations`). */
export declare const publicOperations: readonly PublicOperationInfo[];

/**
 * Loads the WebAssembly module now. It loads on first use anyway: in Node
 * synchronously, in browsers in the background (the first call waits for
 * it). Resolves when it is ready; rejects `network_error` when it cannot be
 * loaded.
 */
export declare function ready(): Promise<void>;

/** Options of `buildVirtualMachineFromSpec`. */
export interface BuildVirtualMachineOptions extends RequestOptions {
    /** Annotations to give the new virtual machine. */
    annotations?: Annotation[];
}

/** A page of `listVirtualMachines`. */
export type ListVirtualMachinesResponse = GetOrganizationVirtualMachinesResponse;
/**
 * A virtual machine as the list returns it. The live API sends few of its
 * fields (no `state`; `zone.data_center` without `country`), so all are optional.
 */
export type VirtualMachineSummary = GetOrganizationVirtualMachines200ResponseVirtualMachines;
/** What `listOrganizations` resolves to. */
export type ListOrganizationsResponse = GetOrganizationsResponse;
/** What the power actions resolve to: the queued task. */
export type TaskResponse = PostVirtualMachineShutdownResponse;
/** What `buildVirtualMachineFromSpec` resolves to. */
export type BuildVirtualMachineResponse = PostOrganizationVirtualMachinesBuildFromSpecResponse;
/** What `getVirtualMachineBuild` resolves to. */
export type GetVirtualMachineBuildResponse = GetVirtualMachinesBuildsVirtualMachineBuildResponse;
/** A virtual machine build, as `getVirtualMachineBuild` and `waitForVirtualMachineBuild` give it. */
export type VirtualMachineBuild = GetVirtualMachinesBuildsVirtualMachineBuild200ResponseVirtualMachineBuild;
/** What `restoreTrashObject` resolves to. */
export type RestoreTrashObjectResponse = PostTrashObjectRestoreResponse;
/** A task's status. */
export type TaskStatus = TaskStatusEnum;
/** A virtual machine's state. */
export type VirtualMachineState = VirtualMachineStateEnum;
/** The pagination of a list page; the document requires none of its keys. */
export type Pagination = PaginationObject;

/**
 * An error's code: one the client produces itself (`ClientErrorCode`), one
 * the document lists (`ApiErrorCode`, generated), or any other code a server sends.
 */
export type KatapultErrorCode = ClientErrorCode | ApiErrorCode | Public.ApiErrorCode | (string & {});

/**
 * Every rejection of a `KatapultClient` method, and what its constructor
 * throws. `KatapultError<"validation_error">` is one of that code, its
 * `detail` typed by `ErrorDetails` (what `isKatapultError(e, code)` narrows to).
 */
export declare class KatapultError<C extends string = KatapultErrorCode> extends Error {
    /** `instanceof` works across the package's bundles (ESM, CommonJS, spec). */
    static [Symbol.hasInstance](value: unknown): value is KatapultError;
    readonly name: "KatapultError";
    /** The API's error code, or a client code such as `invalid_argument`. */
    readonly code: C;
    /** HTTP status; 0 for client-side errors and when no response arrived. */
    readonly status: number;
    /**
     * The API's `detail` object (e.g. `{ total_permitted }`), typed per code
     * from the document's error schemas (`ErrorDetails`), or null when the
     * answer had none.
     */
    readonly detail: ErrorDetail<C> | null;
    /** The `X-Request-Id` response header when readable (Node), else null. */
    readonly requestId: string | null;
    /** The call that failed, e.g. `"get:virtual_machine"` (or a Public API operation's id); null for the constructor's errors. */
    readonly operationId: OperationId | PublicOperationId | null;
    /** Its HTTP method, e.g. `"GET"`; null for the constructor's errors. */
    readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | null;
    /** Its path below the base URL, e.g. `"/virtual_machines/virtual_machine"`; null for the constructor's errors. */
    readonly path: string | null;
    /** For a `network_error`, what `fetch` threw (its own `cause` says ECONNREFUSED or a DNS failure). */
    readonly cause?: unknown;
    toJSON(): { name: "KatapultError"; code: C; status: number; message: string; detail: ErrorDetail<C> | null; requestId: string | null };
}

/**
 * Whether `value` is a `KatapultError` of `code`, its `detail` then typed
 * for that code: `if (isKatapultError(e, "validation_error")) e.detail?.errors`.
 */
export declare function isKatapultError<C extends KatapultErrorCode>(value: unknown, code: C): value is KatapultError<C>;
/** Whether `value` is a `KatapultError` (of `code`, when given). */
export declare function isKatapultError(value: unknown, code?: KatapultErrorCode): value is KatapultError;



/**
 * A Katapult Core API v1 client. Create one per token; it is cheap and
 * holds no connection.
 */
export class KatapultClient {
    free(): void;
    /**
     * `POST /organizations/organization/virtual_machines/build_from_spec`:
     * builds a virtual machine from a spec XML document or a spec object
     * (written with `buildSpecXml`).
     */
    buildVirtualMachineFromSpec(org: OrganizationLookup, spec: string | VirtualMachineSpec, options?: BuildVirtualMachineOptions | null): KatapultPromise<BuildVirtualMachineResponse>;
    /**
     * `DELETE /virtual_machines/virtual_machine`: moves a virtual machine to
     * the trash; `restoreTrashObject(trash_object.id)` undoes it.
     */
    deleteVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<DeleteVirtualMachineResponse>;
    /**
     * `GET /tasks/task`: a task's current status and progress.
     */
    getTask(id: string | { id: string }, options?: RequestOptions | null): KatapultPromise<GetTaskResponse>;
    /**
     * `GET /virtual_machines/builds/virtual_machine_build`: a build's state
     * and, once it exists, its virtual machine.
     */
    getVirtualMachineBuild(id: string | { id: string }, options?: RequestOptions | null): KatapultPromise<GetVirtualMachineBuildResponse>;
    /**
     * `GET /virtual_machines/virtual_machine`: one virtual machine and its annotations.
     */
    getVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<GetVirtualMachineResponse>;
    /**
     * Every virtual machine of an organization, in API order (`paginate`
     * over `get:organization_virtual_machines`).
     */
    listAllVirtualMachines(org: OrganizationLookup, options?: ListAllVirtualMachinesOptions | null): Promise<VirtualMachineSummary[]>;
    /**
     * `GET /organizations`: every organization the token can see.
     */
    listOrganizations(options?: RequestOptions | null): KatapultPromise<ListOrganizationsResponse>;
    /**
     * `GET /organizations/organization/virtual_machines`: one page of an
     * organization's virtual machines, optionally filtered by annotations.
     */
    listVirtualMachines(org: OrganizationLookup, options?: ListVirtualMachinesOptions | null): KatapultPromise<ListVirtualMachinesResponse>;
    /**
     * Creates a client. Throws `KatapultError` (`invalid_argument`) for a
     * missing token, a malformed `baseUrl` or out-of-range numbers.
     */
    constructor(config: KatapultClientConfig);
    /**
     * `POST …/virtual_machine/reset`: hard reset; resolves with the queued task.
     */
    resetVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<TaskResponse>;
    /**
     * `POST /trash_objects/trash_object/restore`: brings a deleted object back.
     */
    restoreTrashObject(id: string | { id: string }, options?: RequestOptions | null): KatapultPromise<RestoreTrashObjectResponse>;
    /**
     * `POST …/virtual_machine/shutdown`: asks the guest to shut down; resolves with the queued task.
     */
    shutdownVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<TaskResponse>;
    /**
     * `POST …/virtual_machine/start`: boots the virtual machine; resolves with the queued task.
     */
    startVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<TaskResponse>;
    /**
     * `POST …/virtual_machine/stop`: cuts power at once; resolves with the queued task.
     */
    stopVirtualMachine(vm: VirtualMachineLookup, options?: RequestOptions | null): KatapultPromise<TaskResponse>;
    /**
     * The settings without the token, for logging.
     */
    toJSON(): { baseUrl: string; timeoutMs: number; maxRetries: number };
    /**
     * An async iterator over every virtual machine of an organization
     * (`for await (const vm of client.virtualMachines(org))`). Pages are
     * fetched lazily, one at a time; breaking out stops the fetching.
     * Argument errors reject the first `next()`.
     */
    virtualMachines(org: OrganizationLookup, options?: VirtualMachinesIteratorOptions | null): AsyncIterableIterator<VirtualMachineSummary>;
    /**
     * Polls `GET /tasks/task` until the task finishes; takes the task (as
     * any operation that starts one returns it) or its id. Resolves with
     * the completed `Task`; rejects `task_failed` (the task in
     * `detail.task`), `timeout` after `timeoutMs` (default 10 minutes),
     * `aborted` when the signal fires. Polls every `intervalMs` (default
     * 1000), growing ×1.5 up to 10 s; `onProgress(task)` after each poll.
     */
    waitForTask(task: string | { id?: string }, options?: WaitOptions | null): Promise<Task>;
    /**
     * Polls `GET /virtual_machines/builds/virtual_machine_build` until the
     * build's state is `complete`, and resolves with the build (its
     * `virtual_machine` set). The live API attaches the VM while still
     * `building`, so this waits for the state. Rejects `build_failed`,
     * `timeout` or `aborted` as `waitForTask` does.
     */
    waitForVirtualMachineBuild(id: string | { id: string }, options?: WaitOptions<VirtualMachineBuild> | null): Promise<VirtualMachineBuild>;
    /**
     * Polls a GET operation until `predicate(answer)` is true, and resolves
     * with that answer. An error answer rejects, except the codes in
     * `pendingOn`; the predicate's own exceptions reject as they are.
     * `timeout`, `aborted`, `intervalMs` and `onProgress(answer)` as for
     * `waitForTask`.
     */
    waitUntil<K extends GetOperationId>(operationId: K, params: Operations[K]["params"], predicate: (answer: Operations[K]["result"]) => boolean | Promise<boolean>, options?: WaitUntilOptions<Operations[K]["result"]> | null): Promise<Operations[K]["result"]>;
    /**
     * Polls `GET /virtual_machines/virtual_machine` until the VM's state is
     * one of `states`, and resolves with the VM. A state the document does
     * not list (`allocating`, …) is simply not yet one of them.
     */
    waitForVirtualMachineState(vm: VirtualMachineLookup, states: readonly VirtualMachineState[], options?: WaitUntilOptions<VirtualMachine> | null): Promise<VirtualMachine>;
    /**
     * Purges a trash object (`DELETE /trash_objects/trash_object`). The API
     * answers before the object is gone: with `{ wait: true }` this polls
     * until GET answers `trash_object_not_found`, then resolves with the
     * purge's answer. `onProgress(trashObject)` after each poll.
     */
    purgeTrashObject(id: string | { id: string }, options?: PurgeTrashObjectOptions | null): Promise<Result<"delete:trash_object">>;
    /**
     * The base URL requests go to.
     */
    readonly baseUrl: string;
    /** What is known of the token's rate limit, shared by every client of the token and origin in this realm. */
    readonly rateLimit: RateLimitInfo;
}

