/**
 * `createResponsesHandler`: a standard fetch handler, `(Request) => Promise<Response>`, serving
 * `POST {basePath}/responses` (JSON, or SSE with `stream: true`) and `POST {basePath}/responses/compact`,
 * plus the stored-response extensions OpenAI-compatible servers also serve (`GET`/`DELETE
 * {basePath}/responses/{id}`, `GET {basePath}/responses/{id}/input_items`; see `stored-routes.ts`).
 * It uses only web standards (Request/Response, ReadableStream, TextEncoder, Web Crypto), so it mounts
 * unchanged in Node (through `serve`), Bun, Deno, Cloudflare Workers, Hono or a Next.js route.
 */

import type {
  CompactResponseMethodPublicBody,
  CreateResponseBody,
  StreamingEvent,
} from "../../spec/index.js";
import { type ApiKeyCheck, createApiKeyCheck } from "./auth.js";
import { readJsonBody } from "./body-reader.js";
import { refuseBrowserOrigin } from "./browser-policy.js";
import { unsupportedContentType } from "./content-type.js";
import { createResponsesEngine, type ResponsesEngine, type ResponsesEngineOptions } from "./engine.js";
import { isTerminalEvent } from "./event-writer.js";
import { type Claim, IdempotencyCache, type IdempotencyOptions } from "./idempotency.js";
import { errorResponse, type KitError, kitError } from "./spec-error.js";
import { encodeSSE } from "./sse.js";
import { allowedMethods, answerStoredRoute, matchStoredRoute, type StoredRoute } from "./stored-routes.js";

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

export interface CorsOptions {
  /** `"*"`, one origin (`https://app.example`) or several. Default `"*"`. */
  origin?: string | readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. Default 600. */
  maxAge?: number;
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

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

const JSON_HEADERS = { "content-type": "application/json" };
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Tells reverse proxies (nginx) not to buffer the stream.
  "x-accel-buffering": "no",
};

