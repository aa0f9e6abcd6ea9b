/**
 * A turn's events as the engine makes them: in batches, each holding the events that were ready
 * together (the events of one model part, and of the parts after it that the model had ready before the
 * event loop's next turn). Transports that write bytes take whole batches — the SSE encoder writes one
 * chunk per batch, the JSON answer only looks for the terminal event — while everyone else iterates the
 * events one at a time, as `engine.run` promises (`TurnEvents` is that `AsyncIterable`).
 */

import type { ResponseResource, StreamingEvent } from "../../spec/index.js";

export interface EventBatchSource {
  /** The next batch (never empty), or `null` once the turn has ended. */
  next(): Promise<StreamingEvent[] | null>;
  /**
   * Ends the turn early: the model is told to stop (its signal aborts with `reason`, when given) and no
   * further batch comes. Safe at any time, also while `next` is pending (it then resolves `null`), and
   * after the end.
   */
  stop(reason?: unknown): void;
  /**
   * Instead of any `next`: runs the turn to its end without making events, for a consumer that wants
   * only the final snapshot, and gives it with its JSON text and, when it made them, that text's UTF-8
   * bytes (null: stopped before the end). Absent on
   * a source that cannot.
   */
  collect?(): Promise<{
    readonly response: ResponseResource;
    readonly json: string;
    readonly bytes?: Uint8Array<ArrayBuffer>;
  } | null>;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The events of one turn. Iterate them (`for await`) or take the batches (`takeBatches`), once: a turn
 * has one consumer. Leaving a `for await` early stops the turn, as it does for any async generator.
 */
export class TurnEvents implements AsyncIterable<StreamingEvent> {
  readonly #source: EventBatchSource;
  #iterator: FlatIterator | null = null;
  #taken = false;

  constructor(source: EventBatchSource) {
    this.#source = source;
  }

  /** The batches themselves, for a transport that writes several events at once. */
  takeBatches(): EventBatchSource {
    this.#claim();
    return this.#source;
  }

  /** The same turn with each batch mapped (the dialect's renames), still in batches. */
  mapBatches(map: (batch: StreamingEvent[]) => StreamingEvent[]): TurnEvents {
    const source = this.takeBatches();
    const mapped: EventBatchSource = {
      next: async () => {
        const batch = await source.next();
        return batch === null ? null : map(batch);
      },
      stop: (reason) => source.stop(reason),
    };
    // A map of events leaves the snapshot as it is.
    if (source.collect !== undefined) mapped.collect = () => source.collect!();
    return new TurnEvents(mapped);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamingEvent> {
    // Like a generator, repeated calls share one iterator: a second loop goes on where the first stopped.
    if (this.#iterator === null) {
      this.#claim();
      this.#iterator = new FlatIterator(this.#source);
    }
    return this.#iterator;
  }

  #claim(): void {
    if (this.#taken) throw new TypeError("A turn's events can be consumed once.");
    this.#taken = true;
  }
}

/** The batches' events one by one: a resolved promise per event, one wait per batch. */
class FlatIterator implements AsyncIterator<StreamingEvent> {
  readonly #source: EventBatchSource;
  #batch: StreamingEvent[] = [];
  #index = 0;
  #ended = false;
  #fetching: Promise<void> | null = null;

  constructor(source: EventBatchSource) {
    this.#source = source;
  }

  next(): Promise<IteratorResult<StreamingEvent>> {
    if (this.#index < this.#batch.length) {
      return Promise.resolve({ done: false, value: this.#batch[this.#index++]! });
    }
    if (this.#ended) return Promise.resolve(DONE);
    return this.#nextBatch();
  }

  return(): Promise<IteratorResult<StreamingEvent>> {
    this.#ended = true;
    this.#batch = [];
    this.#index = 0;
    this.#source.stop();
    return Promise.resolve(DONE);
  }

  async #nextBatch(): Promise<IteratorResult<StreamingEvent>> {
    // Calls made while a batch is on its way wait for it, then take their events in call order.
    while (this.#index >= this.#batch.length && !this.#ended) {
      this.#fetching ??= this.#fetch();
      await this.#fetching;
    }
    if (this.#index < this.#batch.length) return { done: false, value: this.#batch[this.#index++]! };
    return DONE;
  }

  async #fetch(): Promise<void> {
    try {
      const batch = await this.#source.next();
      if (batch === null) this.#ended = true;
      else if (!this.#ended) {
        this.#batch = batch;
        this.#index = 0;
      }
    } catch (error) {
      this.#ended = true;
      throw error;
    } finally {
      this.#fetching = null;
    }
  }
}
