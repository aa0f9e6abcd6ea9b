/**
 * The SSE encoder (rules S1–S3): one `event: <type>` line and one `data: <json>` line per event, a blank
 * line between events, no `id:`, and `data: [DONE]` at the end. The stream is pull-based, so a slow
 * reader slows the model down instead of buffering events without bound.
 */

import type { StreamingEvent } from "../../spec/index.js";

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");

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
