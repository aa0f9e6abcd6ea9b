/** The WebSocket address of the responses resource (rule W1): `{base}/responses` with ws:/wss:. */

import { buildURL } from "../core/base-url.js";

/** `https://host/v1` → `wss://host/v1/responses` (and `http:` → `ws:`), keeping the base's query. */
export function websocketURL(baseURL: string, query?: Record<string, string | undefined>): string {
  // A client's base URL is http: or https: (`normalizeBaseURL`), and `buildURL` gives it back whole.
  return buildURL(baseURL, "/responses", query).replace(/^http/, "ws");
}
