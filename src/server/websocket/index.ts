/** WebSocket mode for the Node adapter (rules W1–W9), served with the `ws` package. */
export {
  attachWebSocketMode,
  DEFAULT_CONNECTION_AGE_MS,
  type WebSocketMode,
  type WebSocketModeOptions,
} from "./attach.js";
export { type ConnectionOptions, ResponsesConnection, type WebSocketEngine } from "./connection.js";
export { type ErrorEnvelope, errorEnvelope } from "./envelope.js";
export { attachForHandler, type ServeWebSocketOptions } from "./for-handler.js";
