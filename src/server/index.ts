/**
 * `openresponses/server`, the `node` build (Node, and Bun and Deno, which set that export condition):
 * the server kit, the deterministic built-in model, and the Node adapter (`serve()` on `node:http`,
 * WebSocket mode with the `ws` package). `./portable.ts` is the same API for every other runtime;
 * test/server/entries.test.ts checks that the two agree.
 *
 * @module openresponses/server
 */

export * from "./bridges/index.js";
export * from "./kit/index.js";
export * from "./mock/index.js";
export type * from "./model.js";
export * from "./websocket/index.js";
