/**
 * One turn of the engine: the model's parts through the event writer into protocol events, handed out
 * in batches (`event-batches.ts`). The model is called and its first part awaited before any event
 * exists (`model-source.ts`), so an error with an HTTP status thrown before then is the turn's answer
 * instead of a stream. Then the model is driven one part at a time and told the effective tools (rule
 * P2). A batch holds the events that are ready together: it grows while the model has its next part at
 * hand (a sync model always, an async one when the part arrives before the event loop's next turn) and
 * is handed out when the model has to wait, at `MAX_BATCH_EVENTS`, or after 8 ms of work, when the loop
 * also gives the event loop a turn, so a model that never awaits cannot starve the server. Nothing runs
 * ahead of the consumer: the model is pulled only while a batch is asked for, so a slow reader slows the
 * model. An aborted signal or a consumer that stops early (even before its first batch) aborts the
 * model and ends the events without a terminal event. The finished response is handed to `save`
 * before its terminal event leaves.
 */

import type { CreateResponseBody, ResponseResource, StreamingEvent } from "../../spec/index.js";
import type { Model, ModelPart, StoredResponse } from "../model.js";
import type { ContextItem } from "./context-item.js";
import type { ErrorReporter } from "./error-report.js";
import { type EventBatchSource, TurnEvents } from "./event-batches.js";
import { EventWriter, type EventWriterOptions, quietEventWriter } from "./event-writer.js";
import type { IdGenerator } from "./ids.js";
import { describeThrown, type KitError } from "./kit-error.js";
import { ABORTED, type ModelSource, type OpenedModel, openModel } from "./model-source.js";
import { initialResource } from "./resource.js";
import { createToolPolicy, type ToolPolicy } from "./tool-policy.js";
import { TURN_ABORT, TurnAbort, withLazyHeaders, withLazySignal } from "./turn-request.js";
import { countContextCharacters } from "./usage.js";
import { utf8Bytes } from "./utf8-blocks.js";
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
  /** The caller's request headers, for `ModelRequest.headers`; a function builds them when first read. */
  readonly headers?: Headers | (() => Headers);
  /**
   * Receives the final snapshot (the writer's own, also the terminal event's) before the terminal event
   * leaves: copy what you keep, unless `own` says nothing else holds it (a collected turn, whose only
   * reader is its JSON text, made before the call and handed over as `text` when there is one). False
   * when the response was meant to be stored and was not; a boolean when the store answered at once.
   */
  readonly save: (finished: StoredResponse, own: boolean, json?: JsonText) => boolean | Promise<boolean>;
}

