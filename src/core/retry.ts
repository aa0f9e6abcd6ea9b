/**
 * When to retry and how long to wait. A retry only ever happens before a response's headers have been
 * accepted, so a stream that has begun delivering events is never replayed.
 */

export interface RetryTiming {
  /** First backoff step; doubles per attempt. Default 500 ms. */
  initialDelayMs: number;
  /** Cap of the exponential backoff. Default 8 s. */
  maxDelayMs: number;
  /** Cap of a server-requested wait (`retry-after-ms`, `retry-after`). Default 60 s. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = {
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/** Statuses where a retry can help: timeouts, lock conflicts, rate limits and server faults. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The server's `x-should-retry` header overrides the status-based decision either way. */
export function shouldRetryResponse(status: number, headers: Headers): boolean {
  const override = headers.get("x-should-retry")?.trim().toLowerCase();
  if (override === "true") return true;
  if (override === "false") return false;
  return isRetryableStatus(status);
}

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

/**
 * The delay before retry number `retryIndex` (0 for the first retry): the server's request, capped at
 * `maxRetryAfterMs` so that a far-future date cannot stall the caller for hours, else exponential backoff
 * with up to 25% jitter so that many clients do not retry in step.
 */
export function retryDelay(
  retryIndex: number,
  headers: Headers | undefined,
  timing: RetryTiming,
  random: () => number = Math.random,
): number {
  const requested = serverRequestedDelay(headers);
  if (requested !== undefined) return Math.min(requested, timing.maxRetryAfterMs);
  const base = Math.min(timing.initialDelayMs * 2 ** retryIndex, timing.maxDelayMs);
  return base * (1 - 0.25 * random());
}
