/**
 * The wait an error answer asks for before a retry (`retry-after-ms`, `retry-after`). Only an error
 * answer has one, so this is loaded (through `src/on-demand.ts`) with the code that reads error answers,
 * when the first arrives; a failure with no answer waits the backoff alone (`retry.ts`).
 */

import { backoffDelay, type RetryTiming } from "./retry.js";

/** The wait the server asked for, in ms, or undefined when it asked for none (or nonsense). */
export function serverRequestedDelay(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get("retry-after");
  if (after !== null && after.trim() !== "") {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** The wait before retrying after an error answer; `capped`, the warning when the server asked for more. */
export interface RetryWait {
  delay: number;
  capped: string | undefined;
}

/**
 * What the transport waits after an error answer, before retry number `retryIndex` (0 for the first), and
 * the warning it logs when it makes that retry after waiting less than the server asked for (the cap).
 * `url` is the request's, without credentials.
 */
export function retryWait(retryIndex: number, headers: Headers, timing: RetryTiming, url: string): RetryWait {
  // The headers read once, so the delay and the warning agree on what the server asked for. Its wait is
  // capped at `maxRetryAfterMs` so that a far-future date cannot stall the caller for hours.
  const requested = serverRequestedDelay(headers);
  const delay =
    requested === undefined ? backoffDelay(retryIndex, timing) : Math.min(requested, timing.maxRetryAfterMs);
  return {
    delay,
    capped:
      requested !== undefined && requested > delay
        ? `${url} asked to wait ${Math.round(requested)} ms; waiting the cap, ${delay} ms`
        : undefined,
  };
}
