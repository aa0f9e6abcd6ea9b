/**
 * The Node adapter: `serve()` on `node:http` and WebSocket mode with the `ws` package. Part of the
 * `node` build of `openresponses/server` only (`../index.ts`); the portable build has `./unavailable.ts`
 * in its place, with the same names.
 */
export { type RunningServer, type ServeOptions, serve } from "./serve.js";
export type { ServeWebSocketOptions } from "./serve-websocket.js";
export {
  attachWebSocketMode,
  type NodeHttpServer,
  type UpgradeListener,
  type UpgradeServer,
  type WebSocketMode,
  type WebSocketModeOptions,
} from "./websocket-mode.js";
