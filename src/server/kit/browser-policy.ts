/**
 * Which browser pages may use the server over HTTP: the policy WebSocket upgrades already follow. A
 * browser says where a request comes from (`Origin` on every POST and every CORS request, and
 * `Sec-Fetch-Site` on every request in current browsers); scripts, SDKs and curl send neither, and are
 * not affected. A page may call the server when the `cors` option allows its origin, or when it is
 * the server's own page (its origin names the host the request was sent to). Any other page is refused
 * before anything runs, even with a body no preflight guarded (a `Blob` sent with no Content-Type).
 * Same-origin is only as good as the name in `Host`: a page on an attacker's domain whose name was
 * rebound to this server is "same-origin" too, so `serve()` also checks `Host` (DNS rebinding,
 * `../node/browser-hosts.ts`).
 */

import { type KitError, kitError } from "./kit-error.js";

/** Whether the request was made by a browser page (it carries `Origin` or Fetch Metadata). */
export function fromBrowser(request: Request): boolean {
  return request.headers.has("origin") || request.headers.has("sec-fetch-site");
}

/** Whether a page's `Origin` names `host` (a `Host` header value), default ports compared as equal. */
export function sameOrigin(origin: string, host: string | null | undefined): boolean {
  if (!host) return false;
  try {
    const page = new URL(origin);
    // Parsed with the page's scheme so that default ports compare equal (`x` and `x:443` on https).
    return page.host === new URL(`${page.protocol}//${host}`).host;
  } catch {
    return false; // "null" (sandboxed frames, file:) or garbage
  }
}

/** The host a request was sent to: its `Host` header, else its URL's. */
export function requestHost(request: Request): string {
  return request.headers.get("host") ?? new URL(request.url).host;
}

/**
 * A 403 spec error for a request from a page on an origin the server does not admit, or null. Pages
 * the `cors` option allows, the server's own pages and non-browser clients pass.
 */
export function refuseBrowserOrigin(
  request: Request,
  allowsOrigin: (origin: string) => boolean,
): KitError | null {
  const origin = request.headers.get("origin");
  if (origin === null) return null;
  if (allowsOrigin(origin) || sameOrigin(origin, requestHost(request))) return null;
  return kitError(
    403,
    "invalid_request",
    "Requests from this origin are not allowed (see the server's cors option).",
    { code: "origin_not_allowed" },
  );
}
