/** WebSocket mode: the library-independent connection (`./portable.ts`) and the Node adapter with `ws`. */

export {
  attachForHandler,
  attachWebSocketMode,
  type NodeHttpServer,
  type ServeWebSocketOptions,
  type UpgradeListener,
  type UpgradeServer,
  type WebSocketMode,
  type WebSocketModeOptions,
} from "../node/index.js";
export * from "./portable.js";
