/** WebSocket mode for `serve()`: attached when the handler is a `ResponsesHandler` (it carries the engine). */

import type { ResponsesHandler } from "../kit/handler.js";
import {
  attachWebSocketMode,
  type UpgradeServer,
  type WebSocketMode,
  type WebSocketModeOptions,
} from "./websocket-mode.js";

/** What `serve({ websocket })` accepts besides `true`/`false`. */
export type ServeWebSocketOptions = Pick<
  WebSocketModeOptions,
  | "maxConnectionAgeMs"
  | "maxPayloadBytes"
  | "maxQueuedMessages"
  | "limitGraceMs"
  | "allowedHosts"
  | "idleTimeoutMs"
  | "maxConnections"
  | "maxBufferedBytes"
>;

function isResponsesHandler(handler: unknown): handler is ResponsesHandler {
  const candidate = handler as Partial<ResponsesHandler> | null;
  return typeof candidate?.engine?.run === "function" && typeof candidate.basePath === "string";
}

/**
 * Serves WebSocket mode on `{basePath}/responses` with the handler's engine, store and API-key check, so
 * both transports answer the same way. A plain fetch handler has no engine: nothing is attached.
 */
export function attachForHandler(
  server: UpgradeServer,
  handler: unknown,
  option: boolean | ServeWebSocketOptions | undefined,
  hosts: { boundHost?: string; allowedHosts?: readonly string[] } = {},
): WebSocketMode | null {
  if (option === false || !isResponsesHandler(handler)) return null;
  return attachWebSocketMode(server, {
    engine: handler.engine,
    store: handler.engine.store,
    basePath: handler.basePath,
    authenticate: handler.authenticate,
    // Browser pages on other origins get in only where the handler's `cors` option lets them call HTTP.
    allowedOrigins: (origin) => handler.allowsOrigin?.(origin) ?? false,
    ...(hosts.boundHost !== undefined ? { boundHost: hosts.boundHost } : {}),
    ...(hosts.allowedHosts !== undefined ? { allowedHosts: hosts.allowedHosts } : {}),
    // A message is a request body (plus its `type`): the handler's `maxBodyBytes` bounds it as it
    // bounds HTTP bodies.
    ...(typeof handler.maxBodyBytes === "number" ? { maxPayloadBytes: handler.maxBodyBytes + 1024 } : {}),
    ...(typeof option === "object" ? option : {}),
  });
}
