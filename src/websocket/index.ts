/** The client's WebSocket mode: `client.responses.connect()` sessions (rules W1–W9). */
export { type ConnectOptions, connectWithClient } from "./connect.js";
export { envelopeToError, type WebSocketErrorEnvelope } from "./envelope.js";
export type { WebSocketConstructor, WebSocketLike } from "./platform.js";
export { ResponsesSocketPool } from "./pool.js";
export {
  type RecoveryOptions,
  ResponsesSocket,
  type ResponsesSocketOptions,
  type WebSocketCreateBody,
  WebSocketRequestError,
} from "./session.js";
export { websocketURL } from "./url.js";
