/**
 * One turn of the engine: the model's parts through the event writer into protocol events. The model
 * is called and its first part awaited before any event exists (`model-source.ts`), so an error with an
 * HTTP status thrown before then is the turn's answer instead of a stream. Then the model is driven one
 * part at a time and told the effective tools (rule P2); the loop yields to the event loop every few
 * milliseconds so a model that never awaits cannot starve the server; an aborted signal or a consumer
 * that stops early (even before its first pull) aborts the model and ends the events without a
 * terminal event. The finished response is handed to `save` before its terminal event leaves.
 */

import { isTerminalEventType } from "../../internal/terminal-events.js";
import type { CreateResponseBody, StreamingEvent } from "../../spec/index.js";
import type { Model, ModelRequest, StoredResponse } from "../model.js";
import type { ContextItem } from "./context-item.js";
import type { ErrorReporter } from "./error-report.js";
import { EventWriter } from "./event-writer.js";
import type { IdGenerator } from "./ids.js";
import { describeThrown, type KitError } from "./kit-error.js";
import { ABORTED, type ModelSource, openModel } from "./model-source.js";
import { initialResource } from "./resource.js";
import { createToolPolicy, type ToolPolicy } from "./tool-policy.js";
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
  /** The caller's request headers, for `ModelRequest.headers`. */
  readonly headers?: Headers;
  /** Saves the finished response; false when it was meant to be stored and was not. */
  readonly save: (stored: StoredResponse) => Promise<boolean>;
}

export type OpenedTurn = { ok: true; events: AsyncIterable<StreamingEvent> } | { ok: false; error: KitError };

/** Starts the model and waits for its first part; the events follow from there. */
export async function openTurn(settings: TurnSettings, turn: Turn): Promise<OpenedTurn> {
  const controller = new AbortController();
  const abort = () => controller.abort(turn.signal?.reason);
  const detach = () => turn.signal?.removeEventListener("abort", abort);
  if (turn.signal?.aborted) abort();
  else turn.signal?.addEventListener("abort", abort, { once: true });
  const policy = createToolPolicy(turn.body);
  const request: ModelRequest = {
    body: turn.body,
    input: turn.input,
    responseId: turn.responseId,
    signal: controller.signal,
    tools: policy.tools,
    toolChoice: policy.mode,
    ...(turn.headers === undefined ? {} : { headers: turn.headers }),
  };
  const opened = await openModel(settings.model, request);
  if (!opened.ok) {
    detach();
    settings.report(opened.thrown, "model");
    return { ok: false, error: opened.error };
  }
  const source = opened.source;
  const generator = modelEvents(settings, turn, { policy, source, controller, detach });
  // A consumer that stops before its first pull never enters the generator, so its `finally` would not
  // run: stopping early must still stop the model, which is already running.
  return {
    ok: true,
    events: onReturn(generator, () => {
      detach();
      if (!controller.signal.aborted) controller.abort(new Error("The client went away."));
      source.close();
    }),
  };
}

async function* modelEvents(
  settings: TurnSettings,
  turn: Turn,
  running: { policy: ToolPolicy; source: ModelSource; controller: AbortController; detach: () => void },
): AsyncGenerator<StreamingEvent, void, undefined> {
  const { body, input, responseId } = turn;
  const { ids, now, defaultModel } = settings;
  const { policy, source, controller } = running;
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
    running.detach();
    // Reached early when the consumer went away or the model ended the response (incomplete):
    // tell the model to stop, and let its generator run its own cleanup.
    if (!writer.finished) controller.abort(new Error("The client went away."));
    source.close();
  }
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
