/**
 * The HTTP side of the stored-response routes (`GET`/`DELETE {base}/responses/{id}`,
 * `GET {base}/responses/{id}/input_items`): the method check (405 with `Allow`), the API key, and the
 * answer from `stored-routes.ts` as JSON.
 */

import type { ApiKeyCheck } from "./auth.js";
import type { CorsPolicy } from "./cors.js";
import type { ResponsesEngine } from "./engine.js";
import { errorResponse, kitError } from "./kit-error.js";
import { allowedMethods, answerStoredRoute, type StoredRoute } from "./stored-routes.js";

const JSON_HEADERS = { "content-type": "application/json" };

export async function answerStored(
  context: {
    readonly engine: Pick<ResponsesEngine, "store">;
    readonly authenticate: ApiKeyCheck;
    readonly cors: CorsPolicy | null;
  },
  route: StoredRoute,
  request: Request,
  url: URL,
): Promise<Response> {
  const methods = allowedMethods(route);
  if (!methods.includes(request.method)) {
    return errorResponse(
      kitError(
        405,
        "invalid_request",
        `Method ${request.method} is not allowed here; use ${methods.join(" or ")}.`,
        { code: "method_not_allowed" },
      ),
      { allow: [...methods, ...(context.cors === null ? [] : ["OPTIONS"])].join(", ") },
    );
  }
  const denied = await context.authenticate(request);
  if (denied) return errorResponse(denied, { "www-authenticate": "Bearer" });
  const answer = await answerStoredRoute(route, request.method, url.searchParams, context.engine.store);
  if ("error" in answer) return errorResponse(answer.error);
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: JSON_HEADERS });
}
