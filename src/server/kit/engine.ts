/**
 * The transport-neutral core of the server kit. The HTTP handler (JSON and SSE) and WebSocket mode are
 * thin framings around it, so every transport carries the same validation, context resolution, tool
 * policy and event sequence.
 *
 *   const engine = createResponsesEngine({ model });
 *   const parsed = engine.parseCreateBody(json);           // → body, or a spec error with its status
 *   const run = await engine.run(parsed.body, { signal }); // → events, or a spec error (404 unknown id)
 *   for await (const event of run.events) send(event);
 */

import type {
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  StreamingEvent,
} from "../../spec/index.js";
import type { Compactor, Model, ResponseStore, StoredResponse } from "../model.js";
import { type CompactResult, runCompaction } from "./compact-run.js";
import { genericCompactor } from "./compactor.js";
import { copyData } from "./copy-data.js";
import { assertDialect, type Dialect, eventsInDialect } from "./dialect.js";
import { type KitErrorPhase, safeReporter } from "./error-report.js";
import { type IdGenerator, randomIds } from "./ids.js";
import type { KitError } from "./kit-error.js";
import { createMemoryStore, keepWithText } from "./memory-store.js";
import { type JsonText, openTurn } from "./model-loop.js";
import { type ParseResult, parseCompactBody, parseCreateBody } from "./request-validation.js";
import { resolveContext } from "./resolve-context.js";
import { HEADERS_LATER } from "./turn-request.js";

export interface ResponsesEngineOptions {
  /** The model backend (see `Model` in `openresponses/server`). */
  model: Model;
  /** Where responses are kept for `previous_response_id`; default: an in-memory LRU (1000 entries, ~256 MiB). */
  store?: ResponseStore;
  /** The compactor for `/responses/compact`; default: `model.compact`, else the generic compactor. */
  compact?: Compactor;
  /** Ids for responses and items; default: prefixed random UUIDs. */
  idGenerator?: IdGenerator;
  /** The clock, in milliseconds; default `Date.now`. */
  now?: () => number;
  /** The `model` reported when a request names none; default `model.defaultModel`, else `"default"`. */
  defaultModel?: string;
  /**
   * The largest resolved context a request may cause, in JSON characters (about bytes): previous
   * response, input, each `item_reference` counted as the item it names, and packed compaction items as
   * they inflate. Larger ones are a 400 (`context_too_large`) before the model runs. Default 64 MiB.
   */
  maxContextBytes?: number;
  /** Called with every failure the kit absorbs (a model that throws, a store that fails); for logging. */
  onError?: (error: unknown, phase: KitErrorPhase) => void;
  /**
   * The event names to stream: `"spec"` (default, the specification's) or `"openai"`, where reasoning
   * text streams as `response.reasoning_text.delta/.done`, the names OpenAI's own clients expect.
   */
  dialect?: Dialect;
}

export interface RunOptions {
  /** Aborting it stops the model (its `ModelRequest.signal` aborts) and ends the events without a terminal. */
  signal?: AbortSignal;
  /** Overrides the engine's store for this run: where the previous response is read and this one saved. */
  store?: ResponseStore;
  /**
   * Called with every finished response (also `store: false` ones) before its terminal event is
   * yielded; WebSocket mode uses it for connection-local memory (rules W4/W5).
   */
  onFinished?: (stored: StoredResponse) => void | Promise<void>;
  /** The caller's request headers, handed to the model as `ModelRequest.headers`. */
  headers?: Headers;
}

export type RunResult =
  | { ok: true; responseId: string; events: AsyncIterable<StreamingEvent> }
  | { ok: false; error: KitError };

export interface ResponsesEngine {
  readonly store: ResponseStore;
  parseCreateBody(json: unknown): ParseResult<CreateResponseBody>;
  parseCompactBody(json: unknown): ParseResult<CompactResponseMethodPublicBody>;
  /** Resolves the context (404 for an unknown `previous_response_id`), then streams the events. */
  run(body: CreateResponseBody, options?: RunOptions): Promise<RunResult>;
  compact(
    body: CompactResponseMethodPublicBody,
    options?: { signal?: AbortSignal; store?: ResponseStore },
  ): Promise<CompactResult>;
}

