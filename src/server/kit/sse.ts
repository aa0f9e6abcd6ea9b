/**
 * The SSE encoder (rules S1–S3): one `event: <type>` line and one `data: <json>` line per event, a blank
 * line between events, no `id:`, and `data: [DONE]` at the end. The stream is pull-based, so a slow
 * reader slows the model down instead of buffering events without bound.
 */

import { formatSSE, SSE_DONE } from "../../internal/sse.js";
import type { StreamingEvent } from "../../spec/index.js";

export { formatSSE };

const encoder = new TextEncoder();
const DONE = encoder.encode(SSE_DONE);

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
