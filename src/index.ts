/**
 * `openresponses`: the client core. Zero run-time dependencies, web standards only (fetch, streams,
 * TextDecoder, AbortSignal), so this entry runs in Node 20+, Bun, Deno, browsers and edge runtimes.
 *
 * @module openresponses
 */

export * from "./builders/index.js";
export * from "./client/index.js";
export * from "./conversation/index.js";
export * from "./errors.js";
export * from "./spec/index.js";
export * from "./streaming/index.js";
export * from "./structured/index.js";
export * from "./tools/index.js";
export * from "./websocket/index.js";
