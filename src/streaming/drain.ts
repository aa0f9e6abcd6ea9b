/**
 * What happens to a byte body after `data: [DONE]`. The response is complete, but cancelling the body
 * there makes `fetch` (undici) close the connection instead of putting it back in its pool, so every
 * streamed request would open a new one. Reading the little that follows (the end of the body) lets the
 * connection be reused. A server that keeps the body open past `[DONE]` must cost little: the rest is read
 * in the background, never by the consumer (who is done already), for at most `DRAIN_GRACE_MS` and
 * `DRAIN_MAX_BYTES`, then cancelled; the timer is unref'd, so it alone keeps no process alive.
 */

import type { ByteReader } from "./read-ahead.js";

/** The longest the rest of a body is read after `[DONE]` before it is cancelled. */
export const DRAIN_GRACE_MS = 100;

/** The most bytes read after `[DONE]` before the body is cancelled. */
export const DRAIN_MAX_BYTES = 16 * 1024;

/** Reads `reader` to its end in the background, within the grace; cancels it past the grace or bound. */
export function drainAfterDone(reader: ByteReader): void {
  let over = false;
  const cancel = (): void => {
    over = true;
    reader.cancel().catch(() => undefined);
  };
  const timer = setTimeout(cancel, DRAIN_GRACE_MS);
  (timer as { unref?: () => void }).unref?.();
  void (async () => {
    let bytes = 0;
    try {
      while (!over) {
        const result = await reader.read();
        if (result.done) return;
        bytes += result.value.byteLength;
        if (bytes > DRAIN_MAX_BYTES) cancel();
      }
    } catch {
      // The response is complete: a failure of what follows `[DONE]` loses nothing.
    } finally {
      clearTimeout(timer);
    }
  })();
}
