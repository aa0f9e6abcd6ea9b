/**
 * `openresponses/server`, the `node` build (Node, and Bun and Deno, which set that export condition):
 * the server kit, the deterministic built-in model, the Node adapter (`serve()` on `node:http`,
 * WebSocket mode with the `ws` package) and local GGUF models (`llamaCppModel()`, node-llama-cpp).
 * `./portable.ts` is the same API for every other runtime; test/server/entries.test.ts checks that the
 * two agree.
 *
 * @module openresponses/server
 */

export * from "./kit/index.js";
export * from "./llama/index.js";
export * from "./mock/index.js";
export type * from "./model.js";
export * from "./websocket/index.js";
