/**
 * The SSE encoder (rules S1–S3): one `event: <type>` line and one `data: <json>` line per event, a blank
 * line between events, no `id:`, and `data: [DONE]` at the end. The stream is pull-based, so a slow
 * reader slows the model down instead of buffering events without bound. A turn's events from the
 * engine come in batches (the events that were ready together) and each batch leaves as one chunk, so
 * a fast model costs one encode and one socket write per batch rather than per event.
 */

import { isTerminalEventType } from "../../internal/terminal-events.js";
import type { StreamingEvent } from "../../spec/index.js";
import { type EventBatchSource, TurnEvents } from "./event-batches.js";

const encoder = new TextEncoder();
const DONE_TEXT = "data: [DONE]\n\n";
const DONE = encoder.encode(DONE_TEXT);

/** One event as SSE text. JSON never contains a raw newline, so the data fits on one line. */
export function formatSSE(event: { type: string }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Encodes events as an SSE byte stream. `onCancel` runs when the reader cancels (the client went away),
 * after the event source has been told to stop.
 */
export function encodeSSE(
  events: AsyncIterable<StreamingEvent>,
  onCancel?: (reason: unknown) => void,
): ReadableStream<Uint8Array> {
  if (events instanceof TurnEvents) return encodeBatches(events.takeBatches(), onCancel);
  const iterator = events[Symbol.asyncIterator]();
  let finished = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      try {
        const step = await iterator.next();
        if (step.done) {
          finished = true;
          controller.enqueue(DONE);
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(formatSSE(step.value)));
      } catch (error) {
        finished = true;
        controller.error(error);
      }
    },
    async cancel(reason) {
      finished = true;
      onCancel?.(reason);
      await iterator.return?.();
    },
  });
}

/** One chunk per batch; the terminal event's batch carries `[DONE]` too, and ends the stream. */
function encodeBatches(
  source: EventBatchSource,
  onCancel: ((reason: unknown) => void) | undefined,
): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      try {
        const batch = await source.next();
        if (batch === null) {
          finished = true;
          controller.enqueue(DONE);
          controller.close();
          return;
        }
        let text = "";
        for (const event of batch) text += formatSSE(event);
        const last = batch[batch.length - 1];
        if (last !== undefined && isTerminalEventType(last.type)) {
          // Nothing follows a terminal event (S5); the turn has already ended.
          finished = true;
          controller.enqueue(encoder.encode(text + DONE_TEXT));
          controller.close();
          source.stop();
          return;
        }
        controller.enqueue(encoder.encode(text));
      } catch (error) {
        finished = true;
        controller.error(error);
      }
    },
    cancel(reason) {
      finished = true;
      source.stop();
      onCancel?.(reason);
    },
  });
}
