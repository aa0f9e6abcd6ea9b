/**
 * Whether a model's turn was aborted, asked without making the request's `signal`. The engine makes
 * a turn's `AbortSignal` only when the model first reads `ModelRequest.signal`: on Node 20 every
 * signal costs a few microseconds and outlives itself through a young-generation collection, and a model
 * that runs to its end at once (the built-in one) never needs one. The engine's requests carry their
 * own check under `TURN_ABORTED`; any other request is read through its signal.
 */

import type { ModelRequest } from "../model.js";

/** The engine's requests: a function saying whether the turn was aborted (internal, never exported). */
export const TURN_ABORTED: unique symbol = Symbol("openresponses.turnAborted");

/** A check for `request`'s abort; it reads the signal only where the engine did not make the request. */
export function abortCheck(request: ModelRequest): () => boolean {
  const own = (request as { [TURN_ABORTED]?: unknown })[TURN_ABORTED];
  if (typeof own === "function") return own as () => boolean;
  const signal = request.signal;
  return () => signal.aborted;
}
