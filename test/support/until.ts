/**
 * Waits for something a test caused to happen (a request arriving, a model starting, a socket
 * closing) instead of sleeping for a fixed time: a fixed sleep is too long on a quiet machine and too
 * short on a busy one. Polls every 5 ms; throws, naming what it waited for, after `timeoutMs`.
 */

export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
