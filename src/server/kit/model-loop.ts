/**
 * One turn of the engine: the model's parts through the event writer into protocol events, handed out
 * in batches (`event-batches.ts`). The model is driven one part at a time and told the effective tools
 * (rule P2). A batch holds the events that are ready together: it grows while the model has its next
 * part at hand (a sync model always, an async one when the part arrives before the event loop's next
 * turn) and is handed out when the model has to wait, at `MAX_BATCH_EVENTS`, or after 8 ms of work,
 * when the loop also gives the event loop a turn, so a model that never awaits cannot starve the server.
 * Nothing runs ahead of the consumer: the model is pulled only while a batch is asked for, so a slow
 * reader slows the model. An aborted signal or a consumer that stops early aborts the model and ends the
 * events without a terminal event. The finished response is handed to `save` before its terminal event
 * leaves.
 */

import type { CreateResponseBody, StreamingEvent } from "../../spec/index.js";
import type { Model, ModelPart, ModelRequest, StoredResponse } from "../model.js";
import type { ContextItem } from "./context-item.js";
import type { ErrorReporter } from "./error-report.js";
import { type EventBatchSource, TurnEvents } from "./event-batches.js";
import { EventWriter } from "./event-writer.js";
import type { IdGenerator } from "./ids.js";
import { describeThrown } from "./kit-error.js";
import { initialResource } from "./resource.js";
import { createToolPolicy } from "./tool-policy.js";
import { countContextCharacters } from "./usage.js";
import { LoopYielder, nextMacrotask } from "./yield.js";

/**
 * The most events in one batch: enough that a fast model's events leave in few writes, few enough that
 * the model never runs far ahead of a reader (a batch of text deltas is a few kilobytes).
 */
export const MAX_BATCH_EVENTS = 64;

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
  /**
   * Receives the final snapshot (the writer's own, also the terminal event's) before the terminal event
   * leaves: copy what you keep.
   */
  readonly save: (finished: StoredResponse) => Promise<void>;
}

export function modelEvents(settings: TurnSettings, turn: Turn): TurnEvents {
  return new TurnEvents(new TurnLoop(settings, turn));
}

type Step = IteratorResult<ModelPart>;
/** The turn was aborted or stopped while waiting for the model. */
const INTERRUPTED = Symbol("interrupted");
/** The event loop moved on while waiting for the model: hand out what is ready. */
const FLUSH = Symbol("flush");
type Wake = (value: typeof INTERRUPTED | typeof FLUSH) => void;

class TurnLoop implements EventBatchSource {
  readonly #settings: TurnSettings;
  readonly #turn: Turn;
  readonly #controller = new AbortController();
  #state: "new" | "running" | "ended" = "new";
  #writer: EventWriter | undefined;
  #iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined;
  #isAsync = false;
  /** An async model's step that had not arrived when its batch was handed out; the next batch awaits it. */
  #pending: Promise<Step> | null = null;
  #loop: LoopYielder | undefined;
  /** Wakes the current wait for the model early (abort, stop, or the flush of a batch). */
  #wake: Wake | null = null;
  #batch = 0;
  #flushArmed = -1;

  constructor(settings: TurnSettings, turn: Turn) {
    this.#settings = settings;
    this.#turn = turn;
  }

