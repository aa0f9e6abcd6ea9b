/** What check talks to: the HTTP base URL, the WebSocket URL, the headers that authenticate. */

import { buildURL } from "../../core/base-url.js";
import type { HttpTarget } from "./http-exchange.js";

export interface CheckTarget extends HttpTarget {
  /** What the report names: the URL without credentials, or "the built-in model". */
  label: string;
  /** `ws(s)://host/v1/responses`. */
  wsURL: string;
  /** The model to request, when one was given. */
  model: string | undefined;
  /** Names (lower case) of headers that carry a credential, redacted in recordings. */
  secretHeaders: ReadonlySet<string>;
  /** Whether the run was given a credential (the auth scenario needs one). */
  hasCredential: boolean;
}

export interface AuthSettings {
  apiKey: string | undefined;
  /** Default `Authorization`. */
  authHeader: string | undefined;
  /** Default `Bearer` for `Authorization`, none for another header; "" for none. */
  authScheme: string | undefined;
  /** Extra `Name: value` headers. */
  extraHeaders: string[];
}

/** The request headers for the auth settings; throws a plain Error with a sentence on a bad `--header`. */
export function authHeaders(settings: AuthSettings): {
  headers: Record<string, string>;
  secret: Set<string>;
} {
  const headers: Record<string, string> = {};
  const secret = new Set<string>();
  for (const line of settings.extraHeaders) {
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new Error(`--header must look like "Name: value" (got "${line.slice(0, 40)}").`);
    }
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (settings.apiKey) {
    const name = (settings.authHeader ?? "Authorization").toLowerCase();
    const scheme = settings.authScheme ?? (name === "authorization" ? "Bearer" : "");
    headers[name] = scheme ? `${scheme} ${settings.apiKey}` : settings.apiKey;
    secret.add(name);
  }
  return { headers, secret };
}

export function webSocketURL(baseURL: string): string {
  const url = new URL(buildURL(baseURL, "/responses"));
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
