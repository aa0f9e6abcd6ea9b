/**
 * A turn's abort, asked without making the request's `signal`. The engine makes a turn's `AbortSignal`
 * only when the model first reads `ModelRequest.signal`: on Node 20 every signal costs a few
 * microseconds and outlives itself through a young-generation collection, and a model that runs to its
 * end at once (the built-in one) never needs one. The engine's requests carry their `TurnAbort` under
 * `TURN_ABORT`, where the built-in model reads it (`abortCheck`); any other request is read through its
 * signal.
 */

import type { ModelRequest } from "../model.js";

export const TURN_ABORT: unique symbol = Symbol("openresponses.turnAbort");

/** Whether the turn was aborted, and the signal that says so once the model asks for one. */
export class TurnAbort {
  aborted = false;
  #reason: unknown;
  #controller: AbortController | null = null;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }
}

export type TurnRequest = ModelRequest & { [TURN_ABORT]: TurnAbort };

/**
 * `signal` as an own, enumerable accessor that makes the signal on first read, so a model that spreads
 * or copies the request still gets one; assigning it makes it a plain value again. One shared pair of
 * functions: accessors made per request (a literal's, or closures) would keep every request alive
 * through young-generation collections on Node 20.
 */
const LAZY_SIGNAL: PropertyDescriptor = {
  get(this: TurnRequest): AbortSignal {
    return this[TURN_ABORT].signal;
  },
  set(this: TurnRequest, value: AbortSignal): void {
    Object.defineProperty(this, "signal", { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** `request` with the lazy signal of its `TurnAbort` added. */
export function withLazySignal(request: Omit<TurnRequest, "signal">): TurnRequest {
  Object.defineProperty(request, "signal", LAZY_SIGNAL);
  return request as TurnRequest;
}

/** A check for `request`'s abort; it reads the signal only where the engine did not make the request. */
export function abortCheck(request: ModelRequest): () => boolean {
  const abort = (request as { [TURN_ABORT]?: unknown })[TURN_ABORT];
  if (abort instanceof TurnAbort) return () => abort.aborted;
  const signal = request.signal;
  return () => signal.aborted;
}