  readonly #onAbort = () => {
    this.#controller.abort(this.#turn.signal?.reason);
    this.#wake?.(INTERRUPTED);
  };

  // Not async itself: an open stream waits in `#fill` only, one suspended frame fewer to keep.
  next(): Promise<StreamingEvent[] | null> {
    if (this.#state === "ended") return Promise.resolve(null);
    this.#batch++;
    if (this.#state === "new") {
      if (this.#turn.signal?.aborted) {
        this.#state = "ended";
        return Promise.resolve(null);
      }
      return this.#fill(this.#begin());
    }
    return this.#fill([]);
  }

  stop(reason?: unknown): void {
    const wake = this.#wake;
    this.#end(reason);
    wake?.(INTERRUPTED);
  }

  /** Starts the turn: the writer's first events, then the model is called. */
  #begin(): StreamingEvent[] {
    const settings = this.#settings;
    const turn = this.#turn;
    const { body, input, responseId } = turn;
    this.#state = "running";
    turn.signal?.addEventListener("abort", this.#onAbort, { once: true });
    const policy = createToolPolicy(body);
    const writer = new EventWriter({
      response: initialResource(body, {
        id: responseId,
        createdAt: Math.floor(settings.now() / 1000),
        defaultModel: settings.defaultModel,
      }),
      ids: settings.ids,
      now: settings.now,
      inputCharacters: countContextCharacters(input) + (body.instructions?.length ?? 0),
      policy,
    });
    this.#writer = writer;
    // A turn that never waits on I/O would otherwise run in microtasks only and starve the event loop.
    this.#loop = new LoopYielder();
    const batch = writer.start();
    const request: ModelRequest = {
      body,
      input,
      responseId,
      signal: this.#controller.signal,
      tools: policy.tools,
      toolChoice: policy.mode,
    };
    try {
      const source = settings.model(request);
      this.#isAsync = typeof (source as AsyncIterable<ModelPart>)?.[Symbol.asyncIterator] === "function";
      this.#iterator = openIterator(source);
    } catch (error) {
      this.#settings.report(error, "model");
      batch.push(...writer.fail(describeThrown(error)));
    }
    return batch;
  }

  /** Adds the events of the model's next parts to `batch` while they are ready, then hands it out. */
  async #fill(batch: StreamingEvent[]): Promise<StreamingEvent[] | null> {
    const writer = this.#writer!;
    const loop = this.#loop!;
    if (!writer.finished) {
      try {
        while (batch.length < MAX_BATCH_EVENTS) {
          if (loop.due()) {
            if (batch.length > 0) return batch;
            await loop.yield();
            // The client may have left while other work ran: stop at once, not at the next part.
            if (this.#stopped()) return this.#interrupted(batch);
          }
          const step = this.#isAsync ? await this.#asyncStep(batch.length > 0) : this.#syncStep();
          this.#wake = null;
          if (step === FLUSH) return batch;
          if (this.#isAsync) this.#pending = null;
          if (step === INTERRUPTED || this.#stopped()) return this.#interrupted(batch);
          if (step.done) {
            pushAll(batch, writer.complete());
            break;
          }
          pushAll(batch, writer.write(step.value));
          if (writer.finished) break;
        }
      } catch (error) {
        this.#wake = null;
        this.#pending = null;
        if (this.#stopped()) return this.#interrupted(batch);
        this.#settings.report(error, "model");
        pushAll(batch, writer.fail(describeThrown(error)));
      }
    }
    if (writer.finished) {
      // Saved before the terminal event leaves, so a client's immediate follow-up finds it.
      await this.#turn.save({ response: writer.response, input: this.#turn.input });
      this.#end();
    }
    return batch;
  }

  #syncStep(): Step {
    return (this.#iterator as Iterator<ModelPart>).next();
  }

  /**
   * The async model's next step, or INTERRUPTED, or — when the batch already holds events — FLUSH once
   * the event loop has moved on without the step arriving (the step is kept for the next batch).
   */
  #asyncStep(flushable: boolean): Promise<Step | typeof INTERRUPTED | typeof FLUSH> {
    const step = this.#pending ?? (this.#iterator as AsyncIterator<ModelPart>).next();
    // Kept until it arrives: a FLUSH hands the batch out, and the next batch waits for this same step.
    this.#pending = step;
    if (flushable) this.#armFlush();
    return new Promise((resolve, reject) => {
      // A flush armed for this batch can only fire during a flushable wait: the batch's first wait
      // comes before the arming, and a new batch makes an earlier batch's flush stale.
      this.#wake = resolve;
      step.then(resolve, reject);
    });
  }

  /** One macrotask per batch: when it runs, the parts that were ready have all been taken. */
  #armFlush(): void {
    if (this.#flushArmed === this.#batch) return;
    const batch = this.#batch;
    this.#flushArmed = batch;
    nextMacrotask().then(() => {
      if (this.#batch === batch) this.#wake?.(FLUSH);
    });
  }

  #stopped(): boolean {
    return this.#state === "ended" || this.#controller.signal.aborted;
  }

  /** Ends an interrupted turn; the events already made still go out. */
  #interrupted(batch: StreamingEvent[]): StreamingEvent[] | null {
    this.#end();
    return batch.length > 0 ? batch : null;
  }

  #end(reason?: unknown): void {
    if (this.#state === "ended") return;
    const started = this.#state === "running";
    this.#state = "ended";
    if (!started) return;
    this.#turn.signal?.removeEventListener("abort", this.#onAbort);
    // Reached early when the consumer went away or the model ended the response (incomplete):
    // tell the model to stop, and let its generator run its own cleanup.
    if (!this.#writer?.finished) this.#controller.abort(reason ?? new Error("The client went away."));
    closeQuietly(this.#iterator);
  }
}

/** `batch.push(...events)` without spreading into arguments (a failure may carry many events). */
function pushAll(batch: StreamingEvent[], events: StreamingEvent[]): void {
  for (const event of events) batch.push(event);
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

function closeQuietly(iterator: AsyncIterator<ModelPart> | Iterator<ModelPart> | undefined): void {
  try {
    const result = iterator?.return?.();
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // The model's own cleanup failing is not the client's problem.
  }
}