export function createResponsesEngine(options: ResponsesEngineOptions): ResponsesEngine {
  const store = options.store ?? createMemoryStore();
  const ids = options.idGenerator ?? randomIds;
  const now = options.now ?? Date.now;
  const dialect = options.dialect ?? "spec";
  assertDialect(dialect);
  const defaultModel = options.defaultModel ?? options.model.defaultModel ?? "default";
  const limits = options.maxContextBytes === undefined ? {} : { maxContextBytes: options.maxContextBytes };
  const report = safeReporter(options.onError);
  const turnSettings = { model: options.model, ids, now, defaultModel, report };

  async function run(body: CreateResponseBody, runOptions: RunOptions = {}): Promise<RunResult> {
    const runStore = runOptions.store ?? store;
    // A first turn's context is made at once: no turn of the microtask queue for it.
    const resolved = resolveContext(body, runStore, limits);
    const context = resolved instanceof Promise ? await resolved : resolved;
    if (!context.ok) return context;
    const responseId = ids("response");
    // The model runs to its first part here, so an error it throws with an HTTP status before then (a
    // bridge's refusal, an upstream's 429) is this call's answer, not a failed stream.
    // One literal, not a spread of the headers into it: on Node 20 an object made by a spread outlives
    // young-generation collections with all it holds (the body, the context, this closure).
    const opening = openTurn(turnSettings, {
      body,
      input: context.input,
      responseId,
      signal: runOptions.signal,
      headers: headersOf(runOptions),
      save: (finished, own, json) => {
        const wanted = body.store !== false;
        const onFinished = runOptions.onFinished;
        if (!wanted && onFinished === undefined) return true;
        // The store's own copy: what the events handed out share with the writer stays theirs.
        const response = own ? finished.response : copyData(finished.response);
        const stored = { response, input: finished.input };
        const keeping = wanted ? keep(runStore, stored, json) : true;
        // The default store keeps a JSON answer at once: then there is nothing to wait for.
        if (onFinished === undefined && typeof keeping === "boolean") return keptOrNot(stored, keeping);
        return saved(stored, keeping, onFinished);
      },
    });
    // A sync model's turn is open already: no turn of the microtask queue for it.
    const opened = opening instanceof Promise ? await opening : opening;
    if (!opened.ok) return opened;
    const events = opened.events;
    return { ok: true, responseId, events: dialect === "spec" ? events : eventsInDialect(events, dialect) };
  }

  /** Waits for the store, marks a response it did not keep, then tells `onFinished`. */
  async function saved(
    stored: StoredResponse,
    keeping: boolean | Promise<boolean>,
    onFinished: RunOptions["onFinished"],
  ): Promise<boolean> {
    const kept = keptOrNot(stored, await keeping);
    try {
      await onFinished?.(stored);
    } catch (error) {
      report(error, "store");
    }
    return kept;
  }

  /**
   * Saves a finished response; false when the store failed or declined it (see `ResponseStore.set`).
   * `json`, the response's JSON text and bytes when the turn made them, lets the default store keep
   * those instead, at once (a boolean, not a promise).
   */
  function keep(
    runStore: ResponseStore,
    stored: StoredResponse,
    json?: JsonText,
  ): boolean | Promise<boolean> {
    const id = stored.response.id;
    if (json !== undefined) {
      try {
        const kept = keepWithText(runStore, id, stored, json);
        if (kept !== undefined) return kept;
      } catch (error) {
        report(error, "store");
        return false;
      }
    }
    return set(runStore, id, stored);
  }

  async function set(runStore: ResponseStore, id: string, stored: StoredResponse): Promise<boolean> {
    try {
      return (await runStore.set(id, stored)) !== false;
    } catch (error) {
      report(error, "store");
      return false;
    }
  }

  function compact(
    body: CompactResponseMethodPublicBody,
    compactOptions: { signal?: AbortSignal; store?: ResponseStore } = {},
  ): Promise<CompactResult> {
    const settings = {
      store: compactOptions.store ?? store,
      limits,
      compactor: () => options.compact ?? options.model.compact ?? genericCompactor(ids),
      ids,
      now,
      report,
    };
    return runCompaction(settings, body, compactOptions.signal);
  }

  return { store, parseCreateBody, parseCompactBody, run, compact };
}

/** A response the store did not take says so (`store: false`), so nobody relies on finding it. */
function keptOrNot(stored: StoredResponse, kept: boolean): boolean {
  if (!kept) stored.response.store = false;
  return kept;
}

/** The run's headers for the turn: as given, or the internal `HEADERS_LATER` function (turn-request.ts). */
function headersOf(options: RunOptions): Headers | (() => Headers) | undefined {
  return (options as { [HEADERS_LATER]?: () => Headers })[HEADERS_LATER] ?? options.headers;
}
