/**
 * `createResponsesHandler`: a standard fetch handler, `(Request) => Promise<Response>`, serving
 * `POST {basePath}/responses` (JSON, or SSE with `stream: true`) and `POST {basePath}/responses/compact`.
 * It uses only web standards (Request/Response, ReadableStream, TextEncoder, Web Crypto), so it mounts
 * unchanged in Node (through `serve`), Bun, Deno, Cloudflare Workers, Hono or a Next.js route.
 */

import type { StreamingEvent } from "../../spec/index.js";
import { type ApiKeyCheck, createApiKeyCheck } from "./auth.js";
import { readJsonBody } from "./body-reader.js";
import { createResponsesEngine, type ResponsesEngine, type ResponsesEngineOptions } from "./engine.js";
import { isTerminalEvent } from "./event-writer.js";
import { errorResponse, type KitError, kitError } from "./spec-error.js";
import { encodeSSE } from "./sse.js";

export interface ResponsesHandlerOptions extends ResponsesEngineOptions {
  /** When set, requests must carry it (`Authorization: Bearer <key>` or `api-key: <key>`), else 401. */
  apiKey?: string;
  /** The largest request body accepted, in bytes; larger ones get 413. Default 10 MiB. */
  maxBodyBytes?: number;
  /** The path prefix of the routes; default `/v1`. Use `""` to serve `/responses` at the root. */
  basePath?: string;
}

/** A fetch handler that also exposes the engine it is built on (WebSocket mode shares it). */
export interface ResponsesHandler {
  (request: Request): Promise<Response>;
  readonly engine: ResponsesEngine;
  readonly basePath: string;
  /** The API-key check, for transports that authenticate outside `handle` (WebSocket upgrades). */
  readonly authenticate: ApiKeyCheck;
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
    options.apiKey !== undefined && options.apiKey !== ""
      ? createApiKeyCheck(options.apiKey)
      : async () => null;

  async function handle(request: Request): Promise<Response> {
    const route = matchRoute(new URL(request.url).pathname, basePath);
    if (route === null) {
      return errorResponse(kitError(404, "not_found", "No route matches this path.", { code: "not_found" }));
    }
    if (request.method !== "POST") {
      return errorResponse(
        kitError(405, "invalid_request", `Method ${request.method} is not allowed here; use POST.`, {
          code: "method_not_allowed",
        }),
        { allow: "POST" },
      );
    }
    const denied = await authenticate(request);
    if (denied) return errorResponse(denied, { "www-authenticate": "Bearer" });

    const read = await readJsonBody(request, maxBodyBytes);
    if (!read.ok) return errorResponse(read.error);
    return route === "compact" ? compact(read.json, request.signal) : create(read.json, request.signal);
  }

  async function create(json: unknown, requestSignal: AbortSignal): Promise<Response> {
    const parsed = engine.parseCreateBody(json);
    if (!parsed.ok) return errorResponse(parsed.error);
    // Aborted by the runtime when the client disconnects, or by the SSE stream being cancelled.
    const controller = new AbortController();
    const abort = () => controller.abort(requestSignal.reason);
    if (requestSignal.aborted) abort();
    else requestSignal.addEventListener("abort", abort, { once: true });

    const run = await engine.run(parsed.body, { signal: controller.signal });
    if (!run.ok) return errorResponse(run.error);
    if (parsed.body.stream === true) {
      const body = encodeSSE(run.events, (reason) => controller.abort(reason));
      return new Response(body, { status: 200, headers: SSE_HEADERS });
    }
    const terminal = await lastTerminal(run.events);
    if (terminal === null) {
      return errorResponse(
        kitError(499, "server_error", "The request was cancelled.", { code: "cancelled" }),
      );
    }
    // The JSON answer is exactly the terminal event's snapshot. A failed response also answers 500, and
    // its `error` carries message, type, param and code, so it reads as a spec error body (E1) too.
    const status = terminal.response.status === "failed" ? 500 : 200;
    return new Response(JSON.stringify(terminal.response), { status, headers: JSON_HEADERS });
  }

  async function compact(json: unknown, signal: AbortSignal): Promise<Response> {
    const parsed = engine.parseCompactBody(json);
    if (!parsed.ok) return errorResponse(parsed.error);
    const result = await engine.compact(parsed.body, { signal });
    if (!result.ok) return errorResponse(result.error);
    return new Response(JSON.stringify(result.resource), { status: 200, headers: JSON_HEADERS });
  }

  const handler = async (request: Request): Promise<Response> => {
    try {
      return await handle(request);
    } catch (error) {
      try {
        options.onError?.(error, "handler");
      } catch {
        // A failing logger must not turn a 500 into a rejected promise.
      }
      return errorResponse(internalError());
    }
  };
  return Object.assign(handler, { engine, basePath, authenticate });
}

type Route = "create" | "compact";

function matchRoute(pathname: string, basePath: string): Route | null {
  const path = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
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
