/**
 * `openresponses/server`: the server kit. A standard fetch handler for any runtime, a Node adapter,
 * WebSocket mode on Node (the `ws` package), and the deterministic built-in model.
 *
 * @module openresponses/server
 */

export * from "./kit/index.js";
export * from "./mock/index.js";
export type * from "./model.js";
export * from "./websocket/index.js";
