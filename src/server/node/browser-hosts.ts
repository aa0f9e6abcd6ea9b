/**
 * The DNS-rebinding defence for HTTP, as WebSocket upgrades have it: a browser request whose origin the
 * handler's `cors` option does not allow must name this server in `Host` (an IP address, `localhost`,
 * the bound host or one of `allowedHosts`). A page on an attacker's domain whose name now resolves to
 * this server is same-origin in the browser's eyes, so only `Host` gives it away; it gets 403
 * `host_not_allowed` before the handler runs. Non-browser clients (no `Origin`, no Fetch Metadata) are
 * not affected. Applied by `serve()` to handlers from `createResponsesHandler`, the ones that carry
 * the `cors` decision; `hostAllowList` is the same list WebSocket upgrades are held to.
 */

import { fromBrowser, requestHost } from "../kit/browser-policy.js";
import { errorResponse, kitError } from "../kit/kit-error.js";

/**
 * Whether a `Host` header names this server: an IP address (DNS rebinding needs a name, so a literal
 * address cannot be one), `localhost` or a `*.localhost` name, the bound host, or a configured name.
 */
export function hostAllowList(
  configured: readonly string[] | undefined,
  boundHost: string | undefined,
): (host: string | undefined) => boolean {
  const names = new Set<string>();
  for (const name of [...(configured ?? []), ...(boundHost ? [boundHost] : [])]) {
    const hostname = hostnameOf(name);
    if (hostname !== null) names.add(hostname);
  }
  return (host) => {
    const hostname = host === undefined ? null : hostnameOf(host);
    if (hostname === null) return false;
    if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[")) return true;
    return names.has(hostname);
  };
}

/** The lower-cased host name of a `Host` value or a configured name (port dropped), null if not one. */
function hostnameOf(value: string): string | null {
  // A bare IPv6 address (a bound host such as `::1`) needs brackets to parse as a URL host.
  const text =
    value.includes(":") && !value.startsWith("[") && value.split(":").length > 2 ? `[${value}]` : value;
  try {
    return new URL(`http://${text}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

interface OriginAware {
  allowsOrigin(origin: string): boolean;
}

function isOriginAware(handler: unknown): handler is OriginAware {
  return typeof (handler as Partial<OriginAware> | null)?.allowsOrigin === "function";
}

/** A check to run before the handler: a 403 `Response` for a refused browser request, else null. */
export function browserHostGuard(
  handler: unknown,
  hosts: { boundHost?: string; allowedHosts?: readonly string[] },
): ((request: Request) => Response | null) | null {
  if (!isOriginAware(handler)) return null;
  const allowed = hostAllowList(hosts.allowedHosts, hosts.boundHost);
  return (request) => {
    if (!fromBrowser(request)) return null;
    const origin = request.headers.get("origin");
    if (origin !== null && handler.allowsOrigin(origin)) return null;
    if (allowed(requestHost(request))) return null;
    return errorResponse(
      kitError(
        403,
        "invalid_request",
        "This server does not answer browser pages under this host name (see the allowedHosts option of " +
          "serve, or --allowed-hosts).",
        { code: "host_not_allowed" },
      ),
    );
  };
}
