/**
 * When to retry and how long to wait. A retry only ever happens before a response's headers have been
 * accepted, so a stream that has begun delivering events is never replayed. The wait an error answer asks
 * for is read by `retry-after.ts`, loaded with the code that reads error answers.
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

/**
 * The backoff before retry number `retryIndex` (0 for the first retry): exponential, capped at
 * `maxDelayMs`, with up to 25% jitter so that many clients do not retry in step. An error answer may ask
 * for another wait (`retry-after.ts`).
 */
export function backoffDelay(
  retryIndex: number,
  timing: RetryTiming,
  random: () => number = Math.random,
): number {
  const base = Math.min(timing.initialDelayMs * 2 ** retryIndex, timing.maxDelayMs);
  return base * (1 - 0.25 * random());
}
