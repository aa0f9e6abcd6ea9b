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
  CompactResource,
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  StreamingEvent,
} from "../../spec/index.js";
import type { Compactor, Model, ModelPart, ModelRequest, ResponseStore, StoredResponse } from "../model.js";
import { genericCompactor } from "./compactor.js";
import { type ContextItem, resolveContext } from "./context.js";
import { assertDialect, type Dialect, inDialect } from "./dialect.js";
import { EventWriter, isTerminalEvent } from "./event-writer.js";
import { type IdGenerator, randomIds } from "./ids.js";
import { type ParseResult, parseCompactBody, parseCreateBody } from "./request-validation.js";
import { initialResource } from "./resource.js";
import { describeThrown, type KitError, kitError } from "./spec-error.js";
import { createMemoryStore } from "./store.js";
import { createToolPolicy } from "./tool-policy.js";
import { buildUsage, countContextCharacters } from "./usage.js";
import { LoopYielder } from "./yield.js";

/** Where an error reported to `onError` happened. */
export type KitErrorPhase = "model" | "compact" | "store" | "handler";

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
}

export type RunResult =
  | { ok: true; responseId: string; events: AsyncIterable<StreamingEvent> }
  | { ok: false; error: KitError };

export type CompactResult = { ok: true; resource: CompactResource } | { ok: false; error: KitError };

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
  const report = (error: unknown, phase: KitErrorPhase) => {
    try {
      options.onError?.(error, phase);
    } catch {
      // A failing logger must not take the server down.
    }
  };

  async function run(body: CreateResponseBody, runOptions: RunOptions = {}): Promise<RunResult> {
    const runStore = runOptions.store ?? store;
    const context = await resolveContext(body, runStore, limits);
    if (!context.ok) return context;
    const responseId = ids("response");
    const events = streamEvents({
      body,
      input: context.input,
      responseId,
      signal: runOptions.signal,
      save: async (stored) => {
        const kept = body.store === false || (await keep(runStore, stored));
        // A response the store did not take says so (`store: false`), so nobody relies on finding it.
        if (!kept) stored.response.store = false;
        try {
          await runOptions.onFinished?.(stored);
        } catch (error) {
          report(error, "store");
        }
        return kept;
      },
    });
    return { ok: true, responseId, events: dialect === "spec" ? events : renamed(events, dialect) };
  }

  /** Saves a finished response; false when the store failed or declined it (see `ResponseStore.set`). */
  async function keep(runStore: ResponseStore, stored: StoredResponse): Promise<boolean> {
    try {
      return (await runStore.set(stored.response.id, stored)) !== false;
    } catch (error) {
      report(error, "store");
      return false;
    }
  }

  async function* streamEvents(init: {
    body: CreateResponseBody;
    input: ContextItem[];
    responseId: string;
    signal: AbortSignal | undefined;
    /** Saves the finished response; false when it was meant to be stored and was not. */
    save: (stored: StoredResponse) => Promise<boolean>;
  }): AsyncGenerator<StreamingEvent, void, undefined> {
    const { body, input, responseId } = init;
    const controller = new AbortController();
    const abort = () => controller.abort(init.signal?.reason);
    if (init.signal?.aborted) return;
    init.signal?.addEventListener("abort", abort, { once: true });

    const policy = createToolPolicy(body);
    const writer = new EventWriter({
      response: initialResource(body, { id: responseId, createdAt: Math.floor(now() / 1000), defaultModel }),
      ids,
      now,
      inputCharacters: countContextCharacters(input) + (body.instructions?.length ?? 0),
      policy,
    });
    // Saved before the terminal event leaves, so a client's immediate follow-up finds it; a response
    // that could not be stored goes out with `store: false` in its terminal snapshot, not as if stored.
    const settle = async (event: StreamingEvent) => {
      const kept = await init.save({ response: structuredClone(writer.response), input });
      if (!kept && "response" in event) event.response.store = false;
    };

    let iterator: Iterator<ModelPart> | AsyncIterator<ModelPart> | undefined;
    let failure: StreamingEvent[] = [];
    // A turn that never waits on I/O would otherwise run in microtasks only and starve the event loop.
    const loop = new LoopYielder();
    try {
      yield* writer.start();
      const request: ModelRequest = {
        body,
        input,
        responseId,
        signal: controller.signal,
        tools: policy.tools,
        toolChoice: policy.mode,
      };
      const aborted = abortPromise(controller.signal);
      try {
        const source = options.model(request);
        const isAsync = typeof (source as AsyncIterable<ModelPart>)?.[Symbol.asyncIterator] === "function";
        iterator = openIterator(source);
        for (;;) {
          // A sync model cannot be waiting on anything, so only an async one races the abort signal.
          const step = isAsync
            ? await Promise.race([(iterator as AsyncIterator<ModelPart>).next(), aborted])
            : (iterator as Iterator<ModelPart>).next();
          if (step === ABORTED || controller.signal.aborted) return;
          if (step.done) break;
          for (const event of writer.write(step.value)) {
            if (isTerminalEvent(event)) await settle(event);
            yield event;
            if (loop.due()) {
              await loop.yield();
              // The client may have left while other work ran: stop at once, not at the next part.
              if (controller.signal.aborted) return;
            }
          }
          if (writer.finished) break;
          if (loop.due()) {
            await loop.yield();
            if (controller.signal.aborted) return;
          }
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        report(error, "model");
        failure = writer.fail(describeThrown(error));
      }
      for (const event of writer.finished ? failure : writer.complete()) {
        if (isTerminalEvent(event)) await settle(event);
        yield event;
      }
    } finally {
      init.signal?.removeEventListener("abort", abort);
      // Reached early when the consumer went away or the model ended the response (incomplete):
      // tell the model to stop, and let its generator run its own cleanup.
      if (!writer.finished) controller.abort(new Error("The client went away."));
      closeQuietly(iterator);
    }
  }

  async function compact(
    body: CompactResponseMethodPublicBody,
    compactOptions: { signal?: AbortSignal; store?: ResponseStore } = {},
  ): Promise<CompactResult> {
    const context = await resolveContext(body, compactOptions.store ?? store, limits);
    if (!context.ok) return context;
    const compactor = options.compact ?? options.model.compact ?? genericCompactor(ids);
    let output: Awaited<ReturnType<Compactor>>;
    try {
      output = await compactor({
        body,
        input: context.input,
        signal: compactOptions.signal ?? new AbortController().signal,
      });
      if (!Array.isArray(output)) throw new TypeError("The compactor did not return a list of items.");
    } catch (error) {
      report(error, "compact");
      const described = describeThrown(error);
      return { ok: false, error: kitError(500, described.type, described.message, { code: described.code }) };
    }
    const resource: CompactResource = {
      id: ids("compact"),
      object: "response.compaction",
      output,
      created_at: Math.floor(now() / 1000),
      usage: buildUsage(
        {
          inputChars: countContextCharacters(context.input),
          outputChars: countContextCharacters(output),
          reasoningChars: 0,
        },
        undefined,
      ),
    };
    return { ok: true, resource };
  }

  return { store, parseCreateBody, parseCompactBody, run, compact };
}

