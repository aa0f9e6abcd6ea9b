/** What `client.responses.connect(options)` does: a `ResponsesSocket` configured from the client. */

import type { Transport } from "../core/transport.js";
import { ResponsesSocket, type ResponsesSocketOptions } from "./session.js";
import { websocketURL } from "./url.js";

export interface ConnectOptions extends Omit<ResponsesSocketOptions, "url" | "headers"> {
  /** Overrides the address; default `{baseURL}/responses` with `ws:`/`wss:` (rule W1). */
  url?: string;
  /** Extra upgrade headers, laid over the client's auth and default headers. */
  headers?: Record<string, string>;
}

/** Builds the session from the client's base URL, default query, auth and default headers. */
export function connectWithClient(
  client: { transport: Transport; strict: boolean; model: string | undefined },
  options: ConnectOptions = {},
): ResponsesSocket {
  const { transport } = client;
  const { config } = transport;
  return new ResponsesSocket({
    strict: client.strict,
    model: client.model,
    // The HTTP client's timeout is the longest silence it accepts on a stream; a turn gets the same.
    timeout: config.timeout,
    maxResponseBytes: config.maxResponseBytes,
    maxEventBytes: config.maxEventBytes,
    // The client's default is Infinity, which the session, like the client, takes as no limit.
    totalTimeout: config.totalTimeout,
    ...options,
    url: options.url ?? websocketURL(config.baseURL, config.defaultQuery),
    headers: async () => ({ ...(await transport.connectionHeaders()), ...options.headers }),
  });
}
