/**
 * `openresponses/server`, the portable build (Workers, edge runtimes, browsers, and the default for
 * bundlers that do not set the `node` export condition). Web standards only: no Node built-in and no `ws`
 * at load time. The Node adapter's names are there with the same types, but throw a clear error.
 */

export * from "./bridges/index.js";
export * from "./kit/portable.js";
export * from "./mock/index.js";
export type * from "./model.js";
export * from "./node/unavailable.js";
export * from "./websocket/portable.js";
