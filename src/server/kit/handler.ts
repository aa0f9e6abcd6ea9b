/**
 * `createResponsesHandler`: a standard fetch handler, `(Request) => Promise<Response>`, serving
 * `POST {basePath}/responses` (JSON, or SSE with `stream: true`) and `POST {basePath}/responses/compact`,
 * plus the stored-response extensions OpenAI-compatible servers also serve (`GET`/`DELETE
 * {basePath}/responses/{id}`, `GET {basePath}/responses/{id}/input_items`; see `stored-routes.ts`).
 * It uses only web standards (Request/Response, ReadableStream, TextEncoder, Web Crypto), so it mounts
 * unchanged in Node (through `serve`), Bun, Deno, Cloudflare Workers, Hono or a Next.js route.
 *
 * This file resolves the options and wraps every answer (request id, CORS headers, a 500 for anything
 * thrown); `routing.ts` decides what answers a request.
 */

import { type ApiKeyCheck, createHeaderKeyCheck } from "./auth.js";
import { type CorsOptions, corsPolicy } from "./cors.js";
import { createResponsesEngine, type ResponsesEngine, type ResponsesEngineOptions } from "./engine.js";
import { safeReporter } from "./error-report.js";
import { IdempotencyCache, type IdempotencyOptions } from "./idempotency.js";
import { randomHex } from "./ids.js";
import { errorResponse, kitError } from "./kit-error.js";
import { plainRoute, setPlainRoute } from "./plain-route.js";
import { normaliseBasePath, routeRequest } from "./routing.js";

export interface ResponsesHandlerOptions extends ResponsesEngineOptions {
  /**
   * When set, requests must carry it (`Authorization: Bearer <key>` or `api-key: <key>`), else 401.
   * `undefined`, `null` and `""` all mean no key check, so `apiKey: process.env.KEY` works as written.
   */
  apiKey?: string | null | undefined;
  /** The largest request body accepted, in bytes; larger ones get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** The path prefix of the routes; default `/v1`. Use `""` to serve `/responses` at the root. */
  basePath?: string;
  /**
   * Opt-in CORS, for browser clients on another origin. `true` allows any origin; `{ origin }` allows
   * the listed ones (the request's `Origin` is echoed back when it matches). Preflight `OPTIONS` requests
   * on the routes are answered, and every answer (errors and streams too) carries the headers.
   * Off by default: a server that does not ask for it answers `OPTIONS` with 405.
   */
  cors?: boolean | CorsOptions;
  /**
   * `Idempotency-Key` handling: a repeated key (same credential, same body) within the window gets the
   * first attempt's answer replayed (header `idempotent-replayed: true`), or 409 while that attempt still
   * runs, so a client's retry never runs the model twice; the same key with another body is a 422. On by
   * default (24 hours, 1000 keys, 64 MiB of answers); `false` turns it off.
   */
  idempotency?: boolean | IdempotencyOptions;
}

/** A fetch handler that also exposes the engine it is built on (WebSocket mode shares it). */
export interface ResponsesHandler {
  (request: Request): Promise<Response>;
  readonly engine: ResponsesEngine;
  readonly basePath: string;
  /** The API-key check, for transports that authenticate outside `handle` (WebSocket upgrades). */
  readonly authenticate: ApiKeyCheck;
  /**
   * Whether the `cors` option lets a page on this origin call the server; false when CORS is off.
   * WebSocket mode applies it to browser upgrades, which the same-origin policy does not protect.
   */
  readonly allowsOrigin: (origin: string) => boolean;
  /** The body size limit, so WebSocket mode can hold its messages to the same bound. */
  readonly maxBodyBytes: number;
}

/** The default of `maxBodyBytes`: the largest request body the handler reads, 10 MiB. */
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

export function createResponsesHandler(options: ResponsesHandlerOptions): ResponsesHandler {
  const engine = createResponsesEngine(options);
  const basePath = normaliseBasePath(options.basePath ?? "/v1");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_REQUEST_BODY_BYTES;
  const checkKey =
    typeof options.apiKey === "string" && options.apiKey !== "" ? createHeaderKeyCheck(options.apiKey) : null;
  const authenticate: ApiKeyCheck =
    checkKey === null ? async () => null : (request) => checkKey((name) => request.headers.get(name));
  const cors = options.cors ? corsPolicy(options.cors === true ? {} : options.cors) : null;
  const idempotency =
    options.idempotency === false
      ? null
      : new IdempotencyCache(options.idempotency === true ? {} : options.idempotency, options.now);
  const context = { engine, basePath, maxBodyBytes, authenticate, cors, idempotency };
  const report = safeReporter(options.onError);

  const handler = async (request: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await routeRequest(context, request);
    } catch (error) {
      // Reported through a logger that cannot throw, so a failure here still becomes a 500.
      report(error, "handler");
      response = errorResponse(
        kitError(500, "server_error", "The server failed to handle the request.", { code: "server_error" }),
      );
    }
    response.headers.set("x-request-id", requestId());
    return cors === null ? response : cors.decorate(request, response);
  };
  const allowsOrigin = (origin: string) => cors?.allows(origin) ?? false;
  const kitHandler = Object.assign(handler, { engine, basePath, authenticate, allowsOrigin, maxBodyBytes });
  // The create route without a Request or Response, for serve() on node:http (plain-route.ts).
  setPlainRoute(
    kitHandler,
    plainRoute({
      engine,
      basePath,
      maxBodyBytes,
      checkKey,
      corsConfigured: cors !== null,
      idempotencyOn: idempotency !== null,
      report,
      requestId,
    }),
  );
  return kitHandler;
}

/** Clients surface it (`_request_id`, `error.requestId`) so a user can quote it in a bug report. */
function requestId(): string {
  return `req_${randomHex()}`;
}
