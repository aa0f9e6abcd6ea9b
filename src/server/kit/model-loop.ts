/**
 * One turn of the engine: the model's parts through the event writer into protocol events. The model
 * is driven one part at a time and told the effective tools (rule P2); the loop yields to the event loop
 * every few milliseconds so a model that never awaits cannot starve the server; an aborted signal or a
 * consumer that stops early aborts the model and ends the events without a terminal event. The
 * finished response is handed to `save` before its terminal event leaves.
 */

import { isTerminalEventType } from "../../internal/terminal-events.js";
import type { CreateResponseBody, StreamingEvent } from "../../spec/index.js";
import type { Model, ModelPart, ModelRequest, StoredResponse } from "../model.js";
import type { ContextItem } from "./context-item.js";
import type { ErrorReporter } from "./error-report.js";
import { EventWriter } from "./event-writer.js";
import type { IdGenerator } from "./ids.js";
import { describeThrown } from "./kit-error.js";
import { initialResource } from "./resource.js";
import { createToolPolicy } from "./tool-policy.js";
import { countContextCharacters } from "./usage.js";
import { LoopYielder } from "./yield.js";

/** What every turn of one engine shares. */
export interface TurnSettings {
  readonly model: Model;
  readonly ids: IdGenerator;
  readonly now: () => number;
  readonly defaultModel: string;
  readonly report: ErrorReporter;
}

/** One turn: the validated body, its resolved context, and where the finished response goes. */
export interface Turn {
  readonly body: CreateResponseBody;
  readonly input: ContextItem[];
  readonly responseId: string;
  readonly signal: AbortSignal | undefined;
  /** Saves the finished response; false when it was meant to be stored and was not. */
  readonly save: (stored: StoredResponse) => Promise<boolean>;
}

export async function* modelEvents(
  settings: TurnSettings,
  turn: Turn,
): AsyncGenerator<StreamingEvent, void, undefined> {
  const { body, input, responseId } = turn;
  const { ids, now, defaultModel } = settings;
  const controller = new AbortController();
  const abort = () => controller.abort(turn.signal?.reason);
  if (turn.signal?.aborted) return;
  turn.signal?.addEventListener("abort", abort, { once: true });

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
    const kept = await turn.save({ response: structuredClone(writer.response), input });
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
      const source = settings.model(request);
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
          if (isTerminalEventType(event.type)) await settle(event);
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
      settings.report(error, "model");
      failure = writer.fail(describeThrown(error));
    }
    for (const event of writer.finished ? failure : writer.complete()) {
      if (isTerminalEventType(event.type)) await settle(event);
      yield event;
    }
  } finally {
    turn.signal?.removeEventListener("abort", abort);
    // Reached early when the consumer went away or the model ended the response (incomplete):
    // tell the model to stop, and let its generator run its own cleanup.
    if (!writer.finished) controller.abort(new Error("The client went away."));
    closeQuietly(iterator);
  }
}

const ABORTED = Symbol("aborted");

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
