/**
 * WebSocket mode (rules W1–W9) independent of the socket library: a `ResponsesConnection` per socket.
 * The portable `openresponses/server` build exports this; the Node adapter (`ws`) is in `../node/`.
 */
export { type ConnectionOptions, ResponsesConnection, type WebSocketEngine } from "./connection.js";
export { type ErrorEnvelope, errorEnvelope } from "./envelope.js";
export { DEFAULT_CONNECTION_AGE_MS } from "./limits.js";