/** A response's JSON text and its UTF-8 bytes, made once for the store and the answer alike. */
export interface JsonText {
  readonly text: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** A collected turn: the final snapshot, its JSON text and, when the turn made them, that text's bytes. */
export interface CollectedResponse {
  readonly response: ResponseResource;
  readonly json: string;
  readonly bytes?: Uint8Array<ArrayBuffer>;
}

export type OpenedTurn = { ok: true; events: TurnEvents } | { ok: false; error: KitError };

/**
 * Starts the model and waits for its first part; the events follow from there. A sync model's turn is
 * open at once (no promise): the caller awaits only what needs waiting for.
 */
export function openTurn(settings: TurnSettings, turn: Turn): OpenedTurn | Promise<OpenedTurn> {
  return new TurnLoop(settings, turn).open();
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
  /** The model's signal is made only when the model first reads it (turn-abort.ts says why). */
  readonly #abort = new TurnAbort();
  readonly #policy: ToolPolicy;
  #state: "opening" | "new" | "running" | "ended" = "opening";
  #source: ModelSource | undefined;
  #writer: EventWriter | undefined;
  /** An async model's step that had not arrived when its batch was handed out; the next batch awaits it. */
  #pending: Promise<Step | typeof ABORTED> | null = null;
  #loop: LoopYielder | undefined;
  /** Wakes the current wait for the model early (abort, stop, or the flush of a batch). */
  #wake: Wake | null = null;
  #batch = 0;
  #flushArmed = -1;

  constructor(settings: TurnSettings, turn: Turn) {
    this.#settings = settings;
    this.#turn = turn;
    this.#policy = createToolPolicy(turn.body);
    const signal = turn.signal;
    if (signal?.aborted) this.#abort.abort(signal.reason);
    else if (signal !== undefined) {
      // Made only when there is a signal to follow (serve()'s plain route stops the turn directly).
      this.#onAbort = () => {
        this.#abort.abort(signal.reason);
        this.#wake?.(INTERRUPTED);
      };
      signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  #onAbort: (() => void) | null = null;

  open(): OpenedTurn | Promise<OpenedTurn> {
    const { body, input, responseId } = this.#turn;
    const abort = this.#abort;
    // `signal` is added by `withLazySignal`, after the fields of the literal: made in the literal (as an
    // accessor, or as a value reconfigured later) it would cost more.
    const request = withLazySignal({
      body,
      input,
      responseId,
      tools: this.#policy.tools,
      toolChoice: this.#policy.mode,
      [TURN_ABORT]: abort,
    });
    const headers = this.#turn.headers;
    if (typeof headers === "function") withLazyHeaders(request, headers);
    else if (headers !== undefined) request.headers = headers;
    const aborted = () => abort.aborted;
    const opening = openModel(this.#settings.model, request, aborted);
    return opening instanceof Promise
      ? opening.then((opened) => this.#opened(opened))
      : this.#opened(opening);
  }

  #opened(opened: OpenedModel): OpenedTurn {
    if (!opened.ok) {
      this.#detach();
      this.#state = "ended";
      this.#settings.report(opened.thrown, "model");
      return { ok: false, error: opened.error };
    }
    this.#source = opened.source;
    this.#state = "new";
    return { ok: true, events: new TurnEvents(this) };
  }

  // Not async itself: an open stream waits in `#fill` only, one suspended frame fewer to keep.
  next(): Promise<StreamingEvent[] | null> {
    if (this.#state === "ended") return Promise.resolve(null);
    this.#batch++;
    if (this.#state === "new") {
      if (this.#abort.aborted) {
        this.#end();
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

  /**
   * Runs the turn to its end without making events, for an answer that is the final snapshot alone (a
   * JSON answer): the snapshot and its JSON text, or null when the turn was stopped or aborted first.
   * Called instead of `next`, before it; the model is driven as `next` drives it (an async model's
   * steps awaited, the event loop given a turn every `YIELD_INTERVAL_MS`), and the response is saved the
   * same way, with its JSON text, so the store need not serialise it again (memory-store.ts keeps it).
   */
  async collect(): Promise<CollectedResponse | null> {
    if (this.#state !== "new" || this.#abort.aborted) {
      this.#end();
      return null;
    }
    this.#begin(true);
    // The model may now send its text in fewer parts: nobody reads them one by one.
    this.#abort.collected = true;
    const writer = this.#writer!;
    const loop = this.#loop!;
    try {
      for (let parts = 1; ; parts++) {
        // The clock is read every few parts: a part is a small step of work.
        if ((parts & 7) === 0 && loop.due()) {
          await loop.yield();
          if (this.#stopped()) return this.#abandon();
        }
        // A sync model's step is used at once: awaiting it would cost a turn of the microtask queue.
        const next = this.#step(false);
        const step = next instanceof Promise ? await next : next;
        this.#wake = null;
        this.#pending = null;
        if (step === INTERRUPTED || step === ABORTED || step === FLUSH || this.#stopped()) {
          return this.#abandon();
        }
        if (step.done) {
          writer.complete();
          break;
        }
        writer.write(step.value);
        if (writer.finished) break;
      }
    } catch (error) {
      this.#wake = null;
      this.#pending = null;
      if (this.#stopped()) return this.#abandon();
      this.#settings.report(error, "model");
      writer.fail(describeThrown(error));
    }
    const response = writer.response;
    // Made before the save, so the store can keep it; a snapshot that cannot be serialised (a model's
    // item with a cycle) is saved as before, and the serialisation after it throws. Its bytes are made
    // here once: the default store keeps them, and serve() writes them and their length as they are.
    let json = jsonText(response);
    try {
      // Nothing but `json` has read the snapshot: the store may keep it as it is, or as `json`.
      // The default store answers at once: no turn of the microtask queue then.
      const saving = this.#turn.save({ response, input: this.#turn.input }, true, json);
      const kept = typeof saving === "boolean" ? saving : await saving;
      if (!kept) {
        response.store = false;
        json = undefined;
      }
    } finally {
      this.#end();
    }
    if (json === undefined) return { response, json: JSON.stringify(response) };
    return { response, json: json.text, bytes: json.bytes };
  }

  /** The writer's first events; the model is already running. */
  #begin(quiet = false): StreamingEvent[] {
    const settings = this.#settings;
    const { body, input, responseId } = this.#turn;
    this.#state = "running";
    const options: EventWriterOptions = {
      response: initialResource(body, {
        id: responseId,
        createdAt: Math.floor(settings.now() / 1000),
        defaultModel: settings.defaultModel,
      }),
      ids: settings.ids,
      now: settings.now,
      inputCharacters: countContextCharacters(input) + (body.instructions?.length ?? 0),
      policy: this.#policy,
    };
    this.#writer = quiet ? quietEventWriter(options) : new EventWriter(options);
    // A turn that never waits on I/O would otherwise run in microtasks only and starve the event loop.
    this.#loop = new LoopYielder();
    return this.#writer.start();
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
          const step = await this.#step(batch.length > 0);
          this.#wake = null;
          if (step === FLUSH) return batch;
          this.#pending = null;
          if (step === INTERRUPTED || step === ABORTED || this.#stopped()) return this.#interrupted(batch);
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
      // Saved before the terminal event leaves, so a client's immediate follow-up finds it; a response
      // that could not be stored goes out with `store: false` in its terminal snapshot (the writer's own
      // snapshot, final now), not as if stored.
      const kept = await this.#turn.save({ response: writer.response, input: this.#turn.input }, false);
      if (!kept) writer.response.store = false;
      this.#end();
    }
    return batch;
  }

  /**
   * The model's next step: at once for a sync model; for an async one its step, or INTERRUPTED, or —
   * when the batch already holds events — FLUSH once the event loop has moved on without the step
   * arriving (the step is kept for the next batch).
   */
  #step(
    flushable: boolean,
  ): Step | typeof ABORTED | Promise<Step | typeof ABORTED | typeof INTERRUPTED | typeof FLUSH> {
    const step = this.#pending ?? this.#source!.next();
    if (!(step instanceof Promise)) return step;
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
    return this.#state === "ended" || this.#abort.aborted;
  }

  /** Ends a collected turn that was interrupted: there is no final snapshot. */
  #abandon(): null {
    this.#end();
    return null;
  }

  /** Ends an interrupted turn; the events already made still go out. */
  #interrupted(batch: StreamingEvent[]): StreamingEvent[] | null {
    this.#end();
    return batch.length > 0 ? batch : null;
  }

  #detach(): void {
    if (this.#onAbort !== null) this.#turn.signal?.removeEventListener("abort", this.#onAbort);
    this.#onAbort = null;
  }

  #end(reason?: unknown): void {
    if (this.#state === "ended") return;
    this.#state = "ended";
    this.#detach();
    // Reached early when the consumer went away (even before its first batch: the model is already
    // running) or the model ended the response (incomplete): tell the model to stop, and let its
    // generator run its own cleanup.
    if (!this.#writer?.finished && !this.#abort.aborted) {
      this.#abort.abort(reason ?? new Error("The client went away."));
    }
    this.#source?.close();
  }
}

/** The JSON text of `value` and its bytes, or undefined when it has none (JSON.stringify throws). */
function jsonText(value: unknown): JsonText | undefined {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return { text, bytes: utf8Bytes(text) };
}

/** `batch.push(...events)` without spreading into arguments (a failure may carry many events). */
function pushAll(batch: StreamingEvent[], events: StreamingEvent[]): void {
  for (const event of events) batch.push(event);
}