const ABORTED = Symbol("aborted");

/** The events under another dialect's names; stopping early stops the source too (for-await's return). */
async function* renamed(
  events: AsyncIterable<StreamingEvent>,
  dialect: Dialect,
): AsyncGenerator<StreamingEvent, void, undefined> {
  for await (const event of events) yield inDialect(event, dialect);
}

function openIterator(
  source: AsyncIterable<ModelPart> | Iterable<ModelPart>,
): AsyncIterator<ModelPart> | Iterator<ModelPart> {
  if (source && typeof (source as AsyncIterable<ModelPart>)[Symbol.asyncIterator] === "function") {
    return (source as AsyncIterable<ModelPart>)[Symbol.asyncIterator]();
  }
  if (source && typeof (source as Iterable<ModelPart>)[Symbol.iterator] === "function") {
    return (source as Iterable<ModelPart>)[Symbol.iterator]();
  }
  throw new TypeError("The model must return an iterable or async iterable of parts.");
}

/** Resolves to `ABORTED` when the signal fires; one listener per run, not one per part. */
function abortPromise(signal: AbortSignal): Promise<typeof ABORTED> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
  });
}

function closeQuietly(iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined): void {
  try {
    const result = iterator?.return?.();
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // The model's own cleanup failing is not the client's problem.
  }
}
