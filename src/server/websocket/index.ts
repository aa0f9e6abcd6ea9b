/**
 * WebSocket mode (rules W1–W9), independent of the socket library: a `ResponsesConnection` per socket.
 * The Node adapter that serves it with the `ws` package is in `../node/`.
 */
export { type ConnectionOptions, ResponsesConnection, type WebSocketEngine } from "./connection.js";
export { type ErrorEnvelope, errorEnvelope } from "./envelope.js";
export { DEFAULT_CONNECTION_AGE_MS } from "./limits.js";
