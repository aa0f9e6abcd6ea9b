/** The WebSocket address of the responses resource (rule W1): `{base}/responses` with ws:/wss:. */

import { buildURL } from "../core/base-url.js";

/** `https://host/v1` → `wss://host/v1/responses` (and `http:` → `ws:`), keeping the base's query. */
export function websocketURL(baseURL: string, query?: Record<string, string | undefined>): string {
  const url = new URL(buildURL(baseURL, "/responses", query));
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  return url.toString();
}
