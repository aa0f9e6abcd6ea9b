/**
 * The create route for an adapter that hands over a request's parts instead of a `Request` (`serve()` on
 * node:http): `POST {basePath}/responses` answered as a `KitAnswer`, with the checks of routing.ts in the
 * same order and with the same answers (401, 415, 413, 400, then the turn), the wrapper's `x-request-id`
 * and its 500 for anything thrown. Building a `Request` and a `Response` costs more than the rest of a
 * small JSON turn's HTTP work, and this is the route that carries a server's traffic.
 *
 * Only requests the two paths cannot answer differently take it: the exact path (no query, no encoding
 * or dot segments to normalise), no CORS configured (whose headers depend on the request), no
 * `Idempotency-Key` to honour, and not from a browser (no `Origin`, no Fetch Metadata: the browser
 * policy's checks, browser-policy.ts and serve()'s host guard, apply to those). For anything else the route returns null, before reading anything, and
 * the adapter goes through the fetch handler.
 */

import { foldHeaders, type KitAnswer } from "./answer.js";
import type { HeaderKeyCheck } from "./auth.js";
import type { ChunkReader } from "./body-reader.js";
import type { ResponsesEngine } from "./engine.js";
import type { ErrorReporter } from "./error-report.js";
import { createAnswer } from "./http-turn.js";
import { errorAnswer, kitError } from "./kit-error.js";
import { readBodyParts } from "./request-body.js";

export interface PlainRequest {
  readonly method: string;
  /** The request target as received: the path, with the query if there is one. */
  readonly target: string;
  /** A header's value with duplicates joined by ", " (as `Headers.get` gives it); null when absent. */
  header(name: string): string | null;
  /** All of them, as the `Request` the fetch handler would get has them (for `ModelRequest.headers`). */
  headers(): Headers;
  /** Opens the body's chunks; called only when the body is read. */
  openBody(): ChunkReader;
  /** Calls `listener` once if the client goes away before the answer is complete (at once if it has). */
  onClose(listener: (reason: unknown) => void): void;
}

/** The answer to `request`, or null when it must go through the fetch handler. */
export type PlainRoute = (request: PlainRequest) => Promise<KitAnswer> | null;

/**
 * The plain route of each handler `createResponsesHandler` made, by the handler function itself. Kept
 * here rather than on the function, so that a wrapper (a logging or auth layer, even one that copies the
 * handler's properties with `Object.assign`) is never skipped: only the kit's own function has one.
 */
const plainRoutes = new WeakMap<object, PlainRoute>();

export function setPlainRoute(handler: object, route: PlainRoute): void {
  plainRoutes.set(handler, route);
}

/** The plain route of exactly this handler, if the kit made it. */
export function plainRouteOf(handler: object): PlainRoute | undefined {
  return plainRoutes.get(handler);
}

export interface PlainRouteContext {
  readonly engine: ResponsesEngine;
  readonly basePath: string;
  readonly maxBodyBytes: number;
  /** null when the handler has no API key. */
  readonly checkKey: HeaderKeyCheck | null;
  readonly corsConfigured: boolean;
  readonly idempotencyOn: boolean;
  readonly report: ErrorReporter;
  readonly requestId: () => string;
}

export function plainRoute(context: PlainRouteContext): PlainRoute {
  const path = `${context.basePath}/responses`;
  const pathWithSlash = `${path}/`;
  return (request) => {
    if (request.method !== "POST" || context.corsConfigured) return null;
    if (request.target !== path && request.target !== pathWithSlash) return null;
    if (context.idempotencyOn && request.header("idempotency-key") !== null) return null;
    if (request.header("origin") !== null || request.header("sec-fetch-site") !== null) return null;
    return answer(context, request);
  };
}

async function answer(context: PlainRouteContext, request: PlainRequest): Promise<KitAnswer> {
  let result: KitAnswer;
  try {
    // The turn in this one async function: each one more costs a promise and a turn of the queue.
    const header = (name: string) => request.header(name);
    const denied = context.checkKey === null ? null : await context.checkKey(header);
    if (denied) result = errorAnswer(denied, { "www-authenticate": "Bearer" });
    else {
      const { engine } = context;
      const read = await readBodyParts(
        header,
        () => request.openBody(),
        context.maxBodyBytes,
        (json) => engine.parseCreateBody(json),
      );
      if (!read.ok) result = errorAnswer(read.error);
      else {
        const call = {
          onClose: (stop: (reason: unknown) => void) => request.onClose(stop),
          // For a model that reads them (a bridge that forwards the caller's credentials does): built then.
          headers: () => request.headers(),
        };
        result = (await createAnswer(engine, read.body, call)).answer;
      }
    }
  } catch (error) {
    context.report(error, "handler");
    result = errorAnswer(
      kitError(500, "server_error", "The server failed to handle the request.", { code: "server_error" }),
    );
  }
  result.headers = foldHeaders(result.headers);
  result.headers["x-request-id"] = context.requestId();
  return result;
}