export function createResponsesHandler(options: ResponsesHandlerOptions): ResponsesHandler {
  const engine = createResponsesEngine(options);
  const basePath = normaliseBasePath(options.basePath ?? "/v1");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const authenticate: ApiKeyCheck =
    typeof options.apiKey === "string" && options.apiKey !== ""
      ? createApiKeyCheck(options.apiKey)
      : async () => null;

  const cors = options.cors ? corsPolicy(options.cors === true ? {} : options.cors) : null;
  const allowsOrigin = (origin: string) => cors?.allows(origin) ?? false;
  const idempotency =
    options.idempotency === false
      ? null
      : new IdempotencyCache(options.idempotency === true ? {} : options.idempotency, options.now);

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const route = matchRoute(url.pathname, basePath);
    const storedRoute = route === null ? matchStoredRoute(trimSlash(url.pathname), basePath) : null;
    if (route === null && storedRoute === null) {
      return errorResponse(kitError(404, "not_found", "No route matches this path.", { code: "not_found" }));
    }
    // A preflight carries no credentials, so it is answered before the API-key check.
    if (cors !== null && request.method === "OPTIONS") return cors.preflight(request);
    // A page on an origin `cors` does not allow reaches nothing, whatever its body (browser-policy.ts);
    // its preflight is answered as any other (without CORS, 405), which the browser reads as a no.
    const foreign = request.method === "OPTIONS" ? null : refuseBrowserOrigin(request, allowsOrigin);
    if (foreign) return errorResponse(foreign);
    if (storedRoute !== null) return stored(storedRoute, request, url);
    if (request.method !== "POST") {
      return errorResponse(
        kitError(405, "invalid_request", `Method ${request.method} is not allowed here; use POST.`, {
          code: "method_not_allowed",
        }),
        { allow: cors === null ? "POST" : "POST, OPTIONS" },
      );
    }
    const denied = await authenticate(request);
    if (denied) return errorResponse(denied, { "www-authenticate": "Bearer" });

    const unsupported = unsupportedContentType(request);
    if (unsupported) return errorResponse(unsupported);
    const read = await readJsonBody(request, maxBodyBytes);
    if (!read.ok) return errorResponse(read.error);
    if (route === "compact") {
      const parsed = engine.parseCompactBody(read.json);
      if (!parsed.ok) return errorResponse(parsed.error);
      return idempotent(request, read.bytes, (claim) => compact(parsed.body, request.signal, claim));
    }
    const parsed = engine.parseCreateBody(read.json);
    if (!parsed.ok) return errorResponse(parsed.error);
    return idempotent(request, read.bytes, (claim) => create(parsed.body, request.signal, claim));
  }

  /** The stored-response extensions (`GET`/`DELETE /responses/{id}`, `GET .../input_items`). */
  async function stored(route: StoredRoute, request: Request, url: URL): Promise<Response> {
    const methods = allowedMethods(route);
    if (!methods.includes(request.method)) {
      return errorResponse(
        kitError(
          405,
          "invalid_request",
          `Method ${request.method} is not allowed here; use ${methods.join(" or ")}.`,
          {
            code: "method_not_allowed",
          },
        ),
        { allow: [...methods, ...(cors === null ? [] : ["OPTIONS"])].join(", ") },
      );
    }
    const denied = await authenticate(request);
    if (denied) return errorResponse(denied, { "www-authenticate": "Bearer" });
    const answer = await answerStoredRoute(route, request.method, url.searchParams, engine.store);
    if ("error" in answer) return errorResponse(answer.error);
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: JSON_HEADERS });
  }

  /** Runs `answer` once per Idempotency-Key (see `idempotency.ts`); a request without one just runs. */
  async function idempotent(
    request: Request,
    bytes: Uint8Array,
    answer: (claim: Claimed) => Promise<Response>,
  ): Promise<Response> {
    const key = request.headers.get("idempotency-key");
    if (key === null || idempotency === null) return answer(NOT_CLAIMED);
    const claim = await idempotency.claim(request, key, bytes);
    if (claim.kind === "replay") return claim.response;
    if (claim.kind === "refuse") return errorResponse(claim.error);
    try {
      return await answer(claim);
    } catch (error) {
      claim.release();
      throw error;
    }
  }

  async function create(
    body: CreateResponseBody,
    requestSignal: AbortSignal,
    claim: Claimed,
  ): Promise<Response> {
    // Aborted by the runtime when the client disconnects, or by the SSE stream being cancelled.
    const controller = new AbortController();
    const abort = () => controller.abort(requestSignal.reason);
    if (requestSignal.aborted) abort();
    else requestSignal.addEventListener("abort", abort, { once: true });

    const run = await engine.run(body, { signal: controller.signal });
    if (!run.ok) return claim.finish(errorResponse(run.error), false);
    if (body.stream === true) {
      const stream = encodeSSE(run.events, (reason) => controller.abort(reason));
      // Recorded once the stream has been sent to its end; a stream the client left is forgotten.
      return claim.finish(new Response(stream, { status: 200, headers: SSE_HEADERS }), true);
    }
    const terminal = await lastTerminal(run.events);
    if (terminal === null) {
      return claim.finish(
        errorResponse(kitError(499, "server_error", "The request was cancelled.", { code: "cancelled" })),
        false,
      );
    }
    // The JSON answer is exactly the terminal event's snapshot. A failed response also answers 500, and
    // its `error` carries message, type, param and code, so it reads as a spec error body (E1) too.
    const status = terminal.response.status === "failed" ? 500 : 200;
    return claim.finish(
      new Response(JSON.stringify(terminal.response), { status, headers: JSON_HEADERS }),
      true,
    );
  }

  async function compact(
    body: CompactResponseMethodPublicBody,
    signal: AbortSignal,
    claim: Claimed,
  ): Promise<Response> {
    const result = await engine.compact(body, { signal });
    if (!result.ok) return claim.finish(errorResponse(result.error), false);
    return claim.finish(
      new Response(JSON.stringify(result.resource), { status: 200, headers: JSON_HEADERS }),
      true,
    );
  }

  const handler = async (request: Request): Promise<Response> => {
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      try {
        options.onError?.(error, "handler");
      } catch {
        // A failing logger must not turn a 500 into a rejected promise.
      }
      response = errorResponse(internalError());
    }
    // Clients surface it (`_request_id`, `error.requestId`) so a user can quote it in a bug report.
    response.headers.set("x-request-id", `req_${crypto.randomUUID().replaceAll("-", "")}`);
    return cors === null ? response : cors.decorate(request, response);
  };
  return Object.assign(handler, { engine, basePath, authenticate, allowsOrigin, maxBodyBytes });
}

