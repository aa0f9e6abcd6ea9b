/**
 * The SSE encoder (rules S1–S3): one `event: <type>` line and one `data: <json>` line per event, a blank
 * line between events, no `id:`, and `data: [DONE]` at the end. The body is pull-based, so a slow
 * reader slows the model down instead of buffering events without bound. A turn's events from the
 * engine come in batches (the events that were ready together) and each batch leaves as one chunk, so
 * a fast model costs one write per batch rather than per event.
 */

import { formatSSE, SSE_DONE } from "../../internal/sse.js";
import { isTerminalEventType } from "../../internal/terminal-events.js";
import type { StreamingEvent } from "../../spec/index.js";
import { type ChunkSource, chunkStream } from "./answer.js";
import { type EventBatchSource, TurnEvents } from "./event-batches.js";

export { formatSSE };

/**
 * Encodes events as an SSE byte stream. `onCancel` runs when the reader cancels (the client went away),
 * after the event source has been told to stop.
 */
export function encodeSSE(
  events: AsyncIterable<StreamingEvent>,
  onCancel?: (reason: unknown) => void,
): ReadableStream<Uint8Array> {
  return chunkStream(sseChunks(events, onCancel));
}

/** The SSE text of the events, chunk by chunk: a turn's batch per chunk, else an event per chunk. */
export function sseChunks(
  events: AsyncIterable<StreamingEvent> | EventBatchSource,
  onCancel?: (reason: unknown) => void,
): ChunkSource {
  if (events instanceof TurnEvents) return new BatchChunks(events.takeBatches(), onCancel);
  if (!(Symbol.asyncIterator in events)) return new BatchChunks(events, onCancel);
  return new EventChunks(events, onCancel);
}

/** One chunk per batch; the terminal event's batch carries `[DONE]` too, and is the last. */
class BatchChunks implements ChunkSource {
  readonly #source: EventBatchSource;
  readonly #onCancel: ((reason: unknown) => void) | undefined;
  ended = false;

  constructor(source: EventBatchSource, onCancel: ((reason: unknown) => void) | undefined) {
    this.#source = source;
    this.#onCancel = onCancel;
  }

  next(): Promise<string | null> {
    if (this.ended) return Promise.resolve(null);
    return this.#source.next().then((batch) => this.#format(batch));
  }

  cancel(reason?: unknown): void {
    this.ended = true;
    this.#source.stop(reason);
    this.#onCancel?.(reason);
  }

  #format(batch: StreamingEvent[] | null): string | null {
    if (this.ended) return null;
    if (batch === null) {
      // The turn ended without a terminal event (it was stopped).
      this.ended = true;
      return SSE_DONE;
    }
    let text = "";
    for (const event of batch) text += formatSSE(event);
    const last = batch[batch.length - 1];
    if (last !== undefined && isTerminalEventType(last.type)) {
      // Nothing follows a terminal event (S5); the turn has already ended.
      this.ended = true;
      this.#source.stop();
      return text + SSE_DONE;
    }
    return text;
  }
}

/** Any other event source, one event per chunk. */
class EventChunks implements ChunkSource {
  readonly #iterator: AsyncIterator<StreamingEvent>;
  readonly #onCancel: ((reason: unknown) => void) | undefined;
  ended = false;

  constructor(events: AsyncIterable<StreamingEvent>, onCancel: ((reason: unknown) => void) | undefined) {
    this.#iterator = events[Symbol.asyncIterator]();
    this.#onCancel = onCancel;
  }

  async next(): Promise<string | null> {
    if (this.ended) return null;
    const step = await this.#iterator.next();
    if (this.ended) return null;
    if (step.done) {
      this.ended = true;
      return SSE_DONE;
    }
    return formatSSE(step.value);
  }

  async cancel(reason?: unknown): Promise<void> {
    this.ended = true;
    this.#onCancel?.(reason);
    await this.#iterator.return?.();
  }
}
