/**
 * The error a test expects, returned so the test can look at it: a promise's rejection, or what a
 * function throws. Each fails the test when nothing is thrown, instead of passing on a missing error.
 */

/** What `promise` rejects with (fails the test when it fulfils). */
export async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The `type` error `run` throws; any other error is thrown on, and no error fails the test. */
export function thrownAs<T>(type: abstract new (...args: never[]) => T, run: () => unknown): T {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
