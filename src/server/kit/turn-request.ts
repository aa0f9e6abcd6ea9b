/**
 * The parts of a `ModelRequest` made only when the model reads them. Most models never read the
 * caller's headers, and a model that runs to its end at once (the built-in one) never needs a signal;
 * on Node 20 a signal costs a few microseconds and outlives itself through a young-generation
 * collection, and the headers are a `Headers` built from the raw ones.
 *
 * - `signal`: the engine's requests carry their `TurnAbort` under `TURN_ABORT`, where the built-in
 *   model reads whether the turn was aborted (`abortCheck`); any other request is read through its
 *   signal.
 * - `headers`: an adapter that has the raw headers (serve()'s plain route) hands the engine a function
 *   that builds them (`HEADERS_LATER`, an option outside the public `RunOptions`).
 *
 * The same `TurnAbort` also says when the turn is collected into its final snapshot (`collectedCheck`),
 * for the built-in model, which then sends its texts in fewer parts.
 */

import type { ModelRequest } from "../model.js";

export const TURN_ABORT: unique symbol = Symbol("openresponses.turnAbort");

/**
 * Whether the turn was aborted, and the signal that says so once the model asks for one; whether it is
 * collected.
 */
export class TurnAbort {
  aborted = false;
  /**
   * Set when the turn is collected into its final snapshot (a JSON answer, `TurnLoop.collect`): nobody
   * sees its parts one by one, so a model that knows the kit (the built-in one) may send fewer, larger
   * ones that add up to the same response.
   */
  collected = false;
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

/** A run option (internal): builds the caller's headers when the model first reads them. */
export const HEADERS_LATER: unique symbol = Symbol("openresponses.headersLater");

const TURN_HEADERS: unique symbol = Symbol("openresponses.turnHeaders");

type LaterHeaders = ModelRequest & { [TURN_HEADERS]: () => Headers };

/** `headers` built on first read and kept; assigning it makes it a plain value. Shared, as above. */
const LAZY_HEADERS: PropertyDescriptor = {
  get(this: LaterHeaders): Headers {
    const headers = this[TURN_HEADERS]();
    Object.defineProperty(this, "headers", {
      value: headers,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return headers;
  },
  set(this: LaterHeaders, value: Headers): void {
    Object.defineProperty(this, "headers", { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
};

/** Gives `request` the headers `make` builds, made when first read. */
export function withLazyHeaders(request: ModelRequest, make: () => Headers): void {
  (request as LaterHeaders)[TURN_HEADERS] = make;
  Object.defineProperty(request, "headers", LAZY_HEADERS);
}

/** A check for `request`'s abort; it reads the signal only where the engine did not make the request. */
export function abortCheck(request: ModelRequest): () => boolean {
  const abort = (request as { [TURN_ABORT]?: unknown })[TURN_ABORT];
  if (abort instanceof TurnAbort) return () => abort.aborted;
  const signal = request.signal;
  return () => signal.aborted;
}

/**
 * Whether the turn is collected into its final snapshot (see `TurnAbort.collected`); false for a
 * request the kit did not make, as when a model is called directly.
 */
export function collectedCheck(request: ModelRequest): () => boolean {
  const abort = (request as { [TURN_ABORT]?: unknown })[TURN_ABORT];
  if (abort instanceof TurnAbort) return () => abort.collected;
  return () => false;
}
