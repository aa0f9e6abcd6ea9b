/**
 * Which route a request is for, and the order of the checks before it runs: unknown path 404, CORS
 * preflight (before the API-key check: a preflight carries no credentials), a browser page on an origin
 * `cors` does not allow 403, the stored-response routes, method 405, API key 401, body (415, 413, 400),
 * then the create or compact turn, once per Idempotency-Key.
 */

import type { ApiKeyCheck } from "./auth.js";
import { refuseBrowserOrigin } from "./browser-policy.js";
import type { CorsPolicy } from "./cors.js";
import type { ResponsesEngine } from "./engine.js";
import { answerCompact, answerCreate } from "./http-turn.js";
import type { IdempotencyCache } from "./idempotency.js";
import { answerOnce } from "./idempotent-answer.js";
import { errorResponse, kitError } from "./kit-error.js";
import { readRequestBody } from "./request-body.js";
import { answerStored } from "./stored-http.js";
import { matchStoredRoute } from "./stored-routes.js";

/** What routing needs from the handler's options, resolved once per handler. */
export interface HandlerContext {
  readonly engine: ResponsesEngine;
  readonly basePath: string;
  readonly maxBodyBytes: number;
  readonly authenticate: ApiKeyCheck;
  readonly cors: CorsPolicy | null;
  readonly idempotency: IdempotencyCache | null;
}

type Route = "create" | "compact";

export async function routeRequest(context: HandlerContext, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const route = matchRoute(url.pathname, context.basePath);
  const storedRoute = route === null ? matchStoredRoute(trimSlash(url.pathname), context.basePath) : null;
  if (route === null && storedRoute === null) {
    return errorResponse(kitError(404, "not_found", "No route matches this path.", { code: "not_found" }));
  }
  // A preflight carries no credentials, so it is answered before the API-key check.
  if (context.cors !== null && request.method === "OPTIONS") return context.cors.preflight(request);
  // A page on an origin `cors` does not allow reaches nothing, whatever its body (browser-policy.ts);
  // its preflight is answered as any other (without CORS, 405), which the browser reads as a no.
  if (request.method !== "OPTIONS") {
    const foreign = refuseBrowserOrigin(request, (origin) => context.cors?.allows(origin) ?? false);
    if (foreign) return errorResponse(foreign);
  }
  if (storedRoute !== null) return answerStored(context, storedRoute, request, url);
  if (request.method !== "POST") {
    return errorResponse(
      kitError(405, "invalid_request", `Method ${request.method} is not allowed here; use POST.`, {
        code: "method_not_allowed",
      }),
      { allow: context.cors === null ? "POST" : "POST, OPTIONS" },
    );
  }
  const denied = await context.authenticate(request);
  if (denied) return errorResponse(denied, { "www-authenticate": "Bearer" });

  const { engine, idempotency, maxBodyBytes } = context;
  if (route === "compact") {
    const read = await readRequestBody(request, maxBodyBytes, (json) => engine.parseCompactBody(json));
    if (!read.ok) return errorResponse(read.error);
    return answerOnce(idempotency, request, read.bytes, (claim) =>
      answerCompact(engine, read.body, request.signal, claim),
    );
  }
  const read = await readRequestBody(request, maxBodyBytes, (json) => engine.parseCreateBody(json));
  if (!read.ok) return errorResponse(read.error);
  return answerOnce(idempotency, request, read.bytes, (claim) =>
    answerCreate(engine, read.body, request.signal, claim, request.headers),
  );
}

/** The `basePath` option as the routes compare it: a leading slash, no trailing one (`""` for the root). */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, "");
  return trimmed === "" || trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function trimSlash(pathname: string): string {
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

function matchRoute(pathname: string, basePath: string): Route | null {
  const path = trimSlash(pathname);
  if (path === `${basePath}/responses`) return "create";
  if (path === `${basePath}/responses/compact`) return "compact";
  return null;
}
