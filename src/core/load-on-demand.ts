/**
 * The one way the client reaches `src/on-demand.ts`, the code it loads with a feature's first use (the
 * tool loop, a WebSocket session's engine, a `Conversation`'s turns, stored responses, `parse()`'s
 * reading, the rare answers: an error, a redirect, a body that is not JSON, `asResponse()`'s body).
 *
 * In a page that code is a chunk of its own, and loading it can fail (offline, or a new deploy removed
 * it). The caller then gets an `APIConnectionError` that names what could not be loaded and why, with
 * the loader's error as its cause, rather than the bundler's bare error, or a message blaming a server
 * that did answer. Nothing here keeps a failed load: the next use tries again.
 */

import { APIConnectionError } from "../errors.js";
import { redactError } from "../internal/redact.js";
import { describeCause } from "./describe-cause.js";

/** Loads `src/on-demand.ts`; `what` completes "the client's code for …" in the error if it cannot. */
export function loadOnDemand(what: string) {
  return import("../on-demand.js").catch((cause: unknown) => {
    throw new APIConnectionError(
      `Connection error: the client's code for ${what}, loaded on demand, could not be loaded${describeCause(cause)}.`,
      { cause: redactError(cause) },
    );
  });
}