/** What create/compact need from an idempotency claim; a request without a key gets `NOT_CLAIMED`. */
type Claimed = Pick<Extract<Claim, { kind: "run" }>, "finish">;
const NOT_CLAIMED: Claimed = { finish: async (response) => response };

interface CorsPolicy {
  allows(origin: string): boolean;
  preflight(request: Request): Response;
  decorate(request: Request, response: Response): Response;
}

function corsPolicy(options: CorsOptions): CorsPolicy {
  const origins = typeof options.origin === "string" ? [options.origin] : (options.origin ?? ["*"]);
  const any = origins.includes("*");
  const allowed = new Set(origins.map((origin) => origin.replace(/\/+$/, "")));
  const maxAge = String(options.maxAge ?? 600);
  // The value of Access-Control-Allow-Origin for this request, or null when its origin is not allowed.
  const allowOrigin = (request: Request): string | null => {
    if (any) return "*";
    const origin = request.headers.get("origin");
    return origin !== null && allowed.has(origin) ? origin : null;
  };
  const base = (request: Request, headers: Headers): void => {
    const origin = allowOrigin(request);
    // With a list, the answer depends on the Origin header: caches must key on it.
    if (!any) headers.append("vary", "Origin");
    if (origin === null) return;
    headers.set("access-control-allow-origin", origin);
  };
  return {
    allows: (origin) => any || allowed.has(origin),
    preflight(request) {
      const headers = new Headers();
      base(request, headers);
      if (headers.has("access-control-allow-origin")) {
        headers.set("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
        // Echoing what the browser asks for admits the client's auth, idempotency and SDK headers.
        const asked = request.headers.get("access-control-request-headers");
        headers.set("access-control-allow-headers", asked ?? "authorization, content-type, api-key");
        headers.set("access-control-max-age", maxAge);
        if (!any) headers.append("vary", "Access-Control-Request-Headers");
      }
      return new Response(null, { status: 204, headers });
    },
    decorate(request, response) {
      // Every response here was built by this handler, so its headers are mutable.
      base(request, response.headers);
      // The client reads the request id for its errors; a gateway or wrapper in front may add one.
      if (response.headers.has("access-control-allow-origin")) {
        response.headers.set("access-control-expose-headers", "x-request-id");
      }
      return response;
    },
  };
}

type Route = "create" | "compact";

function trimSlash(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

function matchRoute(pathname: string, basePath: string): Route | null {
  const path = trimSlash(pathname);
  if (path === `${basePath}/responses`) return "create";
  if (path === `${basePath}/responses/compact`) return "compact";
  return null;
}

function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, "");
  return trimmed === "" || trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

type TerminalEvent = Extract<
  StreamingEvent,
  { type: "response.completed" | "response.incomplete" | "response.failed" }
>;

async function lastTerminal(events: AsyncIterable<StreamingEvent>): Promise<TerminalEvent | null> {
  let terminal: TerminalEvent | null = null;
  for await (const event of events) {
    if (isTerminalEvent(event)) terminal = event as TerminalEvent;
  }
  return terminal;
}

function internalError(): KitError {
  return kitError(500, "server_error", "The server failed to handle the request.", { code: "server_error" });
}
