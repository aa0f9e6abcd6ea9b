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
import type { Compactor, Model, ModelRequest, ResponseStore, StoredResponse } from "../model.js";
import { genericCompactor } from "./compactor.js";
import { resolveContext } from "./context.js";
import { assertDialect, type Dialect, inDialect } from "./dialect.js";
import { EventWriter, isTerminalEvent } from "./event-writer.js";
import { type IdGenerator, randomIds } from "./ids.js";
import { statusAnswerOf } from "./model-error.js";
import { ABORTED, type ModelSource, openModel } from "./model-source.js";
import { type ParseResult, parseCompactBody, parseCreateBody } from "./request-validation.js";
import { initialResource } from "./resource.js";
import { describeThrown, type KitError, kitError } from "./spec-error.js";
import { createMemoryStore } from "./store.js";
import { createToolPolicy, type ToolPolicy } from "./tool-policy.js";
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
  /** The caller's request headers, handed to the model as `ModelRequest.headers`. */
  headers?: Headers;
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
    const controller = new AbortController();
    const abort = () => controller.abort(runOptions.signal?.reason);
    const detach = () => runOptions.signal?.removeEventListener("abort", abort);
    if (runOptions.signal?.aborted) abort();
    else runOptions.signal?.addEventListener("abort", abort, { once: true });
    const policy = createToolPolicy(body);
    const request: ModelRequest = {
      body,
      input: context.input,
      responseId,
      signal: controller.signal,
      tools: policy.tools,
      toolChoice: policy.mode,
      ...(runOptions.headers === undefined ? {} : { headers: runOptions.headers }),
    };
    // The model runs to its first part before any event exists, so an error it throws with an HTTP
    // status before then (a bridge's refusal, an upstream's 429) is the answer, not a failed stream.
    const opened = await openModel(options.model, request);
    if (!opened.ok) {
      detach();
      report(opened.thrown, "model");
      return { ok: false, error: opened.error };
    }
    const source = opened.source;
    const generator = streamEvents({
      request,
      policy,
      source,
      controller,
      detach,
      save: async (stored) => {
        try {
          if (body.store !== false) await runStore.set(stored.response.id, stored);
          await runOptions.onFinished?.(stored);
        } catch (error) {
          report(error, "store");
        }
      },
    });
    // A consumer that stops before its first pull never enters the generator, so its `finally` would
    // not run: stopping early must still stop the model, which is already running.
    const events = onReturn(generator, () => {
      detach();
      if (!controller.signal.aborted) controller.abort(new Error("The client went away."));
      source.close();
    });
    return { ok: true, responseId, events: dialect === "spec" ? events : renamed(events, dialect) };
  }

  async function* streamEvents(init: {
    request: ModelRequest;
    policy: ToolPolicy;
    source: ModelSource;
    controller: AbortController;
    detach: () => void;
    save: (stored: StoredResponse) => Promise<void>;
  }): AsyncGenerator<StreamingEvent, void, undefined> {
    const { request, policy, source, controller } = init;
    const { body, input, responseId } = request;
    const writer = new EventWriter({
      response: initialResource(body, { id: responseId, createdAt: Math.floor(now() / 1000), defaultModel }),
      ids,
      now,
      inputCharacters: countContextCharacters(input) + (body.instructions?.length ?? 0),
      policy,
    });
    // Saved before the terminal event leaves, so a client's immediate follow-up finds it.
    const save = () => init.save({ response: structuredClone(writer.response), input });

    let failure: StreamingEvent[] = [];
    // A turn that never waits on I/O would otherwise run in microtasks only and starve the event loop.
    const loop = new LoopYielder();
    try {
      if (controller.signal.aborted) return;
      yield* writer.start();
      try {
        for (;;) {
          // A sync model cannot be waiting on anything, so only an async one races the abort signal.
          const next = source.next();
          const step = next instanceof Promise ? await next : next;
          if (step === ABORTED || controller.signal.aborted) return;
          if (step.done) break;
          for (const event of writer.write(step.value)) {
            if (isTerminalEvent(event)) await save();
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
        if (isTerminalEvent(event)) await save();
        yield event;
      }
    } finally {
      init.detach();
      // Reached early when the consumer went away or the model ended the response (incomplete):
      // tell the model to stop, and let its generator run its own cleanup.
      if (!writer.finished) controller.abort(new Error("The client went away."));
      source.close();
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
      // A compactor that calls an upstream answers with the upstream's status, as a model does.
      const answer = statusAnswerOf(error);
      if (answer !== null) return { ok: false, error: answer };
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

/** The events under another dialect's names; stopping early stops the source too (for-await's return). */
async function* renamed(
  events: AsyncIterable<StreamingEvent>,
  dialect: Dialect,
): AsyncGenerator<StreamingEvent, void, undefined> {
  for await (const event of events) yield inDialect(event, dialect);
}

/** The same events; `return()` runs `cleanup` first, even when iteration never started. */
function onReturn(
  generator: AsyncGenerator<StreamingEvent, void, undefined>,
  cleanup: () => void,
): AsyncIterable<StreamingEvent> {
  return {
    [Symbol.asyncIterator]: () => ({
      next: () => generator.next(),
      return: (value?: unknown) => {
        cleanup();
        return generator.return(value as undefined);
      },
    }),
  };
}
