/**
 * The `onError` option, made safe to call: the engine and the handler report every failure they absorb
 * (a model that throws, a store that fails, a handler bug) through it, and a logger that throws in turn
 * must never take the server down or turn an answer into a rejected promise.
 */

/** Where an error reported to `onError` happened. */
export type KitErrorPhase = "model" | "compact" | "store" | "handler";

/** Reports one absorbed failure; never throws. */
export type ErrorReporter = (error: unknown, phase: KitErrorPhase) => void;

/** Wraps the caller's `onError` (which may be absent, or may throw) into an `ErrorReporter`. */
export function safeReporter(
  onError: ((error: unknown, phase: KitErrorPhase) => void) | undefined,
): ErrorReporter {
  return (error, phase) => {
    try {
      onError?.(error, phase);
    } catch {
      // A failing logger must not take the server down.
    }
  };
}
