/**
 * The handler's opt-in CORS, for browser clients on another origin: which origins may call, the answer
 * to a preflight `OPTIONS`, and the headers every answer (errors and streams too) then carries. WebSocket
 * mode asks the same policy about browser upgrades (`allows`).
 */

export interface CorsOptions {
  /** `"*"`, one origin (`https://app.example`) or several. Default `"*"`. */
  origin?: string | readonly string[];
  /** How long a browser may cache a preflight answer, in seconds. Default 600. */
  maxAge?: number;
}

export interface CorsPolicy {
  /** Whether a page on this origin may call the server. */
  allows(origin: string): boolean;
  /** The 204 answer to a preflight request. */
  preflight(request: Request): Response;
  /** Adds the CORS headers for this request to an answer the handler built (so its headers are mutable). */
  decorate(request: Request, response: Response): Response;
}

export function corsPolicy(options: CorsOptions): CorsPolicy {
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
      base(request, response.headers);
      // The client reads the request id for its errors; a gateway or wrapper in front may add one.
      if (response.headers.has("access-control-allow-origin")) {
        response.headers.set("access-control-expose-headers", "x-request-id");
      }
      return response;
    },
  };
}
